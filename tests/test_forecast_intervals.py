"""Prediction intervals (issue 28): split conformal on the closed-loop
residuals of the training tail."""

import io
import pickle

import joblib
import numpy as np
import pytest

from sklearn_lnn import LNNForecaster, LNNForecasterCV, NGRCForecaster
from sklearn_lnn.forecasting._checks import validation_plan
from sklearn_lnn.forecasting._intervals import (
    calibration_origins,
    conformal_quantiles,
    increasing,
    residual_profile,
)


def ar1(n, phi=0.7, seed=0):
    rng = np.random.default_rng(seed)
    e = rng.normal(size=n)
    y = np.zeros(n)
    for t in range(1, n):
        y[t] = phi * y[t - 1] + e[t]
    return y


def walk(n=400, seed=0):
    return np.cumsum(np.random.default_rng(seed).normal(size=n))


MODELS = [lambda: LNNForecaster(n_reservoir=40, random_state=0),
          lambda: NGRCForecaster(alpha=1e-3)]


@pytest.mark.parametrize("make", MODELS)
def test_intervals_nest_and_widen_on_a_random_walk(make):
    model = make().set_params(difference="series").fit(walk())
    iv = model.predict_interval(30, coverage=[0.8, 0.95])
    assert iv.shape == (30, 2, 2)
    inner, outer = iv[:, 0], iv[:, 1]
    assert np.all(outer[:, 0] <= inner[:, 0]) and np.all(inner[:, 1] <= outer[:, 1])
    assert np.all(inner[:, 0] < inner[:, 1])
    width = outer[:, 1] - outer[:, 0]
    assert np.all(np.diff(width) >= -1e-12) and width[-1] > 3 * width[0]
    point = model.predict(30)
    assert np.all((inner[:, 0] <= point) & (point <= inner[:, 1]))


@pytest.mark.parametrize("make", MODELS)
def test_quantiles_are_monotone_and_match_the_intervals(make):
    model = make().fit(ar1(600))
    q = model.predict_quantiles(12, alpha=[0.025, 0.1, 0.5, 0.9, 0.975])
    assert q.shape == (12, 5) and np.all(np.diff(q, axis=1) >= 0)
    iv = model.predict_interval(12, coverage=[0.8, 0.95])
    np.testing.assert_array_equal(iv[:, 0], q[:, [1, 3]])
    np.testing.assert_array_equal(iv[:, 1], q[:, [0, 4]])


@pytest.mark.parametrize("make, seed", [(lambda: NGRCForecaster(), 0),
                                        (lambda: LNNForecaster(n_reservoir=50,
                                                               random_state=0), 3)])
def test_coverage_on_ar1_is_nominal_over_500_windows(make, seed):
    """AR(1), unit noise, 5,000 training steps: the 80 % and 95 % intervals
    of 5-step forecasts, 500 windows after the training end (update between
    them, no recalibration), cover within 3 points of nominal."""
    y = ar1(5000 + 500 * 5, seed=seed)
    model = make().fit(y[:5000])
    hits = []
    for t in range(5000, 5000 + 500 * 5, 5):
        iv = model.predict_interval(5, coverage=[0.8, 0.95])
        truth = y[t : t + 5, None]
        hits.append((iv[..., 0] <= truth) & (truth <= iv[..., 1]))
        model.update(y[t : t + 5])
    coverage = np.mean(hits, axis=(0, 1))
    assert abs(coverage[0] - 0.8) <= 0.03 and abs(coverage[1] - 0.95) <= 0.03, coverage


def test_the_calibration_is_a_readout_fitted_before_the_tail_forecasting_after_it():
    """Reference: a plain forecaster fitted on the steps up to the cut (the
    rows the calibration readout saw), updated to each calibration origin,
    forecasts the residuals; their profile is the fitted one."""
    y = ar1(400, seed=1) + np.sin(0.3 * np.arange(400))
    params = dict(n_reservoir=30, random_state=0, washout=10, standardize=False,
                  difference=False, alpha=1e-2)
    model = LNNForecaster(**params).fit(y)
    (cut,), _ = validation_plan([len(y)], 10)
    origins = calibration_origins([cut], [len(y)])[0]
    ref = LNNForecaster(**params).fit(y[: cut + 1])
    H = len(model.interval_scale_)
    residuals, valid, seen = np.zeros((len(origins), H, 1)), np.zeros((len(origins), H), bool), cut
    for i, o in enumerate(origins):
        if o > seen:
            ref.update(y[seen + 1 : o + 1])
            seen = o
        after = y[o + 1 : o + 1 + H]
        residuals[i, : len(after), 0] = after - ref.predict(H)[: len(after)]
        valid[i, : len(after)] = True
    scale, scores = residual_profile(residuals, valid)
    np.testing.assert_allclose(model.interval_scale_, scale, rtol=1e-8)
    np.testing.assert_allclose(model.interval_scores_, scores, rtol=1e-7, atol=1e-9)


def test_profile_pieces():
    np.testing.assert_array_equal(increasing(np.array([1.0, 3.0, 2.0, 2.0, 5.0]),
                                             np.array([1, 1, 1, 1, 1])),
                                  [1.0, 7 / 3, 7 / 3, 7 / 3, 5.0])
    np.testing.assert_array_equal(increasing(np.array([2.0, 1.0]), np.array([3, 1])),
                                  [1.75, 1.75])  # weighted by the counts
    scores = np.arange(1.0, 60.0)[:, None]  # n = 59 absolute scores: rank ceil(60 c)
    q = conformal_quantiles(scores, [0.95, 0.05, 0.5, 0.75])[:, 0]
    np.testing.assert_array_equal(q, [54.0, -54.0, 0.0, 30.0])  # c = 0.9, 0.9, 0, 0.5
    assert conformal_quantiles(scores, [0.999])[0, 0] == 59.0  # clipped to the largest
    forty = np.arange(1.0, 41.0)[:, None]  # rank ceil(41 * 0.9) = 37, not ceil(40 * 0.9)
    assert conformal_quantiles(forty, [0.95])[0, 0] == 37.0
    few = np.array([[1.0], [0.5], [2.0]])  # below 40 scores: Student's t, 2 dof
    rms = np.sqrt((1 + 0.25 + 4) / 3)
    np.testing.assert_allclose(conformal_quantiles(few, [0.95, 0.05])[:, 0],
                               np.array([2.919986, -2.919986]) * rms * np.sqrt(4 / 3),
                               rtol=1e-6)
    R = np.array([[[1.0], [2.0]], [[-1.0], [np.nan]]])
    valid = np.array([[True, True], [True, False]])
    scale, s = residual_profile(R, valid)
    np.testing.assert_allclose(scale[:, 0], [1.0])  # step 2: one residual, not a scale
    np.testing.assert_allclose(s[:, 0], [1.0, 1.0])  # absolute


@pytest.mark.parametrize("make", MODELS)
def test_intervals_survive_update_set_params_and_round_trips(make):
    model = make().fit(ar1(500))
    model.update(ar1(20, seed=5))
    before = model.predict_interval(8, coverage=[0.5, 0.9])
    for copy in (pickle.loads(pickle.dumps(model)), _joblib_copy(model)):
        np.testing.assert_array_equal(copy.predict_interval(8, coverage=[0.5, 0.9]), before)
    model.set_params(season=3)
    np.testing.assert_array_equal(model.predict_interval(8, coverage=[0.5, 0.9]), before)


def _joblib_copy(model):
    buffer = io.BytesIO()
    joblib.dump(model, buffer)
    buffer.seek(0)
    return joblib.load(buffer)


def test_skops_round_trip_keeps_the_intervals():
    sio = pytest.importorskip("skops.io")
    model = LNNForecaster(n_reservoir=20, random_state=0).fit(ar1(300))
    data = sio.dumps(model)
    loaded = sio.loads(data, trusted=sio.get_untrusted_types(data=data))
    np.testing.assert_array_equal(loaded.predict_interval(5), model.predict_interval(5))


def test_panels_and_several_targets_keep_their_shapes():
    panel = [ar1(200, seed=s) for s in range(3)]
    model = LNNForecaster(n_reservoir=20, random_state=0).fit(panel)
    out = model.predict_interval(4, coverage=[0.8, 0.95])
    assert isinstance(out, list) and [o.shape for o in out] == [(4, 2, 2)] * 3
    two = np.column_stack([ar1(300, seed=1), ar1(300, seed=2)])
    model = NGRCForecaster().fit(two)
    assert model.predict_interval(4).shape == (4, 2, 1, 2)
    assert model.predict_quantiles(4, alpha=0.5).shape == (4, 2, 1)


@pytest.mark.parametrize("bad", [0, 1, 1.5, -0.1, "0.9", True, [], [0.8, 1.0], None])
def test_levels_are_checked(bad):
    model = NGRCForecaster().fit(ar1(200))
    with pytest.raises(ValueError, match="coverage must be"):
        model.predict_interval(3, coverage=bad)
    with pytest.raises(ValueError, match="alpha must be"):
        model.predict_quantiles(3, alpha=bad)


def test_a_series_too_short_to_calibrate_says_so():
    model = NGRCForecaster().fit(ar1(8))  # 8 rows: washout 1 + 5 to fit + 1 origin
    assert model.interval_scores_ is None
    model.predict(2)  # the point forecast still works
    with pytest.raises(ValueError, match="no calibration for intervals"):
        model.predict_interval(2)


def test_the_self_tuning_forecaster_gives_its_best_models_intervals():
    y = ar1(300)
    search = LNNForecasterCV(param_grid={"alpha": [1e-2, 1.0]}, n_origins=3, horizon=5,
                             n_reservoir=20, random_state=0).fit(y)
    np.testing.assert_array_equal(search.predict_interval(5, coverage=[0.8]),
                                  search.best_estimator_.predict_interval(5, coverage=[0.8]))
    np.testing.assert_array_equal(search.predict_quantiles(5),
                                  search.best_estimator_.predict_quantiles(5))


@pytest.mark.parametrize("difference, growth", [("series", 2.0), (False, 1.0)])
def test_beyond_the_calibrated_horizon_widths_grow_as_a_random_walk_or_stay(
        difference, growth):
    y = walk(120) if difference else ar1(120)
    model = LNNForecaster(n_reservoir=20, random_state=0, difference=difference).fit(y)
    H = len(model.interval_scale_)
    assert H < 30
    model.set_params(season=2, difference=not difference)  # read at fit only
    iv = model.predict_interval(4 * H, coverage=0.9)[:, 0]
    point = model.predict(4 * H)
    for side in (0, 1):
        np.testing.assert_allclose(iv[4 * H - 1, side] - point[4 * H - 1],
                                   growth * (iv[H - 1, side] - point[H - 1]), rtol=1e-9)


def test_short_series_reach_back_for_calibration_origins_and_intervals_are_symmetric():
    from sklearn_lnn.forecasting._intervals import calibration_cuts

    assert calibration_cuts([300], 2, [240]) == [240]  # the validation tail is enough
    assert calibration_cuts([30], 2, [25]) == [9]  # 20 origins: 9 .. 28
    assert calibration_cuts([10], 2, None) == [7]  # 5 rows to fit on at least
    y = np.cumsum(np.random.default_rng(4).normal(1.0, 1.0, size=24))  # an M1-like trend
    model = LNNForecaster(n_reservoir=20, random_state=0).fit(y)
    assert len(model.interval_scores_) >= 20
    iv, point = model.predict_interval(6, coverage=[0.8, 0.95]), model.predict(6)
    np.testing.assert_allclose(iv[..., 0] + iv[..., 1], np.tile(2 * point[:, None], (1, 2)),
                               rtol=1e-12)


def test_the_calibration_warns_nothing_the_fit_does_not(monkeypatch):
    """Short series fall back to GCV for alpha; the calibration readout reuses
    the chosen alpha_ and must not warn about its own one-value grid."""
    import warnings

    from sklearn_lnn.forecasting import _intervals

    y = np.cumsum(np.random.default_rng(0).normal(1.0, 1.0, size=10))  # GCV's alpha

    def caught():
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            LNNForecaster(n_reservoir=30, random_state=0).fit(y)
        return [str(w.message) for w in seen]

    with_calibration = caught()
    monkeypatch.setattr(_intervals.IntervalMixin, "_calibrate", lambda *a, **k: None)
    assert with_calibration == caught()
