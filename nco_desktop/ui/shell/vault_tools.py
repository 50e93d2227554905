"""File ▸ Back up, Change passphrase and Verify: the command line's services, in the window.

The same Qt-free calls as ``backup``, ``passwd`` and ``verify``
(:meth:`Vault.backup_to`, :meth:`Vault.change_passphrase`,
:func:`~nco_desktop.verification.verify_vault`), run off the GUI thread.

- **Backup** and **Verify** run as jobs (:func:`~nco_desktop.ui.common.jobs.run_job`),
  each on a connection of its own, with their progress in the status bar: the window
  stays usable, Quick exit and Lock stay one key away, and locking stops them (a
  backup that is stopped leaves no partial file; a verify just ends). The window
  keeps holding the vault's open lock throughout: they are this window's own work.
- **Change passphrase** must be the only connection to the vault (the file is
  rewritten under a new key and renamed into place, see
  :meth:`Vault.change_passphrase`). So the session lets go of the vault first (views
  save what is typed, every job stops, the window's connection closes) while the
  window keeps the open lock, so no other window or command can slip in; the change
  runs on a worker thread; and the vault is opened again with whichever key opens it
  afterwards: the new one, or the old one if the change failed (the old file is then
  untouched). Meanwhile every action but Quick exit is disabled.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from nco_desktop.backup import checked_backup
from nco_desktop.progress import CancelToken, ProgressCallback
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.jobs import BackgroundOperation, Job, run_job
from nco_desktop.ui.shell.backup_passphrase import ask_backup_passphrase
from nco_desktop.ui.shell.passphrase_dialog import ChangePassphraseDialog
from nco_desktop.ui.shell.restore_tool import RestoreTool
from nco_desktop.ui.shell.verify_words import describe_report
from nco_desktop.ui.shell.window_parts import make_action
from nco_desktop.vault import NO_RECOVERY_WARNING, VAULT_SUFFIX, Vault, VaultKey
from nco_desktop.vault.open_lock import lock_path
from nco_desktop.verification import VerifyReport, verify_vault

if TYPE_CHECKING:
    from nco_desktop.ui.shell.main_window import MainWindow


class ToolProgress(QWidget):
    """What a tool is doing, in the status bar: a sentence, a bar and (for work that
    can stop) a Stop button. Not a dialog: Esc and Quick exit keep their meaning."""

    def __init__(self, text: str, parent: QWidget, *, stoppable: bool) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        self.label = QLabel(text, self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.bar.setFixedWidth(160)
        self.bar.setTextVisible(False)
        self.stop_button = QPushButton(self.tr("Stop"), self)
        self.stop_button.setAccessibleName(self.tr("Stop the check"))
        self.stop_button.setVisible(stoppable)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.stop_button)
        layout.addStretch(1)

    def set_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)


@dataclass
class ChangeOutcome:
    """What a passphrase change left: the key that opens the vault file now (None if
    neither does, which should never happen), whether that is the new one, and the
    error if the change failed."""

    key: VaultKey | None
    changed: bool
    error: BaseException | None = None


def change_passphrase(old: VaultKey, new_passphrase: str) -> ChangeOutcome:
    """The change, on a worker thread, with no other connection open. On failure the
    file is opened once with each passphrase's key to learn which one it takes now (a
    failure after the rename leaves the new one)."""
    try:
        with Vault.open_with_key(old) as vault:
            vault.change_passphrase(new_passphrase)
            return ChangeOutcome(vault.vault_key(), changed=True)
    except Exception as error:
        candidates = (
            lambda: VaultKey(old.path, bytearray(old.key), old.salt, old.kdf),
            lambda: Vault.derive_key(old.path, new_passphrase),
        )
        for changed, make in enumerate(candidates):
            key = _key_that_opens(make)
            if key is not None:
                return ChangeOutcome(key, changed=bool(changed), error=error)
        return ChangeOutcome(None, changed=False, error=error)


def _key_that_opens(make: Callable[[], VaultKey]) -> VaultKey | None:
    """The key *make* gives, if it opens its vault file now; else None (wiped)."""
    key: VaultKey | None = None
    try:
        key = make()
        Vault.open_with_key(key).close()
    except Exception:
        if key is not None:
            key.wipe()
        return None
    return key


def backup_refusal(dest: Path, vault_path: Path) -> str | None:
    """Why *dest* cannot take a backup of the vault at *vault_path*, in words, or None.

    A backup is always a new file: never the open vault itself (whose bytes it would
    replace with a copy of themselves mid-write), never a file SQLite or the open lock
    keeps beside it, never an older file, backup or not (the backup service refuses
    those too; this says so before any work starts)."""

    def tr(text: str) -> str:
        return QCoreApplication.translate("VaultTools", text)

    dest, vault_path = Path(dest).absolute(), Path(vault_path).absolute()
    companions = {
        vault_path,
        vault_path.with_name(vault_path.name + "-wal"),
        vault_path.with_name(vault_path.name + "-shm"),
        lock_path(vault_path),
    }
    same = dest in companions
    if not same and dest.exists():
        try:
            same = dest.samefile(vault_path)
        except OSError:
            same = False
    if same:
        return tr(
            "That is the vault that is open now (or a file that belongs to it). A backup "
            "goes into a new file: choose another name, or another place such as a USB "
            "stick."
        )
    if dest.exists():
        return tr(
            "A file with that name already exists, and a backup never writes over a "
            "file. Choose another name."
        )
    if not dest.parent.is_dir():
        return tr("That folder does not exist (any more). Choose where to save the backup.")
    return None


class VaultTools(QObject):
    """The three File-menu tools of an open vault, for one :class:`MainWindow`."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._session = window.session
        self._job: Job | None = None
        self._progress: ToolProgress | None = None
        self._changing = False
        self._disabled: list[QAction] = []  # what a passphrase change disabled
        tr = self.tr
        self.backup_action = make_action(
            window,
            "save",
            tr("&Back up the vault…"),
            self.backup,
            None,
            tr("Save a copy of the vault, encrypted with the same passphrase"),
        )
        self.passphrase_action = make_action(
            window,
            "lock",
            tr("Change &passphrase…"),
            self.change_passphrase,
            None,
            tr("Choose a new passphrase for this vault"),
        )
        self.verify_action = make_action(
            window,
            "",
            tr("&Verify the vault…"),
            self.verify,
            None,
            tr("Check that every original and the change log are as they were written"),
        )
        self.restorer = RestoreTool(window)
        self.actions = (
            self.backup_action,
            self.restorer.action,
            self.passphrase_action,
            self.verify_action,
        )
        self._session.opened.connect(self._update_state)
        self._session.detached.connect(self._detached)
        self._update_state()

    @property
    def running(self) -> bool:
        return self._job is not None or self._changing or self.restorer.running

    def _update_state(self) -> None:
        usable = self._session.is_open and not self.running
        for action in self.actions:
            action.setEnabled(usable)

    def _detached(self) -> None:
        """Locked (or another vault opened): a running job was stopped by the session
        and its result will be dropped; what shows its progress goes now."""
        self._job = None
        self.restorer.forget()
        self._end_progress()
        self._update_state()

    # ----- progress in the status bar ----------------------------------------------------

    def _begin_progress(self, text: str, *, stoppable: bool) -> ToolProgress:
        self._end_progress()
        progress = ToolProgress(text, self._window, stoppable=stoppable)
        self._window.statusBar().addWidget(progress, 1)
        progress.show()
        self._progress = progress
        return progress

    def _end_progress(self) -> None:
        progress, self._progress = self._progress, None
        if progress is not None:
            self._window.statusBar().removeWidget(progress)
            progress.deleteLater()

    def _job_ended(self) -> None:
        self._job = None
        self._end_progress()
        self._update_state()

    # ----- backup -----------------------------------------------------------------------

    def backup(self) -> None:
        vault = self._session.vault
        if vault is None or self.running:
            return
        tr, window = self.tr, self._window
        if not prompts.confirm(
            window,
            tr("Back up the vault"),
            tr(
                "The backup is a new vault file, encrypted with the same passphrase as "
                "this one: it opens only with that passphrase. Keep it somewhere other "
                "than this computer, such as a USB stick kept in a safe place."
            ),
            yes=tr("Choose where to save it…"),
            no=tr("Cancel"),
            risky=False,  # nothing is written in the clear and nothing is replaced
        ):
            return
        day = datetime.date.today().isoformat()
        dest = prompts.choose_backup_file(window, f"{vault.path.stem} backup {day}{VAULT_SUFFIX}")
        if dest is None or self._session.vault is None:
            return
        if not dest.name.endswith(VAULT_SUFFIX):
            dest = dest.with_name(dest.name + VAULT_SUFFIX)
        refusal = backup_refusal(dest, vault.path)
        if refusal:
            prompts.warn(window, tr("The backup was not saved"), refusal)
            return
        passphrase = ask_backup_passphrase(window)  # the copy's own key comes from it
        if passphrase is None or self._session.vault is None:
            return

        def work(vault: Vault, progress: ProgressCallback, cancel: CancelToken) -> Path:
            return checked_backup(
                vault, dest, progress=progress, cancel=cancel, passphrase=passphrase
            )

        self._begin_progress(
            tr("Checking the vault, then backing it up… (a large vault takes a minute)"),
            stoppable=False,
        )
        self._job = run_job(
            self._session,
            work,
            on_success=self._backed_up,
            on_failure=self._backup_failed,
        )
        self._update_state()

    def _backed_up(self, dest: object) -> None:
        self._job_ended()
        assert isinstance(dest, Path)
        prompts.inform(
            self._window,
            self.tr("The backup is saved"),
            self.tr("The backup “%1” is saved in %2. It opens with the same passphrase.")
            .replace("%1", dest.name)
            .replace("%2", str(dest.parent)),
        )

    def _backup_failed(self, error: BaseException) -> None:
        self._job_ended()
        prompts.warn(
            self._window,
            self.tr("The backup was not saved"),
            self.tr("%1 Nothing was written; the vault is unchanged.").replace(
                "%1", prompts.explain(error)
            ),
        )

    # ----- verify -----------------------------------------------------------------------

    def verify(self) -> None:
        if self._session.vault is None or self.running:
            return

        def work(vault: Vault, progress: ProgressCallback, cancel: CancelToken) -> VerifyReport:
            return verify_vault(vault, progress=progress, cancel=cancel)

        progress = self._begin_progress(self.tr("Checking the vault…"), stoppable=True)
        self._job = job = run_job(
            self._session,
            work,
            on_success=self._verified,
            on_failure=self._verify_failed,
            on_cancelled=self._job_ended,
            on_progress=self._verify_progressed,
        )
        progress.stop_button.clicked.connect(lambda: job.cancel())
        self._update_state()

    def _verify_progressed(self, done: int, total: int, label: str) -> None:
        if self._progress is not None:
            self._progress.set_progress(done, total)
            if total:
                self._progress.label.setText(
                    self.tr("Checking the originals: %1 of %2…")
                    .replace("%1", str(done))
                    .replace("%2", str(total))
                )

    def _verified(self, report: object) -> None:
        self._job_ended()
        assert isinstance(report, VerifyReport)
        words = describe_report(report)
        show = prompts.inform if report.intact else prompts.warn
        show(self._window, words.title, words.text, words.details)

    def _verify_failed(self, error: BaseException) -> None:
        self._job_ended()
        prompts.warn(
            self._window,
            self.tr("The check could not be finished"),
            prompts.explain(error),
        )

    # ----- change passphrase ------------------------------------------------------------

    def change_passphrase(self) -> None:
        vault = self._session.vault
        if vault is None or self.running:
            return
        dialog = ChangePassphraseDialog(vault.vault_key(), self._window)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        new, dialog.new_passphrase = dialog.new_passphrase, None
        dialog.forget()
        dialog.deleteLater()
        if not accepted or new is None or self._session.vault is not vault:
            return  # cancelled, or the vault locked meanwhile
        self._start_change(vault, new)

    def _start_change(self, vault: Vault, new: str) -> None:
        window, tr = self._window, self.tr
        old = vault.vault_key()
        self._changing = True
        self._update_state()
        self._disabled = [  # the window's own: its menus, toolbar and shortcuts
            action
            for action in window.actions()
            if action.isEnabled() and action is not window.quick_exit_action
        ]
        for action in self._disabled:
            action.setEnabled(False)
        window.guard.disarm()
        window.busy_page.label.setText(
            tr("Changing the passphrase. This takes a moment for a large vault.")
        )
        window.busy_page.bar.setRange(0, 0)
        window.busy_page.cancel_button.hide()  # a half-done change cannot be stopped
        window.stack.setCurrentIndex(window.BUSY)
        # Views save what is typed, jobs stop, the connection closes; the window keeps
        # the open lock, so nobody else opens the vault meanwhile.
        self._session.lock()
        if self._session.stuck_jobs:
            busy = ChangeOutcome(old, changed=False, error=RuntimeError())
            self._reopen(busy, tr("Something was still working on the vault; try again soon."))
            return
        operation = BackgroundOperation(lambda progress, cancel: change_passphrase(old, new))
        operation.succeeded.connect(lambda outcome: self._changed(outcome, old))
        operation.failed.connect(
            lambda error: self._changed(ChangeOutcome(None, False, error), old)
        )
        operation.start()

    def _changed(self, outcome: ChangeOutcome, old: VaultKey) -> None:
        old.wipe()  # the outcome holds a copy of whichever key opens the vault now
        self._reopen(outcome, prompts.explain(outcome.error) if outcome.error else "")

    def _reopen(self, outcome: ChangeOutcome, problem: str) -> None:
        """Open the vault again with the outcome's key and say how the change went."""
        window, tr = self._window, self.tr
        self._changing = False
        for action in self._disabled:
            action.setEnabled(True)
        self._disabled = []
        key, outcome.key = outcome.key, None
        vault: Vault | None = None
        if key is not None:
            try:
                vault = Vault.open_with_key(key)
            except Exception as exc:
                problem = prompts.explain(exc)
            finally:
                key.wipe()
        if vault is None:
            window.close_vault()
            prompts.warn(
                window,
                tr("The vault could not be opened again"),
                tr("%1 Close NCO Desktop, then open the vault with its passphrase.").replace(
                    "%1", problem
                ),
            )
            return
        self._session.open(vault)
        window.stack.setCurrentIndex(window.WORKSPACE)
        window.workspace.focus_timeline()
        window.guard.arm()
        self._update_state()
        if outcome.error is not None and not outcome.changed:
            prompts.warn(
                window,
                tr("The passphrase was not changed"),
                tr("%1 The vault still opens with its current passphrase.").replace("%1", problem),
            )
        elif outcome.error is not None:
            prompts.warn(
                window,
                tr("The passphrase is changed"),
                tr("%1 All the same, the vault now opens only with the new passphrase.").replace(
                    "%1", problem
                ),
            )
        else:
            prompts.inform(
                window,
                tr("The passphrase is changed"),
                tr("From now on the vault opens only with the new passphrase. %1").replace(
                    "%1", tr(NO_RECOVERY_WARNING)
                ),
            )
