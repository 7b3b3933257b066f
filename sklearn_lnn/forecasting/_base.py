"""The forecasters' shared fit / update / predict / score."""

import copy
from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._intervals import IntervalMixin
from ._pandas_io import PandasMixin
from ._checks import (
    check_divergence,
    validated_alpha,
    validation_plan,
)
from ..utils._numeric import constant_channels
from ..utils._persistence import VersionStampMixin
from .._readout._ridge import (
    chunk_statistics,
    merge_statistics,
    solve_statistics,
    spectrum_solution,
    statistics_spectrum,
)
from .._engine._scaling import channel_statistics
from .._engine._sequences import Sequences
from ._series import (
    check_exog,
    check_lengths,
    check_series,
    lagged_changes,
    summed_back,
)

_COMMON_CONSTRAINTS = {
    "washout": [Interval(Integral, 0, None, closed="left")],
    "difference": ["boolean", StrOptions({"series"})],
    "season": [Interval(Integral, 2, None, closed="left"), None],
    "standardize": ["boolean"],
    "alpha": [Interval(Real, 0, None, closed="left"), StrOptions({"auto", "baseline"})],
}
#: alpha="baseline": no readout; the forecast is the model form's baseline
#: (see ``_ForecasterBase._baseline_units``).
BASELINE = "baseline"


class _ForecasterBase(PandasMixin, IntervalMixin, VersionStampMixin, BaseEstimator):
    """fit / update / predict / score shared by the forecasters.

    Subclasses provide the representation: ``_start(n_channels)`` (draw it),
    ``_zero_state(n_series)``, ``_teacher_forced(U_list, states)`` ->
    (per-step features list, end states) and ``_generate(n_steps, exog)``.
    Everything runs on standardised values (when ``standardize``).
    """

    #: Parameters that shape a fitted model: ``fit`` records them, and
    #: ``update``, ``predict`` and ``score`` run on that record, so a
    #: ``set_params`` after ``fit`` changes nothing until the next ``fit``
    #: (scikit-learn's rule: predict reads fitted state only).
    _STRUCTURE = ("season",)
    #: Fitted attributes with one row per series of the panel.
    _PER_SERIES = ("state_", "last_input_", "last_value_", "last_season_",
                   "series_mean_", "series_scale_")

    def _as_fitted(self):
        """The model as fitted: itself, or (after a set_params of a
        structural parameter) a shallow copy holding the recorded values.
        Models pickled before the record existed are their own record."""
        check_is_fitted(self)
        record = vars(self).get("_fit_structure")
        if record is None or all(getattr(self, k) == v for k, v in record.items()):
            return self
        model = copy.copy(self)
        vars(model).update(record)
        return model

    def _member(self, model, series):
        """(position, a one-series view of `model`) of panel member `series`
        (a position, or a name recorded at fit)."""
        name = type(self).__name__
        if not self._panel:
            raise ValueError(f"series={series!r}: {name} was fitted on one series, not "
                             "a panel; update it without series=.")
        names = list(vars(self).get("series_names_") or [])
        if isinstance(series, (Integral, np.integer)) and not isinstance(series, bool):
            i = int(series)
            if not -self.n_series_ <= i < self.n_series_:
                raise ValueError(f"series={i} is out of range: {name} was fitted on "
                                 f"{self.n_series_} series.")
            i %= self.n_series_
        elif series in names:
            i = names.index(series)
        else:
            known = f" (names: {names})" if names else " (it recorded no names)"
            raise ValueError(f"series={series!r} is not a position or a name of the "
                             f"panel {name} was fitted on{known}.")
        view = copy.copy(model)
        for attr in self._PER_SERIES:
            if attr in vars(model):
                setattr(view, attr, getattr(model, attr)[i : i + 1])
        view._panel, view.n_series_ = False, 1
        return i, view

    def _washout(self, lengths):
        """The washout used for training series of these `lengths`."""
        return self.washout

    def _difference(self, ys):
        """The ``difference`` fitted on the training series `ys`."""
        return self.difference

    def _predicts_change(self):
        """``difference=True``: the readout predicts the change of what it reads."""
        return not isinstance(self.difference_, str) and bool(self.difference_)

    def _reads_changes(self):
        """``difference="series"``: the model reads and predicts the changes of
        the series; forecasts are summed back onto the last value seen."""
        return isinstance(self.difference_, str)

    def _prepare(self, ys, Xs, panel):
        """(standardised inputs U, the series' values) of validated training
        series: the seasonal changes and the changes taken as the parameters
        say, the fitted ``washout_``, ``difference_``, ``last_season_``,
        ``last_value_``, ``n_targets_``, ``n_exog_`` and the standardisation
        set. Row ``i`` of ``U[j]`` is step ``i + season + (1 with the changes)``
        of series ``j``; `values` are the series after the seasonal changes."""
        m = self.season
        w = self._washout([len(v) - (m or 0) for v in ys])
        check_lengths(ys, panel, w, isinstance(self.difference, str), m)
        for name in ("last_season_", "last_value_"):  # from an earlier fit
            vars(self).pop(name, None)
        if m:  # the seasonal changes; exogenous rows of the same steps
            ys, self.last_season_ = lagged_changes(ys, m)
            Xs = None if Xs is None else [x[m:] for x in Xs]
        self.washout_, self.difference_ = w, self._difference(ys)
        values = ys
        if self._reads_changes():  # the series of changes; exogenous rows of the same steps
            ys, last = lagged_changes(ys, 1)
            self.last_value_ = last[:, 0]
            Xs = None if Xs is None else [x[1:] for x in Xs]
        self.n_targets_ = ys[0].shape[1]
        self.n_exog_ = 0 if Xs is None else Xs[0].shape[1]
        raw = [np.hstack([a, b]) for a, b in zip(ys, Xs)] if Xs is not None else ys
        vars(self).pop("series_mean_", None)
        vars(self).pop("series_scale_", None)
        if panel and self.standardize:  # each member in its own units first
            stats = [channel_statistics(Sequences([r], np.array([len(r)]), True)) for r in raw]
            self.series_mean_ = np.array([a for a, _ in stats])
            self.series_scale_ = np.array([b for _, b in stats])
            raw = [(r - a) / b for r, (a, b) in zip(raw, stats)]
        if self.standardize:
            self.input_mean_, self.input_scale_ = channel_statistics(
                Sequences(raw, np.array([len(r) for r in raw]), True))
        else:
            d = raw[0].shape[1]
            self.input_mean_, self.input_scale_ = np.zeros(d), np.ones(d)
        return [(r - self.input_mean_) / self.input_scale_ for r in raw], values

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, y, X=None):
        """Fit the readout to predict each next value from the teacher-forced run.

        Parameters
        ----------
        y : array-like of shape (n_steps,) or (n_steps, n_targets), or list
            One series, or a list of independent series (a panel; lengths may
            differ) or a 3D array (n_series, n_steps, n_targets).

        X : array-like or list of array-like, default=None
            Exogenous inputs with one row per step of each series (the
            structure of ``y``), or None.

        Returns
        -------
        self : object
            The fitted forecaster; its state is at the end of each series.
        """
        ys, Xs, panel, one_column = check_series(y, X)
        self._fit_structure = {name: getattr(self, name) for name in self._STRUCTURE}
        self._record_pandas(y, X, panel)
        U, values = self._prepare(ys, Xs, panel)
        self._panel, self._one_column, self.n_series_ = panel, one_column, len(ys)
        w, changes = self.washout_, self._reads_changes()
        self._start(U[0].shape[1])
        zero = self._zero_state(len(U))
        feats, states = self._teacher_forced(U, zero)
        k = self.n_targets_
        # the rows before the cuts fit the readout that alpha="auto" judges
        # and the intervals' calibration forecasts with, from origins after
        plan = validation_plan([len(u) for u in U], w)
        cuts = plan[0] if plan is not None else [len(u) - 1 for u in U]
        fitted = held = None  # statistics of the rows before / after the cuts
        for F, u, cut in zip(feats, U, cuts):
            target = self._targets(u)
            fitted = merge_statistics(fitted, chunk_statistics(F[w:cut], target[: cut - w]))
            if cut < len(u) - 1:
                held = merge_statistics(held, chunk_statistics(F[cut:-1], target[cut - w :]))
        stats = merge_statistics(fitted, held) if held is not None else fitted
        if self.alpha == BASELINE:  # no readout: the form's baseline forecast
            self.coef_, self.intercept_ = self._baseline_readout(stats, feats[0].shape[1])
            self.alpha_ = BASELINE
        elif plan is not None and self.alpha == "auto":
            common = None  # the validation error of the values as they are
            if changes:  # of the changes summed up from the origin, in units
                # of the series' standard deviation: the error of the values
                scale, mean = self.input_scale_[:k], self.input_mean_[:k]
                spread = np.std(np.concatenate(values), axis=0)
                spread[~(spread > 0)] = 1.0
                common = lambda a: np.cumsum(a * scale + mean, axis=-2) / spread  # noqa: E731
            alpha = validated_alpha(self, fitted, feats, U, zero, *plan, common=common)
            self.coef_, self.intercept_ = spectrum_solution(
                stats, statistics_spectrum(stats), alpha)
            self.alpha_ = alpha
        else:
            self.coef_, self.intercept_, self.alpha_ = solve_statistics(stats, self.alpha)
        self.state_ = states
        self.last_input_ = np.array([u[-1] for u in U])
        self.target_peak_ = float(max(np.abs(u[:, :k]).max() for u in U))
        self._calibrate(ys, Xs, values, U, feats, zero,
                        plan[0] if plan is not None else None)
        return self

    def _to_values(self, out, rows=None):
        """Targets (n_series, n_steps, k) in model units back to the series'
        units (a panel's member `rows` of ``series_mean_``; None: all)."""
        k = self.n_targets_
        out = out * self.input_scale_[:k] + self.input_mean_[:k]
        local = vars(self).get("series_mean_")
        if local is None:
            return out
        rows = slice(None) if rows is None else rows
        return out * self.series_scale_[rows, None, :k] + local[rows, None, :k]

    def _baseline_readout(self, stats, n_features):
        """(coef, intercept) of alpha="baseline": zero weights and, for a
        model of the values, the targets' mean as the intercept (the mean
        forecast); 0 for ``difference=True`` (no change). A model of changes
        forecasts without them (``_baseline_units``)."""
        k = self.n_targets_
        values = not (self.season or self._reads_changes() or self._predicts_change())
        return np.zeros((n_features, k)), (np.array(stats.y_mean, dtype=float) if values
                                            else np.zeros(k))

    def _forecasts_no_change(self):
        """alpha="baseline" on a model of changes (``season`` or
        ``difference="series"``): every forecast step is a change of 0."""
        return self.alpha_ == BASELINE and bool(self.season or self._reads_changes()) \
            and not self._predicts_change()

    def _baseline_units(self, n_rows, rows=None):
        """A change of 0 in the series' units, in model units (n_rows, k), of
        a panel's member `rows` (None: all; ``series_mean_`` first)."""
        k = self.n_targets_
        zero = np.zeros((n_rows, k))
        local = vars(self).get("series_mean_")
        if local is not None:
            rows = slice(None) if rows is None else rows
            zero = (zero - local[rows, :k]) / self.series_scale_[rows, :k]
        return (zero - self.input_mean_[:k]) / self.input_scale_[:k]

    def _targets(self, u):
        """The readout's targets of standardised inputs `u` from the washout on."""
        w, k = self.washout_, self.n_targets_
        return u[w + 1 :, :k] - (u[w:-1, :k] if self._predicts_change() else 0.0)

    def _readout_before(self, feats, U, cuts):
        """The readout (coef, intercept) fitted on the rows before `cuts`
        only, with the fitted ``alpha_`` (a user's alpha: a plain ridge;
        "auto": the candidates' solution at the chosen penalty)."""
        w, stats = self.washout_, None
        for F, u, cut in zip(feats, U, cuts):
            if cut > w:
                stats = merge_statistics(stats, chunk_statistics(
                    F[w:cut], self._targets(u)[: cut - w]))
        if self.alpha == BASELINE:
            return self._baseline_readout(stats, feats[0].shape[1])
        if self.alpha != "auto":
            return solve_statistics(stats, self.alpha)[:2]
        return spectrum_solution(stats, statistics_spectrum(stats), self.alpha_)

    def _validated(self, y=None, X=None, n_steps=None):
        """Raw (targets, exogenous) of new values checked against the fit:
        the structure, the targets and the exogenous inputs; `y` None with
        `n_steps`: exogenous inputs of a forecast only."""
        name = type(self).__name__
        if y is not None:
            ys, Xs, panel, _ = check_series(y, X)
            if panel != self._panel or len(ys) != self.n_series_:
                raise ValueError(
                    f"{name} was fitted on {self.n_series_} series "
                    f"({'a list' if self._panel else 'one array'}); pass new values "
                    "in the same structure (one panel member: series=)."
                )
            if ys[0].shape[1] != self.n_targets_:
                raise ValueError(f"y has {ys[0].shape[1]} targets per step; {name} was "
                                 f"fitted with {self.n_targets_}.")
        else:
            Xs = check_exog(X, [n_steps] * self.n_series_, self._panel)
            ys = None
        if self.n_exog_ and Xs is None:
            raise ValueError(f"{name} was fitted with {self.n_exog_} exogenous inputs: "
                             "pass X with one row per step.")
        if not self.n_exog_ and Xs is not None:
            raise ValueError(f"{name} was fitted without exogenous inputs; X must be None.")
        if Xs is not None and Xs[0].shape[1] != self.n_exog_:
            raise ValueError(f"X has {Xs[0].shape[1]} columns; {name} was fitted "
                             f"with {self.n_exog_} exogenous inputs.")
        return ys, Xs

    def _check_new(self, y=None, X=None, n_steps=None):
        """Validated, standardised (targets, exogenous, last values) for update
        or predict; with ``difference="series"`` the targets are the changes
        from the last value seen, whose new values come third (else None)."""
        check_is_fitted(self)
        ys, Xs = self._validated(y, X, n_steps)
        k = self.n_targets_
        commit = {}  # what update sets once the new values have passed
        if ys is not None and self.season:
            ys, commit["last_season_"] = lagged_changes(ys, self.season, self.last_season_)
        if ys is not None and self._reads_changes():
            ys, last = lagged_changes(ys, 1, self.last_value_[:, None])
            commit["last_value_"] = last[:, 0]
        local = vars(self).get("series_mean_")  # a panel: each member's units first

        def scale(a, j, sl):
            if local is not None:
                a = (a - local[j, sl]) / self.series_scale_[j, sl]
            return (a - self.input_mean_[sl]) / self.input_scale_[sl]

        ys = None if ys is None else [scale(v, j, slice(0, k)) for j, v in enumerate(ys)]
        Xs = None if Xs is None else [scale(v, j, slice(k, None)) for j, v in enumerate(Xs)]
        return ys, Xs, commit

    def update(self, y, X=None, series=None):
        """Feed newly observed values: advance the state, keep the readout.

        Parameters
        ----------
        y : array-like or list of array-like
            The values observed after the data seen so far (at least one
            step), in the structure of ``y`` in ``fit`` (for a panel, one
            array per series).

        X : array-like or list of array-like, default=None
            Their exogenous inputs, one row per step.

        series : int or str, default=None
            Update one member of a panel only: its position, or its name
            (``series_names_``); `y` and `X` are then that series' new
            values alone. The other members keep their state.

        Returns
        -------
        self : object
            The forecaster; a refused update leaves it unchanged.
        """
        if y is None:
            raise ValueError(f"{type(self).__name__}.update needs the newly observed "
                             "values y (at least one step); got None.")
        model, i = self._as_fitted(), None
        if series is not None:
            i, model = self._member(model, series)
        ys, Xs, commit = model._check_new(y, X)
        U = [np.hstack([a, b]) for a, b in zip(ys, Xs)] if Xs is not None else ys
        _, states = model._teacher_forced(U, model.state_, model.last_input_)
        new = {"state_": states, "last_input_": np.array([u[-1] for u in U]), **commit}
        if i is not None:  # the member's row in copies of the panel's arrays
            for attr, value in new.items():
                whole = getattr(self, attr).copy()
                whole[i] = value[0]
                new[attr] = whole
        new.update(self._continued_pandas(y, X, [len(u) for u in U], i))
        vars(self).update(new)
        return self

    def predict(self, n_steps, X=None):
        """Forecast the next `n_steps` values by closed-loop generation.

        Each prediction is fed back as the next input. The state is not
        changed: two calls give the same forecast.

        Parameters
        ----------
        n_steps : int >= 1
            Number of steps to forecast after the end of the data seen.

        X : array-like or list of array-like, default=None
            Exogenous inputs of the forecast steps, (n_steps, n_exog) per
            series; required when the model was fitted with them. Row i is the
            input at the time of forecast step i.

        Returns
        -------
        y_pred : ndarray of shape (n_steps,) or (n_steps, n_targets), or list
            In the structure of ``y`` in ``fit`` (a list for a panel).
        """
        if isinstance(n_steps, (bool, np.bool_)) or not isinstance(n_steps, Integral) \
                or n_steps < 1:
            raise ValueError(f"n_steps must be an integer >= 1; got {n_steps!r}.")
        return self._as_output(self._point(n_steps, X))

    def _point(self, n_steps, X):
        """The forecast as a list of arrays, one per series (see predict)."""
        return self._in_values(*self._units(n_steps, X))

    def _units(self, n_steps, X):
        """(the fitted view, the forecast (n_series, n_steps, k) in model units:
        what the readout outputs, standardised), with the divergence warning."""
        model = self._as_fitted()
        self._check_exog_names(X)
        _, Xs, _ = model._check_new(X=X, n_steps=int(n_steps))
        exog = None if Xs is None else np.array(Xs)
        if model._forecasts_no_change():
            out = np.repeat(model._baseline_units(model.n_series_)[:, None], n_steps, axis=1)
        else:
            with np.errstate(over="ignore", invalid="ignore"):  # divergence: warned below
                out = model._generate(int(n_steps), exog)
        check_divergence(out, self.target_peak_, type(self).__name__)
        return model, out

    def _in_values(self, model, out):
        """A forecast in model units (``_units``) in the series' values."""
        out = self._to_values(out)
        if self._reads_changes():  # forecast changes summed onto the last value
            out = summed_back(out, self.last_value_[:, None])
        if model.season:  # seasonal changes summed onto the values a season before
            out = summed_back(out, self.last_season_)
        return [o[:, 0] if self._one_column else o for o in out]

    def score(self, y, X=None):
        """R^2 of a closed-loop forecast of ``len(y)`` steps against `y`.

        Parameters
        ----------
        y : array-like or list of array-like
            The values that follow the data seen, as in ``update``.

        X : array-like or list of array-like, default=None
            Their exogenous inputs.

        Returns
        -------
        score : float
            ``1 - SSE / SST`` per target over all forecast steps (of all
            series), averaged over the targets. A target whose values do not
            vary (SST 0, as for one step) scores 1 when forecast exactly
            and 0 otherwise, as scikit-learn's ``r2_score`` does.
        """
        check_is_fitted(self)
        ys, _ = self._validated(y, X)
        if len({len(v) for v in ys}) > 1:
            raise ValueError("score needs series of one length (one horizon).")
        pred = self.predict(len(ys[0]), X)
        pred = pred if self._panel else [pred]
        Y = np.vstack(ys)
        P = np.vstack([np.asarray(p).reshape(len(p), -1) for p in pred])
        return forecast_r2(Y, P)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.non_deterministic = False
        return tags


def forecast_r2(Y, P):
    """R^2 of forecasts `P` against `Y` (n_steps, n_targets) per target,
    averaged; a target with SST 0 scores 1 if forecast exactly, else 0
    (``r2_score``'s ``force_finite``). "Does not vary" is the relative test
    of every scaler (``constant_channels``), so a constant continuation in
    any units is one, whatever the rounding of its mean."""
    mean = Y.mean(axis=0)
    sst = ((Y - mean) ** 2).sum(axis=0)
    sse = ((Y - P) ** 2).sum(axis=0)
    flat = constant_channels(np.sqrt(sst / len(Y)), mean, len(Y))
    r2 = np.where(flat, np.where(sse == 0, 1.0, 0.0), 1.0 - sse / np.where(flat, 1.0, sst))
    return float(np.mean(r2))
