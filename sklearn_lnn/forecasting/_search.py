"""The rolling-origin score of one reservoir configuration and every readout
variant on it: the numeric core of ``LNNForecasterCV``.

One teacher-forced run per configuration (reservoir parameters, season,
difference) gives the features ``[state | input | state^2]`` of every step;
each readout variant (with or without the inputs, the squares) is a subset
of those columns, and each penalty a different solution of the same
spectrum. For every origin the readout is fitted on the rows before it
(statistics accumulated origin by origin, never a row after it) and every
penalty forecasts in closed loop in one batch.
"""

import copy
import time
import warnings

import numpy as np
from sklearn.base import clone

from ..exceptions import EchoStatePropertyWarning, ForecastDivergenceWarning
from .._readout._ridge import (
    chunk_statistics,
    merge_statistics,
    select_features,
    spectrum_solution,
    statistics_spectrum,
)
from ._checks import BATCH_VALUES
from ._rolling import scaled_errors
from ._series import summed_back

#: Two candidates whose mean errors are within TIE_RTOL of each other
#: (relative), or both within TIE_ATOL of the best (errors in units of the
#: naive forecast's: forecasts within 1e-8 of exact), are a tie: the one met
#: first in the search order wins (a simpler readout before a richer one, a
#: larger penalty before a smaller one), so rounding cannot move the choice.
TIE_RTOL = 1e-6
TIE_ATOL = 1e-8
#: The readout variants: (squared_states, include_input).
VARIANTS = [(False, False), (False, True), (True, False), (True, True)]
#: The readouts are refitted for an origin when the rows before it are at
#: least REFIT_GROWTH more than those of the last fit; a later origin of a
#: long series otherwise reuses the earlier origin's readouts (fitted on
#: less data, never on more). Every origin of a short series gets its own.
#: Mackey-Glass, 3,000 steps, 10 origins 84 apart: 4 fits instead of 10.
REFIT_GROWTH = 0.1


def quiet(function):
    """`function` with the echo-state warning off: the validation judges the
    candidates (the chosen one warns again when it is refitted)."""
    def run(*args):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", EchoStatePropertyWarning)
            return function(*args)
    return run


def winner(flat):
    """Index of the best of the mean errors `flat` in search order (see TIE_RTOL)."""
    low = np.min(flat)
    if not np.isfinite(low):
        raise ValueError("Every candidate's validation forecast diverged or was not "
                         "finite; check the data or pass a smaller param_grid.")
    return int(np.flatnonzero(flat <= low + TIE_RTOL * abs(low) + TIE_ATOL)[0])


def _columns(n, d, squared, with_input):
    return np.r_[np.arange(n), np.arange(n, n + d) if with_input else [],
                 np.arange(n + d, 2 * n + d) if squared else []].astype(int)


def _limits(origins, offset, lengths):
    """Per split, per series: the last transformed row the readout may read
    (the origin's, or the first origin's before a series has one; all rows
    of a series with none) and the origin (raw index) or -1."""
    J = max((len(o) for o in origins), default=0)
    limits = np.empty((J, len(origins)), dtype=int)
    starts = np.full((J, len(origins)), -1)
    for i, o in enumerate(origins):
        if not len(o):
            limits[:, i] = lengths[i] - 1
            continue
        aligned = np.concatenate([np.repeat(o[0], J - len(o)), o])
        limits[:, i] = aligned - offset
        starts[J - len(o) :, i] = o
    return limits, starts


def _values(probe, out, ys, svalues, members, starts, m, changes):
    """Forecasts (c, b, h, k) in standardised model units back to the
    series' values at the origins `starts` of series `members`."""
    c, b, h, k = out.shape
    z = probe._to_values(out.reshape(c * b, h, k), np.tile(members, c))
    if changes:  # changes summed onto the (seasonal-change) value at the origin
        last = np.array([svalues[i][o - m] for i, o in zip(members, starts)])[:, None]
        z = summed_back(z, np.tile(last, (c, 1, 1)))
    if m:  # seasonal changes summed onto the values a season before
        last = np.array([ys[i][o - m + 1 : o + 1] for i, o in zip(members, starts)])
        z = summed_back(z, np.tile(last, (c, 1, 1)))
    return z.reshape(c, b, h, k)


def _readouts(stats, columns, alphas):
    """(coef, intercept) of every penalty on the features at `columns`: a
    user's penalty (plain ridge), as the refitted LNNForecaster solves it."""
    sub = select_features(stats, columns)
    spectrum = statistics_spectrum(sub)
    return [spectrum_solution(sub, spectrum, a, plain=True) for a in alphas]


def evaluate(base, params, ys, Xs, origins, horizon, alphas, scales, power,
             variants=VARIANTS):
    """Mean scaled errors (n_variants, n_alphas, n_splits; absolute errors
    for ``power=1``, squared for 2) of the
    forecaster `base` with `params` (one configuration), readout `variants`
    and penalties `alphas`, from the rolling `origins` (raw indices, one
    ascending array per series) over `horizon` steps; ``scales`` (n_series,
    n_targets) are the error scales. Split ``s`` holds each series' origin
    of that rank counted from its last (the last split the latest origins).
    Also returns the seconds spent."""
    start = time.perf_counter()
    probe = clone(base).set_params(**params, squared_states=True, include_input=True,
                                   alpha=1.0)
    U, svalues = probe._prepare(ys, Xs, len(ys) > 1)
    probe._start(U[0].shape[1])
    feats, _ = probe._teacher_forced(U, probe._zero_state(len(U)))
    m = params.get("season") or 0
    changes = params.get("difference") == "series"
    offset, w, k = m + changes, probe.washout_, probe.n_targets_
    n, d = probe.n_reservoir, U[0].shape[1]
    limits, starts = _limits(origins, offset, [len(u) for u in U])
    J = len(limits)
    errors = np.full((len(variants), len(alphas), J), np.inf)
    stats, done = None, np.full(len(U), w)
    cols = [_columns(n, d, sq, ii) for sq, ii in variants]
    probes = []
    for sq, ii in variants:
        p = copy.copy(probe)
        p.squared_states, p.include_input = sq, ii
        probes.append(p)
    fitted_count, readouts = 0.0, None
    for s in range(J):
        for i, (F, u) in enumerate(zip(feats, U)):  # rows up to this split's limits
            if limits[s, i] > done[i]:
                stats = merge_statistics(stats, chunk_statistics(
                    F[done[i] : limits[s, i]], u[done[i] + 1 : limits[s, i] + 1, :k]))
                done[i] = limits[s, i]
        members = np.flatnonzero(starts[s] >= 0)
        if stats is None or not len(members):
            continue
        t = limits[s, members]
        states = np.array([feats[i][r, :n] for i, r in zip(members, t)])
        last = np.array([U[i][r] for i, r in zip(members, t)])
        exog = (np.array([U[i][r + 1 : r + 1 + horizon, k:] for i, r in zip(members, t)])
                if probe.n_exog_ else None)
        o = starts[s, members]
        truth = np.array([ys[i][r + 1 : r + 1 + horizon] for i, r in zip(members, o)])
        scale = scales[members][:, None, :]
        group = max(1, int(BATCH_VALUES // (len(members) * horizon * (n + d))))
        if readouts is None or stats.count >= (1.0 + REFIT_GROWTH) * fitted_count:
            readouts, fitted_count = [_readouts(stats, c, alphas) for c in cols], stats.count
        for v, p in enumerate(probes):
            for g in range(0, len(alphas), group):
                with np.errstate(over="ignore", invalid="ignore"):
                    out = p._candidate_forecasts(readouts[v][g : g + group], states, last,
                                                 horizon, exog)
                    pred = _values(probe, out, ys, svalues, members, o, m, changes)
                    err = scaled_errors(pred, truth, scale, power)
                errors[v, g : g + group, s] = err.mean(axis=1)
    return errors, time.perf_counter() - start


def evaluate_baseline(base, params, ys, Xs, origins, horizon, scales, power):
    """Scaled errors (1, n_splits) of the form `params` with
    ``alpha="baseline"`` (no reservoir run), from the same origins as
    :func:`evaluate`: a change of 0 for a model of changes; for a model of
    the values the mean of the targets the readout would be fitted on (the
    rows before the origin; no change with ``difference=True``). Also
    returns the seconds spent."""
    start = time.perf_counter()
    probe = clone(base).set_params(**params, alpha="baseline")
    U, svalues = probe._prepare(ys, Xs, len(ys) > 1)
    probe.alpha_, k, w = "baseline", probe.n_targets_, probe.washout_
    m = params.get("season") or 0
    changes = params.get("difference") == "series"
    limits, starts = _limits(origins, m + changes, [len(u) for u in U])
    errors = np.full((1, len(limits)), np.inf)
    for s in range(len(limits)):
        members = np.flatnonzero(starts[s] >= 0)
        if not len(members):
            continue
        t, o = limits[s, members], starts[s, members]
        if probe._forecasts_no_change():
            units = probe._baseline_units(len(members), members)
        elif probe._predicts_change():  # the last value read
            units = np.array([U[i][r, :k] for i, r in zip(members, t)])
        else:  # the intercept: the targets' mean over the rows before the origins
            rows = [u[w + 1 : r + 1, :k] for u, r in zip(U, limits[s])]
            units = np.repeat(np.concatenate(rows).mean(axis=0)[None], len(members), axis=0)
        out = np.repeat(units[None, :, None], horizon, axis=2)
        pred = _values(probe, out, ys, svalues, members, o, m, changes)
        truth = np.array([ys[i][r + 1 : r + 1 + horizon] for i, r in zip(members, o)])
        errors[0, s] = scaled_errors(pred, truth, scales[members][:, None, :], power).mean(
            axis=1)[0]
    return errors, time.perf_counter() - start


def evaluate_plain(base, ys, Xs, origins, horizon, scales, power):
    """Scaled errors (n_splits,) of `base` as it is (its own alpha="auto"
    and difference="auto"), refitted for every split on each series up to
    its origin of that split (series without one: up to their first origin,
    or whole when they have none), from the same origins as
    :func:`evaluate`; inf where the data before an origin are too short for
    it. Also returns the seconds spent."""
    start = time.perf_counter()
    J = max(len(o) for o in origins)
    errors = np.full(J, np.inf)
    for s in range(J):
        cuts, members = [], []
        for i, o in enumerate(origins):
            rank = len(o) - (J - s)
            cuts.append(o[rank] if rank >= 0 else (o[0] if len(o) else len(ys[i]) - 1))
            if rank >= 0:
                members.append(i)
        train = [v[: c + 1] for v, c in zip(ys, cuts)]
        future = None
        if Xs is not None:  # exogenous rows of the forecast steps (the last repeated
            # where a series without an origin here has none)
            future = [x[np.minimum(np.arange(c + 1, c + 1 + horizon), len(x) - 1)]
                      for x, c in zip(Xs, cuts)]
        try:
            model = clone(base).fit(train, None if Xs is None else
                                    [x[: c + 1] for x, c in zip(Xs, cuts)])
        except ValueError:  # too short for its washout before this origin
            continue
        with np.errstate(over="ignore", invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", ForecastDivergenceWarning)  # scored as it is
            pred = model.predict(horizon, future)
        errs = [scaled_errors(pred[i].reshape(horizon, -1),
                              ys[i][cuts[i] + 1 : cuts[i] + 1 + horizon], scales[i], power)
                for i in members]
        errors[s] = np.mean(errs)
    return errors, time.perf_counter() - start
