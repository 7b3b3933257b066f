"""The estimator shells: validate, call the layers below, store fitted attributes.

``ReservoirTransformer`` (``_reservoir``, with its fitted statistics in
``_fitted``), ``LNNClassifier`` and ``LNNRegressor`` (``_lnn``, sharing
``_base``), ``LNNStepRegressor`` (``_stepwise``) and ``SequenceScaler``
(``_scaler``). Imports from ``_engine``, ``_readout``, ``utils`` and
``exceptions`` only; the forecasters (``sklearn_lnn.forecasting``) build on
it. ``LNNClassifier`` and ``LNNRegressor`` are also importable from here under
their old module path ``sklearn_lnn._estimators``, which pickles written
before the split into layers name.
"""

from ._lnn import LNNClassifier, LNNRegressor
from ._reservoir import ReservoirTransformer
from ._scaler import SequenceScaler
from ._stepwise import LNNStepRegressor

__all__ = ["LNNClassifier", "LNNRegressor", "LNNStepRegressor", "ReservoirTransformer",
           "SequenceScaler"]
