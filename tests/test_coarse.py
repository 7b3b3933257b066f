"""The coarse pass (``coarse_factor``): block means, its own fitted
statistics, "auto", and the readout's lighter weight on its features."""

import warnings

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV

from sklearn_lnn import LNNClassifier, LNNRegressor, ReservoirTransformer
from sklearn_lnn._engine._coarse import COARSE_FACTOR, COARSE_MIN_STEPS, COARSE_WEIGHT, block_means
from sklearn_lnn._engine._profile import PROFILE_WEIGHTS
from sklearn_lnn._engine._sequences import Sequences


def _reference_block_means(x, factor):
    """One sequence's block means, written out step by step."""
    return np.array([x[start:start + factor].mean(axis=0)
                     for start in range(0, len(x), factor)])


def _ragged(seed, lengths, channels=1):
    rng = np.random.RandomState(seed)
    return [np.cumsum(rng.normal(size=(n, channels)), axis=0) for n in lengths]


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("factor", [2, 3, 8])
def test_block_means_equal_a_per_sequence_reference(factor, dtype):
    ragged = [x.astype(dtype) for x in _ragged(0, [1, 5, 8, 9, 17], channels=2)]
    seqs = Sequences(ragged, np.array([len(x) for x in ragged]), True)
    out = block_means(seqs, factor)
    assert out.ragged and out.dtype == dtype
    np.testing.assert_array_equal(out.lengths, [-(-len(x) // factor) for x in ragged])
    for got, x in zip(out.data, ragged):
        np.testing.assert_allclose(got, _reference_block_means(x.astype(float), factor),
                                   rtol=1e-6 if dtype == np.float32 else 1e-14)
    cube = np.stack(_ragged(1, [11] * 4, channels=3))
    out = block_means(Sequences(cube, np.full(4, 11), False), factor)
    assert not out.ragged and out.data.flags["C_CONTIGUOUS"]
    np.testing.assert_allclose(out.data, [_reference_block_means(x, factor) for x in cube],
                               rtol=1e-14)


@pytest.mark.parametrize("bidirectional", [False, True])
@pytest.mark.parametrize("washout", [0, 5])
def test_coarse_features_equal_a_transformer_fitted_on_block_means(washout, bidirectional):
    """Fine columns: the model without a coarse pass; coarse columns: a
    transformer of the same parameters fitted on the block means of the
    training series (washout in coarse steps, same difference channels)."""
    train, test = _ragged(2, [40, 47, 52, 60, 33, 45]), _ragged(3, [41, 50, 38])
    params = dict(n_reservoir=30, washout=washout, bidirectional=bidirectional, random_state=0)
    est = ReservoirTransformer(coarse_factor=4, **params).fit(train)
    fine = ReservoirTransformer(coarse_factor=None, **params).fit(train)
    coarse = ReservoirTransformer(
        coarse_factor=None, include_difference=est.include_difference_,
        **{**params, "washout": washout // 4}).fit(
            [_reference_block_means(x, 4) for x in train])
    got = est.transform(test)
    n_fine = fine.transform(test).shape[1]
    assert est.coarse_factor_ == 4
    assert got.shape == (3, n_fine + coarse.transform(
        [_reference_block_means(x, 4) for x in test]).shape[1])
    np.testing.assert_allclose(got[:, :n_fine], fine.transform(test), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got[:, n_fine:], coarse.transform(
        [_reference_block_means(x, 4) for x in test]), rtol=1e-9, atol=1e-10)
    names = est.get_feature_names_out()
    assert len(names) == got.shape[1]
    directions = ("coarse4_fwd_", "coarse4_bwd_") if bidirectional else ("coarse4_fwd_",)
    assert all(n.startswith(directions) for n in names[n_fine:])
    assert any(n.startswith(directions[-1]) for n in names[n_fine:])
    assert not any(n.startswith("coarse") for n in names[:n_fine])


def test_coarse_statistics_come_from_the_training_series_only():
    train, other = _ragged(4, [80] * 6), [x * 5 + 3 for x in _ragged(5, [80] * 6)]
    est = ReservoirTransformer(n_reservoir=20, coarse_factor=8, random_state=0).fit(train)
    means = np.concatenate([_reference_block_means(x, 8) for x in train])
    np.testing.assert_allclose(est._coarse.input_mean_[0], means.mean(), rtol=1e-12)
    np.testing.assert_allclose(est._coarse.input_scale_[0], means.std(), rtol=1e-12)
    before = {k: v.copy() for k, v in vars(est._coarse).items() if k.endswith("_")
              and isinstance(v, np.ndarray)}
    first = est.transform(other)
    for name, value in before.items():
        np.testing.assert_array_equal(getattr(est._coarse, name), value)
    refit = ReservoirTransformer(n_reservoir=20, coarse_factor=8, random_state=0).fit(other)
    assert not np.allclose(first, refit.transform(other))


@pytest.mark.parametrize("channels, length, expected", [
    (1, COARSE_MIN_STEPS, COARSE_FACTOR),
    (1, COARSE_MIN_STEPS - 1, None),
    (3, 100, COARSE_FACTOR),  # long multivariate: rich features
    (3, 30, None),            # short multivariate: plain features
])
def test_auto_coarse_factor(channels, length, expected):
    X = np.random.RandomState(0).normal(size=(4, length, channels))
    est = ReservoirTransformer(n_reservoir=10, random_state=0).fit(X)
    assert est.coarse_factor_ == expected
    assert any(n.startswith("coarse") for n in est.get_feature_names_out()) == bool(expected)


def test_auto_adds_no_coarse_pass_to_an_aggregation_the_user_chose():
    X = np.random.RandomState(0).normal(size=(4, 100))
    chosen = ReservoirTransformer(n_reservoir=10, aggregation="mean", random_state=0).fit(X)
    assert chosen.coarse_factor_ is None
    assert chosen.transform(X).shape == (4, 10)
    asked = ReservoirTransformer(n_reservoir=10, aggregation="mean", coarse_factor=4,
                                 random_state=0).fit(X)
    assert asked.coarse_factor_ == 4 and asked._coarse.aggregation_ == "mean"
    assert asked.transform(X).shape == (4, 20)


def test_time_channel_refuses_an_explicit_coarse_factor_and_auto_skips_it():
    X = np.random.RandomState(0).uniform(0.5, 1.5, size=(4, 80, 2))
    est = ReservoirTransformer(n_reservoir=10, time_channel=0, random_state=0).fit(X)
    assert est.coarse_factor_ is None
    with pytest.raises(ValueError, match="coarse_factor=4 cannot be used with a time_channel"):
        ReservoirTransformer(n_reservoir=10, time_channel=0, coarse_factor=4).fit(X)


def test_float32_stays_float32_through_the_coarse_pass():
    X = np.stack(_ragged(6, [70] * 5)).astype(np.float32)
    est = ReservoirTransformer(n_reservoir=20, random_state=0).fit(X)
    assert est.coarse_factor_ == COARSE_FACTOR
    out = est.transform(X)
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, est.transform(X.astype(np.float64)), rtol=1e-3, atol=1e-3)


def _weighted_design(model, X):
    """Standardised features with the coarse columns times COARSE_WEIGHT (and
    a regressor's input profile, the last columns, times the first of
    PROFILE_WEIGHTS: the one a given alpha takes)."""
    F = model.reservoir_.transform(X)
    n_coarse = model.reservoir_._coarse._n_features_out
    k = model.reservoir_.profile_points_
    n_profile = 0 if k is None else k
    w = np.r_[np.ones(F.shape[1] - n_coarse - n_profile), np.full(n_coarse, COARSE_WEIGHT),
              np.full(n_profile, PROFILE_WEIGHTS[0])]
    mean, scale = F.mean(axis=0), F.std(axis=0)
    scale[scale < 1e-12] = 1.0
    return (F - mean) / scale * w, mean, scale / w


def test_ridge_readout_penalises_coarse_features_more():
    """coef_ equals a plain ridge on the standardised features with the coarse
    columns scaled by COARSE_WEIGHT (their penalty 1 / COARSE_WEIGHT**2 times)."""
    X, y = _ragged(7, [24] * 30), np.random.RandomState(8).normal(size=30)
    model = LNNRegressor(n_reservoir=15, coarse_factor=3, alpha=2.0, random_state=0).fit(X, y)
    Z, mean, scale = _weighted_design(model, X)
    beta = np.linalg.solve(Z.T @ Z + 2.0 * np.eye(Z.shape[1]), Z.T @ (y - y.mean()))
    coef = beta / scale
    np.testing.assert_allclose(model.coef_, coef, rtol=1e-7, atol=1e-9 * np.abs(coef).max())
    np.testing.assert_allclose(model.intercept_, y.mean() - mean @ coef, rtol=1e-7)
    plain = LNNRegressor(n_reservoir=15, coarse_factor=3, alpha=2.0, random_state=0)
    plain._feature_weights = lambda: None  # the same model, every feature weighing 1
    assert not np.allclose(plain.fit(X, y).coef_, model.coef_)


def test_logistic_readout_weights_coarse_features_the_same_way():
    X = _ragged(9, [24] * 40)
    y = np.array([x[-1, 0] > x[0, 0] for x in X]).astype(int)
    model = LNNClassifier(n_reservoir=15, coarse_factor=3, readout="logistic",
                          random_state=0).fit(X, y)
    Z, mean, scale = _weighted_design(model, X)
    with warnings.catch_warnings():  # scikit-learn < 1.7 with SciPy >= 1.16
        warnings.filterwarnings("ignore", message=".*`disp` and `iprint` options",
                                category=DeprecationWarning)
        ref = LogisticRegression(C=1.0, tol=1e-10, max_iter=10_000).fit(Z, y)
    coef = ref.coef_.T / scale[:, None]
    np.testing.assert_allclose(model.coef_, coef, rtol=1e-4, atol=1e-6 * np.abs(coef).max())


def test_partial_fit_fits_the_coarse_pass_on_the_first_chunk():
    X, y = _ragged(10, [72] * 20), np.arange(20) % 2
    online = LNNClassifier(n_reservoir=15, random_state=0)
    online.partial_fit(X[:10], y[:10], classes=[0, 1]).partial_fit(X[10:], y[10:])
    first = LNNClassifier(n_reservoir=15, random_state=0).fit(X[:10], y[:10])
    assert online.reservoir_.coarse_factor_ == COARSE_FACTOR
    np.testing.assert_array_equal(online.reservoir_._coarse.input_mean_,
                                  first.reservoir_._coarse.input_mean_)


def test_grid_search_over_the_coarse_factor():
    rng = np.random.RandomState(11)
    X = np.cumsum(rng.normal(size=(24, 64)), axis=1)
    y = (X[:, ::8].std(axis=1) > np.median(X[:, ::8].std(axis=1))).astype(int)
    search = GridSearchCV(LNNClassifier(n_reservoir=15, random_state=0),
                          {"coarse_factor": [None, 4, 8]}, cv=2).fit(X, y)
    assert search.best_params_["coarse_factor"] in (None, 4, 8)
    assert len(search.cv_results_["mean_test_score"]) == 3


def test_a_model_with_a_coarse_pass_survives_pickle():
    import pickle

    X, y = _ragged(12, [70] * 12), np.arange(12) % 2
    model = LNNClassifier(n_reservoir=15, random_state=0).fit(X, y)
    assert model.reservoir_.coarse_factor_ == COARSE_FACTOR
    loaded = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(loaded.decision_function(X), model.decision_function(X))
    assert loaded.reservoir_._coarse.get_params() == model.reservoir_._coarse.get_params()
