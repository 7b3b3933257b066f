"""Process-wide configuration: ``set_config``, ``get_config``, ``config_context``.

The feature cache is one per process (it serves every estimator and every
thread), so its settings are process-wide too, unlike scikit-learn's
thread-local configuration. This module owns the settings; whoever acts on
them (the feature cache) registers with :func:`on_change` and reads them,
so nothing here imports the cache.

The configuration in force is the base (``set_config``) with the settings of
every open ``config_context`` block over it, in the order the blocks were
entered. A block that ends removes its own settings only: blocks that overlap
in several threads each restore what they changed, and nothing else.
"""

import threading
from contextlib import contextmanager
from numbers import Integral

_DEFAULTS = {
    "feature_cache_bytes": 256 * 2**20,
    "feature_cache_min_work": 100_000,
}
_base = dict(_DEFAULTS)
_blocks = []  # (token, settings) of the open config_context blocks, oldest first
_listeners = []
_lock = threading.RLock()


def _current():
    config = dict(_base)
    for _, settings in _blocks:
        config.update(settings)
    return config


def _changed():
    """Tell the listeners the configuration in force (lock held)."""
    config = _current()
    for listener in _listeners:
        listener(config)


def on_change(listener):
    """Call ``listener(config)`` now and whenever the configuration changes."""
    with _lock:
        _listeners.append(listener)
        listener(_current())


def _validated(**params):
    """The given (not None) settings as ints; ValueError naming a bad value."""
    updates = {}
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, Integral) or value < 0:
            raise ValueError(f"{name} must be an integer >= 0; got {value!r}.")
        updates[name] = int(value)
    return updates


def get_config():
    """The current configuration (a copy).

    Returns
    -------
    config : dict
        ``feature_cache_bytes`` and ``feature_cache_min_work``; see
        :func:`set_config`.

    Examples
    --------
    >>> import sklearn_lnn
    >>> sklearn_lnn.get_config()["feature_cache_bytes"] > 0
    True
    """
    with _lock:
        return _current()


def set_config(feature_cache_bytes=None, feature_cache_min_work=None):
    """Set the process-wide configuration of sklearn_lnn.

    Parameters
    ----------
    feature_cache_bytes : int >= 0, default=None
        Memory the feature cache may hold (rows, keys and bookkeeping); 0
        switches it off and empties it. The cache keeps each sequence's
        reservoir features so that cross-validation folds and refits reuse
        them; it never changes a result. Default 256 MiB. None leaves the
        setting unchanged.
    feature_cache_min_work : int >= 0, default=None
        Sequences cheaper than this many multiply-adds (steps x units^2) are
        not cached: recomputing them costs less than a lookup. None leaves
        the setting unchanged.

    Examples
    --------
    >>> import sklearn_lnn
    >>> sklearn_lnn.set_config(feature_cache_bytes=64 * 2**20)
    >>> sklearn_lnn.get_config()["feature_cache_bytes"]
    67108864
    >>> sklearn_lnn.set_config(feature_cache_bytes=256 * 2**20)
    """
    updates = _validated(feature_cache_bytes=feature_cache_bytes,
                         feature_cache_min_work=feature_cache_min_work)
    with _lock:
        _base.update(updates)
        _changed()


@contextmanager
def config_context(**params):
    """Set the configuration for a ``with`` block, then remove that setting.

    The block's settings apply over those of :func:`set_config` (also over a
    ``set_config`` call made inside the block) until it ends. Blocks open at
    once in several threads apply in the order they were entered, and each
    one's end removes its own settings only.

    Parameters
    ----------
    **params
        Any parameter of :func:`set_config`.

    Yields
    ------
    None

    Examples
    --------
    >>> import numpy as np
    >>> import sklearn_lnn
    >>> X = np.random.RandomState(0).normal(size=(20, 50, 2))
    >>> with sklearn_lnn.config_context(feature_cache_bytes=0):
    ...     features = sklearn_lnn.ReservoirTransformer(random_state=0).fit_transform(X)
    """
    settings = _validated(**_known(params))
    token = object()
    with _lock:
        _blocks.append((token, settings))
        _changed()
    try:
        yield
    finally:
        with _lock:
            _blocks[:] = [block for block in _blocks if block[0] is not token]
            _changed()


def _known(params):
    unknown = sorted(set(params) - set(_DEFAULTS))
    if unknown:
        raise TypeError(f"config_context() got unknown setting(s) {unknown}; the "
                        f"settings are {sorted(_DEFAULTS)}.")
    return params
