"""Everything the window shows about one timeline entry, read in one place.

Qt-free on purpose (DESIGN "Layers"): the detail pane, a future CLI ``show`` and the
tests all read an entry through :func:`load_entry_detail`. Originals are read into
memory only through :func:`read_original_bytes`, which refuses anything over a limit
so a huge file cannot exhaust memory, and never writes a byte to disk.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from nco_desktop.case.entry_times import TimeCorrection, time_correction
from nco_desktop.evidence.notes import entry_note
from nco_desktop.evidence.records import EntryKind, TimePrecision, TimeSource
from nco_desktop.evidence.transcripts import transcript
from nco_desktop.ocr import store as ocr_store
from nco_desktop.ocr.store import OcrPage
from nco_desktop.timekeeping import format_offset, from_ms
from nco_desktop.timeline.query import ENTRY_SELECT, VISIBLE_CLAUSE, EntryView
from nco_desktop.vault.blobs import iter_chunks
from nco_desktop.vault.connection import Connection

#: How many conversation entries to show on each side of the selected one.
CONVERSATION_SPAN = 5
#: The most bytes of one original the window reads into memory at once.
MAX_IN_MEMORY = 256 * 1024 * 1024
#: Contacts from 22:00 until 06:00 in the vault's zone count as late at night.
LATE_NIGHT_HOURS = (22, 6)
THUMBNAIL_KIND = "thumbnail"  # as nco_desktop.importers.thumbnails stores them

# Plain words for where a time came from. Kept as literal strings (English source
# text) so the window can look them up in its translations.
TIME_SOURCE_WORDS = {
    "header-message": "From the message header",
    "header-document": "From the date written inside the document",
    "pdf-created": "From the PDF's creation date (in the file's document information)",
    "pdf-created-local": (
        "From the PDF's creation date (in the file's document information; no time zone "
        "recorded, read in the vault's zone)"
    ),
    "header-image": "From the date written inside the picture file",
    "header-audio": "From the date written inside the recording",
    "exif": "From the photo's EXIF data",
    "exif-local": "From the photo's EXIF data (no time zone recorded; read in the vault's zone)",
    "export-field": "From the time recorded in the phone or app export",
    "export-field-mp4": "From the creation time written inside the recording file",
    "export-local": "From the export's time (no time zone recorded; read in the vault's zone)",
    "file-name-image": "From the screenshot's file name",
    "file-name": "From the file's name",
    "user": "Entered by you",
    "user-corrected": "Set by you",
    "file-mtime": "From the file's modification date — may be later than the event",
    "unknown": "Time unknown",
}


def time_source_words(source: str, kind: str, meta: dict[str, Any] | None = None) -> str:
    """Where an entry's time came from, in words a non-lawyer reads without help."""
    meta = meta or {}
    if kind == EntryKind.DOCUMENT and meta.get("creation_date"):
        # A PDF's time is the creation date in its information dictionary: say which
        # date it is, not "a date written inside", which reads as the text's own date.
        if source == TimeSource.HEADER:
            return TIME_SOURCE_WORDS["pdf-created"]
        if source == TimeSource.EXPORT_LOCAL:
            return TIME_SOURCE_WORDS["pdf-created-local"]
    if source == TimeSource.HEADER:
        if kind in (EntryKind.DOCUMENT, EntryKind.IMAGE, EntryKind.AUDIO):
            return TIME_SOURCE_WORDS[f"header-{kind}"]
        return TIME_SOURCE_WORDS["header-message"]
    if source == TimeSource.EXPORT_FIELD and kind == EntryKind.AUDIO and meta.get("time_note"):
        return TIME_SOURCE_WORDS["export-field-mp4"]
    if source == TimeSource.FILE_NAME and kind == EntryKind.IMAGE:
        return TIME_SOURCE_WORDS["file-name-image"]
    return TIME_SOURCE_WORDS.get(str(source), TIME_SOURCE_WORDS["unknown"])


@dataclass(frozen=True)
class OriginalInfo:
    """A stored file, as the pane describes it (the binder's integrity facts)."""

    id: int
    blob_id: int
    sha256: str
    size: int
    name: str
    media_type: str
    imported_at: str  # ISO 8601 UTC, as stored

    def imported_local(self, zone: ZoneInfo) -> datetime | None:
        try:
            return datetime.fromisoformat(self.imported_at.replace("Z", "+00:00")).astimezone(zone)
        except ValueError:
            return None


@dataclass(frozen=True)
class ParseRecord:
    """How the importer read the entry's original (``original_parses``)."""

    format: str | None
    status: str  # ok, partial, failed, unsupported
    entries_added: int
    duplicates: int
    messages: tuple[str, ...]
    parsed_at: str


@dataclass(frozen=True)
class IncidentFacts:
    """An incident from the user's log. ``private_notes`` never goes into a binder."""

    category: str
    location: str
    summary: str
    what_happened: str
    witnesses: str
    reported_to_police: bool
    agency: str
    officer: str
    report_number: str
    impact: str
    private_notes: str
    ends_ms: int | None
    linked: tuple[EntryView, ...]  # evidence the user linked to this incident


@dataclass(frozen=True)
class EntryDetail:
    """One entry with everything around it. ``conversation`` holds the selected entry
    itself too, between its neighbours, in time order (empty when it has none)."""

    entry: EntryView
    zone: ZoneInfo
    thread_key: str | None
    meta: dict[str, Any]
    original: OriginalInfo | None
    attachments: tuple[OriginalInfo, ...]
    parse: ParseRecord | None
    note: str
    transcript: str  # the user's, for recordings; "" when none
    incident: IncidentFacts | None
    time_source_words: str
    conversation: tuple[EntryView, ...]
    thumbnail_blob_id: int | None  # a small upright JPEG made at import, when there is one
    time_correction: TimeCorrection | None = None  # the import's time, when the user set one
    hidden_reason: str | None = None  # why the user hid it; None when it is not hidden
    #: What the computer read in the picture (never evidence); None: not read yet, or
    #: the original is not a picture.
    reading: OcrPage | None = None

    @property
    def time_can_be_corrected(self) -> bool:
        """Imported evidence only: an incident's time is edited in the incident."""
        return self.entry.kind != EntryKind.INCIDENT

    @property
    def was_time_text(self) -> str | None:
        """The time the import found, in words, when the user has set another one."""
        was = self.time_correction
        if was is None:
            return None
        if was.was_occurred_ms is None:
            return "Time unknown"
        words = time_source_words(was.was_time_source, self.entry.kind, self.meta)
        when = describe_time(was.was_occurred_ms, self.zone, was.was_time_precision)
        return f"{when} — {words[:1].lower()}{words[1:]}"

    @property
    def id(self) -> int:
        return self.entry.id

    @property
    def kind(self) -> str:
        return self.entry.kind

    @property
    def local_time(self) -> datetime | None:
        return self.entry.local_time(self.zone)

    @property
    def time_text(self) -> str:
        return describe_time(self.entry.occurred_ms, self.zone, self.entry.time_precision)

    @property
    def recorded_offset(self) -> str | None:
        """'-05:00': the UTC offset the source wrote the time with, when it said one."""
        return format_offset(self.entry.utc_offset_min)

    @property
    def offset_differs_from_zone(self) -> bool:
        """The source wrote the time with another UTC offset than the vault's zone had
        then (a photo taken while travelling): worth saying beside the time."""
        moment = self.local_time
        if moment is None or self.entry.utc_offset_min is None:
            return False
        offset = moment.utcoffset()
        return offset is None or offset.total_seconds() // 60 != self.entry.utc_offset_min

    @property
    def time_is_weak(self) -> bool:
        return TimeSource(self.entry.time_source).is_weak if _known_source(self.entry) else True

    @property
    def late_night(self) -> bool:
        return is_late_night(self.entry.occurred_ms, self.zone)

    @property
    def time_notes(self) -> tuple[str, ...]:
        """What the importer said about the time, beyond its source (plain sentences)."""
        notes = []
        if self.meta.get("date_zone_unknown"):
            notes.append("The header gave no time zone; the time is read as UTC.")
        if note := self.meta.get("time_note"):
            notes.append(str(note)[:1].upper() + str(note)[1:] + ".")
        if rejected := self.meta.get("time_rejected"):
            notes.append(f"A date in the file was not used: {rejected}.")
        return tuple(notes)


def _known_source(entry: EntryView) -> bool:
    return entry.time_source in {s.value for s in TimeSource}


def pdf_date_text(value: str, zone: ZoneInfo) -> str:
    """A PDF information date ("D:20260114093000-05'00'") in the words every other time
    is shown in; the raw text when it is not a date a PDF reader would accept.

    Only the stored string is read here (the sandbox took it out of the file at import).
    """
    from nco_desktop.importers.formats.pdf import parse_pdf_date
    from nco_desktop.timekeeping import aware_to_ms, local_to_ms

    parsed = parse_pdf_date(value)
    if parsed is None:
        return value
    moment, precision = parsed
    if moment.tzinfo is not None:
        ms, _offset = aware_to_ms(moment)
        return describe_time(ms, zone, precision)
    ms, _offset = local_to_ms(moment, zone)
    return describe_time(ms, zone, precision) + " (no time zone recorded)"


def is_late_night(occurred_ms: int | None, zone: ZoneInfo) -> bool:
    if occurred_ms is None:
        return False
    hour = from_ms(occurred_ms).astimezone(zone).hour
    return hour >= LATE_NIGHT_HOURS[0] or hour < LATE_NIGHT_HOURS[1]


def describe_time(ms: int | None, zone: ZoneInfo, precision: str = "second") -> str:
    """'Tuesday, March 12, 2024, 10:15:30 PM CDT'; never more exact than the source."""
    if ms is None:
        return "Time unknown"
    moment = from_ms(ms).astimezone(zone)
    day = f"{moment:%A, %B} {moment.day}, {moment.year}"
    if precision == TimePrecision.DAY:
        return f"{day} (date only)"
    hour = moment.hour % 12 or 12
    seconds = precision in (TimePrecision.SECOND, TimePrecision.MILLISECOND)
    clock = f"{hour}:{moment:%M}" + (f":{moment:%S}" if seconds else "")
    return f"{day}, {clock} {'AM' if moment.hour < 12 else 'PM'} {moment:%Z}"


def describe_size(n: int) -> str:
    """'1.4 MB (1,402,112 bytes)': the exact count is what a hash check compares."""
    if n < 1000:
        return f"{n:,} bytes"
    value = float(n)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1000
        if value < 1000 or unit == "TB":
            return f"{value:,.1f} {unit} ({n:,} bytes)"
    return f"{n:,} bytes"  # pragma: no cover


# --- reading ---------------------------------------------------------------------------

_ORIGINAL = (
    "SELECT id, blob_id, sha256, size, original_name, media_type, imported_at FROM originals"
)


def _original(conn: Connection, original_id: int | None) -> OriginalInfo | None:
    if original_id is None:
        return None
    row = conn.execute(_ORIGINAL + " WHERE id = ?", (original_id,)).fetchone()
    return None if row is None else OriginalInfo(*row)


def _parse_record(conn: Connection, original_id: int | None) -> ParseRecord | None:
    if original_id is None:
        return None
    row = conn.execute(
        "SELECT format, status, entries_added, duplicates, messages_json, parsed_at "
        "FROM original_parses WHERE original_id = ?",
        (original_id,),
    ).fetchone()
    if row is None:
        return None
    try:
        messages = tuple(str(m) for m in json.loads(row[4]))
    except (ValueError, TypeError):
        messages = ()
    return ParseRecord(row[0], row[1], int(row[2]), int(row[3]), messages, row[5])


def _incident(conn: Connection, entry_id: int) -> IncidentFacts | None:
    row = conn.execute(
        "SELECT category, location, summary, what_happened, witnesses, reported_to_police, "
        "agency, officer, report_number, impact, private_notes, ends_ms "
        "FROM incidents WHERE entry_id = ?",
        (entry_id,),
    ).fetchone()
    if row is None:
        return None
    linked = tuple(
        EntryView(*r)
        for r in conn.execute(
            ENTRY_SELECT + " JOIN incident_evidence ie ON ie.entry_id = e.id "
            f"WHERE ie.incident_entry_id = ? AND {VISIBLE_CLAUSE} "
            "ORDER BY e.occurred_ms IS NULL, e.occurred_ms, e.id",
            (entry_id,),
        )
    )
    return IncidentFacts(
        category=row[0],
        location=row[1],
        summary=row[2],
        what_happened=row[3],
        witnesses=row[4],
        reported_to_police=bool(row[5]),
        agency=row[6],
        officer=row[7],
        report_number=row[8],
        impact=row[9],
        private_notes=row[10],
        ends_ms=row[11],
        linked=linked,
    )


def conversation_around(
    conn: Connection,
    entry: EntryView,
    thread_key: str | None,
    span: int = CONVERSATION_SPAN,
) -> tuple[EntryView, ...]:
    """Up to *span* messages before and after *entry* in its thread (or, without a
    thread, with the same person), in timeline order, *entry* included.

    Timeline order is (undated last, time, id); the row-value comparisons below walk
    that order from the selected entry outwards, so only 2 × span rows are read.
    """
    if entry.kind != EntryKind.MESSAGE:
        return ()
    if thread_key:
        same, value = "e.thread_key = ?", thread_key
    elif entry.party_key:
        same, value = "e.thread_key IS NULL AND e.party_key = ?", entry.party_key
    else:
        return ()
    key = "(e.occurred_ms IS NULL, coalesce(e.occurred_ms, 0), e.id)"
    here = (entry.occurred_ms is None, entry.occurred_ms or 0, entry.id)
    base = ENTRY_SELECT + f" WHERE e.kind = 'message' AND {VISIBLE_CLAUSE} AND {same} AND {key} "
    before = [
        EntryView(*row)
        for row in conn.execute(
            base + "< (?, ?, ?) ORDER BY e.occurred_ms IS NULL DESC, e.occurred_ms DESC, "
            "e.id DESC LIMIT ?",
            (value, *here, span),
        )
    ]
    after = [
        EntryView(*row)
        for row in conn.execute(
            base + "> (?, ?, ?) ORDER BY e.occurred_ms IS NULL, e.occurred_ms, e.id LIMIT ?",
            (value, *here, span),
        )
    ]
    if not before and not after:
        return ()
    return (*reversed(before), entry, *after)


def load_entry_detail(
    conn: Connection, entry_id: int, zone: ZoneInfo, *, span: int = CONVERSATION_SPAN
) -> EntryDetail:
    """Everything about entry *entry_id*; LookupError when there is no such entry."""
    row = conn.execute(ENTRY_SELECT + " WHERE e.id = ?", (entry_id,)).fetchone()
    if row is None:
        raise LookupError(f"There is no entry {entry_id}.")
    entry = EntryView(*row)
    original_id, thread_key, meta_json = conn.execute(
        "SELECT original_id, thread_key, meta_json FROM entries WHERE id = ?", (entry_id,)
    ).fetchone()
    try:
        meta = json.loads(meta_json or "{}")
    except ValueError:
        meta = {}
    if not isinstance(meta, dict):
        meta = {}
    attachments = tuple(
        info
        for (attachment_id,) in conn.execute(
            "SELECT original_id FROM entry_attachments WHERE entry_id = ? ORDER BY position",
            (entry_id,),
        )
        if (info := _original(conn, attachment_id)) is not None
    )
    thumbnail = None
    if original_id is not None:
        found = conn.execute(
            "SELECT blob_id FROM derivatives WHERE original_id = ? AND kind = ?",
            (original_id, THUMBNAIL_KIND),
        ).fetchone()
        thumbnail = None if found is None else int(found[0])
    original = _original(conn, original_id)
    return EntryDetail(
        entry=entry,
        zone=zone,
        thread_key=thread_key,
        meta=meta,
        original=original,
        attachments=attachments,
        parse=_parse_record(conn, original_id),
        note=entry_note(conn, entry_id),
        transcript=transcript(conn, entry_id),
        incident=_incident(conn, entry_id) if entry.kind == EntryKind.INCIDENT else None,
        time_source_words=time_source_words(entry.time_source, entry.kind, meta),
        conversation=conversation_around(conn, entry, thread_key, span),
        thumbnail_blob_id=thumbnail,
        time_correction=time_correction(conn, entry_id),
        hidden_reason=_hidden_reason(conn, entry_id),
        reading=_reading(conn, original),
    )


def _reading(conn: Connection, original: OriginalInfo | None) -> OcrPage | None:
    """The reading of a picture (its one page); None when it has none yet."""
    if original is None or original.media_type not in ocr_store.PICTURE_TYPES:
        return None
    pages = ocr_store.pages_of(conn, original.id)
    return pages[0] if pages else None


def _hidden_reason(conn: Connection, entry_id: int) -> str | None:
    row = conn.execute(
        "SELECT reason FROM hidden_entries WHERE entry_id = ?", (entry_id,)
    ).fetchone()
    return None if row is None else str(row[0])


def read_original_bytes(conn: Connection, blob_id: int, limit: int = MAX_IN_MEMORY) -> bytes:
    """A stored blob's bytes, in memory only; ValueError if it is larger than *limit*.

    The size is checked before reading and again while reading, so a blob whose row
    understates its size still cannot grow past the limit.
    """
    row = conn.execute("SELECT size FROM blobs WHERE id = ?", (blob_id,)).fetchone()
    if row is None:
        raise LookupError(f"There is no stored file {blob_id}.")
    size = int(row[0])
    if size > limit:
        raise ValueError(
            f"This file is {describe_size(size)}; files over {describe_size(limit)} are not "
            "opened here, so that the program does not run out of memory. The original is "
            "unchanged in the vault."
        )
    data = bytearray()
    for chunk in iter_chunks(conn, blob_id):
        if len(data) + len(chunk) > limit:
            raise ValueError(
                f"This file is larger than {describe_size(limit)}; it is not opened here. "
                "The original is unchanged in the vault."
            )
        data += chunk
    return bytes(data)
