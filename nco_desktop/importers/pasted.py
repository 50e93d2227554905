"""A picture pasted from the clipboard, stored as a new screenshot.

The window hands over PNG bytes it encoded itself, so nothing is written to disk on the
way: no temporary file ever holds the picture. The time is honest: a clipboard carries
no date, and what a screenshot shows may be older than the paste, so the entry's time is
"unknown" and the moment of pasting is kept beside it for the user to see.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from PIL import Image, ImageOps

from nco_desktop.evidence import thumbnail_pixels
from nco_desktop.evidence.records import EntryKind, NewEntry, TimePrecision, TimeSource
from nco_desktop.evidence.store import add_entry, add_original, last_entry_id
from nco_desktop.importers.thumbnails import THUMBNAIL_KIND, THUMBNAIL_META
from nco_desktop.importers.writer import entries_record
from nco_desktop.timekeeping import iso_utc
from nco_desktop.vault import Vault
from nco_desktop.vault.blobs import put_bytes

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
MAX_PASTE_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class PastedPicture:
    entry_id: int | None  # None: the same picture was already in the vault
    original_id: int
    name: str


def import_pasted_picture(vault: Vault, png: bytes, *, pasted_at: datetime) -> PastedPicture:
    """Store *png* as an original with an image entry and a thumbnail, in one change."""
    if not png.startswith(PNG_SIGNATURE):
        raise ValueError("The clipboard picture could not be read as a PNG.")
    if len(png) > MAX_PASTE_BYTES:
        raise ValueError("The clipboard picture is too large to paste; save it and import it.")
    width, height, thumb = _thumbnail(png)
    local = pasted_at.astimezone(vault.time_zone)
    name = f"Pasted picture {local:%Y-%m-%d %H.%M.%S}.png"
    with vault.change() as change:
        original, created = add_original(
            change, BytesIO(png), name=name, media_type="image/png", import_source="clipboard"
        )
        if not created:
            change.audit("import.duplicate", original_id=original.id)
            return PastedPicture(None, original.id, original.original_name)
        first_id = last_entry_id(change.conn)
        entry_id = add_entry(
            change,
            NewEntry(
                kind=EntryKind.IMAGE,
                occurred_ms=None,
                time_source=TimeSource.UNKNOWN,
                time_precision=TimePrecision.UNKNOWN,
                original_id=original.id,
                meta={
                    "pasted_at": iso_utc(pasted_at),
                    "width": width,
                    "height": height,
                    "source": "clipboard",
                },
            ),
        )
        blob = put_bytes(change.conn, thumb)
        change.conn.execute(
            "INSERT OR REPLACE INTO derivatives (original_id, kind, blob_id, meta_json, "
            "created_at) VALUES (?, ?, ?, ?, ?)",
            (original.id, THUMBNAIL_KIND, blob.id, THUMBNAIL_META, change.at),
        )
        change.audit(
            "import.file",
            original_id=original.id,
            format="clipboard",
            duplicates=0,
            problems=0,
            **entries_record(change, first_id),
        )
    return PastedPicture(entry_id, original.id, name)


def _thumbnail(png: bytes, max_side: int = 320) -> tuple[int, int, bytes]:
    try:
        with Image.open(BytesIO(png)) as image:
            width, height = image.size
            image.thumbnail((max_side, max_side))
            rgba = ImageOps.exif_transpose(image).convert("RGBA")
    except (OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValueError("The clipboard picture could not be read.") from exc
    return width, height, thumbnail_pixels.encode_image(rgba)
