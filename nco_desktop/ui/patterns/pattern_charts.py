"""Two pictures of a pattern, drawn with QPainter in the palette's colours.

Contacts per day (bars over time) and an hour-of-day × day-of-week heat map, with the
late-night hours marked and a key under it. They read in light and dark schemes because
every colour is taken from the palette (the highlight colour for the data, text colours
for labels); the heat map's key is drawn by the same colour rule as its squares.
"""

from __future__ import annotations

import math
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
from nco_desktop.ui.common.look import mix


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
        widest = max(
            metrics.horizontalAdvance(locale.toString(QDate(d.year, d.month, d.day), "d MMM"))
            for d, _ in self._days
        )
        label_every = max(1, math.ceil((widest + 14) / step))  # a gap between labels
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
                # Centred under its bar, kept inside the widget at both ends.
                centre = x + step / 2
                half = widest / 2 + 4
                centre = max(half, min(centre, self.width() - half))
                painter.drawText(
                    QRectF(centre - half, area.bottom() + 4, 2 * half, metrics.height()),
                    Qt.AlignmentFlag.AlignHCenter,
                    locale.toString(QDate(day.year, day.month, day.day), "d MMM"),
                )


def heat_colour(palette: QPalette, count: int, top: int) -> QColor:
    """The one rule for a square's colour, used by the cells and by their key alike, so
    the key can never say something the squares do not.

    No contacts: the window colour a shade towards the text, so the empty grid still
    shows on the page. Some: from the window towards the highlight colour, stronger with
    more. On a light palette that is darker, on a dark one brighter, which is why the
    key shows the shades rather than the words saying "darker".
    """
    window = palette.color(QPalette.ColorRole.Window)
    if count <= 0:
        return mix(window, palette.color(QPalette.ColorRole.WindowText), 0.08)
    share = 0.25 + 0.75 * min(count, top) / max(top, 1)
    return mix(window, palette.color(QPalette.ColorRole.Highlight), share)


def late_night_colour(palette: QPalette) -> QColor:
    """The red that outlines the late hours: stronger on light, softer on dark, 3:1 on
    the window either way."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return QColor("#f28b82" if dark else "#c5221f")


def key_counts(top: int) -> list[int]:
    """The counts the key shows a square for: none, one, and a few up to the most."""
    steps = {1, top, round(top / 4), round(top / 2), round(top * 3 / 4)}
    return [0, *sorted(n for n in steps if n >= 1)]


class HeatMap(QWidget):
    """Seven rows (Monday first) × 24 hours; a stronger colour = more contacts; the late
    hours outlined; and under it a key drawn with the very colours of the squares."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._heat = [[0] * 24 for _ in range(7)]
        self.setMinimumHeight(230)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName(self.tr("Contacts by hour of day and day of week"))
        self.setMouseTracking(True)

    def set_pattern(self, pattern: ContactPattern) -> None:
        self._heat = [list(row) for row in pattern.heat]
        busiest = [self.cell_words(d, h) for d in range(7) for h in range(24) if self._heat[d][h]]
        self.setAccessibleDescription("; ".join(busiest))
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(600, 250)

    @property
    def top(self) -> int:
        return max(max(row) for row in self._heat) or 1

    # ----- where things are --------------------------------------------------------------

    def _left(self) -> float:
        locale, metrics = QLocale(), self.fontMetrics()
        names = (locale.dayName(d, QLocale.FormatType.ShortFormat) for d in range(1, 8))
        return max(metrics.horizontalAdvance(name) for name in names) + 10.0

    def _area(self) -> QRectF:
        line = self.fontMetrics().height()
        # Below the squares: a row of hours, then the key.
        return QRectF(self.rect()).adjusted(self._left(), 4, -6, -(2 * line + 22))

    def cell_rect(self, weekday: int, hour: int) -> QRectF:
        """The square of *weekday* (0 = Monday) and *hour*, inside its grid lines."""
        area = self._area()
        cell_w, cell_h = area.width() / 24, area.height() / 7
        return QRectF(
            area.left() + hour * cell_w + 1,
            area.top() + weekday * cell_h + 1,
            cell_w - 2,
            cell_h - 2,
        )

    def cell_at(self, point: QPoint) -> tuple[int, int] | None:
        area = self._area()
        if not area.contains(point.toPointF()):
            return None
        hour = min(int((point.x() - area.left()) / (area.width() / 24)), 23)
        weekday = min(int((point.y() - area.top()) / (area.height() / 7)), 6)
        return weekday, hour

    def cell_words(self, weekday: int, hour: int) -> str:
        day = QLocale().dayName(weekday + 1, QLocale.FormatType.LongFormat)
        count = self._heat[weekday][hour]
        when = f"{day} {hour:02d}:00–{(hour + 1) % 24:02d}:00"
        return self.tr("%1: %n contacts", "", count).replace("%1", when)

    def key(self) -> list[tuple[QRectF, int | None, str]]:
        """The key under the squares: (where its swatch is, the count it stands for, its
        words); the last one, with no count, is the late-night outline."""
        metrics = self.fontMetrics()
        line = metrics.height()
        y = self.height() - line - 6.0
        x = self._left()
        side = float(line)
        items: list[tuple[QRectF, int | None, str]] = []
        label = self.tr("Contacts in an hour:")
        x += metrics.horizontalAdvance(label) + 10
        for count in key_counts(self.top):
            words = str(count)
            items.append((QRectF(x, y, side * 1.4, side), count, words))
            x += side * 1.4 + 5 + metrics.horizontalAdvance(words) + 14
        words = self.tr("late at night (22:00–06:00)")
        items.append((QRectF(x + 10, y, side * 1.4, side), None, words))
        return items

    # ----- drawing -----------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            cell = self.cell_at(event.pos())
            if cell is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.cell_words(*cell), self)
            return True
        return super().event(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.WindowText)
        quiet = QColor(text)
        quiet.setAlpha(150)
        late = late_night_colour(palette)
        metrics = painter.fontMetrics()
        locale = QLocale()
        left, area, top = self._left(), self._area(), self.top
        cell_w, cell_h = area.width() / 24, area.height() / 7
        for weekday in range(7):
            painter.setPen(quiet)
            painter.drawText(
                QRectF(0, area.top() + weekday * cell_h, left - 6, cell_h),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                locale.dayName(weekday + 1, QLocale.FormatType.ShortFormat),
            )
            for hour in range(24):
                count = self._heat[weekday][hour]
                painter.fillRect(self.cell_rect(weekday, hour), heat_colour(palette, count, top))
        # The late hours: one outline around each run of them, over all seven days.
        painter.setPen(QPen(late, 2))
        hour = 0
        while hour < 24:
            if not is_late_night(hour):
                hour += 1
                continue
            end = hour
            while end < 24 and is_late_night(end):
                end += 1
            painter.drawRect(
                QRectF(
                    area.left() + hour * cell_w, area.top(), (end - hour) * cell_w, area.height()
                )
            )
            hour = end
        painter.setPen(quiet)
        for hour in range(0, 24, 3):
            painter.drawText(
                QRectF(
                    area.left() + hour * cell_w, area.bottom() + 4, cell_w * 3, metrics.height()
                ),
                Qt.AlignmentFlag.AlignLeft,
                f"{hour:02d}:00",
            )
        self._paint_key(painter, palette, text, late)

    def _paint_key(self, painter: QPainter, palette: QPalette, text: QColor, late: QColor) -> None:
        metrics = painter.fontMetrics()
        items = self.key()
        first = items[0][0]
        label = self.tr("Contacts in an hour:")
        painter.setPen(text)
        left = first.left() - metrics.horizontalAdvance(label) - 10
        painter.drawText(
            QRectF(left, first.top(), first.left() - left, first.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            label,
        )
        edge = QColor(text)
        edge.setAlpha(90)
        for swatch, count, words in items:
            if count is None:
                painter.fillRect(swatch, heat_colour(palette, 0, 1))
                painter.setPen(QPen(late, 2))
                painter.drawRect(swatch.adjusted(1, 1, -1, -1))
            else:
                painter.fillRect(swatch, heat_colour(palette, count, self.top))
                painter.setPen(edge)
                painter.drawRect(swatch.adjusted(0, 0, -1, -1))
            painter.setPen(text)
            painter.drawText(
                QRectF(
                    swatch.right() + 5,
                    swatch.top(),
                    metrics.horizontalAdvance(words) + 4,
                    swatch.height(),
                ),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                words,
            )
