"""Reservoir computing ("liquid neural networks") for scikit-learn."""

from ._config import config_context, get_config, set_config
from ._estimators import LNNClassifier, LNNRegressor
from ._forecasting import LNNForecaster
from ._ngrc_forecaster import NGRCForecaster
from ._ngrc import NGRCTransformer
from ._reservoir import ReservoirTransformer
from ._scaler import SequenceScaler
from ._stepwise import LNNStepRegressor
from . import parallel
from .exceptions import EchoStatePropertyWarning, InconsistentVersionWarning

__version__ = "0.1.0"

__all__ = [
    "LNNClassifier",
    "LNNForecaster",
    "LNNRegressor",
    "LNNStepRegressor",
    "NGRCForecaster",
    "NGRCTransformer",
    "ReservoirTransformer",
    "SequenceScaler",
    "__version__",
    "config_context",
    "get_config",
    "set_config",
]
