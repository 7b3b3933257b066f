"""LNNForecaster: the reservoir forecaster (teacher-forced fit, closed loop)."""

from numbers import Integral

import numpy as np
from sklearn.utils._param_validation import Interval, StrOptions

from ..utils._docs import fill_doc
from .._engine._dynamics import _leaky_tanh_, _liquid_, blas_threads_for, update_form
from ._base import _COMMON_CONSTRAINTS, _ForecasterBase
from ._checks import leaves_its_range
from .._estimators._reservoir import RESERVOIR_CONSTRAINTS, RESERVOIR_DEFAULTS
from .._engine._segments import all_states
from .._engine._sequences import Sequences
from .._estimators._stepwise import draw_reservoir

FORECAST_RESERVOIR = ["n_reservoir", "spectral_radius", "leak_rate", "input_scaling",
                      "bias_scaling", "density", "neuron", "time_step", "random_state"]

#: ``washout="auto"``: AUTO_WASHOUT steps, or the shortest training series'
#: length // AUTO_WASHOUT_SHARE when that is fewer (short series keep most
#: of their rows: the values model with washout 50 refused 181 of the 185
#: short real series of benchmarks/forecasting.py). ``difference="auto"``:
#: see ``_forecast_checks.leaves_its_range``.
AUTO_WASHOUT = 50
AUTO_WASHOUT_SHARE = 10


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

    alpha_ : float or "baseline"
        Ridge penalty used ("baseline": no readout, see ``alpha``).

    state_ : ndarray of shape (n_series, n_reservoir)
        Reservoir state after the last value seen (by ``fit`` or ``update``).

%(forecast_state)s

    input_mean_, input_scale_ : ndarray of shape (n_targets + n_exog,)
        The standardisation of targets and exogenous inputs fitted on the
        training series (0 and 1 with ``standardize=False``).

    series_mean_, series_scale_ : ndarray of shape (n_series, n_targets + n_exog)
        A panel's members' own standardisation, applied before
        ``input_mean_`` / ``input_scale_``; only for a panel with
        ``standardize=True``.

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
        season=None,
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
        self.season = season
        self.standardize = standardize
        self.alpha = alpha

    _STRUCTURE = ("season", "n_reservoir", "include_input", "squared_states")

    def _washout(self, lengths):
        if self.washout != "auto":
            return self.washout
        return min(AUTO_WASHOUT, min(lengths) // AUTO_WASHOUT_SHARE)

    def _difference(self, ys):
        if self.difference != "auto":
            return self.difference
        return "series" if leaves_its_range(ys) else False

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
        liquid, a = r.neuron == "liquid", r.leak_rate
        exp_form, scale = update_form(np.float64, liquid, c * b * n)  # see _leaky_tanh_
        fused = scale * np.vstack([W.T, r.input_weights_.T, r.bias_[None]])  # [h | u | 1] -> z
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
                    _leaky_tanh_(H, Z, step, exp_form)
                if sq:
                    np.square(H, out=H2)
        return out

    def _generate(self, n_steps, exog):
        return self._candidate_forecasts([(self.coef_, self.intercept_)], self.state_,
                                         self.last_input_, n_steps, exog)[0]
