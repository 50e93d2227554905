"""Every passphrase field: a Show button, and a Caps Lock warning inferred from keys.

Caps Lock is inferred from key events (Qt has no portable way to ask), so these tests
send the key events a keyboard with Caps Lock on or off would: a letter's text in the
case the keyboard produced, with or without Shift.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QKeyEvent, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.common.passphrase_field import PassphraseField, strength_hint
from nco_desktop.ui.shell.main_window import MainWindow
from nco_desktop.ui.shell.passphrase_dialog import ChangePassphraseDialog
from nco_desktop.ui.start.create_vault_dialog import CreateVaultDialog
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE

SHIFT = Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier


def type_key(widget: QWidget, key: Qt.Key, text: str, modifiers=NONE) -> None:
    """A key press and release as the keyboard sends them: *text* is what the key
    produced (upper case with Caps Lock on, whatever Shift says)."""
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, modifiers, text))


@pytest.fixture
def field(qtbot) -> PassphraseField:
    widget = PassphraseField(accessible_name="Passphrase")
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_show_reveals_the_text_and_emptying_hides_it_again(qtbot, field):
    assert field.edit.echoMode() == QLineEdit.EchoMode.Password
    assert field.show_button.text() == "Show"
    QTest.keyClicks(field.edit, "my secret words")
    qtbot.mouseClick(field.show_button, Qt.MouseButton.LeftButton)
    assert field.edit.echoMode() == QLineEdit.EchoMode.Normal
    assert field.show_button.text() == "Hide"
    assert field.show_button.accessibleName() == "Hide the passphrase"
    qtbot.mouseClick(field.show_button, Qt.MouseButton.LeftButton)
    assert field.edit.echoMode() == QLineEdit.EchoMode.Password
    field.set_shown(True)
    field.clear()  # as after unlocking or locking: nothing left shown for a passer-by
    assert field.text() == "" and field.edit.echoMode() == QLineEdit.EchoMode.Password
    field.edit.undo()
    assert field.text() == ""  # and no undo step brings it back


def test_caps_lock_is_inferred_from_the_letters_typed(field):
    edit, warning = field.edit, field.caps_label
    type_key(edit, Qt.Key.Key_1, "1")
    assert warning.isHidden()  # nothing known yet: no false alarm
    type_key(edit, Qt.Key.Key_A, "A")  # upper case without Shift: Caps Lock is on
    assert not warning.isHidden()
    type_key(edit, Qt.Key.Key_7, "7")  # a digit says nothing either way
    assert not warning.isHidden()
    type_key(edit, Qt.Key.Key_B, "b", SHIFT)  # lower case with Shift: still on
    assert not warning.isHidden()
    type_key(edit, Qt.Key.Key_CapsLock, "")  # the user turns it off
    assert warning.isHidden()
    type_key(edit, Qt.Key.Key_C, "c")  # lower case without Shift: off
    assert warning.isHidden()
    type_key(edit, Qt.Key.Key_D, "D", SHIFT)  # upper case with Shift: off
    assert warning.isHidden()
    type_key(edit, Qt.Key.Key_CapsLock, "")  # on again
    assert not warning.isHidden()
    type_key(edit, Qt.Key.Key_E, "é")  # letters beyond ASCII count too
    assert warning.isHidden()
    assert edit.text() == "1A7bcDé"  # the field still got every key


def test_caps_lock_key_before_any_letter_says_nothing(field):
    type_key(field.edit, Qt.Key.Key_CapsLock, "")
    assert field.caps_lock.state is None
    assert field.caps_label.isHidden()


def test_the_unlock_screen_has_both(qtbot, demo_path, tmp_path: Path):
    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, kdf=TEST_KDF).close()
    window = MainWindow(AppSettings(), kdf=TEST_KDF, demo_path=demo_path)
    qtbot.addWidget(window)
    window.show()
    window.ask_to_unlock(path)
    screen = window.unlock_screen
    assert screen.passphrase_field.edit is screen.passphrase_edit
    type_key(screen.passphrase_edit, Qt.Key.Key_C, "C")
    assert screen.passphrase_field.caps_label.isVisible()
    qtbot.mouseClick(screen.passphrase_field.show_button, Qt.MouseButton.LeftButton)
    assert screen.passphrase_edit.echoMode() == QLineEdit.EchoMode.Normal
    window.ask_to_unlock(path)  # as after a lock: empty and hidden again
    assert screen.passphrase_edit.text() == ""
    assert screen.passphrase_edit.echoMode() == QLineEdit.EchoMode.Password


def test_create_and_change_dialogs_have_both_and_say_the_same_hint(qtbot, tmp_path: Path):
    create = CreateVaultDialog(kdf=TEST_KDF)
    qtbot.addWidget(create)
    with Vault.create(tmp_path / "c.ncovault", PASSPHRASE, kdf=TEST_KDF) as vault:
        change = ChangePassphraseDialog(vault.vault_key())
    qtbot.addWidget(change)
    pairs = (
        (create.passphrase_field, create.repeat_field),
        (change.new_field, change.repeat_field),
    )
    for first, again in pairs:
        assert isinstance(first, PassphraseField) and isinstance(again, PassphraseField)
        first.set_shown(True)  # typed twice: shown and hidden together
        assert again.shown
        again.set_shown(False)
        assert not first.shown
    assert isinstance(change.current_field, PassphraseField)
    for text, repeated in (("short", ""), ("abcdefghij", "abc"), (PASSPHRASE, PASSPHRASE)):
        create.passphrase_edit.setText(text)
        create.repeat_edit.setText(repeated)
        change.new_field.edit.setText(text)
        change.repeat_field.edit.setText(repeated)
        assert create.strength_label.text() == change.strength_label.text()
        assert create.strength_label.text() == strength_hint(text, repeated)
    change.reject()


def test_the_time_zone_ignores_the_wheel_unless_it_is_being_edited(qtbot):
    dialog = CreateVaultDialog(kdf=TEST_KDF)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    zone = dialog.zone_box
    zone.setCurrentText("America/Chicago")
    dialog.title_edit.setFocus()

    def wheel(steps: int) -> None:
        centre = QPointF(zone.rect().center())
        QApplication.sendEvent(
            zone,
            QWheelEvent(
                centre,
                QPointF(zone.mapToGlobal(centre.toPoint())),
                QPoint(0, 0),
                QPoint(0, 120 * steps),
                Qt.MouseButton.NoButton,
                NONE,
                Qt.ScrollPhase.NoScrollPhase,
                False,
            ),
        )

    wheel(-3)
    assert zone.currentText() == "America/Chicago"  # scrolling past it changed nothing
    assert not zone.hasFocus()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    zone.setFocus()
    qtbot.waitUntil(zone.hasFocus)
    wheel(-1)
    assert zone.currentText() != "America/Chicago"  # the field being edited still steps
