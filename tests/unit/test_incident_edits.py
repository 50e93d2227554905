"""Editing incidents on real vault files: one audited change, no words in the audit log."""

from __future__ import annotations

import dataclasses
import json

import pytest

from nco_desktop.case import InvalidRecord
from nco_desktop.case.incident_edits import (
    as_new_incident,
    entry_views,
    get_incident,
    unlink_evidence,
    update_incident,
)
from nco_desktop.case.incidents import IncidentCategory, NewIncident, add_incident
from nco_desktop.evidence.records import EntryKind, NewEntry, TimePrecision, TimeSource
from nco_desktop.evidence.store import add_entry
from nco_desktop.timeline.query import TimelineQuery, iter_entries
from nco_desktop.vault import Vault
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE

T0 = 1_762_834_500_000  # 2025-11-10 22:15 in Chicago
SECRET = "my sister's new address is 12 Elm"


def seed(vault: Vault, count: int = 3) -> list[int]:
    ids: list[int] = []
    with vault.change() as change:
        for n in range(count):
            entry_id = add_entry(
                change,
                NewEntry(
                    kind=EntryKind.MESSAGE,
                    occurred_ms=T0 + n * 60_000,
                    time_source=TimeSource.EXPORT_FIELD,
                    party="+13125550147",
                    text=f"message {n}",
                ),
            )
            assert entry_id is not None
            ids.append(entry_id)
        change.audit("test.seed")
    return ids


def audit_text(vault: Vault) -> str:
    rows = vault.conn.execute("SELECT action, details_json FROM audit_log ORDER BY seq")
    return "\n".join(f"{action} {details}" for action, details in rows)


def base_incident() -> NewIncident:
    return NewIncident(
        occurred_ms=T0,
        summary="Parked outside my work",
        location="Staff lot",
        category=IncidentCategory.FOLLOWING,
        private_notes=SECRET,
    )


def test_update_changes_fields_time_and_links_in_one_audited_change(vault):
    a, b, c = seed(vault)
    incident_id = add_incident(vault, base_incident(), [a, b])
    audit_rows = vault.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    edited = dataclasses.replace(
        base_incident(),
        occurred_ms=T0 + 3_600_000,
        time_precision=TimePrecision.DAY,
        ends_ms=T0 + 7_200_000,
        summary="  Waited in the staff lot  ",
        reported_to_police=True,
        agency="Springfield PD",
        private_notes=SECRET + " and more",
    )
    assert update_incident(vault, incident_id, edited, [b, c]) is True
    assert vault.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == audit_rows + 1

    saved = get_incident(vault.conn, incident_id)
    assert saved.summary == "Waited in the staff lot"
    assert saved.time_precision is TimePrecision.DAY
    assert saved.ends_ms == T0 + 7_200_000
    assert saved.evidence_entry_ids == (b, c)
    (entry,) = iter_entries(vault.conn, TimelineQuery(kinds=frozenset({EntryKind.INCIDENT})))
    assert (entry.occurred_ms, entry.text, entry.time_precision) == (
        T0 + 3_600_000,
        "Waited in the staff lot",
        "day",
    )
    assert entry.utc_offset_min == -360  # Chicago in November

    (details,) = vault.conn.execute(
        "SELECT details_json FROM audit_log WHERE action = 'incident.edited'"
    ).fetchone()
    record = json.loads(details)
    assert record["incident_id"] == incident_id
    assert record["evidence_added"] == 1 and record["evidence_removed"] == 1
    assert set(record["fields"]) >= {"summary", "private_notes", "occurred_ms", "agency"}
    text = audit_text(vault)
    assert SECRET not in text and "Springfield" not in text and "staff lot" not in text
    assert verify_vault(vault).intact


def test_nothing_changed_writes_nothing(vault):
    (a,) = seed(vault, 1)
    incident_id = add_incident(vault, base_incident(), [a])
    rows = vault.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    same = as_new_incident(get_incident(vault.conn, incident_id))
    assert update_incident(vault, incident_id, same, [a]) is False
    assert update_incident(vault, incident_id, same) is False  # links left as they are
    assert vault.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == rows


def test_time_unknown_and_invalid_edits(vault):
    incident_id = add_incident(vault, base_incident())
    unknown = dataclasses.replace(base_incident(), occurred_ms=None)
    assert update_incident(vault, incident_id, unknown)
    saved = get_incident(vault.conn, incident_id)
    assert saved.occurred_ms is None and saved.time_precision is TimePrecision.UNKNOWN
    (source,) = vault.conn.execute(
        "SELECT time_source FROM entries WHERE id = ?", (incident_id,)
    ).fetchone()
    assert source == "unknown"

    with pytest.raises(InvalidRecord, match="summary"):
        update_incident(vault, incident_id, dataclasses.replace(base_incident(), summary=" "))
    with pytest.raises(InvalidRecord, match="end before"):
        update_incident(vault, incident_id, dataclasses.replace(base_incident(), ends_ms=T0 - 1))
    with pytest.raises(InvalidRecord, match="not in the vault"):
        update_incident(vault, 9999, base_incident())
    other = add_incident(vault, dataclasses.replace(base_incident(), summary="Another"))
    with pytest.raises(InvalidRecord, match="incident cannot be linked"):
        update_incident(vault, incident_id, base_incident(), [other])
    # a failed edit leaves the vault as it was
    assert get_incident(vault.conn, incident_id).occurred_ms is None
    assert verify_vault(vault).intact


def test_unlink_keeps_the_evidence_and_survives_reopening(vault, vault_path):
    a, b = seed(vault, 2)
    incident_id = add_incident(vault, base_incident(), [a, b])
    assert unlink_evidence(vault, incident_id, [a, a]) == 1
    assert unlink_evidence(vault, incident_id, [a]) == 0
    with pytest.raises(InvalidRecord):
        unlink_evidence(vault, incident_id, [])
    with pytest.raises(InvalidRecord):
        unlink_evidence(vault, 9999, [b])
    vault.close()
    with Vault.open(vault_path, PASSPHRASE) as again:
        assert get_incident(again.conn, incident_id).evidence_entry_ids == (b,)
        assert [v.id for v in entry_views(again.conn, [b, a, 12345])] == [a, b]
        assert "incident.evidence_unlinked" in audit_text(again)
        assert verify_vault(again).intact


def test_get_incident_of_a_non_incident(vault):
    (a,) = seed(vault, 1)
    with pytest.raises(LookupError):
        get_incident(vault.conn, a)
