"""A neutral presence: "Notes" in titles, the taskbar and the task switcher (#17)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.common.presence_look import apply_presence
from nco_desktop.ui.shell.main_window import MainWindow
from nco_desktop.ui.shell.preferences_dialog import PreferencesDialog
from nco_desktop.vault import TEST_KDF


@pytest.fixture
def window(qtbot, demo_path):
    w = MainWindow(AppSettings(), kdf=TEST_KDF, demo_path=demo_path)
    qtbot.addWidget(w)
    w.show()
    w.show_start()
    qtbot.waitExposed(w)
    yield w
    w.lock()
    # The application object outlives this test: the next one must see the usual name.
    AppSettings().neutral_presence = False
    apply_presence(QApplication.instance(), False)
    assert QApplication.applicationDisplayName() == "NCO Desktop"


def test_the_first_screen_offers_a_neutral_name_and_it_applies_at_once(window):
    box = window.start_screen.neutral_box
    assert not box.isChecked() and window.windowTitle() == "NCO Desktop"
    assert "Notes" in box.text()
    box.setChecked(True)
    assert window.windowTitle() == "Notes"
    assert QApplication.applicationDisplayName() == "Notes"
    assert AppSettings().neutral_presence  # kept for the next start
    box.setChecked(False)
    assert window.windowTitle() == "NCO Desktop" and not AppSettings().neutral_presence


def test_settings_can_turn_it_on_later(qtbot, window):
    dialog = PreferencesDialog(window.settings, window)
    qtbot.addWidget(dialog)
    dialog.neutral_box.setChecked(True)
    dialog.accept()
    assert QApplication.applicationDisplayName() == "Notes"


def test_a_neutral_build_starts_neutral(tmp_path, monkeypatch):
    resources = tmp_path / "resources"
    resources.mkdir()
    (resources / "presence").write_text("neutral\n")
    monkeypatch.setenv("NCO_RESOURCES", str(resources))
    assert AppSettings().neutral_presence
    AppSettings().neutral_presence = False  # the user's choice wins over the build's
    assert not AppSettings().neutral_presence


def test_portable_mode_writes_settings_beside_the_program_only(tmp_path, monkeypatch):
    monkeypatch.setenv("NCO_SETTINGS_DIR", str(tmp_path / "usb" / "settings"))
    settings = AppSettings()
    settings.idle_lock_minutes = 7
    assert settings.file_path().parent == tmp_path / "usb" / "settings"
    assert settings.file_path().is_file()
    assert AppSettings().idle_lock_minutes == 7
