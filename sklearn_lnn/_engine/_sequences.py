"""The input contract: every accepted form of sequence data -> one internal form.

Accepted forms (axis 0 is always the sequence axis):

* a 3D array ``(n_sequences, n_steps, n_features)``;
* a list or tuple (or 1-D object array) of 2D arrays ``(n_steps_i, n_features)``;
* a 2D array or DataFrame ``(n_sequences, n_steps)`` of univariate series.

The internal form is a :class:`Sequences`: either a C-contiguous 3D float array
(all sequences of one length) or a list of C-contiguous 2D float arrays, plus
their lengths. float32 input stays float32; every other numeric input becomes
float64.
"""

from dataclasses import dataclass
from numbers import Number

import numpy as np
import scipy.sparse as sp
from sklearn.utils.validation import validate_data

from ..exceptions import ChannelsFirstWarning
from ..utils._warnings import warn

_FORMS_HELP = (
    "Expected a 3D array of shape (n_sequences, n_steps, n_features), a list "
    "of 2D arrays of shape (n_steps_i, n_features), or a 2D array/DataFrame of "
    "shape (n_sequences, n_steps) holding univariate series."
)

#: What ``_input_kind`` records: a 2D table of univariate series, or sequences.
TABULAR, SEQUENCES = "tabular", "sequences"


@dataclass(frozen=True)
class Sequences:
    """Validated sequences.

    Attributes
    ----------
    data : ndarray of shape (n_sequences, n_steps, n_features) or list of ndarray
        The sequences, float32 or float64, C-contiguous.
    lengths : ndarray of shape (n_sequences,)
        Number of steps of each sequence.
    ragged : bool
        True when `data` is a list (the caller passed a list or object array).
    """

    data: object
    lengths: np.ndarray
    ragged: bool

    @property
    def dtype(self):
        return self.data[0].dtype if self.ragged else self.data.dtype

    @property
    def n_features(self):
        return self.data[0].shape[1] if self.ragged else self.data.shape[2]

    def __len__(self):
        return len(self.lengths)

    def __getitem__(self, i):
        return self.data[i]

    def reversed(self, time_channel=None):
        """The sequences with time reversed.

        An elapsed-time channel is reversed and shifted by one step, so each
        reversed step keeps the time elapsed since its reversed predecessor.
        """
        def flip(a):
            a = a[::-1] if a.ndim == 2 else a[:, ::-1]
            if time_channel is None:
                return a
            a = a.copy()
            a[..., time_channel] = np.roll(a[..., time_channel], 1, axis=-1)
            return a

        if self.ragged:
            return Sequences([flip(a) for a in self.data], self.lengths, True)
        return Sequences(flip(self.data), self.lengths, False)

    def with_difference(self, time_channel=None):
        """The sequences with a first-difference channel ``x_t - x_{t-1}``
        (0 at the first step) appended for every channel but `time_channel`."""
        def add(a):
            x = np.delete(a, time_channel, axis=-1) if time_channel is not None else a
            diff = np.zeros_like(x)
            diff[..., 1:, :] = np.diff(x, axis=-2)
            return np.concatenate([a, diff], axis=-1)

        if self.ragged:
            return Sequences([add(a) for a in self.data], self.lengths, True)
        return Sequences(add(self.data), self.lengths, False)

    def clipped(self, low, high):
        """The sequences with each channel clipped to ``[low, high]`` (arrays
        of one bound per channel), dtype kept."""
        low, high = low.astype(self.dtype), high.astype(self.dtype)
        if self.ragged:
            return Sequences([np.clip(a, low, high) for a in self.data], self.lengths, True)
        return Sequences(np.clip(self.data, low, high), self.lengths, False)

    def subset(self, indices):
        """The sequences at `indices`, in that order."""
        if len(indices) == len(self) and np.array_equal(indices, np.arange(len(self))):
            return self
        if self.ragged:
            return Sequences([self.data[i] for i in indices], self.lengths[indices], True)
        return Sequences(self.data[indices], self.lengths[indices], False)


def _float_dtype(arrays):
    """float32 when every array is float32, float64 otherwise."""
    return (
        np.float32 if all(a.dtype == np.float32 for a in arrays) else np.float64
    )


def _numeric(a, where):
    """Return `a` as a numeric ndarray or raise a ValueError/TypeError naming `where`."""
    a = np.asarray(a)
    kind = a.dtype.kind
    if kind == "c":
        raise ValueError(
            f"{where} is complex; reservoir inputs must be real. Pass the real "
            "and imaginary parts as separate features."
        )
    if kind == "O":
        try:
            a = a.astype(np.float64)
        except (TypeError, ValueError) as exc:
            raise ValueError(
                f"{where} holds values that are not numbers ({exc}). Encode "
                "non-numeric values as numbers before passing them."
            ) from None
    elif kind not in "biuf":
        raise ValueError(
            f"{where} has dtype {a.dtype}; expected numbers (bool, int or float)."
        )
    return a


def _check_finite(a, where):
    if not np.isfinite(a).all():
        bad = np.argwhere(~np.isfinite(a))[0]
        raise ValueError(
            f"{where} contains NaN or infinity (first at step {bad[0]}). "
            "Reservoirs need finite inputs: impute or drop the missing steps "
            "before passing the data."
        )


def _is_sequence_list(X):
    """True for a list/tuple or 1-D object array whose items are 2D array-likes."""
    if isinstance(X, np.ndarray):
        return X.dtype == object and X.ndim == 1 and len(X) > 0 and all(
            np.ndim(x) == 2 for x in X if not isinstance(x, (str, bytes))
        )
    if isinstance(X, (list, tuple)) and len(X) > 0:
        return any(
            not isinstance(x, (Number, str, bytes)) and np.ndim(x) == 2 for x in X
        )
    return False


def _validate_list(X):
    arrays = []
    for i, x in enumerate(X):
        if isinstance(x, (Number, str, bytes)) or np.ndim(x) != 2:
            raise ValueError(
                f"Sequence {i} of the list has {np.ndim(x)} dimensions; every "
                "item must be a 2D array of shape (n_steps_i, n_features). "
                "Reshape a univariate sequence s with s.reshape(-1, 1)."
            )
        arrays.append(_numeric(x, f"Sequence {i}"))
    n_features = {a.shape[1] for a in arrays}
    if len(n_features) > 1:
        counts = [a.shape[1] for a in arrays]
        first_bad = next(i for i, c in enumerate(counts) if c != counts[0])
        raise ValueError(
            "All sequences must have the same number of features per step: "
            f"sequence 0 has {counts[0]}, sequence {first_bad} has "
            f"{counts[first_bad]}. Make every item (n_steps_i, n_features) with "
            "one n_features."
        )
    dtype = _float_dtype(arrays)
    data = []
    for i, a in enumerate(arrays):
        if a.shape[0] == 0:
            raise ValueError(
                f"Sequence {i} is empty (0 steps); every sequence needs at least "
                "one step. Drop empty sequences before passing the data."
            )
        if a.shape[1] == 0:
            raise ValueError(
                "Sequences have 0 features per step; at least one is required."
            )
        a = np.ascontiguousarray(a, dtype=dtype)
        _check_finite(a, f"Sequence {i}")
        data.append(a)
    return Sequences(data, np.array([len(a) for a in data], dtype=np.intp), True)


def _validate_3d(X):
    X = _numeric(X, "X")
    n, t, d = X.shape
    if n == 0:
        raise ValueError(
            f"X has 0 sequences (shape {X.shape}); at least one is required."
        )
    if t == 0:
        raise ValueError(
            f"X has 0 steps per sequence (shape {X.shape}); every sequence needs "
            "at least one step."
        )
    if d == 0:
        raise ValueError(
            f"X has 0 features per step (shape {X.shape}); at least one is required."
        )
    X = np.ascontiguousarray(X, dtype=_float_dtype([X]))
    chunk = max(1, 2**20 // max(1, t * d))  # bounded temporary memory
    for start in range(0, n, chunk):
        bad = ~np.isfinite(X[start : start + chunk]).all(axis=(1, 2))
        if bad.any():
            i = start + int(np.argmax(bad))
            _check_finite(X[i], f"Sequence {i}")
    return Sequences(X, np.full(n, t, dtype=np.intp), False)


def check_sequences(estimator, X, *, reset):
    """Validate `X` against the input contract and `estimator`'s fitted state.

    With ``reset=True`` this records on `estimator` the input kind, the number
    of features per step and, for DataFrames, ``feature_names_in_``. With
    ``reset=False`` it checks `X` against them.

    Returns
    -------
    sequences : Sequences
    """
    is_list = not sp.issparse(X) and _is_sequence_list(X)
    try:
        # sparse input goes down the tabular path, whose check rejects it
        ndim = (
            2 if sp.issparse(X)
            else None if is_list
            else X.ndim if hasattr(X, "ndim")
            else np.asarray(X).ndim
        )
    except ValueError:
        raise ValueError(
            f"{_FORMS_HELP} Got a ragged nesting that is none of these; for "
            "univariate sequences of different lengths pass a list of arrays "
            "of shape (n_steps_i, 1)."
        ) from None
    if not is_list and ndim not in (2, 3):
        raise ValueError(
            f"{_FORMS_HELP} Got an input with {ndim} dimension(s) "
            f"(shape {np.shape(np.asarray(X))}). Reshape your data: a single "
            "univariate sequence s is s.reshape(1, -1); a single multivariate "
            "sequence S of shape (n_steps, n_features) is S[np.newaxis]."
        )
    kind = TABULAR if ndim == 2 else SEQUENCES
    name = type(estimator).__name__
    if not reset and kind != estimator._input_kind:
        if kind == TABULAR:
            raise ValueError(
                f"{name} was fitted on sequences with {estimator.n_features_in_} "
                "feature(s) per step (a 3D array or a list of 2D arrays), but "
                "got a 2D array. Pass the same form as in fit: for univariate "
                "series use X[:, :, np.newaxis]."
            )
        raise ValueError(
            f"{name} was fitted on a 2D array of univariate series (n_sequences, "
            f"n_steps={estimator.n_features_in_}), but got a 3D array or a list "
            "of sequences. Pass the same form as in fit (for a 3D array of "
            "univariate series use X[:, :, 0]) or refit on this form."
        )
    if kind == TABULAR:
        X = validate_data(
            estimator,
            X,
            reset=reset,
            dtype=[np.float64, np.float32],
            ensure_all_finite=False,
        )
        for i in np.flatnonzero(~np.isfinite(X).all(axis=1))[:1]:
            _check_finite(X[i][:, None], f"Sequence {i}")
        seqs = Sequences(
            np.ascontiguousarray(X[:, :, np.newaxis]),
            np.full(X.shape[0], X.shape[1], dtype=np.intp),
            False,
        )
        if reset:
            estimator._input_kind = TABULAR
        return seqs

    # 3D arrays and lists of sequences: only the feature-name bookkeeping comes
    # from scikit-learn; n_features_in_ counts features per step.
    validate_data(estimator, X, reset=reset, skip_check_array=True, ensure_2d=False)
    seqs = _validate_list(X) if is_list else _validate_3d(X)
    if reset:
        estimator._input_kind = SEQUENCES
        estimator.n_features_in_ = seqs.n_features
        if not is_list:
            _warn_if_channels_first(seqs.data.shape)
    elif seqs.n_features != estimator.n_features_in_:
        hint = ""
        if not is_list and seqs.data.shape[1] == estimator.n_features_in_:
            hint = (" The array has as many steps as the model has features: it "
                    "may be channels-first (n_cases, n_channels, n_timepoints); "
                    "convert it with sklearn_lnn.datasets.from_channels_first(X).")
        raise ValueError(
            f"X has {seqs.n_features} features, but {name} is expecting "
            f"{estimator.n_features_in_} features as input (features per step; "
            "pass sequences of shape (n_steps, "
            f"{estimator.n_features_in_})).{hint}"
        )
    return seqs


#: A 3D array with fewer steps than this share of its features is suspect.
CHANNELS_FIRST_RATIO = 0.25


def copy_input_record(source, target):
    """Make `target` answer for the same inputs as the fitted `source`: the
    record ``check_sequences(..., reset=True)`` leaves (``n_features_in_``,
    ``_input_kind`` and, for a DataFrame, ``feature_names_in_``)."""
    for name in ("n_features_in_", "_input_kind", "feature_names_in_"):
        if hasattr(source, name):
            setattr(target, name, getattr(source, name))
    return target


def _warn_if_channels_first(shape):
    """Warn when a 3D array has far fewer steps than features per step."""
    n, t, d = shape
    if t < CHANNELS_FIRST_RATIO * d:
        warn(
            f"X has shape {shape}: read as {n} sequences of {t} steps with {d} "
            "features each. If your data are channels-first (n_cases, "
            "n_channels, n_timepoints), as aeon, sktime and tslearn give them, "
            "convert them with sklearn_lnn.datasets.from_channels_first(X) "
            "(that is, X.transpose(0, 2, 1)).",
            ChannelsFirstWarning,
        )


def check_washout(seqs, washout):
    """Raise a ValueError naming the first sequence not longer than `washout`."""
    short = np.flatnonzero(seqs.lengths <= washout)
    if short.size:
        i = short[0]
        raise ValueError(
            f"Sequence {i} has {seqs.lengths[i]} steps, but washout={washout} "
            "drops the first washout steps and leaves none. Lower washout below "
            f"the shortest sequence length ({seqs.lengths.min()}) or drop short "
            "sequences."
        )


def check_time_channel(time_channel, n_channels):
    """1 if `time_channel` takes one of the `n_channels` away from the inputs,
    else 0; a ValueError if it cannot."""
    if time_channel is None:
        return 0
    if n_channels < 2:
        raise ValueError(
            f"time_channel={time_channel} needs at least one input channel besides "
            f"the elapsed times, but the sequences have {n_channels} feature per "
            "step. Add the elapsed times as an extra feature (or set "
            "time_channel=None and use time_step for a constant step)."
        )
    if time_channel >= n_channels:
        raise ValueError(
            f"time_channel={time_channel} is out of range: the sequences have "
            f"{n_channels} features per step (channels 0..{n_channels - 1})."
        )
    return 1


def check_elapsed_times(seqs, time_channel):
    """Raise a ValueError naming the first sequence with a negative elapsed time."""
    if time_channel is None:
        return
    for i in range(len(seqs)):
        times = seqs[i][:, time_channel]
        if times.min() < 0:
            step = int(np.argmax(times < 0))
            raise ValueError(
                f"Sequence {i} has a negative elapsed time ({times[step]:.3g}) at "
                f"step {step} in time_channel={time_channel}. Elapsed times are the "
                "time since the previous step and must be >= 0."
            )


def check_step_targets(Y, seqs, name="Y"):
    """Per-step targets aligned with `seqs`: (list of (n_steps_i, n_targets)
    float64 arrays, single) where `single` says the targets had no target axis
    (a 2D array (n_sequences, n_steps) or a list of 1-D arrays)."""
    help_ = (
        f"{name} must hold one target row per step of X: a 3D array (n_sequences, "
        "n_steps, n_targets), a 2D array (n_sequences, n_steps) for one target, "
        "or a list of arrays (n_steps_i, n_targets) or (n_steps_i,) aligned with X."
    )
    if Y is None:
        raise ValueError(f"{name} is required. {help_}")
    if isinstance(Y, (list, tuple)) or (isinstance(Y, np.ndarray) and Y.dtype == object):
        items = [_numeric(y, f"{name}[{i}]") for i, y in enumerate(Y)]
        if {y.ndim for y in items} - {1, 2} or len({y.ndim for y in items}) > 1:
            raise ValueError(f"{name} mixes or has items that are not 1-D or 2D. {help_}")
        single = items[0].ndim == 1 if items else False
    else:
        arr = _numeric(np.asarray(Y), name)
        if arr.ndim not in (2, 3):
            raise ValueError(f"{name} has {arr.ndim} dimension(s) (shape {arr.shape}). {help_}")
        single = arr.ndim == 2
        items = list(arr)
    if len(items) != len(seqs):
        raise ValueError(
            f"{name} has targets for {len(items)} sequences but X has {len(seqs)}. {help_}"
        )
    out = []
    for i, y in enumerate(items):
        y = np.asarray(y, dtype=np.float64).reshape(len(y), -1)
        if len(y) != seqs.lengths[i]:
            raise ValueError(
                f"Sequence {i} has {seqs.lengths[i]} steps but {name}[{i}] has "
                f"{len(y)} target rows. {help_}"
            )
        _check_finite(y, f"{name}[{i}]")
        out.append(y)
    if len({y.shape[1] for y in out}) > 1:
        raise ValueError(f"Every item of {name} needs the same number of targets. {help_}")
    return out, single
