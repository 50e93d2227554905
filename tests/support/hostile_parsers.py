"""Parsers that misbehave the way a hostile file can make a real one misbehave.

Used by the sandbox tests through ``import_paths(force_format=...)``; each module-level
``parse`` below is reached as e.g. ``tests.support.hostile_parsers`` with the behaviour
picked from the file's first line (a word, then an argument such as a path). PROBES
stand in for a parser taken over by a hostile file: they try what such code would try
(read the passphrase, open a socket, write a file, run a program) and report what
happened. REPLIES write forged frames straight to the worker's channel.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import pickle
import socket
import struct
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from nco_desktop.evidence.records import EntryKind, TimeSource
from nco_desktop.importers.model import ParsedEntry, ParsedItem, ParseSource

NAME = "hostile test format"


def sniff(head: bytes, name: str) -> bool:
    return True


def parse(source: ParseSource) -> Iterator[ParsedItem]:
    first_line = source.path.read_bytes()[:4096].decode("utf-8", "replace").splitlines()[0]
    behaviour, _, argument = first_line.strip().partition(" ")
    if behaviour in PROBES:  # what an exploited parser would try, reported as a note
        yield _note(f"{behaviour}: {PROBES[behaviour](argument)}")
        return
    if behaviour in REPLIES:  # an exploited parser talking to the parent directly
        from nco_desktop.sandbox import worker

        assert worker.CHANNEL is not None
        worker.CHANNEL.sendall(REPLIES[behaviour](argument))
        time.sleep(60)  # the parent must act on what it got, not on this worker ending
    yield ParsedEntry(
        kind=EntryKind.NOTE,
        occurred_ms=None,
        time_source=TimeSource.UNKNOWN,
        text="written before the parser misbehaved",
    )
    if behaviour == "hang":
        while True:
            time.sleep(0.05)
    if behaviour == "spin":
        while True:
            pass
    if behaviour == "memory":
        hoard = []
        while True:
            hoard.append(bytearray(64 * 1024 * 1024))
    if behaviour == "crash":
        os.abort()
    if behaviour == "limits":
        import ctypes
        import resource

        dumpable = ctypes.CDLL(None).prctl(3, 0, 0, 0, 0)  # PR_GET_DUMPABLE
        core = resource.getrlimit(resource.RLIMIT_CORE)
        yield ParsedEntry(
            kind=EntryKind.NOTE,
            occurred_ms=None,
            time_source=TimeSource.UNKNOWN,
            text=f"core={core} dumpable={dumpable}",
        )
        return
    if behaviour == "bug":
        raise KeyError("parser bug")
    yield ParsedEntry(
        kind=EntryKind.NOTE,
        occurred_ms=None,
        time_source=TimeSource.UNKNOWN,
        text=f"well behaved: {behaviour}",
    )


def _note(text: str) -> ParsedEntry:
    return ParsedEntry(
        kind=EntryKind.NOTE, occurred_ms=None, time_source=TimeSource.UNKNOWN, text=text
    )


def _attempt(action: Callable[[], object]) -> str:
    """ "allowed: …" or the errno's name, e.g. "refused EPERM"."""
    try:
        result = action()
    except OSError as exc:
        return f"refused {errno.errorcode.get(exc.errno or 0, exc.errno)}"
    return f"allowed: {result!r}"


def _read(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _write(path: str) -> int:
    with open(path, "w", encoding="utf-8") as handle:
        return handle.write("escaped")


def _status(_argument: str) -> str:
    lines = Path("/proc/self/status").read_text().splitlines()
    return "; ".join(line for line in lines if line.startswith(("NoNewPrivs", "Seccomp:")))


def _socket(argument: str) -> str:
    family = {"inet": socket.AF_INET, "inet6": socket.AF_INET6, "unix": socket.AF_UNIX}
    return _attempt(lambda: socket.socket(family[argument], socket.SOCK_STREAM))


def _raw_socket(_argument: str) -> str:
    """The socket system call itself, past anything Python's socket module might check."""
    libc = ctypes.CDLL(None, use_errno=True)
    fd = libc.syscall(41, socket.AF_INET, socket.SOCK_STREAM, 0)  # x86-64 socket()
    return f"fd={fd} errno={errno.errorcode.get(ctypes.get_errno(), '?')}"


def _sigqueue_parent() -> str:
    """rt_sigqueueinfo(parent, 0, SI_QUEUE): a queued signal, past kill()'s rule."""
    libc = ctypes.CDLL(None, use_errno=True)
    info = (ctypes.c_int * 32)()
    info[2] = -1  # si_code = SI_QUEUE
    result = libc.syscall(129, os.getppid(), 0, info)  # x86-64 rt_sigqueueinfo
    return f"result={result} errno={errno.errorcode.get(ctypes.get_errno(), '?')}"


def _fork() -> object:
    pid = os.fork()
    if pid == 0:  # the child of a fork that should not have happened: gone at once
        os._exit(0)
    return pid


def _open_files(_argument: str) -> str:
    """What each of this process's file descriptors points at."""
    found = []
    for fd in sorted(os.listdir("/proc/self/fd"), key=int):
        try:
            found.append(f"{fd}={os.readlink(f'/proc/self/fd/{fd}')}")
        except OSError:
            found.append(f"{fd}=?")
    return " ".join(found)


PROBES: dict[str, Callable[[str], str]] = {
    "fds": _open_files,
    "environ": lambda _a: repr(_read("/proc/self/environ")) + " " + repr(dict(os.environ)),
    "parent-environ": lambda _a: _attempt(lambda: _read(f"/proc/{os.getppid()}/environ")),
    "status": _status,
    "socket": _socket,
    "raw-socket": _raw_socket,
    "write": lambda path: _attempt(lambda: _write(path)),
    "create": lambda path: _attempt(lambda: os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)),
    "unlink": lambda path: _attempt(lambda: os.unlink(path)),
    "read": lambda path: _attempt(lambda: len(_read(path))),
    "exec": lambda _a: _attempt(lambda: os.execv("/bin/true", ["true"])),
    "signal-parent": lambda _a: _attempt(lambda: os.kill(os.getppid(), 0)),
    "sigqueue-parent": lambda _a: _sigqueue_parent(),
    "fork": lambda _a: _attempt(_fork),
    "ptrace-parent": lambda _a: _attempt(lambda: _read(f"/proc/{os.getppid()}/mem")),
    # A file that took its worker over leaves something behind for the files after it
    # (here a note it wants them to carry); the file after it reports what it finds.
    "plant": lambda argument: (_PLANTED.append(argument), "planted")[1],
    "victim": lambda _a: ",".join(_PLANTED) or "clean",
    "pid": lambda _a: str(os.getpid()),
    "threads": lambda _a: _threads(),
    "setsid": lambda _a: _attempt(os.setsid),
    "linger": lambda _a: _linger(),
}
_PLANTED: list[str] = []


def _linger() -> str:
    """Keep the worker running after it has answered: its own exit is made to wait."""
    pid = os.getpid()

    def stay(_code: int) -> None:
        time.sleep(60)

    os._exit = stay  # type: ignore[assignment]
    return str(pid)


def _threads() -> str:
    """Each thread's seccomp mode and no_new_privs: every one must be confined, or a
    thread that escaped the filter is a way out for code running in the worker."""
    found = []
    for tid in sorted(os.listdir("/proc/self/task")):
        status = _read(f"/proc/self/task/{tid}/status").decode()
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        found.append(f"{fields['Seccomp'].strip()}/{fields['NoNewPrivs'].strip()}")
    return " ".join(found)


class _Armed:
    """Unpickling this creates the file named: proof that a pickle ran in the parent."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str, str]]:
        return (open, (self.marker, "w"))


def armed_pickle(marker: str) -> bytes:
    return pickle.dumps(_Armed(marker))


def _frame(header: bytes, body: bytes = b"") -> bytes:
    return struct.pack(">I", len(header)) + header + body


REPLIES: dict[str, Callable[[str], bytes]] = {
    # What the old channel (multiprocessing) took: a bare pickle, then one in a frame.
    "pickle": armed_pickle,
    "framed-pickle": lambda marker: _frame(armed_pickle(marker)),
    "garbage": lambda _a: _frame(b"\x00\xff not json at all \xfe"),
    "oversize-header": lambda _a: struct.pack(">I", 0x7FFF_FFFF) + b"{",
    "lying-length": lambda _a: _frame(
        json.dumps({"kind": "items", "items": [], "sizes": [2**40]}).encode()
    ),
    "short-payload": lambda _a: _frame(
        json.dumps(
            {
                "kind": "items",
                "items": [
                    {
                        "t": "attachment",
                        "ref": "a",
                        "name": "a",
                        "media_type": "image/png",
                        "data": 0,
                    }
                ],
                "sizes": [1000],
            }
        ).encode(),
        b"abc",
    ),
    "unknown-kind": lambda _a: _frame(json.dumps({"kind": "exec", "sizes": []}).encode()),
    "bad-enum": lambda _a: _frame(
        json.dumps(
            {
                "kind": "items",
                "sizes": [],
                "items": [
                    {
                        "t": "entry",
                        "kind": "root-shell",
                        "occurred_ms": None,
                        "time_source": "unknown",
                    }
                ],
            }
        ).encode()
    ),
    "extra-field": lambda _a: _frame(
        json.dumps(
            {
                "kind": "items",
                "sizes": [],
                "items": [
                    {
                        "t": "entry",
                        "kind": "note",
                        "occurred_ms": None,
                        "time_source": "unknown",
                        "__class__": "os.system",
                    }
                ],
            }
        ).encode()
    ),
    "dishonest-time": lambda _a: _frame(
        json.dumps(
            {
                "kind": "items",
                "sizes": [],
                "items": [
                    {"t": "entry", "kind": "note", "occurred_ms": 5, "time_source": "unknown"}
                ],
            }
        ).encode()
    ),
}
