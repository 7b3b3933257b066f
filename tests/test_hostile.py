"""Hostile inputs on the newer surfaces (issue 26): diagnostics, config,
SequenceScaler, partial_fit, the distributed fit, the step regressor.

Every rejected input gets a ValueError / TypeError / NotFittedError whose
message names the argument, and a refused call changes nothing (state,
cache, configuration).
"""

import threading

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

import sklearn_lnn
from sklearn_lnn import (
    LNNClassifier,
    LNNForecaster,
    LNNRegressor,
    NGRCForecaster,
    ReservoirTransformer,
)
from sklearn_lnn.diagnostics import effective_spectral_radius, memory_capacity

# -- diagnostics -----------------------------------------------------------------


@pytest.mark.parametrize("form", ["tabular", "3d", "list"])
def test_memory_capacity_of_every_input_form(form):
    """A model fitted on the 2D (n_sequences, n_steps) form crashed."""
    X = np.random.RandomState(0).normal(size=(20, 30))
    Xf = {"tabular": X, "3d": X[:, :, None], "list": [x[:, None] for x in X]}[form]
    est = ReservoirTransformer(n_reservoir=30, random_state=0).fit(Xf)
    ref = ReservoirTransformer(n_reservoir=30, random_state=0).fit(X[:, :, None])
    mc = memory_capacity(est, n_steps=1500, random_state=0)
    assert mc == pytest.approx(memory_capacity(ref, n_steps=1500, random_state=0), rel=1e-9)
    assert 1.0 < mc <= 30


@pytest.mark.parametrize("units", [1e-6, 1e6])
def test_memory_capacity_does_not_depend_on_the_training_units(units):
    """The probe drives the reservoir in its standardised units: the same
    weights measure the same capacity whatever units they were fitted in
    (4.47 on X and 9.79 on X x 1e6 before)."""
    X = np.random.RandomState(0).normal(size=(20, 30, 2)) + [3.0, -1.0]
    ref = LNNRegressor(n_reservoir=30, random_state=0).fit(X, X[:, -1, 0])
    scaled = LNNRegressor(n_reservoir=30, random_state=0).fit(units * X, X[:, -1, 0])
    assert memory_capacity(scaled, n_steps=1500, random_state=0) == pytest.approx(
        memory_capacity(ref, n_steps=1500, random_state=0), rel=1e-6)


def test_memory_capacity_probe_is_in_standardised_units():
    """Input 0 is input_mean_[0] + input_scale_[0] * u, the others at their
    means: with the standardisation undone by hand, a reservoir fitted
    without it measures the same."""
    from sklearn_lnn.diagnostics import _states

    X = np.random.RandomState(1).normal(size=(10, 40, 2)) * [2.0, 0.5] + [1.0, 4.0]
    est = ReservoirTransformer(n_reservoir=20, random_state=0).fit(X)
    u = np.random.RandomState(2).uniform(-0.8, 0.8, 50)
    raw = np.tile(est.input_mean_, (1, 50, 1))
    raw[0, :, 0] += est.input_scale_[0] * u
    np.testing.assert_allclose(_states(est, u), est.compute_states(raw)[0], rtol=1e-12)


def test_diagnostics_of_ngrc_say_there_is_no_reservoir():
    model = NGRCForecaster().fit(np.sin(0.1 * np.arange(200)))
    for diagnose in (effective_spectral_radius, memory_capacity):
        with pytest.raises(TypeError, match="NGRCForecaster has no recurrent reservoir"):
            diagnose(model)


@pytest.mark.parametrize("Est", [ReservoirTransformer, LNNClassifier, LNNForecaster,
                                 NGRCForecaster])
def test_diagnostics_of_an_unfitted_model_say_not_fitted(Est):
    for diagnose in (effective_spectral_radius, memory_capacity):
        with pytest.raises(NotFittedError):
            diagnose(Est())


@pytest.mark.parametrize("kwargs, name", [
    ({"max_delay": 0}, "max_delay"), ({"max_delay": 2.5}, "max_delay"),
    ({"washout": -5}, "washout"), ({"n_steps": 0}, "n_steps"),
    ({"test_fraction": 1.0}, "test_fraction"), ({"input_range": 0}, "input_range"),
    ({"max_delay": 10, "n_steps": 30}, "n_steps"),
])
def test_memory_capacity_refuses_bad_arguments_by_name(kwargs, name):
    est = ReservoirTransformer(n_reservoir=10, random_state=0).fit(np.zeros((1, 3, 1)))
    with pytest.raises(ValueError, match=name):
        memory_capacity(est, **kwargs)


def test_memory_capacity_of_a_forecaster_reservoir():
    model = LNNForecaster(n_reservoir=30, random_state=0).fit(np.sin(0.1 * np.arange(300)))
    assert 0 < memory_capacity(model, n_steps=1500, random_state=0) <= 30
