"""How a sequence's per-step vectors (states or inputs) become one feature row.

An aggregation is a string of parts joined by "_", in feature order:

* ``last``: the final vector;
* ``mean``: the mean over the steps after the washout;
* ``max``: the elementwise maximum over the steps after the washout;
* ``points<k>`` (2 <= k <= 100): the vectors at k evenly spaced steps after
  the washout, the last of them the final step.

For example ``"last_mean"``, ``"mean_max"`` or ``"points4"``.
"""

import re

import numpy as np

_POINTS = re.compile(r"points(\d+)$")


def parse_aggregation(spec):
    """Tuple of parts: "last", "mean", "max" or ("points", k); ValueError if invalid."""
    parts = []
    for token in str(spec).split("_"):
        match = _POINTS.match(token)
        if token in ("last", "mean", "max"):
            part = token
        elif match and 2 <= int(match.group(1)) <= 100:
            part = ("points", int(match.group(1)))
        else:
            raise ValueError(
                f"aggregation={spec!r} is not valid: use parts 'last', 'mean', "
                "'max' or 'points<k>' (2 <= k <= 100) joined by '_', for example "
                "'last_mean', 'mean_max' or 'points4'."
            )
        if part in parts:
            raise ValueError(f"aggregation={spec!r} repeats the part {token!r}.")
        parts.append(part)
    return tuple(parts)


def width(parts):
    """Number of vectors per sequence that `parts` produce."""
    return sum(p[1] if isinstance(p, tuple) else 1 for p in parts)


def sample_steps(lengths, washout, k):
    """(n, k) step indices of k evenly spaced points in [washout, length)."""
    span = (lengths - washout)[:, None]
    j = np.arange(1, k + 1)[None, :]
    return washout + (-(-j * span // k)) - 1  # ceil(j * span / k) - 1


class Aggregator:
    """Running aggregation of one block of sequences (sorted by decreasing length).

    Call ``step(t, k, k_next, V)`` after every step with the (k, width) vectors
    of the k sequences still running; ``result()`` gives (block, width(parts),
    dim) in part order.
    """

    def __init__(self, parts, lens, washout, dim, dtype):
        self.parts, self.lens, self.washout = parts, lens, washout
        b = lens.size
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

    def result(self):
        blocks = []
        for part in self.parts:
            if part == "last":
                blocks.append(self.last[:, None])
            elif part == "mean":
                count = (self.lens - self.washout).astype(self.total.dtype)
                blocks.append((self.total / count[:, None])[:, None])
            elif part == "max":
                blocks.append(self.max[:, None])
            else:
                blocks.append(self.points)
        return np.concatenate(blocks, axis=1)


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
