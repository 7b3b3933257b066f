"""LNNForecasterCV's refit keeps a choice whose forecast stays bounded: the
check (``stays_bounded``), the order of the fallbacks, the last resort (the
best baseline) and the warnings of the refits."""

import itertools
import warnings

import numpy as np
import pytest

from sklearn_lnn import LNNForecaster, LNNForecasterCV
from sklearn_lnn.forecasting import _lnn_forecaster_cv as cv_module
from sklearn_lnn.forecasting._checks import BOUND_FACTOR, stays_bounded

SMALL = {"leak_rate": [0.5], "spectral_radius": [0.9], "input_scaling": [1.0, 0.3]}


def _series(n=200, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return np.sin(2 * np.pi * t / 9) + 0.3 * np.sin(0.05 * t) + 0.1 * rng.standard_normal(n)


@pytest.mark.parametrize("difference", [False, True])
def test_the_bound_is_the_factor_times_the_largest_standardised_target(difference):
    # the values' baseline and difference=True with no change forecast a
    # constant through the readout: its intercept / the last input, set here
    model = LNNForecaster(n_reservoir=10, random_state=0, alpha="baseline",
                          difference=difference).fit(_series())
    limit = BOUND_FACTOR * model.target_peak_
    assert model.target_peak_ > 1.5  # not 1: a forgotten peak would show
    for value, inside in [(limit, True), (limit * (1 + 1e-12), False), (-limit, True),
                          (-limit * (1 + 1e-12), False), (np.nan, False)]:
        if difference:
            model.intercept_ = np.zeros(1)
            model.last_input_ = np.array([[value]])
        else:
            model.intercept_ = np.array([value])
        assert stays_bounded(model, 5) is inside


def test_an_unstable_readout_is_out_of_bounds_and_the_fitted_one_in():
    model = LNNForecaster(n_reservoir=30, random_state=0, alpha=1e-6).fit(_series())
    assert stays_bounded(model, 50)
    model.coef_ = 50.0 * model.coef_  # the fed-back loop now runs away
    assert not stays_bounded(model, 50)


def test_no_change_models_and_exogenous_forecasts_are_not_run():
    y = _series()
    seasonal = LNNForecaster(n_reservoir=10, random_state=0, alpha="baseline", season=9,
                             difference=False).fit(y)
    seasonal.coef_ = 1e9 * np.ones_like(seasonal.coef_)  # no readout acts
    assert stays_bounded(seasonal, 20)
    exog = LNNForecaster(n_reservoir=10, random_state=0, alpha=1.0).fit(y, np.cos(y)[:, None])
    exog.coef_ = 1e9 * np.ones_like(exog.coef_)  # its future inputs are unknown
    assert stays_bounded(exog, 20)
    exog._calibration_peak = np.inf  # but its calibration forecasts are judged
    assert not stays_bounded(exog, 20)


def test_the_calibration_forecasts_are_judged_by_their_largest_output():
    y = _series()
    model = LNNForecaster(n_reservoir=30, random_state=0, alpha=1e-6).fit(y)
    limit = BOUND_FACTOR * model.target_peak_
    assert 0 < model._calibration_peak <= limit and stays_bounded(model, 50)
    for peak, inside in [(limit, True), (limit * (1 + 1e-12), False), (np.inf, False),
                         (None, True)]:  # None: too short to calibrate
        model._calibration_peak = peak
        assert stays_bounded(model, 50) is inside
    # a seasonal no-change forecast outputs a change of 0 in model units:
    # -mean / scale of the seasonal changes, from every calibration origin
    seasonal = LNNForecaster(n_reservoir=10, random_state=0, alpha="baseline", season=9,
                             difference=False).fit(y)
    np.testing.assert_allclose(seasonal._calibration_peak,
                               abs(seasonal.input_mean_[0] / seasonal.input_scale_[0]),
                               rtol=1e-12)
    short = LNNForecaster(n_reservoir=10, washout=2, difference=False).fit(y[:8])
    assert short.interval_scale_ is None and short._calibration_peak is None


def _search(monkeypatch, accept):
    """A search whose refits are judged by `accept(call_number)`."""
    calls = itertools.count()
    monkeypatch.setattr(cv_module, "stays_bounded", lambda model, n: accept(next(calls)))
    y = _series()
    return y, LNNForecasterCV(param_grid=SMALL, n_reservoir=20, horizon=9,
                              random_state=0).fit(y)


def _fixed(cv):
    return {k: v for k, v in cv.get_params().items() if k in (
        "bias_scaling", "density", "neuron", "time_step", "random_state", "washout",
        "standardize")}


def test_a_rejected_choice_gives_way_to_the_next_best_by_validation(monkeypatch):
    _, first = _search(monkeypatch, lambda call: True)
    assert first.rejected_ == []
    y, cv = _search(monkeypatch, lambda call: call >= 2)
    scores = cv.cv_results_["mean_test_score"]
    ranked = [i for i in np.argsort(-scores, kind="stable") if i != first.best_index_]
    assert cv.rejected_ == [first.best_index_, ranked[0]]
    assert cv.best_index_ == ranked[1]
    assert cv.best_params_ == cv.cv_results_["params"][ranked[1]]
    assert cv.best_score_ == scores[ranked[1]]
    plain = LNNForecaster(**_fixed(cv), **cv.best_params_).fit(y)
    np.testing.assert_array_equal(cv.predict(9), plain.predict(9))


def test_the_best_baseline_is_the_last_resort(monkeypatch):
    y, cv = _search(monkeypatch, lambda call: False)
    res = cv.cv_results_
    baselines = [i for i in range(len(res["params"])) if res["params"][i]["alpha"] == "baseline"]
    best = max(baselines, key=lambda i: (res["mean_test_score"][i], -i))
    assert len(cv.rejected_) == cv_module.REFIT_TRIES and best not in cv.rejected_
    assert cv.best_index_ == best and cv.best_params_["alpha"] == "baseline"
    plain = LNNForecaster(**_fixed(cv), **cv.best_params_).fit(y)
    np.testing.assert_array_equal(cv.predict(9), plain.predict(9))


def test_only_the_kept_refits_warnings_reach_the_caller(monkeypatch):
    fits = itertools.count()
    original = LNNForecaster.fit

    def fit(self, y, X=None):
        warnings.warn(f"fit number {next(fits)}", UserWarning)
        return original(self, y, X)

    monkeypatch.setattr(LNNForecaster, "fit", fit)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        _search(monkeypatch, lambda call: call >= 1)  # the first refit is rejected
    total = next(fits)  # the refits are the last two fits
    messages = [str(w.message) for w in caught]
    assert f"fit number {total - 1}" in messages
    assert f"fit number {total - 2}" not in messages
    assert [w.filename for w in caught if str(w.message) == f"fit number {total - 1}"] \
        == [__file__]
