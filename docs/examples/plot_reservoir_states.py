"""
What a reservoir does to a sequence
===================================

Three digits, read row by row as 8-step sequences, drive the same fixed random
reservoir. Each panel shows the states of ten units step by step: the
reservoir turns each sequence into a trajectory, and ``transform`` keeps its
last and mean states as one feature row.
"""

import matplotlib.pyplot as plt
import numpy as np

from sklearn_lnn import ReservoirTransformer
from sklearn_lnn.datasets import load_digits_sequences

X, y = load_digits_sequences(return_X_y=True)
picks = [np.flatnonzero(y == digit)[0] for digit in (0, 1, 7)]
reservoir = ReservoirTransformer(n_reservoir=50, leak_rate=0.5, random_state=0).fit(X)
states = reservoir.compute_states(X[picks])  # (3, 8, 50)

# %%
# The states of the first ten units of each sequence, and the image itself.
fig, axes = plt.subplots(2, 3, figsize=(8, 4.5))
for col, (i, h) in enumerate(zip(picks, states)):
    axes[0, col].imshow(X[i], cmap="gray_r")
    axes[0, col].set_title(f"digit {y[i]}")
    axes[0, col].axis("off")
    axes[1, col].plot(np.arange(1, 9), h[:, :10])
    axes[1, col].set_xlabel("step (image row)")
axes[1, 0].set_ylabel("unit state")
fig.tight_layout()
