"""Every row of a damaged vault that can still be read, table by table.

SQLCipher checks each page as SQLite reads it; a page that fails ends the query (and,
SQLite having marked the connection's pager as failed, every later read on that
connection). A plain ``SELECT *`` therefore stops at the first damaged page and loses
everything after it. Rows are instead read in rowid order from a point, and when a
read fails the reader opens a new connection and looks for the next rowid it *can*
read: one step further, then twice as far, and so on, and then back by halves to the
first one that reads. The rows in between are reported lost as a range of rowids (the
ids the timeline and the report show), never guessed at.

A damaged leaf page loses the rows on it; a damaged page of a large value (a 256 KiB
chunk of an original spans sixteen pages) loses that one row; a damaged inner page
loses the rows below it; a damaged index loses nothing (the new vault builds its own).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from nco_desktop.vault.connection import Connection, DatabaseError
from nco_desktop.vault.salvage_source import Source

#: Rows are read from here up: SQLite numbers every row the program writes from 1
#: (it never chooses ids of its own), so a damaged first page of a table leaves a gap
#: that starts at 0 and can be probed id by id.
FIRST_ROWID = 0
LAST_ROWID = 2**63 - 1
#: A gap this small between readable rows is probed id by id: two damaged pages close
#: together can hide readable rows between them from the search by halves, and the
#: report can then name exactly the ids that did not read.
POINT_PROBES = 4096


@dataclass
class TableReading:
    """What was read of one table: rows recovered, and the rowid ranges lost (the
    rows strictly between *after* and *before*; *before* None: to the end)."""

    name: str
    recovered: int = 0
    lost: list[tuple[int, int | None]] = field(default_factory=list)
    unreadable: str | None = None  # why nothing of it could be read
    rejected: list[int] = field(default_factory=list)  # rows not what the table holds

    @property
    def complete(self) -> bool:
        return not self.lost and self.unreadable is None and not self.rejected


class RowReader:
    """Reads a :class:`Source`, reconnecting after each damaged page."""

    def __init__(self, source: Source) -> None:
        self._source = source
        self._conn: Connection = source.connect()
        self.reconnections = 0

    def close(self) -> None:
        self._conn.close()

    def _reconnect(self) -> None:
        self._conn.close()
        self._conn = self._source.connect()
        self.reconnections += 1

    def table_names(self) -> list[str] | None:
        """The tables the damaged vault's table of contents lists (None if it cannot
        be read)."""
        try:
            return [
                str(name)
                for (name,) in self._conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%'"
                )
            ]
        except DatabaseError:
            self._reconnect()
            return None

    def columns(self, table: str) -> list[str] | None:
        try:
            found = [str(row[1]) for row in self._conn.execute(f'PRAGMA table_info("{table}")')]
        except DatabaseError:
            self._reconnect()
            return None
        return found or None

    def scalar(self, sql: str, *params: object) -> object:
        """One value, or None when it cannot be read."""
        try:
            row = self._conn.execute(sql, params).fetchone()
        except DatabaseError:
            self._reconnect()
            return None
        return None if row is None else row[0]

    def rows(self, table: str, columns: list[str], reading: TableReading) -> Iterator[tuple]:
        """(rowid, *columns) of every row that reads, in rowid order."""
        wanted = ", ".join(f'"{c}"' for c in columns)
        scan = f'SELECT rowid, {wanted} FROM "{table}" WHERE rowid > ? ORDER BY rowid'
        after = FIRST_ROWID
        while True:
            try:
                for row in self._conn.execute(scan, (after,)):
                    after = int(row[0])
                    reading.recovered += 1
                    yield tuple(row)
                return
            except DatabaseError:
                # Python's cursor reads one row ahead: the row that failed may be the
                # one after the last returned, or the one after that.
                self._reconnect()
            found, skipped = self._next_readable(scan, after)
            if skipped:
                before = None if found is None else int(found[0])
                if before is not None and before - after <= POINT_PROBES:
                    for row in self._one_by_one(table, columns, after, before, reading):
                        reading.recovered += 1
                        yield row
                else:
                    reading.lost.append((after, before))
            if found is None:
                return
            after = int(found[0])
            reading.recovered += 1
            yield tuple(found)

    def _one_by_one(
        self, table: str, columns: list[str], after: int, before: int, reading: TableReading
    ) -> Iterator[tuple]:
        """Each row with an id strictly between *after* and *before* that reads; the
        ids that do not read are added to *reading*'s lost ranges, run by run."""
        wanted = ", ".join(f'"{c}"' for c in columns)
        point = f'SELECT rowid, {wanted} FROM "{table}" WHERE rowid = ?'
        run_start: int | None = None  # the first id of the current run that failed
        for rowid in range(after + 1, before):
            try:
                row = self._conn.execute(point, (rowid,)).fetchone()
            except DatabaseError:
                self._reconnect()
                run_start = rowid if run_start is None else run_start
                continue
            if run_start is not None:
                reading.lost.append((run_start - 1, rowid))
                run_start = None
            if row is not None:
                yield tuple(row)
        if run_start is not None:
            reading.lost.append((run_start - 1, before))

    def fetchall(self, sql: str, *params: object) -> list[tuple] | None:
        """Every row of *sql*, or None when it cannot be read."""
        try:
            return [tuple(row) for row in self._conn.execute(sql, params)]
        except DatabaseError:
            self._reconnect()
            return None

    def _probe(self, scan: str, at: int) -> tuple[bool, tuple | None]:
        """(whether the first row at or after *at* reads whole, that row or None)."""
        try:
            cursor = self._conn.execute(scan.replace("rowid > ?", "rowid >= ?") + " LIMIT 1", (at,))
            found = cursor.fetchone()
        except DatabaseError:
            self._reconnect()
            return False, None
        return True, None if found is None else tuple(found)

    def _next_readable(self, scan: str, failed_after: int) -> tuple[tuple | None, bool]:
        """(the first row after *failed_after* that reads, or None when none after it
        does; whether rows were skipped to reach it)."""
        bad = failed_after  # probes at bad + 1 … up to here fail
        step = 1
        while True:
            probe = min(LAST_ROWID, failed_after + step)
            good, found = self._probe(scan, probe)
            if good:
                break
            bad = probe
            if probe == LAST_ROWID:
                return None, True
            step *= 2
        if bad == failed_after:
            return found, False
        while probe - bad > 1:  # back by halves to the first probe that reads
            middle = (bad + probe) // 2
            ok, first = self._probe(scan, middle)
            if ok:
                probe, found = middle, first
            else:
                bad = middle
        return found, True
