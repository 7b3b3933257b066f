"""Per-channel standardisation of sequences, fitted on training data.

Pure functions over validated :class:`~sklearn_lnn._sequences.Sequences`: the
statistics are taken over every step of every training sequence (so a short
and a long sequence weigh by their number of steps), in float64, and applied
in the sequences' own dtype. Shared by every estimator that makes its model
independent of the units of the data.
"""

import numpy as np


def channel_statistics(seqs, sample_weight=None):
    """(mean, scale) of each channel over all steps of all sequences.

    A sequence's weight (`sample_weight`, one per sequence) counts for each of
    its steps, so integer weights equal repeated sequences. The scale is the
    standard deviation; 1 for a constant channel, so a constant channel maps to
    zeros instead of dividing by zero.
    """
    if seqs.ragged:
        arrays = seqs.data
        w = np.ones(len(arrays)) if sample_weight is None else np.asarray(sample_weight, float)
    else:  # one block, every sequence the same length
        arrays = [seqs.data.reshape(-1, seqs.n_features)]
        T = seqs.data.shape[1]
        w = [np.ones(len(arrays[0])) if sample_weight is None
             else np.repeat(np.asarray(sample_weight, float), T)]
    # sums of values divided by each channel's largest magnitude: inputs near
    # the largest float neither overflow when squared nor when summed
    peak = np.max([np.abs(a).max(axis=0) for a in arrays], axis=0).astype(np.float64)
    peak[~(peak > 0)] = 1.0
    if seqs.ragged:
        count = sum(wi * len(a) for wi, a in zip(w, arrays))
        total = sum(wi * (a / peak).sum(axis=0) for wi, a in zip(w, arrays))
        mean = total / count
        squares = sum(wi * ((a / peak - mean) ** 2).sum(axis=0) for wi, a in zip(w, arrays))
    else:
        a, wa = arrays[0] / peak, w[0]
        count = wa.sum()
        mean = (wa @ a) / count
        squares = wa @ (a - mean) ** 2
    mean, scale = mean * peak, np.sqrt(squares / count) * peak
    scale[~(scale > 1e-12 * np.maximum(1.0, np.abs(mean)))] = 1.0
    return mean, scale


def standardise(seqs, mean, scale):
    """`seqs` with every step mapped to ``(x - mean) / scale``, dtype kept."""
    dtype = seqs.dtype
    shift, factor = mean.astype(dtype), (1.0 / scale).astype(dtype)
    if seqs.ragged:
        data = [(a - shift) * factor for a in seqs.data]
    else:
        data = (seqs.data - shift) * factor
    return type(seqs)(data, seqs.lengths, seqs.ragged)


def unstandardise(values, mean, scale):
    """Inverse of :func:`standardise` on an array whose last axis is the channels."""
    return values * scale + mean
