"""
Irregular sampling: leaky and liquid units with a time channel
==============================================================

Three classes of noisy sinusoids are observed at random times. Passing the
elapsed time since the previous step as ``time_channel`` lets both neuron
models advance by the real elapsed time instead of one step; the bars compare
test accuracy with and without it.
"""

import matplotlib.pyplot as plt
import numpy as np
from sklearn.model_selection import train_test_split

from sklearn_lnn import LNNClassifier

rng = np.random.RandomState(0)
X, y = [], np.arange(450) % 3
for label in y:
    gaps = np.exp(rng.uniform(np.log(0.2), np.log(4.0), size=rng.randint(30, 61)))
    t = np.cumsum(gaps)
    value = np.sin(2 * np.pi * [0.05, 0.07, 0.1][label] * t + rng.uniform(0, 2 * np.pi))
    X.append(np.column_stack([value + rng.normal(scale=0.1, size=len(t)), gaps]))
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0, stratify=y)

results = {}
for neuron in ("leaky_tanh", "liquid"):
    for time_channel in (None, 1):
        clf = LNNClassifier(n_reservoir=200, neuron=neuron, leak_rate=0.3,
                            time_channel=time_channel, random_state=0)
        results[neuron, time_channel] = clf.fit(X_train, y_train).score(X_test, y_test)

# %%
fig, ax = plt.subplots(figsize=(6, 3.5))
for k, neuron in enumerate(("leaky_tanh", "liquid")):
    ax.bar(k - 0.2, results[neuron, None], 0.4, color="0.7",
           label="elapsed time as an ordinary input" if k == 0 else None)
    ax.bar(k + 0.2, results[neuron, 1], 0.4, color="C0",
           label="time_channel=1" if k == 0 else None)
ax.set_xticks([0, 1], ["leaky_tanh", "liquid"])
ax.set_ylabel("test accuracy")
ax.set_ylim(0.5, 1.0)
ax.legend(loc="lower right", fontsize=8)
fig.tight_layout()
