"""``python -m sklearn_lnn``: tune, score, save and reload a reservoir classifier.

On scikit-learn's digits read as 8-step sequences of 8 features: a 3-fold
GridSearchCV over leak_rate x spectral_radius on a stratified 70% training
split, the score table, the held-out test accuracy, and a joblib round trip
that must reproduce the predictions exactly.
"""

import argparse
import os
import sys
import tempfile
import time

import joblib
import numpy as np
from sklearn.model_selection import GridSearchCV, train_test_split

from . import LNNClassifier, __version__
from .datasets import load_digits_sequences

GRID = {"leak_rate": [0.2, 0.5, 1.0], "spectral_radius": [0.5, 0.8, 1.0]}


def _table(cv_results):
    """The grid as rows of leak_rate and columns of spectral_radius."""
    scores = {
        (p["leak_rate"], p["spectral_radius"]): (m, s)
        for p, m, s in zip(
            cv_results["params"],
            cv_results["mean_test_score"],
            cv_results["std_test_score"],
        )
    }
    radii = GRID["spectral_radius"]
    lines = ["leak_rate \\ spectral_radius " + "".join(f"{r:>16}" for r in radii)]
    for leak in GRID["leak_rate"]:
        cells = "".join(
            "{:>9.4f} ±{:.3f}".format(*scores[leak, r]) for r in radii
        )
        lines.append(f"{leak:>27} {cells}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m sklearn_lnn", description=__doc__)
    parser.add_argument("--n-jobs", type=int, default=2,
                        help="parallel GridSearchCV jobs (default: 2)")
    parser.add_argument("--model-path", default=None,
                        help="where to save the model (default: a temporary file)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    X, y = load_digits_sequences(return_X_y=True)
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=0.3, stratify=y, random_state=0
    )
    print(f"sklearn_lnn {__version__}: digits as sequences, X {X.shape} "
          f"(n_sequences, n_steps, n_features); train {len(X_train)}, "
          f"test {len(X_test)}")
    print(f"3-fold GridSearchCV over {GRID} ...\n")
    search = GridSearchCV(
        LNNClassifier(random_state=0), GRID, cv=3, n_jobs=args.n_jobs
    ).fit(X_train, y_train)
    print("Mean cross-validated accuracy (± std over folds):")
    print(_table(search.cv_results_))
    print(f"\nBest parameters: {search.best_params_} "
          f"(CV accuracy {search.best_score_:.4f})")
    model = search.best_estimator_
    accuracy = model.score(X_test, y_test)
    print(f"Held-out test accuracy: {accuracy:.4f}")

    with tempfile.TemporaryDirectory() as tmp:
        path = args.model_path or os.path.join(tmp, "lnn_digits.joblib")
        joblib.dump(model, path)
        reloaded = joblib.load(path)
        same = np.array_equal(reloaded.predict(X_test), model.predict(X_test))
        print(f"Saved to {path} ({os.path.getsize(path) / 1e6:.1f} MB), reloaded: "
              f"predictions {'identical' if same else 'DIFFERENT'}")
    print(f"Done in {time.perf_counter() - start:.1f} s")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
