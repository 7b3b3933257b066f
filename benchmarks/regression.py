"""Extrinsic regression (a number from a whole series): LNNRegressor against
aeon's MiniRocketRegressor and MultiRocketRegressor (issue 29).

    python benchmarks/regression.py [--quick]

Tasks (nothing is downloaded; the synthetic ones are generated here, fixed
seeds, 400 training and 400 test series of 100 steps, noise sd 0.1):

* peak height: two to four Gaussian bumps (random centres, widths 3-10
  steps, heights 0.2-1) on a random linear baseline; target = the tallest
  bump's height above the baseline;
* slope change: a piecewise-linear curve with one break at a random step
  (20-80); target = the slope after the break minus the slope before;
* curvature: a random parabola ``c (t - t0)^2`` plus a random sinusoid of
  amplitude up to 0.5; target = ``c`` (the shape, under a distraction);
* bump width: one Gaussian bump of height 1 at a random place; target = its
  width (sd, 2-12 steps);
* aeon's bundled Covid3Month (univariate, 84 steps) and CardanoSentiment
  (2 channels, 24 steps), official splits.

Targets are standardised on the training split; RMSE in those units (the
mean predictor scores about 1). Rows: LNNRegressor defaults (seeds 0-2, mean;
``--quick``: seed 0), the variants named in the issue, and the two Rocket
regressors (aeon defaults, ``random_state=0``); fit + predict time of each
over all tasks, and ours relative to MultiRocket's.
"""

import time
import warnings

import numpy as np

from _bench import import_peer, machine, parser, table
from sklearn_lnn import LNNRegressor
from sklearn_lnn.datasets import from_channels_first

N, STEPS, NOISE = 400, 100, 0.1
VARIANTS = {
    "LNNRegressor defaults": {},
    "include_difference=False": {"include_difference": False},
    "aggregation mean_max_ppv_model": {"aggregation": "mean_max_ppv_model"},
    "no coarse pass": {"coarse_factor": None},
}


def _peaks(rng):
    t = np.arange(STEPS)
    base = rng.uniform(-0.5, 0.5) + rng.uniform(-0.005, 0.005) * t
    heights = rng.uniform(0.2, 1.0, rng.integers(2, 5))
    x = base.copy()
    for h in heights:
        x += h * np.exp(-0.5 * ((t - rng.uniform(10, 90)) / rng.uniform(3, 10)) ** 2)
    return x, heights.max()


def _slope_change(rng):
    t = np.arange(STEPS)
    b = rng.integers(20, 80)
    s1, s2 = rng.uniform(-0.03, 0.03, 2)
    return np.where(t < b, s1 * (t - b), s2 * (t - b)) + rng.uniform(-1, 1), s2 - s1


def _curvature(rng):
    t = np.arange(STEPS) / STEPS
    c = rng.uniform(-2, 2)
    x = c * (t - rng.uniform(0.3, 0.7)) ** 2
    x += rng.uniform(0, 0.5) * np.sin(2 * np.pi * rng.uniform(2, 6) * t + rng.uniform(0, 6.3))
    return x, c


def _width(rng):
    t = np.arange(STEPS)
    w = rng.uniform(2, 12)
    return np.exp(-0.5 * ((t - rng.uniform(25, 75)) / w) ** 2), w


SYNTHETIC = {"peak height": _peaks, "slope change": _slope_change, "curvature": _curvature,
             "bump width": _width}


def synthetic(make, seed):
    rng = np.random.default_rng(seed)
    pairs = [make(rng) for _ in range(2 * N)]
    X = np.array([p[0] for p in pairs]) + NOISE * rng.standard_normal((2 * N, STEPS))
    y = np.array([p[1] for p in pairs])
    return X[:N, :, None], X[N:, :, None], y[:N], y[N:]


def aeon_set(name):
    data, error = import_peer("aeon.datasets")
    if data is None:
        raise RuntimeError(error)
    X, y = data.load_regression(name, split="train")
    X_test, y_test = data.load_regression(name, split="test")
    return (from_channels_first(X), from_channels_first(X_test), y.astype(float),
            y_test.astype(float))


def tasks():
    out = {name: synthetic(make, seed) for seed, (name, make) in enumerate(SYNTHETIC.items())}
    for name in ("Covid3Month", "CardanoSentiment"):
        try:
            out[name] = aeon_set(name)
        except Exception as exc:  # noqa: BLE001 (a missing set is reported)
            print(f"{name}: not available ({exc})")
    return out


def rmse(model, X, X_test, y, y_test):
    mean, sd = y.mean(), y.std()
    start = time.perf_counter()
    pred = model.fit(X, (y - mean) / sd).predict(X_test)
    return float(np.sqrt(np.mean((pred - (y_test - mean) / sd) ** 2))), \
        time.perf_counter() - start


def channels_first(X):
    return np.transpose(np.asarray(X), (0, 2, 1))


def main(argv=None):
    args = parser(__doc__, "one reservoir seed, defaults and the Rockets only").parse_args(argv)
    seeds = (0,) if args.quick else (0, 1, 2)
    variants = {"LNNRegressor defaults": {}} if args.quick else VARIANTS
    conv, error = import_peer("aeon.regression.convolution_based")
    rockets = {} if conv is None else {
        "MiniRocketRegressor": lambda: conv.MiniRocketRegressor(random_state=0),
        "MultiRocketRegressor": lambda: conv.MultiRocketRegressor(random_state=0)}
    if conv is None:
        print(f"aeon unavailable: {error}")
    print(machine())
    data = tasks()
    rows, times = [], {}
    for name, params in variants.items():
        cells = []
        for X, X_test, y, y_test in data.values():
            runs = [rmse(LNNRegressor(random_state=s, **params), X, X_test, y, y_test)
                    for s in seeds]
            cells.append(np.mean([r[0] for r in runs]))
            times[name] = times.get(name, 0.0) + np.mean([r[1] for r in runs])
        rows.append([name] + [f"{c:.3f}" for c in cells])
    for name, make in rockets.items():
        cells = []
        for X, X_test, y, y_test in data.values():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                score, seconds = rmse(make(), channels_first(X), channels_first(X_test), y,
                                      y_test)
            cells.append(score)
            times[name] = times.get(name, 0.0) + seconds
        rows.append([name] + [f"{c:.3f}" for c in cells])
    print("RMSE in units of the training targets' standard deviation (lower is better):")
    print(table(rows, ["model", *data]))
    if "MultiRocketRegressor" in times:
        print("fit + predict over all tasks, relative to MultiRocketRegressor's: " + ", ".join(
            f"{k} {v / times['MultiRocketRegressor']:.2f}" for k, v in times.items()))


if __name__ == "__main__":
    main()
