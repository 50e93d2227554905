"""A PDF's pages rendered in the sandbox and shown in a :class:`PageView`.

The window's process holds the vault key, so it never gives a PDF to a PDF engine:
the bytes go to a sandboxed worker (:class:`~nco_desktop.timeline.previews.PicturePreviews`),
which answers with page sizes and then plain pixels, one page at a time, as the view
asks for them. Every request is a job (:func:`run_job`), so locking waits for it or
stops it, and a page that arrives after a lock, or for a document no longer shown, is
dropped. A document that hangs or kills the worker costs the caller nothing but a
sentence: the worker is killed at its deadline.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QImage, QPainter

from nco_desktop.progress import CancelToken, ProgressCallback
from nco_desktop.sandbox.wire import Raster
from nco_desktop.timeline.previews import PicturePreviews, PreviewFailed
from nco_desktop.ui.common.jobs import run_job
from nco_desktop.ui.common.page_view import PageView
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.vault import Vault

#: Reads the document's bytes on the job's own connection (or returns bytes in memory).
ReadDocument = Callable[[Vault], bytes]


def raster_image(raster: Raster) -> QImage:
    """A QImage of pixels a worker rendered: no decoder runs on them here.

    The raster's size was checked against its bytes when it arrived (``make_raster``);
    the copy detaches the image from the Python bytes it was made over.
    """
    image = QImage(
        raster.rgba, raster.width, raster.height, raster.width * 4, QImage.Format.Format_RGBA8888
    )
    return image.copy()


def page_on_white(raster: Raster) -> QImage:
    """A rendered page on white paper: PDFium leaves the paper transparent."""
    page = QImage(raster.width, raster.height, QImage.Format.Format_RGB32)
    page.fill(Qt.GlobalColor.white)
    painter = QPainter(page)
    painter.drawImage(0, 0, raster_image(raster))
    painter.end()
    return page


class SandboxedPages(QObject):
    """Feeds *view* the pages of one document at a time.

    ``opened(count)`` when the sandbox has read the document; ``failed(sentence)`` when
    it could not (damaged, password-protected, too slow, or the worker died).
    """

    opened = Signal(int)
    failed = Signal(str)
    sizes_read = Signal(list)  # list[tuple[float, float]]: each page's size in points

    def __init__(
        self,
        session: VaultSession,
        view: PageView,
        previews: Callable[[], PicturePreviews],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._session = session
        self._view = view
        self._previews = previews
        self._generation = 0  # bumped for every document: late answers are dropped
        self._open = False
        view.page_wanted.connect(self._page_wanted)

    def open(self, read: ReadDocument) -> None:
        """Show the document *read* returns; pages appear as the sandbox renders them."""
        self.close()
        if self._session.vault is None:
            return
        generation = self._generation
        previews = self._previews()

        def work(reader: Vault, progress: ProgressCallback, cancel: CancelToken) -> object:
            return previews.pdf_open(read(reader))

        run_job(
            self._session,
            work,
            on_success=lambda sizes: self._opened(generation, sizes),
            on_failure=lambda error: self._failed(generation, error),
        )

    def close(self) -> None:
        """Forget the document shown: its pages, and any answer still on its way."""
        self._generation += 1
        self._open = False
        self._view.clear()

    @property
    def is_open(self) -> bool:
        return self._open

    # ----- answers ------------------------------------------------------------------------

    def _opened(self, generation: int, sizes: list[tuple[float, float]]) -> None:
        if generation != self._generation:
            return
        if not sizes:
            self.failed.emit(self.tr("The document has no pages to show."))
            return
        self._open = True
        self._view.set_pages(sizes)
        self.sizes_read.emit(list(sizes))
        self.opened.emit(len(sizes))

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        reason = str(error) if isinstance(error, PreviewFailed) else ""
        self.failed.emit(reason or self.tr("it could not be read"))

    def _page_wanted(self, index: int, width: int) -> None:
        if not self._open or self._session.vault is None:
            return  # locked: the view is being cleared
        generation = self._generation
        previews = self._previews()

        def work(reader: Vault, progress: ProgressCallback, cancel: CancelToken) -> object:
            return previews.pdf_page(index, width)

        def done(raster: Raster) -> None:
            if generation == self._generation:
                self._view.show_page(index, width, page_on_white(raster))

        def failed(_error: BaseException) -> None:
            if generation == self._generation:
                self._view.page_failed(index, width)

        run_job(self._session, work, on_success=done, on_failure=failed)

    def render_page(self, index: int, width: int, done: Callable[[QImage | None], None]) -> None:
        """Render page *index* of the document shown at *width* device pixels for
        someone else than the view (the preview's strip of small pages), in the same
        sandboxed worker. *done* gets the page on white, or None if it could not be
        rendered; nothing at all if the document changed or the vault locked meanwhile.
        """
        if not self._open or self._session.vault is None:
            return
        generation = self._generation
        previews = self._previews()

        def work(reader: Vault, progress: ProgressCallback, cancel: CancelToken) -> object:
            return previews.pdf_page(index, width)

        def arrived(raster: Raster) -> None:
            if generation == self._generation:
                done(page_on_white(raster))

        def failed(_error: BaseException) -> None:
            if generation == self._generation:
                done(None)

        run_job(self._session, work, on_success=arrived, on_failure=failed)


class SandboxWorker(QObject):
    """A view's own sandbox worker: started on first use (a few hundred ms), ended at
    once when the session starts to lock, so a document that hangs the renderer cannot
    hold the lock up (the job waiting on it then fails, unreported). Call it to get the
    worker's :class:`PicturePreviews`."""

    def __init__(self, session: VaultSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._previews: PicturePreviews | None = None
        session.stopping.connect(self.close)

    def __call__(self) -> PicturePreviews:
        if self._previews is None:
            self._previews = PicturePreviews()
        return self._previews

    def close(self) -> None:
        if self._previews is not None:
            self._previews.close()
            self._previews = None
