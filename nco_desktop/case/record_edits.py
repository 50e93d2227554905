"""Changing and removing the people and orders the user keeps by hand (Qt-free).

:mod:`nco_desktop.case.people` and :mod:`nco_desktop.case.orders` add records; this
module edits and deletes them, and counts what each record means on the timeline.
Each write is one transaction with one audit row whose details are ids, roles, kinds
and the names of the fields that changed — never a name, number or word the user typed.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from nco_desktop.case import InvalidRecord
from nco_desktop.case.orders import MAX_TEXT_CHARS, NewOrder, Order, OrderKind, list_orders
from nco_desktop.case.people import (
    MAX_NAME_CHARS,
    IdentifierKind,
    NewPerson,
    Person,
    Role,
    get_person,
    list_people,
    normalize_identifier,
    party_keys_for,
)
from nco_desktop.case.violations import order_windows, possible_violation_ids
from nco_desktop.importers.batch import phone_region
from nco_desktop.vault import Vault
from nco_desktop.vault.connection import Connection

MAX_SHORT_CHARS = 500  # court, case number


# ----- people ------------------------------------------------------------------------


def update_person(vault: Vault, person_id: int, person: NewPerson) -> None:
    """Replace *person_id*'s role, name, notes and contact details with *person*'s.

    The contact details are replaced as a set, the way the editor shows them: a row the
    user removed is gone, one they typed is added, and a number typed twice is kept once.
    """
    role = _role(person.role)
    name = _name(person.name)
    rows = _identifier_rows(vault, person.identifiers)
    with vault.change() as change:
        before = _person_or_fail(change.conn, person_id)
        change.conn.execute(
            "UPDATE people SET role = ?, name = ?, notes = ? WHERE id = ?",
            (role.value, name, person.notes.strip(), person_id),
        )
        change.conn.execute("DELETE FROM person_identifiers WHERE person_id = ?", (person_id,))
        change.conn.executemany(
            "INSERT INTO person_identifiers (person_id, kind, value, normalized) "
            "VALUES (?, ?, ?, ?)",
            [(person_id, kind.value, value, norm) for (kind, norm), value in rows.items()],
        )
        old_ids = {(i.kind, i.normalized): i.value for i in before.identifiers}
        fields = [
            field
            for field, changed in (
                ("role", before.role is not role),
                ("name", before.name != name),
                ("notes", before.notes != person.notes.strip()),
                ("identifiers", old_ids != rows),
            )
            if changed
        ]
        change.audit(
            "person.changed",
            person_id=person_id,
            role=role.value,
            fields=fields,
            identifiers=sorted(kind.value for kind, _ in rows),
        )


def delete_person(vault: Vault, person_id: int) -> None:
    """Remove a person and their contact details; orders naming them keep no one.

    Nothing on the timeline changes: entries are evidence and never belong to a person,
    they are only recognised through the person's numbers and addresses.
    """
    with vault.change() as change:
        before = _person_or_fail(change.conn, person_id)
        orders = [
            int(row[0])
            for row in change.conn.execute(
                "SELECT id FROM orders WHERE restrained_person_id = ?", (person_id,)
            )
        ]
        change.conn.execute(
            "UPDATE orders SET restrained_person_id = NULL WHERE restrained_person_id = ?",
            (person_id,),
        )
        change.conn.execute("DELETE FROM person_identifiers WHERE person_id = ?", (person_id,))
        change.conn.execute("DELETE FROM people WHERE id = ?", (person_id,))
        change.audit(
            "person.deleted",
            person_id=person_id,
            role=before.role.value,
            identifiers=len(before.identifiers),
            orders_unlinked=orders,
        )


def entries_for_person(conn: Connection, person_id: int) -> int:
    """How many timeline entries are recognised as this person's (from or to them).

    Recognised the way :func:`party_keys_for` matches: by number, address, handle and
    the name chat exports use, however each export wrote them.
    """
    keys = sorted(party_keys_for(conn, person_id))
    if not keys:
        return 0
    marks = ", ".join("?" for _ in keys)
    row = conn.execute(f"SELECT COUNT(*) FROM entries WHERE party_key IN ({marks})", keys)
    return int(row.fetchone()[0])


def people_in_order(conn: Connection) -> list[Person]:
    """Everyone, the restrained person first, then witnesses, the petitioner, others."""
    rank = {Role.RESTRAINED: 0, Role.WITNESS: 1, Role.PETITIONER: 2, Role.OTHER: 3}
    return sorted(list_people(conn), key=lambda p: (rank[p.role], p.id))


# ----- orders ------------------------------------------------------------------------


def update_order(vault: Vault, order_id: int, order: NewOrder) -> None:
    """Replace every field of order *order_id* with *order*'s, checked as add_order does."""
    kind, hearing = _checked_order(vault, order)
    with vault.change() as change:
        before = _order_or_fail(change.conn, order_id)
        _check_person(change.conn, order.restrained_person_id)
        change.conn.execute(
            "UPDATE orders SET kind = ?, court = ?, case_number = ?, issued_on = ?, "
            "served_on = ?, hearing_at = ?, expires_on = ?, terms = ?, "
            "restrained_person_id = ? WHERE id = ?",
            (
                kind.value,
                order.court.strip(),
                order.case_number.strip(),
                _iso_day(order.issued_on),
                _iso_day(order.served_on),
                hearing.isoformat(timespec="minutes") if hearing else None,
                _iso_day(order.expires_on),
                order.terms.strip(),
                order.restrained_person_id,
                order_id,
            ),
        )
        after = _order_or_fail(change.conn, order_id)
        fields = [
            field
            for field in (
                "kind",
                "court",
                "case_number",
                "issued_on",
                "served_on",
                "hearing_at",
                "expires_on",
                "terms",
                "restrained_person_id",
            )
            if getattr(before, field) != getattr(after, field)
        ]
        change.audit(
            "order.changed",
            order_id=order_id,
            kind=kind.value,
            restrained_person_id=order.restrained_person_id,
            fields=fields,
        )


def delete_order(vault: Vault, order_id: int) -> None:
    """Remove an order; contacts after it are no longer flagged because of it."""
    with vault.change() as change:
        before = _order_or_fail(change.conn, order_id)
        change.conn.execute("DELETE FROM orders WHERE id = ?", (order_id,))
        change.audit("order.deleted", order_id=order_id, kind=before.kind.value)


def violations_per_order(conn: Connection, zone: ZoneInfo) -> dict[int, int]:
    """For each order that binds someone, how many contacts came from them while it did.

    The same contacts :func:`possible_violation_ids` flags, counted for each order's own
    window (two overlapping orders may both count one contact).
    """
    flagged = possible_violation_ids(conn, zone)
    counts: dict[int, int] = {}
    for window in order_windows(conn, zone):
        keys = sorted(party_keys_for(conn, window.person_id))
        if not keys or not flagged:
            counts[window.order.id] = 0
            continue
        marks = ", ".join("?" for _ in keys)
        sql = f"SELECT id FROM entries WHERE party_key IN ({marks}) AND occurred_ms >= ?"
        params: list[object] = [*keys, window.start_ms]
        if window.end_ms is not None:
            sql += " AND occurred_ms < ?"
            params.append(window.end_ms)
        ids = {int(row[0]) for row in conn.execute(sql, params)}
        counts[window.order.id] = len(ids & flagged)
    return counts


# ----- checking ----------------------------------------------------------------------


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise InvalidRecord(f"“{value}” is not a role; use one of {roles}.") from None


def _name(value: str) -> str:
    name = value.strip()
    if not name:
        raise InvalidRecord("A person needs a name (a nickname or “unknown caller” is fine).")
    if len(name) > MAX_NAME_CHARS:
        raise InvalidRecord(f"The name is longer than {MAX_NAME_CHARS} characters.")
    return name


def _identifier_rows(
    vault: Vault, identifiers: tuple[tuple[IdentifierKind, str], ...]
) -> dict[tuple[IdentifierKind, str], str]:
    region = phone_region(vault)
    rows: dict[tuple[IdentifierKind, str], str] = {}
    for raw_kind, value in identifiers:
        try:
            kind = IdentifierKind(raw_kind)
        except ValueError:
            kinds = ", ".join(k.value for k in IdentifierKind)
            raise InvalidRecord(
                f"“{raw_kind}” is not a kind of contact detail; use one of {kinds}."
            ) from None
        normalized = normalize_identifier(kind, value, region)
        rows.setdefault((kind, normalized), " ".join(value.split()))
    return rows


def _person_or_fail(conn: Connection, person_id: int) -> Person:
    try:
        return get_person(conn, person_id)
    except LookupError:
        raise InvalidRecord("This person is no longer in the vault.") from None


def _order_or_fail(conn: Connection, order_id: int) -> Order:
    for order in list_orders(conn):
        if order.id == order_id:
            return order
    raise InvalidRecord("This order is no longer in the vault.")


def _check_person(conn: Connection, person_id: int | None) -> None:
    if person_id is None:
        return
    if conn.execute("SELECT 1 FROM people WHERE id = ?", (person_id,)).fetchone() is None:
        raise InvalidRecord("The restrained person of this order is not in the vault.")


def _checked_order(vault: Vault, order: NewOrder) -> tuple[OrderKind, datetime | None]:
    """The rules of :func:`nco_desktop.case.orders.add_order`, for an edit."""
    try:
        kind = OrderKind(order.kind)
    except ValueError:
        kinds = ", ".join(k.value for k in OrderKind)
        raise InvalidRecord(f"“{order.kind}” is not a kind of order; use one of {kinds}.") from None
    hearing = order.hearing_at
    if hearing is not None:
        if not isinstance(hearing, datetime):
            raise InvalidRecord("The hearing needs a date and a time.")
        if hearing.tzinfo is not None:
            hearing = hearing.astimezone(vault.time_zone).replace(tzinfo=None)
        hearing = hearing.replace(second=0, microsecond=0)
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


def _iso_day(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None
