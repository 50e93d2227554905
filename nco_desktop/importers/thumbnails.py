"""Thumbnails: a second phase after the entries are on the timeline.

Decoding pictures dominates import time (a PNG screenshot ~20 ms, a 12 MP JPEG ~45 ms
without draft mode), so entries are written first and thumbnails follow, made by the
same sandboxed workers (a hostile picture can hang a decoder) and stored encrypted as
rebuildable derivatives. One transaction per group keeps the audit log short.
"""

from __future__ import annotations

import json
from collections import deque
from pathlib import Path

from PIL import Image

from nco_desktop.evidence import thumbnail_pixels
from nco_desktop.evidence.records import Original
from nco_desktop.importers.sandbox import ParseFailed, ParseJob, ParserPool, ParseTask
from nco_desktop.progress import CancelToken, ProgressCallback, no_progress
from nco_desktop.vault import Vault
from nco_desktop.vault.blobs import put_bytes

THUMBNAIL_KIND = "thumbnail"
THUMBNAIL_META = json.dumps({"media_type": thumbnail_pixels.MEDIA_TYPE})
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
                    thumbnail_pixels.decode(message[1])  # stored only if it is one
                    made.append((original, message[1]))
        except (ParseFailed, ValueError):
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
                "created_at) VALUES (?, ?, ?, ?, ?)",
                (original.id, THUMBNAIL_KIND, blob.id, THUMBNAIL_META, change.at),
            )
        change.audit("derivatives.added", kind=THUMBNAIL_KIND, count=len(made))
    return len(made)


def old_thumbnails(vault: Vault) -> list[tuple[int, int]]:
    """(original id, blob id) of thumbnails an older version stored as JPEG."""
    return [
        (int(original_id), int(blob_id))
        for original_id, blob_id in vault.conn.execute(
            "SELECT original_id, blob_id FROM derivatives WHERE kind = ? "
            "AND json_valid(meta_json) AND json_extract(meta_json, '$.media_type') = ?",
            (THUMBNAIL_KIND, "image/jpeg"),
        )
    ]


def remake_old_thumbnails(
    vault: Vault,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> int:
    """Store every old JPEG thumbnail again as plain pixels; how many were remade.

    Each JPEG goes to a fresh sandboxed worker, which sends back raw pixels; here they
    are only laid on white and compressed (no picture format is decoded). One that
    cannot be read is left out, and its entry shows its icon, as before.
    """
    from nco_desktop.timeline.paging import read_thumbnail
    from nco_desktop.timeline.previews import PicturePreviews, PreviewFailed

    found = old_thumbnails(vault)
    made: list[tuple[int, int, bytes]] = []
    previews = PicturePreviews(cancel=cancel, fresh=True)
    try:
        for number, (original_id, blob_id) in enumerate(found):
            if cancel is not None:
                cancel.raise_if_cancelled()
            progress(number, len(found), "")
            try:
                raster = previews.picture(read_thumbnail(vault.conn, blob_id), max_side=320)
            except PreviewFailed:
                continue
            rgba = Image.frombytes("RGBA", (raster.width, raster.height), raster.rgba)
            made.append((original_id, blob_id, thumbnail_pixels.encode_image(rgba)))
    finally:
        previews.close()
    if made:
        with vault.change() as change:
            for original_id, old_blob, data in made:
                blob = put_bytes(change.conn, data)
                change.conn.execute(
                    "UPDATE derivatives SET blob_id = ?, meta_json = ? "
                    "WHERE original_id = ? AND kind = ?",
                    (blob.id, THUMBNAIL_META, original_id, THUMBNAIL_KIND),
                )
                change.conn.execute(  # the old JPEG, unless something else still uses it
                    "DELETE FROM blobs WHERE id = ? AND NOT EXISTS "
                    "(SELECT 1 FROM originals WHERE blob_id = ?) AND NOT EXISTS "
                    "(SELECT 1 FROM derivatives WHERE blob_id = ?)",
                    (old_blob, old_blob, old_blob),
                )
            change.audit("derivatives.remade", kind=THUMBNAIL_KIND, count=len(made))
    progress(len(found), len(found), "")
    return len(made)
