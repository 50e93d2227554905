"""A synthetic timeline of many entries, shared by the benchmarks that need one.

Qt-free on purpose, so that a command-line benchmark (``bench_list_json``) can seed the
same vault as the window's (``bench_timeline``) without loading Qt, and both measure
the same rows.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image

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
