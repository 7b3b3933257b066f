"""The ridge penalty chosen by generalised cross-validation (GCV).

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


def gcv_alpha(s2, d2, rest, n_eff, alphas=AUTO_ALPHAS):
    """The alpha of `alphas` (ascending) with the smallest GCV, the largest
    within GCV_RTOL of it on a flat curve; from an edge, the grid goes on a
    decade at a time (within ``ALPHA_LIMITS``) while GCV keeps falling."""
    total = rest + d2.sum()
    if rest <= RESIDUAL_ROUNDING * total:
        rest = 0.0
    scores = [_gcv(s2, d2, rest, n_eff, a) for a in alphas]
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
            score = _gcv(s2, d2, rest, n_eff, a)
            if not score < best * (1.0 - GCV_RTOL):  # flat: keep the larger penalty
                break
            if rest + (d2 * (a / (s2 + a)) ** 2).sum() < 1e-9 * total:
                break  # interpolating (duplicate rows): the rest is rounding
            best, alpha = score, a
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
