"""LNNClassifier and LNNRegressor: model selection, targets, weights, persistence."""

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.linear_model import Ridge, RidgeClassifier, RidgeClassifierCV
from sklearn.model_selection import GridSearchCV, cross_val_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from sklearn_lnn import LNNClassifier, LNNRegressor, ReservoirTransformer

GRID = {"leak_rate": [0.3, 1.0], "spectral_radius": [0.5, 0.9]}


#: The synthetic tasks below come at the scale the reservoir expects, with a
#: low-variance noise channel that per-channel standardisation would blow up
#: to the signal's size: the tests of mechanics feed them unstandardised.
RAW = {"standardize": False}


def make_frequency_task(rng, n=90, ragged=False, n_classes=3):
    """Sinusoids whose class is their frequency; lengths vary when ragged."""
    y = np.arange(n) % n_classes
    lengths = rng.randint(12, 30, size=n) if ragged else np.full(n, 20)
    X = []
    for label, length in zip(y, lengths):
        t = np.arange(length)
        phase = rng.uniform(0, 2 * np.pi)
        wave = np.sin(0.3 * (label + 1) * t + phase)
        X.append(np.column_stack([wave, rng.normal(scale=0.1, size=length)]))
    return (X if ragged else np.array(X)), y


@pytest.mark.parametrize("ragged", [False, True], ids=["3d", "ragged"])
@pytest.mark.parametrize("labels", ["int", "str"])
def test_grid_search_over_reservoir_parameters(rng, ragged, labels):
    X, y = make_frequency_task(rng, ragged=ragged)
    if labels == "str":
        y = np.array(["low", "mid", "high"])[y]
    search = GridSearchCV(
        LNNClassifier(n_reservoir=40, random_state=0, **RAW), GRID, cv=3, n_jobs=2
    ).fit(X, y)
    assert len(search.cv_results_["params"]) == 4
    assert search.best_params_.keys() == GRID.keys()
    assert set(search.best_estimator_.classes_) == set(y)
    assert search.best_score_ > 0.8
    assert set(search.predict(X[:5])) <= set(y)


def test_cross_val_score_and_pipeline(rng):
    X, y = make_frequency_task(rng)
    scores = cross_val_score(LNNClassifier(n_reservoir=40, random_state=0, **RAW), X, y, cv=3)
    assert scores.shape == (3,) and scores.mean() > 0.8
    pipe = make_pipeline(ReservoirTransformer(n_reservoir=40, random_state=0, **RAW),
                         RidgeClassifierCV())
    assert cross_val_score(pipe, X, y, cv=3).mean() > 0.8
    search = GridSearchCV(pipe, {"reservoirtransformer__leak_rate": [0.3, 1.0]}, cv=3)
    assert search.fit(X, y).best_score_ > 0.8


def test_classifier_equals_its_parts(rng):
    """The estimator is exactly reservoir -> StandardScaler -> RidgeClassifier."""
    X, y = make_frequency_task(rng)
    clf = LNNClassifier(n_reservoir=30, alpha=0.5, random_state=0).fit(X, y)
    parts = make_pipeline(ReservoirTransformer(n_reservoir=30, random_state=0),
                          StandardScaler(), RidgeClassifier(alpha=0.5)).fit(X, y)
    np.testing.assert_allclose(clf.decision_function(X), parts.decision_function(X),
                               rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("n_classes", [2, 4])
def test_classifier_proba_and_decision(rng, n_classes):
    X, y = make_frequency_task(rng, n=120, n_classes=n_classes)
    clf = LNNClassifier(n_reservoir=40, random_state=0, **RAW).fit(X, y)
    proba = clf.predict_proba(X)
    assert proba.shape == (120, n_classes)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(X))
    scores = clf.decision_function(X)
    assert scores.shape == ((120,) if n_classes == 2 else (120, n_classes))
    assert clf.score(X, y) > 0.9


def test_binary_string_labels_predict_both_classes(rng):
    X, y = make_frequency_task(rng, n=80, n_classes=2)
    y = np.array(["no", "yes"])[y]
    clf = LNNClassifier(n_reservoir=40, random_state=0).fit(X, y)
    np.testing.assert_array_equal(clf.classes_, ["no", "yes"])
    assert set(clf.predict(X)) == {"no", "yes"}
    assert clf.score(X, y) > 0.9


def test_single_class_raises(rng):
    with pytest.raises(ValueError, match="at least 2 classes"):
        LNNClassifier(n_reservoir=5).fit(rng.normal(size=(4, 3, 1)), [1, 1, 1, 1])


def test_sample_weight_equals_repetition(rng):
    X, y = make_frequency_task(rng, n=30)
    w = rng.randint(0, 3, size=30)
    est = LNNClassifier(n_reservoir=20, random_state=0)
    weighted = clone(est).fit(X, y, sample_weight=w)
    repeated = clone(est).fit(np.repeat(X, w, axis=0), np.repeat(y, w))
    np.testing.assert_allclose(weighted.decision_function(X),
                               repeated.decision_function(X), rtol=1e-6, atol=1e-8)


def test_regressor_single_and_multi_output(rng):
    X = rng.uniform(-1, 1, size=(200, 15, 2))
    y1 = X[:, -1, 0] + X[:, -2, 1]
    y2 = np.column_stack([y1, X[:, :, 0].mean(axis=1)])
    reg = LNNRegressor(n_reservoir=80, random_state=0, **RAW)
    single = clone(reg).fit(X[:150], y1[:150])
    assert single.predict(X[150:]).shape == (50,)
    assert single.score(X[150:], y1[150:]) > 0.9
    multi = clone(reg).fit(X[:150], y2[:150])
    assert multi.predict(X[150:]).shape == (50, 2)
    assert multi.score(X[150:], y2[150:]) > 0.9
    # an explicit aggregation: "auto" appends the regressor's input profile
    fixed = clone(reg).set_params(alpha=1.0, aggregation="last_mean").fit(X[:150], y2[:150])
    parts = make_pipeline(ReservoirTransformer(n_reservoir=80, random_state=0,
                                               aggregation="last_mean", **RAW),
                          StandardScaler(), Ridge(alpha=1.0)).fit(X[:150], y2[:150])
    np.testing.assert_allclose(fixed.predict(X), parts.predict(X), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("Est", [LNNClassifier, LNNRegressor, ReservoirTransformer])
@pytest.mark.parametrize("ragged", [False, True], ids=["3d", "ragged"])
def test_joblib_and_clone_round_trips(tmp_path, rng, Est, ragged):
    X, y = make_frequency_task(rng, n=30, ragged=ragged)
    est = Est(n_reservoir=20, random_state=0).fit(X, y)
    method = "transform" if Est is ReservoirTransformer else "predict"
    expected = getattr(est, method)(X)
    joblib.dump(est, tmp_path / "model.joblib")
    loaded = joblib.load(tmp_path / "model.joblib")
    np.testing.assert_array_equal(getattr(loaded, method)(X), expected)
    refit = clone(est).fit(X, y)
    np.testing.assert_array_equal(getattr(refit, method)(X), expected)


def test_fitted_reservoir_is_usable_alone(rng):
    X, y = make_frequency_task(rng, n=30)
    clf = LNNClassifier(n_reservoir=20, leak_rate=0.4, random_state=0).fit(X, y)
    assert isinstance(clf.reservoir_, ReservoirTransformer)
    assert clf.reservoir_.leak_rate == 0.4
    alone = ReservoirTransformer(n_reservoir=20, leak_rate=0.4, random_state=0).fit(X)
    np.testing.assert_array_equal(clf.reservoir_.transform(X), alone.transform(X))


# scikit-learn < 1.7 with SciPy >= 1.16 warns inside LogisticRegression itself
@pytest.mark.filterwarnings("ignore:.*`disp` and `iprint` options:DeprecationWarning")
@pytest.mark.parametrize("n_classes", [2, 3])
def test_logistic_readout_is_logistic_regression_on_standardised_states(rng, n_classes):
    from sklearn.linear_model import LogisticRegression

    X, y = make_frequency_task(rng, n=90, n_classes=n_classes)
    clf = LNNClassifier(n_reservoir=30, readout="logistic", alpha=2.0,
                        random_state=0).fit(X, y)
    states = ReservoirTransformer(n_reservoir=30, random_state=0).fit(X).transform(X)
    scaler = StandardScaler().fit(states)
    ref = LogisticRegression(C=0.5, tol=1e-10, max_iter=10_000).fit(
        scaler.transform(states), y)
    np.testing.assert_allclose(clf.predict_proba(X),
                               ref.predict_proba(scaler.transform(states)),
                               rtol=1e-5, atol=1e-7)
    np.testing.assert_array_equal(clf.predict(X), ref.predict(scaler.transform(states)))
    assert clf.alpha_ == 2.0


def test_binary_ridge_proba_is_softmax_of_minus_and_plus_score(batch3d):
    y = np.array(["a", "b"] * 5)
    clf = LNNClassifier(n_reservoir=20, random_state=0).fit(batch3d, y)
    s = clf.decision_function(batch3d)
    proba = clf.predict_proba(batch3d)
    # softmax([-s, s]) = [1 / (1 + e^{2s}), 1 / (1 + e^{-2s})]
    np.testing.assert_allclose(proba[:, 1], 1.0 / (1.0 + np.exp(-2.0 * s)), rtol=1e-12)
    np.testing.assert_allclose(proba[:, 0], 1.0 / (1.0 + np.exp(2.0 * s)), rtol=1e-12)
    assert np.array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(batch3d))


def test_binary_logistic_proba_is_sigmoid_of_score(batch3d):
    y = np.arange(10) % 2
    clf = LNNClassifier(n_reservoir=20, readout="logistic", random_state=0).fit(batch3d, y)
    s = clf.decision_function(batch3d)
    np.testing.assert_allclose(clf.predict_proba(batch3d)[:, 1],
                               1.0 / (1.0 + np.exp(-s)), rtol=1e-12)
