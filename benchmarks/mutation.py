"""Mutation check: does the test suite catch realistic one-line bugs?

Each mutant (in ``mutants.py``) is a small, plausible mistake in ``sklearn_lnn/``. For each,
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
    python benchmarks/mutation.py --record   # ... and remember each killing test file

Exit status 1 when a mutant survives or is stale. ``.ci/run`` runs every
mutant with ``--jobs 2`` after the suite; run it yourself after changing tests
or the numeric core. Each run starts with the test file that killed the mutant
last time (``mutation_killers.txt``; ``--record`` rewrites it), then the files
that kill most mutants: a killed mutant costs seconds, a survivor the whole
suite. The mutants themselves are in ``mutants.py``. The docs build and the
long-input memory tests are left out of each run: they test neither numbers
nor cache behaviour and take a third of the time. With ``--jobs`` above 1 each
run's BLAS is limited to one thread, so the runs do not fight over the cores.
"""

import argparse
import concurrent.futures
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mutants import MUTANTS

ROOT = Path(__file__).resolve().parent.parent


#: After the test file that killed a mutant last time (KILLERS), these run
#: first, so that -x stops early on most mutants; then the other test files
#: and the doctests. Every file is named on the command line in this order:
#: pytest sorts the files of a folder given as an argument, which would undo it.
FAST_FIRST = ["tests/test_forecast_edges.py", "tests/test_forecast_intervals.py",
              "tests/test_backtest.py", "tests/test_forecast_pandas.py",
              "tests/test_forecast_search.py", "tests/test_rounding.py", "tests/test_units.py",
              "tests/test_forecast_reference.py", "tests/test_step_reference.py",
              "tests/test_accumulator.py", "tests/test_state_features.py",
              "tests/test_hostile.py", "tests/test_reference_forms.py", "tests/test_coarse.py",
              "tests/test_cache_transparency.py",
              "tests/test_cache.py", "tests/test_defects.py", "tests/test_boundaries.py"]

#: What each mutant run leaves out (slow and irrelevant to numbers).
LEFT_OUT = ["tests/test_docs.py"]
DESELECT = ["-k", "not long_inputs_transform_in_bounded_memory"]

#: mutant name -> the test file that killed it last (written by --record). Only
#: an order: a mutant survives only when every test passes.
KILLERS = Path(__file__).resolve().parent / "mutation_killers.txt"


def read_killers():
    if not KILLERS.exists():
        return {}
    pairs = (line.split() for line in KILLERS.read_text().splitlines() if line.strip())
    return {name: path for name, path in pairs}


def test_order(first=None):
    """The test files and the package (doctests) in the order they run."""
    rest = sorted(f"tests/{p.name}" for p in (ROOT / "tests").glob("test_*.py"))
    order = [first] if first else []
    order += [f for f in FAST_FIRST + rest if f not in LEFT_OUT]
    return [*dict.fromkeys(f for f in order if (ROOT / f).exists()), "sklearn_lnn"]


def scratch_copy(dest):
    # docs too: some tests read it (the persistence page lists the skops types)
    for name in ("sklearn_lnn", "tests", "docs"):
        shutil.copytree(ROOT / name, dest / name,
                        ignore=shutil.ignore_patterns("__pycache__", "_build"))
    for name in ("conftest.py", "pyproject.toml", "setup.cfg", "README.md"):
        shutil.copy(ROOT / name, dest / name)


def run(mutant, timeout, threads=None, first=None):
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
                 *test_order(first), *DESELECT],
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
    parser.add_argument("--record", action="store_true",
                        help=f"write each killed mutant's killing test file to {KILLERS.name}")
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
        killers = read_killers()
        runs = [pool.submit(run, m, args.timeout, threads, killers.get(m.name))
                for m in mutants]
        for m, future in zip(mutants, runs):
            outcome, elapsed, detail = future.result()
            results.append(outcome)
            path = detail.split()[1].split("::")[0] if detail.startswith("FAILED ") else ""
            if outcome == "killed" and path.startswith("tests/"):
                killers[m.name] = path
            print(f"{m.name:48s} {m.path:28s} {outcome:9s} {elapsed:6.1f}  {detail}",
                  flush=True)
    if args.record:
        names = [m.name for m in MUTANTS]
        KILLERS.write_text("".join(f"{n} {killers[n]}\n" for n in names if n in killers))
    killed = results.count("killed")
    print(f"\n{killed} of {len(results)} mutants killed; survived: "
          f"{results.count('survived')}, stale: {results.count('stale')}, "
          f"errors: {results.count('error')}; {time.perf_counter() - start:.0f} s in all")
    return 0 if killed == len(results) else 1


if __name__ == "__main__":
    sys.exit(main())
