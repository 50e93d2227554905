"""Writing the binder's clear-text files: whole or not at all.

The binder, its volumes and the copied recordings are the only files the program
writes outside a vault, and only where the user chose. Each is written to a hidden
partial file beside its final name, flushed to disk and renamed into place, so a
crash or a full disk leaves either the complete file or nothing — never half a binder
that looks whole in a file manager. Each is owner-only (0600) from its first byte:
the files hold the case in the clear, and another account on the computer must not
read them whatever the umask says.

A process killed mid-write (``kill -9``, a power cut) cannot clean up after itself, and
its partial file holds part of the case in the clear. So the partial is named so it
says what it is and whose it is, ``.NAME.nco-partial-<8 hex>``; each folder the program
writes exports into is remembered in the vault (its own audited change) *before* the
first byte is written; and whenever the vault is opened again,
:func:`remove_partial_leftovers` deletes the partials of ours found in those folders
and notes it on the audit log. Only names of exactly that pattern, regular files
(never links) owned by this user, and not being written right now (a writer holds a
lock on its partial) are removed; nothing else in the folder is touched.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

from nco_desktop.vault import Vault
from nco_desktop.vault.partials import PARTIAL_MARK, is_partial_name, partial_path

__all__ = ["PARTIAL_MARK", "is_partial_name", "partial_path"]  # also named from here

try:
    import fcntl
except ImportError:  # Windows: a file open for writing cannot be deleted there anyway
    fcntl = None  # type: ignore[assignment]

OWNER_ONLY = 0o600
OWNER_ONLY_FOLDER = 0o700
#: The vault setting that lists the folders exports were written to (absolute paths).
EXPORT_FOLDERS_SETTING = "export_folders"
REMEMBERED_ACTION = "exports.folder_remembered"
REMOVED_ACTION = "exports.partial_removed"


def recordings_folder(binder: Path) -> Path:
    """Where the recordings of *binder* are copied: NAME-recordings/ beside it."""
    return binder.with_name(f"{binder.stem}-recordings")


def _open_partial(partial: Path) -> BinaryIO:
    """Create *partial*, owner-only from its first byte; never an existing file or link."""
    descriptor = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, OWNER_ONLY)
    return os.fdopen(descriptor, "wb")


def write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> int:
    """Call *write* with a handle on a partial file, then rename it to *path*; its size.

    The partial is locked while it is written, so another process that opens the vault
    meanwhile (and clears leftovers) leaves it alone.
    """
    partial = partial_path(path)
    try:
        with _open_partial(partial) as handle:
            if fcntl is not None:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
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


def remember_export_folders(vault: Vault, folders: Iterable[Path]) -> None:
    """Note *folders* in the vault before anything is written there, so a partial
    file a killed process leaves in them is found at the next start.

    Its own audited change, and only when a folder is new: the same folder saved to
    again costs one read. Paths are stored resolved, inside the encrypted vault (never
    in a clear-text settings file: a folder name can say a lot).
    """
    known = _remembered(vault)
    new = sorted({os.path.realpath(folder) for folder in folders} - set(known))
    if not new:
        return
    with vault.change() as change:
        change.set_setting(EXPORT_FOLDERS_SETTING, sorted(set(known) | set(new)))
        change.audit(REMEMBERED_ACTION, folders=new)


def remove_partial_leftovers(vault: Vault) -> list[Path]:
    """Delete the partial files of ours left in the remembered export folders; which.

    Call it whenever a vault is opened (the CLI does, in each command; the window after
    unlocking). A folder that is gone or unplugged is passed over. A removal is noted on
    the audit log, with the names, in one change.
    """
    removed: list[Path] = []
    # The vault's own folder too: a killed passphrase change leaves its new file there.
    for folder in dict.fromkeys([*_remembered(vault), str(vault.path.parent)]):
        try:
            listing = os.scandir(folder)
        except OSError:
            continue  # gone, unplugged or unreadable: nothing we can remove there
        with listing:
            candidates = [entry for entry in listing if is_partial_name(entry.name)]
        for entry in candidates:
            path = Path(entry.path)
            if _is_our_leftover(path) and _remove_unless_in_use(path):
                removed.append(path)
    if removed:
        with vault.change() as change:
            change.audit(REMOVED_ACTION, files=[str(path) for path in removed])
    return removed


def _remembered(vault: Vault) -> list[str]:
    value = vault.setting(EXPORT_FOLDERS_SETTING, [])
    return [str(folder) for folder in value] if isinstance(value, list) else []


def _is_our_leftover(path: Path) -> bool:
    """A regular file (not a link, a folder or a pipe) that this user owns."""
    try:
        info = path.lstat()
    except OSError:
        return False
    if not stat.S_ISREG(info.st_mode):
        return False
    getuid = getattr(os, "getuid", None)
    return getuid is None or info.st_uid == getuid()


def _remove_unless_in_use(path: Path) -> bool:
    """Remove *path* unless a live writer holds its lock; whether it was removed."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        if fcntl is not None:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return False  # being written by a running build
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            return False
        os.unlink(path)
        return True
    except OSError:
        return False
    finally:
        os.close(descriptor)
