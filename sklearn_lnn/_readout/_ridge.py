"""Ridge readout: closed form on standardised features, alpha chosen by GCV.

Pure numpy (its LAPACK), so no second BLAS thread pool competes with the
reservoir's matrix products. One eigendecomposition serves the whole alpha
grid: with the weighted, centred and standardised features ``A`` (rows scaled
by ``sqrt(w)``) and targets ``B``, and ``A = U S V^T``, GCV (``_gcv``) needs
only the ``s_j^2`` and the projections ``u_j^T B``. It depends on the weights
only through these sums, so integer weights give exactly the model of
repeated rows.
"""

import warnings
from dataclasses import dataclass

import numpy as np

from ._gcv import AUTO_ALPHAS, gcv_alpha, loo_alpha
from ..utils._numeric import constant_channels, unit_scale
from ..utils._warnings import warn


def standardisation(X, w):
    """Weighted mean and standard deviation of the columns (1 for constant ones).

    Computed on the columns divided by their largest magnitude, so features
    near the largest float (raw inputs of 1e300, say) do not overflow when
    squared or summed.
    """
    total = w.sum()
    peak = np.abs(X).max(axis=0, initial=0.0)
    peak[~(peak > 0)] = 1.0
    unit = X / peak
    mean = w @ unit / total
    scale = np.sqrt(w @ (unit - mean) ** 2 / total)
    constant = constant_channels(scale, mean, total)
    mean, scale = mean * peak, scale * peak
    scale[constant] = 1.0
    return mean, scale


def check_sample_weight(sample_weight, n_samples):
    """float64 weights of shape (n_samples,): ones for None; ValueError when a
    weight is negative or not finite, or all are zero."""
    if sample_weight is None:
        return np.ones(n_samples)
    w = np.asarray(sample_weight, dtype=np.float64)
    if w.ndim == 0:
        w = np.full(n_samples, float(w))
    if w.shape != (n_samples,):
        raise ValueError(
            f"sample_weight has shape {w.shape}; expected ({n_samples},), one "
            "weight per sequence."
        )
    bad = np.flatnonzero(~(w >= 0) | ~np.isfinite(w))
    if bad.size:
        raise ValueError(
            f"sample_weight must be finite and >= 0, but sequence {bad[0]} has "
            f"weight {w[bad[0]]!r}. Drop the sequence or give it weight 0."
        )
    if not w.sum() > 0:
        raise ValueError(
            "sample_weight is zero for every sequence (it sums to 0): at least "
            "one sequence needs a positive weight."
        )
    return w


def _clean(evals):
    """Eigenvalues of a Gram matrix with rounding noise set to zero: below
    1e-12 of the largest, an eigenvalue is the null space, not data."""
    s2 = np.clip(evals, 0.0, None)
    s2[s2 < 1e-12 * s2.max(initial=0.0)] = 0.0
    return s2


def _spectrum(A, B):
    """(s^2, projections D = U^T B) of A = U S V^T, plus V-side data to solve
    and the uncleaned spectrum of the primal side (for :func:`_solve`)."""
    n, p = A.shape
    if n >= p:
        evals, V = np.linalg.eigh(A.T @ A)
        s2 = _clean(evals)
        C = V.T @ (A.T @ B)  # = S D
        with np.errstate(divide="ignore", invalid="ignore"):
            D = np.where(s2[:, None] > 0, C / np.sqrt(s2)[:, None], 0.0)
        return s2, D, ("primal", V, C), np.clip(evals, 0.0, None)
    evals, U = np.linalg.eigh(A @ A.T)
    s2 = _clean(evals)
    D = U.T @ B
    return s2, D, ("dual", U, D), s2


#: With "auto" (or alpha=0), directions whose s^2 + alpha is below this share
#: of the largest eigenvalue are left out: a numerical floor under GCV's choice.
AUTO_FLOOR = 1e-10


def _solve(A, s2, basis, alpha, plain=False):
    """Ridge coefficients from the spectrum. ``plain``, for a penalty the user
    gave: ``1 / (s^2 + alpha)`` on every direction with a positive eigenvalue
    (pass the uncleaned spectrum), so however small, alpha is what decides.
    Otherwise ("auto" or alpha=0, a pseudo-inverse) directions with
    ``s^2 + alpha`` below ``AUTO_FLOOR`` of the largest eigenvalue are left out.
    Measured: Mackey-Glass closed loop (400 units, squared states, alpha 1e-8)
    NRMSE84 1.5e-4 plain, 5.7e-4 with the floor; the floor under "auto" keeps
    GCV's noise-level choices from feeding rounding noise back in closed loop."""
    kind, M, P = basis
    inv = np.zeros_like(s2)
    keep = s2 > 0 if plain else s2 + alpha > AUTO_FLOOR * max(s2.max(initial=0.0), 1e-300)
    np.divide(1.0, s2 + alpha, out=inv, where=keep)
    if kind == "primal":  # beta = V diag(inv) C
        return M @ (P * inv[:, None])
    return A.T @ (M @ (P * inv[:, None]))  # A^T U diag(inv) D


def fit_ridge(X, Y, sample_weight=None, alpha="auto"):
    """Weighted ridge regression with an unpenalised intercept.

    Parameters
    ----------
    X : ndarray of shape (n_samples, n_features)
    Y : ndarray of shape (n_samples, n_targets)
    sample_weight : ndarray of shape (n_samples,) or None
    alpha : float or "auto"
        Penalty on the standardised features; "auto" picks from
        ``AUTO_ALPHAS`` by generalised cross-validation.

    Returns
    -------
    coef : ndarray of shape (n_features, n_targets)
    intercept : ndarray of shape (n_targets,)
    alpha : float
        The penalty used.
    """
    X = np.asarray(X, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    w = check_sample_weight(sample_weight, len(X))
    x_mean, x_scale = standardisation(X, w)
    y_mean = w @ Y / w.sum()
    root_w = np.sqrt(w)[:, None]
    A = (X - x_mean) / x_scale * root_w
    B = (Y - y_mean) * root_w
    s2, D, basis, uncleaned = _spectrum(A, B)
    plain = alpha != "auto" and alpha > 0
    if alpha == "auto":
        d2 = (D**2).sum(axis=1)
        alpha = gcv_alpha(s2, d2, max((B**2).sum() - d2.sum(), 0.0), w.sum())
    beta = _solve(A, uncleaned if plain else s2, basis, float(alpha), plain)
    coef = beta / x_scale[:, None]
    return coef, y_mean - x_mean @ coef, float(alpha)


# -- The readout's data as sufficient statistics ---------------------------------
#
# A weighted ridge fit needs only the weighted count, the means and the centred
# cross-products of features and targets. They add up chunk by chunk (the
# pairwise update of Chan, Golub and LeVeque), shrink by a factor for
# forgetting, and a sum of them is the statistics of the concatenated data:
# what partial_fit, a streaming fit and a distributed fit share.


@dataclass(frozen=True)
class RidgeStatistics:
    """Sufficient statistics of a weighted ridge regression, in float64.

    Attributes
    ----------
    count : float
        Sum of the weights.
    x_mean : ndarray of shape (n_features,)
    y_mean : ndarray of shape (n_targets,)
    xx : ndarray of shape (n_features, n_features) or None
        ``sum_i w_i (x_i - x_mean)(x_i - x_mean)^T``; None when `rows` hold it.
    xy : ndarray of shape (n_features, n_targets)
        ``sum_i w_i (x_i - x_mean)(y_i - y_mean)^T``.
    yy : ndarray of shape (n_targets,)
        ``sum_i w_i (y_i - y_mean)^2``.
    x_unit : ndarray of shape (n_features,)
        The features are stored divided by these powers of two (exact), so
        features near the largest float do not overflow their cross-products.
        ``x_mean``, ``xx`` and ``xy`` are in those units.
    rows : ndarray of shape (n_rows, n_features) or None
        With fewer rows than features, ``xx = rows.T @ rows`` is kept as these
        rows instead (less memory, and the solve works on the small
        ``n_rows x n_rows`` side).
    y_rows : ndarray of shape (n_rows, n_targets) or None
        With `rows`: each row's centred target times the square root of its
        weight (``yy`` and ``xy`` in row form), for exact leave-one-out.
    root_w : ndarray of shape (n_rows,) or None
        With `rows`: the square roots of the rows' weights. Without them
        (statistics saved by an older version) a merge keeps the rows in a
        form leave-one-out cannot use, and "auto" falls back to GCV.
    """

    count: float
    x_mean: np.ndarray
    y_mean: np.ndarray
    xx: np.ndarray
    xy: np.ndarray
    yy: np.ndarray
    x_unit: np.ndarray = None
    rows: np.ndarray = None
    y_rows: np.ndarray = None
    root_w: np.ndarray = None


def _gram(stats):
    """``xx`` of `stats`, formed from its rows when it keeps rows."""
    return stats.xx if stats.rows is None else stats.rows.T @ stats.rows


def _with(stats, **changes):
    return RidgeStatistics(**{**vars(stats), **changes})


def _units(X):
    """Per-column powers of two at least as large as the column's magnitude."""
    if not len(X):
        return np.ones(X.shape[1])
    peak = np.maximum(X.max(axis=0), -X.min(axis=0)).astype(np.float64)
    with np.errstate(divide="ignore"):
        exponent = np.where(peak > 0, np.ceil(np.log2(np.where(peak > 0, peak, 1.0))), 0.0)
    return np.exp2(np.clip(exponent, -1000, 1000))


def _in_units(stats, unit):
    """`stats` re-expressed with features divided by `unit` (powers of two)."""
    r = stats.x_unit / unit
    return _with(stats, x_mean=stats.x_mean * r, xy=stats.xy * r[:, None], x_unit=unit,
                 xx=None if stats.xx is None else stats.xx * np.outer(r, r),
                 rows=None if stats.rows is None else stats.rows * r)


#: Rows centred at a time while accumulating cross-products (one reused
#: buffer: no full centred copy of a large feature matrix).
ROW_BLOCK = 2048


def chunk_statistics(X, Y, sample_weight=None):
    """The statistics of one chunk of rows (features X, targets Y)."""
    X = np.asarray(X)
    Y = np.asarray(Y, dtype=np.float64).reshape(len(X), -1)
    w = check_sample_weight(sample_weight, len(X))
    unit = _units(X)
    if np.any(unit > 2.0**400):  # only then: an exact rescale costs a copy
        X = X / unit
    else:
        unit = np.ones(X.shape[1])
    total = w.sum()
    x_mean = (w @ X) / total
    y_mean = (w @ Y) / total
    p, t = X.shape[1], Y.shape[1]
    if len(X) < p:  # fewer rows than features: keep the (weighted, centred) rows
        with np.errstate(over="ignore", invalid="ignore"):
            root_w = np.sqrt(w)
            rows = (X - x_mean) * root_w[:, None]
            Yc = Y - y_mean
            y_rows = Yc * root_w[:, None]
            xy, yy = rows.T @ y_rows, w @ Yc**2
        _check_finite_products(rows, xy, X)
        return RidgeStatistics(float(total), x_mean, y_mean, None, xy, yy, unit, rows,
                               y_rows, root_w)
    xx, xy, yy = np.zeros((p, p)), np.zeros((p, t)), np.zeros(t)
    # float32 features: products in float32 (twice as fast), sums in float64;
    # the centring keeps their error at float32 rounding of the spread
    buf = np.empty((min(ROW_BLOCK, len(X)), p), X.dtype if X.dtype == np.float32
                   else np.float64)
    with np.errstate(over="ignore", invalid="ignore"):
        for start in range(0, len(X), ROW_BLOCK):
            rows = slice(start, start + ROW_BLOCK)
            Xc = np.subtract(X[rows], x_mean.astype(buf.dtype), out=buf[: len(X[rows])])
            Yc = (Y[rows] - y_mean).astype(buf.dtype)
            Xw = Xc if sample_weight is None else Xc * w[rows, None].astype(buf.dtype)
            xx += Xw.T @ Xc
            xy += Xw.T @ Yc
            yy += w[rows] @ (Y[rows] - y_mean) ** 2
    _check_finite_products(xx, xy, X)
    return RidgeStatistics(float(total), x_mean, y_mean, xx, xy, yy, unit)


def _check_finite_products(xx, xy, X):
    if not (np.isfinite(xx).all() and np.isfinite(xy).all()):
        raise ValueError(
            f"Readout features up to {np.abs(X).max():.3g} are too large for the "
            "ridge readout's cross-products (they overflow). Scale the inputs "
            "to roughly unit size."
        )


def merge_statistics(a, b):
    """Statistics of the rows of `a` and `b` together (either may be None)."""
    if a is None or a.count == 0:
        return b
    if b is None or b.count == 0:
        return a
    if not np.array_equal(a.x_unit, b.x_unit):  # common units: the larger
        unit = np.maximum(a.x_unit, b.x_unit)
        a, b = _in_units(a, unit), _in_units(b, unit)
    count = a.count + b.count
    dx, dy = b.x_mean - a.x_mean, b.y_mean - a.y_mean
    f = a.count * b.count / count
    x_mean, y_mean = a.x_mean + dx * (b.count / count), a.y_mean + dy * (b.count / count)
    xx, rows, y_rows, root_w = None, None, None, None
    both_rows = a.rows is not None and b.rows is not None
    row_form = both_rows and a.root_w is not None and b.root_w is not None
    if row_form and len(a.rows) + len(b.rows) < len(dx):
        # every row re-centred at the common mean: still the data's own rows
        rows = np.vstack([s.rows + s.root_w[:, None] * (s.x_mean - x_mean) for s in (a, b)])
        y_rows = np.vstack([s.y_rows + s.root_w[:, None] * (s.y_mean - y_mean)
                            for s in (a, b)])
        root_w = np.concatenate([a.root_w, b.root_w])
    elif both_rows and len(a.rows) + len(b.rows) + 1 < len(dx):
        rows = np.vstack([a.rows, b.rows, np.sqrt(f) * dx[None]])
    else:
        xx = _gram(a) + _gram(b) + f * np.outer(dx, dx)
    return RidgeStatistics(
        count, x_mean, y_mean, xx,
        a.xy + b.xy + f * np.outer(dx, dy),
        a.yy + b.yy + f * dy**2,
        a.x_unit, rows, y_rows, root_w,
    )


def select_features(stats, columns):
    """The statistics of the features at `columns` (an index array) alone:
    one teacher-forced run serves readouts on subsets of its features."""
    return _with(stats, x_mean=stats.x_mean[columns], xy=stats.xy[columns],
                 x_unit=stats.x_unit[columns],
                 xx=None if stats.xx is None else stats.xx[np.ix_(columns, columns)],
                 rows=None if stats.rows is None else stats.rows[:, columns])


def scale_statistics(stats, factor):
    """Every row's weight multiplied by `factor` (forgetting); means unchanged."""
    if stats is None:
        return None
    root = np.sqrt(factor)
    return _with(stats, count=stats.count * factor, xy=stats.xy * factor,
                 yy=stats.yy * factor,
                 xx=None if stats.xx is None else stats.xx * factor,
                 **{name: getattr(stats, name) * root for name in ("rows", "y_rows", "root_w")
                    if getattr(stats, name) is not None})


#: "auto" with no target column that leave-one-out can judge (a classifier
#: whose classes each have a single training sequence): scikit-learn's Ridge
#: default, on the standardised features.
UNJUDGED_ALPHA = 1.0


def solve_statistics(stats, alpha="auto", alphas=AUTO_ALPHAS, columns=None,
                     feature_weights=None, criterion="gcv"):
    """Ridge (coef, intercept, alpha) from statistics: as :func:`fit_ridge`.

    Features are standardised by their weighted standard deviation; "auto"
    picks alpha from one eigendecomposition of the standardised Gram
    matrix, over the target `columns` (a boolean mask; None: all) only, and
    is ``UNJUDGED_ALPHA`` when the mask keeps none. `criterion` "gcv":
    generalised cross-validation; "loo": exact leave-one-out
    (:func:`~._gcv.loo_alpha`) when the statistics keep their rows (fewer
    rows than features), GCV otherwise. Feature ``j`` of
    `feature_weights` ``w_j`` (None: all 1) enters standardised and times ``w_j``,
    so its coefficient is penalised ``alpha / w_j**2``. A list of weight
    vectors is a choice: with "auto", the one whose alpha scores best by the
    same criterion (one eigendecomposition each); with a given alpha, the
    first.
    """
    candidates = feature_weights if isinstance(feature_weights, list) else [feature_weights]
    if alpha != "auto":
        return _solve_one(stats, alpha, alphas, columns, candidates[0], criterion)[:3]
    if len(candidates) == 1:
        return _solve_one(stats, alpha, alphas, columns, candidates[0], criterion)[:3]
    solved = []
    for w in candidates:  # only the chosen one's warnings reach the user
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            solved.append((_solve_one(stats, alpha, alphas, columns, w, criterion), caught))
    best, caught = min(solved, key=lambda pair: pair[0][3])
    for record in caught:
        warn(record.message, record.category)
    return best[:3]


def _solve_one(stats, alpha, alphas, columns, feature_weights, criterion):
    """(coef, intercept, alpha, score of "auto"'s alpha) of one weight vector."""
    plain = alpha != "auto" and alpha > 0  # a user's penalty: see _solve
    if plain and stats.rows is None:
        solved = _cholesky_solution(stats, float(alpha), feature_weights)
        if solved is not None:
            return (*solved, float(alpha), None)
    spectrum = statistics_spectrum(stats, feature_weights)
    score = None
    if alpha == "auto":
        s2, P, yy = spectrum["s2"], spectrum["P"], stats.yy
        if columns is not None:
            P, yy = P[:, columns], yy[columns]
        if P.shape[1] == 0:
            alpha, score = UNJUDGED_ALPHA, 0.0
        elif criterion == "loo" and stats.y_rows is not None:
            B = stats.y_rows if columns is None else stats.y_rows[:, columns]
            alpha, score = loo_alpha(s2, spectrum["basis"][1], B, stats.root_w, alphas,
                                     with_score=True)
        else:
            with np.errstate(divide="ignore", invalid="ignore"):
                d2 = np.where(s2 > 0, (P**2).sum(axis=1) / s2, 0.0)
            alpha, score = gcv_alpha(s2, d2, max(yy.sum() - d2.sum(), 0.0), stats.count,
                                     alphas, with_score=True)
    coef, intercept = spectrum_solution(stats, spectrum, float(alpha), plain)
    return coef, intercept, float(alpha), score


def _feature_scale(stats, feature_weights=None):
    """Each feature's weighted standard deviation (1 for a constant one),
    divided by its penalty weight (see :func:`solve_statistics`)."""
    diag = (np.diag(stats.xx) if stats.rows is None
            else np.einsum("ij,ij->j", stats.rows, stats.rows))
    scale = unit_scale(np.sqrt(np.clip(diag, 0.0, None) / stats.count), stats.x_mean,
                       stats.count)
    return scale if feature_weights is None else scale / feature_weights


def _cholesky_solution(stats, alpha, feature_weights=None):
    """(coef, intercept) of a user's penalty ``alpha > 0``: the plain ridge
    ``(G + alpha I)^-1 C`` on the standardised Gram matrix by one linear
    solve, a few times cheaper than the eigendecomposition (numpy's LAPACK
    only, see above). None when a Cholesky factorisation finds ``G + alpha I``
    numerically indefinite (an alpha below the rounding of G's null
    directions): the caller then solves from the spectrum."""
    scale = _feature_scale(stats, feature_weights)
    G = stats.xx / np.outer(scale, scale)
    G[np.diag_indices_from(G)] += alpha
    try:
        np.linalg.cholesky(G)  # positive definite, or the spectrum decides
        beta = np.linalg.solve(G, stats.xy / scale[:, None])
    except np.linalg.LinAlgError:
        return None
    if not np.isfinite(beta).all():
        return None
    coef = beta / scale[:, None]
    intercept = stats.y_mean - stats.x_mean @ coef
    return coef / stats.x_unit[:, None], intercept


def statistics_spectrum(stats, feature_weights=None):
    """The eigendecomposition of the standardised (and `feature_weights`-scaled, see
    :func:`solve_statistics`) Gram matrix that every penalty's solution
    shares (a dict for :func:`spectrum_solution`)."""
    scale = _feature_scale(stats, feature_weights)
    C = stats.xy / scale[:, None]
    if stats.rows is None:
        evals, V = np.linalg.eigh(stats.xx / np.outer(scale, scale))
        return {"scale": scale, "s2": _clean(evals), "P": V.T @ C,  # = S D
                "uncleaned": np.clip(evals, 0.0, None),  # for a user's alpha
                "basis": ("primal", V), "A": None}
    A = stats.rows / scale  # = U S V^T from the small side: V = A^T U / S
    evals, U = np.linalg.eigh(A @ A.T)
    s2 = _clean(evals)
    with np.errstate(divide="ignore", invalid="ignore"):
        root = np.where(s2 > 0, 1.0 / np.sqrt(s2), 0.0)
    P = (U.T @ (A @ C)) * root[:, None]  # = V^T C = S D
    return {"scale": scale, "s2": s2, "P": P, "uncleaned": s2, "basis": ("dual", U),
            "A": A, "root": root}


def spectrum_solution(stats, spectrum, alpha, plain=False):
    """(coef, intercept) of penalty `alpha` from :func:`statistics_spectrum`."""
    kind, M = spectrum["basis"]
    s2 = spectrum["uncleaned"] if plain else spectrum["s2"]
    if kind == "primal":
        beta = _solve(None, s2, ("primal", M, spectrum["P"]), alpha, plain)
    else:  # beta = V diag(inv) P = A^T U diag(inv / S) P
        beta = _solve(spectrum["A"], s2, ("dual", M, spectrum["P"] * spectrum["root"][:, None]),
                      alpha, plain)
    coef = beta / spectrum["scale"][:, None]
    intercept = stats.y_mean - stats.x_mean @ coef
    return coef / stats.x_unit[:, None], intercept
