"""The window's side of noticing an older copy of a vault (see ``vault.seen``).

On unlocking, a vault older than the last one seen on this computer is named, and the
user chooses to use it as it is or to close it (Enter closes: using an older copy is
the step that needs a second look). On locking, the newest history seen is noted.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from nco_desktop.ui.common import prompts
from nco_desktop.vault import Vault
from nco_desktop.vault.seen import older_copy, remember


def accepted(parent: QWidget, vault: Vault) -> bool:
    """False when *vault* is an older copy and the user chose to close it."""
    older = older_copy(vault)
    if older is None:
        remember(vault)
        return True
    tr = QCoreApplication.translate
    if not prompts.confirm(
        parent,
        tr("VaultHistory", "This vault is older than last time"),
        older.message,
        yes=tr("VaultHistory", "Use it as it is"),
        no=tr("VaultHistory", "Close it"),
    ):
        return False
    remember(vault, accept=True)
    return True


def warn_about_logs(parent: QWidget, vault: Vault) -> None:
    """Say what was done, on unlocking, with a log beside the vault that was not its
    own (set aside, unused) or that was damaged part way (a copy kept)."""
    tr = QCoreApplication.translate
    if vault.set_aside_log is not None:
        prompts.warn(
            parent,
            tr("VaultHistory", "A log file that was not this vault's was set aside"),
            tr(
                "VaultHistory",
                "A log file beside the vault was not written with this vault's key (a "
                "file copied over the vault, or one from elsewhere), so none of it was "
                "used. It is kept, encrypted, as “%1”.",
            ).replace("%1", vault.set_aside_log.name),
        )
    if vault.damaged_log is not None:
        copy, lost = vault.damaged_log
        prompts.warn(
            parent,
            tr("VaultHistory", "The vault's log file is damaged"),
            tr(
                "VaultHistory",
                "The log file beside the vault, which holds its latest changes, is damaged: "
                "the changes saved after the damage (%1) could not be read, so the vault "
                "opened as it was before them. A copy of the log is kept, encrypted, as “%2”. If "
                "you have a backup made after those changes, restore it (File ▸ Restore).",
            )
            .replace("%1", str(lost))
            .replace("%2", copy.name),
        )


def note_before_lock(vault: Vault | None) -> None:
    """The newest history seen, noted as the vault is locked (never in the way)."""
    if vault is not None:
        # A closed or failing connection: the note waits for the next time.
        with contextlib.suppress(Exception):
            remember(vault)
