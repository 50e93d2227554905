"""The binder's cover details and the private details kept out of the other side's copy.

Saved whole through :func:`nco_desktop.case.details.save_case_details` — one audited
change — with Save (Ctrl+S), before every build, and when the window locks. A save the
service refuses keeps every word on screen with the reason beside the button.

When the hearing is empty and an order in the vault has one, a link offers it (and the
order's court and case number, if those are empty too). Nothing is filled in unasked:
the cover is the user's statement to the court.

The hearing's day and time are typed as people write them and read in the vault's zone
(:class:`~nco_desktop.ui.common.typed_date_field.TypedDateField` shows the reading under
each); they are saved in the cover's own words ("Thursday, December 10, 2026",
"9:30 AM"), so what prints is what was understood. A time typed with the day goes to
the time; one that cannot be read, or two that disagree, stop the save with the reason.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.case.details import CASE_FIELDS, case_fields, private_details, save_case_details
from nco_desktop.case.hearing import hearing_words, offered_hearing
from nco_desktop.case.orders import Order
from nco_desktop.timekeeping import clock_time, long_date
from nco_desktop.typed_dates import Unreadable, Want
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.typed_date_field import TypedDateField
from nco_desktop.ui.common.wheel_guard import guard_wheel
from nco_desktop.ui.common.widgets import bold, plain_label, quiet
from nco_desktop.vault import Vault

Values = tuple[tuple[str, ...], tuple[str, ...]]  # the fields in CASE_FIELDS order, private


class CaseDetailsForm(QWidget):
    #: The user began a list of private details where there was none (typed or pasted;
    #: not sent when a vault's saved details are shown).
    private_details_begun = Signal()
    saved = Signal()  # the details were saved (the window may show a new case title)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault: Vault | None = None
        self._loaded: Values | None = None
        self._order: Order | None = None
        self._filling = False
        self._private_listed = False  # as the field shows now
        self.setAccessibleName(self.tr("Cover of the binder"))

        heading = bold(QLabel(self.tr("Cover of the binder"), self), 1.1)
        intro = quiet(
            plain_label(
                self.tr(
                    "Copy these from your court papers. Leave blank what you do not know; "
                    "the cover shows a gap you can fill in by hand."
                ),
                self,
                selectable=False,
            )
        )
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        words = {
            "title": (self.tr("Case &name"), self.tr("e.g. Doe v. Roe")),
            "court": (self.tr("&Court"), self.tr("e.g. Superior Court, County of Alameda")),
            "case_number": (
                self.tr("Case n&umber"),
                self.tr("as on your papers, e.g. 24-DV-01234"),
            ),
            "petitioner": (self.tr("Pe&titioner"), self.tr("who asks for the order (usually you)")),
            "respondent": (self.tr("&Respondent"), self.tr("who the order is against")),
            "hearing": (self.tr("&Hearing date"), self.tr("e.g. Tuesday, December 1, 2026")),
            "hearing_time": (self.tr("Hearing t&ime"), self.tr("e.g. 9:30 AM")),
            "department": (self.tr("&Department"), self.tr("courtroom or department")),
            "judge": (self.tr("&Judge"), self.tr("if you know it")),
        }
        self.hearing_field = TypedDateField(
            words["hearing"][0].replace("&", ""),
            Want.DAY_OR_MOMENT,
            self,
            placeholder=words["hearing"][1],
            empty_words=self.tr("Left blank on the cover"),
        )
        self.hearing_time_field = TypedDateField(
            words["hearing_time"][0].replace("&", ""),
            Want.CLOCK,
            self,
            placeholder=words["hearing_time"][1],
            empty_words=self.tr("Left blank on the cover"),
        )
        self.hearing_field.edited.connect(self._hearing_day_changed)
        typed = {"hearing": self.hearing_field, "hearing_time": self.hearing_time_field}
        for name in CASE_FIELDS:
            text, hint = words[name]
            row: QWidget
            if name in typed:
                row, edit = typed[name], typed[name].line
            else:
                row = edit = QLineEdit(self)
                edit.setPlaceholderText(hint)
                edit.setAccessibleName(text.replace("&", ""))
            edit.textChanged.connect(self._edited)
            label = QLabel(text, self)
            label.setBuddy(edit)
            form.addRow(label, row)
            self.fields[name] = edit
            if name == "hearing_time":
                self.order_button = QPushButton(self)
                self.order_button.setFlat(True)
                self.order_button.setCursor(Qt.CursorShape.PointingHandCursor)
                self.order_button.setStyleSheet(
                    "QPushButton { color: palette(link); text-align: left; padding: 2px 0; }"
                )
                self.order_button.clicked.connect(self.use_order)
                form.addRow("", self.order_button)

        self.private_edit = QPlainTextEdit(self)
        self.private_edit.setTabChangesFocus(True)
        self.private_edit.setAccessibleName(
            self.tr("Private details to remove from the copy for the other side, one per line")
        )
        self.private_edit.setPlaceholderText(
            self.tr("42 Elm Street\n(312) 555-0142\nAcme Dental\nyour children's names")
        )
        self.private_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 5 + 14)
        self.private_edit.textChanged.connect(self._edited)
        self.private_edit.textChanged.connect(self._private_typed)
        private_label = bold(
            QLabel(self.tr("Private details to re&move from the copy for the other side"), self)
        )
        private_label.setWordWrap(True)
        private_label.setBuddy(self.private_edit)
        private_help = quiet(
            plain_label(
                self.tr(
                    "One per line: your home address, phone numbers, e-mail, workplace, your "
                    "children's names and school, account numbers. The court sees them; the "
                    "person you are protecting yourself from should not learn where to find "
                    "you. Write each the way it appears in your evidence."
                ),
                self,
                selectable=False,
            )
        )

        self.status = plain_label("", self, selectable=False)
        self.status.hide()
        self.save_button = QPushButton(self.tr("Sa&ve cover details"), self)
        self.save_button.clicked.connect(self.save)
        save = QAction(self.tr("Save cover details"), self)
        save.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        save.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.triggered.connect(self.save)
        self.addAction(save)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.save_button, 0, Qt.AlignmentFlag.AlignTop)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addSpacing(4)
        layout.addWidget(private_label)
        layout.addWidget(private_help)
        layout.addWidget(self.private_edit)
        layout.addLayout(bar)
        guard_wheel(self)
        self.load(None)

    # ----- the contract ------------------------------------------------------------------

    def load(self, vault: Vault | None) -> None:
        """Show *vault*'s saved details; None (locking) empties every field."""
        self._vault = vault
        self._order = None
        if vault is not None:
            for typed in (self.hearing_field, self.hearing_time_field):
                typed.set_zone(vault.time_zone)
        if vault is None:
            self._loaded = None
            self._fill((("",) * len(CASE_FIELDS), ()))
        else:
            saved = case_fields(vault)
            self._loaded = (
                tuple(saved[name] for name in CASE_FIELDS),
                tuple(private_details(vault)),
            )
            self._fill(self._loaded)
            self._order = offered_hearing(vault)
        self.say("")
        self._edited()
        self.setEnabled(vault is not None)

    def is_dirty(self) -> bool:
        return self._vault is not None and self._values() != self._loaded

    def save(self) -> bool:
        """Save the form in one audited change; False, with the reason shown, if refused."""
        vault = self._vault
        if vault is None or not self.is_dirty():
            return True
        fields, private = self._values()
        try:
            typed = dict(zip(CASE_FIELDS, fields, strict=True))
            typed["hearing"], typed["hearing_time"] = self._hearing_words()
            save_case_details(vault, typed, list(private))
        except Exception as error:  # a refused value, a full disk: keep every word
            self.say(self.tr("Not saved: %1").replace("%1", prompts.explain(error)), problem=True)
            return False
        self.load(vault)  # the saved form: spaces tidied, duplicates dropped
        self.say(self.tr("Saved."))
        self.saved.emit()
        return True

    def _hearing_words(self) -> tuple[str, str]:
        """The hearing's day and time as the cover prints them, from what was typed;
        :class:`Unreadable` (the field shows why and takes the focus) if they do not read."""
        for field in (self.hearing_field, self.hearing_time_field):
            if not field.check():
                raise Unreadable(field.problem())
        day, alone = self.hearing_field.read(), self.hearing_time_field.read()
        clock = alone.clock if alone else None
        if day is not None and day.clock is not None:
            if clock is not None and clock != day.clock:
                self.hearing_time_field.setFocus()
                raise Unreadable(
                    self.tr("The hearing date says %1 and the time says %2. Keep one.")
                    .replace("%1", clock_time(day.clock))
                    .replace("%2", clock_time(clock))
                )
            clock = day.clock  # "Dec 10, 2026 9:30 AM" in the date: the time is the time
        day_words = long_date(day.day) if day is not None and day.day is not None else ""
        return day_words, clock_time(clock) if clock is not None else ""

    def _hearing_day_changed(self) -> None:
        """The time's zone name follows the day; a time typed with the day is said to
        be the one printed, while the time's own field is empty."""
        found = self.hearing_field.read()
        self.hearing_time_field.set_on(found.day if found else None)
        if found is not None and found.clock is not None:
            words = self.tr("%1, from the hearing date").replace("%1", clock_time(found.clock))
        else:
            words = self.tr("Left blank on the cover")
        self.hearing_time_field.set_empty_words(words)

    def use_order(self) -> None:
        """Fill the empty hearing fields (and court and case number) from the order."""
        order = self._order
        if order is None or order.hearing_at is None:
            return
        day, time = hearing_words(order.hearing_at)
        for name, value in (
            ("hearing", day),
            ("hearing_time", time),
            ("court", order.court),
            ("case_number", order.case_number),
        ):
            if value and not self.fields[name].text().strip():
                self.fields[name].setText(value)
        self.say(self.tr("Filled in from your order. Check it, then save."))
        self.fields["hearing"].setFocus()

    def say(self, text: str, *, problem: bool = False) -> None:
        self.status.setObjectName("errorText" if problem else "")
        self.status.setProperty("quiet", not problem)
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(text)
        self.status.setVisible(bool(text))

    # ----- internals ---------------------------------------------------------------------

    def _values(self) -> Values:
        fields = tuple(self.fields[name].text().strip() for name in CASE_FIELDS)
        lines = self.private_edit.toPlainText().splitlines()
        return fields, tuple(line.strip() for line in lines if line.strip())

    def _fill(self, values: Values) -> None:
        fields, private = values
        self._filling = True
        try:
            for name, value in zip(CASE_FIELDS, fields, strict=True):
                self.fields[name].setText(value)
            self.private_edit.setPlainText("\n".join(private))
        finally:
            self._filling = False

    def _private_typed(self) -> None:
        was, self._private_listed = (
            self._private_listed,
            bool(self.private_edit.toPlainText().strip()),
        )
        if self._private_listed and not was and not self._filling:
            self.private_details_begun.emit()

    def _edited(self) -> None:
        dirty = self.is_dirty()
        self.save_button.setEnabled(dirty)
        if dirty and self.status.objectName() != "errorText":
            self.say(self.tr("Not saved yet."))
        order = self._order
        offer = (
            order is not None
            and order.hearing_at is not None
            and not self.fields["hearing"].text().strip()
        )
        if offer and order is not None and order.hearing_at is not None:
            day, time = hearing_words(order.hearing_at)
            self.order_button.setText(
                self.tr("Use your order's hearing: %1 at %2").replace("%1", day).replace("%2", time)
            )
        self.order_button.setVisible(offer)
