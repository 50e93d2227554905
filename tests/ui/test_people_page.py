"""The People & orders view on real vaults: typed, saved, counted, reopened, locked."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
)

from nco_desktop.case.orders import NewOrder, OrderKind, add_order, list_orders
from nco_desktop.case.people import IdentifierKind, NewPerson, Role, add_person, list_people
from nco_desktop.evidence.records import Direction, EntryKind, NewEntry, TimeSource
from nco_desktop.evidence.store import add_entry
from nco_desktop.timekeeping import to_ms
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.session import Change, VaultSession
from nco_desktop.ui.people.people_page import PeoplePage
from nco_desktop.vault import Vault
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE

CHICAGO = ZoneInfo("America/Chicago")
HIM = "tel:+13125550147"
SOMEONE_ELSE = "tel:+13125550100"


def at(day: int, hour: int = 21) -> int:
    return to_ms(datetime(2026, 11, day, hour, tzinfo=CHICAGO))


def seed(vault, rows: list[tuple[int, str, Direction]]) -> None:
    with vault.change() as change:
        for n, (ms, key, direction) in enumerate(rows):
            add_entry(
                change,
                NewEntry(
                    kind=EntryKind.MESSAGE,
                    occurred_ms=ms,
                    time_source=TimeSource.EXPORT_FIELD,
                    party_key=key,
                    direction=direction,
                    text=f"message {n}",
                    source_key=f"seed-{n}",
                ),
            )
        change.audit("test.seed")


@pytest.fixture
def page(qtbot, vault, session) -> PeoplePage:
    widget = PeoplePage(session)
    qtbot.addWidget(widget)
    widget.resize(1000, 650)
    widget.session.open(vault)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def item_for(page: PeoplePage, kind: str, record_id: int) -> QListWidgetItem:
    for row in range(page.list.count()):
        item = page.list.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == (kind, record_id):
            return item
    raise AssertionError(f"no {kind} #{record_id} in the list")


def list_texts(page: PeoplePage) -> list[str]:
    return [page.list.item(row).text() for row in range(page.list.count())]


def add_jordan_by_hand(qtbot, page: PeoplePage) -> int:
    qtbot.mouseClick(page.add_person_button, Qt.MouseButton.LeftButton)
    editor = page.person_editor
    assert page.stack.currentWidget() is editor
    assert editor.role.currentData() == Role.RESTRAINED  # the first person: who it is against
    qtbot.keyClicks(editor.name_edit, "Jordan Blake")
    qtbot.keyClicks(editor.rows[0].value, "(312) 555-0147")
    assert "+13125550147" in editor.rows[0].matched.text()  # typed and normalised, both shown
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert editor.record_id is not None
    return editor.record_id


def test_a_phone_typed_by_hand_recognises_his_entries(qtbot, vault, page):
    seed(
        vault,
        [
            (at(3), HIM, Direction.INCOMING),
            (at(4), HIM, Direction.INCOMING),
            (at(5), SOMEONE_ELSE, Direction.INCOMING),
        ],
    )
    assert "Start with the person the order is against" in page.empty_text.text()
    person_id = add_jordan_by_hand(qtbot, page)
    assert "2 entries on the timeline" in page.person_editor.recognised.text()
    assert any(text.startswith("Jordan Blake\nRestrained person") for text in list_texts(page))
    assert page.list.currentItem() is item_for(page, "person", person_id)
    assert not page.person_editor.save_button.isEnabled()  # saved: nothing pending
    (saved,) = list_people(vault.conn)
    assert [(i.value, i.normalized) for i in saved.identifiers] == [
        ("(312) 555-0147", "+13125550147")
    ]
    assert verify_vault(vault).intact


def test_an_order_served_between_two_messages_flags_the_later_one(qtbot, vault, page):
    seed(
        vault,
        [
            (at(3), HIM, Direction.INCOMING),  # before service: not flagged
            (at(12), HIM, Direction.INCOMING),  # after service: a possible violation
            (at(13), HIM, Direction.OUTGOING),  # the user's own reply: never flagged
        ],
    )
    add_jordan_by_hand(qtbot, page)
    qtbot.mouseClick(page.add_order_button, Qt.MouseButton.LeftButton)
    editor = page.order_editor
    assert editor.person.currentText() == "Jordan Blake"  # the only restrained person
    editor.kind.setCurrentIndex(editor.kind.findData(OrderKind.CRIMINAL_NO_CONTACT))
    qtbot.keyClicks(editor.court, "Circuit Court of Cook County")
    qtbot.keyClicks(editor.case_number, "2026-CR-0147")
    for field, typed in ((editor.issued, "Nov 6, 2026"), (editor.served, "11/7/2026")):
        qtbot.mouseClick(field.line, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(field.line, typed)
    qtbot.keyClicks(editor.hearing.line, "Nov 20, 2026 9 am")
    assert editor.hearing.reading.text() == "Friday, Nov 20, 2026, 9:00 AM CST"
    assert editor.expires.day() is None  # left empty: not known
    assert editor.expires.reading.text() == "Not known"
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    text = editor.violations.text()
    assert "1 contact from Jordan Blake after the order was served" in text
    assert "possible violation" in text
    assert any("1 possible violation" in text for text in list_texts(page))
    (order,) = list_orders(vault.conn)
    assert (order.issued_on, order.served_on, order.expires_on) == (
        date(2026, 11, 6),
        date(2026, 11, 7),
        None,
    )
    assert order.hearing_at == datetime(2026, 11, 20, 9, 0)

    # Served earlier: both messages from him are after it now.
    editor.issued.set_text("Nov 1, 2026")
    editor.served.set_text("Nov 2, 2026")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert "2 contacts from Jordan Blake" in editor.violations.text()
    assert verify_vault(vault).intact


def test_edits_persist_after_the_vault_is_opened_again(qtbot, vault, vault_path, page):
    pid = add_person(vault, NewPerson(Role.WITNESS, "Maria Lopez"))
    oid = add_order(vault, NewOrder(OrderKind.RESTRAINING, served_on=date(2026, 11, 7)))
    page.refresh()
    page.open_record("person", pid)
    editor = page.person_editor
    editor.name_edit.setText("Maria L. Lopez")
    editor.rows[0].kind.setCurrentIndex(editor.rows[0].kind.findData(IdentifierKind.EMAIL))
    editor.rows[0].value.setText("Maria@Example.com")
    qtbot.mouseClick(editor.add_row_button, Qt.MouseButton.LeftButton)
    editor.rows[1].value.setText("312.555.0100")
    editor.notes.setPlainText("saw the car outside work")
    assert editor.discard_button.isEnabled()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)

    # Switching records saves pending edits too.
    page.open_record("order", oid)
    page.order_editor.terms.setPlainText("stay 500 feet away")
    page.list.setCurrentItem(item_for(page, "person", pid))
    assert page.stack.currentWidget() is editor
    qtbot.waitUntil(lambda: "Restraining order" in "".join(list_texts(page)))

    page.session.detach()
    vault.close()
    with Vault.open(vault_path, PASSPHRASE) as reopened:
        again = PeoplePage(VaultSession())
        qtbot.addWidget(again)
        again.show()  # a view reads its vault when shown
        again.session.open(reopened)
        again.open_record("person", pid)
        person = again.person_editor
        assert person.name_edit.text() == "Maria L. Lopez"
        assert [row.get() for row in person.rows] == [
            (IdentifierKind.EMAIL, "Maria@Example.com"),
            (IdentifierKind.PHONE, "312.555.0100"),
        ]
        assert person.notes.toPlainText() == "saw the car outside work"
        assert person.role.currentData() == Role.WITNESS
        again.open_record("order", oid)
        assert again.order_editor.terms.toPlainText() == "stay 500 feet away"
        assert again.order_editor.served.day() == date(2026, 11, 7)
        assert again.order_editor.served.text() == "Nov 7, 2026"
        assert verify_vault(reopened).intact
        again.session.detach()


def test_the_audit_log_holds_no_names_or_numbers(qtbot, vault, page):
    add_jordan_by_hand(qtbot, page)
    editor = page.person_editor
    editor.notes.setPlainText("grey sedan")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(page.add_order_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(page.order_editor.case_number, "2026-CR-0147")
    qtbot.keyClicks(page.order_editor.court, "Cook County")
    qtbot.mouseClick(page.order_editor.save_button, Qt.MouseButton.LeftButton)
    actions = [row[0] for row in vault.conn.execute("SELECT action FROM audit_log ORDER BY seq")]
    assert actions[-3:] == ["person.added", "person.changed", "order.added"]
    log = json.dumps(list(vault.conn.execute("SELECT action, details_json FROM audit_log")))
    for typed in ("Jordan", "Blake", "555", "0147", "grey", "Cook"):
        assert typed not in log


def test_a_record_that_cannot_be_saved_stays_open_with_the_reason(qtbot, vault, page):
    pid = add_person(vault, NewPerson(Role.RESTRAINED, "Jordan"))
    oid = add_order(vault, NewOrder(OrderKind.RESTRAINING, restrained_person_id=pid))
    page.refresh()
    page.open_record("person", pid)
    editor = page.person_editor
    editor.rows[0].value.setText("call me")
    assert "Not a complete phone number" in editor.rows[0].matched.text()
    page.list.setCurrentItem(item_for(page, "order", oid))
    assert page.stack.currentWidget() is editor  # not dropped
    assert page.list.currentItem() is item_for(page, "person", pid)
    assert "does not look like a phone number" in editor.status.text()
    assert editor.rows[0].value.text() == "call me"
    qtbot.mouseClick(editor.discard_button, Qt.MouseButton.LeftButton)
    assert editor.rows[0].value.text() == ""
    page.list.setCurrentItem(item_for(page, "order", oid))
    assert page.stack.currentWidget() is page.order_editor


def test_commit_pending_edits_saves_before_locking(qtbot, vault, page):
    pid = add_person(vault, NewPerson(Role.WITNESS, "Maria"))
    page.refresh()
    page.open_record("person", pid)
    page.person_editor.name_edit.setText("Maria Lopez")
    with qtbot.waitSignal(page.changed):
        page.commit_pending_edits()
    assert list_people(vault.conn)[0].name == "Maria Lopez"


def test_ctrl_s_saves_the_record_being_typed(qtbot, vault, page):
    pid = add_person(vault, NewPerson(Role.WITNESS, "Maria"))
    page.refresh()
    page.open_record("person", pid)
    page.activateWindow()
    qtbot.waitActive(page)
    page.person_editor.name_edit.setFocus()
    page.person_editor.name_edit.setText("Maria Lopez")
    with qtbot.waitSignal(page.changed):
        qtbot.keyClick(
            page.person_editor.name_edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
        )
    assert list_people(vault.conn)[0].name == "Maria Lopez"


def test_removing_a_person_asks_and_keeps_the_evidence(qtbot, vault, page):
    seed(vault, [(at(3), HIM, Direction.INCOMING)])
    pid = add_person(
        vault, NewPerson(Role.RESTRAINED, "Jordan", ((IdentifierKind.PHONE, "3125550147"),))
    )
    page.refresh()
    page.open_record("person", pid)
    prompts.answer_next(False)
    qtbot.mouseClick(page.person_editor.delete_button, Qt.MouseButton.LeftButton)
    assert list_people(vault.conn)
    prompts.answer_next(True)
    with qtbot.waitSignal(page.changed):
        qtbot.mouseClick(page.person_editor.delete_button, Qt.MouseButton.LeftButton)
    assert list_people(vault.conn) == []
    assert prompts.asked[-1].title == "Remove this person?"
    assert vault.conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 1
    assert page.stack.currentWidget() is page.empty
    assert verify_vault(vault).intact


def test_locking_empties_every_widget(qtbot, vault, page):
    seed(vault, [(at(3), HIM, Direction.INCOMING)])
    pid = add_person(
        vault,
        NewPerson(
            Role.RESTRAINED,
            "Jordan Blake",
            ((IdentifierKind.PHONE, "(312) 555-0147"), (IdentifierKind.EMAIL, "jb@example.com")),
            notes="grey sedan",
        ),
    )
    oid = add_order(
        vault,
        NewOrder(
            OrderKind.CIVIL_PROTECTION,
            court="Cook County",
            case_number="2026-OP-0147",
            served_on=date(2026, 11, 1),
            terms="no contact",
            restrained_person_id=pid,
        ),
    )
    page.refresh()
    page.open_record("order", oid)
    page.open_record("person", pid)
    page.person_editor.notes.setPlainText("grey sedan, new plates")  # saved on locking
    page.session.detach()
    assert page.list.count() == 0
    assert page.stack.currentWidget() is page.empty
    assert not page.add_person_button.isEnabled()
    assert page.person_editor.rows == []
    secrets = ("Jordan", "Blake", "555", "0147", "example", "sedan", "Cook", "contact from")
    for widget in page.findChildren(QLineEdit):
        assert widget.text() == ""
    for widget in page.findChildren(QPlainTextEdit):
        assert widget.toPlainText() == ""
        assert not widget.document().isUndoAvailable()
    for combo in page.findChildren(QComboBox):
        assert all("Jordan" not in combo.itemText(i) for i in range(combo.count()))
    for label in page.findChildren(QLabel):
        assert not any(secret in label.text() for secret in secrets), label.text()
    assert page.order_editor.served.day() is None
    assert list_people(vault.conn)[0].notes == "grey sedan, new plates"


def test_every_button_has_a_name(page):
    page.add_person()
    page.person_editor.add_row_button.click()
    for button in page.findChildren(QAbstractButton):
        assert button.text() or button.accessibleName(), button.objectName()


def test_new_evidence_is_counted_again_without_losing_what_is_typed(qtbot, vault, page):
    pid = add_person(
        vault, NewPerson(Role.RESTRAINED, "Jordan", ((IdentifierKind.PHONE, "312 555 0147"),))
    )
    page.refresh()
    page.open_record("person", pid)
    assert "No entries on the timeline" in page.person_editor.recognised.text()
    page.person_editor.notes.setPlainText("typing…")
    seed(vault, [(at(3), HIM, Direction.INCOMING)])  # an import, meanwhile
    page.session.notify(Change.ENTRIES)  # the window's word after an import
    assert "1 entry on the timeline" in page.person_editor.recognised.text()
    assert page.person_editor.notes.toPlainText() == "typing…"
    assert page.person_editor.is_dirty()


def test_an_order_served_before_it_was_issued_is_not_saved(qtbot, vault, page):
    page.add_order()
    editor = page.order_editor
    editor.issued.set_text("11/9/2026")
    editor.served.set_text("11/8/2026")
    assert not editor.save()
    assert "cannot be served before" in editor.status.text()
    assert list_orders(vault.conn) == []
    editor.served.set_text("11/10/2026")
    assert editor.save()
    assert list_orders(vault.conn)[0].served_on == date(2026, 11, 10)
