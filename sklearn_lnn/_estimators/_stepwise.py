"""LNNStepRegressor: sequences in, one output row per step out."""

from numbers import Real

import numpy as np
from sklearn.base import BaseEstimator, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from ..utils._docs import fill_doc
from ..utils._persistence import VersionStampMixin
from ..utils._progress import Progress
from .._readout._ridge import (
    check_sample_weight,
    chunk_statistics,
    merge_statistics,
    solve_statistics,
)
from ._reservoir import RESERVOIR_CONSTRAINTS, RESERVOIR_DEFAULTS, ReservoirTransformer
from .._engine._segments import all_states
from .._engine._sequences import SEQUENCES, check_sequences, check_step_targets, check_washout

#: The reservoir parameters of the per-step estimators: no aggregation, no
#: backward pass (it would let an output see the future).
STEP_PARAMETERS = [name for name in RESERVOIR_DEFAULTS
                   if name not in ("aggregation", "bidirectional", "include_difference",
                                   "coarse_factor")]

#: Sequences whose states are held at once while the readout statistics are
#: accumulated (bounded memory for many sequences).
GROUP_ROWS = 200_000


def draw_reservoir(estimator, n_channels, names=STEP_PARAMETERS, input_kind=SEQUENCES):
    """A fitted ReservoirTransformer with `estimator`'s reservoir parameters,
    answering for inputs of `n_channels` features per step."""
    params = {name: getattr(estimator, name) for name in names}
    reservoir = ReservoirTransformer(**params, aggregation="last", include_difference=False)
    reservoir._resolve(n_channels, np.ones(1))._draw_weights(n_channels)
    reservoir.n_features_in_ = n_channels
    reservoir._input_kind = input_kind
    return reservoir


def step_features(reservoir, seqs, states):
    """Readout features of every step: the states, then the raw inputs (time
    channel removed) when the reservoir has ``include_input``."""
    if not reservoir.include_input:
        return states
    keep = [c for c in range(seqs.n_features) if c != reservoir.time_channel]
    return [np.hstack([h, seqs[i][:, keep]]) for i, h in enumerate(states)]


def _groups(lengths, n_units):
    """Index groups whose states fit in about ``GROUP_ROWS x n_units`` values."""
    budget = max(1, GROUP_ROWS * 500 // max(n_units, 1))
    group, rows = [], 0
    for i, n in enumerate(lengths):
        group.append(i)
        rows += n
        if rows >= budget:
            yield group
            group, rows = [], 0
    if group:
        yield group


@fill_doc
class LNNStepRegressor(VersionStampMixin, BaseEstimator):
    """Reservoir regressor with one output per step (sequence to sequence).

    Every sequence runs through a fixed random reservoir from a zero state;
    a ridge readout maps each step's state (and, with ``include_input``, that
    step's inputs) to that step's targets. Use it to map an input signal to an
    output signal step by step, or for one-step-ahead prediction (targets = the
    series shifted by one step).

    It is its own class rather than a parameter of :class:`LNNRegressor`
    because its targets and predictions have a time axis: ``y`` holds one row
    per *step*, not per sequence, so ``predict`` returns sequences and
    ``score`` is the R^2 over all scored steps. Axis 0 is still the sequence,
    so scikit-learn's splitters, ``cross_val_score`` and ``GridSearchCV`` split
    whole sequences and use ``score``.

    Parameters
    ----------
%(step_reservoir_parameters)s

%(squared_states)s

%(readout_parameters)s

    Attributes
    ----------
    reservoir_ : ReservoirTransformer
        The fitted reservoir (its weights and the input checks).

    coef_ : ndarray of shape (n_readout_features, n_targets)
        Readout weights on the states, then the inputs (``include_input``),
        then the squared states (``squared_states``); standardisation folded in.

    intercept_ : ndarray of shape (n_targets,)
        Readout intercepts.

    alpha_ : float
        Ridge penalty used (the GCV choice when ``alpha="auto"``).

    n_targets_ : int
        Number of targets per step.

    n_features_in_ : int
        Features per step for 3D or list input; number of columns (steps)
        for a 2D array of univariate series.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of a DataFrame passed to ``fit``; only defined then.

    See Also
    --------
    LNNRegressor : One target row per sequence.
    LNNForecaster : Closed-loop forecasting of a series.

    Notes
    -----
%(equations)s

    The readout is fitted from sufficient statistics accumulated group by
    group of sequences, so the states of all steps are never held at once.
    One long series is run as a verified batch of overlapping segments.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_lnn import LNNStepRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(40, 50, 1))
    >>> Y = np.roll(X[:, :, 0], 2, axis=1)  # the input two steps ago
    >>> reg = LNNStepRegressor(n_reservoir=100, leak_rate=1.0, washout=5,
    ...                        random_state=0)
    >>> reg.fit(X[:30], Y[:30]).predict(X[30:]).shape
    (10, 50)
    >>> bool(reg.score(X[30:], Y[30:]) > 0.95)
    True
    """

    _parameter_constraints = {
        **{name: RESERVOIR_CONSTRAINTS[name] for name in STEP_PARAMETERS},
        "squared_states": ["boolean"],
        "alpha": [Interval(Real, 0, None, closed="left"), StrOptions({"auto"})],
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
        include_input=RESERVOIR_DEFAULTS["include_input"],
        neuron=RESERVOIR_DEFAULTS["neuron"],
        time_step=RESERVOIR_DEFAULTS["time_step"],
        time_channel=RESERVOIR_DEFAULTS["time_channel"],
        standardize=RESERVOIR_DEFAULTS["standardize"],
        random_state=RESERVOIR_DEFAULTS["random_state"],
        verbose=RESERVOIR_DEFAULTS["verbose"],
        squared_states=False,
        alpha="auto",
    ):
        self.n_reservoir = n_reservoir
        self.spectral_radius = spectral_radius
        self.leak_rate = leak_rate
        self.input_scaling = input_scaling
        self.bias_scaling = bias_scaling
        self.density = density
        self.washout = washout
        self.include_input = include_input
        self.neuron = neuron
        self.time_step = time_step
        self.time_channel = time_channel
        self.standardize = standardize
        self.random_state = random_state
        self.verbose = verbose
        self.squared_states = squared_states
        self.alpha = alpha

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Draw the reservoir and fit the readout on every step after the washout.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        y : array-like or list of array-like
            One target row per step: a 3D array (n_sequences, n_steps,
            n_targets), a 2D array (n_sequences, n_steps) for one target, or a
            list of arrays (n_steps_i, n_targets) or (n_steps_i,) aligned
            with X.

        sample_weight : array-like of shape (n_sequences,), default=None
            Weight of each sequence (shared by its steps).

        Returns
        -------
        self : LNNStepRegressor
            The fitted regressor.
        """
        seqs = check_sequences(self, X, reset=True)
        check_washout(seqs, self.washout)
        targets, self._single_target = check_step_targets(y, seqs, "y")
        weights = check_sample_weight(sample_weight, len(seqs))
        self.reservoir_ = draw_reservoir(self, seqs.n_features)._fit_standardisation(
            seqs, weights)
        # the fitted reservoir answers for the same inputs as this estimator
        self.reservoir_.n_features_in_ = self.n_features_in_
        self.reservoir_._input_kind = self._input_kind
        self.reservoir_._checked(seqs)
        # what predict and score read: fitted values, not today's parameters
        self._washout, self._squared = self.washout, self.squared_states
        stats = None
        for rows, Y, w in self._scored_rows(seqs, targets, weights):
            stats = merge_statistics(stats, chunk_statistics(rows, Y, w))
        self.coef_, self.intercept_, self.alpha_ = solve_statistics(stats, self.alpha)
        self.n_targets_ = self.coef_.shape[1]
        return self

    def _group_features(self, seqs, progress=None):
        """(sequence indices, per-step readout features of each) by group of
        sequences whose states fit in bounded memory."""
        dyn = self.reservoir_._dynamics()
        for group in _groups(seqs.lengths, self.reservoir_.n_reservoir):
            if progress is not None:
                progress(len(group))
            subset = seqs.subset(np.array(group))
            states = all_states(subset, dyn)
            feats = step_features(self.reservoir_, subset, states)
            if self._squared:  # [h | u | h^2], the forecaster's layout
                feats = [np.hstack([f, np.square(h)]) for f, h in zip(feats, states)]
            yield group, feats

    def _scored_rows(self, seqs, targets, weights):
        """(features, targets, weights) of the steps after the washout, by group."""
        w0 = self._washout
        progress = Progress(self.verbose, type(self).__name__, "fit", len(seqs))
        for group, feats in self._group_features(seqs, progress):
            yield (np.vstack([f[w0:] for f in feats]),
                   np.vstack([targets[i][w0:] for i in group]),
                   np.concatenate([np.full(seqs.lengths[i] - w0, weights[i]) for i in group]))

    def _predict_list(self, seqs):
        out = [None] * len(seqs)
        for group, feats in self._group_features(seqs):
            for i, f in zip(group, feats):
                out[i] = f @ self.coef_ + self.intercept_
        return out

    def predict(self, X):
        """Predict the outputs of every step of every sequence.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        Returns
        -------
        y_pred : ndarray or list of ndarray
            In the form of ``y`` in ``fit``: (n_sequences, n_steps, n_targets)
            or (n_sequences, n_steps) for array input, a list of
            (n_steps_i, n_targets) or (n_steps_i,) arrays for list input.
            float64. Washout steps are included (the reservoir is still
            warming up there).
        """
        check_is_fitted(self)
        seqs = check_sequences(self, X, reset=False)
        self.reservoir_._checked(seqs)
        out = self._predict_list(seqs)
        if self._single_target:
            out = [o[:, 0] for o in out]
        return out if seqs.ragged else np.array(out)

    def score(self, X, y, sample_weight=None):
        """R^2 over every step after the washout (averaged over targets).

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        y : array-like or list of array-like
            Per-step targets, as in ``fit``.

        sample_weight : array-like of shape (n_sequences,), default=None
            Weight of each sequence (shared by its steps).

        Returns
        -------
        score : float
            ``1 - SSE / SST`` per target over all scored steps, averaged.

        Notes
        -----
        ``GridSearchCV(..., scoring="r2")`` would score the predictions of
        every step, washout included, with each step a separate output: use
        the default ``scoring=None`` (this method) or
        :func:`sklearn_lnn.utils.step_scorer` for another metric.
        """
        Y, P, w = self._scored_steps(X, y, sample_weight)
        mean = w @ Y / w.sum()
        sse = w @ (Y - P) ** 2
        sst = w @ (Y - mean) ** 2
        r2 = np.where(sst > 0, 1.0 - sse / np.where(sst > 0, sst, 1.0),
                      np.where(sse > 0, 0.0, 1.0))
        return float(r2.mean())

    def _scored_steps(self, X, y, sample_weight=None):
        """(targets, predictions, weights) of every step after the washout,
        pooled over the sequences: what ``score`` and
        :func:`~sklearn_lnn.utils.step_scorer` judge."""
        check_is_fitted(self)
        seqs = check_sequences(self, X, reset=False)
        check_washout(seqs, self._washout)
        targets, _ = check_step_targets(y, seqs, "y")
        weights = check_sample_weight(sample_weight, len(seqs))
        self.reservoir_._checked(seqs)
        pred = self._predict_list(seqs)
        w0 = self._washout
        Y = np.vstack([t[w0:] for t in targets])
        P = np.vstack([p[w0:] for p in pred])
        w = np.concatenate([np.full(len(t) - w0, wi) for t, wi in zip(targets, weights)])
        if Y.shape[1] != self.n_targets_:
            raise ValueError(f"y has {Y.shape[1]} targets per step; the model was "
                             f"fitted with {self.n_targets_}.")
        return Y, P, w

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.target_tags.required = True
        return tags
