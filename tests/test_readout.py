"""The ridge readout against scikit-learn's Ridge and a brute-force GCV."""

import numpy as np
import pytest
from sklearn.linear_model import Ridge
from sklearn.preprocessing import StandardScaler

from sklearn_lnn._readout._gcv import AUTO_ALPHAS
from sklearn_lnn._readout._ridge import fit_ridge


def _data(rng, n, p, t=2):
    X = rng.normal(size=(n, p)) * rng.uniform(0.1, 10, size=p) + rng.normal(size=p)
    Y = X[:, :3] @ rng.normal(size=(3, t)) + rng.normal(scale=0.5, size=(n, t))
    return X, Y


@pytest.mark.parametrize("n, p", [(80, 20), (20, 80)], ids=["primal", "dual"])
@pytest.mark.parametrize("weighted", [False, True])
def test_fixed_alpha_matches_sklearn_ridge_on_standardised_features(rng, n, p, weighted):
    X, Y = _data(rng, n, p)
    w = rng.uniform(0.5, 2, size=n) if weighted else None
    coef, intercept, alpha = fit_ridge(X, Y, w, alpha=3.0)
    scaler = StandardScaler().fit(X, sample_weight=w)
    ref = Ridge(alpha=3.0).fit(scaler.transform(X), Y, sample_weight=w)
    np.testing.assert_allclose(X @ coef + intercept, ref.predict(scaler.transform(X)),
                               rtol=1e-8, atol=1e-8)
    assert alpha == 3.0


def _brute_force_gcv(X, Y, alpha):
    Z = StandardScaler().fit_transform(X)
    Z = np.column_stack([Z, np.ones(len(Z))])
    penalty = alpha * np.eye(Z.shape[1])
    penalty[-1, -1] = 0.0  # the intercept is not penalised
    H = Z @ np.linalg.solve(Z.T @ Z + penalty, Z.T)
    rss = ((Y - H @ Y) ** 2).sum()
    return rss / (1 - np.trace(H) / len(X)) ** 2


@pytest.mark.parametrize("n, p", [(80, 20), (40, 60)], ids=["primal", "dual"])
def test_auto_alpha_minimises_generalised_cross_validation(rng, n, p):
    X, Y = _data(rng, n, p)
    _, _, alpha = fit_ridge(X, Y, alpha="auto")
    scores = [_brute_force_gcv(X, Y, a) if a > 1e-2 else np.inf for a in AUTO_ALPHAS]
    valid = [a for a in AUTO_ALPHAS if a > 1e-2]
    assert alpha == valid[int(np.argmin([s for s in scores if np.isfinite(s)]))]


def test_integer_weights_equal_repeated_rows(rng):
    X, Y = _data(rng, 30, 50)
    w = rng.randint(0, 4, size=30)
    weighted = fit_ridge(X, Y, w, alpha="auto")
    repeated = fit_ridge(np.repeat(X, w, axis=0), np.repeat(Y, w, axis=0), alpha="auto")
    assert weighted[2] == repeated[2]
    np.testing.assert_allclose(weighted[0], repeated[0], rtol=1e-6, atol=1e-9)


def test_constant_feature_and_zero_alpha_are_finite(rng):
    X, Y = _data(rng, 10, 30)
    X[:, 5] = 4.0
    coef, intercept, _ = fit_ridge(X, Y, alpha=0.0)
    assert np.isfinite(coef).all() and np.isfinite(intercept).all()


@pytest.mark.parametrize("alpha", ["auto", 2.0, 0.0])
def test_chunked_statistics_give_the_one_shot_fit(rng, alpha):
    from sklearn_lnn._readout._ridge import chunk_statistics, merge_statistics, solve_statistics

    X, Y = _data(rng, 300, 40)
    w = rng.uniform(0.5, 2, size=300)
    expected = fit_ridge(X, Y, w, alpha)
    stats = None
    for idx in np.array_split(rng.permutation(300), 7):
        stats = merge_statistics(stats, chunk_statistics(X[idx], Y[idx], w[idx]))
    coef, intercept, chosen = solve_statistics(stats, alpha)
    assert chosen == expected[2]
    np.testing.assert_allclose(coef, expected[0], rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(intercept, expected[1], rtol=1e-9, atol=1e-12)


def test_gcv_widens_the_grid_from_an_edge(rng):
    """Nearly noise-free targets: the optimum lies below the grid; "auto" follows it
    down a decade at a time and the fit is better than at the grid's edge."""
    X = rng.normal(size=(200, 10))
    Y = X @ rng.normal(size=(10, 1)) + rng.normal(scale=1e-3, size=(200, 1))
    coef, intercept, alpha = fit_ridge(X, Y, alpha="auto")
    assert alpha < AUTO_ALPHAS[0]
    edge = fit_ridge(X, Y, alpha=AUTO_ALPHAS[0])
    assert (np.abs(X @ coef + intercept - Y).max()
            < np.abs(X @ edge[0] + edge[1] - Y).max())


# -- fewer rows than features: the statistics keep the rows -------------------------


def _dense(stats):
    """The same statistics with ``xx`` formed (the plain representation)."""
    from sklearn_lnn._readout._ridge import RidgeStatistics, _gram
    return RidgeStatistics(stats.count, stats.x_mean, stats.y_mean, _gram(stats),
                           stats.xy, stats.yy, stats.x_unit)


@pytest.mark.parametrize("weighted", [False, True])
def test_wide_statistics_keep_rows_and_solve_as_dense(weighted):
    from sklearn_lnn._readout._accumulator import StatisticsAccumulator
    from sklearn_lnn._readout._ridge import (chunk_statistics, merge_statistics,
                                      scale_statistics, solve_statistics)
    rng = np.random.RandomState(0)
    X, Y = rng.normal(size=(30, 80)), rng.normal(size=(30, 2))
    w = rng.uniform(0.5, 2.0, size=30) if weighted else None
    stats = chunk_statistics(X, Y, w)
    assert stats.xx is None and stats.rows.shape == (30, 80)
    coef, intercept, alpha = fit_ridge(X, Y, w)
    for got in (solve_statistics(stats), solve_statistics(_dense(stats))):
        np.testing.assert_allclose(got[0], coef, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(got[1], intercept, rtol=1e-8, atol=1e-10)
        assert got[2] == alpha
    # merged and forgotten chunks stay rows while they are fewer than features
    a = chunk_statistics(X[:12], Y[:12], None if w is None else w[:12])
    b = chunk_statistics(X[12:], Y[12:], None if w is None else w[12:])
    merged = merge_statistics(scale_statistics(a, 0.7), b)
    assert merged.rows is not None
    dense = merge_statistics(scale_statistics(_dense(a), 0.7), _dense(b))
    for got, want in zip(solve_statistics(merged, alpha=1.0),
                         solve_statistics(dense, alpha=1.0)):
        np.testing.assert_allclose(got, want, rtol=1e-8, atol=1e-10)
    # the accumulator keeps rows, then switches to sums at as many rows as features
    acc = StatisticsAccumulator()
    acc.add(X, Y, w)
    assert acc.statistics().rows is not None
    many = rng.normal(size=(60, 80))
    acc.add(many, rng.normal(size=(60, 2)), None if w is None else np.ones(60), decay=0.9)
    assert acc.statistics().rows is None


@pytest.mark.parametrize("rank_deficient", [False, True])
def test_an_explicit_alpha_solves_by_one_linear_solve_as_by_the_spectrum(rng, rank_deficient,
                                                                          monkeypatch):
    """The linear-solve shortcut for a user's alpha gives the spectrum's plain
    ridge; where rounding makes G + alpha I indefinite it steps aside."""
    from sklearn_lnn._readout import _ridge as _readout
    from sklearn_lnn._readout._ridge import (chunk_statistics, solve_statistics, spectrum_solution,
                                      statistics_spectrum)

    X = rng.normal(size=(300, 40))
    if rank_deficient:  # duplicated columns: exact null directions of the Gram
        X[:, 20:] = X[:, :20]
    stats = chunk_statistics(X, (X[:, :3] @ [1.0, -2.0, 0.5] + rng.normal(size=300))[:, None])
    for alpha in (1e-3, 1.0, 1e3):
        coef, intercept, chosen = solve_statistics(stats, alpha)
        ref_coef, ref_intercept = spectrum_solution(stats, statistics_spectrum(stats), alpha,
                                                    plain=True)
        assert chosen == alpha
        np.testing.assert_allclose(coef, ref_coef, rtol=1e-8, atol=1e-10)
        np.testing.assert_allclose(intercept, ref_intercept, rtol=1e-8, atol=1e-10)
    # an alpha below the rounding of the null directions: the spectrum solves
    tiny = 1e-300
    if rank_deficient and _readout._cholesky_solution(stats, tiny) is None:
        coef, _, _ = solve_statistics(stats, tiny)
        ref, _ = spectrum_solution(stats, statistics_spectrum(stats), tiny, plain=True)
        np.testing.assert_array_equal(coef, ref)

    # whenever the Cholesky check refuses, the spectrum's answer is returned
    def indefinite(a):
        raise np.linalg.LinAlgError("not positive definite")

    monkeypatch.setattr(np.linalg, "cholesky", indefinite)
    coef, _, _ = solve_statistics(stats, 1.0)
    ref, _ = spectrum_solution(stats, statistics_spectrum(stats), 1.0, plain=True)
    np.testing.assert_array_equal(coef, ref)


def test_a_small_explicit_alpha_is_a_plain_ridge_on_every_direction(rng):
    """An explicit alpha far below the largest eigenvalue is honoured: the
    solution is (G + alpha I)^-1 X^T y on the standardised features, with no
    hidden cut-off of the small directions (there was one at 1e-10 of the
    largest eigenvalue, which made every alpha below it give the same fit)."""
    from sklearn_lnn._readout._ridge import (chunk_statistics, solve_statistics, spectrum_solution,
                                      statistics_spectrum)

    n, p = 400, 30
    # singular values from 1 down to 3e-6: eigenvalues of the Gram down to 1e-11
    Q, _ = np.linalg.qr(rng.normal(size=(n, p)))
    V, _ = np.linalg.qr(rng.normal(size=(p, p)))
    X = (Q * np.logspace(0, -5.5, p)) @ V.T + rng.normal(size=p)
    y = X @ rng.normal(size=p) + 1e-7 * rng.normal(size=n)
    Xs = (X - X.mean(0)) / X.std(0)
    U, S, Vt = np.linalg.svd(Xs, full_matrices=False)
    for alpha in (1e-6, 1e-9):
        expected = Vt.T @ (S / (S**2 + alpha) * (U.T @ (y - y.mean())))
        stats = chunk_statistics(X, y[:, None])
        coef, _, chosen = solve_statistics(stats, alpha)
        assert chosen == alpha
        # the same plain ridge from the spectrum (the fallback) and from fit_ridge
        from_spectrum, _ = spectrum_solution(stats, statistics_spectrum(stats), alpha,
                                             plain=True)
        direct, _, _ = fit_ridge(X, y[:, None], alpha=alpha)
        for c in (coef, from_spectrum, direct):
            error = np.linalg.norm(c[:, 0] * X.std(0) - expected) / np.linalg.norm(expected)
            assert error < 1e-4, (alpha, error)
