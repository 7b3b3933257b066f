"""Version stamp of pickled estimators.

scikit-learn stamps only estimators whose module starts with ``sklearn.``; this
mixin records the sklearn_lnn version in the pickled state and warns with
:class:`~sklearn_lnn.exceptions.InconsistentVersionWarning` when another
version loads it.
"""

import warnings

from ..exceptions import InconsistentVersionWarning
from ._version import __version__

_STAMP = "_sklearn_lnn_version"


class VersionStampMixin:
    """Record ``__version__`` on pickling; warn on loading another version's pickle."""

    def __getstate__(self):
        state = super().__getstate__()
        if isinstance(state, dict):
            state = {**state, _STAMP: __version__}
        return state

    def __setstate__(self, state):
        if isinstance(state, dict):
            state = dict(state)
            original = state.pop(_STAMP, "unknown")
            if original != __version__:
                warnings.warn(
                    InconsistentVersionWarning(
                        estimator_name=type(self).__name__,
                        current_sklearn_lnn_version=__version__,
                        original_sklearn_lnn_version=original,
                    )
                )
        super().__setstate__(state)
