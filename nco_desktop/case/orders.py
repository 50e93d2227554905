"""Court orders: what kind, which court, when issued, served, heard and ending.

Dates are calendar days in the vault's time zone (ISO 'YYYY-MM-DD'); the hearing is a
wall-clock time there ('YYYY-MM-DDTHH:MM'), because that is how the paper reads and a
hearing does not move when the user travels.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from nco_desktop.case import InvalidRecord
from nco_desktop.vault import Vault
from nco_desktop.vault.connection import Connection

MAX_TEXT_CHARS = 20_000
MAX_SHORT_CHARS = 500  # court, case number


class OrderKind(StrEnum):
    CRIMINAL_NO_CONTACT = "criminal-no-contact"
    CIVIL_PROTECTION = "civil-protection"
    RESTRAINING = "restraining"
    OTHER = "other"


@dataclass(frozen=True)
class NewOrder:
    """An order about to be saved. *hearing_at* is naive wall-clock time in the vault zone."""

    kind: OrderKind
    court: str = ""
    case_number: str = ""
    issued_on: date | None = None
    served_on: date | None = None
    hearing_at: datetime | None = None
    expires_on: date | None = None
    terms: str = ""
    restrained_person_id: int | None = None


@dataclass(frozen=True)
class Order:
    id: int
    kind: OrderKind
    court: str
    case_number: str
    issued_on: date | None
    served_on: date | None
    hearing_at: datetime | None
    expires_on: date | None
    terms: str
    restrained_person_id: int | None


def check_order(vault: Vault, order: NewOrder) -> tuple[OrderKind, datetime | None]:
    """The rules every saved order follows; returns its kind and its hearing as stored
    (naive wall-clock time in the vault zone, to the minute). Raises InvalidRecord."""
    kind = _kind(order.kind)
    hearing = _wall_clock(vault, order.hearing_at)
    for day, what in (
        (order.issued_on, "issue"),
        (order.served_on, "service"),
        (order.expires_on, "expiry"),
    ):
        if day is not None and (not isinstance(day, date) or isinstance(day, datetime)):
            raise InvalidRecord(f"The {what} date must be a calendar date.")
    if order.issued_on and order.expires_on and order.expires_on < order.issued_on:
        raise InvalidRecord("The order cannot end before the day it was issued.")
    if order.issued_on and order.served_on and order.served_on < order.issued_on:
        raise InvalidRecord("The order cannot be served before the day it was issued.")
    if order.issued_on and hearing and hearing.date() < order.issued_on:
        raise InvalidRecord("The hearing cannot be before the day the order was issued.")
    for text, what in ((order.court, "court"), (order.case_number, "case number")):
        if len(text) > MAX_SHORT_CHARS:
            raise InvalidRecord(f"The {what} is longer than {MAX_SHORT_CHARS} characters.")
    if len(order.terms) > MAX_TEXT_CHARS:
        raise InvalidRecord(f"The terms are longer than {MAX_TEXT_CHARS:,} characters.")
    return kind, hearing


def check_restrained_person(conn: Connection, person_id: int | None) -> None:
    """The person an order names must be in the vault (inside the writing transaction)."""
    if person_id is None:
        return
    if conn.execute("SELECT 1 FROM people WHERE id = ?", (person_id,)).fetchone() is None:
        raise InvalidRecord("The restrained person of this order is not in the vault.")


def add_order(vault: Vault, order: NewOrder) -> int:
    """Save *order* in one audited transaction; return its id."""
    kind, hearing = check_order(vault, order)
    with vault.change() as change:
        check_restrained_person(change.conn, order.restrained_person_id)
        cursor = change.conn.execute(
            "INSERT INTO orders (kind, court, case_number, issued_on, served_on, hearing_at, "
            "expires_on, terms, restrained_person_id, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                kind.value,
                order.court.strip(),
                order.case_number.strip(),
                iso_day(order.issued_on),
                iso_day(order.served_on),
                hearing.isoformat(timespec="minutes") if hearing else None,
                iso_day(order.expires_on),
                order.terms.strip(),
                order.restrained_person_id,
                change.at,
            ),
        )
        order_id = int(cursor.lastrowid or 0)
        change.audit(
            "order.added",
            order_id=order_id,
            kind=kind.value,
            restrained_person_id=order.restrained_person_id,
        )
    return order_id


def list_orders(conn: Connection) -> list[Order]:
    """Every order, the earliest issued first (unknown issue dates last)."""
    rows = conn.execute(
        "SELECT id, kind, court, case_number, issued_on, served_on, hearing_at, expires_on, "
        "terms, restrained_person_id FROM orders "
        "ORDER BY issued_on IS NULL, issued_on, id"
    ).fetchall()
    return [
        Order(
            id=int(oid),
            kind=OrderKind(kind),
            court=court,
            case_number=number,
            issued_on=_day(issued),
            served_on=_day(served),
            hearing_at=datetime.fromisoformat(hearing) if hearing else None,
            expires_on=_day(expires),
            terms=terms,
            restrained_person_id=person,
        )
        for oid, kind, court, number, issued, served, hearing, expires, terms, person in rows
    ]


def _wall_clock(vault: Vault, moment: datetime | None) -> datetime | None:
    """Naive as given; an aware time is first moved into the vault's zone."""
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        raise InvalidRecord("The hearing needs a date and a time.")
    if moment.tzinfo is not None:
        moment = moment.astimezone(vault.time_zone).replace(tzinfo=None)
    return moment.replace(second=0, microsecond=0)


def iso_day(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _kind(value: OrderKind | str) -> OrderKind:
    try:
        return OrderKind(value)
    except ValueError:
        kinds = ", ".join(k.value for k in OrderKind)
        raise InvalidRecord(f"“{value}” is not a kind of order; use one of {kinds}.") from None
