"""A ridge readout kept as sufficient statistics: fit, partial_fit, forgetting.

The readout's data live in a :class:`~sklearn_lnn._readout.RidgeStatistics`;
``coef_``, ``intercept_`` and ``alpha_`` are solved from it lazily, on the
first read after new data, so streaming many small chunks costs one
accumulation each and a single solve when the model is next used.
"""

import numpy as np

from ._ridge import (
    RidgeStatistics,
    chunk_statistics,
    merge_statistics,
    scale_statistics,
    solve_statistics,
)

#: Weights below this share of the newest sequence's are clipped to it (a
#: sequence forgotten that far has no effect on the solution anyway).
_SMALLEST_WEIGHT = 1e-280


def update_statistics(stats, X, Y, sample_weight, forgetting_factor):
    """`stats` (or None) after the rows X, Y seen in order with forgetting.

    Every row already seen has its weight multiplied by `forgetting_factor`
    for each later row, so the result does not depend on how the rows are cut
    into chunks: the old statistics shrink by ``factor ** len(X)`` and row i
    of the chunk gets ``factor ** (len(X) - 1 - i)``.
    """
    m = len(X)
    w = np.ones(m) if sample_weight is None else np.asarray(sample_weight, float)
    if forgetting_factor < 1.0:
        decay = forgetting_factor ** np.arange(m - 1, -1, -1, dtype=float)
        w = w * np.maximum(decay, _SMALLEST_WEIGHT)
        stats = scale_statistics(stats, forgetting_factor**m)
    weighted = sample_weight is not None or forgetting_factor < 1.0
    new = chunk_statistics(X, Y, w if weighted else None)
    return merge_statistics(stats, new)


def as_state(stats):
    """The statistics as a dict of arrays (plain data for pickle and skops)."""
    return None if stats is None else dict(vars(stats))


def from_state(state):
    """Inverse of :func:`as_state`."""
    return None if state is None else RidgeStatistics(**state)


class StatisticsReadout:
    """Mixin: ``coef_``, ``intercept_`` and ``alpha_`` solved from ``_stats``.

    Subclasses set ``_stats`` (a dict from :func:`as_state`) and may set
    ``_ravel_output`` (single-target
    regressors return 1-D coefficients). Assigning the attributes directly
    (the logistic readout does) bypasses the statistics.
    """

    def _solved(self):
        solution = getattr(self, "_solution", None)
        if solution is None:
            if getattr(self, "_stats", None) is None:
                raise AttributeError("the readout has not been fitted")
            solution = solve_statistics(from_state(self._stats), self.alpha,
                                        columns=self._gcv_columns(),
                                        feature_weights=self._feature_weights(),
                                        criterion=self._alpha_criterion)
            self._solution = solution
        return solution

    #: How alpha="auto" is judged (``solve_statistics``' `criterion`): each
    #: row is an independent sequence, so exact leave-one-out where the
    #: statistics keep their rows (forecasters' rows are time steps of one
    #: series, not exchangeable: they keep GCV or their closed-loop check).
    _alpha_criterion = "loo"

    def _gcv_columns(self):
        """Mask of the target columns whose leave-one-out error GCV may judge
        alpha by (None: all of them)."""
        return None

    def _feature_weights(self):
        """The features' penalty weights (``solve_statistics``; None: all 1)."""
        return None

    def _set_solution(self, index, value):
        solution = list(getattr(self, "_solution", None) or (None, None, None))
        solution[index] = value
        self._solution = tuple(solution)

    @property
    def coef_(self):
        coef = self._solved()[0]
        return coef[:, 0] if getattr(self, "_ravel_output", False) else coef

    @coef_.setter
    def coef_(self, value):
        self._set_solution(0, value)

    @property
    def intercept_(self):
        intercept = self._solved()[1]
        return intercept[0] if getattr(self, "_ravel_output", False) else intercept

    @intercept_.setter
    def intercept_(self, value):
        self._set_solution(1, value)

    @property
    def alpha_(self):
        return self._solved()[2]

    @alpha_.setter
    def alpha_(self, value):
        self._set_solution(2, value)
