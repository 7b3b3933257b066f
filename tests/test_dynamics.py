"""The batched engine against a plain per-sequence, per-step reference.

These references use the raw weights, so the reservoirs here do not
standardise their inputs (standardisation is checked in test_reference_forms).
"""

import numpy as np
import pytest

from sklearn_lnn import ReservoirTransformer
from sklearn_lnn._engine import _dynamics

from .reference import reference_aggregate


def reference_states(seq, W_in, W, b, leak_rate):
    """The update equation, one sequence and one step at a time, in float64."""
    W = W.toarray() if hasattr(W, "toarray") else W
    h = np.zeros(W.shape[0])
    states = []
    for u in seq.astype(np.float64):
        h = (1 - leak_rate) * h + leak_rate * np.tanh(W_in @ u + W @ h + b)
        states.append(h)
    return np.array(states)


def reference_features(seq, W_in, W, b, leak_rate, washout, aggregation,
                       include_input=False, bidirectional=False):
    passes = [seq, seq[::-1]] if bidirectional else [seq]
    out = []
    for s in passes:
        out.append(reference_aggregate(reference_states(s, W_in, W, b, leak_rate),
                                       washout, aggregation))
        if include_input:
            out.append(reference_aggregate(s.astype(np.float64), washout, aggregation))
    return np.concatenate(out)


def _weights(est):
    return est.input_weights_, est.recurrent_weights_, est.bias_


@pytest.mark.parametrize("aggregation", ["last", "mean", "last_mean", "max",
                                         "points3", "mean_max_points4"])
@pytest.mark.parametrize("washout", [0, 3])
@pytest.mark.parametrize("leak_rate", [1.0, 0.3])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_batched_features_match_reference(ragged, aggregation, washout, leak_rate, dtype):
    X = [s.astype(dtype) for s in ragged if len(s) > washout]
    est = ReservoirTransformer(standardize=False, 
        n_reservoir=40, leak_rate=leak_rate, washout=washout,
        aggregation=aggregation, random_state=0,
    ).fit(X)
    features = est.transform(X)
    assert features.dtype == dtype
    expected = np.array([
        reference_features(s, *_weights(est), leak_rate, washout, aggregation)
        for s in X
    ])
    tol = {"rtol": 1e-4, "atol": 1e-5} if dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-12}
    np.testing.assert_allclose(features, expected, **tol)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_step_states_match_reference(ragged, batch3d, dtype):
    est = ReservoirTransformer(standardize=False, n_reservoir=30, leak_rate=0.6, random_state=1).fit(batch3d)
    tol = {"rtol": 1e-4, "atol": 1e-5} if dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-12}
    states = est.compute_states([s.astype(dtype) for s in ragged])
    assert isinstance(states, list)
    for s, got in zip(ragged, states):
        assert got.dtype == dtype
        np.testing.assert_allclose(got, reference_states(s, *_weights(est), 0.6), **tol)
    states3d = est.compute_states(batch3d.astype(dtype))
    assert states3d.shape == (10, 15, 30)
    for s, got in zip(batch3d, states3d):
        np.testing.assert_allclose(got, reference_states(s, *_weights(est), 0.6), **tol)


def test_sparse_recurrent_matrix_matches_reference(ragged):
    est = ReservoirTransformer(standardize=False, 
        n_reservoir=600, density=0.01, aggregation="last_mean", random_state=0
    ).fit(ragged)
    assert hasattr(est.recurrent_weights_, "toarray")  # stored and used sparse
    expected = np.array([
        reference_features(s, *_weights(est), est.leak_rate, 0, "last_mean")
        for s in ragged
    ])
    np.testing.assert_allclose(est.transform(ragged), expected, rtol=1e-10, atol=1e-12)


def test_blocks_do_not_change_results(rng):
    """More sequences than one block: features equal those computed one by one."""
    X = [rng.normal(size=(n, 2)) for n in rng.randint(1, 12, size=600)]
    est = ReservoirTransformer(standardize=False, n_reservoir=20, random_state=0).fit(X)
    together = est.transform(X)
    alone = np.vstack([est.transform([s]) for s in X[:50]])
    np.testing.assert_allclose(together[:50], alone, rtol=1e-12, atol=1e-13)


@pytest.mark.parametrize("leak_rate", [1.0, 0.4])
def test_exp_form_tanh_saturates_without_nan(monkeypatch, leak_rate):
    """Huge pre-activations give states of exactly +-1 (+-leak after one step
    from zero), never NaN, on the exp-form path (float64, a large block)."""
    paths = []
    original = _dynamics._leaky_tanh_
    monkeypatch.setattr(_dynamics, "_leaky_tanh_",
                        lambda H, P, leak, exp_form: (paths.append(exp_form),
                                                      original(H, P, leak, exp_form)))
    n_seq, n = 40, 64
    assert n_seq * n >= _dynamics.EXP_FORM_MIN_SIZE
    est = ReservoirTransformer(standardize=False, n_reservoir=n, input_scaling=1e6, leak_rate=leak_rate,
                               aggregation="last", random_state=0)
    X = np.full((n_seq, 4, 1), 1e6)
    X[::2] *= -1
    features = est.fit_transform(X)
    assert set(paths) == {True}
    assert np.isfinite(features).all()
    expected = 1.0 - (1.0 - leak_rate) ** 4  # four saturated steps from zero
    np.testing.assert_allclose(np.abs(features), expected, rtol=1e-12)


@pytest.mark.parametrize("include_input", [False, True])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_bidirectional_and_input_features_match_reference(ragged, include_input,
                                                          bidirectional):
    est = ReservoirTransformer(standardize=False, 
        n_reservoir=30, aggregation="last_max", washout=0, random_state=0,
        include_input=include_input, bidirectional=bidirectional,
    ).fit(ragged)
    features = est.transform(ragged)
    expected = np.array([
        reference_features(s, *_weights(est), est.leak_rate, 0, "last_max",
                           include_input, bidirectional)
        for s in ragged
    ])
    assert features.shape[1] == est.get_feature_names_out().size
    np.testing.assert_allclose(features, expected, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("bad", ["sum", "last_last", "points1", "points101", "mean-max"])
def test_invalid_aggregation_names_the_options(batch3d, bad):
    with pytest.raises(ValueError, match="aggregation=.*(not valid|repeats)"):
        ReservoirTransformer(standardize=False, n_reservoir=5, aggregation=bad).fit(batch3d)
