"""Printing the built binder from memory: each page rendered by QtPdf onto the printer.

Pages are rendered at the printer's resolution, but not above 300 dpi: a page of a
1200 dpi printer would be a 500 MB picture, and 300 dpi already prints 12-point text
crisply. One page is drawn per turn of the event loop (:class:`PrintJob`), so the
window stays responsive through a 150-page "3 copies" run and Lock can stop it.

The print job's name in the queue is a neutral "Document": a shared printer's queue
is visible to others, and neither the case number nor this program's name belongs
there.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from nco_desktop.binder.options import Paper
from nco_desktop.ui.common import prompts

MAX_PRINT_DPI = 300
JOB_NAME = "Document"


def prepare_printer(printer: QPrinter, paper: Paper) -> None:
    """The binder's paper, portrait, the whole sheet (the pages carry their own margins)."""
    size = QPageSize.PageSizeId.A4 if paper is Paper.A4 else QPageSize.PageSizeId.Letter
    printer.setPageSize(QPageSize(size))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    printer.setFullPage(True)
    printer.setDocName(JOB_NAME)


def ask_for_printer(parent: QWidget | None, paper: Paper, title: str) -> QPrinter | None:
    """Qt's print dialog; the printer the user chose, or None. The page's seam for tests."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    prepare_printer(printer, paper)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    for option in (
        QAbstractPrintDialog.PrintDialogOption.PrintSelection,
        QAbstractPrintDialog.PrintDialogOption.PrintCurrentPage,
    ):
        dialog.setOption(option, False)
    try:
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
    finally:
        dialog.deleteLater()
        prompts.clear_file_dialog_history()  # "Print to file" has a file chooser
    return printer if accepted else None


def pages_to_print(printer: QPrinter, document: QPdfDocument) -> list[int]:
    """The 0-based pages of *document* in the range the user chose (all by default)."""
    count = document.pageCount()
    if printer.printRange() != QPrinter.PrintRange.PageRange:
        return list(range(count))
    ranges = printer.pageRanges()
    if ranges.isEmpty():
        return list(range(count))
    return [index for index in range(count) if ranges.contains(index + 1)]


def render_for_print(document: QPdfDocument, index: int, dpi: int) -> QImage:
    """Page *index* at *dpi* on white paper (PDFium leaves the paper transparent)."""
    points = document.pagePointSize(index)
    size = QSize(
        max(1, round(points.width() * dpi / 72)), max(1, round(points.height() * dpi / 72))
    )
    rendered = document.render(index, size)
    page = QImage(size, QImage.Format.Format_RGB32)
    page.fill(Qt.GlobalColor.white)
    painter = QPainter(page)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return page


def draw_page(painter: QPainter, printer: QPrinter, document: QPdfDocument, index: int) -> None:
    """Fit page *index* on the sheet, centred; a landscape page on portrait paper is
    turned to read clockwise, as the binder's own landscape pages are."""
    unit = QPrinter.Unit.DevicePixel
    sheet = printer.paperRect(unit) if printer.fullPage() else printer.pageRect(unit)
    image = render_for_print(document, index, min(printer.resolution(), MAX_PRINT_DPI))
    turn = (image.width() > image.height()) != (sheet.width() > sheet.height())
    painter.save()
    box = QRectF(sheet)
    if turn:
        painter.translate(sheet.center())
        painter.rotate(-90)
        box = QRectF(-sheet.height() / 2, -sheet.width() / 2, sheet.height(), sheet.width())
    scale = min(box.width() / image.width(), box.height() / image.height())
    width, height = image.width() * scale, image.height() * scale
    target = QRectF(
        box.x() + (box.width() - width) / 2, box.y() + (box.height() - height) / 2, width, height
    )
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    painter.drawImage(target, image)
    painter.restore()


class PrintJob(QObject):
    """Print *documents* one after another as one job, a page per event-loop turn."""

    progressed = Signal(int, int)  # pages sent, pages in all
    finished = Signal(bool)  # True when every page was sent; False if stopped or failed

    def __init__(
        self, printer: QPrinter, documents: list[QPdfDocument], parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._printer = printer
        self._pages = [(doc, index) for doc in documents for index in pages_to_print(printer, doc)]
        self._painter: QPainter | None = None
        self._sent = 0
        #: A stopped print to a file could not delete what it had written.
        self.partial_file_left = False
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._step)

    @property
    def total(self) -> int:
        return len(self._pages)

    @property
    def active(self) -> bool:
        return self._painter is not None

    def start(self) -> bool:
        """Open the printer and begin; False when it cannot be opened (nothing sent)."""
        if not self._pages:
            return False
        painter = QPainter()
        if not painter.begin(self._printer):
            return False
        self._painter = painter
        self._timer.start()
        return True

    @property
    def sent(self) -> int:
        return self._sent

    @property
    def to_file(self) -> bool:
        """Printing to a PDF file ("Print to file"), not to a printer."""
        return bool(self._printer.outputFileName())

    def cancel(self) -> None:
        """Stop now (the user, or a lock): no further page is rendered.

        Qt cannot take back a job it has begun: ``QPrinter.abort()`` does nothing for
        its PDF and CUPS engines, and ending the painter hands the pages drawn so far
        over. A printer then prints them (the page says so); a file printed to is
        deleted, so no half binder is left in the clear.
        """
        if self._painter is None:
            return
        self._timer.stop()
        self._printer.abort()
        self._end(False)

    def _step(self) -> None:
        painter = self._painter
        if painter is None:
            return
        document, index = self._pages[self._sent]
        if document.status() != QPdfDocument.Status.Ready:  # closed under us
            self.cancel()
            return
        if self._sent:
            self._printer.newPage()
        draw_page(painter, self._printer, document, index)
        self._sent += 1
        self.progressed.emit(self._sent, len(self._pages))
        if self._sent == len(self._pages):
            self._timer.stop()
            self._end(True)

    def _end(self, complete: bool) -> None:
        painter, self._painter = self._painter, None
        if painter is not None and painter.isActive():
            painter.end()
        target = self._printer.outputFileName()
        if not complete and target:
            with contextlib.suppress(OSError):  # told below if it is still there
                Path(target).unlink()
            self.partial_file_left = Path(target).exists()
        self._pages = []
        self.finished.emit(complete)
