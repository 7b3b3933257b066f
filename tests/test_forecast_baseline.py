"""alpha="baseline": the forecasters without a readout (the model form's
naive forecast), its intervals, and LNNForecasterCV scoring and choosing it."""

import numpy as np
import pytest
from sklearn.utils._param_validation import InvalidParameterError

from sklearn_lnn import LNNForecaster, LNNForecasterCV, NGRCForecaster
from sklearn_lnn.forecasting._rolling import error_scale, rolling_origins, scaled_errors
from sklearn_lnn.forecasting._search import evaluate_baseline

from .test_forecast_search import round_trips

FORMS = [(12, False), (None, "series"), (None, True), (None, False), (12, "series"),
         (12, True)]
ONE = {"leak_rate": [0.5], "spectral_radius": [0.9], "input_scaling": [1.0]}


def _walk(n=150, seed=0):
    rng = np.random.default_rng(seed)
    return np.cumsum(rng.standard_normal(n)) + 5 * np.sin(2 * np.pi * np.arange(n) / 12)


def _daylight(days=12, seed=0):
    """Zero nights and a bump each day of random height: the seasonal naive
    forecast is hard to beat."""
    rng = np.random.default_rng(seed)
    t = np.arange(24 * days)
    return np.maximum(0, np.sin(2 * np.pi * (t % 24 - 6) / 24)) * np.repeat(
        1 + 0.5 * rng.random(days), 24)


def _reference(y, season, difference, washout, h):
    """The form's naive forecast of `h` steps, built step by step."""
    if season is None and difference is False:  # the mean of the fitted targets
        return np.full(h, y[washout + 1 :].mean())
    if season is None:  # no change from the last value
        return np.full(h, y[-1])
    z = list(y)
    drift = z[-1] - z[-1 - season] if difference else 0.0  # a seasonal change kept
    for _ in range(h):
        z.append(z[-season] + drift)
    return np.array(z[len(y) :])


@pytest.mark.parametrize("cls", [LNNForecaster, NGRCForecaster])
@pytest.mark.parametrize("season, difference", FORMS)
def test_baseline_forecasts_the_forms_naive_forecast(cls, season, difference):
    y = 100.0 + _walk()
    extra = {"n_reservoir": 20, "random_state": 0} if cls is LNNForecaster else {}
    model = cls(season=season, difference=difference, alpha="baseline", washout=7,
                **extra).fit(y)
    assert model.alpha_ == "baseline"
    np.testing.assert_allclose(model.predict(30), _reference(y, season, difference, 7, 30),
                               rtol=1e-10, atol=1e-10)
    model.update(y[:5])  # the new values are the last seen
    z = np.r_[y, y[:5]]
    if season is None and difference is False:
        np.testing.assert_allclose(model.predict(3), _reference(y, None, False, 7, 3),
                                   rtol=1e-10)  # the intercept stays: update keeps the fit
    else:
        np.testing.assert_allclose(model.predict(30),
                                   _reference(z, season, difference, 7, 30), rtol=1e-10,
                                   atol=1e-10)


@pytest.mark.parametrize("season, difference", [(12, False), (None, "series"), (12, "series")])
def test_baseline_of_a_panel_keeps_each_member_in_its_units(season, difference):
    y = _walk()
    model = LNNForecaster(season=season, difference=difference, alpha="baseline",
                          n_reservoir=20, random_state=0).fit([y, 1e4 * y - 3, y[40:]])
    a, b, c = model.predict(25)
    np.testing.assert_allclose(a, _reference(y, season, difference, 0, 25), rtol=1e-10)
    np.testing.assert_allclose(b, 1e4 * a - 3, rtol=1e-10)
    np.testing.assert_allclose(c, a, rtol=1e-10)
    model.update(1e4 * y[:5] - 3, series=1)
    a2, b2, _ = model.predict(25)
    np.testing.assert_array_equal(a2, a)
    np.testing.assert_allclose(b2, 1e4 * _reference(np.r_[y, y[:5]], season, difference, 0,
                                                    25) - 3, rtol=1e-10)


def test_baseline_intervals_come_from_the_baselines_own_errors():
    # an exactly periodic series: the seasonal naive forecast makes no error
    # in calibration, so its interval closes; a ridge readout's would not
    y = np.tile([3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0, 5.0, 8.0], 20)
    exact = LNNForecaster(season=12, difference=False, alpha="baseline", n_reservoir=20,
                          random_state=0).fit(y)
    band = exact.predict_interval(24, coverage=0.9)[:, 0]
    np.testing.assert_allclose(band, np.repeat(y[:24, None], 2, axis=1), atol=1e-9)
    ridge = LNNForecaster(season=12, difference=False, alpha=1.0, n_reservoir=20,
                          random_state=0).fit(y + 0.01 * np.sin(np.arange(len(y))))
    band = ridge.predict_interval(24, coverage=0.9)[:, 0]
    assert np.all(band[:, 1] - band[:, 0] > 1e-6)


@pytest.mark.parametrize("season, difference", [(None, False), (None, "series"), (12, False),
                                                (12, "series"), (None, True)])
def test_search_scores_the_baseline_as_a_refit_at_each_origin(season, difference):
    y = 50.0 + _walk(n=120, seed=3)
    fixed = {"n_reservoir": 20, "random_state": 0, "washout": 4}
    params = {"season": season, "difference": difference}
    horizon = 9
    origins = rolling_origins(len(y), horizon, 6, 40)
    scale = error_scale(y[:, None])
    errors, _ = evaluate_baseline(LNNForecaster(**fixed), params, [y[:, None]], None,
                                  [origins], horizon, scale[None], 1)
    assert errors.shape == (1, len(origins))
    for s, o in enumerate(origins):
        pred = LNNForecaster(**fixed, **params, alpha="baseline").fit(y[: o + 1]).predict(horizon)
        ref = scaled_errors(pred[:, None], y[o + 1 : o + 1 + horizon, None], scale, 1)
        np.testing.assert_allclose(errors[0, s], ref, rtol=1e-9)


@pytest.mark.parametrize("season, difference, standardize", [
    (None, False, False), (None, "series", False), (None, "series", True), (12, False, True)])
def test_search_scores_a_panels_baseline_as_a_refit_of_the_panel(season, difference,
                                                                 standardize):
    # the values' mean is the panel's pooled intercept (standardize=False: in
    # the series' units, as a refit on the data up to the origins has it); a
    # change of 0 is one in each member's units. The second series has one
    # origin fewer: the first split forecasts the first series only.
    ys = [_walk(n=90, seed=1), 20.0 + 300.0 * _walk(n=80, seed=2)]
    fixed = {"n_reservoir": 20, "random_state": 0, "washout": 3, "standardize": standardize}
    horizon = 5
    origins = [rolling_origins(90, horizon, 3, 40), rolling_origins(80, horizon, 2, 40)]
    scales = np.array([error_scale(v[:, None]) for v in ys])
    params = {"season": season, "difference": difference}
    errors, _ = evaluate_baseline(LNNForecaster(**fixed), params, [v[:, None] for v in ys],
                                  None, origins, horizon, scales, 1)
    for s in range(3):
        cuts = [origins[0][s], origins[1][max(0, s - 1)]]
        model = LNNForecaster(**fixed, **params, alpha="baseline")
        pred = model.fit([v[: c + 1] for v, c in zip(ys, cuts)]).predict(horizon)
        members = [0, 1] if s else [0]
        ref = np.mean([scaled_errors(pred[i][:, None], ys[i][cuts[i] + 1 : cuts[i] + 1 + horizon,
                                                              None], scales[i], 1)
                       for i in members])
        np.testing.assert_allclose(errors[0, s], ref, rtol=1e-9)


@pytest.mark.parametrize("seed", [0, 1])
def test_search_chooses_the_seasonal_naive_forecast_when_nothing_beats_it(seed):
    y = _daylight(seed=seed)
    cv = LNNForecasterCV(param_grid=ONE, n_reservoir=30, horizon=24, random_state=0).fit(y)
    res = cv.cv_results_
    baseline = [i for i, p in enumerate(res["params"]) if p["alpha"] == "baseline"]
    forms = {(p["season"], p["difference"]) for p in res["params"][1:]}
    assert {(res["params"][i]["season"], res["params"][i]["difference"])
            for i in baseline} == forms  # one per form
    assert (cv.best_params_["season"], cv.best_params_["difference"],
            cv.best_params_["alpha"]) == (24, False, "baseline")
    assert res["mean_fit_time"][cv.best_index_] >= 0
    np.testing.assert_allclose(cv.predict(48), np.tile(y[-24:], 2), rtol=1e-10, atol=1e-12)
    fixed = {k: v for k, v in cv.get_params().items() if k in (
        "bias_scaling", "density", "neuron", "time_step", "random_state", "washout",
        "standardize")}
    plain = LNNForecaster(**fixed, **cv.best_params_).fit(y)
    np.testing.assert_array_equal(cv.predict(48), plain.predict(48))


def test_search_keeps_a_reservoir_that_beats_the_baselines():
    t = np.arange(400)  # no naive form forecasts two incommensurate waves
    y = np.sin(0.2 * t) + 0.5 * np.sin(0.0311 * t)
    cv = LNNForecasterCV(param_grid=ONE, n_reservoir=30, horizon=12, random_state=0).fit(y)
    assert cv.best_params_["alpha"] != "baseline"


def test_alpha_names_its_options():
    with pytest.raises(InvalidParameterError, match="baseline"):
        LNNForecaster(alpha="naive").fit(np.arange(50.0))


def test_a_search_that_chose_a_baseline_round_trips_through_joblib_and_skops():
    y = _daylight()
    cv = LNNForecasterCV(param_grid=ONE, n_reservoir=20, horizon=24, random_state=0).fit(y)
    assert cv.best_estimator_.alpha_ == "baseline"
    for loaded in round_trips(cv):
        np.testing.assert_array_equal(loaded.predict(30), cv.predict(30))
        assert list(loaded.cv_results_["param_alpha"]) == list(cv.cv_results_["param_alpha"])
        assert loaded.best_params_ == cv.best_params_ and loaded.rejected_ == cv.rejected_
