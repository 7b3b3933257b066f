"""Utilities: estimator discovery, the types of a skops file, the per-step scorer."""

from ._scoring import step_scorer
from .discovery import all_estimators, skops_trusted_types

__all__ = ["all_estimators", "skops_trusted_types", "step_scorer"]
