"""A band above the views when something in the case needs attention soon.

A hearing or an order's expiry within two weeks, and how many contacts came from the
restrained person while an order was in force. Deadlines are the one thing a person
under stress must not miss, so they are said plainly and before anything else.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QLocale, Qt, QTime
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from nco_desktop.case.violations import possible_violation_ids, upcoming_deadlines
from nco_desktop.ui.common.icons import icon
from nco_desktop.vault import Vault


class CaseBanner(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseBanner")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(14, 8, 14, 8)
        self._picture = QLabel(self)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self._picture, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.text, 1)
        self.hide()

    def refresh(self, vault: Vault | None, today: date | None = None) -> None:
        """Say what is near for *vault*; hide when nothing is (or when locked)."""
        if vault is None:
            self.text.clear()
            self.hide()
            return
        zone = vault.time_zone
        today = today or datetime.now(zone).date()
        lines = [
            self._deadline_line(d.what, d.days_left(today), d.day, d.at, d.order.court)
            for d in upcoming_deadlines(vault.conn, today)
        ]
        flagged = len(possible_violation_ids(vault.conn, zone))
        if flagged:
            lines.append(
                self.tr(
                    "One contact came from the restrained person while an order was in "
                    "force. It is flagged on the timeline as a possible violation."
                )
                if flagged == 1
                else self.tr(
                    "%n contacts came from the restrained person while an order was in "
                    "force. They are flagged on the timeline as possible violations.",
                    "",
                    flagged,
                )
            )
        self.text.setText("\n".join(lines))
        self._picture.setPixmap(icon("nav-incidents").pixmap(22, 22))
        self.setVisible(bool(lines))

    def _deadline_line(
        self, what: str, days: int, day: date, at: datetime | None, court: str
    ) -> str:
        locale = QLocale()
        when = locale.toString(QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat)
        if at is not None:
            clock = QTime(at.hour, at.minute)
            when += ", " + locale.toString(clock, QLocale.FormatType.ShortFormat)
        if days <= 1:
            soon = self.tr("today") if days == 0 else self.tr("tomorrow")
        else:
            soon = self.tr("in %n days", "", days)
        if what == "hearing":
            text = self.tr("Hearing %1: %2").replace("%1", soon).replace("%2", when)
            return text + (f" — {court}" if court else "")
        return (
            self.tr("The order ends %1: %2. Ask the court about an extension if you still need it.")
            .replace("%1", soon)
            .replace("%2", when)
        )
