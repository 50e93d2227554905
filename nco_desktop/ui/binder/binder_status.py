"""The Binder view's status pieces: the progress strip and what a build made.

Colours come from the palette and the application style sheet (``warningBox``,
``errorText``, quiet text), so both read in the light and the dark scheme.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.binder.copies import E_FILING_LIMIT, MEGABYTE, BuiltBinder, volume_bytes
from nco_desktop.ui.common.widgets import plain_label, quiet


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
