"""The People & orders view: who is in the case, the orders, and what they mean.

On the left, the people (the restrained person first, then witnesses, the petitioner,
others) and the orders; on the right, the chosen record in an editor. Each record is
saved whole in one audited change. Choosing another record, adding one, or locking
first saves the pending edits of the one on screen; if they cannot be saved, the record
stays open with the reason, so nothing the user typed is silently dropped.

``set_vault(None)`` (locking) empties every list, field and count.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.case.orders import Order, list_orders
from nco_desktop.case.people import Person, Role
from nco_desktop.case.record_edits import (
    delete_order,
    delete_person,
    entries_for_person,
    people_in_order,
    violations_per_order,
)
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.icons import ICON_SIZE, icon
from nco_desktop.ui.common.session import Change, VaultSession, follow_session
from nco_desktop.ui.common.widgets import bold, plain_label
from nco_desktop.ui.people.order_editor import OrderEditor, day_words, order_kind_words
from nco_desktop.ui.people.person_editor import PersonEditor, RecordEditor
from nco_desktop.vault import Vault

PERSON, ORDER = "person", "order"
Key = tuple[str, int]  # (PERSON or ORDER, id)
KEY_ROLE = Qt.ItemDataRole.UserRole


class PeoplePage(QWidget):
    changed = Signal()  # a person or order changed: the window refreshes the timeline and banner

    #: People and orders, and the evidence counted against them.
    SHOWS = Change.PEOPLE | Change.ORDERS | Change.ENTRIES | Change.INCIDENTS

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._people: dict[int, Person] = {}
        self._orders: dict[int, Order] = {}
        self._violations: dict[int, int] = {}
        self._open_key: Key | None = None  # the record in the editor; None: new or none
        self._switching = False
        self.setAccessibleName(self.tr("People and orders"))

        heading = bold(QLabel(self.tr("People & orders"), self), 1.3)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("People and orders in this case"))
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setIconSize(ICON_SIZE)
        self.list.currentItemChanged.connect(self._current_changed)
        self.add_person_button = QPushButton(self.tr("Add a &person"), self)
        self.add_person_button.setToolTip(
            self.tr("The restrained person, a witness, or anyone else in the case")
        )
        self.add_order_button = QPushButton(self.tr("Add an &order"), self)
        self.add_order_button.setToolTip(self.tr("A no-contact, protection or restraining order"))
        self.add_person_button.clicked.connect(self.add_person)
        self.add_order_button.clicked.connect(self.add_order)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.addWidget(self.add_person_button)
        buttons.addWidget(self.add_order_button)
        left = QVBoxLayout()
        left.setContentsMargins(12, 12, 0, 12)
        left.setSpacing(8)
        left.addWidget(heading)
        left.addWidget(self.list, 1)
        left.addLayout(buttons)
        left_box = QWidget(self)
        left_box.setLayout(left)
        left_box.setFixedWidth(280)

        self.empty = QWidget(self)
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.setContentsMargins(24, 24, 24, 24)
        self.empty_text = plain_label("", self.empty, selectable=False)
        self.empty_text.setMaximumWidth(640)
        empty_layout.addWidget(self.empty_text)
        empty_layout.addStretch(1)
        self.person_editor = PersonEditor(self)
        self.order_editor = OrderEditor(self)
        self.stack = QStackedWidget(self)
        for page in (self.empty, self.person_editor, self.order_editor):
            self.stack.addWidget(page)
        for editor in (self.person_editor, self.order_editor):
            editor.delete_requested.connect(self._delete)
        self.person_editor.saved.connect(lambda pid: self._saved((PERSON, pid)))
        self.order_editor.saved.connect(lambda oid: self._saved((ORDER, oid)))

        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.VLine)
        rule.setStyleSheet("color: palette(mid);")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(8)
        layout.addWidget(left_box)
        layout.addWidget(rule)
        layout.addWidget(self.stack, 1)
        QWidget.setTabOrder(self.list, self.add_person_button)
        QWidget.setTabOrder(self.add_person_button, self.add_order_button)
        self._show_empty()
        self._set_enabled(False)
        self._refresher = follow_session(
            self,
            session,
            shows=self.SHOWS,
            reload=self.refresh,
            reset=self._reset,
            save=self.commit_pending_edits,
            saved=self.changed,
            saved_change=Change.PEOPLE | Change.ORDERS,
        )

    # ----- the contract ----------------------------------------------------------------

    @property
    def _vault(self) -> Vault | None:
        return self.session.vault

    def _reset(self) -> None:
        """A vault opened, or the session detached (locked): every list, field and count
        is emptied; an open vault's records are read when the page is shown."""
        self.person_editor.clear()
        self.order_editor.clear()
        self._open_key = None
        self._people, self._orders, self._violations = {}, {}, {}
        self.list.clear()
        self._show_empty()
        self._set_enabled(self._vault is not None)

    def commit_pending_edits(self) -> None:
        """Save the record being edited, if it changed; a reason is shown if it cannot be."""
        editor = self._editor()
        if editor is not None and editor.is_dirty():
            editor.save()

    def refresh(self) -> None:
        """Count again (after an import): the list and the counts; never the fields typed."""
        if self._vault is None:
            return
        self._reload()
        self._show_counts()

    # ----- what the user does ------------------------------------------------------------

    def add_person(self) -> None:
        if self._vault is None or not self._leave_editor():
            return
        role = Role.WITNESS if self._has_restrained() else Role.RESTRAINED
        self._open_key = None
        self._select(None)
        self.person_editor.load(self._vault, None, role=role)
        self.stack.setCurrentWidget(self.person_editor)
        self.person_editor.name_edit.setFocus()

    def add_order(self) -> None:
        if self._vault is None or not self._leave_editor():
            return
        self._open_key = None
        self._select(None)
        self.order_editor.load(self._vault, None, list(self._people.values()), None)
        self.stack.setCurrentWidget(self.order_editor)
        self.order_editor.kind.setFocus()

    def open_record(self, kind: str, record_id: int) -> None:
        """Show one record, as if chosen in the list (for the window and for tests)."""
        self._select((kind, record_id), quietly=False)

    # ----- list --------------------------------------------------------------------------

    def _reload(self) -> None:
        """Read people and orders again and rebuild the list, keeping the selection."""
        vault = self._vault
        keep = self._open_key
        self.list.blockSignals(True)
        self.list.clear()
        self._people, self._orders, self._violations = {}, {}, {}
        if vault is not None:
            self._people = {p.id: p for p in people_in_order(vault.conn)}
            self._orders = {o.id: o for o in list_orders(vault.conn)}
            self._violations = violations_per_order(vault.conn, vault.time_zone)
            self._header(self.tr("People"))
            for person in self._people.values():
                self._item(PERSON, person.id, self._person_text(person), "nav-people")
            if not self._people:
                self._note(self.tr("No one yet. Start with the person the order is against."))
            self._header(self.tr("Orders"))
            for order in self._orders.values():
                self._item(ORDER, order.id, self._order_text(order), "kind-document")
            if not self._orders:
                self._note(self.tr("No order yet."))
        self.list.blockSignals(False)
        self._select(keep)

    def _header(self, text: str) -> None:
        item = QListWidgetItem(text, self.list)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)  # read as text, never chosen
        font = item.font()
        font.setBold(True)
        item.setFont(font)

    def _note(self, text: str) -> None:
        item = QListWidgetItem(text, self.list)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)

    def _item(self, kind: str, record_id: int, text: str, icon_name: str) -> None:
        item = QListWidgetItem(icon(icon_name), text, self.list)
        item.setData(KEY_ROLE, (kind, record_id))

    def _person_text(self, person: Person) -> str:
        role = {
            Role.RESTRAINED: self.tr("Restrained person"),
            Role.WITNESS: self.tr("Witness"),
            Role.PETITIONER: self.tr("Petitioner (you)"),
            Role.OTHER: self.tr("Someone else"),
        }[person.role]
        return f"{person.name}\n{role}"

    def _order_text(self, order: Order) -> str:
        lines = [order_kind_words(order.kind)]
        details = []
        if order.case_number:
            details.append(order.case_number)
        if order.expires_on:
            details.append(self.tr("ends %1").replace("%1", day_words(order.expires_on)))
        if details:
            lines.append(" · ".join(details))
        flagged = self._violations.get(order.id, 0)
        if flagged == 1:
            lines.append(self.tr("1 possible violation"))
        elif flagged:
            lines.append(self.tr("%n possible violations", "", flagged))
        return "\n".join(lines)

    def _select(self, key: Key | None, *, quietly: bool = True) -> None:
        """Make *key*'s row current; quietly: without opening it (it is open already)."""
        target = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            if key is not None and item.data(KEY_ROLE) == key:
                target = item
        if quietly:
            self.list.blockSignals(True)
        if target is None:
            self.list.setCurrentRow(-1)
            self.list.clearSelection()
        else:
            self.list.setCurrentItem(target)
        self.list.blockSignals(False)

    def _current_changed(
        self, current: QListWidgetItem | None, previous: QListWidgetItem | None
    ) -> None:
        key = current.data(KEY_ROLE) if current is not None else None
        if key is None or key == self._open_key:
            return
        if not self._leave_editor():
            self.list.blockSignals(True)
            if previous is None:
                self.list.setCurrentRow(-1)
            else:
                self.list.setCurrentItem(previous)
            self.list.blockSignals(False)
            return
        self._open(key)

    # ----- editors -----------------------------------------------------------------------

    def _open(self, key: Key) -> None:
        vault = self._vault
        if vault is None:
            return
        kind, record_id = key
        self._open_key = key
        if kind == PERSON and record_id in self._people:
            count = entries_for_person(vault.conn, record_id)
            self.person_editor.load(vault, self._people[record_id], count)
            self.stack.setCurrentWidget(self.person_editor)
        elif kind == ORDER and record_id in self._orders:
            order = self._orders[record_id]
            people = list(self._people.values())
            self.order_editor.load(vault, order, people, self._violations.get(record_id))
            self.stack.setCurrentWidget(self.order_editor)
        else:
            self._open_key = None
            self._show_empty()

    def _editor(self) -> RecordEditor | None:
        widget = self.stack.currentWidget()
        return widget if isinstance(widget, RecordEditor) else None

    def _leave_editor(self) -> bool:
        """Save what the open editor holds before another record replaces it."""
        editor = self._editor()
        if editor is None or not editor.is_dirty():
            return True
        self._switching = True
        try:
            return editor.save()
        finally:
            self._switching = False

    def _saved(self, key: Key) -> None:
        if self._switching:
            # Inside the list's own selection change: rebuild it once that is over.
            QTimer.singleShot(0, self, self.refresh)
        else:
            self._open_key = key
            self._reload()
            self._show_counts()
        self.changed.emit()

    def _show_counts(self) -> None:
        vault, key = self._vault, self._open_key
        if vault is None or key is None:
            return
        kind, record_id = key
        if kind == PERSON and self.stack.currentWidget() is self.person_editor:
            self.person_editor.show_count(entries_for_person(vault.conn, record_id))
        elif kind == ORDER and record_id in self._orders:
            self.order_editor._names = {p.id: p.name for p in self._people.values()}
            self.order_editor.show_violations(
                self._orders[record_id], self._violations.get(record_id)
            )

    def _delete(self, record_id: int) -> None:
        vault = self._vault
        if vault is None:
            return
        if self.stack.currentWidget() is self.person_editor:
            person = self._people.get(record_id)
            name = person.name if person else ""
            if not prompts.confirm(
                self,
                self.tr("Remove this person?"),
                self.tr(
                    "Remove %1 from the case? Their messages and calls stay on the timeline, "
                    "but they are no longer recognised as this person's, and orders against "
                    "them no longer flag contacts."
                ).replace("%1", name),
                yes=self.tr("Remove person"),
                no=self.tr("Keep"),
            ):
                return
            action: Callable[[Vault, int], None] = delete_person
        else:
            if not prompts.confirm(
                self,
                self.tr("Remove this order?"),
                self.tr(
                    "Remove this order from the case? Contacts after it are no longer "
                    "flagged as possible violations because of it. The evidence stays."
                ),
                yes=self.tr("Remove order"),
                no=self.tr("Keep"),
            ):
                return
            action = delete_order
        try:
            action(vault, record_id)
        except Exception as error:
            prompts.warn(self, self.tr("Not removed"), prompts.explain(error))
            return
        editor = self._editor()
        if editor is not None:
            editor.clear()
        self._open_key = None
        self._reload()
        self._show_empty()
        self.changed.emit()

    # ----- states -----------------------------------------------------------------------

    def _show_empty(self) -> None:
        if self._vault is None:
            self.empty_text.setText("")
        elif not self._has_restrained():
            self.empty_text.setText(
                self.tr(
                    "Start with the person the order is against: add them with every phone "
                    "number, e-mail address and account they use. The program then "
                    "recognises their messages and calls wherever they appear on the "
                    "timeline.\n\nThen add the order with its dates: contacts from them "
                    "after it was served are flagged as possible violations. “Possible”, "
                    "because you and the court decide."
                )
            )
        else:
            self.empty_text.setText(
                self.tr(
                    "Choose a person or an order on the left to see or change it.\n\n"
                    "A person's phone numbers, e-mail addresses and accounts are how the "
                    "program recognises their messages and calls on the timeline. An "
                    "order's dates decide which later contacts are flagged as possible "
                    "violations. “Possible”, because you and the court decide."
                )
            )
        self.stack.setCurrentWidget(self.empty)

    def _set_enabled(self, on: bool) -> None:
        for widget in (self.list, self.add_person_button, self.add_order_button):
            widget.setEnabled(on)

    def _has_restrained(self) -> bool:
        return any(p.role is Role.RESTRAINED for p in self._people.values())
