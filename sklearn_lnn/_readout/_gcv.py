"""The ridge penalty chosen by generalised cross-validation (GCV), or by
exact leave-one-out where the rows are kept (:func:`loo_alpha`).

From the spectrum of the standardised features (``_readout``): with
``A = U S V^T`` and projections ``D = U^T B`` of the centred targets,

* ``RSS(alpha) = rest + sum_j ||d_j||^2 alpha^2 / (s_j^2 + alpha)^2``
* ``df(alpha) = 1 + sum_j s_j^2 / (s_j^2 + alpha)`` (the 1 is the intercept)
* ``GCV(alpha) = RSS(alpha) / (1 - df(alpha) / n)^2`` with ``n = sum(w)``,

where ``rest = ||B||^2 - ||U^T B||^2`` is what no penalty can fit.
"""

import numpy as np

from ..utils._warnings import warn
from ..exceptions import AlphaRangeWarning

#: The alphas tried by ``alpha="auto"``: features are standardised, so the
#: Gram matrix scales with the number of sequences and the grid is wide.
AUTO_ALPHAS = np.logspace(-3, 6, 19)


#: How far "auto" widens the grid, a decade at a time, when the GCV optimum
#: sits on an edge of ``AUTO_ALPHAS`` (smooth, noise-free targets want less
#: penalty than any classification task does).
ALPHA_LIMITS = (1e-10, 1e9)


def _gcv(s2, d2, rest, n_eff, a):
    """GCV(alpha) (module docstring); inf when the fit has no residual dof."""
    df = 1.0 + (s2 / (s2 + a)).sum()
    if not df < n_eff - 1e-9:
        return np.inf
    rss = rest + (d2 * (a / (s2 + a)) ** 2).sum()
    return rss / (1.0 - df / n_eff) ** 2


#: GCV's choice must not flip on rounding. Where the features can all but
#: interpolate the targets (as many features as sequences), the residual sum
#: ``rest = ||B||^2 - ||U^T B||^2`` is a difference of two equal numbers: pure
#: rounding, below this share of ``||B||^2``, and taken as 0. And where the
#: GCV curve is flat, the largest penalty whose score is within GCV_RTOL of the
#: smallest wins, not whichever rounding favours. Measured (issue 26: 400
#: sequences, 400 features, statistics perturbed by 1e-13 / 1e-11 relative,
#: 30 draws): the plain argmin picked 3 / 4 different alphas (0.001 to 1), so a
#: distributed fit differed from a local one by 8.6% on another BLAS kernel;
#: with both rules, one alpha in every draw.
RESIDUAL_ROUNDING = 1e-9
GCV_RTOL = 1e-6


def flat_argmin(scores):
    """Index of the last (largest-penalty) score within GCV_RTOL of the
    smallest (alphas ascending; NaN never wins); 0 when none is finite."""
    scores = np.asarray(scores, dtype=float)
    scores = np.where(np.isnan(scores), np.inf, scores)  # NaN never wins
    best = scores.min()
    if not np.isfinite(best):
        return 0
    return int(np.flatnonzero(scores <= best * (1.0 + GCV_RTOL))[-1])


def gcv_alpha(s2, d2, rest, n_eff, alphas=AUTO_ALPHAS, with_score=False):
    """The alpha of `alphas` (ascending) with the smallest GCV, the largest
    within GCV_RTOL of it on a flat curve; from an edge, the grid goes on a
    decade at a time (within ``ALPHA_LIMITS``) while GCV keeps falling.
    `with_score`: (alpha, its GCV)."""
    total = rest + d2.sum()
    if rest <= RESIDUAL_ROUNDING * total:
        rest = 0.0

    def interpolating(a):  # duplicate rows: the rest is rounding
        return rest + (d2 * (a / (s2 + a)) ** 2).sum() < 1e-9 * total

    def score(a):
        return _gcv(s2, d2, rest, n_eff, a)

    alpha = choose_alpha(score, alphas, interpolating)
    return (alpha, score(alpha)) if with_score else alpha


def choose_alpha(score, alphas, interpolating):
    """The alpha of `alphas` (ascending) with the smallest ``score(alpha)``,
    the largest within GCV_RTOL of it on a flat curve; from an edge, the grid
    goes on a decade at a time (within ``ALPHA_LIMITS``) while the score keeps
    falling and ``interpolating(alpha)`` is False. AlphaRangeWarning when the
    choice is outside the grid."""
    scores = [score(a) for a in alphas]
    i = flat_argmin(scores)
    best, alpha = scores[i], float(alphas[i])
    if not np.isfinite(best):
        return float(alphas[-1])
    for edge, factor in ((0, 0.1), (len(alphas) - 1, 10.0)):
        if i != edge:
            continue
        exponent, step = np.log10(alpha), (-1 if factor < 1 else 1)
        for j in range(1, 40):
            a = float(10.0 ** (exponent + step * j))
            if not ALPHA_LIMITS[0] <= a <= ALPHA_LIMITS[1]:
                break
            value = score(a)
            if not value < best * (1.0 - GCV_RTOL):  # flat: keep the larger penalty
                break
            if interpolating(a):
                break
            best, alpha = value, a
    if not ALPHA_LIMITS[0] * 1.001 < alpha <= alphas[-1] * 1.001:
        if alpha > 1:
            detail = (f"above the grid's top ({alphas[-1]:.0e}): the features explain "
                      "next to nothing of the target (check the target, the "
                      "features, or the reservoir parameters).")
        else:
            detail = ("the smallest penalty it tries: the fit is as unregularised as "
                      "the search goes; pass alpha explicitly to go further.")
        warn(f'alpha="auto" chose {alpha:.0e}, {detail}', AlphaRangeWarning)
    return alpha


def loo_alpha(s2, U, B, root_w, alphas=AUTO_ALPHAS, with_score=False):
    """The alpha of `alphas` with the smallest exact leave-one-out error
    (:func:`loo_error`), chosen as :func:`choose_alpha` does. `with_score`:
    (alpha, its error)."""
    error, residuals = loo_error(s2, U, B, root_w)
    total = (B**2).sum()
    alpha = choose_alpha(error, alphas,
                         lambda a: (residuals(a) ** 2).sum() < 1e-9 * total)
    return (alpha, error(alpha)) if with_score else alpha


def loo_error(s2, U, B, root_w):
    """(error, residuals): functions of alpha giving the exact leave-one-out
    error and the in-sample residuals, from the rows themselves (fewer rows
    than features: the dual side).

    `U` (n, n) and `s2` are the eigenvectors and cleaned eigenvalues of
    ``A A^T`` for the standardised, centred, weighted rows ``A``; `B` (n, t)
    their centred targets times `root_w` (the square roots of the weights).
    Row i's fit has leverage ``h_i = w_i / sum(w) + sum_j U_ij^2 s_j^2 /
    (s_j^2 + alpha)`` (the first term is the unpenalised intercept) and
    residual ``e_i`` (row of ``U diag(alpha / (s^2 + alpha)) U^T B``). What is
    left out is one unit of weight, the whole row when ``w_i <= 1``: its
    error is ``e_i / (1 - h_i / max(w_i, 1))``, so integer weights score
    exactly as repeated rows do. Unlike GCV, which gives every row the mean
    leverage, this sees the rows a fit leans on (a few series far larger
    than the rest). The standardisation stays that of all rows, as in
    scikit-learn's ``RidgeCV``.
    """
    w = root_w**2
    D = U.T @ B
    fitted = s2 > 0
    U2 = U[:, fitted] ** 2
    # leverage of the null directions other than the intercept's own
    free = np.clip(1.0 - U2.sum(axis=1) - w / w.sum(), 0.0, None)
    copies = np.maximum(w, 1.0)

    def residuals(a):
        return U @ (D * (a / (s2 + a))[:, None])

    def error(a):
        unfit = free + U2 @ (a / (s2[fitted] + a))  # 1 - h_i
        keep = (copies - 1.0 + unfit) / copies
        if not np.all(keep > 0):
            return np.inf
        return float(((residuals(a) / keep[:, None]) ** 2).sum())

    return error, residuals
