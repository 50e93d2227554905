"""The window follows the OS's light or dark scheme without a restart."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.shell.main_window import MainWindow
from nco_desktop.vault import TEST_KDF


def _window_colour(widget) -> int:
    return widget.palette().color(QPalette.ColorRole.Window).lightness()


def _icon_lightness(label) -> int:
    image = label.pixmap().toImage()
    dark_pixels = [
        image.pixelColor(x, y)
        for x in range(image.width())
        for y in range(image.height())
        if image.pixelColor(x, y).alpha() > 200
    ]
    return max(colour.lightness() for colour in dark_pixels)


def test_dark_scheme_reaches_every_widget_and_redraws_icons(qtbot, demo_path):
    app = QApplication.instance()
    window = MainWindow(AppSettings(), kdf=TEST_KDF, demo_path=demo_path)
    qtbot.addWidget(window)
    window.show()
    window.show_start()
    card = window.start_screen.create_card
    try:
        app.apply_color_scheme(Qt.ColorScheme.Dark)
        assert _window_colour(window) < 100
        assert _window_colour(card.button) < 100  # children too, despite the style sheet
        assert _icon_lightness(card._picture) > 180  # icons redrawn in the light text colour
        window.grab().save(str(demo_path.parent.parent / "dark.png"))
        app.apply_color_scheme(Qt.ColorScheme.Light)
        assert _window_colour(window) > 180
        assert _icon_lightness(card._picture) < 80
    finally:
        app.apply_color_scheme(Qt.ColorScheme.Light)
