"""Per-channel standardisation of sequences, fitted on training data.

Pure functions over validated :class:`~sklearn_lnn._sequences.Sequences`: the
statistics are taken over every step of every training sequence (so a short
and a long sequence weigh by their number of steps), in float64, and applied
in the sequences' own dtype. Shared by every estimator that makes its model
independent of the units of the data.
"""

import numpy as np


def channel_statistics(seqs):
    """(mean, scale) of each channel over all steps of all sequences.

    The scale is the standard deviation; 1 for a constant channel, so a
    constant channel maps to zeros instead of dividing by zero.
    """
    arrays = seqs.data if seqs.ragged else [seqs.data.reshape(-1, seqs.n_features)]
    count = sum(a.shape[0] for a in arrays)
    total = sum(a.sum(axis=0, dtype=np.float64) for a in arrays)
    mean = total / count
    squares = sum(((a - mean) ** 2).sum(axis=0) for a in arrays)
    scale = np.sqrt(squares / count)
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
