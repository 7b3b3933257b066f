"""Pure functions that draw the fixed reservoir weights and scale the spectral radius."""

import functools
import threading
import warnings
from numbers import Integral

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import ArpackNoConvergence, eigs
from sklearn.utils import check_random_state
from sklearn.utils.random import sample_without_replacement

from ..utils._warnings import warn
from ..exceptions import EchoStatePropertyWarning

#: Below this size the spectral radius comes from dense eigenvalues (exact and
#: cheap); above it from ARPACK.
DENSE_EIG_MAX = 300

#: The recurrent matrix is stored and multiplied sparse when its density is at
#: most SPARSE_MAX_DENSITY and it has at least SPARSE_MIN_UNITS units. Measured
#: for one batched step of 256 sequences (2 cores, OpenBLAS): the sparse
#: product is 1.1-2x faster than the dense GEMM at density <= 0.05 from 300
#: units on (up to 10x at 2,000 units and density 0.005), and slower at 0.1.
SPARSE_MAX_DENSITY = 0.05
SPARSE_MIN_UNITS = 300

#: Largest reservoir whose unit-radius recurrent matrix is cached.
CACHE_MAX_UNITS = 2000


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
        k = min(6, n - 2)
        vals = eigs(
            W, k=k, ncv=min(n - 1, 40), which="LM", v0=v0, tol=1e-10,
            maxiter=50 * n, return_eigenvectors=False,
        )
    except ArpackNoConvergence:
        dense = W.toarray() if sp.issparse(W) else W
        return float(np.max(np.abs(np.linalg.eigvals(dense))))
    return float(np.max(np.abs(vals)))


def unit_recurrent_weights(seed, n, density):
    """Random (n, n) recurrent matrix with spectral radius 1, from an int seed.

    Nonzero entries are standard normal on a random mask of the given density
    (every row keeps at least one connection); the matrix is then normalised to
    unit spectral radius. Returned as a ``scipy.sparse.csr_array`` when sparse
    products pay (see ``SPARSE_MAX_DENSITY``), else as a dense ndarray.
    """
    rng = np.random.RandomState(seed)
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
    W = W / radius
    if sp.issparse(W) and not (
        density <= SPARSE_MAX_DENSITY and n >= SPARSE_MIN_UNITS
    ):
        W = W.toarray()
    return W


@functools.lru_cache(maxsize=4)
def _cached_unit_recurrent_weights(seed, n, density):
    W = unit_recurrent_weights(seed, n, density)
    (W.data if sp.issparse(W) else W).flags.writeable = False
    return W


def recurrent_weights(seed, n, density, spectral_radius_target, cache=False):
    """Recurrent matrix with spectral radius `spectral_radius_target`.

    The unit-radius matrix of ``unit_recurrent_weights`` scaled by the target.
    With ``cache=True`` the unit-radius matrix of recent (seed, n, density)
    triples is kept (up to 2,000 units), so that a grid search over the spectral
    radius or the leak rate with a fixed integer seed computes each eigenvalue
    problem once.
    """
    if cache and n <= CACHE_MAX_UNITS:
        W = _cached_unit_recurrent_weights(int(seed), n, float(density))
    else:
        W = unit_recurrent_weights(seed, n, density)
    return W * spectral_radius_target


def effective_spectral_radius(W, leak_rate, seed):
    """rho((1 - leak_rate) I + leak_rate W): the spectral radius of the leaky
    update linearised around the zero state."""
    n = W.shape[0]
    if sp.issparse(W):
        M = leak_rate * W + (1.0 - leak_rate) * sp.eye_array(n, format="csr")
    else:
        M = leak_rate * W + (1.0 - leak_rate) * np.eye(n)
    return spectral_radius(M, np.random.RandomState(seed))


@functools.lru_cache(maxsize=64)
def _cached_effective_spectral_radius(seed, n, density, spectral_radius_target,
                                      leak_rate):
    W = recurrent_weights(seed, n, density, spectral_radius_target, cache=True)
    return effective_spectral_radius(W, leak_rate, seed)


_WARNED = set()
_WARNED_LOCK = threading.Lock()


def warn_if_echo_state_lost(W, spectral_radius_target, leak_rate, seed,
                            density=None, cache=False, once_key=None):
    """Warn when the effective spectral radius exceeds 1.

    Since rho((1 - a) I + a W) <= (1 - a) + a rho(W), a target radius of at
    most 1 never warns and costs nothing. With ``cache=True`` (an integer seed)
    the value is kept for the (seed, size, density, radius, leak) of a grid.
    """
    if spectral_radius_target <= 1.0:
        return
    if cache and W.shape[0] <= CACHE_MAX_UNITS:
        radius = _cached_effective_spectral_radius(
            int(seed), W.shape[0], float(density), float(spectral_radius_target),
            float(leak_rate),
        )
    else:
        radius = effective_spectral_radius(W, leak_rate, seed)
    if radius > 1.0 + 1e-9:
        if once_key is not None:  # at most once per parameter setting
            with _WARNED_LOCK:
                if once_key in _WARNED:
                    return
                _WARNED.add(once_key)
        warn(
            EchoStatePropertyWarning(
                f"The effective spectral radius rho((1 - leak_rate) I + "
                f"leak_rate W) is {radius:.4g} > 1 (spectral_radius="
                f"{spectral_radius_target}, leak_rate={leak_rate}): the reservoir "
                "is likely to lose the echo state property, so its states may "
                "depend on the initial state and amplify noise. Lower "
                "spectral_radius to 1 or below unless strong inputs saturate "
                "the units. (Shown once per parameter setting.)",
                radius,
            ),
            EchoStatePropertyWarning,
        )


#: Slope of the liquid conductance g = 2 sigmoid(z) at z = 0.
LIQUID_SLOPE = 0.5


_COUPLING_CACHE = {}


def liquid_gain(W, reversal, spectral_radius_target, seed_rec, seed_liquid, density,
                cache=False):
    """Factor for the liquid units' recurrent matrix `W` (radius `spectral_radius_target`)
    so that the linearised coupling ``LIQUID_SLOPE * diag(A) * W`` gets that radius."""
    if spectral_radius_target == 0:
        return 1.0
    key = (int(seed_rec), int(seed_liquid), W.shape[0], float(density),
           float(spectral_radius_target))
    if cache and key in _COUPLING_CACHE:
        radius = _COUPLING_CACHE[key]
    else:
        M = W.multiply(reversal[:, None]).tocsr() if sp.issparse(W) else reversal[:, None] * W
        radius = LIQUID_SLOPE * spectral_radius(M, np.random.RandomState(seed_rec))
        if cache:
            if len(_COUPLING_CACHE) > 256:
                _COUPLING_CACHE.clear()
            _COUPLING_CACHE[key] = radius
    if radius < 1e-12:
        return 1.0
    return spectral_radius_target / radius


def check_magnitude(seqs, W_in, W, bias, summed_steps=0):
    """Raise a ValueError when inputs are so large that a product or sum of
    them could overflow the dtype (inf - inf would then give NaN features).

    Two quantities grow with the inputs: the input product of every step, and,
    when raw inputs are aggregated with a "mean" part, their sum over up to
    `summed_steps` steps. Reservoir states themselves are bounded.
    """
    dtype = seqs.dtype
    arrays = seqs.data if seqs.ragged else [seqs.data]
    largest = max(max(float(a.max()), -float(a.min())) for a in arrays)
    row_sum = lambda M: float(abs(M).sum(axis=1).max()) if M.shape[0] else 0.0
    bound = largest * row_sum(W_in) + row_sum(W) + float(np.abs(bias).max(initial=0))
    # the float64 engine doubles the pre-activation before exp (see _dynamics)
    limit = float(np.finfo(dtype).max) / 4
    if not (bound * 2 < limit and largest * summed_steps < limit):
        what = ("input product" if not bound * 2 < limit
                else f"sum of inputs over {summed_steps} steps (include_input "
                "with a 'mean' part)")
        raise ValueError(
            f"Input values up to {largest:.3g} are too large for the reservoir's "
            f"{np.dtype(dtype).name} {what} (it could overflow to inf and "
            "give NaN features). Scale the inputs to roughly unit size, for example "
            "with a StandardScaler per feature, or pass float64 input."
        )


def draw_weights(random_state, n, n_inputs, channels, *, input_scaling, bias_scaling,
                 density, spectral_radius, leak_rate, neuron):
    """The fixed random weights of a reservoir of `n` units reading `n_inputs`
    inputs, as a dict of fitted attributes: ``input_weights_`` (uniform on
    +-input_scaling / sqrt(channels): a unit's input drive has one spread
    whatever the number of `channels`), ``recurrent_weights_``, ``bias_`` and,
    for liquid units, ``reversal_potentials_`` and ``decay_rates_``. Warns when
    a leaky reservoir is likely to lose the echo state property."""
    rng = check_random_state(random_state)
    cache = isinstance(random_state, Integral)
    # One seed per weight matrix: the recurrent matrix then depends on the
    # seed, size and density only, and is cached for integer seeds.
    seed_in, seed_rec, seed_bias, seed_liquid = rng.randint(np.iinfo(np.int32).max, size=4)
    weights = {
        "input_weights_": uniform_weights(np.random.RandomState(seed_in), (n, n_inputs),
                                          input_scaling / np.sqrt(max(channels, 1))),
        "recurrent_weights_": recurrent_weights(seed_rec, n, density, spectral_radius,
                                                cache=cache),
        "bias_": uniform_weights(np.random.RandomState(seed_bias), n, bias_scaling),
    }
    if neuron == "liquid":
        liquid_rng = np.random.RandomState(seed_liquid)
        reversal = liquid_rng.choice([-1.0, 1.0], size=n)
        weights["reversal_potentials_"] = reversal
        weights["decay_rates_"] = liquid_rng.uniform(0.5, 1.5, size=n)
        # the recurrent drive reaches a liquid unit through its conductance:
        # scale W so that the linearised coupling g'(0) diag(A) W has the
        # requested spectral radius, as W itself does for leaky units
        W = weights["recurrent_weights_"]
        weights["recurrent_weights_"] = W * liquid_gain(
            W, reversal, spectral_radius, seed_rec, seed_liquid, density, cache=cache)
        return weights
    warn_if_echo_state_lost(
        weights["recurrent_weights_"], spectral_radius, leak_rate, seed_rec,
        density=density, cache=cache,
        once_key=(n, density, spectral_radius, leak_rate, random_state if cache else None))
    return weights
