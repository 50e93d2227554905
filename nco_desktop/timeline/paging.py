"""The timeline as a window pages through it: ordered ids first, row data on demand.

A query fetches only the ordered entry ids (and their times, to find where each day
starts) for the whole result: two integers per entry, ~50 ms for 100,000 entries. The
columns a list shows are read later, a page of ids at a time, when a row is first
painted, and a few pages are kept (least recently used). So a 100,000-entry vault costs
a few megabytes in the window, not a Python object per entry.

Days are days in the vault's time zone (DESIGN invariant 7). Entries whose time is
unknown form one last group (day ``None``), never placed at a guessed time.

Qt-free on purpose, like everything outside ``nco_desktop/ui``.
"""

from __future__ import annotations

import bisect
from array import array
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from nco_desktop.evidence.records import TimePrecision, TimeSource
from nco_desktop.timekeeping import from_ms, to_ms
from nco_desktop.timeline.query import (
    ENTRY_FIELDS,
    ENTRY_JOINS,
    VISIBLE_CLAUSE,
    EntryView,
    TimelineQuery,
    entry_columns,
)
from nco_desktop.vault.blobs import iter_chunks
from nco_desktop.vault.connection import Connection

if TYPE_CHECKING:  # sqlcipher3 ships no stubs; its API is the standard library's sqlite3
    from sqlite3 import Cursor

PAGE_SIZE = 96
MAX_PAGES = 64  # ~6,000 rows: several screens either way, a few MB at most
SUMMARY_CHARS = 2_000  # enough for a first line and a tooltip; never a whole e-mail
THUMBNAIL_KIND = "thumbnail"  # as nco_desktop.importers.thumbnails stores them

APPROXIMATE_PRECISIONS = frozenset({TimePrecision.MINUTE, TimePrecision.DAY, TimePrecision.UNKNOWN})


@dataclass(frozen=True)
class DayGroup:
    """Entries ``first`` … ``first + count - 1`` of a result share ``day`` (None: unknown).

    In a list sorted by kind or person the groups are those instead: ``label`` is the
    kind's value or the person's name or number ("" for entries with no one), and
    ``day`` is None.
    """

    day: date | None
    first: int
    count: int
    label: str | None = None


class SortColumn(StrEnum):
    TIME = "time"
    KIND = "kind"
    PARTY = "party"


@dataclass(frozen=True)
class TimelineSort:
    """How a list is ordered: by time (grouped by day), or grouped by kind or person
    with each group in time order. Entries whose time is unknown come last in every
    order: reversing the list never places them at a guessed time."""

    column: SortColumn = SortColumn.TIME
    descending: bool = False

    @property
    def by_day(self) -> bool:
        return self.column is SortColumn.TIME


class TimelineIndex:
    """One query's result in time order: ids, day groups, and the rows a list shows.

    The list shows one header row per group, then the group's entries; ``locate`` maps
    a list row to (group, entry position or None for the header) by bisection, so it
    costs the same with 10 entries or 1,000,000.
    """

    def __init__(
        self,
        ids: array[int],
        groups: Sequence[DayGroup],
        total: int,
        sort: TimelineSort | None = None,
    ) -> None:
        self.ids = ids
        self.groups = tuple(groups)
        self.total = total  # entries in the vault, filtered or not (hidden ones not)
        self.sort = sort or TimelineSort()
        self.group_firsts = array("q", (group.first for group in self.groups))
        self.header_rows = array("q", (group.first + n for n, group in enumerate(self.groups)))

    @classmethod
    def empty(cls) -> TimelineIndex:
        return cls(array("q"), (), 0)

    @property
    def shown(self) -> int:
        return len(self.ids)

    @property
    def row_count(self) -> int:
        return len(self.ids) + len(self.groups)

    def locate(self, row: int) -> tuple[int, int | None]:
        """(group index, entry position) of list row *row*; position None on a header."""
        group = bisect.bisect_right(self.header_rows, row) - 1
        if group < 0 or row >= self.row_count:
            raise IndexError(row)
        header = self.header_rows[group]
        return group, (None if row == header else row - group - 1)

    def row_of_position(self, position: int) -> int:
        """The list row of the entry at *position* in the result."""
        group = bisect.bisect_right(self.group_firsts, position) - 1
        return position + group + 1

    def position_of(self, entry_id: int) -> int | None:
        """Where *entry_id* is in this result, or None when it is not shown (a C-speed
        scan, ~3 ms for 100,000 ids: cheaper than keeping a dictionary)."""
        try:
            return self.ids.index(entry_id)
        except ValueError:
            return None

    def row_of_entry(self, entry_id: int) -> int | None:
        position = self.position_of(entry_id)
        return None if position is None else self.row_of_position(position)

    def ids_in_rows(self, top: int, bottom: int) -> array[int]:
        """The entries of list rows *top* … *bottom* (header rows skipped), by slicing:
        a selection of a million rows costs no Python object per row."""
        top, bottom = max(top, 0), min(bottom, self.row_count - 1)
        if top > bottom:
            return array("q")
        group, position = self.locate(top)
        start = self.groups[group].first if position is None else position
        group, position = self.locate(bottom)
        end = self.groups[group].first - 1 if position is None else position
        return self.ids[start : end + 1]

    def group_on_or_after(self, day: date) -> int | None:
        """The day group a "jump to *day*" goes to, in a list grouped by day: *day*
        itself, else the nearest later day shown, else the last day shown (in either
        direction of the sort). None: no dated entry is shown."""
        dated = [(n, g.day) for n, g in enumerate(self.groups) if g.day is not None]
        later = [(d, n) for n, d in dated if d >= day]
        if later:
            return min(later)[1]
        return max(((d, n) for n, d in dated), default=(None, None))[1]


def build_index(
    conn: Connection, query: TimelineQuery, zone: ZoneInfo, sort: TimelineSort | None = None
) -> TimelineIndex:
    """Run *query* for a list: ordered ids and day groups, no row contents.

    A text or party filter scans the table instead of the time index
    (:meth:`TimelineQuery.table`). The order is SQLite's (never a sort in Python):
    time both ways walks the time index; kind walks ``entries_by_kind_time``; person
    walks ``entries_by_party_label`` (migration 12).
    """
    sort = sort or TimelineSort()
    if not sort.by_day:
        return _build_grouped(conn, query, sort)
    where, params = query.where()
    base = "SELECT e.id, e.occurred_ms " + query.table()
    way = " DESC" if sort.descending else ""
    ids: array[int] = array("q")
    times: array[int] = array("q")
    if query.reads_every_row:  # one scan; entries without a time sort last
        rows = conn.execute(
            base + where + f" ORDER BY e.occurred_ms IS NULL, e.occurred_ms{way}, e.id{way}",
            params,
        )
        undated = _read_into(rows, ids, times)
    else:  # the time index gives both parts in order without a sort
        glue = " AND " if where else " WHERE "
        dated = conn.execute(
            base
            + where
            + glue
            + f"e.occurred_ms IS NOT NULL ORDER BY e.occurred_ms{way}, e.id{way}",
            params,
        )
        _read_into(dated, ids, times)
        undated = _read_into(
            conn.execute(base + where + glue + f"e.occurred_ms IS NULL ORDER BY e.id{way}", params),
            ids,
            times,
        )
    groups = day_groups(times, zone, descending=sort.descending)
    if undated:
        groups.append(DayGroup(None, len(times), undated))
    (total,) = conn.execute(f"SELECT count(*) FROM entries e WHERE {VISIBLE_CLAUSE}").fetchone()
    return TimelineIndex(ids, groups, int(total), sort)


#: What a list sorted by kind or person is grouped by. The person's label is the one the
#: list shows: the name the user gave the person (``party_names``), else the name the
#: export gave, else the number or address. It comes from a join, so no index holds it:
#: SQLite sorts (~200 ms for 100,000 entries), which keeps one person's numbers together.
PARTY_LABEL = "coalesce(pn.name, e.party_name, e.party, '')"
_GROUP_KEYS = {
    SortColumn.KIND: "e.kind",
    SortColumn.PARTY: PARTY_LABEL + " COLLATE NOCASE",
}


def _build_grouped(conn: Connection, query: TimelineQuery, sort: TimelineSort) -> TimelineIndex:
    """A list grouped by kind or by person, the groups in *sort*'s direction, each in
    time order with unknown times last; entries with no person form the last group.

    SQLite gives the kind order by walking ``entries_by_kind_time`` (key, time, id); the
    person order it sorts (see :data:`PARTY_LABEL`). That order
    puts each group's unknown times (NULL) first and the group without a person ("")
    first; both are moved as whole runs here, by slicing, so nothing is sorted in
    Python. A text or party filter scans the table as the time order does.
    """
    where, params = query.where()
    key = _GROUP_KEYS[sort.column]
    way = " DESC" if sort.descending else ""
    table = query.table() if query.reads_every_row else f"FROM entries e {ENTRY_JOINS}"
    rows = conn.execute(
        f"SELECT e.id, {key}, e.occurred_ms {table}{where} "
        f"ORDER BY {key}{way}, e.occurred_ms, e.id",
        params,
    )
    runs: list[tuple[str, array[int], int]] = []  # label, ids, how many lead undated
    ids: array[int] = array("q")
    label: str | None = None
    folded: str | None = None
    undated = 0
    for batch in iter(lambda: rows.fetchmany(_BATCH), []):
        for entry_id, value, occurred_ms in batch:
            fold = (value or "").casefold()
            if fold != folded:
                if label is not None:
                    runs.append((label, ids, undated))
                label, folded, ids, undated = value or "", fold, array("q"), 0
            ids.append(entry_id)
            if occurred_ms is None:
                undated += 1
    if label is not None:
        runs.append((label, ids, undated))
    no_one = [run for run in runs if run[0] == ""]
    runs = [run for run in runs if run[0] != ""] + no_one
    ordered: array[int] = array("q")
    groups: list[DayGroup] = []
    for label, run, undated in runs:
        groups.append(DayGroup(None, len(ordered), len(run), label))
        ordered.extend(run[undated:])
        ordered.extend(run[:undated])
    (total,) = conn.execute(f"SELECT count(*) FROM entries e WHERE {VISIBLE_CLAUSE}").fetchone()
    return TimelineIndex(ordered, groups, int(total), sort)


def _read_into(rows: Cursor, ids: array[int], times: array[int]) -> int:
    """Append (id, time) rows to *ids* and, while they have a time, to *times*; return
    how many had none (they come last). Read in batches rather than with fetchall: a
    million rows as tuples took ~100 MB and a stop-the-world garbage collection that
    froze the window for most of a second while a job built the index."""
    undated = 0
    for batch in iter(lambda: rows.fetchmany(_BATCH), []):
        ids.extend([row[0] for row in batch])
        dated = [row[1] for row in batch if row[1] is not None]
        times.extend(dated)
        undated += len(batch) - len(dated)
    return undated


_BATCH = 65_536


def day_groups(times: Sequence[int], zone: ZoneInfo, *, descending: bool = False) -> list[DayGroup]:
    """Split ascending (or *descending*) UTC milliseconds into local days of *zone*.

    One time-zone conversion per day, not per entry: find the next local midnight (or
    this day's start, going back) and bisect for the first entry past it.
    """
    groups: list[DayGroup] = []
    start, count = 0, len(times)
    while start < count:
        day = from_ms(times[start]).astimezone(zone).date()
        if descending:  # the first entry before this day's start
            end = bisect.bisect_right(
                times, -start_of_day_ms(day, zone), start, count, key=lambda t: -t
            )
        else:
            end = bisect.bisect_left(times, next_midnight_ms(day, zone), start, count)
        end = max(end, start + 1)
        groups.append(DayGroup(day, start, end - start))
        start = end
    return groups


def next_midnight_ms(day: date, zone: ZoneInfo) -> int:
    """The first millisecond of the day after *day* in *zone*."""
    return start_of_day_ms(day + timedelta(days=1), zone)


def start_of_day_ms(day: date, zone: ZoneInfo) -> int:
    """The first millisecond of *day* in *zone*, also where midnight falls in a DST gap."""
    moment = datetime.combine(day, time(0), tzinfo=zone)
    ms = to_ms(moment)
    # In a gap (clocks jump forward at midnight), zoneinfo reads midnight with the old
    # offset: that instant is already on this day, so it is still the day's start.
    while from_ms(ms - 1).astimezone(zone).date() >= day:
        ms -= 60 * 60 * 1000
    while from_ms(ms).astimezone(zone).date() < day:
        ms += 60 * 1000
    return ms


def day_range_ms(
    zone: ZoneInfo, since: date | None, until: date | None
) -> tuple[int | None, int | None]:
    """Inclusive UTC millisecond bounds covering local days *since* … *until*."""
    since_ms = None if since is None else start_of_day_ms(since, zone)
    until_ms = None if until is None else next_midnight_ms(until, zone) - 1
    return since_ms, until_ms


def dated_span(conn: Connection, zone: ZoneInfo) -> tuple[date | None, date | None]:
    """The first and last local day with an entry, for a date filter to start from.

    Two single-aggregate subqueries: SQLite answers each from the end of the time index
    at once, where one query with both (and a WHERE) walked the whole index — 42 ms on
    a million entries, twice each time a vault opened. min() and max() skip NULLs."""
    first, last = conn.execute(
        "SELECT (SELECT min(occurred_ms) FROM entries), (SELECT max(occurred_ms) FROM entries)"
    ).fetchone()
    if first is None:
        return None, None
    return from_ms(first).astimezone(zone).date(), from_ms(last).astimezone(zone).date()


@dataclass(frozen=True)
class TimelineRow:
    """What a list shows of one entry. ``entry.text`` is cut to ``SUMMARY_CHARS``."""

    entry: EntryView
    thumbnail_blob_id: int | None
    subject: str | None = None  # an e-mail's subject line, as its header gave it

    @property
    def is_weak_source(self) -> bool:
        return _source(self.entry.time_source).is_weak

    @property
    def is_approximate(self) -> bool:
        """Shown with a marker: a weak source, or a time known only to the minute or day."""
        return (
            self.is_weak_source or _precision(self.entry.time_precision) in APPROXIMATE_PRECISIONS
        )


def _source(value: str) -> TimeSource:
    try:
        return TimeSource(value)
    except ValueError:
        return TimeSource.UNKNOWN


def _precision(value: str) -> TimePrecision:
    try:
        return TimePrecision(value)
    except ValueError:
        return TimePrecision.UNKNOWN


_ROW_SELECT = (
    entry_columns("substr(e.text, 1, ?)") + ", "
    "coalesce(d.blob_id, (SELECT d2.blob_id FROM entry_attachments a "
    "JOIN derivatives d2 ON d2.original_id = a.original_id AND d2.kind = ? "
    "WHERE a.entry_id = e.id ORDER BY a.position LIMIT 1)), "
    # An e-mail is listed by its subject (importers/formats/email_messages.py keeps it
    # in the entry's meta); json_valid first, as json_extract fails on bad JSON.
    "CASE WHEN e.kind = 'email' AND json_valid(e.meta_json) "
    "THEN substr(json_extract(e.meta_json, '$.subject'), 1, 500) END "
    f"FROM entries e {ENTRY_JOINS} "
    "LEFT JOIN derivatives d ON d.original_id = e.original_id AND d.kind = ? "
    "WHERE e.id IN ({marks})"
)


def load_rows(
    conn: Connection, ids: Iterable[int], *, include_hidden: bool = False
) -> dict[int, TimelineRow]:
    """The rows of *ids* (at most a page), by id; an id deleted meanwhile is absent, and
    so is one the user hid (unless *include_hidden*): an exhibit's or an incident's
    list of evidence then leaves it out as the timeline does.

    A picture's thumbnail is its own original's; a message with pictures attached
    (an MMS, a WhatsApp photo) shows its first attachment's.
    """
    wanted = list(ids)
    if not wanted:
        return {}
    sql = _ROW_SELECT.format(marks=", ".join("?" for _ in wanted))
    if not include_hidden:
        sql += f" AND {VISIBLE_CLAUSE}"
    rows: dict[int, TimelineRow] = {}
    for row in conn.execute(sql, [SUMMARY_CHARS, THUMBNAIL_KIND, THUMBNAIL_KIND, *wanted]):
        view = EntryView(*row[:ENTRY_FIELDS])
        subject = row[ENTRY_FIELDS + 1] if isinstance(row[ENTRY_FIELDS + 1], str) else None
        rows[view.id] = TimelineRow(view, row[ENTRY_FIELDS], subject)
    return rows


class RowPages:
    """Rows of one index, read a page at a time and kept in a small LRU cache."""

    def __init__(
        self,
        conn: Connection,
        ids: Sequence[int],
        page_size: int = PAGE_SIZE,
        max_pages: int = MAX_PAGES,
    ) -> None:
        self._conn = conn
        self._ids = ids
        self.page_size = page_size
        self.max_pages = max_pages
        self._pages: OrderedDict[int, dict[int, TimelineRow]] = OrderedDict()
        self.pages_read = 0

    def row(self, position: int) -> TimelineRow | None:
        """The row at *position*, or None when that entry no longer exists."""
        number = position // self.page_size
        page = self._pages.get(number)
        if page is None:
            start = number * self.page_size
            page = load_rows(self._conn, self._ids[start : start + self.page_size])
            self.pages_read += 1
            self._pages[number] = page
            while len(self._pages) > self.max_pages:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page.get(self._ids[position])

    @property
    def cached_pages(self) -> int:
        return len(self._pages)

    def clear(self) -> None:
        self._pages.clear()


def read_thumbnail(conn: Connection, blob_id: int) -> bytes:
    """A stored thumbnail's bytes (small: a few tens of kilobytes)."""
    return b"".join(iter_chunks(conn, blob_id))
