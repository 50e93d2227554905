"""What salvage reads from: an encrypted working copy of a damaged vault.

Salvage never writes to the damaged vault (it is evidence of what happened to it, and
a second attempt must find it as the first did). It reads a copy, made beside the new
vault under a partial name (:mod:`.partials`, so a killed salvage leaves nothing a
later start does not remove), still encrypted, byte for byte except where the damage
made the file unreadable as a whole:

- **the header** (the salt, the file's first 16 bytes, which also carries the unlock
  settings): when it was changed, the key cannot be made from it. The header printed
  when the vault was created (``init``, ``verify``) or recorded in a backup can be
  given instead;
- **a cut-short file**: the bytes after the last whole page are left out;
- **the first page** (the database header and the table of contents): when only it
  fails its check, a first page is made afresh with the same key, by this program's
  own schema, and put in its place. Tables sit where a vault made by this version
  puts them, so this rebuilds the contents of vaults made by it; for others the rows
  that do not read are reported lost;
- **the log** (``-wal``): copied when every frame in it is this vault's, and left out
  otherwise (it is named in the report).

Reading then goes through SQLCipher with the vault's key, page by page as SQLite asks;
a page whose check fails ends that query, never the salvage (:mod:`.salvage_rows`).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import sqlcipher3

from nco_desktop.vault.connection import Connection
from nco_desktop.vault.errors import VaultError
from nco_desktop.vault.kdf import (
    SALT_SIZE,
    KdfParams,
    derive_key,
    params_from_salt,
    sqlcipher_key_literal,
)
from nco_desktop.vault.migrate import migrate
from nco_desktop.vault.partials import partial_path, sidecars
from nco_desktop.vault.wal_guard import log_is_ours, mac_key_for, page_is_ours
from nco_desktop.vault.wiping import wipe

_COPY_BLOCK = 1 << 20


class SalvageRefused(VaultError):
    """Salvage cannot start: the header or the passphrase is not right, or the file
    holds nothing this key reads."""


@dataclass
class Source:
    """An encrypted working copy of the damaged vault and the key that reads it."""

    copy: Path
    key: bytearray
    salt: bytes
    kdf: KdfParams
    pages: int
    unreadable_pages: list[int] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    first_page_rebuilt: bool = False

    def connect(self) -> Connection:
        """A new read-only connection: after a page fails its check, SQLite keeps
        failing on that connection, so the reader opens another (no KDF: cheap)."""
        conn = self._keyed(self.copy.resolve().as_uri() + "?mode=ro")
        # A file cut short holds fewer pages than its header says, and SQLite then
        # refuses to read any of it; this lets it read what is there (read-only).
        conn.execute("PRAGMA writable_schema = ON")
        return conn

    def connect_for_writing(self) -> Connection:
        """A keyed connection with no journal, for the throw-away scratch file."""
        conn = self._keyed(self.copy.resolve().as_uri())
        conn.execute("PRAGMA journal_mode = OFF")
        return conn

    def _keyed(self, uri: str) -> Connection:
        conn = sqlcipher3.connect(uri, uri=True, isolation_level=None, check_same_thread=True)
        conn.execute("PRAGMA cipher_log_level = NONE")
        literal = sqlcipher_key_literal(self.key, self.salt)
        try:
            conn.set_key(literal)
        finally:
            wipe(literal)
        conn.execute(f"PRAGMA cipher_page_size = {self.kdf.page_size}")
        conn.execute("PRAGMA temp_store = MEMORY")
        return conn

    def remove(self) -> None:
        """Remove the working copy (and SQLite's files beside it); wipe the key."""
        for leftover in (self.copy, *sidecars(self.copy)):
            leftover.unlink(missing_ok=True)
        wipe(self.key)


def header_from_text(text: str) -> bytes:
    """The 16-byte header from what the user typed: 32 hex digits, with or without
    spaces or dashes (it is printed in groups)."""
    digits = "".join(ch for ch in text if ch not in " -:\t\n")
    try:
        header = bytes.fromhex(digits)
    except ValueError:
        header = b""
    if len(header) != SALT_SIZE or params_from_salt(header) is None:
        raise SalvageRefused(
            "That is not a vault header: it is 32 letters and digits (0-9, a-f), printed "
            "when the vault was created and by verify."
        )
    return header


def format_header(salt: bytes) -> str:
    """The header as people copy it down: eight groups of four."""
    digits = salt.hex()
    return "-".join(digits[i : i + 4] for i in range(0, len(digits), 4))


def open_source(
    damaged: Path, passphrase: str, beside: Path, headers: list[bytes] | None = None
) -> Source:
    """Copy *damaged* (encrypted) to a partial name beside *beside*, with the first
    of *headers* (or the file's own) whose key reads it."""
    try:
        size = damaged.stat().st_size
        with damaged.open("rb") as handle:
            own = handle.read(SALT_SIZE)
    except OSError as exc:
        raise SalvageRefused(f"“{damaged.name}” cannot be read: {exc.strerror or exc}.") from None
    candidates = [h for h in (headers or []) if h] or []
    if params_from_salt(own) is not None:
        candidates.append(own)
    if not candidates:
        raise SalvageRefused(
            f"The header of “{damaged.name}” (its first 16 bytes) is damaged, so its key "
            "cannot be made. Give the header printed when it was created (--header) or a "
            "backup of it (--header-from)."
        )
    for salt in dict.fromkeys(candidates):
        kdf = params_from_salt(salt)
        assert kdf is not None
        if not kdf.usual or size < kdf.page_size:
            continue
        key = derive_key(passphrase, salt, kdf)
        mac_key = mac_key_for(key, salt)
        if _reads_some_page(damaged, kdf, mac_key):
            return _copy(damaged, beside, key, salt, kdf, mac_key, own != salt)
        wipe(key)
    raise SalvageRefused(
        f"That passphrase does not read “{damaged.name}”, or its header is damaged. If "
        "you are sure of the passphrase, give the header printed when the vault was "
        "created (--header) or a backup made of it (--header-from)."
    )


def _reads_some_page(path: Path, kdf: KdfParams, mac_key: bytes) -> bool:
    """Whether any page authenticates with this key: a wrong key reads none. Stops
    at the first that does (the first page almost always)."""
    with path.open("rb") as handle:
        number = 0
        while len(page := handle.read(kdf.page_size)) == kdf.page_size:
            number += 1
            if page_is_ours(page, number, mac_key):
                return True
    return False


def _copy(
    damaged: Path,
    beside: Path,
    key: bytearray,
    salt: bytes,
    kdf: KdfParams,
    mac_key: bytes,
    header_entered: bool,
) -> Source:
    copy = partial_path(beside)
    pages = damaged.stat().st_size // kdf.page_size
    source = Source(copy, key, salt, kdf, pages)
    try:
        fd = os.open(copy, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        with damaged.open("rb") as src, os.fdopen(fd, "wb") as dst:
            _copy_bytes(src, dst, pages * kdf.page_size)
            if header_entered:  # the copy carries the header that reads it
                dst.seek(0)
                dst.write(salt)
        if header_entered:
            source.notes.append("Its header was damaged; the one you gave was used.")
        left_out = damaged.stat().st_size - pages * kdf.page_size
        if left_out:
            source.notes.append(
                f"It was cut short: the last {left_out:,} bytes were not a whole page and "
                "were left out."
            )
        _copy_log(damaged, copy, mac_key, source)
        _check_pages(source, mac_key)
    except BaseException:
        source.remove()
        raise
    return source


def _copy_bytes(src: object, dst: object, length: int) -> None:
    remaining = length
    while remaining:
        block = src.read(min(_COPY_BLOCK, remaining))  # type: ignore[attr-defined]
        if not block:
            break
        dst.write(block)  # type: ignore[attr-defined]
        remaining -= len(block)


def _copy_log(damaged: Path, copy: Path, mac_key: bytes, source: Source) -> None:
    log = damaged.with_name(damaged.name + "-wal")
    if not log.is_file() or log.stat().st_size == 0:
        return
    if not log_is_ours(log, mac_key):
        source.notes.append(
            f"The log beside it (“{log.name}”) is not all this vault's, so it was not "
            "used; it is left where it is."
        )
        return
    target = copy.with_name(copy.name + "-wal")
    fd = os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    with log.open("rb") as src, os.fdopen(fd, "wb") as dst:
        shutil.copyfileobj(src, dst, _COPY_BLOCK)
    source.notes.append("The changes kept in the log beside it were read as well.")


def _check_pages(source: Source, mac_key: bytes) -> None:
    """Find the pages that fail their check; rebuild the first page if it is one."""
    size = source.kdf.page_size
    with source.copy.open("rb") as handle:
        for number in range(1, source.pages + 1):
            if not page_is_ours(handle.read(size), number, mac_key):
                source.unreadable_pages.append(number)
    if 1 in source.unreadable_pages:
        _rebuild_first_page(source)
        source.first_page_rebuilt = True
        source.notes.append(
            "Its first page (the table of contents) was damaged and was made afresh; "
            "tables are read where this version of the program puts them."
        )


def _rebuild_first_page(source: Source) -> None:
    """Write, with the vault's key, a first page of a vault made by this program at
    the same size, and put it over the damaged one in the working copy."""
    scratch = partial_path(source.copy)
    try:
        os.close(os.open(scratch, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        conn = Source(scratch, source.key, source.salt, source.kdf, 0).connect_for_writing()
        try:
            migrate(conn, "1970-01-01T00:00:00Z")
            # At least as many pages as the damaged vault, so its page count (which
            # SQLite trusts) covers every page; the copy is then grown to match. No
            # journal: the scratch file is thrown away, and a journal would double it.
            conn.execute("CREATE TABLE salvage_filler (data BLOB)")
            (have,) = conn.execute("PRAGMA page_count").fetchone()
            filler = max(0, source.pages - int(have) + 1) * source.kdf.page_size
            conn.execute("INSERT INTO salvage_filler VALUES (zeroblob(?))", (filler,))
            conn.execute("DROP TABLE salvage_filler")
            (scratch_pages,) = conn.execute("PRAGMA page_count").fetchone()
        finally:
            conn.close()
        with scratch.open("rb") as handle:
            first = handle.read(source.kdf.page_size)
        with source.copy.open("r+b") as handle:
            handle.write(first)
            handle.truncate(max(source.pages, int(scratch_pages)) * source.kdf.page_size)
    except sqlcipher3.DatabaseError as exc:
        raise SalvageRefused(f"A first page could not be made: {exc}.") from None
    finally:
        for leftover in (scratch, *sidecars(scratch)):
            leftover.unlink(missing_ok=True)
