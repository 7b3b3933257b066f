"""The running statistics of a chunked fit (``_readout._accumulator``) equal
the statistics of all rows at once, with weights and with forgetting."""

import numpy as np
import pytest

from sklearn_lnn._readout._accumulator import StatisticsAccumulator
from sklearn_lnn._readout._ridge import chunk_statistics


def _assert_same(a, b):
    assert a.count == pytest.approx(b.count, rel=1e-12)
    np.testing.assert_allclose(a.x_mean, b.x_mean, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(a.y_mean, b.y_mean, rtol=1e-10, atol=1e-12)
    gram = lambda s: s.xx if s.rows is None else s.rows.T @ s.rows  # noqa: E731
    scale = np.abs(gram(b)).max()
    np.testing.assert_allclose(gram(a), gram(b), rtol=1e-9, atol=1e-11 * scale)
    np.testing.assert_allclose(a.xy, b.xy, rtol=1e-9, atol=1e-11 * np.abs(b.xy).max())
    np.testing.assert_allclose(a.yy, b.yy, rtol=1e-10)


def _data(n, p, seed=0):
    rng = np.random.RandomState(seed)
    # a drifting mean: the first chunk's mean (the accumulator's shift) is far
    # from the overall one, so the shift correction matters
    X = rng.normal(size=(n, p)) + np.linspace(0, 8, n)[:, None] * rng.uniform(0.5, 2, p)
    Y = X[:, :2] @ [[1.0, 0.5], [-2.0, 1.0]] + rng.normal(size=(n, 2))
    return X, Y


@pytest.mark.parametrize("weighted", [False, True])
def test_chunks_equal_all_rows_at_once(weighted):
    X, Y = _data(600, 5)
    w = np.random.RandomState(1).uniform(0.2, 3, len(X)) if weighted else None
    acc = StatisticsAccumulator()
    for start in range(0, 600, 70):
        rows = slice(start, start + 70)
        acc.add(X[rows], Y[rows], None if w is None else w[rows])
    _assert_same(acc.statistics(), chunk_statistics(X, Y, w))


@pytest.mark.parametrize("p", [5, 120])  # sums, and rows kept while fewer than features
def test_decay_shrinks_everything_already_added(p):
    """``add(..., decay=f)`` first multiplies every earlier row's weight by f:
    the count, the means' weights and the cross-products alike."""
    X, Y = _data(200, p)
    sizes, factor = [40, 60, 30, 70], 0.9
    acc = StatisticsAccumulator()
    weights, start = np.ones(len(X)), 0
    for size in sizes:
        rows = slice(start, start + size)
        acc.add(X[rows], Y[rows], decay=factor)
        weights[:start] *= factor
        start += size
    _assert_same(acc.statistics(), chunk_statistics(X, Y, weights))
