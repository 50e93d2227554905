"""Issue #13: names and times the user can correct, and entries they can take out.

Through the real vault: an SMS export is imported, a person is added, a time is set, an
entry is hidden and deleted for good — and the query, the search, the patterns, the
binder (read back with pypdf), ``list`` and ``verify`` all agree.
"""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.exhibits import create_exhibit, exhibit_entry_ids, remove_exhibit_entries
from nco_desktop.case import InvalidRecord
from nco_desktop.case.entry_times import correct_entry_time, time_correction
from nco_desktop.case.hiding import delete_for_good, hidden_entries, hide_entries
from nco_desktop.case.incident_edits import delete_incident, unlink_evidence
from nco_desktop.case.incidents import NewIncident, add_incident, list_incidents
from nco_desktop.case.people import IdentifierKind, NewPerson, Role, add_person
from nco_desktop.case.record_edits import delete_person, update_person
from nco_desktop.case.undo import UndoHistory, exhibit_removal_step, hide_step, unlink_step
from nco_desktop.cli import main
from nco_desktop.evidence.records import EntryKind, TimePrecision
from nco_desktop.importers.batch import import_paths
from nco_desktop.timekeeping import local_to_ms
from nco_desktop.timeline.detail import load_entry_detail
from nco_desktop.timeline.evidence_search import search_evidence
from nco_desktop.timeline.paging import build_index, load_rows
from nco_desktop.timeline.patterns import frequent_parties
from nco_desktop.timeline.query import TimelineQuery, count_entries, iter_entries
from nco_desktop.vault import TEST_KDF, Vault
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE, write_file

NUMBER = "+13125550147"
SMS = f"""<?xml version="1.0" encoding="UTF-8"?>
<smses count="2">
  <sms protocol="0" address="{NUMBER}" date="1710300930000" type="1" body="You can't hide from me"
       read="1" status="-1" locked="0" contact_name="Contact A" />
  <sms protocol="0" address="{NUMBER}" date="1710304530000" type="1" body="Answer the phone"
       read="1" status="-1" locked="0" contact_name="Contact A" />
</smses>
"""
MTIME = 1_710_400_000  # 2024-03-14


@pytest.fixture
def case(tmp_path, monkeypatch):
    """An SMS export from "Contact A" and a text file dated only by its file time."""
    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF).close()
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    write_file(tmp_path / "in" / "sms-20240313.xml", SMS)
    write_file(tmp_path / "in" / "voicemail-notes.txt", "He called three times.", MTIME)
    with Vault.open(path, PASSPHRASE) as vault:
        import_paths(vault, [tmp_path / "in"], thumbnails=False)
    return path


def messages(vault: Vault) -> list:
    return list(iter_entries(vault.conn, TimelineQuery(kinds=frozenset({EntryKind.MESSAGE}))))


def binder_text(vault: Vault, out) -> str:
    build_binder(vault, out)
    return "\n".join(page.extract_text() for page in PdfReader(out).pages)


def sam(vault: Vault) -> int:
    return add_person(
        vault,
        NewPerson(Role.RESTRAINED, "Sam Doe", ((IdentifierKind.PHONE, "(312) 555-0147"),)),
    )


def test_adding_a_person_renames_their_messages_everywhere(case, tmp_path, capsys):
    with Vault.open(case, PASSPHRASE) as vault:
        assert {m.party_name for m in messages(vault)} == {"Contact A"}
        person_id = sam(vault)

        found = messages(vault)
        assert len(found) == 2
        for entry in found:
            assert entry.party_name == "Sam Doe"
            assert entry.exported_name == "Contact A" and entry.saved_as == "Contact A"
            assert entry.who() == f"Sam Doe ({NUMBER})"
        # The person filter and the search box find him by the name the user gave.
        assert count_entries(vault.conn, TimelineQuery(party="sam")) == 2
        assert len(search_evidence(vault.conn, "Sam Doe").ids) == 2
        # The timeline list's rows and the patterns page's people.
        index = build_index(vault.conn, TimelineQuery(party="Sam"), vault.time_zone)
        rows = load_rows(vault.conn, index.ids)
        assert {row.entry.party_name for row in rows.values()} == {"Sam Doe"}
        assert frequent_parties(vault.conn)[0][1:] == ("Sam Doe", 2)
        # The detail pane's record names both.
        detail = load_entry_detail(vault.conn, found[0].id, vault.time_zone)
        assert detail.entry.party_name == "Sam Doe" and detail.entry.saved_as == "Contact A"

        text = binder_text(vault, tmp_path / "binder.pdf")
        assert "Sam Doe" in text and "Contact A" not in text

        update_person(
            vault,
            person_id,
            NewPerson(Role.RESTRAINED, "Samuel Doe", ((IdentifierKind.PHONE, NUMBER),)),
        )
        assert {m.party_name for m in messages(vault)} == {"Samuel Doe"}

    assert main(["list", "--vault", str(case), "--json", "--kind", "message"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(e["party_name"], e["exported_name"]) for e in listed] == [
        ("Samuel Doe", "Contact A")
    ] * 2
    assert main(["list", "--vault", str(case), "--kind", "message"]) == 0
    assert "Samuel Doe" in capsys.readouterr().out

    with Vault.open(case, PASSPHRASE) as vault:
        delete_person(vault, person_id)
        assert {(m.party_name, m.exported_name) for m in messages(vault)} == {("Contact A", None)}
        assert verify_vault(vault).intact


def test_a_corrected_time_is_the_users_with_the_reason_kept_and_verified(case, tmp_path):
    with Vault.open(case, PASSPHRASE) as vault:
        (note,) = iter_entries(vault.conn, TimelineQuery(kinds=frozenset({EntryKind.NOTE})))
        assert note.time_source == "file-mtime"
        zone = ZoneInfo("America/Chicago")
        new_ms, _ = local_to_ms(datetime(2024, 3, 12, 23, 40), zone)

        with pytest.raises(InvalidRecord, match="Say why"):
            correct_entry_time(vault, note.id, new_ms, TimePrecision.MINUTE, "   ")
        correct_entry_time(
            vault, note.id, new_ms, TimePrecision.MINUTE, "I wrote it the night he called"
        )
        (after,) = iter_entries(vault.conn, TimelineQuery(kinds=frozenset({EntryKind.NOTE})))
        assert (after.occurred_ms, after.time_source, after.time_precision) == (
            new_ms,
            "user",
            "minute",
        )
        kept = time_correction(vault.conn, note.id)
        assert kept is not None and kept.was_time_source == "file-mtime"
        assert kept.was_occurred_ms == note.occurred_ms

        # A second correction keeps the import's time, not the first correction's.
        day_ms, _ = local_to_ms(datetime(2024, 3, 12), zone)
        correct_entry_time(vault, note.id, day_ms, TimePrecision.DAY, "Only the day is sure")
        kept = time_correction(vault.conn, note.id)
        assert kept is not None and kept.was_occurred_ms == note.occurred_ms
        assert kept.reason == "Only the day is sure"
        detail = load_entry_detail(vault.conn, note.id, vault.time_zone)
        assert detail.time_text == "Tuesday, March 12, 2024 (date only)"
        assert detail.was_time_text is not None and "modification date" in detail.was_time_text

        actions = [a for (a,) in vault.conn.execute("SELECT action FROM audit_log")]
        assert actions.count("entry.time_corrected") == 2
        logged = [
            json.loads(d)
            for (d,) in vault.conn.execute(
                "SELECT details_json FROM audit_log WHERE action = 'entry.time_corrected'"
            )
        ]
        assert all("Only the day" not in json.dumps(d) for d in logged)  # no typed words
        assert verify_vault(vault).intact  # a recorded change is not tampering

        text = binder_text(vault, tmp_path / "binder.pdf")
        assert "set by the user: Only the day is sure" in " ".join(text.split())

        # An edit behind the program's back is still caught.
        vault.conn.execute(
            "UPDATE entries SET occurred_ms = occurred_ms + 1 WHERE id = ?", (note.id,)
        )
        assert not verify_vault(vault).intact


def test_hidden_entries_leave_every_view_and_come_back(case, tmp_path, capsys):
    with Vault.open(case, PASSPHRASE) as vault:
        first, second = messages(vault)
        exhibit_id = create_exhibit(vault, "Texts", "", [first.id, second.id])
        incident_id = add_incident(
            vault, NewIncident(occurred_ms=first.occurred_ms, summary="Texts"), [first.id]
        )
        sam(vault)
        with pytest.raises(InvalidRecord, match="why"):
            hide_entries(vault, [first.id], "")
        assert hide_entries(vault, [first.id], "private") == 1

        assert [m.id for m in messages(vault)] == [second.id]
        assert count_entries(vault.conn, TimelineQuery(party="Sam")) == 1
        assert first.id not in search_evidence(vault.conn, "hide").ids
        assert first.id not in build_index(vault.conn, TimelineQuery(), vault.time_zone).ids
        assert first.id not in load_rows(vault.conn, [first.id, second.id])
        assert frequent_parties(vault.conn)[0][2] == 1
        assert load_entry_detail(vault.conn, incident_id, vault.time_zone).incident.linked == ()
        (hidden,) = hidden_entries(vault.conn)
        assert (hidden.entry.id, hidden.reason) == (first.id, "private")
        # The links stay, so showing it again restores them.
        assert exhibit_entry_ids(vault.conn, exhibit_id) == [first.id, second.id]
        text = binder_text(vault, tmp_path / "binder.pdf")
        assert "Answer the phone" in text and "hide from me" not in text

    assert main(["list", "--vault", str(case), "--kind", "message", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1
    args = ["list", "--vault", str(case), "--kind", "message", "--json", "--include-hidden"]
    assert main(args) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2

    with Vault.open(case, PASSPHRASE) as vault:
        history = UndoHistory()
        history.push(hide_step([first.id], ["You can't hide from me"]))
        assert history.latest().description == "hide “You can't hide from me”"
        assert history.undo(vault) is not None and len(history) == 0
        assert [m.id for m in messages(vault)] == [first.id, second.id]
        audit = vault.conn.execute(
            "SELECT details_json FROM audit_log WHERE action = 'entry.unhidden'"
        ).fetchone()
        assert json.loads(audit[0])["undo"] is True

        unlink_evidence(vault, incident_id, [first.id])
        history.push(unlink_step(incident_id, [first.id], ["text"]))
        before = exhibit_entry_ids(vault.conn, exhibit_id)
        remove_exhibit_entries(vault, exhibit_id, [first.id])
        history.push(exhibit_removal_step(exhibit_id, before, ["text"], "Exhibit A"))
        assert history.latest().description == "remove “text” from Exhibit A"
        history.undo(vault)
        assert exhibit_entry_ids(vault.conn, exhibit_id) == [first.id, second.id]
        history.undo(vault)
        (incident,) = list_incidents(vault.conn)
        assert incident.evidence_entry_ids == (first.id,)
        assert verify_vault(vault).intact


def test_deleting_for_good_removes_the_original_and_verify_still_passes(case):
    with Vault.open(case, PASSPHRASE) as vault:
        (note,) = iter_entries(vault.conn, TimelineQuery(kinds=frozenset({EntryKind.NOTE})))
        sms = messages(vault)
        original_id = vault.conn.execute(
            "SELECT original_id FROM entries WHERE id = ?", (note.id,)
        ).fetchone()[0]
        with pytest.raises(InvalidRecord, match="hide them first"):
            delete_for_good(vault, [note.id])

        hide_entries(vault, [note.id, sms[0].id], "imported by mistake")
        deleted = delete_for_good(vault, [note.id, sms[0].id])
        assert (deleted.entries, deleted.originals) == (2, 1)
        assert deleted.originals_kept == ("sms-20240313.xml",)  # the other text is in it
        assert vault.conn.execute(
            "SELECT count(*) FROM originals WHERE id = ?", (original_id,)
        ).fetchone() == (0,)
        assert count_entries(vault.conn, TimelineQuery(include_hidden=True)) == 1
        assert hidden_entries(vault.conn) == []
        report = verify_vault(vault)
        assert report.intact, report.problems


def test_deleting_an_incident_keeps_its_evidence(case):
    with Vault.open(case, PASSPHRASE) as vault:
        first, _second = messages(vault)
        incident_id = add_incident(
            vault, NewIncident(occurred_ms=None, summary="Parked outside"), [first.id]
        )
        delete_incident(vault, incident_id)
        assert list_incidents(vault.conn) == []
        assert len(messages(vault)) == 2
        with pytest.raises(InvalidRecord):
            delete_incident(vault, incident_id)
        assert verify_vault(vault).intact
