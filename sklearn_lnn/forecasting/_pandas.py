"""pandas in and out for the forecasters: what a series' index and names
were at fit, the checks of new values against them, the index continued
for forecasts. pandas stays optional: it is imported only when a pandas
object comes in, and a record holds only plain values (strings, numbers,
lists), so models load in skops without pandas types.

A record (one per series) is a dict: ``type`` ("series" or "frame"),
``name`` (a Series' name), ``columns`` (a DataFrame's), ``index``
("datetime", "period" or "range"), ``freq`` (the frequency string), ``tz``,
``step`` (a range index's) and ``last`` (the last label seen, as a string
or an int).
"""

import warnings

import numpy as np

_INDEX_HELP = ("A forecaster needs a regular index to continue: a DatetimeIndex or "
               "PeriodIndex with a frequency (for example y.asfreq('MS')), or a "
               "RangeIndex; or pass y.reset_index(drop=True) or y.to_numpy().")


def is_pandas(values):
    return hasattr(values, "iloc") and hasattr(values, "index")


def _pd():
    import pandas as pd

    return pd


def _index_record(index, where):
    pd = _pd()
    if isinstance(index, pd.DatetimeIndex):
        freq = index.freq
        if freq is None and len(index) >= 3:
            with warnings.catch_warnings():  # pandas 3 announces an offset, not a string
                warnings.simplefilter("ignore")
                freq = pd.infer_freq(index)
        if freq is None:
            raise ValueError(f"{where} has a DatetimeIndex without a frequency (none set, "
                             f"none inferred). {_INDEX_HELP}")
        offset = pd.tseries.frequencies.to_offset(freq)
        return {"index": "datetime", "freq": offset.freqstr,
                "tz": None if index.tz is None else str(index.tz),
                "last": index[-1].isoformat()}
    if isinstance(index, pd.PeriodIndex):
        return {"index": "period", "freq": index.freqstr, "last": str(index[-1])}
    if isinstance(index, pd.RangeIndex) or (
            pd.api.types.is_integer_dtype(index.dtype) and len(index) >= 1):
        steps = np.unique(np.diff(np.asarray(index, dtype=np.int64)))
        if len(steps) > 1 or (len(steps) == 1 and steps[0] == 0):
            raise ValueError(f"{where} has an integer index that is not evenly spaced. "
                             f"{_INDEX_HELP}")
        step = int(index.step) if isinstance(index, pd.RangeIndex) else (
            int(steps[0]) if len(steps) else 1)
        return {"index": "range", "step": step, "last": int(index[-1])}
    raise ValueError(f"{where} has an index of type {type(index).__name__}. {_INDEX_HELP}")


def record(values, where):
    """The record of one series given as a pandas object (None otherwise)."""
    if not is_pandas(values):
        return None
    pd = _pd()
    rec = _index_record(values.index, where)
    if isinstance(values, pd.DataFrame):
        rec.update(type="frame", columns=list(values.columns))
    else:
        rec.update(type="series", name=values.name)
    return rec


def future_index(rec, n, start=1):
    """The `n` labels after ``rec["last"]`` (from the `start`-th on)."""
    pd = _pd()
    if rec["index"] == "datetime":
        last = pd.Timestamp(rec["last"])
        return pd.date_range(start=last, periods=n + start, freq=rec["freq"],
                             tz=rec.get("tz"))[start:]
    if rec["index"] == "period":
        last = pd.Period(rec["last"], freq=rec["freq"])
        return pd.period_range(start=last + start, periods=n, freq=rec["freq"])
    step = rec["step"]
    first = rec["last"] + start * step
    return pd.RangeIndex(first, first + n * step, step)


def continued(rec, values, n_steps, where):
    """The record after `n_steps` new values `values` (pandas: checked to
    continue the index and to keep the names; anything else: just counted)."""
    if rec is None:
        return None
    new = dict(rec)
    if is_pandas(values):
        pd = _pd()
        kind = "frame" if isinstance(values, pd.DataFrame) else "series"
        if kind == "frame" and (rec["type"] != "frame"
                                or list(values.columns) != rec["columns"]):
            raise ValueError(
                f"{where} has columns {list(values.columns)}; the model was fitted on "
                f"{rec.get('columns', 'a Series')} (same names, same order).")
        if kind == "series" and rec["type"] == "series" and values.name is not None \
                and rec["name"] is not None and values.name != rec["name"]:
            raise ValueError(f"{where} is named {values.name!r}; the model was fitted "
                             f"on {rec['name']!r}.")
        expected = future_index(rec, len(values))
        if not expected.equals(pd.Index(values.index)):
            raise ValueError(
                f"{where} does not continue the index seen: expected {len(values)} "
                f"steps from {expected[0]} at frequency {rec.get('freq', rec.get('step'))}, "
                f"got {values.index[0]} .. {values.index[-1]} (a gap, an overlap or "
                "another frequency).")
    last = future_index(rec, 1, start=n_steps)[0]
    new["last"] = int(last) if rec["index"] == "range" else (
        last.isoformat() if rec["index"] == "datetime" else str(last))
    return new


def check_columns(names, values, where):
    """A DataFrame's columns must be the recorded `names` (a list or None)."""
    if names is None or not hasattr(values, "columns"):
        return
    if list(values.columns) != names:
        raise ValueError(f"{where} has columns {list(values.columns)}; the model was "
                         f"fitted with {names} (same names, same order).")


def _var(rec):
    if rec["type"] == "frame":
        return rec["columns"]
    return [rec["name"] if rec["name"] is not None else "y"]


def as_pandas(rec, array, levels=None, pairs=False):
    """A forecast `array` ((n_steps,) or (n_steps, k), with the levels'
    axes last for quantiles / intervals) as the type of the record, its
    index continued; levels as a column MultiIndex (variable, level[,
    "lower"/"upper"]) as sktime does."""
    pd = _pd()
    index = future_index(rec, len(array))
    if levels is None:
        if rec["type"] == "series":
            return pd.Series(array, index=index, name=rec["name"])
        return pd.DataFrame(array, index=index, columns=rec["columns"])
    names = _var(rec)
    flat = np.asarray(array).reshape(len(array), len(names), -1)
    if pairs:
        cols = [(v, c, side) for v in names for c in levels for side in ("lower", "upper")]
    else:
        cols = [(v, q) for v in names for q in levels]
    return pd.DataFrame(flat.reshape(len(array), -1), index=index,
                        columns=pd.MultiIndex.from_tuples(cols))
