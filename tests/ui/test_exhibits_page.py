"""The Exhibits view on real vaults: make, fill, order, label, remove — by mouse, by drag
and by keyboard — and every change saved at once, with nothing left behind on locking."""

from __future__ import annotations

import json
import os
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QPlainTextEdit

from nco_desktop.binder.exhibits import (
    MAX_DESCRIPTION_CHARS,
    create_exhibit,
    exhibit_entry_ids,
    exhibit_order,
    exhibit_overview,
)
from nco_desktop.binder.options import LabelStyle
from nco_desktop.binder.plan import auto_groups
from nco_desktop.binder.saved_options import load_choices
from nco_desktop.case.incidents import NewIncident, add_incident
from nco_desktop.evidence.records import (
    CallType,
    Direction,
    EntryKind,
    NewEntry,
    TimeSource,
)
from nco_desktop.evidence.store import add_entry
from nco_desktop.timekeeping import to_ms
from nco_desktop.timeline.query import iter_entries
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.entry_mime import (
    ENTRY_IDS_MIME,
    entry_ids_from_mime,
    entry_ids_mime_data,
)
from nco_desktop.ui.common.evidence_picker import EvidencePicker
from nco_desktop.ui.exhibits.exhibit_lists import IdListView
from nco_desktop.ui.exhibits.exhibit_models import ID_ROLE, LINES_ROLE
from nco_desktop.ui.exhibits.exhibits_page import ExhibitsPage
from nco_desktop.vault import TEST_KDF, Vault
from nco_desktop.verification import verify_vault

CHICAGO = ZoneInfo("America/Chicago")
T0 = to_ms(datetime(2025, 11, 10, 22, 15, tzinfo=CHICAGO))
MINUTE = 60_000
TITLE = "Texts from Jordan after I moved to Elm St"


def seed(vault: Vault) -> dict[str, list[int]]:
    """Jordan's three texts and a missed call, Casey's text, and an incident."""
    ids: dict[str, list[int]] = {"jordan": [], "call": [], "casey": []}
    with vault.change() as change:
        for n, text in enumerate(("Answer your phone.", "I know where you work.", "Pick up")):
            new = add_entry(
                change,
                NewEntry(
                    kind=EntryKind.MESSAGE,
                    occurred_ms=T0 + n * MINUTE,
                    time_source=TimeSource.EXPORT_FIELD,
                    direction=Direction.INCOMING,
                    party="+13125550147",
                    party_key="+13125550147",
                    party_name="Jordan",
                    text=text,
                ),
            )
            assert new is not None
            ids["jordan"].append(new)
        call = add_entry(
            change,
            NewEntry(
                kind=EntryKind.CALL,
                occurred_ms=T0 + 10 * MINUTE,
                time_source=TimeSource.EXPORT_FIELD,
                party="+13125550147",
                party_key="+13125550147",
                call_type=CallType.MISSED,
            ),
        )
        casey = add_entry(
            change,
            NewEntry(
                kind=EntryKind.MESSAGE,
                occurred_ms=T0 + 20 * MINUTE,
                time_source=TimeSource.EXPORT_FIELD,
                direction=Direction.INCOMING,
                party="+13125550100",
                party_key="+13125550100",
                party_name="Casey",
                text="Are you safe?",
            ),
        )
        assert call is not None and casey is not None
        ids["call"].append(call)
        ids["casey"].append(casey)
        change.audit("test.seed")
    ids["incident"] = [add_incident(vault, NewIncident(occurred_ms=T0, summary="Followed me"))]
    return ids


@pytest.fixture
def page(qtbot, vault, session):
    widget = ExhibitsPage(session)
    qtbot.addWidget(widget)
    widget.resize(1090, 600)
    widget.session.open(vault)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.session.detach()


def labels(page: ExhibitsPage) -> list[str]:
    model = page.column.exhibit_model
    return [model.index(row, 0).data(LINES_ROLE)[0] for row in range(model.rowCount())]


def titles(page: ExhibitsPage) -> list[str]:
    model = page.column.exhibit_model
    return [model.index(row, 0).data(LINES_ROLE)[1] for row in range(model.rowCount())]


def item_ids(page: ExhibitsPage) -> list[int]:
    return page.editor.item_model.ids()


def audit_text(vault: Vault) -> str:
    rows = vault.conn.execute("SELECT action, details_json FROM audit_log ORDER BY seq")
    return "\n".join(f"{a} {d}" for a, d in rows)


def audit_count(vault: Vault) -> int:
    return int(vault.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def row_point(view: IdListView, row: int, where: str = "top") -> QPointF:
    """A point on *row* of *view*'s viewport: near its top, middle or bottom."""
    rect = view.visualRect(view.model().index(row, 0))
    y = {"top": rect.top() + 3, "middle": rect.center().y(), "bottom": rect.bottom() - 3}[where]
    return QPointF(rect.center().x(), y)


def below_last(view: IdListView) -> QPointF:
    rows = view.model().rowCount()
    if not rows:
        return QPointF(20, 20)
    rect = view.visualRect(view.model().index(rows - 1, 0))
    return QPointF(rect.center().x(), rect.bottom() + 12)


def drop(view: IdListView, data: QMimeData, at: QPointF) -> QDropEvent:
    """Drag *data* over *view* and drop it at *at*, as Qt delivers a user's drop."""
    actions = Qt.DropAction.CopyAction | Qt.DropAction.MoveAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(at, actions, data, buttons, keys)
    view.dragEnterEvent(enter)
    if enter.isAccepted():
        move = QDragMoveEvent(at, actions, data, buttons, keys)
        view.dragMoveEvent(move)
        assert move.isAccepted()
    event = QDropEvent(
        at,
        Qt.DropAction.CopyAction | Qt.DropAction.MoveAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    view.dropEvent(event)
    return event


def choose_in_picker(ids: list[int], accept: bool = True) -> list[str]:
    """Answer the next evidence picker: choose *ids* and press its button."""
    seen: list[str] = []

    def act() -> None:
        picker = QApplication.activeModalWidget()
        try:
            assert isinstance(picker, EvidencePicker)
            seen.append(picker.windowTitle())
            for row in range(picker.list.count()):
                item = picker.list.item(row)
                item.setSelected(int(item.data(Qt.ItemDataRole.UserRole)) in ids)
                seen.append(str(item.data(Qt.ItemDataRole.UserRole)))
        finally:
            if isinstance(picker, EvidencePicker):
                picker.accept() if accept else picker.reject()

    QTimer.singleShot(0, act)
    return seen


def every_text(widget) -> str:
    parts = [label.text() for label in widget.findChildren(QLabel)]
    parts += [line.text() for line in widget.findChildren(QLineEdit)]
    parts += [edit.toPlainText() for edit in widget.findChildren(QPlainTextEdit)]
    for view in widget.findChildren(IdListView):
        model = view.model()
        parts += [str(model.index(r, 0).data()) for r in range(model.rowCount())]
    return "\n".join(parts)


# ----- making and filling --------------------------------------------------------------


def test_empty_state_new_exhibit_and_title_saved_on_commit(qtbot, page, vault):
    seed(vault)
    page.refresh()
    assert page.editor.stack.currentIndex() == 0
    assert "groups all your evidence by itself" in page.editor.empty_text.text()
    assert page.editor.empty_buttons.isVisible()
    assert not page.column.remove_button.isEnabled()

    with qtbot.waitSignal(page.changed):
        page.new_exhibit()
    assert labels(page) == ["Pet. Ex. 1"]
    assert page.editor.stack.currentIndex() == 1
    assert page.editor.label_heading.text() == "Pet. Ex. 1"
    assert (
        page.editor.title_edit.hasFocus() and page.editor.title_edit.selectedText() == "New exhibit"
    )
    assert page.editor.empty_warning.isVisible()  # no items: the divider would be empty
    assert "empty divider" in page.column.exhibit_model.index(0, 0).data(
        Qt.ItemDataRole.ToolTipRole
    )

    page.editor.title_edit.setText(TITLE)
    page.editor.description_edit.setPlainText("Sent the week I moved.")
    before = audit_count(vault)
    with qtbot.waitSignal(page.changed):
        assert page.commit_pending_edits()
    assert audit_count(vault) == before + 1
    (overview,) = exhibit_overview(vault.conn)
    assert (overview.title, overview.description) == (TITLE, "Sent the week I moved.")
    assert titles(page) == [TITLE]
    assert page.commit_pending_edits()  # nothing more to save: nothing written
    assert audit_count(vault) == before + 1
    assert "Elm" not in audit_text(vault)


def test_title_saved_when_focus_leaves_and_on_switching(qtbot, page, vault):
    ids = seed(vault)
    first = create_exhibit(vault, "First", entry_ids=ids["jordan"])
    second = create_exhibit(vault, "Second", entry_ids=ids["call"])
    page.refresh()
    assert page.current_exhibit_id() == first
    page.editor.title_edit.setFocus()
    page.editor.title_edit.setText("Jordan's texts")
    page.editor.item_list.setFocus()  # focus leaves the title: saved
    qtbot.waitUntil(lambda: exhibit_overview(vault.conn)[0].title == "Jordan's texts")
    page.editor.description_edit.setFocus()
    page.editor.description_edit.setPlainText("Three in four minutes.")
    page.editor.title_edit.setFocus()  # focus leaves the description: saved
    qtbot.waitUntil(lambda: exhibit_overview(vault.conn)[0].description.startswith("Three"))
    page.editor.description_edit.setPlainText("Three texts in four minutes.")
    page.column.exhibit_list.setCurrentIndex(
        page.column.exhibit_model.index(1, 0)
    )  # switching saves
    assert exhibit_overview(vault.conn)[0].description == "Three texts in four minutes."
    assert page.current_exhibit_id() == second
    assert page.editor.title_edit.text() == "Second"
    assert verify_vault(vault).intact


def test_add_by_picker_by_button_and_by_drops(qtbot, page, vault):
    ids = seed(vault)
    a, b, c = ids["jordan"]
    (call,), (casey,), (incident,) = ids["call"], ids["casey"], ids["incident"]
    exhibit = create_exhibit(vault, "Texts", entry_ids=[b])
    other = create_exhibit(vault, "Calls")
    page.refresh()
    assert page.current_exhibit_id() == exhibit

    # the picker: incidents are not offered, items already in the exhibit are not either
    seen = choose_in_picker([a])
    with qtbot.waitSignal(page.changed):
        page.pick_evidence()
    assert seen[0] == "Add evidence to Pet. Ex. 1"
    assert str(incident) not in seen and str(b) not in seen
    assert item_ids(page) == [b, a]
    assert "Added 1 item to Pet. Ex. 1." in page.editor.status.text()

    # the evidence list's button (the keyboard route for a drag from it)
    evidence = page.evidence
    evidence.list.select_ids([c])
    with qtbot.waitSignal(page.changed):
        evidence.add_button.click()
    assert item_ids(page) == [b, a, c]
    row = evidence.model.row_of(c)
    assert (
        evidence.model.index(row, 0).data(Qt.ItemDataRole.DisplayRole).endswith("in this exhibit")
    )
    assert str(incident) not in map(str, evidence.model.ids())

    # a drop from the evidence list, between the first and second item
    data = evidence.model.mimeData([evidence.model.index(evidence.model.row_of(casey), 0)])
    assert entry_ids_from_mime(data) == [casey]
    event = drop(page.editor.item_list, data, row_point(page.editor.item_list, 1, "top"))
    assert event.isAccepted() and event.dropAction() == Qt.DropAction.CopyAction
    assert item_ids(page) == [b, casey, a, c]
    assert exhibit_entry_ids(vault.conn, exhibit) == [b, casey, a, c]

    # a drop of the timeline's format onto the other exhibit: appended there
    before = audit_count(vault)
    drop(
        page.column.exhibit_list,
        entry_ids_mime_data([call, a]),
        row_point(page.column.exhibit_list, 1, "middle"),
    )
    assert exhibit_entry_ids(vault.conn, other) == [call, a]
    assert audit_count(vault) == before + 1
    assert "Pet. Ex. 2" in page.editor.status.text()
    assert page.current_exhibit_id() == exhibit  # the user stays where they were

    # an incident and an id no longer in the vault: nothing added, and why
    before = audit_count(vault)
    drop(
        page.editor.item_list,
        entry_ids_mime_data([incident, 999_999]),
        below_last(page.editor.item_list),
    )
    assert (
        "chronology" in page.editor.status.text()
        and "no longer in the vault" in page.editor.status.text()
    )
    assert page.editor.status.objectName() == "errorText"
    assert audit_count(vault) == before
    # already there: said, nothing written
    drop(page.editor.item_list, entry_ids_mime_data([a]), below_last(page.editor.item_list))
    assert "already in it" in page.editor.status.text()
    assert audit_count(vault) == before
    assert verify_vault(vault).intact


def test_only_entries_are_accepted_files_go_to_the_window(qtbot, page, vault):
    ids = seed(vault)
    create_exhibit(vault, "Texts", entry_ids=ids["jordan"][:1])
    page.refresh()
    files = QMimeData()
    files.setUrls([QUrl.fromLocalFile("/tmp/screenshot.png")])
    for view in (page.editor.item_list, page.column.exhibit_list):
        enter = QDragEnterEvent(
            QPointF(10, 10),
            Qt.DropAction.CopyAction,
            files,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
        view.dragEnterEvent(enter)
        assert not enter.isAccepted()  # ignored: it travels on to the main window
        assert not drop(view, files, QPointF(10, 10)).isAccepted()
    bad = QMimeData()
    bad.setData(ENTRY_IDS_MIME, b'{"not": "a list"}')
    before = audit_count(vault)
    assert not drop(page.editor.item_list, bad, QPointF(10, 10)).isAccepted()
    hostile = QMimeData()
    hostile.setData(ENTRY_IDS_MIME, json.dumps([True, -1]).encode())
    assert not drop(page.editor.item_list, hostile, QPointF(10, 10)).isAccepted()
    assert audit_count(vault) == before


# ----- ordering ------------------------------------------------------------------------


def test_reorder_exhibits_by_keyboard_and_by_drag(qtbot, page, vault):
    ids = seed(vault)
    one = create_exhibit(vault, "One", entry_ids=ids["jordan"])
    two = create_exhibit(vault, "Two", entry_ids=ids["call"])
    three = create_exhibit(vault, "Three", entry_ids=ids["casey"])
    page.refresh()
    assert "Alt" in page.column.up_button.toolTip() and page.column.up_button.accessibleName()
    page.column.exhibit_list.setFocus()

    QTest.keyClick(page.column.exhibit_list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert exhibit_order(vault.conn) == [two, one, three]
    assert titles(page) == ["Two", "One", "Three"]
    assert page.current_exhibit_id() == one and page.editor.label_heading.text() == "Pet. Ex. 2"
    assert "“One” is now Pet. Ex. 2." in page.editor.status.text()
    QTest.keyClick(page.column.exhibit_list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(
        page.column.exhibit_list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier
    )  # at end
    assert exhibit_order(vault.conn) == [two, three, one]
    assert not page.column.down_button.isEnabled()
    page.column.up_button.click()
    assert exhibit_order(vault.conn) == [two, one, three]

    # a drag within the list: "Three" dropped above the first row
    page.open_exhibit(three)
    chosen = [page.column.exhibit_model.index(2, 0)]
    assert not page.column.exhibit_list._drag_pixmap(chosen).isNull()  # what startDrag shows
    data = page.column.exhibit_model.mimeData(chosen)
    with qtbot.waitSignal(page.changed):
        event = drop(page.column.exhibit_list, data, row_point(page.column.exhibit_list, 0, "top"))
    assert event.isAccepted() and event.dropAction() == Qt.DropAction.CopyAction
    assert exhibit_order(vault.conn) == [three, two, one]
    assert titles(page) == ["Three", "Two", "One"]
    # dropped below the last row
    data = page.column.exhibit_model.mimeData([page.column.exhibit_model.index(0, 0)])
    drop(page.column.exhibit_list, data, below_last(page.column.exhibit_list))
    assert exhibit_order(vault.conn) == [two, one, three]
    positions = [p for (p,) in vault.conn.execute("SELECT position FROM exhibits ORDER BY 1")]
    assert positions == [1, 2, 3]
    assert verify_vault(vault).intact


def test_reorder_and_take_out_items_by_keyboard_and_by_drag(qtbot, page, vault):
    ids = seed(vault)
    a, b, c = ids["jordan"]
    (call,) = ids["call"]
    exhibit = create_exhibit(vault, "Texts", entry_ids=[a, b, c, call])
    page.refresh()
    view = page.editor.item_list
    view.setFocus()
    view.select_ids([c], c)
    QTest.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert exhibit_entry_ids(vault.conn, exhibit) == [a, c, b, call]
    assert view.selected_ids() == [c]  # the moved item stays chosen: press again to go on
    QTest.keyClick(view, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert exhibit_entry_ids(vault.conn, exhibit) == [c, a, b, call]
    view.select_ids([c, a], a)
    QTest.keyClick(view, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert exhibit_entry_ids(vault.conn, exhibit) == [b, c, a, call]

    # a drag within the list: the first two below the call
    data = page.editor.item_model.mimeData(
        [page.editor.item_model.index(0, 0), page.editor.item_model.index(1, 0)]
    )
    drop(view, data, row_point(view, 3, "bottom"))
    assert exhibit_entry_ids(vault.conn, exhibit) == [a, call, b, c]
    assert item_ids(page) == [a, call, b, c]

    # another exhibit's item drag is not a reorder of this one: it adds what is missing
    other = create_exhibit(vault, "Casey", entry_ids=ids["casey"])
    page.refresh()
    page.open_exhibit(other)
    drop(page.editor.item_list, data, row_point(page.editor.item_list, 0, "top"))
    assert exhibit_entry_ids(vault.conn, other) == [b, c, *ids["casey"]]
    page.open_exhibit(exhibit)

    # Delete takes the chosen items out, after asking when there are several; the
    # evidence stays
    view.setFocus()
    view.select_ids([call, b], b)
    prompts.answer_next(False)
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert prompts.asked[-1].title == "Take 2 items out of Pet. Ex. 1?"
    assert exhibit_entry_ids(vault.conn, exhibit) == [a, call, b, c]
    prompts.answer_next(True)
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert exhibit_entry_ids(vault.conn, exhibit) == [a, c]
    assert "still in the vault" in page.editor.status.text()
    assert vault.conn.execute("SELECT count(*) FROM entries WHERE id = ?", (call,)).fetchone()
    view.select_ids([a], a)
    page.editor.take_out_button.click()
    assert exhibit_entry_ids(vault.conn, exhibit) == [c]
    positions = [p for (p,) in vault.conn.execute("SELECT position FROM exhibit_items ORDER BY 1")]
    assert sorted(positions) == [0, 0, 1, 2]  # each exhibit 0…n-1
    assert verify_vault(vault).intact


def test_items_taken_out_by_mistake_come_back_with_undo(qtbot, page, vault):
    """Edit ▸ Undo (Ctrl+Z) puts items taken out of an exhibit back in their places."""
    from nco_desktop.ui.common.undo_action import SessionUndo

    ids = seed(vault)
    a, b, c = ids["jordan"]
    exhibit = create_exhibit(vault, "Texts", entry_ids=[a, b, c])
    page.refresh()
    view = page.editor.item_list
    view.setFocus()
    view.select_ids([b], b)
    QTest.keyClick(view, Qt.Key.Key_Delete)
    assert exhibit_entry_ids(vault.conn, exhibit) == [a, c]
    undo = SessionUndo.of(page.session)
    assert undo.action.isEnabled()
    assert undo.action.text() == "&Undo remove “I know where you work.” from Pet. Ex. 1"
    undo.action.trigger()
    assert exhibit_entry_ids(vault.conn, exhibit) == [a, b, c]
    assert verify_vault(vault).intact


# ----- labels ----------------------------------------------------------------------------


def test_label_style_and_prefix_change_the_labels_and_are_saved(qtbot, page, vault):
    ids = seed(vault)
    for title in ("One", "Two"):
        create_exhibit(vault, title, entry_ids=ids["jordan"])
    page.refresh()
    assert labels(page) == ["Pet. Ex. 1", "Pet. Ex. 2"]
    with qtbot.waitSignal(page.changed):
        page.style_box.setCurrentIndex(page.style_box.findData(LabelStyle.LETTERS))
    assert labels(page) == ["Pet. Ex. A", "Pet. Ex. B"]
    assert load_choices(vault).options.labels is LabelStyle.LETTERS

    page.prefix_edit.setFocus()
    page.prefix_edit.selectAll()
    QTest.keyClicks(page.prefix_edit, "Resp.  Ex.")
    assert labels(page) == ["Resp. Ex. A", "Resp. Ex. B"]  # as typed, before it is saved
    assert page.editor.label_heading.text() == "Resp. Ex. A"
    with qtbot.waitSignal(page.changed):
        QTest.keyClick(page.prefix_edit, Qt.Key.Key_Return)
    assert load_choices(vault).options.prefix == "Resp. Ex."
    assert page.prefix_edit.text() == "Resp. Ex."

    # typed but not finished: saved by commit_pending_edits (before locking)
    page.prefix_edit.setText("Def. Ex.")
    assert page.commit_pending_edits()
    assert load_choices(vault).options.prefix == "Def. Ex."
    assert page.prefix_edit.maxLength() == 24
    assert "Resp" not in audit_text(vault) and "Def." not in audit_text(vault)


# ----- suggesting and removing -----------------------------------------------------------


@pytest.fixture
def demo_vault(tmp_path: Path):
    from nco_desktop.demo.case import create_demo_vault

    with create_demo_vault(
        tmp_path / "demo.ncovault", today=date(2026, 11, 16), kdf=TEST_KDF
    ) as demo:
        yield demo


@pytest.fixture
def demo_page(qtbot, demo_vault, session):
    widget = ExhibitsPage(session)
    qtbot.addWidget(widget)
    widget.resize(1090, 600)
    widget.session.open(demo_vault)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.session.detach()


def test_suggest_groups_the_demo_by_person_and_kind(qtbot, demo_page, demo_vault, shots):
    page, vault = demo_page, demo_vault
    page.editor.empty_suggest_button.click()  # no exhibits yet: no question asked
    groups = auto_groups(list(iter_entries(vault.conn)))
    assert titles(page) == [title for _kind, title, _members in groups]
    assert any(t.startswith("Messages with Jordan Blake") for t in titles(page))
    assert any(t.startswith("Call log with Jordan Blake") for t in titles(page))
    assert "Pictures and screenshots" in titles(page)
    incidents = {e.id for e in iter_entries(vault.conn) if e.kind == EntryKind.INCIDENT}
    for overview in exhibit_overview(vault.conn):
        assert overview.item_count and not incidents & set(
            exhibit_entry_ids(vault.conn, overview.id)
        )
    assert "exhibits suggested" in page.editor.status.text()
    details = page.column.exhibit_model.index(0, 0).data(LINES_ROLE)[2]
    assert "items · " in details and "2026" in details

    # with exhibits: ask first; "keep" keeps them
    page.editor.title_edit.setText("My own title")
    assert page.commit_pending_edits()
    prompts.answer_next(False)
    page.column.suggest_button.click()
    assert prompts.asked[-1].kind == "confirm" and "stays in the vault" in prompts.asked[-1].text
    assert "My own title" in titles(page)
    prompts.answer_next(True)
    page.column.suggest_button.click()
    assert "My own title" not in titles(page)
    assert len(titles(page)) == len(groups)
    assert verify_vault(vault).intact
    if os.environ.get("NCO_SCREENSHOTS"):
        page.open_exhibit(exhibit_order(vault.conn)[3])
        QApplication.processEvents()
        page.grab().save(str(shots / "11-exhibits.png"))


def test_remove_asks_and_keeps_the_evidence(qtbot, page, vault):
    ids = seed(vault)
    one = create_exhibit(vault, "One", entry_ids=ids["jordan"])
    two = create_exhibit(vault, "Two", entry_ids=ids["call"])
    page.refresh()
    page.open_exhibit(two)
    entries = vault.conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    prompts.answer_next(False)
    page.column.remove_button.click()
    assert exhibit_order(vault.conn) == [one, two]
    asked = prompts.asked[-1]
    assert asked.title == "Remove Pet. Ex. 2?"
    assert "stays in the vault" in asked.text and "1 item" in asked.text
    prompts.answer_next(True)
    page.column.exhibit_list.setFocus()
    QTest.keyClick(page.column.exhibit_list, Qt.Key.Key_Delete)  # the keyboard route asks too
    assert exhibit_order(vault.conn) == [one]
    assert page.current_exhibit_id() == one
    assert vault.conn.execute("SELECT count(*) FROM entries").fetchone()[0] == entries
    prompts.answer_next(True)
    page.remove_exhibit()
    assert exhibit_order(vault.conn) == []
    assert page.editor.stack.currentIndex() == 0 and page.editor.empty_buttons.isVisible()
    assert verify_vault(vault).intact


# ----- bad input and locking -------------------------------------------------------------


def test_bad_input_says_why_keeps_the_words_and_the_vault(qtbot, page, vault):
    ids = seed(vault)
    exhibit = create_exhibit(vault, "Texts", "Three of them.", entry_ids=ids["jordan"])
    page.refresh()
    before = audit_count(vault)

    # a blank title, focus leaving: the reason is shown and the field stays blank
    page.editor.title_edit.setFocus()
    page.editor.title_edit.clear()
    page.editor.title_edit.editingFinished.emit()
    assert (
        "needs a title" in page.editor.status.text()
        and page.editor.status.objectName() == "errorText"
    )
    assert page.editor.title_edit.text() == ""
    assert audit_count(vault) == before

    # a description over the limit: not saved, kept on screen, the reason given
    page.editor.title_edit.setText("Texts")
    too_long = "x" * (MAX_DESCRIPTION_CHARS + 1)
    page.editor.description_edit.setPlainText(too_long)
    assert page.editor.room_label.isVisible() and "2,001 of 2,000" in page.editor.room_label.text()
    assert not page.commit_pending_edits()
    assert "at most 2,000 characters" in page.editor.status.text()
    assert "still here" in page.editor.status.text()
    assert page.editor.description_edit.toPlainText() == too_long
    # …and switching to another exhibit waits for the words to be fixed
    create_exhibit(vault, "Other")
    page.refresh()
    page.column.exhibit_list.setCurrentIndex(page.column.exhibit_model.index(1, 0))
    assert page.current_exhibit_id() == exhibit
    assert page.column.exhibit_list.currentIndex().row() == 0
    QTest.keyClick(page.column.exhibit_list, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert exhibit_order(vault.conn)[0] == exhibit  # not moved: that would reload the words
    assert page.editor.description_edit.toPlainText() == too_long
    assert exhibit_overview(vault.conn)[0].description == "Three of them."
    assert audit_count(vault) == before + 1  # only "Other" was added
    assert verify_vault(vault).intact

    # leaving with a blank title keeps the last one rather than losing the description
    page.editor.description_edit.setPlainText("Two of them.")
    page.editor.title_edit.clear()
    assert page.commit_pending_edits()
    assert page.editor.title_edit.text() == "Texts"
    assert "last title was kept" in page.editor.status.text()
    assert exhibit_overview(vault.conn)[0].description == "Two of them."


def test_locking_forgets_everything(qtbot, page, vault):
    ids = seed(vault)
    create_exhibit(vault, TITLE, "Sent the week I moved.", entry_ids=ids["jordan"])
    page.refresh()
    page.evidence.search_edit.setText("Jordan")
    page.evidence.refresh()
    assert "Answer your phone." in every_text(page)
    assert page.commit_pending_edits()
    page.session.detach()
    text = every_text(page)
    for words in ("Elm", "Jordan", "Answer your phone", "Pet. Ex.", "Sent the week"):
        assert words not in text
    assert page.column.exhibit_model.rowCount() == page.editor.item_model.rowCount() == 0
    assert page.evidence.model.rowCount() == 0
    assert not page.column.new_button.isEnabled() and not page.editor.title_edit.isEnabled()
    assert page.editor.stack.currentIndex() == 0 and not page.editor.empty_buttons.isVisible()
    assert page.commit_pending_edits()  # locked: nothing to do, nothing fails
    (audited,) = vault.conn.execute("SELECT count(*) FROM audit_log").fetchone()
    page.new_exhibit()
    page.add_entries(ids["jordan"])
    assert vault.conn.execute("SELECT count(*) FROM audit_log").fetchone() == (audited,)
    assert page.column.exhibit_model.rowCount() == 0 and page.editor.status.text() == ""


def test_mime_data_round_trip():
    data = entry_ids_mime_data([3, 1, 3])
    assert data.formats() == [ENTRY_IDS_MIME]
    assert entry_ids_from_mime(data) == [3, 1]
    assert entry_ids_from_mime(QMimeData()) is None
    assert entry_ids_from_mime(None) is None
    odd = QMimeData()
    for raw in (b"", b"[]", b"[1.5]", b"[0]", b"\xff", b"[" + b"1," * 20_000 + b"1]"):
        odd.setData(ENTRY_IDS_MIME, raw)
        assert entry_ids_from_mime(odd) is None


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("NCO_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_ids_are_the_rows_data(qtbot, page, vault):
    ids = seed(vault)
    exhibit = create_exhibit(vault, "Texts", entry_ids=ids["jordan"])
    page.refresh()
    assert page.column.exhibit_model.index(0, 0).data(ID_ROLE) == exhibit
    assert [page.editor.item_model.index(r, 0).data(ID_ROLE) for r in range(3)] == ids["jordan"]
    first, second = page.editor.item_model.index(0, 0).data(LINES_ROLE)
    assert first.startswith("Mon Nov 10, 2025, 10:15 PM")  # in the vault's zone
    assert second == "From Jordan: Answer your phone."


def test_a_large_vaults_evidence_search_is_a_job(qtbot, page, vault, monkeypatch):
    from nco_desktop.timeline.evidence_search import search_evidence
    from nco_desktop.ui.common import jobs

    seed(vault)
    expected = search_evidence(vault.conn, "Jordan").ids
    assert expected
    monkeypatch.setattr(jobs, "QUERY_JOB_FROM", 1)  # every vault counts as large
    page.evidence.search_edit.setText("Jordan")
    page.evidence.refresh()  # asked; the job answers later, the window goes on
    qtbot.waitUntil(lambda: page.evidence.model.ids() == expected)
    page.evidence.search_edit.setText("Answer your phone")
    page.evidence.refresh()
    page.session.detach()  # locked before the search answered: nothing is shown
    qtbot.wait(100)
    assert page.evidence.model.ids() == []


def test_a_large_vaults_suggestion_is_saved_by_a_job(qtbot, demo_page, demo_vault, monkeypatch):
    from nco_desktop.ui.common import jobs

    monkeypatch.setattr(jobs, "QUERY_JOB_FROM", 1)  # every vault counts as large
    demo_page.suggest_exhibits()
    assert not demo_page.isEnabled()  # no edits while the job writes
    qtbot.waitUntil(lambda: demo_page.isEnabled(), timeout=30_000)
    assert demo_page.column.exhibit_model.rowCount() >= 5
    assert "exhibits suggested" in demo_page.editor.status.text()
