"""Utilities: estimator discovery and the per-step scorer."""

from ._scoring import step_scorer
from .discovery import all_estimators

__all__ = ["all_estimators", "step_scorer"]
