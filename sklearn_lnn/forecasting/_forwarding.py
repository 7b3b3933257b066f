"""The forecasting methods of a search, forwarded to its refitted best model."""

from sklearn.utils.validation import check_is_fitted


class ForwardingMixin:
    """``predict``, ``predict_quantiles``, ``predict_interval``, ``update``
    and ``score`` of ``best_estimator_`` (a search fitted with ``refit``)."""

    def _fitted(self):
        check_is_fitted(self)
        if not hasattr(self, "best_estimator_"):
            raise AttributeError(f"{type(self).__name__} was fitted with refit=False: it has no "
                                 "model to forecast with. Fit with refit=True.")
        return self.best_estimator_

    def predict(self, n_steps, X=None):
        """Forecast with the refitted best model (:meth:`LNNForecaster.predict`).

        Parameters
        ----------
        n_steps : int >= 1
            Number of steps to forecast after the end of the data seen.

        X : array-like or list of array-like, default=None
            Exogenous inputs of the forecast steps, as in
            :meth:`LNNForecaster.predict`.

        Returns
        -------
        y_pred : ndarray or list of ndarray
            The forecast, in the structure of ``y`` in ``fit``.
        """
        return self._fitted().predict(n_steps, X)

    def predict_quantiles(self, n_steps, X=None, alpha=(0.05, 0.95)):
        """Quantiles of the best model (:meth:`LNNForecaster.predict_quantiles`).

        Parameters
        ----------
        n_steps : int >= 1
            Number of steps to forecast after the end of the data seen.

        X : array-like or list of array-like, default=None
            Exogenous inputs of the forecast steps.

        alpha : float or list of float in (0, 1), default=(0.05, 0.95)
            Quantile levels.

        Returns
        -------
        quantiles : ndarray or list of ndarray
            As :meth:`LNNForecaster.predict_quantiles`.
        """
        return self._fitted().predict_quantiles(n_steps, X, alpha)

    def predict_interval(self, n_steps, X=None, coverage=0.9):
        """Intervals of the best model (:meth:`LNNForecaster.predict_interval`).

        Parameters
        ----------
        n_steps : int >= 1
            Number of steps to forecast after the end of the data seen.

        X : array-like or list of array-like, default=None
            Exogenous inputs of the forecast steps.

        coverage : float or list of float in (0, 1), default=0.9
            Nominal coverages.

        Returns
        -------
        intervals : ndarray or list of ndarray
            As :meth:`LNNForecaster.predict_interval`.
        """
        return self._fitted().predict_interval(n_steps, X, coverage)

    def update(self, y, X=None, series=None):
        """Feed new values to the best model (:meth:`LNNForecaster.update`).

        Parameters
        ----------
        y : array-like or list of array-like
            The values observed after the data seen so far.

        X : array-like or list of array-like, default=None
            Their exogenous inputs, one row per step.

        series : int or str, default=None
            One panel member to update alone (:meth:`LNNForecaster.update`).

        Returns
        -------
        self : object
            The search, its best model advanced.
        """
        self._fitted().update(y, X, series)
        return self

    def score(self, y, X=None):
        """R^2 of the best model's forecast (:meth:`LNNForecaster.score`).

        Parameters
        ----------
        y : array-like or list of array-like
            The values that follow the data seen.

        X : array-like or list of array-like, default=None
            Their exogenous inputs.

        Returns
        -------
        score : float
            As :meth:`LNNForecaster.score`.
        """
        return self._fitted().score(y, X)
