"""Washout at, just below and just above a sequence's length, for every estimator."""

import numpy as np
import pytest

from .estimators import CACHED

from .reference import reference_features

ESTIMATORS = CACHED  # the estimators whose features go through the cache
LENGTH = 6


def _fit(cls, X, washout):
    est = cls(n_reservoir=15, washout=washout, aggregation="last_mean_max_points2",
              random_state=0)
    return est.fit(X) if hasattr(est, "transform") else est.fit(X, np.arange(len(X)) % 2)


def _apply(est, X):
    return est.transform(X) if hasattr(est, "transform") else est.predict(X)


def _features(est, X):
    from sklearn_lnn._engine._sequences import check_sequences
    r = getattr(est, "reservoir_", est)
    return r._features(check_sequences(est, X, reset=False))


@pytest.mark.parametrize("form", ["3d", "ragged"])
@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_washout_one_below_length_uses_the_last_step(cls, form):
    rng = np.random.RandomState(0)
    X = rng.normal(size=(8, LENGTH, 2))
    X = list(X) if form == "ragged" else X
    est = _fit(cls, X, washout=LENGTH - 1)
    features = _features(est, X)
    assert np.isfinite(features).all()
    expected = np.array([reference_features(s, est) for s in X])
    np.testing.assert_allclose(features, expected, rtol=1e-10, atol=1e-12)
    # with one step left, mean, max and both points are that step: the last state
    n = est.n_reservoir if hasattr(est, "n_reservoir") else 15
    parts = features.reshape(len(X), -1, n)
    for j in range(1, parts.shape[1]):
        np.testing.assert_allclose(parts[:, j], parts[:, 0], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("washout", [LENGTH, LENGTH + 1])
@pytest.mark.parametrize("form", ["3d", "ragged"])
@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_washout_not_below_length_is_refused_in_fit(cls, form, washout):
    X = np.random.RandomState(0).normal(size=(8, LENGTH, 2))
    X = list(X) if form == "ragged" else X
    with pytest.raises(ValueError, match=f"Sequence 0 has {LENGTH} steps, but washout={washout}"):
        _fit(cls, X, washout)


@pytest.mark.parametrize("offset", [-1, 0, 1])
@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_washout_checked_again_on_new_data(cls, offset):
    """Fitted on long sequences, applied to one of length washout + offset."""
    rng = np.random.RandomState(0)
    washout = 4
    est = _fit(cls, list(rng.normal(size=(8, 10, 2))), washout)
    X = [rng.normal(size=(10, 2)), rng.normal(size=(washout + offset, 2))]
    if offset > 0:
        assert np.isfinite(_features(est, X)).all()
        _apply(est, X)
    else:
        with pytest.raises(ValueError, match=f"Sequence 1 has {washout + offset} steps"):
            _apply(est, X)
