"""Editing and removing people and orders: one audited change each, nothing typed in the log."""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from nco_desktop.case import InvalidRecord
from nco_desktop.case.orders import NewOrder, OrderKind, add_order, list_orders
from nco_desktop.case.people import IdentifierKind, NewPerson, Role, add_person, get_person
from nco_desktop.case.record_edits import (
    delete_order,
    delete_person,
    entries_for_person,
    people_in_order,
    update_order,
    update_person,
    violations_per_order,
)
from nco_desktop.evidence.records import Direction, EntryKind, NewEntry, TimeSource
from nco_desktop.evidence.store import add_entry
from nco_desktop.timekeeping import to_ms
from nco_desktop.verification import verify_vault

CHICAGO = ZoneInfo("America/Chicago")
HIM = "tel:+13125550147"
NEW_NUMBER = "tel:+13125550199"


def at(day: int, hour: int = 12) -> int:
    return to_ms(datetime(2026, 11, day, hour, tzinfo=CHICAGO))


def seed(vault, rows) -> list[int]:
    ids = []
    with vault.change() as change:
        for n, (ms, key, direction) in enumerate(rows):
            ids.append(
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
            )
        change.audit("test.seed")
    return ids


def audit_rows(vault) -> list[tuple[str, str]]:
    return list(vault.conn.execute("SELECT action, details_json FROM audit_log ORDER BY seq"))


def test_a_person_is_changed_whole_and_recognised_by_the_new_number(vault):
    seed(
        vault,
        [
            (at(1), HIM, Direction.INCOMING),
            (at(2), HIM, Direction.OUTGOING),
            (at(3), NEW_NUMBER, Direction.INCOMING),
        ],
    )
    pid = add_person(
        vault,
        NewPerson(Role.WITNESS, "Jordan", ((IdentifierKind.PHONE, "(312) 555-0147"),)),
    )
    assert entries_for_person(vault.conn, pid) == 2  # from him and my reply to him
    update_person(
        vault,
        pid,
        NewPerson(
            Role.RESTRAINED,
            "  Jordan Blake ",
            (
                (IdentifierKind.PHONE, "312-555-0147"),
                (IdentifierKind.PHONE, "312 555 0199"),
                (IdentifierKind.PHONE, "+1 312 555 0199"),  # the same number: kept once
            ),
            notes="new car",
        ),
    )
    person = get_person(vault.conn, pid)
    assert (person.role, person.name, person.notes) == (Role.RESTRAINED, "Jordan Blake", "new car")
    assert [i.normalized for i in person.identifiers] == ["+13125550147", "+13125550199"]
    assert entries_for_person(vault.conn, pid) == 3
    action, details = audit_rows(vault)[-1]
    assert action == "person.changed"
    assert json.loads(details) == {
        "person_id": pid,
        "role": "restrained",
        "fields": ["role", "name", "notes", "identifiers"],
        "identifiers": ["phone", "phone"],
    }
    assert verify_vault(vault).intact


def test_a_bad_edit_writes_nothing(vault):
    pid = add_person(vault, NewPerson(Role.WITNESS, "Maria"))
    before = audit_rows(vault)
    with pytest.raises(InvalidRecord, match="phone number"):
        update_person(
            vault, pid, NewPerson(Role.WITNESS, "Maria", ((IdentifierKind.PHONE, "call me"),))
        )
    with pytest.raises(InvalidRecord, match="needs a name"):
        update_person(vault, pid, NewPerson(Role.WITNESS, " "))
    with pytest.raises(InvalidRecord, match="no longer"):
        update_person(vault, pid + 10, NewPerson(Role.WITNESS, "X"))
    assert audit_rows(vault) == before
    assert get_person(vault.conn, pid).name == "Maria"


def test_people_come_restrained_first_then_witnesses_petitioner_others(vault):
    other = add_person(vault, NewPerson(Role.OTHER, "Officer"))
    me = add_person(vault, NewPerson(Role.PETITIONER, "Me"))
    witness = add_person(vault, NewPerson(Role.WITNESS, "Maria"))
    him = add_person(vault, NewPerson(Role.RESTRAINED, "Jordan"))
    assert [p.id for p in people_in_order(vault.conn)] == [him, witness, me, other]


def test_deleting_a_person_unlinks_their_orders_and_keeps_the_evidence(vault):
    seed(vault, [(at(5), HIM, Direction.INCOMING)])
    pid = add_person(
        vault, NewPerson(Role.RESTRAINED, "Jordan", ((IdentifierKind.PHONE, "3125550147"),))
    )
    oid = add_order(
        vault,
        NewOrder(OrderKind.RESTRAINING, served_on=date(2026, 11, 1), restrained_person_id=pid),
    )
    assert violations_per_order(vault.conn, CHICAGO) == {oid: 1}
    delete_person(vault, pid)
    assert list_orders(vault.conn)[0].restrained_person_id is None
    assert vault.conn.execute("SELECT COUNT(*) FROM person_identifiers").fetchone()[0] == 0
    assert vault.conn.execute("SELECT COUNT(*) FROM entries").fetchone()[0] == 1
    assert violations_per_order(vault.conn, CHICAGO) == {}
    action, details = audit_rows(vault)[-1]
    assert action == "person.deleted"
    assert json.loads(details) == {
        "person_id": pid,
        "role": "restrained",
        "identifiers": 1,
        "orders_unlinked": [oid],
    }
    assert verify_vault(vault).intact


def test_an_order_is_changed_and_its_possible_violations_follow_its_dates(vault):
    seed(
        vault,
        [
            (at(2), HIM, Direction.INCOMING),  # before service
            (at(6), HIM, Direction.INCOMING),  # after service
            (at(7), HIM, Direction.OUTGOING),  # the user's own: never flagged
            (at(9), HIM, Direction.INCOMING),  # after service
        ],
    )
    pid = add_person(
        vault, NewPerson(Role.RESTRAINED, "Jordan", ((IdentifierKind.PHONE, "(312) 555-0147"),))
    )
    oid = add_order(vault, NewOrder(OrderKind.OTHER, issued_on=date(2026, 11, 1)))
    assert violations_per_order(vault.conn, CHICAGO) == {}  # names no one yet
    update_order(
        vault,
        oid,
        NewOrder(
            OrderKind.CIVIL_PROTECTION,
            court=" Cook County ",
            case_number="2026-OP-1",
            issued_on=date(2026, 11, 1),
            served_on=date(2026, 11, 5),
            hearing_at=datetime(2026, 11, 20, 9, 30, 15),
            expires_on=date(2026, 11, 30),
            terms="no contact",
            restrained_person_id=pid,
        ),
    )
    order = list_orders(vault.conn)[0]
    assert order.court == "Cook County" and order.served_on == date(2026, 11, 5)
    assert order.hearing_at == datetime(2026, 11, 20, 9, 30)
    assert violations_per_order(vault.conn, CHICAGO) == {oid: 2}  # counted by hand
    action, details = audit_rows(vault)[-1]
    assert action == "order.changed"
    assert json.loads(details) == {
        "order_id": oid,
        "kind": "civil-protection",
        "restrained_person_id": pid,
        "fields": [
            "kind",
            "court",
            "case_number",
            "served_on",
            "hearing_at",
            "expires_on",
            "terms",
            "restrained_person_id",
        ],
    }
    # Served later: only the contact on the 9th is after it.
    update_order(
        vault,
        oid,
        NewOrder(
            OrderKind.CIVIL_PROTECTION,
            issued_on=date(2026, 11, 1),
            served_on=date(2026, 11, 8),
            restrained_person_id=pid,
        ),
    )
    assert violations_per_order(vault.conn, CHICAGO) == {oid: 1}
    delete_order(vault, oid)
    assert list_orders(vault.conn) == []
    assert audit_rows(vault)[-1][0] == "order.deleted"
    assert verify_vault(vault).intact


@pytest.mark.parametrize(
    ("order", "message"),
    [
        (
            NewOrder(OrderKind.OTHER, issued_on=date(2026, 5, 2), expires_on=date(2026, 5, 1)),
            "cannot end before",
        ),
        (
            NewOrder(OrderKind.OTHER, issued_on=date(2026, 5, 2), served_on=date(2026, 5, 1)),
            "cannot be served before",
        ),
        (NewOrder("injunction"), "not a kind of order"),  # type: ignore[arg-type]
        (NewOrder(OrderKind.OTHER, restrained_person_id=999), "not in the vault"),
        (NewOrder(OrderKind.OTHER, court="x" * 501), "longer than"),
    ],
)
def test_order_edits_are_checked_like_new_orders(vault, order, message):
    oid = add_order(vault, NewOrder(OrderKind.RESTRAINING))
    before = audit_rows(vault)
    with pytest.raises(InvalidRecord, match=message):
        update_order(vault, oid, order)
    assert audit_rows(vault) == before
    assert list_orders(vault.conn)[0].kind is OrderKind.RESTRAINING


def test_nothing_typed_reaches_the_audit_log(vault):
    pid = add_person(vault, NewPerson(Role.WITNESS, "Maria"))
    update_person(
        vault,
        pid,
        NewPerson(
            Role.WITNESS,
            "Maria Lopez",
            ((IdentifierKind.EMAIL, "maria@example.com"), (IdentifierKind.ADDRESS, "12 Elm St")),
            notes="saw the car",
        ),
    )
    oid = add_order(vault, NewOrder(OrderKind.RESTRAINING))
    update_order(
        vault, oid, NewOrder(OrderKind.RESTRAINING, court="Cook County", case_number="26-OP-77")
    )
    delete_person(vault, pid)
    log = json.dumps(audit_rows(vault))
    for typed in ("Maria", "example.com", "Elm", "saw the car", "Cook", "26-OP-77"):
        assert typed not in log
