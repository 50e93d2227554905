"""Every piece of evidence the Exhibits view's search finds, however many, read lazily.

The list used to stop at the first 500 entries ("search to narrow them down"), so the
501st message of a long thread could not be found by scrolling. Now a search returns
only the ordered ids (two integers per entry; :func:`~nco_desktop.timeline.paging.build_index`,
~50 ms for 100,000 entries, on a job) and the rows are read a page at a time when they
are first painted, keeping a few pages — as the timeline does. Incidents are left out:
they are the user's own account, not evidence to exhibit.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import QWidget

from nco_desktop.evidence.records import EntryKind
from nco_desktop.timeline.paging import MAX_PAGES, PAGE_SIZE, build_index
from nco_desktop.timeline.query import TimelineQuery, iter_entries
from nco_desktop.ui.exhibits.exhibit_models import EntryListModel, EntryRow, present_entries
from nco_desktop.vault.connection import Connection


def find_evidence(
    conn: Connection, words: str, kind: EntryKind | str | None, zone: ZoneInfo
) -> array[int]:
    """The ids of the evidence matching *words* and *kind*, in time order (unknown times
    last), as the incident picker's search finds them, without a limit."""
    kind = EntryKind(kind) if kind else None
    if kind is EntryKind.INCIDENT:
        return array("q")
    query = TimelineQuery(
        kinds=frozenset({kind}) if kind else frozenset(), words=words.strip() or None
    )
    ids = build_index(conn, query, zone).ids
    if kind is not None:
        return ids
    # Any kind but incidents: asked as no kind filter (seven kinds IN (…) walk the
    # index once per kind), then the incidents — a handful — are taken out.
    incidents = {
        view.id for view in iter_entries(conn, TimelineQuery(kinds=frozenset({EntryKind.INCIDENT})))
    }
    return ids if not incidents else array("q", (i for i in ids if i not in incidents))


class EvidenceListModel(EntryListModel):
    """The found entries as ids; each row is read (with its page) when first shown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(None, parent)
        self._ids: array[int] = array("q")
        self._positions: dict[int, int] | None = None  # id → row, built when first asked
        self._pages: OrderedDict[int, dict[int, EntryRow]] = OrderedDict()
        self._zone = ZoneInfo("UTC")
        self.pages_read = 0

    def set_ids(self, conn: Connection | None, ids: array[int], zone: ZoneInfo) -> None:
        self.beginResetModel()
        if conn is not self._conn:
            self._thumbnails.clear()
        self._conn = conn
        self._ids = ids
        self._positions = None
        self._pages.clear()
        self._zone = zone
        self.endResetModel()

    def clear(self) -> None:
        self.set_ids(None, array("q"), ZoneInfo("UTC"))
        self._notes = {}
        self._thumbnails.clear()

    def ids(self) -> list[int]:
        return list(self._ids)

    def row_of(self, entry_id: int) -> int:
        if self._positions is None:
            self._positions = {entry: n for n, entry in enumerate(self._ids)}
        return self._positions.get(entry_id, -1)

    def _count(self) -> int:
        return len(self._ids)

    def _id_at(self, position: int) -> int:
        return self._ids[position]

    def _row_at(self, position: int) -> EntryRow | None:
        number = position // PAGE_SIZE
        page = self._pages.get(number)
        if page is None:
            conn = self._conn
            if conn is None:
                return None
            start = number * PAGE_SIZE
            wanted = list(self._ids[start : start + PAGE_SIZE])
            page = {row.id: row for row in present_entries(conn, wanted, self._zone)}
            self.pages_read += 1
            self._pages[number] = page
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(number)
        return page.get(self._ids[position])
