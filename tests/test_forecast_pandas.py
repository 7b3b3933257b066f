"""pandas in and out of the forecasters (issue 28): the index continued,
names recorded and checked, gaps and frequency changes refused."""

import copy

import numpy as np
import pytest

from sklearn_lnn import LNNForecaster, LNNForecasterCV, NGRCForecaster

pd = pytest.importorskip("pandas")


def values(n=120, seed=0):
    rng = np.random.default_rng(seed)
    return 10 + np.sin(0.4 * np.arange(n)) + 0.1 * rng.normal(size=n)


def small():
    return LNNForecaster(n_reservoir=20, random_state=0)


INDEXES = {
    "datetime": lambda n: pd.date_range("2020-01-01", periods=n, freq="MS"),
    "period": lambda n: pd.period_range("2001Q1", periods=n, freq="Q"),
    "range": lambda n: pd.RangeIndex(10, 10 + 2 * n, 2),
    "hourly-utc": lambda n: pd.date_range("2021-03-27", periods=n, freq="h", tz="UTC"),
}


@pytest.mark.parametrize("kind", INDEXES)
@pytest.mark.parametrize("make", [small, lambda: NGRCForecaster(alpha=1e-3)])
def test_a_series_keeps_its_index_type_frequency_and_name(kind, make):
    index = INDEXES[kind](130)
    y = pd.Series(values(130), index=index, name="load")
    model = make().fit(y[:120])
    forecast = model.predict(6)
    assert isinstance(forecast, pd.Series) and forecast.name == "load"
    assert forecast.index.equals(index[120:126]) and type(forecast.index) is type(index)
    if kind != "range":
        assert forecast.index.freqstr == index.freqstr
    np.testing.assert_array_equal(forecast.to_numpy(), make().fit(values(130)[:120]).predict(6))
    model.update(y[120:124])
    after = model.predict(3)
    assert after.index.equals(index[124:127])
    iv = model.predict_interval(3, coverage=[0.8, 0.95])
    assert iv.index.equals(index[124:127])
    assert list(iv.columns) == [("load", c, s) for c in (0.8, 0.95) for s in ("lower", "upper")]
    np.testing.assert_array_equal(iv.to_numpy(), model.set_params().predict_interval(
        3, coverage=[0.8, 0.95]).to_numpy())
    q = model.predict_quantiles(3, alpha=[0.1, 0.9])
    assert list(q.columns) == [("load", 0.1), ("load", 0.9)] and q.index.equals(index[124:127])


def test_a_frame_keeps_its_columns_and_refuses_others():
    index = pd.date_range("2020-01-06", periods=140, freq="W-MON")
    y = pd.DataFrame({"a": values(140), "b": values(140, seed=1)}, index=index)
    model = small().fit(y[:120])
    forecast = model.predict(4)
    assert list(forecast.columns) == ["a", "b"] and forecast.index.equals(index[120:124])
    assert model.predict_interval(2).columns.tolist() == [
        ("a", 0.9, "lower"), ("a", 0.9, "upper"), ("b", 0.9, "lower"), ("b", 0.9, "upper")]
    before = copy.deepcopy(model)
    with pytest.raises(ValueError, match="columns"):
        model.update(y[120:125][["b", "a"]])  # swapped: would corrupt the state
    with pytest.raises(ValueError, match="columns"):
        model.update(y[120:125].rename(columns={"a": "c"}))
    pd.testing.assert_frame_equal(model.predict(4), before.predict(4))
    model.update(y[120:125].to_numpy())  # arrays carry no names: accepted, counted
    assert model.predict(2).index.equals(index[125:127])


@pytest.mark.parametrize("kind", ["datetime", "period", "range"])
def test_gaps_overlaps_and_frequency_changes_are_refused(kind):
    index = INDEXES[kind](140)
    y = pd.Series(values(140), index=index)
    model = small().fit(y[:120])
    before = copy.deepcopy(model)
    for bad in (y[121:125], y[119:123], y[120:130:2]):  # gap, overlap, other step
        with pytest.raises(ValueError, match="does not continue the index"):
            model.update(bad)
    pd.testing.assert_series_equal(model.predict(3), before.predict(3))
    model.update(y[120:125])
    assert model.predict(1).index[0] == index[125]


def test_an_index_without_a_frequency_is_refused_with_the_fix():
    irregular = pd.DatetimeIndex(pd.to_datetime(["2020-01-01", "2020-01-03"]).append(
        pd.date_range("2020-01-04", periods=118, freq="D")))
    with pytest.raises(ValueError, match="asfreq"):
        small().fit(pd.Series(values(120), index=irregular))
    with pytest.raises(ValueError, match="index of type"):
        small().fit(pd.Series(values(120), index=[f"s{i}" for i in range(120)]))
    regular = pd.DatetimeIndex(list(pd.date_range("2020-01-01", periods=120, freq="D")))
    assert regular.freq is None  # inferred
    forecast = small().fit(pd.Series(values(120), index=regular)).predict(2)
    assert forecast.index[0] == pd.Timestamp("2020-04-30")


def test_exogenous_frames_are_checked_by_name():
    index = pd.date_range("2020-01-01", periods=130, freq="D")
    X = pd.DataFrame({"temp": values(130, seed=2), "wind": values(130, seed=3)}, index=index)
    y = pd.Series(values(130), index=index, name="y")
    model = small().fit(y[:120], X[:120])
    ok = model.predict(5, X[120:125])
    with pytest.raises(ValueError, match="columns"):
        model.predict(5, X[120:125][["wind", "temp"]])
    with pytest.raises(ValueError, match="columns"):
        model.update(y[120:122], X[120:122][["wind", "temp"]])
    np.testing.assert_array_equal(model.predict(5, X[120:125].to_numpy()).to_numpy(),
                                  ok.to_numpy())


def test_a_panel_of_named_series_updates_a_member_by_name():
    index = pd.period_range("1990", periods=60, freq="Y")
    panel = [pd.Series(values(60, seed=s), index=index, name=n) for s, n in enumerate("abc")]
    model = small().fit([p[:50] for p in panel])
    assert model.series_names_ == ["a", "b", "c"]
    out = model.predict(3)
    assert [o.name for o in out] == ["a", "b", "c"]
    model.update(panel[1][50:53], series="b")
    after = model.predict(2)
    assert after[1].index.equals(index[53:55]) and after[0].index.equals(index[50:52])
    with pytest.raises(ValueError, match="does not continue"):
        model.update(panel[0][51:53], series="a")


def test_numpy_in_numpy_out_and_skops_loads_a_pandas_model():
    sio = pytest.importorskip("skops.io")
    assert isinstance(small().fit(values()).predict(3), np.ndarray)
    y = pd.Series(values(), index=INDEXES["datetime"](120), name="v")
    model = small().fit(y)
    data = sio.dumps(model)
    from sklearn_lnn.utils import skops_trusted_types

    assert set(sio.get_untrusted_types(data=data)) <= set(skops_trusted_types())
    loaded = sio.loads(data, trusted=sio.get_untrusted_types(data=data))
    pd.testing.assert_series_equal(loaded.predict(3), model.predict(3))


def test_the_self_tuning_forecaster_keeps_the_index():
    y = pd.Series(values(150), index=INDEXES["period"](150))
    search = LNNForecasterCV(param_grid={"alpha": [1e-2, 1.0]}, n_origins=3, horizon=4,
                             n_reservoir=20, random_state=0).fit(y)
    assert search.predict(2).index.equals(INDEXES["period"](152)[150:])
