"""Safe by default: a stray key or a scroll never says yes, quits or changes a choice.

Questions answer no to Enter, Space and Esc when their yes is risky; Quick exit takes no
keyboard focus and an Esc that closes a dialog is not half of the Esc-Esc gesture; the
mouse wheel over a form's combo or spin box scrolls the form instead of changing it.
Each is shown with the real widgets: real message boxes, real keys, real wheel events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QMessageBox, QWidget

from nco_desktop.binder.options import Corner
from nco_desktop.binder.saved_options import load_choices
from nco_desktop.case.details import case_fields, save_case_details
from nco_desktop.ui.binder.binder_page import BinderPage
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.people.order_editor import OrderEditor
from nco_desktop.ui.people.person_editor import PersonEditor
from nco_desktop.ui.shell.main_window import MainWindow
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE
from tests.ui.test_binder_page import _seed, build

# ----- helpers -----------------------------------------------------------------------------


@pytest.fixture
def real_prompts() -> Iterator[None]:
    """Questions show real boxes in this test (the suite fails on any by default)."""
    prompts.strict = False
    yield
    prompts.strict = True


def when_a_box_shows(act: Callable[[QMessageBox], None]) -> list[str]:
    """Run *act* on the next modal message box once it is on screen; returns, once it
    ran, the text of the button that had the focus (empty until then)."""
    seen: list[str] = []

    tries = [250]  # five seconds: a box that never comes must not be pressed in the next test

    def look() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            tries[0] -= 1
            if tries[0] > 0:
                QTimer.singleShot(20, look)
            return
        focus = box.focusWidget()
        seen.append(focus.text() if focus is not None and hasattr(focus, "text") else "")
        act(box)

    QTimer.singleShot(20, look)
    return seen


def press(key: Qt.Key) -> Callable[[QMessageBox], None]:
    """A key pressed as a user would: on the box's window, delivered to its focus."""

    def act(box: QMessageBox) -> None:
        from PySide6.QtTest import QTest

        QTest.keyClick(box.windowHandle(), key)

    return act


def wheel(widget: QWidget, steps: int = -3) -> None:
    """A mouse wheel turned over the middle of *widget* (negative: towards the user)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


# ----- questions ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_enter_or_space_on_a_risky_question_answers_no(qtbot, real_prompts, key):
    focused = when_a_box_shows(press(key))
    answer = prompts.confirm(None, "Remove?", "It goes.", yes="Remove it", no="Keep it")
    assert focused == ["Keep it"]
    assert answer is False


def test_esc_answers_no_even_where_yes_is_the_default(qtbot, real_prompts):
    when_a_box_shows(press(Qt.Key.Key_Escape))
    assert not prompts.confirm(None, "Build?", "", yes="Build anyway", no="Go back", risky=False)
    focused = when_a_box_shows(press(Qt.Key.Key_Return))  # harmless: Enter builds
    assert prompts.confirm(None, "Build?", "", yes="Build anyway", no="Go back", risky=False)
    assert focused == ["Build anyway"]


def test_a_click_on_the_named_button_still_says_yes(qtbot, real_prompts):
    def click_yes(box: QMessageBox) -> None:
        (yes,) = [b for b in box.buttons() if b.text() == "Remove it"]
        qtbot.mouseClick(yes, Qt.MouseButton.LeftButton)

    when_a_box_shows(click_yes)
    assert prompts.confirm(None, "Remove?", "It goes.", yes="Remove it", no="Keep it")


@pytest.fixture
def page(qtbot, vault, session, tmp_path) -> Iterator[BinderPage]:
    _seed(vault, tmp_path / "evidence")  # with private details listed
    widget = BinderPage(session)
    qtbot.addWidget(widget)
    widget.resize(1100, 520)
    session.open(vault)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    session.detach()


def test_enter_on_give_the_other_side_your_private_details_prints_nothing(
    qtbot, page, real_prompts, tmp_path
):
    build(qtbot, page)
    assert page.built is not None and page.built.service is None
    printers: list[object] = []
    page.choose_printer = lambda *args: printers.append(args)
    focused = when_a_box_shows(press(Qt.Key.Key_Return))
    assert not page.print_three_copies()
    assert focused == ["Don't print"]
    assert printers == [] and not page.busy  # no printer was even asked for
    assert prompts.asked[-1].title == "Give the other side your private details?"


def test_every_risky_question_defaults_to_its_safe_answer(qtbot, page):
    """The binder's questions as the program asks them (canned): what Enter answers."""
    build(qtbot, page)
    page.choose_printer = lambda *args: None
    prompts.answer_next(False)
    page.print_three_copies()
    assert prompts.asked[-1].default == "Don't print"


# ----- private details make the other side's copy -----------------------------------------


def test_listing_private_details_ticks_the_copy_for_the_other_side(qtbot, page, vault):
    form, case = page.options_form, page.case_form
    save_case_details(vault, case_fields(vault), [])
    case.load(vault)
    form.load(vault)
    assert not form.service_copy.isChecked()
    case.private_edit.setFocus()
    qtbot.keyClicks(case.private_edit, "42 Elm")
    assert form.service_copy.isChecked()
    assert load_choices(vault).service_copy  # saved, as a tick by hand is
    assert "Ticked for you" in form.service_note.text()

    # The user unticks it: their choice stands, even when they list details again.
    qtbot.mouseClick(form.service_copy, Qt.MouseButton.LeftButton, pos=QPoint(4, 4))
    assert not form.service_copy.isChecked()
    case.private_edit.clear()
    qtbot.keyClicks(case.private_edit, "Acme Dental")
    assert not form.service_copy.isChecked() and not load_choices(vault).service_copy


def test_showing_a_vault_never_changes_its_saved_choice(page, vault):
    """Details listed and the copy off, as saved: opening the view changes nothing
    (the print question still guards it)."""
    assert page.case_form.private_edit.toPlainText()
    assert not page.options_form.service_copy.isChecked()
    assert not load_choices(vault).service_copy


# ----- the mouse wheel ---------------------------------------------------------------------


def test_the_wheel_over_an_unfocused_choice_scrolls_the_form_and_changes_nothing(
    qtbot, page, vault
):
    form = page.options_form
    scroll = page._forms_scroll.verticalScrollBar()
    assert scroll.maximum() > 0  # the forms do not fit: there is something to scroll
    page.build_button.setFocus()
    for field in (form.corner, form.labels, form.paper, form.split_mb):
        scroll.setValue(0)
        before = field.currentIndex() if isinstance(field, QComboBox) else field.value()
        wheel(field)
        after = field.currentIndex() if isinstance(field, QComboBox) else field.value()
        assert after == before, field.accessibleName()
        assert scroll.value() > 0, field.accessibleName()  # the form scrolled instead
        assert not field.hasFocus()
    assert load_choices(vault).options.stamp_corner == Corner.BOTTOM_RIGHT


def test_the_wheel_still_steps_the_choice_being_edited(qtbot, page, vault):
    form = page.options_form
    page.activateWindow()
    qtbot.waitUntil(lambda: page.isActiveWindow())
    form.corner.setFocus()
    qtbot.waitUntil(form.corner.hasFocus)
    wheel(form.corner, steps=-1)
    assert form.corner.currentIndex() == 1  # the next corner down the list
    assert load_choices(vault).options.stamp_corner == Corner.BOTTOM_LEFT


@pytest.mark.parametrize("editor_type", [PersonEditor, OrderEditor])
def test_people_and_order_forms_guard_every_choice(qtbot, editor_type):
    editor = editor_type()
    qtbot.addWidget(editor)
    editor.show()
    fields = editor.findChildren(QComboBox) + editor.findChildren(QAbstractSpinBox)
    assert fields
    for field in fields:
        if isinstance(field, QComboBox) and field.count() < 2:
            field.addItems(["one", "two", "three"])
        before = field.currentIndex() if isinstance(field, QComboBox) else field.text()
        wheel(field, steps=1)
        wheel(field, steps=-1)
        after = field.currentIndex() if isinstance(field, QComboBox) else field.text()
        assert after == before, field.accessibleName()
        assert field.focusPolicy() == Qt.FocusPolicy.StrongFocus


# ----- quick exit and Esc ------------------------------------------------------------------


@pytest.fixture
def window(qtbot, demo_path) -> Iterator[MainWindow]:
    w = MainWindow(AppSettings(), kdf=TEST_KDF, demo_path=demo_path)
    qtbot.addWidget(w)
    w.show()
    w.show_start()
    qtbot.waitExposed(w)
    yield w
    w.lock()


@pytest.fixture
def saved_vault(tmp_path) -> Path:
    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF).close()
    return path


def open_in(qtbot, window: MainWindow, path: Path) -> None:
    window.ask_to_unlock(path)
    qtbot.keyClicks(window.unlock_screen.passphrase_edit, PASSPHRASE)
    qtbot.mouseClick(window.unlock_screen.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.vault is not None, timeout=10_000)


def test_space_after_a_build_does_not_quit(qtbot, window):
    quits: list[bool] = []
    window.quick_exited.connect(lambda: quits.append(True))
    window.open_demo()
    qtbot.waitUntil(lambda: window.vault is not None, timeout=60_000)
    window.activateWindow()
    window.workspace.nav.setCurrentRow(window.workspace.BINDER)
    binder = window.workspace.binder
    binder.build_button.setFocus()
    qtbot.keyClick(binder.build_button, Qt.Key.Key_Space)  # the user's own way to build
    assert binder.busy
    qtbot.waitUntil(lambda: not binder.busy, timeout=120_000)
    assert binder.built is not None
    focus = QApplication.focusWidget()
    qtbot.keyClick(window.windowHandle(), Qt.Key.Key_Space)  # to whatever has the focus
    assert quits == [] and window.isVisible() and window.vault is not None
    assert focus is not window.quick_exit_button
    assert window.quick_exit_button.focusPolicy() == Qt.FocusPolicy.NoFocus


def test_quick_exit_is_on_the_start_and_unlock_screens(qtbot, window, saved_vault):
    assert window.stack.currentIndex() == MainWindow.START
    assert window.quick_exit_button.isVisible()
    window.ask_to_unlock(saved_vault)
    assert window.quick_exit_button.isVisible()
    qtbot.keyClicks(window.unlock_screen.passphrase_edit, "half a passph")
    with qtbot.waitSignal(window.quick_exited):
        qtbot.mouseClick(window.quick_exit_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible()
    assert window.unlock_screen.passphrase_edit.text() == ""  # nothing typed is left


def test_esc_that_closes_a_dialog_is_not_half_of_esc_esc(qtbot, window, saved_vault, real_prompts):
    open_in(qtbot, window, saved_vault)
    quits: list[bool] = []
    window.quick_exited.connect(lambda: quits.append(True))
    when_a_box_shows(press(Qt.Key.Key_Escape))
    prompts.warn(window, "Something to read", "Esc closes this.")
    qtbot.keyClick(window.windowHandle(), Qt.Key.Key_Escape)  # one Esc, at once
    assert quits == [] and window.isVisible() and window.vault is not None
    qtbot.keyClick(window.windowHandle(), Qt.Key.Key_Escape)  # and a second: the gesture
    assert quits == [True] and window.vault is None
