"""A scorer for the per-step estimators that judges what their ``score`` does."""

from sklearn.metrics import mean_absolute_error, mean_squared_error, r2_score

#: name -> (metric, sign): scikit-learn's scorer names, errors negated.
_METRICS = {
    "r2": (r2_score, 1.0),
    "neg_mean_squared_error": (mean_squared_error, -1.0),
    "neg_root_mean_squared_error": (
        lambda y, p, **kw: mean_squared_error(y, p, **kw) ** 0.5, -1.0),
    "neg_mean_absolute_error": (mean_absolute_error, -1.0),
}


def step_scorer(metric="r2"):
    """A scorer for ``LNNStepRegressor`` in ``GridSearchCV`` or ``cross_validate``.

    scikit-learn's own scorers (``scoring="r2"``) score ``predict``'s
    (n_sequences, n_steps) output as if every step were a separate target,
    washout steps included, so they rank models differently from
    ``LNNStepRegressor.score``. This scorer judges what ``score`` does: every
    step after the fitted washout, pooled over the sequences, each target a
    column (``sample_weight`` of the sequences shared by their steps).
    ``step_scorer("r2")`` equals ``score``.

    Parameters
    ----------
    metric : {"r2", "neg_mean_squared_error", "neg_root_mean_squared_error", \
"neg_mean_absolute_error"}, default="r2"
        The metric, named as scikit-learn's scorers (errors negated, so that
        greater is better).

    Returns
    -------
    scorer : callable
        ``scorer(estimator, X, y, sample_weight=None)`` -> float.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.model_selection import GridSearchCV
    >>> from sklearn_lnn import LNNStepRegressor
    >>> from sklearn_lnn.utils import step_scorer
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(30, 40, 1))
    >>> Y = np.roll(X[:, :, 0], 1, axis=1)
    >>> search = GridSearchCV(LNNStepRegressor(n_reservoir=50, washout=5, random_state=0),
    ...                       {"leak_rate": [0.5, 1.0]}, scoring=step_scorer("r2"), cv=3)
    >>> search.fit(X, Y).best_params_
    {'leak_rate': 1.0}
    """
    if metric not in _METRICS:
        raise ValueError(f"metric must be one of {sorted(_METRICS)}; got {metric!r}.")
    func, sign = _METRICS[metric]

    def scorer(estimator, X, y, sample_weight=None):
        if not hasattr(estimator, "_scored_steps"):
            raise TypeError(f"step_scorer scores per-step estimators (LNNStepRegressor); "
                            f"got {type(estimator).__name__}.")
        Y, P, w = estimator._scored_steps(X, y, sample_weight)
        return sign * float(func(Y, P, sample_weight=w))

    scorer.__name__ = f"step_scorer_{metric}"
    return scorer
