"""Next-generation reservoir computing (NG-RC): nonlinear vector autoregression.

Gauthier, Bollt, Griffith and Barbosa (2021) replace the random reservoir by
an explicit feature vector: the inputs at ``delay`` time-lagged steps (every
``stride`` steps) and the unique monomials of degree ``order`` of those
lagged inputs. A linear readout on these features is the whole model.

Pure functions on one sequence (n_steps, n_features) or a batch of equal
length sequences (n_sequences, n_steps, n_features); steps before the start
take a zero history (or the `history` given), as a reservoir starts from a
zero state.
"""

from itertools import combinations_with_replacement

import numpy as np


def n_lagged(delay, stride):
    """Past steps the features at one step need (besides the step itself)."""
    return (delay - 1) * stride


def monomial_indices(n_linear, order):
    """(n_monomials, order) column indices of the unique degree-`order` monomials."""
    return np.array(list(combinations_with_replacement(range(n_linear), order)),
                    dtype=np.intp).reshape(-1, order)


def n_ngrc_features(n_features, delay, order):
    """Linear plus nonlinear features per step."""
    m = n_features * delay
    return m + monomial_indices(m, order).shape[0]


def ngrc_features(U, delay, stride, order, history=None):
    """Per-step NG-RC features of `U` (..., n_steps, n_features).

    `history` (..., (delay - 1) * stride, n_features) holds the steps just
    before `U` (zeros when None). Returns (..., n_steps, n_features * delay +
    n_monomials): ``[u_t, u_{t-s}, ..., u_{t-(k-1)s}]`` then their monomials.
    """
    U = np.asarray(U)
    past = n_lagged(delay, stride)
    if history is None:
        history = np.zeros(U.shape[:-2] + (past, U.shape[-1]), U.dtype)
    full = np.concatenate([history, U], axis=-2) if past else U
    T = U.shape[-2]
    lags = [full[..., past - j * stride : past - j * stride + T, :] for j in range(delay)]
    linear = np.concatenate(lags, axis=-1)
    idx = monomial_indices(linear.shape[-1], order)
    mono = linear[..., idx[:, 0]].copy()
    for c in range(1, order):
        mono *= linear[..., idx[:, c]]
    return np.concatenate([linear, mono], axis=-1)


def next_history(history, U, delay, stride):
    """The history after the steps `U` (..., n_steps, n_features)."""
    past = n_lagged(delay, stride)
    if not past:
        return history
    full = np.concatenate([history, U], axis=-2)
    return full[..., full.shape[-2] - past :, :].copy()
