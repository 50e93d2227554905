"""Thumbnails: a second phase after the entries are on the timeline.

Decoding pictures dominates import time (a PNG screenshot ~20 ms, a 12 MP JPEG ~45 ms
without draft mode), so entries are written first and thumbnails follow, made by the
same sandboxed workers (a hostile picture can hang a decoder) and stored encrypted as
rebuildable derivatives. One transaction per group keeps the audit log short.
"""

from __future__ import annotations

from collections import deque
from pathlib import Path

from nco_desktop.evidence.records import Original
from nco_desktop.importers.sandbox import ParseFailed, ParseJob, ParserPool, ParseTask
from nco_desktop.progress import CancelToken
from nco_desktop.vault import Vault
from nco_desktop.vault.blobs import put_bytes

THUMBNAIL_KIND = "thumbnail"
GROUP = 50


def make_thumbnails(
    vault: Vault,
    pool: ParserPool,
    pictures: list[tuple[Original, Path]],
    cancel: CancelToken | None = None,
) -> int:
    """Make and store a thumbnail for each picture; return how many were stored."""
    made: list[tuple[Original, bytes]] = []
    stored = 0
    in_flight: deque[tuple[Original, ParseJob]] = deque()

    def collect_one() -> None:
        original, job = in_flight.popleft()
        try:
            for message in job.messages():
                if message[0] == "thumbnail":
                    made.append((original, message[1]))
        except ParseFailed:
            pass  # the entry is on the timeline already; the window shows a placeholder

    for original, path in pictures:
        if cancel is not None and cancel.cancelled:
            break
        while not pool.free:
            collect_one()
        in_flight.append(
            (
                original,
                pool.submit(
                    ParseTask(
                        path=str(path),
                        name=path.name,
                        zone="UTC",
                        region="",
                        mtime_ms=None,
                        thumbnail=True,
                    )
                ),
            )
        )
        if len(made) >= GROUP:
            stored += _store(vault, made)
            made = []
    while in_flight:
        collect_one()
    if made:
        stored += _store(vault, made)
    return stored


def _store(vault: Vault, made: list[tuple[Original, bytes]]) -> int:
    with vault.change() as change:
        for original, data in made:
            blob = put_bytes(change.conn, data)
            change.conn.execute(
                "INSERT OR REPLACE INTO derivatives (original_id, kind, blob_id, meta_json, "
                'created_at) VALUES (?, ?, ?, \'{"media_type": "image/jpeg"}\', ?)',
                (original.id, THUMBNAIL_KIND, blob.id, change.at),
            )
        change.audit("derivatives.added", kind=THUMBNAIL_KIND, count=len(made))
    return len(made)
