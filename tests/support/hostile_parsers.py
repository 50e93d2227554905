"""Parsers that misbehave the way a hostile file can make a real one misbehave.

Used by the sandbox tests through ``import_paths(force_format=...)``; each module-level
``parse`` below is reached as e.g. ``tests.support.hostile_parsers`` with the behaviour
picked from the file's first bytes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator

from nco_desktop.evidence.records import EntryKind, TimeSource
from nco_desktop.importers.model import ParsedEntry, ParsedItem, ParseSource

NAME = "hostile test format"


def sniff(head: bytes, name: str) -> bool:
    return True


def parse(source: ParseSource) -> Iterator[ParsedItem]:
    behaviour = source.path.read_bytes()[:16].decode("ascii", "replace").strip()
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
