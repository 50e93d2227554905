"""The window never freezes during an import: event-loop latency while 500 files go in.

A 10 ms timer runs on the GUI thread; its lateness is the time the event loop was not
free. The reference is the same timer over the same span with no import running (the
machine's own noise). Goal (issue 5): latency < 100 ms throughout a 500-file import.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_window_import.py [--files 500]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QTimer

from benchmarks._common import peak_rss_mb, scratch
from benchmarks.bench_import import FAST_KDF, make_screenshots
from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.shell.app import NcoApplication
from nco_desktop.ui.shell.main_window import MainWindow
from nco_desktop.vault import Vault

TICK_MS = 10


class LatencyProbe:
    def __init__(self) -> None:
        self.late_ms: list[float] = []
        self._expected = 0.0
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)

    def start(self) -> None:
        self.late_ms.clear()
        self._expected = time.perf_counter() + TICK_MS / 1000
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        self.late_ms.append(max(0.0, (now - self._expected) * 1000))
        self._expected = now + TICK_MS / 1000


def describe(name: str, late: list[float]) -> str:
    ordered = sorted(late)
    p99 = ordered[int(len(ordered) * 0.99) - 1] if ordered else 0.0
    return (
        f"{name:<16} ticks {len(late):>6}  median {statistics.median(late):6.1f} ms  "
        f"p99 {p99:6.1f} ms  max {max(late):6.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=500)
    args = parser.parse_args()
    app = NcoApplication(sys.argv[:1])
    with scratch() as folder:
        make_screenshots(folder / "shots", args.files)
        path = folder / "bench.ncovault"
        Vault.create(path, "benchmark passphrase", kdf=FAST_KDF).close()
        window = MainWindow(AppSettings(), kdf=FAST_KDF, demo_path=folder / "demo.ncovault")
        window.show()
        window._vault_opened(Vault.open(path, "benchmark passphrase"))
        window.imports.show_summary = False
        probe = LatencyProbe()
        loop = QEventLoop()

        window.imports.import_finished.connect(loop.quit)
        started = time.perf_counter()
        probe.start()
        window.import_paths([folder / "shots"])
        loop.exec()
        probe.stop()
        during = list(probe.late_ms)
        elapsed = time.perf_counter() - started

        probe.start()
        QTimer.singleShot(int(min(elapsed, 10) * 1000), loop.quit)
        loop.exec()
        probe.stop()
        idle = list(probe.late_ms)
        window.lock()

    print(f"{args.files} screenshots imported from the window in {elapsed:.1f} s")
    print(describe("idle reference", idle))
    print(describe("during import", during))
    print(
        f"max latency during import: {max(during):.1f} ms (goal < 100 ms), "
        f"{max(during) / max(max(idle), 0.1):.1f}× the idle reference's max"
    )
    print(f"peak RSS of the window process: {peak_rss_mb():.0f} MB")
    app.quit()


if __name__ == "__main__":
    main()
