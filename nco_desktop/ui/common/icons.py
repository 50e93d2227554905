"""Icons drawn from the SVG files in ``resources/icons``.

SVG keeps them sharp at 200 % scaling. Each file draws in ``#000000``; the icon is
recoloured here with the palette's text colour, so the same file reads in the light and
the dark scheme and follows a scheme change when asked again.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QImage, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from nco_desktop.resources import resources_dir

_SIZES = (16, 20, 24, 32, 48, 64)


def icon(name: str, color: QColor | None = None) -> QIcon:
    """The icon ``resources/icons/<name>.svg``, in *color* or the palette's text colour."""
    if color is None:
        color = QGuiApplication.palette().color(QPalette.ColorRole.WindowText)
    return _icon(name, color.name())


@lru_cache(maxsize=256)
def _icon(name: str, color_name: str) -> QIcon:
    path = resources_dir() / "icons" / f"{name}.svg"
    svg = path.read_text(encoding="utf-8").replace("#000000", color_name)
    renderer = QSvgRenderer(QByteArray(svg.encode("utf-8")))
    result = QIcon()
    ratio = max(1.0, QGuiApplication.primaryScreen().devicePixelRatio() if _has_screen() else 1.0)
    for size in _SIZES:
        pixels = round(size * ratio)
        image = QImage(pixels, pixels, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        renderer.render(painter, QRectF(0, 0, pixels, pixels))
        painter.end()
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        result.addPixmap(pixmap)
    return result


def clear_icon_cache() -> None:
    """Forget recoloured icons, after the colour scheme changes."""
    _icon.cache_clear()


def _has_screen() -> bool:
    return QGuiApplication.primaryScreen() is not None


ICON_SIZE = QSize(20, 20)
