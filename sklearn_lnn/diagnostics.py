"""Diagnostics of a reservoir: memory capacity and the echo state property."""

from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, validate_params
from sklearn.utils.validation import check_is_fitted

from ._engine._segments import all_states
from ._readout._ridge import fit_ridge
from ._engine._sequences import TABULAR, Sequences
from ._engine._weights import spectral_radius as _radius

__all__ = ["effective_spectral_radius", "memory_capacity"]


def _reservoir(estimator):
    """The fitted ReservoirTransformer of `estimator` (or the estimator itself):
    NotFittedError when unfitted, TypeError when it has no reservoir."""
    if hasattr(estimator, "fit"):
        check_is_fitted(estimator)
    reservoir = getattr(estimator, "reservoir_", estimator)
    if not hasattr(reservoir, "recurrent_weights_"):
        raise TypeError(
            f"{type(estimator).__name__} has no recurrent reservoir (NG-RC reads a "
            "fixed embedding of delayed inputs, with no state to fade): the "
            "diagnostics apply to the reservoir estimators (ReservoirTransformer, "
            "LNNClassifier, LNNRegressor, LNNStepRegressor, LNNForecaster)."
        )
    return reservoir


def effective_spectral_radius(estimator):
    """Spectral radius of the reservoir's one-step update, linearised at rest.

    The Jacobian of ``h_t`` with respect to ``h_{t-1}`` at the zero state and
    zero pre-activation (``time_step`` steps). For ``"leaky_tanh"`` units it
    is ``rho((1 - a') I + a' W)`` with ``a' = 1 - (1 - a)^time_step``; for
    ``"liquid"`` units the fused semi-implicit step linearised the same way.
    Above 1, small perturbations grow instead of fading: the reservoir is
    likely to lose the echo state property (strong inputs that saturate the
    units can restore it).

    Parameters
    ----------
    estimator : fitted ReservoirTransformer, LNNClassifier, LNNRegressor, ...
        Any fitted estimator of this package with a reservoir.

    Returns
    -------
    radius : float
        The effective spectral radius.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_lnn import ReservoirTransformer
    >>> from sklearn_lnn.diagnostics import effective_spectral_radius
    >>> est = ReservoirTransformer(n_reservoir=50, spectral_radius=0.9,
    ...                            leak_rate=0.5, random_state=0).fit(np.zeros((1, 3, 1)))
    >>> round(effective_spectral_radius(est), 3) <= 0.5 + 0.5 * 0.9
    True
    """
    r = _reservoir(estimator)
    W = r.recurrent_weights_
    W = W.toarray() if sp.issparse(W) else np.asarray(W)
    n, a, dt = W.shape[0], r.leak_rate, r.time_step
    if r.neuron == "liquid":
        # h' = (h + a dt g A) / (1 + a dt (r + g)), g = 2 sigmoid(z): at z = 0,
        # g = 1 and dg/dz = 1/2, so dh'/dh = D (I + a dt diag(A - h') / 2 W)
        # with D = 1 / (1 + a dt (r + 1)) and h' = a dt A D.
        rate = a * dt
        D = 1.0 / (1.0 + rate * (r.decay_rates_ + 1.0))
        h1 = rate * r.reversal_potentials_ * D
        J = D[:, None] * (np.eye(n) + rate * 0.5 * (r.reversal_potentials_ - h1)[:, None] * W)
    else:
        leak = 1.0 - (1.0 - a) ** dt
        J = (1.0 - leak) * np.eye(n) + leak * W
    return _radius(J, np.random.RandomState(0))


def _states(reservoir, u):
    """States (n_steps, n_units) driven by the scalar series `u` on input 0,
    in the reservoir's standardised units: with a fitted standardisation,
    input 0 is ``input_mean_[0] + input_scale_[0] * u`` and the other inputs
    sit at their training means, so the probe does not depend on the units
    the model was fitted in."""
    if not hasattr(reservoir, "_dynamics"):  # any other object with compute_states
        return np.asarray(reservoir.compute_states(u[None, :, None])[0])
    n_in = reservoir.n_features_in_
    if reservoir._input_kind == TABULAR:
        n_in = 1  # a 2D array of univariate series: one channel
    mean = getattr(reservoir, "input_mean_", np.zeros(n_in))[:n_in]
    scale = getattr(reservoir, "input_scale_", np.ones(n_in))[:n_in]
    X = np.tile(mean, (1, len(u), 1))
    X[0, :, 0] += scale[0] * u
    # not through compute_states: a model of 2D input takes series of its
    # training length only, and the probe is longer
    seqs = reservoir._checked(reservoir._inputs(Sequences(X, np.array([len(u)]), False)))
    return np.asarray(all_states(seqs, reservoir._dynamics())[0])


@validate_params(
    {
        "estimator": [object],
        "max_delay": [Interval(Integral, 1, None, closed="left"), None],
        "n_steps": [Interval(Integral, 1, None, closed="left"), None],
        "washout": [Interval(Integral, 0, None, closed="left"), None],
        "test_fraction": [Interval(Real, 0, 1, closed="neither")],
        "input_range": [Interval(Real, 0, None, closed="neither")],
        "random_state": ["random_state"],
        "return_delays": ["boolean"],
    },
    prefer_skip_nested_validation=True,
)
def memory_capacity(estimator, *, max_delay=None, n_steps=None, washout=None,
                    test_fraction=0.2, input_range=0.8, random_state=None,
                    return_delays=False):
    """Jaeger's short-term memory capacity of a fitted reservoir.

    An i.i.d. input ``u(t) ~ U[-input_range, input_range]`` drives the
    reservoir on its first input channel, in the units of its fitted input
    standardisation (the other channels held at their training means), so the
    measure is the same whatever units the model was fitted in. For each
    delay ``k = 1 .. max_delay`` a linear readout (least squares with an
    intercept, negligible ridge) is fitted on the training part to recall
    ``u(t - k)`` from the state ``h(t)``; its squared correlation with the
    truth on the held-out part is the capacity for ``k``. The memory capacity
    is their sum, at most the number of units for i.i.d. input (Jaeger 2002).
    A reservoir fitted with ``include_difference`` (the "auto" default for
    univariate data) also reads the differences of ``u``; pass
    ``include_difference=False`` for the classical measure of a reservoir that
    reads ``u`` alone.

    Parameters
    ----------
    estimator : fitted estimator with a reservoir
        For example a fitted :class:`~sklearn_lnn.ReservoirTransformer`,
        :class:`~sklearn_lnn.LNNClassifier` or
        :class:`~sklearn_lnn.LNNForecaster` (on any input form it was fitted
        on). ``NotFittedError`` when it is not fitted, ``TypeError`` when it
        has no reservoir (``NGRCForecaster``). Any other object with
        ``recurrent_weights_`` and a ``compute_states(X)`` method taking
        (1, n_steps, 1) works too (driven in its own units).
    max_delay : int, default=None
        Largest delay; ``2 * n_units`` when None.
    n_steps : int, default=None
        Length of the input series; ``washout + 10 * max_delay`` (at least
        5,000 steps) when None.
    washout : int, default=None
        Initial steps left out; ``max_delay`` when None.
    test_fraction : float, default=0.2
        Share of the scored steps held out to measure the capacities.
    input_range : float, default=0.8
        Half-width of the uniform input.
    random_state : int, RandomState instance or None, default=None
        Seed of the input.
    return_delays : bool, default=False
        Also return the capacity of each delay.

    Returns
    -------
    capacity : float
        The memory capacity.
    per_delay : ndarray of shape (max_delay,)
        Capacity of delays 1 .. max_delay (only with `return_delays`).

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_lnn import ReservoirTransformer
    >>> from sklearn_lnn.diagnostics import memory_capacity
    >>> est = ReservoirTransformer(n_reservoir=50, random_state=0).fit(np.zeros((1, 3, 1)))
    >>> mc = memory_capacity(est, random_state=0)
    >>> bool(0 < mc <= 50)
    True
    """
    r = _reservoir(estimator)
    if max_delay is None:
        max_delay = 2 * r.recurrent_weights_.shape[0]
    washout = max_delay if washout is None else washout
    if n_steps is None:
        n_steps = washout + max(5000, 10 * max_delay)
    if n_steps - washout < 4 * max_delay:
        raise ValueError(
            f"n_steps={n_steps} leaves {n_steps - washout} scored steps for "
            f"max_delay={max_delay}; give at least {washout + 4 * max_delay}."
        )
    rng = check_random_state(random_state)
    u = rng.uniform(-input_range, input_range, size=n_steps)
    H = _states(r, u)[washout:]
    t = np.arange(washout, n_steps)
    targets = np.column_stack([u[t - k] for k in range(1, max_delay + 1)])
    split = int(round(len(t) * (1 - test_fraction)))
    coef, intercept, _ = fit_ridge(H[:split], targets[:split], alpha=1e-8)
    pred = H[split:] @ coef + intercept
    truth = targets[split:]
    pc, tc = pred - pred.mean(axis=0), truth - truth.mean(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r2 = (pc * tc).sum(axis=0) ** 2 / ((pc**2).sum(axis=0) * (tc**2).sum(axis=0))
    per_delay = np.nan_to_num(r2)
    capacity = float(per_delay.sum())
    return (capacity, per_delay) if return_delays else capacity
