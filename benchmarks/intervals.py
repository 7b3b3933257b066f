"""Prediction intervals against statsforecast's (issue 28).

For each family of series, over the same backtest windows: the empirical
coverage of the 80 % and 95 % intervals (pooled over every forecast value
of the family), their mean width and their Winkler score, both in units of
each series' mean absolute one-step change (MASE's unit, so series of any
scale pool). Ours: ``LNNForecaster`` (defaults, the set's season when it has
one) and ``LNNForecasterCV`` (``horizon`` = the set's), walked with
``sklearn_lnn.forecasting.backtest`` (fitted at the first window, ``update``
after). statsforecast: ``AutoETS`` with its native intervals and with
``ConformalIntervals(h, n_windows=2)``, refitted at every window (they have
no update). Families:

* short real series (Airline, Lynx, ShampooSales, solar, the 181 M1 yearly
  series): up to three windows of the benchmark's horizon at each series'
  end (fewer where the series is short; the first fit keeps at least 12
  steps);
* the Santa Fe laser and Mackey-Glass: the five origins of
  ``benchmarks/forecasting.py`` (one window of 100 / 84 steps each);
* Mackey-Glass again with 20 origins (the same protocol, 1,084 steps apart):
  a chaotic forecast either stays on the trajectory for its 84 steps or
  leaves it, so one window covers 0.36 or 1.0 of its values and five
  windows pool to a coverage with a standard error of about 0.1.

On the short real series ours also runs refitted at every window (as
statsforecast's models are), beside the benchmark's fit-then-update walk.

Run: ``python benchmarks/intervals.py [--quick]`` (``--quick``: our
LNNForecaster and AutoETS only, no LNNForecasterCV; ``benchmarks/forecasting.py``
prints this table at its end).
"""

import sys
import time
import warnings

import numpy as np

from _bench import import_peer, machine, table
from _forecast_sets import FURTHER_SETS, SHORT_SETS, load

from sklearn_lnn import LNNForecaster, LNNForecasterCV
from sklearn_lnn.datasets import make_mackey_glass
from sklearn_lnn.forecasting import backtest

LEVELS = (80, 95)
WINDOWS = 3
MIN_FIRST_FIT = 12


def winkler(y, low, high, level):
    """Winkler score of the interval [low, high] of nominal `level` (%)."""
    a = 1 - level / 100
    return (high - low) + (2 / a) * np.maximum(low - y, 0) + (2 / a) * np.maximum(y - high, 0)


def windows(sets, names):
    """[(family, full series, first-fit length, horizon, season)] of the sets."""
    out = []
    for name in names:
        loaded, error = load(sets, name)
        if loaded is None:
            print(f"{name}: not available ({error})")
            continue
        pairs, h, season = loaded
        for train, test in pairs:
            full = np.r_[train, test]
            if sets is SHORT_SETS:
                w = min(WINDOWS, (len(full) - MIN_FIRST_FIT) // h)
                if w >= 1:
                    out.append((full, len(full) - w * h, h, season))
            else:
                out.append((full, len(train), h, season))
    return out


def mackey_glass_windows(n_origins=20, train=3000, horizon=84, apart=1084):
    """The Mackey-Glass protocol of benchmarks/forecasting.py at more origins."""
    y = make_mackey_glass(train + n_origins * apart)
    starts = [train + i * apart for i in range(n_origins)]
    return [(y[s - train : s + horizon], train, horizon, 1) for s in starts]


def ours(make, items, refit=False):
    """[(y, low (n_levels, ...), high, scale)] of our forecaster over the windows."""
    rows = []
    for full, initial, h, season in items:
        table = backtest(make(h, season), full, h, initial=initial, refit=refit,
                         coverage=[lv / 100 for lv in LEVELS])
        scale = np.mean(np.abs(np.diff(full[:initial]))) or 1.0
        for i in range(len(table["origin"])):
            rows.append((np.asarray(table["y_true"][i]),
                         np.array([table[f"lower_{lv}"][i] for lv in LEVELS]),
                         np.array([table[f"upper_{lv}"][i] for lv in LEVELS]), scale))
    return rows


def statsforecast_rows(factory, items):
    """The same windows with a statsforecast model refitted at each origin;
    windows it cannot fit are counted, not scored."""
    rows, failed = [], 0
    for full, initial, h, season in items:
        scale = np.mean(np.abs(np.diff(full[:initial]))) or 1.0
        for o in range(initial - 1, len(full) - h, h):
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    f = factory(h, season).forecast(y=full[: o + 1], h=h, level=list(LEVELS))
            except Exception:  # noqa: BLE001 (too short for its conformal windows, ...)
                failed += 1
                continue
            rows.append((full[o + 1 : o + 1 + h],
                         np.array([f[f"lo-{lv}"] for lv in LEVELS]),
                         np.array([f[f"hi-{lv}"] for lv in LEVELS]), scale))
    return rows, failed


def summary(rows):
    """Coverage, mean width and Winkler score per level, pooled."""
    cells = []
    for j, lv in enumerate(LEVELS):
        y = np.concatenate([r[0] for r in rows])
        low = np.concatenate([r[1][j] for r in rows])
        high = np.concatenate([r[2][j] for r in rows])
        scale = np.concatenate([np.full(len(r[0]), r[3]) for r in rows])
        cells += [f"{np.mean((low <= y) & (y <= high)):.3f}",
                  f"{np.mean((high - low) / scale):.2f}",
                  f"{np.mean(winkler(y, low, high, lv) / scale):.2f}"]
    return cells


def report(quick=False):
    """The table: every family, our models and statsforecast's."""
    models, error = import_peer("statsforecast.models")
    utils, _ = import_peer("statsforecast.utils")
    peers = {}
    if models is None:
        print(f"statsforecast not available: {error}")
    else:
        peers["AutoETS (native)"] = lambda h, m: models.AutoETS(season_length=m)
        if not quick:
            peers["AutoETS + ConformalIntervals"] = lambda h, m: models.AutoETS(
                season_length=m, prediction_intervals=utils.ConformalIntervals(h=h, n_windows=2))
    plain = lambda h, m: LNNForecaster(random_state=0, season=m if m > 1 else None)  # noqa: E731
    mine = {"LNNForecaster": (plain, False)}
    if not quick:
        mine["LNNForecasterCV"] = (lambda h, m: LNNForecasterCV(horizon=h, random_state=0),
                                   False)
    families = {
        "short real (5 sets)": windows(SHORT_SETS, list(SHORT_SETS)),
        "Santa Fe laser": windows(FURTHER_SETS, ["Santa Fe laser (5 origins)"]),
        "Mackey-Glass": windows(FURTHER_SETS, ["Mackey-Glass (5 origins)"]),
        "Mackey-Glass, 20 origins": mackey_glass_windows(),
    }
    header = ["family", "model", "windows", "cov 80", "width 80", "Winkler 80",
              "cov 95", "width 95", "Winkler 95", "s"]
    rows_out = []
    for family, items in families.items():
        if not items:
            continue
        models_here = dict(mine)
        if family.startswith("short"):
            models_here["LNNForecaster, refit per window"] = (plain, True)
        for name, (make, refit) in models_here.items():
            start = time.perf_counter()
            rows = ours(make, items, refit)
            rows_out.append([family, name, str(len(rows))] + summary(rows)
                            + [f"{time.perf_counter() - start:.0f}"])
        for name, make in peers.items():
            start = time.perf_counter()
            rows, failed = statsforecast_rows(make, items)
            label = name + (f" ({failed} windows failed)" if failed else "")
            rows_out.append([family, label, str(len(rows))] + (summary(rows) if rows else
                                                             ["-"] * 6)
                            + [f"{time.perf_counter() - start:.0f}"])
    print("Widths and Winkler scores in units of each series' mean absolute one-step "
          "change; coverage pooled over every forecast value of the family.")
    print(table(rows_out, header))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    # expected on these series: alpha="auto" above its grid on flat M1 years,
    # diverging forecasts (which the table scores as they are)
    warnings.simplefilter("ignore")
    print(machine())
    report("--quick" in argv)


if __name__ == "__main__":
    main()
