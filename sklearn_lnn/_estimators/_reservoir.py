"""ReservoirTransformer: sequences in, one row of reservoir features out."""

from numbers import Integral, Real

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import _check_feature_names_in, check_is_fitted

from .._engine._coarse import block_means, feature_weights, fit_coarse_pass, resolve_coarse_factor
from .._engine._aggregation import (
    auto_aggregation,
    feature_names,
    n_features,
    parse_aggregation,
    positional,
    rich_default,
    width,
)
from .._engine._dynamics import Dynamics, aggregated_states
from .._engine._profile import input_profile, profile_names, profile_points
from .._engine._sequences import (
    SEQUENCES,
    check_elapsed_times,
    check_sequences,
    check_time_channel,
    check_washout,
)
from .._engine._cache import cached_features, caching_applies, reservoir_key
from ..utils._docs import fill_doc
from ._fitted import FittedStatisticsMixin
from ..utils._progress import Progress
from .._engine._segments import all_states
from .._engine._state_features import model_components
from ..utils._persistence import VersionStampMixin
from .._engine._weights import check_magnitude, draw_weights

#: Constructor defaults of the reservoir, shared by every estimator.
RESERVOIR_DEFAULTS = {
    "n_reservoir": 500,
    "spectral_radius": 0.9,
    "leak_rate": 0.5,
    "input_scaling": 1.0,
    "bias_scaling": 0.5,
    "density": 0.1,
    "washout": 0,
    "aggregation": "auto",
    "bidirectional": False,
    "include_input": False,
    "include_difference": "auto",
    "coarse_factor": "auto",
    "neuron": "leaky_tanh",
    "time_step": 1.0,
    "time_channel": None,
    "standardize": True,
    "random_state": None,
    "verbose": 0,
}

RESERVOIR_CONSTRAINTS = {
    "n_reservoir": [Interval(Integral, 1, None, closed="left")],
    "spectral_radius": [Interval(Real, 0, None, closed="left")],
    "leak_rate": [Interval(Real, 0, 1, closed="right")],
    "input_scaling": [Interval(Real, 0, None, closed="left")],
    "bias_scaling": [Interval(Real, 0, None, closed="left")],
    "density": [Interval(Real, 0, 1, closed="right")],
    "washout": [Interval(Integral, 0, None, closed="left")],
    "aggregation": [str],
    "bidirectional": ["boolean"],
    "include_input": ["boolean"],
    "include_difference": ["boolean", StrOptions({"auto"})],
    "coarse_factor": [Interval(Integral, 2, None, closed="left"), StrOptions({"auto"}), None],
    "neuron": [StrOptions({"leaky_tanh", "liquid"})],
    "time_step": [Interval(Real, 0, None, closed="neither")],
    "time_channel": [Interval(Integral, 0, None, closed="left"), None],
    "standardize": ["boolean"],
    "random_state": ["random_state"],
    "verbose": ["verbose"],
}

@fill_doc
class ReservoirTransformer(FittedStatisticsMixin, ClassNamePrefixFeaturesOutMixin,
                           TransformerMixin, VersionStampMixin, BaseEstimator):
    """Fixed random recurrent reservoir that turns sequences into feature rows.

    ``fit`` draws the input weights, biases and a recurrent matrix scaled to
    ``spectral_radius``; nothing is learnt from the data beyond its number of
    features. ``transform`` runs every sequence through the reservoir from a
    zero state and aggregates its states into one row, ready for any
    scikit-learn estimator.

    Parameters
    ----------
%(reservoir_parameters)s

    Attributes
    ----------
    input_weights_ : ndarray of shape (n_reservoir, n_channels)
        Input weights :math:`W_{in}`. ``n_channels`` is ``n_features_in_`` for
        sequence input (less one with a ``time_channel``) and 1 for a 2D array
        of univariate series, twice that with the difference channels.

    recurrent_weights_ : ndarray or scipy.sparse.csr_array of shape \
(n_reservoir, n_reservoir)
        Recurrent weights :math:`W`, spectral radius ``spectral_radius`` (for
        ``neuron="liquid"``, scaled so the linearised coupling has it).

    bias_ : ndarray of shape (n_reservoir,)
        Biases :math:`b`.

    reversal_potentials_ : ndarray of shape (n_reservoir,)
        Reversal potentials :math:`A` (+1 or -1), only for ``neuron="liquid"``.

    decay_rates_ : ndarray of shape (n_reservoir,)
        Decay rates :math:`r`, uniform in [0.5, 1.5], only for
        ``neuron="liquid"``.

    aggregation_ : str
        The aggregation used: ``aggregation``, or what "auto" chose for the
        training data.

    include_difference_ : bool
        Whether the difference channels are appended (``include_difference``,
        or what "auto" chose).

    coarse_factor_ : int or None
        Block size of the coarse pass (``coarse_factor``, or what "auto"
        chose); None: no coarse pass.

    profile_points_ : int or None
        Points of the input profile appended to the features (the series'
        means over that many equal parts of it): set by ``LNNRegressor`` with
        ``aggregation="auto"`` on univariate series; None otherwise.

    state_thresholds_ : ndarray of shape (n_passes, 3, n_reservoir)
        PPV thresholds per pass (forward, then backward) and unit: the 0.25,
        0.5 and 0.75 quantiles of the training states. Only with ``"ppv"``.

    state_mean_ : ndarray of shape (n_passes, n_reservoir)
        Mean training state per pass. Only with ``"model"``.

    state_components_ : ndarray of shape (n_passes, n_reservoir, n_components)
        Leading principal components of the training states per pass
        (``n_components = min(50, n_reservoir)``). Only with ``"model"``.

    n_features_in_ : int
        Features per step for 3D or list input. For a 2D array of univariate
        series, the scikit-learn meaning: its number of columns (steps).

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of a DataFrame passed to ``fit``; only defined then.

    See Also
    --------
    LNNClassifier : Reservoir and ridge readout in one classifier.
    LNNRegressor : Reservoir and ridge readout in one regressor.

    Notes
    -----
%(equations)s

    References
    ----------
    .. [1] M. Lukoševičius, "A Practical Guide to Applying Echo State
       Networks", Neural Networks: Tricks of the Trade, 2nd ed., Springer, 2012.
    .. [2] H. Jaeger, M. Lukoševičius, D. Popovici and U. Siewert,
       "Optimization and applications of echo state networks with
       leaky-integrator neurons", Neural Networks 20(3), 2007.
    .. [3] R. Hasani, M. Lechner, A. Amini, D. Rus and R. Grosu, "Liquid
       Time-constant Networks", AAAI 2021.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_lnn import ReservoirTransformer
    >>> X = np.random.RandomState(0).normal(size=(5, 20, 3))
    >>> reservoir = ReservoirTransformer(n_reservoir=50, random_state=0)
    >>> reservoir.fit_transform(X).shape
    (5, 100)
    >>> [s.shape for s in reservoir.compute_states([X[0], X[1, :7]])]
    [(20, 50), (7, 50)]
    """

    _parameter_constraints = RESERVOIR_CONSTRAINTS
    #: "regression": "auto" as ``LNNRegressor`` resolves it (set by it; its
    #: coarse pass gets "regression coarse pass": no profile there)
    _auto_for = None

    #: Parameters that cannot change a feature, left out of the cache key.
    _not_in_cache_key = ("verbose",)

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

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Draw the fixed reservoir weights for the features of `X`.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        y : None
            Ignored.

        Returns
        -------
        self : ReservoirTransformer
            The fitted transformer.
        """
        seqs = check_sequences(self, X, reset=True)
        check_washout(seqs, self.washout)
        check_time_channel(self.time_channel, seqs.n_features)
        check_elapsed_times(seqs, self.time_channel)
        return self._fit_to(seqs)

    def _fit_to(self, seqs, sample_weight=None):
        """Everything `fit` learns from validated training sequences: the
        weights, the input standardisation, the state statistics and the
        coarse pass."""
        self._resolve(seqs.n_features, seqs.lengths)
        given = self._given(seqs)
        self._draw_weights(given.n_features)
        self._fit_standardisation(given, sample_weight)
        self._fit_state_statistics(given, sample_weight)
        self._coarse = fit_coarse_pass(self, seqs, sample_weight)
        if self._coarse is not None:
            self._n_features_out += self._coarse._n_features_out
        self._n_features_out += self._n_profile()
        return self

    def _feature_weights(self):
        """The readout's penalty weights of the features (``_coarse``, the
        profile)."""
        coarse = getattr(self, "_coarse", None)
        n_coarse = 0 if coarse is None else coarse._n_features_out
        n_profile = self._n_profile()
        return feature_weights(self._n_features_out - n_coarse - n_profile, n_coarse, n_profile)

    def _n_profile(self):
        k = getattr(self, "profile_points_", None)
        channels = self.input_weights_.shape[1] // (2 if self.include_difference_ else 1)
        return 0 if k is None else k * channels

    def _resolve(self, n_channels, lengths):
        """Set ``aggregation_``, ``include_difference_`` and
        ``coarse_factor_``: the parameters, with "auto" decided by the
        training data's shape."""
        univariate = n_channels - (self.time_channel is not None) == 1
        rich = rich_default(n_channels - (self.time_channel is not None), lengths)
        # LNNRegressor's "auto" (and its coarse pass's): no model space
        regression = self._auto_for is not None
        self.aggregation_ = (auto_aggregation(rich, lengths, model=not regression)
                             if self.aggregation == "auto" else self.aggregation)
        self.profile_points_ = (profile_points(lengths) if univariate and self.aggregation
                                == "auto" and self._auto_for == "regression" else None)
        parse_aggregation(self.aggregation_)  # a clear error for an invalid one
        self.include_difference_ = (rich if self.include_difference == "auto"
                                    else self.include_difference)
        self.coarse_factor_ = resolve_coarse_factor(
            self.coarse_factor, rich and self.aggregation == "auto", lengths,
            self.time_channel)
        return self

    def _given(self, seqs):
        """The sequences with the difference channels of ``include_difference``."""
        return seqs.with_difference(self.time_channel) if self.include_difference_ else seqs

    def _inputs(self, seqs):
        """The sequences the reservoir reads: with the difference channels,
        clipped as the fitted standardisation says (``_clip``)."""
        return self._clip(self._given(seqs))

    def _draw_weights(self, n_channels):
        n_inputs = n_channels - check_time_channel(self.time_channel, n_channels)
        n = self.n_reservoir
        for name in ("reversal_potentials_", "decay_rates_"):
            self.__dict__.pop(name, None)
        # difference channels share their channel's input budget
        channels = n_inputs // 2 if self.include_difference_ else n_inputs
        self.__dict__.update(draw_weights(
            self.random_state, n, n_inputs, channels, input_scaling=self.input_scaling,
            bias_scaling=self.bias_scaling, density=self.density,
            spectral_radius=self.spectral_radius, leak_rate=self.leak_rate,
            neuron=self.neuron))
        parts = parse_aggregation(self.aggregation_)
        per_pass = n_features(parts, n, model_components(n))
        if self.include_input:
            per_pass += width(positional(parts)) * n_inputs
        self._n_features_out = per_pass * (2 if self.bidirectional else 1)
        return self

    def _dynamics(self):
        W_in, bias = self.input_weights_, self.bias_
        if hasattr(self, "input_mean_"):
            # standardisation folded into the input weights and biases:
            # W_in (u - m) / s + b = (W_in / s) u + (b - (W_in / s) m)
            keep = [c for c in range(self.input_mean_.size) if c != self.time_channel]
            W_in = W_in / self.input_scale_[keep]
            bias = bias - W_in @ self.input_mean_[keep]
        return Dynamics(
            W_in, self.recurrent_weights_, bias,
            self.leak_rate, self.neuron,
            getattr(self, "reversal_potentials_", None),
            getattr(self, "decay_rates_", None),
            self.time_step, self.time_channel,
        )

    def _checked(self, seqs):
        """`seqs` after the checks that depend on the fitted reservoir."""
        check_elapsed_times(seqs, self.time_channel)
        summed = (int(seqs.lengths.max()) if self.include_input
                  and "mean" in parse_aggregation(self.aggregation_) else 0)
        check_magnitude(seqs, self.input_weights_, self.recurrent_weights_,
                        self.bias_, summed_steps=summed)
        return seqs

    def transform(self, X):
        """Aggregated reservoir states of each sequence.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        Returns
        -------
        X_new : ndarray of shape (n_sequences, n_features_out)
            One row per sequence: ``n_reservoir`` columns per aggregated part.
            float32 for float32 input, float64 otherwise.
        """
        check_is_fitted(self)
        return self._features(check_sequences(self, X, reset=False),
                              report=(type(self).__name__, "reservoir features"))

    def _features(self, seqs, use_cache=True, report=None):
        """Features of validated `seqs`; progress lines (``verbose``) only
        with `report`, the (estimator name, task) they are labelled with."""
        blocks = [self._fine_features(seqs, use_cache, report)]
        coarse = getattr(self, "_coarse", None)
        if coarse is not None:
            if report is not None:
                report = (report[0], f"{report[1]} (coarse pass)")
            blocks.append(coarse._features(block_means(seqs, self.coarse_factor_),
                                           use_cache, report))
        if getattr(self, "profile_points_", None) is not None:
            blocks.append(input_profile(seqs, self.profile_points_, self.time_channel))
        return blocks[0] if len(blocks) == 1 else np.hstack(blocks)

    def _fine_features(self, seqs, use_cache, report=None):
        check_washout(seqs, self.washout)
        seqs = self._checked(self._inputs(seqs))
        dyn = self._dynamics()
        name, what = report or (None, None)
        progress = Progress(self.verbose if report else 0, name, what,
                            len(seqs) * (2 if self.bidirectional else 1))

        def computer(direction):
            stats = self._state_statistics(direction)
            return lambda subset: aggregated_states(
                subset, dyn, washout=self.washout, aggregation=self.aggregation_,
                include_input=self.include_input, stats=stats, progress=progress,
            )

        passes = [seqs, seqs.reversed(time_channel=self.time_channel)]
        passes = passes[: 2 if self.bidirectional else 1]
        if not use_cache:
            return np.hstack([computer(d)(p) for d, p in enumerate(passes)])
        # both passes share one reservoir key (the backward pass's sequences
        # are reversed, so their keys differ): hash the weights once
        model = reservoir_key(self, seqs.dtype) if caching_applies(self, seqs) else None
        return np.hstack([cached_features(self, p, computer(d), model)
                          for d, p in enumerate(passes)])

    def compute_states(self, X):
        """Reservoir state after every step of every sequence.

        Meant for diagnostics and per-step tasks. No washout is applied and
        the states of all steps are held in memory: use ``transform`` for
        long or many sequences. The states are the (fine) reservoir's; a
        coarse pass (``coarse_factor_``) is not included.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        Returns
        -------
        states : ndarray of shape (n_sequences, n_steps, n_reservoir) or list
            A 3D array for 3D or 2D input; for a list, a list of arrays of
            shape (n_steps_i, n_reservoir).
        """
        check_is_fitted(self)
        seqs = self._checked(self._inputs(check_sequences(self, X, reset=False)))
        states = all_states(seqs, self._dynamics())
        return states if seqs.ragged else np.array(states)

    def get_feature_names_out(self, input_features=None):
        """Names of the feature columns: pass, aggregation part, unit.

        ``fwd_last_17`` is unit 17's last state, ``bwd_mean_3`` the mean of
        unit 3 in the backward pass, ``fwd_point2of4_0`` unit 0 at the second of
        four sampled steps, ``fwd_input_max_x1`` the maximum of input channel
        ``x1`` (``include_input``).

        Parameters
        ----------
        input_features : array-like of str or None, default=None
            Input feature names; ``feature_names_in_`` or ``x0, x1, ...``
            when None. For a 2D array of univariate series the one channel
            is ``x0``.

        Returns
        -------
        feature_names_out : ndarray of str objects
            One name per column of ``transform``.
        """
        check_is_fitted(self)
        names_in = _check_feature_names_in(self, input_features)
        channels = list(names_in) if self._input_kind == SEQUENCES else ["x0"]
        if self.time_channel is not None:
            channels.pop(self.time_channel)
        if self.include_difference_:
            channels += [f"diff_{c}" for c in channels]
        names = []
        for direction in ["fwd", "bwd"][: 2 if self.bidirectional else 1]:
            names += feature_names(parse_aggregation(self.aggregation_), direction,
                                   self.n_reservoir, model_components(self.n_reservoir),
                                   channels if self.include_input else [])
        if getattr(self, "_coarse", None) is not None:
            names += [f"coarse{self.coarse_factor_}_{name}"
                      for name in self._coarse.get_feature_names_out(input_features)]
        if getattr(self, "profile_points_", None) is not None:
            inputs = channels[: len(channels) // (2 if self.include_difference_ else 1)]
            names += profile_names(self.profile_points_, inputs)
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
