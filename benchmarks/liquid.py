"""leaky_tanh vs liquid neurons, and irregular sampling with time_channel.

    python benchmarks/liquid.py [--quick]

Same reservoir size (200 units; 100 for memory capacity), each neuron tuned by
the same small 3-fold GridSearchCV over leak_rate x spectral_radius on the
training data only:

* Japanese Vowels (aeon's bundled copy, official split) and scikit-learn's
  digits as 8-step sequences (stratified 70/30, seed 0): test accuracy;
* memory capacity (Jaeger 2002): u ~ U[-0.8, 0.8], 100 units, per-step states,
  one ridge readout per delay 1..200, MC = sum of squared correlations on
  held-out steps; best over leak_rate x spectral_radius in {0.5, 0.9, 3, 10};
* irregular sampling: three classes of sinusoids (frequencies 0.05, 0.07 and
  0.1 cycles per time unit, random phase) observed at random times (gaps
  log-uniform in [0.2, 4], so about 1.3 time units per step on average) with
  noise; channels [value, elapsed time].
  "with time_channel" passes ``time_channel=1``; "without" feeds the elapsed
  time as an ordinary input.
"""

import sys
import warnings

import numpy as np
from sklearn.linear_model import Ridge
from sklearn.model_selection import GridSearchCV, train_test_split

from _bench import parser, import_peer, machine, table
from sklearn_lnn import LNNClassifier, ReservoirTransformer
from sklearn_lnn.datasets import from_channels_first, load_digits_sequences

GRID = {"leak_rate": [0.1, 0.3, 1.0], "spectral_radius": [0.5, 0.9]}
#: Memory capacity also tries large radii: the liquid units see the recurrent
#: drive only through their conductance, which weakens its effect.
MC_RADII = [0.5, 0.9, 3.0, 10.0]
UNITS = 200


def tuned_accuracy(X_train, X_test, y_train, y_test, **params):
    search = GridSearchCV(LNNClassifier(n_reservoir=UNITS, random_state=0, **params),
                          GRID, cv=3).fit(X_train, y_train)
    best = ", ".join(f"{k}={v}" for k, v in search.best_params_.items())
    return f"{search.score(X_test, y_test):.4f} ({best})"


def memory_capacity(neuron, leak_rate, spectral_radius, n_units=100, n_steps=6000,
                    washout=500, n_train=4000):
    u = np.random.RandomState(1).uniform(-0.8, 0.8, size=n_steps)
    est = ReservoirTransformer(n_reservoir=n_units, neuron=neuron, leak_rate=leak_rate,
                               spectral_radius=spectral_radius, input_scaling=0.1,
                               density=1.0, include_difference=False, random_state=0)
    states = est.fit(u[None, :, None]).compute_states(u[None, :, None])[0]
    total = 0.0
    for k in range(1, 2 * n_units + 1):
        X, y = states[washout:], u[washout - k : n_steps - k]
        model = Ridge(alpha=1e-8).fit(X[:n_train], y[:n_train])
        r = np.corrcoef(model.predict(X[n_train:]), y[n_train:])[0, 1]
        total += r**2
    return total


def irregular_task(rng, n, n_classes=3):
    freqs = np.array([0.05, 0.07, 0.1])  # cycles per time unit (mean gap ~1.3)
    X, y = [], np.arange(n) % n_classes
    for label in y:
        length = rng.randint(30, 61)
        gaps = np.exp(rng.uniform(np.log(0.2), np.log(4.0), size=length))
        t = np.cumsum(gaps)
        value = np.sin(2 * np.pi * freqs[label] * t + rng.uniform(0, 2 * np.pi))
        X.append(np.column_stack([value + rng.normal(scale=0.1, size=length), gaps]))
    return X, y


def main(argv=None):
    quick_help = "smaller irregular task"
    args = parser(__doc__, quick_help).parse_args(argv)
    warnings.simplefilter("ignore")
    rows = []
    neurons = ["leaky_tanh", "liquid"]

    aeon_datasets, error = import_peer("aeon.datasets")
    if aeon_datasets is None:
        rows.append(["Japanese Vowels", f"aeon not installed: {error}", ""])
    else:
        Xa, ya = aeon_datasets.load_classification("JapaneseVowels", split="train")
        Xb, yb = aeon_datasets.load_classification("JapaneseVowels", split="test")
        data = (from_channels_first(Xa), from_channels_first(Xb), ya, yb)
        rows.append(["Japanese Vowels, test accuracy"]
                    + [tuned_accuracy(*data, neuron=nrn) for nrn in neurons])
        print(rows[-1], file=sys.stderr)

    X, y = load_digits_sequences(return_X_y=True)
    data = train_test_split(X, y, test_size=0.3, stratify=y, random_state=0)
    rows.append(["digits, test accuracy"]
                + [tuned_accuracy(*data, neuron=nrn) for nrn in neurons])
    print(rows[-1], file=sys.stderr)

    cells = []
    for nrn in neurons:
        scores = {(a, r): memory_capacity(nrn, a, r) for a in GRID["leak_rate"]
                  for r in MC_RADII}
        (a, r), best = max(scores.items(), key=lambda item: item[1])
        usual = max(v for (a_, r_), v in scores.items() if r_ <= 1.0)
        cells.append(f"{best:.1f} (leak_rate={a}, spectral_radius={r}); "
                     f"best with spectral_radius <= 1: {usual:.1f}")
    rows.append(["memory capacity, 100 units (bound 100)"] + cells)
    print(rows[-1], file=sys.stderr)

    rng = np.random.RandomState(0)
    n = 300 if args.quick else 900
    X, y = irregular_task(rng, n)
    X_test, y_test = irregular_task(rng, n)
    for label, params in (("irregular sinusoids, with time_channel", {"time_channel": 1}),
                          ("irregular sinusoids, without (gap as input)", {})):
        rows.append([label] + [tuned_accuracy(X, X_test, y, y_test, neuron=nrn, **params)
                               for nrn in neurons])
        print(rows[-1], file=sys.stderr)

    print(table(rows, ["task", "leaky_tanh", "liquid"]))
    print(f"\nMachine: {machine()}")
    print(f"{UNITS} units (memory capacity: 100), grid {GRID}, 3-fold on training data.")


if __name__ == "__main__":
    main()
