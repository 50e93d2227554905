"""Editing one court order: its kind, court, number, dates, terms and restrained person.

The dates are calendar days in the vault's time zone, as the paper reads, typed the way
people write them and shown back in words under each field
(:class:`~nco_desktop.ui.common.typed_date_field.TypedDateField`; Qt's date edits turned
a typed 9:30 AM hearing into 2:30 AM, issue #13). Each can be "not known" (left empty),
because a user often has the order but not the day it was served; one that cannot be
read stops the save with its reason. The served (else issued) and expiry days decide
which contacts are flagged as possible violations, so the count of those is shown under
the dates.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication, QDate, QLocale
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from nco_desktop.case.orders import NewOrder, Order, OrderKind, add_order
from nco_desktop.case.people import Person, Role
from nco_desktop.case.record_edits import update_order
from nco_desktop.typed_dates import Unreadable, Want
from nco_desktop.ui.common.typed_date_field import TypedDateField
from nco_desktop.ui.common.wheel_guard import guard_wheel
from nco_desktop.ui.common.widgets import bold, plain_label
from nco_desktop.ui.people.person_editor import RecordEditor
from nco_desktop.vault import Vault


def order_kind_words(kind: OrderKind) -> str:
    """The kind of order in words, translated."""
    return {
        OrderKind.CRIMINAL_NO_CONTACT: QCoreApplication.translate(
            "OrderEditor", "Criminal no-contact order"
        ),
        OrderKind.CIVIL_PROTECTION: QCoreApplication.translate(
            "OrderEditor", "Civil protection order"
        ),
        OrderKind.RESTRAINING: QCoreApplication.translate("OrderEditor", "Restraining order"),
        OrderKind.OTHER: QCoreApplication.translate("OrderEditor", "Other order"),
    }[kind]


def day_words(day: date) -> str:
    return QLocale().toString(QDate(day.year, day.month, day.day), "MMM d, yyyy")


class OrderEditor(RecordEditor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.guidance.setText(
            self.tr(
                "The dates decide what is flagged: messages, calls and e-mails from the "
                "restrained person from the day the order was served (or issued, if you do "
                "not know when it was served) to the end of its last day are flagged as "
                "possible violations. “Possible”, because you and the court decide whether "
                "a contact broke the order."
            )
        )
        self.delete_button.setText(self.tr("Remove order…"))
        body = self.body
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.kind = QComboBox(body)
        for kind in OrderKind:
            self.kind.addItem(order_kind_words(kind), kind)
        self.court = QLineEdit(body)
        self.court.setMaxLength(500)
        self.court.setPlaceholderText(self.tr("e.g. Circuit Court of Cook County"))
        self.case_number = QLineEdit(body)
        self.case_number.setMaxLength(500)
        self.case_number.setPlaceholderText(self.tr("as printed on the order"))
        self.person = QComboBox(body)
        for text, field, name in (
            (self.tr("&Kind"), self.kind, self.tr("Kind of order")),
            (self.tr("&Court"), self.court, self.tr("Court")),
            (self.tr("Case n&umber"), self.case_number, self.tr("Case number")),
            (self.tr("&Against"), self.person, self.tr("Restrained person of this order")),
        ):
            label = QLabel(text, body)
            label.setBuddy(field)
            field.setAccessibleName(name)
            form.addRow(label, field)
        self.no_restrained = plain_label(
            self.tr("Add the restrained person under People first, then choose them here."),
            body,
            selectable=False,
        )
        form.addRow("", self.no_restrained)
        tr = self.tr
        self.issued = TypedDateField(self.tr("Issue date"), Want.DAY, body)
        self.served = TypedDateField(self.tr("Service date"), Want.DAY, body)
        self.hearing = TypedDateField(self.tr("Hearing date and time"), Want.MOMENT, body)
        self.expires = TypedDateField(self.tr("Last day of the order"), Want.DAY, body)
        self.dates = (self.issued, self.served, self.hearing, self.expires)
        labels = (tr("&Issued on"), tr("Ser&ved on"), tr("&Hearing"), tr("&Ends on"))
        for text, date_field in zip(labels, self.dates, strict=True):
            label = QLabel(text, body)
            label.setBuddy(date_field.line)
            form.addRow(label, date_field)
        self.body_layout.addLayout(form)

        self.violations = plain_label("", body, selectable=False)
        self.violations.setAccessibleName(self.tr("Possible violations of this order"))
        self.body_layout.addWidget(self.violations)
        terms_label = bold(QLabel(self.tr("&Terms (what the order forbids)"), body))
        self.terms = QPlainTextEdit(body)
        self.terms.setTabChangesFocus(True)
        self.terms.setAccessibleName(self.tr("Terms of the order"))
        self.terms.setPlaceholderText(
            self.tr("e.g. no contact by any means; stay 500 feet away from home and work")
        )
        self.terms.setFixedHeight(self.terms.fontMetrics().lineSpacing() * 4 + 14)
        terms_label.setBuddy(self.terms)
        self.body_layout.addWidget(terms_label)
        self.body_layout.addWidget(self.terms)
        self.body_layout.addStretch(1)

        self.kind.currentIndexChanged.connect(self._edited)
        self.person.currentIndexChanged.connect(self._edited)
        for line in (self.court, self.case_number):
            line.textChanged.connect(self._edited)
        self.terms.textChanged.connect(self._edited)
        for date_field in self.dates:
            date_field.edited.connect(self._edited)
        guard_wheel(self)  # the editor scrolls: the wheel must not change a choice

    def load(
        self, vault: Vault, order: Order | None, people: list[Person], violations: int | None
    ) -> None:
        """Show *order* (None: a new one); *violations*: its count, None if it binds no one."""
        self._vault = vault
        self.record_id = order.id if order else None
        for date_field in self.dates:
            date_field.set_zone(vault.time_zone)
        self._names = {p.id: p.name for p in people}
        self._fill_people(people, order.restrained_person_id if order else None)
        if order is None:
            restrained = [p.id for p in people if p.role is Role.RESTRAINED]
            values = NewOrder(
                OrderKind.CIVIL_PROTECTION,
                restrained_person_id=restrained[0] if len(restrained) == 1 else None,
            )
            self.heading.setText(self.tr("New order"))
        else:
            values = NewOrder(
                order.kind,
                order.court,
                order.case_number,
                order.issued_on,
                order.served_on,
                order.hearing_at,
                order.expires_on,
                order.terms,
                order.restrained_person_id,
            )
            self.heading.setText(self._title(values))
        self._loaded = values
        self.discard()
        self._say("")
        self.show_violations(order, violations)

    def show_violations(self, order: Order | None, count: int | None) -> None:
        if order is None:
            text = self.tr("When you save, contacts after this order are counted here.")
        elif order.restrained_person_id is None:
            text = self.tr(
                "Choose who the order is against, so contacts from them after it can be "
                "flagged as possible violations."
            )
        elif order.served_on is None and order.issued_on is None:
            text = self.tr(
                "Add the day the order was served (or issued), so contacts after it can be "
                "flagged as possible violations."
            )
        else:
            name = self._names.get(order.restrained_person_id, self.tr("the restrained person"))
            after = (
                self.tr("after the order was served")
                if order.served_on
                else self.tr("after the order was issued")
            )
            n = count or 0
            if n == 0:
                text = self.tr("No contacts from %1 %2 so far.")
            elif n == 1:
                text = self.tr("1 contact from %1 %2 — a possible violation.")
            else:
                text = self.tr("%n contacts from %1 %2 — possible violations.", "", n)
            text = text.replace("%1", name).replace("%2", after)
        font = self.violations.font()
        font.setBold(bool(count) and order is not None)
        self.violations.setFont(font)
        self.violations.setText(text)

    # ----- RecordEditor -------------------------------------------------------------------

    def _values(self) -> NewOrder:
        """The form as an order; a date that cannot be read is None here, and
        :meth:`_write` refuses it before anything is saved."""
        return NewOrder(
            OrderKind(self.kind.currentData()),
            self.court.text().strip(),
            self.case_number.text().strip(),
            self.issued.day(),
            self.served.day(),
            self.hearing.moment(),
            self.expires.day(),
            self.terms.toPlainText().strip(),
            self.person.currentData(),
        )

    def _write(self, vault: Vault) -> int:
        for date_field in self.dates:
            if not date_field.check():  # shown under the field, which takes the focus
                raise Unreadable(date_field.problem())
        values = self._values()
        if self.record_id is None:
            order_id = add_order(vault, values)
        else:
            update_order(vault, self.record_id, values)
            order_id = self.record_id
        self.heading.setText(self._title(values))
        return order_id

    def _fill(self, values: object) -> None:
        if not isinstance(values, NewOrder):
            return
        self.kind.setCurrentIndex(max(0, self.kind.findData(values.kind)))
        self.court.setText(values.court)
        self.case_number.setText(values.case_number)
        self.issued.set_value(values.issued_on)
        self.served.set_value(values.served_on)
        self.hearing.set_value(values.hearing_at)
        self.expires.set_value(values.expires_on)
        self.terms.setPlainText(values.terms)
        found = self.person.findData(values.restrained_person_id)
        self.person.setCurrentIndex(max(0, found))

    def _empty_fields(self) -> None:
        self.heading.clear()
        self.court.clear()
        self.case_number.clear()
        self.terms.clear()
        self.terms.document().clearUndoRedoStacks()
        for date_field in self.dates:
            date_field.clear()
        self.person.clear()
        self._names = {}
        self.violations.clear()

    def _edited(self) -> None:
        """A date that cannot be read is a change not yet saved, never a lost one."""
        super()._edited()
        if self._vault is None or self._filling or self.is_dirty():
            return
        if any(date_field.problem() for date_field in self.dates):
            self._set_dirty(True)

    def _fill_people(self, people: list[Person], current: int | None) -> None:
        """The restrained people to choose from (and whoever this order names now)."""
        self.person.blockSignals(True)
        self.person.clear()
        self.person.addItem(self.tr("(not chosen yet)"), None)
        for person in people:
            if person.role is Role.RESTRAINED:
                self.person.addItem(person.name, person.id)
            elif person.id == current:
                self.person.addItem(
                    self.tr("%1 (not marked as restrained)").replace("%1", person.name), person.id
                )
        self.person.blockSignals(False)
        self.no_restrained.setVisible(self.person.count() == 1)

    def _title(self, values: NewOrder) -> str:
        title = order_kind_words(values.kind)
        return f"{title} · {values.case_number}" if values.case_number else title
