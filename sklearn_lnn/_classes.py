"""The classifier's label handling and logistic readout, as pure functions."""

import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression

from ._readout import standardisation


def partial_fit_classes(known, classes, y):
    """The classes of a ``partial_fit`` call: `known` (from earlier calls, or
    None) checked against `classes` and the chunk's labels `y`."""
    if known is None:
        if classes is None:
            raise ValueError(
                "classes must be passed on the first call to partial_fit: "
                "every class the model will see, e.g. classes=np.unique(y_all)."
            )
        known = np.unique(classes)
        if known.size < 2:
            raise ValueError("classes must hold at least 2 classes.")
    elif classes is not None and not np.array_equal(np.unique(classes), known):
        raise ValueError(
            f"classes={np.unique(classes)!r} differs from the classes of the "
            f"first call to partial_fit ({known!r})."
        )
    unseen = np.setdiff1d(np.unique(y), known)
    if unseen.size:
        raise ValueError(
            f"y holds classes {unseen!r} that are not among classes={known!r}; "
            "pass every class on the first call to partial_fit."
        )
    return known


def logistic_readout(features, y, sample_weight, alpha):
    """(classes, coef, intercept) of a multinomial logistic regression with
    penalty `alpha` on the standardised features, expressed on the raw ones."""
    features = np.asarray(features, dtype=np.float64)
    mean, scale = standardisation(features, sample_weight)
    model = LogisticRegression(C=np.inf if alpha == 0 else 1.0 / alpha,
                               tol=1e-10, max_iter=10_000)
    with warnings.catch_warnings():
        # scikit-learn < 1.7 passes lbfgs options that SciPy >= 1.16
        # deprecates; the user can do nothing about it.
        warnings.filterwarnings(
            "ignore", message=".*`disp` and `iprint` options", category=DeprecationWarning
        )
        model.fit((features - mean) / scale, y, sample_weight=sample_weight)
    coef = model.coef_.T / scale[:, None]
    return model.classes_, coef, model.intercept_ - mean @ coef
