"""Fitted input standardisation and the SequenceScaler."""

import numpy as np
import pandas as pd
import pytest
from sklearn.model_selection import GridSearchCV
from sklearn.pipeline import make_pipeline

from sklearn_lnn import LNNClassifier, ReservoirTransformer
from sklearn_lnn.datasets import load_digits_sequences


@pytest.mark.parametrize("units", [lambda X: X * 16, lambda X: X * 1600 + 1000,
                                   lambda X: X * np.arange(1, 9) - 3])
def test_default_classifier_does_not_care_about_units(units):
    X, y = load_digits_sequences(return_X_y=True)
    X, y = X[:600], y[:600]
    base = LNNClassifier(n_reservoir=100, random_state=0).fit(X[:400], y[:400])
    moved = LNNClassifier(n_reservoir=100, random_state=0).fit(units(X[:400]), y[:400])
    np.testing.assert_array_equal(moved.predict(units(X[400:])), base.predict(X[400:]))
    np.testing.assert_allclose(moved.decision_function(units(X[400:])),
                               base.decision_function(X[400:]), rtol=1e-6, atol=1e-8)


def test_statistics_come_from_the_training_data_only(rng):
    A = rng.normal(loc=5, scale=3, size=(20, 10, 2))
    B = rng.normal(size=(7, 10, 2))
    est = ReservoirTransformer(n_reservoir=20, random_state=0).fit(A)
    flat = A.reshape(-1, 2)
    np.testing.assert_allclose(est.input_mean_, flat.mean(axis=0))
    np.testing.assert_allclose(est.input_scale_, flat.std(axis=0))
    raw = ReservoirTransformer(n_reservoir=20, standardize=False, random_state=0).fit(A)
    scaled_B = (B - flat.mean(axis=0)) / flat.std(axis=0)
    np.testing.assert_allclose(est.transform(B), raw.transform(scaled_B), rtol=1e-10, atol=1e-12)


def test_weighted_statistics_equal_repeated_sequences(rng):
    X = [rng.normal(size=(n, 2)) * 3 + 1 for n in (4, 7, 5)]
    w = np.array([2, 0, 1])
    a = LNNClassifier(n_reservoir=10, random_state=0).fit(X, [0, 1, 0], sample_weight=w)
    b = LNNClassifier(n_reservoir=10, random_state=0).fit(
        [X[0], X[0], X[2], X[1]][:3] + [X[1]], [0, 0, 0, 1], sample_weight=[1, 1, 1, 0])
    np.testing.assert_allclose(a.reservoir_.input_mean_, b.reservoir_.input_mean_)
    np.testing.assert_allclose(a.reservoir_.input_scale_, b.reservoir_.input_scale_)


def test_time_channel_keeps_its_units(rng):
    X = rng.normal(size=(6, 10, 3))
    X[:, :, 2] = rng.uniform(0.5, 2, size=(6, 10))
    est = ReservoirTransformer(n_reservoir=10, time_channel=2, random_state=0).fit(X)
    assert est.input_mean_[2] == 0.0 and est.input_scale_[2] == 1.0


def _forms(X):
    return {"3d": X, "ragged": [x[: 5 + i % 4] for i, x in enumerate(X)],
            "univariate": X.reshape(len(X), -1)}  # 64-step series


@pytest.mark.parametrize("form", ["3d", "ragged", "univariate"])
@pytest.mark.parametrize("per_sequence", [False, True])
def test_sequence_scaler_in_a_pipeline_grid_search(form, per_sequence):
    from sklearn_lnn import SequenceScaler

    X, y = load_digits_sequences(return_X_y=True)
    X, y = X[:300] * 16 + 100, y[:300]
    data = _forms(X)[form]
    pipe = make_pipeline(SequenceScaler(per_sequence=per_sequence),
                         LNNClassifier(n_reservoir=60, standardize=False, random_state=0))
    search = GridSearchCV(pipe, {"lnnclassifier__leak_rate": [0.3, 1.0]}, cv=3).fit(data, y)
    assert search.best_score_ > 0.5
    out = search.best_estimator_[0].transform(data)
    assert type(out) is type(data) or (isinstance(out, np.ndarray) and isinstance(data, np.ndarray))
    if form != "ragged":
        assert out.shape == np.shape(data)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sequence_scaler_statistics_and_dtype(rng, dtype):
    from sklearn_lnn import SequenceScaler

    X = (rng.normal(size=(10, 6, 3)) * [1, 10, 100] + [0, 5, -5]).astype(dtype)
    out = SequenceScaler().fit(X).transform(X)
    assert out.dtype == dtype
    flat = out.reshape(-1, 3).astype(np.float64)
    np.testing.assert_allclose(flat.mean(axis=0), 0, atol=1e-5)
    np.testing.assert_allclose(flat.std(axis=0), 1, rtol=1e-5)
    per = SequenceScaler(per_sequence=True).fit(X).transform(X).astype(np.float64)
    np.testing.assert_allclose(per.mean(axis=1), 0, atol=1e-5)
    np.testing.assert_allclose(per.std(axis=1), 1, rtol=1e-4)
    frame = pd.DataFrame(X[:, :, 0], columns=[f"t{i}" for i in range(6)])
    assert SequenceScaler().fit(frame).transform(frame).shape == (10, 6)


def _reservoirs(X, **params):
    return ReservoirTransformer(n_reservoir=20, aggregation="last_mean_max", random_state=0,
                                **params).fit(X)


@pytest.mark.parametrize("form", ["3d", "ragged"])
def test_multichannel_inputs_are_clipped_at_three_standard_deviations(rng, form):
    X = rng.normal(size=(30, 12, 3)) * [1.0, 10.0, 0.1] + [0.0, 50.0, -2.0]
    est = _reservoirs(X)
    mean, scale = est.input_mean_, est.input_scale_
    wild = X[:4].copy()
    wild[0, 5] = mean + [40.0, -25.0, 9.0] * scale  # far outside, both sides
    wild[1, 2, 1] = mean[1] + 2.5 * scale[1]  # inside: untouched
    held = wild.copy()
    held[0, 5] = mean + [3.0, -3.0, 3.0] * scale
    as_form = (lambda A: list(A)) if form == "ragged" else (lambda A: A)
    np.testing.assert_allclose(est.transform(as_form(wild)), est.transform(as_form(held)),
                               rtol=1e-12, atol=1e-12)
    moved = held.copy()
    moved[1, 2, 1] = mean[1] + 2.9 * scale[1]  # a value inside still counts
    assert not np.allclose(est.transform(as_form(moved)), est.transform(as_form(held)))
    # a glitch in the training data widens its channel's scale but is clipped
    # too: it does not dominate the features of the steps it is in
    assert np.abs(est.compute_states(wild)).max() <= 1.0


def test_univariate_series_and_the_time_channel_are_not_clipped(rng):
    # (difference channels: tests/test_reference_forms.py, whose reference
    # takes differences of the raw values and clips only the given channels)
    series = rng.normal(size=(20, 30))
    est = _reservoirs(series, include_difference=False)  # only the values
    wild, held = series[:2].copy(), series[:2].copy()
    wild[0, 10] = est.input_mean_[0] + 40.0 * est.input_scale_[0]
    held[0, 10] = est.input_mean_[0] + 3.0 * est.input_scale_[0]
    assert not np.allclose(est.transform(wild), est.transform(held))
    # the time channel keeps its units (mean 0, scale 1) and is never clipped
    T = rng.normal(size=(20, 12, 3))
    T[:, :, 0] = rng.uniform(0.5, 1.5, size=(20, 12))
    timed = _reservoirs(T, time_channel=0)
    gap, held = T[:2].copy(), T[:2].copy()
    gap[0, 6, 0], held[0, 6, 0] = 40.0, 3.0
    assert not np.allclose(timed.transform(gap), timed.transform(held))


def test_the_step_regressor_does_not_clip(rng):
    from sklearn_lnn import LNNStepRegressor

    X = rng.normal(size=(10, 20, 2))
    est = LNNStepRegressor(n_reservoir=20, random_state=0).fit(X, X[:, :, 0])
    mean, scale = est.reservoir_.input_mean_, est.reservoir_.input_scale_
    wild, held = X[:1].copy(), X[:1].copy()
    wild[0, 10, 0] = mean[0] + 40.0 * scale[0]
    held[0, 10, 0] = mean[0] + 3.0 * scale[0]
    assert not np.allclose(est.predict(wild)[0, 10], est.predict(held)[0, 10])
