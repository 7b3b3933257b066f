"""A slow, obviously correct reference: one sequence, one step at a time.

Written from the update equations in the docs, not from the engine: plain
float64 loops, no batching, no cache, no exp-form tanh.
"""

import numpy as np


def reference_states(seq, est, elapsed=None):
    """States (n_steps, n_reservoir) of one input sequence (time channel removed)
    under the fitted reservoir of `est`; `elapsed` gives each step's time."""
    r = getattr(est, "reservoir_", est)
    W = r.recurrent_weights_
    W = W.toarray() if hasattr(W, "toarray") else np.asarray(W)
    W_in, b, a = r.input_weights_, r.bias_, r.leak_rate
    h = np.zeros(W.shape[0])
    states = []
    seq = np.asarray(seq, dtype=np.float64)
    if hasattr(r, "input_mean_"):  # the fitted standardisation, applied plainly
        keep = [c for c in range(r.input_mean_.size) if c != r.time_channel]
        seq = (seq - r.input_mean_[keep]) / r.input_scale_[keep]
    for t, u in enumerate(seq):
        dt = r.time_step if elapsed is None else float(elapsed[t])
        z = W_in @ u + W @ h + b
        if r.neuron == "liquid":
            g = 2.0 / (1.0 + np.exp(-z))
            A, decay = r.reversal_potentials_, r.decay_rates_
            h = (h + a * dt * g * A) / (1.0 + a * dt * (decay + g))
        else:
            leak = 1.0 - (1.0 - a) ** dt
            h = (1.0 - leak) * h + leak * np.tanh(z)
        states.append(h)
    return np.array(states)


def reference_aggregate(V, washout, aggregation):
    """One row from per-step vectors V (n_steps, dim)."""
    out = []
    after = V[washout:]
    for part in aggregation.split("_"):
        if part == "last":
            out.append(V[-1])
        elif part == "mean":
            out.append(after.mean(axis=0))
        elif part == "max":
            out.append(after.max(axis=0))
        else:  # points<k>: k evenly spaced steps after the washout, ending last
            k = int(part[len("points"):])
            m = len(after)
            out.extend(after[int(np.ceil(j * m / k)) - 1] for j in range(1, k + 1))
    return np.concatenate(out)


def _passes(seq, time_channel, bidirectional):
    """(inputs, elapsed times or None) of the forward and backward passes.

    Backward: the steps in reverse order; with a time channel, reversed step
    j > 0 (original step T-1-j) is preceded by original step T-j, so its
    elapsed time is that of original step T-j; reversed step 0 keeps the
    first step's elapsed time.
    """
    seq = np.asarray(seq, dtype=np.float64)
    T = len(seq)
    if time_channel is None:
        inputs, times = seq, None
    else:
        inputs = np.delete(seq, time_channel, axis=1)
        times = seq[:, time_channel]
    passes = [(inputs, times)]
    if bidirectional:
        back_times = None
        if times is not None:
            back_times = np.array([times[0]] + [times[T - j] for j in range(1, T)])
        passes.append((inputs[::-1], back_times))
    return passes


def reference_features(seq, est):
    """The feature row of one sequence (n_steps, n_features) under `est`."""
    r = getattr(est, "reservoir_", est)
    out = []
    for inputs, times in _passes(seq, r.time_channel, r.bidirectional):
        states = reference_states(inputs, r, times)
        out.append(reference_aggregate(states, r.washout, r.aggregation))
        if r.include_input:
            out.append(reference_aggregate(inputs, r.washout, r.aggregation))
    return np.concatenate(out)
