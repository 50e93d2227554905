"""The worker process: load every reader, confine itself, then answer tasks over one socket.

Started by :mod:`.pool` as ``python -I -m nco_desktop.sandbox.worker FD`` with an almost
empty environment and one end of a socket pair as its only open channel. The first frame
from the parent says how to set up (limits, readable folders, modules to preload, whether
to load the renderer); the worker imports everything it will need *before* confining
itself, because after that it can read only libraries and the folders it was given, and
can write nothing at all. Then it says hello (with the layers that are active) and
loops: one task in, a few frames out.
"""

from __future__ import annotations

import contextlib
import importlib
import mimetypes
import os
import socket
import sys
import threading
import time
import traceback
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from nco_desktop.importers.formats import HEAD_SIZE, available, load
from nco_desktop.importers.model import ParsedItem, ParseSource, UnreadableFile
from nco_desktop.sandbox import confine, wire, zygote

BATCH_ITEMS = 500
BATCH_BYTES = 8 * 1024 * 1024
BATCH_HEADER = 256 * 1024  # rough JSON characters per items frame, well below MAX_HEADER

#: The channel, once set up. Tests' hostile parsers write to it directly, the way a
#: parser taken over by a hostile file could.
CHANNEL: socket.socket | None = None
_CPU_SECONDS = 120


def detect_format(path: Path, name: str) -> str | None:
    """The first format module (most specific first) whose sniff claims the file."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_SIZE)
    for module_name in available():
        if load(module_name).sniff(head, name):
            return module_name
    return None


def _cpu_budget(seconds: int, *, final: bool = False) -> None:
    """Give the next task *seconds* of CPU beyond what this worker has used so far.

    *final*: this worker answers no other task, so the hard limit comes down too (a
    few seconds later): SIGXCPU can be caught or ignored by code that took the worker
    over, the kernel's SIGKILL at the hard limit cannot.
    """
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
    if final:
        hard = soft + 5
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _send(header: dict[str, Any], payloads: list[bytes] | None = None) -> None:
    assert CHANNEL is not None
    wire.send_frame(CHANNEL, header, payloads or [])


def _parse(task: dict[str, Any]) -> None:
    path = Path(task["path"])
    forced = task.get("force_format")
    module_name = forced or detect_format(path, task["name"])
    module: Any = None
    if module_name and "." in module_name:
        module = importlib.import_module(module_name)
    elif module_name:
        module = load(module_name)
    _send({"kind": "format", "module": module_name, "name": getattr(module, "NAME", None)})
    if module is None:
        _send({"kind": "done"})
        return
    source = ParseSource(
        path=path,
        name=task["name"],
        zone=ZoneInfo(task["zone"]),
        region=task["region"],
        mtime_ms=task["mtime_ms"],
        options=dict(task["options"]),
    )
    batch: list[ParsedItem] = []
    size = chars = 0
    for item in module.parse(source):
        data_len = len(getattr(item, "data", b""))
        if batch and size + data_len > BATCH_BYTES:
            _send_items(batch)
            batch, size, chars = [], 0, 0
        batch.append(item)
        size += data_len
        chars += len(repr(getattr(item, "meta", ""))) + min(
            len(getattr(item, "text", None) or ""), wire.INLINE_TEXT
        )
        chars += 300
        if len(batch) >= BATCH_ITEMS or size >= BATCH_BYTES or chars >= BATCH_HEADER:
            _send_items(batch)
            batch, size, chars = [], 0, 0
    if batch:
        _send_items(batch)
    _send({"kind": "done"})


def _send_items(batch: list[ParsedItem]) -> None:
    items, payloads = wire.encode_items(batch)
    try:
        _send({"kind": "items", "items": items}, payloads)
    except wire.WireError:
        if len(batch) == 1:
            raise UnreadableFile(
                "a record in this file is too large to read safely; it was kept as it is"
            ) from None
        middle = len(batch) // 2  # too much for one header: send it in halves
        _send_items(batch[:middle])
        _send_items(batch[middle:])


def _run(task: dict[str, Any], payloads: list[bytes]) -> None:
    op = task.get("op")
    if op == "parse":
        _parse(task)
    elif op == "thumbnail":
        _send({"kind": "thumbnail"}, [load("images").thumbnail(Path(task["path"]))])
    elif op in (
        "picture",
        "pdf_open",
        "pdf_page",
        "binder_picture",
        "pdf_pages",
        "audio",
        "audio_clean",
    ):
        from nco_desktop.sandbox import render

        render.run(op, task, payloads, _send)
    elif op == "ocr":
        from nco_desktop.sandbox import ocr_task

        ocr_task.run(task, payloads, _send)
    elif op == "service_page":
        from nco_desktop.sandbox import service_page_task

        service_page_task.run(task, payloads, _send)
    else:
        raise UnreadableFile("the reader was asked for something it does not do")


def _setup(setup: dict[str, Any]) -> dict[str, Any]:
    """Everything that needs the disk is loaded here, before the worker confines itself."""
    global _CPU_SECONDS
    sys.dont_write_bytecode = True
    _CPU_SECONDS = int(setup["cpu_seconds"])
    for entry in setup.get("sys_path", []):
        if entry not in sys.path:
            sys.path.append(entry)
    for module_name in available():
        load(module_name)
    mimetypes.init()  # reads /etc/mime.types, which a confined worker cannot open
    for module_name in setup.get("preload", []):
        importlib.import_module(module_name)
    if setup.get("render"):
        from nco_desktop.sandbox import render

        render.prepare()
    if setup.get("ocr"):
        from nco_desktop.sandbox import ocr_task

        ocr_task.prepare(str(setup["ocr"]))
    with contextlib.suppress(Exception):
        import pyseccomp  # noqa: F401  (loads libseccomp while files can still be opened)
    if setup.get("zygote"):
        return {}  # confined in each child it starts, after the fork (see serve_zygote)
    return _confine(setup)


def _confine(setup: dict[str, Any]) -> dict[str, Any]:
    """Confine this process: with one thread only, since seccomp, Landlock and
    no_new_privs bind the calling thread and those it starts afterwards, never a thread
    that already runs (one would be a way out for code that took the worker over)."""
    confine.apply_limits(int(setup["memory_bytes"]), render=bool(setup.get("render")))
    threads = confine.thread_count()
    if threads not in (None, 1):
        raise RuntimeError(f"{threads} threads before confining: refusing to go on")
    return confine.confine(setup.get("roots", []))


def _fail(message: str, question: dict[str, object] | None = None) -> None:
    header: dict[str, object] = {"kind": "failed", "message": message}
    if question is not None:  # the reader needs a choice made (see importers.model)
        header["question"] = question
    _send(header)


def _watch_parent() -> None:
    """End this worker when the program ends, even mid-task (a parser that hangs).

    Not PR_SET_PDEATHSIG: that fires when the *thread* that started the worker ends,
    and the window starts workers from short-lived job threads.
    """
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def serve(channel: socket.socket) -> None:
    """Set up, say hello, then answer tasks until the parent says stop or goes away."""
    global CHANNEL
    CHANNEL = channel
    setup, _ = wire.recv_frame(channel)
    if setup.get("zygote"):
        _setup(setup)
        zygote.serve(channel, lambda fd: _child(fd, setup))
        return
    layers = _setup(setup)
    _watch_parent()  # only now: a thread started before confining would stay unconfined
    _send({"kind": "hello", "pid": os.getpid(), "layers": layers})
    _answer_tasks(channel)


def _child(fd: int, setup: dict[str, Any]) -> None:
    """A child of the zygote (just forked): confine, say hello, answer one task."""
    global CHANNEL
    CHANNEL = socket.socket(fileno=fd)
    layers = _confine(setup)
    _watch_parent()  # only now: a thread started before confining would stay unconfined
    _send({"kind": "hello", "pid": os.getpid(), "layers": layers})
    _answer_tasks(CHANNEL, once=True)


def _answer_tasks(channel: socket.socket, *, once: bool = False) -> None:
    while True:
        try:
            task, payloads = wire.recv_frame(channel)
        except (EOFError, OSError, wire.WireError):
            return
        if task.get("op") == "stop":
            return
        _cpu_budget(_CPU_SECONDS, final=once)
        try:
            _run(task, payloads)
        except UnreadableFile as exc:
            as_dict = getattr(getattr(exc, "question", None), "as_dict", None)
            _fail(str(exc), as_dict() if callable(as_dict) else None)
        except MemoryError:
            _fail("reading this file needed more memory than is safe; it was kept as it is")
        except RecursionError:
            _fail("this file is nested too deeply to read safely; it was kept as it is")
        except Exception as exc:  # a parser bug or a hostile file: contained here
            if os.environ.get("NCO_DEBUG"):
                traceback.print_exc()
            _fail(
                f"the reader stopped on an error it did not expect "
                f"({type(exc).__name__}); it was kept as it is"
            )
        if once:
            return


def main(argv: list[str] | None = None) -> int:
    """Entry point: the socket's file descriptor number is the only argument."""
    args = sys.argv[1:] if argv is None else argv
    channel = socket.socket(fileno=int(args[-1]))
    try:
        serve(channel)
    except (EOFError, OSError, wire.WireError):
        return 1
    finally:
        channel.close()
    return 0


if __name__ == "__main__":
    # Run the imported module, not this ``__main__`` copy of it, so code that imports
    # nco_desktop.sandbox.worker sees the one CHANNEL.
    from nco_desktop.sandbox.worker import main as worker_main

    sys.exit(worker_main())
