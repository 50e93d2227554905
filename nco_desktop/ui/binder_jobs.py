"""One piece of binder work at a time, on a worker with its own vault connection.

The pattern of :mod:`nco_desktop.ui.import_controller`: the key is read on the GUI
thread (a lock blanks the GUI vault's own copy later), the worker opens its own
connection with it and closes that connection before it ends, so locking can wait for
the worker and then know no connection is left. A result that arrives after
:meth:`VaultJob.cancel_and_wait` (locking) is dropped: it would show the case again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from nco_desktop.progress import Cancelled, CancelToken, ProgressCallback
from nco_desktop.ui.operations import BackgroundOperation
from nco_desktop.vault import Vault

VaultWork = Callable[[Vault, ProgressCallback, CancelToken], Any]


class VaultJob(QObject):
    progressed = Signal(int, int, str)  # done, total, label
    succeeded = Signal(object)  # what the work returned
    failed = Signal(object)  # the exception it raised (never Cancelled)
    cancelled = Signal()  # the user stopped it
    running_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._operation: BackgroundOperation | None = None

    @property
    def running(self) -> bool:
        return self._operation is not None

    def start(self, vault: Vault, work: VaultWork) -> bool:
        """Run *work* with a connection of its own; False if a job is already running."""
        if self._operation is not None:
            return False
        key = vault.vault_key()

        def run(progress: ProgressCallback, cancel: CancelToken) -> Any:
            worker_vault = Vault.open_with_key(key)
            try:
                return work(worker_vault, progress, cancel)
            finally:
                worker_vault.close()

        operation = BackgroundOperation(run, self)
        operation.progressed.connect(
            lambda done, total, label: self._progressed(operation, done, total, label)
        )
        operation.succeeded.connect(lambda result: self._succeeded(operation, result))
        operation.failed.connect(lambda error: self._failed(operation, error))
        operation.finished.connect(operation.deleteLater)
        self._operation = operation
        self.running_changed.emit(True)
        operation.start()
        return True

    def cancel(self) -> None:
        """Ask the work to stop; :attr:`cancelled` follows when it has."""
        if self._operation is not None:
            self._operation.cancel()

    def cancel_and_wait(self) -> None:
        """Stop the work and wait until its connection is closed (locking needs that).

        No time limit, as for imports: a lock that returned while the worker still held
        the key would be a lock in name only. Binder work checks for a cancel between
        exhibits and files, so the wait is short. Nothing is reported afterwards.
        """
        operation, self._operation = self._operation, None
        if operation is None:
            return
        operation.cancel()
        operation.wait()
        self.running_changed.emit(False)

    def _progressed(
        self, operation: BackgroundOperation, done: int, total: int, label: str
    ) -> None:
        if operation is self._operation:
            self.progressed.emit(done, total, label)

    def _succeeded(self, operation: BackgroundOperation, result: object) -> None:
        if operation is not self._operation:
            return
        self._operation = None
        self.running_changed.emit(False)
        self.succeeded.emit(result)

    def _failed(self, operation: BackgroundOperation, error: object) -> None:
        if operation is not self._operation:
            return
        self._operation = None
        self.running_changed.emit(False)
        if isinstance(error, Cancelled):
            self.cancelled.emit()
        else:
            self.failed.emit(error)
