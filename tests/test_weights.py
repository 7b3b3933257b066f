"""Fixed weights: exact spectral radius, connectivity and determinism."""

import numpy as np
import pytest
import scipy.sparse as sp

from sklearn_lnn import ReservoirTransformer
from sklearn_lnn._engine._weights import DENSE_EIG_MAX, recurrent_weights


def _dense(W):
    return W.toarray() if sp.issparse(W) else W


@pytest.mark.parametrize(
    "n, density",
    [(1, 1.0), (5, 0.1), (50, 1.0), (200, 0.1), (DENSE_EIG_MAX + 100, 0.1),
     (600, 0.01), (800, 0.005), (400, 0.04)],
)
@pytest.mark.parametrize("target", [0.5, 0.9, 1.3])
def test_spectral_radius_is_exact(n, density, target):
    W = recurrent_weights(n, n, density, target)
    radius = np.max(np.abs(np.linalg.eigvals(_dense(W))))
    assert radius == pytest.approx(target, rel=1e-6)


def test_sparse_storage_only_when_it_pays():
    rng = 0
    assert sp.issparse(recurrent_weights(rng, 600, 0.01, 0.9))
    assert isinstance(recurrent_weights(rng, 600, 0.1, 0.9), np.ndarray)
    assert isinstance(recurrent_weights(rng, 200, 0.01, 0.9), np.ndarray)


def test_every_unit_has_a_recurrent_input():
    W = recurrent_weights(0, 400, 0.0005, 0.9)
    assert np.all((_dense(W) != 0).sum(axis=1) >= 1)


def test_zero_spectral_radius_gives_zero_matrix():
    assert not np.any(_dense(recurrent_weights(0, 20, 0.5, 0.0)))


def test_density_is_respected():
    W = recurrent_weights(0, 300, 0.1, 0.9)
    assert (W != 0).mean() == pytest.approx(0.1, abs=0.01)


@pytest.mark.parametrize("density", [0.1, 0.01])
def test_same_seed_same_weights_and_outputs(batch3d, density):
    params = dict(n_reservoir=600, density=density, random_state=3)
    a = ReservoirTransformer(**params).fit(batch3d)
    b = ReservoirTransformer(**params).fit(batch3d)
    for name in ("input_weights_", "recurrent_weights_", "bias_"):
        np.testing.assert_array_equal(_dense(getattr(a, name)), _dense(getattr(b, name)))
    np.testing.assert_array_equal(a.transform(batch3d), b.transform(batch3d))
    c = ReservoirTransformer(**{**params, "random_state": 4}).fit(batch3d)
    assert not np.allclose(_dense(a.recurrent_weights_), _dense(c.recurrent_weights_))
    assert not np.allclose(a.transform(batch3d), c.transform(batch3d))


def test_weight_shapes_and_scales(batch3d):
    est = ReservoirTransformer(n_reservoir=40, input_scaling=0.3, bias_scaling=0.2,
                               random_state=0).fit(batch3d)
    assert est.input_weights_.shape == (40, 3)
    assert est.recurrent_weights_.shape == (40, 40)
    assert est.bias_.shape == (40,)
    assert np.abs(est.input_weights_).max() <= 0.3 / np.sqrt(3)  # 3 channels
    assert np.abs(est.bias_).max() <= 0.2


@pytest.mark.parametrize("include_difference", [False, True])
def test_the_input_drive_spread_does_not_grow_with_the_channels(include_difference):
    """W_in is uniform on +-input_scaling / sqrt(n_channels), difference channels
    not counted: the drive of a unit has one spread for 1 or 64 channels."""
    spreads = []
    for d in (1, 4, 64):
        est = ReservoirTransformer(n_reservoir=400, input_scaling=0.8, random_state=0,
                                   include_difference=include_difference)
        est.fit(np.random.RandomState(0).normal(size=(3, 20, d)))
        W_in = est.input_weights_
        assert W_in.shape == (400, 2 * d if include_difference else d)
        assert np.abs(W_in).max() <= 0.8 / np.sqrt(d)
        assert np.abs(W_in).max() > 0.95 * 0.8 / np.sqrt(d)
        spreads.append(np.sqrt((W_in**2).sum(axis=1).mean()))
    np.testing.assert_allclose(spreads, spreads[0], rtol=0.05)


@pytest.mark.parametrize("density", [0.1, 0.01])
def test_cached_unit_matrix_equals_a_fresh_draw(density):
    cached = recurrent_weights(7, 400, density, 0.8, cache=True)
    again = recurrent_weights(7, 400, density, 1.1, cache=True)
    fresh = recurrent_weights(7, 400, density, 0.8, cache=False)
    np.testing.assert_array_equal(_dense(cached), _dense(fresh))
    np.testing.assert_allclose(_dense(again), _dense(fresh) * 1.1 / 0.8)
    # the fitted matrix is the estimator's own, never the cached object
    assert sp.issparse(cached) or cached.flags.writeable


def test_spectral_radius_changes_keep_the_other_weights(batch3d):
    a = ReservoirTransformer(n_reservoir=50, spectral_radius=0.5, random_state=0).fit(batch3d)
    b = ReservoirTransformer(n_reservoir=50, spectral_radius=1.0, random_state=0).fit(batch3d)
    np.testing.assert_array_equal(a.input_weights_, b.input_weights_)
    np.testing.assert_array_equal(a.bias_, b.bias_)
    np.testing.assert_allclose(b.recurrent_weights_, 2 * a.recurrent_weights_)


@pytest.mark.parametrize("scaling", [0.3, 2.0])
def test_input_weights_and_biases_are_symmetric_uniform(scaling):
    """W_in and b are uniform on [-scaling, scaling]: both signs, mean near 0,
    a quarter of them beyond half the scale on each side."""
    est = ReservoirTransformer(n_reservoir=400, input_scaling=scaling,
                               bias_scaling=scaling, random_state=0)
    est.fit(np.zeros((2, 3, 10)))
    for w, s in ((est.input_weights_.ravel(), scaling / np.sqrt(10)), (est.bias_, scaling)):
        assert np.abs(w).max() <= s
        assert abs(w.mean()) < 0.1 * s
        assert 0.2 < np.mean(w < -s / 2) < 0.3
        assert 0.2 < np.mean(w > s / 2) < 0.3
