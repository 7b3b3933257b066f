"""Forecasting: series in, forecasts out.

``LNNForecaster`` (a reservoir, ``_lnn_forecaster``), ``LNNForecasterCV``
(which chooses its configuration by rolling-origin validation:
``_lnn_forecaster_cv`` over ``_search``, ``_rolling`` and ``_season``) and ``NGRCForecaster``
(next-generation reservoir computing, ``_ngrc_forecaster``) share their fit /
update / predict / score (``_base``), the closed-loop validation of the
penalty and the divergence check (``_checks``) and the handling of series
(``_series``); ``NGRCTransformer`` (``_ngrc``) gives NG-RC features of
sequences to any estimator. ``backtest`` (``_backtest``) walks a
forecaster forward over a series; intervals are ``_intervals``. The top layer below ``parallel`` and
``diagnostics``. Imports from ``_estimators``, ``_readout``, ``_engine``,
``utils`` and ``exceptions``.
"""

from ._backtest import backtest
from ._lnn_forecaster import LNNForecaster
from ._lnn_forecaster_cv import LNNForecasterCV
from ._ngrc import NGRCTransformer
from ._ngrc_forecaster import NGRCForecaster

__all__ = ["LNNForecaster", "LNNForecasterCV", "NGRCForecaster", "NGRCTransformer",
           "backtest"]
