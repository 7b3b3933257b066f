"""The input profile (``_profile``): each channel's means over equal parts of
a sequence, appended by ``LNNRegressor``'s "auto" aggregation."""

import numpy as np
import pytest
from sklearn.base import clone

from sklearn_lnn import LNNClassifier, LNNRegressor, ReservoirTransformer
from sklearn_lnn._engine._profile import (
    PROFILE_POINTS,
    input_profile,
    part_bounds,
    profile_points,
)
from sklearn_lnn._engine._sequences import Sequences


def _reference_profile(x, k):
    """One sequence's profile written out: part j of n steps covers steps
    floor(j n / k) to floor((j + 1) n / k), at least the first of them."""
    n, rows = len(x), []
    for j in range(k):
        start = (j * n) // k
        stop = max(((j + 1) * n) // k, start + 1)
        rows.append(sum(x[t] for t in range(start, stop)) / (stop - start))
    return np.concatenate(rows)


def _ragged(seed, lengths, channels=2):
    rng = np.random.RandomState(seed)
    return [np.cumsum(rng.normal(size=(n, channels)), axis=0) + 5.0 for n in lengths]


@pytest.mark.parametrize("k", [1, 4, 25])
def test_profile_equals_a_per_sequence_reference(k):
    ragged = _ragged(0, [1, 3, 24, 25, 26, 97])
    seqs = Sequences(ragged, np.array([len(x) for x in ragged]), True)
    out = input_profile(seqs, k)
    assert out.shape == (len(ragged), 2 * k)
    for got, x in zip(out, ragged):
        np.testing.assert_allclose(got, _reference_profile(x, k), rtol=1e-10, atol=0)
    cube = np.stack(_ragged(1, [31] * 5, channels=3))
    got = input_profile(Sequences(cube, np.full(5, 31), False), k)
    np.testing.assert_allclose(got, [_reference_profile(x, k) for x in cube], rtol=1e-10)


def test_parts_tile_a_long_sequence_and_repeat_steps_of_a_short_one():
    for n in (25, 26, 50, 99, 1000):
        starts, ends = part_bounds(n, 25)
        np.testing.assert_array_equal(np.concatenate(
            [np.arange(a, b) for a, b in zip(starts, ends)]), np.arange(n))
    starts, ends = part_bounds(3, 6)
    np.testing.assert_array_equal(starts, [0, 0, 1, 1, 2, 2])
    np.testing.assert_array_equal(ends - starts, np.ones(6))


def test_time_channel_left_out_and_float32_kept():
    x = _ragged(2, [40] * 3, channels=3)
    cube = np.stack(x).astype(np.float32)
    out = input_profile(Sequences(cube, np.full(3, 40), False), 5, time_channel=1)
    assert out.dtype == np.float32 and out.shape == (3, 10)
    reference = [_reference_profile(np.delete(s, 1, axis=1).astype(float), 5) for s in cube]
    np.testing.assert_allclose(out, reference, rtol=1e-6)


def test_points_from_the_training_lengths():
    assert profile_points([100, 200]) == PROFILE_POINTS
    assert profile_points([10, 12, 30]) == 12
    assert profile_points([1]) == 1


def test_regressor_appends_the_profile_of_its_raw_inputs():
    X = np.stack(_ragged(3, [80] * 40, channels=1))
    y = X[:, -1, 0] - X[:, 0, 0]
    model = LNNRegressor(n_reservoir=20, random_state=0).fit(X, y)
    reservoir = model.reservoir_
    assert reservoir.profile_points_ == PROFILE_POINTS
    assert "model" not in reservoir.aggregation_  # the regressor's "auto" has none
    assert reservoir._coarse.profile_points_ is None
    assert "model" not in reservoir._coarse.aggregation_
    features = reservoir.transform(X)
    n_profile = PROFILE_POINTS
    np.testing.assert_allclose(features[:, -n_profile:],
                               [_reference_profile(x, PROFILE_POINTS) for x in X],
                               rtol=1e-10)
    names = reservoir.get_feature_names_out()
    assert len(names) == features.shape[1] == reservoir._n_features_out
    assert list(names[-n_profile:][:2]) == ["profile1of25_x0", "profile2of25_x0"]
    # a sequence's row does not depend on its batch, nor on its length
    np.testing.assert_allclose(reservoir.transform(X[:3])[:, -n_profile:],
                               features[:3, -n_profile:], rtol=1e-12)
    short = reservoir.transform([X[0][:10]])[:, -n_profile:]
    np.testing.assert_allclose(short[0], _reference_profile(X[0][:10], PROFILE_POINTS),
                               rtol=1e-10)


def test_ragged_and_time_channel_profile_in_the_regressor():
    X = _ragged(4, [30, 45, 60, 80] * 6, channels=2)
    for x in X:
        x[:, 0] = np.abs(x[:, 0]) + 0.1  # elapsed times
    y = np.array([x[-1, 1] for x in X])
    model = LNNRegressor(n_reservoir=20, time_channel=0, random_state=0).fit(X, y)
    k = model.reservoir_.profile_points_
    assert k == profile_points([len(x) for x in X])
    tail = model.reservoir_.transform(X)[:, -k:]
    np.testing.assert_allclose(tail, [_reference_profile(x[:, 1:], k) for x in X], rtol=1e-10)
    assert model.reservoir_.get_feature_names_out()[-1] == f"profile{k}of{k}_x1"


@pytest.mark.parametrize("est, channels", [
    (LNNClassifier(n_reservoir=20, random_state=0), 1),
    (ReservoirTransformer(n_reservoir=20, random_state=0), 1),
    (LNNRegressor(n_reservoir=20, aggregation="mean_max", random_state=0), 1),
    (LNNRegressor(n_reservoir=20, random_state=0), 2)])  # univariate series only
def test_no_profile_but_for_the_regressors_auto(est, channels):
    X = np.stack(_ragged(5, [60] * 30, channels=channels))
    y = (X[:, -1, 0] > X[:, 0, 0]).astype(int)
    fitted = clone(est).fit(X, y)
    reservoir = getattr(fitted, "reservoir_", fitted)
    assert reservoir.profile_points_ is None
    assert not any(name.startswith("profile") for name in reservoir.get_feature_names_out())


def test_profile_reads_a_slope_change_the_states_miss():
    """A target linear in the curve: the profile's readout is near exact."""
    rng = np.random.RandomState(6)
    t = np.arange(80)
    breaks, slopes = rng.randint(20, 60, 300), rng.uniform(-0.03, 0.03, (300, 2))
    X = np.where(t < breaks[:, None], slopes[:, :1], slopes[:, 1:]) * (t - breaks[:, None])
    X = X + 0.02 * rng.normal(size=X.shape)
    y = (X[:, -10:].mean(axis=1) - X[:, :10].mean(axis=1)) / 0.1
    fit = slice(0, 200), slice(200, 300)
    errors = {}
    for name, params in {"auto": {}, "no profile": {"aggregation": "mean_max_ppv"}}.items():
        model = LNNRegressor(n_reservoir=50, random_state=0, **params).fit(X[fit[0]], y[fit[0]])
        errors[name] = np.sqrt(np.mean((model.predict(X[fit[1]]) - y[fit[1]]) ** 2))
    assert errors["auto"] < 0.5 * errors["no profile"], errors
