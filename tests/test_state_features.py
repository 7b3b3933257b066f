"""PPV and model-space features, the difference channel and aggregation="auto"."""

import numpy as np
import pytest

from sklearn_lnn import LNNClassifier, NGRCTransformer, ReservoirTransformer
from sklearn_lnn._engine._state_features import PPV_QUANTILES, weighted_quantiles

from .reference import reference_model, reference_ppv


def _ragged(seed, lengths, channels=2):
    rng = np.random.RandomState(seed)
    return [rng.normal(size=(n, channels)) for n in lengths]


@pytest.mark.parametrize("washout", [0, 1, 3])
@pytest.mark.parametrize("bidirectional", [False, True])
def test_ppv_and_model_space_equal_per_sequence_reference(washout, bidirectional):
    """Every edge of the per-sequence ridge: no pair, one pair, two pairs, a
    sequence across several buffer flushes (64 steps each)."""
    train = _ragged(1, np.random.RandomState(1).randint(5, 90, size=25))
    X = [x for x in _ragged(2, [1, 2, 3, 4, 7, 64, 65, 66, 150]) if len(x) > washout]
    est = ReservoirTransformer(n_reservoir=40, aggregation="ppv_model", washout=washout,
                               bidirectional=bidirectional, random_state=0).fit(train)
    features = est.transform(X)
    m = est.state_components_.shape[2]
    per_pass = 3 * 40 + m * (m + 1)
    assert features.shape == (len(X), per_pass * (2 if bidirectional else 1))
    for row, x in zip(features, X):
        passes = [x, x[::-1]][: 2 if bidirectional else 1]
        for d, seq in enumerate(passes):
            states = est.compute_states([seq])[0][washout:]
            expected = np.concatenate([
                reference_ppv(states, est.state_thresholds_[d]),
                reference_model(states, est.state_mean_[d], est.state_components_[d])])
            np.testing.assert_allclose(row[d * per_pass:(d + 1) * per_pass], expected,
                                       rtol=1e-10, atol=1e-12)


def test_state_statistics_come_from_the_training_sequences_only():
    train, other = _ragged(3, [30] * 12), _ragged(4, [30] * 12)
    est = ReservoirTransformer(n_reservoir=30, aggregation="mean_ppv_model",
                               random_state=0).fit(train)
    states = np.concatenate(est.compute_states(train))
    np.testing.assert_allclose(est.state_thresholds_[0],
                               weighted_quantiles(states, np.ones(len(states)),
                                                  PPV_QUANTILES))
    np.testing.assert_allclose(est.state_mean_[0], states.mean(axis=0))
    centred = states - states.mean(axis=0)
    top = np.linalg.eigh(centred.T @ centred)[1][:, ::-1][:, :30]
    np.testing.assert_allclose(np.abs(est.state_components_[0].T @ top),
                               np.eye(30), atol=1e-6)
    fitted = {k: getattr(est, k).copy() for k in
              ("state_thresholds_", "state_mean_", "state_components_")}
    first = est.transform(other)
    for name, value in fitted.items():  # transform learns nothing
        np.testing.assert_array_equal(getattr(est, name), value)
    np.testing.assert_array_equal(est.transform(other), first)
    refit = ReservoirTransformer(**est.get_params()).fit(other)
    assert not np.allclose(refit.state_thresholds_, est.state_thresholds_)
    assert not np.allclose(refit.transform(other), first)


def test_thresholds_are_weighted_quantiles_that_miss_the_training_states():
    values = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
    got = weighted_quantiles(values, np.ones(5), (0.25, 0.5, 0.75))
    np.testing.assert_allclose(got[:, 0], [1.5, 2.5, 3.5])
    # integer weights give the thresholds of repeated rows
    w = np.array([2.0, 0.0, 1.0, 3.0, 1.0])
    np.testing.assert_array_equal(weighted_quantiles(values, w, PPV_QUANTILES),
                                  weighted_quantiles(np.repeat(values, [2, 0, 1, 3, 1], 0),
                                                     np.ones(7), PPV_QUANTILES))


def test_zero_weight_sequences_do_not_move_the_state_statistics():
    X = _ragged(5, [20] * 10)
    y = np.arange(10) % 2
    w = np.r_[np.ones(8), 0.0, 0.0]
    a = LNNClassifier(n_reservoir=20, aggregation="ppv_model", random_state=0)
    b = LNNClassifier(n_reservoir=20, aggregation="ppv_model", random_state=0)
    a.fit(X, y, sample_weight=w)
    b.fit(X[:8], y[:8])
    for name in ("state_thresholds_", "state_mean_", "state_components_"):
        np.testing.assert_allclose(getattr(a.reservoir_, name),
                                   getattr(b.reservoir_, name), atol=1e-12)


def test_difference_channel_is_the_first_difference():
    X = _ragged(6, [12, 9])
    plain = ReservoirTransformer(n_reservoir=20, include_difference=False,
                                 standardize=False, random_state=0).fit(X)
    with_diff = ReservoirTransformer(n_reservoir=20, include_difference=True,
                                     standardize=False, random_state=0).fit(X)
    assert with_diff.input_weights_.shape == (20, 4)
    diffs = [np.hstack([x, np.vstack([np.zeros((1, 2)), np.diff(x, axis=0)])]) for x in X]
    # difference channels do not count in the input budget (see input_scaling):
    # 4 given channels need sqrt(2) times the scaling of 2 channels + differences
    by_hand = ReservoirTransformer(n_reservoir=20, include_difference=False, standardize=False,
                                   input_scaling=np.sqrt(2), random_state=0).fit(diffs)
    np.testing.assert_allclose(by_hand.input_weights_, with_diff.input_weights_, rtol=1e-14)
    np.testing.assert_allclose(with_diff.transform(X), by_hand.transform(diffs))
    assert not np.allclose(plain.transform(X), with_diff.transform(X)[:, :40])


@pytest.mark.parametrize("X, expected", [
    (np.zeros((4, 10)) + np.arange(10), "points2_mean_max_ppv_model"),  # short univariate
    (np.zeros((4, 24)) + np.arange(24), "points6_mean_max_ppv_model"),  # one point in 4
    ([np.ones((4, 1)), np.ones((49, 1)), np.ones((49, 1))], "points12_mean_max_ppv_model"),
    (np.zeros((4, 60)) + np.arange(60), "mean_max_ppv_model"),  # long univariate
    ([np.ones((9, 3)), np.ones((12, 3))], "last_mean"),  # short multivariate
    ([np.ones((60, 3)), np.ones((80, 3))], "mean_max_ppv_model"),  # long multivariate
    ([np.ones((40, 3)), np.ones((49, 3)), np.ones((200, 3))], "last_mean"),  # median 49
])
def test_auto_picks_rich_features_for_univariate_or_long_series(X, expected):
    est = ReservoirTransformer(n_reservoir=20, random_state=0).fit(X)
    assert est.aggregation_ == expected
    assert est.include_difference_ is (expected != "last_mean")
    if expected.startswith("points"):  # the last point is the final state
        k = int(expected.split("_")[0][6:])
        last = est.transform(X)[:, (k - 1) * 20 : k * 20]
        np.testing.assert_array_equal(last, [h[-1] for h in est.compute_states(X)])
    assert est.transform(X).shape[1] == est.get_feature_names_out().size
    # no model space for many sequences; the last state only for short ones
    many = ReservoirTransformer(n_reservoir=5, random_state=0).fit(np.zeros((2001, 3)))
    assert many.aggregation_ == "last_mean_max_ppv"  # not points: a bounded readout
    assert ReservoirTransformer(n_reservoir=5, random_state=0).fit(
        np.zeros((2000, 3))).aggregation_ == "points2_mean_max_ppv_model"
    many_long = ReservoirTransformer(n_reservoir=5, random_state=0).fit(np.zeros((2001, 50)))
    assert many_long.aggregation_ == "mean_max_ppv"
    explicit = ReservoirTransformer(n_reservoir=20, aggregation="max",
                                    include_difference=False, random_state=0).fit(X)
    assert (explicit.aggregation_, explicit.include_difference_) == ("max", False)


def test_feature_names_of_the_state_parts():
    X = _ragged(7, [15, 20, 25, 18])
    est = ReservoirTransformer(n_reservoir=10, aggregation="ppv_model_last",
                               include_input=True, include_difference=True,
                               random_state=0).fit(X)
    names = list(est.get_feature_names_out())
    F = est.transform(X)
    assert len(names) == F.shape[1] == len(set(names))
    assert names[:2] == ["fwd_ppv25_0", "fwd_ppv25_1"]
    assert names[30:32] == ["fwd_model_0to0", "fwd_model_0to1"]
    assert names[-4:] == ["fwd_input_last_x0", "fwd_input_last_x1",
                          "fwd_input_last_diff_x0", "fwd_input_last_diff_x1"]
    states = est.compute_states(X[:1])[0]
    ppv50_3 = names.index("fwd_ppv50_3")
    assert F[0, ppv50_3] == (states[:, 3] > est.state_thresholds_[0, 1, 3]).mean()
    last_2 = names.index("fwd_last_2")
    assert F[0, last_2] == pytest.approx(states[-1, 2])


def test_state_parts_are_refused_where_no_states_exist():
    with pytest.raises(ValueError, match="'ppv', 'model'"):
        ReservoirTransformer(aggregation="mean_mode").fit(np.zeros((2, 5, 1)))
    with pytest.raises(ValueError, match="is not valid"):
        NGRCTransformer(aggregation="mean_ppv").fit(np.zeros((2, 5, 1)))


def test_state_statistics_weigh_rows_like_repeated_rows():
    """Integer row weights (a sequence's sample_weight on each of its rows)
    give the thresholds, mean and components of the repeated rows."""
    from sklearn_lnn._engine._state_features import fit_state_statistics

    rng = np.random.RandomState(0)
    states = rng.normal(size=(60, 6)) + np.linspace(0, 3, 60)[:, None]
    w = rng.randint(0, 4, 60).astype(float)
    weighted = fit_state_statistics(states, w, ppv=True, model=True)
    repeated = fit_state_statistics(np.repeat(states, w.astype(int), axis=0),
                                    np.ones(int(w.sum())), ppv=True, model=True)
    np.testing.assert_allclose(weighted.mean, np.average(states, axis=0, weights=w),
                               rtol=1e-12)
    np.testing.assert_allclose(weighted.mean, repeated.mean, rtol=1e-12)
    np.testing.assert_allclose(weighted.thresholds, repeated.thresholds, rtol=1e-12)
    np.testing.assert_allclose(weighted.components, repeated.components, atol=1e-8)
