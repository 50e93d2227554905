"""A write-ahead log that does not belong to the vault is set aside, never replayed.

SQLite's log beside a vault (``NAME-wal``) is not bound to the file it was written for:
a log left by another file under the same name — a backup copied over the vault after
a crash, a vault from elsewhere — was replayed into it silently (issue #16). SQLCipher
authenticates every page, frames in the log included, with an HMAC under the vault's
key. So before a vault is opened, every frame SQLite would replay (the frames of the
log's current generation, up to its last commit, with valid checksums, as SQLite
itself reads them) is checked against the key that opens the vault's own first page:

- all pass: the log is the vault's own (say, after a crash): it is used;
- one fails: the log is not this vault's (or is damaged): it is renamed aside,
  ``NAME-wal.set-aside-<time>`` — kept, encrypted as it was — with its ``-shm`` (an
  index of it, no content) removed, and the vault opens as it was last checkpointed;
- the vault's own first page fails: the passphrase is wrong (or only that page is
  damaged): that is said before SQLite ever opens the file, and the log is untouched.

Logs from files with another key are told apart; a file copied byte for byte (same
key) cannot be, which is why backups get a key of their own.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import os
import struct
import time
from collections.abc import Iterator
from pathlib import Path

from nco_desktop.vault.connection import damaged_start, wrong_passphrase
from nco_desktop.vault.kdf import KdfParams

WAL_HEADER, FRAME_HEADER = 32, 24
_MAGIC = (0x377F0682, 0x377F0683)
#: SQLCipher 4's page layout: a 16-byte IV and a 64-byte HMAC-SHA512 at each page's end;
#: its HMAC key is PBKDF2-HMAC-SHA512(key, salt ^ 0x3a, 2 rounds).
IV_SIZE, HMAC_SIZE = 16, 64
HMAC_SALT_MASK, FAST_KDF_ROUNDS = 0x3A, 2


def set_aside_foreign_log(path: Path, key: bytearray, salt: bytes, kdf: KdfParams) -> Path | None:
    """Before SQLite opens *path*: check the key, then the log beside it; if the log is
    not the vault's own, rename it aside and return its new name (None otherwise).

    The key is checked here, on the vault's own pages, so that a wrong passphrase never
    reaches SQLite: a failed attempt's connection, closing, would fold the log into the
    vault, a foreign one included. Raises WrongPassphrase, or VaultDamaged when only
    the first page fails (and the log holds no whole copy of it). *key* is read, never
    copied (the caller wipes it); the HMAC key derived from it is an immutable bytes
    object Python cannot wipe: it forges page checks, it does not decrypt."""
    mac_key = mac_key_for(key, salt)
    try:
        first = _read(path, 0, kdf.page_size)
    except OSError:
        return None  # connect says what is wrong with the file
    log = path.with_name(path.name + "-wal")
    ours, has_first = _judge(log, mac_key)
    if len(first) == kdf.page_size and not page_is_ours(first, 1, mac_key):
        # Read while another process was writing it (a checkpoint elsewhere)? Once more.
        time.sleep(0.05)
        first = _read(path, 0, kdf.page_size)
    if len(first) == kdf.page_size and not page_is_ours(first, 1, mac_key):
        # Torn by a crash while the log was being folded in? The log's own copy of page
        # 1, if it is there and every frame is ours, is what SQLite reads: it is whole.
        if ours and has_first:
            return None
        if _other_pages_are_ours(path, kdf, mac_key):
            raise damaged_start(path)
        raise wrong_passphrase(path)
    if ours:
        return None
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = log.with_name(f"{log.name}.set-aside-{stamp}")
    os.replace(log, aside)
    path.with_name(path.name + "-shm").unlink(missing_ok=True)
    return aside


def keep_damaged_log(
    path: Path, key: bytearray, salt: bytes, kdf: KdfParams
) -> tuple[Path, int] | None:
    """Before SQLite opens *path*: if its own log is damaged part way — a frame whose
    checksum fails, with saved changes (commits of this vault's key, of the log's
    current generation) after it — copy the log aside and return (the copy, how many
    saved changes SQLite will not replay).

    SQLite replays a log up to the first frame whose running checksum fails and drops
    the rest without a word; one flipped bit in the first frame lost every change in
    the log while verify passed (issue #16). SQLite still replays the part before the
    damage (the vault opens as it was then); the copy keeps the rest, encrypted, and
    the caller says so."""
    log = path.with_name(path.name + "-wal")
    try:
        lost = _commits_after_break(log, mac_key_for(key, salt), kdf.page_size)
        if not lost:
            return None
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        copy = log.with_name(f"{log.name}.damaged-{stamp}")
        with log.open("rb") as src, copy.open("xb") as dst:
            os.fchmod(dst.fileno(), 0o600)
            while block := src.read(1 << 20):
                dst.write(block)
            dst.flush()
            os.fsync(dst.fileno())
    except OSError:
        return None  # unreadable, or no room for the copy: SQLite's own error follows
    return copy, lost


def _commits_after_break(log: Path, mac_key: bytes, page_size: int) -> int:
    """How many commit frames of this key and this generation follow the first frame
    SQLite would stop at (0 when the running checksum holds to the end). When the
    log's own header is damaged (SQLite then ignores the whole log), the generation
    is the one of the first frame that is this key's."""
    replayed = sum(1 for _ in _frames(log))
    lost = 0
    try:
        handle = log.open("rb")
    except OSError:
        return 0
    with handle:
        header = handle.read(WAL_HEADER)
        if len(header) < WAL_HEADER:
            return 0
        salts: tuple[int, int] | None = struct.unpack(">2I", header[16:24])
        if not replayed and not _header_holds(header):
            salts = None
        handle.seek(WAL_HEADER + replayed * (FRAME_HEADER + page_size))
        while len(frame := handle.read(FRAME_HEADER + page_size)) == FRAME_HEADER + page_size:
            number, commit, f_salt1, f_salt2 = struct.unpack(">4I", frame[:16])
            if salts is not None and (f_salt1, f_salt2) != salts:
                continue
            if number == 0 or not page_is_ours(frame[FRAME_HEADER:], number, mac_key):
                continue
            salts = salts or (f_salt1, f_salt2)
            lost += commit != 0
    return lost


def _header_holds(header: bytes) -> bool:
    """Whether SQLite would take this log header as valid."""
    magic, _v, page_size, _seq, _s1, _s2, sum1, sum2 = struct.unpack(">8I", header)
    if magic not in _MAGIC or page_size < 512 or page_size & (page_size - 1):
        return False
    return _checksum(header[:24], 0, 0, magic & 1) == (sum1, sum2)


def mac_key_for(key: bytearray, salt: bytes) -> bytes:
    """The key SQLCipher checks each page's HMAC with (see the module's notes)."""
    return hashlib.pbkdf2_hmac(
        "sha512", key, bytes(b ^ HMAC_SALT_MASK for b in salt), FAST_KDF_ROUNDS, 32
    )


def log_is_ours(log: Path, mac_key: bytes) -> bool:
    """Whether every frame SQLite would replay from *log* is this key's."""
    return _judge(log, mac_key)[0]


def _other_pages_are_ours(path: Path, kdf: KdfParams, mac_key: bytes) -> bool:
    """Whether any of pages 2-9 authenticates: then the key is right and only the first
    page was changed; with a wrong key none does."""
    try:
        pages = path.stat().st_size // kdf.page_size
        return any(
            page_is_ours(_read(path, (n - 1) * kdf.page_size, kdf.page_size), n, mac_key)
            for n in range(2, min(pages, 9) + 1)
        )
    except OSError:
        return False


def page_is_ours(page: bytes, number: int, mac_key: bytes) -> bool:
    """Whether SQLCipher's HMAC at the end of *page* (page *number*) is right for
    *mac_key*: the ciphertext and IV, then the page number, little-endian."""
    size = len(page)
    start = 16 if number == 1 else 0  # the salt, in the clear, opens page 1
    body = page[start : size - HMAC_SIZE]  # ciphertext, then the IV
    expected = hmac.new(mac_key, body + number.to_bytes(4, "little"), hashlib.sha512)
    return hmac.compare_digest(expected.digest(), page[size - HMAC_SIZE :])


def replayed_frames(log: Path) -> list[tuple[int, bytes]]:
    """(page number, page) of every frame SQLite would replay from *log* (for tests
    and small logs: the check itself streams, see :func:`_judge`)."""
    frames: list[tuple[int, bytes]] = []
    committed: list[tuple[int, bytes]] = []
    for number, page, commit in _frames(log):
        frames.append((number, page))
        if commit:
            committed = list(frames)
    return committed


def _judge(log: Path, mac_key: bytes) -> tuple[bool, bool]:
    """(every frame SQLite would replay is ours, page 1 is among them), reading the log
    a frame at a time: a log left by a crash in a large import can be gigabytes. A bad
    frame after the last commit is never replayed, so it does not count."""
    ours, has_first = True, False
    pending_bad = pending_first = False
    try:
        for number, page, commit in _frames(log):
            pending_bad = pending_bad or not page_is_ours(page, number, mac_key)
            pending_first = pending_first or number == 1
            if commit:
                ours = ours and not pending_bad
                has_first = has_first or pending_first
                pending_bad = pending_first = False
    except OSError:
        return True, False  # unreadable: SQLite will say so, nothing is moved
    return ours, has_first


def _frames(log: Path) -> Iterator[tuple[int, bytes, bool]]:
    """(page number, page, is a commit) of each frame of *log*'s current generation
    whose running checksum holds, in order, as SQLite reads them."""
    try:
        handle = log.open("rb")
    except OSError:
        return
    with handle:
        header = handle.read(WAL_HEADER)
        if len(header) < WAL_HEADER:
            return
        magic, _version, page_size, _seq, salt1, salt2, sum1, sum2 = struct.unpack(">8I", header)
        if magic not in _MAGIC or page_size < 512 or page_size & (page_size - 1):
            return
        big = magic & 1
        running = _checksum(header[:24], 0, 0, big)
        if running != (sum1, sum2):
            return
        while True:
            frame = handle.read(FRAME_HEADER + page_size)
            if len(frame) < FRAME_HEADER + page_size:
                return
            number, commit, f_salt1, f_salt2, f_sum1, f_sum2 = struct.unpack(
                ">6I", frame[:FRAME_HEADER]
            )
            if (f_salt1, f_salt2) != (salt1, salt2) or number == 0:
                return
            page = frame[FRAME_HEADER:]
            running = _checksum(frame[:8], *running, big)
            running = _checksum(page, *running, big)
            if running != (f_sum1, f_sum2):
                return
            yield number, page, commit != 0


def _checksum(data: bytes, s0: int, s1: int, big: int) -> tuple[int, int]:
    """SQLite's WAL checksum over *data* (a multiple of 8 bytes), continued."""
    words = struct.unpack((">" if big else "<") + f"{len(data) // 4}I", data)
    for index in range(0, len(words), 2):
        s0 = (s0 + words[index] + s1) & 0xFFFFFFFF
        s1 = (s1 + words[index + 1] + s0) & 0xFFFFFFFF
    return s0, s1


def _read(path: Path, offset: int, size: int) -> bytes:
    with path.open("rb") as handle:
        handle.seek(offset)
        return handle.read(size)
