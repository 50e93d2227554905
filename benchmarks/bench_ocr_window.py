"""Is the window responsive while it reads the text in pictures? The event loop's delay
(a 5 ms timer's lateness) while the background reader works, against the same loop idle
for as long, in the same process.

Goal (OCR issue): event-loop latency < 50 ms while OCR runs.
Run: QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_ocr_window.py [--screenshots 20]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QElapsedTimer, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

from benchmarks._common import scratch
from benchmarks.bench_ocr_binder import FAST_KDF, write_screenshots
from nco_desktop.importers.batch import import_paths
from nco_desktop.ocr import store
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.ui.shell.ocr_background import OcrBackground
from nco_desktop.vault import Vault

TICK_MS = 5


def lateness_while(
    app: QApplication, busy: Callable[[], bool], seconds: float | None
) -> list[float]:
    """Milliseconds each 5 ms tick came late, until *busy()* is false (or *seconds*)."""
    clock = QElapsedTimer()
    clock.start()
    late: list[float] = []
    last = [clock.nsecsElapsed()]

    def tick() -> None:
        now = clock.nsecsElapsed()
        late.append(max(0.0, (now - last[0]) / 1e6 - TICK_MS))
        last[0] = now

    timer = QTimer()
    timer.setInterval(TICK_MS)
    timer.timeout.connect(tick)
    timer.start()
    start = time.monotonic()
    while busy() if seconds is None else time.monotonic() - start < seconds:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    return late


def summary(late: list[float]) -> str:
    ordered = sorted(late)
    p99 = ordered[int(len(ordered) * 0.99)] if ordered else 0.0
    return f"median {statistics.median(ordered):.1f} ms, p99 {p99:.1f} ms, max {ordered[-1]:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--screenshots", type=int, default=20)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with scratch() as folder:
        write_screenshots(folder / "in", args.screenshots)
        path = folder / "w.ncovault"
        with Vault.create(path, "bench passphrase", kdf=FAST_KDF) as vault:
            import_paths(vault, [folder / "in"], thumbnails=False)
        window = QMainWindow()
        session = VaultSession()
        background = OcrBackground(session, window)
        vault = Vault.open(path, "bench passphrase")
        session.open(vault)
        background.start()
        started = time.monotonic()
        during = lateness_while(app, lambda: background.running, None)
        took = time.monotonic() - started
        read = store.status(vault).done
        idle = lateness_while(app, lambda: True, took)
        session.lock()
    print(f"{read} screenshots read in the background in {took:.1f} s ({read / took:.2f}/s)")
    print(f"event loop idle (reference):  {summary(idle)}")
    print(f"event loop while reading:     {summary(during)}")
    print(f"worst lateness while reading: {max(during):.1f} ms (goal < 50 ms)")


if __name__ == "__main__":
    main()
