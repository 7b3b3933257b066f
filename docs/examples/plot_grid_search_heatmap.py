"""
Tuning leak rate and spectral radius
====================================

``GridSearchCV`` treats the reservoir's parameters like any other. The
heatmap shows the cross-validated accuracy over a leak-rate x spectral-radius
grid on the digits read as sequences.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import GridSearchCV

from sklearn_lnn import LNNClassifier
from sklearn_lnn.datasets import load_digits_sequences

X, y = load_digits_sequences(return_X_y=True)
grid = {"leak_rate": [0.1, 0.3, 0.6, 1.0], "spectral_radius": [0.3, 0.6, 0.9, 1.2]}
search = GridSearchCV(LNNClassifier(n_reservoir=100, random_state=0), grid, cv=3)
search.fit(X[:600], y[:600])

# %%
scores = search.cv_results_["mean_test_score"].reshape(4, 4)
fig, ax = plt.subplots(figsize=(5, 4))
image = ax.imshow(scores, cmap="viridis", origin="lower")
ax.set_xticks(range(4), grid["spectral_radius"])
ax.set_yticks(range(4), grid["leak_rate"])
ax.set_xlabel("spectral_radius")
ax.set_ylabel("leak_rate")
for (i, j), s in np.ndenumerate(scores):
    ax.text(j, i, f"{s:.3f}", ha="center", va="center", color="w", fontsize=8)
fig.colorbar(image, label="3-fold CV accuracy")
ax.set_title(f"best: {search.best_params_}", fontsize=8)
fig.tight_layout()
