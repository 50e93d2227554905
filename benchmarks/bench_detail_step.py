"""Moving the timeline's selection with ↓: how long one step blocks the window.

Real key presses on the timeline of the demo case, with the detail pane beside it
wired as in the window. Two ways of moving: holding ↓ (steps back to back, as key
repeat sends them; the pane waits for the selection to rest) and one press at a time
(a pause after each; the pane builds the entry at once). Each step is timed until
the event loop is free again. The reference, measured in the same run, is the same
key press on a plain QTableView of as many rows.
Goal (issue 11): < 30 ms per step. Also printed: the slowest kinds of entry.
Run: .venv/bin/python benchmarks/bench_detail_step.py [--steps 300]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QSplitter, QTableView

from benchmarks._common import scratch
from nco_desktop.demo.case import DEMO_PASSPHRASE, create_demo_vault
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.ui.detail.detail_pane import DetailPane
from nco_desktop.ui.timeline.timeline_page import TimelinePage
from nco_desktop.vault import TEST_KDF, Vault


class PlainModel(QAbstractTableModel):
    def __init__(self, rows: int) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.rows

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        return f"row {index.row()}" if role == Qt.ItemDataRole.DisplayRole else None


def reference_ms(app: QApplication, rows: int, steps: int) -> float:
    view = QTableView()
    view.setModel(PlainModel(rows))
    view.resize(1280, 720)
    view.show()
    view.setFocus()
    view.selectRow(0)
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        QTest.keyClick(view, Qt.Key.Key_Down)
        app.processEvents()
        times.append(time.perf_counter() - start)
    view.close()
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--steps", type=int, default=300)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with scratch() as folder:
        path = folder / "demo.ncovault"
        create_demo_vault(path, kdf=TEST_KDF).close()
        vault = Vault.open(path, DEMO_PASSPHRASE)
        session = VaultSession()
        splitter = QSplitter()
        timeline, detail = TimelinePage(session), DetailPane(session)
        splitter.addWidget(timeline)
        splitter.addWidget(detail)
        timeline.entry_selected.connect(detail.follow_selection)
        splitter.resize(1280, 720)
        splitter.show()
        session.open(vault)
        app.processEvents()
        rows = timeline.model.shown_count
        timeline.view.setFocus()
        QTest.keyClick(timeline.view, Qt.Key.Key_Down)
        steps = min(args.steps, (rows - 1) // 2)
        held: list[float] = []
        for _ in range(steps):
            start = time.perf_counter()
            QTest.keyClick(timeline.view, Qt.Key.Key_Down)
            app.processEvents()
            held.append((time.perf_counter() - start) * 1000)
        settle_start = time.perf_counter()
        while detail.current_detail() is None or (
            detail.current_detail().id != timeline.selected_entry_id()  # type: ignore[union-attr]
        ):
            app.processEvents()
        settled = (time.perf_counter() - settle_start) * 1000
        times: list[float] = []
        by_kind: dict[str, list[float]] = defaultdict(list)
        for _ in range(steps):
            time.sleep(0.15)  # a pause: the next press is a step of its own
            start = time.perf_counter()
            QTest.keyClick(timeline.view, Qt.Key.Key_Down)
            app.processEvents()
            elapsed = (time.perf_counter() - start) * 1000
            times.append(elapsed)
            shown = detail.current_detail()
            by_kind[shown.kind if shown else "none"].append(elapsed)
        session.lock()
        splitter.close()
        reference = reference_ms(app, rows, steps)
    median = statistics.median(times)
    p95 = sorted(times)[int(len(times) * 0.95)]
    held_median = statistics.median(held)
    print(f"demo case: {rows} entries, {steps} steps held and {steps} single steps with ↓")
    print(f"  reference (plain table, same key): median {reference:.2f} ms")
    print(
        f"  holding ↓: median {held_median:.1f} ms ({held_median / reference:.1f}× reference), "
        f"max {max(held):.1f} ms; the entry stopped on was shown {settled:.0f} ms later"
    )
    print(
        f"  one press at a time: median {median:.1f} ms ({median / reference:.1f}× reference),"
        f" p95 {p95:.1f} ms, max {max(times):.1f} ms  (goal: < 30 ms per step)"
    )
    for kind, values in sorted(by_kind.items(), key=lambda kv: -statistics.median(kv[1])):
        print(f"    {kind:9} n={len(values):4}  median {statistics.median(values):6.1f} ms")


if __name__ == "__main__":
    main()
