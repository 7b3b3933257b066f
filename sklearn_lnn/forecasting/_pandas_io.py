"""The forecasters' pandas in and out (the records are ``_pandas``)."""

from ._pandas import as_pandas, check_columns, continued, is_pandas, record


def _items(values, panel):
    """The series (or exogenous frames) of `values` one by one."""
    if values is None:
        return None
    return list(values) if panel and isinstance(values, (list, tuple)) else [values]


class PandasMixin:
    """Records a pandas ``y`` / ``X`` at fit (index, frequency, names),
    checks new values against the record, gives forecasts its type."""

    def _record_pandas(self, y, X, panel):
        """``_pandas_records`` (one per series, None for arrays),
        ``_exog_names`` and, for a panel of named Series,
        ``series_names_``."""
        items = _items(y, panel) if not hasattr(y, "ndim") or y.ndim < 3 else []
        where = (lambda i: f"y[{i}]") if panel else (lambda i: "y")
        records = [record(v, where(i)) for i, v in enumerate(items)]
        self._pandas_records = records if any(r is not None for r in records) else None
        frames = [x for x in (_items(X, panel) or []) if hasattr(x, "columns")]
        self._exog_names = list(frames[0].columns) if frames else None
        vars(self).pop("series_names_", None)
        names = [r.get("name") if r is not None else None for r in records]
        if panel and records and None not in names and len(set(names)) == len(names):
            self.series_names_ = names

    def _check_exog_names(self, X, member=None):
        names = vars(self).get("_exog_names")
        panel = self._panel and member is None
        for i, x in enumerate(_items(X, panel) or []):
            check_columns(names, x, f"X[{i}]" if panel else "X")

    def _continued_pandas(self, y, X, lengths, member):
        """{"_pandas_records": ...} after an update with `y` (checked:
        the index continues, the names are kept), or {}."""
        self._check_exog_names(X, member)
        records = vars(self).get("_pandas_records")
        if records is None:
            return {}
        panel = self._panel and member is None
        members = range(self.n_series_) if member is None else [member]
        new = list(records)
        for j, v, n in zip(members, _items(y, panel), lengths):
            where = f"y[{j}]" if panel else "y"
            new[j] = continued(records[j], v, n, where)
        return {"_pandas_records": new}

    def _as_output(self, arrays, labels=None, pairs=False):
        """Per-series forecast `arrays` as ``predict`` returns them: pandas
        for a series fitted as pandas, a list for a panel."""
        records = vars(self).get("_pandas_records") or [None] * len(arrays)
        out = [a if r is None else as_pandas(r, a, labels, pairs)
               for a, r in zip(arrays, records)]
        return out if self._panel else out[0]


__all__ = ["PandasMixin", "is_pandas"]
