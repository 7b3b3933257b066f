"""LNNForecasterCV: an LNNForecaster that chooses its own configuration by
rolling-origin validation on the end of its training data."""

import warnings
from numbers import Integral

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, _fit_context, clone
from sklearn.utils._param_validation import Interval, StrOptions

from ..utils._persistence import VersionStampMixin
from .._estimators._reservoir import RESERVOIR_CONSTRAINTS, RESERVOIR_DEFAULTS
from ._checks import FORECAST_ALPHAS, VALIDATION_HORIZON, stays_bounded
from ._forwarding import ForwardingMixin
from ._lnn_forecaster import AUTO_WASHOUT, AUTO_WASHOUT_SHARE, LNNForecaster
from ._rolling import MIN_FIT_ROWS, error_scale, rolling_origins
from ._search import VARIANTS, evaluate, evaluate_baseline, evaluate_plain, quiet, winner
from ._season import detect_seasons
from ._series import check_series

#: The default search space, searched coarse to fine: first the form of the
#: series (season x difference, at the first value of every other
#: parameter), then each reservoir parameter in turn at the best values so
#: far (the first value of each list is where the search starts). Every
#: readout variant (squared_states x include_input) and every penalty is
#: scored on every configuration: they share its states.
DEFAULT_GRID = {
    "difference": [False, "series"],
    "input_scaling": [1.0, 0.3, 0.1],
    "leak_rate": [0.5, 0.3, 0.7, 0.9],
    "spectral_radius": [0.9, 0.7, 1.1],
    "squared_states": [False, True],
    "include_input": [True, False],
    "alpha": list(FORECAST_ALPHAS),
}
#: The reservoir parameters searched one at a time, in this order.
RESERVOIR_STEPS = ["input_scaling", "leak_rate", "spectral_radius"]
#: n_reservoir=None: the searched candidates get SEARCH_RESERVOIR units, the
#: defaults' candidate LNNForecaster's own 500. Measured on the short real
#: series of benchmarks/forecasting.py (seeds 0-2, MASE of the chosen model):
#: 100 units validated as well as 500 (Airline 0.466 vs 0.452, Lynx 0.564 vs
#: 0.609, ShampooSales 1.473 vs 1.524, solar 0.668 vs 1.325) at a third to a
#: fifth of the time; LNNForecaster's defaults are better with 500 units (M1
#: yearly 3.53 vs 4.16), so that candidate keeps them.
SEARCH_RESERVOIR = 100
#: The reservoir parameters are searched only when the validation holds at
#: least MIN_SEARCH_STEPS forecast steps per series (origins x horizon);
#: below, only the series' form and the readout are chosen. Measured: the 181
#: M1 yearly series (at most 10 origins of 6 steps): MASE 4.06 with the full
#: search, 3.60 with the form only (seed 0, 500 units); Airline, Lynx and
#: solar (120 to 480 steps) gain from it.
MIN_SEARCH_STEPS = 100
#: horizon=None: a DEFAULT_HORIZON_SHARE of the shortest series, at least 1,
#: at most VALIDATION_HORIZON (the closed-loop horizon of alpha="auto").
DEFAULT_HORIZON_SHARE = 0.1

#: The refit tries the choice and then the next best candidates, REFIT_TRIES
#: in all, before the best baseline, until one stays bounded (see
#: ``_checks.BOUND_FACTOR``).
REFIT_TRIES = 5

#: The validation criterion: mean absolute errors (POWER 1) in units of the
#: series' mean absolute one-step change, i.e. MASE with the naive forecast's
#: in-sample error as the unit.
POWER = 1
#: What the search chooses (with ``season``).
SEARCHED = ["input_scaling", "leak_rate", "spectral_radius", "difference", "squared_states",
            "include_input", "alpha"]

#: The readout entries of a form's baseline row (``alpha="baseline"``: no
#: readout, so the other two do not act; they are LNNForecaster's defaults).
BASELINE_READOUT = {"squared_states": False, "include_input": True, "alpha": "baseline"}

_FIXED = ["n_reservoir", "bias_scaling", "density", "neuron", "time_step", "random_state",
          "washout", "standardize"]


class LNNForecasterCV(ForwardingMixin, VersionStampMixin, BaseEstimator):
    """Reservoir forecaster that tunes itself by rolling-origin validation.

    For each candidate configuration an :class:`LNNForecaster` forecasts
    ``horizon`` steps in closed loop from ``n_origins`` origins on the end
    of the training series, each time with its readout fitted on the data
    before that origin only; the configuration with the smallest mean
    absolute scaled error (errors divided by the series' mean absolute
    one-step change, as in MASE) is refitted on all the data. What is chosen:
    the season (none, or a period the data show: see ``season``), whether to
    model the values or their changes (``difference``), the reservoir's
    input scaling, leak rate and spectral radius, the readout's
    ``squared_states`` and ``include_input``, and the penalty ``alpha``, or
    no readout at all (``alpha="baseline"``: each form's naive forecast,
    such as the seasonal naive one, scored beside the readouts, so the
    search does not lose to it on its own validation).

    The search is coarse to fine (``DEFAULT_GRID``): the series' form
    first (each with its baseline), then one reservoir parameter at a time
    at the best values so far.
    One teacher-forced run per configuration serves every readout variant
    and every penalty (their features are column subsets of one run; the
    penalties share one eigendecomposition per origin).

    Parameters
    ----------
    param_grid : dict or None, default=None
        Candidate values per searched parameter (keys of ``DEFAULT_GRID``;
        a key left out keeps the default list, the first value of each list
        starts the search). None: ``DEFAULT_GRID``.

    horizon : int >= 1 or None, default=None
        Steps forecast from each validation origin: the horizon you will
        forecast at. None: a tenth of the shortest series (1 to 50).

    n_origins : int >= 1, default=10
        Validation origins per series, ``horizon`` steps apart (closer on
        short series), the last ending with the training data.

    season : "auto", int >= 2, list of int or None, default="auto"
        Seasonal periods to try beside no season: "auto" those the series'
        changes show (:func:`detect_seasons`; none on white noise), an int
        or a list the periods given, None no season.

    n_reservoir : int or None, default=None
        Reservoir units of every candidate. None: ``SEARCH_RESERVOIR`` (100)
        for the searched candidates (each is validated in closed loop from
        every origin, so units cost), 500 for the defaults' candidate.

    bias_scaling : float, default=0.5
        As in :class:`LNNForecaster`; fixed during the search.

    density : float, default=0.1
        As in :class:`LNNForecaster`; fixed during the search.

    neuron : {"leaky_tanh", "liquid"}, default="leaky_tanh"
        As in :class:`LNNForecaster`; fixed during the search.

    time_step : float, default=1.0
        As in :class:`LNNForecaster`; fixed during the search.

    random_state : int, RandomState instance or None, default=None
        As in :class:`LNNForecaster`: every candidate draws its reservoir
        from it.

    washout : int or "auto", default="auto"
        As in :class:`LNNForecaster`; fixed during the search.

    standardize : bool, default=True
        As in :class:`LNNForecaster`; fixed during the search.

    refit : bool, default=True
        Refit the chosen configuration on all the data (``best_estimator_``);
        without, only the search results are kept and ``predict`` is not
        available.

    n_jobs : int or None, default=None
        Configurations of one search step evaluated in parallel (joblib).

    verbose : int, default=0
        1: one line per configuration with its best score and time.

    Attributes
    ----------
    best_params_ : dict
        The chosen parameters of :class:`LNNForecaster` (besides the fixed
        ones): ``LNNForecaster(**fixed, **best_params_)`` is
        ``best_estimator_``.

    best_score_ : float
        Its mean validation score (the negated mean absolute scaled error).

    best_index_ : int
        Its row in ``cv_results_``: the best searched candidate if it beats
        LNNForecaster's defaults (row 0) by more than a standard error of
        their paired difference over the splits, else the defaults (then
        the refit's bound, see ``best_estimator_``).

    best_estimator_ : LNNForecaster
        The chosen configuration fitted on all the data (``refit=True``).
        Its forecast from the end of the data over ``horizon_`` and its
        intervals' calibration forecasts must stay finite and within 3
        times the largest standardised training target (a value, or a
        change for a model of changes); a choice that leaves that bound has
        left what it learned, and the next best candidate by validation
        score is refitted instead (5 tries, then the best baseline, which
        always stays).

    rejected_ : list of int
        The candidates (indices into ``cv_results_``) refitted and rejected
        for leaving that bound, in the order tried; ``best_index_`` is the
        one kept.

    cv_results_ : dict of ndarray
        One entry per candidate scored, in GridSearchCV's layout: ``params``,
        ``param_<name>``, ``split<i>_test_score`` (origin ``i``, the last
        split the latest), ``mean_test_score``, ``std_test_score``,
        ``rank_test_score`` and ``mean_fit_time`` (the configuration's time,
        shared by its candidates).

    seasons_ : list of int
        The seasonal periods tried (besides none).

    horizon_, n_splits_ : int
        The validation horizon and the number of splits used.

    See Also
    --------
    LNNForecaster : The forecaster it configures.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn_lnn.forecasting import LNNForecasterCV
    >>> t = np.arange(300)
    >>> y = np.sin(2 * np.pi * t / 12) + 0.01 * t
    >>> model = LNNForecasterCV(n_reservoir=50, horizon=12, random_state=0).fit(y)
    >>> model.best_params_["season"]
    12
    >>> model.predict(12).shape
    (12,)
    """

    _parameter_constraints = {
        "param_grid": [dict, None],
        "horizon": [Interval(Integral, 1, None, closed="left"), None],
        "n_origins": [Interval(Integral, 1, None, closed="left")],
        "season": [StrOptions({"auto"}), Interval(Integral, 2, None, closed="left"), list,
                   None],
        **{name: RESERVOIR_CONSTRAINTS[name] for name in _FIXED if name not in (
            "n_reservoir", "washout", "standardize")},
        "n_reservoir": [Interval(Integral, 1, None, closed="left"), None],
        "washout": [Interval(Integral, 0, None, closed="left"), StrOptions({"auto"})],
        "standardize": ["boolean"],
        "refit": ["boolean"],
        "n_jobs": [Integral, None],
        "verbose": ["verbose"],
    }

    def __init__(
        self,
        param_grid=None,
        *,
        horizon=None,
        n_origins=10,
        season="auto",
        n_reservoir=None,
        bias_scaling=RESERVOIR_DEFAULTS["bias_scaling"],
        density=RESERVOIR_DEFAULTS["density"],
        neuron=RESERVOIR_DEFAULTS["neuron"],
        time_step=RESERVOIR_DEFAULTS["time_step"],
        random_state=RESERVOIR_DEFAULTS["random_state"],
        washout="auto",
        standardize=True,
        refit=True,
        n_jobs=None,
        verbose=0,
    ):
        self.param_grid = param_grid
        self.horizon = horizon
        self.n_origins = n_origins
        self.season = season
        self.n_reservoir = n_reservoir
        self.bias_scaling = bias_scaling
        self.density = density
        self.neuron = neuron
        self.time_step = time_step
        self.random_state = random_state
        self.washout = washout
        self.standardize = standardize
        self.refit = refit
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _grid(self):
        grid = {name: list(values) for name, values in DEFAULT_GRID.items()}
        unknown = set(self.param_grid or {}) - set(grid)
        if unknown:
            raise ValueError(f"param_grid has unknown keys {sorted(unknown)}; it takes "
                             f"{sorted(grid)} (season is its own parameter).")
        for name, values in (self.param_grid or {}).items():
            values = list(values) if isinstance(values, (list, tuple, np.ndarray)) else None
            if not values:
                raise ValueError(f"param_grid[{name!r}] must be a non-empty list of values.")
            grid[name] = values
        return grid

    def _seasons(self, ys):
        if self.season is None:
            return []
        if self.season == "auto":
            return detect_seasons(ys)
        seasons = self.season if isinstance(self.season, list) else [self.season]
        if not seasons or any(isinstance(m, bool) or not isinstance(m, Integral) or m < 2
                              for m in seasons):
            raise ValueError(f"season must be 'auto', None, an int >= 2 or a non-empty "
                             f"list of them; got {self.season!r}.")
        return sorted({int(m) for m in seasons})

    def _horizon(self, lengths):
        if self.horizon is not None:
            return self.horizon
        return int(min(VALIDATION_HORIZON, max(1, DEFAULT_HORIZON_SHARE * min(lengths))))

    def _origins(self, ys, horizon, offset):
        """(rolling origins per series, the horizon validated), the same for
        every candidate: the earliest origin leaves the largest washout and
        MIN_FIT_ROWS rows to fit after the longest season and a difference.
        When no series is long enough for `horizon` steps after it, the
        longest horizon that fits is validated instead (as alpha="auto" does)."""
        earliest = [offset + MIN_FIT_ROWS + (
            self.washout if self.washout != "auto" else
            min(AUTO_WASHOUT, (len(v) - offset) // AUTO_WASHOUT_SHARE)) for v in ys]
        room = max(len(v) - 1 - e for v, e in zip(ys, earliest))
        if room < 1:
            raise ValueError(
                f"The series are too short to validate any forecast: the longest has "
                f"{max(len(v) for v in ys)} steps; at least {min(earliest) + 2} are needed "
                f"(a season and a difference of {offset} steps, a washout and "
                f"{MIN_FIT_ROWS} rows to fit, then a step to forecast). Pass season=None, "
                "a smaller washout, or more data.")
        horizon = min(horizon, room)
        return [rolling_origins(len(v), horizon, self.n_origins, e)
                for v, e in zip(ys, earliest)], horizon

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, y, X=None):
        """Choose the configuration by rolling-origin validation, then refit it.

        Parameters
        ----------
        y : array-like of shape (n_steps,) or (n_steps, n_targets), or list
            One series or a panel, as in :meth:`LNNForecaster.fit`; a panel
            gets one configuration for all its series.

        X : array-like or list of array-like, default=None
            Exogenous inputs, one row per step, as in :meth:`LNNForecaster.fit`.

        Returns
        -------
        self : object
            The fitted search.
        """
        ys, Xs, _, _ = check_series(y, X)
        grid = self._grid()
        self.seasons_ = self._seasons(ys)
        offset = max(self.seasons_, default=0) + ("series" in grid["difference"])
        origins, horizon = self._origins(ys, self._horizon([len(v) for v in ys]), offset)
        self.horizon_ = horizon
        scales = np.array([error_scale(v) for v in ys])
        fixed = {name: getattr(self, name) for name in _FIXED if name != "n_reservoir"}
        base = LNNForecaster(**fixed)
        plain_units = self.n_reservoir or RESERVOIR_DEFAULTS["n_reservoir"]
        alphas = np.asarray(grid["alpha"], dtype=float)
        variants = [v for v in VARIANTS if v[0] in grid["squared_states"]
                    and v[1] in grid["include_input"]]
        plain = clone(base).set_params(n_reservoir=plain_units)
        errors, seconds = quiet(evaluate_plain)(plain, ys, Xs, origins, horizon, scales, POWER)
        defaults = {name: base.get_params()[name] for name in SEARCHED}
        results = [{"config": None, "rows": [{"n_reservoir": plain_units, **defaults,
                                              "season": None}],
                    "errors": errors[None], "time": seconds}]
        self._report(results[-1])
        point = {"n_reservoir": self.n_reservoir or SEARCH_RESERVOIR,
                 **{name: grid[name][0] for name in RESERVOIR_STEPS}}
        seen = set()
        deep = max(len(o) for o in origins) * horizon >= MIN_SEARCH_STEPS
        for name in [None, *(RESERVOIR_STEPS if deep else [])]:
            if name is None:  # the series' form first
                todo = [{**point, "season": m, "difference": dif}
                        for m in [None, *self.seasons_] for dif in grid["difference"]]
            else:  # then one reservoir parameter at a time, at the best so far
                best = self._leader(results)["config"]
                todo = [{**best, name: value} for value in grid[name]]
            todo = [c for c in todo if self._key(c) not in seen]
            if name is None:  # each form's baseline (no readout) before its reservoirs
                for config in todo:
                    errors, seconds = evaluate_baseline(base, config, ys, Xs, origins,
                                                        horizon, scales, POWER)
                    results.append({"config": config, "time": seconds, "errors": errors,
                                    "rows": [{**config, **BASELINE_READOUT}]})
                    self._report(results[-1])
            done = Parallel(n_jobs=self.n_jobs)(
                delayed(quiet(evaluate))(base, c, ys, Xs, origins, horizon, alphas, scales, POWER,
                                  variants) for c in todo)
            for config, (errors, seconds) in zip(todo, done):
                seen.add(self._key(config))
                rows = [{**config, "squared_states": sq, "include_input": ii, "alpha": float(a)}
                        for sq, ii in variants for a in alphas[::-1]]
                results.append({"config": config, "rows": rows, "time": seconds,
                                "errors": errors[:, ::-1].reshape(len(rows), -1)})
                self._report(results[-1])
        self._store(results)
        self.rejected_ = []
        if self.refit:
            self._refit_bounded(base, y, X)
        return self

    def _refit_bounded(self, base, y, X):
        """Refit the choice; while the refit does not stay bounded
        (:func:`stays_bounded`: its forecast from the end of the data over
        ``horizon_`` and its calibration forecasts), the next best candidate
        by validation score instead (``REFIT_TRIES`` in all), then the best
        baseline (``alpha="baseline"``, always bounded)."""
        res = self.cv_results_
        scores = res["mean_test_score"]
        ranked = [int(i) for i in np.argsort(-scores, kind="stable") if i != self.best_index_]
        order = [self.best_index_, *ranked][:REFIT_TRIES]
        order += [i for i in ranked if res["params"][i]["alpha"] == "baseline"][:1]
        for i in order:
            with warnings.catch_warnings(record=True) as caught:  # the kept one's only
                warnings.simplefilter("always")
                model = clone(base).set_params(**res["params"][i]).fit(y, X)
            if i == order[-1] or stays_bounded(model, self.horizon_):
                break
            self.rejected_.append(i)
        for record in caught:
            warnings.warn_explicit(record.message, record.category, record.filename,
                                   record.lineno)
        self.best_index_, self.best_params_ = i, dict(res["params"][i])
        self.best_score_, self.best_estimator_ = float(scores[i]), model

    def _report(self, result):
        if self.verbose:
            params = result["config"] or "LNNForecaster's defaults"
            print(f"[LNNForecasterCV] {params}: best score "
                  f"{-np.min(result['errors'].mean(axis=-1)):.4g} ({result['time']:.1f} s)",
                  flush=True)

    @staticmethod
    def _key(config):
        return tuple(sorted((k, repr(v)) for k, v in config.items()))

    @staticmethod
    def _leader(results):
        """The searched configuration holding the best candidate so far."""
        searched = [r for r in results if r["config"] is not None]
        flat = np.concatenate([r["errors"].mean(axis=-1) for r in searched])
        sizes = np.cumsum([len(r["rows"]) for r in searched])
        return searched[int(np.searchsorted(sizes, winner(flat), side="right"))]

    def _store(self, results):
        """cv_results_ and the choice: the best searched candidate if it
        beats LNNForecaster's defaults by more than a standard error of their
        paired difference over the splits (fewer than two splits: it cannot),
        else the defaults."""
        rows = [row for r in results for row in r["rows"]]
        errors = np.concatenate([r["errors"] for r in results])
        times = np.concatenate([np.full(len(r["rows"]), r["time"] / len(r["rows"]))
                                for r in results])
        flat = errors.mean(axis=-1)
        self.n_splits_ = errors.shape[1]
        cv = {"params": rows}
        for name in rows[-1]:
            cv[f"param_{name}"] = np.array([row[name] for row in rows], dtype=object)
        for s in range(self.n_splits_):
            cv[f"split{s}_test_score"] = -errors[:, s]
        cv["mean_test_score"] = -flat
        with np.errstate(invalid="ignore"):
            cv["std_test_score"] = np.std(-errors, axis=1)
        order = np.argsort(flat, kind="stable")
        rank = np.empty(len(flat), dtype=np.int32)
        rank[order] = np.arange(1, len(flat) + 1)
        cv["rank_test_score"] = rank
        cv["mean_fit_time"] = times
        self.cv_results_ = cv
        best = 1 + winner(flat[1:])
        diff = errors[best] - errors[0]
        diff = diff[np.isfinite(diff)]
        earns = len(diff) >= 2 and diff.mean() + diff.std(ddof=1) / np.sqrt(len(diff)) < 0
        self.best_index_ = best if earns or not np.isfinite(flat[0]) else 0
        self.best_params_ = dict(rows[self.best_index_])
        self.best_score_ = float(-flat[self.best_index_])

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        tags.non_deterministic = False
        return tags
