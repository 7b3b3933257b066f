"""Next-generation reservoir computing (NG-RC): nonlinear vector autoregression.

Gauthier, Bollt, Griffith and Barbosa (2021) replace the random reservoir by
an explicit feature vector: the inputs at ``delay`` time-lagged steps (every
``stride`` steps) and the unique monomials of degree ``order`` of those
lagged inputs. A linear readout on these features is the whole model.

Pure functions on one sequence (n_steps, n_features) or a batch of equal
length sequences (n_sequences, n_steps, n_features); steps before the start
take a zero history (or the `history` given), as a reservoir starts from a
zero state.
"""

from itertools import combinations_with_replacement
from numbers import Integral

import numpy as np
from sklearn.base import (
    BaseEstimator,
    ClassNamePrefixFeaturesOutMixin,
    TransformerMixin,
    _fit_context,
)
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted

from .._engine._aggregation import aggregate_steps, parse_aggregation, width
from ..utils._docs import fill_doc
from ..utils._persistence import VersionStampMixin
from .._engine._sequences import check_sequences, check_washout


def n_lagged(delay, stride):
    """Past steps the features at one step need (besides the step itself)."""
    return (delay - 1) * stride


def monomial_indices(n_linear, order):
    """(n_monomials, order) column indices of the unique degree-`order` monomials."""
    return np.array(list(combinations_with_replacement(range(n_linear), order)),
                    dtype=np.intp).reshape(-1, order)


def n_ngrc_features(n_features, delay, order):
    """Linear plus nonlinear features per step."""
    m = n_features * delay
    return m + monomial_indices(m, order).shape[0]


def ngrc_features(U, delay, stride, order, history=None):
    """Per-step NG-RC features of `U` (..., n_steps, n_features).

    `history` (..., (delay - 1) * stride, n_features) holds the steps just
    before `U` (zeros when None). Returns (..., n_steps, n_features * delay +
    n_monomials): ``[u_t, u_{t-s}, ..., u_{t-(k-1)s}]`` then their monomials.
    """
    U = np.asarray(U)
    past = n_lagged(delay, stride)
    if history is None:
        history = np.zeros(U.shape[:-2] + (past, U.shape[-1]), U.dtype)
    full = np.concatenate([history, U], axis=-2) if past else U
    T = U.shape[-2]
    lags = [full[..., past - j * stride : past - j * stride + T, :] for j in range(delay)]
    linear = np.concatenate(lags, axis=-1)
    idx = monomial_indices(linear.shape[-1], order)
    mono = linear[..., idx[:, 0]].copy()
    for c in range(1, order):
        mono *= linear[..., idx[:, c]]
    return np.concatenate([linear, mono], axis=-1)


def next_history(history, U, delay, stride):
    """The history after the steps `U` (..., n_steps, n_features)."""
    past = n_lagged(delay, stride)
    if not past:
        return history
    full = np.concatenate([history, U], axis=-2)
    return full[..., full.shape[-2] - past :, :].copy()


@fill_doc
class NGRCTransformer(ClassNamePrefixFeaturesOutMixin, TransformerMixin,
                      VersionStampMixin, BaseEstimator):
    """Next-generation reservoir (NVAR) features of sequences, one row each.

    Each step's feature vector is the inputs at ``delay`` time-lagged steps
    (every ``stride`` steps; a zero history before the start) and their unique
    monomials of degree ``order`` (Gauthier et al. 2021). ``transform``
    aggregates a sequence's feature vectors into one row, like
    :class:`ReservoirTransformer`; ``compute_states`` returns them per step.
    Nothing is learnt in ``fit`` beyond the number of features. The
    monomials grow with the scale of the inputs: standardise them first.

    Parameters
    ----------
%(ngrc_lags)s

%(aggregation_parameters)s

    Attributes
    ----------
    n_features_in_ : int
        Features per step for 3D or list input; number of columns (steps)
        for a 2D array of univariate series.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of a DataFrame passed to ``fit``; only defined then.

    See Also
    --------
    ReservoirTransformer : Random recurrent reservoir features.
    NGRCForecaster : NG-RC closed-loop forecasting.

%(ngrc_reference)s

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_lnn import NGRCTransformer
    >>> X = np.random.RandomState(0).normal(size=(5, 20, 3))
    >>> NGRCTransformer(delay=2, order=2).fit_transform(X).shape  # 2 x (6 + 21)
    (5, 54)
    """

    _parameter_constraints = {
        "delay": [Interval(Integral, 1, None, closed="left")],
        "stride": [Interval(Integral, 1, None, closed="left")],
        "order": [Interval(Integral, 2, None, closed="left")],
        "washout": [Interval(Integral, 0, None, closed="left")],
        "aggregation": [str],
    }

    def __init__(self, *, delay=2, stride=1, order=2, washout=0, aggregation="last_mean"):
        self.delay = delay
        self.stride = stride
        self.order = order
        self.washout = washout
        self.aggregation = aggregation

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Check `X` and record its number of features.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        y : None
            Ignored.

        Returns
        -------
        self : NGRCTransformer
            The fitted transformer.
        """
        seqs = check_sequences(self, X, reset=True)
        check_washout(seqs, self.washout)
        parts = parse_aggregation(self.aggregation, state_parts=False)
        self._n_features_out = width(parts) * n_ngrc_features(
            seqs.n_features, self.delay, self.order)
        return self

    def compute_states(self, X):
        """NG-RC feature vector of every step of every sequence.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        Returns
        -------
        features : ndarray of shape (n_sequences, n_steps, n_ngrc_features) or list
            A list of (n_steps_i, n_ngrc_features) arrays for list input.
        """
        check_is_fitted(self)
        seqs = check_sequences(self, X, reset=False)
        if seqs.ragged:
            return [ngrc_features(s, self.delay, self.stride, self.order) for s in seqs.data]
        return ngrc_features(seqs.data, self.delay, self.stride, self.order)

    def transform(self, X):
        """Aggregated NG-RC features of each sequence.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        Returns
        -------
        X_new : ndarray of shape (n_sequences, n_features_out)
            One row per sequence, in the dtype of the input (float32 kept).
        """
        check_is_fitted(self)
        seqs = check_sequences(self, X, reset=False)
        check_washout(seqs, self.washout)
        parts = parse_aggregation(self.aggregation, state_parts=False)
        steps = self.compute_states(X) if seqs.ragged else ngrc_features(
            seqs.data, self.delay, self.stride, self.order)
        rows = [aggregate_steps(V, self.washout, parts) for V in steps]
        return np.array(rows, dtype=seqs.dtype).reshape(len(seqs), -1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
