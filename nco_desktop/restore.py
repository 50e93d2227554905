"""Restoring a backup: checked, and never mixed with what was there.

The README used to say "restore it from a backup", and people copied the backup file
over the vault. SQLite's write-ahead log beside the vault (``NAME-wal``) is not bound to
the file it was written for, so the old log was replayed into the copied backup: a
state that was neither (issue #16). Restoring is therefore a command:

1. the backup is opened with its passphrase and verified (pages, originals, audit
   chain); a backup that fails is not restored;
2. a fresh copy of it is written beside the destination (read back before use);
3. the vault at the destination, with its ``-wal`` and ``-shm``, is moved aside as one
   set, "NAME before restore <time>.ncovault" — kept, encrypted, and still openable
   with its own log, never deleted;
4. the copy takes the destination's name, and the restore is on its audit log.

The command line's ``restore`` and the window both use :func:`restore_backup`.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass
from pathlib import Path

from nco_desktop.backup import BackupRefused
from nco_desktop.vault import Vault, VaultKey
from nco_desktop.vault.copying import fsync_dir
from nco_desktop.vault.errors import VaultExists
from nco_desktop.vault.open_lock import OpenLock
from nco_desktop.vault.partials import partial_path, sidecars
from nco_desktop.vault.seen import remember
from nco_desktop.verification import verify_vault


@dataclass(frozen=True)
class Restored:
    dest: Path
    set_aside: Path | None  # where the vault that was at *dest* went, with its log


def restore_backup(backup: Path, dest: Path, passphrase: str) -> Restored:
    """Put a verified copy of *backup* at *dest*, setting aside what was there."""
    if backup.resolve() == dest.resolve():
        raise VaultExists("The backup and the vault to restore are the same file.")
    with Vault.open(backup, passphrase) as source:
        return restore_from(source, dest)


def restore_from(source: Vault, dest: Path) -> Restored:
    """Put a verified copy of the open vault *source* (a backup the user unlocked) at
    *dest*, setting aside the vault that was there with its log; the copy opens with
    *source*'s passphrase."""
    if source.path.resolve() == dest.resolve():
        raise VaultExists("The backup and the vault to restore are the same file.")
    lock = OpenLock(dest)
    lock.acquire()  # VaultInUse if the window or a command has it open
    try:
        report = verify_vault(source)
        if not report.intact:
            raise BackupRefused(
                f"The backup “{source.path.name}” did not pass its check, so nothing was "
                f"restored: {report.problems[0]}. Try an older backup.",
                report.problems,
            )
        staging = partial_path(dest)
        source.backup_to(staging, audit_it=False)  # read back before it is used
        try:
            aside = _set_aside(dest) if dest.exists() else None
            if any(log.exists() for log in sidecars(dest)):  # an old log, left by a crash
                raise VaultExists(
                    f"A log file of an earlier vault lies beside “{dest.name}” "
                    f"(“{dest.name}-wal”); move it away, then restore again."
                )
            os.replace(staging, dest)
            fsync_dir(dest.parent)
        finally:
            for leftover in (staging, *sidecars(staging)):
                leftover.unlink(missing_ok=True)
        key = source.vault_key()
        try:
            restored = Vault.open_with_key(VaultKey(dest, key.key, key.salt, key.kdf))
        finally:
            key.wipe()
        with restored:
            with restored.change() as change:
                change.audit("vault.restored", set_aside=aside is not None)
            remember(restored, accept=True)  # older on purpose: not a silent rollback
        return Restored(dest, aside)
    finally:
        lock.release()


def _set_aside(dest: Path) -> Path:
    """Keep *dest* and its -wal/-shm under a new name, together; that name.

    Each is first linked under the new name (both names then hold it: a crash here
    leaves the vault whole where it was), then the old log names are removed, before
    the restored copy takes *dest*: an old log must never lie beside the new file.
    Where the disk has no hard links (FAT32, exFAT), each is renamed, log files last.
    """
    stamp = datetime.datetime.now().strftime("%Y-%m-%d %H.%M.%S")
    aside = dest.with_name(f"{dest.stem} before restore {stamp}{dest.suffix}")
    if aside.exists():
        raise VaultExists(f"“{aside.name}” already exists; wait a second and try again.")
    pairs = [(dest, aside), *zip(sidecars(dest), sidecars(aside), strict=True)]
    present = [(old, new) for old, new in pairs if old.exists()]
    try:
        for old, new in present:
            os.link(old, new)
    except OSError:  # no hard links here: rename, the logs first, then the vault
        for _old, new in present:
            new.unlink(missing_ok=True)
        for old, new in reversed(present):
            os.replace(old, new)
        fsync_dir(dest.parent)
        return aside
    for old, _new in present[1:]:  # the logs: never left beside the restored copy
        old.unlink()
    fsync_dir(dest.parent)
    return aside
