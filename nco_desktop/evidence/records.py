"""The words the timeline is made of, as enums and frozen records.

String values are the stored values and the CLI's JSON contract; do not rename them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class EntryKind(StrEnum):
    MESSAGE = "message"
    CALL = "call"
    EMAIL = "email"
    IMAGE = "image"
    DOCUMENT = "document"
    AUDIO = "audio"
    NOTE = "note"
    INCIDENT = "incident"


class Direction(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"


class CallType(StrEnum):
    INCOMING = "incoming"
    OUTGOING = "outgoing"
    MISSED = "missed"
    VOICEMAIL = "voicemail"
    REJECTED = "rejected"
    BLOCKED = "blocked"


class TimeSource(StrEnum):
    """Where an entry's time came from, strongest first (DESIGN invariant 7)."""

    HEADER = "header"  # a message or e-mail header with an offset
    EXIF = "exif"  # EXIF date with its offset
    EXPORT_FIELD = "export-field"  # an exact instant in a phone export (epoch ms)
    EXIF_LOCAL = "exif-local"  # EXIF without offset, read in the vault zone
    EXPORT_LOCAL = "export-local"  # a naive export time, read in the vault zone
    FILE_NAME = "file-name"  # a screenshot's file-name pattern
    USER = "user"  # typed by the user
    FILE_MTIME = "file-mtime"  # the file's modification time: weak
    UNKNOWN = "unknown"  # no time at all; never invented

    @property
    def is_weak(self) -> bool:
        return self in {TimeSource.FILE_NAME, TimeSource.FILE_MTIME, TimeSource.UNKNOWN}


class TimePrecision(StrEnum):
    MILLISECOND = "millisecond"
    SECOND = "second"
    MINUTE = "minute"
    DAY = "day"
    UNKNOWN = "unknown"


def require_honest_time(occurred_ms: int | None, time_source: TimeSource) -> None:
    """An entry has a time exactly when its source is known: never an invented time,
    never a known source without its time (DESIGN invariant 7)."""
    if (occurred_ms is None) != (time_source is TimeSource.UNKNOWN):
        raise ValueError("an entry has a time exactly when its time source is known")


@dataclass(frozen=True)
class NewEntry:
    """An entry about to be written; ``occurred_ms`` None means "time unknown"."""

    kind: EntryKind
    occurred_ms: int | None
    time_source: TimeSource
    utc_offset_min: int | None = None
    time_precision: TimePrecision = TimePrecision.SECOND
    direction: Direction | None = None
    party: str | None = None
    party_key: str | None = None
    party_name: str | None = None
    text: str | None = None
    original_id: int | None = None
    call_type: CallType | None = None
    duration_s: int | None = None
    thread_key: str | None = None
    source_key: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        require_honest_time(self.occurred_ms, self.time_source)


@dataclass(frozen=True)
class Original:
    id: int
    blob_id: int
    sha256: str
    size: int
    original_name: str
    media_type: str
    imported_at: str
    import_source: str
    source_mtime_ms: int | None
    container_id: int | None
