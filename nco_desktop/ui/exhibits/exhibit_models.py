"""What the Exhibits view's lists show: rows and models over exhibits and entries.

Rows carry ids and the few words a delegate draws (:data:`LINES_ROLE`), read from the
vault in pages so a 10,000-item exhibit costs a few queries, and thumbnails decoded from
memory only. The models give drags their data — ids only, in the list's own format for
a reorder and :data:`~nco_desktop.ui.common.entry_mime.ENTRY_IDS_MIME` for entries — and the
readers below take a reorder back, strictly, since drag data may come from any program.
The views that show them are in :mod:`nco_desktop.ui.exhibits.exhibit_lists`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from PySide6.QtCore import (
    QAbstractListModel,
    QByteArray,
    QCoreApplication,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import (
    QPixmap,
)
from PySide6.QtWidgets import (
    QWidget,
)

from nco_desktop.binder.exhibits import ExhibitOverview
from nco_desktop.evidence.records import Direction, EntryKind
from nco_desktop.timekeeping import from_ms
from nco_desktop.timeline.paging import PAGE_SIZE, load_rows
from nco_desktop.ui.common.entry_mime import (
    ENTRY_IDS_MIME,
    MAX_DRAGGED_IDS,
    decode_ids,
    encode_ids,
    valid_ids,
)
from nco_desktop.ui.common.entry_words import call_summary, kind_name
from nco_desktop.ui.common.icons import icon
from nco_desktop.ui.common.thumbnails import decode_thumbnail
from nco_desktop.ui.common.widgets import short_time, shorten
from nco_desktop.vault.connection import Connection

_Index = QModelIndex | QPersistentModelIndex

#: A reorder of exhibits within their list: a JSON array of exhibit ids.
EXHIBIT_IDS_MIME = "application/x-nco-exhibit-ids"
#: A reorder of one exhibit's items: {"exhibit": id, "entries": [ids]}.
EXHIBIT_ITEMS_MIME = "application/x-nco-exhibit-items"

ID_ROLE = Qt.ItemDataRole.UserRole + 1  # int: the exhibit's or the entry's id
LINES_ROLE = Qt.ItemDataRole.UserRole + 2  # tuple[str, ...]: what the delegate draws
NOTE_ROLE = Qt.ItemDataRole.UserRole + 3  # str: a quiet note at the end of line two
WARNING_ROLE = Qt.ItemDataRole.UserRole + 4  # bool: draw the line in warning style

THUMBNAIL_BOX = QSize(48, 40)


def _tr(text: str) -> str:
    return QCoreApplication.translate("ExhibitLists", text)


def items_text(count: int) -> str:
    """'1 item', '12 items' (Qt picks plural forms only from a translation file)."""
    return _tr("1 item") if count == 1 else _tr("%1 items").replace("%1", f"{count:,}")


def pages_text(count: int) -> str:
    """'1 page', '12 pages'."""
    return _tr("1 page") if count == 1 else _tr("%1 pages").replace("%1", f"{count:,}")


def date_span_words(first_ms: int | None, last_ms: int | None, zone: ZoneInfo) -> str:
    """'Nov 2 – Nov 20, 2026', 'Nov 2, 2026', or 'dates unknown', in the vault's zone."""
    if first_ms is None or last_ms is None:
        return _tr("dates unknown")
    first = from_ms(first_ms).astimezone(zone).date()
    last = from_ms(last_ms).astimezone(zone).date()
    if first == last:
        return f"{first:%b} {first.day}, {first.year}"
    if first.year == last.year:
        return f"{first:%b} {first.day} – {last:%b} {last.day}, {last.year}"
    return f"{first:%b} {first.day}, {first.year} – {last:%b} {last.day}, {last.year}"


# ----- rows ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExhibitRow:
    """One exhibit as its list shows it."""

    id: int
    label: str  # "Pet. Ex. 3"
    title: str
    detail: str  # "12 items · Nov 2 – Nov 20, 2026"
    empty: bool  # no items: the binder would print a divider with nothing behind it


def exhibit_rows(
    overviews: Sequence[ExhibitOverview],
    label: Callable[[int], str],
    zone: ZoneInfo,
    built_pages: Callable[[int], int | None] = lambda _id: None,
) -> list[ExhibitRow]:
    """The exhibits' rows in binder order, each labelled by ``label(place)`` — the labels
    depend on the style and prefix as shown, not on anything in the exhibit — with the
    pages each took in the last build, when there was one (``built_pages(id)``)."""
    rows = []
    for index, overview in enumerate(overviews):
        if overview.item_count:
            detail = items_text(overview.item_count) + " · "
            detail += date_span_words(overview.first_ms, overview.last_ms, zone)
        else:
            detail = _tr("No items yet")
        pages = built_pages(overview.id)
        if pages is not None:
            detail = f"{pages_text(pages)} · {detail}"
        rows.append(
            ExhibitRow(overview.id, label(index), overview.title, detail, overview.item_count == 0)
        )
    return rows


@dataclass(frozen=True)
class EntryRow:
    """One timeline entry as an exhibit's list (or the evidence list) shows it."""

    id: int
    kind: str
    time_text: str  # in the vault's zone; "≈ …" when approximate
    who: str  # "From Jordan Blake", "To …", or the party
    excerpt: str  # the first line, a call's summary, or the file's name
    tooltip: str
    thumbnail_blob_id: int | None


def present_entries(conn: Connection, ids: Sequence[int], zone: ZoneInfo) -> list[EntryRow]:
    """Rows for *ids*, in that order; ids no longer in the vault are left out."""
    found = {}
    for start in range(0, len(ids), PAGE_SIZE):
        found.update(load_rows(conn, ids[start : start + PAGE_SIZE]))
    rows: list[EntryRow] = []
    for entry_id in ids:
        row = found.get(entry_id)
        if row is None:
            continue
        entry = row.entry
        moment: datetime | None = entry.local_time(zone)
        when = short_time(moment) if moment is not None else _tr("time unknown")
        if row.is_approximate and moment is not None:
            when = f"≈ {when}"
        name = entry.party_name or entry.party or ""
        if name and entry.direction == Direction.INCOMING:
            who = _tr("From %1").replace("%1", name)
        elif name and entry.direction == Direction.OUTGOING:
            who = _tr("To %1").replace("%1", name)
        else:
            who = name
        if entry.kind == EntryKind.CALL:
            excerpt = call_summary(entry.call_type, entry.duration_s)
        else:
            lines = (entry.text or "").strip().splitlines()
            excerpt = lines[0].strip() if lines else (entry.original_name or _tr("(no text)"))
        tooltip = "\n".join(
            part
            for part in (
                f"{kind_name(entry.kind)} · {when}",
                entry.who(),
                shorten((entry.text or entry.original_name or "").strip(), 300),
            )
            if part
        )
        rows.append(
            EntryRow(
                entry.id,
                entry.kind,
                when,
                who,
                shorten(excerpt, 160),
                tooltip,
                row.thumbnail_blob_id,
            )
        )
    return rows


# ----- models ----------------------------------------------------------------------------


class ExhibitListModel(QAbstractListModel):
    """The exhibits in binder order; a drag carries their ids for a reorder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ExhibitRow] = []

    def set_rows(self, rows: list[ExhibitRow]) -> None:
        """Show *rows*; the same exhibits in the same order are updated in place, so a
        click arriving while a title is saved still lands on the row it was aimed at."""
        if [r.id for r in rows] == [r.id for r in self._rows] and rows:
            self._rows = rows
            self.dataChanged.emit(self.index(0), self.index(len(rows) - 1))
            return
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def rows(self) -> list[ExhibitRow]:
        return list(self._rows)

    def ids(self) -> list[int]:
        return [r.id for r in self._rows]

    def row_of(self, exhibit_id: int | None) -> int:
        return next((n for n, r in enumerate(self._rows) if r.id == exhibit_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt default
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == ID_ROLE:
            return row.id
        if role == LINES_ROLE:
            return (row.label, row.title, row.detail)
        if role == WARNING_ROLE:
            return row.empty
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{row.label}: {row.title} ({row.detail})"
        if role == Qt.ItemDataRole.ToolTipRole:
            tip = f"{row.label}\n{row.title}\n{row.detail}"
            if row.empty:
                tip += "\n" + _tr("With no items, the binder would print an empty divider page.")
            return tip
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        return (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )

    def mimeTypes(self) -> list[str]:
        return [EXHIBIT_IDS_MIME, ENTRY_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        data = QMimeData()
        rows = sorted({i.row() for i in indexes if i.isValid()})
        data.setData(EXHIBIT_IDS_MIME, encode_ids([self._rows[r].id for r in rows]))
        return data

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction


class EntryListModel(QAbstractListModel):
    """Entries with their kind icon or thumbnail: an exhibit's items, or evidence to add.

    *own_mime* set (an exhibit's items): a drag carries the ids in that format too, for
    a reorder within the list, tagged with the exhibit the rows belong to.
    """

    def __init__(self, own_mime: str | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._own_mime = own_mime
        self._rows: list[EntryRow] = []
        self._notes: dict[int, str] = {}
        self._thumbnails: dict[int, QPixmap | None] = {}
        self._conn: Connection | None = None
        self.exhibit_id: int | None = None  # whose items these are (own_mime only)

    def set_rows(
        self, conn: Connection | None, rows: list[EntryRow], notes: dict[int, str] | None = None
    ) -> None:
        self.beginResetModel()
        if conn is not self._conn:
            self._thumbnails.clear()
        self._conn = conn
        self._rows = rows
        self._notes = notes or {}
        self.endResetModel()

    def set_notes(self, notes: dict[int, str]) -> None:
        """Change only the quiet notes ("✓ in this exhibit"), keeping rows and choice."""
        self._notes = notes
        if self._count():
            self.dataChanged.emit(self.index(0), self.index(self._count() - 1))

    def clear(self) -> None:
        """Forget every row and decoded picture (locking)."""
        self.set_rows(None, [])
        self._thumbnails.clear()
        self.exhibit_id = None

    def forget_pictures(self) -> None:
        """Drop decoded thumbnails and recoloured icons (after a palette change)."""
        self._thumbnails.clear()
        if self._count():
            self.dataChanged.emit(self.index(0), self.index(self._count() - 1))

    def ids(self) -> list[int]:
        return [r.id for r in self._rows]

    def row_of(self, entry_id: int) -> int:
        return next((n for n, r in enumerate(self._rows) if r.id == entry_id), -1)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt default
        return 0 if parent.isValid() else self._count()

    def _count(self) -> int:
        return len(self._rows)

    def _id_at(self, position: int) -> int:
        return self._rows[position].id

    def _row_at(self, position: int) -> EntryRow | None:
        """The row at *position* (a paged model reads it here, when first shown)."""
        return self._rows[position]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < self._count():
            return None
        if role == ID_ROLE:
            return self._id_at(index.row())
        row = self._row_at(index.row())
        if row is None:
            return None
        if role == LINES_ROLE:
            return (row.time_text, f"{row.who}: {row.excerpt}" if row.who else row.excerpt)
        if role == NOTE_ROLE:
            return self._notes.get(row.id, "")
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            parts = (kind_name(row.kind), row.time_text, row.who, row.excerpt)
            note = self._notes.get(row.id)
            return " · ".join(p for p in (*parts, note) if p)
        if role == Qt.ItemDataRole.ToolTipRole:
            return row.tooltip
        if role == Qt.ItemDataRole.DecorationRole:
            if row.thumbnail_blob_id is not None:
                picture = self._thumbnail(row.thumbnail_blob_id)
                if picture is not None:
                    return picture
            return icon(f"kind-{row.kind}")
        return None

    def _thumbnail(self, blob_id: int) -> QPixmap | None:
        if blob_id not in self._thumbnails:
            if len(self._thumbnails) > 512:
                self._thumbnails.clear()
            conn = self._conn
            self._thumbnails[blob_id] = (
                None if conn is None else decode_thumbnail(conn, blob_id, THUMBNAIL_BOX)
            )
        return self._thumbnails[blob_id]

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled if self._own_mime else Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled
        )

    def mimeTypes(self) -> list[str]:
        return [self._own_mime, ENTRY_IDS_MIME] if self._own_mime else [ENTRY_IDS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes if i.isValid()})
        ids = [self._id_at(r) for r in rows]
        data = QMimeData()
        data.setData(ENTRY_IDS_MIME, encode_ids(ids))
        if self._own_mime:
            payload = {"exhibit": self.exhibit_id, "entries": ids}
            data.setData(self._own_mime, QByteArray(json.dumps(payload).encode("ascii")))
        return data

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction | Qt.DropAction.CopyAction


def exhibit_ids_from_mime(data: QMimeData) -> list[int] | None:
    """The exhibit ids of a reorder within the exhibits list, else None."""
    if not data.hasFormat(EXHIBIT_IDS_MIME):
        return None
    return decode_ids(data.data(EXHIBIT_IDS_MIME))


def own_items_from_mime(data: QMimeData, exhibit_id: int | None) -> list[int] | None:
    """The entry ids of a reorder within *exhibit_id*'s item list, else None."""
    if exhibit_id is None or not data.hasFormat(EXHIBIT_ITEMS_MIME):
        return None
    raw = bytes(data.data(EXHIBIT_ITEMS_MIME).data())
    if len(raw) > 16 * MAX_DRAGGED_IDS:
        return None
    try:
        payload = json.loads(raw.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None
    if not isinstance(payload, dict) or payload.get("exhibit") != exhibit_id:
        return None
    return valid_ids(payload.get("entries"))
