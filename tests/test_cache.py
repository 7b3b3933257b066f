"""The feature cache: exact reuse, no stale rows, bounded size."""

import numpy as np
import pytest

from sklearn_lnn import ReservoirTransformer
from sklearn_lnn._engine._cache import FEATURES, FeatureCache, entry_bytes
from sklearn_lnn._engine._dynamics import aggregated_states
from sklearn_lnn._engine._sequences import check_sequences


@pytest.fixture(autouse=True)
def empty_cache():
    FEATURES.clear()
    yield
    FEATURES.clear()


def _uncached(est, X):
    seqs = check_sequences(est, X, reset=False)
    return aggregated_states(seqs, est._dynamics(), washout=est.washout,
                             aggregation=est.aggregation_)


def test_cached_rows_equal_computed_rows(ragged):
    est = ReservoirTransformer(n_reservoir=100, random_state=0).fit(ragged)
    first = est.transform(ragged[:7])
    assert len(FEATURES) == 7
    mixed = est.transform(ragged)  # 7 rows from the cache, 5 computed
    np.testing.assert_array_equal(mixed[:7], first)
    np.testing.assert_allclose(mixed, _uncached(est, ragged), rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("change", ["leak_rate", "spectral_radius", "washout",
                                    "aggregation", "random_state", "dtype", "data"])
def test_any_change_misses_the_cache(batch3d, change):
    est = ReservoirTransformer(n_reservoir=100, random_state=0).fit(batch3d)
    before = est.transform(batch3d)
    X = batch3d.copy()
    params = {"leak_rate": 0.9, "spectral_radius": 0.3, "washout": 2,
              "aggregation": "mean", "random_state": 1}
    if change in params:
        est = ReservoirTransformer(n_reservoir=100, random_state=0).set_params(
            **{change: params[change]}).fit(X)
    elif change == "dtype":
        X = X.astype(np.float32)
    else:
        X[3, 4, 0] += 1.0  # mutate one sequence in place
    after = est.transform(X)
    np.testing.assert_allclose(after, _uncached(est, X), rtol=1e-5, atol=1e-6)
    if change == "data":
        np.testing.assert_array_equal(np.delete(after, 3, 0), np.delete(before, 3, 0))
        assert not np.allclose(after[3], before[3])


def test_cache_is_bounded():
    rows = np.arange(60.0).reshape(15, 4)
    # room for ten entries of four float64 under one-byte keys
    cache = FeatureCache(max_bytes=10 * entry_bytes(b"m" + bytes([0]), rows[0].copy()))
    for start in (0, 5, 10):
        cache.put(b"m", [bytes([i]) for i in range(start, start + 5)],
                  rows[start:start + 5])
    assert len(cache) == 10
    cache.put(b"m", [bytes([i]) for i in range(20, 31)], np.ones((11, 4)))
    assert len(cache) == 10  # a batch larger than the cache is not stored
    found = cache.get(b"m", [bytes([i]) for i in range(15)])
    assert sorted(found) == list(range(5, 15))  # the oldest five went first
    np.testing.assert_array_equal(found[7], rows[7])


def test_cached_rows_cannot_be_changed_through_the_output(batch3d):
    est = ReservoirTransformer(n_reservoir=100, random_state=0).fit(batch3d)
    out = est.transform(batch3d)
    expected = out.copy()
    out[:] = 0.0
    np.testing.assert_array_equal(est.transform(batch3d), expected)


def test_cheap_rows_are_not_cached(batch3d):
    ReservoirTransformer(n_reservoir=10, random_state=0).fit(batch3d).transform(batch3d)
    assert len(FEATURES) == 0
    ReservoirTransformer(n_reservoir=100, random_state=0).fit(batch3d).transform(batch3d)
    assert len(FEATURES) == len(batch3d)


def test_cache_evicts_least_recently_used_not_oldest():
    rows = np.arange(40.0).reshape(10, 4)
    keys = [bytes([i]) for i in range(10)]
    cache = FeatureCache(max_bytes=5 * entry_bytes(b"m" + keys[0], rows[0].copy()))
    cache.put(b"m", keys[:5], rows[:5])
    assert sorted(cache.get(b"m", keys[:1])) == [0]  # the oldest, used again
    cache.put(b"m", keys[5:7], rows[5:7])  # two must go: 1 and 2, not 0
    found = cache.get(b"m", keys)
    assert sorted(found) == [0, 3, 4, 5, 6]
    np.testing.assert_array_equal(found[0], rows[0])


def test_config_context_switches_the_cache_off(batch3d):
    import sklearn_lnn

    est = ReservoirTransformer(n_reservoir=100, random_state=0).fit(batch3d)
    with sklearn_lnn.config_context(feature_cache_bytes=0):
        est.transform(batch3d)
        assert len(FEATURES) == 0 and FEATURES.nbytes == 0
    assert sklearn_lnn.get_config()["feature_cache_bytes"] == 256 * 2**20
    est.transform(batch3d)
    assert len(FEATURES) == len(batch3d)  # back on after the block


def test_set_config_resizes_and_validates(batch3d):
    import sklearn_lnn

    est = ReservoirTransformer(n_reservoir=100, random_state=0).fit(batch3d)
    est.transform(batch3d)
    assert len(FEATURES) == 10
    try:
        sklearn_lnn.set_config(feature_cache_bytes=3 * FEATURES.nbytes // 10)
        assert 0 < len(FEATURES) <= 3  # evicted down to the new bound
        with pytest.raises(ValueError, match="integer >= 0"):
            sklearn_lnn.set_config(feature_cache_bytes=-1)
    finally:
        sklearn_lnn.set_config(feature_cache_bytes=256 * 2**20)


@pytest.mark.parametrize("verbose", [0, 1, 2])
def test_verbose_transform_prints_progress(capsys, verbose):
    X = np.random.RandomState(0).normal(size=(4000, 6, 2))
    est = ReservoirTransformer(n_reservoir=30, verbose=verbose, random_state=0).fit(X)
    capsys.readouterr()
    est.transform(X)
    lines = capsys.readouterr().out.splitlines()
    if verbose == 0:
        assert lines == []
        return
    assert len(lines) >= 2
    assert lines[-1].startswith("[ReservoirTransformer] reservoir features: 4000/4000")
    assert all("elapsed" in line and "left" in line for line in lines)
    if verbose == 2:  # a line per block of 256
        assert len(lines) == 16


def test_a_fit_too_large_for_the_cache_does_not_churn_it(batch3d):
    import sklearn_lnn
    from sklearn_lnn import LNNClassifier

    X = np.concatenate([batch3d] * 4)  # 40 sequences, rows of 200 float64
    y = np.arange(40) % 2
    with sklearn_lnn.config_context(feature_cache_bytes=20 * 2000):  # room for ~20
        LNNClassifier(n_reservoir=100, random_state=0).fit(X, y)
        assert len(FEATURES) == 0
        LNNClassifier(n_reservoir=100, random_state=0).fit(X[:10], y[:10])
        assert len(FEATURES) == 10  # a fit that fits is cached for later folds
