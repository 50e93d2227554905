"""The Binder view: the cover and options, Build, the preview, Print… and Save….

On the left, the cover details and how the binder looks, in a scrolling column, with
Build below them; on the right, what was built, the preview, and Print… and Save….

The binder is built into memory on a worker with its own vault connection
(:mod:`~nco_desktop.ui.binder.binder_jobs`), previewed from memory and printed from memory.
The only clear-text files are the ones written by Save…, after the user was told that
they are not encrypted (DESIGN invariant 2).

The page asks its :class:`VaultSession` for the vault. When the session locks, the
worker is stopped and waited for, the forms are saved, and then the built bytes and
the preview's documents are dropped and every field is emptied. Any saved change to
what the binder prints marks the preview old (:meth:`~BinderPage.refresh`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

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

from nco_desktop.binder.copies import (
    BuiltBinder,
    SavedFiles,
    build_copies,
    changed_since,
    empty_exhibits,
    planned_files,
    save_copies,
    suggested_file_name,
    will_split,
)
from nco_desktop.binder.options import Paper
from nco_desktop.binder.saved_options import load_choices
from nco_desktop.case.details import case_fields, private_details
from nco_desktop.ui.binder.binder_jobs import VaultJob
from nco_desktop.ui.binder.binder_options_form import BinderOptionsForm
from nco_desktop.ui.binder.binder_preview import COURT, SERVICE, BinderPreview
from nco_desktop.ui.binder.binder_printing import PrintJob, ask_for_printer
from nco_desktop.ui.binder.binder_status import BuildSummary, ProgressStrip
from nco_desktop.ui.binder.case_details_form import CaseDetailsForm
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.session import Change, RefreshWhenShown, VaultSession
from nco_desktop.ui.common.widgets import bold, plain_label, quiet
from nco_desktop.vault import Vault

PrinterChooser = Callable[[QWidget | None, Paper, str], QPrinter | None]
BUILD, SAVE = "build", "save"


class BinderPage(QWidget):
    changed = Signal()  # the cover details or the binder choices were saved
    SHOWS = Change.EVERYTHING  # any change may change a page of the binder

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._needs_load = False  # a vault opened and its forms have not been read yet
        self._built: BuiltBinder | None = None
        self._job = VaultJob(session, self)
        self._job_kind: str | None = None
        self._print_job: PrintJob | None = None
        #: Shows the print dialog; tests put a printer that writes a PDF in its place.
        self.choose_printer: PrinterChooser = ask_for_printer
        self.setAccessibleName(self.tr("Binder"))

        self.case_form = CaseDetailsForm(self)
        self.options_form = BinderOptionsForm(self)
        self.case_form.saved.connect(self._details_saved)
        self.options_form.saved.connect(self._details_saved)
        self.case_form.private_edit.textChanged.connect(self._private_listed)
        self._job.progressed.connect(self._progressed)
        self._job.succeeded.connect(self._job_succeeded)
        self._job.failed.connect(self._job_failed)
        self._job.cancelled.connect(self._job_cancelled)

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
        self._reset()
        self.changed.connect(lambda: session.notify(Change.CASE, self))
        session.about_to_lock.connect(self.commit_pending_edits)
        session.opened.connect(self._reset)
        session.detached.connect(self._reset)
        self._refresher = RefreshWhenShown(self, session, self.SHOWS, self.refresh)

    def _left_column(self) -> QWidget:
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
        rule = QFrame(forms)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet("color: palette(mid);")
        forms_layout.addWidget(rule)
        forms_layout.addWidget(self.options_form)
        forms_layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(forms)

        self.exhibits_note = quiet(plain_label("", self, selectable=False))
        self.empty_warning = plain_label("", self, selectable=False)
        self.empty_warning.setObjectName("warningBox")
        self.empty_warning.hide()
        self.build_button = QPushButton(self.tr("&Build the binder"), self)
        self.build_button.setToolTip(self.tr("Make the binder in memory and show it here"))
        self.build_button.clicked.connect(self.build)
        font = self.build_button.font()
        font.setBold(True)
        self.build_button.setFont(font)
        self.build_button.setMinimumHeight(self.fontMetrics().height() * 2 + 4)
        self.progress = ProgressStrip(self)
        self.progress.cancel_requested.connect(self._cancel_requested)
        self.build_status = plain_label("", self, selectable=False)
        self.build_status.hide()

        column = QWidget(self)
        column.setMinimumWidth(380)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(14, 12, 6, 12)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        rule = QFrame(column)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet("color: palette(mid);")
        layout.addWidget(rule)
        layout.addWidget(self.exhibits_note)
        layout.addWidget(self.empty_warning)
        layout.addWidget(self.build_button)
        layout.addWidget(self.progress)
        layout.addWidget(self.build_status)
        return column

    def _right_column(self) -> QWidget:
        self.summary = BuildSummary(self)
        self.stale_text = plain_label("", self, selectable=False)
        self.stale_text.setObjectName("warningBox")
        self.rebuild_button = QPushButton(self.tr("Build a&gain"), self)
        self.rebuild_button.clicked.connect(self.build)
        stale = QHBoxLayout()
        stale.setContentsMargins(0, 0, 0, 0)
        stale.addWidget(self.stale_text, 1)
        stale.addWidget(self.rebuild_button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.stale_box = QWidget(self)
        self.stale_box.setLayout(stale)
        self.stale_box.hide()

        self.preview = BinderPreview(self)
        self.print_button = QPushButton(self.tr("&Print…"), self)
        queue = self.tr(
            "The computer's print queue keeps the pages, not encrypted, until they are printed."
        )
        self.print_button.setToolTip(self.tr("Print the copy shown.") + " " + queue)
        self.print_button.clicked.connect(self.print_shown)
        self.print_three_button = QPushButton(self.tr("Print &3 copies…"), self)
        self.print_three_button.setToolTip(
            self.tr("Court, other side, you, in one job.") + " " + queue
        )
        self.print_three_button.clicked.connect(self.print_three_copies)
        self.save_button = QPushButton(self.tr("&Save…"), self)
        self.save_button.setToolTip(self.tr("Save the binder as a PDF file (not encrypted)"))
        self.save_button.clicked.connect(self.save)
        self.recordings_box = QCheckBox(self.tr("Also copy the recordings"), self)
        self.recordings_box.setToolTip(
            self.tr(
                "Voicemails and recordings in the binder, copied into a folder beside it "
                "(for a USB stick the court may ask for). Not encrypted either."
            )
        )
        self.three_note = quiet(plain_label("", self, selectable=False))
        actions = QHBoxLayout()
        actions.setContentsMargins(0, 0, 0, 0)
        actions.addWidget(self.print_button)
        actions.addWidget(self.print_three_button)
        actions.addStretch(1)
        actions.addWidget(self.recordings_box)
        actions.addWidget(self.save_button)

        column = QWidget(self)
        column.setMinimumWidth(460)
        layout = QVBoxLayout(column)
        layout.setContentsMargins(6, 12, 14, 12)
        layout.setSpacing(8)
        layout.addWidget(self.summary)
        layout.addWidget(self.stale_box)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.three_note)
        layout.addLayout(actions)
        return column

    # ----- the contract ------------------------------------------------------------------

    @property
    def _vault(self) -> Vault | None:
        return self.session.vault

    def _reset(self) -> None:
        """A vault opened, or the session detached (locked): stop the worker, drop the
        binder and its preview, empty every field; an open vault is read when shown."""
        self._needs_load = self._vault is not None
        self.cancel_and_wait()
        self._drop_built()
        self.case_form.load(None)
        self.options_form.load(None)
        self._say("")
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

    def cancel_and_wait(self) -> None:
        """Stop a build, a save or a print and wait for the worker's connection to close
        (locking needs that). A result that arrives afterwards is dropped."""
        self._job.cancel_and_wait()
        self._job_kind = None
        if self._print_job is not None:
            self._print_job.cancel()
        self.progress.end()
        self._update_enabled()

    @property
    def busy(self) -> bool:
        """A build, a save or a print is running (the window may wait before locking)."""
        return self._job.running or self._print_job is not None

    @property
    def built(self) -> BuiltBinder | None:
        return self._built

    # ----- building ----------------------------------------------------------------------

    def build(self) -> bool:
        """Save the forms, warn about empty exhibits, then build on a worker."""
        vault = self._vault
        if vault is None or self.busy:
            return False
        if not self.commit_pending_edits():
            self._say(self.tr("Fix the detail marked above first, then build."), problem=True)
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
        ):
            return False
        names = (self.tr("Court copy"), self.tr("Copy for the other side"))
        self._job_kind = BUILD
        self._job.start(lambda v, p, c: build_copies(v, choices, names, p, c))
        self.progress.begin(self.tr("Building the binder…"))
        self._say("")
        self._update_enabled()
        return True

    def _built_ok(self, built: BuiltBinder) -> None:
        self._drop_built()
        self._built = built
        service = built.service.data if built.service is not None else None
        if not self.preview.load(built.court.data, service):
            self._built = None
            prompts.warn(
                self,
                self.tr("The binder cannot be shown"),
                self.tr("The binder was built but its pages could not be shown."),
            )
            return
        self._say(self.tr("Built. Look through it, then print or save it."))
        self._update_notes()  # a change saved while it was building makes it old at once

    # ----- printing ----------------------------------------------------------------------

    def print_shown(self) -> bool:
        shown = self.preview.shown_copy() or COURT
        title = self.tr("Print the binder")
        return self._print([shown], title)

    def print_three_copies(self) -> bool:
        """Court, other side, you: one job, the other side's copy redacted if it was built.

        Without that copy the other side gets the court's, private details and all: with
        private details listed, that is asked first."""
        other = SERVICE if self.preview.has(SERVICE) else COURT
        if (
            other == COURT
            and self._vault is not None
            and private_details(self._vault)
            and not prompts.confirm(
                self,
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
        return self._print([COURT, other, COURT], self.tr("Print 3 copies: court, other side, you"))

    def _print(self, copies: list[str], title: str) -> bool:
        built = self._built
        if built is None or self.busy:
            return False
        printer = self.choose_printer(self, built.choices.options.paper, title)
        documents = [self.preview.document(name) for name in copies]
        if printer is None or self._built is not built or None in documents:
            return False  # cancelled, or the vault locked while the dialog was open
        if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and not prompts.confirm(
            self,
            self.tr("Print to a file that is not encrypted?"),
            self.tr(
                "Printing to a file writes a PDF that is NOT encrypted: anyone who gets the "
                "file can read all of it. Keep it where the other person cannot reach it, "
                "and delete it when you no longer need it.\n\nSave… writes a sharper PDF "
                "of the same binder."
            ),
            yes=self.tr("Print to the file"),
            no=self.tr("Don't print"),
        ):
            return False
        job = PrintJob(printer, [d for d in documents if d is not None], self)
        job.progressed.connect(self._print_progressed)
        job.finished.connect(partial(self._print_finished, job))
        if not job.start():
            job.deleteLater()
            prompts.warn(
                self,
                self.tr("Nothing was printed"),
                self.tr("The printer could not be reached. Check that it is on and connected."),
            )
            return False
        self._print_job = job
        self.progress.begin(self.tr("Printing…"))
        self._say("")
        self._update_enabled()
        return True

    def _print_progressed(self, sent: int, total: int) -> None:
        self.progress.report(
            sent,
            total,
            self.tr("Printing page %1 of %2…").replace("%1", str(sent)).replace("%2", str(total)),
        )

    def _print_finished(self, job: PrintJob, complete: bool) -> None:
        if job is not self._print_job:
            return
        self._print_job = None
        job.deleteLater()
        self.progress.end()
        self._update_enabled()
        if self._vault is None:
            return
        if complete:
            self._say(self.tr("Sent to the printer."))
        elif job.to_file and job.partial_file_left:
            self._say(
                self.tr(
                    "Printing stopped, but the unfinished file could not be deleted: delete "
                    "it yourself. It is not encrypted."
                ),
                problem=True,
            )
        elif job.to_file:
            self._say(self.tr("Printing stopped. The unfinished file was deleted."))
        else:
            self._say(
                self.tr(
                    "Printing stopped after %1 of %2 pages. The printer still prints those "
                    "pages: take them from the tray."
                )
                .replace("%1", str(job.sent))
                .replace("%2", str(job.total))
            )

    # ----- saving ------------------------------------------------------------------------

    def save(self) -> bool:
        """Choose a file, warn that it is not encrypted, then write on a worker."""
        vault, built = self._vault, self._built
        if vault is None or built is None or self.busy:
            return False
        case_number = case_fields(vault).get("case_number", "")
        path = prompts.choose_binder_file(
            self, suggested_file_name(self.tr("Exhibits"), case_number)
        )
        if path is None or self._built is not built:
            return False
        if not path.suffix:
            path = path.with_name(path.name + ".pdf")
        split_mb = self.options_form.choices().split_mb
        recordings = self.recordings_box.isChecked()
        if not prompts.confirm(
            self,
            self.tr("Save a copy that is not encrypted?"),
            self._not_encrypted_text(built, path, split_mb, recordings),
            yes=self.tr("Save, not encrypted"),
            no=self.tr("Don't save"),
        ):
            return False
        self._job_kind = SAVE
        self._job.start(
            lambda v, p, c: save_copies(
                v, built, path, split_mb=split_mb, recordings=recordings, progress=p, cancel=c
            ),
        )
        self.progress.begin(self.tr("Saving…"))
        self._say("")
        self._update_enabled()
        return True

    def _not_encrypted_text(
        self, built: BuiltBinder, path: Path, split_mb: float | None, recordings: bool
    ) -> str:
        names = []
        for file in planned_files(built, path):
            names.append(
                f"• {file.name}"
                + (self.tr(" (replaces the file already there)") if file.exists() else "")
            )
        if will_split(built, split_mb):
            names.append(
                self.tr("• the same in volumes: %1-vol1.pdf, -vol2.pdf …").replace("%1", path.stem)
            )
        if recordings:
            names.append(
                self.tr("• the recordings, in the folder %1-recordings").replace("%1", path.stem)
            )
        return (
            self.tr(
                "The binder will be saved as an ordinary PDF that is NOT encrypted: anyone "
                "who gets the file can read everything in it.\n\nKeep it where the other "
                "person cannot reach it — not on a shared computer or in a shared cloud "
                "folder — and delete copies you no longer need.\n\nWritten in %1:"
            ).replace("%1", str(path.parent))
            + "\n"
            + "\n".join(names)
        )

    def _saved(self, saved: SavedFiles) -> None:
        listed = "\n".join(f"• {path}" for path in saved.written)
        if saved.error is not None:
            prompts.warn(
                self,
                self.tr("Not everything was saved"),
                self.tr("Saving stopped: %1").replace("%1", prompts.explain(saved.error)),
                self.tr("Written before that (not encrypted):\n%1").replace("%1", listed)
                if listed
                else self.tr("Nothing was written."),
            )
            return
        if saved.stopped:
            prompts.inform(
                self,
                self.tr("Saving stopped"),
                self.tr("Saving stopped before every file was written."),
                self.tr("Written before that (not encrypted):\n%1").replace("%1", listed)
                if listed
                else self.tr("Nothing was written."),
            )
            return
        details = ""
        if saved.recordings == 0:
            details = self.tr("The binder has no recordings, so none were copied.")
        prompts.inform(
            self,
            self.tr("Binder saved"),
            self.tr(
                "Saved, not encrypted:\n%1\n\nKeep these files where the other person cannot "
                "reach them, and delete the ones you no longer need."
            ).replace("%1", listed),
            details,
        )
        self._say(self.tr("Saved."))

    # ----- the worker's reports ----------------------------------------------------------

    def _progressed(self, done: int, total: int, label: str) -> None:
        if self._job_kind == SAVE and label:
            label = self.tr("Saving %1…").replace("%1", label)
        self.progress.report(done, total, label)

    def _job_succeeded(self, result: object) -> None:
        self._job_kind = None
        self.progress.end()
        self._update_enabled()
        if self._vault is None:
            return
        if isinstance(result, BuiltBinder):
            self._built_ok(result)
        elif isinstance(result, SavedFiles):
            self._saved(result)
        self._update_enabled()

    def _job_failed(self, error: object) -> None:
        kind, self._job_kind = self._job_kind, None
        self.progress.end()
        self._update_enabled()
        title = (
            self.tr("The binder could not be saved")
            if kind == SAVE
            else self.tr("The binder could not be built")
        )
        prompts.warn(self, title, prompts.explain(error))

    def _job_cancelled(self) -> None:
        kind, self._job_kind = self._job_kind, None
        self.progress.end()
        self._update_enabled()
        self._say(
            self.tr("Stopped. Nothing was saved.")
            if kind == SAVE
            else self.tr("Stopped. The binder was not built.")
        )

    def _cancel_requested(self) -> None:
        if self._print_job is not None:
            self._print_job.cancel()
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
        """The exhibits line, the empty-exhibit warning, and whether the preview is old."""
        vault = self._vault
        self._private_listed()
        if vault is None:
            self.exhibits_note.clear()
            self.empty_warning.hide()
            self.stale_box.hide()
            return
        choices = load_choices(vault)
        (chosen,) = vault.conn.execute("SELECT count(*) FROM exhibits").fetchone()
        (entries,) = vault.conn.execute("SELECT count(*) FROM entries").fetchone()
        if not entries:
            note = self.tr(
                "There is no evidence in this vault yet. Import it first; the binder can "
                "still be built with its cover, index and declaration."
            )
        elif chosen == 1:
            note = self.tr("1 exhibit chosen in the Exhibits view.")
        elif chosen:
            note = self.tr("%n exhibits chosen in the Exhibits view, in that order.", "", chosen)
        else:
            note = self.tr(
                "No exhibits chosen yet, so the binder groups all your evidence into "
                "exhibits itself, by conversation, person and kind. To choose and order "
                "them yourself, use the Exhibits view."
            )
        self.exhibits_note.setText(note)
        empty = empty_exhibits(vault, choices)
        self.empty_warning.setText(
            self.tr("No items yet, so only a divider page: %1").replace("%1", "; ".join(empty))
        )
        self.empty_warning.setVisible(bool(empty))
        built = self._built
        stale = built is not None and changed_since(vault, built, choices)
        self.stale_text.setText(
            self.tr(
                "The case changed since this binder was built (evidence, exhibits, cover "
                "or options). Build again to include the changes."
            )
        )
        self.stale_box.setVisible(stale)
        if built is not None:
            self._show_summary()

    def _show_summary(self) -> None:
        built = self._built
        if built is None:
            self.summary.clear()
            self.three_note.clear()
            return
        self.summary.show_built(built, self.options_form.choices().split_mb)
        if built.empty_exhibits:
            self.summary.add_warning(
                self.tr("Only a divider page, no items yet: %1").replace(
                    "%1", "; ".join(built.empty_exhibits)
                )
            )
        if built.service is not None:
            pages = 2 * built.court.pages + built.service.pages
            text = self.tr(
                "“Print 3 copies” prints the court's copy, the copy for the other side "
                "(private details removed), then your copy: %1 pages."
            )
        else:
            pages = 3 * built.court.pages
            text = self.tr(
                "“Print 3 copies” prints the court's copy three times (court, other side, "
                "you): %1 pages. The other side's copy then includes your private details."
            )
        self.three_note.setText(text.replace("%1", str(pages)))

    def _drop_built(self) -> None:
        """Forget the built bytes and close the preview's documents."""
        self._built = None
        self.preview.clear(
            self.tr(
                "Build the binder to see it here.\n\nIt is made in memory: nothing is "
                "written to your disk until you save it."
            )
            if self._vault is not None
            else ""
        )
        self.summary.clear()
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
            self.recordings_box,
        ):
            widget.setEnabled(has_binder and not busy)

    def _say(self, text: str, *, problem: bool = False) -> None:
        self.build_status.setObjectName("errorText" if problem else "")
        self.build_status.setProperty("quiet", not problem)
        self.build_status.style().unpolish(self.build_status)
        self.build_status.style().polish(self.build_status)
        self.build_status.setText(text)
        self.build_status.setVisible(bool(text))
