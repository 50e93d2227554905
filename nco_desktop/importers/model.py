"""What a format parser yields: the contract between parsers and the vault.

A parser is a generator ``parse(source: ParseSource) -> Iterator[ParsedItem]``. It runs
in a sandboxed worker process (see :mod:`nco_desktop.sandbox`), reads the
file at ``source.path`` itself (and files beside it, nothing else: the worker can read
only the folders chosen for import), and never touches the vault. What it yields
crosses to the program as checked JSON (:mod:`nco_desktop.sandbox.wire`), so ``meta``
holds only JSON values. The parent process stores
the file as an original and writes what the parser yields, all in one transaction.

Rules every parser follows:
- Never invent a time. No time → ``occurred_ms=None`` and ``TimeSource.UNKNOWN``.
- Naive times are read in ``source.zone`` (``TimeSource.EXPORT_LOCAL``/``EXIF_LOCAL``).
- ``party`` is the number/address/handle exactly as the export wrote it; ``party_name``
  is the contact name if the export gives one. The parent normalises phone numbers.
- ``dedup_key``: a string that identifies the record *within its format and party*
  regardless of which backup file it came from (e.g. epoch ms, type, body), so importing
  two overlapping backups does not double anything. The writer combines it with the
  normalised party, so leave the number as written out of it: two backups may write
  one number two ways. None when the record has no identity beyond the file itself.
- Yield a :class:`ParsedAttachment` before any entry that refers to it by ``ref``.
- Something wrong but survivable (a truncated tail, one unreadable record) is a
  :class:`ParseProblem` sentence a non-programmer understands; the rest goes on.
  Something fatal raises :class:`UnreadableFile` with such a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from nco_desktop.evidence.records import (
    CallType,
    Direction,
    EntryKind,
    TimePrecision,
    TimeSource,
    require_honest_time,
)

#: The most bytes one attachment (an MMS picture, a zip member) may have.
MAX_ATTACHMENT_BYTES = 256 * 1024 * 1024


class UnreadableFile(Exception):
    """The parser cannot read this file; the message says why, in plain words."""


@dataclass(frozen=True)
class ParseSource:
    path: Path
    name: str  # the file name as the user sees it
    zone: ZoneInfo  # the vault's time zone, for naive times
    region: str  # ISO 3166 country for phone numbers without a country code, e.g. "US"
    mtime_ms: int | None  # the file's modification time (whole seconds), a weak last resort
    #: User choices for formats that need them, e.g. a generic CSV's column mapping
    #: from ``import --map date=When,number=Phone``: {"date": "When", "number": "Phone"}.
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ParsedAttachment:
    """Bytes found inside the file, stored as their own original (container = the file)."""

    ref: str  # unique within this parse, e.g. "mms:12:part:1"
    name: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class ParsedEntry:
    kind: EntryKind
    occurred_ms: int | None
    time_source: TimeSource
    utc_offset_min: int | None = None
    time_precision: TimePrecision = TimePrecision.SECOND
    direction: Direction | None = None
    party: str | None = None
    party_name: str | None = None
    text: str | None = None
    call_type: CallType | None = None
    duration_s: int | None = None
    thread_key: str | None = None  # groups a conversation (a chat's name, a number)
    dedup_key: str | None = None
    original_ref: str | None = None  # this entry's original is that attachment, not the file
    attachment_refs: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        require_honest_time(self.occurred_ms, self.time_source)  # fails in the parser, early


@dataclass(frozen=True)
class ParseProblem:
    message: str


@dataclass(frozen=True)
class FormatNote:
    """Optional: what the parser decided about the whole file (shown in the summary)."""

    message: str


ParsedItem = ParsedAttachment | ParsedEntry | ParseProblem | FormatNote
