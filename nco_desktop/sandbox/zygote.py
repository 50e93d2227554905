"""A fresh worker for every file, at the cost of a fork: the zygote (Linux).

A worker that a hostile file has taken over could answer for the files that come after
it: forge the messages of the next export in an import, or the pixels of the next
picture in the court's binder. So a pool made with ``fresh_per_task`` gives every task
a worker no earlier file has touched. Starting a new interpreter per file costs about
0.2 s of CPU (imports, fonts, decoders), too much for an import of thousands of
pictures; so, as Chromium and Android do, one *zygote* process loads everything once
and forks a child per task. The child confines itself (Landlock, seccomp, limits: see
:mod:`.confine`) right after the fork, before it receives a byte of the file, answers
that one task and exits.

The zygote itself reads nothing that came from a file: it only forks, reports and
reaps. It is the children's parent, so it alone reaps them, and it kills only children
it has not yet reaped, so a process id is never reused under a kill. Locking the vault
kills the zygote's whole process group at once, children included.

Protocol on the zygote's socket (frames, :mod:`.wire`): ``spawn`` followed by one byte
carrying the child's socket (SCM_RIGHTS) → ``spawned`` with its pid; ``status`` (pid,
seconds to wait) → its exit code or null while it runs; ``kill`` (pid) → ``killed``.
"""

from __future__ import annotations

import contextlib
import gc
import os
import select
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable
from typing import Any

from nco_desktop.sandbox import wire

#: Exit codes kept for children nobody asked about yet (oldest dropped first).
MAX_REMEMBERED = 10_000
GONE = -int(signal.SIGKILL)


def available() -> bool:
    """Whether this platform can fork a zygote's children and pass them a socket."""
    return hasattr(os, "fork") and hasattr(socket, "send_fds") and os.name == "posix"


# ----- in the zygote process -------------------------------------------------------------


def serve(channel: socket.socket, start_child: Callable[[int], None]) -> None:
    """The zygote's loop: fork a child per ``spawn``, until the parent goes away.

    No thread runs here (a fork copies only the calling thread, and a lock another
    thread held would stay locked in the child forever); the parent is watched between
    requests instead.
    """
    parent = os.getppid()
    channel.settimeout(None)
    gc.collect()
    gc.freeze()  # the collector leaves what is loaded alone: children share its pages
    wire.send_frame(channel, {"kind": "zygote", "pid": os.getpid()})
    children: set[int] = set()
    exited: dict[int, int] = {}
    try:
        while os.getppid() == parent:
            ready, _, _ = select.select([channel], [], [], 1.0)
            _reap(children, exited)
            if not ready:
                continue
            try:
                request, _ = wire.recv_frame(channel)
            except (EOFError, OSError, wire.WireError):
                return
            if not _answer(channel, request, start_child, children, exited):
                return
    finally:
        for pid in children:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _answer(
    channel: socket.socket,
    request: dict[str, Any],
    start_child: Callable[[int], None],
    children: set[int],
    exited: dict[int, int],
) -> bool:
    """Answer one request; False to stop."""
    op, pid = request.get("op"), request.get("pid")
    if op == "spawn":
        _, fds, _, _ = socket.recv_fds(channel, 1, 1)
        if len(fds) != 1:
            for fd in fds:
                os.close(fd)
            wire.send_frame(channel, {"kind": "failed"})
            return True
        child = os.fork()
        if child == 0:  # the child: never returns into this loop
            code = 1
            try:
                channel.close()
                start_child(fds[0])
                code = 0
            finally:
                os._exit(code)
        os.close(fds[0])
        children.add(child)
        wire.send_frame(channel, {"kind": "spawned", "pid": child})
    elif op == "status" and isinstance(pid, int):
        wait = request.get("wait")
        deadline = time.monotonic() + (min(float(wait), 10.0) if isinstance(wait, int) else 0)
        while pid in children and time.monotonic() < deadline:
            time.sleep(0.005)
            _reap(children, exited)
        ended = None if pid in children else exited.get(pid, GONE)
        wire.send_frame(channel, {"kind": "status", "code": ended})
    elif op == "kill" and isinstance(pid, int):
        if pid in children:  # not reaped yet: the pid is still this child's
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
        wire.send_frame(channel, {"kind": "killed"})
    else:
        return False
    return True


def _reap(children: set[int], exited: dict[int, int]) -> None:
    while children:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            children.clear()
            return
        if pid == 0:
            return
        children.discard(pid)
        exited[pid] = os.waitstatus_to_exitcode(status)
        if len(exited) > MAX_REMEMBERED:
            del exited[next(iter(exited))]


# ----- in the program --------------------------------------------------------------------


class Zygote:
    """The program's handle on a zygote process, started by the pool like a worker."""

    def __init__(self, process: subprocess.Popen[bytes], sock: socket.socket) -> None:
        self.process = process
        self.sock = sock
        self._lock = threading.Lock()
        header, payloads = wire.recv_frame(sock, wire.deadline_in(30), max_payload=0)
        if header.get("kind") != "zygote" or payloads:
            raise wire.WireError("the zygote did not start")

    def spawn(self, fd: int) -> ForkedProcess:
        """A new child, given *fd* as its only channel."""
        with self._lock:
            self.sock.settimeout(30)
            wire.send_frame(self.sock, {"op": "spawn"})
            socket.send_fds(self.sock, [b"\0"], [fd])
            header, _ = wire.recv_frame(self.sock, wire.deadline_in(30), max_payload=0)
        pid = header.get("pid")
        if header.get("kind") != "spawned" or not isinstance(pid, int) or pid <= 1:
            raise wire.WireError("the zygote could not start a worker")
        return ForkedProcess(self, pid)

    def status(self, pid: int, wait: float) -> int | None:
        with self._lock:
            self.sock.settimeout(wait + 30)
            wire.send_frame(self.sock, {"op": "status", "pid": pid, "wait": int(wait)})
            header, _ = wire.recv_frame(self.sock, wire.deadline_in(wait + 30), max_payload=0)
        code = header.get("code")
        if header.get("kind") != "status" or not (code is None or isinstance(code, int)):
            raise wire.WireError("the zygote gave no status")
        return code

    def kill(self, pid: int) -> None:
        with self._lock:
            self.sock.settimeout(30)
            wire.send_frame(self.sock, {"op": "kill", "pid": pid})
            wire.recv_frame(self.sock, wire.deadline_in(30), max_payload=0)

    def close(self) -> None:
        """Kill the zygote and every child at once: they share its process group."""
        with contextlib.suppress(OSError):
            os.killpg(self.process.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self.process.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(timeout=5)
        self.sock.close()


class ForkedProcess:
    """What the pool needs of a ``Popen`` for a zygote's child: the zygote waits on and
    kills it (it is not this process's child). When the zygote is gone, so is it."""

    own_group = False  # in the zygote's process group: never killpg its pid

    def __init__(self, zygote: Zygote, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._zygote = zygote

    def poll(self) -> int | None:
        if self.returncode is None:
            self._ask(0)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            self._ask(5.0 if timeout is None else timeout)
        if self.returncode is None:
            raise subprocess.TimeoutExpired(f"worker {self.pid}", timeout or 0)
        return self.returncode

    def kill(self) -> None:
        if self.returncode is None:
            try:
                self._zygote.kill(self.pid)
            except (OSError, EOFError, wire.WireError):
                self.returncode = GONE

    def _ask(self, wait: float) -> None:
        try:
            self.returncode = self._zygote.status(self.pid, wait)
        except (OSError, EOFError, wire.WireError):
            self.returncode = GONE  # the zygote was killed, and its children with it
