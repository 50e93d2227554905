"""The timeline as people use a list (issue #13): several entries selected and acted on
at once, a context menu, sorting by a column, the searched words marked, e-mails by
subject, going to a date, and boxes the mouse wheel does not change by accident."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QWidget

from nco_desktop.binder.exhibits import create_exhibit, exhibit_entry_ids
from nco_desktop.case.incidents import NewIncident, add_incident, list_incidents
from nco_desktop.case.people import IdentifierKind, NewPerson, Role, add_person
from nco_desktop.evidence.records import Direction, EntryKind
from nco_desktop.timeline.paging import SortColumn
from nco_desktop.ui.common import prompts
from nco_desktop.ui.exhibits.exhibit_models import ID_ROLE
from nco_desktop.ui.timeline.timeline_actions import PersonDraft
from nco_desktop.ui.timeline.timeline_model import TimelineModel
from nco_desktop.ui.timeline.timeline_page import TimelinePage
from nco_desktop.ui.timeline.timeline_view import MATCH_BACKGROUND
from nco_desktop.vault import Vault
from tests.support.factories import add, at, seed_small
from tests.ui.test_safe_by_default import wheel


@pytest.fixture
def page(qtbot, session):
    widget = TimelinePage(session)
    qtbot.addWidget(widget)
    widget.resize(1100, 640)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def shown_ids(page: TimelinePage) -> list[int]:
    model = page.model
    return [model.entry_id(r) for r in range(model.rowCount()) if not model.is_header(r)]


def headers(page: TimelinePage) -> list[str]:
    return [page.model.index(r, 0).data() for r in page.model.header_rows()]


def audit_actions(vault: Vault) -> list[str]:
    return [a for (a,) in vault.conn.execute("SELECT action FROM audit_log ORDER BY seq")]


def select_all(qtbot, page: TimelinePage) -> None:
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)


# ----- several entries at once ---------------------------------------------------------------


def test_ctrl_a_shift_arrows_and_ctrl_click_select_several_entries(qtbot, page, vault):
    seed_small(vault)
    page.session.open(vault)
    everything = shown_ids(page)
    select_all(qtbot, page)
    assert page.selected_entry_ids() == everything  # header rows are never among them
    assert "6 selected" in page.counts_label.text()

    first = page.model.header_rows()[0] + 1
    page._select_row(first)
    qtbot.keyClick(page.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(page.view, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    chosen = page.selected_entry_ids()
    assert chosen == everything[:3]  # across a day's header, which stays unselected
    assert page.selected_entry_id() == everything[2]  # the detail follows the current one
    assert "3 selected" in page.counts_label.text()

    last_row = page.model.row_of_entry(everything[-1])
    rect = page.view.visualRect(page.model.index(last_row, TimelineModel.WHAT))
    qtbot.mouseClick(
        page.view.viewport(),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.ControlModifier,
        rect.center(),
    )
    assert page.selected_entry_ids() == [*everything[:3], everything[-1]]


def test_add_to_exhibit_takes_every_selected_entry_in_one_audited_change(qtbot, page, vault):
    ids = seed_small(vault)
    page.session.open(vault)
    select_all(qtbot, page)
    chosen = page.selected_entry_ids()

    prompts.answer_next("Texts after the order")  # a new exhibit, by its title
    assert page.entry_actions.add_to_exhibit() == 6
    (exhibit_id,) = [i for (i,) in vault.conn.execute("SELECT id FROM exhibits")]
    assert exhibit_entry_ids(vault.conn, exhibit_id) == chosen
    assert prompts.asked[-1].kind == "choose"
    assert audit_actions(vault).count("exhibit.added") == 1

    other = create_exhibit(vault, "Calls", "", [ids["call"]])
    page._select_row(page.model.row_of_entry(ids["late"]))
    prompts.answer_next(other)
    before = len(audit_actions(vault))
    assert page.entry_actions.add_to_exhibit() == 1
    assert exhibit_entry_ids(vault.conn, other) == [ids["call"], ids["late"]]
    assert audit_actions(vault)[before:] == ["exhibit.entries_added"]
    assert "1 entries added" in page.counts_label.text() or "added" in page.counts_label.text()

    prompts.answer_next(None)  # cancelled: nothing written
    before = len(audit_actions(vault))
    assert page.entry_actions.add_to_exhibit() == 0
    assert len(audit_actions(vault)) == before


def test_link_to_incident_links_every_selected_entry_but_the_incident_itself(qtbot, page, vault):
    ids = seed_small(vault)
    incident = add_incident(vault, NewIncident(at(2024, 3, 12, 22, 30), summary="At the door"))
    page.session.open(vault)
    select_all(qtbot, page)  # the incident's own entry is among them
    prompts.answer_next(incident)
    assert page.entry_actions.link_to_incident() == 6
    (saved,) = list_incidents(vault.conn)
    assert set(saved.evidence_entry_ids) == set(ids.values())
    assert audit_actions(vault)[-1] == "incident.evidence_linked"


def test_link_to_incident_with_no_incident_says_where_to_add_one(qtbot, page, vault):
    seed_small(vault)
    page.session.open(vault)
    select_all(qtbot, page)
    prompts.answer_next(True)
    assert page.entry_actions.link_to_incident() == 0
    assert prompts.asked[-1].kind == "inform"


# ----- the context menu ------------------------------------------------------------------------


def test_menu_key_and_shift_f10_open_the_menu_named_for_the_selection(qtbot, page, vault):
    seed_small(vault)
    page.session.open(vault)
    page.view.setFocus()
    select_all(qtbot, page)
    with qtbot.waitSignal(page.view.menu_requested):
        qtbot.keyClick(page.view, Qt.Key.Key_Menu)
    menu = page.entry_actions.open_menu
    assert menu is not None and menu.isVisible()
    texts = [a.text() for a in menu.actions() if a.text()]
    assert texts[:2] == ["Add 6 entries to e&xhibit…", "&Link 6 entries to incident…"]
    assert "&Copy dates and times" in texts
    menu.close()

    page._select_row(page.model.header_rows()[0] + 1)
    with qtbot.waitSignal(page.view.menu_requested):
        qtbot.keyClick(page.view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    menu = page.entry_actions.open_menu
    assert menu is not None and menu.isVisible()
    assert menu.actions()[0].text() == "Add to e&xhibit…"
    menu.close()


def test_copy_date_and_time_copies_full_times_not_contents(qtbot, page, vault):
    ids = seed_small(vault)
    page.session.open(vault)
    page._select_row(page.model.row_of_entry(ids["late"]))
    text = page.entry_actions.copy_times()
    assert QGuiApplication.clipboard().text() == text
    assert "2024" in text and "22:15" in text and "America/Chicago" in text
    assert "where you are" not in text


def test_create_person_from_a_number_fills_a_draft_or_names_who_has_it(qtbot, page, vault):
    ids = seed_small(vault)
    page.session.open(vault)
    page._select_row(page.model.row_of_entry(ids["late"]))
    menu = page.entry_actions.menu()
    person_action = page.entry_actions.person_action
    assert person_action.isEnabled() and "number" in person_action.text()
    menu.deleteLater()
    with qtbot.waitSignal(page.person_requested) as signal:
        person_action.trigger()
    draft = signal.args[0]
    assert draft == PersonDraft("Sam Roe", IdentifierKind.PHONE, "+15550100199")

    person = add_person(
        vault, NewPerson(Role.RESTRAINED, "Sam R.", ((IdentifierKind.PHONE, "555 010 0199"),))
    )
    with qtbot.waitSignal(page.person_requested) as signal:
        person_action.trigger()
    assert signal.args[0].person_id == person  # already saved: the workspace opens them

    page._select_row(page.model.row_of_entry(ids["first"]))  # a note names no one
    page.entry_actions.menu().deleteLater()
    assert not person_action.isEnabled()


def test_the_workspace_opens_people_with_the_number_filled_in(qtbot, session, vault):
    from nco_desktop.ui.shell.workspace import Workspace

    ids = seed_small(vault)
    workspace = Workspace(session)
    qtbot.addWidget(workspace)
    workspace.resize(1200, 700)
    workspace.show()
    session.open(vault)
    timeline = workspace.timeline
    timeline._select_row(timeline.model.row_of_entry(ids["late"]))
    timeline.entry_actions.create_person()
    assert workspace.nav.currentRow() == workspace.PEOPLE
    editor = workspace.people.person_editor
    assert workspace.people.stack.currentWidget() is editor
    assert editor.name_edit.text() == "Sam Roe"
    assert editor.rows[0].get() == (IdentifierKind.PHONE, "+15550100199")
    assert editor.is_dirty()  # the user checks and saves; nothing was written yet
    assert vault.conn.execute("SELECT count(*) FROM people").fetchone()[0] == 0
    editor.discard()


# ----- show in timeline ---------------------------------------------------------------------


def test_show_in_timeline_from_patterns_incidents_and_exhibits(qtbot, session, vault):
    from nco_desktop.ui.shell.workspace import Workspace

    ids = seed_small(vault)
    incident = add_incident(
        vault, NewIncident(at(2024, 3, 12, 23), summary="At the door"), [ids["unknown"]]
    )
    workspace = Workspace(session)
    qtbot.addWidget(workspace)
    workspace.resize(1200, 700)
    workspace.show()
    session.open(vault)
    timeline = workspace.timeline

    workspace.nav.setCurrentRow(workspace.PATTERNS)
    workspace.patterns.daily.show_days_requested.emit(date(2024, 3, 12), date(2024, 3, 12))
    assert workspace.nav.currentRow() == workspace.TIMELINE
    assert timeline.since_check.isChecked() and timeline.until_check.isChecked()
    assert timeline.since_edit.date().toPython() == date(2024, 3, 12)
    assert set(shown_ids(timeline)) == {ids["call"], ids["late"], incident}

    # The linked item's menu in Incidents: hidden by the date filter, shown anyway.
    workspace.nav.setCurrentRow(workspace.INCIDENTS)
    workspace.incidents.open_incident(incident)
    linked = workspace.incidents.editor.linked_list
    linked.setCurrentRow(0)
    (show,) = [a for a in linked.actions() if a.text() == "Show in timeline"]
    show.trigger()
    assert workspace.nav.currentRow() == workspace.TIMELINE
    assert not timeline.filters_active()
    assert timeline.selected_entry_id() == ids["unknown"]

    workspace.nav.setCurrentRow(workspace.EXHIBITS)
    evidence = workspace.exhibits.evidence
    qtbot.waitUntil(lambda: evidence.model.rowCount() > 0)
    evidence.list.setCurrentIndex(evidence.model.index(0, 0))
    wanted = int(evidence.list.currentIndex().data(ID_ROLE))
    (show,) = [a for a in evidence.list.actions() if a.text() == "Show in timeline"]
    with qtbot.waitSignal(evidence.show_in_timeline_requested) as signal:
        show.trigger()
    assert workspace.nav.currentRow() == workspace.TIMELINE
    assert signal.args == [wanted]
    assert timeline.selected_entry_id() == wanted


def test_clicking_a_day_in_patterns_asks_for_that_day_and_keys_choose_one(qtbot, session, vault):
    from nco_desktop.ui.patterns.patterns_page import PatternsPage

    with vault.change() as change:
        for day in (10, 12, 12, 14):
            add(
                change,
                ms=at(2024, 3, day, 21),
                party="+15550100199",
                party_key="tel:+15550100199",
                direction=Direction.INCOMING,
                text="hi",
            )
        change.audit("test.seed")
    patterns = PatternsPage(session)
    qtbot.addWidget(patterns)
    patterns.resize(900, 700)
    patterns.show()
    session.open(vault)
    qtbot.waitUntil(lambda: patterns.pattern is not None and patterns.pattern.total == 4)
    chart = patterns.daily
    area = chart._area()
    step = area.width() / 5  # the 10th to the 14th
    x = int(area.left() + step * 2.5)
    with qtbot.waitSignal(patterns.show_days_requested) as signal:
        qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=QPoint(x, int(area.center().y())))
    assert signal.args == [date(2024, 3, 12), date(2024, 3, 12)]

    chart.setFocus()
    qtbot.keyClick(chart, Qt.Key.Key_End)
    with qtbot.waitSignal(patterns.show_days_requested) as signal:
        qtbot.keyClick(chart, Qt.Key.Key_Return)
    assert signal.args == [date(2024, 3, 14), date(2024, 3, 14)]
    assert "14" in chart.accessibleDescription()


# ----- sorting ------------------------------------------------------------------------------------


def test_clicking_a_column_title_sorts_and_again_reverses(qtbot, page, vault):
    ids = seed_small(vault)
    page.session.open(vault)
    header = page.view.horizontalHeader()

    def click(section: int) -> None:
        x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))

    click(TimelineModel.PARTY)
    assert page.model.timeline_sort.column is SortColumn.PARTY
    # As the column shows them: the name the export gave, else the number.
    assert headers(page) == ["+15550100123", "+15550100199", "Sam Roe", "No person"]
    no_one = shown_ids(page)[3:]
    assert no_one == [ids["first"], ids["picture"], ids["unknown"]]  # time order, unknown last
    click(TimelineModel.PARTY)
    assert page.model.timeline_sort.descending
    assert headers(page) == ["Sam Roe", "+15550100199", "+15550100123", "No person"]

    click(TimelineModel.KIND)
    assert page.model.timeline_sort.column is SortColumn.KIND
    assert headers(page)[:2] == ["Recordings", "Calls"]
    click(TimelineModel.WHAT)  # no order: nothing changes, the arrow stays
    assert page.model.timeline_sort.column is SortColumn.KIND
    assert header.sortIndicatorSection() == TimelineModel.KIND

    click(TimelineModel.TIME)
    click(TimelineModel.TIME)
    assert page.model.timeline_sort.descending
    assert shown_ids(page)[0] == ids["picture"] and shown_ids(page)[-1] == ids["unknown"]
    assert headers(page)[-1] == "Time unknown"  # never placed at a guessed time

    page.text_field.setText("where")  # a filter keeps the order
    page.refresh()
    assert shown_ids(page) == [ids["late"]]
    assert page.model.timeline_sort.descending


# ----- the words searched for, marked ---------------------------------------------------------


def marker_pixels(image: QImage) -> int:
    wanted = MATCH_BACKGROUND.rgb()
    return sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if image.pixel(x, y) == wanted
    )


def test_matches_are_marked_in_the_list_and_in_the_conversation(qtbot, page, vault):
    from nco_desktop.timeline.detail import load_entry_detail
    from nco_desktop.ui.detail.conversation_view import ConversationView, mark_search_words

    ids = seed_small(vault)
    page.session.open(vault)
    assert marker_pixels(page.view.viewport().grab().toImage()) == 0
    with qtbot.waitSignal(page.search_words_changed) as signal:
        page.text_field.setText("KNOW")
        page.refresh()
    assert signal.args == [["KNOW"]]
    assert shown_ids(page) == [ids["late"]]
    assert marker_pixels(page.view.viewport().grab().toImage()) > 20
    page.view.grab().save("/tmp/hE_marked.png")

    pane = QWidget()
    qtbot.addWidget(pane)
    mark_search_words(pane, ["know", "SECOND"])
    detail = load_entry_detail(vault.conn, ids["late"], vault.time_zone)
    conversation = ConversationView(detail, pane)
    pane.resize(420, 300)
    pane.show()
    qtbot.waitExposed(pane)
    text = conversation.document().toPlainText()
    found = [text[start : start + length] for start, length in conversation.marked]
    assert found == ["know", "second"]
    assert conversation.selected_text == "I know where you are\nsecond line"  # text unchanged
    mark_search_words(pane, [])
    assert conversation.marked == [] and conversation.extraSelections() == []

    with qtbot.waitSignal(page.search_words_changed) as signal:
        page.session.detach()  # locking: the words typed are forgotten too
    assert signal.args == [[]]


# ----- e-mails by subject ---------------------------------------------------------------------


def test_emails_are_listed_by_subject_and_sender(qtbot, page, vault):
    with vault.change() as change:
        mail = add(
            change,
            EntryKind.EMAIL,
            ms=at(2024, 3, 12, 9),
            party="sam@example.com",
            party_name="Sam Roe",
            direction=Direction.INCOMING,
            text="Hello,\nI saw you at the store.",
            meta={"subject": "You can't hide"},
        )
        bare = add(change, EntryKind.EMAIL, ms=at(2024, 3, 12, 10), party="x@example.com")
        change.audit("test.seed")
    page.session.open(vault)
    row = page.model.row_of_entry(mail)
    assert page.model.index(row, TimelineModel.WHAT).data() == "You can't hide"
    assert page.model.index(row, TimelineModel.PARTY).data() == "From Sam Roe"
    tip = page.model.index(row, TimelineModel.WHAT).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("Subject: You can't hide") and "saw you" in tip
    row = page.model.row_of_entry(bare)
    assert page.model.index(row, TimelineModel.WHAT).data() == "(no subject)"


# ----- go to a date ----------------------------------------------------------------------------


def test_ctrl_g_goes_to_a_typed_date_without_changing_the_filters(qtbot, page, vault):
    ids = seed_small(vault)
    page.session.open(vault)
    page.kind_box.setCurrentIndex(0)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    bar = page.jump_bar
    assert bar.isVisible() and bar.field.line.hasFocus()
    qtbot.keyClicks(bar.field.line, "Mar 12, 2024")
    qtbot.keyClick(bar.field.line, Qt.Key.Key_Return)
    assert page.selected_entry_id() == ids["call"]  # the first entry on that day
    assert not page.filters_active()

    qtbot.keyClick(page.view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    bar.field.line.clear()
    qtbot.keyClicks(bar.field.line, "Mar 11, 2024")  # no entry that day: the next day's
    qtbot.keyClick(bar.field.line, Qt.Key.Key_Return)
    assert page.selected_entry_id() == ids["call"]

    bar.field.line.clear()
    qtbot.keyClicks(bar.field.line, "the 40th")  # refused, with the reason shown
    qtbot.keyClick(bar.field.line, Qt.Key.Key_Return)
    assert bar.field.is_problem_shown() and bar.field.line.hasFocus()
    qtbot.keyClick(bar.field.line, Qt.Key.Key_Escape)
    assert not bar.isVisible()

    page.sort_by(SortColumn.PARTY)  # grouped by person: going to a date sorts by time again
    assert page.jump_to_date(date(2024, 3, 13))
    assert page.model.timeline_sort.column is SortColumn.TIME
    assert page.selected_entry_id() == ids["mtime"]


# ----- the wheel ---------------------------------------------------------------------------


def test_the_wheel_does_not_change_unfocused_filter_boxes(qtbot, page, vault):
    seed_small(vault)
    page.session.open(vault)
    page.text_field.setFocus()
    for box in (page.kind_box, page.since_edit, page.until_edit):
        before = box.currentIndex() if box is page.kind_box else box.date()
        wheel(box)
        after = box.currentIndex() if box is page.kind_box else box.date()
        assert after == before
    assert not page.filters_active()


def test_the_wheel_does_not_change_whose_patterns_are_shown(qtbot, show_view, vault):
    from nco_desktop.ui.patterns.patterns_page import PatternsPage

    for name in ("Sam Roe", "Alex Poe"):
        add_person(vault, NewPerson(Role.WITNESS, name))
    patterns = show_view(PatternsPage, vault)
    qtbot.waitUntil(lambda: patterns.person_box.count() == 2)
    chosen = patterns.person_box.currentIndex()
    assert chosen == 0
    wheel(patterns.person_box)  # towards the user: the next person, were it not guarded
    assert patterns.person_box.currentIndex() == chosen
