"""What a reservoir fits on its training sequences besides its weights.

The input standardisation (per channel, over all steps) and the state
statistics of the "ppv" and "model" aggregation parts (from the states of a
sample of the training sequences), as a mixin of ``ReservoirTransformer``:
the methods a local fit, ``partial_fit`` and the dask fit share.
"""

import numpy as np

from .._engine._aggregation import STATE_PARTS, parse_aggregation
from .._engine._scaling import channel_statistics, clip_channels
from .._engine._segments import sampled_states
from .._engine._state_features import (
    SAMPLE_ROWS,
    StateStatistics,
    fit_state_statistics,
    sample_indices,
)


class FittedStatisticsMixin:
    """Fits and reads ``input_mean_`` / ``input_scale_`` and the
    ``state_*_`` attributes; the host provides ``aggregation_``,
    ``include_difference_``, ``_checked`` and ``_dynamics``."""

    def _fit_state_statistics(self, seqs, sample_weight=None):
        """PPV thresholds and model-space components from the states of a
        sample of the training sequences (`seqs` as ``_given`` gives them; the
        sample is clipped as ``_inputs`` does), one set per pass."""
        for name in ("state_thresholds_", "state_mean_", "state_components_"):
            self.__dict__.pop(name, None)
        if not self._needs_state_statistics():
            return self
        kept, weights = self._state_sample(seqs.lengths, sample_weight)
        return self._fit_state_statistics_on(self._clip(seqs.subset(kept)), weights)

    def _needs_state_statistics(self):
        return bool(set(parse_aggregation(self.aggregation_)) & set(STATE_PARTS))

    def _state_sample(self, lengths, sample_weight=None):
        """(indices, weights) of the training sequences the state statistics
        are fitted on: evenly spaced, sequences that weigh nothing left out."""
        weights = np.ones(len(lengths)) if sample_weight is None else np.asarray(
            sample_weight, dtype=np.float64)
        kept = np.flatnonzero(weights > 0)
        kept = kept[sample_indices(lengths[kept], self.washout, 5 * SAMPLE_ROWS)]
        return kept, weights[kept]

    def _fit_state_statistics_on(self, seqs, weights):
        """The state statistics from the sampled sequences (as ``_inputs``
        gives them) and their weights."""
        parts = parse_aggregation(self.aggregation_)
        self._checked(seqs)
        dyn = self._dynamics()
        passes = [seqs, seqs.reversed(time_channel=self.time_channel)]
        fitted = []
        for p in passes[: 2 if self.bidirectional else 1]:
            states = sampled_states(p, dyn, self.washout, SAMPLE_ROWS)
            row_weights = np.repeat(weights, [len(s) for s in states])
            fitted.append(fit_state_statistics(np.concatenate(states), row_weights,
                                               ppv="ppv" in parts, model="model" in parts))
        if "ppv" in parts:
            self.state_thresholds_ = np.stack([f.thresholds for f in fitted])
        if "model" in parts:
            self.state_mean_ = np.stack([f.mean for f in fitted])
            self.state_components_ = np.stack([f.components for f in fitted])
        return self

    def _state_statistics(self, direction):
        """The fitted ``StateStatistics`` of pass `direction` (0 forward, 1
        backward), None when the aggregation needs none."""
        if not hasattr(self, "state_thresholds_") and not hasattr(self, "state_mean_"):
            return None
        get = lambda name: getattr(self, name)[direction] if hasattr(self, name) else None
        return StateStatistics(get("state_thresholds_"), get("state_mean_"),
                               get("state_components_"))

    def _fit_standardisation(self, seqs, sample_weight=None):
        """Record each input channel's mean and standard deviation over all
        steps of the training sequences (``standardize=True``)."""
        for name in ("input_mean_", "input_scale_"):
            self.__dict__.pop(name, None)
        if self.standardize:
            self._set_standardisation(*channel_statistics(seqs, sample_weight))
        return self

    def _set_standardisation(self, mean, scale):
        """Store the fitted per-channel (mean, scale); a time channel keeps
        its units (0 and 1). Also used by the dask fit."""
        if self.time_channel is not None:
            mean[self.time_channel], scale[self.time_channel] = 0.0, 1.0
        self.input_mean_, self.input_scale_ = mean, scale

    def _clip(self, seqs):
        """`seqs` (as ``_given`` gives them) clipped as the fitted
        standardisation says (see ``_scaling.clipped_channels``)."""
        if not hasattr(self, "input_mean_"):
            return seqs
        return clip_channels(seqs, self.input_mean_, self.input_scale_,
                             self.time_channel, self.include_difference_)
