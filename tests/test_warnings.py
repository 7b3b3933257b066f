"""Warnings that catch silent misreads, point at the user's line, and show once."""

import warnings

import numpy as np
import pytest
from sklearn.model_selection import GridSearchCV

from sklearn_lnn import LNNClassifier, LNNRegressor, ReservoirTransformer
from sklearn_lnn._readout._ridge import chunk_statistics, solve_statistics
from sklearn_lnn.datasets import load_digits_sequences
from sklearn_lnn.exceptions import (
    AlphaRangeWarning,
    ChannelsFirstWarning,
    EchoStatePropertyWarning,
    PerStepTargetWarning,
)


def _caught(fn, category):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [w for w in caught if issubclass(w.category, category)]


def test_channels_first_array_warns_with_the_fix(rng):
    X = rng.normal(size=(60, 3, 50))
    found = _caught(lambda: ReservoirTransformer(n_reservoir=10).fit(X), ChannelsFirstWarning)
    assert len(found) == 1
    assert "from_channels_first" in str(found[0].message)
    assert found[0].filename == __file__  # the user's line, not sklearn's


@pytest.mark.parametrize("shape", [(50, 8, 8), (10, 15, 3), (2, 3, 10), (5, 28, 28),
                                   (1, 3, 1), (4, 20, 12)])
def test_ordinary_shapes_do_not_warn(rng, shape):
    X = rng.normal(size=shape)
    assert not _caught(lambda: ReservoirTransformer(n_reservoir=10).fit(X),
                       ChannelsFirstWarning)


def test_digits_and_lists_do_not_warn(rng):
    X, _ = load_digits_sequences(return_X_y=True)
    ragged = [rng.normal(size=(3, 40)) for _ in range(4)]  # lists are explicit
    for data in (X[:50], ragged):
        assert not _caught(lambda: ReservoirTransformer(n_reservoir=10).fit(data),
                           ChannelsFirstWarning)


def test_transposed_input_error_names_the_likely_cause(rng):
    est = ReservoirTransformer(n_reservoir=10).fit(rng.normal(size=(5, 50, 3)))
    with pytest.raises(ValueError, match="channels-first.*from_channels_first"):
        est.transform(rng.normal(size=(5, 3, 50)))


def test_regressor_points_per_step_targets_to_the_step_regressor(rng):
    X = rng.normal(size=(30, 12, 2))
    found = _caught(lambda: LNNRegressor(n_reservoir=10).fit(X, X[:, :, 0]),
                    PerStepTargetWarning)
    assert len(found) == 1 and "LNNStepRegressor" in str(found[0].message)
    assert not _caught(lambda: LNNRegressor(n_reservoir=10).fit(X, X[:, :3, 0]),
                       PerStepTargetWarning)


def test_alpha_at_the_end_of_its_range_warns():
    rng = np.random.RandomState(2)
    X = rng.normal(size=(300, 10, 2))
    noise = rng.normal(size=300)  # nothing to explain: the penalty runs to the top
    # the plain aggregation: the input profile's weight moves its penalty's end
    found = _caught(lambda: LNNRegressor(n_reservoir=5, aggregation="last_mean",
                                         random_state=0).fit(X, noise), AlphaRangeWarning)
    assert len(found) == 1 and "explain next to nothing" in str(found[0].message)
    assert found[0].filename == __file__
    signal = X[:, -1, 0]
    assert not _caught(lambda: LNNRegressor(n_reservoir=5, aggregation="last_mean",
                                            random_state=0).fit(X, signal), AlphaRangeWarning)


def test_only_the_chosen_weights_alpha_warns():
    """A list of feature weights is a choice (the regressor's input profile):
    a discarded candidate's penalty at the end of its range says nothing of
    the fit, the chosen one's reaches the caller once, at the caller's line."""
    rng = np.random.RandomState(0)
    X = rng.normal(size=(200, 5))
    stats = chunk_statistics(X, (3 * X[:, 0] + 0.1 * rng.normal(size=200))[:, None])
    blind, plain = np.r_[1e-6, np.ones(4)], np.ones(5)  # blind: column 0 all but unusable

    def solve(candidates):
        return solve_statistics(stats, "auto", feature_weights=candidates)[2]

    assert len(_caught(lambda: solve([blind]), AlphaRangeWarning)) == 1
    for candidates in ([blind, plain], [plain, blind]):
        assert not _caught(lambda: solve(candidates), AlphaRangeWarning)
        assert solve(candidates) == solve([plain]) < 1.0
    found = _caught(lambda: solve([blind, 2 * blind]), AlphaRangeWarning)
    assert len(found) == 1 and found[0].filename == __file__


def test_echo_state_warning_once_per_setting_at_the_callers_line():
    X, y = load_digits_sequences(return_X_y=True)
    grid = {"input_scaling": [0.3, 0.6, 1.0], "bias_scaling": [0.1, 0.3, 0.5]}
    search = GridSearchCV(
        LNNClassifier(n_reservoir=30, spectral_radius=1.2, leak_rate=1.0, random_state=0),
        grid, cv=3)
    found = _caught(lambda: search.fit(X[:150], y[:150]), EchoStatePropertyWarning)
    assert len(search.cv_results_["params"]) == 9
    assert len(found) == 1
    assert found[0].filename == __file__
