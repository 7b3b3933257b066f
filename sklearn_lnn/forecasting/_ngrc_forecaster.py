"""NGRCForecaster: closed-loop forecasting on next-generation reservoir features."""

from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval

from ..utils._docs import fill_doc
from ._base import _COMMON_CONSTRAINTS, _ForecasterBase
from ._ngrc import n_lagged, next_history, ngrc_features


@fill_doc
class NGRCForecaster(_ForecasterBase):
    """Next-generation reservoir (NVAR) forecaster, closed-loop generation.

    The features of step :math:`t` are the inputs at ``delay`` steps
    :math:`u_t, u_{t-s}, \\ldots, u_{t-(k-1)s}` (``s = stride``) and their
    unique monomials of degree ``order``; a ridge readout on them predicts the
    next value (by default as the difference :math:`y_{t+1} - y_t`), as in
    Gauthier et al. (2021). Same interface as :class:`LNNForecaster`.

    Parameters
    ----------
%(ngrc_lags)s

    washout : int or None, default=None
        Steps of each series left out of the fit; None means
        ``(delay - 1) * stride``, the steps whose lags reach before the start.

%(difference_true)s

%(season)s

    standardize : bool, default=True
        Standardise targets and exogenous inputs with statistics fitted on
        the training series (per channel).

%(forecast_alpha)s

    Attributes
    ----------
    coef_ : ndarray of shape (n_ngrc_features, n_targets)
        Readout weights.

    intercept_ : ndarray of shape (n_targets,)
        Readout intercepts (the constant feature).

    alpha_ : float or "baseline"
        Ridge penalty used ("baseline": no readout, see ``alpha``).

    state_ : ndarray of shape (n_series, (delay - 1) * stride, n_targets + n_exog)
        The standardised inputs before the last one seen.

%(forecast_state)s

    input_mean_, input_scale_ : ndarray of shape (n_targets + n_exog,)
        The fitted standardisation.

    series_mean_, series_scale_ : ndarray of shape (n_series, n_targets + n_exog)
        A panel's members' own standardisation, applied first; only for a
        panel with ``standardize=True``.

    n_targets_, n_exog_, n_series_ : int
        Targets per step, exogenous inputs per step, number of series.

    See Also
    --------
    LNNForecaster : The same interface with a random reservoir.
    NGRCTransformer : NG-RC features of sequences for any estimator.

%(ngrc_reference)s

    Examples
    --------
    >>> from sklearn_lnn import NGRCForecaster
    >>> from sklearn_lnn.datasets import make_lorenz
    >>> xyz = make_lorenz(700, dt=0.025, random_state=0)
    >>> model = NGRCForecaster(alpha=1e-6).fit(xyz[200:600])
    >>> model.predict(10).shape
    (10, 3)
    """

    _parameter_constraints = {
        "delay": [Interval(Integral, 1, None, closed="left")],
        "stride": [Interval(Integral, 1, None, closed="left")],
        "order": [Interval(Integral, 2, None, closed="left")],
        **_COMMON_CONSTRAINTS,
        "washout": [Interval(Integral, 0, None, closed="left"), None],
    }

    def __init__(self, *, delay=2, stride=1, order=2, washout=None, difference=True,
                 season=None, standardize=True, alpha="auto"):
        self.delay = delay
        self.stride = stride
        self.order = order
        self.washout = washout
        self.difference = difference
        self.season = season
        self.standardize = standardize
        self.alpha = alpha

    _STRUCTURE = ("season", "delay", "stride", "order")

    def _washout(self, lengths):
        return n_lagged(self.delay, self.stride) if self.washout is None else self.washout

    def _start(self, n_channels):
        self._n_channels = n_channels

    def _zero_state(self, n_series):
        return np.zeros((n_series, n_lagged(self.delay, self.stride), self._n_channels))

    def _origin_states(self, feats, u, zero, origins):
        """The lag histories before the inputs at `origins` of one series."""
        return np.array([next_history(zero, u[:t], self.delay, self.stride)
                         for t in origins])

    def _teacher_forced(self, U, states, last_input=None):
        feats, ends = [], []
        for i, u in enumerate(U):
            history = states[i]
            if last_input is not None:  # continue after the last input seen
                history = next_history(history, last_input[i][None], self.delay, self.stride)
            feats.append(ngrc_features(u, self.delay, self.stride, self.order, history))
            ends.append(next_history(history, u[:-1], self.delay, self.stride))
        return feats, np.array(ends)

    def _generate(self, n_steps, exog):
        k = self.n_targets_
        history, last = self.state_.copy(), self.last_input_.copy()
        out = np.empty((self.n_series_, n_steps, k))
        for i in range(n_steps):
            F = ngrc_features(last[:, None], self.delay, self.stride, self.order, history)[:, 0]
            y = F @ self.coef_ + self.intercept_
            if self._predicts_change():
                y += last[:, :k]
            out[:, i] = y
            history = next_history(history, last[:, None], self.delay, self.stride)
            last = np.hstack([y, exog[:, i]]) if exog is not None else y
        return out
