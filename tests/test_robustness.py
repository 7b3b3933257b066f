"""Reliability: generated bad inputs, numerical extremes, degenerate parameters,
long inputs in bounded memory, persistence and concurrent inference."""

import threading
import tracemalloc
import warnings

import joblib
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sklearn_lnn._engine._cache import FEATURES
from sklearn_lnn import (
    EchoStatePropertyWarning,
    InconsistentVersionWarning,
    LNNClassifier,
    LNNRegressor,
    ReservoirTransformer,
    __version__,
)

ESTIMATORS = [ReservoirTransformer, LNNClassifier, LNNRegressor]
ALLOWED = (ValueError, TypeError)

DTYPES = [np.bool_, np.int8, np.int64, np.uint16, np.float16, np.float32,
          np.float64, np.complex128, np.dtype("U3"), np.dtype(object)]


def _objects():
    return st.one_of(st.integers(-5, 5), st.floats(allow_nan=True),
                     st.text(max_size=2), st.none())


@st.composite
def arrays(draw):
    dtype = draw(st.sampled_from(DTYPES))
    shape = draw(hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5))
    if dtype == np.dtype(object):
        elements = _objects()
    elif np.dtype(dtype).kind == "f":
        elements = st.one_of(st.floats(width=16 if dtype == np.float16 else 32,
                                       allow_nan=True, allow_infinity=True),
                             st.sampled_from([1e30, -1e30, 1e-30, 0.0]))
    else:
        elements = None
    return draw(hnp.arrays(dtype, shape, elements=elements))


@st.composite
def sequence_lists(draw):
    """Ragged lists, sometimes with mismatched feature counts or scalars mixed in."""
    n = draw(st.integers(0, 4))
    items = []
    for _ in range(n):
        kind = draw(st.sampled_from(["seq", "seq", "scalar", "1d", "empty"]))
        if kind == "seq":
            d = draw(st.integers(1, 3))
            items.append(draw(hnp.arrays(np.float64, (draw(st.integers(1, 6)), d),
                                         elements=st.floats(-1e30, 1e30))))
        elif kind == "scalar":
            items.append(draw(st.floats(allow_nan=True)))
        elif kind == "1d":
            items.append(np.arange(draw(st.integers(0, 4)), dtype=float))
        else:
            items.append(np.empty((0, 2)))
    return items


@st.composite
def frames(draw):
    n_rows, n_cols = draw(st.integers(0, 4)), draw(st.integers(1, 4))
    columns = {}
    for j in range(n_cols):
        kind = draw(st.sampled_from(["float", "str", "cat", "bool"]))
        if kind == "float":
            columns[f"c{j}"] = draw(st.lists(st.floats(allow_nan=True),
                                             min_size=n_rows, max_size=n_rows))
        elif kind == "str":
            columns[f"c{j}"] = draw(st.lists(st.text(max_size=2),
                                             min_size=n_rows, max_size=n_rows))
        elif kind == "cat":
            columns[f"c{j}"] = pd.Categorical(["a", "b"] * n_rows)[:n_rows]
        else:
            columns[f"c{j}"] = [True] * n_rows
    return pd.DataFrame(columns)


def _n_samples(X):
    try:
        return len(X)
    except TypeError:
        return 2


def _check_call(fn, n_out):
    """Either a finite float array with n_out rows, or a clear ValueError/TypeError."""
    try:
        out = fn()
    except ALLOWED as exc:
        assert len(str(exc)) > 15, f"unhelpful message: {exc!r}"
        return None
    out = np.asarray(out)
    assert out.shape[0] == n_out
    if out.dtype.kind == "f":
        assert np.isfinite(out).all(), "non-finite output"
    return out


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(X=st.one_of(arrays(), sequence_lists(), frames()),
       Est=st.sampled_from(ESTIMATORS))
def test_generated_inputs_give_finite_output_or_clear_errors(X, Est):
    est = Est(n_reservoir=5, random_state=0)
    n = _n_samples(X)
    y = np.arange(n) % 2
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # feature-name and conversion warnings
        try:
            est.fit(X, y)
        except ALLOWED as exc:
            assert len(str(exc)) > 15, f"unhelpful message: {exc!r}"
            return
        for method in ("transform", "predict", "predict_proba", "decision_function"):
            if hasattr(est, method):
                result = _check_call(lambda: getattr(est, method)(X), n)
                if result is not None and method == "transform":
                    assert result.dtype in (np.float32, np.float64)
                if result is not None and method == "predict_proba":
                    np.testing.assert_allclose(result.sum(axis=1), 1.0)


@settings(max_examples=25, deadline=None, derandomize=True)
@given(scale=st.sampled_from([1e-30, 1.0, 1e6, 1e30]),
       dtype=st.sampled_from([np.float32, np.float64]),
       radius=st.sampled_from([0.0, 0.9, 3.0, 10.0]))
def test_extreme_scales_keep_states_finite(scale, dtype, radius):
    X = (np.random.RandomState(0).normal(size=(3, 12, 2)) * scale).astype(dtype)
    est = ReservoirTransformer(n_reservoir=15, spectral_radius=radius,
                               input_scaling=1e6 if scale < 1e30 else 1.0,
                               random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EchoStatePropertyWarning)
        try:
            features = est.fit(X).transform(X)
        except ValueError as exc:  # only the overflow guard may refuse
            assert "too large" in str(exc)
            assert dtype == np.float32
            return
    assert features.dtype == dtype
    assert np.isfinite(features).all() and np.abs(features).max() <= 1.0


def test_float32_overflow_is_refused_not_nan():
    X = np.full((2, 4, 3), 1e37, dtype=np.float32)
    est = ReservoirTransformer(n_reservoir=5, input_scaling=10.0, random_state=0).fit(X)
    with pytest.raises(ValueError, match="too large.*float64"):
        est.transform(X)
    assert np.isfinite(est.transform(X.astype(np.float64))).all()


@pytest.mark.parametrize("radius, leak, warns", [(0.9, 1.0, False), (1.0, 0.3, False),
                                                 (1.5, 1.0, True), (3.0, 0.2, True)])
def test_echo_state_warning_names_the_effective_radius(batch3d, radius, leak, warns):
    est = ReservoirTransformer(n_reservoir=40, spectral_radius=radius,
                               leak_rate=leak, random_state=0)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        est.fit(batch3d)
    esp = [w for w in caught if issubclass(w.category, EchoStatePropertyWarning)]
    assert len(esp) == (1 if warns else 0)
    if warns:
        W = est.recurrent_weights_
        expected = np.abs(np.linalg.eigvals((1 - leak) * np.eye(40) + leak * W)).max()
        assert esp[0].message.effective_spectral_radius == pytest.approx(expected)
        assert f"{expected:.4g}" in str(esp[0].message)


@pytest.mark.parametrize("params", [
    {"n_reservoir": 1}, {"density": 1e-6}, {"spectral_radius": 0.0},
    {"leak_rate": 1.0}, {"n_reservoir": 1, "density": 1e-6},
])
@pytest.mark.parametrize("Est", [LNNClassifier, LNNRegressor])
def test_degenerate_parameters_still_fit_and_predict(batch3d, params, Est):
    y = np.arange(10) % 2
    est = Est(random_state=0, **{"n_reservoir": 10, **params}).fit(batch3d, y)
    pred = est.predict(batch3d)
    assert pred.shape == (10,)
    if Est is LNNRegressor:
        assert np.isfinite(pred).all()


def test_single_sequence():
    X = np.random.RandomState(0).normal(size=(1, 5, 2))
    with pytest.raises(ValueError, match="at least 2 classes"):
        LNNClassifier(n_reservoir=5).fit(X, [1])
    reg = LNNRegressor(n_reservoir=5, random_state=0).fit(X, [3.0])
    np.testing.assert_allclose(reg.predict(X), [3.0])
    assert ReservoirTransformer(n_reservoir=5).fit_transform(X).shape == (1, 10)


def _peak_bytes(fn):
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("difference", [False, True])
@pytest.mark.parametrize("shape", [(1, 1_000_000, 1), (100_000, 10, 1)],
                         ids=["one-long-sequence", "many-short-sequences"])
def test_long_inputs_transform_in_bounded_memory(shape, difference):
    X = np.random.RandomState(0).uniform(-1, 1, size=shape)
    est = ReservoirTransformer(n_reservoir=8, aggregation="mean", random_state=0,
                               include_difference=difference).fit(X[:2])
    out_bytes = shape[0] * 8 * 8
    peak = _peak_bytes(lambda: est.transform(X))
    # all states of all steps would be n_steps * 8 units * 8 bytes = 64 MB; the
    # difference channel costs one copy of the input with twice the channels
    inputs = X.nbytes * (3 if difference else 1)
    assert peak <= inputs + out_bytes + 16 * 2**20, peak / 2**20


def test_version_mismatch_warns(tmp_path, batch3d):
    est = LNNRegressor(n_reservoir=10, random_state=0).fit(batch3d, np.arange(10.0))
    state = est.__getstate__()
    assert state["_sklearn_lnn_version"] == __version__
    joblib.dump(est, tmp_path / "now.joblib")
    with warnings.catch_warnings():
        warnings.simplefilter("error", InconsistentVersionWarning)
        joblib.load(tmp_path / "now.joblib")  # same version: silent
    state["_sklearn_lnn_version"] = "0.0.1"  # a fabricated old stamp
    old = LNNRegressor.__new__(LNNRegressor)
    with pytest.warns(InconsistentVersionWarning, match="from sklearn_lnn version "
                      "0.0.1 when using version") as record:
        old.__setstate__(state)
    assert record[0].message.original_sklearn_lnn_version == "0.0.1"
    assert "_sklearn_lnn_version" not in vars(old)
    np.testing.assert_array_equal(old.predict(batch3d), est.predict(batch3d))


@pytest.mark.parametrize("Est", ESTIMATORS)
def test_skops_round_trip(tmp_path, ragged, Est):
    sio = pytest.importorskip("skops.io")
    y = np.arange(len(ragged)) % 3
    est = Est(n_reservoir=12, density=0.5, random_state=0).fit(ragged, y)
    method = "transform" if Est is ReservoirTransformer else "predict"
    sio.dump(est, tmp_path / "model.skops")
    untrusted = sio.get_untrusted_types(file=tmp_path / "model.skops")
    assert set(untrusted) <= set(TRUSTED_SKOPS_TYPES), untrusted
    loaded = sio.load(tmp_path / "model.skops", trusted=untrusted)
    np.testing.assert_array_equal(getattr(loaded, method)(ragged),
                                  getattr(est, method)(ragged))


#: The types a skops file of our estimators holds beyond skops' defaults; the
#: persistence docs list the same.
TRUSTED_SKOPS_TYPES = [
    "sklearn_lnn._estimators._lnn.LNNClassifier",
    "sklearn_lnn._estimators._lnn.LNNRegressor",
    "sklearn_lnn._estimators._reservoir.ReservoirTransformer",
]


@pytest.mark.parametrize("Est", [LNNClassifier, LNNRegressor])
def test_concurrent_predict_matches_serial(Est, monkeypatch):
    """Eight threads predict through the feature cache at once: rows are
    stored, served and evicted concurrently, and every result is the serial one."""
    rng = np.random.RandomState(0)
    X = [rng.normal(size=(n, 3)) for n in rng.randint(5, 40, size=300)]
    y = np.arange(300) % 3
    FEATURES.clear()
    est = Est(n_reservoir=80, random_state=0).fit(X, y)
    assert len(FEATURES) == 300  # the cache is engaged for these sizes
    FEATURES.clear()
    serial = est.predict(X)
    FEATURES.clear()
    # room for about half the rows, so threads also evict each other's rows
    monkeypatch.setattr(FEATURES, "max_bytes", 150 * 2 * 80 * 8 + 150 * 400)
    results, errors = [None] * 8, []
    barrier = threading.Barrier(8)

    def work(i):
        try:
            barrier.wait()
            # a different third per thread: rows fit in the cache, are
            # served to other threads and evicted by them
            order = np.random.RandomState(i).permutation(300)[:100]
            results[i] = (order, est.predict([X[j] for j in order]))
        except Exception as exc:  # collected and re-raised below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert 0 < FEATURES.nbytes <= FEATURES.max_bytes
    for order, result in results:
        np.testing.assert_allclose(result, serial[order], rtol=1e-10, atol=1e-12) \
            if Est is LNNRegressor else np.testing.assert_array_equal(result, serial[order])
