"""Plain-text and Markdown notes the user wrote: "# 2024-03-12 22:15 — he was outside".

Tried last: almost any export is also text, so this claims only text-looking content
whose name says it is a note (.txt, .md, …) or has no extension at all. The note's time
is taken from its first line only when that line is an unambiguous ISO date; a date like
03/04/2024 could be two different days, so it is left to the user instead of guessed.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import PurePath
from typing import Any
from zoneinfo import ZoneInfo

from nco_desktop.evidence.records import EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats.contract import refuse_unexpected
from nco_desktop.importers.model import (
    FormatNote,
    ParsedEntry,
    ParsedItem,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import aware_to_ms, local_to_ms

NAME = "note"

MAX_NOTE_BYTES = 1024 * 1024
_NOTE_SUFFIXES = {".txt", ".md", ".markdown", ".text", ""}
_MARKDOWN_SUFFIXES = {".md", ".markdown"}
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# "# 2024-03-12", "## 2024-03-12 22:15", "2024-03-12T22:15:30-05:00 – at the school"
_HEADING_DATE = re.compile(
    r"^\s*(?:#{1,6}\s*)?(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\s*(Z|[+-]\d{2}:?\d{2}))?)?"
    r"(?![\d:/.-])"
)


def sniff(head: bytes, name: str) -> bool:
    """Text-looking content and a note's name (or none); cp1252 only with a text suffix."""
    suffix = PurePath(name).suffix.lower()
    if suffix not in _NOTE_SUFFIXES or not head:
        return False
    text = _decode_head(head)
    if text is None and suffix and b"\x00" not in head:
        text = head.decode("cp1252", errors="replace")
    return text is not None and _mostly_printable(text)


def _decode_head(head: bytes) -> str | None:
    """Decode the first 64 KiB, forgiving a character cut in half at the end."""
    encoding = next((enc for bom, enc in _BOMS if head.startswith(bom)), None)
    decoder = codecs.getincrementaldecoder(encoding or "utf-8")()
    try:
        text = decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return None
    if encoding is None and "\x00" in text:
        return None
    return text


def _mostly_printable(text: str) -> bool:
    if not text:
        return False
    sample = text[:16384]
    bad = sum(
        1
        for ch in sample
        if ch not in "\t\n\r\f" and (unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"))
    )
    return bad <= len(sample) * 0.02


def parse(source: ParseSource) -> Iterator[ParsedItem]:
    """One NOTE entry whose text is the note; unexpected errors become a plain refusal."""
    yield from refuse_unexpected(
        lambda: _parse(source), "this note could not be read as text; it was kept as it is"
    )


def _parse(source: ParseSource) -> list[ParsedItem]:
    with source.path.open("rb") as f:
        raw = f.read(MAX_NOTE_BYTES + 1)
    if not raw:
        raise UnreadableFile("the file is empty (0 bytes)")
    items: list[ParsedItem] = []
    cut = len(raw) > MAX_NOTE_BYTES
    raw = raw[:MAX_NOTE_BYTES]
    text, encoding, problem = _decode(raw, cut)
    if problem:
        items.append(ParseProblem(problem))
    meta: dict[str, Any] = {
        "encoding": encoding,
        "format": "markdown"
        if PurePath(source.name).suffix.lower() in _MARKDOWN_SUFFIXES
        else "text",
    }
    if cut:
        meta["text_note"] = "the note is longer than 1 MB; only its first 1 MB is shown as text"
        items.append(
            FormatNote(
                "this note is longer than 1 MB; the whole file was kept, its first 1 MB as text"
            )
        )
    items.append(_entry(source, text, meta))
    return items


def _decode(raw: bytes, cut: bool) -> tuple[str, str, str | None]:
    """(text, encoding, problem). UTF-8 first; a BOM decides; Windows-1252 as a last resort."""
    encoding = next((enc for bom, enc in _BOMS if raw.startswith(bom)), None)
    if encoding is not None:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        text = decoder.decode(raw, final=not cut)
        name = encoding.replace("-sig", "")
        problem = None
        if "\ufffd" in text:
            problem = f"some characters of this {name.upper()} note could not be read"
        return text, name, problem
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(raw, final=not cut), "utf-8", None
    except UnicodeDecodeError:
        pass
    text = raw.decode("cp1252", errors="replace")
    return (
        text,
        "cp1252",
        "this note is not in UTF-8; it was read as Windows-1252 (Western European) text, "
        "so check accented letters and symbols against the original",
    )


def _entry(source: ParseSource, text: str, meta: dict[str, Any]) -> ParsedEntry:
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    heading = heading_time(first_line[:200], source.zone)
    if heading is not None:
        when, offset, precision = heading
        time_source = TimeSource.USER
    elif source.mtime_ms is not None:
        when, offset, precision = source.mtime_ms, None, TimePrecision.SECOND
        time_source = TimeSource.FILE_MTIME
    else:
        when, offset, precision = None, None, TimePrecision.SECOND
        time_source = TimeSource.UNKNOWN
    return ParsedEntry(
        kind=EntryKind.NOTE,
        occurred_ms=when,
        time_source=time_source,
        utc_offset_min=offset,
        time_precision=precision,
        text=text,
        meta=meta,
    )


def heading_time(line: str, zone: ZoneInfo) -> tuple[int, int, TimePrecision] | None:
    """(UTC ms, offset, precision) of an ISO date opening *line*, read in *zone*; else None."""
    match = _HEADING_DATE.match(line)
    if match is None:
        return None
    year, month, day, hour, minute, second, offset_text = match.groups()
    try:
        day_value = date(int(year), int(month), int(day))
        moment = datetime.combine(day_value, datetime.min.time()).replace(
            hour=int(hour or 0), minute=int(minute or 0), second=int(second or 0)
        )
    except ValueError:
        return None
    if hour is None:
        precision = TimePrecision.DAY
    else:
        precision = TimePrecision.SECOND if second else TimePrecision.MINUTE
    if offset_text:
        if offset_text == "Z":
            zone_fixed = UTC
        else:
            digits = offset_text.replace(":", "")
            delta = timedelta(hours=int(digits[1:3]), minutes=int(digits[3:5]))
            if delta >= timedelta(hours=15):
                return None
            zone_fixed = timezone(-delta if digits[0] == "-" else delta)
        ms, offset = aware_to_ms(moment.replace(tzinfo=zone_fixed))
        return ms, offset, precision
    ms, offset = local_to_ms(moment, zone)
    return ms, offset, precision
