"""Progress lines for long computations (``verbose``, scikit-learn's meaning)."""

import threading
import time


class Progress:
    """Print ``[name] what: done/total, elapsed, remaining`` as work proceeds.

    verbose=0 prints nothing; 1 prints the first update, then at most one a
    second, and the last; 2 or more prints every update (every block of
    sequences).
    """

    def __init__(self, verbose, name, what, total):
        self.verbose, self.name, self.what, self.total = verbose, name, what, total
        self.start = self.last = time.perf_counter()
        self.done = 0
        self.printed = False
        self._lock = threading.Lock()

    def __call__(self, n_done_now):
        if not self.verbose:
            return
        with self._lock:  # blocks may finish in two threads
            self._report(n_done_now)

    def _report(self, n_done_now):
        self.done += n_done_now
        now = time.perf_counter()
        final = self.done >= self.total
        if self.printed and not final and self.verbose < 2 and now - self.last < 1.0:
            return
        elapsed = now - self.start
        left = elapsed / self.done * (self.total - self.done) if self.done else 0.0
        print(f"[{self.name}] {self.what}: {self.done}/{self.total} sequences, "
              f"{elapsed:.1f} s elapsed, ~{left:.1f} s left", flush=True)
        self.last, self.printed = now, True
