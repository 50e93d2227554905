"""The parts the incident form is made of: the words for each kind of incident, its
layouts, and its fields, each made one way so every field behaves alike.

Times are typed as wall-clock times in the vault's zone
(:class:`~nco_desktop.ui.common.typed_date_field.TypedDateField` reads them), so the
laptop's own zone never moves them, and turned into instants with
:func:`nco_desktop.timekeeping.local_to_ms`.
"""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QBoxLayout,
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
from nco_desktop.typed_dates import Understood, Want
from nco_desktop.ui.common.typed_date_field import TypedDateField


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


def date_field(name: str, want: Want, parent: QWidget) -> TypedDateField:
    """A typed date (and time), read in the vault's zone and shown back in words."""
    return TypedDateField(name, want, parent, required=True)


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


def wall_clock(ms: int, zone: ZoneInfo) -> datetime:
    """An instant as the wall-clock time (naive) it was in *zone*."""
    return from_ms(ms).astimezone(zone).replace(tzinfo=None)


def instant(found: Understood, zone: ZoneInfo) -> int:
    """The instant a typed day (at its start when no time was given) means in *zone*."""
    assert found.day is not None
    clock = found.clock or time.min
    naive = datetime.combine(found.day, clock.replace(second=0, microsecond=0))
    return local_to_ms(naive, zone)[0]
