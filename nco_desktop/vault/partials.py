"""The names of files written whole or not at all: ``.NAME.nco-partial-<8 hex>``.

Everything the program writes beside a final name — a binder, a recording, a backup,
the new file of a passphrase change — is first written under such a name and renamed
into place when complete. A process killed mid-write leaves one behind; the name says
what it is and whose, so the next start can find it and remove it
(:func:`nco_desktop.binder.output.remove_partial_leftovers`) without touching anything
else. A vault's partial may have SQLite's ``-wal``, ``-shm`` or ``-journal`` beside it;
those are its leftovers too.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

PARTIAL_MARK = ".nco-partial-"
_PARTIAL_NAME = re.compile(r"\.(?s:.+)\.nco-partial-[0-9a-f]{8}(?:-wal|-shm|-journal)?")


def partial_path(path: Path) -> Path:
    """A new hidden name beside *path* that says it is ours and unfinished."""
    return path.with_name(f".{path.name}{PARTIAL_MARK}{secrets.token_hex(4)}")


def is_partial_name(name: str) -> bool:
    """Whether *name* is exactly a name :func:`partial_path` makes (or SQLite's file
    beside one)."""
    return _PARTIAL_NAME.fullmatch(name) is not None


def sidecars(path: Path) -> tuple[Path, Path, Path]:
    """SQLite's -wal, -shm and -journal beside *path*."""
    name = path.name
    return (
        path.with_name(name + "-wal"),
        path.with_name(name + "-shm"),
        path.with_name(name + "-journal"),
    )
