"""imessage-exporter TXT and HTML: both samples; the folder's chat.db blobs are not exports."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nco_desktop.evidence.records import Direction, TimeSource
from nco_desktop.importers.formats import facebook, google_voice, imessage_export, telegram
from nco_desktop.importers.model import (
    ParsedAttachment,
    ParsedEntry,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import iso_z_from_ms
from tests.conftest import SAMPLES

FOLDER = SAMPLES / "imessage_iphone"
needs_samples = pytest.mark.skipif(not FOLDER.is_dir(), reason="shared/samples is not present")


def source_for(path: Path) -> ParseSource:
    return ParseSource(path, path.name, ZoneInfo("America/Chicago"), "US", None)


def parse(path: Path) -> list:
    head = path.read_bytes()[:65536]
    assert imessage_export.sniff(head, path.name)
    assert not google_voice.sniff(head, path.name) and not facebook.sniff(head, path.name)
    return list(imessage_export.parse(source_for(path)))


def entries(items: list) -> list[ParsedEntry]:
    return [i for i in items if isinstance(i, ParsedEntry)]


def utc(entry: ParsedEntry) -> str:
    assert entry.occurred_ms is not None
    return iso_z_from_ms(entry.occurred_ms)


@needs_samples
def test_txt_layout():
    found = entries(parse(FOLDER / "imessage-exporter__txt_expected_from_tests.txt"))
    assert len(found) == 9
    assert len({e.dedup_key for e in found}) == 9  # identical repeats stay apart
    first = found[0]
    assert (first.direction, first.party, first.text) == (
        Direction.OUTGOING,
        "Sample Contact",
        "Hello world",
    )
    assert utc(first) == "2022-05-17T22:29:42Z"  # 5:29:42 PM in Chicago, CDT
    assert first.time_source is TimeSource.EXPORT_LOCAL
    assert found[1].meta["deleted"] is True
    assert found[2].meta["read_receipt"] == "Read by them after 1 hour, 49 seconds"
    assert [(e.direction, e.party) for e in found[3:6]] == [
        (Direction.INCOMING, "Sample Contact")
    ] * 3
    assert found[5].meta["read_receipt"] == "Read by Name after 1 hour, 49 seconds"
    assert found[6].text == "SharePlay Message\nEnded"
    assert [(e.text, e.direction, e.meta["announcement"]) for e in found[7:]] == [
        ("You renamed the conversation to Hello world", None, True),
        (
            "Name renamed the conversation to Hello world\n\nLoved by MeLoved by Sample Contact",
            None,
            True,
        ),
    ]


@needs_samples
def test_html_layout_with_replies_edits_and_a_missing_picture():
    items = parse(FOLDER / "imessage-exporter__example_output.html")
    found = entries(items)
    assert len(found) == 11
    subject, app, renamed, steve, yep, heic, jpeg, groups, dedupe, edited, sms = found
    assert subject.text.startswith("Subject: iMessage Data Exporter\nHey, did you see that new")
    assert subject.meta["reactions"] == ["Questioned by +15558675309"]
    assert (subject.direction, subject.party) == (Direction.OUTGOING, None)  # a group of two
    assert utc(subject) == "2022-07-17T22:04:04Z"
    assert app.meta["links"] == ["https://github.com/ReagentX/imessage-exporter"]
    assert renamed.text == "You renamed the conversation to 🦀 iMessage Exporter 🦀"
    assert (steve.direction, steve.party, steve.meta["read_receipt"]) == (
        Direction.INCOMING,
        "steve@icloud.com",
        "Read by you after 5 seconds",
    )
    assert {yep.meta["reply_to"], heic.meta["reply_to"], jpeg.meta["reply_to"]} == {steve.dedup_key}
    assert heic.party == "+15558675309"
    assert (
        jpeg.text == "Yes, even those! They get converted to JPEG." and jpeg.attachment_refs == ()
    )
    assert groups.meta["read_receipt"] == "Read by you after 3 minutes, 1 second"
    assert edited.meta["reply_to"] == dedupe.dedup_key
    assert edited.meta["edit_history"] == ["That's amazin", "That's amazing!"]
    assert edited.text == "That's amazing!"
    assert (sms.meta["service"], utc(sms)) == ("SMS", "2022-07-17T22:47:37Z")
    assert [i.message for i in items if isinstance(i, ParseProblem)] == [
        "The attachment “bella.jpeg” was not in the export next to this conversation (or "
        "could not be read); the message was kept without it."
    ]


def test_html_picture_beside_the_export_is_read(tmp_path: Path):
    (tmp_path / "attachments").mkdir()
    (tmp_path / "attachments" / "a.png").write_bytes(b"\x89PNG")
    path = tmp_path / "+15550100199.html"
    path.write_text(
        '<html><div class="message"><div class="received"><p><span class="timestamp">'
        'Mar 12, 2024 10:15:30 PM</span><span class="sender">+15550100199</span></p>'
        '<div class="message_part"><img src="attachments/a.png"></div></div></div></html>'
    )
    attachment, entry = parse(path)
    assert isinstance(attachment, ParsedAttachment) and attachment.media_type == "image/png"
    assert isinstance(entry, ParsedEntry) and entry.attachment_refs == (attachment.ref,)
    assert (entry.thread_key, entry.party, utc(entry)) == (
        "+15550100199",
        "+15550100199",
        "2024-03-13T03:15:30Z",
    )


@needs_samples
@pytest.mark.parametrize(
    "name",
    [
        "imessage-exporter__style.css",
        "SOURCES.txt",
        "attributedBody_streamtyped/AttributedBodyTextOnly.bin",
        "attributedBody_streamtyped/MultiPart.bin",
        "attributedBody_streamtyped/URL.bin",
        "attributedBody_streamtyped/WeirdText.bin",
        "attributedBody_streamtyped/SOURCES.txt",
        "edited_message_plist/Deleted.plist",
        "edited_message_plist/Edited.plist",
        "edited_message_plist/SOURCES.txt",
    ],
)
def test_chat_db_blobs_and_support_files_are_not_exports(name: str):
    """attributedBody and edit plists are chat.db column values, not files people export."""
    path = FOLDER / name
    head = path.read_bytes()[:65536]
    for module in (imessage_export, facebook, telegram, google_voice):
        assert not module.sniff(head, path.name)


@needs_samples
def test_every_sample_file_is_covered():
    assert len([p for p in FOLDER.rglob("*") if p.is_file()]) == 12


def test_css_or_empty_page_is_refused(tmp_path: Path):
    path = tmp_path / "x.html"
    path.write_text("<html><body>nothing</body></html>")
    with pytest.raises(UnreadableFile, match="No iMessage messages were found"):
        list(imessage_export.parse(source_for(path)))
