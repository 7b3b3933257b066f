"""LNNClassifier and LNNRegressor: a reservoir and a linear readout in one estimator."""

import numpy as np
from scipy.special import softmax
from sklearn.base import ClassifierMixin, RegressorMixin, _fit_context
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils._param_validation import StrOptions
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils._available_if import available_if
from sklearn.utils.validation import column_or_1d

from ._base import _LNNBase
from .._readout._classes import (check_labels, class_rows, judged_columns, logistic_readout,
                       partial_fit_classes)
from ..utils._docs import fill_doc
from .._readout._ridge import check_sample_weight
from ._reservoir import RESERVOIR_DEFAULTS
from ..utils._warnings import warn
from ..exceptions import PerStepTargetWarning


@fill_doc
class LNNClassifier(ClassifierMixin, _LNNBase):
    """Reservoir classifier: fixed random reservoir and a ridge readout.

    Each sequence runs through a :class:`ReservoirTransformer`; its aggregated
    states are standardised and classified by a ridge classifier (one-vs-all
    least squares on ±1 targets, as :class:`~sklearn.linear_model.RidgeClassifier`). Every reservoir parameter is a parameter of
    this estimator, so ``GridSearchCV(LNNClassifier(), {"leak_rate": [...],
    "spectral_radius": [...]})`` works as is.

    Parameters
    ----------
%(reservoir_parameters)s

%(readout_parameters)s
        With ``readout="logistic"``, the L2 penalty is ``1 / C`` of
        :class:`~sklearn.linear_model.LogisticRegression` and ``"auto"`` means
        1.

%(online_parameters)s

    readout : {"ridge", "logistic"}, default="ridge"
        ``"ridge"``: one-vs-all least squares on +-1 targets, penalty "auto",
        closed form. ``"logistic"``: multinomial logistic regression (slower,
        calibrated ``predict_proba``).

    Attributes
    ----------
    reservoir_ : ReservoirTransformer
        The fitted reservoir (its weights and the input checks).

    coef_ : ndarray of shape (n_features_out, 1) or (n_features_out, n_classes)
        Readout weights on the reservoir features (the standardisation folded
        in); one column for two classes.

    intercept_ : ndarray of shape (1,) or (n_classes,)
        Readout intercepts.

    alpha_ : float
        Ridge penalty used (the leave-one-out or GCV choice of ``"auto"``).

    classes_ : ndarray of shape (n_classes,)
        Class labels.

    n_features_in_ : int
        Features per step for 3D or list input; number of columns (steps)
        for a 2D array of univariate series.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of a DataFrame passed to ``fit``; only defined then.

    See Also
    --------
    ReservoirTransformer : The reservoir alone, to combine with any estimator.
    LNNRegressor : The same model for continuous targets.

    Notes
    -----
%(equations)s

    With the default ridge readout, ``predict_proba`` is the softmax of the
    decision scores (for two classes, of ``[-score, score]``): rows sum to one
    and order the classes as ``predict`` does, but the values are not
    calibrated probabilities. For probabilities, use ``readout="logistic"``
    (multinomial logistic regression, fitted by maximum likelihood) or wrap the
    estimator in :class:`~sklearn.calibration.CalibratedClassifierCV`.

    Examples
    --------
    >>> from sklearn_lnn import LNNClassifier
    >>> from sklearn_lnn.datasets import load_digits_sequences
    >>> X, y = load_digits_sequences(return_X_y=True)
    >>> X.shape
    (1797, 8, 8)
    >>> clf = LNNClassifier(n_reservoir=200, random_state=0).fit(X[:1000], y[:1000])
    >>> bool(clf.score(X[1000:], y[1000:]) > 0.9)
    True
    """

    _parameter_constraints = {
        **_LNNBase._parameter_constraints,
        "readout": [StrOptions({"ridge", "logistic"})],
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
        readout="ridge",
    ):
        super().__init__(
            n_reservoir=n_reservoir,
            spectral_radius=spectral_radius,
            leak_rate=leak_rate,
            input_scaling=input_scaling,
            bias_scaling=bias_scaling,
            density=density,
            washout=washout,
            aggregation=aggregation,
            bidirectional=bidirectional,
            include_input=include_input,
            include_difference=include_difference,
            coarse_factor=coarse_factor,
            neuron=neuron,
            time_step=time_step,
            time_channel=time_channel,
            standardize=standardize,
            random_state=random_state,
            verbose=verbose,
            alpha=alpha,
            forgetting_factor=forgetting_factor,
            keep_statistics=keep_statistics,
        )
        self.readout = readout

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Draw the reservoir and fit the readout on its features.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        y : array-like of shape (n_sequences,)
            Class labels, one per sequence.

        sample_weight : array-like of shape (n_sequences,), default=None
            Weights of the sequences in the readout fit.

        Returns
        -------
        self : LNNClassifier
            The fitted classifier.
        """
        y = self._check_labels(y)
        sample_weight = check_sample_weight(sample_weight, len(y))
        if self.readout == "logistic":
            features, _ = self._fit_reservoir(X, y, sample_weight)
            return self._fit_logistic(features, y, sample_weight)
        binarizer = LabelBinarizer(neg_label=-1, pos_label=1)
        Y = binarizer.fit_transform(y)
        self._class_rows = class_rows(y, binarizer.classes_, sample_weight)
        self._fit_chunked(X, y, Y, sample_weight)
        self.classes_ = binarizer.classes_
        return self

    @available_if(lambda est: est.readout == "ridge")
    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, classes=None, sample_weight=None):
        """Add a chunk of labelled sequences to the readout (online learning).

        Only with ``readout="ridge"``: the logistic readout has no exact
        incremental form.

        The first call draws the reservoir (and fits on this first chunk the
        input standardisation of ``standardize=True`` and the state
        statistics of the "ppv" and "model" parts, which
        ``aggregation="auto"`` picks for univariate or long series, the
        coarse pass's own too) and needs
        `classes`. Later calls add their sequences to the readout's
        statistics; with ``forgetting_factor=1`` chunks give exactly the model
        of one ``fit`` on all of them (with ``standardize=False`` and an
        aggregation without "ppv" and "model"). The readout is solved on the next prediction. A
        call that raises leaves the model exactly as it was. A reservoir
        parameter changed by ``set_params`` since the reservoir was drawn
        raises ValueError (call ``fit`` to start again with it); the readout's
        ``alpha`` and ``forgetting_factor`` may change between calls.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        y : array-like of shape (n_sequences,)
            Class labels of this chunk; each must be one of `classes`.

        classes : array-like of shape (n_classes,), default=None
            Every class the model will ever see. Required on the first call,
            optional (and checked) later.

        sample_weight : array-like of shape (n_sequences,), default=None
            Weights of the sequences of this chunk.

        Returns
        -------
        self : LNNClassifier
            The updated classifier.
        """
        y = column_or_1d(self._check_y(y, dtype=None), warn=True)
        check_classification_targets(y)
        known = partial_fit_classes(getattr(self, "classes_", None), classes, y)
        sample_weight = check_sample_weight(sample_weight, len(y))
        Y = LabelBinarizer(neg_label=-1, pos_label=1).fit(known).transform(y)
        rows = class_rows(y, known, sample_weight)
        self._partial(X, y, Y, sample_weight)
        self._class_rows = rows + getattr(self, "_class_rows", 0)
        self.classes_ = known
        return self

    def _check_labels(self, y):
        """y as a 1-D array of at least two classes, or a ValueError."""
        return check_labels(self._check_y(y, dtype=None))

    def _gcv_columns(self):
        """alpha="auto" judged by the classes with at least two training
        sequences only (see ``judged_columns``)."""
        rows = getattr(self, "_class_rows", None)
        return None if rows is None else judged_columns(rows)

    def _fit_logistic(self, features, y, sample_weight):
        """Multinomial logistic regression on the standardised features."""
        self.alpha_ = 1.0 if self.alpha == "auto" else float(self.alpha)
        self.classes_, self.coef_, self.intercept_ = logistic_readout(
            features, y, sample_weight, self.alpha_, self._feature_weights())
        return self

    def decision_function(self, X):
        """Readout scores of each class.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        Returns
        -------
        scores : ndarray of shape (n_sequences,) or (n_sequences, n_classes)
            For two classes, the score of ``classes_[1]``.
        """
        scores = self._decision(X)
        return scores.ravel() if scores.shape[1] == 1 else scores

    def predict(self, X):
        """Predict the class of each sequence.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        Returns
        -------
        y_pred : ndarray of shape (n_sequences,)
            Predicted class labels.
        """
        scores = self.decision_function(X)
        if scores.ndim == 1:
            return self.classes_[(scores > 0).astype(int)]
        return self.classes_[scores.argmax(axis=1)]

    def predict_proba(self, X):
        """Class probabilities: calibrated with the logistic readout only.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        Returns
        -------
        proba : ndarray of shape (n_sequences, n_classes)
            Columns in the order of ``classes_``.
        """
        scores = self.decision_function(X)
        if scores.ndim == 1:  # logistic: log-odds of classes_[1]; ridge: +-1 fit
            low = np.zeros_like(scores) if self.readout == "logistic" else -scores
            scores = np.column_stack([low, scores])
        return softmax(scores, axis=1)


@fill_doc
class LNNRegressor(RegressorMixin, _LNNBase):
    """Reservoir regressor: fixed random reservoir and a ridge readout.

    Each sequence runs through a :class:`ReservoirTransformer`; its aggregated
    states are standardised and mapped to the targets by ridge regression.
    Single and multi-output targets are supported.

    Parameters
    ----------
%(reservoir_parameters)s

%(readout_parameters)s

%(online_parameters)s

    Attributes
    ----------
    reservoir_ : ReservoirTransformer
        The fitted reservoir (its weights and the input checks).

    coef_ : ndarray of shape (n_features_out,) or (n_features_out, n_targets)
        Readout weights on the reservoir features (the standardisation folded
        in).

    intercept_ : float or ndarray of shape (n_targets,)
        Readout intercepts.

    alpha_ : float
        Ridge penalty used (the leave-one-out or GCV choice of ``"auto"``).

    n_features_in_ : int
        Features per step for 3D or list input; number of columns (steps)
        for a 2D array of univariate series.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of a DataFrame passed to ``fit``; only defined then.

    See Also
    --------
    ReservoirTransformer : The reservoir alone, to combine with any estimator.
    LNNClassifier : The same model for class labels.

    Notes
    -----
%(equations)s

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_lnn import LNNRegressor
    >>> rng = np.random.RandomState(0)
    >>> X = rng.uniform(-1, 1, size=(300, 15, 1))
    >>> y = X[:, -3:, 0].sum(axis=1)  # sum of the last three inputs
    >>> reg = LNNRegressor(n_reservoir=100, random_state=0).fit(X[:200], y[:200])
    >>> reg.reservoir_.aggregation_  # what "auto" chose for univariate series
    'points4_mean_max_ppv'
    >>> reg.reservoir_.profile_points_  # and the series itself, at 15 points
    15
    >>> bool(reg.score(X[200:], y[200:]) > 0.99)
    True
    """

    def _check_targets(self, y):
        """y as a numeric array of one or two dimensions, or a ValueError."""
        y = self._check_y(y, dtype="numeric")
        if y.ndim > 2:
            raise ValueError(
                f"y has {y.ndim} dimensions; expected (n_sequences,) or "
                "(n_sequences, n_targets)."
            )
        return y

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y, sample_weight=None):
        """Draw the reservoir and fit the readout on its features.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        y : array-like of shape (n_sequences,) or (n_sequences, n_targets)
            Targets, one row per sequence.

        sample_weight : array-like of shape (n_sequences,), default=None
            Weights of the sequences in the readout fit.

        Returns
        -------
        self : LNNRegressor
            The fitted regressor.
        """
        y = self._check_targets(y)
        sample_weight = check_sample_weight(sample_weight, len(y))
        self._ravel_output = y.ndim == 1
        lengths = self._fit_chunked(X, y, y.reshape(len(y), -1), sample_weight)
        if y.ndim == 2 and y.shape[1] > 2 and np.all(lengths == y.shape[1]):
            warn(
                f"y has {y.shape[1]} columns, one per step of X: LNNRegressor "
                "predicts one row per sequence and treats them as "
                f"{y.shape[1]} independent outputs. For a target per step, use "
                "LNNStepRegressor.",
                PerStepTargetWarning,
            )
        return self

    @_fit_context(prefer_skip_nested_validation=True)
    def partial_fit(self, X, y, sample_weight=None):
        """Add a chunk of sequences and targets to the readout (online learning).

        The first call draws the reservoir (and fits on this first chunk the
        input standardisation of ``standardize=True`` and the state
        statistics of the "ppv" and "model" parts, which
        ``aggregation="auto"`` picks for univariate or long series, the
        coarse pass's own too). Later
        calls add their sequences to the readout's statistics; with
        ``forgetting_factor=1`` chunks give exactly the model of one ``fit`` on
        all of them (with ``standardize=False`` and an aggregation without
        "ppv" and "model").
        The readout is solved on the next prediction. A call that raises leaves
        the model exactly as it was. A reservoir parameter changed by
        ``set_params`` since the reservoir was drawn raises ValueError (call
        ``fit`` to start again with it); the readout's ``alpha`` and
        ``forgetting_factor`` may change between calls.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        y : array-like of shape (n_sequences,) or (n_sequences, n_targets)
            Targets of this chunk, shaped as on the first call.

        sample_weight : array-like of shape (n_sequences,), default=None
            Weights of the sequences of this chunk.

        Returns
        -------
        self : LNNRegressor
            The updated regressor.
        """
        y = self._check_targets(y)
        Y = y.reshape(len(y), -1)
        if self._continuing():
            expected = self._stats["y_mean"].size
            if Y.shape[1] != expected or (y.ndim == 1) != self._ravel_output:
                raise ValueError(
                    f"y has shape {y.shape}; partial_fit was started with "
                    f"{'a 1-D y' if self._ravel_output else f'{expected} targets'}."
                )
        sample_weight = check_sample_weight(sample_weight, len(y))
        self._partial(X, y, Y, sample_weight)
        self._ravel_output = y.ndim == 1
        return self

    def predict(self, X):
        """Predict the targets of each sequence.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        Returns
        -------
        y_pred : ndarray of shape (n_sequences,) or (n_sequences, n_targets)
            Predicted targets.
        """
        return self._decision(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.multi_output = True
        # scikit-learn's common checks expect R^2 > 0.5 on a tabular
        # make_regression set whose target depends on one of 10 columns. Our 2D
        # contract reads those columns as 10 time steps of one series, and a
        # reservoir's order-dependent features land near 0.5 there (0.39-0.57
        # across leak rates and both neuron models). Regression quality is
        # tested on sequence tasks in tests/test_estimators.py instead.
        tags.regressor_tags.poor_score = True
        return tags
