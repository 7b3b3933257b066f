"""What the elapsed-time channel adds, and why less than it used to (issue 29).

    python benchmarks/elapsed_time.py [--quick]

Task: damped oscillations seen at irregular times, class = decay rate (0.03,
0.045 or 0.06 per time unit), 30 observations per series, gaps log-uniform
in [0.2, 4] time units, frequency uniform in [0.05, 0.1] cycles per time
unit, random phase, noise sd 0.15; 600 training and 600 test series (other
seeds). Channels [value, elapsed time]. "with" passes ``time_channel=1`` (the
gap sets each step's leak); "without" feeds the gap as an ordinary input.
LNNClassifier with 200 units, accuracy averaged over reservoir seeds 0-2
(``--quick``: seed 0), for both neuron models and, one change at a time,
the settings the defaults moved through: the final state of raw inputs (the
defaults before the input standardisation and the automatic features), the
final state of standardised inputs (also at input_scaling 0.3), and today's
defaults (automatic features: for a univariate series with a time channel
``points8_mean_max_ppv_model`` and the difference channel; without a time
channel the series has two channels and gets ``last_mean``).
"""

import numpy as np

from _bench import machine, parser, table
from sklearn_lnn import LNNClassifier

RATES = (0.03, 0.045, 0.06)
SETTINGS = {
    "final state, raw inputs": {"aggregation": "last", "include_difference": False,
                                "standardize": False, "coarse_factor": None},
    "final state, standardised": {"aggregation": "last", "include_difference": False,
                                  "coarse_factor": None},
    "final state, standardised, input_scaling 0.3": {
        "aggregation": "last", "include_difference": False, "coarse_factor": None,
        "input_scaling": 0.3},
    "defaults": {},
    "both with the rich features": {"aggregation": "points8_mean_max_ppv_model",
                                    "include_difference": True},
    "both with the rich features, no difference": {
        "aggregation": "points8_mean_max_ppv_model", "include_difference": False},
}


def damped(n=600, steps=30, seed=0):
    rng = np.random.default_rng(seed)
    X, y = [], []
    for i in range(n):
        c = i % len(RATES)
        gaps = np.exp(rng.uniform(np.log(0.2), np.log(4.0), steps))
        t = np.cumsum(gaps)
        f = rng.uniform(0.05, 0.1)
        v = np.exp(-RATES[c] * t) * np.cos(2 * np.pi * f * t + rng.uniform(0, 2 * np.pi))
        X.append(np.column_stack([v + 0.15 * rng.standard_normal(steps), gaps]))
        y.append(c)
    return np.array(X), np.array(y)


def main(argv=None):
    args = parser(__doc__, "one reservoir seed").parse_args(argv)
    seeds = (0,) if args.quick else (0, 1, 2)
    (X, y), (X_test, y_test) = damped(seed=0), damped(seed=1)
    print(machine())
    rows = []
    for neuron in ("leaky_tanh", "liquid"):
        for name, params in SETTINGS.items():
            cells = []
            for time_channel in (None, 1):
                scores = [LNNClassifier(n_reservoir=200, neuron=neuron, time_channel=time_channel,
                                        random_state=s, **params).fit(X, y).score(X_test, y_test)
                          for s in seeds]
                cells.append(float(np.mean(scores)))
            rows.append([neuron, name, f"{cells[0]:.3f}", f"{cells[1]:.3f}",
                         f"{cells[1] - cells[0]:+.3f}"])
    print(table(rows, ["neuron", "setting", "without", "with time_channel", "gain"]))


if __name__ == "__main__":
    main()
