"""Forecasting series and baselines of benchmarks/forecasting.py: the short
real series (aeon), the further series (PBS, Uschange, the Santa Fe laser,
Mackey-Glass), MASE, and statsforecast's models through their public API.

Every set is a list of (training series, truth) pairs with its horizon and
season; the statsforecast models (AutoETS, AutoTheta, AutoARIMA,
SeasonalNaive) and ours forecast the same pairs, and each model's fit +
predict time over a set is summed.
"""

import os
import time
import warnings

import numpy as np

from _bench import import_peer


def mase(train, test, pred, season):
    """Mean absolute error over that of the in-sample seasonal naive forecast."""
    m = season if len(train) > 2 * season else 1
    return float(np.mean(np.abs(test - pred)) / np.mean(np.abs(train[m:] - train[:-m])))


def _m1_yearly(data):
    import aeon

    path = os.path.join(os.path.dirname(aeon.__file__), "datasets", "data",
                        "m1_yearly_dataset", "m1_yearly_dataset.tsf")
    return [np.asarray(v, dtype=float) for v in data.load_from_tsf_file(path)[0].series_value]


def _last(series, h):
    return [(y[:-h], y[-h:]) for y in (np.asarray(v, dtype=float).ravel() for v in series)]


#: Short real series: (pairs from aeon's datasets module, horizon, season).
SHORT_SETS = {
    "Airline": (lambda d: _last([d.load_airline()], 12), 12, 12),
    "Lynx": (lambda d: _last([d.load_lynx()], 14), 14, 10),
    "ShampooSales": (lambda d: _last([d.load_shampoo_sales()], 6), 6, 1),
    "solar": (lambda d: _last([d.load_solar()], 48), 48, 48),
    "M1 yearly (181)": (lambda d: _last(_m1_yearly(d), 6), 6, 1),
}


#: Sets of distinct series, which ours fit as one panel (each member in its
#: own units). The other sets with several pairs are windows of one series
#: at several origins: a later window's training data hold an earlier
#: window's truth, so each window is fitted alone.
PANEL_SETS = {"M1 yearly (181)"}


def _origins(y, train, horizon, starts):
    return [(y[s - train : s], y[s : s + horizon]) for s in starts]


def _laser(d):
    data, _ = import_peer("reservoirpy.datasets")
    if data is None:
        raise FileNotFoundError("reservoirpy is not installed")
    y = np.asarray(data.santafe_laser(), dtype=float).ravel()
    return _origins(y, 5000, 100, (5000, 6000, 7000, 8000, 9000))


def _mackey_glass(d):
    from sklearn_lnn.datasets import make_mackey_glass

    y = make_mackey_glass(3000 + 5 * 1084)
    return _origins(y, 3000, 84, [3000 + i * 1084 for i in range(5)])


#: Further series: (pairs, horizon, season). PBS_dataset is monthly, the
#: Uschange target its first column (quarterly consumption changes); the
#: laser and Mackey-Glass forecast from five origins (the laser and Jaeger
#: protocols' training lengths).
FURTHER_SETS = {
    "PBS_dataset": (lambda d: _last([d.load_PBS_dataset()], 12), 12, 12),
    "Uschange": (lambda d: _last([np.asarray(d.load_uschange())[0]], 8), 8, 4),
    "Santa Fe laser (5 origins)": (_laser, 100, 1),
    "Mackey-Glass (5 origins)": (_mackey_glass, 84, 1),
}

STATS_MODELS = ["AutoETS", "AutoTheta", "AutoARIMA", "SeasonalNaive"]


def load(sets, name):
    """(pairs, horizon, season) of set `name`, or the reason it is missing."""
    data, error = import_peer("aeon.datasets")
    if data is None:
        return None, error
    loader, h, season = sets[name]
    try:
        with warnings.catch_warnings():  # aeon 1.6 deprecates some loaders
            warnings.simplefilter("ignore", FutureWarning)
            return (loader(data), h, season), None
    except (AttributeError, FileNotFoundError) as exc:  # removed in aeon 1.7
        return None, f"{type(exc).__name__}: {exc}"


def statsforecast_models():
    """{name: factory(season) -> model} of statsforecast, or the reason it
    cannot run. The numba functions are compiled here, not in the timings."""
    models, error = import_peer("statsforecast.models")
    if models is None:
        return None, error
    factories = {name: (lambda season, cls=getattr(models, name): cls(season_length=season))
                 for name in STATS_MODELS}
    y = np.sin(np.arange(60.0)) + 0.1 * np.arange(60.0)
    for make in factories.values():
        make(4).forecast(y=y, h=3)
    return factories, None


def score_model(forecast, pairs, h, season):
    """(mean MASE, seconds) of ``forecast(train, h) -> (h,) forecast``."""
    scores, start = [], time.perf_counter()
    for train, test in pairs:
        scores.append(mase(train, test, forecast(train, h), season))
    return float(np.mean(scores)), time.perf_counter() - start


def score_panel(model, pairs, h, season):
    """(mean MASE, seconds) of `model` fitted once on the panel of every
    pair's training series (one model, each member in its own units) and
    forecasting all of them."""
    start = time.perf_counter()
    forecasts = model.fit([train for train, _ in pairs]).predict(h)
    scores = [mase(train, test, np.asarray(f).ravel(), season)
              for (train, test), f in zip(pairs, forecasts)]
    return float(np.mean(scores)), time.perf_counter() - start


def score_statsforecast(factories, pairs, h, season):
    """{model: (mean MASE, seconds)} of the statsforecast models."""
    return {name: score_model(lambda y, h, make=make: make(season).forecast(y=y, h=h)["mean"],
                              pairs, h, season)
            for name, make in factories.items()}
