"""dask: GridSearchCV on its joblib backend, a distributed fit, dask-ml.

A LocalCluster of two single-threaded worker processes on the loopback
interface, started and closed here.
"""

import numpy as np
import pytest

da = pytest.importorskip("dask.array")
distributed = pytest.importorskip("distributed")

from joblib import parallel_backend  # noqa: E402
from sklearn.model_selection import GridSearchCV  # noqa: E402

from sklearn_lnn import LNNClassifier, LNNRegressor, ReservoirTransformer, parallel  # noqa: E402


@pytest.fixture(scope="module")
def client():
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                       host="127.0.0.1", dashboard_address=None)
    client = distributed.Client(cluster)
    yield client
    client.close()
    cluster.close()


def _data(n=400, seed=0):
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, 15, 3)) * [1, 10, 0.1] + [0, 5, 0]
    signal = X[:, -3:, 0].sum(axis=1) + 0.05 * X[:, :, 1].mean(axis=1)
    return X, np.digitize(signal, [-1, 1]), signal


def test_grid_search_under_the_dask_backend_matches_the_default(client):
    X, y, _ = _data(200)
    grid = {"leak_rate": [0.3, 1.0], "spectral_radius": [0.5, 0.9]}
    search = lambda: GridSearchCV(LNNClassifier(n_reservoir=30, random_state=0), grid, cv=3)
    local = search().fit(X, y)
    with parallel_backend("dask"):
        remote = search().fit(X, y)
    np.testing.assert_array_equal(remote.cv_results_["mean_test_score"],
                                  local.cv_results_["mean_test_score"])
    assert remote.best_params_ == local.best_params_


@pytest.mark.parametrize("form", ["multivariate", "univariate", "coarse"])
@pytest.mark.parametrize("Est, target", [(LNNClassifier, 1), (LNNRegressor, 2)])
@pytest.mark.parametrize("weighted", [False, True])
def test_distributed_fit_equals_local_fit(client, Est, target, weighted, form):
    """Univariate series get aggregation="auto"'s rich features: difference
    channels in the reduced standardisation, state statistics from the same
    sample of sequences as a local fit; with a coarse pass, its own
    standardisation and state statistics reduced the same way."""
    X, labels, signal = _data()
    if form != "multivariate":
        X = np.ascontiguousarray(X[:, :, 0])
    params = dict(n_reservoir=40, random_state=0, coarse_factor=3 if form == "coarse" else None)
    y = labels if target == 1 else signal
    w = np.random.RandomState(1).uniform(0.5, 2, len(X)) if weighted else None
    Xd = da.from_array(X, chunks=(97,) + X.shape[1:])
    wd = None if w is None else da.from_array(w, chunks=97)
    remote = parallel.fit(Est(**params), Xd, y, sample_weight=wd)
    local = Est(**params).fit(X, y, sample_weight=w)
    passes = [(remote.reservoir_, local.reservoir_)]
    model = "" if Est is LNNRegressor else "_model"  # the regressor's "auto" has none
    if form == "coarse":
        passes.append((remote.reservoir_._coarse, local.reservoir_._coarse))
        assert local.reservoir_._coarse.aggregation_ == "points2_mean_max_ppv" + model
    for ours, theirs in passes:
        for name in ("input_mean_", "input_scale_"):
            np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name),
                                       rtol=1e-12, atol=1e-15)
        assert ours.aggregation_ == theirs.aggregation_
    if form != "multivariate":
        assert local.reservoir_.aggregation_ == "points4_mean_max_ppv" + model
        for ours, theirs in passes:
            for name in ("state_thresholds_", "state_mean_")[: 2 if model else 1]:
                np.testing.assert_allclose(getattr(ours, name), getattr(theirs, name),
                                           rtol=1e-10, atol=1e-12)
    scale = np.abs(local.coef_).max()
    np.testing.assert_allclose(remote.coef_, local.coef_, rtol=1e-8, atol=1e-8 * scale)
    np.testing.assert_allclose(remote.intercept_, local.intercept_, rtol=1e-8, atol=1e-8 * scale)
    lazy = parallel.predict(remote, Xd)
    assert isinstance(lazy, da.Array)
    pred = lazy.compute()
    if Est is LNNClassifier:
        np.testing.assert_array_equal(pred, local.predict(X))
    else:
        np.testing.assert_allclose(pred, local.predict(X), rtol=1e-8, atol=1e-8)


@pytest.mark.parametrize("per_class", [1, 3])
def test_distributed_fit_judges_alpha_by_the_same_classes(client, per_class):
    # one sequence per class: GCV cannot judge any class (see
    # test_single_sequence_classes); the distributed fit counts them too
    rng = np.random.RandomState(0)
    y = np.repeat(np.arange(6), per_class)
    X = rng.normal(size=(6, 8, 3))[y] + 0.3 * rng.normal(size=(len(y), 8, 3))
    w = rng.uniform(0.5, 2.0, len(y))
    Xd, wd = da.from_array(X, chunks=(4, 8, 3)), da.from_array(w, chunks=4)
    remote = parallel.fit(LNNClassifier(n_reservoir=30, random_state=0), Xd, y,
                          sample_weight=wd)
    local = LNNClassifier(n_reservoir=30, random_state=0).fit(X, y, sample_weight=w)
    assert remote.alpha_ == local.alpha_
    assert (remote.alpha_ == 1.0) is (per_class == 1)


def test_lazy_transform_and_a_small_graph(client):
    import pickle

    X, _, _ = _data()
    est = ReservoirTransformer(n_reservoir=200, random_state=0).fit(X)
    Xd = da.from_array(X, chunks=50)
    lazy = parallel.transform(est, Xd)
    np.testing.assert_allclose(lazy.compute(), est.transform(X), rtol=1e-12, atol=1e-12)
    # the estimator (a 200 x 200 recurrent matrix) is in the graph once, not per block
    size = len(pickle.dumps(dict(lazy.__dask_graph__())))
    assert size < 2 * len(pickle.dumps(est)) + X.nbytes + 200_000


def test_dask_ml_incremental_on_univariate_series(client):
    dask_ml = pytest.importorskip("dask_ml.wrappers")
    X, y, _ = _data(600)
    X2 = X[:, :, 0]  # univariate series: a 2D array dask-ml can block
    Xd, yd = da.from_array(X2, chunks=(100, 15)), da.from_array(y, chunks=100)
    inc = dask_ml.Incremental(LNNClassifier(n_reservoir=60, random_state=0),
                              shuffle_blocks=False)
    inc.fit(Xd, yd, classes=np.unique(y))
    full = LNNClassifier(n_reservoir=60, random_state=0).fit(X2[:500], y[:500])
    assert inc.score(X2[500:], y[500:]) >= full.score(X2[500:], y[500:]) - 0.02


@pytest.mark.parametrize("Est, target", [(LNNClassifier, 1), (LNNRegressor, 2)])
def test_distributed_fit_with_forgetting_equals_local_fit(client, Est, target):
    """Each block's statistics shrink by the forgetting factor to the power of
    the sequences after them, as in a local fit that sees them in order."""
    X, labels, signal = _data(300)
    y = labels if target == 1 else signal
    params = dict(n_reservoir=30, random_state=0, forgetting_factor=0.99, alpha=1.0)
    Xd = da.from_array(X, chunks=(70,) + X.shape[1:])
    remote = parallel.fit(Est(**params), Xd, y)
    local = Est(**params).fit(X, y)
    scale = np.abs(local.coef_).max()
    np.testing.assert_allclose(remote.coef_, local.coef_, rtol=1e-8, atol=1e-8 * scale)
    np.testing.assert_allclose(remote.intercept_, local.intercept_, rtol=1e-8,
                               atol=1e-8 * scale)
