"""Hostile inputs on the newer surfaces (issue 26): diagnostics, config,
SequenceScaler, partial_fit, the distributed fit, the step regressor.

Every rejected input gets a ValueError / TypeError / NotFittedError whose
message names the argument, and a refused call changes nothing (state,
cache, configuration).
"""

import threading

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

import sklearn_lnn
from sklearn_lnn import (
    LNNClassifier,
    LNNForecaster,
    LNNForecasterCV,
    LNNRegressor,
    NGRCForecaster,
    ReservoirTransformer,
)
from sklearn_lnn.diagnostics import effective_spectral_radius, memory_capacity

# -- diagnostics -----------------------------------------------------------------


@pytest.mark.parametrize("form", ["tabular", "3d", "list"])
def test_memory_capacity_of_every_input_form(form):
    """A model fitted on the 2D (n_sequences, n_steps) form crashed."""
    X = np.random.RandomState(0).normal(size=(20, 30))
    Xf = {"tabular": X, "3d": X[:, :, None], "list": [x[:, None] for x in X]}[form]
    est = ReservoirTransformer(n_reservoir=30, random_state=0).fit(Xf)
    ref = ReservoirTransformer(n_reservoir=30, random_state=0).fit(X[:, :, None])
    mc = memory_capacity(est, n_steps=1500, random_state=0)
    assert mc == pytest.approx(memory_capacity(ref, n_steps=1500, random_state=0), rel=1e-9)
    assert 1.0 < mc <= 30


@pytest.mark.parametrize("units", [1e-6, 1e6])
def test_memory_capacity_does_not_depend_on_the_training_units(units):
    """The probe drives the reservoir in its standardised units: the same
    weights measure the same capacity whatever units they were fitted in
    (4.47 on X and 9.79 on X x 1e6 before)."""
    X = np.random.RandomState(0).normal(size=(20, 30, 2)) + [3.0, -1.0]
    ref = LNNRegressor(n_reservoir=30, random_state=0).fit(X, X[:, -1, 0])
    scaled = LNNRegressor(n_reservoir=30, random_state=0).fit(units * X, X[:, -1, 0])
    assert memory_capacity(scaled, n_steps=1500, random_state=0) == pytest.approx(
        memory_capacity(ref, n_steps=1500, random_state=0), rel=1e-6)


def test_memory_capacity_probe_is_in_standardised_units():
    """Input 0 is input_mean_[0] + input_scale_[0] * u, the others at their
    means: with the standardisation undone by hand, a reservoir fitted
    without it measures the same."""
    from sklearn_lnn.diagnostics import _states

    X = np.random.RandomState(1).normal(size=(10, 40, 2)) * [2.0, 0.5] + [1.0, 4.0]
    est = ReservoirTransformer(n_reservoir=20, random_state=0).fit(X)
    u = np.random.RandomState(2).uniform(-0.8, 0.8, 50)
    raw = np.tile(est.input_mean_, (1, 50, 1))
    raw[0, :, 0] += est.input_scale_[0] * u
    np.testing.assert_allclose(_states(est, u), est.compute_states(raw)[0], rtol=1e-12)


def test_diagnostics_of_ngrc_say_there_is_no_reservoir():
    model = NGRCForecaster().fit(np.sin(0.1 * np.arange(200)))
    for diagnose in (effective_spectral_radius, memory_capacity):
        with pytest.raises(TypeError, match="NGRCForecaster has no recurrent reservoir"):
            diagnose(model)


@pytest.mark.parametrize("Est", [ReservoirTransformer, LNNClassifier, LNNForecaster,
                                 NGRCForecaster])
def test_diagnostics_of_an_unfitted_model_say_not_fitted(Est):
    for diagnose in (effective_spectral_radius, memory_capacity):
        with pytest.raises(NotFittedError):
            diagnose(Est())


@pytest.mark.parametrize("kwargs, name", [
    ({"max_delay": 0}, "max_delay"), ({"max_delay": 2.5}, "max_delay"),
    ({"washout": -5}, "washout"), ({"n_steps": 0}, "n_steps"),
    ({"test_fraction": 1.0}, "test_fraction"), ({"input_range": 0}, "input_range"),
    ({"max_delay": 10, "n_steps": 30}, "n_steps"),
])
def test_memory_capacity_refuses_bad_arguments_by_name(kwargs, name):
    est = ReservoirTransformer(n_reservoir=10, random_state=0).fit(np.zeros((1, 3, 1)))
    with pytest.raises(ValueError, match=name):
        memory_capacity(est, **kwargs)


def test_memory_capacity_of_a_forecaster_reservoir():
    model = LNNForecaster(n_reservoir=30, random_state=0).fit(np.sin(0.1 * np.arange(300)))
    assert 0 < memory_capacity(model, n_steps=1500, random_state=0) <= 30


# -- configuration -----------------------------------------------------------------

DEFAULT_BYTES = 256 * 2**20


def test_overlapping_config_contexts_each_remove_their_own_setting():
    """Two blocks that overlap (entered A, B; left A, B): leaving A keeps B's
    setting, leaving B restores the default; a snapshot restore left the
    cache switched off for good."""
    a = sklearn_lnn.config_context(feature_cache_bytes=0)
    b = sklearn_lnn.config_context(feature_cache_bytes=1000)
    a.__enter__()
    b.__enter__()
    assert sklearn_lnn.get_config()["feature_cache_bytes"] == 1000
    a.__exit__(None, None, None)
    assert sklearn_lnn.get_config()["feature_cache_bytes"] == 1000
    b.__exit__(None, None, None)
    assert sklearn_lnn.get_config()["feature_cache_bytes"] == DEFAULT_BYTES


def test_config_contexts_in_two_threads_leave_the_cache_on():
    """Thread A enters, B enters, A leaves, B leaves: after both, the cache
    is on (each restoring a full snapshot left it at 0 for good)."""
    from sklearn_lnn._engine._cache import FEATURES

    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def first():
        with sklearn_lnn.config_context(feature_cache_bytes=0):
            a_in.set()
            assert b_in.wait(10)
        a_out.set()

    def second():
        assert a_in.wait(10)
        with sklearn_lnn.config_context(feature_cache_bytes=0):
            b_in.set()
            assert a_out.wait(10)
            seen["inside"] = sklearn_lnn.get_config()["feature_cache_bytes"]

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert seen["inside"] == 0  # B's block still holds after A left
    assert sklearn_lnn.get_config()["feature_cache_bytes"] == DEFAULT_BYTES
    assert FEATURES.max_bytes == DEFAULT_BYTES


def test_set_config_takes_numpy_integers():
    sklearn_lnn.set_config(feature_cache_min_work=np.int64(5000))
    try:
        assert sklearn_lnn.get_config()["feature_cache_min_work"] == 5000
        assert type(sklearn_lnn.get_config()["feature_cache_min_work"]) is int
    finally:
        sklearn_lnn.set_config(feature_cache_min_work=100_000)


@pytest.mark.parametrize("value", [-1, 2.5, True, "10", np.float64(3.0)])
def test_refused_config_changes_nothing(value):
    before = sklearn_lnn.get_config()
    with pytest.raises(ValueError, match="feature_cache_bytes"):
        sklearn_lnn.set_config(feature_cache_bytes=value)
    with pytest.raises(ValueError, match="feature_cache_bytes"):
        with sklearn_lnn.config_context(feature_cache_bytes=value):
            pass
    with pytest.raises(TypeError, match="feature_cache_size"):
        with sklearn_lnn.config_context(feature_cache_size=10):
            pass
    assert sklearn_lnn.get_config() == before


def test_the_config_module_does_not_import_the_cache():
    """The cache reads the setting it acts on; the configuration owns it."""
    import ast
    import inspect

    from sklearn_lnn.utils import _config

    tree = ast.parse(inspect.getsource(_config))
    imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "_cache" not in imported


# -- SequenceScaler ----------------------------------------------------------------


def _scaler_forms():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(6, 12, 2)) * [2.0, 0.1] + [5.0, -1.0]
    return {"3d": X, "list": [x[: 5 + i] for i, x in enumerate(X)], "tabular": X[:, :, 0]}


@pytest.mark.parametrize("form", ["3d", "list", "tabular"])
def test_sequence_scaler_under_a_global_pandas_output(form):
    """A Pipeline with the scaler failed under transform_output="pandas"."""
    import sklearn
    from sklearn.pipeline import make_pipeline

    pd = pytest.importorskip("pandas")
    X = _scaler_forms()[form]
    y = np.arange(len(X)) % 2
    ref = make_pipeline(sklearn_lnn.SequenceScaler(),
                        LNNClassifier(n_reservoir=20, random_state=0)).fit(X, y)
    with sklearn.config_context(transform_output="pandas"):
        out = sklearn_lnn.SequenceScaler().fit_transform(X)
        model = make_pipeline(sklearn_lnn.SequenceScaler(),
                              LNNClassifier(n_reservoir=20, random_state=0)).fit(X, y)
        np.testing.assert_array_equal(model.decision_function(X), ref.decision_function(X))
    plain = sklearn_lnn.SequenceScaler().fit_transform(X)
    if form == "tabular":
        assert isinstance(out, pd.DataFrame)
        np.testing.assert_array_equal(out.to_numpy(), plain)
    else:
        assert type(out) is type(plain)
        np.testing.assert_array_equal(np.concatenate(out), np.concatenate(plain))


def test_sequence_scaler_pandas_output_keeps_the_index_and_names():
    pd = pytest.importorskip("pandas")
    X = pd.DataFrame(_scaler_forms()["tabular"], columns=[f"t{i}" for i in range(12)],
                     index=list("abcdef"))
    out = sklearn_lnn.SequenceScaler().set_output(transform="pandas").fit_transform(X)
    assert list(out.index) == list("abcdef") and list(out.columns) == list(X.columns)


def test_sequence_scaler_set_output_refuses_an_unknown_container():
    with pytest.raises(ValueError, match="transform must be one of"):
        sklearn_lnn.SequenceScaler().set_output(transform="xarray")


@pytest.mark.parametrize("form", ["3d", "list", "tabular"])
def test_sequence_scaler_inverse_transform_round_trips(form):
    X = _scaler_forms()[form]
    scaler = sklearn_lnn.SequenceScaler().fit(X)
    back = scaler.inverse_transform(scaler.transform(X))
    assert type(back) is type(X)
    for a, b in zip(back, X):
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    # the inverse is x * scale_ + mean_ per channel
    Z = scaler.transform(X)
    first = np.asarray(Z[0]).reshape(len(Z[0]), -1)
    np.testing.assert_allclose(np.asarray(scaler.inverse_transform(Z)[0]).reshape(len(Z[0]), -1),
                               first * scaler.scale_ + scaler.mean_, rtol=1e-12)


def test_per_sequence_scaler_has_no_inverse_and_matches_zscore():
    from scipy.stats import zscore

    X = _scaler_forms()["3d"]
    scaler = sklearn_lnn.SequenceScaler(per_sequence=True).fit(X)
    assert not hasattr(scaler, "inverse_transform")
    np.testing.assert_allclose(scaler.transform(X), zscore(X, axis=1), rtol=1e-12)


# -- the distributed fit ------------------------------------------------------------


def _dask_data(n=40):
    da = pytest.importorskip("dask.array")
    rng = np.random.RandomState(0)
    X = rng.normal(size=(n, 10, 2))
    return da, X, da.from_array(X, chunks=(15, 10, 2)), X[:, -1, 0]


@pytest.mark.parametrize("Est, y, w, match", [
    (LNNRegressor, "nan", None, "y"),
    (LNNRegressor, "signal", "zeros", "sample_weight"),
    (LNNRegressor, "signal", "negative", "sample_weight"),
    (LNNClassifier, "one-class", None, "at least 2 classes"),
    (LNNClassifier, "continuous", None, "Unknown label type"),
])
def test_distributed_fit_refuses_what_a_local_fit_refuses(Est, y, w, match):
    from sklearn_lnn import parallel

    da, X, Xd, signal = _dask_data()
    targets = {"nan": np.where(np.arange(len(X)) == 3, np.nan, signal), "signal": signal,
               "one-class": np.zeros(len(X), int), "continuous": signal}[y]
    weights = {None: None, "zeros": np.zeros(len(X)),
               "negative": np.r_[-1.0, np.ones(len(X) - 1)]}[w]
    with pytest.raises(ValueError, match=match):
        Est(n_reservoir=10).fit(X, targets, sample_weight=weights)
    est = Est(n_reservoir=10)
    with pytest.raises(ValueError, match=match):
        parallel.fit(est, Xd, targets, sample_weight=weights)
    assert not hasattr(est, "reservoir_")


@pytest.mark.parametrize("what", ["fit", "predict", "transform"])
def test_parallel_refuses_other_estimators_by_name(what):
    from sklearn_lnn import LNNStepRegressor, parallel

    _, X, Xd, signal = _dask_data()
    est = LNNStepRegressor(n_reservoir=10).fit(X, X[:, :, 0])
    call = {"fit": lambda: parallel.fit(LNNStepRegressor(n_reservoir=10), Xd, signal),
            "predict": lambda: parallel.predict(est, Xd),
            "transform": lambda: parallel.transform(est, Xd)}[what]
    with pytest.raises(TypeError, match=f"parallel.{what} takes .*LNNStepRegressor"):
        call()


@pytest.mark.parametrize("what", ["predict", "transform"])
def test_parallel_on_an_unfitted_model_says_not_fitted(what):
    from sklearn_lnn import parallel

    _, _, Xd, _ = _dask_data()
    est = ReservoirTransformer() if what == "transform" else LNNRegressor()
    with pytest.raises(NotFittedError):
        getattr(parallel, what)(est, Xd)


# -- partial_fit and verbose ---------------------------------------------------------


@pytest.mark.parametrize("Est", [LNNClassifier, LNNRegressor])
@pytest.mark.parametrize("change", [{"n_reservoir": 20}, {"aggregation": "last"},
                                    {"leak_rate": 0.3}, {"random_state": 1}])
def test_partial_fit_after_a_changed_reservoir_parameter_is_refused(Est, change):
    import pickle

    rng = np.random.RandomState(0)
    X = rng.normal(size=(30, 8, 2))
    y = (X[:, -1, 0] > 0).astype(int) if Est is LNNClassifier else X[:, -1, 0]
    kwargs = {"classes": [0, 1]} if Est is LNNClassifier else {}
    model = Est(n_reservoir=10, random_state=0).partial_fit(X[:15], y[:15], **kwargs)
    before = pickle.dumps(model)
    model.set_params(**change)
    name = next(iter(change))
    with pytest.raises(ValueError, match=f"{name}=.*drawn with {name}="):
        model.partial_fit(X[15:], y[15:])
    model.set_params(**{name: Est(n_reservoir=10, random_state=0).get_params()[name]})
    assert pickle.dumps(model) == before  # refused: nothing changed
    model.set_params(alpha=3.0, verbose=1)  # readout and reporting may change
    model.partial_fit(X[15:], y[15:])


def test_verbose_progress_names_the_estimator_and_stays_quiet_in_predict(capsys):
    X = np.random.RandomState(0).normal(size=(30, 8, 2))
    y = np.arange(30) % 2
    model = LNNClassifier(n_reservoir=10, verbose=1, random_state=0).fit(X, y)
    out = capsys.readouterr().out
    assert "[LNNClassifier] fit:" in out and "ReservoirTransformer" not in out
    model.predict(X)
    model.predict_proba(X)
    assert capsys.readouterr().out == ""
    model.partial_fit(X, y)
    assert "[LNNClassifier] partial_fit:" in capsys.readouterr().out


# -- the step regressor's scoring ---------------------------------------------------


def _step_data():
    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(24, 30, 2))
    Y = np.stack([np.roll(X[:, :, 0], 2, axis=1), X[:, :, 1] ** 2], axis=-1)
    return X, Y


@pytest.mark.parametrize("weighted", [False, True])
def test_step_scorer_r2_equals_score(weighted):
    from sklearn_lnn import LNNStepRegressor
    from sklearn_lnn.utils import step_scorer

    X, Y = _step_data()
    w = np.random.RandomState(1).uniform(0.2, 3, 8) if weighted else None
    model = LNNStepRegressor(n_reservoir=20, washout=6, random_state=0).fit(X[:16], Y[:16])
    assert step_scorer("r2")(model, X[16:], Y[16:], w) == pytest.approx(
        model.score(X[16:], Y[16:], sample_weight=w), rel=1e-12)
    pred = model.predict(X[16:])[:, 6:].reshape(-1, 2)
    mse = np.mean((pred - Y[16:, 6:].reshape(-1, 2)) ** 2)
    assert step_scorer("neg_mean_squared_error")(model, X[16:], Y[16:]) == pytest.approx(-mse)


def test_grid_search_with_the_step_scorer_ranks_as_score():
    from sklearn.model_selection import GridSearchCV

    from sklearn_lnn import LNNStepRegressor
    from sklearn_lnn.utils import step_scorer

    X, Y = _step_data()
    grid = {"leak_rate": [0.2, 0.6, 1.0], "washout": [0, 8]}
    search = lambda scoring: GridSearchCV(  # noqa: E731
        LNNStepRegressor(n_reservoir=20, random_state=0), grid, cv=3, scoring=scoring
    ).fit(X, Y)
    default, ours = search(None), search(step_scorer("r2"))
    np.testing.assert_allclose(ours.cv_results_["mean_test_score"],
                               default.cv_results_["mean_test_score"], rtol=1e-12)


def test_step_scorer_refuses_unknown_metrics_and_estimators():
    from sklearn_lnn.utils import step_scorer

    with pytest.raises(ValueError, match="metric must be one of"):
        step_scorer("accuracy")
    X, Y = _step_data()
    model = LNNRegressor(n_reservoir=10).fit(X, Y[:, -1, 0])
    with pytest.raises(TypeError, match="per-step estimators"):
        step_scorer()(model, X, Y[:, -1, 0])


@pytest.mark.parametrize("change", [{"washout": 0}, {"squared_states": True},
                                    {"n_reservoir": 7}])
def test_step_regressor_predict_and_score_read_fitted_values_only(change):
    from sklearn_lnn import LNNStepRegressor

    X, Y = _step_data()
    model = LNNStepRegressor(n_reservoir=20, washout=6, random_state=0).fit(X, Y)
    pred, score = model.predict(X), model.score(X, Y)
    model.set_params(**change)
    np.testing.assert_array_equal(model.predict(X), pred)
    assert model.score(X, Y) == score


# -- persistence: the documented skops types ---------------------------------------


def _fitted_variants():
    from sklearn_lnn import LNNStepRegressor, NGRCTransformer, SequenceScaler

    rng = np.random.RandomState(0)
    X = rng.normal(size=(20, 70, 1))
    y = np.arange(20) % 2
    t = np.sin(0.1 * np.arange(300))
    # seeded: an unseeded search chose its spectral radius anew in every run
    return [
        LNNClassifier(n_reservoir=10, random_state=0).fit(X, y),
        LNNClassifier(n_reservoir=10, readout="logistic", neuron="liquid",
                      random_state=0).fit(X, y),
        LNNRegressor(n_reservoir=10, bidirectional=True, random_state=0).fit(X, X[:, -1, 0]),
        ReservoirTransformer(n_reservoir=10, random_state=0).fit(X[:, :, 0]),
        LNNStepRegressor(n_reservoir=10, squared_states=True, random_state=0).fit(X, X[:, :, 0]),
        LNNForecaster(n_reservoir=10, season=12, random_state=0).fit(np.c_[t, t ** 2]),
        LNNForecaster(n_reservoir=10, difference="series", random_state=0).fit([t, t[:200]]),
        NGRCForecaster().fit(t),
        LNNForecasterCV(n_reservoir=10, param_grid={"leak_rate": [0.5]}, random_state=0).fit(t),
        NGRCTransformer().fit(X),
        SequenceScaler().fit(X),
        SequenceScaler(per_sequence=True).fit(X),
    ]


def test_skops_files_hold_only_the_documented_types():
    sio = pytest.importorskip("skops.io")
    import pathlib
    import re

    from sklearn_lnn.utils import all_estimators, skops_trusted_types

    page = pathlib.Path(__file__).parent.parent / "docs" / "persistence.rst"
    documented = re.findall(r"^\* ``(sklearn_lnn\.[\w.]+)``$", page.read_text(), re.M)
    assert sorted(documented) == skops_trusted_types()
    seen = set()
    for model in _fitted_variants():
        untrusted = set(sio.get_untrusted_types(data=sio.dumps(model)))
        assert untrusted <= set(documented), (type(model).__name__, untrusted)
        seen |= untrusted
    assert seen == set(documented)  # every documented type is needed
    assert len(all_estimators()) == len(documented)


# -- model size: the readout statistics kept only when asked -------------------------


def test_default_digits_model_file_is_at_least_3x_smaller():
    import pickle

    from sklearn_lnn.datasets import load_digits_sequences

    X, y = load_digits_sequences(return_X_y=True)  # more sequences than features
    small = LNNClassifier(random_state=0).fit(X, y)
    large = LNNClassifier(random_state=0, keep_statistics=True).fit(X, y)
    loaded = pickle.loads(pickle.dumps(small))
    assert len(pickle.dumps(large)) >= 3 * len(pickle.dumps(small))
    np.testing.assert_array_equal(loaded.decision_function(X), large.decision_function(X))
    assert loaded.alpha_ == large.alpha_
    with pytest.raises(ValueError, match="keep_statistics=True"):
        loaded.partial_fit(X[:10], y[:10])
    small.partial_fit(X[:10], y[:10])  # in memory the statistics are there


@pytest.mark.parametrize("Est", [LNNClassifier, LNNRegressor])
@pytest.mark.parametrize("how", ["pickle", "skops"])
def test_kept_statistics_continue_exactly_after_loading(Est, how):
    import pickle

    rng = np.random.RandomState(0)
    X = rng.normal(size=(60, 12, 2))
    y = (X[:, -1, 0] > 0).astype(int) if Est is LNNClassifier else X[:, -1, 0]
    params = dict(n_reservoir=30, standardize=False, aggregation="last_mean",
                  random_state=0, keep_statistics=True)
    model = Est(**params).fit(X[:40], y[:40])
    if how == "pickle":
        model = pickle.loads(pickle.dumps(model))
    else:
        sio = pytest.importorskip("skops.io")
        data = sio.dumps(model)
        model = sio.loads(data, trusted=sio.get_untrusted_types(data=data))
    model.partial_fit(X[40:], y[40:])
    whole = Est(**params).fit(X, y)
    scale = np.abs(whole.coef_).max()
    np.testing.assert_allclose(model.coef_, whole.coef_, rtol=1e-8, atol=1e-8 * scale)
    np.testing.assert_allclose(model.intercept_, whole.intercept_, rtol=1e-8,
                               atol=1e-8 * scale)


def test_a_model_learning_online_saves_its_statistics():
    import pickle

    rng = np.random.RandomState(0)
    X = rng.normal(size=(40, 10, 2))
    y = X[:, -1, 0]
    model = LNNRegressor(n_reservoir=20, random_state=0).partial_fit(X[:20], y[:20])
    model = pickle.loads(pickle.dumps(model))  # as dask-ml's Incremental ships it
    model.partial_fit(X[20:], y[20:])
    ref = LNNRegressor(n_reservoir=20, random_state=0).partial_fit(X[:20], y[:20])
    np.testing.assert_allclose(model.coef_, ref.partial_fit(X[20:], y[20:]).coef_,
                               rtol=1e-12)


# -- forecasters and the step regressor: refused inputs name the argument -------------

_T = np.arange(200)
_Y, _X = np.sin(0.1 * _T), np.cos(0.05 * _T)[:, None]
_NAN_AT_50 = np.r_[_Y[:50], np.nan, _Y[51:]]

FORECAST_FITS = [
    ("y", lambda M: M.fit(_NAN_AT_50)),
    ("X", lambda M: M.fit(_Y, X=np.r_[_X[:50], [[np.inf]], _X[51:]])),
    ("X", lambda M: M.fit(_Y, X=_X[:100])),
    ("y", lambda M: M.fit(_Y[None, :, None][None])),
    ("y", lambda M: M.fit(np.array(["a"] * 200))),
    ("y", lambda M: M.fit(_Y + 1j)),
]
FORECAST_CALLS = [
    ("n_steps", lambda M: M.predict(0, X=_X[:0])),
    ("n_steps", lambda M: M.predict(2.5, X=_X[:2])),
    ("X", lambda M: M.predict(5)),
    ("X", lambda M: M.predict(5, X=_X[:3])),
    ("X", lambda M: M.predict(2, X=np.array([[np.nan], [1.0]]))),
    ("y", lambda M: M.update(np.array([np.nan, 1.0]), X=_X[:2])),
    ("X", lambda M: M.update(_Y[:2], X=np.ones((2, 2)))),
    ("y", lambda M: M.update(_Y[:0], X=_X[:0])),
    ("y", lambda M: M.update(np.c_[_Y[:2], _Y[:2]], X=_X[:2])),
]


@pytest.mark.parametrize("Model", [LNNForecaster, NGRCForecaster])
@pytest.mark.parametrize("name, call", FORECAST_FITS + FORECAST_CALLS)
def test_forecaster_refuses_by_name_and_changes_nothing(Model, name, call):
    import pickle

    model = Model(**({"n_reservoir": 20} if Model is LNNForecaster else {}))
    model.fit(_Y, X=_X)
    before = pickle.dumps(model)
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        call(model)
    if (name, call) in FORECAST_CALLS:
        assert pickle.dumps(model) == before


@pytest.mark.parametrize("name, call", [
    ("y", lambda M, X, Y: M.fit(X, Y[:, :-1])),
    ("y", lambda M, X, Y: M.fit(X, np.where(Y > 0.9, np.nan, Y))),
    ("sample_weight", lambda M, X, Y: M.fit(X, Y, sample_weight=-np.ones(len(X)))),
    ("sample_weight", lambda M, X, Y: M.score(X, Y, sample_weight=np.ones(3))),
    ("y", lambda M, X, Y: M.score(X, Y[:, :, None].repeat(2, axis=2))),
    ("washout", lambda M, X, Y: M.set_params(washout=40).fit(X, Y)),
])
def test_step_regressor_refuses_by_name(name, call):
    from sklearn_lnn import LNNStepRegressor

    rng = np.random.RandomState(0)
    X = rng.uniform(-1, 1, size=(10, 30, 1))
    Y = np.roll(X[:, :, 0], 1, axis=1)
    model = LNNStepRegressor(n_reservoir=10, washout=3).fit(X, Y)
    with pytest.raises(ValueError, match=rf"\b{name}\b"):
        call(model, X, Y)
