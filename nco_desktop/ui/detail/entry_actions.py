"""What the user can do to an entry from the detail pane: set its time, hide it.

Kept apart from the pane so the pane stays about showing. Both actions write through
Qt-free services (:mod:`nco_desktop.case.entry_times`, :mod:`nco_desktop.case.hiding`),
tell the session what changed (so the timeline, exhibits and patterns read again), and
hiding records an undo step (Edit ▸ Undo). Hiding asks nothing but a reason: it can be
undone, and the original stays in the vault.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.case.entry_parties import name_entry_party
from nco_desktop.case.hiding import hide_entries, unhide_entries
from nco_desktop.case.incident_edits import entry_views
from nco_desktop.case.undo import entry_label, hide_step
from nco_desktop.date_order import day_first_for
from nco_desktop.evidence.records import TimeSource
from nco_desktop.importers.batch import phone_region
from nco_desktop.ocr.suggest import SenderSuggestion, TimeSuggestion, suggest_sender, suggest_time
from nco_desktop.timeline.detail import EntryDetail, load_entry_detail
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.session import Change, VaultSession
from nco_desktop.ui.common.undo_action import SessionUndo
from nco_desktop.ui.common.widgets import Section, quiet
from nco_desktop.ui.detail.time_dialog import CorrectTimeDialog

#: Times a picture's text may improve on: none at all, or the file's modification time.
_NO_TIME_OF_ITS_OWN = {TimeSource.UNKNOWN.value, TimeSource.FILE_MTIME.value}


def add_time_facts(header: Section, detail: EntryDetail) -> None:
    """Under the time: the time the import found, when the user set another, and why."""
    was = detail.was_time_text
    if was is None or detail.time_correction is None:
        return
    header.add_text(
        header.tr("Found at import: %1").replace("%1", was), secondary=True
    ).setAccessibleName(header.tr("Time found at import"))
    header.add_text(
        header.tr("Your reason: %1").replace("%1", detail.time_correction.reason), secondary=True
    ).setAccessibleName(header.tr("Your reason for the time"))


def ask_reason(parent: QWidget, title: str, label: str) -> str | None:
    """A one-line reason, or None when cancelled (tests answer through prompts)."""
    canned, answer = prompts._message_answer("reason", title, label)
    if canned:
        return None if answer is None else str(answer)
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal)
    return text if ok else None


def ask_party(parent: QWidget, suggested: str) -> str | None:
    """The name to save, the suggestion filled in; None when cancelled (tests answer
    through prompts)."""
    title = parent.tr("Who is this with?")
    label = parent.tr(
        "Read by the computer in the picture's header. Check it against the picture and "
        "correct it if needed; the binder will say that you named them."
    )
    canned, answer = prompts._message_answer("party", title, label, suggested)
    if canned:
        return None if answer is None else str(answer)
    text, ok = QInputDialog.getText(parent, title, label, QLineEdit.EchoMode.Normal, suggested)
    return text if ok else None


class EntryActions(QWidget):
    """ "Correct the time…" and "Hide from the case…" (or "Show it again" when hidden)."""

    entry_changed = Signal(int)  # entry id: its time, or who it is with, was set
    entry_hidden = Signal(int)  # entry id; the pane shows its empty state
    shown_again = Signal(int)  # entry id

    def __init__(
        self, session: VaultSession, detail: EntryDetail, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        # Only the id is kept: the entry's text must not outlive the pane's wipe (a lock
        # forgets everything shown); each action reads what it needs again.
        self.entry_id = detail.id
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 4, 0, 0)
        column.setSpacing(4)
        row = QHBoxLayout()
        row.setSpacing(8)
        column.addLayout(row)
        self.suggestion_label: QLabel | None = None
        self.suggestion_button: QPushButton | None = None
        self.sender_label: QLabel | None = None
        self.sender_button: QPushButton | None = None
        self.time_button: QPushButton | None = None
        self.hide_button: QPushButton | None = None
        self.unhide_button: QPushButton | None = None
        if detail.hidden_reason is not None:
            self.unhide_button = self._button(self.tr("Show it again"), self.show_again)
            row.addWidget(self.unhide_button)
        else:
            if detail.time_can_be_corrected:
                unknown = detail.entry.occurred_ms is None
                text = self.tr("Set the time…") if unknown else self.tr("Correct the time…")
                self.time_button = self._button(text, lambda: self.correct_time())
                row.addWidget(self.time_button)
                self.hide_button = self._button(self.tr("Hide from the case…"), self.hide_entry)
                self.hide_button.setToolTip(
                    self.tr(
                        "Take this out of the timeline, the exhibits and the binder (imported "
                        "by mistake). It stays in the vault; Edit ▸ Undo brings it back."
                    )
                )
                row.addWidget(self.hide_button)
                self._offer_suggestion(column, detail)
                self._offer_sender(column, detail)
        row.addStretch(1)

    def _offer_suggestion(self, column: QVBoxLayout, detail: EntryDetail) -> None:
        """A picture with no time of its own whose text shows a date: offer it (the user
        checks it in the time dialog and saves it as theirs, with the line as reason)."""
        if detail.reading is None or detail.entry.time_source not in _NO_TIME_OF_ITS_OWN:
            return
        now = datetime.now(detail.zone)
        suggestion = suggest_time(
            detail.reading,
            detail.zone,
            day_first=day_first_for(detail.zone),
            today=now.date(),
            now_minutes=now.hour * 60 + now.minute,
        )
        if suggestion is None:
            return
        line = QHBoxLayout()
        line.setSpacing(8)
        self.suggestion_label = quiet(
            QLabel(self.tr("The picture shows a date: %1").replace("%1", suggestion.words), self)
        )
        self.suggestion_label.setWordWrap(True)
        self.suggestion_button = self._button(
            self.tr("Use this date…"), lambda: self.correct_time(suggestion)
        )
        self.suggestion_button.setToolTip(
            self.tr("Check it against the picture and save it as the time, with the reason")
        )
        line.addWidget(self.suggestion_label, 1)
        line.addWidget(self.suggestion_button)
        column.addLayout(line)

    def _button(self, text: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(text.rstrip("…"))
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.clicked.connect(slot)
        return button

    def _offer_sender(self, column: QVBoxLayout, detail: EntryDetail) -> None:
        """A picture the import named no one for, whose header shows a contact: offer
        it (the user checks and may change the name, and saves it as theirs)."""
        vault = self.session.vault
        if detail.reading is None or detail.entry.kind != "image" or detail.entry.party:
            return
        found = suggest_sender(detail.reading, phone_region(vault) if vault else "US")
        if found is None:
            return
        line = QHBoxLayout()
        line.setSpacing(8)
        self.sender_label = quiet(
            QLabel(self.tr("The picture's header shows: %1").replace("%1", found.party), self)
        )
        self.sender_label.setWordWrap(True)
        self.sender_button = self._button(
            self.tr("Say it is with them…"), lambda: self.name_party(found)
        )
        self.sender_button.setToolTip(
            self.tr("Check the name against the picture and save it as who this is with")
        )
        line.addWidget(self.sender_label, 1)
        line.addWidget(self.sender_button)
        column.addLayout(line)

    def name_party(self, found: SenderSuggestion) -> bool:
        """Ask the user to confirm (or change) who the picture is with, then save it."""
        vault = self.session.vault
        if vault is None:
            return False
        name = ask_party(self, found.party)
        if name is None:
            return False
        reason = self.tr(
            "The screenshot's header shows “%1” (read by the computer); confirmed by me."
        ).replace("%1", found.line)
        try:
            name_entry_party(vault, self.entry_id, name, reason)
        except Exception as exc:  # no name typed, the vault is busy: say so
            prompts.warn(self, self.tr("Who this is with"), prompts.explain(exc))
            return False
        self.session.notify(Change.ENTRIES, self)
        self.entry_changed.emit(self.entry_id)
        return True

    def correct_time(self, suggestion: TimeSuggestion | None = None) -> bool:
        vault = self.session.vault
        if vault is None:
            return False
        try:
            detail = load_entry_detail(vault.conn, self.entry_id, vault.time_zone, span=0)
        except LookupError:
            return False
        dialog = CorrectTimeDialog(vault, detail, self.window(), suggestion)
        del detail
        if dialog.exec() != CorrectTimeDialog.DialogCode.Accepted:
            dialog.deleteLater()
            return False
        dialog.deleteLater()
        self.session.notify(Change.ENTRIES, self)
        self.entry_changed.emit(self.entry_id)
        return True

    def hide_entry(self) -> bool:
        vault = self.session.vault
        if vault is None:
            return False
        views = entry_views(vault.conn, [self.entry_id])
        if not views:
            return False
        label = entry_label(views[0])
        del views
        reason = ask_reason(
            self,
            self.tr("Hide “%1”").replace("%1", label),
            self.tr(
                "Why hide it? (for example “a private photo”, “imported by mistake”). It "
                "leaves every list and the binder, and stays in the vault until you delete "
                "it for good from Edit ▸ Hidden entries."
            ),
        )
        if reason is None:
            return False
        try:
            hide_entries(vault, [self.entry_id], reason)
        except Exception as exc:
            prompts.warn(self.window(), self.tr("Not hidden"), prompts.explain(exc))
            return False
        SessionUndo.of(self.session).push(hide_step([self.entry_id], [label]))
        self.session.notify(Change.ENTRIES | Change.EXHIBITS | Change.INCIDENTS, self)
        self.entry_hidden.emit(self.entry_id)
        return True

    def show_again(self) -> bool:
        vault = self.session.vault
        if vault is None:
            return False
        try:
            unhide_entries(vault, [self.entry_id])
        except Exception as exc:
            prompts.warn(self.window(), self.tr("Not shown again"), prompts.explain(exc))
            return False
        self.session.notify(Change.ENTRIES | Change.EXHIBITS | Change.INCIDENTS, self)
        self.shown_again.emit(self.entry_id)
        return True
