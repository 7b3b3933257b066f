"""Per-step regression, segmented long-series states and the forecasters."""

import warnings

import joblib
import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV, TimeSeriesSplit, cross_val_score

from sklearn_lnn import LNNForecaster, LNNStepRegressor, NGRCForecaster
from sklearn_lnn._readout._ridge import fit_ridge
from sklearn_lnn._engine._segments import segment_bounds, series_states
from sklearn_lnn.datasets import make_lorenz, make_mackey_glass

from .reference import reference_states


def delayed_task(rng, n=30, T=40, delay=2):
    X = rng.uniform(-1, 1, size=(n, T, 1))
    Y = np.roll(X[:, :, 0], delay, axis=1)
    return X, Y


# -- LNNStepRegressor -------------------------------------------------------------


def test_step_regressor_equals_ridge_on_stacked_states(rng):
    X, Y = delayed_task(rng)
    reg = LNNStepRegressor(n_reservoir=40, washout=3, include_input=True,
                           random_state=0).fit(X, Y)
    states = reg.reservoir_.compute_states(X)
    rows = np.concatenate([np.hstack([h, x])[3:] for h, x in zip(states, X)])
    coef, intercept, alpha = fit_ridge(rows, np.concatenate([y[3:] for y in Y])[:, None])
    assert reg.alpha_ == alpha
    np.testing.assert_allclose(reg.coef_, coef, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(reg.intercept_, intercept, rtol=1e-7, atol=1e-9)
    pred = reg.predict(X)
    np.testing.assert_allclose(pred, np.einsum("ntf,fk->ntk", np.concatenate(
        [states, X], axis=2), coef)[..., 0] + intercept[0], rtol=1e-7, atol=1e-9)


def test_step_regressor_squared_states_is_a_ridge_on_states_inputs_and_squares(rng):
    X, Y = delayed_task(rng)
    reg = LNNStepRegressor(n_reservoir=30, washout=3, include_input=True,
                           squared_states=True, random_state=0).fit(X, Y)
    states = reg.reservoir_.compute_states(X)
    feats = [np.hstack([h, x, h * h]) for h, x in zip(states, X)]
    rows = np.concatenate([f[3:] for f in feats])
    coef, intercept, alpha = fit_ridge(rows, np.concatenate([y[3:] for y in Y])[:, None])
    assert reg.alpha_ == alpha
    np.testing.assert_allclose(reg.coef_, coef, rtol=1e-7, atol=1e-9)
    pred = reg.predict(X)
    np.testing.assert_allclose(pred, np.einsum("ntf,fk->ntk", np.array(feats), coef)[..., 0]
                               + intercept[0], rtol=1e-7, atol=1e-9)
    # the same readout layout as the forecaster's: its closed loop can use it
    assert reg.coef_.shape[0] == 2 * 30 + X.shape[2]


@pytest.mark.parametrize("form", ["3d-2d", "3d-3d", "ragged-1d", "ragged-2d", "univariate"])
def test_step_regressor_input_forms(rng, form):
    X, Y = delayed_task(rng)
    if form == "3d-3d":
        Y = np.stack([Y, -Y], axis=2)
    if form.startswith("ragged"):
        X = [x[: 20 + i % 10] for i, x in enumerate(X)]
        Y = [y[: len(x)] for x, y in zip(X, Y)]
        if form == "ragged-2d":
            Y = [y[:, None] for y in Y]
    if form == "univariate":
        X = X[:, :, 0]
    reg = LNNStepRegressor(n_reservoir=60, leak_rate=1.0, washout=3, random_state=0)
    pred = reg.fit(X, Y).predict(X)
    if form.startswith("ragged"):
        assert isinstance(pred, list)
        assert [p.shape for p in pred] == [np.shape(y) for y in Y]
    else:
        assert pred.shape == np.shape(Y)
    assert reg.score(X, Y) > 0.95


def test_step_regressor_washout_is_left_out_of_fit_and_score(rng):
    X, Y = delayed_task(rng)
    Y_bad = Y.copy()
    Y_bad[:, :5] = 1e6  # garbage during the washout changes nothing
    a = LNNStepRegressor(n_reservoir=30, washout=5, random_state=0).fit(X, Y)
    b = LNNStepRegressor(n_reservoir=30, washout=5, random_state=0).fit(X, Y_bad)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    assert a.score(X, Y) == a.score(X, Y_bad)
    assert a.predict(X[:, :5]).shape == (30, 5)  # warm-up steps are predicted too
    with pytest.raises(ValueError, match="Sequence 0 has 5 steps, but washout=5"):
        a.score(X[:, :5], Y[:, :5])


def test_step_regressor_in_grid_search_and_cross_validation(rng):
    X, Y = delayed_task(rng, n=30)
    reg = LNNStepRegressor(n_reservoir=40, washout=3, standardize=False, random_state=0)
    scores = cross_val_score(reg, X, Y, cv=3)
    assert scores.shape == (3,) and np.all(scores > 0.5)
    search = GridSearchCV(reg, {"leak_rate": [0.2, 1.0], "spectral_radius": [0.5, 0.9]},
                          cv=3).fit(X, Y)
    assert search.best_params_["leak_rate"] == 1.0
    assert search.best_score_ > 0.99


@pytest.mark.parametrize("bad, match", [
    (lambda Y: Y[:, :-1], "has 39 target rows"),
    (lambda Y: Y[:-1], "targets for 29 sequences"),
    (lambda Y: Y[..., None, None], "dimension"),
    (lambda Y: np.where(Y > 0.9, np.nan, Y), "NaN"),
    (lambda Y: None, "required"),
])
def test_step_regressor_bad_targets(rng, bad, match):
    X, Y = delayed_task(rng)
    with pytest.raises(ValueError, match=match):
        LNNStepRegressor(n_reservoir=10).fit(X, bad(Y))


def test_step_regressor_round_trips(tmp_path, rng):
    X, Y = delayed_task(rng)
    reg = LNNStepRegressor(n_reservoir=30, washout=2, random_state=0).fit(X, Y)
    joblib.dump(reg, tmp_path / "m.joblib")
    np.testing.assert_array_equal(joblib.load(tmp_path / "m.joblib").predict(X), reg.predict(X))


# -- segmented states of one long series ----------------------------------------------


@pytest.mark.filterwarnings("ignore::sklearn_lnn.EchoStatePropertyWarning")
@pytest.mark.parametrize("params, dtype, start", [
    ({}, np.float64, 0.1), ({}, np.float64, 0.0), ({"neuron": "liquid"}, np.float64, 0.1),
    ({}, np.float32, 0.1), ({}, np.float32, 0.0),
    ({"spectral_radius": 1.5, "leak_rate": 1.0}, np.float64, 0.1),  # echo state lost
    ({"spectral_radius": 1.5, "leak_rate": 1.0}, np.float64, 0.0),
])
def test_segmented_states_equal_sequential(params, dtype, start):
    from sklearn_lnn import ReservoirTransformer
    from sklearn_lnn._engine._segments import _run

    x = make_mackey_glass(6000, random_state=0)[:, None].astype(dtype)
    x = (x - x.mean()) / x.std()
    est = ReservoirTransformer(n_reservoir=50, include_difference=False, random_state=0,
                               **params).fit(x[None, :5])
    dyn = est._dynamics()
    h0 = np.full(50, start, dtype)  # 0: the probe leads from the zero state
    assert segment_bounds(len(x)).size > 1  # the segmented path is taken
    report = {}
    got = series_states(x, dyn, initial_state=h0, report=report)
    expected = _run([x], dyn, h0[None])[0]
    tol = 1e-10 if dtype == np.float64 else 1e-5
    np.testing.assert_allclose(got, expected, rtol=0, atol=tol)
    assert report["segments"] > 1
    assert 10 < report["overlap"] < 500  # measured by the probe, not assumed
    if "spectral_radius" not in params:  # where forgetting is steady, long enough:
        assert report["passes"] == 1  # every warmed-up start matched at once
    # a given warm-up too short to converge: caught by the check, still exact
    short = {}
    got = series_states(x, dyn, initial_state=h0, overlap=5, report=short)
    np.testing.assert_allclose(got, expected, rtol=0, atol=tol)
    assert short["passes"] > 1
    # against the one-step-at-a-time reference too (float64)
    if dtype == np.float64:
        ref = reference_states(x[:300], est)
        np.testing.assert_allclose(series_states(x[:300], dyn), ref, atol=1e-12)


def test_a_reservoir_that_does_not_forget_runs_sequentially_at_once():
    """The probe does not converge (a slow leak): no batched pass is wasted."""
    from sklearn_lnn import ReservoirTransformer
    from sklearn_lnn._engine._segments import _run

    x = make_mackey_glass(12000, random_state=0)[:, None]
    x = (x - x.mean()) / x.std()
    dyn = ReservoirTransformer(n_reservoir=30, leak_rate=0.01, include_difference=False,
                               random_state=0).fit(x[None, :5])._dynamics()
    report = {}
    got = series_states(x, dyn, report=report)
    assert report == {"overlap": None, "segments": 1, "passes": 1, "sequential": 1}
    np.testing.assert_allclose(got, _run([x], dyn, np.zeros((1, 30)))[0], rtol=0, atol=1e-12)


# -- the forecasters ---------------------------------------------------------------------


def _series(n=900):
    t = np.arange(n)
    return np.column_stack([np.sin(0.2 * t), np.cos(0.13 * t) * 3 + 10])


def naive_forecast(model, n_steps, exog=None):
    """Closed loop written plainly: readout, feed back, one reference step."""
    r = model.reservoir_
    k = model.n_targets_
    h, u = model.state_[0].copy(), model.last_input_[0].copy()
    out = []
    for i in range(n_steps):
        f = np.concatenate([h, u]) if model.include_input else h
        f = np.concatenate([f, h * h]) if model.squared_states else f
        y = f @ model.coef_ + model.intercept_ + (u[:k] if model.difference_ is True else 0.0)
        out.append(y)
        u = np.concatenate([y, exog[i]]) if exog is not None else y
        h = _one_step(r, h, u)
    out = np.array(out) * model.input_scale_[:k] + model.input_mean_[:k]
    if model.difference_ == "series":  # forecast changes summed onto the last value
        out = model.last_value_[0] + np.cumsum(out, axis=0)
    return out


def _one_step(r, h, u):
    W = r.recurrent_weights_
    W = W.toarray() if hasattr(W, "toarray") else W
    z = r.input_weights_ @ u + W @ h + r.bias_
    a, dt = r.leak_rate, r.time_step
    if r.neuron == "liquid":
        g = 2.0 / (1.0 + np.exp(-z))
        return (h + a * dt * g * r.reversal_potentials_) / (
            1.0 + a * dt * (r.decay_rates_ + g))
    leak = 1.0 - (1.0 - a) ** dt
    return (1.0 - leak) * h + leak * np.tanh(z)


@pytest.mark.parametrize("params", [
    {}, {"include_input": False}, {"difference": True}, {"neuron": "liquid"},
    {"time_step": 0.5, "leak_rate": 0.3}, {"exog": True}, {"squared_states": True},
    {"squared_states": True, "include_input": False, "difference": True, "exog": True},
    {"squared_states": True, "neuron": "liquid"}, {"difference": "series"},
    {"difference": "series", "exog": True},
])
def test_closed_loop_equals_plain_loop(params):
    params = {"difference": False, **params}
    exog = params.pop("exog", False)
    y = _series()
    X = np.sin(0.05 * np.arange(len(y)))[:, None] if exog else None
    model = LNNForecaster(n_reservoir=40, random_state=0, **params)
    model.fit(y[:800], None if X is None else X[:800])
    future = None if X is None else X[800:830]
    got = model.predict(30, future)
    expected = naive_forecast(model, 30, None if X is None else
                              (future - model.input_mean_[2:]) / model.input_scale_[2:])
    np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("include_input", [True, False])
def test_squared_states_readout_is_a_ridge_on_states_inputs_and_squares(include_input):
    """coef_ is the ridge fit of the next value on [h_t | u_t | h_t^2] of the
    teacher-forced run after the washout, in that column order."""
    from sklearn_lnn._readout._ridge import fit_ridge

    y = _series()[:300]
    model = LNNForecaster(n_reservoir=20, washout=10, include_input=include_input,
                          squared_states=True, alpha=1e-3, difference=False,
                          random_state=0).fit(y)
    u = (y - model.input_mean_) / model.input_scale_
    r, h, rows = model.reservoir_, np.zeros(20), []
    for t in range(len(u)):
        h = _one_step(r, h, u[t])
        rows.append(np.concatenate([h, u[t], h * h] if include_input else [h, h * h]))
    F = np.array(rows)
    coef, intercept, _ = fit_ridge(F[10:-1], u[11:], alpha=1e-3)
    np.testing.assert_allclose(model.coef_, coef, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(model.intercept_, intercept, rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(model.state_[0], h, rtol=0, atol=1e-12)


def test_forecaster_forecasts_a_smooth_signal():
    y = _series()
    model = LNNForecaster(n_reservoir=200, random_state=0).fit(y[:800])
    forecast = model.predict(50)
    assert forecast.shape == (50, 2)
    scale = y.std(axis=0)
    assert np.abs((forecast - y[800:850]) / scale).max() < 0.05


@pytest.mark.parametrize("Model", [LNNForecaster, NGRCForecaster])
def test_update_equals_fit_on_the_concatenation(Model):
    y = _series()
    params = {"n_reservoir": 40, "random_state": 0} if Model is LNNForecaster else {}
    a = Model(standardize=False, **params).fit(y[:500]).update(y[500:650]).update(y[650:700])
    b = Model(standardize=False, **params).fit(y[:700])
    np.testing.assert_allclose(a.state_, b.state_, rtol=0, atol=1e-10)
    np.testing.assert_array_equal(a.last_input_, b.last_input_)


def test_update_with_standardisation_continues_the_fitted_reservoir():
    y = _series(3000)
    model = LNNForecaster(n_reservoir=40, random_state=0).fit(y[:2000])
    model.update(y[2000:])
    U = (y - model.input_mean_) / model.input_scale_
    states = model.reservoir_.compute_states(U[None])[0]
    np.testing.assert_allclose(model.state_[0], states[-1], rtol=0, atol=1e-10)


@pytest.mark.parametrize("Model", [LNNForecaster, NGRCForecaster])
def test_predict_leaves_the_state_alone_and_bad_updates_change_nothing(Model):
    y = _series()
    model = Model().fit(y[:600]) if Model is NGRCForecaster else Model(
        n_reservoir=30, random_state=0).fit(y[:600])
    state, last = model.state_.copy(), model.last_input_.copy()
    first = model.predict(25)
    np.testing.assert_array_equal(model.predict(25), first)
    for bad in (np.full((3, 2), np.nan), y[:3, :1], [y[:3]], np.zeros((0, 2))):
        with pytest.raises(ValueError):
            model.update(bad)
    np.testing.assert_array_equal(model.state_, state)
    np.testing.assert_array_equal(model.last_input_, last)
    np.testing.assert_array_equal(model.predict(25), first)


# -- difference="series": the model of the changes -----------------------------------


def _trend(n=700):
    t = np.arange(n)
    return np.column_stack([0.01 * t + np.sin(0.2 * t), 5 + 0.02 * t + np.cos(0.13 * t)])


@pytest.mark.parametrize("Model", [LNNForecaster, NGRCForecaster])
@pytest.mark.parametrize("exog", [False, True])
def test_series_of_changes_is_the_model_of_np_diff_summed_back(Model, exog):
    """difference="series" = the forecaster fitted on np.diff(y) (exogenous
    rows of the same steps), its forecast summed onto the last value."""
    y = _trend()
    X = np.sin(0.05 * np.arange(len(y)))[:, None] if exog else None
    # an explicit alpha: "auto" judges the changes model by its summed forecast
    params = ({"n_reservoir": 40, "random_state": 0, "alpha": 1e-3} if Model is LNNForecaster
              else {})
    plain = {"difference": False}
    model = Model(difference="series", **params).fit(y, X)
    by_hand = Model(**plain, **params).fit(np.diff(y, axis=0), None if X is None else X[1:])
    future = None if X is None else np.cos(0.05 * np.arange(30))[:, None]
    np.testing.assert_allclose(model.predict(30, future),
                               y[-1] + np.cumsum(by_hand.predict(30, future), axis=0),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(model.last_value_, y[-1:])
    np.testing.assert_allclose(model.state_, by_hand.state_, rtol=0, atol=1e-12)


@pytest.mark.parametrize("Model", [LNNForecaster, NGRCForecaster])
def test_series_of_changes_update_equals_fit_on_the_concatenation(Model):
    y = _trend()
    params = {"n_reservoir": 40, "random_state": 0} if Model is LNNForecaster else {}
    a = Model(difference="series", standardize=False, **params).fit(y[:500])
    a.update(y[500:650]).update(y[650:])
    b = Model(difference="series", standardize=False, **params).fit(y)
    np.testing.assert_allclose(a.state_, b.state_, rtol=0, atol=1e-10)
    np.testing.assert_allclose(a.last_input_, b.last_input_, rtol=1e-12)
    np.testing.assert_array_equal(a.last_value_, y[-1:])
    # a refused update changes nothing, the last value included
    with pytest.raises(ValueError):
        a.update(np.full((3, 2), np.nan))
    np.testing.assert_array_equal(a.last_value_, y[-1:])


def test_series_of_changes_follows_a_trend_out_of_the_training_range():
    """A trend carries the future beyond every training value: modelling the
    levels cannot follow it, modelling the changes can."""
    t = np.arange(600)
    y = 0.05 * t + np.sin(0.3 * t)
    truth = 0.05 * (600 + np.arange(40)) + np.sin(0.3 * (600 + np.arange(40)))
    levels = LNNForecaster(n_reservoir=100, difference=False, random_state=0).fit(y)
    changes = LNNForecaster(n_reservoir=100, difference="series", random_state=0).fit(y)
    error = lambda p: np.sqrt(np.mean((p - truth) ** 2))
    assert error(changes.predict(40)) < 0.1 * error(levels.predict(40))
    assert error(changes.predict(40)) < 0.2
    # the default sees the end of the training series leave its range: changes
    assert LNNForecaster(n_reservoir=100, random_state=0).fit(y).difference_ == "series"


def _fitted_state(model):
    return {k: v for k, v in vars(model).items() if k.endswith("_") and k != "reservoir_"}


@pytest.mark.parametrize("alpha", ["auto", 1e-4])
def test_difference_auto_is_the_fit_of_the_option_it_chose(alpha):
    """On a long stationary series the default keeps the model of the values,
    and is then exactly that model (nothing left over from the other fit)."""
    y = _series()
    auto = LNNForecaster(n_reservoir=40, alpha=alpha, random_state=0).fit(y)
    assert auto.difference_ is False and auto.washout_ == 50
    chosen = LNNForecaster(n_reservoir=40, alpha=alpha, difference=False, washout=50,
                           random_state=0).fit(y)
    got, expected = _fitted_state(auto), _fitted_state(chosen)
    assert got.keys() - {"difference_", "washout_"} == expected.keys() - {"difference_",
                                                                           "washout_"}
    for key, value in expected.items():
        if key not in ("difference_", "washout_"):
            np.testing.assert_array_equal(got[key], value, err_msg=key)
    np.testing.assert_array_equal(auto.predict(20), chosen.predict(20))


def test_auto_washout_and_short_series():
    """washout="auto": 50 steps, or a tenth of the shortest series."""
    rng = np.random.default_rng(0)
    short = np.cumsum(rng.normal(1.0, 1.0, 30))
    model = LNNForecaster(n_reservoir=50, random_state=0).fit(short)
    assert model.washout_ == 3 and model.difference_ == "series"
    assert np.isfinite(model.predict(6)).all()
    panel = [np.sin(0.2 * np.arange(n)) for n in (120, 700)]
    assert LNNForecaster(n_reservoir=20, random_state=0).fit(panel).washout_ == 12
    assert LNNForecaster(n_reservoir=20, random_state=0).fit(
        [np.sin(0.2 * np.arange(n)) for n in (900, 700)]).washout_ == 50
    assert LNNForecaster(n_reservoir=20, washout=7, random_state=0).fit(panel).washout_ == 7


def test_series_of_changes_needs_one_step_more():
    with pytest.raises(ValueError, match="at least"):
        LNNForecaster(n_reservoir=10, washout=5, difference="series").fit(np.arange(7.0))
    LNNForecaster(n_reservoir=10, washout=5, difference="series").fit(np.arange(8.0))


@pytest.mark.parametrize("Model", [LNNForecaster, NGRCForecaster])
def test_empty_one_dimensional_inputs_are_named_empty(Model):
    """An empty 1-D array is an empty series (shape (0, 1)), refused with
    that message in fit, update and as exogenous inputs."""
    y = np.sin(0.2 * np.arange(300))
    with pytest.raises(ValueError, match=r"y is empty \(shape \(0, 1\)\)"):
        Model().fit(np.array([]))
    model = Model().fit(y, X=np.ones(300))
    with pytest.raises(ValueError, match=r"y is empty \(shape \(0, 1\)\)"):
        model.update(np.array([]), X=np.array([]))
    with pytest.raises(ValueError, match=r"X is empty \(shape \(0, 1\)\)"):
        model.predict(3, X=np.array([]))


@pytest.mark.parametrize("n_steps", [0, -3, 2.5, "3", True])
def test_predict_needs_a_positive_integer_horizon(n_steps):
    model = LNNForecaster(n_reservoir=20, random_state=0).fit(_series()[:300])
    with pytest.raises(ValueError, match="n_steps must be an integer >= 1"):
        model.predict(n_steps)


def test_exogenous_inputs_are_checked():
    y, X = _series()[:300], np.ones((300, 2))
    model = LNNForecaster(n_reservoir=20, random_state=0).fit(y, X)
    with pytest.raises(ValueError, match="fitted with 2 exogenous"):
        model.predict(5)
    with pytest.raises(ValueError, match="3 columns"):
        model.predict(5, np.ones((5, 3)))
    with pytest.raises(ValueError, match="5 rows but the series has 6"):
        model.predict(6, np.ones((5, 2)))
    with pytest.raises(ValueError, match="without exogenous"):
        LNNForecaster(n_reservoir=20).fit(y).predict(5, np.ones((5, 2)))
    with pytest.raises(ValueError, match="washout 50 \\+ 2"):
        LNNForecaster(washout=50).fit(y[:51])


def test_panel_of_series():
    y = _series(700)
    panel = [y[:600], y[50:700]]
    model = LNNForecaster(n_reservoir=60, random_state=0).fit(panel)
    out = model.predict(10)
    assert isinstance(out, list) and [o.shape for o in out] == [(10, 2), (10, 2)]
    model.update([y[600:610], y[:5]])
    with pytest.raises(ValueError, match="2 series"):
        model.update(y[:5])


@pytest.mark.parametrize("extra", [{}, {"season": 12, "difference": "series"}])
@pytest.mark.parametrize("Model", [LNNForecaster, NGRCForecaster])
def test_forecasts_survive_joblib_and_skops(tmp_path, Model, extra):
    skops_io = pytest.importorskip("skops.io")
    model = (Model(n_reservoir=30, random_state=0, **extra) if Model is LNNForecaster
             else Model(**extra)).fit(_series()[:500])
    expected = model.predict(20)
    joblib.dump(model, tmp_path / "m.joblib")
    np.testing.assert_array_equal(joblib.load(tmp_path / "m.joblib").predict(20), expected)
    skops_io.dump(model, tmp_path / "m.skops")
    trusted = skops_io.get_untrusted_types(file=tmp_path / "m.skops")
    loaded = skops_io.load(tmp_path / "m.skops", trusted=trusted)
    np.testing.assert_array_equal(loaded.predict(20), expected)


def test_tuning_a_forecaster_through_the_step_regressor():
    """The documented path: one-step-ahead chunks, GridSearchCV with
    TimeSeriesSplit on LNNStepRegressor, the best parameters to LNNForecaster."""
    y = make_mackey_glass(3000, random_state=0)
    chunks = y[: 2900].reshape(29, 100)
    X, Y = chunks[:, :-1, None], chunks[:, 1:]
    search = GridSearchCV(
        LNNStepRegressor(n_reservoir=100, washout=20, include_input=True, random_state=0),
        {"leak_rate": [0.05, 0.5], "spectral_radius": [0.3, 0.9]},
        cv=TimeSeriesSplit(n_splits=3),
    ).fit((X - y.mean()) / y.std(), (Y - y.mean()) / y.std())
    params = {k: search.best_params_[k] for k in ("leak_rate", "spectral_radius")}
    model = LNNForecaster(n_reservoir=100, random_state=0, **params).fit(y[:2900])
    assert model.score(y[2900:2920]) > 0.9


# -- NG-RC -------------------------------------------------------------------------------


def test_ngrc_features_by_hand():
    from sklearn_lnn.forecasting._ngrc import ngrc_features

    u = np.array([[1.0, 2.0], [3.0, 5.0], [7.0, 11.0]])
    F = ngrc_features(u, delay=2, stride=2, order=2)
    # step 2: lags u_2 = (7, 11) and u_0 = (1, 2)
    lin = np.array([7.0, 11.0, 1.0, 2.0])
    mono = [lin[i] * lin[j] for i in range(4) for j in range(i, 4)]
    np.testing.assert_array_equal(F[2], np.concatenate([lin, mono]))
    np.testing.assert_array_equal(F[0][2:4], [0.0, 0.0])  # zero history
    assert F.shape == (3, 4 + 10)


def test_ngrc_forecasts_lorenz():
    """Gauthier et al.'s protocol, three trials (the benchmark runs ten)."""
    xyz = make_lorenz(200 + 400 + 44 + 100, dt=0.025)
    errors = []
    for start in (200, 250, 300):
        model = NGRCForecaster(alpha=2.5e-6).fit(xyz[start - 1 : start + 400])
        forecast = model.predict(44)
        errors.append(((forecast - xyz[start + 400 : start + 444]) ** 2).mean())
    assert np.sqrt(np.mean(errors) / xyz.var(axis=0).sum()) < 4e-3


def test_make_lorenz_matches_solve_ivp():
    from scipy.integrate import solve_ivp

    xyz = make_lorenz(41, dt=0.025)

    def f(t, v):
        return [10 * (v[1] - v[0]), v[0] * (28 - v[2]) - v[1], v[0] * v[1] - 8 / 3 * v[2]]

    ref = solve_ivp(f, (0, 1.0), xyz[0], t_eval=[0.5, 1.0], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(xyz[[20, 40]], ref.y.T, rtol=1e-7, atol=1e-7)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("form", ["3d", "ragged"])
def test_ngrc_transformer_aggregates_the_per_step_features(rng, form, dtype):
    from sklearn_lnn import NGRCTransformer
    from sklearn_lnn.forecasting._ngrc import ngrc_features

    X = rng.normal(size=(6, 12, 2)).astype(dtype)
    X = [x[: 5 + i] for i, x in enumerate(X)] if form == "ragged" else X
    est = NGRCTransformer(delay=3, stride=2, order=2, washout=2,
                          aggregation="last_mean_max").fit(X)
    out = est.transform(X)
    assert out.dtype == dtype
    for row, x in zip(out, X):
        F = ngrc_features(x.astype(np.float64), 3, 2, 2)
        expected = np.concatenate([F[-1], F[2:].mean(axis=0), F[2:].max(axis=0)])
        np.testing.assert_allclose(row, expected, rtol=1e-5 if dtype == np.float32 else 1e-12)
    assert out.shape[1] == est.get_feature_names_out().size


@pytest.mark.parametrize("Model", [LNNForecaster, NGRCForecaster])
def test_a_diverging_forecast_warns(Model):
    from sklearn_lnn.exceptions import ForecastDivergenceWarning

    y = _series()
    model = (Model(n_reservoir=40, random_state=0) if Model is LNNForecaster
             else Model()).fit(y[:500])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model.predict(50)  # a stable forecast: silent
    model.coef_ = model.coef_ * 30.0  # an unstable readout
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        forecast = model.predict(200)
    assert [w.category for w in record] == [ForecastDivergenceWarning]
    assert "diverged: from step" in str(record[0].message)
    assert record[0].filename == __file__
    assert not np.isfinite(forecast).all() or np.abs(forecast).max() > 100 * np.abs(y).max()


@pytest.mark.parametrize("difference", [False, "series"])
def test_auto_alpha_is_the_best_closed_loop_forecaster_on_the_held_out_tail(
        monkeypatch, difference):
    """alpha="auto": each candidate's readout, fitted on the steps before the
    held-out tail, forecasts from origins in the tail; the smallest mean
    squared error of the forecast values wins (for the model of the changes:
    of the changes summed back). Recomputed here through the public API (fit
    on the head, update to each origin, predict)."""
    import sklearn_lnn.forecasting._checks as checks

    candidates = np.array([1e-4, 1e-2, 1.0, 100.0])
    monkeypatch.setattr(checks, "FORECAST_ALPHAS", candidates)
    y = make_mackey_glass(700, random_state=3)
    o = 1 if difference else 0  # the model of the changes reads n - 1 rows
    w, params = 20, {"n_reservoir": 20, "standardize": False, "random_state": 0,
                     "difference": difference}
    model = LNNForecaster(washout=w, **params).fit(y)
    n = len(y) - o
    cut = n - 1 - min(int(0.2 * (n - w)), 1000)
    horizon = min(50, (n - 1 - cut) // 2)
    origins = np.unique(np.linspace(cut, n - 1 - horizon, 8).astype(int))
    errors = []
    for alpha in candidates:
        m = LNNForecaster(washout=w, alpha=alpha, **params).fit(y[: cut + 1 + o])
        seen, sq = cut, []
        for t in origins:
            if t > seen:
                m.update(y[seen + 1 + o : t + 1 + o])
                seen = t
            sq.append((m.predict(horizon) - y[t + 1 + o : t + 1 + o + horizon]) ** 2)
        errors.append(np.mean(sq))
    best = max(a for a, e in zip(candidates, errors) if e == min(errors))
    assert model.alpha_ == best
    assert len(set(np.round(np.log10(errors), 3))) > 1  # the candidates differ
    # the final readout is refitted on every step with that penalty
    # (auto leaves out directions below 1e-10 of the largest eigenvalue)
    refit = LNNForecaster(washout=w, alpha=best, **params).fit(y)
    np.testing.assert_allclose(model.coef_, refit.coef_, rtol=1e-6, atol=1e-7)


def test_auto_alpha_of_series_too_short_to_hold_out_is_gcv(monkeypatch):
    import sklearn_lnn.forecasting._base as forecasting

    def fail(*args, **kwargs):
        raise AssertionError("no closed-loop validation expected")

    y = _series()[:29]  # 9 steps after the washout: 1 would be held out
    monkeypatch.setattr(forecasting, "validated_alpha", fail)
    model = LNNForecaster(n_reservoir=20, washout=20, difference=False,
                          random_state=0).fit(y)
    assert model.alpha_ > 0
    with pytest.raises(AssertionError, match="no closed-loop"):
        LNNForecaster(n_reservoir=20, washout=20, difference=False,
                      random_state=0).fit(_series()[:30])  # 2 held out


def test_auto_alpha_can_choose_the_null_forecast_on_noise():
    """White noise has nothing to forecast but its mean: the closed-loop
    validation picks penalties that leave little more than the intercept
    (above 1e3 for most series; a grid that stopped at 1e2 sat on its edge
    for every one of them)."""
    alphas = []
    for seed in range(8):
        y = np.random.default_rng(seed).standard_normal(300)
        model = LNNForecaster(n_reservoir=100, difference=False, random_state=0).fit(y)
        alphas.append(model.alpha_)
    assert np.median(alphas) >= 1e3, alphas


def test_auto_alpha_tie_keeps_the_larger_penalty(monkeypatch):
    """Candidates whose forecasts are equally good: the larger penalty wins
    (here every candidate gets the same readout, so all tie)."""
    import sklearn_lnn.forecasting._checks as checks

    real = checks.spectrum_solution
    monkeypatch.setattr(checks, "spectrum_solution",
                        lambda stats, spectrum, alpha, plain=False: real(stats, spectrum, 1e-2))
    model = LNNForecaster(n_reservoir=20, washout=20, random_state=0).fit(_series()[:400])
    assert model.alpha_ == checks.FORECAST_ALPHAS.max()


def test_divergence_check_catches_nan_and_names_the_first_step():
    from sklearn_lnn.forecasting._checks import check_divergence
    from sklearn_lnn.exceptions import ForecastDivergenceWarning

    out = np.zeros((2, 10, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_divergence(out + 50.0, 0.5, "M")  # within 100 x max(peak, 1)
    out[1, 3:, 0] = np.nan
    with pytest.warns(ForecastDivergenceWarning, match="from step 4 on, .* not finite"):
        check_divergence(out, 1.0, "M")
    out[1, 3:, 0] = 0.0
    out[0, 6, 0] = -300.0
    with pytest.warns(ForecastDivergenceWarning, match="from step 7 on, .* more than 100"):
        check_divergence(out, 2.0, "M")


@pytest.mark.parametrize("params", [
    {}, {"neuron": "liquid"}, {"include_input": False, "difference": True},
    {"squared_states": True, "exog": True},
])
def test_candidate_forecasts_equal_the_closed_loop_of_each_readout(params, monkeypatch):
    """The batched forecasts of the alpha validation (one shared recurrent
    product for every candidate) equal predict's closed loop per readout;
    small batches (several groups of candidates) give the same choice."""
    import copy

    import sklearn_lnn.forecasting._checks as checks

    params = dict(params)
    exog = params.pop("exog", False)
    y = _series()
    X = np.sin(0.05 * np.arange(600))[:, None] if exog else None
    model = LNNForecaster(n_reservoir=30, random_state=0, **params).fit(y[:600], X)
    rng = np.random.default_rng(0)
    states = rng.uniform(-0.5, 0.5, (3, 30))
    last = rng.normal(size=(3, model.last_input_.shape[1]))
    future = rng.normal(size=(3, 12, 1)) if exog else None
    readouts = [(model.coef_ * s, model.intercept_ + s) for s in (1.0, 0.5, 1.3)]
    got = model._candidate_forecasts(readouts, states, last, 12, future)
    for j, (coef, intercept) in enumerate(readouts):
        probe = copy.copy(model)
        probe.coef_, probe.intercept_ = coef, intercept
        probe.state_, probe.last_input_, probe.n_series_ = states, last, 3
        np.testing.assert_allclose(got[j], probe._generate(12, future), rtol=1e-10, atol=1e-12)
    monkeypatch.setattr(checks, "BATCH_VALUES", 1)  # one candidate per batch
    assert LNNForecaster(n_reservoir=30, random_state=0, **params).fit(
        y[:600], X).alpha_ == model.alpha_


def test_validation_plan_keeps_short_series_in_closed_loop_validation():
    """Held-out steps >= 2 and fit rows >= 5 validate (horizon >= 1); fewer
    fall back to GCV (None)."""
    from sklearn_lnn.forecasting._checks import validation_plan

    assert validation_plan([10], 0) == ([7], 1)  # 2 held out, 7 rows to fit
    assert validation_plan([9], 0) is None  # 1 held out
    assert validation_plan([30, 12], 2) == ([24, 9], 1)
    assert validation_plan([30, 9], 2) is None  # the shorter holds out one step
    cuts, horizon = validation_plan([2000], 50)
    assert cuts == [2000 - 1 - 390] and horizon == 50
    assert validation_plan([12], 3) is None  # 9 after the washout: 1 held out


def test_difference_auto_reads_changes_where_the_series_leave_their_range():
    """The last 20 % of a series beyond the range of the steps before by more
    than 5 % of its width: the changes; a panel: when half its series do."""
    from sklearn_lnn.forecasting._checks import leaves_its_range

    inside = np.r_[np.zeros(4), 10.0, np.zeros(5)][:, None]  # range 0..10, end 0
    assert not leaves_its_range([inside])
    edge = np.r_[np.zeros(7), 10.0, 0.0, 10.5][:, None]  # 5 % beyond: not more
    assert not leaves_its_range([edge])
    above = np.r_[np.zeros(7), 10.0, 0.0, 10.6][:, None]
    assert leaves_its_range([above])
    below = np.r_[np.zeros(7), 10.0, 0.0, -0.6][:, None]
    assert leaves_its_range([below])
    two = np.hstack([inside, above])  # one target is enough
    assert leaves_its_range([two])
    assert leaves_its_range([inside, above]) and not leaves_its_range([inside, inside, above])
    short = np.array([[1.0], [2.0], [3.0]])  # the last step against the two before
    assert leaves_its_range([short])
    assert LNNForecaster(n_reservoir=10, random_state=0).fit(short).difference_ == "series"
    flat = np.ones((20, 1))
    assert not leaves_its_range([flat])


@pytest.mark.parametrize("model, need", [
    (NGRCForecaster(), 3),  # washout = the lags' span (1) + 2
    (NGRCForecaster(difference="series"), 4),
    (LNNForecaster(n_reservoir=10), 3),  # "auto": washout 0 here, may read changes
    (LNNForecaster(n_reservoir=10, difference=False, washout=4), 6),
])
def test_too_short_training_series_are_refused_with_the_count(model, need):
    with pytest.raises(ValueError, match=f"at least {need} are needed"):
        model.fit(np.arange(need - 1.0))
    model.fit(np.arange(float(need)))


# -- season: the model of the seasonal changes ---------------------------------------


@pytest.mark.parametrize("Model", [LNNForecaster, NGRCForecaster])
@pytest.mark.parametrize("difference", [False, "series"])
def test_season_is_the_model_of_seasonal_changes_summed_back(Model, difference):
    """season=m = the forecaster fitted on y[t] - y[t - m] (exogenous rows of
    the same steps), each forecast step added to the value one season before
    (itself forecast beyond the first season)."""
    y, m = _trend(), 12
    X = np.sin(0.05 * np.arange(len(y)))[:, None]
    params = ({"n_reservoir": 40, "random_state": 0, "alpha": 1e-3} if Model is LNNForecaster
              else {})
    model = Model(season=m, difference=difference, **params).fit(y, X)
    by_hand = Model(difference=difference, **params).fit(y[m:] - y[:-m], X[m:])
    future = np.cos(0.05 * np.arange(30))[:, None]
    changes = by_hand.predict(30, future)
    expected = list(y[-m:])
    for j in range(30):
        expected.append(expected[-m] + changes[j])
    np.testing.assert_allclose(model.predict(30, future), np.array(expected[m:]),
                               rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(model.last_season_, y[None, -m:])
    np.testing.assert_allclose(model.state_, by_hand.state_, rtol=0, atol=1e-12)


@pytest.mark.parametrize("difference", [False, "series"])
def test_season_update_equals_fit_on_the_concatenation(difference):
    y, m = _trend(), 7
    params = {"n_reservoir": 40, "random_state": 0, "season": m, "difference": difference,
              "standardize": False, "washout": 20}
    a = LNNForecaster(**params).fit(y[:500])
    a.update(y[500:503]).update(y[503:])  # an update shorter than the season
    b = LNNForecaster(**params).fit(y)
    np.testing.assert_allclose(a.state_, b.state_, rtol=0, atol=1e-10)
    np.testing.assert_allclose(a.last_input_, b.last_input_, rtol=1e-12)
    np.testing.assert_array_equal(a.last_season_, y[None, -m:])
    with pytest.raises(ValueError):  # a refused update changes nothing
        a.update(np.full((3, 2), np.nan))
    np.testing.assert_array_equal(a.last_season_, y[None, -m:])


def test_season_follows_a_growing_seasonal_pattern():
    """A random yearly pattern growing on a trend (12 years): the model of
    the seasonal changes follows it, the default model does not."""
    rng = np.random.default_rng(0)
    pattern = rng.normal(size=12)
    t = np.arange(144 + 24)
    y = (1 + 0.02 * t) * pattern[t % 12] + 0.05 * t + 0.02 * rng.normal(size=len(t))
    error = lambda p: np.sqrt(np.mean((p - y[144:]) ** 2))  # noqa: E731
    for seed in (0, 1):
        seasonal = LNNForecaster(n_reservoir=100, season=12, random_state=seed).fit(y[:144])
        plain = LNNForecaster(n_reservoir=100, random_state=seed).fit(y[:144])
        assert error(seasonal.predict(24)) < 0.3
        assert error(seasonal.predict(24)) < 0.5 * error(plain.predict(24))


def test_season_needs_a_season_more():
    with pytest.raises(ValueError, match="at least 17 are needed.*12 more for the season"):
        LNNForecaster(n_reservoir=10, washout=2, season=12).fit(np.arange(16.0))
    LNNForecaster(n_reservoir=10, washout=2, season=12).fit(np.arange(17.0))
    with pytest.raises(ValueError, match="season"):
        LNNForecaster(season=1).fit(np.arange(40.0))


def test_refit_without_changes_or_season_drops_their_state():
    y = _trend()
    model = LNNForecaster(n_reservoir=20, difference="series", season=12, random_state=0)
    model.fit(y)
    assert hasattr(model, "last_value_") and hasattr(model, "last_season_")
    model.set_params(difference=False, season=None).fit(y)
    assert not hasattr(model, "last_value_") and not hasattr(model, "last_season_")


@pytest.mark.parametrize("neuron", ["leaky_tanh", "liquid"])
def test_closed_loop_exp_form_equals_np_tanh(monkeypatch, neuron):
    """A large reservoir's closed loop runs the leaky update in the exp form
    (weights doubled, see _dynamics._leaky_tanh_): its forecast equals the
    np.tanh form's to rounding, and liquid units never take it."""
    import sklearn_lnn._engine._dynamics as dynamics
    import sklearn_lnn.forecasting._lnn_forecaster as forecasting

    seen = []
    original = dynamics._leaky_tanh_
    monkeypatch.setattr(forecasting, "_leaky_tanh_", lambda H, P, leak, exp_form: (
        seen.append(exp_form), original(H, P, leak, exp_form))[1])
    model = LNNForecaster(n_reservoir=600, neuron=neuron, alpha=1e-6,
                          random_state=0).fit(_series(400))
    forecasts = {}
    for size in (600, 601):  # at the size: exp form; above it: np.tanh
        monkeypatch.setattr(dynamics, "EXP_FORM_MIN_SIZE", size)
        seen.clear()
        forecasts[size] = model.predict(30)
        assert set(seen) == ({size == 600} if neuron == "leaky_tanh" else set())
    np.testing.assert_allclose(forecasts[600], forecasts[601], rtol=0, atol=1e-12)


def test_a_changes_model_judges_its_penalty_on_the_values(monkeypatch):
    """difference="series": the closed-loop validation of alpha="auto" scores
    the forecast values (the changes summed up from the origin, in units of
    the series' standard deviation), not the standardised changes."""
    import sklearn_lnn.forecasting._base as base

    seen = {}
    original = base.validated_alpha

    def spy(forecaster, stats, feats, U, zero, cuts, horizon, common=None):
        seen.update(model=forecaster, U=U, common=common)
        return original(forecaster, stats, feats, U, zero, cuts, horizon, common=common)

    monkeypatch.setattr(base, "validated_alpha", spy)
    rng = np.random.default_rng(3)
    y = 40.0 + np.cumsum(0.5 + rng.normal(size=120))  # drifting: leaves its range
    model = LNNForecaster(n_reservoir=20, difference="series", random_state=0).fit(y)
    assert model.difference_ == "series" and seen["model"] is model
    # row i of U[0] is the change into step i + 1, standardised
    changes = seen["U"][0][60:70]
    np.testing.assert_allclose(changes[:, 0] * model.input_scale_[0] + model.input_mean_[0],
                               np.diff(y)[60:70], rtol=1e-12)
    expected = (y[61:71] - y[60]) / np.std(y)  # values from the origin, in std units
    np.testing.assert_allclose(seen["common"](changes)[:, 0], expected, rtol=1e-10)
    np.testing.assert_allclose(seen["common"](changes[None])[0, :, 0], expected, rtol=1e-10)
