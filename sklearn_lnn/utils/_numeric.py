"""Numeric helpers shared by every layer (no sklearn_lnn imports)."""

import numpy as np

_EPS = np.finfo(np.float64).eps


def constant_channels(scale, mean, count):
    """Mask of the channels whose spread is only the rounding of their mean.

    A channel is constant when its variance is within what summing `count`
    values of its mean in float64 can leave behind: scikit-learn's test for
    ``StandardScaler`` (``var <= n eps var + (n eps mean)^2``). The test is
    relative, so data in tiny units (a standard deviation of 1e-13) are
    scaled like any other, and an all-zero channel is constant.

    Parameters
    ----------
    scale : ndarray of shape (n_channels,)
        Standard deviations.
    mean : ndarray of shape (n_channels,)
        Means.
    count : float
        Number (or weighted count) of the values behind them.
    """
    # in units of the larger of the two, so that neither square over- or
    # underflows (channels of 1e200 or 1e-200 are data like any other)
    scale, mean = np.abs(np.asarray(scale, float)), np.abs(np.asarray(mean, float))
    unit = np.maximum(scale, mean)
    unit = np.where(unit > 0, unit, 1.0)
    var = np.square(scale / unit)
    bound = count * _EPS * var + np.square(count * _EPS * mean / unit)
    return ~(var > bound)


def unit_scale(scale, mean, count):
    """`scale` with 1 for the :func:`constant_channels` (a constant channel
    is centred to zeros instead of divided by rounding)."""
    scale = np.array(scale, dtype=np.float64)
    scale[constant_channels(scale, mean, count)] = 1.0
    return scale
