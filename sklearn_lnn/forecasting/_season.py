"""Season detection: the periods a series' autocorrelation supports.

A pure function under ``LNNForecasterCV(season="auto")``: it proposes
candidate periods, and the rolling-origin validation decides whether a
seasonal model is used at all. A candidate must still be significant after
testing every lag, so that white noise proposes none.
"""

import numpy as np
from scipy.special import ndtri

from ..utils._numeric import constant_channels

#: A period is proposed when the autocorrelation of the series' changes at
#: that lag is a local peak above both MIN_AUTOCORRELATION and the bound
#: that white noise changes stay under (standard error 1 / sqrt(n) per lag,
#: two-sided, Bonferroni over all the lags tried: level FALSE_ALARM for the
#: whole series). Bartlett's wider standard error (the lags before counted)
#: missed solar's daily period: its changes correlate strongly at short lags.
#: A cycle also makes the changes half a period apart move against each
#: other (a negative autocorrelation there): without that test a smooth
#: series' changes, whose lag-1 autocorrelation the noise lowers, peaked at
#: lag 2. At least MIN_CYCLES cycles must be seen. Reading the changes costs
#: sensitivity to long smooth periods (a sine's change shrinks with its
#: period): pass ``season`` when the period is known.
#: The changes, not the values, are read: a trend makes every lag of the
#: values' autocorrelation large. Measured (benchmarks/forecasting.py series):
#: Airline 12, solar 48, Lynx 10 (its 9-10 year cycle), ShampooSales and the
#: 181 M1 yearly series none; white noise (tests/test_forecast_search.py) none.
MIN_AUTOCORRELATION = 0.2
FALSE_ALARM = 0.01
MIN_CYCLES = 3
#: Most periods proposed, shortest first (the multiples of a period peak
#: too, and under noise a multiple can peak higher); multiples of a proposed
#: period are not proposed again.
MAX_SEASONS = 2


def autocorrelation(ys, max_lag):
    """The pooled autocorrelation (lags 0..max_lag) of the changes of the
    series `ys` (a list of (n_steps, n_targets) arrays), and the number of
    changes it is estimated from: each series' changes are centred on their
    own mean and divided by their own root mean square (every series and
    target counts by its length, whatever its units), and the lagged
    products and the sums of squares are summed over series and targets."""
    num = np.zeros(max_lag + 1)
    den, count = 0.0, 0
    for v in ys:
        d = np.diff(v, axis=0)
        mean = d.mean(axis=0) if len(d) else np.zeros(d.shape[1:])
        d = d - mean
        rms = np.sqrt((d**2).mean(axis=0)) if len(d) else np.ones(d.shape[1:])
        # changes that are constant up to rounding carry no period
        d = d / np.where(constant_channels(rms, mean, len(d)), np.inf, rms)
        count += len(d)
        den += float((d**2).sum())
        for lag in range(min(max_lag, len(d) - 1) + 1):
            num[lag] += float((d[lag:] * d[: len(d) - lag]).sum())
    if not den > 0:
        return np.zeros(max_lag + 1), count
    return num / den, count


def detect_seasons(ys, max_period=None):
    """Candidate periods (ints >= 2, shortest first, at most MAX_SEASONS) of
    the series `ys`, or an empty list when their changes show none (see
    MIN_AUTOCORRELATION). `max_period` bounds the periods tried (default: a
    MIN_CYCLES-th of the shortest series)."""
    shortest = min(len(v) for v in ys) - 1
    top = shortest // MIN_CYCLES if max_period is None else min(max_period, shortest // MIN_CYCLES)
    if top < 2:
        return []
    acf, n = autocorrelation(ys, top + 1)
    z = float(ndtri(1.0 - FALSE_ALARM / (2 * top)))  # the standard normal quantile
    found = []
    for m in range(2, top + 1):
        peak = acf[m] >= acf[m - 1] and acf[m] >= acf[m + 1]
        peak = peak and min(acf[m // 2], acf[(m + 1) // 2]) < 0  # a cycle, see above
        if peak and acf[m] > max(MIN_AUTOCORRELATION, z / np.sqrt(n)):
            found.append(m)
    chosen = []
    for m in found:
        if len(chosen) < MAX_SEASONS and not any(m % c == 0 for c in chosen):
            chosen.append(m)
    return chosen
