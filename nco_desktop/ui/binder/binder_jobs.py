"""One piece of binder work at a time (build, save), through the window's job API.

A thin keeper around :func:`~nco_desktop.ui.common.jobs.run_job` for the Binder view:
it refuses a second job while one runs, and turns the job's callbacks into signals the
page connects once. The session stops and waits for the job before the vault closes
and drops anything it reports afterwards.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from nco_desktop.progress import CancelToken, ProgressCallback
from nco_desktop.ui.common.jobs import Job, run_job
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.vault import Vault

VaultWork = Callable[[Vault, ProgressCallback, CancelToken], Any]


class VaultJob(QObject):
    progressed = Signal(int, int, str)  # done, total, label
    succeeded = Signal(object)  # what the work returned
    failed = Signal(object)  # the exception it raised (never Cancelled)
    cancelled = Signal()  # the user stopped it
    running_changed = Signal(bool)

    def __init__(self, session: VaultSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._job: Job | None = None

    @property
    def running(self) -> bool:
        return self._job is not None

    def start(self, work: VaultWork) -> bool:
        """Run *work* with a connection of its own; False if a job is already running
        or no vault is open."""
        if self._job is not None or not self._session.is_open:
            return False
        job: Job | None = None

        def ended(signal: Callable[..., None], *args: object) -> None:
            if self._job is job:
                self._job = None
                self.running_changed.emit(False)
                signal(*args)

        job = run_job(
            self._session,
            work,
            on_success=lambda result: ended(self.succeeded.emit, result),
            on_failure=lambda error: ended(self.failed.emit, error),
            on_cancelled=lambda: ended(self.cancelled.emit),
            on_progress=self.progressed.emit,
        )
        self._job = job
        self.running_changed.emit(True)
        return True

    def cancel(self) -> None:
        """Ask the work to stop; :attr:`cancelled` follows when it has."""
        if self._job is not None:
            self._job.cancel()

    def forget(self) -> None:
        """The session has stopped the job (locking, or another vault): forget it
        without waiting again; anything it says later is dropped by the session."""
        job, self._job = self._job, None
        if job is not None:
            self.running_changed.emit(False)
