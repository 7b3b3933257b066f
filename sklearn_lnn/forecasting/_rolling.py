"""Rolling-origin evaluation: where forecasts start on the end of the
training data, and how their errors are scaled. Pure functions, shared by
``LNNForecasterCV`` (model choice) and ``backtest`` (``backtest_origins``).

An origin ``o`` is the index of the last observed step of a series: the
forecast from it covers steps ``o + 1 .. o + horizon``, all inside the
training data. Only data up to ``o`` may be used to forecast from it.
"""

import numpy as np

#: Fewest training rows (after the washout) of the readout fitted for an
#: origin; origins earlier than that are not used.
MIN_FIT_ROWS = 5


def rolling_origins(length, horizon, n_origins, earliest):
    """Up to `n_origins` origins (ascending ints) of a series of `length`
    steps: the last at ``length - 1 - horizon`` (its forecast ends with the
    series), the others ``step`` apart before it, none before `earliest`;
    ``step`` is the horizon, or less when the series is too short for
    `n_origins` of them (at least 1). Empty when even the last is too early."""
    last = length - 1 - horizon
    if last < earliest or n_origins < 1:
        return np.array([], dtype=int)
    room = last - earliest
    step = horizon if n_origins == 1 else max(1, min(horizon, room // (n_origins - 1)))
    return np.sort(last - step * np.arange(min(n_origins, room // step + 1)))


def error_scale(values):
    """The scale of a series' forecast errors (per target): the mean absolute
    one-step change (the in-sample naive forecast's error, the denominator
    of MASE), or the standard deviation when the series never changes by
    steps (1 when it is constant). `values` is (n_steps, n_targets)."""
    naive = np.mean(np.abs(np.diff(values, axis=0)), axis=0) if len(values) > 1 else 0.0
    spread = np.std(values, axis=0)
    scale = np.where(naive > 0, naive, spread)
    return np.where(scale > 0, scale, 1.0)


def scaled_errors(forecasts, truth, scale, power=2):
    """Mean absolute (``power=1``) or squared (2) error of `forecasts`
    (..., horizon, n_targets) against `truth` (same trailing shape) in units
    of `scale`, over the last two axes; a forecast that is not finite scores
    inf."""
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.mean(np.abs((forecasts - truth) / scale) ** power, axis=(-2, -1))
    return np.where(np.isfinite(e), e, np.inf)


def backtest_origins(length, horizon, initial, step):
    """Origins of a backtest (ascending ints): the first at ``initial - 1``
    (the last step of the first fit), then every `step` steps while a
    forecast of `horizon` steps stays inside the series of `length`."""
    return np.arange(initial - 1, length - horizon, step, dtype=int)
