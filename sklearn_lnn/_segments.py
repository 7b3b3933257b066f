"""States of one long series as a batch of overlapping segments, verified.

One long series is the slowest thing a reservoir does: a Python loop of small
matrix-vector products. A contractive reservoir forgets where it started (the
echo state property), so the series can be cut into segments that run side by
side as one batch, one matrix product per step for all of them. Each segment
but the first starts ``overlap`` steps early, from zero; by the time it
reaches its own first step its state has (if the reservoir forgets fast
enough) converged to the sequential one.

The trick is checked, never trusted: the state that segment ``j`` reaches just
before its first step is compared with the state segment ``j - 1`` ends in,
which is the sequential state there (exactly for the first segment, by
induction for the others). Where they differ by more than ``tolerance``,
segment ``j`` is run again sequentially from segment ``j - 1``'s end, so the
result never depends on the trick: at worst it costs one batched pass more
than the sequential loop.
"""

import numpy as np

from ._dynamics import step_states
from ._sequences import Sequences

#: Steps a segment runs before its own first step, from a zero state.
OVERLAP = 200

#: Series shorter than this many overlaps run sequentially.
MIN_OVERLAPS = 8

#: Most segments per batch: beyond it the extra overlap steps cost more than
#: the wider products gain.
MAX_SEGMENTS = 64

#: Largest difference accepted between a warmed-up segment start and the
#: sequential state, per dtype.
TOLERANCE = {np.dtype(np.float64): 1e-12, np.dtype(np.float32): 1e-6}


def segment_bounds(n_steps, overlap=OVERLAP):
    """Start of each segment: [0, s_1, ..., s_{m-1}] (empty for a short series)."""
    if n_steps < MIN_OVERLAPS * overlap:
        return np.array([0])
    n_segments = int(min(MAX_SEGMENTS, n_steps // (4 * overlap)))
    return (np.arange(n_segments) * n_steps) // n_segments


def series_states(seq, dyn, initial_state=None, overlap=OVERLAP, report=None,
                  max_passes=3):
    """States (n_steps, n_reservoir) of one series `seq` (n_steps, n_features).

    Equal to the sequential states within ``TOLERANCE`` (see the module
    docstring). Segments whose warmed-up start does not match are run again,
    batched, from the end state of the segment before them (itself converged
    over a whole segment); after `max_passes` the rest runs sequentially.
    `report`, a dict if given, receives the number of segments, of passes and
    of segments finished by the sequential fallback.
    """
    n_steps, n = len(seq), dyn.n_units
    h0 = np.zeros(n, seq.dtype) if initial_state is None else initial_state
    starts = segment_bounds(n_steps, overlap)
    if starts.size < 2:
        if report is not None:
            report.update(segments=1, passes=1, sequential=1)
        return _run([seq], dyn, h0[np.newaxis])[0]
    ends = np.append(starts[1:], n_steps)
    m = starts.size
    out = np.empty((n_steps, n), seq.dtype)
    tolerance = TOLERANCE[np.dtype(seq.dtype)]
    # pass 1: every segment but the first warms up from zero over `overlap` steps
    warm = [0] + [min(overlap, s) for s in starts[1:]]
    init = np.zeros((m, n), seq.dtype)
    init[0] = h0
    states = _run([seq[s - w : e] for s, e, w in zip(starts, ends, warm)], dyn, init)
    begin = np.empty((m, n), seq.dtype)  # each segment's state before its first step
    for j in range(m):
        out[starts[j] : ends[j]] = states[j][warm[j]:]
        begin[j] = init[j] if warm[j] == 0 else states[j][warm[j] - 1]
    passes, accepted = 1, _accepted(begin, out, starts, tolerance)
    while accepted < m and passes < max_passes:
        # rerun the rest from the end states of the segments before them
        redo = list(range(accepted, m))
        begin[redo] = out[starts[redo] - 1]
        states = _run([seq[starts[j] : ends[j]] for j in redo], dyn, begin[redo])
        for j, s in zip(redo, states):
            out[starts[j] : ends[j]] = s
        passes += 1
        accepted = max(accepted + 1, _accepted(begin, out, starts, tolerance))
    sequential = m - accepted
    if sequential:  # the reservoir does not forget fast enough: no shortcut
        s = starts[accepted]
        out[s:] = _run([seq[s:]], dyn, out[s - 1][np.newaxis])[0]
    if report is not None:
        report.update(segments=m, passes=passes, sequential=sequential)
    return out


def _accepted(begin, out, starts, tolerance):
    """How many leading segments are sequential-exact: segment j is when j - 1
    is and j started from (within `tolerance`) the state j - 1 ended in."""
    for j in range(1, len(starts)):
        if np.abs(begin[j] - out[starts[j] - 1]).max() > tolerance:
            return j
    return len(starts)


def _run(pieces, dyn, initial_states):
    """States of each piece (a list), started from the given states."""
    lengths = np.array([len(p) for p in pieces])
    return step_states(Sequences(list(pieces), lengths, True), dyn,
                       initial_states=initial_states)


#: At most this many sequences are run segment by segment; more of them
#: already fill the batched products.
MAX_SEQUENCES_TO_SEGMENT = 4


def all_states(seqs, dyn, initial_states=None):
    """Every step's state of every sequence (a list of (n_steps_i, n_reservoir)
    arrays), long single series through the verified segmented path."""
    long = segment_bounds(int(seqs.lengths.max())).size > 1
    if long and len(seqs) <= MAX_SEQUENCES_TO_SEGMENT:
        return [series_states(seqs[i], dyn,
                              None if initial_states is None else initial_states[i])
                for i in range(len(seqs))]
    states = step_states(seqs, dyn, initial_states=initial_states)
    return list(states)
