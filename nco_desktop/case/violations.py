"""What an order changes: later contacts become possible violations, dates come near.

A contact is *possibly* a violation: the program cannot know the order's terms allow
nothing (some allow contact through lawyers, or about children), so the words stay
"possible", and only contacts that came *from* the restrained person count — the
user's own replies are never flagged. An order binds from the day it was served (or,
when no service date is known, the day it was issued) until the end of its expiry day,
in the vault's time zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from nco_desktop.case.orders import Order, list_orders
from nco_desktop.case.people import party_keys_for
from nco_desktop.evidence.records import CallType, Direction, EntryKind
from nco_desktop.timekeeping import to_ms
from nco_desktop.timeline.query import VISIBLE_CLAUSE
from nco_desktop.vault.connection import Connection

SOON_DAYS = 14

# Contacts that reach the user: messages and e-mails received, and calls they got —
# answered or not. An outgoing call is the user's own.
_INCOMING_CALLS = (
    CallType.INCOMING,
    CallType.MISSED,
    CallType.VOICEMAIL,
    CallType.REJECTED,
    CallType.BLOCKED,
)


@dataclass(frozen=True)
class OrderWindow:
    order: Order
    person_id: int
    start_ms: int  # inclusive
    end_ms: int | None  # exclusive; None: no expiry known


def order_windows(conn: Connection, zone: ZoneInfo) -> list[OrderWindow]:
    """The span each order binds its restrained person, for orders that name one."""
    windows = []
    for order in list_orders(conn):
        begins = order.served_on or order.issued_on
        if order.restrained_person_id is None or begins is None:
            continue
        end = None
        if order.expires_on is not None:
            end = _midnight_ms(order.expires_on + timedelta(days=1), zone)
        windows.append(
            OrderWindow(order, order.restrained_person_id, _midnight_ms(begins, zone), end)
        )
    return windows


def possible_violation_ids(conn: Connection, zone: ZoneInfo) -> set[int]:
    """Entries that came from a restrained person while an order bound them."""
    found: set[int] = set()
    for window in order_windows(conn, zone):
        found.update(contacts_in(conn, window))
    return found


def contacts_in(conn: Connection, window: OrderWindow) -> Iterator[int]:
    """The contacts that came from *window*'s person while its order bound them."""
    keys = sorted(party_keys_for(conn, window.person_id))
    if not keys:
        return
    marks = ", ".join("?" for _ in keys)
    calls = ", ".join("?" for _ in _INCOMING_CALLS)
    sql = (
        f"SELECT id FROM entries e WHERE {VISIBLE_CLAUSE} AND party_key IN ({marks}) "
        "AND occurred_ms >= ?"
        + (" AND occurred_ms < ?" if window.end_ms is not None else "")
        + f" AND ((kind = ? AND call_type IN ({calls}))"
        " OR (kind IN (?, ?) AND direction = ?))"
    )
    params: list[object] = [*keys, window.start_ms]
    if window.end_ms is not None:
        params.append(window.end_ms)
    params += [EntryKind.CALL, *_INCOMING_CALLS, EntryKind.MESSAGE, EntryKind.EMAIL]
    params.append(Direction.INCOMING)
    for (entry_id,) in conn.execute(sql, params):
        yield int(entry_id)


@dataclass(frozen=True)
class Deadline:
    """A hearing or an expiry within :data:`SOON_DAYS` (or already today)."""

    what: str  # "hearing" or "expiry"
    day: date
    at: datetime | None  # the hearing's wall-clock time, when known
    order: Order

    def days_left(self, today: date) -> int:
        return (self.day - today).days


def upcoming_deadlines(conn: Connection, today: date, days: int = SOON_DAYS) -> list[Deadline]:
    """Hearings and expiries from *today* to *days* ahead, soonest first."""
    found = []
    for order in list_orders(conn):
        if order.hearing_at is not None:
            found.append(Deadline("hearing", order.hearing_at.date(), order.hearing_at, order))
        if order.expires_on is not None:
            found.append(Deadline("expiry", order.expires_on, None, order))
    soon = [d for d in found if 0 <= d.days_left(today) <= days]
    return sorted(soon, key=lambda d: (d.day, d.what != "hearing"))  # a hearing first


def _midnight_ms(day: date, zone: ZoneInfo) -> int:
    return to_ms(datetime.combine(day, time(0, 0), tzinfo=zone))
