"""Two pictures of a pattern, drawn with QPainter in the palette's colours.

Contacts per day (bars over time) and an hour-of-day × day-of-week heat map, with the
late-night hours marked. They read in light and dark schemes because every colour is
taken from the palette (the highlight colour for the data, text colours for labels).
"""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from nco_desktop.timeline.patterns import ContactPattern, is_late_night


def _palette_colour(widget: QWidget, role: QPalette.ColorRole) -> QColor:
    return widget.palette().color(role)


class DailyChart(QWidget):
    """Bars: contacts per day, from the first to the last day with any."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._days: list[tuple[date, int]] = []
        self._marker: date | None = None
        self.setMinimumHeight(160)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setAccessibleName(self.tr("Contacts per day"))

    def set_pattern(self, pattern: ContactPattern, marker: date | None = None) -> None:
        self._days = []
        if pattern.per_day:
            first, last = min(pattern.per_day), max(pattern.per_day)
            day = first
            while day <= last:
                self._days.append((day, pattern.per_day.get(day, 0)))
                day += timedelta(days=1)
        self._marker = marker
        described = ", ".join(f"{d.isoformat()}: {n}" for d, n in self._days if n)
        self.setAccessibleDescription(described)
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(600, 180)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = _palette_colour(self, QPalette.ColorRole.WindowText)
        bar = _palette_colour(self, QPalette.ColorRole.Highlight)
        quiet = QColor(text)
        quiet.setAlpha(110)
        metrics = painter.fontMetrics()
        area = QRectF(self.rect()).adjusted(36, 10, -10, -(metrics.height() + 10))
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
