"""Long work off the GUI thread, reported back through signals.

A :class:`BackgroundOperation` runs one function on a Python thread with a progress
callback and a :class:`CancelToken` (Anki's ``QueryOp``, OnionShare's cancel flag). It
talks to widgets only through its signals, which Qt queues onto the GUI thread. A
vault connection belongs to the thread that made it, so work that needs the vault
calls ``vault.clone()`` inside the function and closes it there.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from nco_desktop.progress import CancelToken, ProgressCallback

Work = Callable[[ProgressCallback, CancelToken], Any]


class BackgroundOperation(QObject):
    progressed = Signal(int, int, str)  # done, total, label
    succeeded = Signal(object)  # whatever the work returned
    failed = Signal(object)  # the BaseException it raised
    finished = Signal()  # after succeeded or failed, always

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work: Work | None = work
        self.cancel_token = CancelToken()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._thread is not None:
            raise RuntimeError("an operation runs once")
        self._thread = threading.Thread(target=self._run, name="nco-operation", daemon=True)
        self._thread.start()

    def cancel(self) -> None:
        self.cancel_token.cancel()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until the work has returned; True if it has. Used only when locking."""
        if self._thread is None:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def _run(self) -> None:
        work, self._work = self._work, None  # its closure may hold a passphrase or key
        try:
            assert work is not None
            result = work(self._report, self.cancel_token)
        except BaseException as exc:
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)
        finally:
            del work
            self.finished.emit()

    def _report(self, done: int, total: int, label: str) -> None:
        self.progressed.emit(done, total, label)
