"""W1 with the default configuration: this checkout vs another one, as a ratio.

    python benchmarks/compare_versions.py OTHER_CHECKOUT [--repeats 5]

For example, to check a change for speed regressions:

    git worktree add /tmp/before <commit> && python benchmarks/compare_versions.py /tmp/before

Each run times ``ReservoirTransformer(random_state=0)`` (every other parameter
at its default) fitting and transforming W1 (2,000 sequences x 100 steps x 10
features, float64 and float32) in a fresh subprocess importing sklearn_lnn from
one checkout; the two checkouts alternate so both see the same machine load.
Printed: the median over pairs of (this / other).
"""

import argparse
import json
import pathlib
import statistics
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parents[1]

CHILD = r"""
import json, sys, time, numpy as np
sys.path.insert(0, sys.argv[1])
import sklearn_lnn
from sklearn_lnn import ReservoirTransformer
try:
    from sklearn_lnn._engine._cache import FEATURES
    FEATURES.max_bytes = 0  # time the computation, not the cache
except ImportError:
    pass
out = {}
for dtype in (np.float64, np.float32):
    X = np.random.RandomState(0).normal(size=(2000, 100, 10)).astype(dtype)
    est = ReservoirTransformer(random_state=0).fit(X)
    est.transform(X[:50])
    start = time.perf_counter()
    est.transform(X)
    out[np.dtype(dtype).name] = time.perf_counter() - start
print(json.dumps(out))
"""


def run(checkout):
    result = subprocess.run([sys.executable, "-c", CHILD, str(checkout)],
                            capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawTextHelpFormatter)
    parser.add_argument("other", type=pathlib.Path, help="another sklearn_lnn checkout")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    ratios = {"float64": [], "float32": []}
    for _ in range(args.repeats):
        this, other = run(HERE), run(args.other)
        for key in ratios:
            ratios[key].append(this[key] / other[key])
    for key, values in ratios.items():
        print(f"W1 default configuration, {key}: this / other = "
              f"{statistics.median(values):.3f} (pairs: "
              + ", ".join(f"{v:.2f}" for v in values) + ")")


if __name__ == "__main__":
    main()
