"""Utilities shared by every layer, and the public helpers.

The bottom layer of the package (``docs/architecture.rst``): configuration
(``_config``), shared docstrings (``_docs``), warnings (``_warnings``),
progress lines (``_progress``), the pickle version stamp (``_persistence``,
``_version``), numeric helpers (``_numeric``); public: estimator discovery,
the skops types of a saved model, the per-step scorer. Imports nothing of
sklearn_lnn but ``sklearn_lnn.exceptions``.
"""

from ._scoring import step_scorer
from .discovery import all_estimators, skops_trusted_types

__all__ = ["all_estimators", "skops_trusted_types", "step_scorer"]
