"""Regression tests for defects found by probing: each failed before its fix."""

import pickle
import tracemalloc
import warnings

import numpy as np
import pytest
from joblib import Parallel, delayed
from threadpoolctl import threadpool_info

from sklearn_lnn import (
    EchoStatePropertyWarning,
    InconsistentVersionWarning,
    LNNClassifier,
    LNNRegressor,
    ReservoirTransformer,
)
from sklearn_lnn._engine import _dynamics
from sklearn_lnn._engine._cache import FeatureCache


# (a) every aggregated quantity is guarded against overflow


@pytest.mark.parametrize("dtype, value", [(np.float32, 1e36), (np.float64, 1e306)])
@pytest.mark.parametrize("aggregation", ["mean", "last_mean", "mean_max"])
def test_input_mean_overflow_is_refused(dtype, value, aggregation):
    X = np.full((3, 400, 2), value, dtype=dtype)
    X[:, ::2] *= -0.5  # a mixture, so only the 400-step sum overflows
    X[:, 1::2] = value
    est = ReservoirTransformer(n_reservoir=5, input_scaling=1e-300 if dtype == np.float64 else 1e-30,
                               include_input=True, aggregation=aggregation,
                               random_state=0)
    est.fit(X[:, :2])
    with pytest.raises(ValueError, match="too large.*sum of inputs over 400 steps"):
        est.transform(X)


def test_classifier_on_huge_inputs_says_too_large_not_linalg_error():
    X = np.full((6, 400, 1), 1e36, dtype=np.float32)
    y = [0, 1] * 3
    clf = LNNClassifier(n_reservoir=5, input_scaling=1e-30, include_input=True,
                        aggregation="mean", random_state=0)
    with pytest.raises(ValueError, match="too large"):
        clf.fit(X, y)


def test_readout_standardises_features_near_the_largest_float():
    # inputs that do not overflow anywhere still give a usable readout
    rng = np.random.RandomState(0)
    X = rng.uniform(1, 2, size=(40, 3, 1)) * 1e305
    y = (X[:, -1, 0] > 1.5e305).astype(int)
    clf = LNNClassifier(n_reservoir=5, input_scaling=1e-306, include_input=True,
                        aggregation="last", random_state=0).fit(X, y)
    assert np.isfinite(clf.coef_).all()
    assert clf.score(X, y) > 0.9


# (b) negative sample weights


@pytest.mark.parametrize("Est", [LNNClassifier, LNNRegressor])
@pytest.mark.parametrize("bad", [-1.0, np.nan, np.inf])
def test_invalid_sample_weight_is_a_clear_error(batch3d, Est, bad):
    X = np.concatenate([batch3d] * 3)
    y = np.arange(30) % 2
    w = np.ones(30)
    w[17] = bad
    with pytest.raises(ValueError, match="sample_weight must be finite and >= 0.*sequence 17"):
        Est(n_reservoir=10, random_state=0).fit(X, y, sample_weight=w)


def test_all_zero_sample_weight_is_a_clear_error(batch3d):
    with pytest.raises(ValueError, match="zero for every sequence"):
        LNNRegressor(n_reservoir=10).fit(batch3d, np.arange(10.0), sample_weight=np.zeros(10))


def test_logistic_readout_refuses_negative_weights(batch3d):
    w = np.ones(10)
    w[0] = -1
    with pytest.raises(ValueError, match="sequence 0"):
        LNNClassifier(n_reservoir=10, readout="logistic").fit(
            batch3d, np.arange(10) % 2, sample_weight=w)


# (c) both warning classes survive pickling


def _warnings():
    return [
        InconsistentVersionWarning(estimator_name="LNNClassifier",
                                   current_sklearn_lnn_version="1.0",
                                   original_sklearn_lnn_version="0.0.1"),
        EchoStatePropertyWarning("effective radius 1.3 > 1", 1.3),
    ]


@pytest.mark.parametrize("warning", _warnings(), ids=lambda w: type(w).__name__)
def test_warnings_round_trip_through_pickle(warning):
    copy = pickle.loads(pickle.dumps(warning))
    assert type(copy) is type(warning)
    assert str(copy) == str(warning)
    assert vars(copy) == vars(warning)


def _raise(warning):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warnings.warn(warning)


@pytest.mark.parametrize("warning", _warnings(), ids=lambda w: type(w).__name__)
def test_warning_raised_in_a_worker_reaches_the_parent(warning):
    with pytest.raises(type(warning), match=str(warning)[:20]):
        Parallel(n_jobs=2, backend="loky")(delayed(_raise)(warning) for _ in range(2))


# (d) the cache bound counts what the cache holds


@pytest.mark.parametrize("width, dtype", [(1, np.float64), (4, np.float64),
                                          (30, np.float32), (500, np.float64)])
def test_cache_byte_count_matches_allocated_memory(width, dtype):
    rows = np.random.RandomState(0).normal(size=(20_000, width)).astype(dtype)
    cache = FeatureCache(max_bytes=2**40)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        keys = [i.to_bytes(16, "little") for i in range(len(rows))]
        cache.put(b"m" * 16, keys, rows)
        del keys
        held = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert 0.8 <= held / cache.nbytes <= 1.05


def test_cache_never_holds_more_than_its_bound():
    rows = np.ones((5_000, 2))
    cache = FeatureCache(max_bytes=200_000)
    for start in range(0, 5_000, 100):
        cache.put(b"m" * 16, [i.to_bytes(16, "little") for i in range(start, start + 100)],
                  rows[start:start + 100])
        assert cache.nbytes <= 200_000
    # about 200 bytes per two-float entry: far fewer rows than 200_000 / 16
    assert 400 <= len(cache) <= 1_000


# (e) small per-step products run on one BLAS thread


def _blas_threads():
    return max(info["num_threads"] for info in threadpool_info()
               if info["user_api"] == "blas")


@pytest.mark.parametrize("n_sequences, n_reservoir, single", [
    (3, 500, True), (1, 100, True), (256, 100, False), (20, 500, False),
])
def test_small_products_run_single_threaded(monkeypatch, n_sequences, n_reservoir, single):
    seen = []
    original = _dynamics._leaky_tanh_

    def recording(*args):
        if not seen:
            seen.append(_blas_threads())
        return original(*args)

    monkeypatch.setattr(_dynamics, "_leaky_tanh_", recording)
    threads_before = _blas_threads()
    X = np.random.RandomState(0).normal(size=(n_sequences, 4, 2))
    ReservoirTransformer(n_reservoir=n_reservoir, random_state=0).fit(X).transform(X)
    assert seen == [1 if single else threads_before]
    assert _blas_threads() == threads_before  # restored afterwards
