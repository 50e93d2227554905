"""Opening SQLCipher connections with the settings every connection must carry.

Non-default settings are per connection in SQLCipher, so they all live here: the raw
key, the page size, WAL, foreign keys and ``temp_store = MEMORY``. The last one is a
safety rule, not a tuning knob: without it a large sort was seen spilling plaintext
rows to ``/var/tmp/etilqs_*``. We read it back and refuse to continue if it did not
take.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import sqlcipher3

from nco_desktop.vault.errors import (
    NotAVault,
    VaultDamaged,
    VaultError,
    VaultNotFound,
    WrongPassphrase,
)
from nco_desktop.vault.faults import DiskProblem, disk_problem
from nco_desktop.vault.kdf import SALT_SIZE, KdfParams, params_from_salt, sqlcipher_key_literal
from nco_desktop.vault.wiping import wipe

PLAIN_SQLITE_MAGIC = b"SQLite format 3\x00"
SQLITE_BUSY, SQLITE_LOCKED = 5, 6

if TYPE_CHECKING:  # sqlcipher3 ships no stubs; its API is the standard library's sqlite3
    from sqlite3 import Connection, DatabaseError, IntegrityError
else:
    Connection = sqlcipher3.Connection
    DatabaseError = sqlcipher3.DatabaseError
    IntegrityError = sqlcipher3.IntegrityError


@dataclass(frozen=True)
class VaultFileInfo:
    """What can be learnt about a vault file without its passphrase."""

    path: Path
    salt: bytes
    kdf: KdfParams
    size: int


def sqlcipher_version() -> str:
    """The SQLCipher (and SQLite) this program encrypts with, for About and bug reports.

    Asked of an in-memory connection: it needs no key and touches no file."""
    conn = sqlcipher3.connect(":memory:")
    try:
        row = conn.execute("PRAGMA cipher_version").fetchone()
    finally:
        conn.close()
    cipher = str(row[0]) if row and row[0] else "unknown"
    return f"{cipher} (SQLite {sqlcipher3.sqlite_version})"


def inspect_vault_file(path: Path) -> VaultFileInfo:
    """Check that *path* looks like one of our vaults; read its salt and KDF settings.

    Raises a specific error for a missing file, an empty file, a plain (unencrypted)
    SQLite database, some other file, and a vault that has been cut short.
    """
    name = path.name
    try:
        size = path.stat().st_size
        if not path.is_file():
            raise NotAVault(f"“{name}” is a folder or a device, not a vault file.")
        with path.open("rb") as handle:
            head = handle.read(SALT_SIZE)
    except FileNotFoundError:
        raise VaultNotFound(f"There is no vault at “{path}”.") from None
    except PermissionError:
        raise NotAVault(f"“{name}” cannot be read: permission denied.") from None
    if size == 0:
        raise NotAVault(f"“{name}” is an empty file, not a vault.")
    if head == PLAIN_SQLITE_MAGIC:
        raise NotAVault(
            f"“{name}” is an ordinary, unencrypted SQLite database, not an NCO Desktop vault."
        )
    kdf = params_from_salt(head)
    if kdf is None:
        raise NotAVault(f"“{name}” is not an NCO Desktop vault (or its first bytes are damaged).")
    if not kdf.usual:
        raise NotAVault(
            f"“{name}” asks for unusual unlock settings ({kdf.describe()}), far more than "
            "this program ever uses, so it was not tried: it may not be a vault made by "
            "this program, or its first bytes were changed. Open a backup instead."
        )
    if size % kdf.page_size != 0:
        raise VaultDamaged(
            f"“{name}” is damaged: it is {size:,} bytes long, which is not a whole number of "
            f"pages. It may have been cut short while copying. Restore it from a backup."
        )
    return VaultFileInfo(path=path, salt=head, kdf=kdf, size=size)


def connect(path: Path, key: bytearray, salt: bytes, kdf: KdfParams) -> Connection:
    """A new keyed connection with every safety setting applied and checked.

    The key goes to SQLCipher through ``set_key`` (``sqlite3_key``) as a ``bytearray``
    that is zeroed right after, never as ``PRAGMA key = …`` text: a statement's text
    is a ``str`` we cannot overwrite, and the statement cache kept it until the
    connection closed (see :mod:`nco_desktop.vault.wiping`).

    Raises WrongPassphrase when the key does not decrypt the first page, and
    VaultDamaged when it does but the file is corrupt. Connections are cheap (no KDF);
    open one per thread and never share one across threads.

    On a full disk the shared-memory file WAL mode keeps beside the vault (``-shm``)
    cannot be made, so the vault is opened in exclusive locking mode instead, which
    keeps that index in memory: the evidence can still be read and checked (issue
    #16), while every write fails with the disk's own words.
    """
    try:
        return _connect(path, key, salt, kdf, exclusive=False)
    except DiskProblem as problem:
        if problem.kind != "full":
            raise
        return _connect(path, key, salt, kdf, exclusive=True)


def _connect(
    path: Path, key: bytearray, salt: bytes, kdf: KdfParams, *, exclusive: bool
) -> Connection:
    conn = sqlcipher3.connect(os.fspath(path), isolation_level=None, check_same_thread=True)
    try:
        # Before the key, so a wrong one does not print "hmac check failed" to stderr.
        conn.execute("PRAGMA cipher_log_level = NONE")
        literal = sqlcipher_key_literal(key, salt)
        try:
            conn.set_key(literal)  # sqlcipher3 only: sqlite3_key with our buffer
        finally:
            wipe(literal)
        conn.execute(f"PRAGMA cipher_page_size = {kdf.page_size}")
        if exclusive:  # before the first read: no -shm file is ever made
            conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except DatabaseError as exc:
            if "not a database" in str(exc) and _only_some_pages_fail(conn, path, kdf):
                raise damaged_start(path) from None
            if "not a database" in str(exc):
                raise wrong_passphrase(path) from None
            raise _disk_or_damage(exc, path) from None
        _apply_settings(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn


def wrong_passphrase(path: Path) -> WrongPassphrase:
    return WrongPassphrase(
        f"That passphrase does not unlock “{path.name}”. Check for Caps Lock and the "
        "keyboard layout, then try again."
    )


def damaged_start(path: Path) -> VaultDamaged:
    return VaultDamaged(
        f"“{path.name}” is damaged: the passphrase is right, but the start of the file has "
        "been changed or overwritten. Restore it from a backup (nco-desktop restore)."
    )


def _disk_or_damage(exc: DatabaseError, path: Path) -> VaultError:
    """What to say when opening failed: the disk's fault (full, read-only, refused,
    failing) in its own words, and only otherwise damage."""
    problem = disk_problem(exc, f"opening “{path.name}”", path)
    if problem is not None:
        return problem
    code = getattr(exc, "sqlite_errorcode", None)
    if (isinstance(code, int) and code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)) or (
        "database is locked" in str(exc).lower()
    ):  # another connection holds it (on a full disk, one in exclusive mode): not damage
        return VaultError(
            f"“{path.name}” is busy: another part of the program or another window holds "
            "it. Nothing was changed; try again in a moment."
        )
    return VaultDamaged(f"“{path.name}” is damaged or cannot be read: {exc}.")


def _only_some_pages_fail(conn: Connection, path: Path, kdf: KdfParams) -> bool:
    """Tell a damaged first page from a wrong key: with the right key most pages still
    decrypt; with a wrong one none does. Reads the whole file, only after a failure."""
    try:
        pages = path.stat().st_size // kdf.page_size
        failures = len(conn.execute("PRAGMA cipher_integrity_check").fetchall())
    except (DatabaseError, OSError):
        return False
    return pages > 1 and 0 < failures < pages


def _apply_settings(conn: Connection, path: Path) -> None:
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA busy_timeout = 5000")  # another thread's write: wait, do not fail
    conn.execute("PRAGMA synchronous = FULL")
    try:
        conn.execute("PRAGMA journal_mode = WAL").fetchone()
    except DatabaseError as exc:
        raise _disk_or_damage(exc, path) from None
    checks = {
        "temp_store": 2,  # MEMORY: never spill plaintext temp tables to disk
        "foreign_keys": 1,
    }
    for pragma, expected in checks.items():
        (value,) = conn.execute(f"PRAGMA {pragma}").fetchone()
        if value != expected:
            raise RuntimeError(f"PRAGMA {pragma} is {value}, expected {expected}; refusing to run")
    (mode,) = conn.execute("PRAGMA journal_mode").fetchone()
    if str(mode).lower() != "wal":
        raise RuntimeError(f"journal mode is {mode}, expected WAL; refusing to run")
