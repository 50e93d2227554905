"""Typed dates through the real editors (issue #13): what is typed is what is saved, in
the vault's zone, and what cannot be read is refused in words — never misread quietly.

Each of the three reported defects is typed here key by key, as a user does: with the
old QDateTimeEdit/QDateEdit fields "Dec 10, 2026 9:30 AM" became 2:30 AM on the
hearing, "12/1/2017" left the incident at today's date and time, and
"Dec 2, 2017 11:30 PM" became Dec 20, 2026.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from nco_desktop.case.details import case_fields
from nco_desktop.case.hearing import hearing_words, offered_hearing
from nco_desktop.case.incidents import list_incidents
from nco_desktop.case.orders import list_orders
from nco_desktop.evidence.records import TimePrecision
from nco_desktop.timekeeping import to_ms
from nco_desktop.typed_dates import Want
from nco_desktop.ui.binder.case_details_form import CaseDetailsForm
from nco_desktop.ui.common.typed_date_field import (
    ERROR_ON_DARK,
    ERROR_ON_LIGHT,
    TypedDateField,
)
from nco_desktop.ui.incidents.incidents_page import IncidentsPage
from nco_desktop.ui.people.people_page import PeoplePage
from nco_desktop.ui.shell.app import dark_palette
from nco_desktop.ui.shell.case_banner import CaseBanner

CHICAGO = ZoneInfo("America/Chicago")  # the test vault's zone: month first


def shown(qtbot, widget, size=(1000, 650)):
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def type_into(qtbot, field: TypedDateField, text: str) -> None:
    """Select what the field holds and type over it, then leave it (Tab)."""
    field.line.setFocus()
    field.line.selectAll()
    qtbot.keyClicks(field.line, text)
    qtbot.keyClick(field.line, Qt.Key.Key_Tab)


@pytest.fixture
def incidents(qtbot, vault, session) -> IncidentsPage:
    page = shown(qtbot, IncidentsPage(session))
    session.open(vault)
    page.new_incident()
    return page


@pytest.fixture
def people(qtbot, vault, session) -> PeoplePage:
    page = shown(qtbot, PeoplePage(session))
    session.open(vault)
    return page


# ----- the hearing: 9:30 AM stays 9:30 AM, on the banner and on the cover -------------------


def test_a_typed_hearing_keeps_its_time_on_the_banner_and_cover(qtbot, vault, people):
    people.add_order()
    editor = people.order_editor
    type_into(qtbot, editor.hearing, "Dec 10, 2026 9:30 AM")
    assert editor.hearing.reading.text() == "Thursday, Dec 10, 2026, 9:30 AM CST"
    assert editor.save(), editor.status.text()
    (order,) = list_orders(vault.conn)
    assert order.hearing_at == datetime(2026, 12, 10, 9, 30)  # was 02:30

    banner = CaseBanner()
    qtbot.addWidget(banner)
    banner.refresh(vault, today=date(2026, 12, 1))
    assert "Hearing in 9 days" in banner.text.text()
    assert "9:30" in banner.text.text() and "2:30" not in banner.text.text()

    offered = offered_hearing(vault, datetime(2026, 12, 1, tzinfo=CHICAGO))
    assert offered is not None and offered.hearing_at is not None
    assert hearing_words(offered.hearing_at) == ("Thursday, December 10, 2026", "9:30 AM")


def test_the_hearing_typed_on_the_cover_is_printed_as_understood(qtbot, vault):
    form = shown(qtbot, CaseDetailsForm(), (700, 900))
    form.load(vault)
    type_into(qtbot, form.hearing_field, "Dec 10, 2026 9:30 AM")
    assert form.hearing_field.reading.text() == "Thursday, Dec 10, 2026, 9:30 AM CST"
    assert form.hearing_time_field.reading.text() == "9:30 AM, from the hearing date"
    assert form.save(), form.status.text()
    cover = case_fields(vault)  # what the binder's cover prints
    assert (cover["hearing"], cover["hearing_time"]) == ("Thursday, December 10, 2026", "9:30 AM")
    assert form.fields["hearing"].text() == "Thursday, December 10, 2026"
    assert form.fields["hearing_time"].text() == "9:30 AM"
    assert form.hearing_time_field.reading.text() == "9:30 AM CST"  # the day's own zone name

    type_into(qtbot, form.hearing_time_field, "10:15 am")
    type_into(qtbot, form.hearing_field, "12/10/2026 9:30 AM")
    assert not form.save()  # two times: which one is meant is not guessed
    assert "says 9:30 AM and the time says 10:15 AM" in form.status.text()
    assert case_fields(vault)["hearing_time"] == "9:30 AM"

    type_into(qtbot, form.hearing_field, "12/45/2026")
    assert not form.save()
    assert "December 2026 has 31 days" in form.status.text()
    assert form.hearing_field.is_problem_shown()
    assert form.focusWidget() is form.hearing_field.line  # to be put right
    assert case_fields(vault)["hearing"] == "Thursday, December 10, 2026"


def test_a_hearing_without_its_time_is_refused_not_given_one(qtbot, vault, people):
    people.add_order()
    editor = people.order_editor
    type_into(qtbot, editor.hearing, "Dec 10, 2026")
    assert editor.hearing.is_problem_shown()
    assert "has no time" in editor.hearing.reading.text()
    assert editor.is_dirty()
    assert not editor.save()
    assert "Dec 10, 2026 9:30 AM" in editor.status.text()  # an example with its own day
    assert list_orders(vault.conn) == []


# ----- incidents: "12/1/2017" is December 1, 2017; 11:30 PM is that night ------------------


def test_a_numeric_incident_date_is_saved_as_that_day(qtbot, vault, incidents):
    editor = incidents.editor
    type_into(qtbot, editor.start_edit, "12/1/2017")
    assert editor.start_edit.reading.text() == "Friday, Dec 1, 2017 — read month first"
    editor.summary_edit.setText("Letter on my car")
    assert incidents.save(), incidents.status.text()
    (incident,) = list_incidents(vault.conn)
    assert incident.occurred_ms == to_ms(datetime(2017, 12, 1, tzinfo=CHICAGO))
    assert incident.time_precision is TimePrecision.DAY  # the day only: no time invented
    assert editor.start_edit.text() == "Dec 1, 2017"  # shown again as typed: a day
    assert editor.approximate_box.isChecked()
    assert not editor.is_dirty()


def test_an_incident_at_11_30_pm_is_that_night_in_the_vault_zone(qtbot, vault, incidents):
    editor = incidents.editor
    type_into(qtbot, editor.start_edit, "Dec 2, 2017 11:30 PM")
    assert editor.start_edit.reading.text() == "Saturday, Dec 2, 2017, 11:30 PM CST"
    editor.summary_edit.setText("Calls all night")
    assert incidents.save(), incidents.status.text()
    (incident,) = list_incidents(vault.conn)
    assert incident.occurred_ms == to_ms(datetime(2017, 12, 2, 23, 30, tzinfo=CHICAGO))
    assert incident.time_precision is TimePrecision.MINUTE
    assert editor.start_edit.text() == "Dec 2, 2017 11:30 PM"


def test_an_unreadable_incident_date_stops_the_save_in_words(qtbot, vault, incidents):
    editor = incidents.editor
    editor.start_edit.line.setFocus()
    editor.start_edit.line.selectAll()
    qtbot.keyClicks(editor.start_edit.line, "12/45/2017")
    assert not editor.start_edit.is_problem_shown()  # not while still typing
    editor.summary_edit.setText("Waited outside")
    assert editor.is_dirty()
    assert not incidents.save()
    said = "Could not read “12/45/2017” as a date: December 2017 has 31 days."
    assert said in incidents.status.text()
    assert editor.start_edit.reading.text() == said
    assert editor.start_edit.is_problem_shown()
    assert incidents.focusWidget() is editor.start_edit.line  # to be put right
    assert list_incidents(vault.conn) == []
    # Switching away does not drop the words, nor save a guess.
    assert not incidents.commit_pending_edits()
    assert list_incidents(vault.conn) == []


def test_an_incident_end_is_typed_too(qtbot, vault, incidents):
    editor = incidents.editor
    type_into(qtbot, editor.start_edit, "Dec 2, 2017 9 pm")
    editor.end_box.setChecked(True)
    assert editor.end_edit.text() == "Dec 2, 2017 9:00 PM"  # starts where it began
    type_into(qtbot, editor.end_edit, "Dec 2, 2017 11:30 PM")
    editor.summary_edit.setText("Parked outside")
    assert incidents.save(), incidents.status.text()
    (incident,) = list_incidents(vault.conn)
    assert incident.ends_ms == to_ms(datetime(2017, 12, 2, 23, 30, tzinfo=CHICAGO))


# ----- the field itself --------------------------------------------------------------------


def test_a_day_first_vault_reads_day_first(qtbot):
    field = TypedDateField("Date", Want.DAY)
    qtbot.addWidget(field)
    field.set_zone(ZoneInfo("Europe/London"))
    field.set_text("1/12/2017")
    assert field.day() == date(2017, 12, 1)
    assert field.reading.text() == "Friday, 1 Dec 2017 — read day first"
    field.set_value(date(2017, 12, 1))
    assert field.text() == "1 Dec 2017"
    assert field.line.accessibleName() == "Date"
    assert field.line.accessibleDescription() == "Friday, 1 Dec 2017"


def _luminance(colour: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def _contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_refusal_is_readable_in_light_and_dark(qtbot):
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QApplication

    field = TypedDateField("Date", Want.DAY)
    qtbot.addWidget(field)
    field.set_text("12/45/2017")
    assert field.is_problem_shown()
    light = QApplication.style().standardPalette()
    for palette, colour in ((light, ERROR_ON_LIGHT), (dark_palette(), ERROR_ON_DARK)):
        field.setPalette(palette)
        assert field.error_colour() == colour
        window = palette.color(QPalette.ColorRole.Window)
        assert _contrast(QColor(colour), window) >= 4.5, colour
        assert colour in field.reading.styleSheet()
