"""A date or time typed as words, with what it was read as shown right under it.

Why not Qt's date-time edits (issue #13): they take keystrokes one section at a time,
so "Dec 10, 2026 9:30 AM" typed into a hearing became 2:30 AM and "12/1/2017" was
dropped, without a word. This field takes the text whole and reads it with
:func:`nco_desktop.typed_dates.read_typed` in the vault's zone and day order, then
says under it what it understood ("Thursday, Dec 10, 2026, 9:30 AM CST") — or, once
the user has finished typing, why it cannot read it, in the error colour. An editor
asks :meth:`TypedDateField.check` before it saves, so a misread value is never saved:
the field gets the focus and its reason stays on screen.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.typed_dates import (
    Understood,
    Unreadable,
    Want,
    day_first_for,
    examples,
    read_typed,
    typed_text,
)

#: The refusal's colour on a light and on a dark window: both at least 4.5:1 (WCAG AA)
#: against the palettes' window colours (the style sheet's #c0392b is not, on dark).
ERROR_ON_LIGHT = "#b3261e"
ERROR_ON_DARK = "#ff8a80"


class TypedDateField(QWidget):
    """A line to type a date (or a date and time, or a time) and the reading under it.

    Empty means "not known" (or *empty_words*) unless *required*. Values are wall-clock
    times in the vault's zone, as the services take them.
    """

    edited = Signal()  # the text changed, typed by the user or set by the program

    def __init__(
        self,
        name: str,
        want: Want,
        parent: QWidget | None = None,
        *,
        required: bool = False,
        placeholder: str = "",
        empty_words: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.want = want
        self.required = required
        self._name = name
        self._zone = ZoneInfo("UTC")
        self._day_first = False
        self._today: date | None = None
        self._on: date | None = None
        self._placeholder = placeholder
        self._empty_words = empty_words
        self._finished = True  # show a refusal only once the user stops typing
        self._problem_shown = False

        self.line = QLineEdit(self)
        self.line.setAccessibleName(name)
        self.line.setClearButtonEnabled(True)
        for button in self.line.findChildren(QToolButton):  # the clear button, by name
            button.setAccessibleName(self.tr("Clear %1").replace("%1", name))
        width = self.line.fontMetrics().horizontalAdvance("Wed, Dec 10, 2026 11:30 PM ")
        self.line.setMinimumWidth(width + 24)
        self.line.setMaximumWidth(width * 3 // 2 + 24)
        self.reading = QLabel(self)
        self.reading.setObjectName("typedDateReading")
        self.reading.setWordWrap(True)
        self.reading.setTextFormat(Qt.TextFormat.PlainText)
        self.reading.setAccessibleName(self.tr("%1, as understood").replace("%1", name))
        self.reading.setMinimumHeight(self.reading.fontMetrics().lineSpacing())
        self._row = QHBoxLayout()
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(8)
        self._row.addWidget(self.line, 1)
        self._row.addStretch(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(self._row)
        layout.addWidget(self.reading)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setFocusProxy(self.line)
        self.line.textChanged.connect(self._typed)
        self.line.editingFinished.connect(self._finish)
        self._placeholders()
        self._refresh()

    def add_beside(self, widget: QWidget) -> None:
        """Put *widget* (a unit, a zone's name) right of the line; the reading stays
        under both, as wide as the field."""
        self._row.insertWidget(self._row.count() - 1, widget)

    # ----- context -----------------------------------------------------------------------

    def set_zone(self, zone: ZoneInfo, *, today: date | None = None) -> None:
        """Read in *zone*, with its day order (:func:`~nco_desktop.typed_dates.
        day_first_for`); *today* for "today" and two-digit years (tests pin it)."""
        self._zone = zone
        self._day_first = day_first_for(zone)
        self._today = today
        self._placeholders()
        self._refresh()

    def set_on(self, day: date | None) -> None:
        """The day a time-only field belongs to, so its zone's abbreviation is right."""
        if day != self._on:
            self._on = day
            self._refresh()

    def set_empty_words(self, words: str | None) -> None:
        """What the reading says while the field is empty (default: "Not known")."""
        self._empty_words = words
        self._refresh()

    @property
    def day_first(self) -> bool:
        return self._day_first

    # ----- values ------------------------------------------------------------------------

    def text(self) -> str:
        return self.line.text().strip()

    def set_text(self, text: str) -> None:
        """Put *text* in as if typed and finished (the reading shows at once)."""
        self.line.setText(text)
        self._finish()

    def set_value(self, value: date | datetime | time | None) -> None:
        """Show a stored value (None: empty) in a form that reads back to it."""
        self.set_text("" if value is None else typed_text(value, day_first=self._day_first))

    def clear(self) -> None:
        self.set_text("")

    def understood(self) -> Understood | None:
        """The reading; None when empty; raises :class:`Unreadable` with the reason."""
        if not self.text():
            if self.required:
                raise Unreadable(
                    self.tr("%1: type it, e.g. %2.")
                    .replace("%1", self._name)
                    .replace("%2", examples(self.want, day_first=self._day_first))
                )
            return None
        return read_typed(
            self.text(),
            self._zone,
            day_first=self._day_first,
            want=self.want,
            today=self._today,
            on=self._on,
        )

    def problem(self) -> str:
        """Why the text cannot be saved, in words; "" when it can."""
        try:
            self.understood()
        except Unreadable as refusal:
            return str(refusal)
        return ""

    def day(self) -> date | None:
        """The day typed; None when empty or unreadable (see :meth:`problem`)."""
        found = self.read()
        return found.day if found else None

    def moment(self) -> datetime | None:
        """The day and time typed; None when empty, unreadable or without a time."""
        found = self.read()
        return found.moment() if found else None

    def clock(self) -> time | None:
        found = self.read()
        return found.clock if found else None

    def check(self) -> bool:
        """Before a save: True if the text reads; else show why, take the focus, False."""
        reason = self.problem()
        if not reason:
            return True
        self._finished = True
        self._refresh()
        self.line.setFocus(Qt.FocusReason.OtherFocusReason)
        self.line.selectAll()
        return False

    # ----- internals ---------------------------------------------------------------------

    def read(self) -> Understood | None:
        """The reading; None when empty or unreadable (see :meth:`problem`)."""
        try:
            return self.understood()
        except Unreadable:
            return None

    def _typed(self) -> None:
        self._finished = False
        self._refresh()
        self.edited.emit()

    def _finish(self) -> None:
        self._finished = True
        self._refresh()

    def _placeholders(self) -> None:
        tries = examples(self.want, day_first=self._day_first).replace(" or ", "  ·  ")
        hint = self._placeholder or self.tr("e.g. %1").replace("%1", tries)
        self.line.setPlaceholderText(hint)

    def _refresh(self) -> None:
        text = self.text()
        problem = False
        if not text:
            words = "" if self.required else self._empty_words or self.tr("Not known")
        else:
            try:
                found = self.understood()
            except Unreadable as refusal:
                problem = self._finished
                words = str(refusal) if self._finished else ""
            else:
                words = found.sentence() if found else ""
        self._problem_shown = problem
        self.reading.setText(words)
        self.line.setAccessibleDescription(words)
        self._paint()

    def _paint(self) -> None:
        label = self.reading
        label.setProperty("quiet", not self.text() and not self._problem_shown)
        if self._problem_shown:
            label.setStyleSheet(f"QLabel {{ color: {self.error_colour()}; font-weight: bold; }}")
        else:
            label.setStyleSheet("")
        label.style().unpolish(label)
        label.style().polish(label)

    def error_colour(self) -> str:
        """The refusal's colour for the window's palette now (light or dark)."""
        window = self.palette().color(QPalette.ColorRole.Window)
        return ERROR_ON_DARK if window.lightness() < 128 else ERROR_ON_LIGHT

    def changeEvent(self, event: QEvent) -> None:
        """The OS switched light and dark: the refusal's colour follows."""
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._paint()
        super().changeEvent(event)

    def is_problem_shown(self) -> bool:
        """True while a refusal is on screen (tests and editors read it)."""
        return self._problem_shown
