"""Running readout statistics of many chunks, for a chunked fit."""

import numpy as np

from ._ridge import (ROW_BLOCK, RidgeStatistics, _units, chunk_statistics,
                       merge_statistics, scale_statistics)


class StatisticsAccumulator:
    """Running sums of many chunks, centred at one fixed shift (the first
    chunk's mean): each chunk adds to the cross-products in place, with no
    per-chunk merge of full matrices. ``statistics()`` gives the
    :class:`RidgeStatistics` of everything added (a shift close to the mean
    keeps the sums as accurate as centred ones). While there are fewer rows
    than features, the rows themselves are kept instead (statistics with
    ``rows``)."""

    def __init__(self):
        self.shift = None
        self.kept = []

    def add(self, X, Y, sample_weight=None, decay=1.0):
        """Add rows X, Y (weights optional); `decay` first scales what is there."""
        X = np.asarray(X)
        Y = np.asarray(Y, dtype=np.float64).reshape(len(X), -1)
        w = None if sample_weight is None else np.asarray(sample_weight, np.float64)
        if self.kept is not None:
            if decay != 1.0:
                self.kept = [(Xk, Yk, (np.ones(len(Xk)) if wk is None else wk) * decay)
                             for Xk, Yk, wk in self.kept]
            self.kept.append((X, Y, w))
            if sum(len(k[0]) for k in self.kept) < X.shape[1]:
                return
            kept, self.kept = self.kept, None  # as many rows as features: sums
            for Xk, Yk, wk in kept:
                self._add_sums(Xk, Yk, wk)
            return
        self._add_sums(X, Y, w, decay)

    def _add_sums(self, X, Y, w, decay=1.0):
        if self.shift is None:
            if np.any(_units(X) > 2.0**400):  # extreme features: exact merges instead
                self.shift, self.stats = "merge", chunk_statistics(X, Y, w)
                return
            p, t = X.shape[1], Y.shape[1]
            if w is None:
                self.shift = (X.mean(axis=0, dtype=np.float64), Y.mean(axis=0))
            else:
                self.shift = (w @ X / w.sum(), w @ Y / w.sum())
            self.count, self.sx, self.sy = 0.0, np.zeros(p), np.zeros(t)
            self.xx, self.xy, self.yy = np.zeros((p, p)), np.zeros((p, t)), np.zeros(t)
            dtype = X.dtype if X.dtype == np.float32 else np.float64
            self.buf = np.empty((min(ROW_BLOCK, max(len(X), 1)), p), dtype)
        if isinstance(self.shift, str):
            self.stats = merge_statistics(scale_statistics(self.stats, decay),
                                          chunk_statistics(X, Y, w))
            return
        if decay != 1.0:
            for name in ("count", "sx", "sy", "xx", "xy", "yy"):
                setattr(self, name, getattr(self, name) * decay)
        cx, cy = self.shift
        buf = self.buf
        for start in range(0, len(X), len(buf)):
            rows = slice(start, start + len(buf))
            Xc = np.subtract(X[rows], cx.astype(buf.dtype), out=buf[: len(X[rows])])
            Yc = Y[rows] - cy
            if w is None:
                self.count += len(Xc)
                self.sx += Xc.sum(axis=0, dtype=np.float64)
                self.sy += Yc.sum(axis=0)
                Xw = Xc
                self.yy += (Yc**2).sum(axis=0)
            else:
                wr = w[rows]
                self.count += wr.sum()
                self.sx += wr @ Xc
                self.sy += wr @ Yc
                Xw = Xc * wr[:, None].astype(buf.dtype)
                self.yy += wr @ Yc**2
            self.xx += Xw.T @ Xc
            self.xy += Xw.T @ Yc.astype(buf.dtype)

    def statistics(self):
        if self.kept is not None:
            X, Y = np.vstack([k[0] for k in self.kept]), np.vstack([k[1] for k in self.kept])
            if all(k[2] is None for k in self.kept):
                return chunk_statistics(X, Y)
            return chunk_statistics(X, Y, np.concatenate(
                [np.ones(len(Xk)) if wk is None else wk for Xk, _, wk in self.kept]))
        if isinstance(self.shift, str):
            return self.stats
        n = self.count
        dx, dy = self.sx / n, self.sy / n  # mean minus shift
        if not (np.isfinite(self.xx).all() and np.isfinite(self.xy).all()):
            raise ValueError(
                "Readout features are too large for the ridge readout's "
                "cross-products (they overflow). Scale the inputs to roughly unit size."
            )
        return RidgeStatistics(
            float(n), self.shift[0] + dx, self.shift[1] + dy,
            self.xx - n * np.outer(dx, dx), self.xy - n * np.outer(dx, dy),
            self.yy - n * dy**2, np.ones(len(dx)))
