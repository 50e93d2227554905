"""The command line's ``person`` and ``order``: the people and court orders of the case.

Without them ``binder --pattern-page`` had no one to draw: the page shows the contacts
of the person the case names as restrained, and marks the day the order took effect.
The rules are the window's: every write goes through :mod:`nco_desktop.case.people`,
:mod:`nco_desktop.case.orders` and :mod:`nco_desktop.case.record_edits` (one audited
transaction each), and an order's dates are read by :mod:`nco_desktop.typed_dates` in
the vault's time zone and day order, as the window reads them. A date that cannot be
read, is impossible or has no year is refused with the reason, nothing saved; 3/4/2024
is read in the vault's own day order (month first in the United States), never
swapped, and any such choice is said back with the result ("read month first"), so a
reading the user did not mean is seen at once.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import fields
from datetime import date, datetime
from typing import Protocol

from nco_desktop.case.orders import NewOrder, Order, OrderKind, add_order, list_orders
from nco_desktop.case.people import (
    IdentifierKind,
    NewPerson,
    Person,
    Role,
    add_person,
    check_person,
    get_person,
    list_people,
    normalize_identifier,
)
from nco_desktop.case.record_edits import (
    entries_for_person,
    people_in_order,
    update_order,
    update_person,
    violations_per_order,
)
from nco_desktop.errors import NcoError
from nco_desktop.importers.batch import phone_region
from nco_desktop.safe_text import json_safe
from nco_desktop.timekeeping import clock_time
from nco_desktop.typed_dates import (
    Understood,
    Unreadable,
    Want,
    day_first_for,
    day_words,
    read_typed,
    zone_abbreviation,
)
from nco_desktop.vault import Vault

Say = Callable[..., None]


class OpenVault(Protocol):
    def __call__(
        self, args: argparse.Namespace, *, writes: bool = True
    ) -> AbstractContextManager[Vault]: ...


KIND_WORDS = {
    OrderKind.CRIMINAL_NO_CONTACT: "Criminal no-contact order",
    OrderKind.CIVIL_PROTECTION: "Civil protection order",
    OrderKind.RESTRAINING: "Restraining order",
    OrderKind.OTHER: "Other order",
}
#: Typed instead of a date or a person to clear it (on ``order edit``).
NONE_WORD = "none"
_ORDER_FLAGS = (
    "kind",
    "court",
    "case_number",
    "issued",
    "served",
    "hearing",
    "expires",
    "terms",
    "restrained",
)


def record_id(text: str) -> int:
    """'3' or '#3', as list shows them."""
    try:
        number = int(text.strip().removeprefix("#"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a number like 3 or #3") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"“{text}” is not a number like 3 or #3")
    return number


# ----- people ----------------------------------------------------------------------------


def cmd_person(args: argparse.Namespace, say: Say, open_vault: OpenVault) -> int:
    if args.case_action == "list":
        with open_vault(args, writes=False) as vault:
            people = [
                (p, entries_for_person(vault.conn, p.id)) for p in people_in_order(vault.conn)
            ]
        if args.json:
            _print_json([_person_json(p, count) for p, count in people])
            return 0
        if not people:
            say("No one is saved yet: person add --name NAME --role restrained --phone NUMBER")
        for person, count in people:
            _say_person(person, count, say)
        return 0
    with open_vault(args) as vault:
        if args.case_action == "add":
            details = [(k, v) for k in IdentifierKind for v in getattr(args, k.value) or []]
            new = NewPerson(Role(args.role), args.name, tuple(details), args.notes)
            person_id = add_person(vault, new)
            verb = "Added"
        else:
            person_id = args.id
            changed = _edited_person(vault, args)
            if changed is None:
                return _nothing_to_change(say, "--name, --role, --add-phone …, --remove, --notes")
            verb = "Nothing changed in" if _same_person(vault, person_id, changed) else "Changed"
            if verb == "Changed":
                update_person(vault, person_id, changed)
        person = get_person(vault.conn, person_id)
        count = entries_for_person(vault.conn, person_id)
    say(f"{verb} #{person.id}.")
    _say_person(person, count, say)
    if count == 0 and any(i.kind is not IdentifierKind.ADDRESS for i in person.identifiers):
        say(
            "  None of the timeline is theirs yet: check the details are the ones the "
            "imported exports use (or import those exports)."
        )
    return 0


def _edited_person(vault: Vault, args: argparse.Namespace) -> NewPerson | None:
    """The person *args.id* with the changes asked for; None when none were."""
    person = _person_or_fail(vault, args.id)
    added = [(k, v) for k in IdentifierKind for v in getattr(args, f"add_{k.value}") or []]
    asked = (args.name, args.role, args.notes)
    if all(value is None for value in asked) and not added and not args.remove:
        return None
    kept = list(person.identifiers)
    region = phone_region(vault)
    for text in args.remove or []:
        matching = [i for i in kept if _same_detail(i.kind, i.value, i.normalized, text, region)]
        if not matching:
            have = "; ".join(f"{i.kind.value} {i.value}" for i in kept) or "none"
            raise NcoError(
                f"“{text}” is not one of #{person.id}'s contact details (they have: {have})."
            )
        kept = [i for i in kept if i not in matching]
    return NewPerson(
        Role(args.role) if args.role else person.role,
        person.name if args.name is None else args.name,
        tuple((i.kind, i.value) for i in kept) + tuple(added),
        person.notes if args.notes is None else args.notes,
    )


def _same_person(vault: Vault, person_id: int, changed: NewPerson) -> bool:
    """True when saving *changed* would leave the person as they are (no audit row)."""
    person = get_person(vault.conn, person_id)
    details = {(i.kind, i.normalized): i.value for i in person.identifiers}
    now = (person.role, person.name, details, person.notes)
    return (*check_person(vault, changed), changed.notes.strip()) == now


def _same_detail(kind: IdentifierKind, value: str, normalized: str, text: str, region: str) -> bool:
    """True when *text* names this detail: as typed, or as it is matched."""
    if " ".join(text.split()).casefold() == value.casefold():
        return True
    try:
        return normalize_identifier(kind, text, region) == normalized
    except NcoError:
        return False


def _say_person(person: Person, entries: int, say: Say) -> None:
    say(f"#{person.id:<3} {person.name} ({person.role.value})")
    for identifier in person.identifiers:
        matched = f"  (matched as {identifier.normalized})"
        same = identifier.normalized == identifier.value.casefold()
        same = same or identifier.kind is IdentifierKind.ADDRESS
        say(f"       {identifier.kind.value:<8} {identifier.value}{'' if same else matched}")
    if person.notes:
        say(f"       notes    {' '.join(person.notes.split())}")
    noun = "entry" if entries == 1 else "entries"
    say(f"       {entries} timeline {noun} from or to them")


def _person_json(person: Person, entries: int) -> dict[str, object]:
    return {
        "id": person.id,
        "role": person.role.value,
        "name": person.name,
        "notes": person.notes,
        "identifiers": [
            {"kind": i.kind.value, "value": i.value, "normalized": i.normalized}
            for i in person.identifiers
        ],
        "timeline_entries": entries,
    }


def _person_or_fail(vault: Vault, person_id: int) -> Person:
    try:
        return get_person(vault.conn, person_id)
    except LookupError:
        raise NcoError(
            f"There is no person #{person_id} in this vault (person list shows their numbers)."
        ) from None


# ----- orders ----------------------------------------------------------------------------


def cmd_order(args: argparse.Namespace, say: Say, open_vault: OpenVault) -> int:
    writes = args.case_action != "list"
    with open_vault(args, writes=writes) as vault:
        orders = list_orders(vault.conn)
        if args.case_action != "list":
            typed = _Typed(vault)
            before = None if args.case_action == "add" else _order_or_fail(vault, args.id)
            if before is not None and all(getattr(args, f) is None for f in _ORDER_FLAGS):
                return _nothing_to_change(say, "--kind, --court, --served, --restrained …")
            values = typed.order(args, before)
            if before is None:
                order_id, verb = add_order(vault, values), "Added"
            elif values == _as_new(before):
                order_id, verb = before.id, "Nothing changed in"
            else:
                order_id, verb = before.id, "Changed"
                update_order(vault, order_id, values)
            orders = [o for o in list_orders(vault.conn) if o.id == order_id]
            say(f"{verb} #{order_id}.")
            for line in typed.lines:
                say(line)
        names = {p.id: p.name for p in list_people(vault.conn)}
        counts = violations_per_order(vault.conn, vault.time_zone)
        if args.case_action == "list" and args.json:
            zone = vault.time_zone_name
            _print_json([_order_json(o, counts.get(o.id), zone) for o in orders])
            return 0
        if not orders:
            say("No orders are saved yet: order add --kind KIND --served DATE --restrained ID")
        for order in orders:
            _say_order(order, vault, names, counts.get(order.id), say)
    return 0


class _Typed:
    """An order as typed on the command line, over the one saved (if any).

    Dates are read whole in the vault's zone and day order; one that cannot be read
    stops the command before anything is saved. Where a reading was a choice (month
    first, a two-digit year, a time without AM or PM) the choice is kept in
    :attr:`lines` to be said with the result.
    """

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.zone = vault.time_zone
        self.lines: list[str] = []

    def order(self, args: argparse.Namespace, before: Order | None) -> NewOrder:
        old = _as_new(before) if before else NewOrder(OrderKind(args.kind))
        return NewOrder(
            kind=OrderKind(args.kind) if args.kind else old.kind,
            court=old.court if args.court is None else args.court,
            case_number=old.case_number if args.case_number is None else args.case_number,
            issued_on=self.day(args.issued, "--issued", old.issued_on),
            served_on=self.day(args.served, "--served", old.served_on),
            hearing_at=self.moment(args.hearing, old.hearing_at),
            expires_on=self.day(args.expires, "--expires", old.expires_on),
            terms=old.terms if args.terms is None else args.terms,
            restrained_person_id=self.restrained(args.restrained, before),
        )

    def day(self, given: str | None, flag: str, now: date | None) -> date | None:
        if given is None:
            return now
        if _cleared(given):
            return None
        return self._read(given, flag, Want.DAY).day

    def moment(self, given: str | None, now: datetime | None) -> datetime | None:
        if given is None:
            return now
        if _cleared(given):
            return None
        return self._read(given, "--hearing", Want.MOMENT).moment()

    def _read(self, given: str, flag: str, want: Want) -> Understood:
        try:
            found = read_typed(given, self.zone, day_first=day_first_for(self.zone), want=want)
        except Unreadable as refusal:
            raise NcoError(f"{flag}: {refusal} Nothing was saved.") from None
        if found.notes:
            shown = " ".join(given.split())
            self.lines.append(f"  {flag} “{shown}” was read as {found.sentence()}.")
        return found

    def restrained(self, given: str | None, before: Order | None) -> int | None:
        """The person the order binds: the #N given, else (for a new order) the only
        restrained person, as the window chooses; never someone not marked restrained."""
        if given is None:
            if before is not None:
                return before.restrained_person_id
            restrained = list_people(self.vault.conn, Role.RESTRAINED)
            if len(restrained) != 1:
                return None
            self.lines.append(
                f"  Against #{restrained[0].id} {restrained[0].name}, the only restrained "
                "person (--restrained ID names another)."
            )
            return restrained[0].id
        if _cleared(given):
            return None
        try:
            person_id = record_id(given)
        except argparse.ArgumentTypeError as exc:
            raise NcoError(f"--restrained: {exc} (person list shows the numbers).") from None
        person = _person_or_fail(self.vault, person_id)
        if person.role is not Role.RESTRAINED:
            raise NcoError(
                f"#{person.id} {person.name} is saved as {person.role.value}, not as the "
                "restrained person; if the order is against them, first run "
                f"person edit {person.id} --role restrained."
            )
        return person.id


def _cleared(given: str) -> bool:
    return given.strip().lower() in ("", NONE_WORD)


def _as_new(order: Order) -> NewOrder:
    return NewOrder(**{f.name: getattr(order, f.name) for f in fields(NewOrder)})


def _order_or_fail(vault: Vault, order_id: int) -> Order:
    for order in list_orders(vault.conn):
        if order.id == order_id:
            return order
    raise NcoError(f"There is no order #{order_id} in this vault (order list shows their numbers).")


def _say_order(
    order: Order, vault: Vault, names: dict[int, str], count: int | None, say: Say
) -> None:
    """The order as the window's editor shows it: dates in words, in the vault's order."""
    zone, person = vault.time_zone, order.restrained_person_id
    first = day_first_for(zone)
    number = f"case {order.case_number}" if order.case_number else ""
    where = ", ".join(part for part in (order.court, number) if part)
    say(f"#{order.id:<3} {KIND_WORDS[order.kind]}" + (f" — {where}" if where else ""))
    who = "no one named yet (--restrained ID)" if person is None else f"#{person} {names[person]}"
    hearing = None
    if (at := order.hearing_at) is not None:
        clock = f"{clock_time(at)} {zone_abbreviation(at, zone)}"
        hearing = f"{day_words(at.date(), day_first=first)}, {clock}"
    for what, value in (
        ("against", who),
        ("issued", order.issued_on and day_words(order.issued_on, day_first=first)),
        ("served", order.served_on and day_words(order.served_on, day_first=first)),
        ("hearing", hearing),
        ("ends", order.expires_on and day_words(order.expires_on, day_first=first)),
        ("terms", " ".join(order.terms.split())),
    ):
        say(f"       {what:<8} {value or 'not known'}")
    if person is not None and count is None:
        say("       give --served (or --issued) to flag the contacts after it")
    elif person is not None:
        after = f"from {names[person]} after it was {'served' if order.served_on else 'issued'}"
        if count == 0:
            say(f"       no contacts {after} so far")
        else:
            noun = "contact" if count == 1 else "contacts"
            say(f"       {count} {noun} {after} — possible violations")


def _order_json(order: Order, count: int | None, zone: str) -> dict[str, object]:
    def iso(day: date | None) -> str | None:
        return None if day is None else day.isoformat()

    return {
        "id": order.id,
        "kind": order.kind.value,
        "court": order.court,
        "case_number": order.case_number,
        "issued_on": iso(order.issued_on),
        "served_on": iso(order.served_on),
        "hearing_at": (
            None if order.hearing_at is None else order.hearing_at.isoformat(timespec="minutes")
        ),
        "expires_on": iso(order.expires_on),
        "time_zone": zone,
        "terms": order.terms,
        "restrained_person_id": order.restrained_person_id,
        "possible_violations": count,
    }


# ----- both ------------------------------------------------------------------------------


def _print_json(rows: list[dict[str, object]]) -> None:
    """One JSON array, every unsafe character escaped (see :func:`json_safe`)."""
    sys.stdout.write(json_safe(json.dumps(rows, ensure_ascii=False)) + "\n")


def _nothing_to_change(say: Say, flags: str) -> int:
    say(f"Nothing to change: give one or more of {flags}.", err=True)
    return 2
