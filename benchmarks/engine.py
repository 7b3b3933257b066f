"""State-engine benchmark: sklearn_lnn vs ReservoirPy and PyRCN, as ratios.

    python benchmarks/engine.py [--quick]

Workloads (identical inputs and identical reservoir weights for every library:
the peers get our fitted matrices, so their states are checked against ours):

* W1 batch: 2,000 sequences x 100 steps x 10 features, 500 units, density 0.1,
  float64 and float32.
* W2 ragged: 2,000 sequences of 20..200 steps, otherwise as W1.
* W3 one long series: 20,000 steps x 1 feature, 100 and 1,000 units.

The floor is numpy's own matrix product for the same recurrent FLOPs at the
same dtype and shape, timed in the same run: efficiency = floor / ours. Peers
that cannot be imported or run are reported with the reason. With --quick the
peers run on a subset of the sequences and their time is scaled per step.
"""

import argparse
import sys
import warnings

import numpy as np
import scipy.sparse as sp

from _bench import (
    parser,
    import_peer,
    machine,
    median_time,
    peak_memory,
    table,
    wait_for_idle,
)
from sklearn_lnn import ReservoirTransformer
from sklearn_lnn._engine._cache import FEATURES
from sklearn_lnn._engine._dynamics import BLOCK_SIZE

# Time the state computation itself: repeated transforms of the same data
# would otherwise be answered by the feature cache.
FEATURES.max_bytes = 0

N_UNITS, DENSITY, LEAK, RADIUS = 500, 0.1, 0.5, 0.9


def floor_time(n_sequences, n_steps, n_units, dtype, repeats):
    """numpy matmul for the recurrent FLOPs of the workload: one (block, N) @
    (N, N) product per step per block of sequences."""
    rng = np.random.RandomState(0)
    W = rng.normal(size=(n_units, n_units)).astype(dtype)
    b = min(BLOCK_SIZE, n_sequences)
    H = rng.normal(size=(b, n_units)).astype(dtype)
    out = np.empty_like(H)
    n_products = n_steps * int(np.ceil(n_sequences / b))

    def run():
        for _ in range(n_products):
            np.matmul(H, W, out=out)

    return median_time(run, repeats)[0]


class Peers:
    """The peers' public state-computation calls, on our fitted weights."""

    def __init__(self):
        self.rpy, self.rpy_error = import_peer("reservoirpy.nodes")
        self.pyrcn, self.pyrcn_error = import_peer("pyrcn.echo_state_network")
        if self.pyrcn is not None:
            blocks, error = import_peer("pyrcn.base.blocks")
            self.pyrcn_blocks = blocks
            self.pyrcn_error = error

    def reservoirpy(self, est, dtype):
        """ReservoirPy Reservoir.run: the recurrent matrix sparse, as it stores it."""
        W = sp.csr_array(est.recurrent_weights_).astype(dtype)
        Win, bias = est.input_weights_.astype(dtype), est.bias_.astype(dtype)

        def run(X):
            # A new node per call: a node carries its state over from the last
            # run, and every sequence must start from zero as ours do.
            node = self.rpy.Reservoir(W=W, Win=Win, bias=bias, lr=est.leak_rate,
                                      dtype=dtype)
            return node.run(X)

        return run

    def pyrcn_states(self, est, X_fit):
        """PyRCN ESNRegressor.hidden_layer_state (its public per-sequence path)."""
        B = self.pyrcn_blocks
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            esn = self.pyrcn.ESNRegressor(
                input_to_node=B.InputToNode(
                    hidden_layer_size=est.n_reservoir, input_activation="identity",
                    predefined_input_weights=est.input_weights_.T.copy(),
                    predefined_bias_weights=est.bias_[:, None].copy(),
                    input_scaling=1.0, bias_scaling=1.0,
                ),
                node_to_node=B.NodeToNode(
                    hidden_layer_size=est.n_reservoir,
                    predefined_recurrent_weights=np.asarray(
                        est.recurrent_weights_.todense()
                        if sp.issparse(est.recurrent_weights_)
                        else est.recurrent_weights_).T.copy(),
                    spectral_radius=1.0, leakage=est.leak_rate,
                ),
                requires_sequence=True, verbose=False,
            )
            esn.fit(_object_array(X_fit[:2]),
                    _object_array([np.zeros(len(x)) for x in X_fit[:2]]))
        return lambda X: esn.hidden_layer_state(_object_array(X))


def _object_array(items):
    out = np.empty(len(items), dtype=object)
    out[:] = list(items)
    return out


def _max_diff(ours, theirs):
    return max(float(np.abs(np.asarray(a, np.float64) - np.asarray(b)).max())
               for a, b in zip(ours, theirs))


def run_workload(name, X, n_units, dtype, peers, args, rows):
    """Time ours (aggregated and per-step states), the peers and the floor."""
    n_steps_total = sum(len(x) for x in X)
    est = ReservoirTransformer(
        n_reservoir=n_units, density=DENSITY, leak_rate=LEAK,
        spectral_radius=RADIUS, aggregation="mean", include_difference=False,
        standardize=False,  # the peers get these very weights: no folded scaling
        random_state=0,
    ).fit(X)
    wait_for_idle()
    ours, _ = median_time(lambda: est.transform(X), args.repeats)
    mean_steps = n_steps_total / len(X)
    floor = floor_time(len(X), int(round(mean_steps)), n_units, dtype, args.repeats)
    row = {"workload": name, "dtype": np.dtype(dtype).name,
           "ours (s)": ours, "per step (us)": 1e6 * ours / n_steps_total,
           "efficiency": floor / ours}
    # Peers produce every step's state: compare like with like on a subset.
    subset = X[: args.peer_sequences]
    sub_steps = sum(len(x) for x in subset)
    ours_states_time, ours_states = median_time(
        lambda: est.compute_states(subset), args.repeats)
    for peer, make in (("ReservoirPy", peers.reservoirpy if peers.rpy else None),
                       ("PyRCN", peers.pyrcn_states if peers.pyrcn else None)):
        if make is None:
            row[peer] = "not installed: " + (
                peers.rpy_error if peer == "ReservoirPy" else peers.pyrcn_error)
            continue
        try:
            fn = make(est, dtype) if peer == "ReservoirPy" else make(est, X)
            theirs_time, theirs = median_time(lambda: fn(subset), max(1, args.repeats - 2))
        except Exception as exc:  # a peer that fails is a result
            row[peer] = f"failed: {type(exc).__name__}: {exc}"
            continue
        diff = _max_diff(ours_states, theirs)
        # ratio on the per-step states both compute, same sequences
        row[peer] = (f"{theirs_time / ours_states_time:.1f}x "
                     f"(states; {theirs_time / sub_steps * 1e6:.1f} us/step, "
                     f"max diff {diff:.0e})")
        row[peer + " vs transform"] = (
            f"{theirs_time / sub_steps / (ours / n_steps_total):.1f}x")
    rows.append(row)
    print(f"  {name} {np.dtype(dtype).name}: ours {ours:.3f} s, floor {floor:.3f} s",
          file=sys.stderr)
    return est


def paired_ratio(est, X1, X2, repeats):
    """Median over back-to-back pairs of (W2 time per step) / (W1 time per step):
    both sides of each pair see the same machine load."""
    steps1, steps2 = sum(map(len, X1)), sum(map(len, X2))
    ratios = []
    for _ in range(repeats):
        t1 = median_time(lambda: est.transform(X1), 1, warmup=False)[0]
        t2 = median_time(lambda: est.transform(X2), 1, warmup=False)[0]
        ratios.append((t2 / steps2) / (t1 / steps1))
    return float(np.median(ratios))


def main(argv=None):
    quick_help = "fewer repeats and peer sequences (under a minute)"
    args = parser(__doc__, quick_help).parse_args(argv)
    args.repeats = 3 if args.quick else 5
    args.peer_sequences = 100 if args.quick else 400
    peers = Peers()
    rng = np.random.RandomState(0)
    rows = []
    print(f"Machine: {machine()}", file=sys.stderr)

    for dtype in (np.float64, np.float32):
        X1 = rng.normal(size=(2000, 100, 10)).astype(dtype)
        est = run_workload("W1 batch", X1, N_UNITS, dtype, peers, args, rows)
        w1 = rows[-1]
        out_mb = X1.shape[0] * N_UNITS * X1.itemsize / 1e6
        w1["peak MB (budget)"] = (
            f"{peak_memory(lambda: est.transform(X1)) / 1e6:.1f} "
            f"({X1.nbytes / 1e6 + out_mb + 64:.0f})")
        if dtype == np.float64:
            X2 = [rng.normal(size=(n, 10)).astype(dtype)
                  for n in rng.randint(20, 201, size=2000)]
            run_workload("W2 ragged", X2, N_UNITS, dtype, peers, args, rows)
            rows[-1]["W2/W1 per step"] = paired_ratio(est, X1, X2, args.repeats)
    for n_units in (100, 1000):
        X3 = [rng.normal(size=(20000, 1))]
        args_w3 = argparse.Namespace(**{**vars(args), "peer_sequences": 1})
        run_workload(f"W3 long, {n_units} units", X3, n_units, np.float64,
                     peers, args_w3, rows)

    headers = ["workload", "dtype", "ours (s)", "per step (us)", "efficiency",
               "ReservoirPy", "ReservoirPy vs transform", "PyRCN",
               "PyRCN vs transform", "peak MB (budget)", "W2/W1 per step"]
    fmt = lambda v: f"{v:.3g}" if isinstance(v, float) else str(v)
    print(table([[fmt(r.get(h, "")) for h in headers] for r in rows], headers))
    print(f"\nMachine: {machine()}")
    print("Ratios: peer time / our time on the same inputs and weights, medians of "
          f"{args.repeats} runs; 'states' compares per-step states of the first "
          f"{args.peer_sequences} sequences, 'vs transform' the peer's per-step cost "
          "against our mean-aggregated transform of the whole workload.")


if __name__ == "__main__":
    main()
