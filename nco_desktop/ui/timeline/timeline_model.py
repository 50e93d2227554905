"""The timeline as a Qt table model: day header rows between entries, rows read lazily.

A query keeps only the ordered ids (:class:`~nco_desktop.timeline.paging.TimelineIndex`);
what a row shows is read a page at a time when it is first painted, formatted once and
kept in small least-recently-used caches, and thumbnails are decoded only when their
row is on screen. With 100,000 entries the model holds a few megabytes.

Each day (in the vault's time zone) starts with a header row ("Tuesday, 10 November
2026 · 14 entries") that the view spans across all columns and that cannot be selected,
so the keyboard moves from entry to entry. Entries whose time is unknown come last under
"Time unknown". Reads go through the vault's own connection on the GUI thread (WAL lets
an import write meanwhile through another one).
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTime,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPixmap

from nco_desktop.case.violations import possible_violation_ids
from nco_desktop.evidence.records import Direction, EntryKind, TimePrecision
from nco_desktop.timeline.paging import (
    RowPages,
    SortColumn,
    TimelineIndex,
    TimelineRow,
    TimelineSort,
    build_index,
)
from nco_desktop.timeline.query import TimelineQuery
from nco_desktop.ui.common.entry_mime import ENTRY_IDS_MIME, entry_ids_mime_data
from nco_desktop.ui.common.entry_words import call_summary, kind_name
from nco_desktop.ui.common.icons import icon
from nco_desktop.ui.common.thumbnails import decode_thumbnail
from nco_desktop.ui.timeline.timeline_words import (
    date_format,
    entries_text,
    kind_group_name,
    precision_sentence,
    time_source_sentence,
)
from nco_desktop.ui.timeline.timeline_words import translate as _tr
from nco_desktop.vault import Vault

_Index = QModelIndex | QPersistentModelIndex

THUMBNAIL_BOX = QSize(52, 30)  # fits a row; a phone screenshot stays recognisable
PRESENTED_CACHE = 2_048
THUMBNAIL_CACHE = 256


@dataclass(frozen=True)
class PresentedRow:
    """One entry formatted for the list, once, in the current locale and vault zone."""

    entry_id: int
    kind: str
    kind_name: str
    time_text: str
    time_tooltip: str
    approximate: bool
    who: str
    who_tooltip: str
    summary: str
    summary_tooltip: str
    thumbnail_blob_id: int | None


VIOLATION_RED = "#d93025"  # readable on light and dark rows


def read_timeline(
    vault: Vault, query: TimelineQuery, sort: TimelineSort | None = None
) -> tuple[TimelineIndex, set[int]]:
    """What a query shows: its ordered ids and day groups, and the entries flagged as
    possible order violations. Qt-free work, safe on a job's own connection."""
    zone = vault.time_zone
    index = build_index(vault.conn, query, zone, sort)
    return index, possible_violation_ids(vault.conn, zone)


class TimelineModel(QAbstractTableModel):
    KIND, TIME, PARTY, WHAT = range(4)
    EntryIdRole = Qt.ItemDataRole.UserRole + 1  # int | None
    IsHeaderRole = Qt.ItemDataRole.UserRole + 2  # bool
    ApproximateRole = Qt.ItemDataRole.UserRole + 3  # bool
    HeaderCountRole = Qt.ItemDataRole.UserRole + 4  # str: "· 14 entries" on a header row
    ViolationRole = Qt.ItemDataRole.UserRole + 5  # bool: a possible order violation

    loaded = Signal()  # a query finished: rows, counts and header rows are new

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._vault: Vault | None = None
        self._query = TimelineQuery()
        self._sort = TimelineSort()
        self._index = TimelineIndex.empty()
        self._pages: RowPages | None = None
        self._presented: OrderedDict[int, PresentedRow | None] = OrderedDict()
        self._thumbnails: OrderedDict[int, QPixmap | None] = OrderedDict()
        self._flagged: set[int] = set()
        self._zone = ZoneInfo("UTC")
        self._zone_name = "UTC"
        self._set_locale(QLocale())

    def _set_locale(self, locale: QLocale) -> None:
        self._locale = locale
        # The long time format ends in the *system* zone's name ("t"): not the vault's.
        long_format = locale.timeFormat(QLocale.FormatType.LongFormat)
        self._seconds_format = re.sub(r"\s*(?<!')\bt+\b(?!')", "", long_format).strip()

    # ----- the source --------------------------------------------------------------

    def set_vault(
        self, vault: Vault | None, query: TimelineQuery | None = None, *, load: bool = True
    ) -> None:
        """Show *vault* (None: forget every row, cached text and picture). Without
        *load*, the rows come later through :meth:`show_result` (a job reads them)."""
        self._vault = vault
        self._query = query or TimelineQuery()
        if load or vault is None:
            self.reload()

    @property
    def vault(self) -> Vault | None:
        """The vault this model reads, from the page's session while it is open."""
        return self._vault

    def set_query(self, query: TimelineQuery) -> None:
        self._query = query
        self.reload()

    def query(self) -> TimelineQuery:
        return self._query

    @property
    def timeline_sort(self) -> TimelineSort:
        """The order the next read uses (the header's sort indicator)."""
        return self._sort

    def set_timeline_sort(self, sort: TimelineSort, *, load: bool = True) -> None:
        self._sort = sort
        if load:
            self.reload()

    def sort_column(self, column: int) -> SortColumn | None:
        """What clicking the header of *column* sorts by (None: the What column, whose
        texts have no order a person would look for)."""
        return {
            self.KIND: SortColumn.KIND,
            self.TIME: SortColumn.TIME,
            self.PARTY: SortColumn.PARTY,
        }.get(column)

    def reload(self) -> None:
        """Run the query again (after an import, or a filter change), here and now."""
        if self._vault is None:
            self._show(TimelineIndex.empty(), set())
            return
        index, flagged = read_timeline(self._vault, self._query, self._sort)
        self._show(index, flagged)

    def show_result(self, query: TimelineQuery, index: TimelineIndex, flagged: set[int]) -> None:
        """Show what :func:`read_timeline` found for *query* on a worker's connection;
        rows are then read a page at a time on this model's own connection."""
        self._query = query
        self._sort = index.sort
        self._show(index, flagged)

    def _show(self, index: TimelineIndex, flagged: set[int]) -> None:
        self.beginResetModel()
        self._presented.clear()
        self._thumbnails.clear()
        self._flagged = flagged
        if self._vault is None:
            self._index = TimelineIndex.empty()
            self._pages = None
        else:
            self._zone = self._vault.time_zone
            self._zone_name = self._vault.time_zone_name
            self._set_locale(QLocale())
            self._index = index
            self._pages = RowPages(self._vault.conn, index.ids)
        self.endResetModel()
        self.loaded.emit()

    @property
    def timeline_index(self) -> TimelineIndex:
        return self._index

    @property
    def shown_count(self) -> int:
        return self._index.shown

    @property
    def total_count(self) -> int:
        return self._index.total

    def header_rows(self) -> list[int]:
        return list(self._index.header_rows)

    def entry_id(self, row: int) -> int | None:
        if not 0 <= row < self._index.row_count:
            return None
        _group, position = self._index.locate(row)
        return None if position is None else self._index.ids[position]

    def row_of_entry(self, entry_id: int) -> int | None:
        return self._index.row_of_entry(entry_id)

    def ids_in_rows(self, top: int, bottom: int) -> list[int]:
        return list(self._index.ids_in_rows(top, bottom))

    def full_times(self, entry_ids: Sequence[int]) -> list[str]:
        """Each shown entry's full date and time, as its Time tooltip starts
        ("Tuesday, 10 November 2026, 14:32:05 (CST, UTC−06:00, America/Chicago)")."""
        times = []
        for entry_id in entry_ids:
            position = self._index.position_of(entry_id)
            row = None if position is None else self._presented_row(position)
            if row is not None:
                times.append(row.time_tooltip.split("\n", 1)[0])
        return times

    def is_header(self, row: int) -> bool:
        return 0 <= row < self._index.row_count and self._index.locate(row)[1] is None

    def forget_pictures(self) -> None:
        """Drop decoded thumbnails and recoloured icons (after a palette change)."""
        self._thumbnails.clear()
        if self._index.row_count:
            self.dataChanged.emit(
                self.index(0, 0), self.index(self._index.row_count - 1, self.WHAT)
            )

    # ----- Qt model interface --------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt default
        return 0 if parent.isValid() else self._index.row_count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt default
        return 0 if parent.isValid() else 4

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid() or self.is_header(index.row()):
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )

    # A row dragged from the timeline carries its entry id only (see exhibit_mime): an
    # exhibit or an incident takes it; another program gets nothing of the evidence.

    def mimeTypes(self) -> list[str]:
        return [ENTRY_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        ids = (self.entry_id(index.row()) for index in indexes if index.isValid())
        return entry_ids_mime_data(list(dict.fromkeys(i for i in ids if i is not None)))

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation != Qt.Orientation.Horizontal:
            return None
        titles = (_tr("Kind"), _tr("Time"), _tr("Person"), _tr("What"))
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if section == self.KIND else titles[section]
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return titles[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        group, position = self._index.locate(index.row())
        if position is None:
            return self._header_data(group, index.column(), role)
        row = self._presented_row(position)
        if row is None:
            return _tr("(this entry was removed)") if role == Qt.ItemDataRole.DisplayRole else None
        column = index.column()
        if role == self.EntryIdRole:
            return row.entry_id
        if role == self.IsHeaderRole:
            return False
        if role == self.ApproximateRole:
            return row.approximate
        flagged = row.entry_id in self._flagged
        if role == self.ViolationRole:
            return flagged
        if flagged and column == self.PARTY:
            if role == Qt.ItemDataRole.DecorationRole:
                return icon("flag", QColor(VIOLATION_RED))
            if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
                plain = row.who_tooltip if role == Qt.ItemDataRole.ToolTipRole else row.who
                return (
                    plain
                    + "\n"
                    + _tr(
                        "Possible order violation: this came from the restrained person while "
                        "the order was in force."
                    )
                )
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.KIND:
                return row.kind_name if role == Qt.ItemDataRole.AccessibleTextRole else ""
            return (None, row.time_text, row.who, row.summary)[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return (row.kind_name, row.time_tooltip, row.who_tooltip, row.summary_tooltip)[column]
        if role == Qt.ItemDataRole.DecorationRole:
            if column == self.KIND:
                return icon(f"kind-{row.kind}")
            if column == self.WHAT and row.thumbnail_blob_id is not None:
                return self._thumbnail(row.thumbnail_blob_id)
            return None
        if role == Qt.ItemDataRole.FontRole and column == self.TIME and row.approximate:
            font = QFont(QGuiApplication.font())
            font.setItalic(True)
            return font
        return None

    # ----- rows ----------------------------------------------------------------------

    def _header_data(self, group: int, column: int, role: int) -> object:
        if role == self.IsHeaderRole:
            return True
        if column != self.KIND:
            return None
        day = self._index.groups[group]
        count = entries_text(day.count)
        if role == self.HeaderCountRole:
            return count
        title = self._day_title(day.day) if day.label is None else self._group_title(day.label)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return title
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{title} · {count}"
        return None

    def _group_title(self, label: str) -> str:
        """A group of a list sorted by kind ("Calls") or by person ("Sam Roe")."""
        if self._sort.column is SortColumn.KIND:
            return kind_group_name(label)
        return label or _tr("No person")

    def _day_title(self, day: date | None) -> str:
        if day is None:
            return _tr("Time unknown")
        return self._locale.toString(
            QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat
        )

    def _presented_row(self, position: int) -> PresentedRow | None:
        cached = self._presented.get(position, False)
        if cached is not False:
            self._presented.move_to_end(position)
            return cached  # type: ignore[return-value]
        assert self._pages is not None and self._vault is not None
        source = self._pages.row(position)
        presented = None if source is None else self._present(source)
        self._presented[position] = presented
        while len(self._presented) > PRESENTED_CACHE:
            self._presented.popitem(last=False)
        return presented

    def _present(self, row: TimelineRow) -> PresentedRow:
        entry = row.entry
        assert self._vault is not None
        moment = entry.local_time(self._zone)
        approximate = row.is_approximate
        time_text = self._time_text(moment, entry.time_precision, approximate)
        if moment is not None and not self._sort.by_day:  # no day headers to say the day
            day = self._locale.toString(
                QDate(moment.year, moment.month, moment.day), date_format(self._locale)
            )
            time_text = f"{day}, {time_text}"
        tooltip = [
            self._full_time(moment, entry.time_precision),
            time_source_sentence(entry.time_source),
        ]
        precision = precision_sentence(entry.time_precision)
        if precision and moment is not None:
            tooltip.append(precision)
        # The column shows the name when the export gave one; the number, written
        # however each export wrote it, is in the tooltip (who_tip) instead.
        who = entry.party_name or entry.party or ""
        if who and entry.direction == Direction.INCOMING:
            who_text, who_tip = _tr("From %1").replace("%1", who), _tr("Received from %1")
        elif who and entry.direction == Direction.OUTGOING:
            who_text, who_tip = _tr("To %1").replace("%1", who), _tr("Sent to %1")
        else:
            who_text, who_tip = who, "%1"
        if entry.kind == EntryKind.CALL:
            summary = call_summary(entry.call_type, entry.duration_s)
            summary_tip = summary
        elif entry.kind == EntryKind.EMAIL:  # listed by subject, as a mail program does
            subject = " ".join((row.subject or "").split())
            summary = subject or _tr("(no subject)")
            body = (entry.text or "").strip()
            if len(body) > 300:
                body = body[:300].rstrip() + " …"
            summary_tip = _tr("Subject: %1").replace("%1", subject or _tr("(no subject)"))
            if body:
                summary_tip += "\n\n" + body
        else:
            lines = (entry.text or "").strip().splitlines()
            summary = lines[0] if lines else (entry.original_name or _tr("(no text)"))
            summary_tip = (entry.text or entry.original_name or "").strip()
            if len(summary_tip) > 400:
                summary_tip = summary_tip[:400].rstrip() + " …"
        return PresentedRow(
            entry_id=entry.id,
            kind=entry.kind,
            kind_name=kind_name(entry.kind),
            time_text=time_text,
            time_tooltip="\n".join(tooltip),
            approximate=approximate,
            who=who_text,
            who_tooltip=who_tip.replace("%1", entry.who()) if who else "",
            summary=summary,
            summary_tooltip=summary_tip,
            thumbnail_blob_id=row.thumbnail_blob_id,
        )

    def _time_text(self, moment: datetime | None, precision: str, approximate: bool) -> str:
        if moment is None:
            return _tr("unknown")
        if precision == TimePrecision.DAY:
            text = _tr("day only")
        else:
            text = self._locale.toString(
                QTime(moment.hour, moment.minute, moment.second), QLocale.FormatType.ShortFormat
            )
        return f"≈ {text}" if approximate else text

    def _full_time(self, moment: datetime | None, precision: str) -> str:
        """'Tuesday, 10 November 2026, 14:32:05 (CST, UTC−06:00, America/Chicago)'."""
        if moment is None:
            return _tr("Time unknown")
        day = self._locale.toString(
            QDate(moment.year, moment.month, moment.day), QLocale.FormatType.LongFormat
        )
        if precision == TimePrecision.DAY:
            return day
        exact = precision in (TimePrecision.SECOND, TimePrecision.MILLISECOND)
        clock = self._locale.toString(
            QTime(moment.hour, moment.minute, moment.second),
            self._seconds_format
            if exact
            else self._locale.timeFormat(QLocale.FormatType.ShortFormat),
        )
        offset = moment.utcoffset()
        minutes = 0 if offset is None else int(offset.total_seconds() // 60)
        sign = "+" if minutes >= 0 else "−"
        hours, mins = divmod(abs(minutes), 60)
        zone = f"{moment.tzname()}, UTC{sign}{hours:02d}:{mins:02d}, {self._zone_name}"
        return f"{day}, {clock} ({zone})"

    def _thumbnail(self, blob_id: int) -> QPixmap | None:
        if blob_id in self._thumbnails:
            self._thumbnails.move_to_end(blob_id)
            return self._thumbnails[blob_id]
        pixmap = self._decode_thumbnail(blob_id)
        self._thumbnails[blob_id] = pixmap
        while len(self._thumbnails) > THUMBNAIL_CACHE:
            self._thumbnails.popitem(last=False)
        return pixmap

    def _decode_thumbnail(self, blob_id: int) -> QPixmap | None:
        if self._vault is None:
            return None
        return decode_thumbnail(self._vault.conn, blob_id, THUMBNAIL_BOX)
