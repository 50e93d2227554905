"""Call-log CSVs: iMazing-style exports, day-first files, mapped generic CSVs, broken rows."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nco_desktop.evidence.records import CallType, Direction, EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats import calllog_csv
from nco_desktop.importers.model import (
    FormatNote,
    ParsedEntry,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import to_ms

IMAZING = (
    "Call type,Date,Duration,Number,Contact,Service\r\n"
    "Incoming,03/04/2024 10:15:30 PM,0:03:12,+1 (555) 123-4567,Jane Roe,Phone\r\n"
    "Outgoing,03/05/2024 08:00:00 AM,45,+1 (555) 123-4567,Jane Roe,Phone\r\n"
    "Missed,03/06/2024 11:59:00 PM,0,(555) 987-6543,,Phone\r\n"
    "Voicemail,03/07/2024 07:30:00 AM,0:00:31,(555) 987-6543,,Phone\r\n"
    "Blocked,03/08/2024 01:02:03 AM,0,(555) 987-6543,,Phone\r\n"
    "Declined,03/09/2024 06:00:00 PM,0,+1 (555) 123-4567,Jane Roe,FaceTime Audio\r\n"
    "Cancelled,03/10/2024 09:00:00 PM,0,+1 (555) 123-4567,Jane Roe,Phone\r\n"
)


def source(path: Path, region: str = "US", **options: str) -> ParseSource:
    return ParseSource(
        path=path,
        name=path.name,
        zone=ZoneInfo("America/Chicago"),
        region=region,
        mtime_ms=1_700_000_000_000,
        options=options,
    )


def parse(
    tmp_path: Path, text: str | bytes, name: str = "calls.csv", region: str = "US", **options: str
) -> list:
    path = tmp_path / name
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return list(calllog_csv.parse(source(path, region, **options)))


def calls(items: list) -> list[ParsedEntry]:
    found = [i for i in items if isinstance(i, ParsedEntry)]
    assert all(e.kind is EntryKind.CALL for e in found)
    return found


def sentences(items: list, kind: type) -> list[str]:
    return [i.message for i in items if isinstance(i, kind)]


def utc_ms(*parts: int) -> int:
    return to_ms(datetime(*parts, tzinfo=UTC))


def test_imazing_export_month_first_in_the_us(tmp_path: Path) -> None:
    assert calllog_csv.sniff(IMAZING.encode(), "Call History.csv")
    items = parse(tmp_path, IMAZING)
    entries = calls(items)
    assert len(entries) == 7
    notes = sentences(items, FormatNote)
    assert len(notes) == 1 and "month first" in notes[0]
    assert not sentences(items, ParseProblem)

    first = entries[0]
    assert first.call_type is CallType.INCOMING and first.direction is Direction.INCOMING
    assert first.occurred_ms == utc_ms(2024, 3, 5, 4, 15, 30)  # 4 March 22:15:30 CST
    assert first.time_source is TimeSource.EXPORT_LOCAL
    assert first.utc_offset_min == -360
    assert first.time_precision is TimePrecision.SECOND
    assert first.duration_s == 192
    assert first.party == "+1 (555) 123-4567"
    assert first.party_name == "Jane Roe"
    assert first.thread_key == "+1 (555) 123-4567"
    assert first.dedup_key == "+1 (555) 123-4567|2024-03-04T22:15:30|incoming|192#1"
    assert first.meta == {"row": 2, "type_as_written": "Incoming", "service": "Phone"}

    expected = [
        (CallType.OUTGOING, Direction.OUTGOING, 45),
        (CallType.MISSED, Direction.INCOMING, 0),
        (CallType.VOICEMAIL, Direction.INCOMING, 31),
        (CallType.BLOCKED, Direction.INCOMING, 0),
        (CallType.REJECTED, Direction.INCOMING, 0),
    ]
    for entry, (call_type, direction, duration) in zip(entries[1:6], expected, strict=True):
        assert (entry.call_type, entry.direction, entry.duration_s) == (
            call_type,
            direction,
            duration,
        )
    assert entries[2].party_name is None
    assert entries[5].meta["service"] == "FaceTime Audio"
    # 10 March 21:00 is after the change to CDT that morning.
    cancelled = entries[6]
    assert cancelled.occurred_ms == utc_ms(2024, 3, 11, 2, 0) and cancelled.utc_offset_min == -300
    assert cancelled.call_type is None and cancelled.direction is None
    assert cancelled.meta["type_note"] == "the export does not say who called"


def test_day_first_is_proven_by_the_file(tmp_path: Path) -> None:
    text = (
        "Call Type;Date & Time;Duration;Phone Number;Name\n"
        "Incoming;13/03/2024 22:15;3m 12s;07700 900123;Sam\n"
        "Outgoing;04/03/2024 09:00;1m;07700 900123;Sam\n"
    )
    items = parse(tmp_path, text, region="US")
    assert not sentences(items, FormatNote)
    first, second = calls(items)
    assert first.occurred_ms == utc_ms(2024, 3, 14, 3, 15)
    assert first.time_precision is TimePrecision.MINUTE
    assert first.duration_s == 192
    assert second.occurred_ms == utc_ms(2024, 3, 4, 15, 0)  # 4 March, not 3 April
    assert second.duration_s == 60
    assert second.party == "07700 900123" and second.party_name == "Sam"


def test_ambiguous_dates_outside_the_us_are_day_first_with_a_note(tmp_path: Path) -> None:
    text = "Type,Date,Number\nIncoming,04/03/2024 09:00,+447700900123\n"
    items = parse(tmp_path, text, region="GB")
    assert calls(items)[0].occurred_ms == utc_ms(2024, 3, 4, 15, 0)  # 4 March, 09:00 CST
    notes = sentences(items, FormatNote)
    assert len(notes) == 1 and "day first" in notes[0]


def test_mapped_generic_csv(tmp_path: Path) -> None:
    text = (
        "When,Tel,Kind,Secs,Who\n"
        "2024-03-12 22:15:30,555-123-4567,in,192,Jane\n"
        "2024-03-12 22:20:00,555-123-4567,out,0,Jane\n"
        "1710299730,555-987-6543,missed,,\n"
    )
    path = tmp_path / "export.csv"
    path.write_text(text)
    assert calllog_csv.sniff(path.read_bytes(), path.name)  # a .csv: claimed to explain --map
    with pytest.raises(UnreadableFile, match="--map date=") as refused:
        list(calllog_csv.parse(source(path)))
    assert "“When”" in str(refused.value)

    mapping = {"date": "When", "number": "Tel", "type": "Kind", "duration": "Secs", "name": "Who"}
    entries = calls(list(calllog_csv.parse(source(path, **mapping))))
    assert [e.call_type for e in entries] == [CallType.INCOMING, CallType.OUTGOING, CallType.MISSED]
    assert entries[0].occurred_ms == utc_ms(2024, 3, 13, 3, 15, 30)
    assert entries[0].party == "555-123-4567" and entries[0].party_name == "Jane"
    assert entries[0].duration_s == 192
    assert entries[2].time_source is TimeSource.EXPORT_FIELD  # epoch seconds: an instant
    assert entries[2].occurred_ms == 1_710_299_730_000
    assert entries[2].utc_offset_min is None
    assert entries[2].duration_s is None and entries[2].party_name is None


def test_mapping_that_names_a_missing_column(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="--map") as refused:
        parse(tmp_path, "A,B\n1,2\n", date="When", number="Phone")
    assert "“A”, “B”" in str(refused.value)


def test_broken_rows_are_reported_and_the_rest_goes_on(tmp_path: Path) -> None:
    text = (
        "Call type,Date,Duration,Number,Contact\n"
        "Incoming,2024-03-12 22:15:30,60,+15551234567,A\n"
        "Incoming,not a date,60,+15551234567,A\n"
        ",,,,\n"
        "Outgoing,2024-03-12 23:00:00,abc,+15551234567,A\n"
        "Missed,2024-03-13 01:00,,+15551234567\n"
    )
    items = parse(tmp_path, text)
    entries = calls(items)
    assert len(entries) == 3
    assert sentences(items, ParseProblem) == [
        "row 3: the date “not a date” could not be read; left out",
        "row 5: the duration “abc” could not be read; kept",
    ]
    assert entries[1].duration_s is None and entries[1].meta["row"] == 5
    assert entries[1].dedup_key == "+15551234567|2024-03-12T23:00:00|outgoing|#1"
    assert entries[2].party_name is None  # a short row


def test_no_usable_rows_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="none of the rows") as refused:
        parse(tmp_path, "Type,Date,Number\nIncoming,soon,555\nOutgoing,,555\n")
    assert "row 2" in str(refused.value)
    with pytest.raises(UnreadableFile, match="none of the rows"):
        parse(tmp_path, "Type,Date,Number\n")
    with pytest.raises(UnreadableFile, match="empty"):
        parse(tmp_path, b"")


def test_cancelled_and_no_answer_follow_the_direction(tmp_path: Path) -> None:
    text = (
        "Direction,Status,Date,Number\n"
        "Outgoing,Cancelled,2024-03-12 10:00,555\n"
        "Incoming,No answer,2024-03-12 11:00,555\n"
        "Incoming,Answered,2024-03-12 12:00,555\n"
    )
    out, missed, answered = calls(parse(tmp_path, text))
    assert (out.call_type, out.direction, out.meta["type_note"]) == (
        CallType.OUTGOING,
        Direction.OUTGOING,
        "not answered",
    )
    assert (missed.call_type, missed.direction) == (CallType.MISSED, Direction.INCOMING)
    assert answered.call_type is CallType.INCOMING
    assert answered.meta["type_as_written"] == "Answered Incoming"


def test_separate_date_and_time_columns_after_a_title_line(tmp_path: Path) -> None:
    text = (
        "Call history of my phone\n\n"
        "Date,Time,Number,Type,Duration\n"
        "12.03.2024,22:15,555,Missed,0\n"
    )
    entry = calls(parse(tmp_path, text, region="DE"))[0]
    assert entry.occurred_ms == utc_ms(2024, 3, 13, 3, 15)
    assert entry.call_type is CallType.MISSED
    assert entry.meta["row"] == 4


def test_utf16_tab_separated_export(tmp_path: Path) -> None:
    text = (
        "Call type\tDate\tDuration\tNumber\tContact\nOutgoing\t2024-03-12 22:15:30\t5\t555\tZoë\n"
    )
    data = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    assert calllog_csv.sniff(data, "calls.txt")
    entry = calls(parse(tmp_path, data))[0]
    assert entry.party_name == "Zoë" and entry.duration_s == 5


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("192", 192),
        ("192.6", 193),
        ("3:12", 192),
        ("0:03:12", 192),
        ("1:00:00", 3600),
        ("3m 12s", 192),
        ("3 min 12 sec", 192),
        ("1 hr 2 min", 3720),
        ("45s", 45),
        ("", None),
        ("abc", None),
        ("3 apples", None),
    ],
)
def test_parse_duration(text: str, seconds: int | None) -> None:
    assert calllog_csv.parse_duration(text) == seconds


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        (IMAZING.encode()[:200], "whatever.txt", True),
        (b"Type,Date & Time,Duration,Phone Number\n", "log", True),
        (b"When,Tel,Kind\n2024-03-12,555,in\n", "mine.csv", True),
        (b"When,Tel,Kind\n2024-03-12,555,in\n", "mine.txt", False),
        (b"just one column of words\n", "list.csv", False),
        (b"Dear diary, today he called again.\n", "diary.txt", False),
        (b"%PDF-1.7", "x.pdf", False),
    ],
)
def test_sniff(head: bytes, name: str, expected: bool) -> None:
    assert calllog_csv.sniff(head, name) is expected


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.text(max_size=300))
def test_random_rows_never_crash(tmp_path: Path, body: str) -> None:
    try:
        items = parse(tmp_path, "Type,Date,Duration,Number\n" + body)
    except UnreadableFile:
        return
    assert calls(items)
