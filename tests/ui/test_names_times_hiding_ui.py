"""Issue #13 through the real widgets: the person's name on the timeline and in the
person filter, "Correct the time…" in the detail pane, hiding and Edit ▸ Undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel

from nco_desktop.case.people import IdentifierKind, NewPerson, Role, add_person
from nco_desktop.importers.batch import import_paths
from nco_desktop.timeline.query import TimelineQuery, iter_entries
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.session import Change
from nco_desktop.ui.common.undo_action import SessionUndo
from nco_desktop.ui.detail.detail_pane import DetailPane
from nco_desktop.ui.detail.time_dialog import CorrectTimeDialog
from nco_desktop.ui.timeline.timeline_page import TimelinePage
from tests.conftest import write_file
from tests.e2e.test_names_times_hiding import MTIME, SMS


@pytest.fixture
def case(vault, tmp_path):
    write_file(tmp_path / "in" / "sms-20240313.xml", SMS)
    write_file(tmp_path / "in" / "voicemail-notes.txt", "He called three times.", MTIME)
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    return vault


@pytest.fixture
def views(qtbot, case, session):
    page = TimelinePage(session)
    pane = DetailPane(session)
    for widget, size in ((page, (1100, 600)), (pane, (460, 760))):
        qtbot.addWidget(widget)
        widget.resize(*size)
        widget.show()
        qtbot.waitExposed(widget)
    session.open(case)
    return page, pane


def row_texts(page: TimelinePage) -> list[str]:
    model = page.model
    return [
        " ".join(str(model.index(r, c).data() or "") for c in range(model.columnCount()))
        for r in range(model.rowCount())
        if not model.is_header(r)
    ]


def label_texts(widget) -> str:
    return "\n".join(label.text() for label in widget.findChildren(QLabel))


def entry_id(vault, kind: str) -> int:
    return next(e.id for e in iter_entries(vault.conn, TimelineQuery()) if e.kind == kind)


def test_a_person_added_names_the_timeline_the_filter_and_the_pane(qtbot, views, case):
    page, pane = views
    assert any("Contact A" in text for text in row_texts(page))
    add_person(
        case, NewPerson(Role.RESTRAINED, "Sam Doe", ((IdentifierKind.PHONE, "312 555 0147"),))
    )
    with qtbot.waitSignal(page.counts_changed, timeout=3000):
        page.session.notify(Change.PEOPLE)  # what the People page says after a save
    rows = row_texts(page)
    assert sum("Sam Doe" in text for text in rows) == 2
    assert not any("Contact A" in text for text in rows)

    with qtbot.waitSignal(page.counts_changed, timeout=3000) as signal:
        page.party_field.setText("sam")
    assert signal.args[0] == 2

    pane.show_entry(entry_id(case, "message"))
    assert "Sam Doe (saved in the phone as “Contact A”)" in label_texts(pane)
    pane.grab().save("/tmp/hD_saved_as.png")


def test_correct_the_time_from_the_pane(qtbot, views, case):
    page, pane = views
    note = entry_id(case, "note")
    pane.show_entry(note)
    button = pane.entry_actions.time_button
    assert button is not None and button.text() == "Correct the time…"

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CorrectTimeDialog)
        dialog.when.set_text("3/12/2024 11:40 pm")
        dialog.save_button.click()  # no reason yet: refused, stays open
        assert dialog.isVisible() and "Say why" in dialog.problem.text()
        dialog.reason.setPlainText("I wrote it the night he called")
        dialog.grab().save("/tmp/hD_time_dialog.png")
        dialog.save_button.click()

    QTimer.singleShot(0, answer)
    with qtbot.waitSignal(page.counts_changed, timeout=3000):
        button.click()
    shown = label_texts(pane)
    assert "Tuesday, March 12, 2024, 11:40 PM CDT" in shown
    assert "Entered by you" in shown
    assert "Found at import:" in shown and "modification date" in shown
    assert "Your reason: I wrote it the night he called" in shown
    pane.grab().save("/tmp/hD_corrected.png")


def test_hide_from_the_pane_then_edit_undo(qtbot, views, case):
    page, pane = views
    undo = SessionUndo.of(pane.session)
    assert not undo.action.isEnabled()
    note = entry_id(case, "note")
    pane.show_entry(note)
    before = len(row_texts(page))
    prompts.answer_next("imported by mistake")
    button = pane.entry_actions.hide_button
    assert button is not None
    with qtbot.waitSignal(page.counts_changed, timeout=3000):
        button.click()
    assert len(row_texts(page)) == before - 1
    assert "Hidden:" in pane._empty.text()
    assert undo.action.isEnabled()
    assert undo.action.text().replace("&", "") == "Undo hide “voicemail-notes.txt”"

    with qtbot.waitSignal(page.counts_changed, timeout=3000):
        undo.action.trigger()
    assert len(row_texts(page)) == before
    assert not undo.action.isEnabled()

    page.session.lock()  # the history is forgotten with the vault
    assert len(undo.history) == 0


def test_delete_an_incident_asks_with_a_safe_default(qtbot, show_view, case):
    from nco_desktop.case.incidents import NewIncident, add_incident, list_incidents
    from nco_desktop.ui.incidents.incidents_page import IncidentsPage

    message = entry_id(case, "message")
    incident_id = add_incident(
        case, NewIncident(occurred_ms=None, summary="Parked outside work"), [message]
    )
    page = show_view(IncidentsPage, case)
    assert page.open_incident(incident_id)
    assert page.delete_button.isEnabled()

    prompts.answer_next(False)  # "Keep it"
    assert not page.delete_incident()
    asked = prompts.asked[-1]
    assert asked.default == "Keep it" and "Parked outside work" in asked.text
    assert len(list_incidents(case.conn)) == 1

    prompts.answer_next(True)
    with qtbot.waitSignal(page.changed):
        assert page.delete_incident()
    assert list_incidents(case.conn) == []
    assert entry_id(case, "message") == message  # the evidence stays
    assert page.list.count() == 0 and not page.delete_button.isEnabled()


def test_hidden_entries_dialog_shows_again_and_deletes_for_good(qtbot, views, case):
    from nco_desktop.case.hiding import hidden_entries, hide_entries
    from nco_desktop.ui.detail.hidden_entries_dialog import HiddenEntriesDialog
    from nco_desktop.verification import verify_vault

    page, _pane = views
    note, message = entry_id(case, "note"), entry_id(case, "message")
    hide_entries(case, [note, message], "imported by mistake")
    dialog = HiddenEntriesDialog(page.session)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.list.count() == 2 and not dialog.delete_button.isEnabled()
    texts = [dialog.list.item(r).text() for r in range(2)]
    assert "voicemail-notes.txt — hidden: imported by mistake" in texts
    dialog.grab().save("/tmp/hD_hidden.png")

    row = texts.index("voicemail-notes.txt — hidden: imported by mistake")
    dialog.list.item(1 - row).setSelected(True)
    with qtbot.waitSignal(page.counts_changed, timeout=3000):
        dialog.show_button.click()
    assert [h.entry.id for h in hidden_entries(case.conn)] == [note]

    dialog.list.item(0).setSelected(True)
    prompts.answer_next(False)  # the default: keep it hidden
    dialog.delete_button.click()
    assert prompts.asked[-1].default == "Keep it hidden"
    assert dialog.list.count() == 1
    prompts.answer_next(True)
    dialog.delete_button.click()
    assert dialog.list.count() == 0 and dialog.empty.isVisibleTo(dialog)
    assert case.conn.execute("SELECT count(*) FROM entries WHERE id = ?", (note,)).fetchone() == (
        0,
    )
    assert verify_vault(case).intact
