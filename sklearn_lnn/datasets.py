"""Offline data sets and generators in the sequence input contract."""

import numpy as np
from sklearn.datasets import load_digits
from sklearn.utils import Bunch


def load_digits_sequences(*, return_X_y=False):
    """scikit-learn's 8x8 digits read as 8-step sequences of 8 features.

    Each image becomes a sequence whose steps are its rows, scaled from the
    0-16 pixel range to [0, 1]. Nothing is downloaded: the data ship with
    scikit-learn.

    Parameters
    ----------
    return_X_y : bool, default=False
        Return ``(X, y)`` instead of a Bunch.

    Returns
    -------
    data : Bunch or tuple
        ``data`` of shape (1797, 8, 8) (float64), ``target`` of shape (1797,),
        and ``target_names``; or ``(X, y)`` with `return_X_y`.

    Examples
    --------
    >>> from sklearn_lnn.datasets import load_digits_sequences
    >>> X, y = load_digits_sequences(return_X_y=True)
    >>> X.shape, y.shape
    ((1797, 8, 8), (1797,))
    """
    digits = load_digits()
    X = digits.images / 16.0
    if return_X_y:
        return X, digits.target
    return Bunch(data=X, target=digits.target, target_names=digits.target_names)


def make_mackey_glass(n_samples=2000, *, tau=17.0, a=0.2, b=0.1, n=10, x0=1.2,
                      dt=0.1, sample_step=1.0, discard=500, random_state=None):
    """Mackey-Glass chaotic time series.

    Integrates ``dx/dt = a x(t - tau) / (1 + x(t - tau)^n) - b x(t)`` with the
    classic fourth-order Runge-Kutta scheme (step `dt`; delayed values at half
    steps are interpolated linearly) from a constant history `x0`, drops the
    first `discard` time units and samples every `sample_step` time units.
    ``tau=17`` gives the mildly chaotic benchmark series.

    Parameters
    ----------
    n_samples : int, default=2000
        Number of samples returned.
    tau : float, default=17.0
        Delay.
    a, b : float, default=0.2, 0.1
        Production and decay rates.
    n : int, default=10
        Exponent of the production term.
    x0 : float, default=1.2
        Constant initial history.
    dt : float, default=0.1
        Integration step; `tau` and `sample_step` must be multiples of it.
    sample_step : float, default=1.0
        Time between returned samples.
    discard : float, default=500
        Initial transient (time units) left out.
    random_state : int, RandomState instance or None, default=None
        When given, the initial history is ``x0`` plus uniform noise in
        [-0.1, 0.1], so different seeds give different trajectories.

    Returns
    -------
    x : ndarray of shape (n_samples,)
        The series.

    Examples
    --------
    >>> from sklearn_lnn.datasets import make_mackey_glass
    >>> x = make_mackey_glass(500)
    >>> x.shape, bool(0.2 < x.min() < x.max() < 1.5)
    ((500,), True)
    """
    from sklearn.utils import check_random_state

    delay = int(round(tau / dt))
    every = int(round(sample_step / dt))
    start = int(round(discard / dt))
    total = start + n_samples * every
    history = np.full(delay + 1, float(x0))
    if random_state is not None:
        history += check_random_state(random_state).uniform(-0.1, 0.1, delay + 1)
    x = np.empty(delay + 1 + total)
    x[: delay + 1] = history
    f = lambda xt, xd: a * xd / (1.0 + xd**n) - b * xt
    for i in range(delay, delay + total):
        d0, d1 = x[i - delay], x[i - delay + 1]
        dh = 0.5 * (d0 + d1)
        k1 = f(x[i], d0)
        k2 = f(x[i] + 0.5 * dt * k1, dh)
        k3 = f(x[i] + 0.5 * dt * k2, dh)
        k4 = f(x[i] + dt * k3, d1)
        x[i + 1] = x[i] + dt / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
    return x[delay + 1 + start :: every][:n_samples].copy()


def make_lorenz(n_samples=2000, *, dt=0.025, sigma=10.0, rho=28.0, beta=8.0 / 3.0,
                initial_state=(17.677, 12.931, 43.914), discard=0, substeps=10,
                random_state=None):
    """Lorenz-63 system sampled every `dt` time units.

    Integrates ``x' = sigma (y - x)``, ``y' = x (rho - z) - y``,
    ``z' = x y - beta z`` with fourth-order Runge-Kutta, `substeps` steps per
    sample. The default initial state and ``dt=0.025`` are those of the
    next-generation reservoir computing paper (Gauthier et al. 2021).

    Parameters
    ----------
    n_samples : int, default=2000
        Number of samples returned.
    dt : float, default=0.025
        Time between samples.
    sigma, rho, beta : float, default=10, 28, 8/3
        The classic chaotic parameters.
    initial_state : tuple of 3 floats, default=(17.677, 12.931, 43.914)
        State at time 0.
    discard : int, default=0
        Initial samples left out.
    substeps : int, default=10
        Runge-Kutta steps per sample.
    random_state : int, RandomState instance or None, default=None
        When given, the initial state is moved by uniform noise in [-1, 1].

    Returns
    -------
    xyz : ndarray of shape (n_samples, 3)
        The trajectory.

    Examples
    --------
    >>> from sklearn_lnn.datasets import make_lorenz
    >>> xyz = make_lorenz(1000)
    >>> xyz.shape, bool(xyz[:, 2].min() > 0)
    ((1000, 3), True)
    """
    from sklearn.utils import check_random_state

    state = np.array(initial_state, dtype=np.float64)
    if random_state is not None:
        state += check_random_state(random_state).uniform(-1, 1, size=3)
    f = lambda v: np.array([sigma * (v[1] - v[0]), v[0] * (rho - v[2]) - v[1],
                            v[0] * v[1] - beta * v[2]])
    h = dt / substeps
    out = np.empty((discard + n_samples, 3))
    for i in range(discard + n_samples):
        out[i] = state
        for _ in range(substeps):
            k1 = f(state)
            k2 = f(state + 0.5 * h * k1)
            k3 = f(state + 0.5 * h * k2)
            k4 = f(state + h * k3)
            state = state + h / 6.0 * (k1 + 2 * k2 + 2 * k3 + k4)
    return out[discard:]


#: NARMA coefficients (a1, a2, b, c) of the standard benchmarks.
NARMA_COEFFICIENTS = {10: (0.3, 0.05, 1.5, 0.1), 30: (0.2, 0.04, 1.5, 0.001)}


def make_narma(n_samples=2000, *, order=10, random_state=None):
    """NARMA system identification task (Atiya and Parlos 2000).

    ``y(t+1) = a1 y(t) + a2 y(t) sum_{i<order} y(t-i) + b u(t-order+1) u(t) + c``
    driven by ``u ~ U[0, 0.5]``, with the standard coefficients
    (0.3, 0.05, 1.5, 0.1) for ``order=10`` and (0.2, 0.04, 1.5, 0.001) for 30.

    Parameters
    ----------
    n_samples : int, default=2000
        Length of the series.
    order : {10, 30}, default=10
        System order.
    random_state : int, RandomState instance or None, default=None
        Seed of the input.

    Returns
    -------
    u : ndarray of shape (n_samples,)
        Input.
    y : ndarray of shape (n_samples,)
        Output; ``y[t]`` depends on ``u[:t]``.

    Examples
    --------
    >>> from sklearn_lnn.datasets import make_narma
    >>> u, y = make_narma(1000, random_state=0)
    >>> u.shape, y.shape, bool(abs(y.mean() - 0.38) < 0.05)  # the stationary mean
    ((1000,), (1000,), True)
    """
    from sklearn.utils import check_random_state

    if order not in NARMA_COEFFICIENTS:
        raise ValueError(f"order must be one of {sorted(NARMA_COEFFICIENTS)}; got {order}.")
    a1, a2, b, c = NARMA_COEFFICIENTS[order]
    u = check_random_state(random_state).uniform(0, 0.5, size=n_samples)
    y = np.zeros(n_samples)
    for t in range(order - 1, n_samples - 1):
        window = y[t - order + 1 : t + 1]
        y[t + 1] = a1 * y[t] + a2 * y[t] * window.sum() + b * u[t - order + 1] * u[t] + c
    if not np.isfinite(y).all():  # NARMA-30 can diverge for unlucky inputs
        raise ValueError(
            "The NARMA series diverged for this input; use another random_state."
        )
    return u, y


def from_channels_first(X):
    """Convert an aeon/sktime collection (channels first) to our input contract.

    Parameters
    ----------
    X : ndarray of shape (n_cases, n_channels, n_timepoints) or list of ndarray
        aeon's "numpy3D", or its "np-list" of (n_channels, n_timepoints_i).

    Returns
    -------
    X_lnn : ndarray of shape (n_cases, n_timepoints, n_channels) or list
        The same data with time before channels, as sklearn_lnn expects.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_lnn.datasets import from_channels_first
    >>> from_channels_first(np.zeros((5, 3, 20))).shape
    (5, 20, 3)
    >>> [x.shape for x in from_channels_first([np.zeros((3, 7)), np.zeros((3, 9))])]
    [(7, 3), (9, 3)]
    """
    if isinstance(X, np.ndarray) and X.ndim == 3:
        return np.ascontiguousarray(np.swapaxes(X, 1, 2))
    if isinstance(X, (list, tuple)) or (isinstance(X, np.ndarray) and X.dtype == object):
        items = [np.asarray(x) for x in X]
        if all(x.ndim == 2 for x in items):
            return [np.ascontiguousarray(x.T) for x in items]
    raise ValueError(
        "Expected an aeon-style collection: a 3D array (n_cases, n_channels, "
        "n_timepoints) or a list of 2D arrays (n_channels, n_timepoints_i)."
    )
