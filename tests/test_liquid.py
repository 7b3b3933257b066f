"""The liquid neuron and elapsed times: reference, ODE, bounds, contract."""

import joblib
import numpy as np
import pytest
from scipy.integrate import solve_ivp
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV

from sklearn_lnn import LNNClassifier, LNNRegressor, ReservoirTransformer


def liquid_reference(seq, est, dts):
    """The fused semi-implicit step, one sequence and one step at a time."""
    W = est.recurrent_weights_
    W = W.toarray() if hasattr(W, "toarray") else W
    A, r, a = est.reversal_potentials_, est.decay_rates_, est.leak_rate
    h = np.zeros(W.shape[0])
    out = []
    for u, dt in zip(seq, dts):
        g = 2.0 / (1.0 + np.exp(-(est.input_weights_ @ u + W @ h + est.bias_)))
        h = (h + a * dt * g * A) / (1.0 + a * dt * (r + g))
        out.append(h)
    return np.array(out)


def leaky_reference(seq, est, dts):
    W = est.recurrent_weights_
    W = W.toarray() if hasattr(W, "toarray") else W
    h = np.zeros(W.shape[0])
    out = []
    for u, dt in zip(seq, dts):
        a = 1 - (1 - est.leak_rate) ** dt
        h = (1 - a) * h + a * np.tanh(est.input_weights_ @ u + W @ h + est.bias_)
        out.append(h)
    return np.array(out)


def _irregular(rng, lengths, d=2):
    """Sequences whose last channel is a nonnegative elapsed time."""
    return [np.column_stack([rng.normal(size=(n, d)), rng.exponential(0.7, size=n)])
            for n in lengths]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("neuron", ["liquid", "leaky_tanh"])
def test_time_channel_states_match_reference(rng, neuron, dtype):
    X = [x.astype(dtype) for x in _irregular(rng, [1, 9, 4, 13, 13, 2])]
    est = ReservoirTransformer(standardize=False, n_reservoir=25, neuron=neuron, leak_rate=0.4,
                               time_channel=2, random_state=0).fit(X)
    assert est.input_weights_.shape == (25, 2)
    ref = liquid_reference if neuron == "liquid" else leaky_reference
    tol = {"rtol": 1e-4, "atol": 1e-5} if dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-12}
    for x, states in zip(X, est.compute_states(X)):
        assert states.dtype == dtype
        np.testing.assert_allclose(states, ref(x[:, :2].astype(float), est, x[:, 2]), **tol)


@pytest.mark.parametrize("neuron", ["liquid", "leaky_tanh"])
def test_time_channel_keeps_its_units_under_standardisation_and_the_difference(rng, neuron):
    # the default path of a univariate series with elapsed times: the value
    # and its first difference are standardised, the elapsed time is not and
    # sets every step's leak (issue 29: "check that time_channel still
    # reaches the leaky update as intended")
    X = [np.column_stack([rng.normal(2.0, 3.0, size=n), rng.exponential(0.7, size=n)])
         for n in [1, 9, 4, 13, 13, 2]]
    est = ReservoirTransformer(n_reservoir=25, neuron=neuron, leak_rate=0.4, time_channel=1,
                               include_difference=True, random_state=0).fit(X)
    assert est.input_weights_.shape == (25, 2)
    ref = liquid_reference if neuron == "liquid" else leaky_reference
    keep = [0, 2]  # value, difference (the elapsed time is channel 1)
    np.testing.assert_array_equal(est.input_mean_[1], 0.0)
    np.testing.assert_array_equal(est.input_scale_[1], 1.0)
    for x, states in zip(X, est.compute_states(X)):
        diff = np.r_[0.0, np.diff(x[:, 0])]
        u = (np.column_stack([x[:, 0], diff]) - est.input_mean_[keep]) / est.input_scale_[keep]
        np.testing.assert_allclose(states, ref(u, est, x[:, 1]), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("time_step", [1.0, 0.25])
def test_liquid_constant_step_matches_reference(batch3d, time_step):
    est = ReservoirTransformer(standardize=False, n_reservoir=30, neuron="liquid", time_step=time_step,
                               random_state=0).fit(batch3d)
    for x, states in zip(batch3d, est.compute_states(batch3d)):
        np.testing.assert_allclose(
            states, liquid_reference(x, est, np.full(len(x), time_step)),
            rtol=1e-10, atol=1e-12)


def test_liquid_step_converges_to_the_ode():
    """Small steps of the fused scheme follow an accurate ODE solution, with
    first-order convergence."""
    rng = np.random.RandomState(0)
    u = rng.normal(size=3)  # a constant input held for one time unit
    est = ReservoirTransformer(standardize=False, n_reservoir=4, neuron="liquid", leak_rate=0.7,
                               spectral_radius=0.9, density=1.0, random_state=0)
    est.fit(u[None, None, :])
    W, A, r, a = (est.recurrent_weights_, est.reversal_potentials_,
                  est.decay_rates_, est.leak_rate)

    def rhs(_, h):
        g = 2.0 / (1.0 + np.exp(-(est.input_weights_ @ u + W @ h + est.bias_)))
        return a * (-(r + g) * h + g * A)

    exact = solve_ivp(rhs, (0, 1), np.zeros(4), rtol=1e-12, atol=1e-14).y[:, -1]
    errors = []
    for n_steps in (1000, 2000):
        X = np.tile(u, (1, n_steps, 1))
        est.set_params(time_step=1.0 / n_steps)
        errors.append(np.abs(est.compute_states(X)[0, -1] - exact).max())
    assert errors[0] < 1e-3
    assert 1.8 < errors[0] / errors[1] < 2.2  # first order, as the scheme


@pytest.mark.parametrize("scale", [1e-3, 1.0, 1e3, 1e12])
def test_liquid_states_stay_between_zero_and_reversal(rng, scale):
    X = rng.normal(size=(20, 30, 3)) * scale
    est = ReservoirTransformer(standardize=False, n_reservoir=50, neuron="liquid", spectral_radius=5.0,
                               input_scaling=3.0, leak_rate=1.0, time_step=7.0,
                               random_state=0).fit(X)
    states = est.compute_states(X)
    A = est.reversal_potentials_
    low, high = np.minimum(0, A), np.maximum(0, A)
    assert np.isfinite(states).all()
    assert np.all(states >= low - 1e-12) and np.all(states <= high + 1e-12)


@pytest.mark.parametrize("form", ["3d", "ragged"])
def test_time_channel_contract(rng, form):
    X = _irregular(rng, [12] * 6 if form == "3d" else [3, 12, 7, 1, 9, 5])
    X = np.array(X) if form == "3d" else X
    est = ReservoirTransformer(standardize=False, n_reservoir=20, neuron="liquid", time_channel=2,
                               random_state=0).fit(X)
    together = est.transform(X)
    alone = np.vstack([est.transform([x]) for x in X])
    np.testing.assert_allclose(together, alone, rtol=1e-12, atol=1e-14)
    X32 = X.astype(np.float32) if form == "3d" else [x.astype(np.float32) for x in X]
    assert est.transform(X32).dtype == np.float32
    np.testing.assert_array_equal(clone(est).fit(X).transform(X), together)


def test_time_channel_round_trip_and_grid_search(tmp_path, rng):
    X = _irregular(rng, rng.randint(5, 20, size=45))
    y = np.arange(45) % 3
    clf = LNNClassifier(n_reservoir=20, neuron="liquid", time_channel=2,
                        random_state=0).fit(X, y)
    joblib.dump(clf, tmp_path / "m.joblib")
    np.testing.assert_array_equal(joblib.load(tmp_path / "m.joblib").predict(X),
                                  clf.predict(X))
    search = GridSearchCV(clf, {"leak_rate": [0.3, 1.0], "neuron": ["liquid", "leaky_tanh"]},
                          cv=3).fit(X, y)
    assert len(search.cv_results_["params"]) == 4


@pytest.mark.parametrize("bad", [-0.5, np.nan, np.inf])
def test_bad_elapsed_times_raise(rng, bad):
    X = _irregular(rng, [5, 6])
    X[1][3, 2] = bad
    est = ReservoirTransformer(standardize=False, n_reservoir=5, time_channel=2)
    match = "negative elapsed time" if bad == -0.5 else "NaN or infinity"
    with pytest.raises(ValueError, match=f"Sequence 1.*{match}"):
        est.fit(X)


@pytest.mark.parametrize("X", [np.zeros((3, 5, 1)), np.zeros((3, 5))], ids=["3d", "2d"])
def test_time_channel_needs_another_channel(X):
    with pytest.raises(ValueError, match="needs at least one input channel"):
        LNNRegressor(n_reservoir=5, time_channel=0).fit(X, np.zeros(3))


def test_time_channel_out_of_range(rng):
    with pytest.raises(ValueError, match="time_channel=5 is out of range"):
        ReservoirTransformer(standardize=False, n_reservoir=5, time_channel=5).fit(rng.normal(size=(2, 4, 3)))


def test_bidirectional_time_channel_keeps_gaps(rng):
    """The reversed pass sees each gap between the same two observations."""
    X = _irregular(rng, [6])
    est = ReservoirTransformer(standardize=False, n_reservoir=10, time_channel=2, bidirectional=True,
                               aggregation="last", random_state=0).fit(X)
    backward = est.transform(X)[0, 10:]
    x = X[0]
    reversed_seq = x[::-1].copy()
    reversed_seq[:, 2] = np.roll(x[::-1, 2], 1)
    expected = leaky_reference(reversed_seq[:, :2], est, reversed_seq[:, 2])[-1]
    np.testing.assert_allclose(backward, expected, rtol=1e-10, atol=1e-12)
