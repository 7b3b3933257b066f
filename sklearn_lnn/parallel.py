"""Fit and predict on dask arrays of sequences, across a dask cluster.

A ridge readout's data are sufficient statistics that add up (see
``sklearn_lnn._readout``), so a cluster fits the model the way one machine
does: each worker turns its blocks of sequences into reservoir features and
reduces them to a few matrices; the client sums them in order and solves.
The model equals a local ``fit`` on the same data (to rounding).

dask is an optional dependency (``pip install "sklearn_lnn[dask]"``); nothing
here imports it before it is used. For model selection on one machine or a
cluster, ``GridSearchCV`` under ``joblib.parallel_backend("dask")`` needs no
code from this module.
"""

import numpy as np
from sklearn.preprocessing import LabelBinarizer
from sklearn.utils.validation import check_is_fitted

from ._readout._classes import class_rows
from ._engine._coarse import block_means
from ._estimators._lnn import LNNClassifier, LNNRegressor
from ._readout._online import as_state, update_statistics
from ._readout._ridge import check_sample_weight, merge_statistics, scale_statistics
from ._estimators._reservoir import ReservoirTransformer
from ._engine._sequences import check_sequences
from .utils._numeric import unit_scale

__all__ = ["fit", "predict", "transform"]


def _blocks(X):
    import dask.array as da

    if not isinstance(X, da.Array) or X.ndim not in (2, 3):
        raise ValueError(
            "X must be a dask array of shape (n_sequences, n_steps, n_features) or "
            "(n_sequences, n_steps), chunked along axis 0 only."
        )
    if any(len(c) > 1 for c in X.chunks[1:]):
        raise ValueError(
            f"X is chunked along its steps or features (chunks {X.chunks}); "
            "sequences must not be split: rechunk with X.rechunk({1: -1, 2: -1})."
        )
    return list(X.to_delayed().ravel()), X.chunks[0]


def _aligned(values, sizes, name):
    """Per-block pieces of a numpy or dask array aligned with X's blocks."""
    import dask.array as da

    if values is None:
        return [None] * len(sizes)
    if isinstance(values, da.Array):
        values = values.rechunk({0: sizes} if values.ndim == 1 else {0: sizes, 1: -1})
        return list(values.to_delayed().ravel())
    values = np.asarray(values)
    if len(values) != sum(sizes):
        raise ValueError(f"{name} has {len(values)} rows but X has {sum(sizes)} sequences.")
    bounds = np.cumsum((0,) + tuple(sizes))
    return [values[a:b] for a, b in zip(bounds[:-1], bounds[1:])]


def _moments(reservoir, block, weights, factor=None):
    """(weighted count, mean, sum of squared deviations) per channel of a
    block, as the reservoir reads it (difference channels included; a coarse
    pass reads the block means of `factor` steps)."""
    seqs = _coarsened(check_sequences(reservoir, block, reset=False), factor)
    seqs = reservoir._given(seqs)
    a = np.asarray(seqs.data, dtype=np.float64)
    a = a.reshape(-1, a.shape[-1])
    steps = len(a) // len(block)
    w = np.repeat(np.ones(len(block)) if weights is None else np.asarray(weights, float), steps)
    count = w.sum()
    mean = w @ a / count
    return count, mean, w @ (a - mean) ** 2


def _coarsened(seqs, factor):
    return seqs if factor is None else block_means(seqs, factor)


def _fit_reservoir_statistics(reservoir, X, blocks, w_blocks, weights_all, factor=None):
    """Refit the reservoir's input standardisation over all blocks and its
    state statistics on the sample of sequences a local fit takes, gathered
    from X (for the coarse pass, from the block means of `factor` steps)."""
    import dask

    if reservoir.standardize:
        moments = dask.compute(*[dask.delayed(_moments)(reservoir, b, w, factor)
                                 for b, w in zip(blocks, w_blocks)])
        reservoir._set_standardisation(*_combine_moments(moments))
    if reservoir._needs_state_statistics():
        n_steps = X.shape[1] if factor is None else -(-X.shape[1] // factor)
        kept, w = reservoir._state_sample(np.full(X.shape[0], n_steps), weights_all)
        sample = check_sequences(reservoir, np.asarray(X[kept].compute()), reset=False)
        reservoir._fit_state_statistics_on(reservoir._inputs(_coarsened(sample, factor)), w)


def _combine_moments(parts):
    count, mean, m2 = parts[0]
    for c, m, s in parts[1:]:
        total = count + c
        delta = m - mean
        mean = mean + delta * c / total
        m2 = m2 + s + delta**2 * count * c / total
        count = total
    return mean, unit_scale(np.sqrt(m2 / count), mean, count)


def _block_statistics(reservoir, block, Y, weights, forgetting_factor):
    seqs = check_sequences(reservoir, block, reset=False)
    features = reservoir._features(seqs)
    w = None if weights is None or np.all(weights == 1) else weights
    return update_statistics(None, features, np.asarray(Y, dtype=float).reshape(len(block), -1),
                             w, forgetting_factor)


def fit(estimator, X, y, sample_weight=None):
    """Fit an LNNClassifier or LNNRegressor on a dask array, block by block.

    Each block of sequences is turned into readout statistics where it lives
    (one task per block); the client merges them in order and solves the
    readout. The input standardisation is reduced the same way. The result
    equals ``estimator.fit(X.compute(), y)`` to rounding, without the data
    ever being gathered in one place.

    Parameters
    ----------
    estimator : LNNClassifier or LNNRegressor
        Fitted in place (with ``readout="ridge"`` for a classifier).
    X : dask.array.Array of shape (n_sequences, n_steps, n_features) or (n_sequences, n_steps)
        Chunked along axis 0 only.
    y : array-like or dask.array.Array of shape (n_sequences,) or (n_sequences, n_targets)
        Targets.
    sample_weight : array-like or dask.array.Array of shape (n_sequences,), default=None
        Weights of the sequences.

    Returns
    -------
    estimator : LNNClassifier or LNNRegressor
        The fitted estimator.
    """
    import dask

    _check_estimator(estimator, (LNNClassifier, LNNRegressor), "fit")
    estimator._validate_params()
    if getattr(estimator, "readout", "ridge") != "ridge":
        raise ValueError("A distributed fit needs readout='ridge'.")
    blocks, sizes = _blocks(X)
    y_blocks = _aligned(y, sizes, "y")
    w_blocks = _aligned(sample_weight, sizes, "sample_weight")
    # the checks of a local fit, on the targets and weights gathered here
    y_all = np.concatenate(dask.compute(*y_blocks))
    classifier = isinstance(estimator, LNNClassifier)
    if classifier:
        y_all = estimator._check_labels(y_all)
        binarizer = LabelBinarizer(neg_label=-1, pos_label=1).fit(y_all)
        Y_blocks = [dask.delayed(binarizer.transform)(b) for b in y_blocks]
    else:
        y_all = estimator._check_targets(y_all)
        Y_blocks = y_blocks
    if sample_weight is not None:
        check_sample_weight(np.concatenate(dask.compute(*w_blocks)), len(y_all))
    # the reservoir, drawn on the client from the first block's shape, with
    # the statistics of all blocks (its coarse pass's too)
    first = np.asarray(blocks[0].compute())
    reservoir, _ = estimator._new_reservoir(first, np.zeros(len(first)), None)
    weights_all = None if sample_weight is None else np.concatenate(
        dask.compute(*w_blocks))
    _fit_reservoir_statistics(reservoir, X, blocks, w_blocks, weights_all)
    if getattr(reservoir, "_coarse", None) is not None:
        _fit_reservoir_statistics(reservoir._coarse, X, blocks, w_blocks, weights_all,
                                  reservoir.coarse_factor_)
    shared = dask.delayed(reservoir, pure=True)  # shipped once, not per task
    parts = dask.compute(*[
        dask.delayed(_block_statistics)(shared, b, Yb, w, estimator.forgetting_factor)
        for b, Yb, w in zip(blocks, Y_blocks, w_blocks)
    ])
    stats = None
    for size, part in zip(sizes, parts):
        stats = merge_statistics(scale_statistics(stats, estimator.forgetting_factor**size), part)
    estimator.reservoir_ = reservoir
    estimator._stats, estimator._solution = as_state(stats), None
    estimator._online = False
    if classifier:
        estimator.classes_ = binarizer.classes_
        estimator._class_rows = class_rows(y_all, binarizer.classes_, weights_all)
    else:
        estimator._ravel_output = np.ndim(y) == 1
    estimator._solved()
    return estimator


def _check_estimator(estimator, kinds, what):
    """TypeError unless `estimator` is one of `kinds`; NotFittedError when
    `what` needs it fitted and it is not."""
    if not isinstance(estimator, kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise TypeError(f"sklearn_lnn.parallel.{what} takes an {names}; got "
                        f"{type(estimator).__name__}.")
    if what != "fit":
        check_is_fitted(estimator)


def _call(block, estimator, method):
    return np.asarray(getattr(estimator, method)(block)).reshape(len(block), -1)


def _apply(estimator, X, method, n_columns, dtype):
    import dask

    _blocks(X)
    shared = dask.delayed(estimator, pure=True)
    return X.map_blocks(
        _call, shared, method, drop_axis=list(range(1, X.ndim)), new_axis=[1],
        chunks=(X.chunks[0], (n_columns,)), dtype=dtype,
        meta=np.empty((0, n_columns), dtype=dtype),
    )


def predict(estimator, X):
    """Lazy predictions of a fitted estimator on a dask array of sequences.

    Parameters
    ----------
    estimator : fitted LNNClassifier or LNNRegressor
        The model (sent to the workers once).
    X : dask.array.Array
        Sequences, chunked along axis 0 only.

    Returns
    -------
    y_pred : dask.array.Array of shape (n_sequences,) or (n_sequences, n_targets)
        Computed block by block when asked for.
    """
    _check_estimator(estimator, (LNNClassifier, LNNRegressor), "predict")
    classes = getattr(estimator, "classes_", None)
    if classes is not None:
        return _apply(estimator, X, "predict", 1, classes.dtype)[:, 0]
    n_out = np.asarray(estimator.intercept_).size
    out = _apply(estimator, X, "predict", n_out, np.float64)
    return out[:, 0] if getattr(estimator, "_ravel_output", False) else out


def transform(estimator, X):
    """Lazy reservoir features of a dask array of sequences.

    Parameters
    ----------
    estimator : fitted ReservoirTransformer
        The transformer (sent to the workers once).
    X : dask.array.Array
        Sequences, chunked along axis 0 only.

    Returns
    -------
    features : dask.array.Array of shape (n_sequences, n_features_out)
        Computed block by block when asked for.
    """
    _check_estimator(estimator, (ReservoirTransformer,), "transform")
    dtype = np.float32 if X.dtype == np.float32 else np.float64
    return _apply(estimator, X, "transform", estimator._n_features_out, dtype)
