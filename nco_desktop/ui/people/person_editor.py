"""Editing one person of the case, and the frame both record editors share.

A record is saved whole, with Save (Ctrl+S while editing it), in one audited change;
Discard puts back what is saved. Until then the vault holds the old record, and the
page saves pending edits before it shows another record or the vault locks. A record
that cannot be saved stays on screen with the reason beside the buttons, never lost.
"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.case import InvalidRecord
from nco_desktop.case.people import (
    IdentifierKind,
    NewPerson,
    Person,
    Role,
    add_person,
    normalize_identifier,
)
from nco_desktop.case.record_edits import update_person
from nco_desktop.importers.batch import phone_region
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.icons import ICON_SIZE, icon
from nco_desktop.ui.common.wheel_guard import guard_wheel
from nco_desktop.ui.common.widgets import bold, plain_label, quiet
from nco_desktop.vault import Vault


class RecordEditor(QWidget):
    """A heading, a short guidance line, the fields (scrolling), and the button bar."""

    saved = Signal(int)  # the record's id
    delete_requested = Signal(int)  # the record's id
    dirty_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._vault: Vault | None = None
        self.record_id: int | None = None  # None: a new record, not saved yet
        self._loaded: object = None
        self._dirty = False
        self._filling = False  # while fields are filled in by the program, not the user
        self.heading = bold(plain_label("", self, selectable=False), 1.15)
        self.guidance = quiet(plain_label("", self, selectable=False))
        self.body = QWidget(self)
        self.body_layout = QVBoxLayout(self.body)
        self.body_layout.setContentsMargins(0, 0, 8, 0)
        self.body_layout.setSpacing(10)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.body)

        self.status = plain_label("", self, selectable=False)
        self.delete_button = QPushButton(self)
        self.delete_button.clicked.connect(self._ask_delete)
        self.discard_button = QPushButton(self.tr("&Discard changes"), self)
        self.discard_button.setToolTip(self.tr("Put back what is saved"))
        self.discard_button.clicked.connect(self.discard)
        self.save_button = QPushButton(icon("save"), self.tr("&Save"), self)
        self.save_button.setIconSize(ICON_SIZE)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        save = QAction(self.tr("Save"), self)
        save.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        save.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.triggered.connect(self.save)
        self.addAction(save)
        self.save_button.setToolTip(
            self.tr("Save this record (%1)").replace(
                "%1", save.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.delete_button)
        bar.addStretch(1)
        bar.addWidget(self.discard_button)
        bar.addWidget(self.save_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.heading)
        layout.addWidget(self.guidance)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.status)
        layout.addLayout(bar)
        self._set_dirty(False)

    # ----- the shared contract ------------------------------------------------------------

    def is_dirty(self) -> bool:
        return self._dirty

    def save(self) -> bool:
        """Save the fields as one audited change; False (with the reason shown) if not."""
        if self._vault is None or not self._dirty:
            return True
        try:
            self.record_id = self._write(self._vault)
        except Exception as error:  # a bad field, a full disk: say so, keep the fields
            self._say(prompts.explain(error), error=True)
            return False
        self._loaded = self._values()
        self._set_dirty(False)
        self._say(self.tr("Saved."))
        self.saved.emit(self.record_id)
        return True

    def discard(self) -> None:
        self._filling = True
        try:
            self._fill(self._loaded)
        finally:
            self._filling = False
        self._set_dirty(False)
        self._say("")

    def clear(self) -> None:
        """Empty every field (locking): nothing of the case stays in the widgets."""
        self._vault = None
        self.record_id = None
        self._loaded = None
        self._empty_fields()
        self._say("")
        self._set_dirty(False)

    # ----- for subclasses -----------------------------------------------------------------

    def _write(self, vault: Vault) -> int:
        raise NotImplementedError

    def _values(self) -> object:
        raise NotImplementedError

    def _fill(self, values: object) -> None:
        raise NotImplementedError

    def _empty_fields(self) -> None:
        raise NotImplementedError

    def _edited(self) -> None:
        """Any field changed: the record is dirty while it differs from what is saved."""
        if self._vault is None or self._filling:
            return
        self._set_dirty(self._values() != self._loaded)
        if self._dirty:
            self._say("")

    def _set_dirty(self, dirty: bool) -> None:
        changed = dirty != self._dirty
        self._dirty = dirty
        self.save_button.setEnabled(dirty)
        self.discard_button.setEnabled(dirty)
        self.delete_button.setVisible(self.record_id is not None)
        if changed:
            self.dirty_changed.emit(dirty)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setObjectName("errorText" if error else "")
        self.status.setProperty("quiet", not error)
        self.status.setStyleSheet("")  # re-polish for the new name
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _ask_delete(self) -> None:
        if self.record_id is not None:
            self.delete_requested.emit(self.record_id)


# ----- a person ----------------------------------------------------------------------------

PersonValues = tuple[Role, str, tuple[tuple[IdentifierKind, str], ...], str]


class IdentifierRow(QWidget):
    """One number, address or handle: its kind, as typed, and the form it is matched in."""

    edited = Signal()
    remove_requested = Signal(object)  # this row

    def __init__(self, region: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._region = region
        self.kind = QComboBox(self)
        for kind, words in (
            (IdentifierKind.PHONE, self.tr("Phone number")),
            (IdentifierKind.EMAIL, self.tr("E-mail address")),
            (IdentifierKind.HANDLE, self.tr("Handle or account")),
            (IdentifierKind.ADDRESS, self.tr("Street address")),
            (IdentifierKind.OTHER, self.tr("Other")),
        ):
            self.kind.addItem(words, kind)
        self.kind.setAccessibleName(self.tr("Kind of contact detail"))
        self.value = QLineEdit(self)
        self.value.setAccessibleName(self.tr("Contact detail, as you know it"))
        self.value.setMaxLength(500)
        self.matched = quiet(QLabel(self))
        self.matched.setTextFormat(Qt.TextFormat.PlainText)
        self.matched.hide()
        self.remove = QToolButton(self)
        self.remove.setText(self.tr("Remove"))
        self.remove.setAccessibleName(self.tr("Remove this contact detail"))
        self.remove.setToolTip(self.tr("Remove this contact detail (saved when you save)"))
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(2)
        grid.addWidget(self.kind, 0, 0)
        grid.addWidget(self.value, 0, 1)
        grid.addWidget(self.remove, 0, 2)
        grid.addWidget(self.matched, 1, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        self.kind.currentIndexChanged.connect(self._changed)
        self.value.textChanged.connect(self._changed)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self))
        guard_wheel(self)  # rows are added as the user goes: each guards its own

    def set(self, kind: IdentifierKind, value: str) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(kind)))
        self.value.setText(value)

    def get(self) -> tuple[IdentifierKind, str]:
        return IdentifierKind(self.kind.currentData()), self.value.text().strip()

    def clear(self) -> None:
        self.value.clear()
        self.matched.clear()

    def _changed(self) -> None:
        kind, text = self.get()
        self.value.setPlaceholderText(
            {
                IdentifierKind.PHONE: self.tr("as you know it, e.g. (312) 555-0147"),
                IdentifierKind.EMAIL: self.tr("e.g. name@example.com"),
                IdentifierKind.HANDLE: self.tr("e.g. @name on Instagram"),
                IdentifierKind.ADDRESS: self.tr("street, city"),
            }.get(kind, "")
        )
        words = ""
        if text and kind is not IdentifierKind.ADDRESS:
            try:
                normalized = normalize_identifier(kind, text, self._region)
            except InvalidRecord:
                words = (
                    self.tr("Not a complete phone number yet")
                    if kind is IdentifierKind.PHONE
                    else self.tr("Not complete yet")
                )
            else:
                if normalized != text:
                    words = self.tr("Recognised on the timeline as %1").replace("%1", normalized)
        self.matched.setText(words)
        self.matched.setVisible(bool(words))
        self.edited.emit()


class PersonEditor(RecordEditor):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._region = "US"
        self.guidance.setText(
            self.tr(
                "Add every number, e-mail address and account this person uses. The "
                "program recognises their messages and calls by them wherever they "
                "appear on the timeline, however each phone export wrote the number."
            )
        )
        self.delete_button.setText(self.tr("Remove person…"))
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.name_edit = QLineEdit(self.body)
        self.name_edit.setMaxLength(200)
        self.name_edit.setPlaceholderText(self.tr("a name or nickname; “unknown caller” is fine"))
        self.role = QComboBox(self.body)
        for role, words in (
            (Role.RESTRAINED, self.tr("Restrained person (the order is against them)")),
            (Role.WITNESS, self.tr("Witness")),
            (Role.PETITIONER, self.tr("Petitioner (you)")),
            (Role.OTHER, self.tr("Someone else")),
        ):
            self.role.addItem(words, role)
        for text, field in ((self.tr("&Name"), self.name_edit), (self.tr("&Role"), self.role)):
            label = QLabel(text, self.body)
            label.setBuddy(field)
            form.addRow(label, field)
        self.name_edit.setAccessibleName(self.tr("Name"))
        self.role.setAccessibleName(self.tr("Role in the case"))
        self.body_layout.addLayout(form)

        self.body_layout.addWidget(
            bold(QLabel(self.tr("Phone numbers, e-mail addresses, accounts"), self.body))
        )
        self._rows_box = QVBoxLayout()
        self._rows_box.setSpacing(6)
        self.body_layout.addLayout(self._rows_box)
        self.rows: list[IdentifierRow] = []
        self.add_row_button = QPushButton(self.tr("&Add a number, address or account"), self.body)
        self.body_layout.addWidget(self.add_row_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.add_row_button.clicked.connect(self._add_row_by_hand)

        self.recognised = plain_label("", self.body, selectable=False)
        self.recognised.setAccessibleName(self.tr("Entries recognised as this person's"))
        self.body_layout.addWidget(self.recognised)

        notes_label = bold(QLabel(self.tr("N&otes"), self.body))
        self.notes = QPlainTextEdit(self.body)
        self.notes.setTabChangesFocus(True)
        self.notes.setAccessibleName(self.tr("Notes about this person"))
        self.notes.setPlaceholderText(self.tr("e.g. the car they drive, where they work"))
        self.notes.setFixedHeight(self.notes.fontMetrics().lineSpacing() * 4 + 14)
        notes_label.setBuddy(self.notes)
        self.body_layout.addWidget(notes_label)
        self.body_layout.addWidget(self.notes)
        self.body_layout.addStretch(1)
        self.name_edit.textChanged.connect(self._edited)
        self.role.currentIndexChanged.connect(self._edited)
        self.notes.textChanged.connect(self._edited)
        guard_wheel(self)

    def load(
        self, vault: Vault, person: Person | None, entries: int = 0, role: Role = Role.RESTRAINED
    ) -> None:
        """Show *person*, with *entries* recognised; None: a new person in *role*."""
        self._vault = vault
        self._region = phone_region(vault)
        self.record_id = person.id if person else None
        if person is None:
            values: PersonValues = (role, "", (), "")
            self.heading.setText(self.tr("New person"))
        else:
            values = (
                person.role,
                person.name,
                tuple((i.kind, i.value) for i in person.identifiers),
                person.notes,
            )
            self.heading.setText(person.name)
        self._loaded = values
        self.discard()
        self._say("")
        self.show_count(entries if person else None)

    def show_count(self, entries: int | None) -> None:
        if entries is None:
            text = self.tr(
                "When you save, the program counts this person's messages, calls and e-mails "
                "on the timeline."
            )
        elif entries == 0:
            text = self.tr(
                "No entries on the timeline are recognised as this person's yet. Check the "
                "numbers and addresses above, or import their messages and calls."
            )
        elif entries == 1:
            text = self.tr("1 entry on the timeline is from or to this person.")
        else:
            text = self.tr("%n entries on the timeline are from or to this person.", "", entries)
        self.recognised.setText(text)

    def set_role(self, role: Role) -> None:
        self.role.setCurrentIndex(max(0, self.role.findData(role)))

    # ----- RecordEditor -------------------------------------------------------------------

    def _values(self) -> PersonValues:
        identifiers = tuple(row.get() for row in self.rows if row.get()[1])
        return (
            Role(self.role.currentData()),
            self.name_edit.text().strip(),
            identifiers,
            self.notes.toPlainText().strip(),
        )

    def _write(self, vault: Vault) -> int:
        role, name, identifiers, notes = self._values()
        person = NewPerson(role, name, identifiers, notes)
        if self.record_id is None:
            person_id = add_person(vault, person)
        else:
            update_person(vault, self.record_id, person)
            person_id = self.record_id
        self.heading.setText(name)
        return person_id

    def _fill(self, values: object) -> None:
        if values is None:
            return
        role, name, identifiers, notes = cast(PersonValues, values)
        self.set_role(role)
        self.name_edit.setText(name)
        self.notes.setPlainText(notes)
        for row in list(self.rows):
            self._drop_row(row)
        for kind, value in identifiers or ((IdentifierKind.PHONE, ""),):
            self._add_row(kind, value)

    def _empty_fields(self) -> None:
        self.heading.clear()
        self.name_edit.clear()
        self.notes.clear()
        self.notes.document().clearUndoRedoStacks()
        self.recognised.clear()
        for row in list(self.rows):
            row.clear()
            self._drop_row(row)

    # ----- rows ----------------------------------------------------------------------------

    def _add_row_by_hand(self) -> None:
        row = self._add_row(IdentifierKind.PHONE, "")
        row.kind.setFocus()
        self._edited()

    def _add_row(self, kind: IdentifierKind, value: str) -> IdentifierRow:
        row = IdentifierRow(self._region, self.body)
        row.set(kind, value)
        row._changed()
        row.edited.connect(self._edited)
        row.remove_requested.connect(self._remove_row)
        self.rows.append(row)
        self._rows_box.addWidget(row)
        # Tab order follows the rows, then the "Add" button.
        previous = self.rows[-2].remove if len(self.rows) > 1 else self.role
        QWidget.setTabOrder(previous, row.kind)
        QWidget.setTabOrder(row.kind, row.value)
        QWidget.setTabOrder(row.value, row.remove)
        QWidget.setTabOrder(row.remove, self.add_row_button)
        return row

    def _remove_row(self, row: IdentifierRow) -> None:
        self._drop_row(row)
        self.add_row_button.setFocus()
        self._edited()

    def _drop_row(self, row: IdentifierRow) -> None:
        self.rows.remove(row)
        self._rows_box.removeWidget(row)
        row.setParent(None)
        row.deleteLater()
