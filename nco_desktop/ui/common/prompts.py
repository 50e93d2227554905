"""Every modal question the window asks goes through this module.

Tests queue canned answers with :func:`answer_next` instead of racing timers against
real dialogs (KeePassXC's ``MessageBox::setNextAnswer`` pattern), and read what was
asked from :data:`asked`. File dialogs are Qt's own (the platform dialogs of some
desktops keep a "recent files" list we cannot clear), and after each one the
``QtProject`` settings group where Qt keeps its history is removed: no evidence path
survives a dialog.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QSettings, QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from nco_desktop.errors import NcoError
from nco_desktop.vault import VAULT_SUFFIX
from nco_desktop.vault.faults import disk_problem


@dataclass(frozen=True)
class Asked:
    kind: str
    title: str
    text: str
    #: What Enter answers (a question's safe answer unless its yes is harmless); what
    #: tests read to prove a question cannot be said yes to by a stray key.
    default: str = ""


_canned: deque[Any] = deque()
asked: list[Asked] = []
#: Tests set this: a message or question with no canned answer raises instead of
#: showing a box nobody can press (offscreen, that waits forever).
strict: bool = False


class UnansweredPrompt(AssertionError):
    """A test reached a prompt it queued no answer for."""


def answer_next(*answers: Any) -> None:
    """Tests: the next prompts return these answers, in order, without showing."""
    _canned.extend(answers)


def reset() -> None:
    _canned.clear()
    asked.clear()


def _canned_answer(kind: str, title: str, text: str, default: str = "") -> tuple[bool, Any]:
    asked.append(Asked(kind, title, text, default))
    if _canned:
        return True, _canned.popleft()
    return False, None


def _message_answer(kind: str, title: str, text: str, default: str = "") -> tuple[bool, Any]:
    """The canned answer of a message or question; in strict mode there must be one."""
    canned, answer = _canned_answer(kind, title, text, default)
    if not canned and strict:
        raise UnansweredPrompt(f"no answer queued for the {kind} “{title}”")
    return canned, answer


def canned(kind: str, title: str, text: str) -> tuple[bool, Any]:
    """For a dialog of a view's own (not a message box): (True, the test's canned
    answer), or (False, None) to show it. In strict mode there must be an answer."""
    return _message_answer(kind, title, text)


def _tr(text: str) -> str:
    return QCoreApplication.translate("prompts", text)


# ----- messages ------------------------------------------------------------------


def explain(error: object) -> str:
    """One sentence for *error* that is safe to show.

    Our services raise NcoError and ValueError with sentences written for users; the
    operating system's errors say what happened to which file. Anything else is a
    programming error whose text means nothing to the user (and may quote evidence),
    so only its kind is named.
    """
    if isinstance(error, NcoError | ValueError):
        return str(error)
    # A full, read-only or failing disk in its own words, before anything is called
    # damage or an internal error (see vault.faults).
    problem = disk_problem(error) if isinstance(error, BaseException) else None
    if problem is not None:
        return problem.message
    if isinstance(error, OSError):
        where = f" ({Path(error.filename).name})" if error.filename else ""
        return (error.strerror or _tr("the computer refused the operation")) + where
    return _tr("an internal error (%1); your vault is unchanged").replace(
        "%1", type(error).__name__
    )


def inform(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    canned, _ = _message_answer("inform", title, text)
    if canned:
        return
    box = QMessageBox(QMessageBox.Icon.Information, title, text, QMessageBox.StandardButton.Ok)
    box.setParent(parent, box.windowFlags())
    if details:
        box.setInformativeText(details)
    box.exec()


def warn(parent: QWidget | None, title: str, text: str, details: str = "") -> None:
    canned, _ = _message_answer("warn", title, text)
    if canned:
        return
    box = QMessageBox(QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.Ok)
    box.setParent(parent, box.windowFlags())
    if details:
        box.setInformativeText(details)
    box.exec()


def confirm(
    parent: QWidget | None, title: str, text: str, *, yes: str, no: str, risky: bool = True
) -> bool:
    """A question with two plainly named buttons (never a bare Yes/No).

    Safe by default: Enter, Esc and closing the box answer *no*, so a key pressed out
    of habit (or meant for the window behind) never prints, removes or writes in the
    clear. Only a question whose *yes* is harmless and can be undone (building once
    more, say) passes ``risky=False`` to make *yes* the Enter answer; Esc stays *no*.
    The *yes* words name what it does ("Remove person"), never "OK".
    """
    canned, answer = _message_answer("confirm", title, text, no if risky else yes)
    if canned:
        return bool(answer)
    box = QMessageBox(QMessageBox.Icon.Question, title, text)
    box.setParent(parent, box.windowFlags())
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button if risky else yes_button)
    box.setEscapeButton(no_button)
    box.exec()
    return box.clickedButton() is yes_button


def choose(
    parent: QWidget | None, title: str, text: str, choices: list[str], *, cancel: str
) -> int | None:
    """One of several plainly named answers (their index), or None for *cancel*.

    Enter, Esc and closing the box answer *cancel*: a choice that changes what is
    stored (a chat's dates) is never made by a key pressed out of habit."""
    canned, answer = _message_answer("choose", title, text, cancel)
    if canned:
        return None if answer is None else int(answer)
    box = QMessageBox(QMessageBox.Icon.Question, title, text)
    box.setTextFormat(Qt.TextFormat.PlainText)  # words from a file are never markup
    box.setParent(parent, box.windowFlags())
    buttons = [box.addButton(choice, QMessageBox.ButtonRole.AcceptRole) for choice in choices]
    cancel_button = box.addButton(cancel, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(cancel_button)
    box.setEscapeButton(cancel_button)
    box.exec()
    clicked = box.clickedButton()
    return next((index for index, b in enumerate(buttons) if b is clicked), None)


# ----- files ---------------------------------------------------------------------


def clear_file_dialog_history() -> None:
    """Remove what Qt's file dialog remembers (``history=``, ``lastVisited=`` …)."""
    settings = QSettings(QSettings.Scope.UserScope, "QtProject")
    settings.remove("FileDialog")
    settings.remove("Qt/filedialog")
    settings.sync()


def _run_file_dialog(dialog: QFileDialog) -> list[Path]:
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setHistory([])
    try:
        if dialog.exec() != QFileDialog.DialogCode.Accepted:
            return []
        return [Path(name) for name in dialog.selectedFiles()]
    finally:
        dialog.setHistory([])
        # Qt writes its history when the dialog is destroyed: destroy it now, then clear.
        shiboken6.delete(dialog)
        clear_file_dialog_history()


def choose_open_vault(parent: QWidget | None) -> Path | None:
    title = _tr("Open a vault")
    canned, answer = _canned_answer("open-vault", title, "")
    if canned:
        return answer
    dialog = QFileDialog(parent, title, _documents())  # where "Create" suggests saving
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    dialog.setNameFilters([_tr("NCO Desktop vaults (*%s)") % VAULT_SUFFIX, _tr("All files (*)")])
    chosen = _run_file_dialog(dialog)
    return chosen[0] if chosen else None


def default_folder() -> Path:
    """Where to suggest saving: Documents if this computer has that folder, else home.

    Qt names a Documents folder even where none exists (a fresh account, a minimal
    desktop, a home folder set up by a script); suggesting it made creating a vault
    fail with "No such file or directory".
    """
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def _documents() -> str:
    return str(default_folder())


def choose_new_vault(parent: QWidget | None, suggested_name: str) -> Path | None:
    title = _tr("Where should the new vault be saved?")
    canned, answer = _canned_answer("new-vault", title, "")
    if canned:
        return answer
    return _save_as(parent, title, suggested_name, VAULT_SUFFIX, _vault_filter())


def choose_import_files(parent: QWidget | None) -> list[Path]:
    title = _tr("Import files")
    canned, answer = _canned_answer("import-files", title, "")
    if canned:
        return list(answer or [])
    dialog = QFileDialog(parent, title)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return _run_file_dialog(dialog)


def choose_import_folder(parent: QWidget | None) -> Path | None:
    title = _tr("Import a folder")
    canned, answer = _canned_answer("import-folder", title, "")
    if canned:
        return answer
    dialog = QFileDialog(parent, title)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    chosen = _run_file_dialog(dialog)
    return chosen[0] if chosen else None


def choose_binder_file(parent: QWidget | None, suggested_name: str) -> Path | None:
    """Where to save the binder: a PDF in the clear, so the caller warns before writing."""
    title = _tr("Save the binder as")
    canned, answer = _canned_answer("save-binder", title, suggested_name)
    if canned:
        return answer
    return _save_as(parent, title, suggested_name, ".pdf", _tr("PDF files (*.pdf)"))


def choose_backup_file(parent: QWidget | None, suggested_name: str) -> Path | None:
    """Where to save a backup of the open vault: an encrypted file, so no warning about
    clear text; the caller refuses the vault itself and any file that exists."""
    title = _tr("Save the backup as")
    canned, answer = _canned_answer("save-backup", title, suggested_name)
    if canned:
        return answer
    return _save_as(parent, title, suggested_name, VAULT_SUFFIX, _vault_filter())


def choose_restore_target(parent: QWidget | None, suggested_name: str) -> Path | None:
    """The vault a backup is to replace (or a new name). Qt's own "replace?" question
    is off: the caller says what happens to the file there, and asks once."""
    title = _tr("Put the backup in place of which vault?")
    canned, answer = _canned_answer("restore-target", title, suggested_name)
    if canned:
        return answer
    return _save_as(
        parent, title, suggested_name, VAULT_SUFFIX, _vault_filter(), confirm_overwrite=False
    )


def _vault_filter() -> str:
    return _tr("NCO Desktop vaults (*%s)") % VAULT_SUFFIX


def _save_as(
    parent: QWidget | None,
    title: str,
    suggested_name: str,
    suffix: str,
    name_filter: str,
    *,
    confirm_overwrite: bool = True,
) -> Path | None:
    """A save dialog starting in a folder that exists, adding *suffix* when it is left
    off; the one path chosen, or None. *confirm_overwrite* False: the caller says what
    happens to a file already there, so Qt's own question is not asked too."""
    dialog = QFileDialog(parent, title, _documents())
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, not confirm_overwrite)
    dialog.setDefaultSuffix(suffix.lstrip("."))
    dialog.setNameFilters([name_filter])
    dialog.selectFile(suggested_name)
    chosen = _run_file_dialog(dialog)
    return chosen[0] if chosen else None
