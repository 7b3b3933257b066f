"""_LNNBase: what the reservoir classifier and regressor share.

Constructor, reservoir drawing, the chunked fit of a statistics readout, one
atomic partial_fit step and the feature path.
"""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, is_regressor
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_array, check_consistent_length, check_is_fitted

from .._readout._online import StatisticsReadout, as_state, from_state, update_statistics
from .._engine._cache import ENTRY_OVERHEAD, FEATURES
from .._readout._accumulator import StatisticsAccumulator
from ..utils._persistence import VersionStampMixin
from ._reservoir import RESERVOIR_CONSTRAINTS, RESERVOIR_DEFAULTS, ReservoirTransformer
from .._engine._sequences import check_sequences, check_washout, copy_input_record

#: Sequences whose features are computed (and added to the readout's
#: statistics) at a time in fit: about this many feature values.
FIT_CHUNK_VALUES = 2_000_000


class _LNNBase(StatisticsReadout, VersionStampMixin, BaseEstimator):
    """Shared constructor, fit and feature path of the reservoir estimators."""

    _parameter_constraints = {
        **RESERVOIR_CONSTRAINTS,
        "alpha": [Interval(Real, 0, None, closed="left"), StrOptions({"auto"})],
        "forgetting_factor": [Interval(Real, 0, 1, closed="right")],
        "keep_statistics": ["boolean"],
    }

    def __init__(
        self,
        *,
        n_reservoir=RESERVOIR_DEFAULTS["n_reservoir"],
        spectral_radius=RESERVOIR_DEFAULTS["spectral_radius"],
        leak_rate=RESERVOIR_DEFAULTS["leak_rate"],
        input_scaling=RESERVOIR_DEFAULTS["input_scaling"],
        bias_scaling=RESERVOIR_DEFAULTS["bias_scaling"],
        density=RESERVOIR_DEFAULTS["density"],
        washout=RESERVOIR_DEFAULTS["washout"],
        aggregation=RESERVOIR_DEFAULTS["aggregation"],
        bidirectional=RESERVOIR_DEFAULTS["bidirectional"],
        include_input=RESERVOIR_DEFAULTS["include_input"],
        include_difference=RESERVOIR_DEFAULTS["include_difference"],
        coarse_factor=RESERVOIR_DEFAULTS["coarse_factor"],
        neuron=RESERVOIR_DEFAULTS["neuron"],
        time_step=RESERVOIR_DEFAULTS["time_step"],
        time_channel=RESERVOIR_DEFAULTS["time_channel"],
        standardize=RESERVOIR_DEFAULTS["standardize"],
        random_state=RESERVOIR_DEFAULTS["random_state"],
        verbose=RESERVOIR_DEFAULTS["verbose"],
        alpha="auto",
        forgetting_factor=1.0,
        keep_statistics=False,
    ):
        self.n_reservoir = n_reservoir
        self.spectral_radius = spectral_radius
        self.leak_rate = leak_rate
        self.input_scaling = input_scaling
        self.bias_scaling = bias_scaling
        self.density = density
        self.washout = washout
        self.aggregation = aggregation
        self.bidirectional = bidirectional
        self.include_input = include_input
        self.include_difference = include_difference
        self.coarse_factor = coarse_factor
        self.neuron = neuron
        self.time_step = time_step
        self.time_channel = time_channel
        self.standardize = standardize
        self.random_state = random_state
        self.verbose = verbose
        self.alpha = alpha
        self.forgetting_factor = forgetting_factor
        self.keep_statistics = keep_statistics

    def _check_y(self, y, **check_params):
        if y is None:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target "
                "y is None."
            )
        return check_array(y, ensure_2d=False, input_name="y", **check_params)

    def _new_reservoir(self, X, y, sample_weight):
        """Validate X (recording its shape), draw a reservoir for it; (reservoir,
        validated sequences). Nothing else on the estimator changes."""
        seqs = check_sequences(self, X, reset=True)
        check_washout(seqs, self.washout)
        check_consistent_length(seqs.lengths, y)
        params = {name: getattr(self, name) for name in RESERVOIR_DEFAULTS}
        # The fitted reservoir answers for the same inputs as this estimator.
        reservoir = copy_input_record(self, ReservoirTransformer(**params))
        # a regressor's "auto": no model space, the input profile (_profile)
        reservoir._auto_for = "regression" if is_regressor(self) else None
        return reservoir._fit_to(seqs, sample_weight), seqs

    def _fit_reservoir(self, X, y, sample_weight=None):
        """Validate X, draw the reservoir; (features of X, sequence lengths)."""
        self.reservoir_, seqs = self._new_reservoir(X, y, sample_weight)
        return self.reservoir_._features(seqs, report=(type(self).__name__, "fit")), seqs.lengths

    def _fit_chunked(self, X, y, Y, sample_weight):
        """Draw the reservoir and fit the readout chunk by chunk of sequences:
        the full feature matrix is never held; returns the sequence lengths."""
        self.reservoir_, seqs = self._new_reservoir(X, y, sample_weight)
        weights = None if np.all(sample_weight == 1) else sample_weight
        factor = self.forgetting_factor
        chunk = max(256, FIT_CHUNK_VALUES // max(self.reservoir_._n_features_out, 1))
        # rows that cannot all stay in the feature cache would only churn it
        row_bytes = self.reservoir_._n_features_out * seqs.dtype.itemsize + ENTRY_OVERHEAD
        use_cache = len(seqs) * row_bytes <= FEATURES.max_bytes
        acc = StatisticsAccumulator()
        for start in range(0, len(seqs), chunk):
            idx = np.arange(start, min(start + chunk, len(seqs)))
            w = None if weights is None else weights[idx]
            if factor < 1.0:  # each row weighs factor ** (rows after it)
                w = (np.ones(idx.size) if w is None else w) * np.maximum(
                    factor ** np.arange(idx.size - 1, -1, -1, dtype=float), 1e-280)
            features = self.reservoir_._features(seqs.subset(idx), use_cache,
                                                 (type(self).__name__, "fit"))
            acc.add(features, Y[idx], w, decay=factor**idx.size)
        self._stats, self._solution = as_state(acc.statistics()), None
        self._online = False
        self._solved()
        return seqs.lengths

    def __getstate__(self):
        """The pickled state (pickle, joblib, skops): without the readout's
        statistics (most of the model's size) unless ``keep_statistics`` or
        the model learns online (``partial_fit``: dask-ml's ``Incremental``
        ships it between calls); the solved readout is always there."""
        online = getattr(self, "_online", False)  # partial_fit has been called
        if getattr(self, "_stats", None) is not None and not (self.keep_statistics or online):
            self._solved()
            state = super().__getstate__()
            return {**state, "_stats": None}
        return super().__getstate__()

    def _continuing(self):
        """Whether partial_fit adds to a model (True) or starts one (False);
        ValueError when fit dropped the statistics it would add to."""
        if not hasattr(self, "reservoir_"):
            return False
        if getattr(self, "_stats", None) is None:
            raise ValueError(
                f"This {type(self).__name__} was fitted with fit and saved (or "
                "copied) with keep_statistics=False, so its readout statistics "
                "were left out and partial_fit cannot add to them exactly. Fit "
                "and save it with keep_statistics=True to keep learning after "
                "loading it."
            )
        return True

    def _partial(self, X, y, Y, sample_weight):
        """One partial_fit step, atomic: everything is computed before anything
        on the estimator changes, so a refused chunk leaves it as it was."""
        first = not self._continuing()
        if first:
            reservoir, seqs = self._new_reservoir(X, y, sample_weight)
            stats = None
        else:
            reservoir, stats = self.reservoir_, from_state(self._stats)
            self._check_reservoir_parameters()
            seqs = check_sequences(self, X, reset=False)
            check_washout(seqs, self.washout)
            check_consistent_length(seqs.lengths, y)
        features = reservoir._features(seqs, report=(type(self).__name__, "partial_fit"))
        weights = None if np.all(sample_weight == 1) else sample_weight
        stats = update_statistics(stats, features, Y, weights, self.forgetting_factor)
        self.reservoir_, self._stats, self._solution = reservoir, as_state(stats), None
        self._online = True
        return self

    def _check_reservoir_parameters(self):
        """ValueError when a reservoir parameter changed (``set_params``)
        since the reservoir was drawn: partial_fit would keep the old one."""
        drawn = self.reservoir_.get_params(deep=False)
        for name in RESERVOIR_DEFAULTS:
            if name != "verbose" and drawn[name] is not getattr(self, name) \
                    and drawn[name] != getattr(self, name):
                raise ValueError(
                    f"{name}={getattr(self, name)!r}, but the reservoir that "
                    f"partial_fit keeps adding to was drawn with {name}="
                    f"{drawn[name]!r}. Call fit to start again with the new "
                    "value, or set it back."
                )

    def _feature_weights(self):
        """The readout's penalty weights: the reservoir's (coarse features)."""
        return self.reservoir_._feature_weights()

    def _decision(self, X):
        return self._features(X) @ self.coef_ + self.intercept_

    def _features(self, X):
        check_is_fitted(self)
        return self.reservoir_._features(check_sequences(self, X, reset=False))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        return tags


