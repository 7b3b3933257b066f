"""Prediction intervals of the forecasters: split conformal on closed-loop
residuals of the training tail. Pure functions under the forecaster shells.

At ``fit`` the readout fitted on the rows before a calibration cut (alpha
"auto"'s validation cut, earlier on short series) forecasts in closed loop
from origins spread over the tail after it, up to CALIBRATION_HORIZON
steps; its errors against the training values that follow each origin are
the calibration residuals. Only training data enter, and the readout that
made them never saw the steps it forecast. Their root mean square per
horizon step (made non-decreasing in the step by pooling adjacent steps) is
the step's scale; the absolute residuals divided by their step's scale,
pooled over every origin and step, are the scores. The interval of coverage
``c`` at step ``h`` is ``forecast[h] +- scale[h] * q_c``, with ``q_c`` the
conformal order statistic of the scores (rank ``ceil((n + 1) c)``; Student's
t below MIN_CONFORMAL_SCORES scores); the quantile of level ``p`` is the
bound of the central interval of coverage ``|2p - 1|`` on its side. The
intervals are symmetric: the calibration readout's bias (fitted on fewer
rows) is not the final readout's. Steps beyond the calibrated horizon take
the last step's scale, times ``sqrt(h / H)`` for a model that sums its
forecasts up (changes, seasonal changes: a random walk's growth).
"""

import copy
import math
import warnings

import numpy as np
from scipy.stats import t as student_t

from ..exceptions import ForecastDivergenceWarning

#: Most calibration origins over all series (spread over each series' tail),
#: fewest per series, longest horizon calibrated, fewest residuals a step
#: needs for a scale of its own (later steps are extrapolated).
CALIBRATION_ORIGINS = 128
MIN_SERIES_ORIGINS = 2
CALIBRATION_HORIZON = 100
MIN_STEP_RESIDUALS = 3
#: A short series' calibration tail reaches back until it has
#: MIN_CALIBRATION_ORIGINS origins (keeping MIN_CALIBRATION_FIT rows to fit
#: on): with the validation tail alone, most of the 181 M1 yearly series had
#: 2 or 3 scores and one calibrated step, and their 80 % intervals covered
#: 27 % of the test values.
MIN_CALIBRATION_ORIGINS = 20
MIN_CALIBRATION_FIT = 5
#: Fewer scores than this: the central interval from Student's t with the
#: scores' root mean square (the prediction interval of a normal sample,
#: ``t(n - 1) * rms * sqrt(1 + 1 / n)``) instead of conformal ranks, which
#: cannot reach a 95 % interval below 19 scores and are coarse up to 40.
MIN_CONFORMAL_SCORES = 40


def calibration_cuts(lengths, washout, validation_cuts=None):
    """Per series, the first row of the calibration tail: alpha="auto"'s
    validation cut (or the series' end without one), moved earlier where
    that leaves fewer than MIN_CALIBRATION_ORIGINS origins, as long as
    MIN_CALIBRATION_FIT rows stay before it."""
    cuts = []
    for i, n in enumerate(lengths):
        cut = n - 1 if validation_cuts is None else validation_cuts[i]
        cuts.append(min(cut, max(washout + MIN_CALIBRATION_FIT,
                                 n - 1 - MIN_CALIBRATION_ORIGINS)))
    return cuts


def calibration_origins(cuts, lengths):
    """Rows ``cut .. length - 2`` of each series (every one, or an even spread
    of them): the origins whose forecasts the readout fitted before `cuts`
    has not seen. Empty arrays where nothing follows the cut."""
    per = max(MIN_SERIES_ORIGINS, CALIBRATION_ORIGINS // max(1, len(lengths)))
    out = []
    for c, n in zip(cuts, lengths):
        room = n - 1 - c
        out.append(np.unique(np.linspace(c, n - 2, min(per, room)).astype(int))
                   if room > 0 else np.array([], dtype=int))
    return out


def residual_profile(residuals, valid):
    """(scale (H, k), sorted absolute scores (n, k)) of calibration `residuals`
    (n_origins, H, k; truth minus forecast) where `valid` (n_origins, H)
    marks the steps inside the series. None when no step has residuals."""
    count = valid.sum(axis=0)
    steps = int(np.flatnonzero(count >= min(MIN_STEP_RESIDUALS, count.max()))[-1]) + 1 \
        if count.max() > 0 else 0
    if steps == 0:
        return None
    R = np.where(valid[..., None], residuals, 0.0)[:, :steps]
    with np.errstate(over="ignore", invalid="ignore"):
        square = (R ** 2).sum(axis=0) / count[:steps, None]
        scale = np.sqrt(np.column_stack([increasing(np.where(np.isnan(c), np.inf, c),
                                                    count[:steps]) for c in square.T]))
    scale = np.where(scale > 0, scale, 1.0)  # exact forecasts: scores 0, width 0
    with np.errstate(invalid="ignore"):
        scores = np.abs(R / scale)[valid[:, :steps]]
    scores = scores[np.isfinite(scores).all(axis=1)]
    if len(scores) < 2:
        return None
    return scale, np.sort(scores, axis=0)


def increasing(values, weights):
    """The weighted least-squares non-decreasing fit of `values` (pool
    adjacent violators): steps whose mean squared errors only wobble share
    their mean instead of each keeping its own noise."""
    blocks = []  # [mean, weight, size]
    for v, w in zip(values, weights):
        blocks.append([float(v), float(w), 1])
        while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:
            (a, wa, na), (b, wb, nb) = blocks[-2], blocks.pop()
            mean = b if not np.isfinite(b) else (a * wa + b * wb) / (wa + wb)
            blocks[-1] = [mean, wa + wb, na + nb]
    return np.concatenate([np.full(n, m) for m, _, n in blocks])


def conformal_quantiles(scores, levels):
    """(n_levels, k): quantile offsets at `levels` in (0, 1) from the sorted
    absolute `scores` (n >= 2, k): the bound, on the level's side, of the
    central interval of coverage ``|2p - 1|`` (0 at the median), by
    conformal rank, or Student's t below MIN_CONFORMAL_SCORES scores;
    monotone in the level."""
    n = len(scores)
    out = []
    for p in levels:
        c, side = abs(2 * p - 1), (1.0 if p >= 0.5 else -1.0)
        if c == 0:
            q = np.zeros(scores.shape[1])
        elif n < MIN_CONFORMAL_SCORES:  # a normal sample's prediction interval
            rms = np.sqrt(np.mean(scores ** 2, axis=0))
            q = student_t.ppf((1 + c) / 2, n - 1) * rms * np.sqrt(1 + 1 / n)
        else:
            q = scores[min(max(math.ceil((n + 1) * c), 1), n) - 1]
        out.append(side * q)
    return np.array(out)


def step_scales(scale, n_steps, integrates):
    """(n_steps, k) scales of forecast steps 1 .. n_steps from the calibrated
    `scale` (H, k): beyond H the last, times ``sqrt(h / H)`` when the model
    `integrates` its forecasts."""
    H = len(scale)
    if n_steps <= H:
        return scale[:n_steps]
    h = np.arange(H + 1, n_steps + 1)[:, None]
    growth = np.sqrt(h / H) if integrates else np.ones_like(h, dtype=float)
    return np.vstack([scale, scale[-1] * growth])


def check_levels(values, name, kind):
    """Floats in (0, 1), in the order given, from a number or a list (``coverage``
    or quantile ``alpha``), or a ValueError naming `name`."""
    flat = np.atleast_1d(np.asarray(values, dtype=object)).ravel()
    ok = len(flat) > 0 and all(
        not isinstance(v, (bool, np.bool_)) and isinstance(v, (int, float, np.number))
        and 0 < float(v) < 1 for v in flat)
    if not ok:
        raise ValueError(f"{name} must be a {kind} in (0, 1) or a list of them; got "
                         f"{values!r}.")
    return [float(v) for v in flat]


class IntervalMixin:
    """``predict_quantiles`` / ``predict_interval`` of the forecasters, and
    the calibration ``fit`` runs (``_calibrate``); the forecaster provides
    ``predict``, ``_origin_states`` and the fitted attributes."""

    def _calibrate(self, ys, Xs, values, U, feats, zero, validation_cuts):
        """``interval_scale_`` and ``interval_scores_`` (see ``_intervals``):
        closed-loop forecasts of the readout fitted on the rows before the
        calibration cuts, from origins after them, against the training
        values (both None when the series are too short)."""
        self.interval_scale_ = self.interval_scores_ = self._calibration_peak = None
        m, changes = self.season or 0, self._reads_changes()
        offset = m + changes  # row t of U is raw step t + offset
        lengths = [len(u) for u in U]
        cuts = calibration_cuts(lengths, self.washout_, validation_cuts)
        origins = calibration_origins(cuts, lengths)
        members = [j for j, t in enumerate(origins) if len(t)]
        if not members:
            return
        readout = self._readout_before(feats, U, cuts)
        horizon = min(CALIBRATION_HORIZON,
                      max(len(ys[j]) - 1 - (origins[j][0] + offset) for j in members))
        probe = copy.copy(self)
        probe.coef_, probe.intercept_ = readout
        probe.state_ = np.concatenate([self._origin_states(feats[j], U[j], zero[j], origins[j])
                                       for j in members])
        probe.last_input_ = np.concatenate([U[j][origins[j]] for j in members])
        raw = [(j, t + offset) for j in members for t in origins[j]]
        if changes:  # the value at the origin (after the seasonal changes)
            probe.last_value_ = np.array([values[j][o - m] for j, o in raw])
        if m:
            probe.last_season_ = np.array([ys[j][o - m + 1 : o + 1] for j, o in raw])
        if "series_mean_" in vars(self):  # each origin in its member's units
            rows = [j for j, _ in raw]
            probe.series_mean_ = self.series_mean_[rows]
            probe.series_scale_ = self.series_scale_[rows]
        probe._panel, probe._one_column, probe.n_series_ = True, False, len(raw)
        probe._pandas_records = probe._exog_names = None  # arrays in, arrays out
        future = None
        if Xs is not None:  # rows after an origin's series end repeat its last
            future = [Xs[j][np.minimum(np.arange(o + 1, o + 1 + horizon), len(Xs[j]) - 1)]
                      for j, o in raw]
        with np.errstate(over="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", ForecastDivergenceWarning)  # scored as it is
            view, out = probe._units(horizon, future)
            forecasts = np.array(probe._in_values(view, out))
            # the largest output of the calibration forecasts (LNNForecasterCV's bound)
            self._calibration_peak = float(np.max(np.abs(out))) if np.isfinite(out).all() \
                else np.inf
        truth = np.zeros_like(forecasts)
        valid = np.zeros(forecasts.shape[:2], dtype=bool)
        for i, (j, o) in enumerate(raw):
            after = ys[j][o + 1 : o + 1 + horizon]
            truth[i, : len(after)], valid[i, : len(after)] = after, True
        residuals = truth - forecasts
        if "series_scale_" in vars(probe):  # a panel: in each member's units
            residuals = residuals / probe.series_scale_[:, None, : self.n_targets_]
        with np.errstate(over="ignore", invalid="ignore"):
            profile = residual_profile(residuals, valid)
        if profile is not None:
            self.interval_scale_, self.interval_scores_ = profile

    def predict_quantiles(self, n_steps, X=None, alpha=(0.05, 0.95)):
        """Forecast quantiles: split conformal on closed-loop residuals.

        The quantiles come from the forecast errors of a readout fitted on
        the training data before the validation tail, forecasting from
        origins in that tail (training data only; see the forecasting
        guide). They survive ``update`` (not recalibrated) and pickling.

        Parameters
        ----------
        n_steps : int >= 1
            Number of steps to forecast after the end of the data seen.

        X : array-like or list of array-like, default=None
            Exogenous inputs of the forecast steps, as in ``predict``.

        alpha : float or list of float in (0, 1), default=(0.05, 0.95)
            Quantile levels (sktime's convention).

        Returns
        -------
        quantiles : ndarray of shape (n_steps, [n_targets,] n_levels), or list
            The forecast's shape with a last axis of one column per level
            (in the order given), monotone along it; a list for a panel.
        """
        levels = check_levels(alpha, "alpha", "quantile level")
        return self._bands(n_steps, X, levels, pairs=False, labels=levels)

    def predict_interval(self, n_steps, X=None, coverage=0.9):
        """Central prediction intervals from :meth:`predict_quantiles`.

        Parameters
        ----------
        n_steps : int >= 1
            Number of steps to forecast after the end of the data seen.

        X : array-like or list of array-like, default=None
            Exogenous inputs of the forecast steps, as in ``predict``.

        coverage : float or list of float in (0, 1), default=0.9
            Nominal coverages (sktime's convention): the interval of
            coverage ``c`` runs from the ``(1 - c) / 2`` to the
            ``(1 + c) / 2`` quantile, so intervals nest.

        Returns
        -------
        intervals : ndarray of shape (n_steps, [n_targets,] n_coverages, 2), or list
            Lower and upper bounds (last axis) per coverage in the order
            given; a list for a panel.
        """
        coverages = check_levels(coverage, "coverage", "coverage")
        levels = [p for c in coverages for p in ((1 - c) / 2, (1 + c) / 2)]
        return self._bands(n_steps, X, levels, pairs=True, labels=coverages)

    def _bands(self, n_steps, X, levels, pairs, labels):
        """Point forecast plus the calibrated quantile offsets at `levels`
        (with `pairs`, the last axis split into (lower, upper) pairs), in
        the output type of ``predict`` (pandas columns labelled `labels`)."""
        point = self._point(n_steps, X)
        if self.interval_scores_ is None:
            raise ValueError(
                f"{type(self).__name__} has no calibration for intervals: its training "
                "series were too short for a held-out tail (at least washout + 8 steps "
                "each, after the season and the changes), or it was fitted before "
                "intervals existed. Refit on longer series.")
        model = self._as_fitted()
        integrates = model._reads_changes() or model._predicts_change() or bool(model.season)
        scale = step_scales(self.interval_scale_, int(n_steps), integrates)
        offsets = scale[:, :, None] * conformal_quantiles(self.interval_scores_, levels).T
        local = vars(self).get("series_scale_")  # a panel: each member's units
        out = []
        for j, p in enumerate(point):
            q = np.asarray(p).reshape(len(p), -1)[:, :, None] + (
                offsets if local is None else offsets * local[j, : self.n_targets_, None])
            q = q.reshape(q.shape[:-1] + (len(levels) // 2, 2)) if pairs else q
            out.append(q[:, 0] if self._one_column else q)
        return self._as_output(out, labels, pairs)
