"""Stored thumbnails are plain pixels: no picture decoder runs in the window for them.

A compromised import worker could store any bytes as a thumbnail. The window reads only
the program's own pixel format (a size check and a bounded zlib inflate) and refuses
every picture format, so no decoder in the process that holds the key is ever reached.
"""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image
from PySide6.QtCore import QSize
from PySide6.QtGui import QImageReader

from nco_desktop.evidence import thumbnail_pixels
from nco_desktop.ui.common.thumbnails import decode_thumbnail
from nco_desktop.ui.detail.image_viewer import decode_thumbnail as decode_for_pane
from nco_desktop.vault.blobs import put_bytes


@pytest.fixture(autouse=True)
def no_decoder(monkeypatch):
    monkeypatch.setattr(QImageReader, "read", lambda *a: pytest.fail("a picture was decoded"))


def encoded(fmt: str, size: tuple[int, int] = (60, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 140, 200)).save(out, fmt)
    return out.getvalue()


def stored(vault, data: bytes) -> int:
    with vault.change() as change:
        blob = put_bytes(change.conn, data)
        change.audit("test.seed")
    return blob.id


def test_a_thumbnail_is_shown_with_its_own_pixels(qapp, vault):
    data = thumbnail_pixels.encode(60, 120, bytes((30, 140, 200)) * 7200)
    pixmap = decode_thumbnail(vault.conn, stored(vault, data), QSize(40, 40))
    assert pixmap is not None and not pixmap.isNull()
    image = decode_for_pane(data)
    assert (image.width(), image.height()) == (60, 120)
    assert image.pixelColor(30, 60).getRgb()[:3] == (30, 140, 200)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "TIFF", "BMP", "GIF"])
def test_every_picture_format_is_refused_undecoded(qapp, vault, fmt):
    data = encoded(fmt)
    assert decode_thumbnail(vault.conn, stored(vault, data), QSize(40, 40)) is None
    assert decode_for_pane(data).isNull()


@pytest.mark.parametrize(
    "data",
    [
        thumbnail_pixels.MAGIC + struct.pack(">HH", 3000, 200) + zlib.compress(b"x" * 1800000),
        thumbnail_pixels.MAGIC + struct.pack(">HH", 0, 10) + zlib.compress(b""),
        thumbnail_pixels.MAGIC + struct.pack(">HH", 10, 10) + zlib.compress(b"x" * 10**7),
        thumbnail_pixels.MAGIC + struct.pack(">HH", 10, 10) + zlib.compress(b"x" * 299),
        thumbnail_pixels.MAGIC + struct.pack(">HH", 10, 10) + b"not zlib at all",
        thumbnail_pixels.MAGIC + b"\x00",
    ],
    ids=["oversized", "empty", "bomb", "short", "damaged", "truncated"],
)
def test_a_thumbnail_that_lies_about_itself_is_refused(qapp, vault, data):
    assert decode_thumbnail(vault.conn, stored(vault, data), QSize(40, 40)) is None
    assert decode_for_pane(data).isNull()


def _old_jpeg_thumbnail(vault) -> int:
    """A picture entry as an older version stored it: its thumbnail a JPEG."""
    from tests.support.factories import add_picture

    with vault.change() as change:
        add_picture(change, 1_700_000_000_000)
        blob = put_bytes(change.conn, encoded("JPEG", (150, 300)))
        change.conn.execute(
            'UPDATE derivatives SET blob_id = ?, meta_json = \'{"media_type": "image/jpeg"}\'',
            (blob.id,),
        )
        change.audit("test.seed")
    return blob.id


def test_old_jpeg_thumbnails_are_made_again_as_pixels_after_opening(qtbot, session, vault):
    """The window no longer decodes JPEG: an old vault's thumbnails are remade by a
    sandboxed worker in the background, the old JPEG blob removed, and shown."""
    from nco_desktop.importers.thumbnails import old_thumbnails
    from nco_desktop.ui.common import thumbnail_upgrade

    old_blob = _old_jpeg_thumbnail(vault)
    assert decode_thumbnail(vault.conn, old_blob, QSize(40, 40)) is None  # an icon, for now
    thumbnail_upgrade.follow(session)
    session.open(vault)
    qtbot.waitUntil(lambda: not old_thumbnails(vault), timeout=20_000)
    ((blob_id,),) = vault.conn.execute("SELECT blob_id FROM derivatives").fetchall()
    assert vault.conn.execute("SELECT 1 FROM blobs WHERE id = ?", (old_blob,)).fetchone() is None
    pixmap = decode_thumbnail(vault.conn, blob_id, QSize(40, 40))
    assert pixmap is not None and not pixmap.isNull()
    colour = pixmap.toImage().pixelColor(5, 10).getRgb()[:3]
    assert all(abs(a - b) < 12 for a, b in zip(colour, (30, 140, 200), strict=True))
    actions = [r[0] for r in vault.conn.execute("SELECT action FROM audit_log")]
    assert "derivatives.remade" in actions


def test_a_thumbnail_padded_past_its_pixels_is_refused(qapp, vault):
    """A 1x1 picture followed by 128 MB of empty zlib blocks inflated to the right size:
    refused by its length before any inflating."""
    padding = zlib.compress(b"\x00\x00\x00")[:-4]  # no end: blocks may follow
    data = thumbnail_pixels.MAGIC + struct.pack(">HH", 1, 1) + padding + b"\x00" * 100_000
    assert decode_for_pane(data).isNull()
    with pytest.raises(ValueError, match="larger than its pixels"):
        thumbnail_pixels.decode(data)
