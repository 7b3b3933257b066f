"""Mutation check: does the test suite catch realistic one-line bugs?

Each mutant below is a small, plausible mistake in ``sklearn_lnn/``. For each,
the script copies the package and the tests to a scratch folder, applies the
mutant there (the working tree is never touched), runs the tests with ``-x``
and reports the mutant as *killed* (some test failed) or *survived* (the whole
suite passed: a bug that would land unnoticed). A mutant whose original text
is no longer in the source is reported as *stale*: update it with the code.

Usage::

    python benchmarks/mutation.py            # every mutant
    python benchmarks/mutation.py -k cache   # mutants whose name contains "cache"
    python benchmarks/mutation.py -k ppv,gcv # ... "ppv" or "gcv"
    python benchmarks/mutation.py --from step-regressor-fit-ignores-weights
    python benchmarks/mutation.py --list
    python benchmarks/mutation.py --jobs 2   # two mutants at a time (CI)

Exit status 1 when a mutant survives or is stale. ``.ci/run`` runs every
mutant with ``--jobs 2`` after the suite; run it yourself after changing tests
or the numeric core. The docs build and the long-input memory tests are left
out of each run: they test neither numbers nor cache behaviour and take a
third of the time. With ``--jobs`` above 1 each run's BLAS is limited to one
thread, so the runs do not fight over the cores.
"""

import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str  # relative to sklearn_lnn/ (e.g. "_engine/_dynamics.py")
    original: str  # must occur exactly once in the file
    mutated: str
    #: the tests that kill it need several BLAS threads (the thread-limit
    #: tests cannot tell one thread from "all" when all is one): never run
    #: it with the one-thread limit of --jobs
    all_threads: bool = False


MUTANTS = [
    # -- reported in the issue that asked for this script ----------------------
    Mutant("reversed-flips-sequence-axis-of-3d", "_engine/_sequences.py",
           "a = a[::-1] if a.ndim == 2 else a[:, ::-1]", "a = a[::-1]"),
    Mutant("cache-key-loses-include_input", "_engine/_cache.py",
           "params = reservoir.get_params(deep=False)",
           "params = reservoir.get_params(deep=False); params.pop('include_input')"),
    Mutant("cache-key-loses-time_step", "_engine/_cache.py",
           "params = reservoir.get_params(deep=False)",
           "params = reservoir.get_params(deep=False); params.pop('time_step')"),
    Mutant("leaky-constant-step-ignores-time_step", "_engine/_dynamics.py",
           "step = a * dyn.time_step if liquid else 1.0 - (1.0 - a) ** dyn.time_step",
           "step = a * dyn.time_step if liquid else a"),
    Mutant("washout-accepts-length-equal-to-washout", "_engine/_sequences.py",
           "short = np.flatnonzero(seqs.lengths <= washout)",
           "short = np.flatnonzero(seqs.lengths < washout)"),
    Mutant("cached-output-built-as-float64", "_engine/_cache.py",
           "out = np.empty((len(keys), n_out), seqs.dtype)",
           "out = np.empty((len(keys), n_out), np.float64)"),
    Mutant("cache-evicts-first-in-first-out", "_engine/_cache.py",
           "self._rows.move_to_end(model + key)", "pass"),
    Mutant("binary-ridge-proba-softmax-0-s", "_estimators/_lnn.py",
           'low = np.zeros_like(scores) if self.readout == "logistic" else -scores',
           "low = np.zeros_like(scores)"),
    Mutant("time-channel-shift-rolls-across-sequences", "_engine/_sequences.py",
           "np.roll(a[..., time_channel], 1, axis=-1)",
           "np.roll(a[..., time_channel], 1, axis=0)"),
    # -- our own: _dynamics ---------------------------------------------------
    Mutant("exp-form-drops-factor-two", "_engine/_dynamics.py",
           "np.divide(2.0 * leak, P, out=P)", "np.divide(leak, P, out=P)"),
    Mutant("liquid-forgets-rate-in-numerator", "_engine/_dynamics.py",
           "    Q *= rate\n", "    Q *= 1.0\n"),
    Mutant("ragged-block-drops-first-step", "_engine/_dynamics.py",
           "U[: lens[j], j] = seqs.data[i]",
           "U[: lens[j] - 1, j] = seqs.data[i][1:]"),
    Mutant("sparse-product-transposed", "_engine/_dynamics.py",
           "Pk += (W_rec @ Hk.T).T", "Pk += (W_rec.T @ Hk.T).T"),
    Mutant("finished-sequences-run-one-step-more", "_engine/_dynamics.py",
           'active = np.searchsorted(-lens, -np.arange(T + 1), side="left")',
           'active = np.searchsorted(-lens, -np.arange(T + 1) + 1, side="left")'),
    Mutant("per-step-leak-uses-constant-step", "_engine/_dynamics.py",
           "step = a * dt[t, :k] if liquid else 1.0 - (1.0 - a) ** dt[t, :k]",
           "step = a * dt[t, :k] if liquid else 1.0 - (1.0 - a) ** dyn.time_step"),
    # -- _aggregation -----------------------------------------------------------
    Mutant("points-round-down", "_engine/_aggregation.py",
           "return washout + (-(-j * span // k)) - 1",
           "return washout + (j * span // k) - 1"),
    Mutant("max-starts-at-zero", "_engine/_aggregation.py",
           "np.full((b, dim), -np.inf, dtype)", "np.zeros((b, dim), dtype)"),
    Mutant("max-ignores-washout", "_engine/_aggregation.py",
           "        if t >= self.washout:\n",
           "        if t >= self.washout or self.max is not None:\n"),
    # -- _readout ---------------------------------------------------------------
    Mutant("gcv-forgets-intercept-degree-of-freedom", "_readout/_gcv.py",
           "df = 1.0 + (s2 / (s2 + a)).sum()", "df = (s2 / (s2 + a)).sum()"),
    Mutant("intercept-ignores-feature-means", "_readout/_ridge.py",
           "return coef, y_mean - x_mean @ coef, float(alpha)",
           "return coef, y_mean, float(alpha)"),
    Mutant("standardisation-ignores-weights", "_readout/_ridge.py",
           "mean = w @ unit / total", "mean = unit.mean(axis=0)"),
    Mutant("negative-weights-accepted", "_readout/_ridge.py",
           "bad = np.flatnonzero(~(w >= 0) | ~np.isfinite(w))",
           "bad = np.flatnonzero(~np.isfinite(w))"),
    # -- _cache -----------------------------------------------------------------
    Mutant("cache-key-ignores-fitted-arrays", "_engine/_cache.py",
           "fitted.extend(value if isinstance(value, tuple) else [value])",
           "pass"),
    Mutant("cache-eviction-forgets-bytes", "_engine/_cache.py",
           "self._bytes -= entry_bytes(entry, old)", "self._bytes -= 0"),
    # -- added with the online readout and the standardisation ------------------
    Mutant("forgetting-decays-the-wrong-way", "_readout/_online.py",
           "decay = forgetting_factor ** np.arange(m - 1, -1, -1, dtype=float)",
           "decay = forgetting_factor ** np.arange(m, dtype=float)"),
    Mutant("merge-forgets-the-mean-shift", "_readout/_ridge.py",
           "_gram(a) + _gram(b) + f * np.outer(dx, dx)", "_gram(a) + _gram(b)"),
    Mutant("merged-rows-forget-the-mean-shift", "_readout/_ridge.py",
           "np.vstack([a.rows, b.rows, np.sqrt(f) * dx[None]])",
           "np.vstack([a.rows, b.rows])"),
    Mutant("standardisation-ignores-sample-weights", "_engine/_scaling.py",
           "        total += wa @ (a / peak)", "        total += (a / peak).sum(axis=0)"),
    Mutant("model-space-loses-pairs-across-flushes", "_engine/_state_features.py",
           "        self.buffer[0] = self.buffer[r]\n", "        self.buffer[0] = 0.0\n"),
    Mutant("model-space-keeps-last-state-as-input", "_engine/_state_features.py",
           "            self.outer - self.last[:, :, None] * self.last[:, None, :],",
           "            self.outer,"),
    Mutant("ppv-counts-the-washout", "_engine/_state_features.py",
           "        if t >= self.washout:\n            for j, threshold",
           "        if t >= 0:\n            for j, threshold"),
    Mutant("quantile-counts-zero-weight-rows", "_engine/_state_features.py",
           "(ranked > value) & counted", "(ranked > value)"),
    Mutant("difference-channel-rolls-around", "_engine/_sequences.py",
           "diff[..., 1:, :] = np.diff(x, axis=-2)",
           "diff[...] = x - np.roll(x, 1, axis=-2)"),
    Mutant("auto-ignores-sequence-length", "_engine/_aggregation.py",
           "return n_channels == 1 or _long(lengths)", "return n_channels == 1"),
    Mutant("auto-keeps-last-state-of-long-sequences", "_engine/_aggregation.py",
           '        parts.remove("last")\n    elif', "        pass\n    elif"),
    Mutant("auto-short-univariate-keeps-only-the-last-state", "_engine/_aggregation.py",
           'parts[parts.index("last")] = f"points{k}"', "pass"),
    Mutant("standardisation-does-not-clip", "_engine/_scaling.py",
           "return seqs.clipped(mean - reach, mean + reach)", "return seqs"),
    Mutant("standardisation-not-folded-into-bias", "_estimators/_reservoir.py",
           "bias = bias - W_in @ self.input_mean_[keep]", "bias = bias"),
    Mutant("cache-counts-row-bytes-only", "_engine/_cache.py",
           "return sys.getsizeof(row) + sys.getsizeof(key) + ENTRY_OVERHEAD",
           "return row.nbytes"),
    # -- _sequences ---------------------------------------------------------------
    Mutant("mixed-float-list-becomes-float32", "_engine/_sequences.py",
           "np.float32 if all(a.dtype == np.float32 for a in arrays) else np.float64",
           "np.float32 if any(a.dtype == np.float32 for a in arrays) else np.float64"),
    Mutant("negative-elapsed-time-accepted", "_engine/_sequences.py",
           "if times.min() < 0:", "if times.min() < -1:"),
    # -- _weights ---------------------------------------------------------------
    Mutant("spectral-radius-scaled-by-sqrt", "_engine/_weights.py",
           "W = W / radius", "W = W / np.sqrt(radius)"),
    Mutant("input-weights-one-sided", "_engine/_weights.py",
           "return rng.uniform(-scaling, scaling, size=shape)",
           "return rng.uniform(0, scaling, size=shape)"),
    Mutant("units-without-connections-kept", "_engine/_weights.py",
           "empty = np.setdiff1d(np.arange(n), rows)",
           "empty = np.array([], dtype=rows.dtype)"),
    Mutant("small-products-keep-all-threads", "_engine/_dynamics.py",
           "if n_rows * n_units * (n_units + n_inputs + 1) >= SINGLE_THREAD_MAX_WORK:",
           "if True:", all_threads=True),
    # -- forecasting and the readout's penalty (issue 9) ------------------------
    Mutant("explicit-alpha-keeps-the-auto-floor", "_readout/_ridge.py",
           "keep = s2 > 0 if plain else s2 + alpha > AUTO_FLOOR",
           "keep = s2 + alpha > AUTO_FLOOR"),
    Mutant("squared-states-not-updated-in-closed-loop", "forecasting/_lnn_forecaster.py",
           "                if sq:\n                    np.square(H, out=H2)\n",
           ""),
    Mutant("validation-readout-sees-the-held-out-tail", "forecasting/_base.py",
           "chunk_statistics(F[w:cut], target[: cut - w])",
           "chunk_statistics(F[w:-1], target)"),
    Mutant("validation-tie-keeps-the-smaller-penalty", "forecasting/_checks.py",
           "return float(alphas[flat_argmin(errors)])",
           "return float(alphas[int(np.nanargmin(errors))])"),
    Mutant("divergence-check-misses-nan", "forecasting/_checks.py",
           "bad = ~(np.abs(out) <= limit)", "bad = np.abs(out) > limit"),
    Mutant("probe-keeps-a-zero-lead-state", "_engine/_segments.py",
           "np.stack([h, np.zeros_like(h)])", "np.stack([h, h])"),
    Mutant("series-update-forgets-the-last-value", "forecasting/_base.py",
           '            commit["last_value_"] = last[:, 0]\n', ""),
    Mutant("series-forecast-not-summed-back", "forecasting/_base.py",
           "out = summed_back(out, self.last_value_[:, None])",
           "out = out + self.last_value_[:, None, :]"),
    Mutant("difference-auto-judges-changes-in-their-own-units", "forecasting/_base.py",
           "common = lambda a: np.cumsum(a * scale + mean, axis=-2) / spread",
           "common = lambda a: a"),
    Mutant("range-rule-ignores-the-tolerance", "forecasting/_checks.py",
           "beyond > RANGE_TOLERANCE * (high - low)", "beyond > 0"),
    Mutant("range-rule-looks-only-above", "forecasting/_checks.py",
           "beyond = np.maximum(end.max(axis=0) - high, low - end.min(axis=0))",
           "beyond = end.max(axis=0) - high"),
    Mutant("auto-washout-ignores-short-series", "forecasting/_lnn_forecaster.py",
           "return min(AUTO_WASHOUT, min(lengths) // AUTO_WASHOUT_SHARE)",
           "return AUTO_WASHOUT"),
    Mutant("season-forecast-added-to-the-last-value", "forecasting/_series.py",
           "return sums[:, :h] + np.tile(last, (1, blocks, 1))[:, :h]",
           "return sums[:, :h] + last[:, -1:]"),
    Mutant("season-update-keeps-the-old-season", "forecasting/_base.py",
           'ys, commit["last_season_"] = lagged_changes(ys, self.season, self.last_season_)',
           "ys, _ = lagged_changes(ys, self.season, self.last_season_)"),
    Mutant("explicit-alpha-solve-forgets-the-penalty", "_readout/_ridge.py",
           "    G[np.diag_indices_from(G)] += alpha\n", ""),
    Mutant("input-budget-counts-difference-channels", "_estimators/_reservoir.py",
           "channels = n_inputs // 2 if self.include_difference_ else n_inputs",
           "channels = n_inputs"),
    Mutant("forecast-alphas-stop-at-1e2", "forecasting/_checks.py",
           "FORECAST_ALPHAS = np.logspace(-9, 6, 16)",
           "FORECAST_ALPHAS = np.logspace(-9, 2, 12)"),
    Mutant("closed-loop-exp-form-without-doubled-weights", "forecasting/_lnn_forecaster.py",
           "fused = scale * np.vstack(", "fused = np.vstack("),
    Mutant("closed-loop-never-takes-the-exp-form", "forecasting/_lnn_forecaster.py",
           "_leaky_tanh_(H, Z, step, exp_form)", "_leaky_tanh_(H, Z, step, False)"),
    Mutant("one-dimensional-series-reshaped-to-any-width", "forecasting/_series.py",
           "v = v.reshape(len(v), 1) if v.ndim == 1 else v",
           "v = v.reshape(len(v), -1) if v.ndim == 1 else v"),
    # -- the coarse pass (issue 11) ---------------------------------------------
    Mutant("coarse-features-at-full-weight", "_engine/_coarse.py",
           "return np.r_[np.ones(n_fine), np.full(n_coarse, COARSE_WEIGHT)]",
           "return np.r_[np.ones(n_fine), np.full(n_coarse, 1.0)]"),
    Mutant("coarse-last-block-divided-by-the-factor", "_engine/_coarse.py",
           "return np.ascontiguousarray(sums / counts[:, None], dtype=a.dtype)",
           "return np.ascontiguousarray(sums / factor, dtype=a.dtype)"),
    Mutant("coarse-washout-in-fine-steps", "_engine/_coarse.py",
           "washout=transformer.washout // factor,", "washout=transformer.washout,"),
    Mutant("coarse-auto-ignores-the-minimum-length", "_engine/_coarse.py",
           "long_enough = np.median(lengths) >= COARSE_MIN_STEPS",
           "long_enough = True"),
    Mutant("dask-fit-keeps-the-first-block-coarse-statistics", "parallel.py",
           "    if getattr(reservoir, \"_coarse\", None) is not None:\n",
           "    if False:\n"),
    Mutant("logistic-readout-ignores-feature-weights", "_readout/_classes.py",
           "scale = scale / feature_weights", "scale = scale"),

    # -- issue 26: slips in the modules written last, written before their tests;
    # see the closing note of issue 26 for their first run ---------------------
    Mutant("forecast-score-sst-around-zero", "forecasting/_base.py",
           "sst = ((Y - mean) ** 2).sum(axis=0)", "sst = (Y ** 2).sum(axis=0)"),
    Mutant("forecast-update-keeps-the-old-last-input", "forecasting/_base.py",
           '"last_input_": np.array([u[-1] for u in U]), **commit}',
           "**commit}"),
    Mutant("forecast-exog-standardised-with-target-statistics", "forecasting/_base.py",
           "[scale(v, slice(k, None)) for v in Xs]", "[scale(v, slice(0, k)) for v in Xs]"),
    Mutant("forecast-unscaled-with-the-last-channels", "forecasting/_base.py",
           "out = out * self.input_scale_[:k] + self.input_mean_[:k]",
           "out = out * self.input_scale_[-k:] + self.input_mean_[-k:]"),
    # -- issue 28: the sharp edges ------------------------------------------------
    Mutant("predict-reads-the-parameters", "forecasting/_base.py",
           "model = self._as_fitted()\n        self._check_exog_names(X)",
           "model = self\n        self._check_exog_names(X)"),
    Mutant("update-reads-the-parameters", "forecasting/_base.py",
           "model, i = self._as_fitted(), None", "model, i = self, None"),
    Mutant("member-update-writes-the-first-row", "forecasting/_base.py",
           "whole[i] = value[0]", "whole[0] = value[0]"),
    Mutant("member-position-not-wrapped", "forecasting/_base.py",
           "            i %= self.n_series_\n", ""),
    Mutant("score-flat-only-when-exactly-zero", "forecasting/_base.py",
           "flat = constant_channels(np.sqrt(sst / len(Y)), mean, len(Y))",
           "flat = sst == 0"),
    Mutant("list-of-rows-read-as-a-panel", "forecasting/_series.py",
           'return (isinstance(v, np.ndarray) and v.ndim > 0) or hasattr(v, "iloc")',
           'return isinstance(v, (np.ndarray, list, tuple)) or hasattr(v, "iloc")'),
    # -- issue 28: intervals -----------------------------------------------------
    Mutant("conformal-rank-without-the-plus-one", "forecasting/_intervals.py",
           "q = scores[min(max(math.ceil((n + 1) * c), 1), n) - 1]",
           "q = scores[min(max(math.ceil(n * c), 1), n) - 1]"),
    Mutant("interval-scale-never-pooled", "forecasting/_intervals.py",
           "while len(blocks) > 1 and blocks[-2][0] > blocks[-1][0]:", "while False:"),
    Mutant("calibration-origins-from-the-start", "forecasting/_intervals.py",
           "np.linspace(c, n - 2, min(per, room))", "np.linspace(0, n - 2, min(per, room))"),
    Mutant("calibration-truth-one-step-late", "forecasting/_intervals.py",
           "after = ys[j][o + 1 : o + 1 + horizon]", "after = ys[j][o + 2 : o + 2 + horizon]"),
    Mutant("extrapolated-widths-never-grow", "forecasting/_intervals.py",
           "growth = np.sqrt(h / H) if integrates else", "growth = np.sqrt(h / H) if False else"),
    Mutant("interval-growth-reads-the-season-parameter", "forecasting/_intervals.py",
           "or bool(model.season)", "or bool(self.season)"),
    Mutant("calibration-cut-never-moves-earlier", "forecasting/_intervals.py",
           "n - 1 - MIN_CALIBRATION_ORIGINS)))", "n - 1)))"),
    Mutant("t-interval-without-the-sample-correction", "forecasting/_intervals.py",
           "* rms * np.sqrt(1 + 1 / n)", "* rms"),
    Mutant("intervals-from-signed-scores", "forecasting/_intervals.py",
           "scores = np.abs(R / scale)[valid[:, :steps]]", "scores = (R / scale)[valid[:, :steps]]"),
    Mutant("calibration-state-at-the-previous-row", "forecasting/_intervals.py",
           "probe.last_input_ = np.concatenate([U[j][origins[j]] for j in members])",
           "probe.last_input_ = np.concatenate([U[j][origins[j] - 1] for j in members])"),
    # -- issue 28: backtest ------------------------------------------------------
    Mutant("backtest-update-skips-a-step", "forecasting/_backtest.py",
           "model.update(_rows(y, seen + 1, o + 1), _rows(X, seen + 1, o + 1))",
           "model.update(_rows(y, seen + 2, o + 1), _rows(X, seen + 2, o + 1))"),
    Mutant("backtest-truth-from-the-origin", "forecasting/_backtest.py",
           "truth = ys[0][o + 1 : o + 1 + horizon]", "truth = ys[0][o : o + horizon]"),
    Mutant("backtest-future-exog-from-the-origin", "forecasting/_backtest.py",
           "future = _rows(X, o + 1, o + 1 + horizon)", "future = _rows(X, o, o + horizon)"),
    Mutant("backtest-refit-every-k-off-by-one", "forecasting/_backtest.py",
           "i % int(refit) == 0", "i % int(refit) == 1"),
    Mutant("backtest-first-origin-after-the-fit", "forecasting/_rolling.py",
           "np.arange(initial - 1, length - horizon, step", "np.arange(initial, length - horizon, step"),
    # -- issue 28: pandas in and out ----------------------------------------------
    Mutant("pandas-update-accepts-a-gap", "forecasting/_pandas.py",
           "if not expected.equals(pd.Index(values.index)):", "if False:"),
    Mutant("pandas-update-ignores-the-columns", "forecasting/_pandas.py",
           'or list(values.columns) != rec["columns"]):', "or False):"),
    Mutant("pandas-range-forecast-starts-at-the-last", "forecasting/_pandas.py",
           'first = rec["last"] + start * step', 'first = rec["last"] + (start - 1) * step'),
    Mutant("pandas-dates-forecast-starts-at-the-last", "forecasting/_pandas.py",
           'tz=rec.get("tz"))[start:]', 'tz=rec.get("tz"))[:n]'),
    Mutant("pandas-update-does-not-advance", "forecasting/_pandas.py",
           "last = future_index(rec, 1, start=n_steps)[0]",
           "last = future_index(rec, 1, start=1)[0]"),
    Mutant("exog-names-not-checked-in-predict", "forecasting/_base.py",
           "        self._check_exog_names(X)\n", ""),
    Mutant("auto-warm-up-from-the-longest-series", "forecasting/_lnn_forecaster.py",
           "min(lengths) // AUTO_WASHOUT_SHARE", "max(lengths) // AUTO_WASHOUT_SHARE"),
    Mutant("validation-holds-out-a-share-of-the-whole-series", "forecasting/_checks.py",
           "hold = min(int(VALIDATION_SHARE * (n - washout)), VALIDATION_MAX)",
           "hold = min(int(VALIDATION_SHARE * n), VALIDATION_MAX)"),
    Mutant("ngrc-closed-loop-reads-the-previous-exog", "forecasting/_ngrc_forecaster.py",
           "last = np.hstack([y, exog[:, i]]) if exog is not None else y",
           "last = np.hstack([y, exog[:, i - 1]]) if exog is not None else y"),
    Mutant("ngrc-change-added-to-the-last-channels", "forecasting/_ngrc_forecaster.py",
           "                y += last[:, :k]\n", "                y += last[:, -k:]\n"),
    Mutant("step-regressor-reads-the-time-channel", "_estimators/_stepwise.py",
           "keep = [c for c in range(seqs.n_features) if c != reservoir.time_channel]",
           "keep = list(range(seqs.n_features))"),
    Mutant("step-regressor-fit-ignores-weights", "_estimators/_stepwise.py",
           "np.concatenate([np.full(seqs.lengths[i] - w0, weights[i]) for i in group]))",
           "np.concatenate([np.full(seqs.lengths[i] - w0, 1.0) for i in group]))"),
    Mutant("step-regressor-score-unweighted-mean", "_estimators/_stepwise.py",
           "        mean = w @ Y / w.sum()\n", "        mean = Y.mean(axis=0)\n"),
    Mutant("step-regressor-score-counts-the-washout", "_estimators/_stepwise.py",
           "        w0 = self._washout\n        Y = np.vstack", "        w0 = 0\n        Y = np.vstack"),
    Mutant("partial-fit-old-statistics-shrink-once", "_readout/_online.py",
           "stats = scale_statistics(stats, forgetting_factor**m)",
           "stats = scale_statistics(stats, forgetting_factor)"),
    Mutant("accumulator-forgets-the-shift-correction", "_readout/_accumulator.py",
           "self.xx - n * np.outer(dx, dx)", "self.xx"),
    Mutant("accumulator-decay-skips-the-count", "_readout/_accumulator.py",
           'for name in ("count", "sx", "sy", "xx", "xy", "yy"):',
           'for name in ("sx", "sy", "xx", "xy", "yy"):'),
    Mutant("accumulator-kept-rows-ignore-decay", "_readout/_accumulator.py",
           "(np.ones(len(Xk)) if wk is None else wk) * decay)",
           "(np.ones(len(Xk)) if wk is None else wk))"),
    Mutant("dask-forgetting-without-the-block-power", "parallel.py",
           "scale_statistics(stats, estimator.forgetting_factor**size)",
           "scale_statistics(stats, estimator.forgetting_factor)"),
    Mutant("dask-moments-without-the-mean-shift", "parallel.py",
           "m2 = m2 + s + delta**2 * count * c / total", "m2 = m2 + s"),
    Mutant("per-sequence-scaler-sample-std", "_estimators/_scaler.py",
           "std = a.std(axis=0, dtype=np.float64)", "std = a.std(axis=0, ddof=1, dtype=np.float64)"),
    Mutant("standardisation-unweighted-squares", "_engine/_scaling.py",
           "squares += np.broadcast_to(wa, len(a)) @ (a / peak - mean) ** 2",
           "squares += ((a / peak - mean) ** 2).sum(axis=0)"),
    Mutant("model-space-unweighted-mean", "_engine/_state_features.py",
           "mean = weights @ pooled / weights.sum()", "mean = pooled.mean(axis=0)"),
    Mutant("ppv-divides-by-the-whole-length", "_engine/_state_features.py",
           "steps = (self.lens - self.washout).astype(self.counts.dtype)",
           "steps = self.lens.astype(self.counts.dtype)"),
    Mutant("segment-probe-float32-tolerance-for-float64", "_engine/_segments.py",
           "PROBE_TOLERANCE = {np.dtype(np.float64): 1e-12,",
           "PROBE_TOLERANCE = {np.dtype(np.float64): 5e-7,"),
    Mutant("memory-capacity-delays-off-by-one", "diagnostics.py",
           "targets = np.column_stack([u[t - k] for k in range(1, max_delay + 1)])",
           "targets = np.column_stack([u[t - k + 1] for k in range(1, max_delay + 1)])"),
    Mutant("effective-radius-ignores-time-step", "diagnostics.py",
           "leak = 1.0 - (1.0 - a) ** dt", "leak = a"),
    Mutant("set-config-accepts-negative", "utils/_config.py",
           "or value < 0:", ":"),
    # -- issue 26: the fixes of this round ------------------------------------------
    Mutant("constant-channel-test-absolute-again", "utils/_numeric.py",
           "    return ~(var > bound)", "    return ~(var > 1e-24)"),
    Mutant("gcv-near-tie-keeps-the-smaller-penalty", "_readout/_gcv.py",
           "return int(np.flatnonzero(scores <= best * (1.0 + GCV_RTOL))[-1])",
           "return int(np.flatnonzero(scores <= best * (1.0 + GCV_RTOL))[0])"),
    Mutant("gcv-keeps-a-rounding-residual", "_readout/_gcv.py",
           "    if rest <= RESIDUAL_ROUNDING * total:\n        rest = 0.0\n",
           "    if rest <= RESIDUAL_ROUNDING * total:\n        rest = rest\n"),
    Mutant("config-block-exit-removes-every-block", "utils/_config.py",
           "_blocks[:] = [block for block in _blocks if block[0] is not token]",
           "_blocks.clear()"),
    Mutant("memory-capacity-probe-in-raw-units", "diagnostics.py",
           "X[0, :, 0] += scale[0] * u", "X[0, :, 0] = u"),
    Mutant("saved-model-keeps-its-statistics-anyway", "_estimators/_base.py",
           'return {**state, "_stats": None}', "return state"),
    Mutant("partial-fit-keeps-a-changed-reservoir", "_estimators/_base.py",
           'if name != "verbose" and drawn[name] is not getattr(self, name) \\',
           'if False and drawn[name] is not getattr(self, name) \\'),
    Mutant("step-regressor-predict-reads-squared-states-parameter", "_estimators/_stepwise.py",
           "            if self._squared:", "            if self.squared_states:"),
    Mutant("dask-fit-skips-the-weight-check", "parallel.py",
           "check_sample_weight(np.concatenate(dask.compute(*w_blocks)), len(y_all))",
           "len(y_all)"),
    # -- issue 27: the self-tuning forecaster ---------------------------------------
    Mutant("rolling-last-origin-one-late", "forecasting/_rolling.py",
           "last = length - 1 - horizon", "last = length - horizon"),
    Mutant("rolling-origins-ignore-earliest", "forecasting/_rolling.py",
           "return np.sort(last - step * np.arange(min(n_origins, room // step + 1)))",
           "return np.sort(last - step * np.arange(n_origins))"),
    Mutant("error-scale-uses-the-spread", "forecasting/_rolling.py",
           "scale = np.where(naive > 0, naive, spread)", "scale = spread"),
    Mutant("search-readout-targets-lag-one-step", "forecasting/_search.py",
           "F[done[i] : limits[s, i]], u[done[i] + 1 : limits[s, i] + 1, :k]))",
           "F[done[i] : limits[s, i]], u[done[i] : limits[s, i], :k]))"),
    Mutant("search-forecast-starts-one-step-early", "forecasting/_search.py",
           "states = np.array([feats[i][r, :n] for i, r in zip(members, t)])",
           "states = np.array([feats[i][r - 1, :n] for i, r in zip(members, t)])"),
    Mutant("search-changes-summed-onto-the-wrong-value", "forecasting/_search.py",
           "last = np.array([svalues[i][o - m] for i, o in zip(members, starts)])[:, None]",
           "last = np.array([svalues[i][o - m - 1] for i, o in zip(members, starts)])[:, None]"),
    Mutant("search-readouts-never-refitted", "forecasting/_search.py",
           "if readouts is None or stats.count >= (1.0 + REFIT_GROWTH) * fitted_count:",
           "if readouts is None:"),
    Mutant("search-variant-columns-keep-the-inputs", "forecasting/_search.py",
           "np.arange(n, n + d) if with_input else []", "np.arange(n, n + d)"),
    Mutant("plain-score-sees-the-forecast-window", "forecasting/_search.py",
           "train = [v[: c + 1] for v, c in zip(ys, cuts)]",
           "train = [v[: c + 1 + horizon] for v, c in zip(ys, cuts)]"),
    Mutant("season-read-on-values", "forecasting/_season.py",
           "d = np.diff(v, axis=0)", "d = np.asarray(v)"),
    Mutant("season-no-half-period-test", "forecasting/_season.py",
           "peak = peak and min(acf[m // 2], acf[(m + 1) // 2]) < 0",
           "peak = peak"),
    Mutant("season-bound-not-corrected-for-many-lags", "forecasting/_season.py",
           "z = float(ndtri(1.0 - FALSE_ALARM / (2 * top)))",
           "z = float(ndtri(1.0 - FALSE_ALARM / 2))"),
    Mutant("cv-search-wins-without-a-standard-error", "forecasting/_lnn_forecaster_cv.py",
           "diff.mean() + diff.std(ddof=1) / np.sqrt(len(diff)) < 0",
           "diff.mean() < 0"),
    Mutant("cv-tie-keeps-the-last", "forecasting/_search.py",
           "return int(np.flatnonzero(flat <= low + TIE_RTOL * abs(low) + TIE_ATOL)[0])",
           "return int(np.flatnonzero(flat <= low + TIE_RTOL * abs(low) + TIE_ATOL)[-1])"),
    Mutant("cv-horizon-not-shortened", "forecasting/_lnn_forecaster_cv.py",
           "horizon = min(horizon, room)", "horizon = horizon"),
    Mutant("cv-refit-ignores-the-choice", "forecasting/_lnn_forecaster_cv.py",
           "self.best_estimator_ = clone(base).set_params(**self.best_params_).fit(y, X)",
           "self.best_estimator_ = clone(base).fit(y, X)"),

]

#: Run first, so that -x stops early on most mutants (pytest drops the
#: duplicates when the folder is collected after them).
FAST_FIRST = ["tests/test_forecast_edges.py", "tests/test_forecast_intervals.py",
              "tests/test_backtest.py", "tests/test_forecast_pandas.py",
              "tests/test_forecast_search.py", "tests/test_rounding.py", "tests/test_units.py",
              "tests/test_forecast_reference.py", "tests/test_step_reference.py",
              "tests/test_accumulator.py", "tests/test_state_features.py",
              "tests/test_hostile.py", "tests/test_reference_forms.py", "tests/test_coarse.py",
              "tests/test_cache_transparency.py",
              "tests/test_cache.py", "tests/test_defects.py", "tests/test_boundaries.py"]

#: What each mutant run leaves out (slow and irrelevant to numbers).
DESELECT = ["-k", "not long_inputs_transform_in_bounded_memory",
            "--ignore=tests/test_docs.py"]


def scratch_copy(dest):
    # docs too: some tests read it (the persistence page lists the skops types)
    for name in ("sklearn_lnn", "tests", "docs"):
        shutil.copytree(ROOT / name, dest / name,
                        ignore=shutil.ignore_patterns("__pycache__", "_build"))
    for name in ("conftest.py", "pyproject.toml", "setup.cfg", "README.md"):
        shutil.copy(ROOT / name, dest / name)


def run(mutant, timeout, threads=None):
    with tempfile.TemporaryDirectory(prefix="mutant-") as tmp:
        tmp = Path(tmp)
        scratch_copy(tmp)
        target = tmp / "sklearn_lnn" / mutant.path
        source = target.read_text()
        if source.count(mutant.original) != 1:
            return "stale", 0.0, f"original text found {source.count(mutant.original)} times"
        target.write_text(source.replace(mutant.original, mutant.mutated))
        env = {**os.environ, "PYTHONPATH": str(tmp), "PYTHONDONTWRITEBYTECODE": "1"}
        if threads is not None and not mutant.all_threads:
            for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
                env[name] = str(threads)
        # make sure the scratch copy, not an installed sklearn_lnn, is tested
        where = subprocess.run(
            [sys.executable, "-c", "import sklearn_lnn; print(sklearn_lnn.__file__)"],
            cwd=tmp, env=env, capture_output=True, text=True,
        ).stdout.strip()
        if not where.startswith(str(tmp)):
            return "error", 0.0, f"imported {where!r} instead of the scratch copy"
        start = time.perf_counter()
        try:
            proc = subprocess.run(
                [sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider",
                 *FAST_FIRST, "tests", "sklearn_lnn", *DESELECT],
                cwd=tmp, env=env, capture_output=True, text=True, timeout=timeout,
            )
        except subprocess.TimeoutExpired:
            return "killed", time.perf_counter() - start, "timed out"
        elapsed = time.perf_counter() - start
        lines = proc.stdout.strip().splitlines()
        failed = next((l for l in lines if l.startswith(("FAILED", "ERROR"))), "")
        if proc.returncode == 0:
            return "survived", elapsed, lines[-1] if lines else ""
        if proc.returncode in (1, 2) and failed:
            return "killed", elapsed, failed[:110]
        return "error", elapsed, (lines[-1] if lines else proc.stderr[-200:])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", default="", help="only mutants whose name contains this "
                        "(or one of these, comma-separated)")
    parser.add_argument("--from", dest="start", default=None,
                        help="start at this mutant (the list's order), for example the "
                        "first of a group added together")
    parser.add_argument("--list", action="store_true", help="list the mutants and exit")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--jobs", type=int, default=1,
                        help="mutants run at the same time (each with one BLAS thread)")
    args = parser.parse_args()
    parts = [part for part in args.k.split(",")]
    mutants = [m for m in MUTANTS if any(part in m.name for part in parts)]
    if args.start is not None:
        names = [m.name for m in MUTANTS]
        if args.start not in names:
            parser.error(f"no mutant named {args.start!r}")
        later = set(names[names.index(args.start):])
        mutants = [m for m in mutants if m.name in later]
    if args.list:
        for m in mutants:
            print(f"{m.name:48s} {m.path}")
        return 0
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    threads = 1 if args.jobs > 1 else None
    results = []
    start = time.perf_counter()
    print(f"{'mutant':48s} {'file':28s} {'result':9s} {'s':>6s}  first failing test")
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        runs = [pool.submit(run, m, args.timeout, threads) for m in mutants]
        for m, future in zip(mutants, runs):
            outcome, elapsed, detail = future.result()
            results.append(outcome)
            print(f"{m.name:48s} {m.path:28s} {outcome:9s} {elapsed:6.1f}  {detail}",
                  flush=True)
    killed = results.count("killed")
    print(f"\n{killed} of {len(results)} mutants killed; survived: "
          f"{results.count('survived')}, stale: {results.count('stale')}, "
          f"errors: {results.count('error')}; {time.perf_counter() - start:.0f} s in all")
    return 0 if killed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
