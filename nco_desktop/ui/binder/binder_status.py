"""The Binder view's status pieces: the progress strip, what a build made, the notes.

Colours come from the palette and the application style sheet (``warningBox``,
``errorText``, quiet text), so both read in the light and the dark scheme.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.binder.copies import (
    E_FILING_LIMIT,
    MEGABYTE,
    BuiltBinder,
    changed_since,
    empty_exhibits,
    volume_bytes,
)
from nco_desktop.binder.pdfa import pdfa_gap_words
from nco_desktop.binder.saved_options import load_choices
from nco_desktop.binder.searchable import unsearchable_words
from nco_desktop.ui.common.widgets import plain_label, quiet

if TYPE_CHECKING:
    from nco_desktop.ui.binder.binder_page import BinderPage


def megabytes(size: int) -> str:
    """ "0.9 MB", "31 MB": one decimal below 10 MB, where the difference shows."""
    value = size / MEGABYTE
    return f"{value:.1f} MB" if value < 10 else f"{value:.0f} MB"


class ProgressStrip(QWidget):
    """What is being done, how far along, and Cancel."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel(self)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.bar = QProgressBar(self)
        self.bar.setTextVisible(False)
        self.bar.setAccessibleName(self.tr("Progress"))
        self.bar.setMaximumHeight(self.fontMetrics().height())
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        self.cancel_button.clicked.connect(self.cancel_requested)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.label)
        layout.addLayout(row)
        self.hide()

    def begin(self, text: str) -> None:
        self.label.setText(text)
        self.bar.setRange(0, 0)  # busy until the first report
        self.cancel_button.setEnabled(True)
        self.show()

    def report(self, done: int, total: int, text: str) -> None:
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(min(done, total))
        if text:
            self.label.setText(text)

    def stopping(self) -> None:
        self.label.setText(self.tr("Stopping…"))
        self.cancel_button.setEnabled(False)

    def end(self) -> None:
        self.hide()
        self.label.clear()
        self.bar.reset()


class BuildSummary(QWidget):
    """Pages, exhibits and size of the built copies, and a meter against 25 MB."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.facts = plain_label("", self)
        self.facts.setAccessibleName(self.tr("What was built"))
        self.meter = QProgressBar(self)
        self.meter.setRange(0, 1000)
        self.meter.setTextVisible(False)
        self.meter.setAccessibleName(self.tr("Size against the e-filing limit"))
        self.meter.setFixedSize(150, self.fontMetrics().height() // 2 + 4)
        self.meter_text = quiet(QLabel(self))
        self.meter_text.setTextFormat(Qt.TextFormat.PlainText)
        self.warning = plain_label("", self, selectable=False)
        self.warning.setObjectName("warningBox")
        size = QVBoxLayout()
        size.setContentsMargins(0, 0, 0, 0)
        size.setSpacing(2)
        size.addWidget(self.meter_text, 0, Qt.AlignmentFlag.AlignRight)
        size.addWidget(self.meter, 0, Qt.AlignmentFlag.AlignRight)
        size.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.facts, 1, Qt.AlignmentFlag.AlignTop)
        row.addLayout(size)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(row)
        layout.addWidget(self.warning)
        self.clear()

    def show_built(self, built: BuiltBinder, split_mb: float | None) -> None:
        """The copies' facts; the meter measures the larger copy against the size a saved
        file must stay under (the volume size if splitting is on, else 25 MB)."""
        court = built.court
        facts = [
            self.tr("Court copy: %1 pages, %2 exhibits, %3")
            .replace("%1", str(court.pages))
            .replace("%2", str(built.exhibits))
            .replace("%3", megabytes(court.size))
        ]
        if built.service is not None:
            facts.append(
                self.tr("Copy for the other side: %1 pages, %2")
                .replace("%1", str(built.service.pages))
                .replace("%2", megabytes(built.service.size))
            )
        self.facts.setText("\n".join(facts))
        largest = max(court.size, built.service.size if built.service else 0)
        limit = volume_bytes(split_mb)
        self.meter.setValue(min(1000, round(1000 * largest / (limit or E_FILING_LIMIT))))
        self.meter_text.setText(
            self.tr("%1 of the %2 e-filing limit")
            .replace("%1", megabytes(largest))
            .replace("%2", megabytes(E_FILING_LIMIT))
            if limit is None
            else self.tr("%1 of %2 a volume")
            .replace("%1", megabytes(largest))
            .replace("%2", megabytes(limit))
        )
        warning = ""
        if limit is not None and largest > limit:
            warning = self.tr(
                "Larger than one volume: Save will also write it in volumes under %1, "
                "numbered -vol1, -vol2 …"
            ).replace("%1", megabytes(limit))
        elif limit is None and largest > E_FILING_LIMIT:
            warning = self.tr(
                "Larger than the 25 MB many e-filing systems accept. Printing is not "
                "affected. To file it online, turn on “Split into volumes” before saving: "
                "Save then also writes it in parts that fit."
            )
        self._warn(warning)
        for widget in (self.facts, self.meter, self.meter_text):
            widget.show()

    def add_warning(self, text: str) -> None:
        """Another line in the warning box (exhibits with no items)."""
        current = self.warning.text()
        self._warn(f"{current}\n\n{text}" if current else text)

    def clear(self) -> None:
        self.facts.clear()
        self.meter_text.clear()
        self.meter.setValue(0)
        self._warn("")
        for widget in (self.facts, self.meter, self.meter_text):
            widget.hide()

    def _warn(self, text: str) -> None:
        self.warning.setText(text)
        self.warning.setVisible(bool(text))


class BinderNotes(QObject):
    """The lines around the forms and the preview that follow the vault: which exhibits
    the binder will hold, which are empty, whether the preview is old, and the summary
    of what was built with what "Print 3 copies" will print.

    :class:`~nco_desktop.ui.binder.binder_page.BinderPage` owns the labels, the session
    and the built binder; this controller asks it each time rather than keeping any."""

    def __init__(self, page: BinderPage) -> None:
        super().__init__(page)
        self._page = page

    def update(self) -> None:
        """The exhibits line, the empty-exhibit warning, and whether the preview is old."""
        page = self._page
        vault = page.session.vault
        if vault is None:
            page.exhibits_note.clear()
            page.empty_warning.hide()
            page.stale_box.hide()
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
        page.exhibits_note.setText(note)
        empty = empty_exhibits(vault, choices)
        page.empty_warning.setText(
            self.tr("No items yet, so only a divider page: %1").replace("%1", "; ".join(empty))
        )
        page.empty_warning.setVisible(bool(empty))
        built = page.built
        stale = built is not None and changed_since(vault, built, choices)
        page.stale_text.setText(
            self.tr(
                "The case changed since this binder was built (evidence, exhibits, cover "
                "or options). Build again to include the changes."
            )
        )
        page.stale_box.setVisible(stale)
        if built is not None:
            self.show_summary()

    def show_summary(self) -> None:
        """What was built, its warnings, and what "Print 3 copies" would print."""
        page = self._page
        built = page.built
        if built is None:
            page.summary.clear()
            page.three_note.clear()
            return
        page.summary.show_built(built, page.options_form.choices().split_mb)
        for warning in built.warnings:
            page.summary.add_warning(warning)
        if built.court.pages_without_fonts:
            page.summary.add_warning(pdfa_gap_words(list(built.court.pages_without_fonts)))
        if built.court.unsearchable:
            page.summary.add_warning(unsearchable_words(list(built.court.unsearchable)))
        if built.empty_exhibits:
            page.summary.add_warning(
                self.tr("Only a divider page, no items yet: %1").replace(
                    "%1", "; ".join(built.empty_exhibits)
                )
            )
        if built.service is not None:
            pages = 2 * built.court.pages + built.service.pages + 3
            text = self.tr(
                "“Print 3 copies” prints the court's copy, the copy for the other side "
                "(private details removed), then your copy, each after a sheet saying "
                "whose it is: %1 pages (more on a two-sided printer, so each copy starts "
                "on a new sheet)."
            )
        else:
            pages = 3 * built.court.pages + 3
            text = self.tr(
                "“Print 3 copies” prints the court's copy three times (court, other side, "
                "you), each after a sheet saying whose it is: %1 pages (more on a two-sided "
                "printer). The other side's copy then includes your private details."
            )
        page.three_note.setText(text.replace("%1", str(pages)))
