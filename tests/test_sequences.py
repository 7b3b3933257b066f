"""The input contract: accepted forms, sequence independence and clear errors."""

import numpy as np
import pandas as pd
import pytest

from sklearn_lnn import LNNClassifier, LNNRegressor, ReservoirTransformer


def _reservoir(**params):
    return ReservoirTransformer(n_reservoir=25, random_state=0, **params)


@pytest.mark.parametrize("aggregation", ["last", "mean", "last_mean"])
def test_sequence_features_do_not_depend_on_the_batch(rng, aggregation):
    """The same sequence gives the same features alone, in 3D, and in a ragged list."""
    X3d = rng.normal(size=(6, 20, 3))
    est = _reservoir(aggregation=aggregation).fit(X3d)
    target = X3d[2]
    alone = est.transform(target[np.newaxis])[0]
    in_batch = est.transform(X3d)[2]
    neighbours = [rng.normal(size=(n, 3)) for n in (3, 41, 1, 20, 7)]
    in_ragged = est.transform(neighbours[:2] + [target] + neighbours[2:])[2]
    np.testing.assert_allclose(in_batch, alone, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(in_ragged, alone, rtol=1e-12, atol=1e-14)


def test_object_array_and_tuple_equal_list(ragged):
    est = _reservoir().fit(ragged)
    expected = est.transform(ragged)
    obj = np.empty(len(ragged), dtype=object)
    obj[:] = ragged
    np.testing.assert_array_equal(est.transform(obj), expected)
    np.testing.assert_array_equal(est.transform(tuple(ragged)), expected)


def test_2d_input_is_univariate_series(rng):
    X2d = rng.normal(size=(8, 12))
    est = _reservoir().fit(X2d)
    assert est.n_features_in_ == 12  # scikit-learn's tabular meaning: columns
    # one channel, and its difference channel (include_difference="auto")
    assert est.input_weights_.shape == (25, 2) and est.include_difference_
    assert _reservoir(include_difference=False).fit(X2d).input_weights_.shape == (25, 1)
    via_3d = _reservoir().fit(X2d[:, :, None])
    np.testing.assert_array_equal(est.input_weights_, via_3d.input_weights_)
    np.testing.assert_allclose(est.transform(X2d), via_3d.transform(X2d[:, :, None]))


def test_dataframe_input_records_feature_names(rng):
    X2d = rng.normal(size=(8, 5))
    df = pd.DataFrame(X2d, columns=[f"t{i}" for i in range(5)])
    est = _reservoir().fit(df)
    np.testing.assert_array_equal(est.feature_names_in_, df.columns)
    np.testing.assert_allclose(est.transform(df), _reservoir().fit(X2d).transform(X2d))
    out = est.set_output(transform="pandas").transform(df)
    assert isinstance(out, pd.DataFrame) and out.shape == (8, est._n_features_out)
    np.testing.assert_array_equal(out.columns, est.get_feature_names_out())


@pytest.mark.parametrize("form", ["3d", "list", "2d"])
def test_float32_in_float32_out(rng, form):
    X = rng.normal(size=(4, 6, 2)).astype(np.float32)
    X = {"3d": X, "list": list(X), "2d": X[:, :, 0]}[form]
    est = _reservoir().fit(X)
    assert est.transform(X).dtype == np.float32
    assert est.fit_transform(X).dtype == np.float32
    states = est.compute_states(X)
    assert (states[0] if form == "list" else states).dtype == np.float32


@pytest.mark.parametrize("X", [np.arange(5), [1, 2], np.zeros((2, 3, 4, 5))],
                         ids=["1d", "1d-list", "4d"])
def test_wrong_rank_raises_with_reshape_hint(X):
    with pytest.raises(ValueError, match="Reshape your data"):
        _reservoir().fit(X)


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
@pytest.mark.parametrize("form", ["3d", "list", "2d"])
def test_non_finite_values_raise(rng, bad, form):
    X = rng.normal(size=(4, 6, 2))
    X[2, 3, 1] = bad
    X = {"3d": X, "list": list(X), "2d": X[:, :, 1]}[form]
    with pytest.raises(ValueError, match="Sequence 2 contains NaN or infinity.*impute"):
        _reservoir().fit(X)


def test_empty_sequence_raises(rng):
    X = [rng.normal(size=(5, 2)), np.empty((0, 2))]
    with pytest.raises(ValueError, match="Sequence 1 is empty.*Drop empty sequences"):
        _reservoir().fit(X)
    with pytest.raises(ValueError, match="0 steps per sequence"):
        _reservoir().fit(np.empty((3, 0, 2)))


def test_ragged_feature_counts_raise(rng):
    X = [rng.normal(size=(5, 2)), rng.normal(size=(4, 3))]
    with pytest.raises(ValueError, match="sequence 0 has 2, sequence 1 has 3"):
        _reservoir().fit(X)


def test_list_with_non_sequence_items_raises(rng):
    with pytest.raises(ValueError, match="Sequence 1 of the list.*reshape"):
        _reservoir().fit([rng.normal(size=(5, 2)), 3.0])


def test_ragged_univariate_list_raises_with_hint():
    with pytest.raises(ValueError, match=r"\(n_steps_i, 1\)"):
        _reservoir().fit([np.arange(3.0), np.arange(5.0)])


def test_3d_at_fit_2d_at_transform_raises(rng):
    est = _reservoir().fit(rng.normal(size=(4, 6, 1)))
    with pytest.raises(ValueError, match=r"fitted on sequences.*X\[:, :, np.newaxis\]"):
        est.transform(rng.normal(size=(4, 6)))


def test_2d_at_fit_3d_at_transform_raises(rng):
    est = _reservoir().fit(rng.normal(size=(4, 6)))
    with pytest.raises(ValueError, match=r"fitted on a 2D array.*X\[:, :, 0\]"):
        est.transform(rng.normal(size=(4, 6, 1)))


def test_feature_count_mismatch_raises(rng):
    est = _reservoir().fit(rng.normal(size=(4, 6, 3)))
    with pytest.raises(ValueError, match="X has 2 features, but ReservoirTransformer "
                       "is expecting 3 features"):
        est.transform([rng.normal(size=(5, 2))])


@pytest.mark.parametrize("values", [["a", "b"], [1 + 1j, 2j]], ids=["str", "complex"])
def test_non_numeric_sequences_raise(values):
    X = [np.array([values, values]).T]
    with pytest.raises(ValueError, match="numbers|complex"):
        _reservoir().fit(X)


def test_washout_longer_than_a_sequence_names_it(ragged):
    with pytest.raises(ValueError, match="Sequence 0 has 1 steps, but washout=2"):
        _reservoir(washout=2).fit(ragged)


@pytest.mark.parametrize("Est", [LNNClassifier, LNNRegressor])
def test_estimators_share_the_contract(rng, Est):
    X = [rng.normal(size=(n, 2)) for n in (4, 9, 6, 3)]
    est = Est(n_reservoir=10, random_state=0).fit(X, [0, 1, 0, 1])
    with pytest.raises(ValueError, match="Reshape your data"):
        est.predict(np.arange(4.0))
    with pytest.raises(ValueError, match="is expecting 2 features"):
        est.predict([rng.normal(size=(5, 3))])


def test_mixed_float32_and_float64_list_is_float64(rng):
    X = [rng.normal(size=(5, 2)).astype(np.float32), rng.normal(size=(7, 2))]
    est = ReservoirTransformer(n_reservoir=10, random_state=0).fit(X)
    assert est.transform(X).dtype == np.float64
    assert est.transform([x.astype(np.float32) for x in X]).dtype == np.float32
