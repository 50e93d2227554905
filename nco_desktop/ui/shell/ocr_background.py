"""Reading the text in pictures in the background while the window is open.

After a vault opens and after every import, the pictures not read yet are read by
sandboxed workers (:func:`nco_desktop.ocr.queue.read_pending`) in a job, and the status
bar says how far it is, with a Pause button. Pausing is remembered in the vault, so a
user who paused it on a slow laptop is not surprised by it after the next unlock.

Locking stops it at once: the workers are killed (``VaultSession.stopping``), and the
pictures being read stay in the queue, which is only "what has no reading yet", so the
next unlock goes on where this one stopped.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMainWindow, QPushButton, QWidget

from nco_desktop.ocr import queue as ocr_queue
from nco_desktop.ocr import store as ocr_store
from nco_desktop.ocr.queue import OcrRun, ReaderUnavailable
from nco_desktop.progress import CancelToken, ProgressCallback
from nco_desktop.sandbox.pool import ParserPool
from nco_desktop.ui.common.jobs import Job, run_job
from nco_desktop.ui.common.session import Change, VaultSession
from nco_desktop.vault import Vault


class OcrStatusWidget(QWidget):
    """The status bar's part: "Reading the text in pictures: 3 of 12" and Pause/Resume."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ocrStatus")
        self.showing_paused = False
        self.label = QLabel(self)
        self.label.setContentsMargins(10, 0, 4, 0)
        self.button = QPushButton(self)
        self.button.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # never the default, never Enter
        self.button.setAutoDefault(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.label)
        layout.addWidget(self.button)

    def show_reading(self, done: int, total: int) -> None:
        self.showing_paused = False
        self.label.setText(
            self.tr("Reading the text in pictures: %1 of %2")
            .replace("%1", f"{done:,}")
            .replace("%2", f"{total:,}")
        )
        self._button(self.tr("Pause"), self.tr("Pause reading the text in pictures"))
        self.show()

    def show_paused(self, waiting: int) -> None:
        self.showing_paused = True
        self.label.setText(
            self.tr("Reading the text in pictures is paused (%1 waiting)").replace(
                "%1", f"{waiting:,}"
            )
        )
        self._button(self.tr("Resume"), self.tr("Go on reading the text in pictures"))
        self.show()

    def show_unavailable(self, reason: str) -> None:
        """The reader cannot run here: said once, with the reason; nothing to press."""
        self.label.setText(
            self.tr("The text in pictures cannot be read on this computer: %1").replace(
                "%1", reason
            )
        )
        self.button.hide()
        self.show()

    def _button(self, text: str, accessible: str) -> None:
        self.button.show()
        self.button.setText(text)
        self.button.setAccessibleName(accessible)
        self.button.setToolTip(accessible)


class OcrBackground(QObject):
    """Runs the reading job for the window's session and keeps the status bar's part."""

    #: Off in the window's tests (their conftest), which would otherwise start a reader
    #: for every vault with pictures they open; the tests of this class turn it on.
    enabled = True

    def __init__(self, session: VaultSession, window: QMainWindow) -> None:
        super().__init__(window)
        self._session = session
        self._job: Job | None = None
        self._pool: ParserPool | None = None  # the running job's, to kill on a lock
        self._pool_lock = threading.Lock()
        self._before = 0
        self.widget = OcrStatusWidget(window)
        self.widget.hide()
        window.statusBar().addWidget(self.widget)
        self.widget.button.clicked.connect(self.toggle_pause)
        self._soon = QTimer(self)
        self._soon.setSingleShot(True)
        self._soon.setInterval(500)  # after an import's own work has settled
        self._soon.timeout.connect(self.start)
        session.opened.connect(self._soon.start)
        session.changed.connect(self._changed)
        session.stopping.connect(self._kill_workers)
        session.detached.connect(self._locked)

    @property
    def running(self) -> bool:
        return self._job is not None and self._job.running

    def start(self) -> None:
        """Read what is waiting, unless paused or already reading."""
        vault = self._session.vault
        if vault is None or self.running or not self.enabled:
            return
        status = ocr_store.status(vault)
        if status.paused:
            self._show_paused(status.pending)
            return
        if not status.pending:
            self.widget.hide()
            return
        self.widget.show_reading(status.done + status.failed, status.total)
        self._before = status.done + status.failed  # read before this run
        self._job = run_job(
            self._session,
            self._work,
            on_success=self._finished,
            on_failure=self._failed,
            on_cancelled=lambda: self._finished(None),
            on_progress=self._progressed,
        )

    def toggle_pause(self) -> None:
        vault = self._session.vault
        if vault is None:
            return
        paused = not ocr_store.status(vault).paused
        ocr_store.set_paused(vault, paused)
        if paused and self._job is not None:
            self._job.cancel()  # the pictures being read now stay in the queue
        if paused:
            self.widget.show_paused(ocr_store.status(vault).pending)
        else:
            self.start()

    # ----- the job -----------------------------------------------------------------

    def _work(self, vault: Vault, progress: ProgressCallback, cancel: CancelToken) -> OcrRun:
        """Off the GUI thread, on the job's own connection."""
        with ocr_queue.new_pool() as pool:
            with self._pool_lock:
                self._pool = pool
            try:
                return ocr_queue.read_pending(
                    vault,
                    pool,
                    cancel=cancel,
                    progress=lambda done, waiting: progress(done, done + waiting, ""),
                )
            finally:
                with self._pool_lock:
                    self._pool = None

    def _progressed(self, done: int, total: int, _label: str) -> None:
        """From the job's own counts: counting the queue here, on the GUI thread, after
        every picture would read every picture's row each time."""
        if self._job is not None and not self.widget.showing_paused:
            self.widget.show_reading(self._before + done, self._before + total)

    def _finished(self, run: OcrRun | None) -> None:
        self._job = None
        vault = self._session.vault
        if vault is None:
            return
        status = ocr_store.status(vault)
        progressed = run is not None and (run.read or run.failed)
        if status.paused:
            self._show_paused(status.pending)
        elif status.pending and progressed:
            self._soon.start()  # pictures imported while it read: go on
        else:
            self.widget.hide()

    def _show_paused(self, waiting: int) -> None:
        self.widget.show_paused(waiting) if waiting else self.widget.hide()

    def _failed(self, error: BaseException) -> None:
        """Not a picture's fault (those are recorded and skipped): the reader cannot run.
        Said in the status bar; tried again at the next unlock or import, not in a loop."""
        self._job = None
        reason = str(error) if isinstance(error, ReaderUnavailable) else type(error).__name__
        self.widget.show_unavailable(reason)

    def _changed(self, change: Change, _origin: object) -> None:
        if change & Change.ENTRIES:
            self._soon.start()

    def _kill_workers(self) -> None:
        """Locking: kill the workers now rather than wait for their pictures."""
        with self._pool_lock:
            pool = self._pool
        if pool is not None:
            pool.close(kill=True)

    def _locked(self) -> None:
        self._soon.stop()
        self._job = None
        self.widget.hide()
