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

How early is early enough depends on the reservoir (its leak rate, spectral
radius and input drive: from about 100 to several hundred steps) and on the
data, so it is measured, not assumed: a probe runs the head of the series
from its true state and, beside it, from zero, and counts the steps until the
two agree to 1 % of the tolerance. Those head states are the series' own (no
work lost); the warm-up of every segment is that count plus a few steps. A
reservoir whose probe does not converge runs sequentially at once.
"""

import numpy as np

from ._dynamics import (
    BLOCK_SIZE,
    _block_steps,
    _time_major_blocks,
    split_time_channel,
    step_states,
)
from ._sequences import Sequences

#: Warm-up assumed when deciding whether a series is long enough to try
#: segments (the warm-up actually used is measured by the probe).
OVERLAP = 200

#: Longest warm-up the probe tries; a reservoir that forgets more slowly runs
#: sequentially.
MAX_OVERLAP = 1000

#: Steps the series runs from a zero initial state before the probe starts a
#: zero state beside it (so that the two differ as a warm-up's start does).
PROBE_LEAD = 50

#: Steps added to the probe's count.
OVERLAP_PAD = 10

#: Series shorter than this many overlaps run sequentially.
MIN_OVERLAPS = 8

#: Most segments per batch, by reservoir size: beyond it the extra warm-up
#: rows cost more than the wider products gain (measured, 20,000 steps,
#: float64: at 1,000 units 32 segments fit in a median 1.97 s, 64 in 2.07 s;
#: at 500 units equal; at 100 units the per-step overhead favours 64).
MAX_SEGMENTS = ((500, 32), (0, 64))

#: Segment counts are rounded down to a multiple of this: OpenBLAS multiplies
#: whole panels of rows far faster (measured at 1,000 units, float64: 25 rows
#: 2.1 ms, 32 rows 1.5 ms, 48 rows 2.0 ms, 64 rows 2.4 ms).
GEMM_ROWS = 16

#: Largest difference accepted between a warmed-up segment start and the
#: sequential state, per dtype.
TOLERANCE = {np.dtype(np.float64): 1e-10, np.dtype(np.float32): 1e-6}

#: Agreement the probe waits for, and the factor on its count: a margin for
#: the parts of the series that forget more slowly than its head (float64:
#: 1 % of the tolerance; float32 states cannot agree much below its tolerance,
#: so the margin is in steps).
PROBE_TOLERANCE = {np.dtype(np.float64): 1e-12, np.dtype(np.float32): 5e-7}
OVERLAP_FACTOR = {np.dtype(np.float64): 1.0, np.dtype(np.float32): 1.5}


#: Fewest segments worth a batch, by reservoir size: OpenBLAS runs a product
#: of a few rows by a large matrix far below its GEMM speed (measured at 1,000
#: units, float64: 4 rows 0.6 ms, one matrix-vector product 0.1 ms), so large
#: reservoirs need many segments side by side to gain.
MIN_SEGMENTS = ((500, 16), (0, 2))


def segment_bounds(n_steps, overlap=OVERLAP, n_units=0):
    """Start of each segment: [0, s_1, ..., s_{m-1}] ([0] when segments do not pay)."""
    most = next(m for size, m in MAX_SEGMENTS if n_units >= size)
    n_segments = int(min(most, n_steps // (2 * overlap)))
    if n_segments >= GEMM_ROWS:  # whole GEMM panels: 32 rows beat 25
        n_segments -= n_segments % GEMM_ROWS
    least = next(m for size, m in MIN_SEGMENTS if n_units >= size)
    if n_steps < MIN_OVERLAPS * overlap or n_segments < least:
        return np.array([0])
    return (np.arange(n_segments) * n_steps) // n_segments


def series_states(seq, dyn, initial_state=None, overlap=None, report=None,
                  max_passes=3, out=None):
    """States (n_steps, n_reservoir) of one series `seq` (n_steps, n_features).

    Equal to the sequential states within ``TOLERANCE`` (see the module
    docstring). The warm-up `overlap` is measured by :func:`_probe` when None.
    Segments whose warmed-up start does not match are run again, batched,
    from the end state of the segment before them (itself converged over a
    whole segment); after `max_passes` the rest runs sequentially. `report`, a
    dict if given, receives the warm-up used and the number of segments, of
    passes and of segments finished by the sequential fallback. `out`, an
    (n_steps, n_reservoir) array (it may be a view of columns of a wider one),
    receives the states.
    """
    n_steps, n = len(seq), dyn.n_units
    h0 = np.zeros(n, seq.dtype) if initial_state is None else initial_state
    out = np.empty((n_steps, n), seq.dtype) if out is None else out
    report = {} if report is None else report
    report.update(overlap=None, segments=1, passes=1, sequential=1)
    done = 0  # steps whose states are in `out`
    if segment_bounds(n_steps, overlap or OVERLAP, n).size > 1:
        if overlap is None:
            done, overlap = _probe(seq, dyn, h0, out)
        if overlap is not None:
            h = out[done - 1] if done else h0
            done += _segmented(seq[done:], dyn, h, overlap, out[done:], report, max_passes)
    if done < n_steps:  # the reservoir does not forget fast enough: no shortcut
        h = out[done - 1] if done else h0
        out[done:] = _run([seq[done:]], dyn, h[np.newaxis])[0]
    return out


def _probe(seq, dyn, h0, out):
    """(steps done, warm-up): run the head of `seq` from `h0` (into `out`)
    and beside it from zero until the two agree within ``PROBE_TOLERANCE``;
    the warm-up is None when they do not within ``MAX_OVERLAP`` steps (or
    within what leaves room for segments)."""
    n_steps = len(seq)
    lead = 0 if np.any(h0) else min(PROBE_LEAD, n_steps)
    h = h0
    if lead:
        out[:lead] = _run([seq[:lead]], dyn, h0[np.newaxis])[0]
        h = out[lead - 1]
    limit = min(MAX_OVERLAP, (n_steps - lead) // MIN_OVERLAPS)
    if limit < 1:
        return lead, None
    U = np.repeat(seq[lead : lead + limit, np.newaxis], 2, axis=1)
    U, dt = split_time_channel(U, dyn.time_channel)
    tolerance = PROBE_TOLERANCE[np.dtype(seq.dtype)]
    factor = OVERLAP_FACTOR[np.dtype(seq.dtype)]
    steps = _block_steps(U, dt, np.array([limit, limit]), dyn,
                         np.stack([h, np.zeros_like(h)]))
    with np.errstate(over="ignore"):  # see _dynamics
        try:
            for t, _, _, H in steps:
                out[lead + t] = H[0]
                if np.abs(H[0] - H[1]).max() <= tolerance:
                    return lead + t + 1, int(factor * (t + 1)) + OVERLAP_PAD
        finally:
            steps.close()  # leaves the generator's BLAS thread limit
    return lead + limit, None


def _segmented(seq, dyn, h0, overlap, out, report, max_passes):
    """Steps of `seq` (from state `h0`) whose states the verified segments
    wrote into `out`: all of them, or 0 when segments do not pay, or the
    accepted segments' steps when the passes run out."""
    n_steps, n = len(seq), dyn.n_units
    starts = segment_bounds(n_steps, overlap, n)
    if starts.size < 2:
        return 0
    ends = np.append(starts[1:], n_steps)
    m = starts.size
    tolerance = TOLERANCE[np.dtype(seq.dtype)]
    # pass 1: every segment but the first warms up from zero over `overlap` steps
    warm = np.array([0] + [min(overlap, s) for s in starts[1:]])
    begin = np.zeros((m, n), seq.dtype)  # each segment's state before its first step
    begin[0] = h0
    _run_into(out, begin, seq, np.arange(m), starts, ends, warm, dyn)
    passes, accepted = 1, _accepted(begin, out, starts, tolerance)
    while accepted < m and passes < max_passes:
        # rerun the rest from the end states of the segments before them
        redo = np.arange(accepted, m)
        begin[redo] = out[starts[redo] - 1]
        _run_into(out, begin, seq, redo, starts, ends, np.zeros(m, int), dyn)
        passes += 1
        accepted = max(accepted + 1, _accepted(begin, out, starts, tolerance))
    report.update(overlap=overlap, segments=m, passes=passes, sequential=m - accepted)
    return int(ends[accepted - 1])


def _run_into(out, begin, seq, segments, starts, ends, warm, dyn):
    """Run `segments` of `seq` side by side, each from ``begin[j]`` (zeros for a
    warm-up) ``warm[j]`` steps before its start, writing the states of its own
    steps straight into `out` and the state reached just before its first step
    into ``begin[j]``."""
    pieces = [seq[starts[j] - warm[j] : ends[j]] for j in segments]
    seqs = Sequences(pieces, np.array([len(p) for p in pieces]), True)
    offset = np.array([starts[j] - warm[j] for j in segments])
    w = warm[segments]
    init = np.where((w > 0)[:, None], 0.0, begin[segments]).astype(seq.dtype)
    with np.errstate(over="ignore"):  # see _dynamics
        for idx, lens, U in _time_major_blocks(seqs, BLOCK_SIZE):
            U, dt = split_time_channel(U, dyn.time_channel)
            off, ww = offset[idx], w[idx]
            for t, k, _, H in _block_steps(U, dt, lens, dyn, init[idx]):
                own = ww[:k] <= t
                if own.all():
                    out[off[:k] + t] = H
                else:
                    out[off[:k][own] + t] = H[own]
                    ready = np.flatnonzero(ww[:k] == t + 1)
                    if ready.size:
                        begin[segments[idx[ready]]] = H[ready]


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
                       initial_states=initial_states, copy=False)


#: At most this many sequences are run segment by segment; more of them
#: already fill the batched products.
MAX_SEQUENCES_TO_SEGMENT = 4


def all_states(seqs, dyn, initial_states=None, outs=None):
    """Every step's state of every sequence (a list of (n_steps_i, n_reservoir)
    arrays), long single series through the verified segmented path. `outs`,
    a list of arrays (or views) of those shapes, receives them if given."""
    long = segment_bounds(int(seqs.lengths.max()), n_units=dyn.n_units).size > 1
    if long and len(seqs) <= MAX_SEQUENCES_TO_SEGMENT:
        return [series_states(seqs[i], dyn,
                              None if initial_states is None else initial_states[i],
                              out=None if outs is None else outs[i])
                for i in range(len(seqs))]
    states = list(step_states(seqs, dyn, initial_states=initial_states))
    if outs is not None:
        for o, h in zip(outs, states):
            o[...] = h
        return outs
    return states


def sampled_states(seqs, dyn, washout, max_rows):
    """States of `seqs` after the washout, every `stride`-th step kept so that
    about `max_rows` remain (at least one per sequence): a list of arrays,
    computed a few sequences at a time (bounded memory)."""
    steps = int((seqs.lengths - washout).sum())
    stride = max(1, -(-steps // max_rows))
    per_chunk = max(1, 20_000 // int(seqs.lengths.max()))
    kept = []
    for start in range(0, len(seqs), per_chunk):
        chunk = seqs.subset(np.arange(start, min(start + per_chunk, len(seqs))))
        kept += [s[washout::stride] for s in step_states(chunk, dyn)]
    return kept
