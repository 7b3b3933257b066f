"""The classifier's label handling and logistic readout, as pure functions."""

import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import column_or_1d

from ._ridge import standardisation


def check_labels(y):
    """`y` (validated by ``check_array``) as a 1-D array of class labels of
    at least two classes, or a ValueError."""
    y = column_or_1d(y, warn=True)
    check_classification_targets(y)
    if np.unique(y).size < 2:
        raise ValueError(
            "LNNClassifier needs at least 2 classes in y; got 1 class "
            f"({np.unique(y)[0]!r}). Check the labels or the split."
        )
    return y


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


def class_rows(y, classes, sample_weight=None):
    """How many training sequences each of `classes` has in `y`, as
    leave-one-out counts them: a sequence of weight ``w > 0`` counts
    ``max(w, 1)`` (integer weights as repeated sequences, see
    ``_gcv.loo_alpha``), one of weight 0 not at all."""
    y = np.asarray(y)
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, float)
    copies = np.where(w > 0, np.maximum(w, 1.0), 0.0)
    return np.array([copies[y == c].sum() for c in classes], dtype=np.float64)


def judged_columns(rows):
    """Mask of the ridge classifier's +-1 target columns (one per class; one
    for two classes) whose leave-one-out error can judge its penalty: a class
    with a single training sequence cannot be predicted once that sequence
    is left out, and would drive GCV to the largest penalty (one sequence
    per class of PigCVP: alpha 1e8 and test accuracy 0.26, against 0.79-0.81
    for any alpha from 1e-3 to 100)."""
    rows = np.asarray(rows)
    if rows.size == 2:
        return np.array([rows.min() >= 2])
    return rows >= 2


def logistic_readout(features, y, sample_weight, alpha, feature_weights=None):
    """(classes, coef, intercept) of a multinomial logistic regression with
    penalty `alpha` on the standardised features (each times its
    `feature_weights` entry, as the ridge readout does), expressed on the
    raw ones."""
    features = np.asarray(features, dtype=np.float64)
    mean, scale = standardisation(features, sample_weight)
    if feature_weights is not None:
        scale = scale / feature_weights
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
