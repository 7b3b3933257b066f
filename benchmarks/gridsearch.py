"""W4 end to end: a 3x3 leak_rate x spectral_radius grid search, 3-fold, as ratios.

    python benchmarks/gridsearch.py [--quick]

Data: Japanese-Vowels-shaped synthetic classes (9 close classes, about 30 steps x 12
features, lengths 20..35), 300 training and 300 test sequences. Three ways to
tune the same reservoir (500 units, density 0.1, identical features: mean and
last state, standardised, ridge readout):

* ours: ``GridSearchCV(LNNClassifier(...), grid, cv=3)``;
* the loop a ReservoirPy user writes: for every candidate and fold, a new
  ``Reservoir`` whose ``run`` gives the states, then scikit-learn's
  ``RidgeClassifier``; the best candidate is refitted on all training data;
* PyRCN's ``ESNClassifier`` under the same ``GridSearchCV``, where it runs.

Reported: wall time (median of runs), the ratio to ours, and test accuracy.
"""

import sys
import time
import warnings

import numpy as np
from sklearn.linear_model import RidgeClassifier
from sklearn.model_selection import GridSearchCV, ParameterGrid, StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from _bench import parser, import_peer, machine, median_time, table, wait_for_idle
from sklearn_lnn import EchoStatePropertyWarning, LNNClassifier
from sklearn_lnn._engine._cache import FEATURES

GRID = {"leak_rate": [0.1, 0.3, 1.0], "spectral_radius": [0.5, 0.9, 1.2]}
UNITS, DENSITY, CV = 500, 0.1, StratifiedKFold(3, shuffle=True, random_state=0)


def make_vowels_like(n, rng, n_classes=9, n_features=12):
    """Classes of smooth multichannel trajectories, time-warped and noisy."""
    protos = np.cumsum(np.random.RandomState(42).normal(
        size=(n_classes, 40, n_features)), axis=1) / 30  # close classes: a real task
    y = np.arange(n) % n_classes
    X = []
    for label in y:
        length = rng.randint(20, 36)
        grid = np.sort(rng.uniform(0, 39, size=length))
        seq = np.array([np.interp(grid, np.arange(40), protos[label, :, f])
                        for f in range(n_features)]).T
        X.append(seq + rng.normal(scale=0.6, size=seq.shape))
    return X, y


def ours(X, y):
    FEATURES.clear()  # each timed run starts cold; reuse across folds is ours
    search = GridSearchCV(
        LNNClassifier(n_reservoir=UNITS, density=DENSITY, random_state=0),
        GRID, cv=CV,
    )
    with warnings.catch_warnings():
        # the grid deliberately includes spectral_radius > 1
        warnings.simplefilter("ignore", EchoStatePropertyWarning)
        return search.fit(X, y)


def reservoirpy_loop(rpy, X, y):
    """Tune by hand, as a ReservoirPy user does: states from Reservoir.run."""
    def features(params, seqs):
        node = rpy.Reservoir(units=UNITS, lr=params["leak_rate"],
                             sr=params["spectral_radius"], rc_connectivity=DENSITY,
                             input_connectivity=1.0, seed=0)
        states = node.run(seqs)  # one run per call, every sequence from zero
        return np.array([np.concatenate([s[-1], s.mean(axis=0)]) for s in states])

    def readout():
        return make_pipeline(StandardScaler(), RidgeClassifier(alpha=1.0))

    best, best_score = None, -1.0
    for params in ParameterGrid(GRID):
        scores = []
        for train, val in CV.split(X, y):
            model = readout().fit(features(params, [X[i] for i in train]), y[train])
            scores.append(model.score(features(params, [X[i] for i in val]), y[val]))
        if np.mean(scores) > best_score:
            best, best_score = params, np.mean(scores)
    model = readout().fit(features(best, X), y)
    return lambda X_test: model.predict(features(best, X_test))


def pyrcn_search(pyrcn_esn, pyrcn_blocks, X, y):
    def obj(items):
        out = np.empty(len(items), dtype=object)
        out[:] = list(items)
        return out

    esn = pyrcn_esn.ESNClassifier(
        input_to_node=pyrcn_blocks.InputToNode(hidden_layer_size=UNITS,
                                               input_activation="identity"),
        node_to_node=pyrcn_blocks.NodeToNode(hidden_layer_size=UNITS,
                                             sparsity=DENSITY),
        requires_sequence=True, verbose=False,
    )
    grid = {"leakage": GRID["leak_rate"], "spectral_radius": GRID["spectral_radius"]}
    # PyRCN needs y as an object array of per-sequence arrays, and its
    # predictions come back the same way, which scikit-learn's accuracy scorer
    # rejects ("unknown" target type): score on the unwrapped labels instead.
    y_obj = obj([np.array([label]) for label in y])

    def unwrap(values):
        return np.array([np.ravel(v)[0] for v in values])

    def accuracy(estimator, X_val, y_val):
        return np.mean(unwrap(estimator.predict(X_val)) == unwrap(y_val))

    splits = list(CV.split(X, y))  # the same folds, computed on the plain labels
    search = GridSearchCV(esn, grid, cv=splits, scoring=accuracy).fit(obj(X), y_obj)
    return lambda X_test: unwrap(search.predict(obj(X_test)))


def main(argv=None):
    quick_help = "one timed run per library (under a minute without PyRCN)"
    args = parser(__doc__, quick_help).parse_args(argv)
    repeats = 1 if args.quick else 3
    rng = np.random.RandomState(0)
    X, y = make_vowels_like(300, rng)
    X_test, y_test = make_vowels_like(300, rng)
    print(f"Machine: {machine()}", file=sys.stderr)

    rows = []
    wait_for_idle()
    t_ours, search = median_time(lambda: ours(X, y), repeats, warmup=False)
    acc = search.score(X_test, y_test)
    rows.append(["sklearn_lnn GridSearchCV", f"{t_ours:.2f}", "1.0x", f"{acc:.3f}"])
    print(f"  ours {t_ours:.2f} s, accuracy {acc:.3f}", file=sys.stderr)

    rpy, error = import_peer("reservoirpy.nodes")
    if rpy is None:
        rows.append(["ReservoirPy loop", "-", f"not installed: {error}", "-"])
    else:
        t, predict = median_time(lambda: reservoirpy_loop(rpy, X, y), repeats,
                                 warmup=False)
        acc = np.mean(predict(X_test) == y_test)
        rows.append(["ReservoirPy loop", f"{t:.2f}", f"{t / t_ours:.1f}x", f"{acc:.3f}"])
        print(f"  ReservoirPy {t:.2f} s, accuracy {acc:.3f}", file=sys.stderr)

    esn, error = import_peer("pyrcn.echo_state_network")
    blocks, error2 = import_peer("pyrcn.base.blocks")
    if esn is None or blocks is None:
        rows.append(["PyRCN GridSearchCV", "-", f"not installed: {error or error2}", "-"])
    else:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                start = time.perf_counter()
                predict = pyrcn_search(esn, blocks, X, y)
                t = time.perf_counter() - start
                acc = np.mean(predict(X_test) == y_test)
            rows.append(["PyRCN GridSearchCV (1 run)", f"{t:.2f}",
                         f"{t / t_ours:.1f}x", f"{acc:.3f}"])
        except Exception as exc:  # a peer that fails is a result
            rows.append(["PyRCN GridSearchCV", "-",
                         f"failed: {type(exc).__name__}: {str(exc)[:80]}", "-"])

    print(table(rows, ["method", "time (s)", "time / ours", "test accuracy"]))
    print(f"\nMachine: {machine()}")
    print(f"3x3 grid {GRID}, 3-fold, {UNITS} units, density {DENSITY}; "
          f"medians of {repeats} run(s).")


if __name__ == "__main__":
    main()
