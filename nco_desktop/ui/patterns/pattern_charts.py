"""Two pictures of a pattern, drawn with QPainter in the palette's colours.

Contacts per day (bars over time) and an hour-of-day × day-of-week heat map, with the
late-night hours marked. They read in light and dark schemes because every colour is
taken from the palette (the highlight colour for the data, text colours for labels).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QEvent, QLocale, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QMenu, QSizePolicy, QToolTip, QWidget

from nco_desktop.timeline.patterns import ContactPattern, is_late_night


def _palette_colour(widget: QWidget, role: QPalette.ColorRole) -> QColor:
    return widget.palette().color(role)


class DailyChart(QWidget):
    """Bars: contacts per day, from the first to the last day with any.

    A day is chosen by clicking its bar or with the arrow keys (Home, End); a click,
    Enter, or the menu (right button, Menu key, Shift+F10) shows that day's entries in
    the timeline. Hovering a bar says its day and count.
    """

    show_days_requested = Signal(object, object)  # first and last date to show

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._days: list[tuple[date, int]] = []
        self._marker: date | None = None
        self.chosen: int | None = None  # the day chosen (an index into the days)
        self.open_menu: QMenu | None = None  # the menu last popped up
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName(self.tr("Contacts per day"))
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)

    def set_pattern(self, pattern: ContactPattern, marker: date | None = None) -> None:
        self._days = []
        if pattern.per_day:
            first, last = min(pattern.per_day), max(pattern.per_day)
            day = first
            while day <= last:
                self._days.append((day, pattern.per_day.get(day, 0)))
                day += timedelta(days=1)
        self._marker = marker
        self.chosen = None
        described = ", ".join(f"{d.isoformat()}: {n}" for d, n in self._days if n)
        self.setAccessibleDescription(described)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(600, 180)

    # ----- choosing a day ----------------------------------------------------------------

    def _area(self) -> QRectF:
        height = self.fontMetrics().height()
        return QRectF(self.rect()).adjusted(36, 10, -10, -(height + 10))

    def day_at(self, point: QPoint) -> int | None:
        """The day under *point* (an index into the days), or None."""
        area = self._area()
        if not self._days or not area.left() <= point.x() < area.right():
            return None
        step = area.width() / len(self._days)
        return min(int((point.x() - area.left()) / step), len(self._days) - 1)

    def day_words(self, index: int) -> str:
        day, count = self._days[index]
        when = QLocale().toString(
            QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat
        )
        return self.tr("%1: %n contacts", "", count).replace("%1", when)

    def choose(self, index: int | None) -> None:
        if index is not None and self._days:
            index = max(0, min(index, len(self._days) - 1))
            self.setAccessibleDescription(self.day_words(index))
        self.chosen = index
        self.update()

    def show_chosen(self) -> None:
        if self.chosen is not None and self._days:
            day = self._days[self.chosen][0]
            self.show_days_requested.emit(day, day)

    def show_all(self) -> None:
        if self._days:
            self.show_days_requested.emit(self._days[0][0], self._days[-1][0])

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self.day_at(event.position().toPoint())
        if index is not None:
            self.choose(index)
            if event.button() == Qt.MouseButton.LeftButton:
                self.show_chosen()
        super().mousePressEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, count = Qt.Key(event.key()), len(self._days)
        current = self.chosen
        moves = {
            Qt.Key.Key_Left: (current if current is not None else count) - 1,
            Qt.Key.Key_Right: (current if current is not None else -1) + 1,
            Qt.Key.Key_Home: 0,
            Qt.Key.Key_End: count - 1,
        }
        if count and key in moves:
            self.choose(moves[key])
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.show_chosen()
        elif key == Qt.Key.Key_Menu or (
            key == Qt.Key.Key_F10 and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self._menu(self.mapToGlobal(QPoint(int(self._area().left()), self.height() // 2)))
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Mouse:
            index = self.day_at(event.pos())
            if index is not None:
                self.choose(index)
        self._menu(event.globalPos())
        event.accept()

    def _menu(self, where: QPoint) -> None:
        if not self._days:
            return
        menu = QMenu(self)
        if self.chosen is not None:
            day = self._days[self.chosen][0]
            words = QLocale().toString(QDate(day.year, day.month, day.day), "d MMM yyyy")
            menu.addAction(
                self.tr("Show %1 in the timeline").replace("%1", words), self.show_chosen
            )
        menu.addAction(self.tr("Show all these days in the timeline"), self.show_all)
        menu.aboutToHide.connect(menu.deleteLater)
        self.open_menu = menu
        menu.popup(where)

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.day_at(event.pos())
            if index is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.day_words(index), self)
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = _palette_colour(self, QPalette.ColorRole.WindowText)
        bar = _palette_colour(self, QPalette.ColorRole.Highlight)
        quiet = QColor(text)
        quiet.setAlpha(110)
        metrics = painter.fontMetrics()
        area = self._area()
        if not self._days:
            painter.setPen(quiet)
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, self.tr("No contacts"))
            return
        top = max(n for _, n in self._days) or 1
        painter.setPen(quiet)
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        painter.drawText(
            QRectF(0, area.top() - 2, 32, metrics.height()),
            Qt.AlignmentFlag.AlignRight,
            str(top),
        )
        painter.drawText(
            QRectF(0, area.bottom() - metrics.height(), 32, metrics.height()),
            Qt.AlignmentFlag.AlignRight,
            "0",
        )
        step = area.width() / len(self._days)
        locale = QLocale()
        label_every = max(1, int(metrics.horizontalAdvance("00 Mmm") * 1.6 / step))
        for i, (day, count) in enumerate(self._days):
            x = area.left() + i * step
            height = area.height() * count / top
            if self._marker is not None and day == self._marker:
                painter.setPen(QColor("#d93025"))
                painter.drawLine(int(x), int(area.top()), int(x), int(area.bottom()))
            painter.fillRect(
                QRectF(x + step * 0.15, area.bottom() - height, max(1.0, step * 0.7), height),
                bar,
            )
            if i == self.chosen:  # the day chosen: outlined (thicker with the focus)
                outline = QPen(text, 2 if self.hasFocus() else 1)
                painter.setPen(outline)
                painter.drawRect(QRectF(x + 1, area.top(), max(2.0, step - 2), area.height()))
            if i % label_every == 0:
                painter.setPen(quiet)
                painter.drawText(
                    QRectF(x - 20, area.bottom() + 4, 80, metrics.height()),
                    Qt.AlignmentFlag.AlignLeft,
                    locale.toString(QDate(day.year, day.month, day.day), "d MMM"),
                )


class HeatMap(QWidget):
    """Seven rows (Monday first) × 24 hours; darker = more contacts; late hours marked."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._heat = [[0] * 24 for _ in range(7)]
        self.setMinimumHeight(190)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName(self.tr("Contacts by hour of day and day of week"))

    def set_pattern(self, pattern: ContactPattern) -> None:
        self._heat = [list(row) for row in pattern.heat]
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(600, 210)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        text = _palette_colour(self, QPalette.ColorRole.WindowText)
        base = _palette_colour(self, QPalette.ColorRole.Base)
        hot = _palette_colour(self, QPalette.ColorRole.Highlight)
        quiet = QColor(text)
        quiet.setAlpha(130)
        metrics = painter.fontMetrics()
        locale = QLocale()
        left = (
            max(
                metrics.horizontalAdvance(locale.dayName(d, QLocale.FormatType.ShortFormat))
                for d in range(1, 8)
            )
            + 10
        )
        area = QRectF(self.rect()).adjusted(left, 4, -6, -(metrics.height() + 8))
        cell_w, cell_h = area.width() / 24, area.height() / 7
        top = max(max(row) for row in self._heat) or 1
        for weekday in range(7):
            painter.setPen(quiet)
            painter.drawText(
                QRectF(0, area.top() + weekday * cell_h, left - 6, cell_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                locale.dayName(weekday + 1, QLocale.FormatType.ShortFormat),
            )
            for hour in range(24):
                count = self._heat[weekday][hour]
                cell = QRectF(
                    area.left() + hour * cell_w + 1,
                    area.top() + weekday * cell_h + 1,
                    cell_w - 2,
                    cell_h - 2,
                )
                colour = QColor(base)
                if count:
                    share = 0.2 + 0.8 * count / top
                    colour = QColor(
                        round(base.red() + (hot.red() - base.red()) * share),
                        round(base.green() + (hot.green() - base.green()) * share),
                        round(base.blue() + (hot.blue() - base.blue()) * share),
                    )
                painter.fillRect(cell, colour)
                if is_late_night(hour):
                    painter.setPen(QColor(217, 48, 37, 90))
                    painter.drawRect(cell)
        painter.setPen(quiet)
        for hour in range(0, 24, 3):
            painter.drawText(
                QRectF(
                    area.left() + hour * cell_w, area.bottom() + 4, cell_w * 3, metrics.height()
                ),
                Qt.AlignmentFlag.AlignLeft,
                f"{hour:02d}:00",
            )
