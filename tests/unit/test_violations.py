"""Contacts from the restrained person after an order: counted by hand, then by code."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from nco_desktop.case.orders import NewOrder, OrderKind, add_order
from nco_desktop.case.people import IdentifierKind, NewPerson, Role, add_person
from nco_desktop.case.violations import possible_violation_ids, upcoming_deadlines
from nco_desktop.evidence.records import CallType, Direction, EntryKind, NewEntry, TimeSource
from nco_desktop.evidence.store import add_entry
from nco_desktop.timekeeping import to_ms

CHICAGO = ZoneInfo("America/Chicago")
HIM = "tel:+13125550147"
SOMEONE_ELSE = "tel:+13125550100"


def at(day: int, hour: int = 12, month: int = 11) -> int:
    return to_ms(datetime(2026, month, day, hour, tzinfo=CHICAGO))


def seed(vault) -> dict[str, int]:
    rows = {
        "before": (EntryKind.MESSAGE, at(9, 23), HIM, Direction.INCOMING, None),
        "served_day_early": (EntryKind.MESSAGE, at(10, 0), HIM, Direction.INCOMING, None),
        "text_in": (EntryKind.MESSAGE, at(12, 2), HIM, Direction.INCOMING, None),
        "my_reply": (EntryKind.MESSAGE, at(12, 3), HIM, Direction.OUTGOING, None),
        "missed": (EntryKind.CALL, at(13, 1), HIM, Direction.INCOMING, CallType.MISSED),
        "i_called": (EntryKind.CALL, at(13, 2), HIM, Direction.OUTGOING, CallType.OUTGOING),
        "other_person": (EntryKind.MESSAGE, at(14), SOMEONE_ELSE, Direction.INCOMING, None),
        "email_in": (EntryKind.EMAIL, at(20, 9), HIM, Direction.INCOMING, None),
        "after_expiry": (EntryKind.MESSAGE, at(1, 9, month=12), HIM, Direction.INCOMING, None),
    }
    ids = {}
    with vault.change() as change:
        for name, (kind, ms, key, direction, call_type) in rows.items():
            ids[name] = add_entry(
                change,
                NewEntry(
                    kind=kind,
                    occurred_ms=ms,
                    time_source=TimeSource.EXPORT_FIELD,
                    party_key=key,
                    direction=direction,
                    call_type=call_type,
                    text=name,
                ),
            )
        change.audit("test.seed")
    return ids


def test_only_contacts_from_him_while_the_order_binds_are_flagged(vault):
    ids = seed(vault)
    assert possible_violation_ids(vault.conn, CHICAGO) == set()  # no order yet
    person = add_person(
        vault,
        NewPerson(Role.RESTRAINED, "Jordan Blake", ((IdentifierKind.PHONE, "(312) 555-0147"),)),
    )
    add_order(
        vault,
        NewOrder(
            OrderKind.CIVIL_PROTECTION,
            issued_on=date(2026, 11, 9),
            served_on=date(2026, 11, 10),
            expires_on=date(2026, 11, 30),
            restrained_person_id=person,
        ),
    )
    flagged = possible_violation_ids(vault.conn, CHICAGO)
    expected = {"served_day_early", "text_in", "missed", "email_in"}  # counted by hand
    assert flagged == {ids[name] for name in expected}


def test_hearings_and_expiries_within_two_weeks_come_soonest_first(vault):
    add_order(
        vault,
        NewOrder(
            OrderKind.CIVIL_PROTECTION,
            issued_on=date(2026, 11, 1),
            hearing_at=datetime(2026, 12, 1, 9, 30),
            expires_on=date(2026, 11, 28),
        ),
    )
    today = date(2026, 11, 25)
    soon = upcoming_deadlines(vault.conn, today)
    assert [(d.what, d.day, d.days_left(today)) for d in soon] == [
        ("expiry", date(2026, 11, 28), 3),
        ("hearing", date(2026, 12, 1), 6),
    ]
    assert upcoming_deadlines(vault.conn, date(2026, 11, 1)) == []  # a month off: quiet
    assert upcoming_deadlines(vault.conn, date(2026, 12, 2)) == []  # passed: quiet
