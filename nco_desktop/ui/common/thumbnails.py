"""Stored thumbnails, decoded from memory for the lists that show evidence.

A thumbnail is a small JPEG the sandbox made at import (upright, no metadata). Only
Qt's JPEG reader is let near it, whatever the bytes claim to be, and only up to
:data:`MAX_THUMBNAIL_SIDE` pixels: originals are never decoded in this process.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage, QImageReader, QPixmap

from nco_desktop.timeline.paging import read_thumbnail
from nco_desktop.vault.connection import Connection

MAX_THUMBNAIL_SIDE = 1024  # a stored thumbnail is ≤ 320 px; anything larger is refused


def decode_thumbnail(conn: Connection, blob_id: int, box: QSize) -> QPixmap | None:
    """A stored thumbnail, decoded from memory only and scaled into *box*; None if it
    is missing, broken or oversized (never a temporary file, never a huge decode)."""
    try:
        data = read_thumbnail(conn, blob_id)
    except (LookupError, TypeError):
        return None
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer, b"jpeg")
    reader.setDecideFormatFromContent(False)
    try:
        image = _read_scaled(reader, box)
    finally:
        # The reader goes before its buffer: Qt's TIFF handler touches its device when
        # it is destroyed, and a buffer freed first crashed the process (shared/FACTS).
        del reader
        buffer.close()
    if image is None:
        return None
    pixmap = QPixmap.fromImage(image)
    pixmap.setDevicePixelRatio(_ratio())
    return pixmap


def _ratio() -> float:
    screen = QGuiApplication.primaryScreen()
    return screen.devicePixelRatio() if screen is not None else 1.0


def _read_scaled(reader: QImageReader, box: QSize) -> QImage | None:
    size = reader.size()
    if not size.isValid() or max(size.width(), size.height()) > MAX_THUMBNAIL_SIDE:
        return None
    reader.setScaledSize(size.scaled(box * _ratio(), Qt.AspectRatioMode.KeepAspectRatio))
    image = reader.read()
    return None if image.isNull() else image
