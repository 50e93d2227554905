"""File ▸ Restore this backup over a vault…: the window's ``restore`` (issue #16).

The user unlocks the backup like any vault (and can look through it first), then puts
it in place of the vault it should replace. The same service as the command line's
``restore`` runs on a worker (:func:`nco_desktop.restore.restore_from`): the backup is
verified, a checked copy is written, the vault that was there is set aside with its
log (kept, never deleted), and the copy takes its name. No passphrase is asked again:
the copy opens with the backup's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from nco_desktop.progress import CancelToken, ProgressCallback
from nco_desktop.restore import Restored, restore_from
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.jobs import Job, run_job
from nco_desktop.ui.shell.window_parts import make_action
from nco_desktop.vault import VAULT_SUFFIX, Vault

if TYPE_CHECKING:
    from nco_desktop.ui.shell.main_window import MainWindow


class RestoreTool(QObject):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._session = window.session
        self._job: Job | None = None
        self.action = make_action(
            window,
            "",
            self.tr("&Restore this backup over a vault…"),
            self.restore,
            None,
            self.tr("Put a checked copy of the vault open now in place of another vault"),
        )

    @property
    def running(self) -> bool:
        return self._job is not None

    def forget(self) -> None:
        self._job = None

    def restore(self) -> bool:
        """Ask which vault it replaces, say what happens to it, then restore on a
        worker. False when nothing was started."""
        vault, window, tr = self._session.vault, self._window, self.tr
        if vault is None or self.running:
            return False
        dest = prompts.choose_restore_target(window, vault.path.name)
        if dest is None or self._session.vault is None:
            return False
        if not dest.name.endswith(VAULT_SUFFIX):
            dest = dest.with_name(dest.name + VAULT_SUFFIX)
        if dest.resolve() == vault.path.resolve():
            prompts.warn(
                window,
                tr("Nothing was restored"),
                tr("That is the vault open now. Choose the vault this backup should replace."),
            )
            return False
        if dest.exists():
            what = tr(
                "“%1” will be set aside as “%2 before restore …” (kept, with its log, "
                "never deleted), and a checked copy of the vault open now (“%3”) will take "
                "its place. The copy opens with this vault's passphrase."
            )
        else:
            what = tr("A checked copy of the vault open now (“%3”) will be saved as “%1”.")
        text = what.replace("%1", dest.name).replace("%2", dest.stem)
        if not prompts.confirm(
            window,
            tr("Restore this backup?"),
            text.replace("%3", vault.path.name),
            yes=tr("Restore"),
            no=tr("Cancel"),
        ):
            return False

        def work(vault: Vault, progress: ProgressCallback, cancel: CancelToken) -> Restored:
            return restore_from(vault, dest)

        window.statusBar().showMessage(tr("Checking the backup, then restoring it…"))
        self._job = run_job(self._session, work, on_success=self._restored, on_failure=self._failed)
        return True

    def _restored(self, restored: object) -> None:
        self._job = None
        self._window.statusBar().clearMessage()
        assert isinstance(restored, Restored)
        text = self.tr("“%1” is restored; it opens with this vault's passphrase.").replace(
            "%1", str(restored.dest)
        )
        if restored.set_aside is not None:
            text += " " + self.tr(
                "The vault that was there is kept, with its log, as “%1”: delete it once "
                "you are sure you do not need it."
            ).replace("%1", restored.set_aside.name)
        prompts.inform(self._window, self.tr("The backup is restored"), text)

    def _failed(self, error: BaseException) -> None:
        self._job = None
        self._window.statusBar().clearMessage()
        prompts.warn(
            self._window,
            self.tr("Nothing was restored"),
            self.tr("%1 The vault that was there is unchanged.").replace(
                "%1", prompts.explain(error)
            ),
        )
