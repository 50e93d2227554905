"""Shared bits of the benchmark scripts: medians, peak memory, a scratch folder.

Benchmarks print ratios against a reference measured in the same process, because
these machines are noisy; they never fail a build.
"""

from __future__ import annotations

import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path


def median_seconds(action: Callable[[], object], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def scratch() -> Iterator[Path]:
    """A folder for benchmark vaults (encrypted; the data written is synthetic)."""
    folder = Path(tempfile.mkdtemp(prefix="nco-bench-"))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
