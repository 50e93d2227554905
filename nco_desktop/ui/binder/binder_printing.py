"""Printing the built binder from memory: each page rendered in the sandbox, then
drawn onto the printer.

The binder holds imported PDF pages as they were, so the window never opens it in a
PDF engine of its own (issue 12): a worker renders each page to plain pixels at the
printer's resolution, but not above 300 dpi (a page of a 1200 dpi printer would be a
500 MB picture, and 300 dpi already prints 12-point text crisply). Pages are rendered
one at a time in a job (:class:`PrintJob`), so the window stays responsive through a
150-page "3 copies" run and Lock can stop it.

"3 copies" also sends a plain separator sheet before each copy ("Copy 2 of 3 — for the
other side (redacted)") and, on a two-sided printer, the blank pages that start each
copy on a sheet of its own (:mod:`nco_desktop.binder.print_sheets` lists them). Those
sheets are drawn here, straight onto the printer: they are never written to a file.

The print job's name in the queue is a neutral "Document": a shared printer's queue
is visible to others, and neither the case number nor this program's name belongs
there.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QRectF, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QImage, QPageLayout, QPageSize, QPainter, QPen
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QWidget

from nco_desktop.binder.options import Paper
from nco_desktop.binder.print_sheets import (
    Blank,
    CopyPage,
    PrintedPage,
    Separator,
    SeparatorWords,
    print_sequence,
)
from nco_desktop.progress import CancelToken, ProgressCallback
from nco_desktop.resources import font_path
from nco_desktop.sandbox.wire import Raster
from nco_desktop.timeline.previews import PicturePreviews
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.jobs import Job, run_job
from nco_desktop.ui.common.sandboxed_pages import page_on_white
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.vault import Vault

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


def pages_to_print(printer: QPrinter, count: int) -> list[int]:
    """The 0-based pages of a *count*-page copy in the range the user chose (all by
    default)."""
    if printer.printRange() != QPrinter.PrintRange.PageRange:
        return list(range(count))
    ranges = printer.pageRanges()
    if ranges.isEmpty():
        return list(range(count))
    return [index for index in range(count) if ranges.contains(index + 1)]


def print_width(points: tuple[float, float], dpi: int) -> int:
    """How many pixels wide a page of *points* is rendered for a *dpi* printer."""
    return max(1, round(points[0] * dpi / 72))


def draw_page(painter: QPainter, printer: QPrinter, image: QImage) -> None:
    """Fit the rendered page *image* on the sheet, centred; a landscape page on
    portrait paper is turned to read clockwise, as the binder's own landscape pages are."""
    unit = QPrinter.Unit.DevicePixel
    sheet = printer.paperRect(unit) if printer.fullPage() else printer.pageRect(unit)
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


def is_duplex(printer: QPrinter) -> bool:
    """Whether the printer prints both sides of a sheet. "As the printer is set"
    (``DuplexAuto``) counts as two-sided: a spare blank sheet costs less than a copy
    that starts on the back of another."""
    return printer.duplex() != QPrinter.DuplexMode.DuplexNone


@functools.cache
def separator_family() -> str:
    """The shipped DejaVu Sans, as the binder's own pages use it ("" if it is missing:
    Qt's default font then)."""
    loaded = [
        QFontDatabase.addApplicationFont(str(font_path(name)))
        for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")
    ]
    families = QFontDatabase.applicationFontFamilies(loaded[0]) if loaded[0] >= 0 else []
    return families[0] if families else ""


def draw_separator(painter: QPainter, printer: QPrinter, words: SeparatorWords) -> None:
    """The separator sheet: whose copy follows, large and plain, black on white.

    Sizes are in points turned into the printer's pixels, so the sheet looks the same
    at 60 and at 1200 dpi; the text keeps an inch clear of every edge.
    """
    unit = QPrinter.Unit.DevicePixel
    sheet = QRectF(printer.paperRect(unit) if printer.fullPage() else printer.pageRect(unit))
    dpi = printer.resolution()
    inch = float(dpi)
    box = sheet.adjusted(inch, inch, -inch, -inch)
    family = separator_family()

    def font(points: float, bold: bool) -> QFont:
        chosen = QFont(family) if family else QFont()
        chosen.setPixelSize(max(1, round(points * dpi / 72)))
        chosen.setBold(bold)
        return chosen

    flags = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop) | int(
        Qt.TextFlag.TextWordWrap
    )
    painter.save()
    painter.setPen(QPen(Qt.GlobalColor.black))
    y = sheet.top() + sheet.height() * 0.3
    blocks = [(words.heading, 44.0, True, 0.15), (words.purpose, 30.0, True, 0.45)]
    blocks += [(line, 18.0, False, 0.1) for line in words.case_lines]
    for text, points, bold, gap in blocks:
        painter.setFont(font(points, bold))
        area = QRectF(box.left(), y, box.width(), box.bottom() - y)
        used = painter.boundingRect(area, flags, text)
        painter.drawText(area, flags, text)
        y = used.bottom() + gap * inch
    painter.setFont(font(12.0, False))
    bottom = int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom) | int(
        Qt.TextFlag.TextWordWrap
    )
    painter.drawText(box, bottom, words.note)
    painter.restore()


class PrintJob(QObject):
    """Print *copies* (each a built PDF in memory) one after another as one job.

    Each page is rendered in the sandbox by a job of its own and drawn when it
    arrives; the next page is asked for then. A page the sandbox cannot render stops
    the print (``failed_page`` is set), as a printer that jams would.

    With *separators* (one per copy), each copy is preceded by its separator sheet;
    on a two-sided printer, blank pages start each copy and each separator on the
    front of a sheet. Those are drawn here and counted among the job's pages.
    """

    progressed = Signal(int, int)  # pages sent, pages in all
    finished = Signal(bool)  # True when every page was sent; False if stopped or failed

    def __init__(
        self,
        session: VaultSession,
        printer: QPrinter,
        copies: list[tuple[bytes, int]],
        parent: QObject | None = None,
        separators: Sequence[SeparatorWords] = (),
    ) -> None:
        super().__init__(parent)
        if separators and len(separators) != len(copies):
            raise ValueError("one separator per copy, or none")
        self._session = session
        self._printer = printer
        self._copies = [data for data, _count in copies]
        self._separators = list(separators)
        self._pages: list[PrintedPage] = print_sequence(
            [pages_to_print(printer, count) for _data, count in copies],
            separators=bool(separators),
            duplex=is_duplex(printer),
        )
        self._painter: QPainter | None = None
        self._sent = 0
        self._previews: PicturePreviews | None = None
        self._job: Job | None = None
        self._open_copy: int | None = None  # the copy the worker holds, and its pages
        self._sizes: list[tuple[float, float]] = []
        #: A stopped print to a file could not delete what it had written.
        self.partial_file_left = False
        #: The page (1-based, in the job) the sandbox could not render, if one stopped it.
        self.failed_page: int | None = None
        # Locking stops the print at once: ending the job kills its worker, so a page
        # that hangs the renderer cannot hold the lock up until its deadline.
        session.stopping.connect(self.cancel)

    @property
    def total(self) -> int:
        return len(self._pages)

    @property
    def active(self) -> bool:
        return self._painter is not None

    def start(self) -> bool:
        """Open the printer and begin; False when it cannot be opened (nothing sent)."""
        if not self._pages or self._session.vault is None:
            return False
        painter = QPainter()
        if not painter.begin(self._printer):
            return False
        self._painter = painter
        self._previews = PicturePreviews()  # its own worker: the preview keeps its copy
        self._ask()
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
        self._printer.abort()
        self._end(False)

    def _ask(self) -> None:
        """Draw the separators and blanks that come next, then have the sandbox render
        the next page of a copy at the printer's resolution."""
        previews = self._previews
        if previews is None or self._painter is None or self._session.vault is None:
            self.cancel()
            return
        while not isinstance(next_page := self._pages[self._sent], CopyPage):
            self._draw_sheet(next_page)
            if self._sent == len(self._pages):  # not so listed: a copy's page ends a job
                self._end(True)
                return
        number, index = next_page.copy, next_page.index
        data = self._copies[number]
        dpi = min(self._printer.resolution(), MAX_PRINT_DPI)
        known = self._sizes if number == self._open_copy else None

        def work(
            reader: Vault, progress: ProgressCallback, cancel: CancelToken
        ) -> tuple[list[tuple[float, float]], Raster]:
            # A copy is sent to the worker once; its pages are then asked for by number.
            sizes = known if known is not None else previews.pdf_open(data)
            return sizes, previews.pdf_page(index, print_width(sizes[index], dpi))

        self._job = run_job(
            self._session,
            work,
            on_success=lambda answer: self._draw(number, *answer),
            on_failure=self._fail,
        )

    def _draw_sheet(self, sheet: Separator | Blank) -> None:
        """A separator, or a page left blank: drawn here, no worker needed."""
        painter = self._painter
        if painter is None:
            return
        if self._sent:
            self._printer.newPage()
        if isinstance(sheet, Separator):
            draw_separator(painter, self._printer, self._separators[sheet.copy])
        self._sent += 1
        self.progressed.emit(self._sent, len(self._pages))

    def _draw(self, number: int, sizes: list[tuple[float, float]], raster: Raster) -> None:
        self._job = None
        self._open_copy, self._sizes = number, sizes
        painter = self._painter
        if painter is None:
            return
        if self._sent:
            self._printer.newPage()
        draw_page(painter, self._printer, page_on_white(raster))
        self._sent += 1
        self.progressed.emit(self._sent, len(self._pages))
        if self._sent == len(self._pages):
            self._end(True)
        else:
            self._ask()

    def _fail(self, _error: BaseException) -> None:
        self._job = None
        self.failed_page = self._sent + 1
        self.cancel()

    def _end(self, complete: bool) -> None:
        painter, self._painter = self._painter, None
        if self._previews is not None:
            self._previews.close()
            self._previews = None
        if painter is not None and painter.isActive():
            painter.end()
        target = self._printer.outputFileName()
        if not complete and target:
            with contextlib.suppress(OSError):  # told below if it is still there
                Path(target).unlink()
            self.partial_file_left = Path(target).exists()
        self._pages = []
        self._copies = []
        self._separators = []
        self.finished.emit(complete)
