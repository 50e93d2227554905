"""Issue #13, the window's part: each as a tester met it, through the real widgets.

A vault is made where there is no Documents folder; the window fits a 1920 × 1080
screen at 200 % (960 × 540); the keyboard is never left nowhere, so Ctrl+S saves or
says why not; the title names no vault unless asked; a second window cannot open a
vault the first one has open.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, QStandardPaths, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from nco_desktop.case.incidents import list_incidents
from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.common.evidence_picker import EvidencePicker
from nco_desktop.ui.shell.main_window import MainWindow
from nco_desktop.ui.shell.preferences_dialog import PreferencesDialog
from nco_desktop.ui.shell.workspace import Workspace
from nco_desktop.ui.start.create_vault_dialog import CreateVaultDialog
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE
from tests.ui.test_main_window import opened, unlock


@pytest.fixture
def make_window(qtbot, demo_path):
    made: list[MainWindow] = []

    def make() -> MainWindow:
        window = MainWindow(AppSettings(), kdf=TEST_KDF, demo_path=demo_path)
        qtbot.addWidget(window)
        window.show()
        window.show_start()
        qtbot.waitExposed(window)
        made.append(window)
        return window

    yield make
    for window in made:
        window.lock()


@pytest.fixture
def window(make_window) -> MainWindow:
    return make_window()


@pytest.fixture
def named_vault(tmp_path) -> Path:
    path = tmp_path / "Protection order against J Roe.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF).close()
    return path


def when_modal(act) -> None:
    """Run *act* on the next modal dialog once it shows (it is closed by *act*)."""

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            act(dialog)
        else:
            QTimer.singleShot(20, look)

    QTimer.singleShot(20, look)


def ctrl_s(window: MainWindow) -> None:
    """Ctrl+S as the keyboard sends it: to the widget with the focus, or to the window
    itself when the focus is nowhere."""
    QTest.keyClick(
        QApplication.focusWidget() or window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )


# ----- 1. a new vault where there is no Documents folder -----------------------------------


def test_a_vault_is_created_in_home_when_there_is_no_documents_folder(qtbot, isolated_home):
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert documents and not Path(documents).exists()  # the tester's computer
    dialog = CreateVaultDialog(kdf=TEST_KDF)
    qtbot.addWidget(dialog)
    assert dialog.vault_path == isolated_home / "My case.ncovault"
    dialog.zone_box.setCurrentText("America/Chicago")
    qtbot.keyClicks(dialog.passphrase_edit, PASSPHRASE)
    qtbot.keyClicks(dialog.repeat_edit, PASSPHRASE)
    dialog.understood_box.setChecked(True)
    dialog.show()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    assert (isolated_home / "My case.ncovault").is_file()
    assert dialog.created_key is not None
    dialog.created_key.wipe()


def test_documents_is_still_suggested_where_it_exists(qtbot):
    documents = Path(
        QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    )
    documents.mkdir(parents=True)
    dialog = CreateVaultDialog(kdf=TEST_KDF)
    qtbot.addWidget(dialog)
    assert dialog.vault_path == documents / "My case.ncovault"


# ----- 2. 1920 × 1080 at 200 % -------------------------------------------------------------


def inside(widget: QWidget, area: QWidget, window: MainWindow) -> bool:
    """Whether *widget* is shown whole inside *area* (a viewport) and the window."""
    top_left = widget.mapTo(window, QPoint(0, 0))
    rect = QRect(top_left, widget.size())
    area_rect = QRect(area.mapTo(window, QPoint(0, 0)), area.size())
    return widget.isVisible() and window.rect().contains(rect) and area_rect.contains(rect)


def test_the_window_fits_960_by_540_with_every_view_and_its_buttons_in_sight(qtbot, window):
    window.open_demo()
    qtbot.waitUntil(lambda: window.vault is not None, timeout=60_000)
    workspace = window.workspace
    for row in range(workspace.nav.count()):  # every view shown once, as a user would
        workspace.nav.setCurrentRow(row)
        qtbot.wait(10)
    workspace.nav.setCurrentRow(Workspace.INCIDENTS)
    workspace.incidents.new_incident()  # its Save in sight too
    window.resize(960, 540)
    qtbot.waitUntil(lambda: window.size().height() == 540)
    for size in (window.minimumSize(), window.minimumSizeHint()):
        assert size.width() <= 960 and size.height() <= 540, size
    assert (window.width(), window.height()) == (960, 540)

    viewport = workspace.pages_scroll.viewport()
    for row in range(workspace.nav.count()):
        workspace.nav.setCurrentRow(row)
        qtbot.wait(20)
        page = workspace.pages.currentWidget()
        assert not workspace.pages_scroll.horizontalScrollBar().isVisible(), page
        assert inside(window.quick_exit_button, window, window)
    workspace.nav.setCurrentRow(Workspace.INCIDENTS)
    qtbot.wait(20)
    assert inside(workspace.incidents.save_button, viewport, window)
    workspace.nav.setCurrentRow(Workspace.BINDER)
    qtbot.wait(20)
    binder = workspace.binder
    for button in (binder.build_button, binder.print_button, binder.save_button):
        assert inside(button, viewport, window), button.text()
    assert binder.recordings_box.width() >= binder.recordings_box.sizeHint().width()
    window.grab().save("/tmp/hB_960.png")


def test_a_view_wider_than_the_window_scrolls_instead_of_being_cut(qtbot, window):
    window.open_demo()
    qtbot.waitUntil(lambda: window.vault is not None, timeout=60_000)
    window.workspace.nav.setCurrentRow(Workspace.EXHIBITS)
    window.resize(700, 440)
    qtbot.waitUntil(lambda: window.width() == 700)
    bar = window.workspace.pages_scroll.horizontalScrollBar()
    qtbot.waitUntil(bar.isVisible)
    page = window.workspace.exhibits
    assert page.width() >= page.minimumSizeHint().width()  # whole, not squeezed


# ----- 3. where the keyboard goes, and Ctrl+S ----------------------------------------------


def test_after_unlocking_the_keyboard_is_on_the_timeline(qtbot, window, named_vault):
    opened(qtbot, window, named_vault)
    timeline = window.workspace.timeline
    assert window.focusWidget() in (timeline.view, timeline.text_field)
    assert QApplication.focusWidget() in (timeline.view, timeline.text_field, None)


def test_ctrl_s_saves_the_incident_after_the_evidence_picker_closed(qtbot, window, named_vault):
    vault = opened(qtbot, window, named_vault)
    window.workspace.nav.setCurrentRow(Workspace.INCIDENTS)
    page = window.workspace.incidents
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.editor.summary_edit, "Waited outside my work")

    def cancel(dialog: QDialog) -> None:
        assert isinstance(dialog, EvidencePicker)
        dialog.reject()

    when_modal(cancel)
    qtbot.mouseClick(page.editor.link_button, Qt.MouseButton.LeftButton)
    # Back in the editor (once the window is active again: that is not instant).
    qtbot.waitUntil(lambda: page.isAncestorOf(QApplication.focusWidget()), timeout=5_000)
    ctrl_s(window)
    assert [i.summary for i in list_incidents(vault.conn)] == ["Waited outside my work"]
    assert page.status.text() == "Saved."


def test_ctrl_s_with_the_focus_nowhere_still_saves_the_open_incident(qtbot, window, named_vault):
    vault = opened(qtbot, window, named_vault)
    window.workspace.nav.setCurrentRow(Workspace.INCIDENTS)
    page = window.workspace.incidents
    page.new_incident()
    page.editor.summary_edit.setText("Followed me home")
    focused = QApplication.focusWidget()
    if focused is not None:
        focused.clearFocus()
    window.setFocus()  # the window itself: where a key goes when no widget has it
    ctrl_s(window)
    assert [i.summary for i in list_incidents(vault.conn)] == ["Followed me home"]


def test_ctrl_s_with_nothing_to_save_says_why(qtbot, window, named_vault):
    opened(qtbot, window, named_vault)
    workspace = window.workspace
    workspace.nav.setCurrentRow(Workspace.INCIDENTS)
    workspace.incidents.list.setFocus()
    ctrl_s(window)
    assert "Open an incident" in window.statusBar().currentMessage()
    workspace.nav.setCurrentRow(Workspace.PATTERNS)
    workspace.nav.setFocus()
    ctrl_s(window)
    assert "Nothing to save here" in window.statusBar().currentMessage()


# ----- 4. a neutral title ------------------------------------------------------------------


def every_status_text(window: MainWindow) -> str:
    from PySide6.QtWidgets import QLabel

    labels = window.statusBar().findChildren(QLabel)
    return " ".join([window.statusBar().currentMessage(), *(label.text() for label in labels)])


def test_the_title_and_status_bar_name_no_vault_unless_asked(qtbot, window, named_vault):
    opened(qtbot, window, named_vault)
    assert window.windowTitle() == "NCO Desktop"
    assert window.windowHandle().title() == "NCO Desktop"  # what the task switcher reads
    assert "Roe" not in every_status_text(window)

    def tick_and_save(dialog: QDialog) -> None:
        assert isinstance(dialog, PreferencesDialog)
        assert not dialog.title_box.isChecked()  # off by default
        qtbot.mouseClick(dialog.title_box, Qt.MouseButton.LeftButton)
        dialog.accept()

    when_modal(tick_and_save)
    window.preferences_action.trigger()
    assert window.settings.show_vault_name
    assert window.windowTitle() == "Protection order against J Roe — NCO Desktop"
    assert "Roe" in every_status_text(window)
    window.lock()
    assert window.windowTitle() == "NCO Desktop"
    assert "Roe" not in every_status_text(window)


def test_the_locked_screen_names_no_vault_unless_asked(qtbot, window, named_vault):
    """Someone passing by a locked window learns nothing; the name is in the tooltip."""
    opened(qtbot, window, named_vault)
    window.lock()
    label = window.unlock_screen.path_label
    assert "Roe" not in label.text() and label.text() == "Your vault is locked."
    assert "Roe" in label.toolTip()
    window.settings.show_vault_name = True
    window.unlock_screen.set_vault_path(named_vault)
    assert "Roe" in label.text()


# ----- 5. one window per vault -------------------------------------------------------------


def test_a_second_window_cannot_open_a_vault_already_open(qtbot, make_window, named_vault):
    first, second = make_window(), make_window()
    opened(qtbot, first, named_vault)
    unlock(qtbot, second, named_vault)
    error = second.unlock_screen.error_label
    qtbot.waitUntil(error.isVisible, timeout=5_000)
    assert error.text() == "This vault is open in another window. Lock or close it there first."
    assert second.vault is None and second.stack.currentIndex() == MainWindow.UNLOCK

    # Past the first look (both asked at the same moment): the vault is given back.
    other = Vault.open(named_vault, PASSPHRASE)
    second._vault_opened(other)
    assert not other.is_open and second.vault is None
    assert "another window" in second.unlock_screen.error_label.text()

    first.lock()  # let go: now the second window may have it
    second.unlock_screen.passphrase_edit.setText("")
    opened(qtbot, second, named_vault)
