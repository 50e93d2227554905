"""The parts the incident form is made of: the words for each kind of incident, its
layouts, and its fields, each made one way so every field behaves alike.

Times are edited as wall-clock times in the vault's zone: the edit itself is kept in
UTC, so the laptop's own zone and its daylight-saving gaps never move them, and turned
into instants with :func:`nco_desktop.timekeeping.local_to_ms`.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QTime, QTimeZone
from PySide6.QtWidgets import (
    QBoxLayout,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.case.incidents import MAX_SHORT_CHARS, IncidentCategory
from nco_desktop.timekeeping import from_ms, local_to_ms


def category_label(category: IncidentCategory) -> str:
    words = {
        IncidentCategory.CALLS_TEXTS: "Calls or texts",
        IncidentCategory.THREATS_ONLINE: "Threats online",
        IncidentCategory.FOLLOWING: "Following or showing up",
        IncidentCategory.RUMOURS_LETTERS: "Rumours or intimidating letters",
        IncidentCategory.IN_PERSON: "In-person contact",
        IncidentCategory.PROPERTY_DAMAGE: "Property damage",
        IncidentCategory.ORDER_VIOLATION: "Possible order violation",
        IncidentCategory.OTHER: "Other",
    }
    return QCoreApplication.translate("IncidentEditor", words[category])


# ----- layouts ---------------------------------------------------------------------------


def box(*items: QWidget | QLayout | int, row: bool = False, spacing: int = 4) -> QBoxLayout:
    """A column (or *row*) of widgets and layouts; an int is a stretch."""
    layout: QBoxLayout = QHBoxLayout() if row else QVBoxLayout()
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(spacing if not row else 8)
    for item in items:
        if isinstance(item, int):
            layout.addStretch(item)
        elif isinstance(item, QWidget):
            layout.addWidget(item)
        else:
            layout.addLayout(item)
    return layout


def buddy_label(text: str, field: object, parent: QWidget, *, bold: bool = False) -> QLabel:
    """A label whose mnemonic (the letter after "&") moves focus to *field*."""
    label = QLabel(text, parent)
    if isinstance(field, QWidget):
        label.setBuddy(field)
    if bold:
        font = label.font()
        font.setBold(True)
        label.setFont(font)
    return label


# ----- fields ----------------------------------------------------------------------------


def date_edit(name: str, parent: QWidget) -> QDateTimeEdit:
    """A date and time, as a wall clock (see :func:`to_edit`), with a calendar."""
    edit = QDateTimeEdit(parent)
    edit.setTimeZone(QTimeZone.utc())  # a wall clock; the vault's zone is applied in Python
    edit.setDisplayFormat("ddd MMM d, yyyy   h:mm AP")
    edit.setCalendarPopup(True)
    edit.setAccessibleName(name)
    return edit


def line_edit(placeholder: str, name: str, parent: QWidget) -> QLineEdit:
    """One line of the incident's words, held to what the vault takes."""
    line = QLineEdit(parent)
    line.setPlaceholderText(placeholder)
    line.setMaxLength(MAX_SHORT_CHARS)
    line.setClearButtonEnabled(True)
    line.setAccessibleName(name)
    return line


def text_edit(placeholder: str, name: str, lines: int, parent: QWidget) -> QPlainTextEdit:
    """Several lines of the incident's words, *lines* high."""
    text = QPlainTextEdit(parent)
    text.setPlaceholderText(placeholder)
    text.setAccessibleName(name)
    text.setTabChangesFocus(True)  # Tab moves on; the keyboard never gets stuck here
    text.setFixedHeight(text.fontMetrics().lineSpacing() * lines + 14)
    return text


def to_edit(ms: int, zone: ZoneInfo) -> QDateTime:
    """An instant as the wall-clock time a :func:`date_edit` shows in *zone*."""
    moment = from_ms(ms).astimezone(zone)
    return QDateTime(
        QDate(moment.year, moment.month, moment.day),
        QTime(moment.hour, moment.minute),
        QTimeZone.utc(),
    )


def from_edit(edit: QDateTimeEdit, zone: ZoneInfo) -> int:
    """The instant a :func:`date_edit`'s wall-clock time means in *zone*."""
    value = edit.dateTime()
    day, clock = value.date(), value.time()
    naive = datetime(day.year(), day.month(), day.day(), clock.hour(), clock.minute())
    return local_to_ms(naive, zone)[0]
