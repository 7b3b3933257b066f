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


def reference_ppv(states, thresholds):
    """Share of the steps whose state is above each threshold row, per unit."""
    return np.concatenate([(states > t).mean(axis=0) for t in thresholds])


def reference_model(states, mean, components, alpha=0.1, floor=1e-8):
    """The ridge map z_{t+1} ~ z_t W + c of one sequence's projected states
    z = (h - mean) C, penalty alpha * mean variance of z_t (at least floor *
    its mean square), intercept free; [W.ravel(), c]."""
    z = (states - mean) @ components
    x, y = z[:-1], z[1:]
    m = z.shape[1]
    if len(x) == 0:
        return np.zeros(m * m + m)
    if len(x) == 1:
        return np.concatenate([np.zeros(m * m), y[0]])
    xc, yc = x - x.mean(axis=0), y - y.mean(axis=0)
    penalty = max(alpha * np.trace(xc.T @ xc) / m, floor * np.trace(x.T @ x) / m)
    W = np.linalg.solve(xc.T @ xc + penalty * np.eye(m), xc.T @ yc)
    return np.concatenate([W.ravel(), y.mean(axis=0) - x.mean(axis=0) @ W])


def reference_aggregate(V, washout, aggregation, stats=None):
    """One row from per-step vectors V (n_steps, dim); `stats` (thresholds,
    mean, components) for the "ppv" and "model" parts."""
    out = []
    after = V[washout:]
    for part in aggregation.split("_"):
        if part == "ppv":
            out.append(reference_ppv(after, stats[0]))
        elif part == "model":
            out.append(reference_model(after, stats[1], stats[2]))
        elif part == "last":
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


def _passes(seq, time_channel, bidirectional, difference=False):
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
    if difference:  # x_t - x_{t-1}, 0 at the first step, before any reversal
        inputs = np.hstack([inputs, np.vstack([np.zeros_like(inputs[:1]),
                                               inputs[1:] - inputs[:-1]])])
    passes = [(inputs, times)]
    if bidirectional:
        back_times = None
        if times is not None:
            back_times = np.array([times[0]] + [times[T - j] for j in range(1, T)])
        passes.append((inputs[::-1], back_times))
    return passes


#: Standardised input channels of multichannel sequences are clipped to this
#: many standard deviations (as documented for ``standardize``).
CLIP = 3.0


def _clipped(inputs, r):
    """`inputs` (time channel removed, difference channels last) with each
    given channel held within CLIP fitted standard deviations of its fitted
    mean, when there are two or more given channels; the differences are
    taken before clipping and are not clipped."""
    if not hasattr(r, "input_mean_"):
        return inputs
    keep = [c for c in range(r.input_mean_.size) if c != r.time_channel]
    n_given = inputs.shape[1] // 2 if r.include_difference_ else inputs.shape[1]
    if n_given < 2:
        return inputs
    m, s = r.input_mean_[keep][:n_given], r.input_scale_[keep][:n_given]
    inputs = inputs.copy()
    inputs[:, :n_given] = np.clip(inputs[:, :n_given], m - CLIP * s, m + CLIP * s)
    return inputs


def reference_features(seq, est):
    """The feature row of one sequence (n_steps, n_features) under `est`."""
    r = getattr(est, "reservoir_", est)
    out = []
    passes = _passes(seq, r.time_channel, r.bidirectional, r.include_difference_)
    for direction, (inputs, times) in enumerate(passes):
        inputs = _clipped(inputs, r)
        states = reference_states(inputs, r, times)
        stats = [getattr(r, name)[direction] if hasattr(r, name) else None
                 for name in ("state_thresholds_", "state_mean_", "state_components_")]
        out.append(reference_aggregate(states, r.washout, r.aggregation_, stats))
        positional = "_".join(p for p in r.aggregation_.split("_")
                              if p not in ("ppv", "model"))
        if r.include_input and positional:
            out.append(reference_aggregate(inputs, r.washout, positional))
    return np.concatenate(out)
