"""A backup that checks the vault first: a damaged vault is never copied as if whole.

Copying a vault with a damaged page gave that page a fresh, valid HMAC in the copy
(issue #16): the evidence of the damage was gone, and the damage spread into every
backup made after it. So the vault is verified first — every page's HMAC, SQLite's
structure, every original against its SHA-256, the audit chain — and on any problem
nothing is written under the chosen name and the problem is named. The copy itself is
read back before it takes that name (:meth:`Vault.backup_to`).

The command line's ``backup`` and the window's File ▸ Back up… both call this.
"""

from __future__ import annotations

from pathlib import Path

from nco_desktop.binder.output import remember_export_folders
from nco_desktop.errors import NcoError
from nco_desktop.progress import CancelToken, ProgressCallback, no_progress
from nco_desktop.vault import Vault
from nco_desktop.verification import verify_vault


class BackupRefused(NcoError):
    """The vault did not pass its check, so no backup was made."""

    def __init__(self, message: str, problems: list[str]) -> None:
        super().__init__(message)
        self.problems = problems


def checked_backup(
    vault: Vault,
    dest: Path,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    passphrase: str | None = None,
) -> Path:
    """Verify *vault*, then copy it to *dest* (read back before it is named); raises
    BackupRefused, naming the first problem, when the vault is not whole. With the
    vault's *passphrase* the copy gets a key of its own (see Vault.backup_to)."""
    report = verify_vault(vault, progress=progress, cancel=cancel)
    if not report.intact:
        more = len(report.problems) - 1
        raise BackupRefused(
            f"The vault did not pass its check, so no backup was written as “{dest.name}”: "
            f"{report.problems[0]}"
            + (f" (and {more} more problem{'s' if more != 1 else ''})" if more else "")
            + ". A backup of a damaged vault would carry the damage and hide it. Keep "
            "your existing backups, and run verify to see every problem.",
            report.problems,
        )
    vault.record_header()  # so the copy carries the header salvage may need
    # Its folder is remembered first, so a copy cut short by a crash is found and
    # removed at the next start (see binder.output.remove_partial_leftovers).
    remember_export_folders(vault, [dest.parent])
    return vault.backup_to(dest, passphrase=passphrase)
