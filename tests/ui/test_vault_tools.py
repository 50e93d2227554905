"""File ▸ Back up, Change passphrase and Verify, through the real window and dialogs.

Each runs the same service as the command line on a real vault file while the window
holds the vault's open lock; the results are read back from the files themselves.
"""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog

from nco_desktop.importers.batch import import_paths
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.shell.main_window import MainWindow
from nco_desktop.ui.shell.passphrase_dialog import ChangePassphraseDialog
from nco_desktop.ui.shell.vault_tools import backup_refusal
from nco_desktop.ui.shell.verify_words import describe_report
from nco_desktop.vault import NO_RECOVERY_WARNING, TEST_KDF, Vault
from nco_desktop.vault.errors import WrongPassphrase
from nco_desktop.vault.open_lock import is_open_elsewhere
from nco_desktop.verification import VerifyReport
from tests.conftest import PASSPHRASE, write_file
from tests.ui.test_main_window import opened

NEW_PASSPHRASE = "violet lantern seven harbours"


@pytest.fixture
def window(qtbot, demo_path):
    w = MainWindow(AppSettings(), kdf=TEST_KDF, demo_path=demo_path)
    qtbot.addWidget(w)
    w.show()
    w.show_start()
    qtbot.waitExposed(w)
    yield w
    w.lock()


@pytest.fixture
def case_path(tmp_path) -> Path:
    """A vault with two imported files, closed (the window opens it)."""
    path = tmp_path / "case.ncovault"
    with Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF) as vault:
        folder = tmp_path / "evidence"
        write_file(folder / "first.txt", "he called again at 2 am\n")
        write_file(folder / "second.txt", "a note left on the car\n")
        assert import_paths(vault, [folder]).all_ok
    return path


def audit_actions(path: Path, passphrase: str) -> list[str]:
    with Vault.open(path, passphrase) as vault:
        return [row[0] for row in vault.conn.execute("SELECT action FROM audit_log ORDER BY seq")]


def asked_kinds() -> list[str]:
    return [asked.kind for asked in prompts.asked]


def when_dialog_shows(act: Callable[[QDialog], None]) -> list[bool]:
    """Run *act* on the next modal dialog once it is on screen; the list says it ran."""
    ran: list[bool] = []
    tries = [250]

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog) or not dialog.isVisible():
            tries[0] -= 1
            if tries[0] > 0:
                QTimer.singleShot(20, look)
            return
        act(dialog)
        ran.append(True)

    QTimer.singleShot(20, look)
    return ran


# ----- backup ---------------------------------------------------------------------------


def test_backup_says_first_it_is_encrypted_then_writes_an_owner_only_copy(
    qtbot, window, case_path, tmp_path
):
    opened(qtbot, window, case_path)
    assert window.tools.backup_action.isEnabled()
    dest = tmp_path / "usb" / "backup.ncovault"
    dest.parent.mkdir()
    # The explanation, where to save, the passphrase (the copy's own key), the result.
    prompts.answer_next(True, dest, PASSPHRASE, None)
    window.tools.backup_action.trigger()
    qtbot.waitUntil(lambda: "inform" in asked_kinds(), timeout=20_000)
    explained, chosen, typed, result = prompts.asked
    assert (explained.kind, chosen.kind) == ("confirm", "save-backup")  # said before asking
    assert typed.kind == "passphrase"
    assert "encrypted with the same passphrase" in explained.text
    assert chosen.text.startswith("case backup ")  # a suggested name beside the vault's
    assert "same passphrase" in result.text
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600  # only the owner can read it
    assert not [p for p in dest.parent.iterdir() if p != dest]  # no partial left
    with Vault.open(dest, PASSPHRASE) as backup:  # opens with the same passphrase
        count = backup.conn.execute("SELECT count(*) FROM originals").fetchone()[0]
    assert count == 2
    assert window.vault is not None  # the window goes on with the vault open
    assert "vault.backed_up" in [
        row[0] for row in window.vault.conn.execute("SELECT action FROM audit_log")
    ]
    assert is_open_elsewhere(case_path)  # the window kept its open lock throughout
    assert window.tools.backup_action.isEnabled()  # ready for another one
    assert window.tools._progress is None  # the status bar's progress is gone


def test_backup_refuses_the_open_vault_itself_and_any_existing_file(
    qtbot, window, case_path, tmp_path
):
    opened(qtbot, window, case_path)
    older = tmp_path / "older backup.ncovault"
    older.write_bytes(b"an older backup")
    for dest, words in ((case_path, "open now"), (older, "already exists")):
        prompts.reset()
        prompts.answer_next(True, dest, None)
        window.tools.backup_action.trigger()
        assert asked_kinds() == ["confirm", "save-backup", "warn"]
        assert words in prompts.asked[-1].text
    assert older.read_bytes() == b"an older backup"
    assert window.tools._job is None  # nothing was started
    window.lock()
    with Vault.open(case_path, PASSPHRASE) as vault:  # the vault is whole and unchanged
        assert vault.conn.execute("SELECT count(*) FROM originals").fetchone()[0] == 2
        assert "vault.backed_up" not in [
            row[0] for row in vault.conn.execute("SELECT action FROM audit_log")
        ]


def test_a_window_backup_has_a_key_of_its_own_and_a_wrong_passphrase_writes_nothing(
    qtbot, window, case_path, tmp_path
):
    """Issue #16: the window's backups get their own salt and key too (the same
    passphrase opens them), so a log of one is never taken for the other's."""
    from nco_desktop.vault.connection import inspect_vault_file

    opened(qtbot, window, case_path)
    wrong, right = tmp_path / "wrong.ncovault", tmp_path / "right.ncovault"
    prompts.answer_next(True, wrong, "not the passphrase", None)
    window.tools.backup_action.trigger()
    qtbot.waitUntil(lambda: "warn" in asked_kinds(), timeout=20_000)
    assert "not this vault's passphrase" in prompts.asked[-1].text and not wrong.exists()
    prompts.reset()
    prompts.answer_next(True, right, PASSPHRASE, None)
    window.tools.backup_action.trigger()
    qtbot.waitUntil(lambda: "inform" in asked_kinds(), timeout=20_000)
    assert inspect_vault_file(right).salt != inspect_vault_file(case_path).salt
    with Vault.open(right, PASSPHRASE) as backup:
        assert backup.conn.execute("SELECT count(*) FROM originals").fetchone()[0] == 2


def test_backup_refusal_names_the_vaults_own_files(tmp_path):
    vault = tmp_path / "case.ncovault"
    vault.write_bytes(b"x")
    for name in ("case.ncovault", "case.ncovault-wal", "case.ncovault-shm", ".case.ncovault.lock"):
        assert "open now" in (backup_refusal(tmp_path / name, vault) or "")
    assert "does not exist" in (backup_refusal(tmp_path / "gone" / "b.ncovault", vault) or "")
    assert backup_refusal(tmp_path / "b.ncovault", vault) is None


def test_cancelling_the_explanation_asks_nothing_more(qtbot, window, case_path):
    opened(qtbot, window, case_path)
    prompts.answer_next(False)
    window.tools.backup_action.trigger()
    assert asked_kinds() == ["confirm"]
    assert prompts.asked[0].default == "Choose where to save it…"  # harmless: writes no clear text


def test_the_tools_are_there_only_while_a_vault_is_open(qtbot, window, case_path):
    file_menu = window.menuBar().actions()[0].menu()
    for action in window.tools.actions:
        assert action in file_menu.actions()
        assert not action.isEnabled()
    opened(qtbot, window, case_path)
    assert all(action.isEnabled() for action in window.tools.actions)
    window.lock()
    assert not any(action.isEnabled() for action in window.tools.actions)


# ----- verify ---------------------------------------------------------------------------


def test_verify_of_an_intact_vault_says_what_was_checked(qtbot, window, case_path):
    opened(qtbot, window, case_path)
    prompts.answer_next(None)
    window.tools.verify_action.trigger()
    assert window.tools._progress is not None  # progress shows in the status bar
    assert window.tools._progress.stop_button.isVisible()
    qtbot.waitUntil(lambda: bool(prompts.asked), timeout=20_000)
    (said,) = prompts.asked
    assert said.kind == "inform"
    assert "unchanged" in said.title
    assert "Nothing needs to be done" in said.text
    assert window.tools._progress is None


def test_verify_of_a_tampered_vault_says_what_is_wrong_and_what_to_do(qtbot, window, case_path):
    with Vault.open(case_path, PASSPHRASE) as vault:  # someone with the passphrase edits it
        vault.conn.execute("DROP TRIGGER IF EXISTS blob_chunks_immutable")
        vault.conn.execute(
            "UPDATE blob_chunks SET data = x'deadbeef' WHERE id = (SELECT max(id) FROM blob_chunks)"
        )
    opened(qtbot, window, case_path)
    prompts.answer_next(None)
    window.tools.verify_action.trigger()
    qtbot.waitUntil(lambda: bool(prompts.asked), timeout=20_000)
    (said,) = prompts.asked
    assert said.kind == "warn"
    assert "problem" in said.title
    assert "one problem" in said.text


def test_a_report_is_told_in_plain_words():
    intact = describe_report(
        VerifyReport(originals_checked=1, bytes_checked=2_500_000, audit_rows=9)
    )
    assert "1 original file (2.5 MB)" in intact.details
    assert "9 records of the change log" in intact.details
    broken = describe_report(VerifyReport(problems=[f"problem {i}" for i in range(15)]))
    assert "15 problems" in broken.text
    assert "problem 11" in broken.details and "problem 12" not in broken.details
    assert "… and 3 more." in broken.details
    assert "do not delete or change anything" in broken.details
    assert "Back up" in broken.details


# ----- change passphrase ------------------------------------------------------------------


def fill(dialog: ChangePassphraseDialog, current: str, new: str, again: str | None = None) -> None:
    QTest.keyClicks(dialog.current_field.edit, current)
    QTest.keyClicks(dialog.new_field.edit, new)
    QTest.keyClicks(dialog.repeat_field.edit, new if again is None else again)
    dialog.understood_box.setChecked(True)


def test_change_passphrase_in_the_window_reopens_with_the_new_one(qtbot, window, case_path):
    opened(qtbot, window, case_path)

    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, ChangePassphraseDialog)
        fill(dialog, PASSPHRASE, NEW_PASSPHRASE)
        QTest.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)

    ran = when_dialog_shows(act)
    prompts.answer_next(None)
    window.tools.passphrase_action.trigger()
    assert ran
    qtbot.waitUntil(lambda: bool(prompts.asked), timeout=20_000)
    (said,) = prompts.asked
    assert said.kind == "inform"
    assert NO_RECOVERY_WARNING in said.text  # the CLI's own warning
    assert window.vault is not None and window.stack.currentIndex() == MainWindow.WORKSPACE
    assert is_open_elsewhere(case_path)  # the window held its open lock all along
    assert all(action.isEnabled() for action in window.tools.actions)
    assert window.lock_action.isEnabled() and window.import_action.isEnabled()
    window.lock()
    assert not is_open_elsewhere(case_path)
    with pytest.raises(WrongPassphrase):
        Vault.open(case_path, PASSPHRASE).close()
    actions = audit_actions(case_path, NEW_PASSPHRASE)
    assert actions[-1] == "vault.passphrase_changed"
    assert actions.count("original.added") == 2  # the evidence came along
    assert not [p for p in case_path.parent.iterdir() if "nco-partial" in p.name]


def test_a_wrong_current_passphrase_is_said_in_the_dialog(qtbot, case_path):
    with Vault.open(case_path, PASSPHRASE) as vault:
        dialog = ChangePassphraseDialog(vault.vault_key())
    qtbot.addWidget(dialog)
    dialog.show()
    fill(dialog, "not the passphrase", NEW_PASSPHRASE)
    assert dialog.change_button.isEnabled()
    QTest.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "not the current passphrase" in dialog.status_label.text())
    assert dialog.isVisible() and dialog.new_passphrase is None
    assert dialog.current_field.edit.selectedText() == "not the passphrase"  # to retype
    dialog.reject()
    assert dialog.new_field.text() == "" and dialog._key is None  # nothing kept


def test_enter_in_the_change_dialog_answers_cancel(qtbot, case_path):
    with Vault.open(case_path, PASSPHRASE) as vault:
        dialog = ChangePassphraseDialog(vault.vault_key())
    qtbot.addWidget(dialog)
    dialog.show()
    fill(dialog, PASSPHRASE, NEW_PASSPHRASE)
    assert dialog.change_button.isEnabled()
    assert dialog.cancel_button.isDefault() and not dialog.change_button.isDefault()
    QTest.keyClick(dialog.repeat_field.edit, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert dialog.new_passphrase is None


def test_the_change_dialog_asks_for_a_new_strong_passphrase_twice(qtbot, case_path):
    with Vault.open(case_path, PASSPHRASE) as vault:
        dialog = ChangePassphraseDialog(vault.vault_key())
    qtbot.addWidget(dialog)
    dialog.show()
    fill(dialog, PASSPHRASE, "short")
    assert "12 characters" in dialog.strength_label.text()
    assert not dialog.change_button.isEnabled()
    dialog.new_field.edit.setText(NEW_PASSPHRASE)
    assert "not the same" in dialog.strength_label.text()
    assert not dialog.change_button.isEnabled()
    dialog.repeat_field.edit.setText(NEW_PASSPHRASE)
    dialog.understood_box.setChecked(False)
    assert not dialog.change_button.isEnabled()  # the no-recovery warning must be read
    dialog.understood_box.setChecked(True)
    dialog.new_field.edit.setText(PASSPHRASE)
    dialog.repeat_field.edit.setText(PASSPHRASE)
    QTest.mouseClick(dialog.change_button, Qt.MouseButton.LeftButton)
    assert "same as the current one" in dialog.status_label.text()
    assert dialog.isVisible()
    dialog.reject()


def test_during_the_change_only_quick_exit_is_left(qtbot, window, case_path):
    opened(qtbot, window, case_path)
    vault = window.vault
    assert vault is not None
    prompts.answer_next(None)
    window.tools._start_change(vault, NEW_PASSPHRASE)  # what the dialog's accept starts
    assert window.stack.currentIndex() == MainWindow.BUSY  # no emptied view on screen
    assert window.vault is None  # the session let go: the change is the only connection
    assert window.quick_exit_action.isEnabled()
    for action in (
        window.lock_action,
        window.open_action,
        window.new_action,
        *window.tools.actions,
    ):
        assert not action.isEnabled(), action.text()
    qtbot.waitUntil(lambda: bool(prompts.asked), timeout=20_000)
    assert prompts.asked[0].title == "The passphrase is changed"
    assert window.vault is not None and window.lock_action.isEnabled()


def test_a_lock_while_the_dialog_is_open_changes_nothing(qtbot, window, case_path):
    opened(qtbot, window, case_path)

    def act(dialog: QDialog) -> None:
        assert isinstance(dialog, ChangePassphraseDialog)
        fill(dialog, PASSPHRASE, NEW_PASSPHRASE)
        window.lock()  # the idle lock, say: it closes every dialog

    ran = when_dialog_shows(act)
    window.tools.passphrase_action.trigger()
    assert ran and not prompts.asked
    assert window.vault is None and window.stack.currentIndex() == MainWindow.UNLOCK
    assert not any(action.isEnabled() for action in window.tools.actions)
    assert "vault.passphrase_changed" not in audit_actions(case_path, PASSPHRASE)


def test_a_backup_opened_in_the_window_is_restored_over_a_vault(qtbot, window, case_path, tmp_path):
    """File ▸ Restore this backup over a vault… (issue #16): the backup open in the
    window is checked and copied into the place of the chosen vault, which is set aside
    with its log, kept; Enter on the question restores nothing."""
    backup = tmp_path / "usb" / "case backup.ncovault"
    backup.parent.mkdir()
    with Vault.open(case_path, PASSPHRASE) as vault:
        vault.backup_to(backup)
        write_file(tmp_path / "later" / "note.txt", "written after the backup")
        assert import_paths(vault, [tmp_path / "later"]).all_ok  # the vault moved on
    opened(qtbot, window, backup)
    prompts.answer_next(case_path, False)  # which vault, then "Cancel"
    assert not window.tools.restorer.restore()
    assert prompts.asked[-1].default == "Cancel" and "set aside" in prompts.asked[-1].text
    prompts.reset()
    prompts.answer_next(case_path, True, None)  # which vault, "Restore", the result read
    assert window.tools.restorer.restore()
    qtbot.waitUntil(lambda: "inform" in asked_kinds(), timeout=30_000)
    assert "before restore" in prompts.asked[-1].text
    with Vault.open(case_path, PASSPHRASE) as restored:
        originals = restored.conn.execute("SELECT count(*) FROM originals").fetchone()[0]
    assert originals == 2  # exactly the backup
    (aside,) = case_path.parent.glob("case before restore *.ncovault")
    with Vault.open(aside, PASSPHRASE) as kept:
        assert kept.conn.execute("SELECT count(*) FROM originals").fetchone()[0] == 3


def test_unlocking_with_a_damaged_log_says_what_could_not_be_read(qtbot, window, tmp_path):
    """The window names a log damaged part way (its later changes unreadable), where
    the copy of it is kept, and what to do; it never opens silently without them."""
    from tests.reliability.test_foreign_log import _with_log

    path = _with_log(tmp_path / "case.ncovault", tmp_path, PASSPHRASE, 3, 4)
    log = path.with_name("case.ncovault-wal")
    data = bytearray(log.read_bytes())
    data[32 + 24 + 500] ^= 0x01
    log.write_bytes(bytes(data))
    prompts.answer_next(None)  # the warning, read
    opened(qtbot, window, path)
    qtbot.waitUntil(lambda: "warn" in asked_kinds(), timeout=10_000)
    (copy,) = tmp_path.glob("case.ncovault-wal.damaged-*")
    said = prompts.asked[-1].text
    assert "is damaged: the changes saved after the damage (1) could not be read" in said
    assert copy.name in said and "Restore" in said
