"""The vault: one encrypted SQLCipher file, opened with a passphrase.

A :class:`Vault` owns one connection for the thread that opened it. Worker threads
call :meth:`Vault.clone` for their own connection (no second key derivation). Every
write goes through :meth:`Vault.change`: one transaction that must append at least
one audit row, or it is rolled back.
"""

from __future__ import annotations

import hmac
import json
import os
import secrets
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from nco_desktop.timekeeping import Clock, iso_utc, load_zone, system_clock
from nco_desktop.vault import audit, copying
from nco_desktop.vault.connection import Connection, DatabaseError, connect, inspect_vault_file
from nco_desktop.vault.errors import (
    AuditMissing,
    VaultClosed,
    VaultDamaged,
    VaultExists,
    WeakPassphrase,
    WrongPassphrase,
)
from nco_desktop.vault.faults import DiskProblem
from nco_desktop.vault.kdf import (
    DEFAULT_KDF,
    KdfParams,
    check_new_passphrase,
    derive_key,
    new_salt,
    sqlcipher_key_literal,
)
from nco_desktop.vault.migrate import migrate, pending_steps, schema_version
from nco_desktop.vault.partials import partial_path, sidecars
from nco_desktop.vault.wal_guard import keep_damaged_log, set_aside_foreign_log
from nco_desktop.vault.wiping import is_wiped, wipe

VAULT_SUFFIX = ".ncovault"
TIME_ZONE_SETTING = "time_zone"
CASE_SETTING = "case"
#: The vault file's header (its salt, which is not secret), recorded inside it so that
#: every backup carries the header of the vault it was made from: salvage can read a
#: vault whose first bytes were damaged with it (see nco_desktop.salvage).
HEADER_SETTING = "vault_header"

NO_RECOVERY_WARNING = (
    "Nobody can recover a forgotten passphrase — not us, not a technician. "
    "If you forget it, everything in this vault is lost. Write it down and keep it "
    "somewhere the other person cannot reach."
)


@dataclass
class Change:
    """The open transaction of one user action."""

    conn: Connection
    at: str
    audited: int = 0
    #: The highest entry id an import recorded (evidence.store: new entries go above it).
    entry_floor: int | None = None

    def audit(self, action: str, **details: Any) -> audit.AuditHead:
        head = audit.append(self.conn, self.at, action, details)
        self.audited += 1
        return head

    def set_setting(self, key: str, value: Any) -> None:
        self.conn.execute(
            "INSERT INTO settings (key, value_json) VALUES (?, ?) "
            "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json",
            (key, json.dumps(value, ensure_ascii=False, sort_keys=True)),
        )


@dataclass(frozen=True, eq=False)
class VaultKey:
    """A derived key and the file it opens; it never prints the key.

    It owns its own buffer: :meth:`Vault.open_with_key` copies the key into the vault,
    so whoever got this object wipes it once it has served (:meth:`wipe`), and it wipes
    itself when it is dropped, as a backstop for a holder that forgot.
    """

    path: Path
    key: bytearray = field(repr=False)
    salt: bytes = field(repr=False)
    kdf: KdfParams

    def wipe(self) -> None:
        """Overwrite the key with zeros; the object can no longer open anything."""
        wipe(self.key)

    @property
    def wiped(self) -> bool:
        return is_wiped(self.key)

    def __del__(self) -> None:
        wipe(self.key)


class Vault:
    """An unlocked vault. Use as a context manager, or call :meth:`close`.

    Each handle keeps its own copy of the key in one ``bytearray`` and zeroes it on
    :meth:`close` (a clone or a job's handle zeroes only its own), so that after a
    lock no copy of the key is left in memory (see :mod:`nco_desktop.vault.wiping`).
    """

    def __init__(
        self,
        path: Path,
        conn: Connection,
        key: bytearray,
        salt: bytes,
        kdf: KdfParams,
        clock: Clock,
    ) -> None:
        self.path = path
        self._conn: Connection | None = conn
        self._key = bytearray(key)  # our own copy: the caller wipes theirs
        self._salt = salt
        self.kdf = kdf
        self._clock = clock
        #: Where a write-ahead log that was not this vault's was moved when it was
        #: opened (see wal_guard), for the caller to tell the user; None: there was none.
        self.set_aside_log: Path | None = None
        #: A copy of a log damaged part way, and how many saved changes after the
        #: damage SQLite could not replay (see wal_guard.keep_damaged_log).
        self.damaged_log: tuple[Path, int] | None = None

    # ----- life cycle -------------------------------------------------------------

    @property
    def conn(self) -> Connection:
        """This handle's connection; :class:`VaultClosed` once the handle is closed, so a
        late timer or signal that still holds it fails loudly instead of reading on."""
        if self._conn is None:
            raise VaultClosed("This vault handle is closed (the vault was locked).")
        return self._conn

    @conn.setter
    def conn(self, conn: Connection) -> None:
        self._conn = conn

    @property
    def is_open(self) -> bool:
        return self._conn is not None

    @classmethod
    def create(
        cls,
        path: Path | str,
        passphrase: str,
        *,
        time_zone: str = "UTC",
        case_title: str = "",
        kdf: KdfParams = DEFAULT_KDF,
        clock: Clock = system_clock,
    ) -> Vault:
        """Create a new vault file atomically: it appears whole, or not at all."""
        path = Path(path)
        if path.exists():
            raise VaultExists(f"“{path}” already exists; choose another name.")
        reason = check_new_passphrase(passphrase)
        if reason:
            raise WeakPassphrase(reason)
        load_zone(time_zone)
        salt = new_salt(kdf)
        key = derive_key(passphrase, salt, kdf)
        partial = path.with_name(f".{path.name}.creating-{secrets.token_hex(4)}")
        try:
            # Owner-only from the first byte; SQLite gives its -wal file the same mode.
            os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            conn = connect(partial, key, salt, kdf)
            vault = cls(partial, conn, key, salt, kdf, clock)
            try:
                migrate(conn, iso_utc(clock()))
                with vault.change() as change:
                    change.set_setting(TIME_ZONE_SETTING, time_zone)
                    change.set_setting(CASE_SETTING, {"title": case_title})
                    change.set_setting(HEADER_SETTING, salt.hex())
                    change.audit("vault.created", time_zone=time_zone, kdf=kdf.describe())
            finally:
                vault.close()  # the last connection: the WAL is folded in and removed
            copying.fsync_file(partial)
            os.replace(partial, path)
            copying.fsync_dir(path.parent)
            return cls._connect_existing(path, key, salt, kdf, clock)
        finally:
            wipe(key)
            partial.unlink(missing_ok=True)

    @classmethod
    def open(
        cls,
        path: Path | str,
        passphrase: str,
        *,
        clock: Clock = system_clock,
        check_log: bool = True,
    ) -> Vault:
        """Unlock an existing vault, migrating it (after a backup) if it is older.

        *check_log*: set aside a write-ahead log that is not this vault's (see
        :mod:`.wal_guard`); pass False when another process holds the vault open (its
        log is live, and only the holder may move it)."""
        path = Path(path)
        info = inspect_vault_file(path)
        key = derive_key(passphrase, info.salt, info.kdf)
        try:
            return cls._connect_existing(path, key, info.salt, info.kdf, clock, check_log=check_log)
        finally:
            wipe(key)

    @classmethod
    def derive_key(cls, path: Path | str, passphrase: str) -> VaultKey:
        """The slow half of :meth:`open` (the KDF), safe to run on a worker thread.

        The window derives the key off the GUI thread and then calls
        :meth:`open_with_key` there, because a connection belongs to the thread that made
        it. A wrong passphrase is only found out by :meth:`open_with_key`. The caller
        wipes the key once the vault is open (or the attempt failed).
        """
        path = Path(path)
        info = inspect_vault_file(path)
        return VaultKey(path, derive_key(passphrase, info.salt, info.kdf), info.salt, info.kdf)

    @classmethod
    def open_with_key(
        cls, vault_key: VaultKey, *, clock: Clock = system_clock, check_log: bool = False
    ) -> Vault:
        """The fast half of :meth:`open`: connect with a key already derived.

        The vault copies the key; *vault_key* stays usable (a job opens its connection
        with it) until its holder wipes or drops it. *check_log*: this is the first
        connection (unlocking), so a write-ahead log that is not this vault's is set
        aside first (see :mod:`.wal_guard`); a job's extra connection skips it."""
        if vault_key.wiped:
            raise VaultClosed("This key was wiped (the vault was locked).")
        return cls._connect_existing(
            vault_key.path, vault_key.key, vault_key.salt, vault_key.kdf, clock, check_log=check_log
        )

    @property
    def header(self) -> bytes:
        """The file's first 16 bytes (its salt and unlock settings): not secret, and
        what salvage needs if those bytes are ever damaged."""
        return self._salt

    def record_header(self) -> None:
        """Record this file's header inside it if it is not there yet (a vault made
        before it was recorded, or a restored backup, which carries its source's)."""
        if self.setting(HEADER_SETTING) != self._salt.hex():
            with self.change() as change:
                change.set_setting(HEADER_SETTING, self._salt.hex())
                change.audit("vault.header_recorded")

    def vault_key(self) -> VaultKey:
        """This vault's key, to reopen it on another thread after this handle is closed:
        a copy, which its holder wipes (or drops) when done."""
        if self._conn is None:
            raise VaultClosed("A closed vault has no key to give.")
        return VaultKey(self.path, bytearray(self._key), self._salt, self.kdf)

    @classmethod
    def _connect_existing(
        cls,
        path: Path,
        key: bytearray,
        salt: bytes,
        kdf: KdfParams,
        clock: Clock,
        *,
        check_log: bool = False,
    ) -> Vault:
        set_aside = set_aside_foreign_log(path, key, salt, kdf) if check_log else None
        damaged = keep_damaged_log(path, key, salt, kdf) if check_log and not set_aside else None
        conn = connect(path, key, salt, kdf)
        vault = cls(path, conn, key, salt, kdf, clock)
        vault.set_aside_log = set_aside
        vault.damaged_log = damaged
        try:
            if pending_steps(conn):
                if schema_version(conn) > 0:
                    vault.backup_to(vault.pre_migration_backup_path(), audit_it=False)
                migrate(conn, vault.now_iso())
        except BaseException:
            vault.close()
            raise
        return vault

    def pre_migration_backup_path(self) -> Path:
        """A new name beside the vault; an older backup (a migration that was interrupted
        before) is kept, never overwritten, and never blocks opening."""
        version = schema_version(self.conn)
        stamp = self._clock().strftime("%Y%m%d-%H%M%S")
        base = f"{self.path.stem}.schema-{version}-backup-{stamp}"
        candidate = self.path.with_name(base + VAULT_SUFFIX)
        counter = 1
        while candidate.exists():
            counter += 1
            candidate = self.path.with_name(f"{base}-{counter}{VAULT_SUFFIX}")
        return candidate

    def clone(self) -> Vault:
        """Another handle on this vault with its own connection, for another thread."""
        if self._conn is None:
            raise VaultClosed("A closed vault cannot be cloned.")
        conn = connect(self.path, self._key, self._salt, self.kdf)
        return Vault(self.path, conn, self._key, self._salt, self.kdf, self._clock)

    def close(self) -> None:
        """Close the connection and forget the key; closing twice is harmless.

        The key is overwritten in place, not replaced: replacing would only drop the
        reference and leave the bytes in freed memory. Closing the connection makes
        SQLCipher zero its own copies and frees the statement cache."""
        conn, self._conn = self._conn, None
        wipe(self._key)
        if conn is not None:
            conn.close()

    def __del__(self) -> None:
        # A handle dropped without close (a test, an error path): at least the key goes.
        key = getattr(self, "_key", None)
        if isinstance(key, bytearray):
            wipe(key)

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ----- writing ----------------------------------------------------------------

    def now_iso(self) -> str:
        return iso_utc(self._clock())

    @contextmanager
    def change(self) -> Iterator[Change]:
        """One user action = one transaction with at least one audit row."""
        if self.conn.in_transaction:
            raise RuntimeError("changes do not nest; finish the open one first")
        self.conn.execute("BEGIN IMMEDIATE")
        change = Change(self.conn, self.now_iso())
        try:
            yield change
            if change.audited == 0:
                raise AuditMissing("A change tried to save without an audit record.")
            self.conn.execute("COMMIT")
        except BaseException:
            # A failed COMMIT (a full disk) may have rolled back already: rolling back
            # again would raise "no transaction is active" and hide why it failed.
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise

    # ----- settings ---------------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value_json FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_settings(self, values: Mapping[str, Any]) -> None:
        with self.change() as change:
            for key, value in values.items():
                change.set_setting(key, value)
            change.audit("settings.changed", keys=sorted(values))

    @property
    def time_zone_name(self) -> str:
        return str(self.setting(TIME_ZONE_SETTING, "UTC"))

    @property
    def time_zone(self) -> ZoneInfo:
        return load_zone(self.time_zone_name)

    @property
    def case_details(self) -> dict[str, Any]:
        return dict(self.setting(CASE_SETTING, {}))

    @property
    def schema_version(self) -> int:
        return schema_version(self.conn)

    # ----- passphrase and backup ---------------------------------------------------

    def change_passphrase(self, new_passphrase: str) -> None:
        """Re-encrypt the vault under a key from *new_passphrase* and a new salt.

        Not ``PRAGMA rekey`` in place: the salt (which carries the KDF settings) lives in
        the file's first bytes, and a crash mid-rekey was seen leaving the new salt over
        pages rolled back to the old key, a vault neither passphrase opens. Instead the
        whole vault is exported into a new file under the new key, the change is audited
        there, and the new file replaces the old one in one rename: a crash leaves the
        old vault or the new one. Other connections to this vault must be closed first.
        """
        reason = check_new_passphrase(new_passphrase)
        if reason:
            raise WeakPassphrase(reason)
        salt = new_salt(self.kdf)
        key = derive_key(new_passphrase, salt, self.kdf)
        partial = partial_path(self.path)  # found and removed at the next start if killed
        try:
            self._export_to(partial, key, salt)
            fresh = Vault(
                partial, connect(partial, key, salt, self.kdf), key, salt, self.kdf, self._clock
            )
            try:
                with fresh.change() as change:
                    change.set_setting(HEADER_SETTING, salt.hex())
                    change.audit("vault.passphrase_changed", kdf=self.kdf.describe())
                copying.fold_in(fresh.conn, self.path)  # its log into its file, or an error
            finally:
                fresh.close()
            copying.reread(partial, key, salt, self.kdf, self.path)
            copying.fsync_file(partial)
            self.conn.close()  # the last connection: the WAL is folded in and removed
            os.replace(partial, self.path)
            copying.fsync_dir(self.path.parent)
            self._key[:] = key  # same length: overwritten in place, the old key is gone
            self._salt = salt
        except (DiskProblem, DatabaseError, OSError) as exc:
            raise copying.on_disk(exc, "the passphrase change", self.path) from exc
        finally:
            wipe(key)
            for leftover in (partial, *sidecars(partial)):
                leftover.unlink(missing_ok=True)
            if not copying.is_open(self.conn):
                self.conn = connect(self.path, self._key, self._salt, self.kdf)

    def _export_to(self, dest: Path, key: bytearray, salt: bytes) -> None:
        """Copy every table, index and setting into *dest* under another key."""
        version = schema_version(self.conn)
        os.close(os.open(dest, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        # The key is bound as a bytearray (SQLCipher reads x'…' from a blob as from
        # text), never spliced into the statement's text: see connection.connect.
        literal = sqlcipher_key_literal(key, salt)
        try:
            self.conn.execute("ATTACH DATABASE ? AS fresh KEY ?", (os.fspath(dest), literal))
        finally:
            wipe(literal)
        try:
            self.conn.execute(f"PRAGMA fresh.cipher_page_size = {self.kdf.page_size}")
            self.conn.execute("SELECT sqlcipher_export('fresh')")
            self.conn.execute(f"PRAGMA fresh.user_version = {version:d}")
        finally:
            self.conn.execute("DETACH DATABASE fresh")

    def backup_to(
        self, dest: Path | str, *, audit_it: bool = True, passphrase: str | None = None
    ) -> Path:
        """Copy the vault into a new encrypted file that opens with the same passphrase.

        With *passphrase* (the vault's own), the copy gets a salt and so a key of its
        own, exported under it as a passphrase change does: a write-ahead log of one
        can then never be taken for the other's (see :mod:`.wal_guard`). Without it, the
        SQLite backup API copies the pages under the same key. Either way into a
        partial file beside *dest*, read back, renamed into place only when complete.
        """
        dest = Path(dest)
        if dest.exists():
            raise VaultExists(f"“{dest}” already exists; choose another name for the backup.")
        partial = partial_path(dest)
        key, salt = self._key, self._salt
        if passphrase is not None:
            check = derive_key(passphrase, self._salt, self.kdf)
            same = hmac.compare_digest(check, self._key)
            wipe(check)
            if not same:  # the copy must open with the vault's own passphrase
                raise WrongPassphrase("That is not this vault's passphrase; no backup was made.")
            salt = new_salt(self.kdf)
            key = derive_key(passphrase, salt, self.kdf)
        try:
            if passphrase is not None:
                self._export_to(partial, key, salt)
            else:
                os.close(os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            target = connect(partial, key, salt, self.kdf)
            try:
                if passphrase is None:
                    self.conn.backup(target)
                copying.fold_in(target, dest)  # its log into its file, or an error
            finally:
                target.close()
            copying.reread(partial, key, salt, self.kdf, dest)  # read back before it is named
            copying.fsync_file(partial)
            os.replace(partial, dest)
            copying.fsync_dir(dest.parent)
        except (DiskProblem, DatabaseError, OSError) as exc:
            raise copying.on_disk(exc, "the backup", dest) from exc
        except VaultDamaged:
            raise
        finally:
            if key is not self._key:
                wipe(key)
            for leftover in (partial, *sidecars(partial)):
                leftover.unlink(missing_ok=True)
        if audit_it:  # recorded once the copy exists, never for a copy that failed
            with self.change() as change:
                change.audit("vault.backed_up")
        return dest
