"""Reading the files a chat export consists of: the export file, and media it names.

Chat exports (Signal, Facebook, Telegram, Google Voice, iMessage) refer to pictures and
recordings by a path written next to the chat. The worker must not wander the disk, so
such a path is followed only inside the export's own folder, and every file is read
with a cap, so a huge or endless file cannot exhaust the worker's memory. What the user
is told stays each format's own sentence: the caller passes it in.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath

from nco_desktop.importers.model import (
    MAX_ATTACHMENT_BYTES,
    ParsedAttachment,
    ParseProblem,
    UnreadableFile,
)


def read_export(path: Path, limit: int, too_big: str) -> bytes:
    """The export file's bytes, read whole but never past *limit*.

    Raises :class:`UnreadableFile` when it cannot be opened, or with *too_big* (the
    format's sentence) when it is bigger than *limit*: no real export of that format is.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise UnreadableFile(f"The file could not be opened ({exc.strerror}).") from None
    if len(data) > limit:
        raise UnreadableFile(too_big)
    return data


def find_inside(folder: Path, relative: str, *, tails: bool = False) -> Path | None:
    """The regular file *relative* names inside *folder*, or None; never a file outside it.

    A URL, an absolute path or one with ``..`` is refused. Symlinks are resolved before
    the file is checked to lie inside *folder*, so a link cannot lead out of it. Back
    slashes count as separators (exports written on Windows).

    With *tails*, each shorter tail of the path is tried as well, longest first: for
    exports whose paths start at the export's root while the chat file sits deeper.
    """
    if "://" in relative or relative.startswith(("/", "\\")):
        return None
    parts = [p for p in PurePosixPath(relative.replace("\\", "/")).parts if p not in ("", ".")]
    if not parts or ".." in parts:
        return None
    try:
        root = folder.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    for start in range(len(parts) if tails else 1):
        try:
            real = root.joinpath(*parts[start:]).resolve(strict=True)
            if real.is_relative_to(root) and real.is_file():
                return real
        except (OSError, RuntimeError, ValueError):
            continue
    return None


def read_attachment(path: Path, ref: str, unreadable: str) -> ParsedAttachment | ParseProblem:
    """*path* as an attachment, read up to :data:`MAX_ATTACHMENT_BYTES`.

    An empty, unreadable or too big file is not fatal: the entry that refers to it is
    kept, and *unreadable* (the format's sentence) says what is missing.
    """
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_ATTACHMENT_BYTES + 1)
    except OSError:
        data = b""
    if not data or len(data) > MAX_ATTACHMENT_BYTES:
        return ParseProblem(unreadable)
    media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return ParsedAttachment(ref=ref, name=path.name, media_type=media_type, data=data)
