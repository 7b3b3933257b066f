"""A bounded, thread-safe cache of aggregated reservoir features per sequence.

A sequence's features depend only on the reservoir (its weights, leak rate,
washout and aggregation) and on the sequence itself. Cross-validation computes
them again and again for the same pairs: in a k-fold grid search every
sequence is transformed k times per candidate (k - 1 times to fit, once to
score), and once more when the best candidate is refitted. Keying each
feature row by digests of the reservoir and of the sequence lets those repeats
cost a hash instead of a pass through the reservoir. Entries are exact: a key
changes whenever any weight, parameter, value, shape or dtype does.
"""

import hashlib
import sys
import threading
from collections import OrderedDict

import numpy as np
import scipy.sparse as sp

from ..utils._config import get_config, on_change

#: Default bound on the memory the cache holds (``set_config`` changes it).
MAX_BYTES = 256 * 2**20


def _digest(*arrays_and_values):
    h = hashlib.blake2b(digest_size=16)
    for item in arrays_and_values:
        if isinstance(item, np.ndarray) and item.dtype == object:
            h.update(repr(item.tolist()).encode())  # names: repr would elide
        elif isinstance(item, np.ndarray):
            item = np.ascontiguousarray(item)
            h.update(f"{item.dtype.str}{item.shape}".encode())
            h.update(memoryview(item).cast("B"))
        else:
            h.update(repr(item).encode())
        h.update(b"\x00")
    return h.digest()


def reservoir_key(reservoir, dtype):
    """Digest of everything besides the sequence that the features depend on.

    Derived, not listed: every constructor parameter (``get_params()``, less
    the few a class declares in ``_not_in_cache_key`` because they cannot
    change a feature, such as ``verbose``), so a parameter added later is
    keyed without touching this function, and every
    fitted attribute (public names ending in ``_``: the weights and whatever a
    later ``fit`` adds), plus the dtype of the computation. A ``random_state``
    that is a ``RandomState`` instance has no stable value of its own; what it
    decided is in the fitted weights, which are keyed.
    """
    params = reservoir.get_params(deep=False)
    for name in getattr(reservoir, "_not_in_cache_key", ()):
        params.pop(name, None)
    if isinstance(params.get("random_state"), np.random.RandomState):
        params["random_state"] = "RandomState instance"
    fitted = []
    for name, value in sorted(vars(reservoir).items()):
        if not name.endswith("_") or name.startswith("_"):
            continue
        if sp.issparse(value):
            value = (value.data, value.indices, value.indptr, value.shape)
        fitted.append(name)
        fitted.extend(value if isinstance(value, tuple) else [value])
    return _digest(repr(sorted(params.items())), *fitted, np.dtype(dtype).str)


def sequence_keys(seqs):
    return [_digest(seqs[i]) for i in range(len(seqs))]


#: Bytes a cache entry costs besides its row and key objects: the ordered
#: map's slot and link (measured with tracemalloc on CPython 3.11, averaged
#: over the map's growth).
ENTRY_OVERHEAD = 100


def entry_bytes(key, row):
    """What holding `row` under `key` costs: both objects and the map's slot."""
    return sys.getsizeof(row) + sys.getsizeof(key) + ENTRY_OVERHEAD


class FeatureCache:
    """Least-recently-used map (reservoir key, sequence key) -> feature row.

    ``max_bytes`` bounds the memory the entries hold (rows, keys and the map's
    own bookkeeping), not just the bytes of the rows: for short rows the
    bookkeeping is most of it.
    """

    def __init__(self, max_bytes=MAX_BYTES):
        self.max_bytes = max_bytes
        self._rows = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, model, keys):
        """{position: row} for the keys that are cached."""
        found = {}
        with self._lock:
            for i, key in enumerate(keys):
                row = self._rows.get(model + key)
                if row is not None:
                    self._rows.move_to_end(model + key)
                    found[i] = row
        return found

    def put(self, model, keys, rows):
        if not len(keys) or len(keys) * entry_bytes(model + keys[0], rows[0].copy()) > self.max_bytes:
            return  # a batch larger than the cache would only evict itself
        with self._lock:
            for key, row in zip(keys, rows):
                entry = model + key
                if entry not in self._rows:
                    row = row.copy()
                    self._rows[entry] = row
                    self._bytes += entry_bytes(entry, row)
            self._evict()

    def _evict(self):
        """Drop least recently used rows until the bound holds (lock held)."""
        while self._bytes > self.max_bytes and self._rows:
            entry, old = self._rows.popitem(last=False)
            self._bytes -= entry_bytes(entry, old)

    @property
    def nbytes(self):
        """Bytes the entries hold, as counted against ``max_bytes``."""
        return self._bytes

    def resize(self, max_bytes):
        """Change the bound, evicting the least recently used rows to meet it."""
        with self._lock:
            self.max_bytes = max_bytes
            self._evict()

    def clear(self):
        with self._lock:
            self._rows.clear()
            self._bytes = 0

    def __len__(self):
        return len(self._rows)


FEATURES = FeatureCache()
on_change(lambda config: FEATURES.resize(config["feature_cache_bytes"]))


def caching_applies(reservoir, seqs):
    """Whether rows of `seqs` are worth caching: the cache is on and a row costs
    at least ``feature_cache_min_work`` multiply-adds (n_steps x n_reservoir^2);
    below it, hashing and storing a row cost more than recomputing it."""
    work = seqs.lengths.mean() * reservoir.n_reservoir**2
    return FEATURES.max_bytes > 0 and work >= get_config()["feature_cache_min_work"]


def cached_features(reservoir, seqs, compute, model=None):
    """Features of `seqs`, computing with ``compute(subset)`` only the missing rows.

    `model` is ``reservoir_key(reservoir, seqs.dtype)`` when the caller already
    has it (hashing the weights is the costly part for large reservoirs).
    """
    if not caching_applies(reservoir, seqs):
        return compute(seqs)
    if model is None:
        model = reservoir_key(reservoir, seqs.dtype)
    keys = sequence_keys(seqs)
    found = FEATURES.get(model, keys)
    missing = [i for i in range(len(keys)) if i not in found]
    computed = compute(seqs.subset(missing)) if missing else None
    n_out = (computed if computed is not None else next(iter(found.values()))).shape[-1]
    out = np.empty((len(keys), n_out), seqs.dtype)
    for i, row in found.items():
        out[i] = row
    if missing:
        out[missing] = computed
        FEATURES.put(model, [keys[i] for i in missing], computed)
    return out
