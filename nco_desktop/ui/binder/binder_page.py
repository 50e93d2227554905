"""The Binder view: the cover and options, Build, the preview, Print… and Save….

On the left, the cover details and how the binder looks, in a scrolling column, with
Build below them; on the right, what was built, the preview, and Print… and Save….

The binder is built into memory on a worker with its own vault connection
(:mod:`~nco_desktop.ui.binder.binder_jobs`), previewed from memory and printed from memory
(:mod:`~nco_desktop.ui.binder.binder_print_flow`). The only clear-text files are the ones
written by Save… (:mod:`~nco_desktop.ui.binder.binder_save_flow`), after the user was told
that they are not encrypted (DESIGN invariant 2).

The page asks its :class:`VaultSession` for the vault. When the session locks, the
worker is stopped and waited for, the forms are saved, and then the built bytes and
the preview's documents are dropped and every field is emptied. Any saved change to
what the binder prints marks the preview old (:meth:`~BinderPage.refresh`, with the notes
of :class:`~nco_desktop.ui.binder.binder_status.BinderNotes`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.binder.copies import BuiltBinder, SavedFiles, build_copies, empty_exhibits
from nco_desktop.binder.options import Paper
from nco_desktop.binder.saved_options import load_choices
from nco_desktop.ui.binder.binder_jobs import VaultJob, VaultWork
from nco_desktop.ui.binder.binder_options_form import BinderOptionsForm
from nco_desktop.ui.binder.binder_preview import BinderPreview
from nco_desktop.ui.binder.binder_print_flow import PrintFlow
from nco_desktop.ui.binder.binder_printing import ask_for_printer
from nco_desktop.ui.binder.binder_save_flow import SaveFlow
from nco_desktop.ui.binder.binder_status import BinderNotes, BuildSummary, ProgressStrip
from nco_desktop.ui.binder.case_details_form import CaseDetailsForm
from nco_desktop.ui.binder.redaction_review import ReviewFlow
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.sandboxed_pages import SandboxWorker
from nco_desktop.ui.common.session import Change, VaultSession, follow_session
from nco_desktop.ui.common.widgets import bold, plain_label, quiet
from nco_desktop.vault import Vault

PrinterChooser = Callable[[QWidget | None, Paper, str], QPrinter | None]
BUILD, SAVE = "build", "save"


def _rule(parent: QWidget) -> QFrame:
    """A thin line between parts of a column, in the palette's colour (light or dark)."""
    rule = QFrame(parent)
    rule.setFrameShape(QFrame.Shape.HLine)
    rule.setStyleSheet("color: palette(mid);")
    return rule


class BinderPage(QWidget):
    changed = Signal()  # the cover details or the binder choices were saved
    built_pages = Signal(object)  # {exhibit id: pages} of the binder built, or None
    SHOWS = Change.EVERYTHING  # any change may change a page of the binder

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._needs_load = False  # a vault opened and its forms have not been read yet
        self._built: BuiltBinder | None = None
        self._job = VaultJob(session, self)
        self._job_kind: str | None = None
        self._printing = PrintFlow(self)
        self._saving = SaveFlow(self)
        self._notes = BinderNotes(self)
        self.review = ReviewFlow(self)  # of the places the other side's copy hides
        #: Shows the print dialog; tests put a printer that writes a PDF in its place.
        self.choose_printer: PrinterChooser = ask_for_printer
        self.setAccessibleName(self.tr("Binder"))
        self._build()
        self._lay_out()
        self._connect()
        self._reset()
        self._refresher = follow_session(
            self,
            session,
            shows=self.SHOWS,
            reload=self.refresh,
            reset=self._reset,
            save=self.commit_pending_edits,
            saved=self.changed,
            saved_change=Change.CASE,
        )

    def _build(self) -> None:
        """Every widget the page reads or changes later, made in tab order (Qt's focus
        chain follows the order widgets are made in)."""
        self.case_form = CaseDetailsForm(self)
        self.options_form = BinderOptionsForm(self)
        self._forms_scroll = QScrollArea(self)
        self._forms_scroll.setWidgetResizable(True)
        self._forms_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._forms_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.exhibits_note = quiet(plain_label("", self, selectable=False))
        self.empty_warning = plain_label("", self, selectable=False)
        self.empty_warning.setObjectName("warningBox")
        self.empty_warning.hide()
        self.build_button = QPushButton(self.tr("&Build the binder"), self)
        self.build_button.setToolTip(self.tr("Make the binder in memory and show it here"))
        font = self.build_button.font()
        font.setBold(True)
        self.build_button.setFont(font)
        self.build_button.setMinimumHeight(self.fontMetrics().height() * 2 + 4)
        self.progress = ProgressStrip(self)
        self.build_status = plain_label("", self, selectable=False)
        self.build_status.hide()

        self.summary = BuildSummary(self)
        self.stale_text = plain_label("", self, selectable=False)
        self.stale_text.setObjectName("warningBox")
        self.rebuild_button = QPushButton(self.tr("Build a&gain"), self)
        self.stale_box = QWidget(self)
        self.stale_box.hide()
        self.sandbox = SandboxWorker(self.session, self)
        self.preview = BinderPreview(self.session, self.sandbox, self)
        queue = self.tr(
            "The computer's print queue keeps the pages, not encrypted, until they are printed."
        )
        self.print_button = QPushButton(self.tr("&Print…"), self)
        self.print_button.setToolTip(self.tr("Print the copy shown.") + " " + queue)
        self.print_three_button = QPushButton(self.tr("Print &3 copies…"), self)
        self.print_three_button.setToolTip(
            self.tr("Court, other side, you, in one job.") + " " + queue
        )
        self.save_button = QPushButton(self.tr("&Save…"), self)
        self.save_button.setToolTip(self.tr("Save the binder as a PDF file (not encrypted)"))
        self.exhibit_list_box = QCheckBox(self.tr("Also save the exhibit list"), self)
        self.exhibit_list_box.setToolTip(
            self.tr(
                "A spreadsheet file (CSV) beside the binder: each exhibit's label, title, "
                "dates, pages and file fingerprints, to edit for a court's exhibit list. "
                "Not encrypted either."
            )
        )
        self.recordings_box = QCheckBox(self.tr("Also copy the recordings"), self)
        self.recordings_box.setToolTip(
            self.tr(
                "Voicemails and recordings in the binder, copied into a folder beside it "
                "(for a USB stick the court may ask for). Not encrypted either."
            )
        )
        self.three_note = quiet(plain_label("", self, selectable=False))

    def _lay_out(self) -> None:
        """The two columns side by side; the preview's column takes the extra width."""
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self._left_column())
        splitter.addWidget(self._right_column())
        splitter.setChildrenCollapsible(False)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([450, 650])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _left_column(self) -> QWidget:
        """Heading and intro, the forms scrolling between them and Build, which stays in
        sight with what the binder will hold and how far a build has come."""
        heading = bold(QLabel(self.tr("Binder"), self), 1.3)
        intro = quiet(
            plain_label(
                self.tr(
                    "Fill in the cover, choose how the pages are marked, then build. The "
                    "binder is made in memory: nothing is written to your disk until you "
                    "save it."
                ),
                self,
                selectable=False,
            )
        )
        forms = QWidget(self)
        forms_layout = QVBoxLayout(forms)
        forms_layout.setContentsMargins(0, 0, 10, 8)
        forms_layout.setSpacing(14)
        forms_layout.addWidget(self.case_form)
        forms_layout.addWidget(_rule(forms))
        forms_layout.addWidget(self.options_form)
        forms_layout.addStretch(1)
        self._forms_scroll.setWidget(forms)

        column = QWidget(self)
        column.setMinimumWidth(330)  # with the right column, fits 960 pixels wide
        layout = QVBoxLayout(column)
        layout.setContentsMargins(14, 12, 6, 12)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self._forms_scroll, 1)
        layout.addWidget(_rule(column))
        layout.addWidget(self.exhibits_note)
        layout.addWidget(self.empty_warning)
        layout.addWidget(self.build_button)
        layout.addWidget(self.progress)
        layout.addWidget(self.build_status)
        return column

    def _right_column(self) -> QWidget:
        """What was built and whether it is old, the preview, then Print… and Save…."""
        stale = QHBoxLayout()
        stale.setContentsMargins(0, 0, 0, 0)
        stale.addWidget(self.stale_text, 1)
        stale.addWidget(self.rebuild_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.stale_box.setLayout(stale)
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(self.print_button)
        actions.addWidget(self.print_three_button)
        actions.addStretch(1)
        actions.addWidget(self.save_button)

        column = QWidget(self)
        column.setMinimumWidth(380)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(6, 12, 14, 12)
        layout.setSpacing(8)
        layout.addWidget(self.summary)
        layout.addWidget(self.review.box)
        layout.addWidget(self.stale_box)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.three_note)
        # On its own line, above Save which it goes with: beside the buttons it made
        # the column too wide for a small screen and was cut short.
        extras = QHBoxLayout()
        extras.addStretch(1)
        extras.addWidget(self.exhibit_list_box)
        extras.addWidget(self.recordings_box)
        layout.addLayout(extras)
        layout.addLayout(actions)
        return column

    def _connect(self) -> None:
        """The forms, the buttons and the worker, to what they start or report."""
        self.case_form.saved.connect(self._details_saved)
        self.options_form.saved.connect(self._details_saved)
        self.case_form.private_edit.textChanged.connect(self._private_listed)
        self.case_form.private_details_begun.connect(self.options_form.private_details_begun)
        self._job.progressed.connect(self._progressed)
        self._job.succeeded.connect(self._job_succeeded)
        self._job.failed.connect(self._job_failed)
        self._job.cancelled.connect(self._job_cancelled)
        self.build_button.clicked.connect(self.build)
        self.progress.cancel_requested.connect(self._cancel_requested)
        self.rebuild_button.clicked.connect(self.build)
        self.print_button.clicked.connect(self.print_shown)
        self.print_three_button.clicked.connect(self.print_three_copies)
        self.save_button.clicked.connect(self.save)

    # ----- the contract ------------------------------------------------------------------

    @property
    def _vault(self) -> Vault | None:
        return self.session.vault

    def _reset(self) -> None:
        """A vault opened, or the session detached (locked): stop the worker, drop the
        binder and its preview, empty every field; an open vault is read when shown."""
        self._needs_load = self._vault is not None
        # The session has stopped and waited for the worker already (with its bound):
        # waiting here again, without one, could hang a lock on a stuck build.
        self._job.forget()
        self._job_kind = None
        self._printing.cancel()
        self.progress.end()
        self._drop_built()
        self.case_form.load(None)
        self.options_form.load(None)
        self.say("")
        self._update_notes()
        self._update_enabled()

    def refresh(self) -> None:
        """Exhibits, choices or the case changed elsewhere: read them again, and mark a
        preview that no longer shows them. Words being typed in the cover are kept."""
        vault = self._vault
        if vault is None:
            return
        if self._needs_load:
            self._needs_load = False
            self.case_form.load(vault)
            self.options_form.load(vault)
            self._update_notes()
            self._update_enabled()
            return
        if self.options_form.save():  # a refused value stays, with its reason
            self.options_form.load(vault)
        if not self.case_form.is_dirty():
            self.case_form.load(vault)
        self._update_notes()

    def commit_pending_edits(self) -> bool:
        """Save the cover and the options being typed; False if one was refused (its
        reason is shown beside it and every word stays)."""
        details = self.case_form.save()
        options = self.options_form.save()
        return details and options

    @property
    def busy(self) -> bool:
        """A build, a save or a print is running (the window may wait before locking)."""
        return self._job.running or self._printing.running

    @property
    def built(self) -> BuiltBinder | None:
        return self._built

    @property
    def saving(self) -> SaveFlow:
        """Save…'s flow, which Print to File shares (the same warning and writing)."""
        return self._saving

    # ----- building ----------------------------------------------------------------------

    def build(self) -> bool:
        """Save the forms, warn about empty exhibits, then build on a worker."""
        vault = self._vault
        if vault is None or self.busy:
            return False
        if not self.commit_pending_edits():
            self.say(self.tr("Fix the detail marked above first, then build."), problem=True)
            return False
        choices = load_choices(vault)
        empty = empty_exhibits(vault, choices)
        if empty and not prompts.confirm(
            self,
            self.tr("Some exhibits have no items"),
            self.tr(
                "These exhibits have nothing in them yet, so each would be only a divider "
                "page in the binder:\n\n%1\n\nAdd items to them in the Exhibits view, or "
                "build the binder as it is."
            ).replace("%1", "\n".join(f"• {label}" for label in empty)),
            yes=self.tr("Build anyway"),
            no=self.tr("Go back"),
            risky=False,  # a build only shows the binder, and is made again at will
        ):
            return False
        names = (self.tr("Court copy"), self.tr("Copy for the other side"))
        self._start_job(
            BUILD,
            lambda v, p, c: build_copies(v, choices, names, p, c),
            self.tr("Building the binder…"),
        )
        return True

    def _built_ok(self, built: BuiltBinder) -> None:
        self._drop_built()
        self._built = built
        service = built.service
        self.preview.load(
            built.court.data,
            service.data if service is not None else None,
            built.court.outline,
            service.outline if service is not None else (),
        )
        court = built.court
        if built.exhibit_ids and len(built.exhibit_ids) == len(court.exhibit_pages):
            self.built_pages.emit(dict(zip(built.exhibit_ids, court.exhibit_pages, strict=True)))
        self.say(self.tr("Built. Look through it, then print or save it."))
        self.review.update()
        self._update_notes()  # a change saved while it was building makes it old at once

    # ----- printing and saving (binder_print_flow, binder_save_flow) ---------------------

    def print_shown(self) -> bool:
        """Print the copy shown in the preview."""
        return self._printing.print_shown()

    def print_three_copies(self) -> bool:
        """Print court, other side and you in one job."""
        return self._printing.print_three_copies()

    def save(self) -> bool:
        """Choose a file, warn that it is not encrypted, then write on a worker."""
        return self._saving.save()

    def start_save(self, work: VaultWork, text: str) -> None:
        """Run the save flow's *work* on the page's worker, shown as *text*."""
        self._start_job(SAVE, work, text)

    def _start_job(self, kind: str, work: VaultWork, text: str) -> None:
        """A build or a save on the worker; its reports come back by *kind*."""
        self._job_kind = kind
        self._job.start(work)
        self.work_began(text)

    def work_began(self, text: str) -> None:
        """A build, save or print began: show its progress and disable what must wait."""
        self.progress.begin(text)
        self.say("")
        self._update_enabled()

    def work_ended(self) -> None:
        """A build, save or print ended: hide its progress and enable what waited."""
        self.progress.end()
        self._update_enabled()

    # ----- the worker's reports ----------------------------------------------------------

    def _progressed(self, done: int, total: int, label: str) -> None:
        if self._job_kind == SAVE and label:
            label = self.tr("Saving %1…").replace("%1", label)
        self.progress.report(done, total, label)

    def _job_succeeded(self, result: object) -> None:
        self._job_kind = None
        self.work_ended()
        if self._vault is None:
            return
        if isinstance(result, BuiltBinder):
            self._built_ok(result)
        elif isinstance(result, SavedFiles):
            self._saving.saved(result)
        self._update_enabled()

    def _job_failed(self, error: object) -> None:
        kind, self._job_kind = self._job_kind, None
        self.work_ended()
        title = (
            self.tr("The binder could not be saved")
            if kind == SAVE
            else self.tr("The binder could not be built")
        )
        prompts.warn(self, title, prompts.explain(error))

    def _job_cancelled(self) -> None:
        kind, self._job_kind = self._job_kind, None
        self.work_ended()
        self.say(
            self.tr("Stopped. Nothing was saved.")
            if kind == SAVE
            else self.tr("Stopped. The binder was not built.")
        )

    def _cancel_requested(self) -> None:
        if self._printing.running:
            self._printing.cancel()
        elif self._job.running:
            self.progress.stopping()
            self._job.cancel()

    # ----- showing -----------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._update_notes()

    def _details_saved(self) -> None:
        self._update_notes()
        self.changed.emit()

    def _private_listed(self) -> None:
        self.options_form.set_private_details_listed(
            bool(self.case_form.private_edit.toPlainText().strip())
        )

    def _update_notes(self) -> None:
        """Which exhibits, which are empty, whether the preview is old (BinderNotes)."""
        self._private_listed()
        self._notes.update()

    def _drop_built(self) -> None:
        """Forget the built bytes and close the preview's documents."""
        self._built = None
        self.built_pages.emit(None)
        self.preview.clear(
            self.tr(
                "Build the binder to see it here.\n\nIt is made in memory: nothing is "
                "written to your disk until you save it."
            )
            if self._vault is not None
            else ""
        )
        self.summary.clear()
        self.review.update()
        self.three_note.clear()
        self.stale_box.hide()

    def _update_enabled(self) -> None:
        ready = self._vault is not None
        busy = self.busy
        has_binder = ready and self._built is not None
        self.build_button.setEnabled(ready and not busy)
        self.rebuild_button.setEnabled(ready and not busy)
        for widget in (
            self.print_button,
            self.print_three_button,
            self.save_button,
            self.exhibit_list_box,
            self.recordings_box,
        ):
            widget.setEnabled(has_binder and not busy)

    def say(self, text: str, *, problem: bool = False) -> None:
        """The status line under Build: what just happened, or a problem in red."""
        self.build_status.setObjectName("errorText" if problem else "")
        self.build_status.setProperty("quiet", not problem)
        self.build_status.style().unpolish(self.build_status)
        self.build_status.style().polish(self.build_status)
        self.build_status.setText(text)
        self.build_status.setVisible(bool(text))
