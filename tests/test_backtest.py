"""backtest (issue 28): a forecaster walked forward over a series."""

import sys

import numpy as np
import pytest
from sklearn.metrics import mean_absolute_error

from sklearn_lnn import LNNForecaster, NGRCForecaster
from sklearn_lnn.forecasting import backtest
from sklearn_lnn.forecasting._rolling import backtest_origins

pd = pytest.importorskip("pandas")


def noisy(n=260, seed=0):
    rng = np.random.default_rng(seed)
    return np.sin(0.3 * np.arange(n)) + 0.1 * rng.normal(size=n)


def small():
    return LNNForecaster(n_reservoir=25, random_state=0)


def test_origins():
    np.testing.assert_array_equal(backtest_origins(30, 5, 10, 5), [9, 14, 19, 24])
    np.testing.assert_array_equal(backtest_origins(30, 5, 10, 7), [9, 16, 23])
    assert len(backtest_origins(14, 5, 10, 5)) == 0  # 10 + 5 > 14


def test_backtest_is_fit_then_update_origin_by_origin():
    y = noisy()
    table = backtest(small(), y, 8, initial=180, step=6, coverage=[0.8])
    model = small().fit(y[:180])
    origins = list(range(179, 260 - 8, 6))
    assert list(table["origin"]) == origins and table["refit"].tolist() == [True] + [False] * (
        len(origins) - 1)
    for i, o in enumerate(origins):
        if i:
            model.update(y[origins[i - 1] + 1 : o + 1])
        pred = model.predict(8)
        np.testing.assert_array_equal(table["y_pred"][i], pred)
        np.testing.assert_array_equal(table["y_true"][i], y[o + 1 : o + 9])
        np.testing.assert_array_equal(table["error"][i], y[o + 1 : o + 9] - pred)
        iv = model.predict_interval(8, coverage=0.8)[:, 0]
        np.testing.assert_array_equal(table["lower_80"][i], iv[:, 0])
        hits = (iv[:, 0] <= y[o + 1 : o + 9]) & (y[o + 1 : o + 9] <= iv[:, 1])
        assert table["coverage_80"][i] == hits.mean()
        assert table["mae"][i] == pytest.approx(np.mean(np.abs(y[o + 1 : o + 9] - pred)))
        assert table["rmse"][i] == pytest.approx(np.sqrt(np.mean((y[o + 1 : o + 9] - pred) ** 2)))


@pytest.mark.parametrize("refit, pattern", [(True, [True] * 4), (2, [True, False] * 2),
                                            (3, [True, False, False, True])])
def test_refit_fits_again_on_everything_up_to_the_origin(refit, pattern):
    y = noisy(200)
    table = backtest(NGRCForecaster(alpha=1e-3), y, 10, initial=160, refit=refit,
                     coverage=None)
    assert table["refit"].tolist() == pattern
    last = max(i for i, r in enumerate(pattern) if r)
    o = table["origin"][last]
    fresh = NGRCForecaster(alpha=1e-3).fit(y[: o + 1]).predict(10)
    np.testing.assert_allclose(table["y_pred"][last], fresh, rtol=1e-12)
    assert not any(c.startswith("coverage") for c in table.columns)


def test_forecasts_use_only_the_steps_up_to_their_origin():
    y = noisy()
    changed = y.copy()
    changed[220:] += 5.0  # after the first three origins' windows start
    a = backtest(small(), y, 10, initial=190, coverage=None)
    b = backtest(small(), changed, 10, initial=190, coverage=None)
    for i, o in enumerate(a["origin"]):
        same = np.array_equal(a["y_pred"][i], b["y_pred"][i])
        assert same == (o < 220), o


def test_exogenous_rows_of_the_forecast_steps_are_passed():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(220, 1))
    y = np.convolve(X[:, 0], [0.0, 1.0, 0.5])[:220] + 0.05 * rng.normal(size=220)
    table = backtest(small(), y, 5, X=X, initial=200, coverage=None)
    model = small().fit(y[:200], X[:200])
    np.testing.assert_array_equal(table["y_pred"][0], model.predict(5, X[200:205]))
    model.update(y[200:205], X[200:205])
    np.testing.assert_array_equal(table["y_pred"][1], model.predict(5, X[205:210]))


def test_pandas_series_are_walked_with_their_steps():
    y = noisy(200)
    series = pd.Series(y)
    a = backtest(small(), series, 10, initial=150, coverage=None)
    b = backtest(small(), y, 10, initial=150, coverage=None)
    for p, q in zip(a["y_pred"], b["y_pred"]):
        np.testing.assert_array_equal(np.asarray(p), q)


def test_extra_metrics_and_the_dict_without_pandas(monkeypatch):
    y = noisy(200)
    table = backtest(small(), y, 10, initial=150, metrics={"sk_mae": mean_absolute_error})
    np.testing.assert_allclose(table["sk_mae"], table["mae"], rtol=1e-12)
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas fails
    plain = backtest(small(), y, 10, initial=150)
    assert isinstance(plain, dict) and plain["y_pred"].shape == (5, 10)
    np.testing.assert_array_equal(plain["coverage_95"], table["coverage_95"])


@pytest.mark.parametrize("kwargs, words", [
    (dict(horizon=0), "horizon must be"),
    (dict(horizon=5, step=0), "step must be"),
    (dict(horizon=5, initial=2.5), "initial must be"),
    (dict(horizon=5, refit=0), "refit must be"),
    (dict(horizon=5, metrics={"m": 3}), "metrics must be"),
    (dict(horizon=150), "No origin"),
])
def test_arguments_are_checked(kwargs, words):
    with pytest.raises(ValueError, match=words):
        backtest(small(), noisy(200), **kwargs)


def test_a_panel_is_refused():
    with pytest.raises(ValueError, match="one series"):
        backtest(small(), [noisy(100), noisy(120)], 5)
