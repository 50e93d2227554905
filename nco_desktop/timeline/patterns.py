"""The pattern a judge looks for: how often, at what hours, and after the order.

Counts are over calls and messages from one person (incoming only by default: the
user's own replies are not the pattern), in the vault's time zone. Entries whose time is
unknown cannot be placed on a day or an hour and are counted apart, never guessed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo

from nco_desktop.evidence.records import CallType, Direction, EntryKind
from nco_desktop.timekeeping import from_ms
from nco_desktop.timeline.query import VISIBLE_CLAUSE
from nco_desktop.vault.connection import Connection

LATE_START_HOUR = 22  # 22:00 …
LATE_END_HOUR = 6  # … to 06:00, the hours the binder's call table also shades

_CALLS_TO_THE_USER = (
    CallType.INCOMING,
    CallType.MISSED,
    CallType.VOICEMAIL,
    CallType.REJECTED,
    CallType.BLOCKED,
)


def is_late_night(hour: int) -> bool:
    return hour >= LATE_START_HOUR or hour < LATE_END_HOUR


@dataclass
class ContactPattern:
    per_day: Counter[date] = field(default_factory=Counter)
    #: heat[weekday][hour], Monday = 0, in the vault's zone
    heat: list[list[int]] = field(default_factory=lambda: [[0] * 24 for _ in range(7)])
    total: int = 0
    late_night: int = 0
    after_order: int = 0
    time_unknown: int = 0

    @property
    def busiest_day(self) -> tuple[date, int] | None:
        return (
            max(self.per_day.items(), key=lambda item: (item[1], item[0])) if self.per_day else None
        )

    @property
    def heat_max(self) -> int:
        return max(max(row) for row in self.heat)


def contact_pattern(
    conn: Connection,
    zone: ZoneInfo,
    party_keys: set[str],
    *,
    incoming_only: bool = True,
    order_start_ms: int | None = None,
) -> ContactPattern:
    """Calls and messages with the parties *party_keys* (one person's numbers, handles)."""
    pattern = ContactPattern()
    if not party_keys:
        return pattern
    keys = sorted(party_keys)
    sql = (
        "SELECT occurred_ms FROM entries e WHERE party_key IN ({}) AND kind IN (?, ?) "
        "AND {}".format(", ".join("?" for _ in keys), VISIBLE_CLAUSE)
    )
    params: list[object] = [*keys, EntryKind.CALL, EntryKind.MESSAGE]
    if incoming_only:
        sql += " AND ((kind = ? AND call_type IN ({})) OR (kind = ? AND direction = ?))".format(
            ", ".join("?" for _ in _CALLS_TO_THE_USER)
        )
        params += [EntryKind.CALL, *_CALLS_TO_THE_USER, EntryKind.MESSAGE, Direction.INCOMING]
    for (occurred_ms,) in conn.execute(sql, params):
        pattern.total += 1
        if occurred_ms is None:
            pattern.time_unknown += 1
            continue
        local = from_ms(occurred_ms).astimezone(zone)
        pattern.per_day[local.date()] += 1
        pattern.heat[local.weekday()][local.hour] += 1
        if is_late_night(local.hour):
            pattern.late_night += 1
        if order_start_ms is not None and occurred_ms >= order_start_ms:
            pattern.after_order += 1
    return pattern


def frequent_parties(conn: Connection, limit: int = 20) -> list[tuple[str, str, int]]:
    """(party_key, a name or number to show, count) of the most frequent contacts: the
    name of the person the user added for that key, else the export's name or number."""
    rows = conn.execute(
        "SELECT e.party_key, coalesce(max(pn.name), max(e.party_name), max(e.party)), count(*) "
        "FROM entries e LEFT JOIN party_names pn ON pn.party_key = e.party_key "
        f"WHERE e.party_key IS NOT NULL AND e.kind IN (?, ?) AND {VISIBLE_CLAUSE} "
        "GROUP BY e.party_key ORDER BY count(*) DESC, e.party_key LIMIT ?",
        (EntryKind.CALL, EntryKind.MESSAGE, limit),
    ).fetchall()
    return [(str(key), str(label or key), int(count)) for key, label, count in rows]
