"""Validation of forecasting data: one series or a panel, with exogenous inputs.

A series is ``(n_steps,)`` (one target) or ``(n_steps, n_targets)``; a panel
is a list of such series (independent, lengths may differ) or a 3D array
``(n_series, n_steps, n_targets)``. Exogenous inputs ``X`` have the same
structure, one row per step of the series they belong to.
"""

import numpy as np

from .._engine._sequences import _check_finite, _numeric

_HELP = (
    "Pass one series as an array of shape (n_steps,) or (n_steps, n_targets) "
    "(or a list of numbers, or of rows), or several independent series as a "
    "list of such arrays (or a 3D array (n_series, n_steps, n_targets))."
)


def _is_array(v):
    """An item that is a series of its own: a numpy array or a pandas object."""
    return (isinstance(v, np.ndarray) and v.ndim > 0) or hasattr(v, "iloc")


def _list_reading(values, name):
    """How a list/tuple reads: "panel" when its items are arrays (or pandas
    objects), "series" when they are numbers or rows (lists): what
    ``np.asarray`` makes of it. Mixed or ragged rows: a ValueError naming
    both readings."""
    arrays = [_is_array(v) for v in values]
    if all(arrays):
        return "panel"
    both = (
        f" Read as one series (np.asarray semantics) every item must be a number "
        f"or a row of {'the same length' if not any(arrays) else 'numbers'}; read "
        "as a panel every item must be an array (np.asarray each series) or a "
        "pandas Series/DataFrame."
    )
    if any(arrays):
        raise ValueError(f"{name} mixes arrays with numbers or lists: it is neither one "
                         f"series nor a panel.{both}")
    try:
        np.asarray(values, dtype=object).astype(np.float64)
    except (TypeError, ValueError):
        ragged = any(isinstance(v, (list, tuple)) for v in values)
        if ragged:
            raise ValueError(f"{name} is a list whose rows differ in length.{both}") from None
    return "series"


def _as_list(values, name, allow_none=False):
    """(list of 2D float64 arrays, panel, one_column) from the accepted forms."""
    if values is None:
        if allow_none:
            return None, None, None
        raise ValueError(f"{name} is required (got None). {_HELP}")
    if isinstance(values, (list, tuple)) and len(values) == 0:
        raise ValueError(f"{name} is an empty list. {_HELP}")
    if isinstance(values, (list, tuple)) and _list_reading(values, name) == "series":
        values = _numeric(np.asarray(values), name)
    if isinstance(values, (list, tuple)) or (
        isinstance(values, np.ndarray) and values.dtype == object and values.ndim == 1
    ):
        if len(values) == 0:
            raise ValueError(f"{name} is an empty list. {_HELP}")
        items = [_numeric(v, f"{name}[{i}]") for i, v in enumerate(values)]
        ndims = {v.ndim for v in items}
        if len(ndims) > 1 or ndims - {1, 2}:
            raise ValueError(f"Every item of {name} must be 1-D or 2D (all alike). {_HELP}")
        panel, one_column = True, ndims == {1}
    else:
        arr = _numeric(values, name)
        if arr.ndim == 0:  # one number: one step of one target
            arr = arr.reshape(1)
        if arr.ndim == 3:
            items, panel, one_column = list(arr), True, False
        elif arr.ndim in (1, 2):
            items, panel, one_column = [arr], False, arr.ndim == 1
        else:
            raise ValueError(f"{name} has {arr.ndim} dimensions (shape {arr.shape}). {_HELP}")
    out = []
    for i, v in enumerate(items):
        v = np.asarray(v, dtype=np.float64)
        v = v.reshape(len(v), 1) if v.ndim == 1 else v
        where = f"{name}[{i}]" if panel else name
        if v.shape[0] == 0 or v.shape[1] == 0:
            raise ValueError(f"{where} is empty (shape {v.shape}). {_HELP}")
        _check_finite(v, where)
        out.append(np.ascontiguousarray(v))
    if len({v.shape[1] for v in out}) > 1:
        raise ValueError(f"Every series of {name} needs the same number of columns.")
    return out, panel, one_column


def check_series(y, X=None):
    """Validated (ys, Xs, panel, one_column) for forecasting.

    `ys` is a list of (n_steps_i, n_targets) arrays, `Xs` a list of aligned
    (n_steps_i, n_exog) arrays or None.
    """
    ys, panel, one_column = _as_list(y, "y")
    Xs = check_exog(X, [len(v) for v in ys], panel)
    return ys, Xs, panel, one_column


def check_lengths(ys, panel, washout, changes, season=None):
    """Every training series needs ``washout + 2`` steps, one more when the
    model may read its changes, ``season`` more with a season."""
    need = washout + 2 + changes + (season or 0)
    for i, v in enumerate(ys):
        if len(v) < need:
            where = f"y[{i}]" if panel else "y"
            raise ValueError(
                f"{where} has {len(v)} steps; at least {need} are needed (washout "
                f"{washout} + 2: the warm-up, then at least one step and the one after "
                "it" + ("; one more as the model may read the changes" if changes else "")
                + (f"; {season} more for the season" if season else "") + ")."
            )


def lagged_changes(ys, lag, before=None):
    """(changes, last values): ``y[t] - y[t - lag]`` of each series in `ys`
    and its last `lag` values ((n_series, lag, n_targets)). With `before`
    (the `lag` values that came before each series) every step has a
    change; without, the first `lag` steps give none. The changes of
    ``difference="series"`` are the case ``lag=1``, the seasonal changes of
    ``season`` the case ``lag=season``."""
    changes, last = [], []
    for i, v in enumerate(ys):
        full = v if before is None else np.vstack([before[i], v])
        changes.append(full[lag:] - full[:-lag])
        last.append(full[-lag:])
    return changes, np.array(last)


def summed_back(changes, last):
    """The values of forecast lagged changes (n_series, n_steps, k):
    ``y[T + j] = y[T + j - lag] + change[j]`` from the `last` (n_series, lag,
    k) values seen, each change added to those one lag before it (for
    ``lag=1`` a cumulative sum onto the last value)."""
    n, h, k = changes.shape
    lag = last.shape[1]
    blocks = -(-h // lag)
    padded = np.zeros((n, blocks * lag, k))
    padded[:, :h] = changes
    sums = np.cumsum(padded.reshape(n, blocks, lag, k), axis=1).reshape(n, -1, k)
    return sums[:, :h] + np.tile(last, (1, blocks, 1))[:, :h]


def check_exog(X, lengths, panel, name="X"):
    """Exogenous inputs aligned with series of `lengths` (None when X is None)."""
    Xs, x_panel, _ = _as_list(X, name, allow_none=True)
    if Xs is None:
        return None
    if x_panel != panel or len(Xs) != len(lengths):
        raise ValueError(
            f"{name} must have the structure of y: "
            f"{'a list of ' + str(len(lengths)) + ' arrays' if panel else 'one array'} "
            "with one row per step."
        )
    for i, (x, n) in enumerate(zip(Xs, lengths)):
        if len(x) != n:
            raise ValueError(
                f"{name}{f'[{i}]' if panel else ''} has {len(x)} rows but the series "
                f"has {n} steps: exogenous inputs need one row per step."
            )
    return Xs
