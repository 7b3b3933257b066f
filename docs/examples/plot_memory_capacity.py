"""
Memory capacity against spectral radius
=======================================

:func:`~sklearn_lnn.diagnostics.memory_capacity` measures how many past
inputs a reservoir can recall linearly (at most its number of units). It
grows as the spectral radius approaches 1 and falls once the reservoir loses
the echo state property; liquid units follow the same radius since their
recurrent coupling is scaled to it.
"""

import warnings

import matplotlib.pyplot as plt
import numpy as np

from sklearn_lnn import ReservoirTransformer
from sklearn_lnn.diagnostics import memory_capacity

radii = [0.2, 0.5, 0.8, 0.95, 1.1, 1.4]
curves = {}
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # echo-state warnings above radius 1
    for neuron in ("leaky_tanh", "liquid"):
        curves[neuron] = [
            memory_capacity(ReservoirTransformer(
                n_reservoir=50, neuron=neuron, spectral_radius=r, leak_rate=1.0,
                input_scaling=0.1, random_state=0).fit(np.zeros((1, 2, 1))),
                n_steps=2100, random_state=0)
            for r in radii]

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
for neuron, mc in curves.items():
    ax.plot(radii, mc, "o-", label=neuron)
ax.set_xlabel("spectral_radius")
ax.set_ylabel("memory capacity (50 units)")
ax.legend()
fig.tight_layout()
