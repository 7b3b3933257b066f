"""Features that need statistics of the states on training data.

Two aggregation parts read a sequence's states against statistics fitted on
training sequences (``fit_state_statistics``):

* ``ppv``: for each unit and each of the thresholds at the 0.25, 0.5 and 0.75
  quantiles of that unit's training states, the proportion of the steps after
  the washout on which the state lies above the threshold;
* ``model`` (reservoir model space, Bianchi et al. 2020): the states after the
  washout are projected on the ``MODEL_COMPONENTS`` leading principal
  components of the training states, ``z_t = (h_t - mean) C``; the sequence's
  features are the ridge map ``z_{t+1} ~ z_t W + c`` fitted on its own
  consecutive pairs, ``W`` flattened row by row, then ``c``. The ridge penalty
  is ``MODEL_ALPHA`` times the mean variance of the components over the
  sequence (scale-free; at least ``FLOOR`` times their mean square), the
  intercept is not penalised. With fewer than two pairs, ``W = 0`` and ``c``
  is the mean next state (0 without pairs).

All functions are pure; :class:`ModelSpace` accumulates the sufficient
statistics of a block of sequences step by step inside the engine and solves
all their ridge problems at once.
"""

from dataclasses import dataclass

import numpy as np

#: Quantiles of each unit's training states used as PPV thresholds.
PPV_QUANTILES = (0.25, 0.5, 0.75)

#: Principal components the model-space part projects the states on.
MODEL_COMPONENTS = 50

#: Ridge penalty of the per-sequence maps, relative to the mean variance of
#: the projected states over the sequence.
MODEL_ALPHA = 0.1

#: Least ridge penalty, relative to the mean square of the projected states
#: (a sequence whose states do not move still gets a well-posed map).
FLOOR = 1e-8

#: Training states at most used to fit the thresholds and the components.
SAMPLE_ROWS = 10_000

#: Steps buffered before a block's model-space statistics are updated.
FLUSH_STEPS = 64


@dataclass(frozen=True)
class StateStatistics:
    """Fitted statistics of one pass: PPV thresholds (len(PPV_QUANTILES), n),
    state mean (n,) and principal components (n, m); unused ones are None."""

    thresholds: np.ndarray = None
    mean: np.ndarray = None
    components: np.ndarray = None


def model_components(n_units):
    """Components of the model space for a reservoir of `n_units`."""
    return min(MODEL_COMPONENTS, n_units)


def sample_indices(lengths, washout, max_rows=SAMPLE_ROWS):
    """Sequences whose states the statistics are fitted on: evenly spaced over
    the training set, as many as give at most `max_rows` steps after the
    washout (at least one)."""
    order = np.arange(len(lengths))
    steps = (lengths - washout).astype(float)
    n = max(1, min(len(order), int(max_rows // max(steps.mean(), 1.0))))
    return order[np.linspace(0, len(order) - 1, n).round().astype(int)]


def weighted_quantiles(values, weights, quantiles):
    """Per-column thresholds at the `quantiles` of `values` (rows, n) with row
    `weights`: the midpoint between the smallest value whose weighted CDF
    reaches q and the next larger value (that value itself when it is the
    largest). Integer weights give exactly the thresholds of repeated rows,
    and a threshold never equals a state it was fitted on (unless the
    largest), so rounding cannot flip a training state across it."""
    order = np.argsort(values, axis=0, kind="stable")
    ranked = np.take_along_axis(values, order, axis=0)
    counted = weights[order] > 0  # rows that weigh nothing are not there
    cdf = np.cumsum(weights[order], axis=0)
    cols = np.arange(values.shape[1])
    out = []
    for q in quantiles:
        index = np.minimum((cdf < q * cdf[-1]).sum(axis=0), len(values) - 1)
        value = ranked[index, cols]
        above = np.where((ranked > value) & counted, ranked, np.inf).min(axis=0)
        out.append(np.where(np.isfinite(above), (value + above) / 2, value))
    return np.array(out)


def fit_state_statistics(states, weights, *, ppv, model):
    """Statistics of the pooled per-step `states` (rows, n), each row weighing
    its sequence's entry of `weights` (rows,): thresholds are the per-unit
    weighted quantiles, components the leading eigenvectors of the weighted
    covariance (signs fixed: largest entry positive)."""
    pooled = np.asarray(states, dtype=np.float64)
    thresholds = mean = components = None
    if ppv:
        thresholds = weighted_quantiles(pooled, weights, PPV_QUANTILES)
    if model:
        mean = weights @ pooled / weights.sum()
        centred = pooled - mean
        _, vectors = np.linalg.eigh(centred.T @ (centred * weights[:, None]))
        components = vectors[:, ::-1][:, : model_components(pooled.shape[1])]
        biggest = np.abs(components).argmax(axis=0)
        components = components * np.sign(components[biggest, np.arange(components.shape[1])])
    return StateStatistics(thresholds, mean, components)


class PPV:
    """Running proportion of steps above each threshold, for a block."""

    def __init__(self, thresholds, lens, washout, dtype):
        self.thresholds = thresholds.astype(dtype)
        self.lens, self.washout = lens, washout
        self.counts = np.zeros((lens.size, len(thresholds), thresholds.shape[1]), dtype)

    def step(self, t, k, V):
        if t >= self.washout:
            for j, threshold in enumerate(self.thresholds):
                self.counts[:k, j] += V > threshold

    def result(self):
        steps = (self.lens - self.washout).astype(self.counts.dtype)
        return (self.counts / steps[:, None, None]).reshape(self.lens.size, -1)


class ModelSpace:
    """Sufficient statistics of each sequence's next-state ridge map.

    Projected states are buffered for ``FLUSH_STEPS`` steps (zeros where a
    sequence is finished or in its washout), then the buffer's products are
    added with batched matrix products. A buffer row 0 carries the last
    projected step of the previous flush, so pairs across flushes count.
    """

    def __init__(self, stats, lens, washout, dtype):
        self.lens, self.washout = lens, washout
        C = stats.components
        self.C, self.offset = C.astype(dtype), (stats.mean @ C).astype(dtype)
        b, m = lens.size, C.shape[1]
        self.buffer = np.zeros((FLUSH_STEPS + 1, b, m))
        self.rows = 0  # buffered rows after the carried one
        self.total = np.zeros((b, m))
        self.outer = np.zeros((b, m, m))
        self.cross = np.zeros((b, m, m))
        self.first = np.zeros((b, m))
        self.last = np.zeros((b, m))

    def step(self, t, k, k_next, V):
        if t < self.washout:
            return
        self.rows += 1
        row = self.buffer[self.rows, :k]
        np.matmul(V, self.C, out=row)
        row -= self.offset
        if t == self.washout:
            self.first[:k] = row
        if k_next < k:
            self.last[k_next:k] = row[k_next:]
        if self.rows == FLUSH_STEPS:
            self.flush()

    def flush(self):
        r = self.rows
        if r == 0:
            return
        A = self.buffer[: r + 1].transpose(1, 0, 2)  # (b, r + 1, m)
        new = A[:, 1:]
        self.total += new.sum(axis=1)
        self.outer += np.matmul(new.transpose(0, 2, 1), new)
        self.cross += np.matmul(A[:, :-1].transpose(0, 2, 1), new)
        self.buffer[0] = self.buffer[r]
        self.buffer[1:] = 0.0
        self.rows = 0

    def result(self):
        self.flush()
        pairs = self.lens - self.washout - 1
        return model_space_features(
            self.outer - self.last[:, :, None] * self.last[:, None, :],
            self.cross, self.total - self.last, self.total - self.first, pairs)


def model_space_features(outer, cross, sum_x, sum_y, pairs):
    """Rows ``[W.ravel(), c]`` of the ridge maps ``y ~ x W + c`` from the sums
    over each sequence's `pairs` (x, y): ``outer`` = sum x x^T, ``cross`` =
    sum x y^T (b, m, m), ``sum_x``, ``sum_y`` (b, m)."""
    b, m = sum_x.shape
    count = np.maximum(pairs, 1).astype(float)[:, None]
    mean_x, mean_y = sum_x / count, sum_y / count
    Cxx = outer - count[:, :, None] * mean_x[:, :, None] * mean_x[:, None, :]
    Cxy = cross - count[:, :, None] * mean_x[:, :, None] * mean_y[:, None, :]
    penalty = np.maximum(MODEL_ALPHA * np.trace(Cxx, axis1=1, axis2=2) / m,
                         FLOOR * np.trace(outer, axis1=1, axis2=2) / m)
    Cxx[:, np.arange(m), np.arange(m)] += np.maximum(penalty, np.finfo(float).tiny)[:, None]
    W = np.linalg.solve(Cxx, Cxy)
    W[pairs < 2] = 0.0  # one pair (or none) has no spread: the map is its mean
    c = mean_y - np.einsum("bi,bij->bj", mean_x, W)
    return np.hstack([W.reshape(b, m * m), c])
