"""The form for one incident: what the user typed, and the evidence they linked.

The editor only holds what the user typed; :class:`~nco_desktop.ui.incidents.incidents_page.
IncidentsPage` reads it with :meth:`IncidentEditor.form_incident` and does the saving.
Times are typed as wall-clock times in the vault's zone (see
:mod:`~nco_desktop.ui.incidents.incident_fields`, which makes each field); a day typed
without a time is saved as the day only (the time approximate), never as an invented
time, and a date that cannot be read stops the save with its reason (:meth:`check_dates`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from nco_desktop.case.incident_edits import as_new_incident
from nco_desktop.case.incidents import Incident, IncidentCategory, NewIncident
from nco_desktop.evidence.records import EntryKind, TimePrecision
from nco_desktop.timeline.query import EntryView
from nco_desktop.typed_dates import Want
from nco_desktop.ui.common.entry_mime import entry_ids_from_mime
from nco_desktop.ui.common.evidence_picker import ID_ROLE, entry_line
from nco_desktop.ui.common.wheel_guard import guard_wheel
from nco_desktop.ui.common.widgets import quiet, shorten
from nco_desktop.ui.incidents.incident_fields import (
    box,
    buddy_label,
    category_label,
    date_field,
    instant,
    line_edit,
    text_edit,
    wall_clock,
)

_FINER = (TimePrecision.SECOND, TimePrecision.MILLISECOND)


class IncidentEditor(QWidget):
    edited = Signal()  # any field or link changed
    link_requested = Signal()  # "Link evidence…"
    entries_dropped = Signal(list)  # entry ids dragged onto the evidence list

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.zone = ZoneInfo("UTC")
        self._loaded: tuple[NewIncident, tuple[int, ...]] | None = None
        self._loaded_start: int | None = None
        self._loaded_end: int | None = None
        self._loaded_precision = TimePrecision.MINUTE
        self._linked: list[EntryView] = []
        self._filling = False
        self._build()
        self._lay_out()
        self._connect()
        guard_wheel(self)  # the page scrolls the editor: the wheel must not set a time
        self.clear()

    # ----- building --------------------------------------------------------------------

    def _build(self) -> None:
        # Made in the order Tab goes through them: Qt's focus chain is creation order.
        tr = self.tr
        self._guide = QLabel(
            tr(
                "A judge looks for who, what, when and where — and for proof. Write it "
                "plainly, in your own words. Not sure of the exact time? Tick "
                "“Approximate”: an honest estimate is fine."
            ),
            self,
        )
        self._guide.setObjectName("incidentGuide")
        self._guide.setWordWrap(True)
        self._guide.setStyleSheet(
            "QLabel#incidentGuide { border-left: 3px solid palette(highlight); "
            "padding: 4px 10px; background: palette(alternate-base); }"
        )
        self.start_edit = date_field(tr("When it happened"), Want.DAY_OR_MOMENT, self)
        self.zone_label = quiet(QLabel(self))
        self.approximate_box = QCheckBox(
            tr("Appro&ximate — I am sure of the day, not the exact time"), self
        )
        self.unknown_box = QCheckBox(tr("I &don't remember the date"), self)
        self.end_box = QCheckBox(tr("It went on &until"), self)
        self.end_edit = date_field(tr("When it ended"), Want.MOMENT, self)
        self.summary_edit = line_edit(
            tr("One line a judge reads first, e.g. “Waited outside my work”"), tr("Summary"), self
        )
        self.category_box = QComboBox(self)
        self.category_box.setAccessibleName(tr("What kind of incident"))
        for category in IncidentCategory:
            self.category_box.addItem(category_label(category), category)
        self.location_edit = line_edit(
            tr("Where it happened: an address, a place, or online (which app)"), tr("Place"), self
        )
        self.what_edit = text_edit(
            tr("What happened, step by step: what was said or done, by whom"),
            tr("What happened"),
            6,
            self,
        )
        self.witnesses_edit = text_edit(
            tr("Who was involved, and who saw or heard it (names, how to reach them)"),
            tr("People involved and witnesses"),
            3,
            self,
        )
        self.police_box = QCheckBox(tr("I &reported it to the police"), self)
        self.agency_edit = line_edit(tr("e.g. Springfield Police Department"), tr("Agency"), self)
        self.officer_edit = line_edit(tr("Name or badge number"), tr("Officer"), self)
        self.report_edit = line_edit(
            tr("On the card or letter they gave you"), tr("Police report number"), self
        )
        self.police_details = QWidget(self)
        self.impact_edit = text_edit(
            tr("How it affected you: fear, lost sleep, changes to your routine or work"),
            tr("How it affected you"),
            3,
            self,
        )
        self._build_evidence()
        self._build_private()

    def _build_evidence(self) -> None:
        tr = self.tr
        self.linked_list = QListWidget(self)
        self.linked_list.setAccessibleName(tr("Evidence linked to this incident"))
        self.linked_list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.linked_list.setFixedHeight(self.linked_list.fontMetrics().lineSpacing() * 5 + 16)
        self.linked_list.setAcceptDrops(True)
        self.link_button = QPushButton(tr("&Link evidence…"), self)
        self.link_button.setToolTip(tr("Choose items from the timeline to link"))
        self.remove_button = QPushButton(tr("Re&move from incident"), self)
        self.remove_button.setToolTip(
            tr("Unlink the chosen items (Delete); the evidence itself stays in the vault")
        )
        self._evidence_hint = QLabel(
            tr(
                "The texts, calls, pictures or reports that show it happened. Drag them "
                "here from the timeline, or use Link evidence…"
            ),
            self,
        )
        self._evidence_hint.setWordWrap(True)

    def _build_private(self) -> None:
        self._private_frame = QFrame(self)
        self._private_frame.setObjectName("privateNotesBox")
        self._private_frame.setStyleSheet(
            "QFrame#privateNotesBox { border: 1px dashed palette(mid); border-radius: 6px; }"
        )
        self.private_edit = text_edit(
            self.tr("Private — never printed"), self.tr("Private notes, never printed"), 3, self
        )
        self._private_hint = QLabel(
            self.tr(
                "Only for you: plans, advice from an advocate, things you are not ready to "
                "share. They stay in the vault and go into no binder or copy."
            ),
            self,
        )
        self._private_hint.setWordWrap(True)

    # ----- laying out ------------------------------------------------------------------

    def _lay_out(self) -> None:
        tr = self.tr
        self.form = form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        form.setHorizontalSpacing(12)
        form.setVerticalSpacing(8)
        self.start_edit.add_beside(self.zone_label)
        ends = box(self.end_box, self.end_edit, row=True)
        ends.setAlignment(self.end_box, Qt.AlignmentFlag.AlignTop)
        when = box(self.start_edit, self.approximate_box, self.unknown_box, ends)
        self._row(tr("&When"), when, self.start_edit)
        self._row(tr("&Summary"), self.summary_edit)
        self._row(tr("&Kind"), self.category_box)
        self._row(tr("&Place"), self.location_edit)
        self._row(tr("What &happened"), self.what_edit)
        self._row(tr("People && wi&tnesses"), self.witnesses_edit)
        police_form = QFormLayout(self.police_details)
        police_form.setContentsMargins(22, 0, 0, 0)
        for words, line in (
            (tr("A&gency"), self.agency_edit),
            (tr("&Officer"), self.officer_edit),
            (tr("Report num&ber"), self.report_edit),
        ):
            police_form.addRow(buddy_label(words, line, self), line)
        self._row(tr("Police"), box(self.police_box, self.police_details))
        self._row(tr("How it a&ffected you"), self.impact_edit)

        evidence = box(
            buddy_label(tr("&Evidence for this incident"), self.linked_list, self, bold=True),
            quiet(self._evidence_hint),
            self.linked_list,
            box(self.link_button, self.remove_button, 1, row=True),
        )
        heading = tr("Pri&vate notes — never printed in the binder")
        private = box(
            buddy_label(heading, self.private_edit, self, bold=True), quiet(self._private_hint)
        )
        private.addWidget(self.private_edit)
        private.setContentsMargins(10, 8, 10, 10)
        self._private_frame.setLayout(private)
        layout = box(self._guide, form, evidence, self._private_frame, spacing=10)
        layout.setContentsMargins(16, 12, 16, 12)
        self.setLayout(layout)

    def _row(self, text: str, field: QWidget | QBoxLayout, buddy: QWidget | None = None) -> None:
        self.form.addRow(buddy_label(text, buddy if buddy is not None else field, self), field)

    def _connect(self) -> None:
        self.linked_list.installEventFilter(self)  # Delete unlinks
        self.linked_list.viewport().installEventFilter(self)  # entries dragged in link
        self.linked_list.itemSelectionChanged.connect(self._update_enabled)
        self.link_button.clicked.connect(self.link_requested)
        self.remove_button.clicked.connect(self.remove_selected_links)
        self.start_edit.edited.connect(self._changed)
        self.end_box.toggled.connect(self._end_toggled)
        for check in (self.approximate_box, self.unknown_box, self.end_box, self.police_box):
            check.toggled.connect(self._update_enabled)
            check.toggled.connect(self._changed)
        self.end_edit.edited.connect(self._changed)
        self.category_box.currentIndexChanged.connect(self._changed)
        for line in self._lines().values():
            line.textChanged.connect(self._changed)
        for text in self._texts().values():
            text.textChanged.connect(self._changed)

    def _lines(self) -> dict[str, QLineEdit]:
        return {
            "summary": self.summary_edit,
            "location": self.location_edit,
            "agency": self.agency_edit,
            "officer": self.officer_edit,
            "report_number": self.report_edit,
        }

    def _texts(self) -> dict[str, QPlainTextEdit]:
        return {
            "what_happened": self.what_edit,
            "witnesses": self.witnesses_edit,
            "impact": self.impact_edit,
            "private_notes": self.private_edit,
        }

    # ----- filling and reading ---------------------------------------------------------

    def set_zone(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.start_edit.set_zone(zone)
        self.end_edit.set_zone(zone)
        self.zone_label.setText(self.tr("%1 time").replace("%1", zone.key))

    def load(self, incident: Incident | None, linked: Sequence[EntryView], now_ms: int) -> None:
        """Show *incident* (None: a new, empty one dated *now_ms*) as its unedited state."""
        self._fill(incident, linked, now_ms)
        self._loaded = (self.form_incident(), self.linked_ids())
        self._update_enabled()

    def clear(self) -> None:
        """Empty every field, list and undo history (locking)."""
        self._fill(None, [], 0)
        self.linked_list.clear()
        self._loaded = None
        self._update_enabled()

    def _fill(self, incident: Incident | None, linked: Sequence[EntryView], now_ms: int) -> None:
        shown = as_new_incident(incident) if incident else NewIncident(occurred_ms=None)
        start, ends = shown.occurred_ms, shown.ends_ms
        self._filling = True
        try:
            shown_start = wall_clock(now_ms if start is None else start, self.zone)
            day_only = shown.time_precision is TimePrecision.DAY and shown_start.time() == time()
            self.start_edit.set_value(shown_start.date() if day_only else shown_start)
            if incident is None:
                self.start_edit.line.selectAll()  # typing replaces "now"
            self.unknown_box.setChecked(incident is not None and start is None)
            self.approximate_box.setChecked(shown.time_precision is TimePrecision.DAY)
            self.end_box.setChecked(ends is not None)
            self.end_edit.set_value(None if ends is None else wall_clock(ends, self.zone))
            self._loaded_start, self._loaded_end = start, ends
            self._loaded_precision = shown.time_precision
            self.category_box.setCurrentIndex(self.category_box.findData(shown.category))
            self.police_box.setChecked(shown.reported_to_police)
            for name, line in self._lines().items():
                line.setText(getattr(shown, name))
            for name, text in self._texts().items():
                text.setPlainText(getattr(shown, name))
                text.document().clearUndoRedoStacks()
            self._set_linked(list(linked))
        finally:
            self._filling = False

    def form_incident(self) -> NewIncident:
        """What the form says now, as an incident to save (not yet validated)."""
        start_ms = ends_ms = None
        precision = TimePrecision.UNKNOWN
        start = self.start_edit.read()
        if not self.unknown_box.isChecked() and start is None:
            # Unreadable: the loaded time stands in; check_dates() stops the save.
            start_ms, precision = self._loaded_start, self._loaded_precision
        elif not self.unknown_box.isChecked() and start is not None:
            start_ms = self._kept(instant(start, self.zone), self._loaded_start)
            precision = TimePrecision.MINUTE
            if self.approximate_box.isChecked() or start.clock is None:
                precision = TimePrecision.DAY  # a day without a time is the day only
            elif start_ms == self._loaded_start and self._loaded_precision in _FINER:
                precision = self._loaded_precision  # seconds from the CLI stay as they were
        if not self.unknown_box.isChecked() and self.end_box.isChecked():
            end = self.end_edit.read()
            ends_ms = self._loaded_end if end is None else instant(end, self.zone)
            ends_ms = None if ends_ms is None else self._kept(ends_ms, self._loaded_end)
        police = self.police_box.isChecked()
        words = {name: line.text().strip() for name, line in self._lines().items()}
        if not police:
            words.update(agency="", officer="", report_number="")
        words.update({name: text.toPlainText().strip() for name, text in self._texts().items()})
        return NewIncident(
            occurred_ms=start_ms,
            time_precision=precision,
            ends_ms=ends_ms,
            category=IncidentCategory(self.category_box.currentData() or IncidentCategory.OTHER),
            reported_to_police=police,
            **words,
        )

    @staticmethod
    def _kept(minute_ms: int, loaded: int | None) -> int:
        """A loaded time with seconds stays exact while its minute is not changed."""
        if loaded is not None and loaded - loaded % 60_000 == minute_ms:
            return loaded
        return minute_ms

    def check_dates(self) -> str:
        """Before a save: "" when every date in use reads; else the first one's reason
        (shown under it, and the field takes the focus)."""
        fields = [] if self.unknown_box.isChecked() else [self.start_edit]
        if fields and self.end_box.isChecked():
            fields.append(self.end_edit)
        for field in fields:
            if not field.check():
                return field.problem()
        return ""

    def _unread(self) -> bool:
        """A date in use that cannot be read: an unsaved change, never a saved value."""
        if self.unknown_box.isChecked():
            return False
        fields = [self.start_edit] + ([self.end_edit] if self.end_box.isChecked() else [])
        return any(field.problem() for field in fields)

    def linked_ids(self) -> tuple[int, ...]:
        return tuple(view.id for view in self._linked)

    def is_dirty(self) -> bool:
        return self._loaded is not None and (
            self._unread() or self._loaded != (self.form_incident(), self.linked_ids())
        )

    def has_words(self) -> bool:
        """Anything typed at all: a new incident with words must not be dropped."""
        form = self.form_incident()
        return any(getattr(form, name) for name in (*self._lines(), *self._texts()))

    # ----- links -----------------------------------------------------------------------

    def add_links(self, views: Sequence[EntryView]) -> int:
        known = set(self.linked_ids())
        fresh = [v for v in views if v.id not in known and v.kind != EntryKind.INCIDENT]
        if fresh:
            merged = self._linked + fresh
            merged.sort(key=lambda v: (v.occurred_ms is None, v.occurred_ms or 0, v.id))
            self._set_linked(merged)
            self._changed()
        return len(fresh)

    def remove_links(self, entry_ids: Sequence[int]) -> int:
        gone = set(entry_ids)
        kept = [v for v in self._linked if v.id not in gone]
        removed = len(self._linked) - len(kept)
        if removed:
            self._set_linked(kept)
            self._changed()
        return removed

    def remove_selected_links(self) -> None:
        ids = [int(item.data(ID_ROLE)) for item in self.linked_list.selectedItems()]
        row = self.linked_list.currentRow()
        if ids and self.remove_links(ids):
            self.linked_list.setCurrentRow(min(row, self.linked_list.count() - 1))
            self.linked_list.setFocus()

    def _set_linked(self, views: list[EntryView]) -> None:
        self._linked = views
        self.linked_list.clear()
        for view in views:
            item = QListWidgetItem(entry_line(view, self.zone))
            item.setData(ID_ROLE, view.id)
            item.setToolTip(shorten(view.summary_line(), 300))
            self.linked_list.addItem(item)
        if not views:
            placeholder = QListWidgetItem(self.tr("Nothing linked yet."))
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            self.linked_list.addItem(placeholder)
        self._update_enabled()

    # ----- state -----------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.linked_list.viewport() and isinstance(event, QDropEvent):
            # Enter, move and drop (QDropEvent is the base of all three) are handled
            # here, before QListWidget, whose own model takes no drops.
            ids = entry_ids_from_mime(event.mimeData())
            if not ids:
                event.ignore()
                return True
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            if event.type() == QEvent.Type.Drop:
                self.entries_dropped.emit(ids)
            return True
        if (
            watched is self.linked_list
            and event.type() == QEvent.Type.KeyPress
            and event.matches(QKeySequence.StandardKey.Delete)  # type: ignore[attr-defined]
        ):
            self.remove_selected_links()
            return True
        return super().eventFilter(watched, event)

    def _end_toggled(self, on: bool) -> None:
        """Ticked: the end starts as the start's time, to be changed (never invented
        empty-handed); unticked, it is emptied."""
        if self._filling:
            return
        start = self.start_edit.read()
        moment = start.moment() if start is not None else None
        self.end_edit.set_value(moment if on else None)

    def _update_enabled(self) -> None:
        known = not self.unknown_box.isChecked()
        self.start_edit.setEnabled(known)
        self.approximate_box.setEnabled(known)
        self.end_box.setEnabled(known)
        self.end_edit.setEnabled(known and self.end_box.isChecked())
        self.police_details.setVisible(self.police_box.isChecked())
        chosen = self.linked_list.selectedItems()
        self.remove_button.setEnabled(any(i.flags() & Qt.ItemFlag.ItemIsEnabled for i in chosen))

    def _changed(self) -> None:
        if not self._filling:
            self.edited.emit()
