"""Print… and Print 3 copies… on the Binder view: from the dialog to the last page.

The pages are drawn by :class:`~nco_desktop.ui.binder.binder_printing.PrintJob` from
the preview's documents, in memory. What this adds is the asking around it: the other
side's copy when only the court's was built, "Print to File (PDF)" (which writes the
built binder itself, as Save… does, after the same not-encrypted warning), and what to
tell the user when a print stops part-way.

"Print 3 copies" puts a plain separator sheet before each copy, saying whose it is
(court, other side, you) with the case's name and number where that copy's cover shows
them; on a two-sided printer each copy starts on a sheet of its own
(:mod:`nco_desktop.binder.print_sheets`).

:class:`~nco_desktop.ui.binder.binder_page.BinderPage` owns the session, the built
binder, the preview and the progress strip; this controller asks it each time rather
than keeping any of them, and keeps only the print job that is running.
"""

from __future__ import annotations

import dataclasses
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtPrintSupport import QPrinter

from nco_desktop.binder.copies import BuiltBinder
from nco_desktop.binder.print_sheets import Role, SeparatorWords, separator_words
from nco_desktop.case.details import case_fields, private_details
from nco_desktop.ui.binder.binder_preview import COURT, SERVICE
from nco_desktop.ui.binder.binder_printing import PrintJob
from nco_desktop.ui.common import prompts

if TYPE_CHECKING:
    from nco_desktop.ui.binder.binder_page import BinderPage


class PrintFlow(QObject):
    """The printing of one :class:`BinderPage`; at most one print job at a time."""

    def __init__(self, page: BinderPage) -> None:
        super().__init__(page)
        self._page = page
        self._job: PrintJob | None = None

    @property
    def running(self) -> bool:
        """A print job is sending pages (the page counts it as busy)."""
        return self._job is not None

    def cancel(self) -> None:
        """Stop the running print, if any; its end is reported as for a stopped print."""
        if self._job is not None:
            self._job.cancel()

    def print_shown(self) -> bool:
        """Print the copy the preview shows (the court's when none is chosen)."""
        shown = self._page.preview.shown_copy() or COURT
        return self._print([shown], self.tr("Print the binder"))

    def print_three_copies(self) -> bool:
        """Court, other side, you: one job, the other side's copy redacted if it was built.

        Without that copy the other side gets the court's, private details and all: with
        private details listed, that is asked first. Each copy is preceded by a separator
        sheet naming whose it is."""
        page = self._page
        other = SERVICE if page.preview.has(SERVICE) else COURT
        vault = page.session.vault
        if (
            other == COURT
            and vault is not None
            and private_details(vault)
            and not prompts.confirm(
                page,
                self.tr("Give the other side your private details?"),
                self.tr(
                    "No copy for the other side was built, so all three copies would be "
                    "the court's, with the private details you listed (your address, "
                    "numbers …).\n\nTo remove them, tick “Also make a copy for the other "
                    "side” under How the binder looks, and build again."
                ),
                yes=self.tr("Print 3 court copies"),
                no=self.tr("Don't print"),
            )
        ):
            return False
        return self._print(
            [COURT, other, COURT],
            self.tr("Print 3 copies: court, other side, you"),
            roles=[Role.COURT, Role.OTHER_SIDE, Role.YOURS],
        )

    def _print(self, copies: list[str], title: str, roles: list[Role] | None = None) -> bool:
        """Ask for the printer, warn before printing to a file, then start the job
        (with a separator sheet before each copy when their *roles* are given)."""
        page = self._page
        built = page.built
        if built is None or page.busy:
            return False
        if SERVICE in copies and built.service is not None and not page.review.ready():
            return False  # the places it hides are checked first
        printer = page.choose_printer(page, built.choices.options.paper, title)
        if printer is None or page.built is not built:
            return False  # cancelled, or the vault locked while the dialog was open
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat:
            return self._print_to_file(printer, built, copies)
        chosen = [built.service if name == SERVICE else built.court for name in copies]
        documents = [(copy.data, copy.pages) for copy in chosen if copy is not None]
        # A separator names each copy by its place: only when every copy is there.
        whole = len(documents) == len(copies)
        separators = self._separators(copies, roles) if roles and whole else []
        job = PrintJob(page.session, printer, documents, page, separators)
        job.progressed.connect(self._progressed)
        job.finished.connect(partial(self._finished, job))
        if not job.start():
            job.deleteLater()
            prompts.warn(
                page,
                self.tr("Nothing was printed"),
                self.tr("The printer could not be reached. Check that it is on and connected."),
            )
            return False
        self._job = job
        page.work_began(self.tr("Printing…"))
        return True

    def _print_to_file(self, printer: QPrinter, built: BuiltBinder, copies: list[str]) -> bool:
        """ "Print to File (PDF)": write the built binder itself, as Save… does.

        Drawing each page as a picture into Qt's PDF made a 37 MB file without its text
        or bookmarks, which a court's e-filing portal may refuse. The copies go whole to
        the file chosen in the print dialog (owner-only, written atomically, after the
        same not-encrypted warning); a file holds each copy once, so "3 copies" writes
        the court's copy and the other side's beside it, as Save… names them.
        """
        page = self._page
        name = printer.outputFileName()
        if not name:
            prompts.warn(
                page,
                self.tr("Nothing was printed"),
                self.tr("No file was chosen to print to."),
            )
            return False
        path = Path(name)
        if not path.suffix:
            path = path.with_name(path.name + ".pdf")
        lead = [
            self.tr(
                "Printing to a file saves the binder itself, as Save… does: its text can be "
                "searched and its bookmarks lead to each exhibit."
            )
        ]
        if len(copies) > 1:
            lead.append(
                self.tr("A file holds each copy once: the copies are written as listed below.")
            )
        if printer.printRange() == QPrinter.PrintRange.PageRange:
            lead.append(self.tr("The whole binder is written, not only the pages chosen."))
        return page.saving.write(
            path,
            _file_copies(built, copies),
            split_mb=None,
            recordings=False,
            title=self.tr("Print to a file that is not encrypted?"),
            yes=self.tr("Print to the file"),
            no=self.tr("Don't print"),
            lead=" ".join(lead),
        )

    def _separators(self, copies: list[str], roles: list[Role]) -> list[SeparatorWords]:
        """The separator sheet's words for each copy. The case's name and number come
        from the cover's details; on the other side's redacted copy, a line holding any
        private detail is left out, as its cover blacks it out."""
        vault = self._page.session.vault
        case = case_fields(vault) if vault is not None else {}
        private = private_details(vault) if vault is not None else []
        return [
            separator_words(
                role,
                number,
                len(copies),
                case,
                redacted=name == SERVICE,
                private=private,
            )
            for number, (name, role) in enumerate(zip(copies, roles, strict=True), start=1)
        ]

    def _progressed(self, sent: int, total: int) -> None:
        """Page *sent* of *total* has gone to the printer."""
        self._page.progress.report(
            sent,
            total,
            self.tr("Printing page %1 of %2…").replace("%1", str(sent)).replace("%2", str(total)),
        )

    def _finished(self, job: PrintJob, complete: bool) -> None:
        """Say how the print ended, and what was left where (nothing after a lock)."""
        if job is not self._job:
            return
        self._job = None
        job.deleteLater()
        page = self._page
        page.work_ended()
        if page.session.vault is None:
            return
        if complete:
            page.say(self.tr("Sent to the printer."))
        elif job.to_file and job.partial_file_left:
            page.say(
                self.tr(
                    "Printing stopped, but the unfinished file could not be deleted: delete "
                    "it yourself. It is not encrypted."
                ),
                problem=True,
            )
        elif job.to_file:
            page.say(self.tr("Printing stopped. The unfinished file was deleted."))
        elif job.failed_page is not None:
            page.say(
                self.tr(
                    "Printing stopped at page %1 of %2: that page could not be prepared "
                    "for the printer. The pages before it still print: take them from "
                    "the tray."
                )
                .replace("%1", str(job.failed_page))
                .replace("%2", str(job.total)),
                problem=True,
            )
        else:
            page.say(
                self.tr(
                    "Printing stopped after %1 of %2 pages. The printer still prints those "
                    "pages: take them from the tray."
                )
                .replace("%1", str(job.sent))
                .replace("%2", str(job.total))
            )


def _file_copies(built: BuiltBinder, copies: list[str]) -> BuiltBinder:
    """The copies a file printed to holds, arranged as Save… writes them: the first
    under the chosen name, the other side's (when it is among them and not the first)
    beside it as NAME-for-service.pdf."""
    if copies[0] == SERVICE and built.service is not None:
        return dataclasses.replace(built, court=built.service, service=None)
    if SERVICE in copies and built.service is not None:
        return built
    return dataclasses.replace(built, service=None)
