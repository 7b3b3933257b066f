"""Process-wide configuration: ``set_config``, ``get_config``, ``config_context``.

The feature cache is one per process (it serves every estimator and every
thread), so its settings are process-wide too, unlike scikit-learn's
thread-local configuration.
"""

import threading
from contextlib import contextmanager

_DEFAULTS = {
    "feature_cache_bytes": 256 * 2**20,
    "feature_cache_min_work": 100_000,
}
_config = dict(_DEFAULTS)
_lock = threading.RLock()


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
        return dict(_config)


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
    from ._cache import FEATURES

    updates = {}
    for name, value in (("feature_cache_bytes", feature_cache_bytes),
                        ("feature_cache_min_work", feature_cache_min_work)):
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be an integer >= 0; got {value!r}.")
        updates[name] = value
    with _lock:
        _config.update(updates)
        if "feature_cache_bytes" in updates:
            FEATURES.resize(updates["feature_cache_bytes"])


@contextmanager
def config_context(**params):
    """Set the configuration for a ``with`` block, then restore it.

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
    old = get_config()
    set_config(**params)
    try:
        yield
    finally:
        set_config(**old)
