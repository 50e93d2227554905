"""The timeline's filters, and the bar that jumps the list to a date.

Kept apart from :mod:`timeline_page` (queries, selection, actions), which reads the
filters as one :class:`~nco_desktop.timeline.query.TimelineQuery` and is told when
they change. The kind and date boxes ignore the mouse wheel unless they have the
keyboard focus (:func:`~nco_desktop.ui.common.wheel_guard.guard_wheel`): scrolling past
them must not filter the list without the user noticing.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.evidence.records import EntryKind
from nco_desktop.timeline.paging import day_range_ms
from nco_desktop.timeline.query import TimelineQuery
from nco_desktop.typed_dates import Want
from nco_desktop.ui.common.entry_words import kind_name
from nco_desktop.ui.common.icons import icon
from nco_desktop.ui.common.typed_date_field import TypedDateField
from nco_desktop.ui.common.wheel_guard import guard_wheel
from nco_desktop.ui.timeline.timeline_view import qdate
from nco_desktop.ui.timeline.timeline_words import date_format


class FilterBar(QWidget):
    """Two rows: words and kind; person, a date range and Clear filters.

    ``typed`` asks for the list after a pause in typing, ``changed`` at once,
    ``submitted`` at once and then the keyboard on the list (Enter in a field).
    """

    typed = Signal()
    changed = Signal()
    submitted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.text_field = QLineEdit(self)
        self.text_field.setPlaceholderText(
            self.tr("Search words in messages, notes, pictures and file names")
        )
        self.text_field.setAccessibleName(self.tr("Search text"))
        self.text_field.setClearButtonEnabled(True)
        self.kind_box = QComboBox(self)
        self.kind_box.setAccessibleName(self.tr("Kind of entry"))
        self.party_field = QLineEdit(self)
        self.party_field.setPlaceholderText(self.tr("Person or number"))
        # Never squeezed to "P…" (seen at 200 %): the dates give way first.
        hint = self.party_field.fontMetrics().horizontalAdvance(self.tr("Person or number"))
        self.party_field.setMinimumWidth(hint + 12)
        self.party_field.setAccessibleName(self.tr("Person"))
        self.party_field.setClearButtonEnabled(True)
        self.since_check = QCheckBox(self.tr("From"), self)
        self.since_edit = self._date_edit(self.tr("From date"))
        self.until_check = QCheckBox(self.tr("To"), self)
        self.until_edit = self._date_edit(self.tr("To date"))
        self.clear_button = QPushButton(self.tr("Clear filters"), self)
        self.jump_button = QPushButton(self.tr("Go to date…"), self)
        self.jump_button.setToolTip(
            self.tr("Scroll the list to a day, keeping the filters (Ctrl+G)")
        )
        self.fill_kind_box()
        guard_wheel(self.kind_box, self.since_edit, self.until_edit)

        first = QHBoxLayout()
        first.setContentsMargins(0, 0, 0, 0)
        first.addWidget(self.text_field, 3)
        first.addWidget(self.party_field, 2)  # beside the words: the dates need their row
        first.addWidget(self.kind_box)
        first.addWidget(self.jump_button)
        second = QHBoxLayout()
        second.setContentsMargins(0, 0, 0, 0)
        second.addWidget(self.since_check)
        second.addWidget(self.since_edit)
        second.addWidget(self.until_check)
        second.addWidget(self.until_edit)
        second.addSpacing(6)
        second.addWidget(self.clear_button)
        second.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(first)
        layout.addLayout(second)

        self.text_field.textChanged.connect(self.typed)
        self.party_field.textChanged.connect(self.typed)
        self.text_field.returnPressed.connect(self.submitted)
        self.party_field.returnPressed.connect(self.submitted)
        self.kind_box.currentIndexChanged.connect(self.changed)
        self.since_check.toggled.connect(self.changed)
        self.until_check.toggled.connect(self.changed)
        self.since_edit.dateChanged.connect(lambda: self._date_edited(self.since_check))
        self.until_edit.dateChanged.connect(lambda: self._date_edited(self.until_check))

    def active(self) -> bool:
        return bool(
            self.text_field.text().strip()
            or self.party_field.text().strip()
            or self.kind_box.currentData()
            or self.since_check.isChecked()
            or self.until_check.isChecked()
        )

    def query(self, zone: ZoneInfo | None) -> TimelineQuery:
        """The filters as a query; days are whole days in *zone* (the vault's)."""
        kind = self.kind_box.currentData()
        since = self.since_edit.date().toPython() if self.since_check.isChecked() else None
        until = self.until_edit.date().toPython() if self.until_check.isChecked() else None
        since_ms = until_ms = None
        if zone is not None and (since or until):
            since_ms, until_ms = day_range_ms(
                zone,
                since if isinstance(since, date) else None,
                until if isinstance(until, date) else None,
            )
        return TimelineQuery(
            kinds=frozenset({EntryKind(kind)}) if kind else frozenset(),
            since_ms=since_ms,
            until_ms=until_ms,
            party=self.party_field.text().strip() or None,
            text=self.text_field.text().strip() or None,
        )

    def reset(self, first: date | None, last: date | None) -> None:
        """Every filter off, quietly; the date boxes on the first and last day shown."""
        with self._quiet():
            self.text_field.clear()
            self.party_field.clear()
            self.kind_box.setCurrentIndex(0)
            self.since_check.setChecked(False)
            self.until_check.setChecked(False)
            today = QDate.currentDate()
            self.since_edit.setDate(qdate(first) if first else today)
            self.until_edit.setDate(qdate(last) if last else today)

    def follow_span(self, first: date | None, last: date | None) -> None:
        """A date box not in use moves to the new first or last day, so ticking it
        after an import starts from the evidence, not from a stale day."""
        for check, edit, day in (
            (self.since_check, self.since_edit, first),
            (self.until_check, self.until_edit, last),
        ):
            if not check.isChecked() and day is not None:
                edit.blockSignals(True)
                edit.setDate(qdate(day))
                edit.blockSignals(False)

    def show_days(self, since: date, until: date) -> None:
        """Only *since* … *until* (the other filters off): "show in timeline"."""
        with self._quiet():
            self.text_field.clear()
            self.party_field.clear()
            self.kind_box.setCurrentIndex(0)
            self.since_edit.setDate(qdate(since))
            self.until_edit.setDate(qdate(until))
            self.since_check.setChecked(True)
            self.until_check.setChecked(True)
        self.changed.emit()

    def fill_kind_box(self) -> None:
        """The kinds with their icons (again after a palette change: icons are tinted)."""
        current = self.kind_box.currentIndex()
        self.kind_box.blockSignals(True)
        self.kind_box.clear()
        self.kind_box.addItem(self.tr("All kinds"), "")
        for kind in EntryKind:
            self.kind_box.addItem(icon(f"kind-{kind.value}"), kind_name(kind), kind.value)
        self.kind_box.setCurrentIndex(max(current, 0))
        self.kind_box.blockSignals(False)

    def _date_edited(self, check: QCheckBox) -> None:
        if check.isChecked():
            self.changed.emit()
        else:
            check.setChecked(True)  # applies through toggled

    def _date_edit(self, accessible_name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setAccessibleName(accessible_name)
        edit.setDisplayFormat(date_format(self.locale()))
        return edit

    def _quiet(self) -> _Quiet:
        return _Quiet(
            self.text_field,
            self.party_field,
            self.kind_box,
            self.since_check,
            self.until_check,
            self.since_edit,
            self.until_edit,
        )


class _Quiet:
    """Block the signals of some widgets for a ``with`` block (changes made by the
    program, applied once by the caller, not once per widget)."""

    def __init__(self, *widgets: QWidget) -> None:
        self._widgets = widgets

    def __enter__(self) -> None:
        for widget in self._widgets:
            widget.blockSignals(True)

    def __exit__(self, *_exc: object) -> None:
        for widget in self._widgets:
            widget.blockSignals(False)


class JumpBar(QWidget):
    """ "Go to date: [typed date] [Go] [×]" above the list, shown by Ctrl+G or the
    button: a day typed in words scrolls the list there without touching the filters.
    Enter goes, Esc closes; the typed field says what it read, or why it cannot."""

    jump_requested = Signal(object)  # date
    closed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        label = QLabel(self.tr("Go to &date"), self)
        self.field = TypedDateField(self.tr("Date to go to"), Want.DAY, self, required=True)
        self.field.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        label.setBuddy(self.field.line)
        self.go_button = QPushButton(self.tr("Go"), self)
        self.close_button = QToolButton(self)
        self.close_button.setText("×")
        self.close_button.setAutoRaise(True)
        self.close_button.setAccessibleName(self.tr("Close Go to date"))
        self.close_button.setToolTip(self.tr("Close (Esc)"))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        row.addWidget(label, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.field, 3)
        row.addWidget(self.go_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.close_button, 0, Qt.AlignmentFlag.AlignTop)
        row.addStretch(1)
        self.field.edited.connect(self._fit)
        self.field.line.returnPressed.connect(self.go)
        self.go_button.clicked.connect(self.go)
        self.close_button.clicked.connect(self.close_bar)
        self.hide()

    def open_bar(self, zone: ZoneInfo) -> None:
        self.field.set_zone(zone)
        self.show()
        self.field.line.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.field.line.selectAll()

    def _fit(self) -> None:
        """As tall as the field's reading needs once wrapped (a refusal can take two
        lines): the page's layout asks only for the bar's one-line hint otherwise."""
        layout = self.field.layout()
        width = self.field.width()
        if layout is not None and width > 0:
            self.setMinimumHeight(max(layout.heightForWidth(width), self.go_button.height()))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def go(self) -> None:
        checked = self.field.check()
        self._fit()
        if not checked:
            return  # the field says why and keeps the focus
        day = self.field.day()
        if day is not None:
            self.jump_requested.emit(day)

    def close_bar(self) -> None:
        self.hide()
        self.closed.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close_bar()
            event.accept()
            return
        super().keyPressEvent(event)
