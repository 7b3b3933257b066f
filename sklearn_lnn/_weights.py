"""Pure functions that draw the fixed reservoir weights and scale the spectral radius."""

import warnings

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import ArpackNoConvergence, eigs
from sklearn.utils.random import sample_without_replacement

#: Below this size the spectral radius comes from dense eigenvalues (exact and
#: cheap); above it from ARPACK.
DENSE_EIG_MAX = 300

#: The recurrent matrix is stored sparse when it has at most this many
#: connections per unit on average and at least SPARSE_MIN_UNITS units: a
#: sparse product only beats the dense GEMM when it is genuinely sparse.
SPARSE_MAX_DENSITY = 0.02
SPARSE_MIN_UNITS = 500


def uniform_weights(rng, shape, scaling):
    """Weights drawn uniformly from [-scaling, scaling]."""
    return rng.uniform(-scaling, scaling, size=shape)


def _recurrent_mask(rng, n, density):
    """Boolean (rows, cols) of the connections: each row gets at least one."""
    if density >= 1.0:
        return None
    k = rng.binomial(n * n, density)
    flat = sample_without_replacement(n * n, k, random_state=rng)
    rows, cols = np.divmod(flat, n)
    empty = np.setdiff1d(np.arange(n), rows)
    # A unit without any recurrent input would be a pure input filter; give
    # each such unit one random connection so every row takes part.
    rows = np.concatenate([rows, empty])
    cols = np.concatenate([cols, rng.randint(0, n, size=empty.size)])
    return rows, cols


def spectral_radius(W, random_state):
    """Largest absolute eigenvalue of the square matrix `W` (ndarray or sparse).

    Dense eigenvalues for small matrices; ARPACK with a seeded start vector
    otherwise, falling back to dense eigenvalues when ARPACK does not converge.
    """
    n = W.shape[0]
    if n <= DENSE_EIG_MAX:
        dense = W.toarray() if sp.issparse(W) else W
        return float(np.max(np.abs(np.linalg.eigvals(dense))))
    v0 = random_state.uniform(-1, 1, size=n)
    try:
        vals = eigs(
            W, k=min(6, n - 2), which="LM", v0=v0, tol=1e-12,
            maxiter=50 * n, return_eigenvectors=False,
        )
    except ArpackNoConvergence:
        dense = W.toarray() if sp.issparse(W) else W
        return float(np.max(np.abs(np.linalg.eigvals(dense))))
    return float(np.max(np.abs(vals)))


def recurrent_weights(rng, n, density, spectral_radius_target):
    """Random (n, n) recurrent matrix scaled to the target spectral radius.

    Nonzero entries are standard normal on a random mask of the given density
    (every row keeps at least one connection). The matrix is normalised once to
    unit spectral radius, then scaled, so its spectral radius equals the target
    up to rounding. It is returned as ``scipy.sparse.csr_array`` when sparse
    storage pays (see ``SPARSE_MAX_DENSITY``), else as a dense ndarray.
    """
    mask = _recurrent_mask(rng, n, density)
    for _ in range(10):
        if mask is None:
            W = rng.standard_normal((n, n))
        else:
            rows, cols = mask
            W = sp.csr_array(
                (rng.standard_normal(rows.size), (rows, cols)), shape=(n, n)
            )
        radius = spectral_radius(W, rng)
        if radius > 1e-12:
            break
        # A nilpotent draw (possible for tiny, very sparse matrices) cannot be
        # scaled; draw new values on a new mask.
        mask = _recurrent_mask(rng, n, max(density, 1.0 / n))
    else:
        warnings.warn(
            "Could not draw a recurrent matrix with a nonzero spectral radius; "
            "the reservoir has no recurrent dynamics. Raise density.",
            UserWarning,
        )
        radius = 1.0
    W = W * (spectral_radius_target / radius)
    if sp.issparse(W) and not (
        density <= SPARSE_MAX_DENSITY and n >= SPARSE_MIN_UNITS
    ):
        W = W.toarray()
    return W
