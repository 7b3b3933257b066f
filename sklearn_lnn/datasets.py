"""Offline data sets and generators in the sequence input contract."""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.utils import Bunch


def load_digits_sequences(*, return_X_y=False):
    """scikit-learn's 8x8 digits read as 8-step sequences of 8 features.

    Each image becomes a sequence whose steps are its rows, scaled from the
    0-16 pixel range to [0, 1]. Nothing is downloaded: the data ship with
    scikit-learn.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : Bunch or tuple
        ``data`` of shape (1797, 8, 8) (float64), ``target`` of shape (1797,),
        and ``target_names``; or ``(X, y)`` with `return_X_y`.

    Examples
    --------
    >>> from sklearn_lnn.datasets import load_digits_sequences
    >>> X, y = load_digits_sequences(return_X_y=True)
    >>> X.shape, y.shape
    ((1797, 8, 8), (1797,))
    """
    digits = load_digits()
    X = digits.images / 16.0
    if return_X_y:
        return X, digits.target
    return Bunch(data=X, target=digits.target, target_names=digits.target_names)
