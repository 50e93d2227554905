"""Content-addressed, chunked byte storage inside the vault.

Bytes are stored once per SHA-256 and split into ``CHUNK_SIZE`` rows, so a 300 MB
recording is written and read with a small, fixed amount of memory. 256 KiB chunks on
16 KiB pages wrote fastest here (benchmarks/bench_blob_write.py).
"""

from __future__ import annotations

import hashlib
import io
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from nco_desktop.vault.connection import Connection

CHUNK_SIZE = 256 * 1024


class BlobHashMismatch(Exception):
    """The bytes written did not hash to what the caller expected (the source changed)."""


@dataclass(frozen=True)
class StoredBlob:
    id: int
    sha256: str
    size: int
    already_present: bool


def blob_id_for(conn: Connection, sha256: str) -> int | None:
    row = conn.execute("SELECT id FROM blobs WHERE sha256 = ?", (sha256,)).fetchone()
    return None if row is None else int(row[0])


def put_stream(
    conn: Connection,
    source: BinaryIO,
    *,
    expected_sha256: str | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> StoredBlob:
    """Store everything *source* yields and return its blob; dedups by SHA-256.

    Must run inside the caller's transaction. The hash is computed while writing, so a
    source read once (a zip member, a socket-less pipe) needs no second pass; when the
    bytes turn out to be stored already, the chunks just written are rolled back to a
    savepoint. With *expected_sha256*, a mismatch (the file changed since the caller
    hashed it) raises BlobHashMismatch and writes nothing.
    """
    savepoint = f"blob_{secrets.token_hex(4)}"
    conn.execute(f"SAVEPOINT {savepoint}")
    try:
        placeholder = f"pending:{secrets.token_hex(16)}"
        blob_id = conn.execute(
            "INSERT INTO blobs (sha256, size, chunk_size, chunk_count) VALUES (?, 0, ?, 0)",
            (placeholder, chunk_size),
        ).lastrowid
        assert blob_id is not None
        digest = hashlib.sha256()
        size = 0
        seq = 0
        buffer = bytearray(chunk_size)
        view = memoryview(buffer)
        while True:
            filled = _read_full(source, view)
            if filled == 0:
                break
            chunk = bytes(view[:filled])
            digest.update(chunk)
            conn.execute(
                "INSERT INTO blob_chunks (blob_id, seq, data) VALUES (?, ?, ?)",
                (blob_id, seq, chunk),
            )
            size += filled
            seq += 1
            if filled < chunk_size:
                break
        sha256 = digest.hexdigest()
        if expected_sha256 is not None and sha256 != expected_sha256:
            conn.execute(f"ROLLBACK TO {savepoint}")
            conn.execute(f"RELEASE {savepoint}")
            raise BlobHashMismatch(sha256)
        existing = blob_id_for(conn, sha256)
        if existing is not None:
            conn.execute(f"ROLLBACK TO {savepoint}")
            conn.execute(f"RELEASE {savepoint}")
            return StoredBlob(existing, sha256, size, already_present=True)
        conn.execute(
            "UPDATE blobs SET sha256 = ?, size = ?, chunk_count = ? WHERE id = ?",
            (sha256, size, seq, blob_id),
        )
        conn.execute(f"RELEASE {savepoint}")
        return StoredBlob(blob_id, sha256, size, already_present=False)
    except BlobHashMismatch:
        raise
    except BaseException:
        conn.execute(f"ROLLBACK TO {savepoint}")
        conn.execute(f"RELEASE {savepoint}")
        raise


def put_bytes(conn: Connection, data: bytes) -> StoredBlob:
    """Store a small byte string (a thumbnail, extracted text)."""
    return put_stream(conn, io.BytesIO(data))


def _read_full(source: BinaryIO, view: memoryview) -> int:
    """Fill *view* from *source* until it is full or the source ends."""
    filled = 0
    while filled < len(view):
        data = source.read(len(view) - filled)
        if not data:
            break
        view[filled : filled + len(data)] = data
        filled += len(data)
    return filled


def iter_chunks(conn: Connection, blob_id: int) -> Iterator[bytes]:
    """The blob's bytes, one chunk at a time, in order (one row in memory at once)."""
    (count,) = conn.execute("SELECT chunk_count FROM blobs WHERE id = ?", (blob_id,)).fetchone()
    for seq in range(count):
        row = conn.execute(
            "SELECT data FROM blob_chunks WHERE blob_id = ? AND seq = ?", (blob_id, seq)
        ).fetchone()
        if row is None:
            raise LookupError(f"blob {blob_id} is missing chunk {seq}")
        yield bytes(row[0])


class BlobReader(io.RawIOBase):
    """A read-only file object over a stored blob, for parsers that want one."""

    def __init__(self, conn: Connection, blob_id: int) -> None:
        super().__init__()
        self._chunks = iter_chunks(conn, blob_id)
        self._pending = memoryview(b"")  # slicing a memoryview copies nothing

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if not self._pending:
            self._pending = memoryview(next(self._chunks, b""))
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count


def open_blob(conn: Connection, blob_id: int) -> io.BufferedReader:
    return io.BufferedReader(BlobReader(conn, blob_id), buffer_size=CHUNK_SIZE)


def hash_stored(conn: Connection, blob_id: int) -> tuple[str, int]:
    """Recompute (sha256, size) from the stored chunks, for verification."""
    digest = hashlib.sha256()
    size = 0
    for chunk in iter_chunks(conn, blob_id):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size
