"""Units do not matter: data in tiny units are scaled like any other (issue 26).

One relative test decides when a channel is constant
(``utils._numeric.constant_channels``), in every place that standardises:
the input standardisation, SequenceScaler, the distributed fit's reduced
moments and the readout.
"""

import numpy as np
import pytest
from sklearn.preprocessing import StandardScaler

from sklearn_lnn import LNNClassifier, LNNForecaster, LNNRegressor, SequenceScaler
from sklearn_lnn._readout._ridge import fit_ridge, standardisation
from sklearn_lnn.datasets import load_digits_sequences
from sklearn_lnn.utils._numeric import constant_channels

TINY = 1e-13


def test_constant_channels_is_relative():
    mean = np.array([0.0, 5.0, 3e-13, 3e-13, 1e12])
    scale = np.array([0.0, 5.0 * 1e-17, 1e-13, 0.0, 1.0])
    # all zeros, the rounding of a constant 5, a tiny but real spread, an
    # exact tiny constant, a real spread of large values
    assert constant_channels(scale, mean, 100).tolist() == [True, True, False, True, False]


def test_constant_channels_agrees_with_standard_scaler(rng):
    X = rng.normal(size=(50, 4)) * [1e-14, 1.0, 0.0, 1e-100]
    X[:, 2] = 7.1
    ours = constant_channels(X.std(axis=0), X.mean(axis=0), len(X))
    theirs = StandardScaler().fit(X).scale_ == 1.0
    assert ours.tolist() == theirs.tolist() == [False, False, True, False]


def test_classifier_in_tiny_units_predicts_as_in_unit_units():
    X, y = load_digits_sequences(return_X_y=True)
    X, y = X[:400], y[:400]
    model = LNNClassifier(n_reservoir=100, random_state=0)
    ref = model.fit(X[:300], y[:300]).predict(X[300:])
    tiny = model.fit(TINY * X[:300], y[:300]).predict(TINY * X[300:])
    assert np.mean(tiny == ref) >= 0.99


@pytest.mark.parametrize("per_sequence", [False, True])
def test_sequence_scaler_scales_tiny_units(rng, per_sequence):
    X = rng.normal(size=(6, 20, 3)) + [0.0, 2.0, -1.0]
    ref = SequenceScaler(per_sequence=per_sequence).fit(X)
    tiny = SequenceScaler(per_sequence=per_sequence).fit(TINY * X)
    if not per_sequence:
        np.testing.assert_allclose(tiny.scale_, TINY * ref.scale_, rtol=1e-10)
    np.testing.assert_allclose(tiny.transform(TINY * X), ref.transform(X), rtol=1e-8,
                               atol=1e-8)


def test_forecaster_in_tiny_units_forecasts_the_same_shape():
    t = np.arange(300)
    y = np.sin(0.2 * t) + 0.3 * np.cos(0.05 * t)
    ref = LNNForecaster(n_reservoir=50, random_state=0).fit(y).predict(30)
    tiny = LNNForecaster(n_reservoir=50, random_state=0).fit(TINY * y).predict(30)
    np.testing.assert_allclose(tiny / TINY, ref, rtol=1e-5, atol=1e-6)


def test_readout_standardises_a_tiny_feature(rng):
    X = rng.normal(size=(60, 3))
    y = X @ [1.0, -2.0, 0.5] + 0.1 * rng.normal(size=60)
    mean, scale = standardisation(TINY * X, np.ones(60))
    np.testing.assert_allclose(scale, TINY * X.std(axis=0), rtol=1e-10)
    coef, intercept, alpha = fit_ridge(TINY * X, y[:, None], alpha=1.0)
    ref = fit_ridge(X, y[:, None], alpha=1.0)
    np.testing.assert_allclose(coef * TINY, ref[0], rtol=1e-8)
    np.testing.assert_allclose(intercept, ref[1], rtol=1e-8)


def test_statistics_readout_standardises_a_tiny_input_feature(rng):
    """The readout of a regressor that reads its raw input (include_input)
    scales an input channel in tiny units, so its penalty is the same."""
    X = rng.normal(size=(80, 10, 2))
    y = X[:, -1, 0] - X[:, -2, 1]
    params = dict(n_reservoir=20, include_input=True, standardize=False, random_state=0,
                  alpha=1.0, aggregation="last")
    ref = LNNRegressor(**params, input_scaling=1.0).fit(X, y)
    tiny = LNNRegressor(**params, input_scaling=1.0 / TINY).fit(TINY * X, y)
    np.testing.assert_allclose(tiny.predict(TINY * X), ref.predict(X), rtol=1e-6, atol=1e-6)


def test_distributed_moments_scale_tiny_units(rng):
    from sklearn_lnn.parallel import _combine_moments

    a = TINY * rng.normal(size=(200, 2))
    parts = [(100.0, b.mean(axis=0), ((b - b.mean(axis=0)) ** 2).sum(axis=0))
             for b in (a[:100], a[100:])]
    mean, scale = _combine_moments(parts)
    np.testing.assert_allclose(scale, a.std(axis=0), rtol=1e-10)


def test_constant_channels_of_huge_and_tiny_values_do_not_overflow():
    with np.errstate(over="raise", invalid="raise", divide="raise"):  # underflow is 0
        mask = constant_channels(np.array([1e199, 0.0, 1e-310, 1e-3]),
                                 np.array([1e200, 1e300, 0.0, 1e300]), 1e6)
    assert mask.tolist() == [False, True, False, True]


def test_sequence_scaler_scales_huge_units(rng):
    X = rng.normal(size=(6, 20, 2)) + [0.0, 3.0]
    ref = SequenceScaler().fit(X)
    huge = SequenceScaler().fit(1e200 * X)
    np.testing.assert_allclose(huge.scale_, 1e200 * ref.scale_, rtol=1e-10)
