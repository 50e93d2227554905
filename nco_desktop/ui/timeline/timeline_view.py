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
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    Qt,
)
from PySide6.QtGui import QFocusEvent, QFont, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from nco_desktop.ui.timeline.timeline_model import TimelineModel

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


class TimelineDelegate(QStyledItemDelegate):
    """Day header rows as bands; entry cells as Qt draws them."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        if not index.data(TimelineModel.IsHeaderRole):
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


class PinnedDayBand(QWidget):
    """The day of the top row, pinned over the list while scrolling through a long day."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.title = ""
        self.count = ""
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def paintEvent(self, event: QEvent) -> None:
        painter = QPainter(self)
        paint_day_band(
            painter, self.rect(), self.palette(), self.font(), self.title, self.count, air=0
        )
        painter.end()


class TimelineView(QTableView):
    """A table that moves by rows: Home and End go to the first and last entry (a plain
    table only moves between columns), and the keys start at the first entry."""

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


def date_format(locale: QLocale) -> str:
    """The month as a word ("Nov 3, 2025" or "3 Nov 2025"): 3/11 means two different
    days on two sides of the Atlantic, and this date decides what the filter shows."""
    short = locale.dateFormat(QLocale.FormatType.ShortFormat)
    if "MMM" in short:
        return short
    month_first = short.find("M") < short.find("d")
    return "MMM d, yyyy" if month_first else "d MMM yyyy"


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
