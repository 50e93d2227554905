"""Reading ``strace -f`` logs: internet sockets made, files opened for writing, and
whether the sandbox workers confined themselves (seccomp, Landlock)."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

STRACE = shutil.which("strace")
#: What is traced: every network call, every way to create or write a file, and the
#: calls that confine a worker.
TRACED = (
    "%network,open,openat,creat,rename,renameat,renameat2,mkdir,mkdirat,link,linkat,"
    "symlink,symlinkat,truncate,seccomp,landlock_restrict_self,prctl"
)
_WRITE_FLAGS = ("O_WRONLY", "O_RDWR", "O_CREAT", "O_TRUNC")
_STRING = r'"((?:[^"\\]|\\.)*)"'
_OPEN = re.compile(r"^\d+\s+(open|openat)\((?:(AT_FDCWD|\d+), )?" + _STRING + r", ([A-Z_|]+)")
_PATHS = re.compile(_STRING)
_RESULT = re.compile(r"=\s+(-?\d+)")


def strace_prefix(log: Path) -> list[str]:
    """The command that runs a program under strace, following every child, into *log*."""
    assert STRACE is not None
    return [STRACE, "-f", "-qq", "-s", "4096", "-e", f"trace={TRACED}", "-o", str(log)]


@dataclass
class Trace:
    """What one strace log shows."""

    internet_sockets: list[str] = field(default_factory=list)
    written: set[str] = field(default_factory=set)
    unresolved: list[str] = field(default_factory=list)
    seccomp_filters: int = 0
    landlocked: int = 0
    no_new_privs: int = 0


def read_trace(log: Path, cwd: Path) -> Trace:
    """Parse *log*; relative paths are taken from *cwd* (where the program was started)."""
    trace = Trace()
    for line in log.read_text(errors="replace").splitlines():
        # strace splits a call that another thread interrupts; its first half has the
        # path and no result: counted as written (wrongly at worst, never missed).
        unfinished = line.endswith("<unfinished ...>")
        result = _RESULT.search(line.rsplit(")", 1)[-1]) if ")" in line else None
        ok = unfinished or (result is not None and int(result.group(1)) >= 0)
        if re.search(r"\b(socket|connect|bind|sendto)\(.*AF_INET6?\b", line):
            trace.internet_sockets.append(line)
            continue
        if not ok:
            continue
        if unfinished:
            pass
        elif re.search(r"seccomp\(SECCOMP_SET_MODE_FILTER|prctl\(PR_SET_SECCOMP", line):
            trace.seccomp_filters += 1
        elif "landlock_restrict_self(" in line:
            trace.landlocked += 1
        elif "prctl(PR_SET_NO_NEW_PRIVS, 1" in line:
            trace.no_new_privs += 1
        opened = _OPEN.match(line)
        if opened:
            if any(flag in opened.group(4).split("|") for flag in _WRITE_FLAGS):
                _note(trace, opened.group(2), opened.group(3), cwd, line)
            continue
        call = re.match(r"^\d+\s+(\w+)\(", line)
        if call and call.group(1) in {
            "creat",
            "rename",
            "renameat",
            "renameat2",
            "mkdir",
            "mkdirat",
            "link",
            "linkat",
            "symlink",
            "symlinkat",
            "truncate",
        }:
            dirfds = re.findall(r"(AT_FDCWD|\b\d+), " + _STRING, line)
            if dirfds:
                for dirfd, path in dirfds:
                    _note(trace, dirfd, path, cwd, line)
            else:
                for path in _PATHS.findall(line):
                    _note(trace, None, path, cwd, line)
    return trace


def _note(trace: Trace, dirfd: str | None, path: str, cwd: Path, line: str) -> None:
    if path.startswith("/"):
        trace.written.add(path)
    elif dirfd in (None, "AT_FDCWD"):
        trace.written.add(str(cwd / path))
    else:
        trace.unresolved.append(line)  # relative to an open folder: reported, not guessed


def vault_files(vault: Path) -> list[str]:
    """Name prefixes of a vault's own files: itself, its -wal/-shm/-journal, and the
    hidden lock and being-created files beside it (``.case.ncovault.lock``)."""
    return [str(vault), str(vault.parent / f".{vault.name}.")]


def outside(written: Iterable[str], allowed: Sequence[Path | str]) -> list[str]:
    """The paths under none of *allowed* (a Path: that file or folder and what is in it;
    a str: any path starting with it), nor folders on the way to one of them (making
    ``~/.config`` for the settings is fine), nor the kernel's /dev and /proc files."""
    bad = []
    for path in sorted(written):
        if path.startswith(("/dev/null", "/dev/tty", "/dev/pts/", "/proc/")):
            continue
        inside = any(
            path.startswith(a)
            if isinstance(a, str)
            else path == str(a) or path.startswith(str(a).rstrip("/") + "/")
            for a in allowed
        )
        on_the_way = any(str(a).startswith(path.rstrip("/") + "/") for a in allowed)
        if not (inside or on_the_way):
            bad.append(path)
    return bad


def listing(*roots: Path) -> set[str]:
    """Every file and folder under *roots*."""
    found: set[str] = set()
    for root in roots:
        if root.exists():
            found.update(str(p) for p in root.rglob("*"))
    return found
