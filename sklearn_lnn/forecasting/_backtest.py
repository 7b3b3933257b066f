"""backtest: a forecaster walked forward over a series, one table of
forecasts, errors and interval hits per origin."""

from numbers import Integral

import numpy as np
from sklearn.base import clone

from ._rolling import backtest_origins
from ._series import check_series


def _mae(y_true, y_pred):
    return float(np.mean(np.abs(y_true - y_pred)))


def _rmse(y_true, y_pred):
    return float(np.sqrt(np.mean((y_true - y_pred) ** 2)))


def _rows(values, start, stop):
    """Steps ``start .. stop - 1`` of a series in the form it was given."""
    if values is None:
        return None
    if hasattr(values, "iloc"):
        return values.iloc[start:stop]
    return np.asarray(values)[start:stop]


def _label(c):
    return f"{100 * c:g}"


def backtest(forecaster, y, horizon, *, X=None, initial=None, step=None, refit=False,
             coverage=(0.8, 0.95), metrics=None):
    """Walk a forecaster forward over a series: forecast, then learn, origin by origin.

    The forecaster is fitted on the first `initial` steps and forecasts
    `horizon` steps; then it is given the next `step` observed values with
    ``update`` (no refit, unless `refit` asks) and forecasts again, until
    the forecasts reach the end of the series. Every origin's forecasts are
    out of sample: the model has seen only the steps up to it.

    Parameters
    ----------
    forecaster : LNNForecaster, NGRCForecaster or LNNForecasterCV
        The (unfitted) forecaster; it is cloned, never changed.

    y : array-like of shape (n_steps,) or (n_steps, n_targets)
        One series (a panel: backtest each series on its own).

    horizon : int >= 1
        Steps forecast from each origin.

    X : array-like of shape (n_steps, n_exog), default=None
        Exogenous inputs, one row per step of `y`; the rows of each origin's
        forecast steps are passed to ``predict``.

    initial : int, default=None
        Steps of the first fit; None means half the series.

    step : int >= 1, default=None
        Steps between origins; None means `horizon` (windows that do not
        overlap).

    refit : bool or int, default=False
        False: fit once, then ``update`` between origins. True: refit on
        all steps up to every origin (an expanding window). An int ``k``:
        refit at every ``k``-th origin, update between.

    coverage : float, list of float or None, default=(0.8, 0.95)
        Coverages of the prediction intervals recorded (``predict_interval``);
        None records none.

    metrics : dict of str to callable, default=None
        Extra per-origin scores ``metric(y_true, y_pred)`` (scikit-learn's
        metric functions fit). Mean absolute and root mean squared errors
        are always recorded.

    Returns
    -------
    table : pandas.DataFrame or dict of ndarray
        One row per origin (a DataFrame when pandas is installed, else a
        dict of arrays of one entry per origin): ``origin`` (the index of
        the last step seen), ``refit``, ``mae``, ``rmse``, the extra
        metrics, ``coverage_<c>`` (the share of forecast values inside the
        interval of coverage ``c``, as a percentage label: ``coverage_80``),
        and the arrays ``y_true``, ``y_pred``, ``error`` (true minus
        forecast), ``lower_<c>``, ``upper_<c>`` of the forecast steps (one
        array per row in the DataFrame).
    """
    ys, Xs, panel, _ = check_series(y, X)
    if panel:
        raise ValueError("backtest takes one series (1D or 2D y); for a panel, "
                         "backtest each series on its own.")
    for name, value in (("horizon", horizon), ("step", step), ("initial", initial)):
        if value is not None and (isinstance(value, (bool, np.bool_))
                                  or not isinstance(value, Integral) or value < 1):
            raise ValueError(f"{name} must be an integer >= 1; got {value!r}.")
    if not (isinstance(refit, (bool, np.bool_)) or (isinstance(refit, Integral) and refit >= 1)):
        raise ValueError(f"refit must be True, False or an integer >= 1; got {refit!r}.")
    if metrics is not None and not (isinstance(metrics, dict) and all(
            isinstance(k, str) and callable(f) for k, f in metrics.items())):
        raise ValueError("metrics must be a dict of names to callables "
                         "metric(y_true, y_pred).")
    n = len(ys[0])
    initial = n // 2 if initial is None else int(initial)
    origins = backtest_origins(n, int(horizon), initial, step or int(horizon))
    if not len(origins):
        raise ValueError(f"No origin: the series has {n} steps, the first fit takes "
                         f"{initial} and each forecast {horizon} more.")
    coverages = [] if coverage is None else list(np.atleast_1d(coverage))
    metrics = {"mae": _mae, "rmse": _rmse, **(metrics or {})}
    rows = []
    model, seen = None, None
    for i, o in enumerate(origins):
        again = model is None or (refit is True) or (
            not isinstance(refit, (bool, np.bool_)) and i % int(refit) == 0)
        if again:
            model = clone(forecaster).fit(_rows(y, 0, o + 1), _rows(X, 0, o + 1))
        else:
            model.update(_rows(y, seen + 1, o + 1), _rows(X, seen + 1, o + 1))
        seen = o
        future = _rows(X, o + 1, o + 1 + horizon)
        pred = np.asarray(model.predict(horizon, future), dtype=float)
        truth = ys[0][o + 1 : o + 1 + horizon].reshape(pred.shape)
        row = {"origin": int(o), "refit": bool(again)}
        row.update({name: float(f(truth, pred)) for name, f in metrics.items()})
        bands = {}
        if coverages:
            iv = np.asarray(model.predict_interval(horizon, future, coverages),
                            dtype=float).reshape(pred.shape + (len(coverages), 2))
            for j, c in enumerate(coverages):
                low, high = iv[..., j, 0], iv[..., j, 1]
                row[f"coverage_{_label(c)}"] = float(np.mean((low <= truth) & (truth <= high)))
                bands[f"lower_{_label(c)}"], bands[f"upper_{_label(c)}"] = low, high
        row.update({"y_true": truth, "y_pred": pred, "error": truth - pred, **bands})
        rows.append(row)
    return _table(rows)


def _table(rows):
    """A DataFrame of the rows when pandas is installed, else a dict of arrays."""
    columns = {key: [r[key] for r in rows] for key in rows[0]}
    try:
        import pandas as pd
    except ImportError:
        return {key: np.array(v) for key, v in columns.items()}
    return pd.DataFrame(columns)
