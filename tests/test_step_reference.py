"""LNNStepRegressor against references (issue 26's slips in _stepwise): the
readout reads the states and the inputs but never the elapsed-time channel;
integer sequence weights equal repeated sequences; the weighted score is
scikit-learn's weighted R^2 of the steps after the washout."""

import numpy as np
import pytest
from sklearn.metrics import r2_score

from sklearn_lnn import LNNStepRegressor
from sklearn_lnn.utils import step_scorer


def _data(n=18, steps=25, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.uniform(-1, 1, size=(n, steps, 3))
    X[:, :, 0] = rng.uniform(0.5, 1.5, size=(n, steps))  # elapsed times
    Y = np.stack([np.roll(X[:, :, 1], 1, axis=1), X[:, :, 2] * X[:, :, 1]], axis=-1)
    return X, Y


def test_the_time_channel_is_not_a_readout_feature():
    X, Y = _data()
    model = LNNStepRegressor(n_reservoir=15, include_input=True, time_channel=0,
                             random_state=0).fit(X, Y)
    assert model.coef_.shape == (15 + 2, 2)  # states, then inputs 1 and 2
    states = model.reservoir_.compute_states(X)
    feats = np.concatenate([states, X[:, :, 1:]], axis=-1)
    np.testing.assert_allclose(model.predict(X), feats @ model.coef_ + model.intercept_,
                               rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize("alpha", [1.0, "auto"])
def test_integer_weights_equal_repeated_sequences(alpha):
    X, Y = _data()
    w = np.random.RandomState(1).randint(1, 4, len(X))
    weighted = LNNStepRegressor(n_reservoir=15, washout=3, alpha=alpha, standardize=False,
                                random_state=0).fit(X, Y, sample_weight=w)
    repeated = LNNStepRegressor(n_reservoir=15, washout=3, alpha=alpha, standardize=False,
                                random_state=0).fit(np.repeat(X, w, axis=0),
                                                    np.repeat(Y, w, axis=0))
    assert weighted.alpha_ == repeated.alpha_
    np.testing.assert_allclose(weighted.coef_, repeated.coef_, rtol=1e-7, atol=1e-9)
    assert weighted.score(X, Y, sample_weight=w) == pytest.approx(
        repeated.score(np.repeat(X, w, axis=0), np.repeat(Y, w, axis=0)), rel=1e-10)


def test_weighted_score_is_the_weighted_r2_of_the_scored_steps():
    X, Y = _data()
    model = LNNStepRegressor(n_reservoir=15, washout=4, random_state=0).fit(X[:12], Y[:12])
    w = np.random.RandomState(2).uniform(0.1, 5.0, 6)
    P = model.predict(X[12:])[:, 4:].reshape(-1, 2)
    T = Y[12:, 4:].reshape(-1, 2)
    ref = r2_score(T, P, sample_weight=np.repeat(w, 21))
    assert model.score(X[12:], Y[12:], sample_weight=w) == pytest.approx(ref, rel=1e-12)
    assert step_scorer("r2")(model, X[12:], Y[12:], w) == pytest.approx(ref, rel=1e-12)
