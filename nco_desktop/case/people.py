"""People in the case: the restrained person, witnesses, the petitioner.

Their numbers, e-mail addresses and handles are stored as typed *and* normalised the
way the importers key entries (``entries.party_key``), so every text, call and e-mail
from the restrained person can be found however each export wrote the number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from nco_desktop.case import InvalidRecord
from nco_desktop.importers.batch import phone_region
from nco_desktop.importers.parties import normalize_phone, party_key
from nco_desktop.vault import Vault
from nco_desktop.vault.connection import Connection

MAX_NAME_CHARS = 200
MAX_VALUE_CHARS = 500


class Role(StrEnum):
    RESTRAINED = "restrained"
    WITNESS = "witness"
    PETITIONER = "petitioner"
    OTHER = "other"


class IdentifierKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    HANDLE = "handle"
    ADDRESS = "address"
    OTHER = "other"


@dataclass(frozen=True)
class NewPerson:
    """A person about to be saved; identifiers are (kind, value as the user typed it)."""

    role: Role
    name: str
    identifiers: tuple[tuple[IdentifierKind, str], ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class Identifier:
    kind: IdentifierKind
    value: str  # as typed
    normalized: str  # as matched: E.164, lower-case address, handle without '@'


@dataclass(frozen=True)
class Person:
    id: int
    role: Role
    name: str
    notes: str
    identifiers: tuple[Identifier, ...]


def normalize_identifier(kind: IdentifierKind, value: str, region: str) -> str:
    """The form an identifier is matched in; InvalidRecord when it cannot be one.

    Phones go through the importers' own normaliser (E.164 with the vault's phone
    region), so "(312) 555-0147" typed here matches "+13125550147" in an SMS backup.
    """
    text = " ".join(value.split())
    if not text:
        raise InvalidRecord(f"A {kind.value} was left empty; fill it in or remove it.")
    if len(text) > MAX_VALUE_CHARS:
        raise InvalidRecord(f"A {kind.value} is longer than {MAX_VALUE_CHARS} characters.")
    if kind is IdentifierKind.PHONE:
        key = party_key(text, region)
        if key is None or not key.startswith("tel:"):
            raise InvalidRecord(f"“{text}” does not look like a phone number.")
        return normalize_phone(text, region)
    if kind is IdentifierKind.EMAIL:
        address = text.removeprefix("mailto:").strip().lower()
        key = party_key(address, region)
        if key is None or not key.startswith("mailto:"):
            raise InvalidRecord(f"“{text}” does not look like an e-mail address.")
        return address
    if kind is IdentifierKind.HANDLE:
        handle = text.lstrip("@").strip().casefold()
        if not handle:
            raise InvalidRecord("A handle needs more than an @.")
        return handle
    return text.casefold()


IdentifierRows = dict[tuple[IdentifierKind, str], str]  # (kind, normalized) → as typed


def check_person(vault: Vault, person: NewPerson) -> tuple[Role, str, IdentifierRows]:
    """The rules every saved person follows: their role, trimmed name and contact
    details, normalized and without repeats (a number typed twice is kept once)."""
    role = _role(person.role)
    name = person.name.strip()
    if not name:
        raise InvalidRecord("A person needs a name (a nickname or “unknown caller” is fine).")
    if len(name) > MAX_NAME_CHARS:
        raise InvalidRecord(f"The name is longer than {MAX_NAME_CHARS} characters.")
    region = phone_region(vault)
    rows: IdentifierRows = {}
    for raw_kind, value in person.identifiers:
        kind = _identifier_kind(raw_kind)
        normalized = normalize_identifier(kind, value, region)
        rows.setdefault((kind, normalized), " ".join(value.split()))
    return role, name, rows


def add_person(vault: Vault, person: NewPerson) -> int:
    """Save *person* with their identifiers in one audited transaction; return the id."""
    role, name, rows = check_person(vault, person)
    with vault.change() as change:
        cursor = change.conn.execute(
            "INSERT INTO people (role, name, notes, created_at) VALUES (?, ?, ?, ?)",
            (role.value, name, person.notes.strip(), change.at),
        )
        person_id = int(cursor.lastrowid or 0)
        change.conn.executemany(
            "INSERT INTO person_identifiers (person_id, kind, value, normalized) "
            "VALUES (?, ?, ?, ?)",
            [(person_id, kind.value, value, norm) for (kind, norm), value in rows.items()],
        )
        refresh_party_names(change.conn)
        change.audit(
            "person.added",
            person_id=person_id,
            role=role.value,
            identifiers=sorted(kind.value for kind, _ in rows),
        )
    return person_id


def list_people(conn: Connection, role: Role | None = None) -> list[Person]:
    """Everyone saved (or only one role), in the order they were added."""
    sql = "SELECT id, role, name, notes FROM people"
    params: tuple[str, ...] = ()
    if role is not None:
        sql += " WHERE role = ?"
        params = (_role(role).value,)
    people = conn.execute(sql + " ORDER BY id", params).fetchall()
    found: dict[int, list[Identifier]] = {int(row[0]): [] for row in people}
    for person_id, kind, value, normalized in conn.execute(
        "SELECT person_id, kind, value, normalized FROM person_identifiers ORDER BY id"
    ):
        if person_id in found:
            found[person_id].append(Identifier(IdentifierKind(kind), value, normalized))
    return [
        Person(int(pid), Role(r), name, notes, tuple(found[int(pid)]))
        for pid, r, name, notes in people
    ]


def get_person(conn: Connection, person_id: int) -> Person:
    for person in list_people(conn):
        if person.id == person_id:
            return person
    raise LookupError(f"no person #{person_id}")


def party_keys_for(conn: Connection, person_id: int) -> set[str]:
    """The ``entries.party_key`` values that mean this person.

    Phones as 'tel:+1…', e-mail as 'mailto:…', handles as 'id:handle' and 'id:@handle'
    (exports write both), and the person's name as 'id:…' because chat exports such as
    WhatsApp name a contact instead of giving a number.
    """
    row = conn.execute("SELECT name FROM people WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        raise LookupError(f"no person #{person_id}")
    keys: set[str] = set()
    if (name_key := party_key(row[0], "US")) and name_key.startswith("id:"):
        keys.add(name_key)
    for kind, normalized in conn.execute(
        "SELECT kind, normalized FROM person_identifiers WHERE person_id = ?", (person_id,)
    ):
        keys.update(_keys(IdentifierKind(kind), normalized))
    return keys


def refresh_party_names(conn: Connection) -> None:
    """Rebuild ``party_names``: which person's name each party key shows under.

    Called inside every transaction that adds, changes or removes a person, so the
    timeline, the filters, the exhibits and the binder all show "Sam Doe" for the
    number a phone saved as "Contact A" from the moment he is added. A key two people
    share goes to the restrained person first, then to whoever was added first.
    The person's name itself is not a key here (chat exports already name him so).
    """
    conn.execute("DELETE FROM party_names")
    rank = {Role.RESTRAINED: 0, Role.WITNESS: 1, Role.PETITIONER: 2, Role.OTHER: 3}
    for person in sorted(list_people(conn), key=lambda p: (rank[p.role], p.id)):
        conn.executemany(
            "INSERT OR IGNORE INTO party_names (party_key, person_id, name) VALUES (?, ?, ?)",
            [
                (key, person.id, person.name)
                for identifier in person.identifiers
                for key in _keys(identifier.kind, identifier.normalized)
            ],
        )


def _keys(kind: IdentifierKind, normalized: str) -> Iterable[str]:
    if kind is IdentifierKind.PHONE:
        yield "tel:" + normalized
    elif kind is IdentifierKind.EMAIL:
        yield "mailto:" + normalized
    elif kind is IdentifierKind.HANDLE:
        yield "id:" + normalized
        yield "id:@" + normalized
    elif kind is IdentifierKind.OTHER:
        yield "id:" + normalized


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        roles = ", ".join(r.value for r in Role)
        raise InvalidRecord(f"“{value}” is not a role; use one of {roles}.") from None


def _identifier_kind(value: IdentifierKind | str) -> IdentifierKind:
    try:
        return IdentifierKind(value)
    except ValueError:
        kinds = ", ".join(k.value for k in IdentifierKind)
        raise InvalidRecord(
            f"“{value}” is not a kind of contact detail; use one of {kinds}."
        ) from None
