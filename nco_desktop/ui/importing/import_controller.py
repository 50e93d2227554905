"""Running an import from the window: one at a time, on a worker, never freezing.

The import is a job of the window's :class:`VaultSession` (its own connection, closed
before it ends), so locking stops it and waits for it before the vault closes, and
whatever it reports afterwards is dropped. Parsing happens in the sandboxed parser
processes, as for the CLI.
"""

from __future__ import annotations

import contextlib
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from nco_desktop.importers.batch import FileResult, ImportSummary, import_paths
from nco_desktop.importers.chat_names import chat_options
from nco_desktop.progress import CancelToken, ProgressCallback
from nco_desktop.ui.common.jobs import Job, run_job
from nco_desktop.ui.common.session import Change, VaultSession
from nco_desktop.ui.importing.date_order_question import ask_date_orders, pending_choices
from nco_desktop.ui.importing.import_dialogs import ImportProgressDialog, ImportSummaryDialog
from nco_desktop.ui.importing.owner_question import NOT_ASKING, ask_owners
from nco_desktop.vault import Vault


def _question_kind(result: FileResult) -> str:
    return str((result.question or {}).get("ask") or "date_order")


class ImportController(QObject):
    file_done = Signal(object)  # FileResult, from the worker via a queued signal
    import_finished = Signal(object)  # ImportSummary (or None when it failed outright)

    def __init__(self, session: VaultSession, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._session = session
        self._parent_widget = parent_widget
        self._operation: Job | None = None
        self._dialog: ImportProgressDialog | None = None
        self.show_summary = True
        self.last_summary: ImportSummary | None = None
        self.summary_dialog: ImportSummaryDialog | None = None
        #: Imports to run once this one is done: chats read again with a date order
        #: or the user's own name.
        self._queued: list[tuple[list[Path], dict[str, str]]] = []
        self._carried: list[FileResult] = []
        self._options: dict[str, str] = {}  # what the running import was given
        self._again = False  # ... and whether it reads stored files anew
        self._asked: set[tuple[str, str]] = set()  # (file, question) asked in this run
        self._chaining = False  # start() called for an answer, not by the user
        session.detached.connect(self._detached)

    @property
    def running(self) -> bool:
        return self._operation is not None

    def start(
        self, paths: list[Path], options: dict[str, str] | None = None, *, again: bool = False
    ) -> bool:
        """Start importing *paths*; False when an import is already running. *options*:
        what the user chose for these files (a chat's date order). *again*: read files
        already in the vault anew, replacing their entries (importers.reread)."""
        if self._operation is not None or not paths or not self._session.is_open:
            return False
        emit_file_done = self.file_done.emit
        if not self._chaining:  # the user's own import: its questions are new
            self._asked.clear()
        self._chaining = False
        self._options = dict(options or {})
        self._again = again

        def work(vault: Vault, progress: ProgressCallback, cancel: CancelToken) -> ImportSummary:
            chosen = chat_options(vault, options, ask=True)
            return import_paths(
                vault,
                paths,
                progress=progress,
                cancel=cancel,
                on_result=emit_file_done,
                options=chosen,
                again=again,
            )

        dialog = self._dialog = ImportProgressDialog(self._parent_widget)
        self.file_done.connect(dialog.add_result)
        job: Job | None = None

        def succeeded(summary: ImportSummary) -> None:
            if job is self._operation:
                self._succeeded(summary)

        def failed(error: BaseException) -> None:
            if job is self._operation:
                self._failed(error)

        def stopped() -> None:  # stopped before the first file was read
            if job is self._operation:
                self._teardown()
                self.import_finished.emit(None)

        # A stopped import still reports what it stored: import_paths returns a
        # summary with the files it did not reach, rather than raising Cancelled.
        job = self._operation = run_job(
            self._session,
            work,
            on_success=succeeded,
            on_failure=failed,
            on_cancelled=lambda: stopped(),
            on_progress=dialog.set_progress,
        )
        dialog.stop_requested.connect(self._stop_requested)
        dialog.start()
        return True

    def _stop_requested(self) -> None:
        """Stop pressed: the parsers stop at once, the file being stored is undone, and
        the summary of what was stored still comes."""
        if self._operation is not None:
            self._operation.cancel()

    def _detached(self) -> None:
        """Locked: the session stopped and waited for the import; nothing it says now
        is shown, and its dialog goes."""
        if self._operation is not None:
            self._teardown()

    def forget(self) -> None:
        """Drop what the last import said (file names) when the vault locks."""
        self.last_summary = None
        self._queued.clear()
        self._carried = []
        self._asked.clear()  # file paths too
        if self.summary_dialog is not None:
            self.summary_dialog.hide()
            self.summary_dialog.deleteLater()
            self.summary_dialog = None

    def _succeeded(self, summary: ImportSummary) -> None:
        self._teardown()
        self.last_summary = summary
        self._session.notify(Change.ENTRIES)
        self.import_finished.emit(summary)
        asked = pending_choices(summary)
        # A question asked again for the same file (an answer that did not settle it)
        # is never asked a third time: no loop, whatever a file does.
        repeated = [r for r in asked if (r.path, _question_kind(r)) in self._asked]
        self._asked |= {(r.path, _question_kind(r)) for r in asked}
        asked = [r for r in asked if r not in repeated]
        dates = [result for result in asked if _question_kind(result) != "me"]
        owners = [result for result in asked if _question_kind(result) == "me"]
        answered: list[tuple[list[Path], dict[str, str]]] = [
            ([Path(r.path)], dict(NOT_ASKING)) for r in repeated if _question_kind(r) == "me"
        ]
        if dates:  # chats whose dates read two ways: ask, then read them again
            answered += ask_date_orders(self._parent_widget, dates)
        if owners:  # chats where the user's own name is not known yet
            answered += ask_owners(self._parent_widget, owners)
        # An answer adds to what was chosen for these files before (a date order).
        self._queued += [(paths, {**self._options, **answer}) for paths, answer in answered]
        again = {path for paths, _ in self._queued for path in paths}
        # What this import said of the other files is shown with the last one's.
        self._carried += [r for r in summary.results if Path(r.path) not in again]
        if self._queued:
            paths, options = self._queued.pop(0)
            self._chaining = True
            self.start(paths, options, again=self._again)
            return
        summary = replace(summary, results=self._carried)
        self._carried = []
        self.last_summary = summary
        if self.show_summary:
            if self.summary_dialog is not None:
                self.summary_dialog.deleteLater()
            self.summary_dialog = ImportSummaryDialog(summary, self._parent_widget)
            self.summary_dialog.read_again_requested.connect(self.read_again)
            self.summary_dialog.setModal(True)
            self.summary_dialog.show()

    def read_again(self, paths: list[str]) -> bool:
        """Read files already in the vault again, once the user agrees: their entries
        are replaced (a chat's date order is asked again where the chat does not
        decide it); incidents, exhibits and notes on them move to the new entries."""
        from nco_desktop.ui.common import prompts

        agreed = prompts.confirm(
            self._parent_widget,
            self.tr("Read these files again?"),
            self.tr(
                "The entries these %n file(s) put on the timeline will be replaced by a "
                "new reading. Where a chat's dates can be read two ways, you will be asked "
                "which is right. Your incidents, exhibits, notes and hidden entries keep "
                "their place; the files themselves are not changed.",
                "",
                len(paths),
            ),
            yes=self.tr("Read again"),
            no=self.tr("Keep as they are"),
        )
        return agreed and self.start([Path(path) for path in paths], again=True)

    def _failed(self, error: BaseException) -> None:
        self._teardown()
        self._session.notify(Change.ENTRIES)  # files stored before it stopped are in
        self.import_finished.emit(None)
        from nco_desktop.ui.common import prompts

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
