"""The Patterns view: one person's contacts over time and by hour, in numbers a judge
can follow — how many, how many late at night, how many after the order."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.case.people import Role, list_people, party_keys_for
from nco_desktop.case.violations import order_windows
from nco_desktop.timekeeping import from_ms
from nco_desktop.timeline.patterns import ContactPattern, contact_pattern, frequent_parties
from nco_desktop.ui.common.jobs import run_query
from nco_desktop.ui.common.session import Change, VaultSession, follow_session
from nco_desktop.ui.common.wheel_guard import guard_wheel
from nco_desktop.ui.patterns.pattern_charts import DailyChart, HeatMap
from nco_desktop.vault import Vault

#: A person to choose: their id (None for a number that is no one's yet), the party
#: keys their contacts carry, and (for a number) how many contacts it has.
Choice = tuple[int | None, list[str], int]
#: What one count gives: the pattern, the order's first day (marked), and whether an
#: order applies.
Counted = tuple[ContactPattern, date | None, bool]


def _choices(vault: Vault, _progress: object, _cancel: object) -> list[tuple[str, Choice]]:
    """Everyone to choose from: the people (restrained first), then the other numbers
    that contacted the user most. Qt-free: it may run on a job's connection."""
    covered: set[str] = set()
    found: list[tuple[str, Choice]] = []
    people = sorted(list_people(vault.conn), key=lambda p: p.role != Role.RESTRAINED)
    for person in people:
        keys = party_keys_for(vault.conn, person.id)
        covered |= keys
        found.append((person.name, (person.id, sorted(keys), 0)))
    for key, label, count in frequent_parties(vault.conn):
        if key not in covered:
            found.append((label, (None, [key], count)))
    return found


class PatternsPage(QWidget):
    #: Contacts counted per person, and the orders that mark the charts.
    SHOWS = Change.ENTRIES | Change.PEOPLE | Change.ORDERS

    show_days_requested = Signal(object, object)  # date, date: the workspace opens Timeline

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._list_serial = 0  # the newest people list asked for; older answers dropped
        self._count_serial = 0  # the newest count asked for; older answers dropped
        self.pattern: ContactPattern | None = None
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        outer.addWidget(scroll)
        body = QWidget(scroll)
        scroll.setWidget(body)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(20, 16, 20, 16)
        layout.setSpacing(10)

        bar = QHBoxLayout()
        self.person_box = QComboBox(body)
        self.person_box.setAccessibleName(self.tr("Whose contacts"))
        self.person_box.setMinimumWidth(260)
        self.incoming_box = QCheckBox(self.tr("Only contacts from them"), body)
        self.incoming_box.setChecked(True)
        self.incoming_box.setToolTip(
            self.tr("Leave this on to count what they sent and their calls, not your replies.")
        )
        person_label = QLabel(self.tr("Person"), body)
        person_label.setBuddy(self.person_box)
        bar.addWidget(person_label)
        bar.addWidget(self.person_box)
        bar.addSpacing(12)
        bar.addWidget(self.incoming_box)
        bar.addStretch(1)
        layout.addLayout(bar)

        self.summary = QLabel(body)
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.summary.font()
        font.setPointSizeF(font.pointSizeF() * 1.1)
        self.summary.setFont(font)
        layout.addWidget(self.summary)

        self.daily = DailyChart(body)
        self.heat = HeatMap(body)
        for title, chart, note in (
            (
                self.tr("Contacts per day"),
                self.daily,
                self.tr(
                    "A red line marks the day the order was served. Click a day (or choose "
                    "it with the arrow keys and press Enter) to see it in the timeline."
                ),
            ),
            (
                self.tr("By hour of day and day of week"),
                self.heat,
                self.tr(
                    "Each square is one hour of one weekday: the stronger its colour, the "
                    "more contacts (the key under the squares gives the numbers). Hours "
                    "outlined in red are late at night. Point at a square to see its count."
                ),
            ),
        ):
            heading = QLabel(title, body)
            heading_font = heading.font()
            heading_font.setBold(True)
            heading.setFont(heading_font)
            caption = QLabel(note, body)
            caption.setObjectName("quiet")
            caption.setWordWrap(True)
            layout.addWidget(heading)
            layout.addWidget(chart)
            layout.addWidget(caption)
        layout.addStretch(1)

        guard_wheel(self.person_box)  # scrolling the page must not change whose contacts
        self.daily.show_days_requested.connect(self.show_days_requested)
        self.person_box.currentIndexChanged.connect(self.recount)
        self.incoming_box.toggled.connect(self.recount)
        self._refresher = follow_session(
            self, session, shows=self.SHOWS, reload=self.refresh, reset=self._clear
        )

    @property
    def _vault(self) -> Vault | None:
        return self.session.vault

    def _clear(self) -> None:
        """Opened or locked: nothing of the last vault stays; counted when shown."""
        self._list_serial += 1
        self._count_serial += 1
        self.person_box.blockSignals(True)
        self.person_box.clear()
        self.person_box.blockSignals(False)
        self.recount()

    def refresh(self) -> None:
        """Fill the person list again (restrained people first), keeping the person
        chosen if they are still there, and count again. Who contacted the user most
        reads every entry (2 s on 100,000): a large vault's lists come from a job."""
        if self._vault is None:
            return
        self._list_serial += 1
        serial = self._list_serial
        run_query(
            self.session,
            _choices,
            on_success=lambda found: self._fill(serial, found),
        )

    def _fill(self, serial: int, found: list[tuple[str, Choice]]) -> None:
        if serial != self._list_serial or self._vault is None:
            return  # a newer read was asked for, or the vault locked
        chosen = self.person_box.currentData()
        self.person_box.blockSignals(True)
        self.person_box.clear()
        for name, choice in found:
            label = name if choice[0] is not None else self._contacts_label(name, choice)
            self.person_box.addItem(label, choice)
        for row in range(self.person_box.count()):
            if chosen is not None and self.person_box.itemData(row) == chosen:
                self.person_box.setCurrentIndex(row)
        self.person_box.blockSignals(False)
        self.recount()

    def _contacts_label(self, name: str, choice: Choice) -> str:
        count = choice[2]
        return self.tr("%1 (%n contacts)", "", count).replace("%1", name)

    def recount(self) -> None:
        data = self.person_box.currentData()
        self._count_serial += 1
        if self._vault is None or data is None:
            self._show(None, None)
            return
        person_id, keys, _count = data
        incoming_only = self.incoming_box.isChecked()
        serial = self._count_serial

        def count(vault: Vault, _progress: object, _cancel: object) -> Counted:
            zone = vault.time_zone
            starts = [
                w.start_ms for w in order_windows(vault.conn, zone) if w.person_id == person_id
            ]
            order_start = min(starts) if starts and person_id is not None else None
            pattern = contact_pattern(
                vault.conn,
                zone,
                set(keys),
                incoming_only=incoming_only,
                order_start_ms=order_start,
            )
            marker = None if order_start is None else from_ms(order_start).astimezone(zone).date()
            return pattern, marker, order_start is not None

        run_query(
            self.session,
            count,
            on_success=lambda counted: self._show(serial, counted),
        )

    def _show(self, serial: int | None, counted: Counted | None) -> None:
        if serial is not None and serial != self._count_serial:
            return  # the person or the filter changed again meanwhile
        if counted is None:
            self.pattern = None
            self.summary.setText(
                "" if self._vault is None else self.tr("No calls or messages yet.")
            )
            self.daily.set_pattern(ContactPattern())
            self.heat.set_pattern(ContactPattern())
            return
        pattern, marker, has_order = counted
        self.pattern = pattern
        self.daily.set_pattern(pattern, marker)
        self.heat.set_pattern(pattern)
        self.summary.setText(self._summary(pattern, has_order))

    def _summary(self, pattern: ContactPattern, has_order: bool) -> str:
        if not pattern.total:
            return self.tr("No calls or messages with this person.")
        parts = [
            self.tr("%n contacts in all", "", pattern.total),
            self.tr("%n late at night (22:00–06:00)", "", pattern.late_night),
        ]
        if has_order:
            parts.append(self.tr("%n after the order was served", "", pattern.after_order))
        busiest = pattern.busiest_day
        if busiest is not None:
            parts.append(
                self.tr("most in one day: %1 on %2")
                .replace("%1", str(busiest[1]))
                .replace("%2", busiest[0].strftime("%d %b %Y").lstrip("0"))
            )
        if pattern.time_unknown:
            parts.append(self.tr("%n with no known time (not drawn)", "", pattern.time_unknown))
        return " · ".join(parts)
