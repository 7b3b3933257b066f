"""A panel's members in their own units: each is standardised by its own
mean and scale before the shared model reads it, so a member's forecasts and
intervals do not depend on the other members' scales (an affine copy of a
series forecasts as the affine copy of its forecast)."""

import numpy as np
import pytest

from sklearn_lnn.forecasting import LNNForecaster, LNNForecasterCV
from sklearn_lnn.forecasting._season import autocorrelation, detect_seasons

A, B = 1e4, -3.0  # the copy: A * y + B


def _series(seed, n=150):
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    return 10 + np.sin(2 * np.pi * t / 12) + 0.02 * t + 0.2 * rng.normal(size=n)


@pytest.mark.parametrize("params", [{}, {"difference": "series"}, {"season": 12},
                                    {"difference": True}])
def test_an_affine_copy_forecasts_as_the_copy_of_the_forecast(params):
    y, other = _series(0), _series(1)
    model = LNNForecaster(n_reservoir=40, random_state=0, **params)
    model.fit([y, A * y + B, other])
    first, copy, _ = model.predict(12)
    np.testing.assert_allclose(copy, A * first + B, rtol=1e-8)
    bands, copied = model.predict_interval(12, coverage=0.8)[:2]
    np.testing.assert_allclose(copied, A * bands + B, rtol=1e-8)
    # the model reads the copy as it reads the series: as a panel of two
    twin = LNNForecaster(n_reservoir=40, random_state=0, **params).fit([y, y, other])
    np.testing.assert_allclose(twin.predict(12)[0], first, rtol=1e-8)


def test_members_of_different_scales_do_not_disturb_each_other():
    y = _series(2)
    small = LNNForecaster(n_reservoir=40, random_state=0).fit([y, _series(3)])
    mixed = LNNForecaster(n_reservoir=40, random_state=0).fit([y, 1e6 * _series(3)])
    np.testing.assert_allclose(mixed.predict(12)[0], small.predict(12)[0], rtol=1e-8)
    np.testing.assert_allclose(mixed.series_mean_[1], 1e6 * small.series_mean_[1], rtol=1e-10)
    # the intervals too: calibrated in each member's units, not pooled in one
    np.testing.assert_allclose(mixed.predict_interval(12)[0], small.predict_interval(12)[0],
                               rtol=1e-8)


def test_update_of_one_member_uses_its_units():
    y, new = _series(4, n=162)[:150], _series(4, n=162)[150:]
    model = LNNForecaster(n_reservoir=40, random_state=0).fit([y, A * y + B])
    model.update(new, series=0)
    model.update(A * new + B, series=1)
    first, copy = model.predict(6)
    np.testing.assert_allclose(copy, A * first + B, rtol=1e-8)
    whole = LNNForecaster(n_reservoir=40, random_state=0).fit([y, A * y + B])
    whole.update([new, A * new + B])
    np.testing.assert_allclose(whole.predict(6)[1], copy, rtol=1e-10)


def test_one_series_has_no_member_units():
    model = LNNForecaster(n_reservoir=40, random_state=0).fit(_series(5))
    assert not hasattr(model, "series_mean_") and not hasattr(model, "series_scale_")


def test_the_search_judges_a_panel_in_its_members_units():
    y, other = _series(6, n=120), _series(7, n=120)
    grid = {"leak_rate": [0.3, 0.7], "alpha": [1e-2, 10.0]}
    search = LNNForecasterCV(n_reservoir=30, horizon=6, param_grid=grid, random_state=0)
    search.fit([other, A * y + B])
    reference = LNNForecasterCV(n_reservoir=30, horizon=6, param_grid=grid, random_state=0)
    reference.fit([other, y])
    assert search.best_params_ == reference.best_params_
    np.testing.assert_allclose(search.cv_results_["mean_test_score"],
                               reference.cv_results_["mean_test_score"], rtol=1e-6)
    np.testing.assert_allclose(search.predict(6)[1], A * reference.predict(6)[1] + B,
                               rtol=1e-8)


def test_season_detection_weighs_members_alike():
    t = np.arange(240.0)[:, None]
    y = np.sin(2 * np.pi * t / 12) + 0.01 * t
    z = np.sin(2 * np.pi * t / 7) + 0.1 * np.random.RandomState(0).normal(size=t.shape)
    found = [detect_seasons([y, c * z + 5.0]) for c in (1e-6, 1.0, 1e6)]
    assert found[0] == found[1] == found[2]
    assert detect_seasons([y]) == [12]
    # a straight line's changes are constant up to rounding: no period
    np.testing.assert_array_equal(autocorrelation([0.1 * t + 3.0], 5)[0], np.zeros(6))
    assert detect_seasons([0.1 * t + 3.0, y]) == detect_seasons([y])


def test_ngrc_panel_members_in_their_own_units():
    from sklearn_lnn.forecasting import NGRCForecaster

    y = _series(8)
    model = NGRCForecaster().fit([y, A * y + B])
    first, copy = model.predict(12)
    np.testing.assert_allclose(copy, A * first + B, rtol=1e-8)
