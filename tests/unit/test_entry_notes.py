"""Notes on entries: audited, separate from the evidence, and verify stays green."""

import pytest

from nco_desktop.evidence.notes import entry_note, set_entry_note
from nco_desktop.evidence.records import EntryKind, NewEntry, TimePrecision, TimeSource
from nco_desktop.evidence.store import add_entry
from nco_desktop.verification import verify_vault


def _entry(vault) -> int:
    with vault.change() as change:
        entry_id = add_entry(
            change,
            NewEntry(
                kind=EntryKind.NOTE,
                occurred_ms=1_700_000_000_000,
                time_source=TimeSource.USER,
                time_precision=TimePrecision.MINUTE,
                text="He waited by my car.",
            ),
        )
        change.audit("test.entry")
    assert entry_id is not None
    return entry_id


def test_note_is_saved_changed_and_removed_with_audit_rows(vault):
    entry_id = _entry(vault)
    assert entry_note(vault.conn, entry_id) == ""
    assert set_entry_note(vault, entry_id, "  Neighbour saw it too.  ")
    assert entry_note(vault.conn, entry_id) == "Neighbour saw it too."
    assert not set_entry_note(vault, entry_id, "Neighbour saw it too.")  # unchanged: no write
    assert set_entry_note(vault, entry_id, "")
    assert entry_note(vault.conn, entry_id) == ""
    rows = vault.conn.execute(
        "SELECT details_json FROM audit_log WHERE action = 'entry.note_changed'"
    ).fetchall()
    assert len(rows) == 2
    assert all("Neighbour" not in row[0] for row in rows)  # the audit log never holds the text
    assert verify_vault(vault).intact


def test_note_on_a_missing_entry_is_refused_and_nothing_is_written(vault):
    before = vault.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with pytest.raises(KeyError):
        set_entry_note(vault, 999, "text")
    assert vault.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == before
