"""The input profile: each input channel's means over equal parts of a sequence.

A regression target that is a linear functional of a smooth curve (a slope
change, a curvature, an area) is read best from the curve itself: ridge on
the raw values is the chemometrics baseline for spectra. A leaky reservoir
pools its states over time and forgets within tens of steps, so its features
carry such functionals only approximately. The profile hands the readout the
curve at ``k`` points: the means of each input channel (the time channel
left out) over ``k`` equal parts of the sequence, part ``j`` of a sequence of
``n`` steps covering steps ``floor(j n / k)`` up to ``floor((j + 1) n / k)``
(at least one step, so a sequence shorter than ``k`` steps repeats steps).
Parts are relative to each sequence's length, so ragged sequences get
comparable profiles. Columns are point-major: point 0's channels, then point
1's. Each row depends on its own sequence only.

``LNNRegressor`` with ``aggregation="auto"`` appends it (``PROFILE_POINTS``
points, at most the training sequences' median length), weighted
``PROFILE_WEIGHT`` in the readout (its penalty ``1 / PROFILE_WEIGHT**2`` times
a reservoir feature's). Measured in benchmarks/regression.py (seeds 0-2, RMSE
in target standard deviations; peak height, slope change, curvature, bump
width, Covid3Month, CardanoSentiment), on the reservoir features without the
model space: no profile 0.718 / 0.175 / 0.140 / 0.088 / 1.055 / 1.113; 25
points at weight 5 / 10 / 20: slope 0.164 / 0.155 / 0.150, peak 0.717 /
0.722 / 0.726; 16 / 32 points at weight 10: slope 0.158 / 0.153; the
difference channel's profile as well: 0.158. MultiRocketRegressor: 0.737 /
0.163 / 0.164 / 0.125 / 1.193 / 1.174.
"""

import numpy as np

#: ``LNNRegressor(aggregation="auto")``: the profile's number of points ...
PROFILE_POINTS = 25
#: ... and its weights in the readout, of which alpha="auto" keeps the one
#: whose penalty scores best (see ``_readout.solve_statistics``); a given
#: alpha takes the first.
PROFILE_WEIGHTS = (10.0, 1.0)


def profile_points(lengths):
    """The number of profile points for training sequences of these
    `lengths`: ``PROFILE_POINTS``, at most their median length."""
    return int(max(1, min(PROFILE_POINTS, np.median(lengths))))


def part_bounds(n_steps, k):
    """(starts, ends) of the `k` parts of a sequence of `n_steps` steps."""
    j = np.arange(k)
    starts = j * n_steps // k
    return starts, np.maximum((j + 1) * n_steps // k, starts + 1)


def input_profile(seqs, k, time_channel=None):
    """The (n_sequences, k * n_channels) profiles of validated `seqs` (the
    `time_channel` left out), in their dtype; means taken in float64."""
    def profile(a):  # a: (n_steps, c) or (n, n_steps, c), equal lengths
        if time_channel is not None:
            a = np.delete(a, time_channel, axis=-1)
        starts, ends = part_bounds(a.shape[-2], k)
        # a repeated start (fewer steps than parts) sums its one step
        sums = np.add.reduceat(a, starts, axis=-2, dtype=np.float64)
        means = sums / (ends - starts)[:, None]
        return means.reshape(a.shape[:-2] + (-1,))

    if seqs.ragged:
        rows = np.array([profile(a) for a in seqs.data]).reshape(len(seqs), -1)
    else:
        rows = profile(seqs.data)
    return rows.astype(seqs.dtype)


def profile_names(k, channels):
    """Column names ``profile{j}of{k}_{channel}``, point-major."""
    return [f"profile{j}of{k}_{c}" for j in range(1, k + 1) for c in channels]
