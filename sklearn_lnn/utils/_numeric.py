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
    var = np.square(scale)
    bound = count * _EPS * var + np.square(count * _EPS * np.asarray(mean))
    return ~(var > bound)


def unit_scale(scale, mean, count):
    """`scale` with 1 for the :func:`constant_channels` (a constant channel
    is centred to zeros instead of divided by rounding)."""
    scale = np.array(scale, dtype=np.float64)
    scale[constant_channels(scale, mean, count)] = 1.0
    return scale
