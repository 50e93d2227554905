"""SMS Backup & Restore: every sample, plus the quirks the samples do not show."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nco_desktop.evidence.records import CallType, Direction, EntryKind, TimeSource
from nco_desktop.importers.formats import sms_xml
from nco_desktop.importers.model import (
    FormatNote,
    ParsedAttachment,
    ParsedEntry,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from tests.conftest import SAMPLES

FOLDER = SAMPLES / "sms_backup_restore"
needs_samples = pytest.mark.skipif(not FOLDER.is_dir(), reason="shared/samples is not present")


def parse(path: Path) -> list:
    source = ParseSource(path, path.name, ZoneInfo("America/Chicago"), "US", None)
    assert sms_xml.sniff(path.read_bytes()[:65536], path.name)
    return list(sms_xml.parse(source))


def entries(items: list) -> list[ParsedEntry]:
    return [i for i in items if isinstance(i, ParsedEntry)]


def sentences(items: list) -> list[str]:
    return [i.message for i in items if isinstance(i, (ParseProblem, FormatNote))]


@needs_samples
def test_calls_sample_with_a_wrong_count():
    items = parse(FOLDER / "mobilecombackup__calls-test-00.xml")
    calls = entries(items)
    assert len(calls) == 12
    first = calls[0]
    assert first.kind is EntryKind.CALL
    assert first.occurred_ms == 1415054053956
    assert first.time_source is TimeSource.EXPORT_FIELD
    assert (first.party, first.party_name) == ("+15555550013", "Cindy Lauper")
    assert (first.call_type, first.direction, first.duration_s) == (
        CallType.OUTGOING,
        Direction.OUTGOING,
        33,
    )
    assert calls[1].party_name is None  # "(Unknown)" is not a name
    assert [c.call_type for c in calls].count(CallType.MISSED) == 3
    assert calls[-1].call_type is CallType.INCOMING and calls[-1].duration_s == 1001
    assert sentences(items) == ["the backup says it holds 56 records; 12 were found"]


@needs_samples
@pytest.mark.parametrize(
    "name", ["mobilecombackup__calls-test-01.xml", "mobilecombackup__archive-calls.xml"]
)
def test_other_call_logs(name):
    calls = entries(parse(FOLDER / name))
    assert len(calls) in (12, 16)
    assert calls[0].occurred_ms == 1410881505425
    assert calls[0].call_type is CallType.MISSED and calls[0].duration_s == 0
    assert all(c.kind is EntryKind.CALL and c.dedup_key for c in calls)


@needs_samples
def test_minimal_calls():
    (call,) = entries(parse(FOLDER / "shruggietech__minimal_calls.xml"))
    assert (call.party, call.party_name, call.duration_s) == ("+15551234567", "Alice Smith", 125)
    assert call.call_type is CallType.INCOMING and call.occurred_ms == 1609632000000


@needs_samples
def test_sms_and_mms_truncated_file_keeps_what_is_whole():
    items = parse(FOLDER / "sbr2__sms_and_mms.xml")
    messages = entries(items)
    assert len(messages) == 49
    assert messages[0].text == "Body text 1" and messages[0].party_name == "Contact A"
    assert messages[0].direction is Direction.INCOMING
    assert any(m.direction is Direction.OUTGOING for m in messages)
    said = sentences(items)
    assert any("ends early or is damaged at line 136" in s and "49 records" in s for s in said)
    assert "the backup says it holds 58 records; 49 were found" in said
    assert all(m.meta.get("subject") is None for m in messages)  # "null" is no subject


@needs_samples
def test_mms_parts_become_attachments_linked_to_their_message():
    items = parse(FOLDER / "sbr2__sample_mms.xml")
    attachments = [i for i in items if isinstance(i, ParsedAttachment)]
    assert [a.media_type for a in attachments] == [
        "image/png",
        "video/mp4",
        "audio/mp3",
        "application/pdf",
    ]
    assert attachments[0].data.startswith(b"\x89PNG")
    messages = entries(items)
    assert messages[0].text == "Here is an image attachment"
    assert messages[0].attachment_refs == (attachments[0].ref,)
    # each attachment is yielded before the message that refers to it
    order = [i.ref if isinstance(i, ParsedAttachment) else i.attachment_refs[0] for i in items]
    assert order == [a.ref for a in attachments for _ in (0, 1)]


@needs_samples
def test_damaged_attachments_are_named_and_the_messages_kept():
    items = parse(FOLDER / "sbr2__corrupt_attachments.xml")
    assert [m.text for m in entries(items)] == [
        "MMS with corrupted base64 image data",
        "MMS with unsupported attachment type",
    ]
    assert sentences(items) == [
        "the attachment “corrupt_image.png” of an MMS is damaged and was left out",
        "the attachment “corrupt.file” of an MMS is damaged and was left out",
    ]


@needs_samples
def test_empty_backup_says_so():
    items = parse(FOLDER / "sbr2__empty.xml")
    assert entries(items) == []
    assert sentences(items) == ["the backup holds no messages or calls"]


@needs_samples
def test_malformed_backup_is_refused_with_a_reason():
    with pytest.raises(UnreadableFile, match="damaged at line 4; no complete record"):
        parse(FOLDER / "shruggietech__malformed.xml")


@needs_samples
def test_edge_cases_unicode_and_empty_body():
    messages = entries(parse(FOLDER / "shruggietech__edge_cases.xml"))
    assert messages[1].text == "Hello 🌍 — this has «special» chars & symbols < > \" '"
    assert messages[1].direction is Direction.OUTGOING
    assert messages[2].text is None  # an empty body is no text
    mms = messages[3]
    assert mms.party == "+15557778888" and mms.meta["mms"] and mms.meta["sent_ms"] is None


@needs_samples
@pytest.mark.parametrize(
    ("name", "count", "first_text"),
    [
        ("sbr2__sms_small.xml", 12, "Body text 1"),
        ("shruggietech__minimal_sms.xml", 1, "Happy New Year! This is a test message."),
        ("shruggietech__minimal_mms.xml", 1, "Hello from MMS!"),
        ("shruggietech__mixed.xml", 4, "Hey, how are you?"),
    ],
)
def test_small_samples(name, count, first_text):
    messages = entries(parse(FOLDER / name))
    assert len(messages) == count
    assert messages[0].text == first_text
    assert all(m.time_source is TimeSource.EXPORT_FIELD for m in messages)


@needs_samples
def test_group_mms_party_is_the_sender():
    messages = entries(parse(FOLDER / "mobilecombackup__sms-test.xml"))
    assert len(messages) == 15
    group = messages[-1]
    assert group.party == "+15555550005"
    assert group.meta["recipients"] == [
        "+15555550004",
        "+15555550003",
        "+15555550002",
        "+15555550001",
    ]


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "sms-20240312.xml"
    path.write_text(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n" + body, encoding="utf-8"
    )
    return path


def test_surrogate_pair_entities_decode_to_the_real_character(tmp_path):
    path = _write(
        tmp_path,
        '<smses count="1"><sms address="5550100" date="1710281730000" '
        'type="1" body="I see you &#55357;&#56832; &#xD83D;&#xDC40;" '
        'contact_name="null" /></smses>',
    )
    (message,) = entries(parse(path))
    assert message.text == "I see you 😀 👀"
    assert message.party_name is None


def test_entity_expansion_is_refused(tmp_path):
    bomb = (
        '<!DOCTYPE smses [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        '<smses count="1"><sms address="1" date="1" type="1" body="&b;" /></smses>'
    )
    path = _write(tmp_path, bomb)
    with pytest.raises(UnreadableFile, match="refused as unsafe"):
        list(sms_xml.parse(ParseSource(path, path.name, ZoneInfo("UTC"), "US", None)))


def test_a_bad_date_is_unknown_not_invented(tmp_path):
    path = _write(
        tmp_path,
        '<smses><sms address="5550100" date="bad" type="1" body="x" />'
        '<call number="5550100" date="99999999999999999" type="3" duration="x" />'
        "</smses>",
    )
    items = parse(path)
    message, call = entries(items)
    assert message.occurred_ms is None and message.time_source is TimeSource.UNKNOWN
    assert call.occurred_ms is None and call.duration_s is None
    assert len([s for s in sentences(items) if "no usable date" in s]) == 2


def test_a_large_backup_streams_in_flat_memory(tmp_path):
    path = tmp_path / "sms-big.xml"
    row = (
        '<sms protocol="0" address="+1555010{n:04d}" date="{ms}" type="1" subject="null" '
        'body="message number {n} &#55357;&#56832; with some ordinary length of text" '
        'contact_name="(Unknown)" />\n'
    )
    with path.open("w", encoding="utf-8") as handle:
        handle.write('<?xml version="1.0"?>\n<smses count="30000">\n')
        for n in range(30_000):
            handle.write(row.format(n=n % 10_000, ms=1_700_000_000_000 + n * 1000))
        handle.write("</smses>\n")
    tracemalloc.start()
    count = 0
    for item in sms_xml.parse(ParseSource(path, path.name, ZoneInfo("UTC"), "US", None)):
        count += isinstance(item, ParsedEntry)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert count == 30_000
    assert peak < 20 * 1024 * 1024, (
        f"peak {peak / 1e6:.0f} MB for a {path.stat().st_size / 1e6:.0f} MB file"
    )
