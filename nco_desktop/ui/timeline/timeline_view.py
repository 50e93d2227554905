"""How the timeline list looks and moves: day bands, the pinned day, row-wise keys.

Kept apart from :mod:`timeline_page` (filters, queries, selection), which only
arranges these parts.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QDate,
    QEvent,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QPointF,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from nco_desktop.timeline.paging import SortColumn, TimelineSort
from nco_desktop.timeline.search_matches import match_ranges
from nco_desktop.ui.timeline.timeline_model import TimelineModel

#: Behind a search's matches: a marker yellow with near-black text on it, legible on a
#: light row, a dark row and a selected row alike (the palette has no such colour).
MATCH_BACKGROUND = QColor("#ffd54f")
MATCH_TEXT = QColor("#1a1a1a")

ROW_HEIGHT = 34
PINNED_HEIGHT = ROW_HEIGHT - 6


def paint_day_band(
    painter: QPainter,
    rect: QRect,
    palette: QPalette,
    font: QFont,
    title: str,
    count: str,
    air: int = 6,
) -> None:
    """A day header: a tinted band with the day in bold and the count beside it; *air*
    pixels above it separate it from the day before."""
    painter.save()
    # Header rows cannot be selected, so Qt hands over a disabled palette: draw active.
    palette = QPalette(palette)
    palette.setCurrentColorGroup(QPalette.ColorGroup.Active)
    band = rect.adjusted(0, air, 0, 0)
    painter.fillRect(rect, palette.color(QPalette.ColorRole.Base))
    painter.fillRect(band, palette.color(QPalette.ColorRole.Window))
    painter.setPen(palette.color(QPalette.ColorRole.Mid))
    painter.drawLine(band.bottomLeft(), band.bottomRight())
    bold = QFont(font)
    bold.setBold(True)
    painter.setFont(bold)
    painter.setPen(palette.color(QPalette.ColorRole.WindowText))
    text_rect = band.adjusted(10, 0, -10, 0)
    flags = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
    painter.drawText(text_rect, flags, title)
    advance = painter.fontMetrics().horizontalAdvance(title + "  ")
    painter.setFont(font)
    painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
    painter.drawText(text_rect.adjusted(advance, 0, 0, 0), flags, "· " + count)
    painter.restore()


def searched_words(model: TimelineModel, column: int) -> tuple[str | None, ...]:
    """The words the current filters looked for in *column*: the person filter in the
    Person column, the text filter in What (a search box's words in both)."""
    query = model.query()
    if column == TimelineModel.PARTY:
        return (query.party, query.words)
    if column == TimelineModel.WHAT:
        return (query.text, query.words)
    return ()


class TimelineDelegate(QStyledItemDelegate):
    """Day header rows as bands; entry cells as Qt draws them, with the words searched
    for marked where they appear."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if not index.data(TimelineModel.IsHeaderRole):
            model = index.model()
            words = (
                searched_words(model, index.column()) if isinstance(model, TimelineModel) else ()
            )
            if not any(words) or not self._paint_marked(painter, option, index, words):
                super().paint(painter, option, index)
            return
        paint_day_band(
            painter,
            option.rect,
            option.palette,
            option.font,
            str(index.data(Qt.ItemDataRole.DisplayRole) or ""),
            str(index.data(TimelineModel.HeaderCountRole) or ""),
        )

    def _paint_marked(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
        words: tuple[str | None, ...],
    ) -> bool:
        """Draw the cell as Qt would, then its text with the matches marked; False
        (nothing drawn) when the cell shows no match. The text is laid out with
        QTextLayout from the plain string: nothing of the evidence is read as markup."""
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        text = item.text
        if not match_ranges(text, words):
            return False
        widget = item.widget
        style = widget.style() if widget is not None else QApplication.style()
        text_rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, item, widget)
        item.text = ""
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, widget)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, widget) + 1
        rect = text_rect.adjusted(margin, 0, -margin, 0)
        shown = QFontMetrics(item.font).elidedText(text, Qt.TextElideMode.ElideRight, rect.width())
        marked = QTextCharFormat()
        marked.setBackground(MATCH_BACKGROUND)
        marked.setForeground(MATCH_TEXT)
        ranges = []
        for start, length in match_ranges(shown, words):
            span = QTextLayout.FormatRange()
            span.start, span.length, span.format = start, length, marked
            ranges.append(span)
        layout = QTextLayout(shown, item.font)
        layout.setFormats(ranges)
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(max(rect.width(), 1))
        layout.endLayout()
        selected = bool(item.state & QStyle.StateFlag.State_Selected)
        active = bool(item.state & QStyle.StateFlag.State_Active)
        group = QPalette.ColorGroup.Active if active else QPalette.ColorGroup.Inactive
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setClipRect(rect)
        painter.setPen(item.palette.color(group, role))
        top = rect.top() + (rect.height() - line.height()) / 2
        layout.draw(painter, QPointF(rect.left(), top))
        painter.restore()
        return True


class PinnedDayBand(QWidget):
    """The day of the top row, pinned over the list while scrolling through a long day
    (or the kind or person, in a list sorted by them)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.title = ""
        self.count = ""
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def follow(self, view: QTableView, model: TimelineModel) -> None:
        """Name the group of *view*'s top row, hidden while its real header shows."""
        row = view.rowAt(0)
        if row < 0 or not model.rowCount():
            self.hide()
            return
        if model.is_header(row) and view.rowViewportPosition(row) >= 0:
            self.hide()  # the real header is in view, fully
            return
        group, _position = model.timeline_index.locate(row)
        header_index = model.index(model.timeline_index.header_rows[group], 0)
        self.title = str(header_index.data(Qt.ItemDataRole.DisplayRole) or "")
        self.count = str(header_index.data(TimelineModel.HeaderCountRole) or "")
        self.setGeometry(0, 0, view.viewport().width(), PINNED_HEIGHT)
        self.show()
        self.raise_()
        self.update()

    def keep_clear(self, view: QTableView, current: QModelIndex) -> None:
        """Moving up with the keyboard must not leave the current row under the band."""
        if not current.isValid() or not self.isVisible():
            return
        top = view.visualRect(current).top()
        if 0 <= top < PINNED_HEIGHT:
            bar = view.verticalScrollBar()
            bar.setValue(bar.value() - (PINNED_HEIGHT - top))

    def paintEvent(self, event: QEvent) -> None:
        painter = QPainter(self)
        paint_day_band(
            painter, self.rect(), self.palette(), self.font(), self.title, self.count, air=0
        )
        painter.end()


class TimelineView(QTableView):
    """A table that moves by rows: Home and End go to the first and last entry (a plain
    table only moves between columns), and the keys start at the first entry. The
    right button, the Menu key and Shift+F10 ask for the rows' menu."""

    menu_requested = Signal(QPoint)  # where to show it, in the viewport's coordinates
    sort_chosen = Signal(object)  # TimelineSort: a column's title was clicked

    def __init__(self, model: TimelineModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setItemDelegate(TimelineDelegate(self))
        self.setAccessibleName(self.tr("Timeline"))
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        # Shift/Ctrl+click, Shift+arrows, Ctrl+A: the menu's actions take them all.
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Drag an entry onto Exhibits or Incidents in the navigation, then into an
        # exhibit or an incident's evidence (the workspace opens the view on the way).
        self.setDragEnabled(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setTabKeyNavigation(False)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.setCornerButtonEnabled(False)
        self.setIconSize(QSize(20, 20))
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        columns = self.horizontalHeader()
        columns.setHighlightSections(False)
        # A click on a title sorts (the page reads again in that order; see show_sort).
        columns.setSectionsClickable(True)
        columns.setSortIndicatorShown(True)
        columns.setSortIndicator(TimelineModel.TIME, Qt.SortOrder.AscendingOrder)
        columns.setToolTip(self.tr("Click a column's title to sort by it; again to reverse"))
        columns.setSectionResizeMode(TimelineModel.KIND, QHeaderView.ResizeMode.Fixed)
        columns.setSectionResizeMode(TimelineModel.WHAT, QHeaderView.ResizeMode.Stretch)
        columns.resizeSection(TimelineModel.KIND, 34)
        columns.resizeSection(TimelineModel.TIME, 96)
        columns.resizeSection(TimelineModel.PARTY, 190)
        self._sort = TimelineSort()
        columns.sortIndicatorChanged.connect(self._sort_clicked)

    def choose_sort(self, sort: TimelineSort) -> None:
        """Sort by *sort*, as a click on its column's title does."""
        if sort != self._sort:
            self.show_sort(sort)
            self.sort_chosen.emit(sort)

    def _sort_clicked(self, section: int, order: Qt.SortOrder) -> None:
        model = self.model()
        column = model.sort_column(section) if isinstance(model, TimelineModel) else None
        if column is None:  # What: no order; the arrow stays where it was
            self.show_sort(self._sort)
            return
        self.choose_sort(TimelineSort(column, order == Qt.SortOrder.DescendingOrder))

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            self.menu_requested.emit(self.viewport().mapFrom(self, event.pos()))
        else:
            self.menu_requested.emit(self._keyboard_menu_point())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        shift_f10 = event.key() == Qt.Key.Key_F10 and bool(
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        )
        if shift_f10 or event.key() == Qt.Key.Key_Menu:
            self.menu_requested.emit(self._keyboard_menu_point())
            event.accept()
            return
        super().keyPressEvent(event)

    def show_sort(self, sort: TimelineSort) -> None:
        """Put the header's arrow on *sort*, quietly (the page has already read it);
        without day headers the Time column shows the day too, so it widens."""
        self._sort = sort
        header = self.horizontalHeader()
        sample = "Wed, Nov 30, 2026, 12:59 PM" if not sort.by_day else ""
        width = self.fontMetrics().horizontalAdvance(sample) + 24 if sample else 96
        header.resizeSection(TimelineModel.TIME, width)
        header.blockSignals(True)
        order = Qt.SortOrder.DescendingOrder if sort.descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(section_of(sort.column), order)
        header.blockSignals(False)

    def _keyboard_menu_point(self) -> QPoint:
        """Under the current row's time (where the eye is), or the list's top corner."""
        current = self.currentIndex()
        if current.isValid():
            rect = self.visualRect(current.siblingAtColumn(TimelineModel.TIME))
            if self.viewport().rect().intersects(rect):
                return rect.bottomLeft()
        return QPoint(8, 8)

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        model = self.model()
        if not self.currentIndex().isValid() and model.rowCount() > 1:
            first = 0
            while first < model.rowCount() and not model.flags(model.index(first, 0)):
                first += 1
            return model.index(first, 0) if first < model.rowCount() else QModelIndex()
        if action in (
            QAbstractItemView.CursorAction.MoveHome,
            QAbstractItemView.CursorAction.MoveEnd,
        ):
            modifiers |= Qt.KeyboardModifier.ControlModifier
        return super().moveCursor(action, modifiers)

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Qt puts an unselected current index on the first entry when the list gets
        the focus; then the first Down would skip that entry. With nothing chosen, the
        first key chooses the first entry instead (see :meth:`moveCursor`)."""
        super().focusInEvent(event)
        selection = self.selectionModel()
        if selection is not None and not selection.hasSelection():
            selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.NoUpdate)


def section_of(column: SortColumn) -> int:
    """The list column whose title sorts by *column*."""
    return {
        SortColumn.KIND: TimelineModel.KIND,
        SortColumn.TIME: TimelineModel.TIME,
        SortColumn.PARTY: TimelineModel.PARTY,
    }[column]


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
