"""Progress reporting and cancellation shared by long operations (import, verify, binder).

Qt-free on purpose: the GUI's workers wrap these in signals, the CLI prints them.
"""

from __future__ import annotations

import threading
from typing import Protocol


class Cancelled(Exception):
    """The user asked to stop; work already committed stays, the current item is undone."""


class CancelToken:
    """Set from any thread; checked by the worker between items."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled


class ProgressCallback(Protocol):
    def __call__(self, done: int, total: int, label: str) -> None: ...


def no_progress(done: int, total: int, label: str) -> None:
    """The default progress callback: report nothing."""
