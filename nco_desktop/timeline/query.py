"""Filtered, ordered reads of the timeline, shared by ``list`` and the window.

Entries whose time is unknown come after every dated entry, and are left out when a
date range is asked for: we never place them at a time we do not know.

Every read here shows a person by the name the user gave them (``party_names``, kept
by :mod:`nco_desktop.case.people`) in ``party_name``, the field every view already
prints, and keeps the name the export saved in ``exported_name``. Entries the user hid
(``hidden_entries``) are left out of every read unless a query asks for them.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from nco_desktop.evidence.records import EntryKind
from nco_desktop.timekeeping import format_offset, from_ms, iso_z_from_ms
from nco_desktop.vault.connection import Connection

# Substring matches are LIKE patterns (see :func:`contains_pattern`): like SQLite's
# lower(), LIKE folds ASCII letters only, so the meaning is that of instr(lower(…)),
# and it scans 100,000 entries ~30 % faster (48 against 72 ms for a rare word).
_LIKE = " LIKE ? ESCAPE '\\'"
_PARTY_CLAUSE = (
    f"(e.party{_LIKE} OR e.party_name{_LIKE} OR e.party_key{_LIKE}"
    f" OR e.party_key IN (SELECT party_key FROM party_names WHERE name{_LIKE}))"
)
_PARTY_PARAMS = 4
#: Leaves out what the user hid. The set is read once per query (a handful of ids), so
#: the time index stays a covering index: no table row is read to decide.
VISIBLE_CLAUSE = "e.id NOT IN (SELECT entry_id FROM hidden_entries)"
#: The joins every read of :data:`ENTRY_SELECT`'s columns needs.
ENTRY_JOINS = (
    "LEFT JOIN originals o ON o.id = e.original_id "
    "LEFT JOIN party_names pn ON pn.party_key = e.party_key"
)
#: An e-mail's subject and sender ("Name <address>"), which its importer keeps in meta.
_EMAIL_HEADER = (
    "CASE WHEN e.kind = 'email' AND json_valid(e.meta_json) "
    "THEN json_extract(e.meta_json, '$.{}') END"
)
#: The text, the file's name, an e-mail's subject and sender, the user's note, transcript
#: and English translation, and the words read in the entry's picture or in a picture
#: attached to it (OCR, ``ocr_pages``).
#: The subqueries are not correlated: SQLite reads each once per query into a set.
_TEXT_CLAUSE = (
    f"(e.text{_LIKE} OR o.original_name{_LIKE}"
    f" OR {_EMAIL_HEADER.format('subject')}{_LIKE} OR {_EMAIL_HEADER.format('from')}{_LIKE}"
    f" OR e.id IN (SELECT entry_id FROM entry_notes WHERE text{_LIKE})"
    f" OR e.id IN (SELECT entry_id FROM entry_transcripts WHERE text{_LIKE})"
    f" OR e.id IN (SELECT entry_id FROM entry_translations WHERE text{_LIKE})"
    f" OR e.original_id IN (SELECT original_id FROM ocr_pages WHERE text{_LIKE})"
    " OR e.id IN (SELECT a.entry_id FROM entry_attachments a JOIN ocr_pages p"
    f" ON p.original_id = a.original_id WHERE p.text{_LIKE}))"
)
_TEXT_PARAMS = 9


def contains_pattern(words: str) -> str:
    """A LIKE pattern matching *words* anywhere, with LIKE's own wildcards (and the
    escape character) taken literally: a search for "50%" or "a_b" means just that."""
    escaped = words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


@dataclass(frozen=True)
class TimelineQuery:
    kinds: frozenset[EntryKind] = field(default_factory=frozenset)
    since_ms: int | None = None  # inclusive
    until_ms: int | None = None  # inclusive
    party: str | None = None  # substring, case-insensitive
    text: str | None = None  # in the text, file name, note or words read in a picture; any case
    words: str | None = None  # in any of those, or in the party: what a search box means
    include_hidden: bool = False  # entries the user hid, too (``list --include-hidden``)

    @property
    def reads_every_row(self) -> bool:
        """A text or party filter has to look inside every row.

        Such a query scans the table in storage order and sorts in memory
        (``NOT INDEXED``): walking the time index instead jumps between table pages,
        each decrypted again, and was 25× slower (2 s against 80 ms for 100,000 entries).
        """
        return bool(self.text or self.party or self.words)

    def table(self) -> str:
        """The FROM clause for this query (see :attr:`reads_every_row`)."""
        hint = " NOT INDEXED" if self.reads_every_row else ""
        return f"FROM entries e{hint} {ENTRY_JOINS}"

    def where(self) -> tuple[str, list[Any]]:
        clauses: list[str] = [] if self.include_hidden else [VISIBLE_CLAUSE]
        params: list[Any] = []
        if self.kinds:
            clauses.append(f"e.kind IN ({', '.join('?' for _ in self.kinds)})")
            params.extend(sorted(kind.value for kind in self.kinds))
        if self.since_ms is not None:
            clauses.append("e.occurred_ms >= ?")
            params.append(self.since_ms)
        if self.until_ms is not None:
            clauses.append("e.occurred_ms <= ?")
            params.append(self.until_ms)
        if self.party:
            clauses.append(_PARTY_CLAUSE)
            params.extend([contains_pattern(self.party)] * _PARTY_PARAMS)
        if self.text:
            clauses.append(_TEXT_CLAUSE)
            params.extend([contains_pattern(self.text)] * _TEXT_PARAMS)
        if self.words:
            clauses.append(f"({_TEXT_CLAUSE} OR {_PARTY_CLAUSE})")
            params.extend([contains_pattern(self.words)] * (_TEXT_PARAMS + _PARTY_PARAMS))
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


@dataclass(frozen=True)
class EntryView:
    """One timeline row as the CLI and the window show it."""

    id: int
    kind: str
    occurred_ms: int | None
    utc_offset_min: int | None
    time_source: str
    time_precision: str
    direction: str | None
    party: str | None
    party_name: str | None
    party_key: str | None
    text: str | None
    call_type: str | None
    duration_s: int | None
    original_sha256: str | None
    original_name: str | None
    #: The name the export saved (a phone's "Contact A") when ``party_name`` is the name
    #: of a person the user added; None when no person matches.
    exported_name: str | None = None
    subject: str | None = None  # an e-mail's subject (read by :func:`iter_entries` only)

    @property
    def saved_as(self) -> str | None:
        """The export's own name for the party, when it differs from the one shown."""
        if self.exported_name and self.exported_name != self.party_name:
            return self.exported_name
        return None

    def local_time(self, zone: ZoneInfo) -> datetime | None:
        return None if self.occurred_ms is None else from_ms(self.occurred_ms).astimezone(zone)

    def who(self) -> str:
        """'Sam Roe (+15550100199)', or whichever of the two is known; a number that
        brings its own brackets follows a comma ('Sam Roe, (555) 010-0199')."""
        if self.party_name and self.party and self.party_name != self.party:
            if "(" in self.party:
                return f"{self.party_name}, {self.party}"
            return f"{self.party_name} ({self.party})"
        return self.party_name or self.party or ""

    def summary_line(self) -> str:
        """One line that says what happened, for lists: never the whole text."""
        if self.kind == EntryKind.CALL:
            what = f"{self.call_type or 'unknown'} call"
            if self.duration_s:
                minutes, seconds = divmod(self.duration_s, 60)
                what += f", {minutes}:{seconds:02d}"
            return what
        first = (self.text or "").strip().splitlines()
        return first[0] if first else (self.original_name or "")

    def to_json(self) -> dict[str, Any]:
        """The CLI's ``list --json`` contract (see README)."""
        data: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind,
            "occurred_at": None if self.occurred_ms is None else iso_z_from_ms(self.occurred_ms),
            "utc_offset": format_offset(self.utc_offset_min),
            "time_source": self.time_source,
            "time_precision": self.time_precision,
            "direction": self.direction,
            "party": self.party,
            "party_name": self.party_name,
            "party_key": self.party_key,
            "exported_name": self.exported_name,
            "text": self.text,
            "original_sha256": self.original_sha256,
            "original_name": self.original_name,
        }
        if self.kind == EntryKind.CALL:
            data["call_type"] = self.call_type
            data["duration_s"] = self.duration_s
        if self.kind == EntryKind.EMAIL:
            data["subject"] = self.subject
        return data


def entry_columns(text: str = "e.text") -> str:
    """The SELECT list of :class:`EntryView`, in order (*text*: how to read the text,
    e.g. cut short for a list). Needs :data:`ENTRY_JOINS`."""
    return (
        "SELECT e.id, e.kind, e.occurred_ms, e.utc_offset_min, e.time_source, "
        "e.time_precision, e.direction, e.party, coalesce(pn.name, e.party_name), "
        f"e.party_key, {text}, e.call_type, e.duration_s, o.sha256, o.original_name, "
        "CASE WHEN pn.name IS NOT NULL THEN e.party_name END "
    )


ENTRY_FIELDS = 16  # how many columns entry_columns() gives
_COLUMNS = entry_columns()
#: The columns of :class:`EntryView`, in order, for any read that makes them (hidden
#: entries included: callers that list add :data:`VISIBLE_CLAUSE`).
ENTRY_SELECT = _COLUMNS + "FROM entries e " + ENTRY_JOINS
_ORDER = " ORDER BY e.occurred_ms IS NULL, e.occurred_ms, e.id"


def iter_entries(conn: Connection, query: TimelineQuery | None = None) -> Iterator[EntryView]:
    query = query or TimelineQuery()
    where, params = query.where()
    columns = _COLUMNS + ", " + _EMAIL_HEADER.format("subject") + " "
    for row in conn.execute(columns + query.table() + where + _ORDER, params):
        yield EntryView(*row)


def count_entries(conn: Connection, query: TimelineQuery | None = None) -> int:
    query = query or TimelineQuery()
    where, params = query.where()
    sql = "SELECT count(*) " + query.table() + where
    (count,) = conn.execute(sql, params).fetchone()
    return int(count)


_JSON_BATCH = 1_000  # entries joined per write: fewer calls, bounded memory


def write_json_lines(entries: Iterable[EntryView], out: TextIO) -> int:
    """Write *entries* as one JSON array, one entry per line (``list --json``, whose
    fields :meth:`EntryView.to_json` gives); return how many.

    ``json.dump(indent=…)`` switches to the pure-Python encoder, which took ~15 s for
    100,000 entries; each entry encoded alone with the C encoder, one per line, is as
    readable for a person and as valid for a program, and takes a fraction of that.
    Entries are streamed from the query in batches, so the whole list never sits in
    memory as Python objects.
    """
    encode = json.JSONEncoder(ensure_ascii=False).encode
    count = 0
    batch: list[str] = []
    for entry in entries:
        batch.append(encode(entry.to_json()))
        if len(batch) == _JSON_BATCH:
            out.write((",\n" if count else "[\n") + ",\n".join(batch))
            count += len(batch)
            batch.clear()
    if batch:
        out.write((",\n" if count else "[\n") + ",\n".join(batch))
        count += len(batch)
    out.write("\n]\n" if count else "[]\n")
    return count
