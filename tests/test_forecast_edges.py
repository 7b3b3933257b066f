"""The forecasters' sharp edges of issue 28: what a list means, update(None),
score's checks, fitted state only in predict / update, one panel member."""

import copy

import numpy as np
import pytest

from sklearn_lnn import LNNForecaster, NGRCForecaster


def series(n=120, k=1, seed=0):
    rng = np.random.default_rng(seed)
    t = np.arange(n)[:, None]
    return np.sin(0.3 * t + np.arange(k)) + 0.1 * rng.normal(size=(n, k))


def small(**params):
    return LNNForecaster(n_reservoir=30, random_state=0, **params)


# -- a list is read as np.asarray reads it ------------------------------------------


def test_a_list_of_rows_is_one_series():
    y = series(200, 6)
    rows = small().fit(y.tolist())  # what df.values.tolist() gives
    arr = small().fit(y)
    assert rows.n_series_ == 1 and rows.n_targets_ == 6
    np.testing.assert_array_equal(rows.predict(5), arr.predict(5))


def test_a_list_of_numbers_is_one_series_and_numbers_update_it():
    y = series(100)[:, 0]
    model = small().fit(list(y))
    ref = small().fit(y)
    np.testing.assert_array_equal(model.predict(4), ref.predict(4))
    model.update(0.3)  # one step of the one target
    ref.update(np.array([0.3]))
    np.testing.assert_array_equal(model.predict(4), ref.predict(4))
    model.update([0.3, 0.4])
    ref.update(np.array([0.3, 0.4]))
    np.testing.assert_array_equal(model.predict(4), ref.predict(4))
    assert model.predict(4).shape == (4,)


def test_a_list_of_arrays_is_a_panel():
    a, b = series(80)[:, 0], series(90, seed=1)[:, 0]
    model = small().fit([a, b])
    assert model.n_series_ == 2 and isinstance(model.predict(3), list)


@pytest.mark.parametrize("y, words", [
    ([np.ones(30), [1.0, 2.0]], "mixes arrays"),
    ([[1.0, 2.0], [3.0]], "rows differ in length"),
])
def test_an_ambiguous_list_names_both_readings(y, words):
    with pytest.raises(ValueError, match=words) as info:
        small().fit(y)
    assert "one series" in str(info.value) and "panel" in str(info.value)


@pytest.mark.parametrize("model", [small(), NGRCForecaster()])
def test_update_none_is_a_clear_error(model):
    model.fit(series(100))
    before = model.predict(3)
    with pytest.raises(ValueError, match="needs the newly observed values"):
        model.update(None)
    np.testing.assert_array_equal(model.predict(3), before)


# -- score checks y like update and handles a zero total sum of squares -------------


def test_score_refuses_what_update_refuses():
    model = small().fit(series(100))
    with pytest.raises(ValueError, match="targets per step"):
        model.score(series(10, 2))
    with pytest.raises(ValueError, match="same structure"):
        model.score([series(10)[:, 0], series(10)[:, 0]])
    panel = small().fit([series(80)[:, 0], series(80, seed=1)[:, 0]])
    with pytest.raises(ValueError, match="same structure"):
        panel.score([series(5)[:, 0]] * 3)


@pytest.mark.parametrize("units", [1.0, 1000.0])
def test_score_of_a_constant_or_one_step_continuation_is_in_r2_terms(units):
    y = units * (5.0 + series(100)[:, 0])
    model = small().fit(y)
    forecast = model.predict(3)
    # a constant continuation: SST 0, the forecast not exact -> 0 (r2_score);
    # the mean of three 0.1s rounds, so its SST is 6e-34, not 0: still constant
    assert model.score(np.full(3, units * 0.1)) == 0.0
    assert model.score([units * 0.1]) == 0.0  # one step: SST 0 too
    assert model.score(forecast[:1]) == 1.0  # exact
    assert model.score(forecast) == 1.0


def test_score_is_unit_free():
    y = series(100)[:, 0]
    truth = np.sin(0.3 * np.arange(100, 110))
    assert small().fit(y).score(truth) == pytest.approx(
        small().fit(1000 * y).score(1000 * truth), rel=1e-9)


# -- predict and update read fitted state only ---------------------------------------


LNN_CHANGES = [{"season": None}, {"season": 4}, {"include_input": False},
               {"squared_states": True}, {"n_reservoir": 12}]
NGRC_CHANGES = [{"delay": 3}, {"order": 3}, {"stride": 2}, {"season": None}]


@pytest.mark.parametrize("make, change", [
    *[(lambda: small(season=12), c) for c in LNN_CHANGES],
    *[(lambda: NGRCForecaster(alpha=1e-4, season=12), c) for c in NGRC_CHANGES],
])
def test_set_params_after_fit_changes_nothing_until_the_next_fit(make, change):
    y = 3.0 + series(150)[:, 0] + np.tile(np.arange(12) / 6.0, 13)[:150]
    new = 3.0 + series(20, seed=5)[:, 0]
    kept, changed = make().fit(y), make().fit(y)
    changed.set_params(**change)
    np.testing.assert_array_equal(changed.predict(15), kept.predict(15))
    kept.update(new), changed.update(new)
    np.testing.assert_array_equal(changed.predict(15), kept.predict(15))
    assert changed.score(new[:6]) == kept.score(new[:6])
    refit = copy.deepcopy(changed).fit(y)  # the next fit takes the new value
    assert refit.get_params()[next(iter(change))] == change[next(iter(change))]


# -- one member of a panel ------------------------------------------------------------


@pytest.mark.parametrize("make", [small, lambda: NGRCForecaster(alpha=1e-4)])
@pytest.mark.parametrize("position", [1, -2, -1])
def test_one_panel_member_updates_alone(make, position):
    panel = [series(100, seed=s)[:, 0] for s in range(3)]
    new = [series(7, seed=10 + s)[:, 0] for s in range(3)]
    whole, one = make().fit(panel), make().fit(panel)
    before = one.predict(5)
    whole.update(new)
    one.update(new[position], series=position)
    after, i = one.predict(5), position % 3
    np.testing.assert_allclose(after[i], whole.predict(5)[i], rtol=1e-12, atol=1e-12)
    for i in {0, 1, 2} - {i}:
        np.testing.assert_array_equal(after[i], before[i])


def test_a_panel_member_update_is_checked():
    model = small().fit([series(100, seed=s)[:, 0] for s in range(2)])
    before = copy.deepcopy(model)
    with pytest.raises(ValueError, match="out of range"):
        model.update(np.ones(3), series=2)
    with pytest.raises(ValueError, match="not a position or a name"):
        model.update(np.ones(3), series="b")
    with pytest.raises(ValueError, match="same structure"):
        model.update([np.ones(3)], series=0)  # one member: its values alone
    for a, b in zip(model.predict(3), before.predict(3)):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="not\\s+a panel"):
        small().fit(series(100)).update(np.ones(3), series=0)
