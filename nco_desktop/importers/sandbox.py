"""Parsing untrusted files in worker processes with memory, CPU and wall-time limits.

Image, PDF and XML libraries have had memory-exhaustion and endless-loop bugs; a file
made to trigger one must not take the program (or the vault) down with it. As in
Dangerzone, parsing happens in another process: here a small pool of long-lived
workers (one per core by default), each under an address-space limit, a CPU-time
budget per file, and a wall-clock deadline the parent enforces by killing it. A
killed or crashed worker is replaced; the file gets a plain sentence.

Workers never see the vault or its key: they get a path, read the file themselves, and
send back parsed items. Results stream in batches, so a 2 GB SMS backup never sits in
memory whole on either side.
"""

from __future__ import annotations

import contextlib
import importlib
import multiprocessing
import os
import signal
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from nco_desktop.hardening import disable_core_dumps
from nco_desktop.importers.formats import HEAD_SIZE, available, load
from nco_desktop.importers.model import ParsedItem, ParseSource, UnreadableFile
from nco_desktop.progress import Cancelled, CancelToken

POLL_SLICE = 0.25  # seconds between checks for a cancel while waiting on a worker
BATCH_ITEMS = 500
BATCH_BYTES = 8 * 1024 * 1024


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
    #: Bytes of a stored picture to turn into a preview for the window (path unused).
    preview_of: bytes | None = None
    #: Read the file as this format instead of detecting one: a module name in
    #: ``importers.formats`` or a dotted path (tests use it for hostile parsers).
    force_format: str | None = None


class ParseFailed(Exception):
    """The worker could not parse the file; ``message`` is for the person importing it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# ----- the worker side ---------------------------------------------------------------


def _apply_limits(limits: Limits) -> None:
    disable_core_dumps()  # a crashing parser must not write the evidence it held to disk
    try:
        import resource
    except ImportError:  # not on Windows; the wall-clock deadline still applies
        return
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))


def _cpu_budget(seconds: int) -> None:
    """Give the next file *seconds* of CPU beyond what this worker has used so far."""
    try:
        import resource
    except ImportError:
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = int(used.ru_utime + used.ru_stime) + 1
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = spent + seconds
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def detect_format(path: Path, name: str) -> str | None:
    """The first format module (most specific first) whose sniff claims the file."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_SIZE)
    for module_name in available():
        if load(module_name).sniff(head, name):
            return module_name
    return None


def _run_task(task: ParseTask, conn: Connection) -> None:
    path = Path(task.path)
    if task.preview_of is not None:
        conn.send(("preview", load("images").preview(task.preview_of)))
        return
    if task.thumbnail:
        data = load("images").thumbnail(path)
        conn.send(("thumbnail", data))
        return
    module_name = task.force_format or detect_format(path, task.name)
    module: Any = None
    if module_name and "." in module_name:
        module = importlib.import_module(module_name)
    elif module_name:
        module = load(module_name)
    conn.send(("format", module_name, getattr(module, "NAME", None)))
    if module is None:
        conn.send(("done",))
        return
    source = ParseSource(
        path=path,
        name=task.name,
        zone=ZoneInfo(task.zone),
        region=task.region,
        mtime_ms=task.mtime_ms,
        options=dict(task.options),
    )
    batch: list[ParsedItem] = []
    size = 0
    for item in module.parse(source):
        batch.append(item)
        size += len(getattr(item, "data", b"")) + len(getattr(item, "text", None) or "")
        if len(batch) >= BATCH_ITEMS or size >= BATCH_BYTES:
            conn.send(("items", batch))
            batch, size = [], 0
    if batch:
        conn.send(("items", batch))
    conn.send(("done",))


def worker_main(conn: Connection, limits: Limits) -> None:
    """Loop: receive a task, answer with messages, until told to stop (None)."""
    _apply_limits(limits)
    while True:
        try:
            task = conn.recv()
        except EOFError:
            return
        if task is None:
            return
        _cpu_budget(limits.cpu_seconds)
        try:
            _run_task(task, conn)
        except UnreadableFile as exc:
            conn.send(("failed", str(exc)))
        except MemoryError:
            conn.send(
                (
                    "failed",
                    "reading this file needed more memory than is safe; it was kept as it is",
                )
            )
        except RecursionError:
            conn.send(
                ("failed", "this file is nested too deeply to read safely; it was kept as it is")
            )
        except Exception as exc:  # a parser bug or a hostile file: contained here
            if os.environ.get("NCO_DEBUG"):
                traceback.print_exc()
            conn.send(
                (
                    "failed",
                    f"the reader stopped on an error it did not expect "
                    f"({type(exc).__name__}); the file was kept as it is",
                )
            )


# ----- the parent side ---------------------------------------------------------------


class _Worker:
    def __init__(self, context: Any, limits: Limits) -> None:
        self.conn, child = multiprocessing.Pipe(duplex=True)
        self.process = context.Process(target=worker_main, args=(child, limits), daemon=True)
        self.process.start()
        child.close()

    def stop(self, *, kill: bool = False) -> None:
        if kill:
            self.process.kill()
        else:
            with contextlib.suppress(OSError, ValueError):  # already gone
                self.conn.send(None)
        self.process.join(timeout=5)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(timeout=5)
        self.conn.close()


@dataclass
class ParseJob:
    """A file being parsed; iterate :meth:`messages` to receive its results in order."""

    task: ParseTask
    worker: _Worker
    budget: float  # wall seconds, counted while the parent waits for this file
    pool: ParserPool
    format_module: str | None = None
    format_name: str | None = None
    finished: bool = False
    cancel: CancelToken | None = None

    def messages(self) -> Iterator[tuple[Any, ...]]:
        """Yields ("items", [...]) and ("thumbnail", bytes); raises ParseFailed.

        The clock starts when the parent starts waiting, not at submission: time the
        parent spends writing earlier files is not this file's. A worker left mid-file
        (the consumer stopped early) is killed, never reused: its pipe still holds the
        rest of this file, which must not reach the next one.
        """
        deadline = time.monotonic() + self.budget
        completed = False
        try:
            while True:
                remaining = max(0.0, deadline - time.monotonic())
                # Short slices, so a cancel is noticed while a parser works or hangs.
                if not self.worker.conn.poll(min(remaining, POLL_SLICE)):
                    if self.cancel is not None and self.cancel.cancelled:
                        raise Cancelled
                    if remaining > POLL_SLICE:
                        continue
                    self.pool.replace(self.worker)
                    raise ParseFailed(
                        "reading this file took too long and was stopped; it was kept as it is"
                    )
                try:
                    message = self.worker.conn.recv()
                except (EOFError, OSError):
                    self.worker.process.join(timeout=5)
                    out_of_cpu = self.worker.process.exitcode == -getattr(signal, "SIGXCPU", 0)
                    self.pool.replace(self.worker)
                    if out_of_cpu:
                        raise ParseFailed(
                            "reading this file took too long and was stopped; it was kept as it is"
                        ) from None
                    raise ParseFailed(
                        "the reader crashed on this file (it may be damaged or made to break "
                        "readers); it was kept as it is"
                    ) from None
                kind = message[0]
                if kind == "format":
                    self.format_module, self.format_name = message[1], message[2]
                elif kind == "done":
                    completed = True
                    return
                elif kind == "failed":
                    completed = True
                    raise ParseFailed(message[1])
                else:
                    if kind in ("thumbnail", "preview"):
                        completed = True
                    yield message
                    if kind in ("thumbnail", "preview"):
                        return
        finally:
            self.finished = True
            if completed:
                self.pool.release(self.worker)
            else:
                self.pool.replace(self.worker)

    def abandon(self) -> None:
        """Stop parsing now (the user cancelled): kill the worker, keep nothing."""
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
    """Up to *workers* files parsed at once; results are consumed in submission order."""

    def __init__(self, workers: int | None = None, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._context = multiprocessing.get_context("spawn")  # no fork of a threaded GUI
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self._size = max(1, workers or min(2, os.cpu_count() or 1))

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

    def submit(self, task: ParseTask, cancel: CancelToken | None = None) -> ParseJob:
        if not self.free:
            raise RuntimeError("no free worker; consume a job first")
        worker = self._idle.pop() if self._idle else _Worker(self._context, self.limits)
        self._busy.add(worker)
        try:
            size_mb = (
                len(task.preview_of) / 1e6
                if task.preview_of is not None
                else Path(task.path).stat().st_size / 1e6
            )
        except OSError:
            size_mb = 0.0
        budget = self.limits.wall_seconds + size_mb * self.limits.wall_seconds_per_mb
        worker.conn.send(task)
        return ParseJob(task=task, worker=worker, budget=budget, pool=self, cancel=cancel)

    def release(self, worker: _Worker) -> None:
        if worker in self._busy:
            self._busy.discard(worker)
            if worker.process.is_alive():
                self._idle.append(worker)

    def replace(self, worker: _Worker) -> None:
        """Kill a worker that hung or crashed; a new one starts on the next submit."""
        self._busy.discard(worker)
        worker.stop(kill=True)

    def close(self, *, kill: bool = False) -> None:
        """Stop every worker; *kill* does not wait for a busy one to finish its file."""
        for worker in [*self._idle, *self._busy]:
            worker.stop(kill=kill)
        self._idle.clear()
        self._busy.clear()
