"""LNNForecasterCV and its pieces: season detection, rolling origins, the
shared-state rolling-origin score (against refits on the data before each
origin), the choice, the refit, cv_results_ and persistence."""

import io
import pickle
import warnings

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from sklearn_lnn import LNNForecaster, LNNForecasterCV
from sklearn_lnn.forecasting._rolling import error_scale, rolling_origins, scaled_errors
from sklearn_lnn.forecasting._search import VARIANTS, evaluate, evaluate_plain, winner
from sklearn_lnn.forecasting._season import detect_seasons

SMALL = {"leak_rate": [0.5, 0.8], "spectral_radius": [0.9], "input_scaling": [1.0, 0.3]}


def _seasonal(n=240, period=12, noise=0.1, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)
    return np.sin(2 * np.pi * t / period) + 0.02 * t + noise * rng.standard_normal(n)


# -- season detection ---------------------------------------------------------------


@pytest.mark.parametrize("n", [40, 100, 300, 1000, 3000])
def test_season_detection_finds_no_period_in_white_noise(n):
    rng = np.random.default_rng(n)
    found = [detect_seasons([rng.standard_normal((n, 1))]) for _ in range(10)]
    assert found == [[]] * 10


def test_season_detection_finds_no_period_in_random_walks():
    rng = np.random.default_rng(1)
    walks = [np.cumsum(rng.standard_normal((300, 1)), axis=0) for _ in range(10)]
    assert [detect_seasons([w]) for w in walks] == [[]] * 10


@pytest.mark.parametrize("period", [4, 7, 12, 24])
def test_season_detection_finds_the_period_under_noise_and_trend(period):
    # the changes are read: a sine's change shrinks with its period, so the
    # noise that still leaves the period visible shrinks too
    y = _seasonal(n=20 * period, period=period, noise=3.0 / period)[:, None]
    assert detect_seasons([y])[0] == period


def test_season_detection_pools_a_panel_and_needs_three_cycles():
    panel = [_seasonal(n=60, seed=s)[:, None] for s in range(5)]
    assert detect_seasons(panel)[0] == 12
    assert detect_seasons([_seasonal(n=30)[:, None]]) == []  # 12 needs 36+ steps


# -- rolling origins and scaled errors ------------------------------------------------


@pytest.mark.parametrize("length, horizon, n_origins, earliest", [
    (100, 10, 5, 20), (30, 6, 10, 9), (12, 2, 10, 6), (500, 84, 3, 100), (50, 1, 1, 0)])
def test_rolling_origins_end_with_the_series_and_respect_the_earliest(
        length, horizon, n_origins, earliest):
    o = rolling_origins(length, horizon, n_origins, earliest)
    assert o[-1] == length - 1 - horizon  # the last forecast ends with the series
    assert o[0] >= earliest and len(o) <= n_origins
    assert np.all(np.diff(o) >= 1) and np.all(np.diff(o) <= horizon)
    if len(o) < n_origins:  # fewer only when one more would start too early
        assert o[0] - max(1, np.diff(o).min(initial=horizon)) < earliest


def test_rolling_origins_are_empty_when_the_series_is_too_short():
    assert len(rolling_origins(10, 5, 3, 6)) == 0


def test_error_scale_is_the_naive_forecasts_mean_absolute_error():
    y = np.array([[1.0, 5.0], [3.0, 5.0], [2.0, 5.0], [6.0, 5.0]])
    np.testing.assert_allclose(error_scale(y), [(2 + 1 + 4) / 3, 1.0])
    e = scaled_errors(np.array([[1.0], [np.nan]]), np.array([[0.0], [0.0]]), 2.0)
    assert e == np.inf
    assert scaled_errors(np.ones((3, 1)), np.zeros((3, 1)), 2.0, power=2) == 0.25


# -- the shared-state score equals refits on the data before each origin --------------


def _reference_errors(params, y, origins, horizon, alpha, variant, scale):
    sq, ii = variant
    out = []
    for o in origins:
        model = LNNForecaster(**params, squared_states=sq, include_input=ii, alpha=alpha)
        model.fit(y[: o + 1])
        pred = model.predict(horizon).reshape(horizon, -1)
        out.append(scaled_errors(pred, y[o + 1 : o + 1 + horizon].reshape(horizon, -1),
                                 scale, 1))
    return np.array(out)


@pytest.mark.parametrize("season, difference", [(None, False), (None, "series"),
                                                (12, False), (12, "series")])
def test_rolling_score_equals_refits_on_the_data_before_each_origin(season, difference):
    # standardize=False: the one statistic fitted on the whole training series
    # (the input standardisation) is out of the way; a fixed washout: the
    # refits on shorter data keep it. Short series: every origin's rows are
    # over REFIT_GROWTH more than the last's (68 / 61), so every origin refits.
    y = _seasonal(n=80)
    fixed = {"n_reservoir": 30, "random_state": 0, "washout": 4, "standardize": False}
    params = {"season": season, "difference": difference, "leak_rate": 0.6,
              "spectral_radius": 0.8, "input_scaling": 0.5}
    horizon = 7
    origins = rolling_origins(len(y), horizon, 5, 40)
    scale = error_scale(y[:, None])
    alphas = np.array([1e-3, 1.0])
    errors, _ = evaluate(LNNForecaster(**fixed), params, [y[:, None]], None, [origins],
                         horizon, alphas, scale[None], 1)
    for v, variant in enumerate(VARIANTS):
        for a, alpha in enumerate(alphas):
            ref = _reference_errors({**fixed, **params}, y, origins, horizon, alpha,
                                    variant, scale)
            np.testing.assert_allclose(errors[v, a], ref, rtol=1e-5)  # ridge solved two ways


@pytest.mark.parametrize("growth", [0.0, 1e9])
def test_rolling_score_of_a_panel_uses_each_series_up_to_its_own_origin(growth, monkeypatch):
    # growth 0: every split refits the readout on the rows before its
    # origins; 1e9: every split reuses the first split's readout, the
    # states run on (update) to the later origins
    from sklearn_lnn.forecasting import _search

    monkeypatch.setattr(_search, "REFIT_GROWTH", growth)
    ys = [_seasonal(n=80, seed=1), _seasonal(n=70, seed=2)]
    fixed = {"n_reservoir": 20, "random_state": 0, "washout": 3, "standardize": False}
    horizon = 5
    origins = [rolling_origins(len(v), horizon, 3, 40) for v in ys]
    scales = np.array([error_scale(v[:, None]) for v in ys])
    errors, _ = evaluate(LNNForecaster(**fixed), {"difference": False}, [v[:, None] for v in ys],
                         None, origins, horizon, np.array([0.1]), scales, 1, [(False, True)])
    for s in range(3):  # the panel fitted up to both series' origins of split s
        model = LNNForecaster(**fixed, alpha=0.1, difference=False, season=None)
        first = 0 if growth else s
        model.fit([v[: o[first] + 1] for v, o in zip(ys, origins)])
        if s != first:
            model.update([v[o[first] + 1 : o[s] + 1] for v, o in zip(ys, origins)])
        pred = model.predict(horizon)
        ref = np.mean([scaled_errors(p[:, None], v[o[s] + 1 : o[s] + 1 + horizon, None], sc, 1)
                       for p, v, o, sc in zip(pred, ys, origins, scales)])
        np.testing.assert_allclose(errors[0, 0, s], ref, rtol=1e-7)


def test_defaults_score_refits_the_plain_forecaster_at_each_origin():
    y = _seasonal(n=120)
    origins = rolling_origins(len(y), 6, 3, 40)
    scale = error_scale(y[:, None])
    base = LNNForecaster(n_reservoir=20, random_state=0)
    errors, _ = evaluate_plain(base, [y[:, None]], None, [origins], 6, scale[None], 1)
    for s, o in enumerate(origins):
        pred = clone(base).fit(y[: o + 1]).predict(6)
        np.testing.assert_allclose(errors[s], scaled_errors(pred[:, None],
                                                            y[o + 1 : o + 7, None], scale, 1))


# -- the estimator ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def fitted():
    y = _seasonal()
    return y, LNNForecasterCV(param_grid=SMALL, n_reservoir=30, horizon=12,
                              random_state=0).fit(y)


def test_refit_equals_a_plain_forecaster_with_the_chosen_parameters(fitted):
    y, cv = fitted
    fixed = {k: v for k, v in cv.get_params().items()
             if k in ("bias_scaling", "density", "neuron", "time_step", "random_state",
                      "washout", "standardize")}
    plain = LNNForecaster(**fixed, **cv.best_params_).fit(y)
    np.testing.assert_allclose(cv.predict(24), plain.predict(24), rtol=1e-10, atol=1e-10)


def test_a_clear_season_is_tried_and_the_choice_beats_the_seasonal_naive_forecast():
    y = _seasonal(n=212, noise=0.02)
    cv = LNNForecasterCV(param_grid=SMALL, n_reservoir=30, horizon=12, random_state=0)
    cv.fit(y[:200])
    assert cv.seasons_ == [12]
    assert 12 in set(cv.cv_results_["param_season"])
    naive = np.mean(np.abs(y[188:200] - y[200:]))
    assert np.mean(np.abs(cv.predict(12) - y[200:])) < 0.5 * naive


def _choice(default, *searched):
    cv = LNNForecasterCV()
    results = [{"config": None, "rows": [{"alpha": "auto"}], "time": 0.0,
                "errors": np.array([default])}]
    results += [{"config": {}, "rows": [{"alpha": float(i)}], "time": 0.0,
                 "errors": np.array([e])} for i, e in enumerate(searched)]
    cv._store(results)
    return cv.best_index_


def test_a_searched_candidate_must_beat_the_defaults_by_a_standard_error():
    assert _choice([1.0, 1.0, 1.0], [0.95, 0.97, 0.96]) == 1  # better at every origin
    assert _choice([1.0, 1.0, 1.0], [0.5, 1.4, 1.0]) == 0  # better on average only
    assert _choice([1.0, 1.0, 1.0], [1.2, 1.1, 1.3], [0.9, 0.92, 0.91]) == 2
    assert _choice([1.0], [0.1]) == 0  # one split: nothing to judge a search by
    assert _choice([np.inf, np.inf], [2.0, 3.0]) == 1  # the defaults failed


def test_tied_candidates_go_to_the_first_in_search_order():
    # equal up to rounding (a BLAS kernel's last bits): the earlier wins, so a
    # kernel cannot move the choice; a real difference still decides
    tied = [0.9, 0.92, 0.91]
    nudged = [e * (1 + 1e-9) for e in tied]
    assert _choice([1.0, 1.0, 1.0], nudged, tied) == 1
    assert _choice([1.0, 1.0, 1.0], tied, tied) == 1
    assert winner(np.array([2.0, 1.0, 1.0 - 1e-9, 1.0 + 1e-9, 3.0])) == 1
    assert winner(np.array([2.0, 1.0, 1.0 - 1e-3])) == 2  # beyond TIE_RTOL
    assert winner(np.array([1e-9, 0.0, 5e-9])) == 0  # all within TIE_ATOL of exact
    assert winner(np.array([np.inf, np.inf, 4.0, 4.0])) == 2  # diverged ones score inf
    with pytest.raises(ValueError, match="diverged"):
        winner(np.array([np.inf, np.inf]))


def test_cv_results_have_grid_search_keys_and_a_consistent_choice(fitted):
    _, cv = fitted
    res = cv.cv_results_
    n = len(res["params"])
    keys = {"params", "mean_test_score", "std_test_score", "rank_test_score",
            "mean_fit_time", *(f"split{i}_test_score" for i in range(cv.n_splits_)),
            *(f"param_{k}" for k in res["params"][-1])}
    assert keys <= set(res)
    assert all(len(res[k]) == n for k in keys)
    splits = np.array([res[f"split{i}_test_score"] for i in range(cv.n_splits_)])
    np.testing.assert_allclose(res["mean_test_score"], splits.mean(axis=0))
    assert sorted(res["rank_test_score"]) == list(range(1, n + 1))
    assert res["params"][cv.best_index_] == cv.best_params_
    assert cv.best_score_ == res["mean_test_score"][cv.best_index_]
    assert res["params"][0]["alpha"] == "auto"  # the defaults' candidate comes first
    if cv.best_index_:  # a searched candidate must beat the defaults
        assert cv.best_score_ > res["mean_test_score"][0]


def test_choice_ignores_data_after_the_training_end():
    full = _seasonal(n=300)
    train = full[:240]  # a view: the data after it are changed in place below
    cv = LNNForecasterCV(param_grid=SMALL, n_reservoir=30, horizon=12, random_state=0)
    before = clone(cv).fit(train)
    forecast = before.predict(12)
    full[240:] = 1e6 * np.random.default_rng(0).standard_normal(60)
    after = clone(cv).fit(train)
    assert after.best_params_ == before.best_params_
    np.testing.assert_array_equal(after.predict(12), forecast)
    train[:] = 0.0  # nor does the fitted model keep a view of its training data
    np.testing.assert_array_equal(before.predict(12), forecast)


def test_white_noise_forecast_is_within_ten_percent_of_the_mean_forecast():
    rng = np.random.default_rng(0)
    ours, mean = [], []
    for _ in range(10):
        y = rng.standard_normal(300)
        train, test = y[:250], y[250:]
        cv = LNNForecasterCV(n_reservoir=30, horizon=10, random_state=0).fit(train)
        assert cv.seasons_ == []
        ours.append(np.mean((cv.predict(50) - test) ** 2))
        mean.append(np.mean((train.mean() - test) ** 2))
    assert np.mean(ours) <= 1.1 * np.mean(mean)


def test_short_series_validate_a_shorter_horizon_and_too_short_ones_are_refused():
    y = _seasonal(n=16)
    cv = LNNForecasterCV(n_reservoir=10, horizon=12, random_state=0).fit(y)
    assert 1 <= cv.horizon_ < 12 and cv.predict(12).shape == (12,)
    with pytest.raises(ValueError, match="too short to validate"):
        LNNForecasterCV(n_reservoir=10).fit(y[:6])


def test_panel_gets_one_choice_and_forecasts_every_series():
    panel = [_seasonal(n=150, seed=s) for s in range(3)]
    cv = LNNForecasterCV(param_grid=SMALL, n_reservoir=20, horizon=6, random_state=0)
    out = cv.fit(panel).predict(6)
    assert isinstance(out, list) and [len(o) for o in out] == [6, 6, 6]
    assert cv.best_estimator_.n_series_ == 3


def test_n_jobs_and_verbose_do_not_change_the_choice(capsys):
    y = _seasonal(n=150)
    kw = {"param_grid": SMALL, "n_reservoir": 20, "horizon": 6, "random_state": 0}
    one = LNNForecasterCV(**kw).fit(y)
    two = LNNForecasterCV(**kw, n_jobs=2, verbose=1).fit(y)
    assert two.best_params_ == one.best_params_
    # worker processes may run BLAS with other threads: equal up to rounding
    np.testing.assert_allclose(two.cv_results_["mean_test_score"],
                               one.cv_results_["mean_test_score"], rtol=1e-9)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) >= 5 and all(line.startswith("[LNNForecasterCV]") for line in lines)


def test_parameters_are_validated_by_name():
    y = _seasonal(n=100)
    with pytest.raises(ValueError, match="unknown keys.*'leak'"):
        LNNForecasterCV(param_grid={"leak": [0.5]}).fit(y)
    with pytest.raises(ValueError, match="non-empty list"):
        LNNForecasterCV(param_grid={"leak_rate": []}).fit(y)
    with pytest.raises(ValueError, match="season"):
        LNNForecasterCV(season=[12, 1]).fit(y)
    with pytest.raises(ValueError, match="horizon"):
        LNNForecasterCV(horizon=0).fit(y)


def test_unfitted_and_unrefitted_searches_cannot_forecast():
    with pytest.raises(NotFittedError):
        LNNForecasterCV().predict(3)
    cv = LNNForecasterCV(param_grid=SMALL, n_reservoir=10, refit=False).fit(_seasonal(n=100))
    assert cv.best_params_ and not hasattr(cv, "best_estimator_")
    with pytest.raises(AttributeError, match="refit=False"):
        cv.predict(3)


def test_update_feeds_the_chosen_model(fitted):
    y, cv = fitted
    model = pickle.loads(pickle.dumps(cv))
    plain = pickle.loads(pickle.dumps(cv.best_estimator_))
    assert model.update(y[-5:]) is model
    np.testing.assert_allclose(model.predict(6), plain.update(y[-5:]).predict(6),
                               rtol=1e-12)


def round_trips(model):
    """`model` after a joblib round trip and after a skops one."""
    joblib = pytest.importorskip("joblib")
    sio = pytest.importorskip("skops.io")
    from sklearn_lnn.utils import skops_trusted_types

    buf = io.BytesIO()
    joblib.dump(model, buf)
    buf.seek(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        loaded = sio.loads(sio.dumps(model), trusted=skops_trusted_types())
    return joblib.load(buf), loaded


def test_joblib_and_skops_round_trips_forecast_the_same(fitted):
    _, cv = fitted
    for loaded in round_trips(cv):
        np.testing.assert_array_equal(loaded.predict(12), cv.predict(12))
    assert clone(cv).get_params() == cv.get_params()
