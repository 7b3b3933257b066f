"""Shared helpers of the benchmark scripts: timing, memory, peers, tables.

The machines are shared and noisy, so every result is a ratio measured in one
process, each side timed as the median of several runs after waiting for the
machine to be idle.
"""

import argparse
import importlib
import os
import platform
import statistics
import time
import tracemalloc

import numpy as np


def cpu_busy(interval=0.5):
    """Fraction of all CPU time used (by anyone) over `interval` seconds."""
    def read():
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
        return sum(values), values[3] + values[4]  # total, idle + iowait

    try:
        total0, idle0 = read()
        time.sleep(interval)
        total1, idle1 = read()
    except OSError:
        return 0.0
    return 1.0 - (idle1 - idle0) / max(total1 - total0, 1)


def wait_for_idle(threshold=0.12, timeout=30.0):
    """Wait until the machine is under `threshold` busy (at most `timeout` s)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cpu_busy() < threshold:
            return True
    return False


def median_time(fn, repeats=3, warmup=True):
    """Median wall time of `fn()` over `repeats` runs, and the last result."""
    if warmup:
        result = fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times), result


def peak_memory(fn):
    """Peak bytes allocated (numpy included) while `fn()` runs."""
    tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def import_peer(name):
    """(module, None) or (None, reason): a peer that fails is reported, not skipped."""
    try:
        return importlib.import_module(name), None
    except Exception as exc:  # any import failure is a result to report
        return None, f"{type(exc).__name__}: {exc}"


def machine():
    """One line describing this machine and the numerical stack."""
    from threadpoolctl import threadpool_info

    blas = next((i for i in threadpool_info() if i["user_api"] == "blas"), {})
    return (
        f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, numpy {np.__version__}, "
        f"BLAS {blas.get('internal_api', '?')} {blas.get('version', '')} "
        f"({blas.get('architecture', '?')}, {blas.get('num_threads', '?')} threads)"
    )


def table(rows, headers):
    """A Markdown table."""
    widths = [max(len(str(x)) for x in col) for col in zip(headers, *rows)]
    line = lambda cells: "| " + " | ".join(
        str(c).ljust(w) for c, w in zip(cells, widths)) + " |"
    out = [line(headers), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    return "\n".join(out + [line(r) for r in rows])


def parser(doc, quick_help):
    """The command line of a benchmark script: its docstring and --quick."""
    result = argparse.ArgumentParser(description=doc,
                                     formatter_class=argparse.RawTextHelpFormatter)
    result.add_argument("--quick", action="store_true", help=quick_help)
    return result
