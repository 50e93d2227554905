"""The user's own incident log: when, where, what happened, who saw it, police, impact.

An incident is a timeline entry (kind 'incident', time typed by the user) plus a row in
``incidents`` with the court-facing fields and, apart from them, private notes that
never go into a binder. Evidence entries (the texts that night, the screenshot) are
linked to it, so the binder can show what backs each incident up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from nco_desktop.case import InvalidRecord
from nco_desktop.evidence.records import EntryKind, NewEntry, TimePrecision, TimeSource
from nco_desktop.evidence.store import add_entry
from nco_desktop.timekeeping import from_ms
from nco_desktop.vault import Change, Vault
from nco_desktop.vault.connection import Connection

MAX_SHORT_CHARS = 500  # summary, location, agency, officer, report number
MAX_LONG_CHARS = 50_000  # what happened, witnesses, impact, private notes
MAX_LINKS = 10_000


class IncidentCategory(StrEnum):
    CALLS_TEXTS = "calls-texts"
    THREATS_ONLINE = "threats-online"
    FOLLOWING = "following"
    RUMOURS_LETTERS = "rumours-letters"
    IN_PERSON = "in-person"
    PROPERTY_DAMAGE = "property-damage"
    ORDER_VIOLATION = "order-violation"
    OTHER = "other"


@dataclass(frozen=True)
class NewIncident:
    """An incident about to be saved. *occurred_ms* None: the user does not know when."""

    occurred_ms: int | None
    time_precision: TimePrecision = TimePrecision.MINUTE
    ends_ms: int | None = None
    location: str = ""
    summary: str = ""
    what_happened: str = ""
    category: IncidentCategory = IncidentCategory.OTHER
    witnesses: str = ""
    reported_to_police: bool = False
    agency: str = ""
    officer: str = ""
    report_number: str = ""
    impact: str = ""
    private_notes: str = ""


@dataclass(frozen=True)
class Incident:
    id: int  # the entry id: incidents sit on the timeline with everything else
    occurred_ms: int | None
    time_precision: TimePrecision
    ends_ms: int | None
    location: str
    summary: str
    what_happened: str
    category: IncidentCategory
    witnesses: str
    reported_to_police: bool
    agency: str
    officer: str
    report_number: str
    impact: str
    private_notes: str
    evidence_entry_ids: tuple[int, ...]


def add_incident(
    vault: Vault, incident: NewIncident, evidence_entry_ids: Sequence[int] = ()
) -> int:
    """Save *incident* and its evidence links in one audited transaction; return its id."""
    clean = validated(incident)
    ids = unique_ids(evidence_entry_ids)
    with vault.change() as change:
        offset = None
        source = TimeSource.UNKNOWN
        if clean.occurred_ms is not None:
            source = TimeSource.USER
            utc = from_ms(clean.occurred_ms).astimezone(vault.time_zone).utcoffset()
            offset = None if utc is None else int(utc.total_seconds() // 60)
        entry_id = add_entry(
            change,
            NewEntry(
                kind=EntryKind.INCIDENT,
                occurred_ms=clean.occurred_ms,
                time_source=source,
                utc_offset_min=offset,
                time_precision=clean.time_precision,
                text=clean.summary,
            ),
        )
        if entry_id is None:  # no source_key, so this cannot happen; never link to nothing
            raise RuntimeError("the incident entry was not written")
        change.conn.execute(
            "INSERT INTO incidents (entry_id, location, summary, what_happened, witnesses, "
            "reported_to_police, agency, officer, report_number, impact, private_notes, "
            "category, ends_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                entry_id,
                clean.location,
                clean.summary,
                clean.what_happened,
                clean.witnesses,
                int(clean.reported_to_police),
                clean.agency,
                clean.officer,
                clean.report_number,
                clean.impact,
                clean.private_notes,
                clean.category.value,
                clean.ends_ms,
            ),
        )
        linked = link_entries(change, entry_id, ids)
        change.audit(
            "incident.added",
            incident_id=entry_id,
            category=clean.category.value,
            evidence=linked,
            reported_to_police=clean.reported_to_police,
        )
    return entry_id


def link_evidence(vault: Vault, incident_id: int, entry_ids: Sequence[int]) -> int:
    """Link more evidence to an incident; return how many links are new."""
    ids = unique_ids(entry_ids)
    if not ids:
        raise InvalidRecord("Choose at least one item to link to the incident.")
    with vault.change() as change:
        require_incident(change.conn, incident_id)
        linked = link_entries(change, incident_id, ids)
        change.audit(
            "incident.evidence_linked", incident_id=incident_id, entry_ids=ids, added=linked
        )
    return linked


def list_incidents(conn: Connection) -> list[Incident]:
    """Every incident in time order; those with an unknown time come last."""
    links: dict[int, list[int]] = {}
    for incident_id, entry_id in conn.execute(
        "SELECT ie.incident_entry_id, ie.entry_id FROM incident_evidence ie "
        "JOIN entries e ON e.id = ie.entry_id "
        "ORDER BY ie.incident_entry_id, e.occurred_ms IS NULL, e.occurred_ms, e.id"
    ):
        links.setdefault(int(incident_id), []).append(int(entry_id))
    rows = conn.execute(
        "SELECT e.id, e.occurred_ms, e.time_precision, i.ends_ms, i.location, i.summary, "
        "i.what_happened, i.category, i.witnesses, i.reported_to_police, i.agency, i.officer, "
        "i.report_number, i.impact, i.private_notes "
        "FROM incidents i JOIN entries e ON e.id = i.entry_id "
        "ORDER BY e.occurred_ms IS NULL, e.occurred_ms, e.id"
    ).fetchall()
    return [
        Incident(
            id=int(row[0]),
            occurred_ms=row[1],
            time_precision=TimePrecision(row[2]),
            ends_ms=row[3],
            location=row[4],
            summary=row[5],
            what_happened=row[6],
            category=_category_or_other(row[7]),
            witnesses=row[8],
            reported_to_police=bool(row[9]),
            agency=row[10],
            officer=row[11],
            report_number=row[12],
            impact=row[13],
            private_notes=row[14],
            evidence_entry_ids=tuple(links.get(int(row[0]), ())),
        )
        for row in rows
    ]


def require_incident(conn: Connection, incident_id: int) -> None:
    """InvalidRecord unless *incident_id* is an incident in the vault."""
    found = conn.execute("SELECT 1 FROM incidents WHERE entry_id = ?", (incident_id,)).fetchone()
    if found is None:
        raise InvalidRecord("That incident is not in the vault (was it removed?).")


def validated(incident: NewIncident) -> NewIncident:
    """Trimmed fields, or InvalidRecord naming what to fix."""
    summary = incident.summary.strip()
    if not summary:
        raise InvalidRecord("An incident needs a summary.")
    try:
        category = IncidentCategory(incident.category)
    except ValueError:
        names = ", ".join(c.value for c in IncidentCategory)
        raise InvalidRecord(
            f"“{incident.category}” is not an incident category; use one of {names}."
        ) from None
    try:
        precision = TimePrecision(incident.time_precision)
    except ValueError:
        raise InvalidRecord(f"“{incident.time_precision}” is not a time precision.") from None
    occurred, ends = incident.occurred_ms, incident.ends_ms
    if occurred is None:
        if ends is not None:
            raise InvalidRecord("An incident with an end time needs a start time too.")
        precision = TimePrecision.UNKNOWN
    elif precision is TimePrecision.UNKNOWN:
        raise InvalidRecord("The time precision cannot be “unknown” when a time is given.")
    if ends is not None and occurred is not None and ends < occurred:
        raise InvalidRecord("The incident cannot end before it began.")
    fields = {
        "summary": summary,
        "location": incident.location.strip(),
        "agency": incident.agency.strip(),
        "officer": incident.officer.strip(),
        "report_number": incident.report_number.strip(),
    }
    for name, value in fields.items():
        if len(value) > MAX_SHORT_CHARS:
            label = name.replace("_", " ")
            raise InvalidRecord(f"The {label} is longer than {MAX_SHORT_CHARS} characters.")
    long_fields = {
        "what_happened": incident.what_happened.strip(),
        "witnesses": incident.witnesses.strip(),
        "impact": incident.impact.strip(),
        "private_notes": incident.private_notes.strip(),
    }
    for name, value in long_fields.items():
        if len(value) > MAX_LONG_CHARS:
            label = name.replace("_", " ")
            raise InvalidRecord(f"The {label} text is longer than {MAX_LONG_CHARS:,} characters.")
    return NewIncident(
        occurred_ms=occurred,
        time_precision=precision,
        ends_ms=ends,
        category=category,
        reported_to_police=bool(incident.reported_to_police),
        **fields,
        **long_fields,
    )


def unique_ids(entry_ids: Sequence[int]) -> list[int]:
    ids: list[int] = []
    for value in entry_ids:
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidRecord("Evidence is linked by entry number.")
        if value not in ids:
            ids.append(value)
    if len(ids) > MAX_LINKS:
        raise InvalidRecord(f"At most {MAX_LINKS:,} items can be linked to one incident.")
    return ids


def link_entries(change: Change, incident_id: int, entry_ids: list[int]) -> int:
    """Insert links inside the open change; refuse missing entries and other incidents."""
    added = 0
    for entry_id in entry_ids:
        row = change.conn.execute("SELECT kind FROM entries WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            raise InvalidRecord(f"Item {entry_id} is not in the vault, so it cannot be linked.")
        if row[0] == EntryKind.INCIDENT.value:
            raise InvalidRecord("An incident cannot be linked as evidence of an incident.")
        cursor = change.conn.execute(
            "INSERT OR IGNORE INTO incident_evidence (incident_entry_id, entry_id) VALUES (?, ?)",
            (incident_id, entry_id),
        )
        added += cursor.rowcount
    return added


def _category_or_other(value: str) -> IncidentCategory:
    try:
        return IncidentCategory(value)
    except ValueError:  # a newer version's category: still show the incident
        return IncidentCategory.OTHER
