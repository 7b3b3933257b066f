"""Warnings that point at the user's line, not at scikit-learn's internals."""

import os
import sys
import warnings


#: The folder of sklearn_lnn (this file is in its utils/).
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


def _package_dirs():
    import joblib
    import sklearn

    return (_PACKAGE_DIR, *(os.path.dirname(m.__file__) + os.sep for m in (sklearn, joblib)))


def warn(message, category=UserWarning):
    """``warnings.warn`` attributed to the first caller outside sklearn_lnn,
    scikit-learn and joblib (the user's ``fit`` or ``GridSearchCV(...).fit``)."""
    skip = _package_dirs()
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_code.co_filename.startswith(skip):
        frame, level = frame.f_back, level + 1
    if frame is None:  # called from inside the packages only
        level = 2
    warnings.warn(message, category, stacklevel=level)
