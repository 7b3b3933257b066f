"""Reservoir computing ("liquid neural networks") for scikit-learn."""

from ._estimators import LNNClassifier, LNNRegressor
from ._reservoir import ReservoirTransformer
from .exceptions import EchoStatePropertyWarning, InconsistentVersionWarning

__version__ = "0.1.0"

__all__ = ["LNNClassifier", "LNNRegressor", "ReservoirTransformer", "__version__"]
