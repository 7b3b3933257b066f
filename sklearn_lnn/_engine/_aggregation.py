"""How a sequence's per-step vectors (states or inputs) become one feature row.

An aggregation is a string of parts joined by "_", in feature order:

* ``last``: the final vector;
* ``mean``: the mean over the steps after the washout;
* ``max``: the elementwise maximum over the steps after the washout;
* ``points<k>`` (2 <= k <= 100): the vectors at k evenly spaced steps after
  the washout, the last of them the final step;
* ``ppv`` and ``model`` (reservoir states only; statistics fitted on training
  states, see ``_state_features``): proportions of steps above per-unit
  thresholds, and the sequence's own next-state ridge map.

For example ``"last_mean"``, ``"mean_max"``, ``"points4"`` or
``"last_mean_max_ppv_model"``.
"""

import re

import numpy as np

from ._state_features import PPV, PPV_QUANTILES, ModelSpace

_POINTS = re.compile(r"points(\d+)$")

#: Parts that read the states against fitted statistics (not the inputs).
STATE_PARTS = ("ppv", "model")


def parse_aggregation(spec, state_parts=True):
    """Tuple of parts: "last", "mean", "max", ("points", k) and, with
    `state_parts`, "ppv" and "model"; ValueError if invalid."""
    parts = []
    names = ("last", "mean", "max") + (STATE_PARTS if state_parts else ())
    for token in str(spec).split("_"):
        match = _POINTS.match(token)
        if token in names:
            part = token
        elif match and 2 <= int(match.group(1)) <= 100:
            part = ("points", int(match.group(1)))
        else:
            extra = ", 'ppv', 'model'" if state_parts else ""
            raise ValueError(
                f"aggregation={spec!r} is not valid: use parts 'last', 'mean', "
                f"'max', 'points<k>' (2 <= k <= 100){extra} joined by '_', for "
                "example 'last_mean', 'mean_max' or 'points4'."
            )
        if part in parts:
            raise ValueError(f"aggregation={spec!r} repeats the part {token!r}.")
        parts.append(part)
    return tuple(parts)


#: ``aggregation="auto"``: the rich aggregation for univariate series and for
#: sequences of at least ``RICH_MIN_STEPS`` steps (median), where the last and
#: mean states miss most of what a series carries; the plain one for short
#: multivariate sequences, where it is as accurate and several times cheaper
#: (measured in benchmarks/accuracy.py, documented in the README). The rich
#: aggregation of long sequences leaves out the last state: one step of
#: hundreds, it adds strongly correlated columns that carry little of the
#: class and steer the readout (PigCVP, 2,000 steps: 0.48 with it vs 0.78
#: without at spectral radius 0.5, 0.914 vs 0.923 at the defaults). Above
#: ``MODEL_MAX_SEQUENCES`` training sequences the rich aggregation leaves out
#: the model space: with its 2,550 features the readout's statistics would
#: pass a quarter of a GB and its solve take tens of seconds.
RICH, PLAIN = "last_mean_max_ppv_model", "last_mean"
RICH_MIN_STEPS = 50
MODEL_MAX_SEQUENCES = 2000

#: Short univariate series (up to ``MODEL_MAX_SEQUENCES`` of them): the rich
#: aggregation takes the states at one step in every ``POINT_SPACING``
#: (``"points<k>"``, k = median length / POINT_SPACING, at least 2; the last
#: of them the final state) instead of the final state alone: where in a short
#: series something happens is part of its class. ItalyPowerDemand (24
#: steps), three seeds: final state 0.952, points4 0.950, points6 0.959,
#: points8 0.957, points12 0.958; after the benchmark's GridSearchCV 0.934
#: -> 0.968. Long series keep no positional part (points6 on ArrowHead 0.842
#: -> 0.831, GunPoint 1.0 -> 0.991).
POINT_SPACING = 4


def _long(lengths):
    return float(np.median(lengths)) >= RICH_MIN_STEPS


def rich_default(n_channels, lengths):
    """Whether "auto" picks the rich features for sequences of `n_channels`
    input channels and these `lengths`."""
    return n_channels == 1 or _long(lengths)


def auto_aggregation(rich, lengths, model=True):
    """What ``aggregation="auto"`` means for training sequences of these
    `lengths` (`rich` from ``rich_default``); without the model space unless
    `model` (``LNNRegressor``: see ``_profile``)."""
    if not rich:
        return PLAIN
    parts = RICH.split("_")
    many = len(lengths) > MODEL_MAX_SEQUENCES
    if _long(lengths):
        parts.remove("last")
    elif not many:
        k = max(2, round(float(np.median(lengths)) / POINT_SPACING))
        parts[parts.index("last")] = f"points{k}"
    if many or not model:
        parts.remove("model")
    return "_".join(parts)


def width(parts):
    """Number of vectors per sequence that the positional `parts` produce
    (the state parts "ppv" and "model" are not counted)."""
    return sum(p[1] if isinstance(p, tuple) else 1 for p in parts
               if p not in STATE_PARTS)


def positional(parts):
    """`parts` without the state parts: what the inputs are aggregated by."""
    return tuple(p for p in parts if p not in STATE_PARTS)


def _labels(part):
    """Name labels of a positional aggregation part."""
    if isinstance(part, tuple):
        return [f"point{j}of{part[1]}" for j in range(1, part[1] + 1)]
    return [part]


def feature_names(parts, direction, n_units, n_components, input_channels):
    """Column names of one pass: ``{direction}_{part}_{unit}`` for the states
    (``ppv25``.., ``model_{i}to{j}``, ``model_intercept_{j}``), then
    ``{direction}_input_{part}_{channel}`` for each of `input_channels`."""
    units, m = range(n_units), range(n_components)
    names = []
    for part in parts:
        if part == "ppv":
            names += [f"{direction}_ppv{round(100 * q)}_{i}"
                      for q in PPV_QUANTILES for i in units]
        elif part == "model":
            names += [f"{direction}_model_{i}to{j}" for i in m for j in m]
            names += [f"{direction}_model_intercept_{j}" for j in m]
        else:
            names += [f"{direction}_{label}_{i}" for label in _labels(part) for i in units]
    return names + [f"{direction}_input_{label}_{c}" for part in positional(parts)
                    for label in _labels(part) for c in input_channels]


def n_features(parts, dim, n_components):
    """Features per sequence from `dim`-vectors (states: `n_components` > 0
    principal components of the model space)."""
    out = width(parts) * dim
    if "ppv" in parts:
        out += len(PPV_QUANTILES) * dim
    if "model" in parts:
        out += n_components * (n_components + 1)
    return out


def sample_steps(lengths, washout, k):
    """(n, k) step indices of k evenly spaced points in [washout, length)."""
    span = (lengths - washout)[:, None]
    j = np.arange(1, k + 1)[None, :]
    return washout + (-(-j * span // k)) - 1  # ceil(j * span / k) - 1


class Aggregator:
    """Running aggregation of one block of sequences (sorted by decreasing length).

    Call ``step(t, k, k_next, V)`` after every step with the (k, dim) vectors
    of the k sequences still running; ``result()`` gives the (block,
    n_features) rows, parts in order. The state parts need `stats` (a
    ``StateStatistics``).
    """

    def __init__(self, parts, lens, washout, dim, dtype, stats=None):
        self.parts, self.lens, self.washout = parts, lens, washout
        b = lens.size
        self.ppv = PPV(stats.thresholds, lens, washout, dtype) if "ppv" in parts else None
        self.model = ModelSpace(stats, lens, washout, dtype) if "model" in parts else None
        self.last = np.empty((b, dim), dtype)
        self.total = np.zeros((b, dim), dtype) if "mean" in parts else None
        self.max = np.full((b, dim), -np.inf, dtype) if "max" in parts else None
        points = [p for p in parts if isinstance(p, tuple)]
        if points:
            self.points_k = points[0][1]
            self.steps = sample_steps(lens, washout, self.points_k)
            self.points = np.empty((b, self.points_k, dim), dtype)
        else:
            self.points_k = 0

    def step(self, t, k, k_next, V):
        if t >= self.washout:
            if self.total is not None:
                self.total[:k] += V
            if self.max is not None:
                np.maximum(self.max[:k], V, out=self.max[:k])
            if self.points_k:
                rows, cols = np.nonzero(self.steps[:k] == t)
                if rows.size:
                    self.points[rows, cols] = V[rows]
        if k_next < k:
            self.last[k_next:k] = V[k_next:]
        if self.ppv is not None:
            self.ppv.step(t, k, V)
        if self.model is not None:
            self.model.step(t, k, k_next, V)

    def result(self):
        b, blocks = self.lens.size, []
        for part in self.parts:
            if part == "last":
                blocks.append(self.last)
            elif part == "mean":
                count = (self.lens - self.washout).astype(self.total.dtype)
                blocks.append(self.total / count[:, None])
            elif part == "max":
                blocks.append(self.max)
            elif part == "ppv":
                blocks.append(self.ppv.result())
            elif part == "model":
                blocks.append(self.model.result().astype(self.last.dtype))
            else:
                blocks.append(self.points.reshape(b, -1))
        return np.hstack(blocks)


def aggregate_steps(V, washout, parts):
    """One row (width(parts) * dim,) from the per-step vectors V (n_steps, dim)
    of one sequence; the plain counterpart of :class:`Aggregator`."""
    after = V[washout:]
    out = []
    for part in parts:
        if part == "last":
            out.append(V[-1])
        elif part == "mean":
            out.append(after.mean(axis=0))
        elif part == "max":
            out.append(after.max(axis=0))
        else:
            steps = sample_steps(np.array([len(V)]), washout, part[1])[0]
            out.extend(V[steps])
    return np.concatenate(out)
