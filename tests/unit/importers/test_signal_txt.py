"""signal-export text chats: the sample, plus a chat.md with "Me" and an attachment."""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nco_desktop.evidence.records import Direction, TimePrecision, TimeSource
from nco_desktop.importers.formats import signal_txt
from nco_desktop.importers.model import (
    ParsedAttachment,
    ParsedEntry,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import iso_z_from_ms
from tests.conftest import SAMPLES

SAMPLE = SAMPLES / "telegram_signal_json" / "chatminer__signal_export_carderne_style.txt"
needs_samples = pytest.mark.skipif(not SAMPLE.is_file(), reason="shared/samples is not present")


def parse(path: Path) -> list:
    assert signal_txt.sniff(path.read_bytes()[:65536], path.name)
    return list(
        signal_txt.parse(ParseSource(path, path.name, ZoneInfo("America/Chicago"), "US", None))
    )


def entries(items: list) -> list[ParsedEntry]:
    return [i for i in items if isinstance(i, ParsedEntry)]


def utc(entry: ParsedEntry) -> str:
    assert entry.occurred_ms is not None
    return iso_z_from_ms(entry.occurred_ms)


@needs_samples
def test_chat_miner_signal_sample():
    first, second = entries(parse(SAMPLE))
    assert (first.party, first.text, utc(first)) == (
        "Jane Doe",
        "Hello John!",
        "2019-12-24T18:23:00Z",
    )
    # A line without a header continues the message above it.
    assert (second.party, second.text, utc(second)) == (
        "John Doe",
        "Hello\nJane!",
        "2020-01-18T03:49:00Z",
    )
    assert first.time_source is TimeSource.EXPORT_LOCAL
    assert first.time_precision is TimePrecision.MINUTE
    assert first.utc_offset_min == -360
    assert first.direction is None and second.direction is None  # no "Me": holder unknown
    assert first.thread_key == "Jane Doe, John Doe"


def test_signal_export_chat_md_with_me_and_a_picture(tmp_path: Path):
    chat = tmp_path / "Rex Roe"
    (chat / "media").mkdir(parents=True)
    (chat / "media" / "IMG 1.jpg").write_bytes(b"\xff\xd8\xffJPEG")
    path = chat / "chat.md"
    path.write_text(
        "[2024-03-12 22:15:30] Rex Roe: I see you  \n"
        "[2024-03-12 22:16:02] Me: stop  \n"
        "[2024-03-12 22:16:02] Me: stop  \n"
        "[2024-03-12 22:17:00] Rex Roe: ![IMG 1.jpg](./media/IMG%201.jpg)  \n"
        "[2024-03-12 22:18:00] Rex Roe: ![gone.jpg](./media/gone.jpg)  \n",
        encoding="utf-8",
    )
    items = parse(path)
    found = entries(items)
    assert [(e.direction, e.party, e.text) for e in found] == [
        (Direction.INCOMING, "Rex Roe", "I see you"),
        (Direction.OUTGOING, "Rex Roe", "stop"),
        (Direction.OUTGOING, "Rex Roe", "stop"),
        (Direction.INCOMING, "Rex Roe", None),
        (Direction.INCOMING, "Rex Roe", None),
    ]
    assert len({e.dedup_key for e in found}) == 5  # the two "stop"s stay two
    assert {e.thread_key for e in found} == {"Rex Roe"}
    assert (utc(found[0]), found[0].time_precision) == (
        "2024-03-13T03:15:30Z",
        TimePrecision.SECOND,
    )
    attachment = next(i for i in items if isinstance(i, ParsedAttachment))
    assert (attachment.name, attachment.data) == ("IMG 1.jpg", b"\xff\xd8\xffJPEG")
    assert found[3].attachment_refs == (attachment.ref,)
    assert [i.message for i in items if isinstance(i, ParseProblem)] == [
        "The attachment “gone.jpg” was not in the export next to this chat; the message was "
        "kept without it."
    ]


def test_text_that_is_not_a_signal_chat(tmp_path: Path):
    path = tmp_path / "notes.txt"
    path.write_text("shopping list\n[2024-03-12] not a message\n")
    assert not signal_txt.sniff(path.read_bytes(), path.name)
    with pytest.raises(UnreadableFile, match="No Signal messages were found"):
        list(signal_txt.parse(ParseSource(path, path.name, ZoneInfo("UTC"), "US", None)))
