"""alpha="auto" for classes with a single training sequence: leave-one-out
cannot predict such a class, so GCV judges the penalty by the other classes
(and falls back to UNJUDGED_ALPHA when none is left)."""

import warnings

import numpy as np
import pytest

from sklearn_lnn import LNNClassifier
from sklearn_lnn._readout._classes import class_rows, judged_columns
from sklearn_lnn._readout._online import from_state
from sklearn_lnn._readout._ridge import UNJUDGED_ALPHA, solve_statistics

PARAMS = {"n_reservoir": 60, "random_state": 0}


def _blobs(per_class, seed=0, n_steps=6, n_features=5):
    """Sequences around one random centre per class; `per_class[c]` of class c."""
    rng = np.random.RandomState(seed)
    centres = rng.normal(size=(len(per_class), n_steps, n_features))
    y = np.repeat(np.arange(len(per_class)), per_class)
    X = centres[y] + 0.3 * rng.normal(size=(len(y), n_steps, n_features))
    return X, y, centres


def _fit(X, y, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no AlphaRangeWarning either
        return LNNClassifier(**PARAMS).fit(X, y, **kwargs)


def test_class_rows_and_judged_columns():
    y = np.array(["a", "b", "b", "c", "c", "c"])
    np.testing.assert_array_equal(class_rows(y, ["a", "b", "c"]), [1, 2, 3])
    weights = np.array([1.0, 0.0, 1.0, 1.0, 1.0, 1.0])  # a zero weight does not count
    np.testing.assert_array_equal(class_rows(y, ["a", "b", "c"], weights), [1, 1, 3])
    np.testing.assert_array_equal(judged_columns([1, 2, 3]), [False, True, True])
    np.testing.assert_array_equal(judged_columns([5, 1]), [False])  # binary: one column
    np.testing.assert_array_equal(judged_columns([2, 3]), [True])


def test_one_sequence_per_class_falls_back_and_predicts_well():
    X, y, centres = _blobs([1] * 8)
    model = _fit(X, y)
    assert model.alpha_ == UNJUDGED_ALPHA
    rng = np.random.RandomState(1)
    y_test = np.repeat(np.arange(8), 5)
    X_test = centres[y_test] + 0.3 * rng.normal(size=(len(y_test),) + X.shape[1:])
    assert model.score(X_test, y_test) >= 0.9
    # GCV over every column runs to the top of its grid (what alpha_ was)
    assert solve_statistics(from_state(model._stats), "auto")[2] >= 1e6


@pytest.mark.parametrize("per_class", [[1, 4, 5, 4], [4, 1], [1, 5]])
def test_gcv_judges_by_the_classes_with_two_or_more(per_class):
    X, y, _ = _blobs(per_class, seed=2)
    model = _fit(X, y)
    stats = from_state(model._stats)
    mask = judged_columns(per_class)
    expected = (UNJUDGED_ALPHA if not mask.any()
                else solve_statistics(stats, "auto", columns=mask, criterion="loo")[2])
    assert model.alpha_ == expected


def test_enough_sequences_per_class_judge_by_every_column():
    X, y, _ = _blobs([3, 4, 5], seed=3)
    model = _fit(X, y)
    assert model.alpha_ == solve_statistics(from_state(model._stats), "auto",
                                            criterion="loo")[2]


def test_zero_weight_sequences_do_not_count():
    X, y, _ = _blobs([2, 2, 2], seed=4)
    weights = np.ones(len(y))
    weights[[0, 2, 4]] = 0.0  # each class keeps one weighted sequence
    assert _fit(X, y, sample_weight=weights).alpha_ == UNJUDGED_ALPHA


def test_partial_fit_counts_the_classes_over_all_chunks():
    X, y, _ = _blobs([3, 3, 3], seed=5)
    first = np.r_[0, 3, 6, 1, 4, 7, 2, 5, 8]  # the first chunk: one of each class
    X, y = X[first], y[first]
    exact = {**PARAMS, "standardize": False}  # partial_fit = fit (see its docs)
    online = LNNClassifier(**exact)
    online.partial_fit(X[:3], y[:3], classes=[0, 1, 2])
    assert online.alpha_ == UNJUDGED_ALPHA  # one sequence of each class so far
    online.partial_fit(X[3:], y[3:])
    full = LNNClassifier(**exact).fit(X, y)
    np.testing.assert_array_equal(online._class_rows, [3, 3, 3])
    assert online.alpha_ == full.alpha_
    np.testing.assert_allclose(online.decision_function(X), full.decision_function(X),
                               rtol=1e-8, atol=1e-10)
