"""Which files a drop or a command line names, walked safely.

A chosen folder is walked recursively and nothing in it is followed or opened while
walking: every entry is looked at with ``lstat``. A link inside a folder is never
followed — a link to ``/etc/passwd`` or to the user's whole home, a link that loops
back on itself, a link to nothing: each is named with a reason and passed over (a link
to a file in the same chosen folder is passed over quietly, since that file is imported
under its own name). Named pipes, sockets and devices are named and passed over
without being opened (opening a pipe would wait forever for a writer). A folder that
cannot be read is named, and the walk goes on.

A link named directly by the user (on the command line, or dropped on the window) is
refused unless they ask for links to be followed (``--follow-symlinks``): a harasser
who can leave a link in a Downloads folder must not get ``/etc/passwd`` or a key file
imported because the user dragged what looked like a picture.

Names that are not valid UTF-8 are kept (as bytes) for opening and shown with
replacement characters.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

READ_SIZE = 1024 * 1024  # hashing reads a file in pieces this size

#: The reason a link named directly by the user is not imported (the CLI adds how to
#: follow it anyway).
LINK_REFUSED = (
    "it is a link (a symbolic link) to another file; links are not followed, for safety. "
    "Import the file it points to instead"
)


@dataclass(frozen=True)
class Candidate:
    """A file to import, or a reason it is skipped without being opened."""

    path: Path
    display_name: str
    skip_reason: str | None = None  # passed over on purpose (a link out, a device)
    error: str | None = None  # named by the user but unusable (missing, unreadable)


def display_name(path: Path) -> str:
    """A printable, storable name: undecodable bytes become U+FFFD."""
    raw = os.fsencode(path.name)
    return raw.decode("utf-8", errors="replace")


def collect(paths: list[Path], *, follow_symlinks: bool = False) -> list[Candidate]:
    """Expand the user's selection into files, in a stable order.

    *follow_symlinks* applies only to the paths named here, never to links found inside
    a folder.
    """
    found: list[Candidate] = []
    for chosen in paths:
        try:
            info = chosen.lstat()
            if stat.S_ISLNK(info.st_mode):
                if not follow_symlinks:
                    found.append(Candidate(chosen, display_name(chosen), error=LINK_REFUSED))
                    continue
                info = chosen.stat()
        except FileNotFoundError:
            reason = "there is no such file"
            if chosen.is_symlink():
                reason = "it is a link to a file that does not exist"
            found.append(Candidate(chosen, display_name(chosen), error=reason))
            continue
        except OSError as exc:
            found.append(Candidate(chosen, display_name(chosen), error=os_reason(exc)))
            continue
        if stat.S_ISDIR(info.st_mode):
            found.extend(_walk(chosen))
        else:
            found.append(_check_file(chosen, info))
    return found


def _walk(root: Path) -> list[Candidate]:
    """Every entry under *root*, depth first, each folder's files before its folders,
    names sorted; links, pipes, sockets and devices reported, never followed or opened."""
    found: list[Candidate] = []
    real_root = Path(os.path.realpath(root))
    seen: set[tuple[int, int]] = set()  # (device, inode) of folders walked: no loop twice
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            # The root may be a link the user asked to follow; below it, a folder that
            # became a link since it was listed is not walked into.
            info = os.stat(folder, follow_symlinks=folder is root)
            if not stat.S_ISDIR(info.st_mode):
                found.append(
                    Candidate(folder, display_name(folder), "it changed while being looked at")
                )
                continue
            if (info.st_dev, info.st_ino) in seen:
                continue  # the same folder again (a bind mount): walked once is enough
            seen.add((info.st_dev, info.st_ino))
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as exc:
            found.append(Candidate(folder, display_name(folder), error=_folder_reason(exc)))
            continue
        subfolders: list[Path] = []
        for entry in entries:
            path = Path(entry.path)
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError as exc:  # gone since the listing, or not ours to look at
                found.append(Candidate(path, display_name(path), error=os_reason(exc)))
                continue
            if stat.S_ISDIR(info.st_mode):
                subfolders.append(path)
            elif stat.S_ISLNK(info.st_mode):
                reason = _link_reason(path, real_root)
                if reason is not None:
                    found.append(Candidate(path, display_name(path), reason))
            else:
                found.append(_check_file(path, info))
        stack.extend(reversed(subfolders))
    return found


def _link_reason(path: Path, real_root: Path) -> str | None:
    """Why a link inside a chosen folder is passed over; None when it leads to a file or
    folder inside the chosen folder, which is imported (or walked) under its own name."""
    try:
        target = Path(os.path.realpath(path, strict=True))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "a link that leads back to itself (a loop); links are not followed"
        if exc.errno == errno.ENOENT:
            return "a link to something that does not exist; links are not followed"
        return f"a link that cannot be followed ({exc.strerror or type(exc).__name__})"
    except RuntimeError:  # some Python versions report a loop this way
        return "a link that leads back to itself (a loop); links are not followed"
    if target == real_root or real_root in target.parents:
        return None
    kind = "folder" if target.is_dir() else "file"
    return f"a link to a {kind} outside the chosen folder; links are not followed, for safety"


def _check_file(path: Path, info: os.stat_result) -> Candidate:
    """A regular file is a candidate; anything else is named by what it is, never opened."""
    mode = info.st_mode
    if stat.S_ISREG(mode):
        return Candidate(path, display_name(path))
    if stat.S_ISFIFO(mode):
        what = "a named pipe (FIFO)"
    elif stat.S_ISSOCK(mode):
        what = "a socket"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        what = "a device"
    else:
        what = "something other than a file"
    return Candidate(path, display_name(path), f"{what}, not a regular file; not opened")


def _folder_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "this folder cannot be read: permission denied; nothing in it was imported"
    return (
        f"this folder cannot be read: {exc.strerror or type(exc).__name__}; "
        "nothing in it was imported"
    )


def os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "it cannot be read: permission denied"
    return f"it cannot be read: {exc.strerror or exc.__class__.__name__}"


def read_roots(paths: list[Path], candidates: list[Candidate]) -> list[Path]:
    """The folders the workers may read: each chosen folder, and the folder of each
    chosen file (WhatsApp, Facebook and Google Voice exports read files beside it).
    Nothing else on the disk is readable to them (Landlock, see sandbox.confine)."""
    chosen = {resolved(path) for path in paths if path.is_dir()}
    roots = set(chosen)
    for candidate in candidates:
        if not (candidate.error or candidate.skip_reason):
            parent = resolved(candidate.path).parent
            if not any(parent.is_relative_to(folder) for folder in chosen):
                roots.add(parent)
    return sorted(roots)


def vault_files(vault_path: Path) -> set[Path]:
    """The open vault and the files SQLite keeps beside it: never imported into itself."""
    base = resolved(vault_path)
    return {base} | {base.with_name(base.name + suffix) for suffix in ("-wal", "-shm", "-journal")}


def resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # RuntimeError: a symlink loop (Python < 3.13)
        return path.absolute()


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(READ_SIZE):
            digest.update(chunk)
    return digest.hexdigest()
