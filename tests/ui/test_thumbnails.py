"""Stored thumbnails are the one picture decoded in the window: only as small JPEGs."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from PySide6.QtCore import QSize

from nco_desktop.ui.common.thumbnails import decode_thumbnail
from nco_desktop.ui.detail.image_viewer import decode_thumbnail as decode_for_pane
from nco_desktop.vault.blobs import put_bytes


def encoded(fmt: str, size: tuple[int, int] = (60, 120)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 140, 200)).save(out, fmt)
    return out.getvalue()


def stored(vault, data: bytes) -> int:
    with vault.change() as change:
        blob = put_bytes(change.conn, data)
        change.audit("test.seed")
    return blob.id


def test_a_small_jpeg_thumbnail_is_shown(qapp, vault):
    data = encoded("JPEG")
    pixmap = decode_thumbnail(vault.conn, stored(vault, data), QSize(40, 40))
    assert pixmap is not None and not pixmap.isNull()
    assert not decode_for_pane(data).isNull()


@pytest.mark.parametrize("fmt", ["PNG", "TIFF", "BMP", "GIF"])
def test_anything_but_a_jpeg_is_refused_whatever_it_is(qapp, vault, fmt):
    """A compromised import worker could store any picture as a thumbnail: the window
    lets only its JPEG reader near the bytes, so other decoders are never reached."""
    data = encoded(fmt)
    assert decode_thumbnail(vault.conn, stored(vault, data), QSize(40, 40)) is None
    assert decode_for_pane(data).isNull()


def test_an_oversized_jpeg_is_refused_before_it_is_decoded(qapp, vault):
    data = encoded("JPEG", (3000, 200))
    assert decode_thumbnail(vault.conn, stored(vault, data), QSize(40, 40)) is None
    assert decode_for_pane(data).isNull()
