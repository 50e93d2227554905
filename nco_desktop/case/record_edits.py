"""Changing and removing the people and orders the user keeps by hand (Qt-free).

:mod:`nco_desktop.case.people` and :mod:`nco_desktop.case.orders` add records; this
module edits and deletes them, and counts what each record means on the timeline.
Each write is one transaction with one audit row whose details are ids, roles, kinds
and the names of the fields that changed — never a name, number or word the user typed.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from nco_desktop.case import InvalidRecord
from nco_desktop.case.orders import (
    NewOrder,
    Order,
    check_order,
    check_restrained_person,
    iso_day,
    list_orders,
)
from nco_desktop.case.people import (
    NewPerson,
    Person,
    Role,
    check_person,
    get_person,
    list_people,
    party_keys_for,
    refresh_party_names,
)
from nco_desktop.case.violations import contacts_in, order_windows
from nco_desktop.vault import Vault
from nco_desktop.vault.connection import Connection

# ----- people ------------------------------------------------------------------------


def update_person(vault: Vault, person_id: int, person: NewPerson) -> None:
    """Replace *person_id*'s role, name, notes and contact details with *person*'s.

    The contact details are replaced as a set, the way the editor shows them: a row the
    user removed is gone, one they typed is added, and a number typed twice is kept once.
    """
    role, name, rows = check_person(vault, person)
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
        refresh_party_names(change.conn)
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
        refresh_party_names(change.conn)
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
    kind, hearing = check_order(vault, order)
    with vault.change() as change:
        before = _order_or_fail(change.conn, order_id)
        check_restrained_person(change.conn, order.restrained_person_id)
        change.conn.execute(
            "UPDATE orders SET kind = ?, court = ?, case_number = ?, issued_on = ?, "
            "served_on = ?, hearing_at = ?, expires_on = ?, terms = ?, "
            "restrained_person_id = ? WHERE id = ?",
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

    The same contacts :func:`~nco_desktop.case.violations.possible_violation_ids` flags,
    counted for each order's own window (two overlapping orders may both count one).
    """
    return {
        window.order.id: len(set(contacts_in(conn, window))) for window in order_windows(conn, zone)
    }


# ----- checking ----------------------------------------------------------------------


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
