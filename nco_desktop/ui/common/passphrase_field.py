"""One passphrase field for every place the window asks for one.

A passphrase typed blind goes wrong in two common ways: a typo the user cannot see,
and Caps Lock left on. So every field has a *Show* button (the text is shown only
while the user asks; emptying the field hides it again, so nothing is left shown for
someone passing by) and a warning line that appears while Caps Lock seems to be on.

Caps Lock: Qt has no portable way to ask whether Caps Lock is on (each platform has
its own call, and offscreen or remote sessions have none), so the field infers it
from the keys typed into it. A letter that comes out upper case without Shift held,
or lower case with Shift held, means Caps Lock is on; a letter that comes out as
Shift says means it is off. Pressing the Caps Lock key flips what was inferred (the
key toggles the lock). Until a letter is typed the state is unknown and no warning
is shown: the warning is a hint that may come one key late, never a false alarm
before anything was typed. Only the case of the last letter is looked at; nothing
typed is kept.

The strength hint for a new passphrase, and the rows that ask for one (twice, with the
hint and the no-recovery warning), live here too, so the create-vault and
change-passphrase dialogs say exactly the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.vault import NO_RECOVERY_WARNING
from nco_desktop.vault.kdf import check_new_passphrase


def passphrase_strength(passphrase: str) -> int:
    """0 refused, 1 fair, 2 good, 3 strong: a hint, not a promise.

    Length and separate words are what make a passphrase hard to guess and easy to
    remember; character-class rules make people write them down badly.
    """
    if check_new_passphrase(passphrase):
        return 0
    words = len(passphrase.split())
    if len(passphrase) >= 24 or words >= 4:
        return 3
    if len(passphrase) >= 16 or words >= 3:
        return 2
    return 1


def strength_hint(passphrase: str, repeated: str) -> str:
    """What to say under a new passphrase typed twice (create and change say the same)."""

    def tr(text: str) -> str:
        return QCoreApplication.translate("passphrase", text)

    hints = {
        # Advice above the refused minimum (kdf.MIN_PASSPHRASE_CHARS): below 12 it is "fair".
        0: tr("At least 12 characters. A few unrelated words work well."),
        1: tr("Fair. Longer is safer: add another word."),
        2: tr("Good."),
        3: tr("Strong."),
    }
    text = hints[passphrase_strength(passphrase)] if passphrase else hints[0]
    if passphrase and repeated and passphrase != repeated:
        text += " " + tr("The two passphrases are not the same yet.")
    return text


class CapsLockWatch(QObject):
    """Infers Caps Lock from the key presses of the line edit it watches (see the
    module's docstring for why it is inferred). :attr:`state` is True, False, or None
    while unknown; :attr:`changed` says when it moves."""

    changed = Signal(object)  # bool | None

    def __init__(self, edit: QLineEdit) -> None:
        super().__init__(edit)
        self.state: bool | None = None
        edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            self._key_pressed(event)
        return False  # the field still gets every key

    def _key_pressed(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_CapsLock:
            if self.state is not None:
                self._set(not self.state)
            return
        text = event.text()
        if len(text) != 1 or text.lower() == text.upper():
            return  # not a letter with two cases: it says nothing about Caps Lock
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        self._set(text.isupper() != shift)

    def _set(self, state: bool | None) -> None:
        if state != self.state:
            self.state = state
            self.changed.emit(state)

    def forget(self) -> None:
        """Back to unknown (the field was emptied; the user may have fixed it)."""
        self._set(None)


class PassphraseField(QWidget):
    """A password-echo line edit with a *Show* button and a Caps Lock warning line.

    :attr:`edit` is the QLineEdit itself (its signals, ``text()``, focus, key clicks in
    tests); the field adds only what is around it.
    """

    shown_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None, *, accessible_name: str = "") -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        row = QHBoxLayout()
        row.setSpacing(4)
        self.edit = QLineEdit(self)
        self.edit.setEchoMode(QLineEdit.EchoMode.Password)
        if accessible_name:
            self.edit.setAccessibleName(accessible_name)
        self.show_button = QToolButton(self)
        self.show_button.setCheckable(True)
        self.show_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # Reached by Tab like any button (a keyboard route), but a click leaves the
        # focus in the field so the user goes on typing.
        self.show_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.show_button.toggled.connect(self.set_shown)
        row.addWidget(self.edit, 1)
        row.addWidget(self.show_button)
        layout.addLayout(row)
        self.caps_label = QLabel(self.tr("Caps Lock seems to be on."), self)
        self.caps_label.setObjectName("errorText")
        self.caps_label.setAccessibleName(self.tr("Warning: Caps Lock seems to be on"))
        self.caps_label.hide()
        layout.addWidget(self.caps_label)
        self.caps_lock = CapsLockWatch(self.edit)
        self.caps_lock.changed.connect(self._caps_changed)
        self.setFocusProxy(self.edit)
        self._label_button(False)

    # ----- showing -------------------------------------------------------------------

    @property
    def shown(self) -> bool:
        return self.edit.echoMode() == QLineEdit.EchoMode.Normal

    def set_shown(self, shown: bool) -> None:
        if shown == self.shown and shown == self.show_button.isChecked():
            return  # already so: fields shown together stop here
        self.edit.setEchoMode(QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password)
        self.show_button.setChecked(shown)  # its toggled comes back here and stops
        self._label_button(shown)
        self.shown_changed.emit(shown)

    def _label_button(self, shown: bool) -> None:
        self.show_button.setText(self.tr("Hide") if shown else self.tr("Show"))
        words = self.tr("Hide the passphrase") if shown else self.tr("Show the passphrase")
        self.show_button.setAccessibleName(words)
        self.show_button.setToolTip(words)

    # ----- Caps Lock -----------------------------------------------------------------

    def _caps_changed(self, state: object) -> None:
        self.caps_label.setVisible(state is True)

    # ----- the text ------------------------------------------------------------------

    def text(self) -> str:
        return self.edit.text()

    def clear(self) -> None:
        """Empty the field, its undo history included (``setText`` resets it; ``clear``
        would keep what was typed as an undoable step), and hide the text again."""
        self.edit.setText("")
        self.set_shown(False)


def show_together(*fields: PassphraseField) -> None:
    """A passphrase typed twice is shown or hidden as one: the user compares the two."""
    for field in fields:
        for other in fields:
            if other is not field:
                field.shown_changed.connect(other.set_shown)


@dataclass(frozen=True)
class NewPassphraseRows:
    field: PassphraseField
    repeat: PassphraseField
    strength_label: QLabel
    understood_box: QCheckBox


def add_new_passphrase_rows(
    owner: QWidget,
    form: QFormLayout,
    layout: QBoxLayout,
    *,
    label: str,
    again_name: str,
    understood: str,
) -> NewPassphraseRows:
    """A new passphrase asked for twice (shown and hidden together), the strength hint
    under it, then *form* closed into *layout* and followed by the no-recovery warning
    and the box to tick that says it was understood."""
    tr = owner.tr
    field = PassphraseField(owner, accessible_name=label)
    field.edit.setPlaceholderText(tr("A few unrelated words"))
    repeat = PassphraseField(owner, accessible_name=again_name)
    show_together(field, repeat)
    form.addRow(label, field)
    form.addRow(tr("Again"), repeat)
    strength_label = QLabel(owner)
    strength_label.setWordWrap(True)
    form.addRow("", strength_label)
    layout.addLayout(form)
    warning = QLabel(tr(NO_RECOVERY_WARNING), owner)
    warning.setObjectName("warningBox")
    warning.setWordWrap(True)
    layout.addWidget(warning)
    understood_box = QCheckBox(understood, owner)
    layout.addWidget(understood_box)
    return NewPassphraseRows(field, repeat, strength_label, understood_box)
