"""Setting or correcting the time of an imported entry, with the user's reason (Qt-free).

A pasted picture lands in "Time unknown"; a voicemail may be dated by the file's
modification time, which is often days after the call. The user knows better and may
say so — but the binder must show that the time is theirs and why, and the time the
import found must never be lost. So a correction:

- writes the new time on the entry (every list sorts and filters by it) with time
  source ``user``;
- keeps the import's own time, source and precision in ``entry_time_corrections``
  (a second correction keeps the *import's* values, not the first correction's);
- goes on the audit log in the same transaction, with the import's fingerprint of its
  entries recorded again, so ``verify`` still proves nothing changed unrecorded.

The audit row holds ids and times, never the reason's words (they stay in the vault's
own table and print in the binder caption).
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from nco_desktop.case import InvalidRecord
from nco_desktop.evidence.records import EntryKind, TimePrecision, TimeSource
from nco_desktop.evidence.store import (
    REFINGERPRINT_KEY,
    EvidenceAltered,
    imports_holding,
    new_fingerprints,
)
from nco_desktop.timekeeping import from_ms
from nco_desktop.vault import Vault
from nco_desktop.vault.connection import Connection

MAX_REASON_CHARS = 1_000
#: Precisions a typed time can have (a typed date alone is a day).
TYPED_PRECISIONS = (TimePrecision.MINUTE, TimePrecision.DAY)


@dataclass(frozen=True)
class TimeCorrection:
    """An entry's time as the import wrote it, and why the user changed it."""

    was_occurred_ms: int | None
    was_utc_offset_min: int | None
    was_time_source: str
    was_time_precision: str
    reason: str
    corrected_at: str  # ISO 8601 UTC


def time_correction(conn: Connection, entry_id: int) -> TimeCorrection | None:
    row = conn.execute(
        "SELECT was_occurred_ms, was_utc_offset_min, was_time_source, was_time_precision, "
        "reason, corrected_at FROM entry_time_corrections WHERE entry_id = ?",
        (entry_id,),
    ).fetchone()
    return None if row is None else TimeCorrection(*row)


def time_reasons(conn: Connection, entry_ids: list[int]) -> dict[int, str]:
    """The user's reason for each corrected entry among *entry_ids* (for captions)."""
    found: dict[int, str] = {}
    for start in range(0, len(entry_ids), 500):
        chunk = entry_ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for entry_id, reason in conn.execute(
            f"SELECT entry_id, reason FROM entry_time_corrections WHERE entry_id IN ({marks})",
            chunk,
        ):
            found[int(entry_id)] = str(reason)
    return found


def check_reason(reason: str) -> str:
    text = " ".join(reason.split())
    if not text:
        raise InvalidRecord(
            "Say why you are setting this time (for example “I took this screenshot on "
            "the night of the call”): the binder shows that the time is yours."
        )
    if len(text) > MAX_REASON_CHARS:
        raise InvalidRecord(f"The reason is longer than {MAX_REASON_CHARS:,} characters.")
    return text


def correct_entry_time(
    vault: Vault,
    entry_id: int,
    occurred_ms: int,
    precision: TimePrecision,
    reason: str,
) -> None:
    """Set entry *entry_id*'s time to *occurred_ms* (UTC ms) known to *precision*,
    for *reason*; one audited transaction. InvalidRecord when it cannot be done."""
    why = check_reason(reason)
    precision = TimePrecision(precision)
    if precision not in TYPED_PRECISIONS:
        raise InvalidRecord("A time you type is known to the minute, or to the day.")
    offset = _offset(occurred_ms, vault.time_zone)
    with vault.change() as change:
        row = change.conn.execute(
            "SELECT kind, occurred_ms, utc_offset_min, time_source, time_precision "
            "FROM entries WHERE id = ?",
            (entry_id,),
        ).fetchone()
        if row is None:
            raise InvalidRecord("This entry is no longer in the vault.")
        kind, was_ms, was_offset, was_source, was_precision = row
        if kind == EntryKind.INCIDENT:
            raise InvalidRecord("An incident's time is changed in the incident itself.")
        try:
            held = imports_holding(change.conn, [entry_id])
        except EvidenceAltered as exc:
            raise InvalidRecord(str(exc)) from None
        change.conn.execute(
            "INSERT INTO entry_time_corrections (entry_id, was_occurred_ms, "
            "was_utc_offset_min, was_time_source, was_time_precision, reason, corrected_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entry_id) DO UPDATE SET "
            "reason = excluded.reason, corrected_at = excluded.corrected_at",
            (entry_id, was_ms, was_offset, was_source, was_precision, why, change.at),
        )
        change.conn.execute(
            "UPDATE entries SET occurred_ms = ?, utc_offset_min = ?, time_source = ?, "
            "time_precision = ? WHERE id = ?",
            (occurred_ms, offset, TimeSource.USER.value, precision.value, entry_id),
        )
        change.audit(
            "entry.time_corrected",
            entry_id=entry_id,
            kind=kind,
            was_occurred_ms=was_ms,
            was_time_source=was_source,
            occurred_ms=occurred_ms,
            time_precision=precision.value,
            **{REFINGERPRINT_KEY: new_fingerprints(change.conn, held)},
        )


def _offset(occurred_ms: int, zone: ZoneInfo) -> int | None:
    """The vault zone's UTC offset at that moment: the user typed a local time."""
    utc = from_ms(occurred_ms).astimezone(zone).utcoffset()
    return None if utc is None else int(utc.total_seconds() // 60)
