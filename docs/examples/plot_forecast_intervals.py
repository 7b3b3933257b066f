"""
Prediction intervals and a backtest on a real series
=====================================================

The monthly totals of international airline passengers, 1949-1960 (Box &
Jenkins' "series G", the Airline series that aeon and sktime bundle; the
144 values are written out below so the example needs no download).
``LNNForecasterCV`` chooses its configuration on the first ten years and
forecasts the last two with 80 % and 95 % intervals (split conformal on the
closed-loop errors of its training tail); ``backtest`` then walks a
forecaster over the series, one row per origin.
"""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from sklearn_lnn import LNNForecaster, LNNForecasterCV
from sklearn_lnn.forecasting import backtest

passengers = np.array([
    112, 118, 132, 129, 121, 135, 148, 148, 136, 119, 104, 118,
    115, 126, 141, 135, 125, 149, 170, 170, 158, 133, 114, 140,
    145, 150, 178, 163, 172, 178, 199, 199, 184, 162, 146, 166,
    171, 180, 193, 181, 183, 218, 230, 242, 209, 191, 172, 194,
    196, 196, 236, 235, 229, 243, 264, 272, 237, 211, 180, 201,
    204, 188, 235, 227, 234, 264, 302, 293, 259, 229, 203, 229,
    242, 233, 267, 269, 270, 315, 364, 347, 312, 274, 237, 278,
    284, 277, 317, 313, 318, 374, 413, 405, 355, 306, 271, 306,
    315, 301, 356, 348, 355, 422, 465, 467, 404, 347, 305, 336,
    340, 318, 362, 348, 363, 435, 491, 505, 404, 359, 310, 337,
    360, 342, 406, 396, 420, 472, 548, 559, 463, 407, 362, 405,
    417, 391, 419, 461, 472, 535, 622, 606, 508, 461, 390, 432,
], dtype=float)
y = pd.Series(passengers, index=pd.period_range("1949-01", periods=144, freq="M"),
              name="passengers")
train, test = y[:120], y[120:]

model = LNNForecasterCV(horizon=12, n_reservoir=100, random_state=0).fit(train)
print("chosen:", {k: v for k, v in model.best_params_.items() if k != "alpha"})
forecast = model.predict(24)  # a Series, its monthly index continued
bands = model.predict_interval(24, coverage=[0.8, 0.95])  # (variable, coverage, side)

# %%
# The fan chart: the 95 % band around the 80 % band.
t = test.index.to_timestamp()
fig, ax = plt.subplots(figsize=(8, 3.2))
ax.plot(y.index.to_timestamp()[96:], y[96:], color="0.3", label="observed")
for c, shade in ((0.95, 0.18), (0.8, 0.35)):
    ax.fill_between(t, bands[("passengers", c, "lower")], bands[("passengers", c, "upper")],
                    color="C1", alpha=shade, lw=0, label=f"{c:.0%} interval")
ax.plot(t, forecast, "--", color="C1", label="forecast")
ax.set_ylabel("passengers (thousands)")
ax.legend(loc="upper left", fontsize=8)
fig.tight_layout()
inside = {c: float(np.mean((bands[("passengers", c, "lower")] <= test)
                           & (test <= bands[("passengers", c, "upper")]))) for c in (0.8, 0.95)}
print("share of the 24 test months inside:", inside)

# %%
# A backtest: fitted on the first eight years, then given each next year
# with ``update`` (no refit) and asked for the following twelve months.
table = backtest(LNNForecaster(season=12, random_state=0), y, horizon=12, initial=96)
print(table[["origin", "refit", "mae", "rmse", "coverage_80", "coverage_95"]]
      .round(3).to_string(index=False))
