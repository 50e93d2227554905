"""The lists of the Exhibits view: exhibits, an exhibit's items, and evidence to add.

Each is a :class:`IdListView` over a small model whose rows carry ids
(:mod:`nco_desktop.ui.exhibits.exhibit_models`), drawn by the delegates below. The view does
its own drag and drop instead of Qt's "copy the rows, then delete the originals" —
the rows mirror the vault, so a drop only *reports* what the user asked for
(:attr:`IdListView.rows_moved`, :attr:`IdListView.entries_dropped`); the page saves it
in one audited change and reloads. Everything a drag does has a key as well: Alt+Up and
Alt+Down move the chosen rows (:attr:`IdListView.step_requested`), Delete removes them.

Drops accept two formats only: the list's own (a reorder within it) and
:data:`~nco_desktop.ui.common.entry_mime.ENTRY_IDS_MIME` (entries from elsewhere). Anything
else — files from the desktop in particular — is ignored here, so it reaches the main
window, which imports files.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import (
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QDrag,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QIcon,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from nco_desktop.ui.common.entry_mime import ENTRY_IDS_MIME, decode_ids
from nco_desktop.ui.common.widgets import shorten
from nco_desktop.ui.exhibits.exhibit_models import (
    ID_ROLE,
    LINES_ROLE,
    NOTE_ROLE,
    THUMBNAIL_BOX,
    WARNING_ROLE,
)

_Index = QModelIndex | QPersistentModelIndex
_PAD = 6


# ----- the view --------------------------------------------------------------------------


class IdListView(QListView):
    """A list whose drags and keys ask for changes rather than making them.

    *own_reader* reads a reorder within this list from a drag's data (None: the list
    is not reordered by drag). *drop_on_rows*: entries dropped on a row go *into* that
    row (the exhibits list); otherwise they are inserted between rows (an exhibit's
    items). *accepts_entries*: whether entries may be dropped here at all.
    """

    step_requested = Signal(int)  # Alt+Up (-1) or Alt+Down (+1) on the chosen rows
    delete_requested = Signal()  # Delete or Backspace on the chosen rows
    rows_moved = Signal(list, int)  # ids dragged within the list, the row they go before
    entries_dropped = Signal(list, int)  # entry ids; the row dropped on or before

    def __init__(
        self,
        *,
        own_reader: Callable[[QMimeData], list[int] | None] | None = None,
        drop_on_rows: bool = False,
        accepts_entries: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._own_reader = own_reader
        self._drop_on_rows = drop_on_rows
        self._accepts_entries = accepts_entries
        self._hover_row = -1
        self.placeholder = ""  # said in the empty list ("No items yet …")
        self.setDragEnabled(True)
        receives = own_reader is not None or accepts_entries
        self.setAcceptDrops(receives)
        self.viewport().setAcceptDrops(receives)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(
            QAbstractItemView.DragDropMode.DragDrop
            if receives
            else QAbstractItemView.DragDropMode.DragOnly
        )
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(True)

    # ----- reading a drop --------------------------------------------------------------

    def _own_ids(self, data: QMimeData) -> list[int] | None:
        return None if self._own_reader is None else self._own_reader(data)

    def _entry_ids(self, data: QMimeData) -> list[int] | None:
        if not self._accepts_entries or not data.hasFormat(ENTRY_IDS_MIME):
            return None
        return decode_ids(data.data(ENTRY_IDS_MIME))

    def drop_row(self, pos: QPoint) -> int:
        """The row a drop at *pos* goes before (the row count below the last row)."""
        index = self.indexAt(pos)
        if not index.isValid():
            return self.model().rowCount()
        rect = self.visualRect(index)
        return index.row() + (1 if pos.y() >= rect.center().y() else 0)

    # ----- drag and drop ---------------------------------------------------------------

    def startDrag(self, supportedActions: Qt.DropAction) -> None:
        """Drag the chosen rows' ids; the rows stay where they are until the page has
        saved the change (Qt's own drag would delete them after a move)."""
        indexes = sorted(
            (i for i in self.selectedIndexes() if i.flags() & Qt.ItemFlag.ItemIsDragEnabled),
            key=lambda i: i.row(),
        )
        if not indexes:
            return
        drag = QDrag(self)
        drag.setMimeData(self.model().mimeData(indexes))
        drag.setPixmap(self._drag_pixmap(indexes))
        drag.exec(Qt.DropAction.MoveAction | Qt.DropAction.CopyAction, Qt.DropAction.MoveAction)

    def _drag_pixmap(self, indexes: list[QModelIndex]) -> QPixmap:
        """A small tag under the pointer: the first row's first line, and how many."""
        lines = indexes[0].data(LINES_ROLE) or ("",)
        text = shorten(str(lines[0]), 48)
        if len(indexes) > 1:
            text += "  (+" + str(len(indexes) - 1) + ")"
        metrics = self.fontMetrics()
        size = QSize(metrics.horizontalAdvance(text) + 20, metrics.height() + 12)
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(size * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        painter.setBrush(palette.color(QPalette.ColorRole.Highlight))
        painter.setPen(Qt.PenStyle.NoPen)
        painter.drawRoundedRect(QRect(QPoint(0, 0), size), 6, 6)
        painter.setPen(palette.color(QPalette.ColorRole.HighlightedText))
        painter.drawText(QRect(QPoint(0, 0), size), Qt.AlignmentFlag.AlignCenter, text)
        painter.end()
        return pixmap

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        data = event.mimeData()
        if self._own_ids(data) is not None or self._entry_ids(data) is not None:
            super().dragEnterEvent(event)
            event.accept()
        else:
            event.ignore()  # files and anything else: the window's business

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        data = event.mimeData()
        if self._own_ids(data) is not None:
            self._set_hover(-1)
            super().dragMoveEvent(event)  # Qt draws the line between rows
            event.setDropAction(Qt.DropAction.MoveAction)
            event.accept()
            return
        if self._entry_ids(data) is None:
            self._set_hover(-1)
            event.ignore()
            return
        if self._drop_on_rows:
            index = self.indexAt(event.position().toPoint())
            self._set_hover(index.row() if index.isValid() else -1)
            if not index.isValid():
                event.ignore()
                return
        else:
            super().dragMoveEvent(event)
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._set_hover(-1)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """Report the drop; the page saves it. The drop action is reported as a copy,
        so a drag that started here never deletes rows afterwards."""
        self._set_hover(-1)
        self.stopAutoScroll()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()
        data = event.mimeData()
        pos = event.position().toPoint()
        own = self._own_ids(data)
        if own is not None:
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            self.rows_moved.emit(own, self.drop_row(pos))
            return
        entries = self._entry_ids(data)
        if entries is None:
            event.ignore()
            return
        if self._drop_on_rows:
            index = self.indexAt(pos)
            if not index.isValid():
                event.ignore()
                return
            row = index.row()
        else:
            row = self.drop_row(pos)
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.entries_dropped.emit(entries, row)

    def _set_hover(self, row: int) -> None:
        if row != self._hover_row:
            self._hover_row = row
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if self.placeholder and model is not None and model.rowCount() == 0:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.viewport().rect().adjusted(16, 16, -16, -16),
                Qt.AlignmentFlag.AlignHCenter
                | Qt.AlignmentFlag.AlignTop
                | Qt.TextFlag.TextWordWrap,
                self.placeholder,
            )
            painter.end()
        if self._hover_row < 0:
            return
        index = self.model().index(self._hover_row, 0)
        if not index.isValid():
            return
        painter = QPainter(self.viewport())
        pen = QPen(self.palette().color(QPalette.ColorRole.Highlight), 2)
        painter.setPen(pen)
        painter.drawRoundedRect(self.visualRect(index).adjusted(1, 1, -2, -2), 4, 4)
        painter.end()

    # ----- keys ------------------------------------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        plain = mods & ~Qt.KeyboardModifier.KeypadModifier
        if plain == Qt.KeyboardModifier.AltModifier and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.step_requested.emit(-1 if key == Qt.Key.Key_Up else 1)
            event.accept()
            return
        if plain == Qt.KeyboardModifier.NoModifier and key in (
            Qt.Key.Key_Delete,
            Qt.Key.Key_Backspace,
        ):
            self.delete_requested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def selected_ids(self) -> list[int]:
        """The chosen rows' ids, top to bottom."""
        rows = sorted({i.row() for i in self.selectedIndexes()})
        model = self.model()
        return [int(model.index(r, 0).data(ID_ROLE)) for r in rows]

    def select_ids(self, ids: Sequence[int], current: int | None = None) -> None:
        """Choose the rows of *ids* (after a reload), the current one on *current*."""
        model = self.model()
        selection = self.selectionModel()
        wanted = set(ids)
        selection.clearSelection()
        flags = QItemSelectionModel.SelectionFlag.Select
        for row in range(model.rowCount()):
            index = model.index(row, 0)
            if index.data(ID_ROLE) in wanted:
                selection.select(index, flags)
            if current is not None and index.data(ID_ROLE) == current:
                selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
                self.scrollTo(index)


# ----- delegates -------------------------------------------------------------------------


def _colours(option: QStyleOptionViewItem) -> tuple[QColor, QColor]:
    selected = bool(option.state & QStyle.StateFlag.State_Selected)
    palette = option.palette
    text = palette.color(
        QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
    )
    soft = palette.color(
        QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
    )
    return text, soft


def _background(painter: QPainter, option: QStyleOptionViewItem) -> None:
    widget = option.widget
    style = widget.style() if widget is not None else QApplication.style()
    style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget)


def _elide(painter: QPainter, text: str, width: int) -> str:
    return painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, max(0, width))


class ExhibitRowDelegate(QStyledItemDelegate):
    """Three lines per exhibit: its label, its title, and how many items from when; an
    exhibit with no items has a warning sign and says what it would print."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        line = option.fontMetrics.lineSpacing()
        return QSize(200, line * 3 + 2 * _PAD + 4)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        lines = index.data(LINES_ROLE)
        if not lines:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        label, title, detail = lines
        painter.save()
        _background(painter, option)
        text, soft = _colours(option)
        rect = option.rect.adjusted(10, _PAD, -10, -_PAD)
        line = option.fontMetrics.lineSpacing()
        warn = bool(index.data(WARNING_ROLE))
        sign = 0
        if warn:
            widget = option.widget
            style = widget.style() if widget is not None else QApplication.style()
            side = min(line, 18)
            pixmap = style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning).pixmap(side)
            painter.drawPixmap(rect.right() - side, rect.y() + (line - side) // 2, pixmap)
            sign = side + 6
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text)
        top = QRect(rect.x(), rect.y(), rect.width() - sign, line)
        painter.drawText(top, Qt.AlignmentFlag.AlignLeft, _elide(painter, label, top.width()))
        painter.setFont(option.font)
        middle = QRect(rect.x(), rect.y() + line, rect.width(), line)
        painter.drawText(middle, Qt.AlignmentFlag.AlignLeft, _elide(painter, title, rect.width()))
        painter.setPen(soft)
        bottom = QRect(rect.x(), rect.y() + 2 * line, rect.width(), line)
        painter.drawText(bottom, Qt.AlignmentFlag.AlignLeft, _elide(painter, detail, rect.width()))
        painter.restore()


class EntryRowDelegate(QStyledItemDelegate):
    """Two lines per entry beside its picture or kind icon: when and who, then what."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        line = option.fontMetrics.lineSpacing()
        return QSize(200, max(line * 2, THUMBNAIL_BOX.height()) + 2 * _PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        lines = index.data(LINES_ROLE)
        if not lines:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        first, second = lines
        painter.save()
        _background(painter, option)
        text, soft = _colours(option)
        rect = option.rect.adjusted(8, _PAD, -8, -_PAD)
        box = QRect(rect.x(), rect.y(), THUMBNAIL_BOX.width(), rect.height())
        picture = index.data(Qt.ItemDataRole.DecorationRole)
        if isinstance(picture, QPixmap) and not picture.isNull():
            ratio = picture.devicePixelRatio() or 1.0
            w, h = int(picture.width() / ratio), int(picture.height() / ratio)
            painter.drawPixmap(
                box.x() + (box.width() - w) // 2, box.y() + (box.height() - h) // 2, picture
            )
        elif isinstance(picture, QIcon):
            side = 20
            picture.paint(
                painter,
                QRect(
                    box.x() + (box.width() - side) // 2,
                    box.y() + (box.height() - side) // 2,
                    side,
                    side,
                ),
            )
        left = box.right() + 10
        width = rect.right() - left
        line = option.fontMetrics.lineSpacing()
        top_y = rect.y() + (rect.height() - 2 * line) // 2
        # The note goes at the end of the second line: the first line's date and time
        # must stay whole, and the second is a summary that is elided anyway.
        note = str(index.data(NOTE_ROLE) or "")
        note_width = 0
        painter.setFont(option.font)
        if note:
            note_width = painter.fontMetrics().horizontalAdvance(note) + 12
            painter.setPen(soft)
            painter.drawText(
                QRect(left, top_y + line, width, line), Qt.AlignmentFlag.AlignRight, note
            )
        painter.setPen(text)
        painter.drawText(
            QRect(left, top_y + line, width - note_width, line),
            Qt.AlignmentFlag.AlignLeft,
            _elide(painter, second, width - note_width),
        )
        strong = QFont(option.font)
        strong.setWeight(QFont.Weight.DemiBold)
        painter.setFont(strong)
        painter.drawText(
            QRect(left, top_y, width, line),
            Qt.AlignmentFlag.AlignLeft,
            _elide(painter, first, width),
        )
        painter.restore()
