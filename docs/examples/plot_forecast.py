"""
Closed-loop forecast of a chaotic series
========================================

``LNNForecaster`` learns the Mackey-Glass series one step ahead, then
generates the next 300 steps by itself, feeding each prediction back as its
next input. ``update`` would feed newly observed values without refitting.
"""

import matplotlib.pyplot as plt
import numpy as np

from sklearn_lnn import LNNForecaster
from sklearn_lnn.datasets import make_mackey_glass

y = make_mackey_glass(2300)
model = LNNForecaster(n_reservoir=300, leak_rate=0.4, spectral_radius=1.1,
                      input_scaling=0.3, bias_scaling=0.2, washout=100,
                      random_state=0).fit(y[:2000])
forecast = model.predict(300)

# %%
fig, ax = plt.subplots(figsize=(8, 3))
ax.plot(np.arange(1800, 2300), y[1800:2300], color="0.3", label="truth")
ax.plot(np.arange(2000, 2300), forecast, "--", color="C1", label="closed-loop forecast")
ax.axvline(2000, color="0.6", lw=0.8)
ax.set_xlabel("time")
ax.legend(loc="lower left")
fig.tight_layout()
