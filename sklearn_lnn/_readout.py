"""Ridge readout: closed form on standardised features, alpha chosen by GCV.

Pure numpy (its LAPACK), so no second BLAS thread pool competes with the
reservoir's matrix products. One eigendecomposition serves the whole alpha
grid: with the weighted, centred and standardised features ``A`` (rows scaled
by ``sqrt(w)``) and targets ``B``, and ``A = U S V^T``,

* ``RSS(alpha) = ||B||^2 - ||U^T B||^2 + sum_j ||u_j^T B||^2 alpha^2 / (s_j^2 + alpha)^2``
* ``df(alpha) = 1 + sum_j s_j^2 / (s_j^2 + alpha)`` (the 1 is the intercept)
* ``GCV(alpha) = RSS(alpha) / (1 - df(alpha) / n)^2`` with ``n = sum(w)``.

GCV depends on the weights only through these sums, so integer weights give
exactly the model of repeated rows.
"""

import numpy as np

#: The alphas tried by ``alpha="auto"``: features are standardised, so the
#: Gram matrix scales with the number of sequences and the grid is wide.
AUTO_ALPHAS = np.logspace(-3, 6, 19)


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
    constant = scale < 1e-12 * np.maximum(1.0, np.abs(mean))
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


def _spectrum(A, B):
    """(s^2, projections D = U^T B) of A = U S V^T, plus V-side data to solve."""
    n, p = A.shape
    if n >= p:
        evals, V = np.linalg.eigh(A.T @ A)
        s2 = np.clip(evals, 0.0, None)
        C = V.T @ (A.T @ B)  # = S D
        with np.errstate(divide="ignore", invalid="ignore"):
            D = np.where(s2[:, None] > 0, C / np.sqrt(s2)[:, None], 0.0)
        return s2, D, ("primal", V, C)
    evals, U = np.linalg.eigh(A @ A.T)
    s2 = np.clip(evals, 0.0, None)
    D = U.T @ B
    return s2, D, ("dual", U, D)


def _solve(A, s2, basis, alpha):
    kind, M, P = basis
    # 1 / (s^2 + alpha), zero on the null space (a pseudo-inverse at alpha=0)
    denom = s2 + alpha
    inv = np.zeros_like(s2)
    np.divide(1.0, denom, out=inv, where=denom > 1e-10 * max(s2.max(initial=0.0), 1e-300))
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
    s2, D, basis = _spectrum(A, B)
    if alpha == "auto":
        n_eff = w.sum()
        d2 = (D**2).sum(axis=1)
        rest = max((B**2).sum() - d2.sum(), 0.0)
        best = (np.inf, AUTO_ALPHAS[-1])
        for a in AUTO_ALPHAS:
            rss = rest + (d2 * (a / (s2 + a)) ** 2).sum()
            df = 1.0 + (s2 / (s2 + a)).sum()
            if df < n_eff - 1e-9:
                best = min(best, (rss / (1.0 - df / n_eff) ** 2, a))
        alpha = best[1]
    beta = _solve(A, s2, basis, float(alpha))
    coef = beta / x_scale[:, None]
    return coef, y_mean - x_mean @ coef, float(alpha)
