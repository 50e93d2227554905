"""The Incidents view on real vaults: write, link, edit, unlink, lock — and nothing leaks."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QListWidget, QPlainTextEdit

from nco_desktop.case.incident_edits import get_incident
from nco_desktop.case.incidents import (
    IncidentCategory,
    NewIncident,
    add_incident,
    list_incidents,
)
from nco_desktop.evidence.records import (
    Direction,
    EntryKind,
    NewEntry,
    TimePrecision,
    TimeSource,
)
from nco_desktop.evidence.store import add_entry
from nco_desktop.timekeeping import to_ms
from nco_desktop.timeline.query import TimelineQuery, iter_entries
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.entry_mime import ENTRY_IDS_MIME
from nco_desktop.ui.common.evidence_picker import EvidencePicker
from nco_desktop.ui.common.session import Change
from nco_desktop.ui.incidents.incidents_page import IncidentsPage
from nco_desktop.vault import Vault
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE

CHICAGO = ZoneInfo("America/Chicago")
PRIVATE = "Advocate said: stay at my sister's on Elm St"
T0 = to_ms(datetime(2025, 11, 10, 22, 15, tzinfo=CHICAGO))


def seed(vault: Vault) -> list[int]:
    ids: list[int] = []
    with vault.change() as change:
        for n, text in enumerate(("Answer your phone.", "I know where you work.", "Pick up")):
            entry_id = add_entry(
                change,
                NewEntry(
                    kind=EntryKind.MESSAGE,
                    occurred_ms=T0 + n * 60_000,
                    time_source=TimeSource.EXPORT_FIELD,
                    direction=Direction.INCOMING,
                    party="+13125550147",
                    party_name="Jordan",
                    text=text,
                ),
            )
            assert entry_id is not None
            ids.append(entry_id)
        change.audit("test.seed")
    return ids


@pytest.fixture
def page(qtbot, vault, session):
    widget = IncidentsPage(session)
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    widget.session.open(vault)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.session.detach()


def set_when(page: IncidentsPage, y: int, mo: int, d: int, h: int, mi: int) -> None:
    """Type the time as a user would (month first: the test vault is in Chicago)."""
    page.editor.start_edit.set_text(f"{mo}/{d}/{y} {h}:{mi:02d}")


def fill(page: IncidentsPage) -> None:
    editor = page.editor
    set_when(page, 2025, 11, 10, 21, 40)
    editor.summary_edit.setText("Waited in the staff lot")
    editor.category_box.setCurrentIndex(editor.category_box.findData(IncidentCategory.FOLLOWING))
    editor.location_edit.setText("Staff parking lot")
    editor.what_edit.setPlainText("His car followed me from home and parked behind me.")
    editor.witnesses_edit.setPlainText("Priya Shah (co-worker)")
    editor.police_box.setChecked(True)
    editor.agency_edit.setText("Springfield PD")
    editor.officer_edit.setText("Ofc. Diaz")
    editor.report_edit.setText("25-10433")
    editor.impact_edit.setPlainText("I was shaking and could not work.")
    editor.private_edit.setPlainText(PRIVATE)


def every_text(widget) -> str:
    parts = [label.text() for label in widget.findChildren(QLabel)]
    parts += [line.text() for line in widget.findChildren(QLineEdit)]
    parts += [edit.toPlainText() for edit in widget.findChildren(QPlainTextEdit)]
    for view in widget.findChildren(QListWidget):
        parts += [view.item(row).text() for row in range(view.count())]
    return "\n".join(parts)


def audit_text(vault: Vault) -> str:
    rows = vault.conn.execute("SELECT action, details_json FROM audit_log ORDER BY seq")
    return "\n".join(f"{a} {d}" for a, d in rows)


def test_create_link_edit_unlink_and_reopen(qtbot, page, vault, vault_path):
    a, b, c = seed(vault)
    assert "No incidents yet" in page.empty.text()
    page.new_incident()
    fill(page)
    assert page.link_entries([a, b]) == 2
    assert page.link_entries([a]) == 0  # already there
    assert page.editor.is_dirty()
    with qtbot.waitSignal(page.changed):
        assert page.save()

    (incident,) = list_incidents(vault.conn)
    assert incident.summary == "Waited in the staff lot"
    assert incident.category is IncidentCategory.FOLLOWING
    assert incident.occurred_ms == to_ms(datetime(2025, 11, 10, 21, 40, tzinfo=CHICAGO))
    assert incident.time_precision is TimePrecision.MINUTE
    assert (incident.agency, incident.officer, incident.report_number) == (
        "Springfield PD",
        "Ofc. Diaz",
        "25-10433",
    )
    assert incident.private_notes == PRIVATE
    assert incident.evidence_entry_ids == (a, b)
    assert page.list.count() == 1
    assert "Waited in the staff lot" in page.list.item(0).text()
    (entry,) = iter_entries(vault.conn, TimelineQuery(kinds=frozenset({EntryKind.INCIDENT})))
    assert entry.id == incident.id and entry.text == "Waited in the staff lot"
    assert not page.editor.is_dirty()

    # edit: approximate time, an end, new words; unlink one item and link another
    page.editor.approximate_box.setChecked(True)
    page.editor.end_box.setChecked(True)
    assert page.editor.end_edit.text() == "Nov 10, 2025 9:40 PM"  # the end starts at the start
    page.editor.end_edit.set_text("Nov 10, 2025 10:30 PM")
    page.editor.summary_edit.setText("Followed me to work")
    page.editor.linked_list.setCurrentRow(0)  # a
    page.editor.remove_selected_links()
    assert page.unlink_entries([999]) == 0
    page.link_entries([c])
    audit_rows = vault.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    assert page.save()
    assert vault.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_rows + 1

    vault.close()
    with Vault.open(vault_path, PASSPHRASE) as again:
        saved = get_incident(again.conn, incident.id)
        assert saved.summary == "Followed me to work"
        assert saved.time_precision is TimePrecision.DAY
        assert saved.ends_ms == to_ms(datetime(2025, 11, 10, 22, 30, tzinfo=CHICAGO))
        assert saved.evidence_entry_ids == (b, c)
        text = audit_text(again)
        assert "incident.added" in text and "incident.edited" in text
        for words in (PRIVATE, "Springfield", "staff lot", "Priya", "shaking", "Followed me"):
            assert words not in text
        assert verify_vault(again).intact
        page.session.open(again)
        assert "Followed me to work" in page.list.item(0).text()
        page.list.setCurrentRow(0)
        assert page.editor.private_edit.toPlainText() == PRIVATE
        assert page.editor.approximate_box.isChecked()
        page.session.detach()


def test_switching_and_locking_save_pending_edits(page, vault):
    page.new_incident()
    page.editor.summary_edit.setText("First")
    assert page.save()
    page.new_incident()
    page.editor.what_edit.setPlainText("Letter under my wiper.\nIt said I'd regret it.")
    page.list.setCurrentRow(0)  # moving away saves the new one, with a stand-in summary
    summaries = [i.summary for i in list_incidents(vault.conn)]
    assert "Letter under my wiper." in summaries
    assert page.editor.summary_edit.text() == "First"
    assert page.list.currentItem().text().endswith("First")  # the one moved to
    assert len(page.list.selectedItems()) == 1
    page.editor.private_edit.setPlainText(PRIVATE)
    assert page.commit_pending_edits()  # what the window calls before locking
    first = next(i for i in list_incidents(vault.conn) if i.summary == "First")
    assert first.private_notes == PRIVATE
    assert PRIVATE not in audit_text(vault)
    # an untouched new incident is not saved
    page.new_incident()
    assert page.commit_pending_edits()
    assert len(list_incidents(vault.conn)) == 2


def test_explicit_save_asks_for_a_summary_and_discard_restores(page, vault):
    page.new_incident()
    page.editor.location_edit.setText("Bus stop")
    assert not page.save()
    assert "summary" in page.status.text()
    assert list_incidents(vault.conn) == []
    page.editor.summary_edit.setText("At the bus stop")
    assert page.save()
    page.editor.location_edit.setText("Somewhere else")
    prompts.answer_next(False)  # keep editing
    page.discard()
    assert page.editor.location_edit.text() == "Somewhere else"
    prompts.answer_next(True)
    page.discard()
    assert page.editor.location_edit.text() == "Bus stop"
    assert not page.editor.is_dirty()


def test_unknown_date_and_invalid_links(page, vault):
    (a, *_) = seed(vault)
    page.new_incident()
    page.editor.unknown_box.setChecked(True)
    assert not page.editor.approximate_box.isEnabled()
    page.editor.summary_edit.setText("A letter, some time in the autumn")
    assert page.save()
    (incident,) = list_incidents(vault.conn)
    assert incident.occurred_ms is None and incident.time_precision is TimePrecision.UNKNOWN
    assert "Date not known" in page.list.item(0).text()
    assert page.link_entries([incident.id]) == 0  # an incident is not evidence of one
    assert page.link_entries([a, 12345]) == 1  # a missing entry is skipped
    assert verify_vault(vault).intact


def test_lock_clears_every_widget(page, vault):
    ids = seed(vault)
    page.new_incident()
    fill(page)
    page.link_entries(ids[:2])
    assert page.save()
    shown = every_text(page)
    assert PRIVATE in shown and "Answer your phone." in shown
    page.session.detach()
    left = every_text(page)
    for words in (PRIVATE, "Answer your phone.", "Waited", "Springfield", "Priya", "25-10433"):
        assert words not in left
    assert page.list.count() == 0 and page.editor.linked_list.count() == 0
    assert not page.editor.private_edit.document().isUndoAvailable()
    assert page.right.currentIndex() == 0
    assert not page.new_button.isEnabled()


def test_picker_searches_filters_and_chooses(qtbot, page, vault):
    a, b, c = seed(vault)
    with vault.change() as change:
        add_entry(
            change,
            NewEntry(
                kind=EntryKind.CALL,
                occurred_ms=T0 + 10 * 86_400_000,
                time_source=TimeSource.EXPORT_FIELD,
                party="+13125550147",
            ),
        )
        change.audit("test.seed")
    picker = EvidencePicker(vault.conn, vault.time_zone, exclude=[c], near_ms=T0)
    qtbot.addWidget(picker)
    assert picker.list.count() == 2  # near the incident, c excluded, the late call not
    picker.near_box.setChecked(False)
    assert picker.list.count() == 3
    picker.kind_box.setCurrentIndex(picker.kind_box.findData(EntryKind.CALL))
    assert picker.list.count() == 1
    picker.kind_box.setCurrentIndex(0)
    picker.search_edit.setText("where you work")
    picker.refresh()  # what the typing pause triggers
    assert picker.list.count() == 1
    picker.search_edit.setText("5550147")  # a number finds by party
    picker.refresh()
    assert picker.list.count() == 3
    assert not picker.link_button.isEnabled()
    picker.list.item(0).setSelected(True)
    picker.list.item(1).setSelected(True)
    assert picker.link_button.isEnabled()
    assert picker.chosen_ids() == [a, b]

    page.new_incident()
    page.link_entries(picker.chosen_ids())
    assert page.editor.linked_ids() == (a, b)


def test_keyboard_delete_unlinks(qtbot, page, vault):
    a, b, _ = seed(vault)
    page.new_incident()
    page.link_entries([a, b])
    page.editor.linked_list.setFocus()
    page.editor.linked_list.setCurrentRow(1)
    qtbot.keyClick(page.editor.linked_list, Qt.Key.Key_Delete)
    assert page.editor.linked_ids() == (a,)


def test_an_exact_time_from_elsewhere_survives_an_edit(page, vault):
    exact = T0 + 12_345  # seconds and milliseconds, e.g. written by the command line
    incident_id = add_incident(
        vault,
        NewIncident(occurred_ms=exact, time_precision=TimePrecision.SECOND, summary="Call"),
    )
    page.session.notify(Change.INCIDENTS)  # written elsewhere: the shown view reads again
    assert page.open_incident(incident_id)
    assert not page.editor.is_dirty()
    page.editor.location_edit.setText("Home")
    assert page.save()
    saved = get_incident(vault.conn, incident_id)
    assert (saved.occurred_ms, saved.time_precision) == (exact, TimePrecision.SECOND)
    set_when(page, 2025, 11, 10, 23, 0)  # a new minute: typed to the minute now
    assert page.save()
    saved = get_incident(vault.conn, incident_id)
    assert saved.occurred_ms == to_ms(datetime(2025, 11, 10, 23, 0, tzinfo=CHICAGO))
    assert saved.time_precision is TimePrecision.MINUTE


def _drag_onto(target, data) -> tuple[bool, bool]:
    """A drag enter, move and drop on *target*, delivered as Qt delivers them."""
    from PySide6.QtCore import QPointF
    from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
    from PySide6.QtWidgets import QApplication

    at = QPointF(target.rect().center())
    actions, buttons = Qt.DropAction.CopyAction, Qt.MouseButton.LeftButton
    keys = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(at, actions, data, buttons, keys)
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return False, False
    QApplication.sendEvent(target, QDragMoveEvent(at, actions, data, buttons, keys))
    drop = QDropEvent(at, actions, data, buttons, keys)
    QApplication.sendEvent(target, drop)
    return True, drop.isAccepted()


def test_entries_dragged_from_the_timeline_are_linked(qtbot, page, vault):
    from PySide6.QtCore import QMimeData

    from nco_desktop.ui.timeline.timeline_model import TimelineModel

    a, _, c = seed(vault)
    timeline = TimelineModel()
    timeline.set_vault(vault)
    rows = [timeline.row_of_entry(i) for i in (c, a)]
    data = timeline.mimeData([timeline.index(row, 0) for row in rows])
    assert data.formats() == [ENTRY_IDS_MIME]  # ids only: no text leaves in a drag

    page.new_incident()
    fill(page)
    target = page.editor.linked_list.viewport()
    assert _drag_onto(target, data) == (True, True)
    assert set(page.editor.linked_ids()) == {a, c}
    assert _drag_onto(target, data) == (True, True)
    assert "Nothing new to link" in page.status.text()
    text = QMimeData()
    text.setText("I know where you work.")
    assert _drag_onto(target, text) == (False, False)  # words are not evidence
    assert page.save()
    (incident,) = list_incidents(vault.conn)
    assert set(incident.evidence_entry_ids) == {a, c}


def test_locking_while_an_incident_is_open_among_several(page, vault):
    ids = seed(vault)
    for summary in ("First", "Second", "Third"):
        add_incident(vault, NewIncident(occurred_ms=T0, summary=summary), ids[:1])
    page.session.notify(Change.INCIDENTS)  # written elsewhere: the shown view reads again
    page.list.setCurrentRow(0)  # opened by a click; the list then loses its rows
    assert page.right.currentIndex() == 1
    page.session.detach()
    assert page.list.count() == 0 and page.right.currentIndex() == 0


def test_entries_dropped_with_no_incident_open_start_one(qtbot, page, vault):
    from nco_desktop.ui.common.entry_mime import entry_ids_mime_data

    a, b, _ = seed(vault)
    assert page.right.currentIndex() == 0 and "drag evidence here" in page.empty.text()
    assert _drag_onto(page.empty, entry_ids_mime_data([b, a])) == (True, True)
    assert page.right.currentIndex() == 1 and page.title.text() == "New incident"
    assert set(page.editor.linked_ids()) == {a, b}
    assert list_incidents(vault.conn) == []  # nothing is saved until the user does
    page.editor.summary_edit.setText("Three texts in a row")
    assert page.save()
    (incident,) = list_incidents(vault.conn)
    assert set(incident.evidence_entry_ids) == {a, b}


def test_the_empty_side_never_says_no_incidents_when_there_are_some(qtbot, vault, session):
    """Seen in the screenshots: the page was opened before its list was read, and the
    right side kept saying "No incidents yet" beside a list of three."""
    from nco_desktop.case.incidents import NewIncident, add_incident

    add_incident(vault, NewIncident(1_700_000_000_000, summary="Followed me to work"))
    widget = IncidentsPage(session)
    qtbot.addWidget(widget)
    session.open(vault)  # opened while hidden, as when another view is on screen
    widget.show()
    qtbot.waitExposed(widget)
    qtbot.waitUntil(lambda: widget.list.count() == 1)
    assert "No incidents yet" not in widget.empty.text()
    assert "Choose an incident" in widget.empty.text()
