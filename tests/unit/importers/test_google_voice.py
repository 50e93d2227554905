"""Google Voice Takeout pages: every sample, plus voicemail, missed calls and MMS files."""

from __future__ import annotations

import contextlib
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nco_desktop.evidence.records import CallType, Direction, EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats import facebook, google_voice, telegram
from nco_desktop.importers.model import (
    ParsedAttachment,
    ParsedEntry,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import iso_z_from_ms
from tests.conftest import SAMPLES

FOLDER = SAMPLES / "google_voice_takeout"
needs_samples = pytest.mark.skipif(not FOLDER.is_dir(), reason="shared/samples is not present")


def source_for(path: Path) -> ParseSource:
    return ParseSource(path, path.name, ZoneInfo("America/Chicago"), "US", None)


def parse(path: Path) -> list:
    head = path.read_bytes()[:65536]
    assert google_voice.sniff(head, path.name)
    assert not facebook.sniff(head, path.name) and not telegram.sniff(head, path.name)
    return list(google_voice.parse(source_for(path)))


def entries(items: list) -> list[ParsedEntry]:
    return [i for i in items if isinstance(i, ParsedEntry)]


def problems(items: list) -> list[str]:
    return [i.message for i in items if isinstance(i, ParseProblem)]


def utc(entry: ParsedEntry) -> str:
    assert entry.occurred_ms is not None
    return iso_z_from_ms(entry.occurred_ms)


# ----- samples ----------------------------------------------------------------------------


@needs_samples
def test_text_conversation():
    found = entries(parse(FOLDER / "msgvault__Keith Stern - Text - 2020-02-03T17_37_45Z.html"))
    assert len(found) == 2
    theirs, mine = found
    assert (theirs.party, theirs.party_name, theirs.direction) == (
        "+12023065386",
        "Keith Stern",
        Direction.INCOMING,
    )
    assert theirs.text == "Cara says you're coming in tonight? Awesome."
    assert utc(theirs) == "2020-02-03T17:37:45.632Z"
    assert (theirs.time_source, theirs.utc_offset_min) == (TimeSource.HEADER, -360)
    assert theirs.time_precision is TimePrecision.MILLISECOND
    # "Me" wrote it: it goes out, to the other person in this one-to-one thread.
    assert (mine.direction, mine.party, mine.meta["own_number"]) == (
        Direction.OUTGOING,
        "+12023065386",
        "+15753222266",
    )
    assert mine.text == "I'm looking at a bus getting in 815ish."
    assert utc(mine) == "2020-02-03T17:59:08.554Z"
    assert {e.thread_key for e in found} == {"+12023065386"}
    assert theirs.dedup_key != mine.dedup_key


@needs_samples
def test_group_conversation():
    found = entries(parse(FOLDER / "msgvault__Group Conversation - 2020-02-05T17_16_14Z.html"))
    assert [(e.party, e.party_name, e.text) for e in found] == [
        ("+12022712272", "Cara Morris Stern", "Check this out"),
        ("+12023065386", "Keith Stern", "Cool"),
    ]
    assert {e.thread_key for e in found} == {"group:+12022712272,+12023065386"}
    assert found[0].meta["participants"][1] == {"number": "+12023065386", "name": "Keith Stern"}
    assert utc(found[0]) == "2020-02-05T17:16:14.368Z"


@needs_samples
def test_received_call():
    (call,) = entries(
        parse(FOLDER / "msgvault__Keith Stern - Received - 2020-02-05T23_26_28Z.html")
    )
    assert (call.kind, call.call_type, call.direction) == (
        EntryKind.CALL,
        CallType.INCOMING,
        Direction.INCOMING,
    )
    assert (call.party, call.party_name, call.duration_s) == ("+12023065386", "Keith Stern", 83)
    assert utc(call) == "2020-02-05T23:26:28Z"
    assert call.utc_offset_min == -360
    assert call.thread_key == "+12023065386"  # with the texts from the same number


@needs_samples
def test_placed_call():
    (call,) = entries(parse(FOLDER / "msgvault__Kicy Motley - Placed - 2020-02-03T20_05_20Z.html"))
    assert (call.call_type, call.direction, call.duration_s) == (
        CallType.OUTGOING,
        Direction.OUTGOING,
        308,
    )
    assert (call.party, call.party_name, utc(call)) == (
        "+17188096446",
        "Kicy Motley",
        "2020-02-03T20:05:20Z",
    )


@needs_samples
def test_mms_video_not_in_the_export():
    items = parse(FOLDER / "msgvault__mms_video_attachment_text.html")
    (only,) = entries(items)
    assert (only.party, only.party_name, only.text, only.attachment_refs) == (
        "+12022712272",
        "Test User",
        None,
        (),
    )
    assert only.meta["media"] == [
        {"kind": "video", "ref": "Group Conversation - 2020-02-05T17_16_14Z-7-1"}
    ]
    assert utc(only) == "2020-02-06T01:30:44.602Z"
    assert problems(items) == [
        "The video “Group Conversation - 2020-02-05T17_16_14Z-7-1” was not in the export next "
        "to this page; the entry was kept without it."
    ]


@needs_samples
def test_sources_is_not_a_page():
    assert not google_voice.sniff((FOLDER / "SOURCES.txt").read_bytes(), "SOURCES.txt")
    assert len([p for p in FOLDER.iterdir() if p.is_file()]) == 6


# ----- pages built here -------------------------------------------------------------------

VOICEMAIL = """<?xml version="1.0" ?>
<html xmlns="http://www.w3.org/1999/xhtml"><head><title>Voicemail from Rex</title></head>
<body><div class="haudio"><span class="fn">Voicemail from Rex</span>
<div class="contributor vcard">Voicemail from
<a class="tel" href="tel:+15550100199"><span class="fn">Rex</span></a></div>
<abbr class="published" title="2024-03-12T22:15:30.000-05:00">Mar 12, 2024</abbr>
<abbr class="duration" title="PT27S">(00:00:27)</abbr>
<span class="description"><span class="full-text">I know where you   are.
Call me back.</span></span>
<audio controls="controls" src="Rex - Voicemail - 2024-03-13T03_15_30Z.mp3"></audio>
<div class="tags">Labels: <a rel="tag" href="http://www.google.com/voice#voicemail">Voicemail</a>
</div></div></body></html>"""


def test_voicemail_with_transcript_and_its_recording(tmp_path: Path):
    (tmp_path / "Rex - Voicemail - 2024-03-13T03_15_30Z.mp3").write_bytes(b"ID3audio")
    path = tmp_path / "Rex - Voicemail - 2024-03-13T03_15_30Z.html"
    path.write_text(VOICEMAIL, encoding="utf-8")
    attachment, call = parse(path)
    assert isinstance(attachment, ParsedAttachment) and isinstance(call, ParsedEntry)
    assert (attachment.name, attachment.media_type, attachment.data) == (
        "Rex - Voicemail - 2024-03-13T03_15_30Z.mp3",
        "audio/mpeg",
        b"ID3audio",
    )
    assert (call.call_type, call.duration_s, call.party) == (CallType.VOICEMAIL, 27, "+15550100199")
    assert call.text == "I know where you are.\nCall me back."
    assert call.attachment_refs == (attachment.ref,)
    assert (utc(call), call.utc_offset_min) == ("2024-03-13T03:15:30Z", -300)


def test_missed_call_without_duration(tmp_path: Path):
    page = VOICEMAIL.replace("Voicemail", "Missed call").replace("#voicemail", "#missed")
    page = page.split('<abbr class="duration"')[0] + "</div></body></html>"
    path = tmp_path / "Rex - Missed - 2024-03-13T03_15_30Z.html"
    path.write_text(page, encoding="utf-8")
    (call,) = entries(parse(path))
    assert (call.call_type, call.direction, call.duration_s, call.text) == (
        CallType.MISSED,
        Direction.INCOMING,
        None,
        None,
    )


def test_mms_picture_found_without_its_extension(tmp_path: Path):
    (tmp_path / "Rex - Text - 2024-03-13T03_15_30Z-1-1.jpg").write_bytes(b"\xff\xd8\xffJPEG")
    page = """<html><body><div class="hChatLog hfeed"><div class="message">
    <abbr class="dt" title="2024-03-12T22:15:30.100-05:00">Mar 12</abbr>:
    <cite class="sender vcard"><a class="tel" href="tel:+15550100199">
    <span class="fn">Rex</span></a></cite>:
    <q>look<br>here</q>
    <div><img src="Rex - Text - 2024-03-13T03_15_30Z-1-1" alt="Image MMS Attachment" /></div>
    <div><img src="../../etc/passwd" /></div>
    </div></div></body></html>"""
    path = tmp_path / "Rex - Text - 2024-03-13T03_15_30Z.html"
    path.write_text(page, encoding="utf-8")
    items = parse(path)
    attachment = items[0]
    assert isinstance(attachment, ParsedAttachment) and attachment.media_type == "image/jpeg"
    (message,) = entries(items)
    assert message.text == "look\nhere"
    assert message.attachment_refs == (attachment.ref,)
    assert problems(items) == [
        "The picture “../../etc/passwd” was not in the export next to this page; the entry "
        "was kept without it."
    ]


def test_only_my_messages_take_the_thread_from_the_file_name(tmp_path: Path):
    page = """<html><body><div class="hChatLog hfeed"><div class="message">
    <abbr class="dt" title="2024-03-12T22:15:30-05:00">x</abbr>
    <cite class="sender vcard"><a class="tel" href="tel:+15753222266">
    <abbr class="fn" title="">Me</abbr></a></cite>
    <q>leave me alone</q></div></div></body></html>"""
    path = tmp_path / "Rex Roe - Text - 2024-03-13T03_15_30Z.html"
    path.write_text(page, encoding="utf-8")
    (only,) = entries(parse(path))
    assert (only.direction, only.party, only.thread_key) == (Direction.OUTGOING, None, "Rex Roe")
    assert only.time_precision is TimePrecision.SECOND


def test_page_without_times_is_refused(tmp_path: Path):
    path = tmp_path / "x.html"
    path.write_text('<html><div class="hChatLog"><div class="message"><q>hi</q></div></div></html>')
    with pytest.raises(UnreadableFile, match="No texts or calls with a time"):
        list(google_voice.parse(source_for(path)))


@pytest.mark.parametrize(
    ("iso", "seconds"),
    [("PT1M23S", 83), ("PT5M8S", 308), ("PT27S", 27), ("PT1H", 3600), ("P1DT1S", 86401),
     ("PT0S", 0), ("", None), ("P", None), ("1:23", None)],
)  # fmt: skip
def test_duration_seconds(iso: str, seconds: int | None):
    assert google_voice.duration_seconds(iso) == seconds


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("<>/=\"' abcdiv.:-qtl&#;1haudioChatLog")), max_size=300)
)
def test_arbitrary_markup_never_escapes_as_a_crash(tmp_path_factory, junk: str):
    path = tmp_path_factory.mktemp("fuzz") / "page.html"
    path.write_text('<html><div class="hChatLog">' + junk, encoding="utf-8")
    with contextlib.suppress(UnreadableFile):
        list(google_voice.parse(source_for(path)))


def test_endless_nesting_is_flattened_not_a_crash(tmp_path: Path):
    path = tmp_path / "deep.html"
    page = '<html><div class="hChatLog">' + "<div><span>" * 50_000 + "</b>" * 50_000
    path.write_text(page, encoding="utf-8")
    with pytest.raises(UnreadableFile, match="No texts or calls with a time"):
        list(google_voice.parse(source_for(path)))
