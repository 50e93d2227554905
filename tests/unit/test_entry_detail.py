"""Reading one entry whole for the detail pane: real vaults, real imports, no Qt."""

from __future__ import annotations

import ast
import email.message
import email.utils
from datetime import UTC, datetime
from pathlib import Path

import pytest

from nco_desktop.evidence.notes import set_entry_note
from nco_desktop.evidence.records import EntryKind, NewEntry, TimeSource
from nco_desktop.evidence.store import add_entry
from nco_desktop.importers.batch import import_paths
from nco_desktop.timeline import detail as detail_module
from nco_desktop.timeline.detail import (
    MAX_IN_MEMORY,
    load_entry_detail,
    pdf_date_text,
    read_original_bytes,
    time_source_words,
)
from nco_desktop.vault.blobs import put_bytes
from tests.conftest import SAMPLES, write_file
from tests.support.factories import (
    BASE_MS,
    SAM,
    add_incident,
    build_case,
    jpeg_with_exif,
    only,
)


@pytest.fixture
def case(vault, tmp_path):
    summary = import_paths(vault, [build_case(tmp_path / "in")])
    assert all(r.outcome.value == "imported" for r in summary.results), summary.results
    return vault


# --- tests -----------------------------------------------------------------------------


def test_the_module_does_not_import_qt():
    tree = ast.parse(Path(detail_module.__file__).read_text(encoding="utf-8"))
    modules = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert not any(m.startswith("PySide6") for m in modules)


def test_a_photo_has_its_original_facts_meta_and_exif_time(case):
    (entry,) = only(case, "image", "photo.jpg")
    detail = load_entry_detail(case.conn, entry.id, case.time_zone)
    original = detail.original
    assert original is not None and original.name == "photo.jpg"
    assert len(original.sha256) == 64 and original.size == len(jpeg_with_exif())
    assert original.media_type == "image/jpeg"
    assert original.imported_local(case.time_zone) is not None
    assert detail.entry.time_source == "exif"
    assert detail.time_source_words == "From the photo's EXIF data"
    assert detail.time_text == "Tuesday, March 12, 2024, 10:15:30 PM CDT"
    assert detail.recorded_offset == "-05:00"
    # upright size: the photo is stored sideways (EXIF orientation 6)
    assert detail.meta["width"] == 30 and detail.meta["camera_make"] == "TestCam"
    assert detail.parse is not None and detail.parse.status == "ok"
    assert detail.conversation == () and detail.incident is None and detail.note == ""
    assert detail.thumbnail_blob_id is not None
    data = read_original_bytes(case.conn, original.blob_id)
    assert data == jpeg_with_exif()


def test_a_screenshot_says_its_time_came_from_its_file_name(case):
    (entry,) = only(case, "image", "Screenshot_20240312-221530.png")
    detail = load_entry_detail(case.conn, entry.id, case.time_zone)
    assert detail.time_source_words == "From the screenshot's file name"
    assert detail.time_is_weak


def test_a_message_comes_with_five_neighbours_each_side_in_time_order(case):
    messages = only(case, "message")
    assert len(messages) == 12
    middle = messages[6]
    detail = load_entry_detail(case.conn, middle.id, case.time_zone)
    ids = [e.id for e in detail.conversation]
    assert ids == [e.id for e in messages[1:12]]
    assert detail.conversation[5].id == middle.id
    assert detail.time_source_words == "From the time recorded in the phone or app export"
    first = load_entry_detail(case.conn, messages[0].id, case.time_zone)
    assert [e.id for e in first.conversation] == [e.id for e in messages[:6]]
    short = load_entry_detail(case.conn, middle.id, case.time_zone, span=2)
    assert [e.id for e in short.conversation] == [e.id for e in messages[4:9]]
    assert detail.original is not None and detail.original.name == "sms-20240313.xml"


def test_messages_without_a_thread_group_by_person_and_undated_ones_come_last(vault):
    ids = []
    with vault.change() as change:
        for offset, ms in ((0, BASE_MS), (1, None), (2, BASE_MS - 60_000), (3, BASE_MS + 1)):
            ids.append(
                add_entry(
                    change,
                    NewEntry(
                        kind=EntryKind.MESSAGE,
                        occurred_ms=ms,
                        time_source=TimeSource.UNKNOWN if ms is None else TimeSource.USER,
                        party=SAM,
                        party_key="tel:" + SAM,
                        text=f"m{offset}",
                        source_key=f"k{offset}",
                    ),
                )
            )
        add_entry(  # someone else: never in this conversation
            change,
            NewEntry(
                kind=EntryKind.MESSAGE,
                occurred_ms=BASE_MS,
                time_source=TimeSource.USER,
                party="+15550100000",
                party_key="tel:+15550100000",
                text="other",
            ),
        )
        change.audit("test.entries")
    detail = load_entry_detail(vault.conn, ids[0], vault.time_zone)
    assert [e.text for e in detail.conversation] == ["m2", "m0", "m3", "m1"]
    undated = load_entry_detail(vault.conn, ids[1], vault.time_zone)
    assert undated.time_source_words == "Time unknown" and undated.time_text == "Time unknown"
    assert [e.text for e in undated.conversation] == ["m2", "m0", "m3", "m1"]


def test_a_call_knows_it_was_late_at_night(case):
    answered, missed = sorted(only(case, "call"), key=lambda e: e.duration_s or 0, reverse=True)
    detail = load_entry_detail(case.conn, answered.id, case.time_zone)
    assert detail.entry.call_type == "incoming" and detail.entry.duration_s == 125
    assert detail.late_night  # 10:15 PM in Chicago
    assert not load_entry_detail(case.conn, missed.id, case.time_zone).late_night  # 2:15 PM
    assert detail.conversation == ()


def test_an_email_has_its_headers_in_meta(case):
    (entry,) = only(case, "email")
    detail = load_entry_detail(case.conn, entry.id, case.time_zone)
    assert detail.meta["subject"] == "You will regret this"
    assert "Sam Roe" in detail.meta["from"] and "jo@example.org" in str(detail.meta["to"])
    assert detail.time_source_words == "From the message header"
    assert "<b>at 8</b>" in (detail.entry.text or "")


def test_a_pdf_has_its_page_count_and_document_time_words(case):
    (entry,) = only(case, "document", "report.pdf")
    detail = load_entry_detail(case.conn, entry.id, case.time_zone)
    assert detail.meta["page_count"] == 3
    assert detail.original is not None and detail.original.media_type == "application/pdf"
    # Which date it is: the creation date from the PDF's information, never "a date
    # written inside the document" (that reads as the letter's own date).
    assert detail.time_source_words in (
        "From the PDF's creation date (in the file's document information)",
        "From the PDF's creation date (in the file's document information; no time zone "
        "recorded, read in the vault's zone)",
    )
    assert "written inside" not in detail.time_source_words
    created = detail.meta["creation_date"]
    assert created.startswith("D:")
    shown = pdf_date_text(created, case.time_zone)
    assert "D:" not in shown and shown == detail.time_text
    assert read_original_bytes(case.conn, detail.original.blob_id).startswith(b"%PDF-")


def test_a_text_note_from_a_file_date_says_the_date_is_weak(case):
    (entry,) = only(case, "note")
    detail = load_entry_detail(case.conn, entry.id, case.time_zone)
    assert detail.time_source_words == (
        "From the file's modification date — may be later than the event"
    )
    assert detail.time_is_weak


def test_the_users_note_is_part_of_the_detail(case):
    (entry,) = only(case, "note")
    set_entry_note(case, entry.id, "The night he parked outside.")
    assert load_entry_detail(case.conn, entry.id, case.time_zone).note == (
        "The night he parked outside."
    )


def test_an_incident_has_its_fields_private_notes_and_linked_evidence(case):
    incident_id = add_incident(case)
    detail = load_entry_detail(case.conn, incident_id, case.time_zone)
    incident = detail.incident
    assert incident is not None
    assert incident.location == "Main St bus stop" and incident.reported_to_police
    assert incident.report_number == "24-001" and incident.officer == "Ofc. Diaz"
    assert incident.private_notes == "I was too scared to call."
    assert [e.kind for e in incident.linked] == ["call"]
    assert detail.original is None and detail.time_source_words == "Entered by you"
    assert detail.time_text == "Tuesday, March 12, 2024, 10:15 PM CDT"  # minute precision


@pytest.mark.skipif(
    not (SAMPLES / "voicemail_audio").is_dir(), reason="shared samples are not present"
)
def test_a_recording_has_its_duration_and_format(vault):
    import_paths(vault, [SAMPLES / "voicemail_audio" / "mutagen__has-tags.m4a"])
    (entry,) = only(vault, "audio")
    detail = load_entry_detail(vault.conn, entry.id, vault.time_zone)
    assert detail.meta["duration_s"] is not None and detail.meta["codec"]
    assert detail.original is not None and detail.original.name == "mutagen__has-tags.m4a"


def test_an_unknown_entry_is_a_lookup_error(vault):
    with pytest.raises(LookupError):
        load_entry_detail(vault.conn, 999, vault.time_zone)


def test_reading_refuses_a_blob_over_the_limit_before_reading_it(vault):
    with vault.change() as change:
        blob = put_bytes(change.conn, b"x" * 5000)
        change.audit("test.blob")
    assert read_original_bytes(vault.conn, blob.id, limit=5000) == b"x" * 5000
    with pytest.raises(ValueError, match="not opened here"):
        read_original_bytes(vault.conn, blob.id, limit=4999)
    with pytest.raises(LookupError):
        read_original_bytes(vault.conn, 12345)
    assert MAX_IN_MEMORY == 256 * 1024 * 1024


def test_reading_refuses_a_blob_whose_row_understates_its_size(vault):
    with vault.change() as change:
        blob = put_bytes(change.conn, b"y" * 3000)
        change.audit("test.blob")
    vault.conn.execute("DROP TRIGGER blobs_hash_immutable")
    vault.conn.execute("UPDATE blobs SET size = 10 WHERE id = ?", (blob.id,))
    with pytest.raises(ValueError, match="larger than"):
        read_original_bytes(vault.conn, blob.id, limit=100)


def test_time_source_words_cover_every_source_in_plain_words():
    assert time_source_words("exif-local", "image").startswith("From the photo's EXIF data")
    assert time_source_words("header", "audio") == "From the date written inside the recording"
    assert time_source_words("file-name", "audio") == "From the file's name"
    assert time_source_words("export-field", "audio", {"time_note": "x"}) == (
        "From the creation time written inside the recording file"
    )
    for source in TimeSource:
        assert time_source_words(source.value, "message")
    assert time_source_words("something-new", "message") == "Time unknown"


def test_an_email_date_without_a_zone_says_so(vault, tmp_path):
    write_file(
        tmp_path / "in" / "a.eml",
        "From: Sam Roe <sam@example.org>\nTo: me@example.org\nSubject: hi\n"
        f"Date: {email.utils.format_datetime(datetime(2024, 3, 12, 22, 15, tzinfo=UTC))}"
        "\n\nhello\n",
    )
    import_paths(vault, [tmp_path / "in"])
    (entry,) = only(vault, "email")
    detail = load_entry_detail(vault.conn, entry.id, vault.time_zone)
    assert all(isinstance(note, str) for note in detail.time_notes)
