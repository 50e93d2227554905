""" "Correct the time…": the user sets an entry's time, and says why.

The time is typed in the same field as everywhere else (:class:`TypedDateField`, read
in the vault's zone and shown back in words); the reason is required, because the
binder prints that the time was set by the user and why. The save goes through the
Qt-free :func:`nco_desktop.case.entry_times.correct_entry_time`.
"""

from __future__ import annotations

from datetime import datetime, time

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.case.entry_times import correct_entry_time
from nco_desktop.evidence.records import TimePrecision
from nco_desktop.ocr.suggest import TimeSuggestion
from nco_desktop.timekeeping import local_to_ms
from nco_desktop.timeline.detail import EntryDetail
from nco_desktop.typed_dates import Want
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.typed_date_field import TypedDateField
from nco_desktop.ui.common.widgets import quiet
from nco_desktop.vault import Vault


class CorrectTimeDialog(QDialog):
    """Type the time and the reason; Save writes both, or says why it cannot."""

    def __init__(
        self,
        vault: Vault,
        detail: EntryDetail,
        parent: QWidget | None = None,
        suggestion: TimeSuggestion | None = None,
    ) -> None:
        """*suggestion*: a date read in the picture, filled in for the user to check and
        save (or change, or cancel): never saved without them."""
        super().__init__(parent)
        self.vault = vault
        self.entry_id = detail.id  # not the detail: its text must not outlive the dialog
        unknown = detail.entry.occurred_ms is None
        self.setWindowTitle(self.tr("Set the time") if unknown else self.tr("Correct the time"))
        now = QLabel(
            self.tr("Now: %1 — %2")
            .replace("%1", detail.time_text)
            .replace("%2", detail.time_source_words),
            self,
        )
        now.setWordWrap(True)
        self.when = TypedDateField(
            self.tr("When it happened"), Want.DAY_OR_MOMENT, self, required=True
        )
        self.when.set_zone(vault.time_zone)
        moment = detail.local_time
        if moment is not None:
            self.when.set_value(moment.replace(tzinfo=None, second=0, microsecond=0))
        why = QLabel(self.tr("Why you are setting it (printed in the binder beside the time)"))
        why.setWordWrap(True)
        self.reason = QPlainTextEdit(self)
        self.reason.setAccessibleName(self.tr("Reason for the time"))
        self.reason.setPlaceholderText(
            self.tr("For example: I took this screenshot the night the message came")
        )
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(self.reason.fontMetrics().lineSpacing() * 3 + 14)
        self.suggested: QLabel | None = None
        if suggestion is not None:
            clock = suggestion.clock_minutes
            self.when.set_value(
                suggestion.day
                if clock is None
                else datetime.combine(suggestion.day, time(clock // 60, clock % 60))
            )
            self.reason.setPlainText(
                self.tr(
                    "The screenshot shows this date (“%1”, read by the computer); confirmed "
                    "by me against the picture."
                ).replace("%1", suggestion.line)
            )
            self.suggested = QLabel(
                self.tr(
                    "Filled in from the text in the picture. Check it against the picture "
                    "before you save: the computer can misread a digit, and a date in a chat "
                    "may belong to an earlier message."
                ),
                self,
            )
            self.suggested.setWordWrap(True)
        kept = quiet(
            QLabel(
                self.tr(
                    "The time the import found is kept and shown beside yours; the change "
                    "is recorded in the vault's log."
                ),
                self,
            )
        )
        kept.setWordWrap(True)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(
            self.tr("Save the time"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(8)
        layout.addWidget(now)
        if self.suggested is not None:
            layout.addWidget(self.suggested)
        layout.addWidget(self.when)
        layout.addWidget(why)
        layout.addWidget(self.reason)
        layout.addWidget(kept)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.when.setFocus()

    def save(self) -> None:
        """Write the time, or show why not and stay open."""
        if not self.when.check():
            return
        found = self.when.read()
        if found is None or found.day is None:
            return
        precision = TimePrecision.MINUTE if found.clock is not None else TimePrecision.DAY
        moment = datetime.combine(found.day, found.clock or time(0))
        occurred_ms, _offset = local_to_ms(moment, self.vault.time_zone)
        try:
            correct_entry_time(
                self.vault, self.entry_id, occurred_ms, precision, self.reason.toPlainText()
            )
        except Exception as exc:  # the reason is missing, the vault is busy: say so
            self.problem.setText(prompts.explain(exc))
            self.problem.show()
            return
        self.accept()
