"""Whole imports through the sandboxed pipeline: detection, dedup across backups, links."""

from __future__ import annotations

import base64
import io
import json

from PIL import Image

from nco_desktop.evidence.records import EntryKind
from nco_desktop.importers.batch import Outcome, import_paths
from nco_desktop.timeline.query import TimelineQuery, iter_entries
from nco_desktop.verification import verify_vault
from tests.conftest import write_file

SMS = """<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="{count}">
{rows}
</smses>
"""
ROW = (
    '<sms protocol="0" address="{address}" date="{ms}" type="1" subject="null" '
    'body="{body}" contact_name="Sam Roe" />'
)


def backup(path, messages):
    rows = "\n".join(ROW.format(address=a, ms=ms, body=b) for a, ms, b in messages)
    return write_file(path, SMS.format(count=len(messages), rows=rows))


def test_overlapping_phone_backups_do_not_double(vault, tmp_path):
    early = [("(555) 010-0199", 1_710_281_730_000 + i * 60_000, f"message {i}") for i in range(6)]
    late = [("+15550100199", ms, body) for _, ms, body in early[3:]] + [
        ("+15550100199", 1_710_400_000_000, "a newer one")
    ]
    backup(tmp_path / "a" / "sms-20240313.xml", early)
    backup(tmp_path / "b" / "sms-20240315.xml", late)
    first = import_paths(vault, [tmp_path / "a"])
    second = import_paths(vault, [tmp_path / "b"])
    assert first.results[0].entries_added == 6
    assert first.results[0].kind == "SMS Backup & Restore"
    (result,) = second.results
    assert (result.entries_added, result.duplicates) == (1, 3)
    entries = list(iter_entries(vault.conn))
    assert len(entries) == 7
    assert {e.party_key for e in entries} == {"tel:+15550100199"}
    assert {e.party_name for e in entries} == {"Sam Roe"}
    assert verify_vault(vault).intact


def test_kind_is_found_by_content_not_by_name(vault, tmp_path):
    backup(tmp_path / "in" / "holiday-photo.jpg", [("5550100", 1_710_281_730_000, "hi")])
    summary = import_paths(vault, [tmp_path / "in"])
    (result,) = summary.results
    assert result.outcome is Outcome.IMPORTED and result.kind == "SMS Backup & Restore"
    (entry,) = iter_entries(vault.conn)
    assert entry.kind == "message" and entry.original_name == "holiday-photo.jpg"


def test_mms_pictures_are_originals_linked_to_their_message(vault, tmp_path):
    picture = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(picture, "PNG")
    png = base64.b64encode(picture.getvalue()).decode()
    write_file(
        tmp_path / "in" / "sms.xml",
        f"""<smses count="1">
<mms date="1710281730000" msg_box="1" address="+15550100199" contact_name="Sam Roe">
<parts><part seq="0" ct="image/png" name="threat.png" data="{png}" />
<part seq="1" ct="text/plain" text="look what I found" /></parts>
<addrs><addr address="+15550100199" type="137" /></addrs></mms></smses>""",
    )
    summary = import_paths(vault, [tmp_path / "in"], thumbnails=False)
    assert summary.results[0].entries_added == 1
    (message,) = iter_entries(vault.conn, TimelineQuery(kinds=frozenset({EntryKind.MESSAGE})))
    assert message.text == "look what I found"
    rows = vault.conn.execute(
        "SELECT o.original_name, o.media_type, o.import_source, c.original_name "
        "FROM entry_attachments a JOIN originals o ON o.id = a.original_id "
        "JOIN originals c ON c.id = o.container_id WHERE a.entry_id = ?",
        (message.id,),
    ).fetchall()
    assert rows == [("threat.png", "image/png", "attachment", "sms.xml")]
    (status, messages) = vault.conn.execute(
        "SELECT status, messages_json FROM original_parses"
    ).fetchone()
    assert status == "ok" and json.loads(messages) == []
    assert verify_vault(vault).intact


def test_an_impossible_offset_is_dropped_not_fatal(vault, tmp_path):
    write_file(
        tmp_path / "in" / "a.eml",
        "From: Sam Roe <sam@example.org>\nTo: me@example.org\n"
        "Subject: hi\nDate: Tue, 12 Mar 2024 22:15:30 +2300\n\nI am outside.\n",
    )
    write_file(tmp_path / "in" / "b.txt", "A note written the same night.")
    summary = import_paths(vault, [tmp_path / "in"])
    email, note = summary.results
    assert email.outcome is Outcome.IMPORTED and email.entries_added == 1
    assert any("impossible" in p for p in email.problems)
    assert note.outcome is Outcome.IMPORTED
    (entry,) = [e for e in iter_entries(vault.conn) if e.kind == "email"]
    assert entry.utc_offset_min is None and entry.occurred_ms is not None
    assert verify_vault(vault).intact


def test_repeated_calls_in_one_minute_are_all_kept(vault, tmp_path):
    rows = "\n".join(
        ["Call type,Date,Duration,Number,Contact"]
        + ["Missed,2024-03-12 23:58,0,+15550100199,John Roe"] * 3
    )
    write_file(tmp_path / "in" / "calls.csv", rows)
    (result,) = import_paths(vault, [tmp_path / "in"]).results
    assert (result.entries_added, result.duplicates) == (3, 0)
    again = import_paths(vault, [tmp_path / "in"])  # the same file: a duplicate original
    write_file(tmp_path / "in2" / "calls-export-2.csv", rows + "\n")  # a re-export
    (reexport,) = import_paths(vault, [tmp_path / "in2"]).results
    assert again.results[0].outcome is Outcome.DUPLICATE
    assert (reexport.entries_added, reexport.duplicates) == (0, 3)
