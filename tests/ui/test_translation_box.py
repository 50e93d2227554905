"""The English translation typed in the detail pane, on real vaults: added, saved on
leaving and switching, refused with the words kept, removed, and wiped on lock."""

from __future__ import annotations

import os
from pathlib import Path
from xml.sax.saxutils import quoteattr

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QScrollArea

from nco_desktop.evidence.translations import CHANGED_ACTION, Translation, set_translation
from nco_desktop.evidence.translations import translation as stored
from nco_desktop.importers.batch import import_paths
from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.shell.main_window import MainWindow
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE, write_file
from tests.support.factories import BASE_MS, SAM, add_incident, only
from tests.ui.test_screenshots import assert_nothing_cut, save

SPANISH = (
    "Sé dónde vives. Estoy afuera de tu casa.",
    "¿Por qué no me contestas? Llámame en cuanto leas esto.",
    "Por favor déjame en paz.",
)
ENGLISH = "I know where you live. I'm outside your house."


def texts(box) -> str:
    return " ".join(label.text() for label in box.findChildren(QLabel))


def changes(vault) -> int:
    (count,) = vault.conn.execute(
        "SELECT count(*) FROM audit_log WHERE action = ?", (CHANGED_ACTION,)
    ).fetchone()
    return int(count)


def test_every_kind_but_an_incident_offers_one_collapsed(pane, case):
    for kind in ("message", "call", "email", "image", "document", "note"):
        pane.show_entry(only(case, kind)[0].id)
        box = pane.translation_box()
        assert box is not None, kind
        assert not box.is_open and box.open_button.isVisible(), kind
        assert "Add an English translation" in box.open_button.text()
    pane.show_entry(add_incident(case))
    assert pane.translation_box() is None  # the user's own account, printed as written


def test_a_translation_added_through_the_box_is_saved_once(qtbot, pane, case):
    message = only(case, "message")[0]
    pane.show_entry(message.id)
    box = pane.translation_box()
    box.open_button.click()
    assert box.is_open and not box.open_button.isVisible()
    assert "of the selected message" in texts(box)
    for field in (box.language_edit, box.translator_edit, box.edit, box.save_button):
        assert field.accessibleName() or field.text()
    assert box.edit.tabChangesFocus()
    assert "3.1110(g)" in texts(box)
    box.language_edit.setText("spanish")
    box.edit.setPlainText(ENGLISH)
    assert box.save_button.isEnabled()
    before = changes(case)
    with qtbot.waitSignal(pane.note_saved) as saved:
        box.save_button.click()
    assert saved.args == [message.id]
    assert stored(case.conn, message.id) == Translation("Spanish", ENGLISH, "")
    assert changes(case) == before + 1
    assert box.language_edit.text() == "Spanish"  # shown as the vault keeps it
    assert "saved" in box.status.text().lower() and not box.save_button.isEnabled()
    with qtbot.assertNotEmitted(pane.note_saved):
        assert pane.commit_pending_edits()  # nothing changed: no write
    assert changes(case) == before + 1
    pane.show_entry(only(case, "email")[0].id)
    pane.show_entry(message.id)  # back again: open, with what was saved
    box = pane.translation_box()
    assert box.is_open and not box.open_button.isVisible()
    assert (box.language_edit.text(), box.edit.toPlainText()) == ("Spanish", ENGLISH)


def test_ctrl_s_saves_and_enter_only_moves_on(qtbot, pane, case):
    message = only(case, "message")[1]
    pane.show_entry(message.id)
    pane.activateWindow()
    qtbot.waitActive(pane)
    box = pane.translation_box()
    box.open_button.click()
    assert box.language_edit.hasFocus()
    qtbot.keyClicks(box.language_edit, "Spanish")
    qtbot.keyClick(box.language_edit, Qt.Key.Key_Return)
    assert box.translator_edit.hasFocus()
    qtbot.keyClicks(box.translator_edit, "Ana Ruiz")
    qtbot.keyClick(box.translator_edit, Qt.Key.Key_Return)
    assert box.edit.hasFocus()
    assert stored(case.conn, message.id) is None  # moving between its fields saves nothing
    assert box.status.text() == ""
    qtbot.keyClicks(box.edit, "Answer me.")
    with qtbot.waitSignal(pane.note_saved):
        qtbot.keyClick(box.edit, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert stored(case.conn, message.id) == Translation("Spanish", "Answer me.", "Ana Ruiz")


def test_leaving_the_box_or_switching_entries_saves_it(qtbot, pane, case):
    first, second = only(case, "message")[:2]
    pane.show_entry(first.id)
    pane.activateWindow()
    qtbot.waitActive(pane)
    box = pane.translation_box()
    box.open_button.click()
    box.language_edit.setText("Portuguese")
    box.edit.setFocus()
    box.edit.setPlainText("Where are you?")
    with qtbot.waitSignal(pane.note_saved):
        pane.note_edit.setFocus()  # focus leaves the box
    assert stored(case.conn, first.id) == Translation("Portuguese", "Where are you?", "")
    pane.show_entry(second.id)
    box = pane.translation_box()
    box.open_button.click()
    box.language_edit.setText("Spanish")
    box.translator_edit.setText("Ana Ruiz, certified interpreter")
    box.edit.setPlainText(ENGLISH)
    with qtbot.waitSignal(pane.note_saved) as saved:
        pane.show_entry(first.id)  # switching saves the one being typed
    assert saved.args == [second.id]
    assert stored(case.conn, second.id) == Translation(
        "Spanish", ENGLISH, "Ana Ruiz, certified interpreter"
    )


def test_a_refused_translation_keeps_the_words_and_says_why(qtbot, pane, case):
    message, other = only(case, "message")[:2]
    pane.show_entry(message.id)
    box = pane.translation_box()
    box.open_button.click()
    box.edit.setPlainText(ENGLISH)  # no language given
    before = changes(case)
    with qtbot.assertNotEmitted(pane.note_saved):
        pane.show_entry(other.id)  # refused: the pane stays on the entry
    assert pane.translation_box() is box
    assert box.edit.toPlainText() == ENGLISH
    assert "not saved yet" in box.status.text()
    assert "Say which language" in box.status.text()
    assert stored(case.conn, message.id) is None and changes(case) == before
    box.language_edit.setText("English")  # refused too, for its own reason
    assert not box.commit()
    assert "another language" in box.status.text() and box.edit.toPlainText() == ENGLISH
    box.language_edit.setText("Spanish")
    assert box.status.text() == ""  # typing again clears the old reason
    pane.show_entry(other.id)
    assert stored(case.conn, message.id) == Translation("Spanish", ENGLISH, "")


def test_clearing_the_english_and_saving_removes_it(qtbot, pane, case):
    message = only(case, "message")[0]
    set_translation(case, message.id, "Spanish", ENGLISH)
    pane.show_entry(message.id)
    box = pane.translation_box()
    assert box.is_open and box.edit.toPlainText() == ENGLISH
    before = changes(case)
    box.edit.setPlainText("   ")
    assert box.save_button.isEnabled()
    with qtbot.waitSignal(pane.note_saved):
        box.save_button.click()
    assert stored(case.conn, message.id) is None
    assert changes(case) == before + 1
    assert "removed" in box.status.text()
    box.language_edit.setText("French")  # a language alone is not a translation
    assert not box.save_button.isEnabled() and box.commit()
    assert stored(case.conn, message.id) is None and changes(case) == before + 1


def test_locking_saves_then_wipes_the_words_from_the_widgets(qtbot, pane, case):
    message = only(case, "message")[0]
    set_translation(case, message.id, "Spanish", ENGLISH)
    pane.show_entry(message.id)
    box = pane.translation_box()
    box.translator_edit.setText("Ana Ruiz")  # typed, not saved yet
    pane.session.detach()
    assert stored(case.conn, message.id) == Translation("Spanish", ENGLISH, "Ana Ruiz")
    fields = (box.language_edit.text(), box.translator_edit.text(), box.edit.toPlainText())
    assert fields == ("", "", "")
    assert not box.edit.document().isUndoAvailable()
    assert not box.translator_edit.isUndoAvailable()
    assert pane.translation_box() is None


def spanish_sms(folder: Path) -> Path:
    rows = "\n".join(
        f'<sms protocol="0" address="{SAM}" date="{BASE_MS + i * 60_000}" type="1" '
        f'body={quoteattr(text)} contact_name="Marcos Peña" />'
        for i, text in enumerate(SPANISH)
    )
    xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<smses count="3">\n{rows}\n</smses>\n'
    return write_file(folder / "sms-20240313.xml", xml)


def test_screenshot_of_a_spanish_message_with_its_translation(qtbot, demo_path, tmp_path):
    """The window at 1280×720, light, with a Spanish text and its English open in the
    pane; saved to ``$NCO_SCREENSHOTS`` when set, else the test's folder."""
    folder = Path(os.environ.get("NCO_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "Spanish case.ncovault"
    with Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF) as vault:
        import_paths(vault, [spanish_sms(tmp_path / "in").parent])
        first = only(vault, "message")[0]
    window = MainWindow(AppSettings(), kdf=TEST_KDF, demo_path=demo_path)
    qtbot.addWidget(window)
    QApplication.instance().apply_color_scheme(Qt.ColorScheme.Light)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    window._open_with_key(Vault.derive_key(path, PASSPHRASE))
    qtbot.waitUntil(lambda: window.vault is not None)
    try:
        detail = window.workspace.detail
        detail.show_entry(first.id)
        box = detail.translation_box()
        QApplication.processEvents()
        detail.findChild(QScrollArea).ensureWidgetVisible(box, 0, 12)
        save(window, folder, "29-translation-button-light")  # none yet: one button
        box.open_button.click()
        box.language_edit.setText("Spanish")
        box.edit.setPlainText(ENGLISH)
        assert box.commit()
        QApplication.processEvents()  # the opened box takes its room first
        detail.findChild(QScrollArea).ensureWidgetVisible(box, 0, 12)
        save(window, folder, "30-translation-in-the-pane-light")
        assert_nothing_cut(window, "translation", [box.save_button])
    finally:
        window.lock()
