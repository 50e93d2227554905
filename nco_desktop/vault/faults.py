"""The disk's faults told apart from the vault's damage, in words that say what to do.

A full disk was reported as "the vault is damaged, restore a backup" (issue #16): the
vault was intact, and following that advice could have put an older backup over good
data. SQLite and the operating system say exactly what went wrong — SQLITE_FULL,
ENOSPC, EDQUOT, EROFS, EACCES, EIO — so every place that reports a failed operation
asks :func:`disk_problem` first, and only an error that is none of these may be called
damage.

Every write is one transaction (DESIGN invariant 4), so a write that failed on the disk
changed nothing: the words say so.
"""

from __future__ import annotations

import errno
import shutil
from pathlib import Path

from nco_desktop.vault.errors import VaultError

# SQLite's primary result codes (the low byte of an extended code).
SQLITE_PERM, SQLITE_READONLY, SQLITE_IOERR = 3, 8, 10
SQLITE_FULL, SQLITE_CANTOPEN = 13, 14
#: Below this much free space an I/O error during a write is taken for a full disk
#: (SQLite reports a failed write to its WAL or a failed fsync as SQLITE_IOERR).
NEARLY_FULL = 4 * 1024 * 1024

_FULL = {errno.ENOSPC, errno.EDQUOT}
#: The largest file FAT32 holds (USB sticks are often formatted so).
FAT32_LARGEST = 2**32 - 1


class DiskProblem(VaultError):
    """The disk refused or failed an operation; the vault is not known to be damaged."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind  # "full", "too-large", "read-only", "refused" or "failing"


def disk_problem(
    exc: BaseException, doing: str | None = None, where: Path | None = None
) -> DiskProblem | None:
    """The disk fault behind *exc* in plain words, or None if it is not one.

    *doing* names the operation ("the import", "the backup"); *where* is a file on the
    disk concerned (the vault, a backup's destination), to name it and measure it. A
    DiskProblem raised deeper down (opening a backup's new file) is said again here,
    for the operation the user asked for.
    """
    kind = exc.kind if isinstance(exc, DiskProblem) else _kind(exc, where)
    if kind is None:
        return None
    disk = f" that holds “{where.name}”" if where is not None else ""
    unchanged = (
        f"{doing} did not happen and nothing was changed" if doing else "nothing was changed"
    )
    said = {
        "full": f"The disk{disk} is full: {unchanged}. Free some space on it and try again.",
        "too-large": (
            f"{('“' + where.name + '”') if where else 'The file'} has reached the largest "
            f"file size allowed here: {unchanged}. Move the vault to a disk that holds "
            "large files (one formatted as NTFS, exFAT, ext4 or APFS, not FAT32)."
        ),
        "read-only": (
            f"The disk{disk} is read-only: {unchanged}. Copy the vault to a disk you can "
            "write to, or make this one writable."
        ),
        "refused": (
            f"The computer refused to write{(' to “' + where.name + '”') if where else ''} "
            f"(permission denied): {unchanged}."
        ),
        "failing": (
            f"The disk{disk} reported a read or write error: "
            f"{(doing + ' did not happen') if doing else 'the last step did not happen'}. "
            "This is the disk, not your vault; back the vault up to another disk soon, "
            "then check this one."
        ),
    }[kind]
    problem = DiskProblem(said, kind)
    problem.__cause__ = exc
    return problem


def _kind(exc: BaseException, where: Path | None) -> str | None:
    if isinstance(exc, OSError) and exc.errno is not None:
        if exc.errno == errno.EFBIG:
            return "too-large"
        if exc.errno in _FULL:
            return "full"
        if exc.errno == errno.EROFS:
            return "read-only"
        if exc.errno in (errno.EACCES, errno.EPERM):
            return "refused"
        if exc.errno == errno.EIO:
            return "full" if _nearly_full(where) else "failing"
        return None
    code = getattr(exc, "sqlite_errorcode", None)
    text = str(exc).lower()
    primary = code & 0xFF if isinstance(code, int) else None
    if primary == SQLITE_FULL or "database or disk is full" in text:
        return "full"
    if primary == SQLITE_READONLY or "attempt to write a readonly database" in text:
        return "read-only" if _read_only(where) else "refused"
    if primary == SQLITE_PERM:
        return "refused"
    if primary in (SQLITE_IOERR, SQLITE_CANTOPEN) or "disk i/o error" in text:
        if _read_only(where):  # SQLite cannot make the -shm file there
            return "read-only"
        if _at_size_limit(where):
            return "too-large"
        return "full" if _nearly_full(where) else "failing"
    return None


def _at_size_limit(where: Path | None) -> bool:
    """Whether the vault or its log is within a megabyte of the largest file this
    process may write: the soft RLIMIT_FSIZE, or FAT32's 4 GiB. SQLite says only
    "disk I/O error" when a write fails with EFBIG."""
    if where is None:
        return False
    largest = FAT32_LARGEST
    try:
        import resource

        soft = resource.getrlimit(resource.RLIMIT_FSIZE)[0]
        if soft != resource.RLIM_INFINITY:
            largest = min(largest, soft)
    except (ImportError, OSError, ValueError):  # no resource module on Windows
        pass
    sizes = []
    for path in (where, where.with_name(where.name + "-wal")):
        try:
            sizes.append(path.stat().st_size)
        except OSError:
            continue
    # Only near the limit itself: a larger vault is on a disk that allows larger files.
    return any(largest - 1024 * 1024 <= size <= largest for size in sizes)


def _nearly_full(where: Path | None) -> bool:
    """Whether the disk holding *where* (or the current folder) is all but full."""
    try:
        folder = where.parent if where is not None else Path.cwd()
        return shutil.disk_usage(folder).free < NEARLY_FULL
    except OSError:
        return False


def _read_only(where: Path | None) -> bool:
    import os

    try:
        folder = where.parent if where is not None else Path.cwd()
        return bool(os.statvfs(folder).f_flag & os.ST_RDONLY)
    except (OSError, AttributeError):  # no statvfs on Windows
        return False
