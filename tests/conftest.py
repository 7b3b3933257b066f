"""Shared fixtures: small random sequence data sets with fixed seeds."""

import numpy as np
import pytest


@pytest.fixture
def rng():
    return np.random.RandomState(0)


@pytest.fixture
def ragged(rng):
    """Twelve sequences of 1..30 steps and 3 features."""
    lengths = [1, 30, 5, 17, 2, 30, 9, 12, 25, 3, 8, 14]
    return [rng.normal(size=(n, 3)) for n in lengths]


@pytest.fixture
def batch3d(rng):
    return rng.normal(size=(10, 15, 3))


@pytest.fixture(autouse=True)
def fresh_echo_state_warnings():
    """The echo-state warning is shown once per parameter setting and process;
    every test starts as a fresh process would."""
    from sklearn_lnn._engine import _weights

    _weights._WARNED.clear()
    yield
