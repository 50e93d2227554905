"""Notes the user typed: encodings, a dated first-line heading, and what is not a note."""

from __future__ import annotations

import codecs
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nco_desktop.evidence.records import EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats import notes
from nco_desktop.importers.model import (
    FormatNote,
    ParsedEntry,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import to_ms

MTIME = 1_700_000_000_000


def source(path: Path, mtime_ms: int | None = MTIME) -> ParseSource:
    return ParseSource(path, path.name, ZoneInfo("America/Chicago"), "US", mtime_ms)


def note(tmp_path: Path, name: str, data: bytes | str, mtime_ms: int | None = MTIME) -> list:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return list(notes.parse(source(path, mtime_ms)))


def only_entry(items: list) -> ParsedEntry:
    entries = [i for i in items if isinstance(i, ParsedEntry)]
    assert len(entries) == 1
    assert entries[0].kind is EntryKind.NOTE and entries[0].dedup_key is None
    return entries[0]


def utc_ms(*parts: int) -> int:
    return to_ms(datetime(*parts, tzinfo=UTC))


def test_markdown_heading_with_date_and_time(tmp_path: Path) -> None:
    text = "# 2024-03-12 22:15\n\nHe was parked across the street again.\n"
    items = note(tmp_path, "incident.md", text)
    assert items == [only_entry(items)]
    entry = only_entry(items)
    assert entry.text == text
    assert entry.time_source is TimeSource.USER
    assert entry.utc_offset_min == -300  # CDT began on 10 March
    assert entry.occurred_ms == utc_ms(2024, 3, 13, 3, 15)
    assert entry.time_precision is TimePrecision.MINUTE
    assert entry.meta == {"encoding": "utf-8", "format": "markdown"}


def test_heading_with_only_a_date_is_a_day(tmp_path: Path) -> None:
    entry = only_entry(note(tmp_path, "jan.txt", "## 2024-01-05 — phone calls all evening\n"))
    assert entry.time_source is TimeSource.USER
    assert entry.occurred_ms == utc_ms(2024, 1, 5, 6, 0)  # midnight CST
    assert entry.time_precision is TimePrecision.DAY
    assert entry.meta["format"] == "text"


def test_heading_with_seconds_and_its_own_offset(tmp_path: Path) -> None:
    entry = only_entry(note(tmp_path, "n", "\n\n2024-03-12T22:15:30Z at the school\nmore"))
    assert entry.occurred_ms == utc_ms(2024, 3, 12, 22, 15, 30)
    assert entry.utc_offset_min == 0
    assert entry.time_precision is TimePrecision.SECOND
    entry = only_entry(note(tmp_path, "n2", "# 2024-03-12 22:15:30 +05:30"))
    assert entry.occurred_ms == utc_ms(2024, 3, 12, 16, 45, 30)
    assert entry.utc_offset_min == 330


@pytest.mark.parametrize(
    "first_line",
    [
        "# 03/04/2024 22:15",  # March 4 or 3 April: not guessed
        "# 2024-02-30 10:00",  # no such day
        "# 2024-03-12-notes",
        "# Notes from 2024-03-12",  # the date is not the heading's start
        "Dear diary",
    ],
)
def test_other_first_lines_fall_back_to_the_file_time(tmp_path: Path, first_line: str) -> None:
    entry = only_entry(note(tmp_path, "n.md", f"{first_line}\n# 2024-03-12 22:15\n"))
    assert entry.time_source is TimeSource.FILE_MTIME and entry.occurred_ms == MTIME


def test_no_time_at_all_is_unknown(tmp_path: Path) -> None:
    entry = only_entry(note(tmp_path, "n.txt", "no date here", mtime_ms=None))
    assert entry.time_source is TimeSource.UNKNOWN and entry.occurred_ms is None


def test_utf8_bom_is_dropped(tmp_path: Path) -> None:
    entry = only_entry(note(tmp_path, "bom.txt", codecs.BOM_UTF8 + "Café at 9 ☕".encode()))
    assert entry.text == "Café at 9 ☕"
    assert entry.meta["encoding"] == "utf-8"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom(tmp_path: Path, encoding: str) -> None:
    bom = codecs.BOM_UTF16_LE if encoding.endswith("le") else codecs.BOM_UTF16_BE
    data = bom + "# 2024-03-12\nNotiz: Café".encode(encoding)
    assert notes.sniff(data, "notiz.txt")
    items = note(tmp_path, "notiz.txt", data)
    entry = only_entry(items)
    assert entry.text == "# 2024-03-12\nNotiz: Café"
    assert entry.meta["encoding"] == "utf-16"
    assert entry.time_source is TimeSource.USER
    assert not [i for i in items if isinstance(i, ParseProblem)]


def test_windows_1252_fallback_is_flagged(tmp_path: Path) -> None:
    data = "He said “I’ll be at the café”".encode("cp1252")
    assert notes.sniff(data, "old.txt")
    assert not notes.sniff(data, "old")  # no suffix: only real UTF-8 is claimed
    items = note(tmp_path, "old.txt", data)
    entry = only_entry(items)
    assert entry.text == "He said “I’ll be at the café”"
    assert entry.meta["encoding"] == "cp1252"
    problems = [i.message for i in items if isinstance(i, ParseProblem)]
    assert len(problems) == 1 and "Windows-1252" in problems[0]


def test_long_note_is_capped_at_one_megabyte(tmp_path: Path) -> None:
    line = "a line of the diary with a euro sign € in it\n"
    data = (line * (1_200_000 // len(line))).encode()
    items = note(tmp_path, "diary.txt", data)
    entry = only_entry(items)
    assert entry.text is not None
    assert 1_000_000 < len(entry.text.encode()) <= notes.MAX_NOTE_BYTES
    assert entry.text.startswith(line)
    assert "1 MB" in entry.meta["text_note"]
    assert any(isinstance(i, FormatNote) and "1 MB" in i.message for i in items)


def test_empty_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="empty"):
        note(tmp_path, "empty.txt", b"")


@pytest.mark.parametrize(
    ("head", "name", "expected"),
    [
        (b"Notes about Tuesday\n", "tuesday.txt", True),
        (b"# Heading\n\n* item\n", "x.md", True),
        (b"# Heading\n", "x.markdown", True),
        (b"plain words", "x.text", True),
        (b"plain words", "README", True),
        (b"plain words", "x.TXT", True),
        (b"a,b,c\n1,2,3\n", "calls.csv", False),
        (b'{"a": 1}', "data.json", False),
        (b"<html></html>", "page.html", False),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "image", False),
        (b"text\x00with\x00nuls", "x.txt", False),
        (b"\x01\x02\x03\x04\x05\x06\x07\x08" * 20, "x.txt", False),
        (b"", "x.txt", False),
        ("ends mid-character é".encode()[:-1], "cut.txt", True),
    ],
)
def test_sniff(head: bytes, name: str, expected: bool) -> None:
    assert notes.sniff(head, name) is expected


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(min_size=1, max_size=300))
def test_random_bytes_never_crash(tmp_path: Path, data: bytes) -> None:
    entry = only_entry(note(tmp_path, "fuzz.txt", data))
    assert isinstance(entry.text, str)
