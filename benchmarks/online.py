"""Online learning and scaling out: drift, a dask cluster, out-of-core memory.

    python benchmarks/online.py [--quick] [--plot PATH] [--scale]

* Drift: binary sequences whose labelling rule changes half-way through a
  stream of 100-sequence chunks (the class is the sign of the mean of channel
  0, then of channel 1). After every chunk, test accuracy on fresh
  post-change data of ``partial_fit`` with forgetting_factor 1 (static) and
  0.995, against a model fitted on the post-change chunks only.
* Distributed fit: ``sklearn_lnn.parallel.fit`` on a dask array of
  sequences, on a LocalCluster of 1 and then 2 worker processes with one
  thread each (BLAS limited to one thread), same data, ratio of wall times;
  the coefficients are compared with a local fit.
* Memory: peak allocation (tracemalloc) of ``LNNClassifier.fit`` against the
  input and the full float64 feature matrix it no longer holds, with the
  feature cache switched off (the cache keeps rows for later folds within its
  own bound, 256 MB by default).
* ``--scale``: the full-size check, 60,000 sequences x 28 steps x 28 features,
  1,000 units, float32: fit time against numpy's GEMM floor for the same
  recurrent products, timed in the same run, and peak memory.
"""

import os
import sys
import time
import warnings

import numpy as np

from _bench import machine, parser, peak_memory, table
from sklearn_lnn import LNNClassifier, config_context


def drift(plot=None):
    rng = np.random.RandomState(1)

    def chunk(n, rule):
        X = rng.normal(size=(n, 10, 2))
        return X, (X[:, :, rule].mean(axis=1) > 0).astype(int)

    stream = [chunk(100, 0) for _ in range(20)] + [chunk(100, 1) for _ in range(20)]
    X_test, y_test = chunk(2000, 1)
    params = {"n_reservoir": 100, "standardize": False, "random_state": 0}
    curves = {}
    for factor in (1.0, 0.995):
        model, curve = LNNClassifier(**params, forgetting_factor=factor), []
        for X, y in stream:
            curve.append(model.partial_fit(X, y, classes=[0, 1]).score(X_test, y_test))
        curves[factor] = curve
    after = LNNClassifier(**params).fit(np.concatenate([X for X, _ in stream[20:]]),
                                        np.concatenate([y for _, y in stream[20:]]))
    reference = after.score(X_test, y_test)
    if plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(7, 3))
        seen = 100 * np.arange(1, len(stream) + 1)
        ax.plot(seen, curves[1.0], label="forgetting_factor=1 (static)")
        ax.plot(seen, curves[0.995], label="forgetting_factor=0.995")
        ax.axhline(reference, color="0.5", ls=":", label="fitted on post-change data only")
        ax.axvline(2000, color="0.7", lw=0.8)
        ax.set_xlabel("sequences seen (the rule changes at 2,000)")
        ax.set_ylabel("accuracy on the new rule")
        ax.legend(fontsize=8, loc="lower right")
        fig.tight_layout()
        fig.savefig(plot, dpi=120)
    return curves[1.0][-1], curves[0.995][-1], reference


def distributed(quick):
    import dask.array as da
    from distributed import Client, LocalCluster

    from sklearn_lnn import parallel

    os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = "1"
    n = 4000 if quick else 16000
    X = da.random.RandomState(0).normal(size=(n, 100, 10), chunks=(500, 100, 10))
    y = (X[:, -5:, 0].sum(axis=1) > 0).astype(int)
    times, models = {}, {}
    for workers in (1, 2):
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=None) as cluster, \
                Client(cluster):
            X_, y_ = X.persist(), y.persist()  # data generated on the workers first
            start = time.perf_counter()
            models[workers] = parallel.fit(LNNClassifier(random_state=0), X_, y_)
            times[workers] = time.perf_counter() - start
    diff = np.abs(models[1].coef_ - models[2].coef_).max() / np.abs(models[1].coef_).max()
    return n, times, diff


def memory():
    rng = np.random.RandomState(0)
    X = rng.normal(size=(20000, 30, 5)).astype(np.float32)
    y = rng.randint(0, 5, size=len(X))
    model = LNNClassifier(n_reservoir=500, random_state=0)
    with config_context(feature_cache_bytes=0):  # the cache's memory is its own bound
        peak = peak_memory(lambda: model.fit(X, y))
    full = len(X) * model.reservoir_._n_features_out * 8
    return X.nbytes, full, peak


def scale_check():
    """60,000 x 28 x 28, 1,000 units, float32: fit time vs the GEMM floor."""
    rng = np.random.RandomState(0)
    X = rng.uniform(0, 1, size=(60000, 28, 28)).astype(np.float32)
    y = rng.randint(0, 10, size=len(X))
    n, T = 1000, 28
    # the floor: the recurrent products alone, as (B, n + d + 1) @ (n + d + 1, n)
    # per step over all sequences, in float32 (blocks of 256 like the engine)
    A = rng.normal(size=(256, n + 29)).astype(np.float32)
    B = rng.normal(size=(n + 29, n)).astype(np.float32)
    out = np.empty((256, n), np.float32)
    start = time.perf_counter()
    for _ in range(int(np.ceil(len(X) / 256)) * T):
        np.matmul(A, B, out=out)
    floor = time.perf_counter() - start
    model = LNNClassifier(n_reservoir=n, random_state=0)
    start = time.perf_counter()
    model.fit(X, y)
    fit_time = time.perf_counter() - start
    with config_context(feature_cache_bytes=0):
        peak = peak_memory(lambda: LNNClassifier(n_reservoir=n, random_state=0).fit(X, y))
    full = len(X) * model.reservoir_._n_features_out * 8
    return fit_time, floor, peak, X.nbytes, full


def main(argv=None):
    p = parser(__doc__, "smaller distributed workload")
    p.add_argument("--plot", help="write the drift figure to this PNG")
    p.add_argument("--scale", action="store_true", help="also the 60,000-sequence check")
    args = p.parse_args(argv)
    warnings.simplefilter("ignore")
    print(machine())
    static, forgetting, reference = drift(args.plot)
    rows = [["drift: accuracy on the new rule after the stream (static / forgetting 0.995 "
             "/ fitted on post-change data)",
             f"{static:.3f} / {forgetting:.3f} / {reference:.3f}"]]
    n, times, diff = distributed(args.quick)
    rows.append([f"distributed fit, {n} x 100 x 10, 500 units: 1 worker / 2 workers",
                 f"{times[1]:.1f} s / {times[2]:.1f} s = {times[1] / times[2]:.2f}x "
                 f"(coefficients equal to {diff:.1e})"])
    data, full, peak = memory()
    rows.append(["fit peak memory, 20,000 x 30 x 5 float32, 500 units",
                 f"{peak / 2**20:.0f} MB (input {data / 2**20:.0f} MB, full float64 feature "
                 f"matrix {full / 2**20:.0f} MB)"])
    if args.scale:
        fit_time, floor, peak, data, full = scale_check()
        rows.append(["60,000 x 28 x 28 float32, 1,000 units: fit / GEMM floor",
                     f"{fit_time:.1f} s / {floor:.1f} s = {fit_time / floor:.2f}x"])
        rows.append(["  its peak memory",
                     f"{peak / 2**20:.0f} MB (input {data / 2**20:.0f} MB + 25% of "
                     f"{full / 2**20:.0f} MB = {(data + full / 4) / 2**20:.0f} MB allowed)"])
    print(table(rows, ["measure", "result"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
