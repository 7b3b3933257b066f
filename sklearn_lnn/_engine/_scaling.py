"""Per-channel standardisation of sequences, fitted on training data.

Pure functions over validated :class:`~sklearn_lnn._sequences.Sequences`: the
statistics are taken over every step of every training sequence (so a short
and a long sequence weigh by their number of steps), in float64, and applied
in the sequences' own dtype. Shared by every estimator that makes its model
independent of the units of the data.
"""

import numpy as np

from ..utils._numeric import unit_scale


#: Standardised values of the input channels of multichannel sequences are
#: clipped to +-CLIP (ReservoirTransformer and the estimators built on it).
#: Per-channel standardisation magnifies a channel that is nearly constant
#: with rare excursions: the border columns of images are nearly always 0,
#: and a rare stroke became a value of 20-50 that saturated every unit it
#: reached. Measured, test accuracy over three seeds: MNIST 5k (28 channels,
#: 1,000 units, bidirectional) 0.956 / 0.961 / 0.964 unclipped, 0.969 / 0.964
#: / 0.967 at 3 (0.961 at 5, seed 0); digits, Japanese Vowels and BasicMotions
#: unchanged within one test sequence. A floor on the scale (range / 4) gained
#: as much on MNIST but a single 100-sigma glitch in half the Japanese Vowels
#: channels then cost 0.016 (clipped: nothing). Not for univariate series,
#: where a series' own excursions (heart beats, pressure peaks) are the signal.
CLIP = 3.0

#: Steps standardised at a time while fitting the statistics.
ROW_BLOCK = 65536


def channel_statistics(seqs, sample_weight=None):
    """(mean, scale) of each channel over all steps of all sequences.

    A sequence's weight (`sample_weight`, one per sequence) counts for each of
    its steps, so integer weights equal repeated sequences. The scale is the
    standard deviation; 1 for a constant channel, so a constant channel maps to
    zeros instead of dividing by zero.
    """
    d = seqs.n_features
    if seqs.ragged:
        pieces = [(a, wi) for a, wi in zip(seqs.data, np.ones(len(seqs)) if sample_weight
                                          is None else np.asarray(sample_weight, float))]
    else:  # rows of steps in blocks: bounded temporaries for large inputs
        T = seqs.data.shape[1]
        w = np.ones(len(seqs)) if sample_weight is None else np.asarray(sample_weight, float)
        step = max(1, ROW_BLOCK // T)
        pieces = [(seqs.data[i : i + step].reshape(-1, d), np.repeat(w[i : i + step], T))
                  for i in range(0, len(seqs), step)]
    # values divided by each channel's largest magnitude: inputs near the
    # largest float neither overflow when squared nor when summed
    peak = np.zeros(d)
    for a, _ in pieces:
        peak = np.maximum(peak, np.maximum(a.max(axis=0), -a.min(axis=0)))
    peak[~(peak > 0)] = 1.0
    count, total = 0.0, np.zeros(d)
    for a, wa in pieces:
        wa = np.broadcast_to(wa, len(a))
        count += wa.sum()
        total += wa @ (a / peak)
    mean = total / count
    squares = np.zeros(d)
    for a, wa in pieces:
        squares += np.broadcast_to(wa, len(a)) @ (a / peak - mean) ** 2
    mean, scale = mean * peak, np.sqrt(squares / count) * peak
    return mean, unit_scale(scale, mean, count)


def clipped_channels(n_channels, time_channel, difference):
    """Mask of the `n_channels` channels a reservoir reads that are clipped:
    the given input channels (not `time_channel`, not the difference channels
    that come last when `difference`) when there are two or more; else None."""
    timed = time_channel is not None
    n_given = (n_channels + timed) // 2 if difference else n_channels
    if n_given - timed < 2:
        return None
    clipped = np.arange(n_channels) < n_given
    if timed:
        clipped[time_channel] = False
    return clipped


def clip_channels(seqs, mean, scale, time_channel, difference):
    """`seqs` with each channel of ``clipped_channels`` held within ``CLIP``
    fitted standard deviations (`scale`) of its fitted `mean`."""
    clipped = clipped_channels(seqs.n_features, time_channel, difference)
    if clipped is None:
        return seqs
    reach = np.where(clipped, CLIP * scale, np.inf)
    return seqs.clipped(mean - reach, mean + reach)


def standardise(seqs, mean, scale):
    """`seqs` with every step mapped to ``(x - mean) / scale``, dtype kept."""
    return _affine(seqs, mean, 1.0 / scale, before=True)


def unstandardise(seqs, mean, scale):
    """Inverse of :func:`standardise`: every step mapped to ``x * scale + mean``."""
    return _affine(seqs, mean, scale, before=False)


def _affine(seqs, shift, factor, before):
    """``(x - shift) * factor`` (`before`) or ``x * factor + shift``, dtype kept."""
    dtype = seqs.dtype
    shift, factor = shift.astype(dtype), factor.astype(dtype)
    apply = (lambda a: (a - shift) * factor) if before else (lambda a: a * factor + shift)
    data = [apply(a) for a in seqs.data] if seqs.ragged else apply(seqs.data)
    return type(seqs)(data, seqs.lengths, seqs.ragged)
