"""Every feature option, on every input form, against the per-sequence reference.

Each case runs on a 3D array, a ragged list and a 2D array of univariate
series; in float32 and float64; with a few sequences (the ``np.tanh`` path)
and with enough of them that float64 leaky units take the exp-form path; with
the feature cache switched off and forced on (every row cached, then served).
The test checks which tanh path really ran.
"""

import numpy as np
import pytest

from sklearn_lnn import ReservoirTransformer, config_context
from sklearn_lnn._engine import _cache, _dynamics

from .reference import reference_features

N_UNITS = 40

OPTIONS = {
    "defaults": {},
    "last": {"aggregation": "last"},
    "mean-washout": {"aggregation": "mean", "washout": 3},
    "max-washout": {"aggregation": "max", "washout": 2},
    "points3-washout": {"aggregation": "points3", "washout": 1},
    "mean_max_points4": {"aggregation": "mean_max_points4"},
    "bidirectional": {"bidirectional": True},
    "include_input": {"include_input": True, "aggregation": "last_mean_max", "washout": 2},
    "bidirectional-include_input": {"bidirectional": True, "include_input": True,
                                    "aggregation": "mean_points2"},
    "time_step": {"time_step": 0.4, "leak_rate": 0.3},
    "leak1": {"leak_rate": 1.0},
    "time_channel": {"time_channel": 0, "leak_rate": 0.3},
    "time_channel-bidirectional": {"time_channel": 0, "bidirectional": True,
                                   "washout": 1},
    "liquid": {"neuron": "liquid"},
    "liquid-time_step-bidirectional": {"neuron": "liquid", "time_step": 0.4,
                                       "bidirectional": True},
    "liquid-time_channel": {"neuron": "liquid", "time_channel": 0,
                            "bidirectional": True, "include_input": True},
    "ppv_model-washout": {"aggregation": "mean_ppv_model", "washout": 2},
    "difference": {"include_difference": True, "aggregation": "last_mean"},
    "difference-ppv-bidirectional-include_input": {
        "include_difference": True, "aggregation": "ppv_max_model",
        "bidirectional": True, "include_input": True},
    "time_channel-difference-model": {"time_channel": 0, "include_difference": True,
                                      "aggregation": "model_last", "washout": 1},
    "liquid-ppv": {"neuron": "liquid", "aggregation": "ppv_model"},
    "plain-univariate": {"aggregation": "last_mean", "include_difference": False},
}

SIZES = {"few": 5, "many": 60}  # many * N_UNITS >= EXP_FORM_MIN_SIZE


def make_input(form, n_sequences, dtype, seed=0):
    """Sequences of 6..14 steps; channel 0 holds positive elapsed times."""
    rng = np.random.RandomState(seed)
    if form == "univariate":
        return rng.normal(size=(n_sequences, 11)).astype(dtype)
    lengths = rng.randint(6, 15, size=n_sequences) if form == "ragged" else [11] * n_sequences
    seqs = [rng.normal(size=(n, 3)) for n in lengths]
    for s in seqs:
        s[:, 0] = rng.uniform(0.2, 2.0, size=len(s))
    if form == "ragged":
        return [s.astype(dtype) for s in seqs]
    return np.array(seqs, dtype=dtype)


def as_list(X):
    X = [np.asarray(x) for x in X]
    return [x[:, None] if x.ndim == 1 else x for x in X]


@pytest.fixture
def tanh_paths(monkeypatch):
    """The exp_form flags that the leaky update was called with."""
    seen = set()
    original = _dynamics._leaky_tanh_

    def recording(H, P, leak, exp_form):
        seen.add(exp_form)
        return original(H, P, leak, exp_form)

    monkeypatch.setattr(_dynamics, "_leaky_tanh_", recording)
    return seen


def transform(est, X, cache, monkeypatch):
    """Features with the cache off, or forced on: computed, stored, then served."""
    _cache.FEATURES.clear()
    if cache == "off":
        monkeypatch.setattr(_cache.FEATURES, "max_bytes", 0)
        return [est.transform(X)]
    with config_context(feature_cache_min_work=0):
        first = est.transform(X)
        assert len(_cache.FEATURES) > 0  # the rows really were cached
        second = est.transform(X)  # every row served from the cache
    return [first, second]


@pytest.mark.parametrize("cache", ["off", "on"])
@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("option, form", [
    (option, form) for option in OPTIONS for form in ("3d", "ragged", "univariate")
    # a univariate series has no channel left for elapsed times
    if not (form == "univariate" and "time_channel" in OPTIONS[option])
])
def test_features_match_reference(option, form, dtype, size, cache, tanh_paths,
                                  monkeypatch):
    params = OPTIONS[option]
    X = make_input(form, SIZES[size], dtype)
    # fitted on other sequences: the fitted statistics (input scale, PPV
    # thresholds, model-space components) come from the training data only
    X_fit = make_input(form, SIZES[size], dtype, seed=1)
    est = ReservoirTransformer(n_reservoir=N_UNITS, random_state=0, **params).fit(X_fit)
    expected = np.array([reference_features(s, est) for s in as_list(X)])
    tol = ({"rtol": 2e-4, "atol": 2e-5} if dtype == np.float32
           else {"rtol": 1e-10, "atol": 1e-12})
    for features in transform(est, X, cache, monkeypatch):
        assert features.dtype == dtype
        assert features.shape == expected.shape
        if dtype == np.float32:
            features = _ppv_rounding_flips(features, expected, est, X, tol)
        np.testing.assert_allclose(features, expected, **tol)
    if est.neuron == "liquid":
        assert tanh_paths == set()
    else:  # the path the name promises was taken
        assert tanh_paths == {dtype == np.float64 and size == "many"}


def _ppv_rounding_flips(features, expected, est, X, tol):
    """`features` with the PPV shares that float32 rounding moved across a
    threshold put back, after checking that that is all they are: PPV columns
    only, one step of the sequence each, and rare. (A state of a transformed
    sequence may lie within float32 rounding of a threshold fitted on other
    sequences, so the float64 reference can count it on the other side.)"""
    off = ~np.isclose(features, expected, **tol)
    if not off.any():
        return features
    ppv = np.array(["_ppv" in name for name in est.get_feature_names_out()])
    rows, cols = np.nonzero(off)
    assert ppv[cols].all(), "a non-PPV feature differs from the reference"
    steps = np.array([len(s) - est.washout for s in as_list(X)])[rows]
    np.testing.assert_allclose(np.abs(features - expected)[off], 1.0 / steps, rtol=1e-5)
    assert off.mean() < 1e-4
    return np.where(off, expected, features)


TIME_SCALES = {
    "time_step": ({"time_step": 1.0}, {"time_step": 0.3}),
    "leak_rate": ({"leak_rate": 0.8}, {"leak_rate": 0.3}),
    "time_channel": ({"time_channel": 0}, {"time_channel": 0, "elapsed": 3.0}),
}


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("neuron", ["leaky_tanh", "liquid"])
@pytest.mark.parametrize("scale", TIME_SCALES)
def test_time_scaling_parameters_change_features(scale, neuron, dtype, size,
                                                 tanh_paths):
    """Each parameter that scales time changes the features on every path."""
    X = make_input("3d", SIZES[size], dtype)
    rows = []
    for params in TIME_SCALES[scale]:
        params = dict(params)
        X_run = X.copy()
        X_run[:, :, 0] *= params.pop("elapsed", 1.0)
        est = ReservoirTransformer(n_reservoir=N_UNITS, neuron=neuron,
                                   aggregation="last", random_state=0, **params)
        rows.append(est.fit(X_run).transform(X_run))
        expected = np.array([reference_features(s, est) for s in X_run])
        np.testing.assert_allclose(rows[-1], expected, rtol=2e-4, atol=2e-5)
    assert np.abs(rows[0] - rows[1]).max() > 1e-2
    if neuron == "leaky_tanh":
        assert tanh_paths == {dtype == np.float64 and size == "many"}


@pytest.mark.parametrize("option", ["defaults", "mean_max_points4", "bidirectional",
                                    "bidirectional-include_input", "include_input",
                                    "time_channel-bidirectional"])
def test_feature_names_say_pass_part_and_unit(option):
    """Each named column holds what its name says, computed from per-step states."""
    import re

    params = OPTIONS[option]
    X = make_input("ragged", 5, np.float64)
    est = ReservoirTransformer(n_reservoir=N_UNITS, random_state=0, **params).fit(X)
    names = est.get_feature_names_out()
    features = est.transform(X)
    assert names.shape == (features.shape[1],) and len(set(names)) == names.size
    pattern = re.compile(r"(fwd|bwd)_(input_)?(last|mean|max|point(\d+)of(\d+))_(\w+)$")
    for col, name in enumerate(names):
        match = pattern.match(name)
        assert match, name
        direction, is_input, part, j, k, unit = match.groups()
        seq = np.asarray(X[2], dtype=np.float64)
        if direction == "bwd":
            from sklearn_lnn._engine._sequences import Sequences
            seq = Sequences([seq], np.array([len(seq)]), True).reversed(est.time_channel)[0]
        if is_input:
            channels = [c for c in range(3) if c != est.time_channel]
            V = seq[:, channels][:, [f"x{c}" for c in channels].index(unit)]
        else:
            V = est.compute_states([seq])[0][:, int(unit)]
        after = V[est.washout:]
        expected = {"last": V[-1], "mean": after.mean(), "max": after.max()}.get(part)
        if expected is None:
            m = len(after)
            expected = after[int(np.ceil(int(j) * m / int(k))) - 1]
        np.testing.assert_allclose(features[2, col], expected, rtol=1e-10, atol=1e-12)
