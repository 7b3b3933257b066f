"""Batched reservoir state updates: pure functions over validated sequences.

Two neuron models, every sequence starting from ``h_0 = 0``, with ``z_t = W_in
u_t + W h_{t-1} + b`` and an elapsed time ``dt`` per step (1 by default):

* ``"leaky_tanh"`` (leaky-integrator echo state network)::

      h_t = (1 - a') h_{t-1} + a' tanh(z_t),   a' = 1 - (1 - a) ** dt

* ``"liquid"`` (a fixed random liquid-time-constant neuron): the ODE
  ``dh/dt = a [-(r + g) h + g A]`` with input- and state-dependent conductance
  ``g = 2 sigmoid(z)`` (1 at zero drive, in (0, 2)), per-unit decay rates ``r``
  and reversal potentials ``A = +-1``, integrated by the fused semi-implicit
  step of Hasani et al. (2021)::

      h_t = (h_{t-1} + a dt g A) / (1 + a dt (r + g))

  a convex combination of ``h_{t-1}``, ``A`` and 0, so ``h`` stays between 0
  and ``A`` for any input and any ``dt > 0``.

Sequences are processed in blocks, time-major: one matrix product per step
advances every sequence of a block. Sequences are sorted by decreasing length,
so the sequences still running at step ``t`` are always a prefix of the block:
finished rows are simply left out, with no masking and no wasted products. For
a dense recurrent matrix the input drive and the bias are fused into the same
product as ``[h | u_t | 1] @ [[W.T], [W_in.T], [b]]``, so no ``(n_steps,
n_sequences, n_reservoir)`` input projection is ever stored.
"""

import contextlib
import functools
from concurrent.futures import ThreadPoolExecutor
import threading
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from threadpoolctl import ThreadpoolController

from ._aggregation import Aggregator, parse_aggregation, positional

#: Sequences advanced together by one matrix product per step.
BLOCK_SIZE = 256

#: Multiply-adds per step of a full block from which two Python threads (one
#: block each, BLAS on one thread) beat one thread with two BLAS threads.
TWO_THREADS_MIN_WORK = 256 * 300 * 300


@dataclass(frozen=True)
class Dynamics:
    """Everything the update needs besides the inputs."""

    input_weights: np.ndarray
    recurrent_weights: object
    bias: np.ndarray
    leak_rate: float
    neuron: str = "leaky_tanh"
    reversal: np.ndarray = None
    decay: np.ndarray = None
    time_step: float = 1.0
    time_channel: int = None

    @property
    def n_units(self):
        return self.recurrent_weights.shape[0]


#: Below this many elements per step (a few sequences of a small reservoir),
#: per-call overhead dominates and one ``np.tanh`` call beats the four passes
#: of the float64 exp form. Measured (one leaky update, float64, median per
#: call): 250 elements 6.3 us both ways, 500: 9.8 vs 8.1 us, 1,000: 17.3 vs
#: 12.0 us, 2,000: 31.4 vs 18.9 us (np.tanh vs the exp form).
EXP_FORM_MIN_SIZE = 512


def update_form(dtype, liquid, size):
    """(exp_form, weight scale) of the leaky update of `size` elements per
    step: the exp form (float64 leaky units, from ``EXP_FORM_MIN_SIZE``)
    reads twice the pre-activation, so the caller scales its weights by 2."""
    exp_form = np.dtype(dtype) == np.float64 and not liquid and size >= EXP_FORM_MIN_SIZE
    return exp_form, 2.0 if exp_form else 1.0


def _leaky_tanh_(H, P, leak, exp_form):
    """``H <- (1 - a) H + a tanh(P)`` in place, overwriting `P`.

    `leak` is a scalar or a (k, 1) column. With `exp_form` (float64 only), `P`
    must hold *twice* the pre-activation (the caller folds the factor 2 into
    the weights): the update then uses ``a tanh(x) = a - 2a / (1 + exp(2x))``,
    2-3x faster than ``np.tanh`` on large arrays (no SIMD float64 tanh on
    AVX2), absolute error ~3e-16, exactly +-a when exp overflows. Otherwise
    ``np.tanh`` (SIMD for float32).
    """
    full = np.isscalar(leak) and leak == 1.0
    if not exp_form:
        np.tanh(P, out=P)
        if full:
            np.copyto(H, P)
            return
        P -= H
        P *= leak
        H += P
        return
    np.exp(P, out=P)  # overflow to inf is intended: the callers silence it
    P += 1.0
    np.divide(2.0 * leak, P, out=P)
    if full:
        np.subtract(1.0, P, out=H)
        return
    np.subtract(leak, P, out=P)
    H *= 1.0 - leak
    H += P


def _liquid_(H, P, rate, reversal, decay, Q):
    """``H <- (H + rate g A) / (1 + rate (r + g))`` with ``g = 2 sigmoid(P)``,
    in place; `P` and the scratch `Q` are overwritten. `rate` is ``a dt``."""
    np.negative(P, out=P)
    np.exp(P, out=P)  # overflow to inf gives g = 0, as intended
    P += 1.0
    np.divide(2.0, P, out=P)  # g
    np.multiply(P, reversal, out=Q)
    Q *= rate
    Q += H  # numerator
    P += decay
    P *= rate
    P += 1.0  # denominator
    np.divide(Q, P, out=H)


#: Per-step products of fewer multiply-adds than this run on one BLAS thread.
#: Measured on the 2-core machine (transform, float32/64, 100-1,000 units):
#: idle, two threads gain nothing below ~1e5 multiply-adds a step and at most
#: ~25-30% up to 1e6 (3 sequences x 500 units); with the other core busy, two
#: threads are 1.5-2.5x *slower* on the same products, since the second BLAS
#: thread waits for a core at every step.
SINGLE_THREAD_MAX_WORK = 1_000_000


@functools.lru_cache(maxsize=1)
def _blas_controller():
    return ThreadpoolController()


_single_thread_lock = threading.Lock()
_single_thread_users = [0, None]  # active users, the limiter that restores


@contextlib.contextmanager
def _single_blas_thread():
    """One BLAS thread while any caller (of any Python thread) is inside.

    BLAS thread counts are process-wide: nested or concurrent callers share
    one limit, set by the first to enter and restored by the last to leave,
    so the original count always comes back.
    """
    with _single_thread_lock:
        if _single_thread_users[0] == 0:
            _single_thread_users[1] = _blas_controller().limit(
                limits=1, user_api="blas"
            )
        _single_thread_users[0] += 1
    try:
        yield
    finally:
        with _single_thread_lock:
            _single_thread_users[0] -= 1
            if _single_thread_users[0] == 0:
                _single_thread_users[1].restore_original_limits()
                _single_thread_users[1] = None


def blas_threads_for(n_rows, n_units, n_inputs):
    """A context that limits BLAS to one thread when a step's product of
    `n_rows` states is small (see ``SINGLE_THREAD_MAX_WORK``), else a no-op."""
    if n_rows * n_units * (n_units + n_inputs + 1) >= SINGLE_THREAD_MAX_WORK:
        return contextlib.nullcontext()
    return _single_blas_thread()


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


def split_time_channel(U, time_channel):
    """(inputs, elapsed times) of a time-major block: the time channel removed
    from the inputs, or None for the times when there is no time channel."""
    if time_channel is None:
        return U, None
    keep = [c for c in range(U.shape[2]) if c != time_channel]
    return np.ascontiguousarray(U[:, :, keep]), U[:, :, time_channel, np.newaxis]


def _block_steps(U, dt, lens, dyn, h0=None):
    """Advance one block; yield (t, k, k_next, H) after each step.

    `U` holds the inputs (time channel removed) and `dt` the (T, b, 1) elapsed
    times, or None for the constant ``dyn.time_step``. ``H`` is the
    (k, n_reservoir) state of the k sequences still running at step t (rows in
    block order); rows ``k_next:k`` finish at this step. The yielded array is a
    view that the next step overwrites. `h0` holds the (b, n_reservoir)
    initial states in block order (zeros when None).
    """
    T, b, d = U.shape
    n = dyn.n_units
    dtype = U.dtype
    liquid = dyn.neuron == "liquid"
    # active[t]: how many sequences have more than t steps (a prefix of the block)
    active = np.searchsorted(-lens, -np.arange(T + 1), side="left").tolist()
    Z = np.zeros((b, n + d + 1), dtype)  # [h | u_t | 1]
    if h0 is not None:
        Z[:, :n] = h0
    Z[:, n + d] = 1.0
    P = np.empty((b, n), dtype)
    if liquid:
        Q = np.empty((b, n), dtype)
        reversal, decay = dyn.reversal.astype(dtype), dyn.decay.astype(dtype)
    exp_form, scale = update_form(dtype, liquid, b * n)  # see _leaky_tanh_
    W, W_in, bias = dyn.recurrent_weights, dyn.input_weights, dyn.bias
    sparse = sp.issparse(W)
    if sparse:
        W_rec = (W * scale).astype(dtype)
        W_drive = (scale * np.vstack([W_in.T, bias[None]])).astype(dtype)
    else:
        W_fused = (scale * np.vstack([W.T, W_in.T, bias[None]])).astype(dtype)
    a = dyn.leak_rate
    if dt is None:  # one leak (or rate) for every step
        step = a * dyn.time_step if liquid else 1.0 - (1.0 - a) ** dyn.time_step
    k = -1
    with blas_threads_for(b, n, d):
        for t in range(T):
            if active[t] != k:  # views change only when a sequence finishes
                k = active[t]
                Zk, Pk, Hk = Z[:k], P[:k], Z[:k, :n]
                Uk = Zk[:, n : n + d]
                Qk = Q[:k] if liquid else None
            Uk[...] = U[t, :k]
            if sparse:
                np.matmul(Zk[:, n:], W_drive, out=Pk)
                Pk += (W_rec @ Hk.T).T
            else:
                np.matmul(Zk, W_fused, out=Pk)
            if dt is not None:
                step = a * dt[t, :k] if liquid else 1.0 - (1.0 - a) ** dt[t, :k]
            if liquid:
                _liquid_(Hk, Pk, step, reversal, decay, Qk)
            else:
                _leaky_tanh_(Hk, Pk, step, exp_form)
            yield t, k, active[t + 1], Hk


def aggregated_states(seqs, dyn, *, washout, aggregation, include_input=False,
                      stats=None, block_size=BLOCK_SIZE, progress=None):
    """Aggregated reservoir states, one row per sequence.

    Parameters
    ----------
    seqs : Sequences
    dyn : Dynamics
    washout : int
        Steps left out of the "mean", "max" and "points" parts.
    aggregation : str
        See ``_aggregation``.
    include_input : bool
        Also aggregate the raw inputs (time channel excluded) by the same
        parts, less "ppv" and "model", after the states.
    stats : StateStatistics or None
        Fitted statistics of the states, needed by the "ppv" and "model" parts.
    progress : callable or None
        Called with the number of sequences done after every block.

    Returns
    -------
    features : ndarray of shape (n_sequences, n_features_out)
        In the dtype of `seqs`: the state parts in order, then the input parts.
    """
    parts = parse_aggregation(aggregation)
    input_parts = positional(parts) if include_input else ()
    n = dyn.n_units

    def one_block(block):
        idx, lens, U = block
        U, dt = split_time_channel(U, dyn.time_channel)
        states = Aggregator(parts, lens, washout, n, seqs.dtype, stats)
        inputs = (Aggregator(input_parts, lens, washout, U.shape[2], seqs.dtype)
                  if input_parts else None)
        with np.errstate(over="ignore"):  # see _leaky_tanh_ and _liquid_
            for t, k, k_next, H in _block_steps(U, dt, lens, dyn):
                states.step(t, k, k_next, H)
                if inputs is not None:
                    inputs.step(t, k, k_next, U[t, :k])
        rows = states.result()
        if inputs is not None:
            rows = np.hstack([rows, inputs.result()])
        if progress is not None:
            progress(idx.size)
        return idx, rows

    blocks = _time_major_blocks(seqs, block_size)
    if len(seqs) >= 2 * block_size and block_size * n * n >= TWO_THREADS_MIN_WORK:
        # two Python threads, one block each at a time, BLAS on one thread:
        # the elementwise updates (tanh) then run in parallel too
        with _single_blas_thread(), ThreadPoolExecutor(2) as pool:
            results = list(pool.map(one_block, blocks))
    else:
        results = [one_block(block) for block in blocks]
    out = np.empty((len(seqs), results[0][1].shape[1]), seqs.dtype)
    for idx, rows in results:
        out[idx] = rows
    return out


def step_states(seqs, dyn, *, initial_states=None, block_size=BLOCK_SIZE, copy=True):
    """Every step's state: a list of (n_steps_i, n_reservoir) arrays for ragged
    input, else an array of shape (n_sequences, n_steps, n_reservoir).

    `initial_states` (n_sequences, n_reservoir) start each sequence from a
    given state instead of zero. With ``copy=False`` the arrays of ragged
    input may be strided views into one time-major buffer (one copy less).
    """
    n = dyn.n_units
    if seqs.ragged:
        out = [None] * len(seqs)
    else:
        out = np.empty((len(seqs), seqs.lengths[0], n), seqs.dtype)
    with np.errstate(over="ignore"):  # see _leaky_tanh_ and _liquid_
        for idx, lens, U in _time_major_blocks(seqs, block_size):
            U, dt = split_time_channel(U, dyn.time_channel)
            h0 = None if initial_states is None else initial_states[idx]
            if seqs.ragged and idx.size == 1:  # write straight into the output
                out[idx[0]] = np.empty((U.shape[0], n), seqs.dtype)
                buf = out[idx[0]][:, np.newaxis]
            else:
                buf = np.empty((U.shape[0], idx.size, n), seqs.dtype)
            for t, k, _, H in _block_steps(U, dt, lens, dyn, h0):
                buf[t, :k] = H
            if seqs.ragged and idx.size == 1:
                continue
            if seqs.ragged:
                for j, i in enumerate(idx):
                    out[i] = np.ascontiguousarray(buf[: lens[j], j]) if copy else buf[: lens[j], j]
            else:
                out[idx] = buf.swapaxes(0, 1)
    return out
