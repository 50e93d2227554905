"""Call logs as CSV: iMazing's iPhone export and any other CSV the user maps by hand.

iMazing-style exports look like ``Call type,Date,Duration,Number,Contact,Service``; the
names vary between tools and versions, so several spellings are accepted. Any other
CSV works with a mapping from ``import --map date=When,number=Phone,...``, which arrives
in ``source.options``. Dates in these exports are wall-clock times without an offset, so
they are read in the vault's zone (a time a clock change made doubtful is kept to the
minute, with why); whether 03/04 is March or April is decided once per file from the
evidence in the file, never row by row.

A duration's unit is part of the mapping: ``duration_min=Minutes`` (a carrier's billed
minutes) or ``duration_s=Secs``; a bare ``duration=`` reads seconds unless the value
says otherwise ("3:12", "3 min"), and warns when the column looks like minutes. A
carrier's Destination column ("Incoming, CL", "Voice Mail, CL", or the place called)
says the direction when no type column does. Withheld callers ("Private", Android's
"-2") get no party (:mod:`caller_id`).
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import re
import warnings
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from typing import Any

from dateutil import parser as date_parser

from nco_desktop.evidence.records import CallType, Direction, EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats import caller_id
from nco_desktop.importers.formats.contract import refuse_unexpected
from nco_desktop.importers.formats.wall_clock import read_wall_clock
from nco_desktop.importers.model import (
    FormatNote,
    ParsedEntry,
    ParsedItem,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import aware_to_ms

NAME = "call log (CSV)"

MAX_BYTES = 64 * 1024 * 1024
MAX_ROWS = 1_000_000
_MAP_HINT = (
    "tell the importer which column is which with --map date=…,number=… "
    "(and optionally type=…,duration_s=… or duration_min=…,name=…,direction=…)"
)
_ALIASES: dict[str, set[str]] = {
    "date": {"date", "datetime", "dateandtime", "calldate", "calldatetime", "startdate"},
    "time": {"time", "calltime", "starttime"},
    "number": {"number", "phonenumber", "phone", "phoneno", "telephone", "contactnumber"},
    "type": {"calltype", "type", "callstatus", "status"},
    "direction": {"direction", "calldirection"},
    "duration": {"duration", "durationseconds", "durations", "callduration", "durationsec"},
    "name": {"contact", "name", "contactname", "callername", "displayname"},
    "service": {"service", "callservice"},
}
_ALIASES["date"] |= {"timestamp", "datestarted", "datetimestart"}
_ALIASES["number"] |= {"callernumber", "mobilenumber", "phonenumbers", "numbers"}
_ALIASES["duration_min"] = {"minutes", "mins", "durationminutes", "durationmin", "durationmins"}
_ALIASES["duration_min"] |= {"billedminutes", "minutesused", "airtimeminutes", "usageminutes"}
_ALIASES["destination"] = {"destination", "calldestination"}
_ALIASES["presentation"] = {"presentation", "numberpresentation"}
_MAP_KEYS = (
    *("date", "time", "number", "type", "direction", "duration", "duration_min", "duration_s"),
    *("name", "service", "destination", "presentation"),
)
#: Other spellings of the duration keys a user may type in --map.
_MAP_SYNONYMS = {
    "duration_m": "duration_min",
    "duration_mins": "duration_min",
    "duration_minutes": "duration_min",
    "minutes": "duration_min",
    "duration_sec": "duration_s",
    "duration_secs": "duration_s",
    "duration_seconds": "duration_s",
    "seconds": "duration_s",
}
_DURATIONS = ("duration", "duration_s", "duration_min")
#: A carrier's Destination for a call made to a place: "CHICAGO, IL" ("CL" is its
#: stand-in for calls that went nowhere: "Incoming, CL", "Voice Mail, CL").
_PLACE = re.compile(r"^[A-Za-z][A-Za-z .'-]*,\s*(?!CL$)[A-Z]{2}$")
_MONTH_FIRST_REGIONS = {"US", "PR", "GU", "VI", "AS", "MP", "UM", "FM", "MH", "PW", "PH"}
_NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})\b")
_ANDROID_TYPES = {"1": "incoming", "2": "outgoing", "3": "missed", "4": "voicemail"}
_ANDROID_TYPES |= {"5": "rejected", "6": "blocked", "7": "incoming"}
_INCOMING_OUTCOMES = (
    (CallType.BLOCKED, ("blocked",)),
    (CallType.REJECTED, ("rejected", "declined", "refused")),
    (CallType.VOICEMAIL, ("voicemail", "voice mail")),
    (CallType.MISSED, ("missed",)),
)
_DURATION_PART = re.compile(
    r"(\d+(?:\.\d+)?)\s*(h|hrs?|hours?|m|mins?|minutes?|s|secs?|seconds?)\b"
)


def _key(header: str) -> str:
    return re.sub(r"[^a-z0-9]", "", header.casefold())


@dataclass(frozen=True)
class _Layout:
    delimiter: str
    header_index: int
    columns: dict[str, int]  # "date" → column position


def sniff(head: bytes, name: str) -> bool:
    """A header with a date-ish and a number-ish column; any table if the name is .csv."""
    text, _encoding = _decode(head, partial=True)
    lines = text.splitlines()[:10]
    if _find_layout(lines, {}) is not None:
        return True
    if not name.lower().endswith(".csv") or not lines:
        return False
    return any(len(next(csv.reader([lines[0]], delimiter=d), [])) >= 2 for d in ",;\t|")


def parse(source: ParseSource) -> Iterator[ParsedItem]:
    """One CALL entry per usable row; a bad row is a problem, no usable row is fatal."""
    yield from refuse_unexpected(
        lambda: _parse(source), "this call log CSV could not be read; it was kept as it is"
    )


def _decode(raw: bytes, partial: bool = False) -> tuple[str, str]:
    """Excel writes UTF-8 with a BOM or UTF-16; old Windows tools write Windows-1252."""
    utf16 = raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    encoding = "utf-8-sig" if raw.startswith(codecs.BOM_UTF8) else "utf-16" if utf16 else None
    if encoding is not None:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        return decoder.decode(raw, final=not partial), encoding
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(raw, final=not partial), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def _find_layout(lines: list[str], mapping: dict[str, str]) -> _Layout | None:
    """The delimiter and header row that name the most of our columns (date needed)."""
    best: tuple[int, int, _Layout] | None = None
    for delimiter in ",;\t|":
        for index, record in enumerate(csv.reader(lines[:10], delimiter=delimiter)):
            columns = _columns(record, mapping)
            if columns is None:
                continue
            score = (len(columns), len(record))
            if best is None or score > best[:2]:
                best = (*score, _Layout(delimiter, index, columns))
            break
    return None if best is None else best[2]


def _columns(header: list[str], mapping: dict[str, str]) -> dict[str, int] | None:
    keys = [_key(cell) for cell in header]
    found: dict[str, int] = {}
    for field, aliases in _ALIASES.items():
        position = next((i for i, k in enumerate(keys) if k in aliases), None)
        if position is not None and position not in found.values():
            found[field] = position
    if "type" not in found and "direction" in found:
        found["type"] = found.pop("direction")
    for field, wanted in mapping.items():
        exact = [i for i, cell in enumerate(header) if cell.strip().casefold() == wanted.casefold()]
        loose = [i for i, k in enumerate(keys) if k and k == _key(wanted)]
        if not (exact or loose):
            return None
        found = {f: i for f, i in found.items() if i != (exact or loose)[0]}
        found[field] = (exact or loose)[0]
    if any(field in mapping for field in _DURATIONS):  # the unit the user gave wins
        found = {f: i for f, i in found.items() if f not in _DURATIONS or f in mapping}
    if "date" not in found and "time" in found:
        found["date"] = found.pop("time")
    if "date" not in found or ("number" not in found and not mapping):
        return None
    return found


def _parse(source: ParseSource) -> list[ParsedItem]:
    with source.path.open("rb") as f:
        raw = f.read(MAX_BYTES + 1)
    if not raw:
        raise UnreadableFile("the file is empty (0 bytes)")
    if len(raw) > MAX_BYTES:
        raise UnreadableFile("this CSV is larger than 64 MB, too large for a call log")
    text, encoding = _decode(raw)
    items: list[ParsedItem] = []
    if encoding == "cp1252":
        items.append(FormatNote("this CSV is not in UTF-8; it was read as Windows-1252 text"))
    mapping = _mapping(source.options)
    lines = text.splitlines()
    layout = _find_layout(lines, mapping)
    if layout is None:
        raise UnreadableFile(_unrecognised(lines, mapping))
    records = csv.reader(io.StringIO(text, newline=""), delimiter=layout.delimiter)
    rows: list[tuple[int, list[str]]] = []
    row_number = 0  # as a spreadsheet counts: the header is row header_index + 1
    try:
        for row_number, record in enumerate(records, start=1):
            if row_number <= layout.header_index + 1:
                continue
            if len(rows) >= MAX_ROWS:
                items.append(ParseProblem(f"only the first {MAX_ROWS:,} rows were read"))
                break
            if any(cell.strip() for cell in record):
                rows.append((row_number, record))
    except csv.Error:
        items.append(ParseProblem(f"this CSV could not be read from row {row_number + 1} on"))
    dates = [_cell(r, layout, "date") for _, r in rows]
    dayfirst, note = _decide_dayfirst(dates, source.region)
    if note:
        items.append(FormatNote(note))
    entries: list[ParsedItem] = []
    problems: list[ParseProblem] = []
    repeats: Counter[str] = Counter()
    for row_number, record in rows:
        entry = _row_entry(source, layout, record, row_number, dayfirst, problems)
        if entry is not None:
            # Three missed calls in one minute are three calls (the pattern is the
            # evidence); numbering repeats keeps them apart, and a re-export still matches.
            repeats[entry.dedup_key or ""] += 1
            key = f"{entry.dedup_key}#{repeats[entry.dedup_key or '']}"
            entries.append(dataclasses.replace(entry, dedup_key=key))
    if not entries:
        first = f" ({problems[0].message})" if problems else ""
        raise UnreadableFile(f"none of the rows of this call log could be read{first}")
    if warning := _minutes_warning(lines[layout.header_index], layout, rows):
        items.append(FormatNote(warning))
    return [*items, *problems, *entries]


def _mapping(options: dict[str, str]) -> dict[str, str]:
    """The --map fields this format knows, duration spellings made one; one duration only."""
    mapping: dict[str, str] = {}
    for key, column in options.items():
        key = _MAP_SYNONYMS.get(key, key)
        if key in _MAP_KEYS and column.strip():
            mapping[key] = column
    if sum(key in mapping for key in _DURATIONS) > 1:
        given = ", ".join(f"{k}={mapping[k]}" for k in _DURATIONS if k in mapping)
        raise UnreadableFile(
            f"--map names more than one duration ({given}); give one: duration_s= for "
            "seconds or duration_min= for minutes"
        )
    return mapping


def _minutes_warning(header: str, layout: _Layout, rows: list[tuple[int, list[str]]]) -> str | None:
    """A sentence when a plain duration column (read as seconds) looks like minutes.

    Minutes read as seconds make every call 60 times too short, silently. The column's
    name says so ("Minutes", "Min"), or its values do: whole numbers, at least three
    calls that lasted, none over 60 (a phone's seconds run longer than that).
    """
    position = layout.columns.get("duration")
    if position is None:
        return None
    cells = next(csv.reader([header], delimiter=layout.delimiter), [])
    name = cells[position].strip() if position < len(cells) else ""
    values = [r[position].strip() for _, r in rows if position < len(r) and r[position].strip()]
    whole = [int(v) for v in values if v.isdigit()]
    named = "min" in _key(name) and "sec" not in _key(name)
    looks = len(whole) == len(values) and sum(v > 0 for v in whole) >= 3 and max(whole) <= 60
    if not (named or looks):
        return None
    return (
        f"the durations in the column “{name[:40]}” were read as seconds, but they look like "
        f"minutes; if they are minutes, import it with --map duration_min={name[:40]} "
        "(or duration_s= to say they are seconds)"
    )


def _unrecognised(lines: list[str], mapping: dict[str, str]) -> str:
    header = next(csv.reader(lines[:1]), []) if lines else []
    names = ", ".join(f"“{cell.strip()[:40]}”" for cell in header[:12] if cell.strip())
    listing = f" (its columns are: {names})" if names else ""
    if mapping:
        wanted = ", ".join(f"{k}={v}" for k, v in mapping.items())
        return (
            f"the columns named in --map ({wanted}) were not all found in this CSV{listing}; "
            "check the spelling of each column name"
        )
    return f"the columns of this CSV were not recognised{listing}; {_MAP_HINT}"


def _cell(record: list[str], layout: _Layout, field: str) -> str:
    position = layout.columns.get(field)
    if position is None or position >= len(record):
        return ""
    value = record[position].strip()
    time_at = layout.columns.get("time")
    if field == "date" and time_at is not None and time_at < len(record) and ":" not in value:
        value = f"{value} {record[time_at].strip()}".strip()
    return value


def _decide_dayfirst(dates: list[str], region: str) -> tuple[bool, str | None]:
    """A first number over 12 proves day-first; a second one over 12 proves month-first."""
    day_proof = month_proof = ambiguous = 0
    for value in dates:
        match = _NUMERIC_DATE.match(value)
        if match is None:
            continue
        first, second = int(match[1]), int(match[2])
        day_proof += first > 12
        month_proof += second > 12
        ambiguous += first <= 12 and second <= 12
    if day_proof and not month_proof:
        return True, None
    if month_proof and not day_proof:
        return False, None
    month_first = region.upper() in _MONTH_FIRST_REGIONS
    order = "month first (03/04 = 4 March)" if month_first else "day first (03/04 = 3 April)"
    if not (ambiguous or day_proof):
        return False, None
    return not month_first, (
        f"dates like 03/04 in this file could mean either day; they were read {order}, "
        "as is usual where this case is; check a few against the phone"
    )


def _row_entry(
    source: ParseSource,
    layout: _Layout,
    record: list[str],
    row: int,
    dayfirst: bool,
    problems: list[ParseProblem],
) -> ParsedEntry | None:
    date_text = _cell(record, layout, "date")
    parsed = _parse_when(date_text, dayfirst)
    if parsed is None:
        shown = f"“{date_text[:40]}”" if date_text else "(empty)"
        problems.append(ParseProblem(f"row {row}: the date {shown} could not be read; left out"))
        return None
    moment, precision, epoch = parsed
    meta: dict[str, Any] = {"row": row}
    offset: int | None
    if moment.tzinfo is None:
        clock = read_wall_clock(moment, source.zone)
        when, offset, precision = clock.ms, clock.offset_min, clock.precision(precision)
        meta.update(clock.meta())
        time_source = TimeSource.EXPORT_LOCAL
    else:
        when, offset = aware_to_ms(moment)
        time_source = TimeSource.EXPORT_FIELD
        offset = None if epoch else offset
    duration = _duration(record, layout, row, meta, problems)
    type_text = " ".join(
        t for t in (_cell(record, layout, "type"), _cell(record, layout, "direction")) if t
    )
    call_type, direction, type_note = classify(type_text)
    if destination := _cell(record, layout, "destination"):
        meta["destination"] = destination
        if call_type is None and direction is None:
            call_type, direction, type_note = _from_destination(destination)
    if type_text:
        meta["type_as_written"] = type_text
    if type_note:
        meta["type_note"] = type_note
    if _cell(record, layout, "service"):
        meta["service"] = _cell(record, layout, "service")
    number = _cell(record, layout, "number") or None
    name = _cell(record, layout, "name") or None
    presentation = _cell(record, layout, "presentation") or None
    if hidden := caller_id.withheld(number, presentation):
        meta.update(caller_id.meta_for(hidden, number, presentation))
        number, name = None, hidden
    local = moment.isoformat()
    kind = call_type.value if call_type else type_text.casefold()
    return ParsedEntry(
        kind=EntryKind.CALL,
        occurred_ms=when,
        time_source=time_source,
        utc_offset_min=offset,
        time_precision=precision,
        direction=direction,
        party=number,
        party_name=name,
        call_type=call_type,
        duration_s=duration,
        thread_key=number or hidden,
        dedup_key=f"{number or ''}|{local}|{kind}|{'' if duration is None else duration}",
        meta=meta,
    )


def _duration(
    record: list[str], layout: _Layout, row: int, meta: dict[str, Any], problems: list[ParseProblem]
) -> int | None:
    """Seconds, in the unit the mapping (or the column's name) gave; units written in
    the value itself ("3:12", "2 min") win over it."""
    field = next((f for f in _DURATIONS if f in layout.columns), "duration")
    text = _cell(record, layout, field)
    plain = re.fullmatch(r"\d+(?:\.\d+)?", text) is not None
    if field == "duration_min" and plain:
        minutes = float(text)
        duration = int(minutes * 60 + 0.5) if minutes < 7 * 24 * 60 else None
        meta["duration_as_written"] = f"{text} min"
        if minutes.is_integer():
            meta["duration_note"] = "whole minutes as billed: the call may have been shorter"
    else:
        duration = parse_duration(text)
    if duration is None and text:
        problems.append(
            ParseProblem(f"row {row}: the duration “{text[:40]}” could not be read; kept")
        )
    return duration


def _from_destination(text: str) -> tuple[CallType | None, Direction | None, str | None]:
    """A carrier's Destination: "Incoming, CL", "Voice Mail, CL", or the place called."""
    call_type, direction, note = classify(text)
    if call_type is not None or direction is not None:
        return call_type, direction, note
    if _PLACE.match(text.strip()):
        return (
            CallType.OUTGOING,
            Direction.OUTGOING,
            "the carrier's Destination names a place called",
        )
    return None, None, note


def _parse_when(text: str, dayfirst: bool) -> tuple[datetime, TimePrecision, bool] | None:
    """(time, precision, was-epoch). Naive unless the text carries an offset or is epoch."""
    if not text:
        return None
    if text.isdigit() and len(text) in (10, 13):
        seconds = int(text) / (1000 if len(text) == 13 else 1)
        return datetime.fromtimestamp(seconds, UTC), TimePrecision.SECOND, True
    iso = re.match(r"^\d{4}[-/.]", text) is not None  # dayfirst would turn 2024-03-04 round
    options = {"dayfirst": dayfirst and not iso, "yearfirst": iso, "tzinfos": _zone_for}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            one = date_parser.parse(text, default=datetime(1901, 1, 1), **options)
            two = date_parser.parse(text, default=datetime(1902, 2, 2), **options)
    except (ValueError, OverflowError):
        return None
    if one != two or not 1971 <= one.year <= 2100:
        return None  # a date missing its year, month or day; dateutil would invent them
    if re.search(r"\d{1,2}:\d{2}:\d{2}", text):
        precision = TimePrecision.SECOND
    elif re.search(r"\d{1,2}:\d{2}|\d\s*[ap]\.?m\b", text, re.IGNORECASE):
        precision = TimePrecision.MINUTE
    else:
        precision = TimePrecision.DAY
    return one, precision, False


def _zone_for(name: str | None, offset: int | None) -> tzinfo | None:
    """Written offsets and UTC only: dateutil would otherwise read "CST" as this laptop's zone."""
    if offset is not None:
        return timezone(timedelta(seconds=offset))
    return UTC if name and name.upper() in ("UTC", "GMT", "Z") else None


def parse_duration(text: str) -> int | None:
    """'192', '192.4', '3:12', '0:03:12', '3m 12s', '1 hr 2 min' → seconds; else None."""
    value = text.strip().casefold()
    if not value:
        return None
    seconds: float
    if re.fullmatch(r"\d+(?:\.\d+)?", value):
        seconds = float(value)
    elif re.fullmatch(r"\d+(?::\d{1,2}){1,2}(?:\.\d+)?", value):
        seconds = sum(float(p) * 60**i for i, p in enumerate(reversed(value.split(":"))))
    else:
        matches = list(_DURATION_PART.finditer(value))
        if not matches or _DURATION_PART.sub("", value).strip(" ,") != "":
            return None
        scale = {"h": 3600, "m": 60, "s": 1}
        seconds = sum(float(m[1]) * scale[m[2][0]] for m in matches)
    return int(seconds + 0.5) if seconds < 7 * 24 * 3600 else None


def classify(text: str) -> tuple[CallType | None, Direction | None, str | None]:
    """Type words (and Android's 1–7 codes) → (call type, direction, note on the choice)."""
    words = text.casefold().replace("-", " ").replace("_", " ")
    if words.strip() in _ANDROID_TYPES:
        words = _ANDROID_TYPES[words.strip()]

    def has(*options: str) -> bool:
        return any(re.search(rf"\b{re.escape(o)}\b", words) for o in options)

    incoming = has("incoming", "received", "inbound", "in")
    outgoing = has("outgoing", "outbound", "dialed", "dialled", "placed", "out")
    for call_type, options in _INCOMING_OUTCOMES:
        if has(*options):
            return call_type, Direction.INCOMING, None
    if has("cancelled", "canceled", "no answer", "not answered", "unanswered"):
        if outgoing and not incoming:
            return CallType.OUTGOING, Direction.OUTGOING, "not answered"
        if incoming and not outgoing:
            return CallType.MISSED, Direction.INCOMING, None
        return None, None, "the export does not say who called"
    if outgoing and not incoming:
        return CallType.OUTGOING, Direction.OUTGOING, None
    if incoming and not outgoing:
        return CallType.INCOMING, Direction.INCOMING, None
    return None, None, None  # e.g. "Answered": who called is not said, so not guessed
