"""The program's side of the sandbox: start workers, send tasks, check every answer.

A small pool of long-lived workers (one per core by default). Each is a fresh
interpreter (``python -I -m nco_desktop.sandbox.worker``, never a fork of this process
and its secrets) with an environment of two locale variables, no files but one end of
a socket pair, and limits on memory, CPU per task and wall-clock time, the last enforced
here by killing it. A worker that hangs, dies or sends anything that is not valid data
(:mod:`.wire`) is killed and replaced; the file gets a plain sentence.

Results stream in batches, so a 2 GB SMS backup never sits in memory whole on either
side. A pool can also give each task a worker of its own (``fresh_per_task``).
Windows: ``pass_fds`` does not exist there, so workers cannot start; see README.
"""

from __future__ import annotations

import contextlib
import importlib.util
import itertools
import os
import select
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nco_desktop.progress import Cancelled, CancelToken
from nco_desktop.sandbox import wire, zygote
from nco_desktop.sandbox.answers import MAX_NAME, final_answer, only_fields, short_name

POLL_SLICE = 0.25  # seconds between checks for a cancel while waiting on a worker
CLOSED = "the reader was stopped (the vault was locked)"

TOO_LONG = "reading this file took too long and was stopped; it was kept as it is"
CRASHED = (
    "the reader crashed on this file (it may be damaged or made to break readers); "
    "it was kept as it is"
)
INVALID = "the reader sent something that is not valid; the file was kept as it is"


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = 2 * 1024**3  # address space per worker
    cpu_seconds: int = 120  # per file
    wall_seconds: float = 180.0  # per file, plus the allowance below
    wall_seconds_per_mb: float = 1.0


@dataclass(frozen=True)
class ParseTask:
    """What a worker needs: where the file is and how to read times and numbers."""

    path: str
    name: str
    zone: str
    region: str
    mtime_ms: int | None
    options: dict[str, str] = field(default_factory=dict)
    thumbnail: bool = False  # make a thumbnail instead of parsing
    #: Read the file as this format instead of detecting one: a module name in
    #: ``importers.formats`` or a dotted path (tests use it for hostile parsers).
    force_format: str | None = None


class ParseFailed(Exception):
    """The worker could not parse the file; ``message`` is for the person importing it.
    ``question``: the reader needs a choice the file cannot make (a chat's date order),
    checked by :func:`wire.question`; the file is then not stored until it is made."""

    def __init__(self, message: str, question: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.question = question


def worker_command(fd: int) -> list[str]:
    """How to start a worker: the packaged program handles a flag (see ``__main__``)."""
    if getattr(sys, "frozen", False):
        return [sys.executable, "--nco-sandbox-worker", str(fd)]
    return [sys.executable, "-I", "-m", "nco_desktop.sandbox.worker", str(fd)]


def worker_environment() -> dict[str, str]:
    """Never the parent's environment (it may hold NCO_PASSPHRASE): only what Python needs."""
    env = {"LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"}
    if os.environ.get("NCO_DEBUG"):
        env["NCO_DEBUG"] = os.environ["NCO_DEBUG"]
    if sys.platform == "win32" and "SYSTEMROOT" in os.environ:
        env["SYSTEMROOT"] = os.environ["SYSTEMROOT"]
    return env


_serials = itertools.count(1)


class _Worker:
    process: subprocess.Popen[bytes] | zygote.ForkedProcess

    def __init__(self, setup: dict[str, Any]) -> None:
        self.serial = next(_serials)
        self.layers: dict[str, Any] | None = None
        self.sock, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        debug = bool(os.environ.get("NCO_DEBUG"))
        try:
            self.process = subprocess.Popen(  # noqa: S603 (our own interpreter, fixed arguments)
                worker_command(child.fileno()),
                env=worker_environment(),
                close_fds=True,
                pass_fds=(child.fileno(),),
                cwd="/",
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=None if debug else subprocess.DEVNULL,
                start_new_session=True,  # a worker's kill(0, …) reaches no one else
            )
        except BaseException:
            self.sock.close()
            raise
        finally:
            child.close()
        self.sock.settimeout(30)
        wire.send_frame(self.sock, setup)

    def greet(self, remaining: wire.Deadline) -> dict[str, Any]:
        """The worker's first frame: which confinement layers are active."""
        if self.layers is None:
            header, payloads = wire.recv_frame(self.sock, remaining, max_payload=0)
            layers = header.get("layers")
            if header.get("kind") != "hello" or not isinstance(layers, dict) or payloads:
                raise wire.WireError("the worker did not say hello")
            for key, value in layers.items():
                if not isinstance(value, bool | int | str) or len(str(value)) > MAX_NAME:
                    raise wire.WireError(f"a layer {key!r} is not a plain value")
            self.layers = layers
        return self.layers

    def alive(self) -> bool:
        return self.process.poll() is None

    def stop(self, *, kill: bool = False) -> None:
        if not kill:
            with contextlib.suppress(OSError, wire.WireError):
                self.sock.settimeout(1)
                wire.send_frame(self.sock, {"op": "stop"})
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                kill = True
        if kill:
            alive = self.process.poll() is None  # not yet reaped: its pid is still its own
            with contextlib.suppress(OSError):
                self.process.kill()
            own_group = getattr(self.process, "own_group", True)
            if alive and own_group and hasattr(os, "killpg"):  # its own session:
                with contextlib.suppress(OSError):  # anything it started goes with it
                    os.killpg(self.process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
        self.sock.close()


class _ForkedWorker(_Worker):
    """A worker forked for one task by the pool's zygote (:mod:`.zygote`)."""

    def __init__(self, parent: zygote.Zygote) -> None:
        self.serial = next(_serials)
        self.layers = None
        self.sock, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            self.process = parent.spawn(child.fileno())
        except BaseException:
            self.sock.close()
            raise
        finally:
            child.close()
        self.sock.settimeout(30)


@dataclass
class ParseJob:
    """A task being worked on; iterate :meth:`messages` to receive its results in order."""

    worker: _Worker
    budget: float  # wall seconds, counted while the parent waits for this file
    pool: ParserPool
    task: ParseTask | None = None
    format_module: str | None = None
    format_name: str | None = None
    finished: bool = False
    cancel: CancelToken | None = None

    def messages(self) -> Iterator[tuple[Any, ...]]:
        """Yields ("items", [...]), ("thumbnail", bytes), ("raster", Raster) or
        ("pages", [(w, h), …]); raises ParseFailed.

        The clock starts when the parent starts waiting, not at submission: time the
        parent spends writing earlier files is not this file's. A worker left mid-task
        (the consumer stopped early) is killed, never reused: its socket still holds
        the rest of this file, which must not reach the next one.
        """
        remaining = wire.deadline_in(self.budget)
        completed = False
        try:
            self._wait(remaining)
            self.pool.note_layers(self.worker.greet(remaining))
            while True:
                self._wait(remaining)
                header, payloads = wire.recv_frame(self.worker.sock, remaining)
                kind = header.get("kind")
                if kind == "format":
                    only_fields(header, payloads, {"kind", "module", "name"})
                    self.format_module = short_name(header.get("module"))
                    self.format_name = short_name(header.get("name"))
                elif kind == "done":
                    only_fields(header, payloads, {"kind"})
                    completed = True
                    return
                elif kind == "failed":
                    only_fields(header, payloads, {"kind", "message", "question"})
                    completed = True
                    raise ParseFailed(
                        wire.sentence(header.get("message")),
                        wire.question(header.get("question")),
                    )
                elif kind == "items":
                    only_fields(header, payloads, {"kind", "items"}, any_payloads=True)
                    yield ("items", wire.decode_items(header.get("items"), payloads))
                else:
                    message = final_answer(header, payloads)
                    completed = True
                    yield message
                    return
        except TimeoutError:
            raise ParseFailed(TOO_LONG) from None
        except wire.WireError:
            raise ParseFailed(INVALID) from None
        except (EOFError, OSError):
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.worker.process.wait(timeout=5)
            if self.worker.process.returncode == -getattr(signal, "SIGXCPU", 0):
                raise ParseFailed(TOO_LONG) from None
            raise ParseFailed(CRASHED) from None
        finally:
            self.finished = True
            if completed:
                self.pool.release(self.worker)
            else:
                self.pool.replace(self.worker)

    def _wait(self, remaining: wire.Deadline) -> None:
        """Until a frame starts arriving; short slices, so a cancel is noticed at once."""
        while True:
            left = remaining()
            if left is not None and left <= 0:
                raise TimeoutError
            wait = POLL_SLICE if left is None else min(left, POLL_SLICE)
            ready, _, _ = select.select([self.worker.sock], [], [], wait)
            if ready:
                return
            if self.cancel is not None and self.cancel.cancelled:
                raise Cancelled

    def abandon(self) -> None:
        """Stop now (the user cancelled): kill the worker, keep nothing."""
        if not self.finished:
            self.finished = True
            self.pool.replace(self.worker)

    def drain(self) -> None:
        """Throw away the rest of the results (this file was a duplicate after all)."""
        if not self.finished:
            with contextlib.suppress(ParseFailed):
                for _ in self.messages():
                    pass


class ParserPool:
    """Up to *workers* tasks at once; results are consumed in submission order.

    *roots* are the folders workers may read (the user's chosen files' folders); none
    for a pool that gets every input as bytes. *preload* names extra modules workers
    import before confining themselves; *render* loads the page and picture renderer.
    *ocr*: the folder of the OCR engine's language data, which workers load
    (:mod:`.ocr_task`) before confining themselves.
    *fresh_per_task*: every task gets a worker no earlier task has used (forked from a
    zygote where the platform allows, :mod:`.zygote`; else started for it), so a file
    that took its worker over cannot answer for the files after it.
    """

    def __init__(
        self,
        workers: int | None = None,
        limits: Limits | None = None,
        *,
        roots: Sequence[Path] = (),
        preload: Sequence[str] = (),
        render: bool = False,
        ocr: str | None = None,
        fresh_per_task: bool = False,
    ) -> None:
        self.closed = False
        self.limits = limits or Limits()
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._size = max(1, workers or min(2, os.cpu_count() or 1))
        self._setup = _setup_frame(self.limits, roots, preload, render) | {"ocr": ocr or ""}
        self._layers: dict[str, Any] | None = None
        self._fresh = fresh_per_task
        self._zygote: zygote.Zygote | None = None

    def __enter__(self) -> ParserPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def size(self) -> int:
        return self._size

    @property
    def free(self) -> bool:
        return len(self._busy) < self._size

    @property
    def layers(self) -> dict[str, Any]:
        """What confines this pool's workers, as the last worker to start reported it."""
        if self._layers is None:
            worker = self._idle.pop() if self._idle else self._new_worker()
            try:
                self._layers = worker.greet(wire.deadline_in(self.limits.wall_seconds))
            except (OSError, EOFError, wire.WireError):
                worker.stop(kill=True)
                raise
            self._idle.append(worker)
        return dict(self._layers)

    def note_layers(self, layers: dict[str, Any]) -> None:
        self._layers = layers

    def next_worker_serial(self) -> int | None:
        """Which worker the next task goes to (None: a new one), for state kept in one."""
        return self._idle[-1].serial if self._idle else None

    def submit(self, task: ParseTask, cancel: CancelToken | None = None) -> ParseJob:
        header: dict[str, Any] = {"op": "thumbnail" if task.thumbnail else "parse"}
        # Absolute: the worker runs in "/", and "report.pdf" typed in a terminal means
        # the file in the folder the command was run from.
        header |= {"path": os.path.abspath(task.path), "name": task.name, "zone": task.zone}
        header |= {"region": task.region, "mtime_ms": task.mtime_ms}
        header |= {"options": dict(task.options), "force_format": task.force_format}
        payloads: list[bytes] = []
        try:
            size_mb = Path(task.path).stat().st_size / 1e6
        except OSError:
            size_mb = 0.0
        job = self.request(header, payloads, size_mb, cancel)
        job.task = task
        return job

    def request(
        self,
        header: dict[str, Any],
        payloads: Sequence[bytes] = (),
        size_mb: float = 0.0,
        cancel: CancelToken | None = None,
    ) -> ParseJob:
        """Send one task (an ``op`` and its fields) to a free worker; answers via the job."""
        if not self.free:
            raise RuntimeError("no free worker; consume a job first")
        budget = self.limits.wall_seconds + size_mb * self.limits.wall_seconds_per_mb
        for attempt in (1, 2):
            if self.closed:
                raise ParseFailed(CLOSED)
            worker = self._idle.pop() if self._idle else self._new_worker()
            self._busy.add(worker)
            if self.closed:  # closed (a lock) while this worker started: nothing is sent
                self.replace(worker)
                raise ParseFailed(CLOSED)
            try:
                worker.sock.settimeout(budget)
                wire.send_frame(worker.sock, header, payloads)
                break
            except OSError:  # it died while idle: one more try with a fresh worker
                self.replace(worker)
                if attempt == 2:
                    raise
        return ParseJob(worker=worker, budget=budget, pool=self, cancel=cancel)

    def _new_worker(self) -> _Worker:
        if not (self._fresh and zygote.available()):
            return _Worker(self._setup)
        if self._zygote is None or self._zygote.process.poll() is not None:
            starter = _Worker(self._setup | {"zygote": True})
            try:
                self._zygote = zygote.Zygote(starter.process, starter.sock)  # type: ignore[arg-type]
            except BaseException:
                starter.stop(kill=True)
                raise
            if self.closed:  # locked while it started: close() may not have seen it
                self._zygote.close()
                self._zygote = None
                raise ParseFailed(CLOSED)
        return _ForkedWorker(self._zygote)

    def release(self, worker: _Worker) -> None:
        if worker in self._busy:
            self._busy.discard(worker)
            if self._fresh:
                # Its one task is done: it is ended (code that took it over must not
                # keep running), and the next file's worker starts now, while this
                # file's results are stored.
                with contextlib.suppress(OSError):
                    worker.process.kill()
                worker.sock.close()
                if not self.closed and not self._idle:
                    with contextlib.suppress(OSError, EOFError, wire.WireError):
                        self._idle.append(self._new_worker())
            elif worker.alive():
                self._idle.append(worker)

    def replace(self, worker: _Worker) -> None:
        """Kill a worker that hung, crashed or lied; a new one starts on the next task."""
        self._busy.discard(worker)
        if worker in self._idle:
            self._idle.remove(worker)
        worker.stop(kill=True)

    def close(self, *, kill: bool = False) -> None:
        """Stop every worker; *kill* does not wait for a busy one to finish its task.

        For good: a request racing with this (another thread, a lock) starts no new
        worker and sends nothing after it.
        """
        self.closed = True
        workers = [*self._idle, *self._busy]
        self._idle.clear()
        self._busy.clear()
        forks, self._zygote = self._zygote, None
        if forks is not None and kill:  # every forked worker, at once
            forks.close()
        for worker in workers:
            worker.stop(kill=kill)
        if forks is not None and not kill:  # after its children had their stop
            forks.close()


def _setup_frame(
    limits: Limits, roots: Sequence[Path], preload: Sequence[str], render: bool
) -> dict[str, Any]:
    """The worker's first frame. Preloaded modules outside the installed program (tests'
    hostile parsers) come with the folder to import them from."""
    sys_path: list[str] = []
    for module_name in preload:
        spec = importlib.util.find_spec(module_name.split(".")[0])
        if spec is not None and spec.origin and not module_name.startswith("nco_desktop."):
            sys_path.append(str(Path(spec.origin).resolve().parents[1]))
    return {
        "op": "setup",
        "memory_bytes": limits.memory_bytes,
        "cpu_seconds": limits.cpu_seconds,
        "roots": sorted({str(root) for root in roots}),
        "preload": list(preload),
        "sys_path": sys_path,
        "render": render,
    }
