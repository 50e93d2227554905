"""A vault copied into a new file, made sure of before it takes its name.

Used by :meth:`Vault.backup_to` and :meth:`Vault.change_passphrase`: a new file is
written into its own write-ahead log first, so the log is folded in here, where a
failure (a nearly full disk) is seen, and the copy is read back through a connection
of its own before it is renamed into place; a disk fault is said in the disk's words
(:mod:`.faults`).
"""

from __future__ import annotations

import os
from pathlib import Path

from nco_desktop.vault.connection import Connection, connect
from nco_desktop.vault.errors import VaultDamaged
from nco_desktop.vault.faults import disk_problem
from nco_desktop.vault.kdf import KdfParams


def fold_in(copy: Connection, dest: Path) -> None:
    """Move everything a new copy holds from its log into its own file, or raise.

    A new file is written into its -wal first; SQLite folds the log in when the last
    connection closes but ignores a failure there (a nearly full disk), and the log,
    the only whole copy, was then removed with the partial's leftovers: a broken file
    saved under the chosen name. So it is folded in here, where a failure is seen."""
    row = copy.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if row is None or row[0] != 0 or row[1] != row[2]:
        raise VaultDamaged(
            f"The copy could not be written completely, so nothing was saved as "
            f"“{dest.name}”. Check that the disk has room, then try again."
        )


def reread(path: Path, key: bytearray, salt: bytes, kdf: KdfParams, dest: Path) -> None:
    """Read a finished copy back through a new connection: its own file only, now."""
    copy = connect(path, key, salt, kdf)
    try:
        check_copy(copy, dest)
    finally:
        copy.close()


def check_copy(copy: Connection, dest: Path) -> None:
    """Every page of a new copy decrypts and authenticates, and its structure holds;
    otherwise VaultDamaged, and nothing is saved under *dest*."""
    failed = copy.execute("PRAGMA cipher_integrity_check").fetchall()
    structure = [str(row[0]) for row in copy.execute("PRAGMA quick_check")]
    if failed or structure != ["ok"]:
        raise VaultDamaged(
            f"The copy did not read back as it was written, so nothing was saved as "
            f"“{dest.name}”. Try another disk."
        )


def on_disk(exc: BaseException, doing: str, where: Path) -> BaseException:
    """*exc* said as the disk's fault (full, read-only …) with what did not happen, or
    *exc* itself when it is not one."""
    return disk_problem(exc, doing, where) or exc


def is_open(conn: Connection) -> bool:
    try:
        conn.execute("SELECT 1")
    except Exception:
        return False
    return True


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
