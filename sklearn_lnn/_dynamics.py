"""Batched reservoir state updates: pure functions over validated sequences.

Leaky-integrator echo state network, every sequence starting from ``h_0 = 0``::

    h_t = (1 - a) h_{t-1} + a tanh(W_in u_t + W h_{t-1} + b)

Sequences are processed in blocks, time-major: one matrix product per step
advances every sequence of a block. Sequences are sorted by decreasing length,
so the sequences still running at step ``t`` are always a prefix of the block:
finished rows are simply left out, with no masking and no wasted products. For
a dense recurrent matrix the input drive and the bias are fused into the same
product as ``[h | u_t | 1] @ [[W.T], [W_in.T], [b]]``, so no ``(n_steps,
n_sequences, n_reservoir)`` input projection is ever stored.
"""

import numpy as np
import scipy.sparse as sp

from ._aggregation import Aggregator, parse_aggregation

#: Sequences advanced together by one matrix product per step.
BLOCK_SIZE = 256


def _leaky_tanh_(H, P, leak_rate):
    """``H <- (1 - a) H + a tanh(P)`` in place, overwriting `P`.

    For float64, `P` must hold *twice* the pre-activation (the caller folds the
    factor 2 into the weights): the update then uses ``a tanh(x) = a - 2a / (1 +
    exp(2x))``, which is 2-3x faster than ``np.tanh`` (no SIMD float64 tanh on
    AVX2), has an absolute error of ~3e-16 and gives exactly +-a when exp
    overflows. float32 uses ``np.tanh``, which is SIMD.
    """
    if P.dtype == np.float32:
        np.tanh(P, out=P)
        if leak_rate == 1.0:
            np.copyto(H, P)
            return
        P -= H
        P *= leak_rate
        H += P
        return
    np.exp(P, out=P)  # overflow to inf is intended: the callers silence it
    P += 1.0
    np.divide(2.0 * leak_rate, P, out=P)
    if leak_rate == 1.0:
        np.subtract(1.0, P, out=H)
        return
    np.subtract(leak_rate, P, out=P)
    H *= 1.0 - leak_rate
    H += P


def _time_major_blocks(seqs, block_size):
    """Yield (indices, lengths, U) with U of shape (max_len, len(indices), d)."""
    order = np.argsort(-seqs.lengths, kind="stable")
    for start in range(0, len(order), block_size):
        idx = order[start : start + block_size]
        lens = seqs.lengths[idx]
        if seqs.ragged:
            U = np.zeros((lens[0], idx.size, seqs.n_features), seqs.dtype)
            for j, i in enumerate(idx):
                U[: lens[j], j] = seqs.data[i]
        else:  # equal lengths: the order is the identity, idx a contiguous range
            U = np.ascontiguousarray(
                seqs.data[start : start + idx.size].swapaxes(0, 1)
            )
        yield idx, lens, U


def _block_steps(U, lens, W_in, W, bias, leak_rate):
    """Advance one block; yield (t, k, k_next, H) after each step.

    ``H`` is the (k, n_reservoir) state of the k sequences still running at step
    t (rows in block order); rows ``k_next:k`` finish at this step. The yielded
    array is a view that the next step overwrites.
    """
    T, b, d = U.shape
    n = W.shape[0]
    dtype = U.dtype
    # active[t]: how many sequences have more than t steps (a prefix of the block)
    active = np.searchsorted(-lens, -np.arange(T + 1), side="left").tolist()
    Z = np.zeros((b, n + d + 1), dtype)  # [h | u_t | 1]
    Z[:, n + d] = 1.0
    P = np.empty((b, n), dtype)
    scale = 1.0 if dtype == np.float32 else 2.0  # see _leaky_tanh_
    sparse = sp.issparse(W)
    if sparse:
        W_rec = (W * scale).astype(dtype)
        W_drive = (scale * np.vstack([W_in.T, bias[None]])).astype(dtype)
    else:
        W_fused = (scale * np.vstack([W.T, W_in.T, bias[None]])).astype(dtype)
    k = -1
    for t in range(T):
        if active[t] != k:  # views change only when a sequence finishes
            k = active[t]
            Zk, Pk, Hk = Z[:k], P[:k], Z[:k, :n]
            Uk = Zk[:, n : n + d]
        Uk[...] = U[t, :k]
        if sparse:
            np.matmul(Zk[:, n:], W_drive, out=Pk)
            Pk += (W_rec @ Hk.T).T
        else:
            np.matmul(Zk, W_fused, out=Pk)
        _leaky_tanh_(Hk, Pk, leak_rate)
        yield t, k, active[t + 1], Hk


def aggregated_states(seqs, W_in, W, bias, *, leak_rate, washout, aggregation,
                      include_input=False, block_size=BLOCK_SIZE):
    """Aggregated reservoir states, one row per sequence.

    Parameters
    ----------
    seqs : Sequences
    W_in : ndarray of shape (n_reservoir, n_features)
    W : ndarray or sparse array of shape (n_reservoir, n_reservoir)
    bias : ndarray of shape (n_reservoir,)
    leak_rate : float
    washout : int
        Steps left out of the "mean", "max" and "points" parts.
    aggregation : str
        See ``_aggregation``.
    include_input : bool
        Also aggregate the raw inputs the same way, after the states.

    Returns
    -------
    features : ndarray of shape (n_sequences, n_features_out)
        In the dtype of `seqs`: the state parts in order, then the input parts.
    """
    parts = parse_aggregation(aggregation)
    n, d = W.shape[0], seqs.n_features
    rows = []
    order = []
    with np.errstate(over="ignore"):  # see _leaky_tanh_
        for idx, lens, U in _time_major_blocks(seqs, block_size):
            states = Aggregator(parts, lens, washout, n, seqs.dtype)
            inputs = Aggregator(parts, lens, washout, d, seqs.dtype) if include_input else None
            for t, k, k_next, H in _block_steps(U, lens, W_in, W, bias, leak_rate):
                states.step(t, k, k_next, H)
                if inputs is not None:
                    inputs.step(t, k, k_next, U[t, :k])
            block = states.result().reshape(idx.size, -1)
            if inputs is not None:
                block = np.hstack([block, inputs.result().reshape(idx.size, -1)])
            rows.append(block)
            order.append(idx)
    out = np.empty((len(seqs), rows[0].shape[1]), seqs.dtype)
    for idx, block in zip(order, rows):
        out[idx] = block
    return out


def step_states(seqs, W_in, W, bias, *, leak_rate, block_size=BLOCK_SIZE):
    """Every step's state: a list of (n_steps_i, n_reservoir) arrays for ragged
    input, else an array of shape (n_sequences, n_steps, n_reservoir)."""
    n = W.shape[0]
    if seqs.ragged:
        out = [None] * len(seqs)
    else:
        out = np.empty((len(seqs), seqs.lengths[0], n), seqs.dtype)
    with np.errstate(over="ignore"):  # see _leaky_tanh_
        for idx, lens, U in _time_major_blocks(seqs, block_size):
            if seqs.ragged and idx.size == 1:  # write straight into the output
                out[idx[0]] = np.empty((U.shape[0], n), seqs.dtype)
                buf = out[idx[0]][:, np.newaxis]
            else:
                buf = np.empty((U.shape[0], idx.size, n), seqs.dtype)
            for t, k, _, H in _block_steps(U, lens, W_in, W, bias, leak_rate):
                buf[t, :k] = H
            if seqs.ragged and idx.size == 1:
                continue
            if seqs.ragged:
                for j, i in enumerate(idx):
                    out[i] = np.ascontiguousarray(buf[: lens[j], j])
            else:
                out[idx] = buf.swapaxes(0, 1)
    return out
