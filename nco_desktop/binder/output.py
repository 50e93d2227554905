"""Writing the binder's clear-text files: whole or not at all.

The binder, its volumes and the copied recordings are the only files the program
writes outside a vault, and only where the user chose. Each is written to a hidden
partial file beside its final name, flushed to disk and renamed into place, so a
crash or a full disk leaves either the complete file or nothing — never half a binder
that looks whole in a file manager. Each is owner-only (0600) from its first byte:
the files hold the case in the clear, and another account on the computer must not
read them whatever the umask says.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

OWNER_ONLY = 0o600
OWNER_ONLY_FOLDER = 0o700


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> int:
    """Call *write* with a handle on a partial file, then rename it to *path*; its size."""
    partial = path.with_name(f".{path.name}.partial-{secrets.token_hex(4)}")
    try:
        descriptor = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, OWNER_ONLY)
        with os.fdopen(descriptor, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path.stat().st_size


def write_bytes_atomically(path: Path, data: bytes) -> int:
    return write_atomically(path, lambda handle: handle.write(data))


def write_chunks_atomically(path: Path, chunks: Iterable[bytes]) -> int:
    def write(handle: BinaryIO) -> None:
        for chunk in chunks:
            handle.write(chunk)

    return write_atomically(path, write)
