"""Forecasters against known answers (issue 26's slips in the modules
written last): ``score`` is scikit-learn's R^2 of the forecast, and NG-RC's
closed loop with exogenous inputs reproduces a system it can represent
exactly."""

import numpy as np
import pytest
from sklearn.metrics import r2_score

from sklearn_lnn import LNNForecaster, NGRCForecaster


def _panel(n=300, seed=0):
    rng = np.random.RandomState(seed)
    t = np.arange(n)
    return [np.column_stack([np.sin(0.2 * t + p) + 0.1 * rng.normal(size=n),
                             np.cos(0.07 * t) * 3 + 10 + p])
            for p in (0.0, 1.0)]


@pytest.mark.parametrize("Model", [LNNForecaster, NGRCForecaster])
@pytest.mark.parametrize("panel", [False, True])
def test_score_is_r2_of_the_forecast(Model, panel):
    series = _panel()
    train = [s[:250] for s in series] if panel else series[0][:250]
    future = [s[250:280] for s in series] if panel else series[0][250:280]
    params = {"n_reservoir": 40, "random_state": 0} if Model is LNNForecaster else {}
    model = Model(**params).fit(train)
    pred = model.predict(30)
    Y = np.vstack(future) if panel else future
    P = np.vstack(pred) if panel else pred
    assert model.score(future) == pytest.approx(r2_score(Y, P), rel=1e-12, abs=1e-12)


def _linear_system(n, seed=0):
    """y_{t+1} = 0.8 y_t + 0.5 x_t + 0.3 x_{t-1}: linear in NG-RC's delayed
    inputs, so a readout with a negligible penalty represents it exactly."""
    rng = np.random.RandomState(seed)
    x = rng.uniform(-1, 1, n)
    y = np.zeros(n)
    for t in range(1, n - 1):
        y[t + 1] = 0.8 * y[t] + 0.5 * x[t] + 0.3 * x[t - 1]
    return y, x


@pytest.mark.parametrize("difference", [True, False])
def test_ngrc_closed_loop_with_exogenous_inputs_follows_the_system(difference):
    """Forecast step i reads the exogenous input of its own step (row i of X)
    and, modelling changes, adds the change to the target, not to an input."""
    y, x = _linear_system(460)
    model = NGRCForecaster(delay=2, order=2, alpha=1e-10, difference=difference)
    model.fit(y[:400], X=x[:400, None])
    pred = model.predict(60, X=x[400:, None])
    np.testing.assert_allclose(pred, y[400:], atol=1e-5 * np.abs(y).max())
