"""Reservoir computing ("liquid neural networks") for scikit-learn.

The package is built in layers (``docs/architecture.rst``), each importing
only from the layers below it (``lint-imports`` checks it):

* ``parallel``, ``diagnostics`` (public): dask and reservoir diagnostics;
* ``forecasting`` (public): the forecasters and NG-RC;
* ``_estimators``: the estimator shells;
* ``_readout`` and ``_engine``, side by side: the ridge readout, and the
  sequences-to-features engine;
* ``utils``, then ``exceptions``.
"""

import sys as _sys

from . import parallel
from ._estimators import (
    LNNClassifier,
    LNNRegressor,
    LNNStepRegressor,
    ReservoirTransformer,
    SequenceScaler,
    _reservoir,
    _scaler,
    _stepwise,
)
from .exceptions import EchoStatePropertyWarning, InconsistentVersionWarning
from .forecasting import LNNForecaster, LNNForecasterCV, NGRCForecaster, NGRCTransformer
from .forecasting import _lnn_forecaster, _ngrc, _ngrc_forecaster
from .utils._config import config_context, get_config, set_config
from .utils._version import __version__

# Models pickled (or saved with skops) before the package was split into
# layers name their classes by the old flat modules: those names stay
# importable, as aliases of the modules that hold the classes now.
for _old, _module in {"_reservoir": _reservoir, "_stepwise": _stepwise,
                      "_scaler": _scaler,
                      "_forecasting": _lnn_forecaster, "_ngrc": _ngrc,
                      "_ngrc_forecaster": _ngrc_forecaster}.items():
    _sys.modules.setdefault(f"{__name__}.{_old}", _module)
del _old, _module, _reservoir, _scaler, _stepwise, _lnn_forecaster, _ngrc
del _ngrc_forecaster

__all__ = [
    "LNNClassifier",
    "LNNForecaster",
    "LNNForecasterCV",
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
