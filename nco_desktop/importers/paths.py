"""Which files a drop or a command line names, walked safely.

A chosen folder is walked recursively without following links out of it: a link to
``/etc/passwd`` or to the user's whole home inside an evidence folder is reported and
skipped. Names that are not valid UTF-8 are kept (as bytes) for opening and shown with
replacement characters.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path


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


def collect(paths: list[Path]) -> list[Candidate]:
    """Expand the user's selection into files, in a stable order."""
    found: list[Candidate] = []
    for chosen in paths:
        try:
            info = chosen.stat()
        except FileNotFoundError:
            found.append(Candidate(chosen, display_name(chosen), error="there is no such file"))
            continue
        except OSError as exc:
            found.append(Candidate(chosen, display_name(chosen), error=_os_reason(exc)))
            continue
        if stat.S_ISDIR(info.st_mode):
            found.extend(_walk(chosen))
        else:
            found.append(_check_file(chosen, info))
    return found


def _walk(root: Path) -> list[Candidate]:
    found: list[Candidate] = []
    real_root = root.resolve()
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        base = Path(folder)
        for dirname in list(dirnames):
            sub = base / dirname
            if sub.is_symlink():
                dirnames.remove(dirname)
                if not _inside(sub.resolve(), real_root):
                    found.append(
                        Candidate(
                            sub,
                            display_name(sub),
                            "a link to a folder outside the chosen folder; skipped for safety",
                        )
                    )
                # links to folders inside the chosen folder are walked there already
        for filename in sorted(filenames):
            path = base / filename
            if path.is_symlink():
                target = path.resolve()
                if not _inside(target, real_root):
                    found.append(
                        Candidate(
                            path,
                            display_name(path),
                            "a link to a file outside the chosen folder; skipped for safety",
                        )
                    )
                    continue
                continue  # the target is inside and is imported under its own name
            try:
                found.append(_check_file(path, path.lstat()))
            except OSError as exc:
                found.append(Candidate(path, display_name(path), error=_os_reason(exc)))
    return found


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _check_file(path: Path, info: os.stat_result) -> Candidate:
    if not stat.S_ISREG(info.st_mode):
        return Candidate(path, display_name(path), "not a regular file (a device or a pipe)")
    return Candidate(path, display_name(path))


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, PermissionError):
        return "it cannot be read: permission denied"
    return f"it cannot be read: {exc.strerror or exc.__class__.__name__}"
