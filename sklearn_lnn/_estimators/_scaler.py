"""SequenceScaler: standardise sequences inside a Pipeline."""

import numpy as np
from sklearn.base import BaseEstimator, OneToOneFeatureMixin, TransformerMixin, _fit_context
from sklearn.utils._available_if import available_if
from sklearn.utils._set_output import ADAPTERS_MANAGER, _get_output_config
from sklearn.utils.validation import check_is_fitted

from ..utils._docs import fill_doc
from ..utils._persistence import VersionStampMixin
from .._engine._scaling import channel_statistics, standardise, unstandardise
from .._engine._sequences import TABULAR, check_sequences
from ..utils._numeric import unit_scale


def _per_sequence(seqs):
    """Each sequence standardised by its own per-channel mean and spread."""
    out = []
    for a in (seqs.data if seqs.ragged else list(seqs.data)):
        mean = a.mean(axis=0, dtype=np.float64)
        std = a.std(axis=0, dtype=np.float64)
        std = unit_scale(std, mean, len(a))
        out.append(((a - mean) / std).astype(a.dtype))
    return out


@fill_doc
class SequenceScaler(OneToOneFeatureMixin, TransformerMixin, VersionStampMixin,
                     BaseEstimator, auto_wrap_output_keys=None):
    """Standardise sequences: per channel over all training steps, or per sequence.

    scikit-learn's ``StandardScaler`` only takes 2D arrays; this scaler takes
    every form of the input contract and returns the same form, so it can sit
    in a ``Pipeline`` before any sequence estimator and be cross-validated
    with it. The reservoir estimators of this package already standardise
    their inputs (``standardize=True``, which also clips multichannel inputs
    at 3 standard deviations); use this one, which does not clip, in front of
    other estimators, or for per-sequence z-normalisation.

    Parameters
    ----------
    per_sequence : bool, default=False
        False: subtract each channel's mean and divide by its standard
        deviation over all steps of all training sequences (fitted in
        ``fit``). True: z-normalise every sequence with its own per-channel
        mean and standard deviation (nothing is fitted; shapes and offsets of
        each series are removed, which suits some univariate shape tasks).

    Attributes
    ----------
    mean_ : ndarray of shape (n_channels,)
        Per-channel mean of the training steps (not with ``per_sequence``).

    scale_ : ndarray of shape (n_channels,)
        Per-channel standard deviation (1 for a constant channel).

    n_features_in_ : int
        Features per step for 3D or list input; number of columns (steps)
        for a 2D array of univariate series.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names of a DataFrame passed to ``fit``; only defined then.

    See Also
    --------
    ReservoirTransformer : Its ``standardize`` does the first mode internally.

    Notes
    -----
    ``set_output(transform="pandas")`` (or scikit-learn's global
    ``transform_output``) gives a DataFrame for the 2D form of univariate
    series, with the input's index; sequences (3D arrays, lists) have no
    DataFrame form and come back as they went in, so a ``Pipeline`` holding
    the scaler works under a global pandas output setting.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.pipeline import make_pipeline
    >>> from sklearn_lnn import LNNClassifier, SequenceScaler
    >>> from sklearn_lnn.datasets import load_digits_sequences
    >>> X, y = load_digits_sequences(return_X_y=True)
    >>> model = make_pipeline(SequenceScaler(), LNNClassifier(n_reservoir=100, random_state=0))
    >>> bool(model.fit(X[:1000] * 16, y[:1000]).score(X[1000:] * 16, y[1000:]) > 0.9)
    True
    """

    _parameter_constraints = {"per_sequence": ["boolean"]}

    def __init__(self, *, per_sequence=False):
        self.per_sequence = per_sequence

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Fit the per-channel statistics (nothing with ``per_sequence``).

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        y : None
            Ignored.

        Returns
        -------
        self : SequenceScaler
            The fitted scaler.
        """
        seqs = check_sequences(self, X, reset=True)
        for name in ("mean_", "scale_"):
            self.__dict__.pop(name, None)
        if not self.per_sequence:
            self.mean_, self.scale_ = channel_statistics(seqs)
        self._fitted = True
        return self

    def transform(self, X):
        """Standardise `X`; the result has the form (and float dtype) of `X`.

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        Returns
        -------
        X_new : ndarray or list of ndarray
            A 3D array, a list of 2D arrays, or a 2D array, as `X` was.
        """
        check_is_fitted(self, "_fitted")
        seqs = check_sequences(self, X, reset=False)
        if self.per_sequence:
            data = _per_sequence(seqs)
        else:
            data = standardise(seqs, self.mean_, self.scale_).data
        return self._in_form_of(seqs, data, X)

    @available_if(lambda self: not self.per_sequence)
    def inverse_transform(self, X):
        """Undo ``transform``: ``x * scale_ + mean_`` per channel, form kept.

        Only without ``per_sequence`` (each sequence's own statistics are not
        kept).

        Parameters
        ----------
        X : array-like or list of array-like
%(input)s

        Returns
        -------
        X_original : ndarray or list of ndarray
            In the units of the training data, in the form of `X`.
        """
        check_is_fitted(self, "_fitted")
        seqs = check_sequences(self, X, reset=False)
        return self._in_form_of(seqs, unstandardise(seqs, self.mean_, self.scale_).data, X)

    def _in_form_of(self, seqs, data, X):
        """`data` in the form `X` came in: a list, a 3D array, or the 2D form
        (a DataFrame under a pandas / polars output setting)."""
        if seqs.ragged:
            return list(data)
        data = np.asarray(data)
        if self._input_kind != TABULAR:
            return data
        dense = _get_output_config("transform", self)["dense"]
        if dense == "default":
            return data[:, :, 0]
        return ADAPTERS_MANAGER.adapters[dense].create_container(
            data[:, :, 0], X, columns=self.get_feature_names_out)

    def set_output(self, *, transform=None):
        """Set the output container of ``transform`` for the 2D form.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"}, default=None
            "default": arrays as today; "pandas" / "polars": a DataFrame for
            the 2D form of univariate series (sequences keep their form, see
            Notes); None leaves the setting unchanged.

        Returns
        -------
        self : SequenceScaler
            The scaler.
        """
        if transform is None:
            return self
        if transform not in ("default", *ADAPTERS_MANAGER.supported_outputs):
            raise ValueError(f"transform must be one of 'default', 'pandas', 'polars'; "
                             f"got {transform!r}.")
        self._sklearn_output_config = {"transform": transform}
        return self

    def __sklearn_is_fitted__(self):
        return getattr(self, "_fitted", False)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.three_d_array = True
        tags.transformer_tags.preserves_dtype = ["float64", "float32"]
        return tags
