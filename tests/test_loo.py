"""The penalty of the sequence estimators judged by exact leave-one-out.

Where the readout keeps its rows (fewer sequences than features), alpha="auto"
is chosen by the exact leave-one-out error (``_gcv.loo_alpha``), not by GCV,
which gives every row the mean leverage: on Covid3Month a few series far
larger than the rest made GCV choose 1e-3 and the regressor score 1.64 times
the target's standard deviation. References: explicit refits with one row
left out, and scikit-learn's ``RidgeCV`` / ``RidgeClassifierCV``.
"""

import numpy as np
import pytest
from sklearn.linear_model import RidgeClassifierCV, RidgeCV

from sklearn_lnn import LNNClassifier, LNNRegressor
from sklearn_lnn._readout._classes import class_rows
from sklearn_lnn._readout._gcv import AUTO_ALPHAS, loo_error
from sklearn_lnn._readout._online import from_state
from sklearn_lnn._readout._ridge import (
    _with,
    chunk_statistics,
    merge_statistics,
    scale_statistics,
    solve_statistics,
    statistics_spectrum,
)


def _features(seed, n=30, p=80, leverage=True):
    """Rows with columns of very different scales, a few rows far out, and a
    weak signal under noise."""
    rng = np.random.RandomState(seed)
    X = rng.normal(size=(n, p)) * rng.uniform(0.1, 10, p)
    if leverage:
        X[:3] *= 20
    y = X[:, :5] @ rng.normal(size=5) * 0.05 + rng.normal(size=n)
    return X, y


def _ridge(Z, y, w, alpha):
    """Weighted ridge on `Z` with an unpenalised intercept: (coef, intercept)."""
    m, my = w @ Z / w.sum(), w @ y / w.sum()
    Zc = Z - m
    coef = np.linalg.solve((Zc.T * w) @ Zc + alpha * np.eye(Z.shape[1]),
                           Zc.T @ (w * (y - my)))
    return coef, my - m @ coef


def _standardised(X, w):
    """X divided by its weighted (population) standard deviation: the readout's
    scale, kept fixed for every left-out row as RidgeCV keeps it."""
    mean = w @ X / w.sum()
    return X / np.sqrt(w @ (X - mean) ** 2 / w.sum())


def _brute_force_loo(X, y, w, alpha):
    """Leave one unit of weight out (the whole row when its weight <= 1), refit,
    and sum the weighted squared errors of the left-out rows."""
    Z = _standardised(X, w)
    total = 0.0
    for i in np.flatnonzero(w > 0):
        rest = w.copy()
        rest[i] = max(w[i] - 1.0, 0.0)
        coef, intercept = _ridge(Z, y, rest, alpha)
        total += w[i] * (y[i] - Z[i] @ coef - intercept) ** 2
    return total


def _loo_error(stats):
    spectrum = statistics_spectrum(stats)
    return loo_error(spectrum["s2"], spectrum["basis"][1], stats.y_rows, stats.root_w)[0]


@pytest.mark.parametrize("weights", ["none", "fractional", "integer"])
def test_loo_error_equals_refits_with_a_row_left_out(weights):
    X, y = _features(0, n=25, p=60)
    rng = np.random.RandomState(1)
    w = {"none": np.ones(len(y)), "fractional": rng.uniform(0.05, 1.0, len(y)),
         "integer": rng.randint(0, 4, len(y)).astype(float)}[weights]
    error = _loo_error(chunk_statistics(X, y, w))
    for alpha in (1e-2, 1.0, 30.0, 1e4):
        expected = _brute_force_loo(X, y, w, alpha)
        np.testing.assert_allclose(error(alpha), expected, rtol=1e-8)


@pytest.mark.parametrize("seed", range(4))
def test_loo_choice_equals_ridgecv_on_the_standardised_features(seed):
    X, y = _features(seed)
    coef, intercept, alpha = solve_statistics(chunk_statistics(X, y), "auto", criterion="loo")
    Z = _standardised(X, np.ones(len(y)))
    reference = RidgeCV(alphas=AUTO_ALPHAS).fit(Z, y)
    assert alpha == reference.alpha_
    ratio = Z[0] / X[0]  # each column's 1 / standard deviation
    np.testing.assert_allclose(coef[:, 0] / ratio, reference.coef_, rtol=1e-7, atol=1e-10)


def test_gcv_and_leave_one_out_differ_on_these_rows():
    """The data of the tests above can tell the criteria apart."""
    picks = [[solve_statistics(chunk_statistics(*_features(seed)), "auto",
                               criterion=c)[2] for c in ("gcv", "loo")]
             for seed in range(4)]
    assert any(gcv != loo for gcv, loo in picks)


def test_integer_weights_choose_as_repeated_rows():
    X, y = _features(2, n=20, p=90)
    w = np.random.RandomState(3).randint(0, 4, len(y))
    weighted = solve_statistics(chunk_statistics(X, y, w.astype(float)), "auto",
                                criterion="loo")
    repeated = solve_statistics(chunk_statistics(np.repeat(X, w, axis=0), np.repeat(y, w)),
                                "auto", criterion="loo")
    assert weighted[2] == repeated[2]
    np.testing.assert_allclose(weighted[0], repeated[0], rtol=1e-8, atol=1e-12)


def test_merged_rows_are_the_rows_of_one_chunk():
    """A merge re-centres every kept row at the common mean: the rows, their
    targets and weights are those of the data in one chunk (so leave-one-out
    of a chunked or distributed fit is that of a local one)."""
    X, y = _features(4)
    w = np.random.RandomState(5).uniform(0.5, 2.0, len(y))
    whole = chunk_statistics(X, y, w)
    merged = None
    for part in np.array_split(np.arange(len(y)), 3):
        merged = merge_statistics(merged, chunk_statistics(X[part], y[part], w[part]))
    for name in ("rows", "y_rows", "root_w", "x_mean", "y_mean"):
        np.testing.assert_allclose(getattr(merged, name), getattr(whole, name),
                                   rtol=1e-10, atol=1e-12)
    assert (solve_statistics(merged, "auto", criterion="loo")[2]
            == solve_statistics(whole, "auto", criterion="loo")[2])


def test_forgetting_scales_the_rows_weights():
    X, y = _features(6, n=20, p=50)
    shrunk = scale_statistics(chunk_statistics(X, y), 0.25)
    np.testing.assert_allclose(shrunk.root_w, 0.5)
    reference = _brute_force_loo(X, y, np.full(len(y), 0.25), 3.0)
    np.testing.assert_allclose(_loo_error(shrunk)(3.0), reference, rtol=1e-8)


def test_statistics_of_an_older_version_fall_back_to_gcv():
    """Rows saved without their weights (an older version's pickles) merge
    with a mean-shift row, as they always did, and are judged by GCV."""
    X, y = _features(7)
    old = [_with(chunk_statistics(X[part], y[part]), y_rows=None, root_w=None)
           for part in (slice(0, 12), slice(12, None))]
    merged = merge_statistics(*old)
    assert merged.root_w is None and len(merged.rows) == len(y) + 1
    new = chunk_statistics(X, y)
    gcv = solve_statistics(new, "auto", criterion="gcv")
    legacy = solve_statistics(merged, "auto", criterion="loo")
    assert legacy[2] == gcv[2]
    np.testing.assert_allclose(legacy[0], gcv[0], rtol=1e-8, atol=1e-12)


def _heavy_tailed(seed, n=60):
    """Univariate series whose scales differ by orders of magnitude and a
    target that depends weakly on their shape."""
    rng = np.random.RandomState(seed)
    scale = np.exp(rng.normal(0.0, 1.5, n))
    X = np.cumsum(rng.gamma(1.0, 1.0, (n, 20)), axis=1) * scale[:, None]
    y = X[:, -1] / X[:, -1].max() + 0.5 * rng.normal(size=n)
    return X, y


def _reservoir_features(model, X):
    return model.reservoir_.transform(X)


@pytest.mark.parametrize("seed", [0, 1])  # the profile's weight 10, then 1
def test_regressor_alpha_is_ridgecv_leave_one_out(seed):
    X, y = _heavy_tailed(seed)
    model = LNNRegressor(n_reservoir=30, random_state=0).fit(X, y)
    F = _reservoir_features(model, X)
    assert F.shape[1] > len(y)  # the readout keeps its rows
    candidates = model._feature_weights()  # one per weight of the input profile
    assert isinstance(candidates, list) and len(candidates) == 2
    fits = []
    for weights in candidates:  # the readout keeps the one of least LOO error
        Z = _standardised(F, np.ones(len(y))) * weights
        keep = np.isfinite(Z).all(axis=0)  # constant features: no penalty role
        fits.append((RidgeCV(alphas=AUTO_ALPHAS).fit(Z[:, keep], y), Z[:, keep]))
    assert fits[0][0].best_score_ != fits[1][0].best_score_
    reference, Z = max(fits, key=lambda fit: fit[0].best_score_)
    assert model.alpha_ == reference.alpha_
    np.testing.assert_allclose(model.predict(X), reference.predict(Z),
                               rtol=1e-6, atol=1e-8)


def test_classifier_alpha_is_ridgeclassifiercv_leave_one_out():
    X, y = _heavy_tailed(1)
    labels = np.digitize(y, np.quantile(y, [1 / 3, 2 / 3]))
    model = LNNClassifier(n_reservoir=30, random_state=0).fit(X, labels)
    Z = _standardised(_reservoir_features(model, X), np.ones(len(y)))
    keep = np.isfinite(Z).all(axis=0)
    reference = RidgeClassifierCV(alphas=AUTO_ALPHAS).fit(Z[:, keep], labels)
    assert model.alpha_ == reference.alpha_


def test_class_rows_count_weights_as_leave_one_out_does():
    y = np.array([0, 1, 1, 2, 2])
    w = np.array([3.0, 0.5, 0.0, 0.4, 0.7])
    np.testing.assert_array_equal(class_rows(y, [0, 1, 2], w), [3.0, 1.0, 2.0])
