"""The feature cache never changes a result.

For every constructor parameter of every public estimator (taken from
``get_params()``, so a new parameter without an entry here fails the coverage
test), features with the cache forced on equal those with it off, and two
models that differ in that one parameter never serve each other's rows. The
same holds for the dtype, the data and every fitted array of the reservoir.
"""

import numpy as np
import pytest
import scipy.sparse as sp

from sklearn_lnn import config_context
from sklearn_lnn._engine import _cache
from sklearn_lnn._engine._sequences import check_sequences
from sklearn_lnn.utils import all_estimators

from .estimators import CACHED, NOT_CACHED

#: The model every variant starts from (small and fast; cache forced on).
BASE = {"n_reservoir": 20, "random_state": 0}

#: A second value for every parameter of every estimator.
VARIANTS = {
    "n_reservoir": 25,
    "spectral_radius": 0.5,
    "leak_rate": 0.3,
    "input_scaling": 0.4,
    "bias_scaling": 0.1,
    "density": 0.5,
    "washout": 2,
    "aggregation": "mean_max",
    "bidirectional": True,
    "include_input": True,
    "include_difference": True,
    "coarse_factor": 2,
    "neuron": "liquid",
    "time_step": 0.5,
    "time_channel": 0,
    "random_state": 1,
    "standardize": False,
    "verbose": 2,
    "forgetting_factor": 0.9,
    "alpha": 3.0,
    "readout": "logistic",
    "keep_statistics": True,
}

#: Parameters that must not change the reservoir features at all.
READOUT_ONLY = {"alpha", "readout", "verbose", "forgetting_factor", "keep_statistics"}

ESTIMATORS = CACHED  # the estimators whose features go through the cache


def _cases():
    return [(cls, name) for cls in ESTIMATORS for name in cls().get_params()]


@pytest.fixture
def X():
    """Ragged sequences; channel 0 holds positive elapsed times."""
    rng = np.random.RandomState(0)
    seqs = [rng.normal(size=(n, 3)) for n in rng.randint(5, 15, size=12)]
    for s in seqs:
        s[:, 0] = rng.uniform(0.2, 2.0, size=len(s))
    return seqs


@pytest.fixture
def y():
    return np.arange(12) % 3


@pytest.fixture(autouse=True)
def cache_forced_on():
    _cache.FEATURES.clear()
    with config_context(feature_cache_min_work=0):
        yield
    _cache.FEATURES.clear()


def features(est, X):
    """The reservoir features the estimator computes for X (cache as set)."""
    if hasattr(est, "transform"):
        return est.transform(X)
    return est.reservoir_._features(check_sequences(est, X, reset=False))


def uncached(est, X, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(_cache.FEATURES, "max_bytes", 0)
        return features(est, X)


def assert_same(a, b):
    """Equal up to BLAS rounding: a row computed alone may differ from one
    computed in a batch by a few ulps; a row of another model by far more."""
    assert a.dtype == b.dtype and a.shape == b.shape
    np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)


def fitted(cls, X, y, **params):
    est = cls(**{**BASE, **params})
    return est.fit(X) if hasattr(est, "transform") else est.fit(X, y)


def test_every_parameter_is_covered():
    assert {c.__name__ for c in ESTIMATORS + NOT_CACHED} == {
        name for name, _ in all_estimators()}
    for cls in ESTIMATORS:
        missing = set(cls().get_params()) - set(VARIANTS)
        assert not missing, f"{cls.__name__}: no cache test value for {missing}"


@pytest.mark.parametrize("cls, name", _cases(),
                         ids=[f"{c.__name__}-{n}" for c, n in _cases()])
def test_one_parameter_apart_never_share_rows(cls, name, X, y, monkeypatch):
    models = [fitted(cls, X, y), fitted(cls, X, y, **{name: VARIANTS[name]})]
    for first, second in (models, models[::-1]):
        _cache.FEATURES.clear()
        features(first, X)  # fills the cache with the first model's rows
        assert len(_cache.FEATURES) > 0
        got = features(second, X)  # must not be served the first model's rows
        assert_same(got, uncached(second, X, monkeypatch))
        np.testing.assert_array_equal(features(second, X), got)  # now served
    a, b = (uncached(m, X, monkeypatch) for m in models)
    if name in READOUT_ONLY:
        np.testing.assert_array_equal(a, b)
    else:  # the parameter matters, so a shared row would have been caught
        assert a.shape != b.shape or np.abs(a - b).max() > 1e-6


@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_dtype_and_data_are_keyed(cls, X, y, monkeypatch):
    est = fitted(cls, X, y)
    f64 = features(est, X)
    f32 = features(est, [s.astype(np.float32) for s in X])
    assert f32.dtype == np.float32
    assert_same(f32, uncached(est, [s.astype(np.float32) for s in X],
                                                monkeypatch))
    changed = [s.copy() for s in X]
    changed[4][2, 1] += 1e-9
    got = features(est, changed)
    np.testing.assert_array_equal(np.delete(got, 4, 0), np.delete(f64, 4, 0))
    assert_same(got[4], uncached(est, changed, monkeypatch)[4])
    assert not np.array_equal(got[4], f64[4])


def _fitted_arrays(reservoir):
    return [name for name, value in vars(reservoir).items()
            if name.endswith("_") and not name.startswith("_")
            and (isinstance(value, np.ndarray) or sp.issparse(value))
            and name != "feature_names_in_"]


@pytest.mark.parametrize("aggregation", ["last_mean", "mean_ppv_model"])
@pytest.mark.parametrize("neuron", ["leaky_tanh", "liquid"])
@pytest.mark.parametrize("cls", ESTIMATORS, ids=lambda c: c.__name__)
def test_every_fitted_array_is_keyed(cls, neuron, aggregation, X, y, monkeypatch):
    est = fitted(cls, X, y, neuron=neuron, aggregation=aggregation)
    reservoir = getattr(est, "reservoir_", est)
    names = _fitted_arrays(reservoir)
    expected = {"input_weights_", "recurrent_weights_", "bias_", "input_mean_",
                "input_scale_"}
    if neuron == "liquid":
        expected |= {"reversal_potentials_", "decay_rates_"}
    if aggregation != "last_mean":  # the fitted statistics of the states
        expected |= {"state_thresholds_", "state_mean_", "state_components_"}
    assert set(names) == expected
    for name in names:
        before = features(est, X)
        value = getattr(reservoir, name)
        value = value.copy()
        flat = value.data if sp.issparse(value) else value.reshape(-1)
        flat[np.argmax(np.abs(flat))] *= -1.5  # a connection that exists
        setattr(reservoir, name, value)
        got = features(est, X)
        assert_same(got, uncached(est, X, monkeypatch))
        assert not np.array_equal(got, before), name


@pytest.mark.parametrize("cls", NOT_CACHED, ids=lambda c: c.__name__)
def test_other_estimators_never_use_the_cache(cls, X):
    """The per-step and NG-RC estimators do not cache features, so no parameter
    of theirs can make the cache serve a stale row (their keys need no entry
    in VARIANTS)."""
    est = cls()
    if "n_reservoir" in est.get_params():
        est.set_params(n_reservoir=20, random_state=0)
    if hasattr(est, "update"):  # a forecaster: one series
        series = np.concatenate(X)[:, 1]
        est.set_params(washout=5).fit(series).predict(3)
    elif hasattr(est, "transform"):
        est.fit(X).transform(X)
    else:
        est.set_params(washout=2).fit(X, [s[:, 1] for s in X]).predict(X)
    assert len(_cache.FEATURES) == 0
