"""Changing an incident after it was saved: its words, its time, its linked evidence.

An incident is the user's own account, not imported evidence, so it may be corrected:
the timeline entry (time and one-line summary) and the ``incidents`` row change
together, with the evidence links, in one audited transaction. The audit row names the
incident, which fields changed and how many links came and went — never the words.
Imported entries are never touched here: a link is a row of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import fields

from nco_desktop.case import InvalidRecord
from nco_desktop.case.incidents import (
    Incident,
    NewIncident,
    link_entries,
    list_incidents,
    require_incident,
    unique_ids,
    validated,
)
from nco_desktop.evidence.records import TimeSource
from nco_desktop.timekeeping import from_ms
from nco_desktop.timeline.query import ENTRY_SELECT, VISIBLE_CLAUSE, EntryView
from nco_desktop.vault import Change, Vault
from nco_desktop.vault.connection import Connection

# The NewIncident fields an edit compares (every one but none).
EDITABLE_FIELDS = tuple(f.name for f in fields(NewIncident))


def get_incident(conn: Connection, incident_id: int) -> Incident:
    """The incident *incident_id*; LookupError if it is not (or no longer) in the vault."""
    row = conn.execute("SELECT 1 FROM incidents WHERE entry_id = ?", (incident_id,)).fetchone()
    if row is not None:
        for incident in list_incidents(conn):
            if incident.id == incident_id:
                return incident
    raise LookupError(f"no incident #{incident_id}")


def as_new_incident(incident: Incident) -> NewIncident:
    """The editable fields of a saved incident, to compare with or start an edit from."""
    return NewIncident(**{name: getattr(incident, name) for name in EDITABLE_FIELDS})


def entry_views(conn: Connection, entry_ids: Sequence[int]) -> list[EntryView]:
    """The entries *entry_ids* in time order (unknown times last); missing ids are
    skipped, and so are hidden ones (the user put them out of sight)."""
    ids = list(dict.fromkeys(int(i) for i in entry_ids))
    views: list[EntryView] = []
    for start in range(0, len(ids), 500):  # SQLite's parameter limit
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        views += [
            EntryView(*row)
            for row in conn.execute(
                ENTRY_SELECT + f" WHERE e.id IN ({marks}) AND {VISIBLE_CLAUSE}", chunk
            )
        ]
    views.sort(key=lambda v: (v.occurred_ms is None, v.occurred_ms or 0, v.id))
    return views


def update_incident(
    vault: Vault,
    incident_id: int,
    incident: NewIncident,
    evidence_entry_ids: Sequence[int] | None = None,
) -> bool:
    """Save the edited *incident* (and, unless None, exactly these evidence links).

    One audited transaction; False, with nothing written, when nothing changed.
    """
    clean = validated(incident)
    wanted = None if evidence_entry_ids is None else unique_ids(evidence_entry_ids)
    try:
        before = get_incident(vault.conn, incident_id)
    except LookupError:
        raise InvalidRecord("That incident is not in the vault (was it removed?).") from None
    old = as_new_incident(before)
    changed = [name for name in EDITABLE_FIELDS if getattr(old, name) != getattr(clean, name)]
    linked = set(before.evidence_entry_ids)
    added = [] if wanted is None else [i for i in wanted if i not in linked]
    # A hidden entry is not in the editor's list; saving it must not drop its link.
    hidden = {int(r[0]) for r in vault.conn.execute("SELECT entry_id FROM hidden_entries")}
    removed = (
        []
        if wanted is None
        else [i for i in before.evidence_entry_ids if i not in wanted and i not in hidden]
    )
    if not changed and not added and not removed:
        return False
    with vault.change() as change:
        if changed:
            _write_fields(change, vault, incident_id, clean)
        if removed:
            _unlink(change, incident_id, removed)
        new_links = link_entries(change, incident_id, added) if added else 0
        change.audit(
            "incident.edited",
            incident_id=incident_id,
            fields=changed,
            category=clean.category.value,
            reported_to_police=clean.reported_to_police,
            evidence_added=new_links,
            evidence_removed=len(removed),
        )
    return True


def unlink_evidence(vault: Vault, incident_id: int, entry_ids: Sequence[int]) -> int:
    """Remove links from an incident (the evidence itself stays); return how many went."""
    ids = unique_ids(entry_ids)
    if not ids:
        raise InvalidRecord("Choose at least one item to remove from the incident.")
    with vault.change() as change:
        require_incident(change.conn, incident_id)
        removed = _unlink(change, incident_id, ids)
        change.audit(
            "incident.evidence_unlinked", incident_id=incident_id, entry_ids=ids, removed=removed
        )
    return removed


def delete_incident(vault: Vault, incident_id: int) -> None:
    """Remove an incident from the user's log, with its evidence links (the evidence
    itself stays). One audited transaction; the audit row names no words."""
    with vault.change() as change:
        try:
            before = get_incident(change.conn, incident_id)
        except LookupError:
            raise InvalidRecord("That incident is not in the vault (was it removed?).") from None
        change.conn.execute(
            "DELETE FROM entries WHERE id = ? AND kind = 'incident'", (incident_id,)
        )  # the incidents row, its links, note and exhibit places go with it (cascade)
        change.audit(
            "incident.deleted",
            incident_id=incident_id,
            category=before.category.value,
            evidence_unlinked=len(before.evidence_entry_ids),
        )


def _write_fields(change: Change, vault: Vault, incident_id: int, clean: NewIncident) -> None:
    offset = None
    source = TimeSource.UNKNOWN
    if clean.occurred_ms is not None:
        source = TimeSource.USER
        utc = from_ms(clean.occurred_ms).astimezone(vault.time_zone).utcoffset()
        offset = None if utc is None else int(utc.total_seconds() // 60)
    change.conn.execute(
        "UPDATE entries SET occurred_ms = ?, utc_offset_min = ?, time_source = ?, "
        "time_precision = ?, text = ? WHERE id = ? AND kind = 'incident'",
        (
            clean.occurred_ms,
            offset,
            source.value,
            clean.time_precision.value,
            clean.summary,
            incident_id,
        ),
    )
    change.conn.execute(
        "UPDATE incidents SET location = ?, summary = ?, what_happened = ?, witnesses = ?, "
        "reported_to_police = ?, agency = ?, officer = ?, report_number = ?, impact = ?, "
        "private_notes = ?, category = ?, ends_ms = ? WHERE entry_id = ?",
        (
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
            incident_id,
        ),
    )


def _unlink(change: Change, incident_id: int, entry_ids: Sequence[int]) -> int:
    removed = 0
    for entry_id in entry_ids:
        cursor = change.conn.execute(
            "DELETE FROM incident_evidence WHERE incident_entry_id = ? AND entry_id = ?",
            (incident_id, entry_id),
        )
        removed += cursor.rowcount
    return removed
