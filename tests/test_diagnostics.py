"""Memory capacity, the effective spectral radius and the liquid coupling."""

import warnings

import numpy as np
import pytest

from sklearn_lnn import EchoStatePropertyWarning, LNNClassifier, ReservoirTransformer
from sklearn_lnn.diagnostics import effective_spectral_radius, memory_capacity

from .reference import reference_states


class LinearReservoir:
    """h_t = W h_{t-1} + w_in u_t: the textbook memory-capacity reservoir."""

    def __init__(self, W, w_in):
        self.W, self.w_in = W, w_in
        self.recurrent_weights_ = W

    def compute_states(self, X):
        h, out = np.zeros(len(self.W)), []
        for u in X[0, :, 0]:
            h = self.W @ h + self.w_in * u
            out.append(h)
        return np.array(out)[None]


def test_linear_orthogonal_reservoir_nearly_reaches_the_bound():
    n = 100
    rng = np.random.RandomState(0)
    Q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    model = LinearReservoir(0.95 * Q, 0.1 * rng.uniform(-1, 1, size=n))
    mc, per_delay = memory_capacity(model, random_state=0, return_delays=True)
    assert mc >= 0.95 * n
    assert mc <= n + 1e-6
    assert per_delay.shape == (2 * n,) and per_delay[0] > 0.99


def test_memory_capacity_by_hand_on_a_tiny_reservoir():
    est = ReservoirTransformer(n_reservoir=3, input_scaling=0.5, include_difference=False,
                               random_state=0)
    est.fit(np.zeros((1, 2, 1)))
    mc = memory_capacity(est, max_delay=4, n_steps=220, washout=20, test_fraction=0.25,
                         random_state=0)
    u = np.random.RandomState(0).uniform(-0.8, 0.8, size=220)
    H = reference_states(u[:, None], est)[20:]
    t = np.arange(20, 220)
    split = 150
    expected = 0.0
    for k in range(1, 5):
        A = np.column_stack([H, np.ones(len(H))])
        beta = np.linalg.lstsq(A[:split], u[t - k][:split], rcond=None)[0]
        r = np.corrcoef(A[split:] @ beta, u[t - k][split:])[0, 1]
        expected += r**2
    assert mc == pytest.approx(expected, rel=1e-6)


def test_memory_capacity_reads_the_reservoir_of_an_estimator(batch3d):
    clf = LNNClassifier(n_reservoir=30, random_state=0).fit(batch3d, np.arange(10) % 2)
    assert memory_capacity(clf, random_state=0) == memory_capacity(clf.reservoir_, random_state=0)


@pytest.mark.parametrize("leak_rate, time_step", [(0.5, 1.0), (0.3, 2.0), (1.0, 1.0)])
def test_effective_radius_of_leaky_units(leak_rate, time_step):
    est = ReservoirTransformer(n_reservoir=40, leak_rate=leak_rate, time_step=time_step,
                               spectral_radius=1.2, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", EchoStatePropertyWarning)
        est.fit(np.zeros((1, 3, 1)))
    a = 1 - (1 - leak_rate) ** time_step
    W = est.recurrent_weights_
    expected = np.abs(np.linalg.eigvals((1 - a) * np.eye(40) + a * W)).max()
    assert effective_spectral_radius(est) == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("time_step", [1.0, 0.5])
def test_effective_radius_of_liquid_units_is_the_jacobian_at_rest(time_step):
    est = ReservoirTransformer(n_reservoir=30, neuron="liquid", bias_scaling=0.0,
                               time_step=time_step, random_state=0)
    est.fit(np.zeros((1, 3, 1)))
    # finite-difference Jacobian of one reference step at h = 0, u = 0
    step = lambda h: _liquid_step(est, h)
    eps = 1e-7
    J = np.column_stack([(step(eps * e) - step(-eps * e)) / (2 * eps) for e in np.eye(30)])
    expected = np.abs(np.linalg.eigvals(J)).max()
    assert effective_spectral_radius(est) == pytest.approx(expected, rel=1e-6)


def _liquid_step(est, h):
    z = est.recurrent_weights_ @ h + est.bias_
    g = 2.0 / (1.0 + np.exp(-z))
    rate = est.leak_rate * est.time_step
    return (h + rate * g * est.reversal_potentials_) / (
        1.0 + rate * (est.decay_rates_ + g))


@pytest.mark.parametrize("radius", [0.5, 0.9, 3.0])
@pytest.mark.parametrize("density", [1.0, 0.1])
def test_liquid_coupling_has_the_requested_radius(radius, density):
    est = ReservoirTransformer(n_reservoir=60, neuron="liquid", spectral_radius=radius,
                               density=density, random_state=0).fit(np.zeros((1, 3, 1)))
    coupling = 0.5 * est.reversal_potentials_[:, None] * est.recurrent_weights_
    assert np.abs(np.linalg.eigvals(coupling)).max() == pytest.approx(radius, rel=1e-8)


def test_liquid_memory_is_no_longer_a_fifth_of_leaky():
    mcs = {}
    for neuron in ("leaky_tanh", "liquid"):
        est = ReservoirTransformer(n_reservoir=100, neuron=neuron, random_state=0)
        mcs[neuron] = memory_capacity(est.fit(np.zeros((1, 3, 1))), random_state=1)
    assert mcs["liquid"] > mcs["leaky_tanh"] / 5
