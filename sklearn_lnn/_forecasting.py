"""The forecasters' shared fit / update / predict / score, and LNNForecaster."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ._docs import fill_doc
from ._dynamics import _leaky_tanh_, _liquid_, blas_threads_for
from ._forecast_checks import (
    FORECAST_ALPHAS,
    check_divergence,
    validated_alpha,
    validation_plan,
)
from ._persistence import VersionStampMixin
from ._readout import (
    chunk_statistics,
    merge_statistics,
    solve_statistics,
    spectrum_solution,
    statistics_spectrum,
)
from ._reservoir import RESERVOIR_CONSTRAINTS, RESERVOIR_DEFAULTS
from ._scaling import channel_statistics
from ._segments import all_states
from ._sequences import Sequences
from ._series import check_exog, check_series
from ._stepwise import draw_reservoir

FORECAST_RESERVOIR = ["n_reservoir", "spectral_radius", "leak_rate", "input_scaling",
                      "bias_scaling", "density", "neuron", "time_step", "random_state"]

_COMMON_CONSTRAINTS = {
    "washout": [Interval(Integral, 0, None, closed="left")],
    "difference": ["boolean", StrOptions({"series"})],
    "standardize": ["boolean"],
    "alpha": [Interval(Real, 0, None, closed="left"), StrOptions({"auto"})],
}

#: ``washout="auto"``: AUTO_WASHOUT steps, or the shortest training series'
#: length // AUTO_WASHOUT_SHARE when that is fewer. ``difference="auto"``
#: fits the model of the values (False) and of the changes ("series") and
#: keeps the one whose closed-loop validation error (that of ``alpha``, on
#: the values) is smaller; with fewer than AUTO_COMPARE_STEPS held-out steps
#: in all, the changes. Short real series (benchmarks/forecasting.py: aeon's
#: Airline, Lynx, ShampooSales, solar and 181 M1 yearly series; MASE, seeds
#: 0-2): the values model with washout 50 refused 181 of those series and
#: was far off on trends (Airline 6.7, the seasonal naive forecast 1.6);
#: these defaults: Airline 1.38, M1 3.64 (naive 4.89). The comparison itself
#: picked the values on Airline (validation error 0.17 vs 0.25, 23 held-out
#: steps) and then missed by a MASE of 8: too few steps to trust it.
AUTO_WASHOUT = 50
AUTO_WASHOUT_SHARE = 10
AUTO_COMPARE_STEPS = 100


class _ForecasterBase(VersionStampMixin, BaseEstimator):
    """fit / update / predict / score shared by the forecasters.

    Subclasses provide the representation: ``_start(n_channels)`` (draw it),
    ``_zero_state(n_series)``, ``_teacher_forced(U_list, states)`` ->
    (per-step features list, end states) and ``_generate(n_steps, exog)``.
    Everything runs on standardised values (when ``standardize``).
    """

    def _washout(self, lengths):
        """The washout used for training series of these `lengths`."""
        return self.washout

    def _min_steps(self):
        """Fewest steps a training series needs (``washout + 2``, one more
        when the model may read changes)."""
        changes = isinstance(self.difference, str)
        return (self.washout if isinstance(self.washout, Integral) else 0) + 2 + changes

    def _difference_options(self, lengths, washout):
        """The values of ``difference`` that fit compares (one: no choice)."""
        return [self.difference]

    def _predicts_change(self):
        """``difference=True``: the readout predicts the change of what it reads."""
        return not isinstance(self.difference_, str) and bool(self.difference_)

    def _reads_changes(self):
        """``difference="series"``: the model reads and predicts the changes of
        the series; forecasts are summed back onto the last value seen."""
        return isinstance(self.difference_, str)

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
        ys, Xs, panel, one_column = check_series(y, X, min_steps=self._min_steps())
        self._panel, self._one_column, self.n_series_ = panel, one_column, len(ys)
        lengths = [len(v) for v in ys]
        self.washout_ = self._washout(lengths)
        options = self._difference_options(lengths, self.washout_)
        if len(options) == 1:
            self._fit_option(ys, Xs, options[0])
            return self
        # fit each option and keep the one whose closed-loop validation error
        # (in units of the series' standard deviation) is smallest
        best = None
        for option in options:
            vars(self).pop("last_value_", None)
            error = self._fit_option(ys, Xs, option, compare=True)
            if best is None or error < best[0]:
                best = (error, dict(vars(self)))
        vars(self).clear()
        vars(self).update(best[1])
        return self

    def _fit_option(self, ys, Xs, difference, compare=False):
        """Fit with ``difference_ = difference``; returns the closed-loop
        validation error of the fitted penalty when `compare` (inf when the
        series are too short to validate), else None."""
        self.difference_ = difference
        w = self.washout_
        changes = self._reads_changes()
        values_scale = np.std(np.concatenate(ys), axis=0)
        values_scale[~(values_scale > 0)] = 1.0
        if changes:  # the series of changes; exogenous rows of the same steps
            self.last_value_ = np.array([v[-1] for v in ys])
            ys = [np.diff(v, axis=0) for v in ys]
            Xs = None if Xs is None else [x[1:] for x in Xs]
        self.n_targets_ = ys[0].shape[1]
        self.n_exog_ = 0 if Xs is None else Xs[0].shape[1]
        raw = [np.hstack([a, b]) for a, b in zip(ys, Xs)] if Xs is not None else ys
        if self.standardize:
            self.input_mean_, self.input_scale_ = channel_statistics(
                Sequences(raw, np.array([len(r) for r in raw]), True))
        else:
            d = raw[0].shape[1]
            self.input_mean_, self.input_scale_ = np.zeros(d), np.ones(d)
        U = [(r - self.input_mean_) / self.input_scale_ for r in raw]
        self._start(U[0].shape[1])
        zero = self._zero_state(len(U))
        feats, states = self._teacher_forced(U, zero)
        k = self.n_targets_
        plan = (validation_plan([len(u) for u in U], w)
                if self.alpha == "auto" or compare else None)
        cuts = plan[0] if plan is not None else [len(u) - 1 for u in U]
        fitted = held = None  # statistics of the rows before / after the cuts
        for F, u, cut in zip(feats, U, cuts):
            target = u[w + 1 :, :k] - (u[w:-1, :k] if self._predicts_change() else 0.0)
            fitted = merge_statistics(fitted, chunk_statistics(F[w:cut], target[: cut - w]))
            if cut < len(u) - 1:
                held = merge_statistics(held, chunk_statistics(F[cut:-1], target[cut - w :]))
        stats = merge_statistics(fitted, held) if held is not None else fitted
        error = np.inf if compare else None
        if plan is not None:
            scale, mean = self.input_scale_[:k], self.input_mean_[:k]
            # forecasts in units of the series' standard deviation: changes
            # summed up from the origin, values as they are (offsets cancel)
            common = ((lambda a: np.cumsum(a * scale + mean, axis=-2) / values_scale)
                      if changes else (lambda a: a * scale / values_scale))
            alphas = FORECAST_ALPHAS if self.alpha == "auto" else [self.alpha]
            alpha, best = validated_alpha(self, fitted, feats, U, zero, *plan,
                                          alphas=alphas, common=common)
            error = best if compare else None
        if self.alpha == "auto" and plan is not None:
            self.coef_, self.intercept_ = spectrum_solution(
                stats, statistics_spectrum(stats), alpha)
            self.alpha_ = alpha
        else:
            self.coef_, self.intercept_, self.alpha_ = solve_statistics(stats, self.alpha)
        self.state_ = states
        self.last_input_ = np.array([u[-1] for u in U])
        self.target_peak_ = float(max(np.abs(u[:, :k]).max() for u in U))
        return error

    def _check_new(self, y=None, X=None, n_steps=None):
        """Validated, standardised (targets, exogenous, last values) for update
        or predict; with ``difference="series"`` the targets are the changes
        from the last value seen, whose new values come third (else None)."""
        check_is_fitted(self)
        name = type(self).__name__
        if y is not None:
            ys, Xs, panel, _ = check_series(y, X)
            lengths = [len(v) for v in ys]
            if panel != self._panel or len(ys) != self.n_series_:
                raise ValueError(
                    f"{name} was fitted on {self.n_series_} series "
                    f"({'a list' if self._panel else 'one array'}); pass new values "
                    "in the same structure."
                )
            if ys[0].shape[1] != self.n_targets_:
                raise ValueError(f"y has {ys[0].shape[1]} targets per step; {name} was "
                                 f"fitted with {self.n_targets_}.")
        else:
            lengths = [n_steps] * self.n_series_
            Xs = check_exog(X, lengths, self._panel)
            ys = None
        if self.n_exog_ and Xs is None:
            raise ValueError(f"{name} was fitted with {self.n_exog_} exogenous inputs: "
                             "pass X with one row per step.")
        if not self.n_exog_ and Xs is not None:
            raise ValueError(f"{name} was fitted without exogenous inputs; X must be None.")
        if Xs is not None and Xs[0].shape[1] != self.n_exog_:
            raise ValueError(f"X has {Xs[0].shape[1]} columns; {name} was fitted "
                             f"with {self.n_exog_} exogenous inputs.")
        k = self.n_targets_
        last = None
        if ys is not None and self._reads_changes():
            last = np.array([v[-1] for v in ys])
            ys = [np.diff(v, axis=0, prepend=lv[None]) for v, lv in zip(ys, self.last_value_)]
        scale = lambda a, sl: (a - self.input_mean_[sl]) / self.input_scale_[sl]
        ys = None if ys is None else [scale(v, slice(0, k)) for v in ys]
        Xs = None if Xs is None else [scale(v, slice(k, None)) for v in Xs]
        return ys, Xs, last

    def update(self, y, X=None):
        """Feed newly observed values: advance the state, keep the readout.

        Parameters
        ----------
        y : array-like or list of array-like
            The values observed after the data seen so far (at least one
            step), in the structure of ``y`` in ``fit`` (for a panel, one
            array per series).

        X : array-like or list of array-like, default=None
            Their exogenous inputs, one row per step.

        Returns
        -------
        self : object
            The forecaster; a refused update leaves it unchanged.
        """
        ys, Xs, last = self._check_new(y, X)
        U = [np.hstack([a, b]) for a, b in zip(ys, Xs)] if Xs is not None else ys
        _, states = self._teacher_forced(U, self.state_, self.last_input_)
        self.state_ = states
        self.last_input_ = np.array([u[-1] for u in U])
        if last is not None:
            self.last_value_ = last
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
        _, Xs, _ = self._check_new(X=X, n_steps=int(n_steps))
        exog = None if Xs is None else np.array(Xs)
        with np.errstate(over="ignore", invalid="ignore"):  # divergence: warned below
            out = self._generate(int(n_steps), exog)  # (n_series, n_steps, k)
        check_divergence(out, self.target_peak_, type(self).__name__)
        k = self.n_targets_
        out = out * self.input_scale_[:k] + self.input_mean_[:k]
        if self._reads_changes():  # forecast changes summed onto the last value
            out = np.cumsum(out, axis=1) + self.last_value_[:, None, :]
        out = [o[:, 0] if self._one_column else o for o in out]
        return out if self._panel else out[0]

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
            ``1 - SSE / SST`` per target over all forecast steps, averaged.
        """
        ys, _, _, _ = check_series(y, X)
        if len({len(v) for v in ys}) > 1:
            raise ValueError("score needs series of one length (one horizon).")
        pred = self.predict(len(ys[0]), X)
        pred = pred if self._panel else [pred]
        Y = np.vstack(ys)
        P = np.vstack([np.asarray(p).reshape(len(p), -1) for p in pred])
        sst = ((Y - Y.mean(axis=0)) ** 2).sum(axis=0)
        sse = ((Y - P) ** 2).sum(axis=0)
        return float(np.mean(1.0 - sse / np.where(sst > 0, sst, 1.0)))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.non_deterministic = False
        return tags


@fill_doc
class LNNForecaster(_ForecasterBase):
    """Reservoir forecaster: teacher-forced fit, closed-loop generation.

    The series (and its exogenous inputs) drive a fixed random reservoir; a
    ridge readout learns to predict the next value from the state (and, with
    ``include_input``, the current value; with ``squared_states``, the squared
    states too). ``predict(n)`` then generates the
    next ``n`` values in closed loop, feeding each prediction back as the next
    input; ``update`` feeds newly observed values so a deployed model keeps
    forecasting from where the data ends, without refitting.

    It is not a scikit-learn regressor: ``predict`` takes a horizon, not
    samples. Tune it with scikit-learn's tools through
    :class:`LNNStepRegressor`, which shares its reservoir parameters (see the
    forecasting guide), or with its ``score`` on a held-out continuation.

    Parameters
    ----------
%(forecast_parameters)s

%(forecast_alpha)s

    Attributes
    ----------
    reservoir_ : ReservoirTransformer
        The fitted reservoir; its inputs are the targets then the exogenous
        inputs, standardised.

    coef_ : ndarray of shape (n_readout_features, n_targets)
        Readout weights: on the state, then the inputs (``include_input``),
        then the squared state (``squared_states``).

    intercept_ : ndarray of shape (n_targets,)
        Readout intercepts.

    alpha_ : float
        Ridge penalty used.

    state_ : ndarray of shape (n_series, n_reservoir)
        Reservoir state after the last value seen (by ``fit`` or ``update``).

%(forecast_state)s

    input_mean_, input_scale_ : ndarray of shape (n_targets + n_exog,)
        The standardisation of targets and exogenous inputs fitted on the
        training series (0 and 1 with ``standardize=False``).

    n_targets_, n_exog_, n_series_ : int
        Targets per step, exogenous inputs per step, number of series.

    See Also
    --------
    NGRCForecaster : The same interface with next-generation reservoir features.
    LNNStepRegressor : Per-step regression, the path to tune a forecaster.

    Notes
    -----
%(equations)s

    Training: for every series, inputs :math:`u_t` are the standardised value
    and exogenous inputs at step :math:`t`; the readout is fitted on steps
    ``washout .. n_steps - 2`` to predict :math:`y_{t+1}` (or
    :math:`y_{t+1} - y_t` with ``difference=True``). In closed loop each
    generated step costs the readout's small product and one product of the
    reservoir (recurrent, input and bias weights fused).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_lnn import LNNForecaster
    >>> t = np.arange(600)
    >>> y = np.sin(0.2 * t) + 0.5 * np.sin(0.0311 * t)
    >>> model = LNNForecaster(n_reservoir=100, random_state=0).fit(y[:500])
    >>> forecast = model.predict(20)
    >>> bool(np.abs(forecast - y[500:520]).max() < 0.05)
    True
    """

    _parameter_constraints = {
        **{name: RESERVOIR_CONSTRAINTS[name] for name in FORECAST_RESERVOIR},
        **_COMMON_CONSTRAINTS,
        "washout": [Interval(Integral, 0, None, closed="left"), StrOptions({"auto"})],
        "difference": ["boolean", StrOptions({"series", "auto"})],
        "include_input": ["boolean"],
        "squared_states": ["boolean"],
    }

    def __init__(
        self,
        *,
        n_reservoir=RESERVOIR_DEFAULTS["n_reservoir"],
        spectral_radius=RESERVOIR_DEFAULTS["spectral_radius"],
        leak_rate=RESERVOIR_DEFAULTS["leak_rate"],
        input_scaling=RESERVOIR_DEFAULTS["input_scaling"],
        bias_scaling=RESERVOIR_DEFAULTS["bias_scaling"],
        density=RESERVOIR_DEFAULTS["density"],
        neuron=RESERVOIR_DEFAULTS["neuron"],
        time_step=RESERVOIR_DEFAULTS["time_step"],
        random_state=RESERVOIR_DEFAULTS["random_state"],
        washout="auto",
        include_input=True,
        squared_states=False,
        difference="auto",
        standardize=True,
        alpha="auto",
    ):
        self.n_reservoir = n_reservoir
        self.spectral_radius = spectral_radius
        self.leak_rate = leak_rate
        self.input_scaling = input_scaling
        self.bias_scaling = bias_scaling
        self.density = density
        self.neuron = neuron
        self.time_step = time_step
        self.random_state = random_state
        self.washout = washout
        self.include_input = include_input
        self.squared_states = squared_states
        self.difference = difference
        self.standardize = standardize
        self.alpha = alpha

    def _washout(self, lengths):
        if self.washout != "auto":
            return self.washout
        return min(AUTO_WASHOUT, min(lengths) // AUTO_WASHOUT_SHARE)

    def _difference_options(self, lengths, washout):
        if self.difference != "auto":
            return [self.difference]
        # with few steps to validate on, the changes (see AUTO_WASHOUT)
        lengths = [n - 1 for n in lengths]
        plan = validation_plan(lengths, washout)
        if plan is None or sum(n - 1 - c for n, c in zip(lengths, plan[0])) < AUTO_COMPARE_STEPS:
            return ["series"]
        return [False, "series"]

    def _start(self, n_channels):
        names = FORECAST_RESERVOIR + ["include_input"]
        # the forecaster standardises its inputs itself (``standardize``)
        self.reservoir_ = draw_reservoir(self, n_channels, names)
        self.reservoir_.set_params(standardize=False)

    def _zero_state(self, n_series):
        return np.zeros((n_series, self.n_reservoir))

    def _origin_states(self, feats, u, zero, origins):
        """The states after the inputs at `origins` of one teacher-forced series."""
        return feats[origins, : self.n_reservoir]

    def _teacher_forced(self, U, states, last_input=None):
        seqs = Sequences(list(U), np.array([len(u) for u in U]), True)
        n = self.n_reservoir
        d = U[0].shape[1] if self.include_input else 0
        feats = [np.empty((len(u), n + d + (n if self.squared_states else 0))) for u in U]
        for f, u in zip(feats, U):
            f[:, n : n + d] = u[:, :d]
        all_states(seqs, self.reservoir_._dynamics(), initial_states=states,
                   outs=[f[:, :n] for f in feats])
        if self.squared_states:
            for f in feats:
                np.square(f[:, :n], out=f[:, n + d :])
        return feats, np.array([f[-1, :n] for f in feats])

    def _candidate_forecasts(self, readouts, states, last_inputs, n_steps, exog):
        """Closed-loop forecasts (n_readouts, n_origins, n_steps, n_targets) of
        readouts ``[(coef, intercept), ...]`` from the same origins, in one
        batch: the recurrent product is shared, only the small readout products
        differ. ``predict`` is the case of one readout (the fitted one); the
        alpha validation passes every candidate's."""
        r, k, n = self.reservoir_, self.n_targets_, self.n_reservoir
        c, b, d = len(readouts), len(states), last_inputs.shape[1]
        sq = n if self.squared_states else 0
        W = r.recurrent_weights_
        W = W.toarray() if hasattr(W, "toarray") else W
        fused = np.vstack([W.T, r.input_weights_.T, r.bias_[None]])  # [h | u | 1] -> z
        # rows v = [h | u | 1 | h^2 (squared_states)], candidate-major; the
        # readouts act on all of v (intercept and squares in the same product)
        V = np.zeros((c * b, n + d + 1 + sq))
        V[:, :n], V[:, n : n + d], V[:, n + d] = np.tile(states, (c, 1)), np.tile(
            last_inputs, (c, 1)), 1.0
        H, H2 = V[:, :n], V[:, n + d + 1 :]
        if sq:
            np.square(H, out=H2)
        R = np.zeros((c, n + d + 1 + sq, k))
        for j, (coef, intercept) in enumerate(readouts):
            R[j, :n] = coef[:n]
            if self.include_input:
                R[j, n : n + d] = coef[n : n + d]
            R[j, n + d] = intercept
            R[j, n + d + 1 :] = coef[len(coef) - sq :]
        if self._predicts_change():  # predict the change: add the current value
            R[:, n : n + k] += np.eye(k)
        Z, Q = np.empty((c * b, n)), np.empty((c * b, n))
        out = np.empty((c, b, n_steps, k))
        Y = np.empty((c, b, k))
        exog = None if exog is None else np.tile(exog, (c, 1, 1))
        if c * b == 1:  # one forecast: a matrix-vector product with the matrix's
            # rows contiguous (OpenBLAS, 1,000 units, two threads: 79 us vs 108 us)
            fused_t, v, z = np.ascontiguousarray(fused.T), V[0, : n + d + 1], Z[0]
            recurrent = lambda: np.matmul(fused_t, v, out=z)  # noqa: E731
            R_t, y = np.ascontiguousarray(R[0].T), Y[0, 0]
            readout = lambda: np.matmul(R_t, V[0], out=y)  # noqa: E731
        else:
            vz = V[:, : n + d + 1]
            recurrent = lambda: np.matmul(vz, fused, out=Z)  # noqa: E731
            vy = V.reshape(c, b, -1)
            readout = lambda: np.matmul(vy, R, out=Y)  # noqa: E731
        liquid, a = r.neuron == "liquid", r.leak_rate
        step = a * r.time_step if liquid else 1.0 - (1.0 - a) ** r.time_step
        with blas_threads_for(c * b, n, d), np.errstate(over="ignore"):  # see _dynamics
            for i in range(n_steps):
                readout()
                out[:, :, i] = Y
                if i == n_steps - 1:
                    break
                V[:, n : n + k] = Y.reshape(c * b, k)
                if exog is not None:
                    V[:, n + k : n + d] = exog[:, i]
                recurrent()
                if liquid:
                    _liquid_(H, Z, step, r.reversal_potentials_, r.decay_rates_, Q)
                else:
                    _leaky_tanh_(H, Z, step, False)
                if sq:
                    np.square(H, out=H2)
        return out

    def _generate(self, n_steps, exog):
        return self._candidate_forecasts([(self.coef_, self.intercept_)], self.state_,
                                         self.last_input_, n_steps, exog)[0]
