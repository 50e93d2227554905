"""Help: an offline guide, the shortcuts read from the window's own actions, and About."""

from __future__ import annotations

import platform
from importlib import metadata

import PySide6
import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QTextBrowser

from nco_desktop import __version__
from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.shell.help_dialogs import (
    AboutDialog,
    HelpDialog,
    action_words,
    window_shortcuts,
)
from nco_desktop.ui.shell.main_window import MainWindow
from nco_desktop.vault import TEST_KDF
from nco_desktop.vault.connection import sqlcipher_version


@pytest.fixture
def window(qtbot, demo_path):
    w = MainWindow(AppSettings(), kdf=TEST_KDF, demo_path=demo_path)
    qtbot.addWidget(w)
    w.show()
    w.show_start()
    qtbot.waitExposed(w)
    yield w
    w.lock()


def shortcut_rows(dialog: HelpDialog) -> list[tuple[str, str]]:
    table = dialog.shortcuts
    return [
        (table.item(row, 0).text(), table.item(row, 1).text()) for row in range(table.rowCount())
    ]


def test_help_menu_holds_the_guide_the_shortcuts_and_about(window):
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles[-1] == "&Help"
    help_menu = window.menuBar().actions()[-1].menu()
    texts = [action.text() for action in help_menu.actions() if not action.isSeparator()]
    assert texts == ["&Guide", "&Keyboard shortcuts", "&About NCO Desktop"]


def test_f1_opens_the_keyboard_shortcuts(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_F1)
    dialog = window.help_menu.dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.tabs.currentIndex() == HelpDialog.SHORTCUTS
    dialog.close()


def test_the_shortcuts_are_read_from_the_real_actions(window):
    rows = shortcut_rows(window.help_menu.show(HelpDialog.SHORTCUTS))
    native = QKeySequence.SequenceFormat.NativeText
    for action in (window.lock_action, window.import_action, window.help_menu.shortcuts_action):
        assert (action.shortcut().toString(native), action_words(action)) in rows
    assert ("F1", "Keyboard shortcuts") in rows
    assert any(keys.startswith("Esc, twice") for keys, _ in rows)  # Quick exit's gesture
    assert ("Shift+arrow keys", "Change the box's size") in rows  # keys the picture reads
    # A shortcut the window gains later is listed the next time: nothing is hard-coded.
    extra = QAction("Count the stars", window)
    extra.setShortcut(QKeySequence("Ctrl+Shift+K"))
    window.addAction(extra)
    window.help_menu.dialog.close()
    rows = shortcut_rows(window.help_menu.show(HelpDialog.SHORTCUTS))
    assert ("Ctrl+Shift+K", "Count the stars") in rows
    # …and one it changes is listed with its new keys.
    window.lock_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
    assert ("Ctrl+Shift+L", "Lock") in [(k, w) for k, w, _ in window_shortcuts(window)]
    window.help_menu.dialog.close()


def test_the_guide_is_offline_and_tells_the_three_things(window):
    dialog = window.help_menu.show(HelpDialog.GUIDE)
    guide = dialog.guide
    assert isinstance(guide, QTextBrowser)
    assert guide.isReadOnly()
    assert not guide.openLinks() and not guide.openExternalLinks()  # no browser, no network
    text = guide.toPlainText()
    for words in ("What to collect", "Print 3 copies", "The copy for the other side", "GPS"):
        assert words in text, words
    for never in ("admissible", "tamper-proof", "court-approved"):
        assert never not in text.lower()
    dialog.close()


def test_about_names_every_version(qtbot, window):
    dialog = window.help_menu.about()
    assert isinstance(dialog, AboutDialog)
    qtbot.waitUntil(dialog.isVisible)
    text = dialog.versions_label.text()
    for version in (
        __version__,
        qVersion(),
        PySide6.__version__,
        sqlcipher_version(),
        platform.python_version(),
        metadata.version("reportlab"),
        metadata.version("pypdf"),
        "Tesseract 5.",
    ):
        assert version in text
    assert "SQLCipher: 4." in text
    dialog.close()


def test_about_shows_the_licence_itself(qtbot, window):
    dialog = window.help_menu.about()
    licence = dialog.show_licence()
    qtbot.waitUntil(licence.isVisible)
    text = licence.text.toPlainText()
    assert "GNU GENERAL PUBLIC LICENSE" in text and "Version 3, 29 June 2007" in text
    licence.close()
    dialog.close()
