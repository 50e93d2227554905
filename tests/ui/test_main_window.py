"""The main window: start, create, open, wrong passphrase, import by drop, lock, quick exit."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QGuiApplication, QImage
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMessageBox, QToolButton

from nco_desktop.demo.case import DEMO_PASSPHRASE
from nco_desktop.importers.batch import Outcome
from nco_desktop.timeline.query import count_entries
from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.exhibits.exhibit_models import LINES_ROLE
from nco_desktop.ui.shell.main_window import MainWindow
from nco_desktop.ui.shell.workspace import NavigationList
from nco_desktop.ui.start.create_vault_dialog import CreateVaultDialog, passphrase_strength
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE, write_file

UNKNOWN_BYTES = bytes(range(256)) * 4


class FakeClock:
    """The wall clock the idle lock reads: moved by the test, not by a busy machine."""

    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def window(qtbot, demo_path, clock):
    w = MainWindow(AppSettings(), kdf=TEST_KDF, demo_path=demo_path, clock=clock)
    qtbot.addWidget(w)
    w.show()
    w.show_start()
    qtbot.waitExposed(w)
    yield w
    w.lock()


@pytest.fixture
def saved_vault(tmp_path) -> Path:
    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF).close()
    return path


def unlock(qtbot, window: MainWindow, path: Path, passphrase: str = PASSPHRASE) -> None:
    window.ask_to_unlock(path)
    assert window.stack.currentIndex() == MainWindow.UNLOCK
    qtbot.keyClicks(window.unlock_screen.passphrase_edit, passphrase)
    qtbot.mouseClick(window.unlock_screen.unlock_button, Qt.MouseButton.LeftButton)


def opened(qtbot, window: MainWindow, path: Path) -> Vault:
    unlock(qtbot, window, path)
    qtbot.waitUntil(lambda: window.vault is not None, timeout=10_000)
    assert window.stack.currentIndex() == MainWindow.WORKSPACE
    assert window.vault is not None
    return window.vault


def drop(window: MainWindow, mime: QMimeData) -> tuple[bool, bool]:
    """A real drag-enter and drop on the window (Dangerzone's pattern)."""
    point = window.rect().center()
    enter = QDragEnterEvent(
        point,
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter.setAccepted(False)
    window.dragEnterEvent(enter)
    if not enter.isAccepted():
        return False, False  # Qt delivers no drop where the enter was refused
    event = QDropEvent(
        QPointF(point),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    event.setAccepted(False)
    window.dropEvent(event)
    return enter.isAccepted(), event.isAccepted()


def urls(*paths: Path | str) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl(p) if isinstance(p, str) else QUrl.fromLocalFile(str(p)) for p in paths])
    return mime


def tool_shown(window: MainWindow, action) -> bool:
    """Whether the toolbar shows a button for *action*."""
    buttons = [b for b in window.toolbar.findChildren(QToolButton) if b.defaultAction() is action]
    assert len(buttons) == 1
    return buttons[0].isVisible()


def test_start_screen_offers_three_plain_choices_and_the_demo_passphrase(window):
    assert window.stack.currentIndex() == MainWindow.START
    texts = " ".join(label.text() for label in window.start_screen.findChildren(QLabel))
    for words in ("Create a vault", "Open a vault", "Try the demo case", DEMO_PASSPHRASE):
        assert words in texts
    assert not tool_shown(window, window.import_action)  # nothing to import into yet
    assert window.quick_exit_button.isVisible()  # a way out on every screen
    assert not window.start_screen.recent_list.isVisible()  # remembering is opt-in


def test_create_dialog_needs_matching_passphrases_and_the_warning_ticked(qtbot, tmp_path):
    dialog = CreateVaultDialog(kdf=TEST_KDF)
    qtbot.addWidget(dialog)
    dialog._set_path(tmp_path / "mine")
    assert dialog.vault_path == tmp_path / "mine.ncovault"
    dialog.title_edit.setText("Doe v. Roe")
    dialog.zone_box.setCurrentText("America/Chicago")
    assert not dialog.create_button.isEnabled()
    dialog.passphrase_edit.setText("short")
    assert "12 characters" in dialog.strength_label.text()
    dialog.passphrase_edit.setText(PASSPHRASE)
    dialog.repeat_edit.setText(PASSPHRASE + "x")
    assert "not the same" in dialog.strength_label.text()
    dialog.repeat_edit.setText(PASSPHRASE)
    assert not dialog.create_button.isEnabled()  # the no-recovery warning is not ticked yet
    dialog.understood_box.setChecked(True)
    assert dialog.create_button.isEnabled()
    dialog.show()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.result() == QDialog.DialogCode.Accepted, timeout=10_000)
    assert dialog.passphrase_edit.text() == ""  # not left in the widget
    with Vault.open_with_key(dialog.created_key) as vault:
        assert vault.time_zone_name == "America/Chicago"
        assert vault.case_details["title"] == "Doe v. Roe"


def test_passphrase_strength_is_a_hint_with_four_levels():
    assert passphrase_strength("") == 0
    assert passphrase_strength("abcdefghijkl") == 1
    assert passphrase_strength("three word phrase") == 2
    assert passphrase_strength(PASSPHRASE) == 3


def test_wrong_passphrase_says_so_and_the_right_one_opens(qtbot, window, saved_vault):
    unlock(qtbot, window, saved_vault, "definitely not it")
    error = window.unlock_screen.error_label
    qtbot.waitUntil(lambda: error.isVisible(), timeout=10_000)
    assert "does not open this vault" in error.text()
    assert window.vault is None
    window.unlock_screen.passphrase_edit.clear()
    vault = opened(qtbot, window, saved_vault)
    assert window.lock_label.text() == "Unlocked"
    assert window.vault_label.text() == ""  # the vault is not named unless asked (Settings)
    assert vault.time_zone_name == "America/Chicago"


def test_drop_of_files_and_a_folder_imports_them_and_shows_a_summary(
    qtbot, window, saved_vault, tmp_path
):
    vault = opened(qtbot, window, saved_vault)
    one = write_file(tmp_path / "drop" / "note.bin", UNKNOWN_BYTES)
    folder = tmp_path / "drop" / "phone"
    write_file(folder / "a.bin", UNKNOWN_BYTES[1:])
    write_file(folder / "deeper" / "b.bin", UNKNOWN_BYTES[2:])
    write_file(folder / "empty.txt", b"")
    with qtbot.waitSignal(window.imports.import_finished, timeout=30_000) as finished:
        assert drop(window, urls(one, folder)) == (True, True)
    summary = finished.args[0]
    assert summary.count(Outcome.IMPORTED) == 3
    assert summary.count(Outcome.FAILED) == 1
    dialog = window.imports.summary_dialog
    assert dialog is not None and dialog.isVisible()
    assert "could not be imported" in dialog.headline.text()
    assert dialog.problem_list.count() == 1
    assert "empty.txt" in dialog.problem_list.item(0).text()
    assert "empty" in dialog.problem_list.item(0).text().split("\n", 1)[1]
    assert count_entries(vault.conn) == 3
    qtbot.waitUntil(lambda: "3 entries" in window.count_label.text())
    dialog.accept()


def test_text_only_and_web_drops_are_refused_and_mixed_drops_import_the_files(
    qtbot, window, saved_vault, tmp_path
):
    vault = opened(qtbot, window, saved_vault)
    text = QMimeData()
    text.setText("just some words")
    assert drop(window, text) == (False, False)
    assert drop(window, urls("https://example.com/a.png")) == (False, False)
    local = write_file(tmp_path / "x.bin", UNKNOWN_BYTES)
    window.imports.show_summary = False
    with qtbot.waitSignal(window.imports.import_finished, timeout=30_000):
        assert drop(window, urls("https://example.com/a.png", local)) == (True, True)
    assert "web links were left out" in window.statusBar().currentMessage()
    assert count_entries(vault.conn) == 1


def test_drop_on_a_locked_window_is_refused(window, tmp_path):
    local = write_file(tmp_path / "x.bin", UNKNOWN_BYTES)
    accepted_enter, _ = drop(window, urls(local))
    assert not accepted_enter


def test_stop_mid_import_keeps_what_was_done_and_accounts_for_every_file(
    qtbot, window, saved_vault, tmp_path, monkeypatch
):
    """The real import, held after its second file until the test has pressed Esc."""
    from nco_desktop.ui.importing import import_controller

    gate = threading.Event()
    real_import = import_controller.import_paths

    def held_import(vault, paths, *, progress, cancel, on_result, **more):
        def progress_then_wait(done, total, label):
            progress(done, total, label)
            if done >= 2:
                gate.wait(30)

        return real_import(
            vault, paths, progress=progress_then_wait, cancel=cancel, on_result=on_result, **more
        )

    monkeypatch.setattr(import_controller, "import_paths", held_import)
    vault = opened(qtbot, window, saved_vault)
    for i in range(40):
        write_file(tmp_path / "many" / f"{i:02}.bin", UNKNOWN_BYTES[i:] + bytes([i]))
    window.imports.show_summary = False
    assert window.import_paths([tmp_path / "many"])
    dialog = window.imports._dialog
    assert dialog is not None
    qtbot.waitUntil(lambda: dialog.files.count() >= 2, timeout=30_000)
    qtbot.waitUntil(dialog.isVisible, timeout=5_000)  # shown once it took longer than 0.5 s
    assert "Importing file" in dialog.headline.text()
    with qtbot.waitSignal(window.imports.import_finished, timeout=30_000) as finished:
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # Esc means stop
        assert dialog.headline.text() == "Stopping…"
        gate.set()
    summary = finished.args[0]
    assert summary.cancelled
    assert len(summary.results) == 40
    done = summary.count(Outcome.IMPORTED)
    assert 2 <= done < 40
    assert summary.count(Outcome.SKIPPED) == 40 - done
    assert count_entries(vault.conn) == done


def test_lock_closes_dialogs_clears_views_and_our_clipboard(qtbot, window, saved_vault):
    opened(qtbot, window, saved_vault)
    box = QMessageBox(QMessageBox.Icon.Information, "x", "an open dialog", parent=window)
    box.show()
    window.activateWindow()
    QGuiApplication.clipboard().setText("copied from the vault")
    window._clipboard_ours = True  # offscreen has no active window to tell us
    with qtbot.waitSignal(window.locked):
        window.lock_action.trigger()  # what auto-lock does while a modal dialog is up
    assert window.vault is None
    assert not box.isVisible()
    assert QGuiApplication.clipboard().text() == ""
    assert window.stack.currentIndex() == MainWindow.UNLOCK
    assert window.lock_label.text() == "Locked"
    assert window.workspace.timeline.selected_entry_id() is None
    assert not tool_shown(window, window.lock_action)
    assert window.quick_exit_button.isVisible()
    opened(qtbot, window, saved_vault)  # and it opens again
    with qtbot.waitSignal(window.locked):
        qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)


def test_auto_lock_after_idle(qtbot, window, saved_vault, clock):
    opened(qtbot, window, saved_vault)
    window.guard.set_idle_ms(150)
    window.guard.check_idle()  # the clock has not moved: nothing happens
    assert window.vault is not None
    clock.advance(0.2)
    with qtbot.waitSignal(window.locked, timeout=5_000):
        pass  # the guard's own timer fires, reads the clock and locks
    assert window.vault is None


def test_activity_postpones_auto_lock(qtbot, window, saved_vault, clock):
    opened(qtbot, window, saved_vault)
    window.guard.set_idle_ms(400)
    for _ in range(4):
        clock.advance(0.3)  # 1.2 s in all, but never 0.4 s without a key
        qtbot.keyClick(window.windowHandle(), Qt.Key.Key_Shift)
        window.guard.check_idle()
        assert window.vault is not None
    clock.advance(0.39)
    window.guard.check_idle()
    assert window.vault is not None
    with qtbot.waitSignal(window.locked):
        clock.advance(0.02)
        window.guard.check_idle()


def test_escape_twice_hides_and_locks_at_once(qtbot, window, saved_vault):
    opened(qtbot, window, saved_vault)
    with qtbot.waitSignal(window.quick_exited):
        qtbot.keyClick(window.windowHandle(), Qt.Key.Key_Escape)
        assert window.isVisible()  # one Esc is not enough
        qtbot.keyClick(window.windowHandle(), Qt.Key.Key_Escape)
    assert not window.isVisible()
    assert window.vault is None


def test_quick_exit_button_is_obvious_and_named(qtbot, window, saved_vault):
    opened(qtbot, window, saved_vault)
    button = window.quick_exit_button
    assert button.isVisible() and button.text() == "Quick exit"
    assert button.accessibleName()
    with qtbot.waitSignal(window.quick_exited):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not window.isVisible() and window.vault is None


def test_paste_picture_becomes_a_screenshot_entry(qtbot, window, saved_vault):
    vault = opened(qtbot, window, saved_vault)
    image = QImage(300, 500, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.darkCyan)
    QGuiApplication.clipboard().setImage(image)
    window.paste_action.trigger()
    qtbot.waitUntil(lambda: count_entries(vault.conn) == 1, timeout=10_000)
    qtbot.waitUntil(lambda: "clipboard" in window.statusBar().currentMessage(), timeout=5_000)
    window.paste_action.trigger()  # the same picture again is not stored twice
    qtbot.waitUntil(lambda: "already" in window.statusBar().currentMessage(), timeout=10_000)
    assert count_entries(vault.conn) == 1
    QGuiApplication.clipboard().setText("words only")
    window.paste_action.trigger()
    assert "no picture" in window.statusBar().currentMessage()


def test_file_dialogs_leave_no_history(qtbot, tmp_path, isolated_home):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QFileDialog, QLineEdit

    from nco_desktop.ui.common import prompts

    evidence = write_file(tmp_path / "secret-folder" / "photo-of-him.jpg", b"x")

    def accept_when_shown():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QFileDialog) and widget.isVisible():
                widget.setDirectory(str(evidence.parent))
                widget.findChild(QLineEdit, "fileNameEdit").setText(evidence.name)
                widget.accept()
                return
        QTimer.singleShot(20, accept_when_shown)

    QTimer.singleShot(20, accept_when_shown)
    chosen = prompts.choose_import_files(None)
    assert chosen == [evidence]
    written = "\n".join(
        p.read_text(errors="replace") for p in isolated_home.rglob("*") if p.is_file()
    )
    assert "secret-folder" not in written  # Qt itself would write history= and lastVisited=
    assert "photo-of-him" not in written


def test_remembered_vaults_only_after_opting_in(qtbot, window, saved_vault):
    settings = window.settings
    opened(qtbot, window, saved_vault)
    assert settings.recent_vaults() == []
    window.close_vault()
    window.start_screen.remember_box.setChecked(True)
    opened(qtbot, window, saved_vault)
    assert settings.recent_vaults() == [saved_vault]
    window.close_vault()
    assert window.start_screen.recent_list.count() == 1
    window.start_screen.remember_box.setChecked(False)
    assert settings.recent_vaults() == []
    assert str(saved_vault) not in settings.file_path().read_text()


def test_idle_lock_time_is_a_setting_that_applies_at_once(qtbot, window, saved_vault):
    from PySide6.QtCore import QTimer

    from nco_desktop.ui.shell.preferences_dialog import PreferencesDialog

    opened(qtbot, window, saved_vault)
    assert window.guard.idle_ms == 5 * 60_000  # the default

    def answer_when_shown():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, PreferencesDialog) and widget.isVisible():
                widget.idle_box.setValue(12)
                widget.accept()
                return
        QTimer.singleShot(20, answer_when_shown)

    QTimer.singleShot(20, answer_when_shown)
    window.preferences_action.trigger()
    assert window.guard.idle_ms == 12 * 60_000
    assert AppSettings().idle_lock_minutes == 12  # saved, so the next start uses it


def test_idle_time_counts_while_the_computer_slept(qtbot, window, saved_vault, clock):
    """Qt's timers pause in suspend; waking after the idle time locks at the next check."""
    opened(qtbot, window, saved_vault)
    clock.advance(6 * 60 * 60)  # the lid was closed for 6 hours; no Qt timer ran
    with qtbot.waitSignal(window.locked):
        window.guard.check_idle()  # what the slow wall-clock check does on waking
    assert window.vault is None


def test_no_key_or_passphrase_object_outlives_a_lock(qtbot, window, saved_vault, tmp_path):
    import gc

    from nco_desktop.vault import VaultClosed, VaultKey

    vault = opened(qtbot, window, saved_vault)
    window.imports.show_summary = False
    with qtbot.waitSignal(window.imports.import_finished, timeout=30_000):
        window.import_paths([write_file(tmp_path / "a.bin", UNKNOWN_BYTES)])
    image = QImage(40, 40, QImage.Format.Format_RGB32)
    image.fill(Qt.GlobalColor.red)
    QGuiApplication.clipboard().setImage(image)
    window.paste_action.trigger()
    window.lock()  # at once: the paste may still be running, and lock waits for it
    assert window.session.running_jobs == 0
    assert not vault.is_open
    with pytest.raises(VaultClosed):
        vault.conn.execute("SELECT 1")
    qtbot.wait(50)  # let deferred deletions run
    QApplication.sendPostedEvents(None, 0)
    gc.collect()
    assert not [o for o in gc.get_objects() if isinstance(o, VaultKey)]
    assert window.imports.last_summary is None


def test_cancelling_new_vault_keeps_the_open_one(qtbot, window, saved_vault):
    from PySide6.QtCore import QTimer

    opened(qtbot, window, saved_vault)

    def cancel_when_shown():
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, CreateVaultDialog) and widget.isVisible():
                widget.reject()
                return
        QTimer.singleShot(20, cancel_when_shown)

    QTimer.singleShot(20, cancel_when_shown)
    window.new_action.trigger()
    assert window.vault is not None
    assert window.stack.currentIndex() == MainWindow.WORKSPACE


def test_errors_are_explained_without_internal_text():
    from nco_desktop.ui.common.prompts import explain
    from nco_desktop.vault import WrongPassphrase

    assert explain(WrongPassphrase("That passphrase does not open this vault.")).startswith("That")
    assert explain(ValueError("The clipboard picture could not be read.")).startswith("The")
    gone = FileNotFoundError(2, "No such file or directory", "/home/x/secret/case.ncovault")
    assert explain(gone) == "No such file or directory (case.ncovault)"
    internal = explain(KeyError("text quoted from a message"))
    assert "quoted" not in internal and "KeyError" in internal


def test_demo_opens_with_a_hearing_banner_and_flagged_contacts(qtbot, window):
    from nco_desktop.ui.timeline.timeline_model import TimelineModel

    window.open_demo()  # made at first use (here with the fast test KDF)
    qtbot.waitUntil(lambda: window.vault is not None, timeout=60_000)
    assert window.is_demo and window.vault_label.text() == "Demo case"
    banner = window.workspace.banner
    assert banner.isVisible()
    assert "Hearing in 6 days" in banner.text.text()
    assert "possible violations" in banner.text.text()
    model = window.workspace.timeline.model
    flagged = [
        row
        for row in range(model.rowCount())
        if model.index(row, TimelineModel.PARTY).data(TimelineModel.ViolationRole)
    ]
    assert len(flagged) >= 10
    tip = model.index(flagged[0], TimelineModel.PARTY).data(Qt.ItemDataRole.ToolTipRole)
    assert "Possible order violation" in tip
    window.lock()
    assert not banner.isVisible() and banner.text.text() == ""


def test_exhibits_and_binder_views_work_from_the_window_and_follow_each_other(qtbot, window):
    window.open_demo()
    qtbot.waitUntil(lambda: window.vault is not None, timeout=60_000)
    exhibits, binder = window.workspace.exhibits, window.workspace.binder
    window.workspace.nav.setCurrentRow(window.workspace.EXHIBITS)
    assert window.workspace.pages.currentWidget() is exhibits
    exhibits.suggest_exhibits()
    model = exhibits.column.exhibit_model
    assert model.rowCount() >= 5
    assert "exhibits chosen" in binder.exhibits_note.text()  # the binder heard of it

    window.workspace.nav.setCurrentRow(window.workspace.BINDER)
    assert window.workspace.pages.currentWidget() is binder
    assert binder.build()
    qtbot.waitUntil(lambda: not binder.busy, timeout=120_000)
    assert binder.built is not None and binder.built.exhibits == model.rowCount()
    assert not binder.stale_box.isVisibleTo(binder)

    # A prefix typed on the Binder view relabels the Exhibits view when it is next
    # shown (a hidden view reads nothing), and a reorder there tells the Binder view,
    # when it is shown again, that its preview is out of date.
    binder.options_form.prefix.setText("Resp. Ex.")
    binder.options_form.prefix.editingFinished.emit()
    assert model.index(0, 0).data(LINES_ROLE)[0] == "Pet. Ex. 1"  # hidden: not read yet
    window.workspace.nav.setCurrentRow(window.workspace.EXHIBITS)
    first = model.index(0, 0).data(LINES_ROLE)[0]
    assert first == "Resp. Ex. 1", first
    exhibits.open_exhibit(model.ids()[0])
    exhibits.move_exhibit(+1)
    window.workspace.nav.setCurrentRow(window.workspace.BINDER)
    assert binder.stale_box.isVisibleTo(binder)

    # Locking in the middle of a build waits for its worker and forgets the binder.
    window.workspace.nav.setCurrentRow(window.workspace.BINDER)
    assert binder.build() and binder.busy
    window.lock()
    assert not binder.busy and binder.built is None and binder.preview.data() is None
    assert model.rowCount() == 0


def test_an_entry_dragged_from_the_timeline_opens_exhibits_on_the_way_and_goes_in(qtbot, window):
    from PySide6.QtGui import QDragMoveEvent

    from nco_desktop.binder.exhibits import exhibit_entry_ids
    from nco_desktop.ui.common.entry_mime import ENTRY_IDS_MIME

    window.open_demo()
    qtbot.waitUntil(lambda: window.vault is not None, timeout=60_000)
    workspace = window.workspace
    model = workspace.timeline.model
    row = next(r for r in range(model.rowCount()) if model.entry_id(r) is not None)
    entry_id = model.entry_id(row)
    data = model.mimeData([model.index(row, 0)])
    assert data.formats() == [ENTRY_IDS_MIME]
    workspace.nav.setCurrentRow(workspace.EXHIBITS)
    workspace.exhibits.new_exhibit()
    exhibit_id = workspace.exhibits.current_exhibit_id()
    workspace.nav.setCurrentRow(workspace.TIMELINE)

    nav = workspace.nav
    actions, button = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    keys = Qt.KeyboardModifier.NoModifier
    over_people = QPointF(nav.visualItemRect(nav.item(workspace.PEOPLE)).center())
    over_exhibits = QPointF(nav.visualItemRect(nav.item(workspace.EXHIBITS)).center())
    enter = QDragEnterEvent(over_people, actions, data, button, keys)
    QApplication.sendEvent(nav.viewport(), enter)
    assert enter.isAccepted()
    qtbot.wait(NavigationList.HOVER_MS + 200)
    assert nav.currentRow() == workspace.TIMELINE  # People & orders take no entries
    move = QDragMoveEvent(over_exhibits, actions, data, button, keys)
    QApplication.sendEvent(nav.viewport(), move)
    assert not move.isAccepted()  # the list itself takes no drop
    qtbot.waitUntil(lambda: nav.currentRow() == workspace.EXHIBITS, timeout=3_000)
    assert workspace.pages.currentWidget() is workspace.exhibits

    items = workspace.exhibits.editor.item_list
    at = QPointF(20, 20)
    QApplication.sendEvent(items.viewport(), QDragEnterEvent(at, actions, data, button, keys))
    QApplication.sendEvent(items.viewport(), QDragMoveEvent(at, actions, data, button, keys))
    drop = QDropEvent(at, actions, data, button, keys)
    QApplication.sendEvent(items.viewport(), drop)
    assert drop.isAccepted()
    assert exhibit_entry_ids(window.vault.conn, exhibit_id) == [entry_id]

    text = QMimeData()
    text.setText("words from a message")
    refused = QDragEnterEvent(over_exhibits, actions, text, button, keys)
    QApplication.sendEvent(nav.viewport(), refused)
    assert not refused.isAccepted()


def test_dialogs_opened_inside_qt_are_qts_own_too(qapp):
    # The print dialog's "Print to file" chooser is opened by Qt, not by prompts: the
    # application-wide attribute keeps it from a desktop's native chooser and its
    # recent-files list.
    assert qapp.testAttribute(Qt.ApplicationAttribute.AA_DontUseNativeDialogs)


def test_an_unanswered_question_fails_a_test_instead_of_waiting():
    from nco_desktop.ui.common import prompts

    with pytest.raises(prompts.UnansweredPrompt, match="Replace your exhibits"):
        prompts.confirm(None, "Replace your exhibits?", "…", yes="Replace", no="Keep")
    prompts.answer_next(False)
    assert prompts.confirm(None, "Replace your exhibits?", "…", yes="Replace", no="Keep") is False


def test_unlocking_removes_what_a_killed_save_left_in_the_clear(qtbot, window, saved_vault):
    """A save killed mid-write leaves a partial binder; the window's next unlock removes
    it (as every CLI command does), and leaves everything else in the folder alone."""
    from nco_desktop.binder.output import partial_path, remember_export_folders

    folder = saved_vault.parent / "court papers"
    folder.mkdir()
    with Vault.open(saved_vault, PASSPHRASE) as vault:
        remember_export_folders(vault, [folder])
    leftover = partial_path(folder / "Exhibits.pdf")
    leftover.write_bytes(b"%PDF-1.7 half a binder, in the clear")
    kept = folder / "notes.pdf.partial-1234abcd"  # not ours
    kept.write_bytes(b"someone else's")
    vault = opened(qtbot, window, saved_vault)
    assert not leftover.exists()
    assert kept.read_bytes() == b"someone else's"
    (action,) = vault.conn.execute(
        "SELECT action FROM audit_log WHERE action = 'exports.partial_removed'"
    ).fetchone()
    assert action == "exports.partial_removed"


def test_an_older_copy_is_named_and_used_only_if_chosen(qtbot, window, saved_vault, tmp_path):
    """Issue #16: a vault put back by an older copy is named on unlocking and used only
    if the user chooses to; Enter closes it."""
    import shutil

    from nco_desktop.importers.batch import import_paths
    from nco_desktop.ui.common import prompts
    from tests.support.factories import sms_xml

    unlock(qtbot, window, saved_vault)
    qtbot.waitUntil(lambda: window.stack.currentIndex() == MainWindow.WORKSPACE)
    window.lock()  # seen: the history as it is now
    shutil.copyfile(saved_vault, tmp_path / "old.ncovault")
    with Vault.open(saved_vault, PASSPHRASE) as vault:  # used again, elsewhere
        write_file(tmp_path / "in" / "sms.xml", sms_xml(4))
        import_paths(vault, [tmp_path / "in"], thumbnails=False)
    unlock(qtbot, window, saved_vault)
    qtbot.waitUntil(lambda: window.stack.currentIndex() == MainWindow.WORKSPACE)
    window.lock()
    shutil.copyfile(tmp_path / "old.ncovault", saved_vault)  # the older copy put back
    prompts.answer_next(False)  # "Close it"
    unlock(qtbot, window, saved_vault)
    qtbot.waitUntil(lambda: bool(prompts.asked))
    asked = prompts.asked[-1]
    assert "older than the last time" in asked.text and asked.default == "Close it"
    assert window.stack.currentIndex() == MainWindow.UNLOCK and window.vault is None
    prompts.answer_next(True)  # "Use it as it is"
    unlock(qtbot, window, saved_vault)
    qtbot.waitUntil(lambda: window.stack.currentIndex() == MainWindow.WORKSPACE)
    window.lock()
    asked_before = len(prompts.asked)
    unlock(qtbot, window, saved_vault)  # accepted: not asked again
    qtbot.waitUntil(lambda: window.stack.currentIndex() == MainWindow.WORKSPACE)
    assert len(prompts.asked) == asked_before
