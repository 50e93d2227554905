"""What the detail pane shows of an original's bytes, decoded in the sandbox.

The pane's process holds the vault key, so no picture, attachment or PDF from the
vault is decoded here (issue 12: a TIFF attachment crashed the window; a looping PDF
froze it). Each request is a job: the job's own connection reads the bytes, a
sandboxed worker (:class:`PicturePreviews`) turns them into plain pixels, and the
answer reaches the pane on the GUI thread — only if the entry it was for is still
shown. Locking waits for the jobs, and :meth:`SandboxFeed.close` kills the worker, so
a file that hangs the decoder cannot hold the lock up.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QImage

from nco_desktop.progress import CancelToken, ProgressCallback
from nco_desktop.sandbox.wire import Raster
from nco_desktop.timeline.detail import read_original_bytes
from nco_desktop.timeline.previews import PreviewFailed
from nco_desktop.ui.common.jobs import run_job
from nco_desktop.ui.common.sandboxed_pages import SandboxWorker, raster_image
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.ui.detail.pdf_viewer import PdfViewer
from nco_desktop.vault import Vault

PICTURE_LIMIT = 96 * 1024 * 1024  # a picture's stored bytes; larger ones are not shown
PDF_LIMIT = 256 * 1024 * 1024
PICTURE_SIDE = 4096  # a phone photo is shown at its own size
#: The larger picture window asks for more: a 48-megapixel photo, at most this a side
#: (6144² pixels is under the most a worker may send, ``wire.MAX_RASTER_PIXELS``).
LARGE_PICTURE_SIDE = 6144


class SandboxFeed(QObject):
    """The pane's one sandbox worker, and the requests made of it for the shown entry."""

    def __init__(self, session: VaultSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self.previews = SandboxWorker(session, self)  # ends at once when locking starts
        self._generation = 0

    @property
    def session(self) -> VaultSession:
        """The session the worker lives in (a larger picture window closes on its lock)."""
        return self._session

    def forget(self) -> None:
        """Another entry is shown: answers still on their way for this one are dropped."""
        self._generation += 1

    def close(self) -> None:
        """End the worker at once: a picture or PDF that hangs the decoder must not hold
        up locking; the waiting job then fails, unreported."""
        self.forget()
        self.previews.close()

    def picture(
        self,
        blob_id: int,
        max_side: int,
        on_image: Callable[[QImage], object],
        on_failure: Callable[[str], object],
    ) -> None:
        """Decode the stored original *blob_id* to at most *max_side* pixels a side."""
        if self._session.vault is None:
            return
        generation = self._generation
        previews = self.previews()

        def work(reader: Vault, progress: ProgressCallback, cancel: CancelToken) -> Raster:
            return previews.picture(
                read_original_bytes(reader.conn, blob_id, PICTURE_LIMIT), max_side
            )

        def done(raster: Raster) -> None:
            if generation == self._generation:
                on_image(raster_image(raster))

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                readable = isinstance(error, PreviewFailed | ValueError)
                on_failure(str(error) if readable else self.tr("it could not be read"))

        run_job(self._session, work, on_success=done, on_failure=failed)

    def pdf(self, viewer: PdfViewer, blob_id: int) -> None:
        """Show the stored PDF *blob_id* in *viewer*, its pages rendered by the worker."""
        if self._session.vault is None:
            return
        viewer.start(
            self._session,
            self.previews,
            lambda reader: read_original_bytes(reader.conn, blob_id, PDF_LIMIT),
        )
