"""Stored thumbnails, shown from memory in the lists and the detail pane.

A thumbnail is plain RGB pixels the sandbox made at import
(:mod:`nco_desktop.evidence.thumbnail_pixels`): reading one is a size check and a
bounded zlib inflate, and no picture decoder runs in this process — not even for a
thumbnail, which the worker that read a hostile picture could have shaped. Thumbnails
in the old JPEG format are not decoded here; the lists show the entry's icon instead
until they are made again.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPixmap

from nco_desktop.evidence import thumbnail_pixels
from nco_desktop.timeline.paging import read_thumbnail
from nco_desktop.vault.connection import Connection


def thumbnail_image(data: bytes) -> QImage:
    """The stored thumbnail *data* as an image; a null image if it is not one."""
    try:
        width, height, rgb = thumbnail_pixels.decode(data)
    except ValueError:
        return QImage()
    # Wrapped, then copied: the QImage owns its pixels once the bytes go away.
    return QImage(rgb, width, height, width * 3, QImage.Format.Format_RGB888).copy()


def decode_thumbnail(conn: Connection, blob_id: int, box: QSize) -> QPixmap | None:
    """A stored thumbnail, from memory only, scaled into *box*; None if it is missing,
    broken, too large or in the old format."""
    try:
        data = read_thumbnail(conn, blob_id)
    except (LookupError, TypeError):
        return None
    image = thumbnail_image(data)
    if image.isNull():
        return None
    ratio = _ratio()
    scaled = image.scaled(
        box * ratio,
        Qt.AspectRatioMode.KeepAspectRatio,
        Qt.TransformationMode.SmoothTransformation,
    )
    pixmap = QPixmap.fromImage(scaled)
    pixmap.setDevicePixelRatio(ratio)
    return pixmap


def _ratio() -> float:
    screen = QGuiApplication.primaryScreen()
    return screen.devicePixelRatio() if screen is not None else 1.0
