"""alpha="auto" of the forecasters (closed-loop validation) and the check of
a forecast for divergence: pure functions under the forecaster shells."""

import copy

import numpy as np

from .._readout._gcv import flat_argmin
from .._readout._ridge import spectrum_solution, statistics_spectrum
from ..utils._warnings import warn
from ..exceptions import ForecastDivergenceWarning

#: alpha="auto" of a forecaster: the candidate penalties, and the closed-loop
#: validation that picks one. The last VALIDATION_SHARE of each training
#: series (after the washout; at most VALIDATION_MAX steps) is held out; the
#: readout of each candidate, fitted on the rest, forecasts VALIDATION_HORIZON
#: steps in closed loop from up to VALIDATION_ORIGINS points of it; the
#: smallest mean squared (standardised) error wins, the largest penalty on a
#: tie or a near tie (``_gcv.flat_argmin``). One-step criteria such as
#: GCV pick penalties whose fed-back readout diverges: Santa Fe laser, 500 units, five origins, 100-step forecasts:
#: 3 of 5 diverged with GCV's choice, none with this one. Candidates are
#: solved with auto's numerical floor (see ``_readout._solve``); an explicit
#: alpha is a plain ridge instead (the floor kept the laser's forecasts
#: stable: 2 of 5 diverged without it). The grid reaches penalties at which
#: the readout is little more than its intercept: the null forecast (the mean;
#: the naive or seasonal naive forecast for a model of changes) is a candidate
#: that a short or noisy series can choose. Measured (benchmarks/forecasting.py,
#: seeds 0-2, MASE) with the top raised from 1e2 to 1e6: aeon's solar with
#: ``season=48`` 2.015 -> 0.658 (seasonal naive 0.606), the 181 M1 yearly
#: series 3.656 -> 3.525, Lynx (values) 0.648 -> 0.587, Airline unchanged; Santa
#: Fe laser median NRMSE 1.053 -> 0.994 (one origin 2.62 -> 1.20); 1e8 gave the
#: same as 1e6.
FORECAST_ALPHAS = np.logspace(-9, 6, 16)
VALIDATION_SHARE = 0.2
VALIDATION_MAX = 1000
VALIDATION_HORIZON = 50
VALIDATION_ORIGINS = 8
#: Shortest validation horizon and fewest rows left to fit on; shorter
#: series fall back to GCV. Even a one-step-ahead error on held-out steps
#: judges better than GCV on series of tens of steps (the 181 M1 yearly
#: series, 500 units, seeds 0-2, all modelled as changes, mean MASE: 4.91
#: with a horizon of at least 5 and 10 rows to fit, 3.85 with 2 and 10, 3.64
#: with 1 and 5; the naive forecast 4.89). With one held-out step (no
#: horizon) or fewer than 5 fit rows there is nothing to judge: GCV. (Every
#: series holding out 2 steps keeps at least 7 to fit, so with today's
#: VALIDATION_SHARE the second bound never binds; it guards a change of it.)
VALIDATION_MIN_HORIZON = 1
VALIDATION_MIN_FIT = 5
#: Most state values of one batch of candidate forecasts (32 MB in float64).
BATCH_VALUES = 4_000_000


def validation_plan(lengths, washout):
    """(cut per series, horizon): rows ``washout .. cut - 1`` of series i fit
    the readout, forecasts start at origins ``cut .. len - 1 - horizon``.
    None when no series is long enough (then GCV chooses alpha)."""
    cuts = []
    for n in lengths:
        hold = min(int(VALIDATION_SHARE * (n - washout)), VALIDATION_MAX)
        cuts.append(n - 1 - hold)
    horizon = min(VALIDATION_HORIZON, min(n - 1 - c for n, c in zip(lengths, cuts)) // 2)
    if horizon < VALIDATION_MIN_HORIZON or min(c - washout for c in cuts) < VALIDATION_MIN_FIT:
        return None
    return cuts, horizon


#: ``difference="auto"`` of LNNForecaster: the model of the changes when
#: the training series leave the range they have shown, the model of the
#: values otherwise. A series leaves it when, in its last VALIDATION_SHARE of
#: steps, a target goes beyond the range of the steps before by more than
#: RANGE_TOLERANCE of that range's width; the changes when at least half the
#: series leave. Measured (benchmarks/forecasting.py and the docs' forecasting
#: guide): a values model is far off on a trend (aeon's Airline, MASE 6.7;
#: changes 1.38), a changes model can run away on a long stationary series
#: whose closed-loop validation it passed (Santa Fe laser, 500 units, 2 of 5
#: origins with NRMSE 167 and 3e4, values 0.9 and 2.6). Choosing by that
#: validation also picked the values on Airline (23 held-out steps).
RANGE_TOLERANCE = 0.05


def leaves_its_range(ys):
    """Whether the series `ys` (a list of (n_steps, n_targets) arrays) leave
    the range they have shown (see RANGE_TOLERANCE)."""
    left = 0
    for v in ys:
        hold = max(1, int(VALIDATION_SHARE * len(v)))
        before, end = v[:-hold], v[-hold:]
        low, high = before.min(axis=0), before.max(axis=0)
        beyond = np.maximum(end.max(axis=0) - high, low - end.min(axis=0))
        left += bool(np.any(beyond > RANGE_TOLERANCE * (high - low)))
    return 2 * left >= len(ys)


#: A standardised forecast beyond this multiple of the training targets'
#: largest magnitude has diverged (ForecastDivergenceWarning).
DIVERGENCE_FACTOR = 100.0


#: LNNForecasterCV's refit: a choice whose closed-loop forecasts (from the
#: end of the training data over the validated horizon, and its intervals'
#: calibration forecasts) reach more than BOUND_FACTOR times the largest
#: standardised training target (a value, or a change for a model of
#: changes) has left what it learned and is replaced. Santa Fe laser, 5,000
#: steps, five windows: three choices validated well and then reached 24,
#: 32 and 1e227 times the series' largest training value from the end of
#: the data; another's calibration forecasts reached 2e87 times the largest
#: standardised target (its intervals were 1e83 naive steps wide).
BOUND_FACTOR = 3.0


def stays_bounded(model, n_steps):
    """Whether fitted `model`'s closed-loop forecasts stay finite and within
    ``BOUND_FACTOR`` times its largest standardised training target: the
    forecast of `n_steps` from the end of its data (not run with exogenous
    inputs, whose future is unknown) and its calibration forecasts (from
    the origins of its held-out tail, see the intervals). A model that
    forecasts no change (``alpha="baseline"``) always does."""
    fitted = model._as_fitted()
    if fitted._forecasts_no_change():
        return True
    limit = BOUND_FACTOR * fitted.target_peak_
    calibrated = getattr(fitted, "_calibration_peak", None)
    if calibrated is not None and not calibrated <= limit:
        return False
    if fitted.n_exog_:
        return True
    with np.errstate(over="ignore", invalid="ignore"):
        out = fitted._generate(n_steps, None)
        return bool(np.all(np.abs(out) <= limit))


def check_divergence(out, peak, name):
    """Warn when a (standardised) closed-loop forecast is not finite or left
    the training range by more than ``DIVERGENCE_FACTOR``."""
    limit = DIVERGENCE_FACTOR * max(peak, 1.0)
    with np.errstate(invalid="ignore"):
        bad = ~(np.abs(out) <= limit)
    if not bad.any():
        return
    step = int(np.flatnonzero(bad.any(axis=(0, 2)))[0])
    what = (f"more than {DIVERGENCE_FACTOR:g} times the largest training value"
            if np.isfinite(out).all() else "not finite")
    warn(f"{name}'s closed-loop forecast diverged: from step {step + 1} on, a "
         f"(standardised) value is {what}. The fed-back readout makes an unstable "
         "system: lower spectral_radius or input_scaling, raise alpha, and check "
         "forecasts on a held-out continuation with score().",
         ForecastDivergenceWarning)


def validated_alpha(forecaster, stats, feats, U, zero, cuts, horizon, common=None):
    """The candidate penalty whose readout, fitted on `stats` (the rows
    before the cuts), forecasts the held-out steps best in closed loop, by
    the mean squared error of ``common(forecast)`` against ``common(truth)``
    (arrays ending in (horizon, n_targets); default: as they are).

    `feats` and `U` are the teacher-forced features and standardised inputs
    of every series, `zero` their initial states. A forecaster with
    ``_candidate_forecasts`` runs all candidates in batches; otherwise its
    ``_generate`` runs each on a shallow copy holding the origins' states."""
    k = forecaster.n_targets_
    origins = [np.unique(np.linspace(c, len(u) - 1 - horizon, VALIDATION_ORIGINS)
                         .astype(int)) for c, u in zip(cuts, U)]
    states = np.concatenate([forecaster._origin_states(F, u, z, t)
                             for F, u, z, t in zip(feats, U, zero, origins)])
    last = np.concatenate([u[t] for u, t in zip(U, origins)])
    steps = [t[:, None] + np.arange(1, horizon + 1) for t in origins]
    truth = np.concatenate([u[s, :k] for u, s in zip(U, steps)])
    exog = (np.concatenate([u[s, k:] for u, s in zip(U, steps)]) if forecaster.n_exog_
            else None)
    common = (lambda a: a) if common is None else common
    truth = common(truth)
    spectrum = statistics_spectrum(stats)
    alphas = FORECAST_ALPHAS
    readouts = [spectrum_solution(stats, spectrum, alpha) for alpha in alphas]
    with np.errstate(over="ignore", invalid="ignore"):
        if hasattr(forecaster, "_candidate_forecasts"):  # batches of candidates
            group = max(1, int(BATCH_VALUES // (len(truth) * (states[0].size + last.shape[1]))))
            errors = [np.mean((common(f) - truth) ** 2)
                      for start in range(0, len(readouts), group)
                      for f in forecaster._candidate_forecasts(
                          readouts[start : start + group], states, last, horizon, exog)]
        else:  # one readout at a time, on a copy holding the origins' state
            probe = copy.copy(forecaster)
            probe.state_, probe.last_input_, probe.n_series_ = states, last, len(last)
            errors = []
            for probe.coef_, probe.intercept_ in readouts:
                errors.append(np.mean((common(probe._generate(horizon, exog)) - truth) ** 2))
    # a near tie (within GCV_RTOL) keeps the larger penalty, whatever rounding says
    return float(alphas[flat_argmin(errors)])
