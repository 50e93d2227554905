"""Running an import from the window: one at a time, on a worker, never freezing.

The worker opens its own connection (``vault.clone()``) and closes it before it ends,
so locking can wait for it and then close the GUI's connection knowing no other one is
left. Parsing happens in the sandboxed parser processes, as for the CLI.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from nco_desktop.importers.batch import ImportSummary, import_paths
from nco_desktop.progress import CancelToken, ProgressCallback
from nco_desktop.ui.import_dialogs import ImportProgressDialog, ImportSummaryDialog
from nco_desktop.ui.operations import BackgroundOperation
from nco_desktop.vault import Vault


class ImportController(QObject):
    file_done = Signal(object)  # FileResult, from the worker via a queued signal
    import_finished = Signal(object)  # ImportSummary (or None when it failed outright)

    def __init__(self, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._parent_widget = parent_widget
        self._operation: BackgroundOperation | None = None
        self._dialog: ImportProgressDialog | None = None
        self.show_summary = True
        self.last_summary: ImportSummary | None = None
        self.summary_dialog: ImportSummaryDialog | None = None

    @property
    def running(self) -> bool:
        return self._operation is not None

    def start(self, vault: Vault, paths: list[Path]) -> bool:
        """Start importing *paths*; False when an import is already running."""
        if self._operation is not None or not paths:
            return False
        emit_file_done = self.file_done.emit
        key = vault.vault_key()  # read here: a lock may blank the vault's own copy later

        def work(progress: ProgressCallback, cancel: CancelToken) -> ImportSummary:
            worker_vault = Vault.open_with_key(key)
            try:
                return import_paths(
                    worker_vault, paths, progress=progress, cancel=cancel, on_result=emit_file_done
                )
            finally:
                worker_vault.close()

        self._dialog = ImportProgressDialog(self._parent_widget)
        self._operation = BackgroundOperation(work, self)
        self._operation.progressed.connect(self._dialog.set_progress)
        self.file_done.connect(self._dialog.add_result)
        self._dialog.stop_requested.connect(self._operation.cancel)
        operation = self._operation
        # A result that arrives after the import was abandoned (locking) is dropped.
        operation.succeeded.connect(lambda summary: self._succeeded(operation, summary))
        operation.failed.connect(lambda error: self._failed(operation, error))
        operation.finished.connect(operation.deleteLater)
        self._dialog.start()
        self._operation.start()
        return True

    def cancel_and_wait(self) -> None:
        """Stop the import and wait for its connection to close (locking needs that).

        There is no time limit: a lock that returned while the worker still held the
        key would be a lock in name only. Cancelling stops the parsers at once and the
        file being stored is one transaction, so the wait is short.
        """
        if self._operation is None:
            return
        self._operation.cancel()
        self._operation.wait()
        self._teardown()

    def forget(self) -> None:
        """Drop what the last import said (file names) when the vault locks."""
        self.last_summary = None
        if self.summary_dialog is not None:
            self.summary_dialog.hide()
            self.summary_dialog.deleteLater()
            self.summary_dialog = None

    def _succeeded(self, operation: BackgroundOperation, summary: ImportSummary) -> None:
        if operation is not self._operation:
            return
        self._teardown()
        self.last_summary = summary
        self.import_finished.emit(summary)
        if self.show_summary:
            if self.summary_dialog is not None:
                self.summary_dialog.deleteLater()
            self.summary_dialog = ImportSummaryDialog(summary, self._parent_widget)
            self.summary_dialog.setModal(True)
            self.summary_dialog.show()

    def _failed(self, operation: BackgroundOperation, error: object) -> None:
        if operation is not self._operation:
            return
        self._teardown()
        self.import_finished.emit(None)
        from nco_desktop.ui import prompts

        prompts.warn(
            self._parent_widget,
            self.tr("Import stopped"),
            self.tr(
                "The import stopped because of an internal error. Files imported before it "
                "are safe in the vault; the rest were not imported."
            ),
            type(error).__name__,
        )

    def _teardown(self) -> None:
        if self._dialog is not None:
            with contextlib.suppress(RuntimeError, TypeError):
                self.file_done.disconnect(self._dialog.add_result)
            self._dialog.finish()
            self._dialog = None
        self._operation = None
