"""partial_fit: exact chunked learning, forgetting, atomic updates."""

import numpy as np
import pytest

from sklearn_lnn import LNNClassifier, LNNRegressor

RAW = {"standardize": False, "n_reservoir": 40, "random_state": 0}


def _data(rng, n=300, task="multiclass"):
    X = rng.normal(size=(n, 12, 3))
    signal = X[:, -3:, 0].sum(axis=1) + 0.5 * X[:, :, 1].mean(axis=1)
    if task == "binary":
        y = (signal > 0).astype(int)
    elif task == "multiclass":
        y = np.digitize(signal, [-1.0, 0.0, 1.0])
    elif task == "single":
        y = signal
    else:
        y = np.column_stack([signal, X[:, -1, 2]])
    return X, y


def _assert_same_model(a, b, X, tol=1e-8):
    scale = max(np.abs(b.coef_).max(), 1e-12)
    np.testing.assert_allclose(a.coef_, b.coef_, rtol=tol, atol=tol * scale)
    np.testing.assert_allclose(a.intercept_, b.intercept_, rtol=tol, atol=tol * scale)
    assert a.alpha_ == b.alpha_
    pa = a.decision_function(X) if hasattr(a, "decision_function") else a.predict(X)
    pb = b.decision_function(X) if hasattr(b, "decision_function") else b.predict(X)
    np.testing.assert_allclose(pa, pb, rtol=tol, atol=tol * np.abs(pb).max())


@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("task", ["binary", "multiclass", "single", "multi"])
def test_ten_chunks_equal_one_fit(rng, task, weighted):
    X, y = _data(rng, task=task)
    w = rng.uniform(0.2, 3.0, size=len(X)) if weighted else None
    Est = LNNClassifier if task in ("binary", "multiclass") else LNNRegressor
    full = Est(**RAW).fit(X, y, sample_weight=w)
    online = Est(**RAW)
    for idx in np.array_split(np.arange(len(X)), 10):
        kwargs = {"classes": np.unique(y)} if Est is LNNClassifier else {}
        online.partial_fit(X[idx], y[idx], sample_weight=None if w is None else w[idx],
                           **kwargs)
    _assert_same_model(online, full, X)
    if Est is LNNClassifier:
        np.testing.assert_array_equal(online.classes_, full.classes_)
        np.testing.assert_array_equal(online.predict(X), full.predict(X))


@pytest.mark.parametrize("Est", [LNNClassifier, LNNRegressor])
def test_forgetting_does_not_depend_on_chunk_sizes(rng, Est):
    X, y = _data(rng, task="binary" if Est is LNNClassifier else "single")
    models = []
    for cuts in ([100, 200], [10, 20, 250, 290], list(range(30, 300, 30))):
        model = Est(**RAW, forgetting_factor=0.99)
        for idx in np.split(np.arange(len(X)), cuts):
            kwargs = {"classes": [0, 1]} if Est is LNNClassifier else {}
            model.partial_fit(X[idx], y[idx], **kwargs)
        models.append(model)
    for other in models[1:]:
        _assert_same_model(other, models[0], X)
    # and fit weighs a sequence by factor ** (number of later sequences)
    weights = 0.99 ** np.arange(len(X) - 1, -1, -1)
    _assert_same_model(models[0], Est(**RAW).fit(X, y, sample_weight=weights), X, 1e-7)


def test_forgetting_stays_finite_on_a_long_stream(rng):
    model = LNNRegressor(**RAW, forgetting_factor=0.99)
    for _ in range(200):
        X, y = _data(rng, n=50, task="single")
        model.partial_fit(X, y)
    assert np.isfinite(model.coef_).all() and model.score(X, y) > 0.5


@pytest.mark.parametrize("bad", ["nan", "features", "unseen class", "classes changed",
                                 "1d after 2d", "negative weight"])
def test_a_refused_chunk_changes_nothing(rng, bad):
    X, y = _data(rng, task="multiclass")
    classes = np.unique(y)
    if bad == "1d after 2d":
        model = LNNRegressor(**RAW).partial_fit(X[:100], np.column_stack([y, y])[:100])
    else:
        model = LNNClassifier(**RAW).partial_fit(X[:100], y[:100], classes=classes)
    before = model.predict(X)
    state = {k: (v.copy() if isinstance(v, np.ndarray) else v)
             for k, v in model.__dict__.items() if k != "_stats"}
    stats = {k: np.copy(v) for k, v in model._stats.items()}
    Xb, yb, kwargs = X[100:150].copy(), y[100:150].copy(), {}
    if bad == "nan":
        Xb[3, 4, 1] = np.nan
    elif bad == "features":
        Xb = Xb[:, :, :2]
    elif bad == "unseen class":
        yb[7] = 99
    elif bad == "classes changed":
        kwargs = {"classes": [0, 1, 2, 3, 4]}
    elif bad == "1d after 2d":
        yb = yb.astype(float)
    else:
        kwargs = {"sample_weight": np.r_[np.ones(49), -1.0]}
    with pytest.raises(ValueError):
        model.partial_fit(Xb, yb, **kwargs)
    np.testing.assert_array_equal(model.predict(X), before)
    for k, v in model._stats.items():
        np.testing.assert_array_equal(v, stats[k])
    assert set(model.__dict__) - {"_solution"} <= set(state) | {"_stats"}


def test_first_call_needs_classes(rng):
    X, y = _data(rng)
    with pytest.raises(ValueError, match="classes must be passed on the first call"):
        LNNClassifier(**RAW).partial_fit(X, y)
    assert not hasattr(LNNClassifier(readout="logistic"), "partial_fit")


def test_drift_is_tracked_with_forgetting_and_not_without():
    """The rule that labels the sequences changes half-way through the stream."""
    rng = np.random.RandomState(1)

    def chunk(n, rule):
        X = rng.normal(size=(n, 10, 2))
        return X, (X[:, :, rule].mean(axis=1) > 0).astype(int)

    stream = [chunk(100, 0) for _ in range(20)] + [chunk(100, 1) for _ in range(10)]
    X_test, y_test = chunk(1000, 1)
    scores = {}
    for factor in (1.0, 0.995):
        model = LNNClassifier(**RAW, forgetting_factor=factor)
        for X, y in stream:
            model.partial_fit(X, y, classes=[0, 1])
        scores[factor] = model.score(X_test, y_test)
    after_only = LNNClassifier(**RAW).fit(np.concatenate([X for X, _ in stream[20:]]),
                                          np.concatenate([y for _, y in stream[20:]]))
    reference = after_only.score(X_test, y_test)
    assert scores[0.995] >= reference - 0.02
    assert scores[1.0] < reference - 0.05
