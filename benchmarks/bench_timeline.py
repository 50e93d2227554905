"""Timeline page speed with 100,000 entries: first paint, filters, scrolling, memory.

Each figure is printed beside a reference measured in the same run, because these
machines are noisy: the raw ``SELECT id, occurred_ms … ORDER BY`` over the same rows
(what any list must at least read), and a plain QTableView over an in-memory Python
model of the same rows (FACTS: 0.55 s and ~99 MB for 100,000 rows).
Goals: ready and painted < 1 s after the vault is open; a filter applies (and the list
is painted again) < 200 ms; peak memory < 400 MB.
Run: .venv/bin/python benchmarks/bench_timeline.py [--entries 100000]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView

from benchmarks._common import peak_rss_mb, scratch
from nco_desktop.evidence.records import (
    CallType,
    Direction,
    EntryKind,
    NewEntry,
    TimePrecision,
    TimeSource,
)
from nco_desktop.evidence.store import add_entry, add_original
from nco_desktop.vault import TEST_KDF, Vault
from nco_desktop.vault.blobs import put_bytes

PASSPHRASE = "benchmark passphrase"
WORDS = [
    "where",
    "are",
    "you",
    "tonight",
    "answer",
    "your",
    "phone",
    "I",
    "saw",
    "your",
    "car",
    "outside",
    "work",
    "call",
    "me",
    "back",
]


def seed(path: Path, count: int) -> None:
    """*count* mixed entries over two years; 1 % pictures with thumbnails, 0.2 % undated."""
    rng = random.Random(11)
    thumb = io.BytesIO()
    Image.new("RGB", (240, 320), (200, 120, 90)).save(thumb, "JPEG")
    start = 1_700_000_000_000
    kinds = [EntryKind.MESSAGE] * 14 + [EntryKind.CALL] * 4 + list(EntryKind)
    vault = Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF)
    with vault, vault.change() as change:
        thumb_blob = put_bytes(change.conn, thumb.getvalue())
        for i in range(count):
            kind = rng.choice(kinds)
            undated = rng.random() < 0.002
            source = rng.choice([TimeSource.EXPORT_FIELD] * 6 + [TimeSource.FILE_MTIME])
            original_id = None
            if kind == EntryKind.IMAGE:
                original, _ = add_original(
                    change,
                    io.BytesIO(f"picture {i}".encode()),
                    name=f"Screenshot_{i}.png",
                    media_type="image/png",
                    import_source="bench",
                )
                original_id = original.id
                change.conn.execute(
                    "INSERT INTO derivatives (original_id, kind, blob_id, created_at) "
                    "VALUES (?, 'thumbnail', ?, ?)",
                    (original.id, thumb_blob.id, change.at),
                )
            add_entry(
                change,
                NewEntry(
                    kind=kind,
                    occurred_ms=None if undated else start + rng.randrange(730 * 86_400_000),
                    time_source=TimeSource.UNKNOWN if undated else source,
                    time_precision=TimePrecision.UNKNOWN if undated else TimePrecision.SECOND,
                    direction=rng.choice(list(Direction)),
                    party=f"+1555010{i % 60:04d}",
                    party_name=f"Contact {i % 60}",
                    text=" ".join(rng.choice(WORDS) for _ in range(rng.randrange(3, 30)))
                    + f" #{i}",
                    call_type=rng.choice(list(CallType)) if kind == EntryKind.CALL else None,
                    duration_s=rng.randrange(600) if kind == EntryKind.CALL else None,
                    original_id=original_id,
                ),
            )
        change.audit("bench.seed", count=count)


def median_ms(action: Callable[[], object], repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


class PlainModel(QAbstractTableModel):
    """The FACTS reference: every row as a Python tuple in memory."""

    def __init__(self, rows: list[tuple]) -> None:
        super().__init__()
        self.rows = rows

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == Qt.ItemDataRole.DisplayRole:
            return str(self.rows[index.row()][index.column()])
        return None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from nco_desktop.ui.timeline_page import TimelinePage

    with scratch() as folder:
        path = folder / "timeline.ncovault"
        started = time.perf_counter()
        seed(path, args.entries)
        print(f"seeded {args.entries:,} entries in {time.perf_counter() - started:.1f} s")

        page = TimelinePage()
        page.resize(1280, 720)
        page.show()
        app.processEvents()
        rss_before = peak_rss_mb()

        started = time.perf_counter()
        vault = Vault.open(path, PASSPHRASE)
        unlock = time.perf_counter() - started
        started = time.perf_counter()
        page.set_vault(vault)
        page.grab()  # paints every visible row: pages, text, icons, thumbnails
        first_paint = time.perf_counter() - started
        reference = median_ms(
            lambda: vault.conn.execute(
                "SELECT id, occurred_ms FROM entries ORDER BY occurred_ms IS NULL, occurred_ms, id"
            ).fetchall()
        )
        print(f"unlock (test KDF): {unlock * 1000:.0f} ms (not counted below)")
        print(
            f"vault open → timeline ready and painted: {first_paint * 1000:6.0f} ms (goal < 1000)"
            f"  = {first_paint * 1000 / reference:4.1f}× the raw ordered SELECT "
            f"({reference:.0f} ms)"
        )
        again = median_ms(lambda: (page.refresh(), page.grab()))
        print(f"refresh (after an import) and paint: {again:6.0f} ms")

        filters: list[tuple[str, Callable[[], object]]] = [
            ("text, rare word", lambda: page.text_field.setText("#4242")),
            ("text, common word", lambda: page.text_field.setText("tonight")),
            ("kind = call", lambda: page.kind_box.setCurrentIndex(2)),
            ("party", lambda: page.party_field.setText("Contact 7")),
            ("date range", lambda: page.since_check.setChecked(True)),
        ]
        for label, set_filter in filters:

            def apply(set_filter: Callable[[], object] = set_filter) -> None:
                page.clear_filters()
                set_filter()
                page.refresh()  # at once, instead of after the 150 ms pause in typing
                page.grab()

            clear = median_ms(lambda: (page.clear_filters(), page.grab()))
            elapsed = median_ms(apply) - clear
            print(
                f"filter {label:<18} {elapsed:6.0f} ms (goal < 200), "
                f"{page.model.shown_count:>7,} shown"
            )
        page.clear_filters()

        bar = page.view.verticalScrollBar()

        def scroll_to(value: int) -> None:
            bar.setValue(value)
            page.grab()

        rng = random.Random(5)
        jumps = [rng.randrange(bar.maximum()) for _ in range(20)]
        jump = median_ms(lambda: [scroll_to(v) for v in jumps], repeats=1) / len(jumps)
        step = median_ms(
            lambda: [scroll_to(bar.value() + bar.singleStep() * 3) for _ in range(50)], repeats=1
        )
        print(f"scroll: jump to a random place {jump:5.1f} ms; one wheel step {step / 50:5.1f} ms")
        scroll_to(bar.maximum())
        last = page.model.index(page.model.rowCount() - 1, 3).data()
        pages = page.model._pages
        assert pages is not None
        print(
            f"last row painted: {last[:40]!r}; {pages.pages_read} pages of 256 rows read since "
            f"the last query, {pages.cached_pages} kept"
        )
        peak = peak_rss_mb()
        print(
            f"peak RSS: {peak:.0f} MB (goal < 400), {peak - rss_before:+.0f} MB for the "
            "timeline over Qt and an empty page"
        )

        rows = vault.conn.execute(
            "SELECT kind, occurred_ms, party, text FROM entries ORDER BY occurred_ms"
        ).fetchall()
        started = time.perf_counter()
        plain = QTableView()
        plain.setModel(PlainModel(rows))
        plain.resize(1280, 720)
        plain.show()
        plain.grab()
        elapsed = time.perf_counter() - started
        print(
            f"reference: plain QTableView over {len(rows):,} in-memory rows shown in "
            f"{elapsed * 1000:.0f} ms (rows already read); peak RSS now {peak_rss_mb():.0f} MB"
        )
        page.set_vault(None)
        vault.close()


if __name__ == "__main__":
    main()
