"""The larger picture window, and marking areas to hide with the keyboard.

A phone screenshot fitted whole into the pane is shown at ~13 %, which cannot be read;
the larger window opens it at the window's width, from a larger rendering the sandbox
made. Areas made, moved, resized and removed with the keys are saved as the mouse's
are: one audited write each, read back here through the Qt-free model.
"""

from __future__ import annotations

import io
import json

import pytest
import shiboken6
from PIL import Image, ImageDraw
from PySide6.QtCore import Qt
from PySide6.QtGui import QImageReader
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from nco_desktop.evidence.picture_areas import Area, picture_areas
from nco_desktop.importers.batch import import_paths
from nco_desktop.timeline.previews import PicturePreviews
from nco_desktop.ui.common.session import Change
from nco_desktop.ui.detail import detail_pane as detail_pane_module
from nco_desktop.ui.detail.area_keys import BIG_STEP_PX, STEP_PX
from nco_desktop.ui.detail.detail_pane import DetailPane
from nco_desktop.ui.detail.detail_sections import PictureSection
from nco_desktop.ui.detail.picture_window import PictureWindow
from nco_desktop.ui.detail.sandbox_feed import LARGE_PICTURE_SIDE
from tests.support.factories import only

SCREENSHOT = "Screenshot_20240312-221530.png"
SMALL = "IMG_20240313_080000.png"
CTRL, SHIFT = Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier
NONE = Qt.KeyboardModifier.NoModifier


def _png(width: int, height: int, lines: bool) -> bytes:
    image = Image.new("RGB", (width, height), (250, 250, 250))
    if lines:  # a chat: a bubble every 120 px, as a phone screenshot has
        draw = ImageDraw.Draw(image)
        for top in range(80, height - 100, 120):
            draw.rounded_rectangle((40, top, width - 200, top + 90), 24, fill=(220, 230, 245))
            draw.text((70, top + 30), "I know where you park. Answer me.", fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def pictures(vault, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / SCREENSHOT).write_bytes(_png(1080, 2340, lines=True))
    (folder / SMALL).write_bytes(_png(300, 200, lines=False))
    import_paths(vault, [folder])
    return vault


@pytest.fixture
def pane(qtbot, pictures, session):
    widget = DetailPane(session)
    qtbot.addWidget(widget)
    widget.resize(440, 700)
    session.open(pictures)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def show_picture(qtbot, pane, name: str):
    (entry,) = only(pane.session.vault, "image", name)
    pane.show_entry(entry.id)
    section = pane.findChild(PictureSection)
    qtbot.waitUntil(lambda: not section.status.isVisibleTo(section), timeout=20_000)
    QApplication.processEvents()  # the layout settles after the sentence went
    return pane.image_viewer()


def open_windows() -> list[PictureWindow]:
    """Picture windows showing a picture (one closed a moment ago awaits deletion)."""
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, PictureWindow) and not w.forgotten()
    ]


def open_window(qtbot, pane, how: str = "button") -> PictureWindow:
    viewer = pane.image_viewer()
    if how == "button":
        viewer.larger_button.click()
    elif how == "double-click":
        point = viewer.view_point(0.5, 0.3).toPoint()
        QTest.mouseDClick(viewer.view().viewport(), Qt.MouseButton.LeftButton, NONE, point)
    else:
        pane.activateWindow()
        qtbot.waitActive(pane)
        viewer.view().setFocus()
        QTest.keyClick(viewer.view(), Qt.Key.Key_Return, CTRL)
    windows = open_windows()
    assert len(windows) == 1
    window = windows[0]
    qtbot.waitExposed(window)
    return window


def larger_arrived(qtbot, window: PictureWindow) -> None:
    qtbot.waitUntil(lambda: not window.status.isVisibleTo(window), timeout=20_000)


def test_a_tall_screenshot_opens_readable_from_a_larger_sandbox_rendering(qtbot, pane, monkeypatch):
    # The pane asks for a small rendering, so the window's pixels can only be its own.
    monkeypatch.setattr(detail_pane_module, "PICTURE_SIDE", 800)
    asked: list[int] = []
    real_picture = PicturePreviews.picture
    monkeypatch.setattr(
        PicturePreviews,
        "picture",
        lambda self, data, max_side=4096: (
            asked.append(max_side),
            real_picture(self, data, max_side),
        )[1],
    )
    viewer = show_picture(qtbot, pane, SCREENSHOT)
    assert (viewer.image_size().width(), viewer.image_size().height()) == (369, 800)
    assert viewer.scale() < 0.5  # the pane fits the whole screenshot: too small to read
    readers: list[object] = []
    real_read = QImageReader.read
    monkeypatch.setattr(
        QImageReader, "read", lambda self: (readers.append(self), real_read(self))[1]
    )
    assert viewer.larger_button.isVisible() and viewer.larger_button.accessibleName()
    window = open_window(qtbot, pane)
    window.resize(1280, 720)
    larger_arrived(qtbot, window)
    QApplication.processEvents()
    big = window.viewer
    assert (big.image_size().width(), big.image_size().height()) == (1080, 2340)
    assert asked[-1] == LARGE_PICTURE_SIDE
    assert readers == []  # the window decoded nothing: the pixels are the worker's
    assert big.fit_mode() == "width"
    assert big.scale() >= 0.45  # not 13 %: the width of the window, at most 100 %
    assert big.view().verticalScrollBar().maximum() > 0  # the rest is a scroll away
    assert big.view().verticalScrollBar().value() == 0  # it opens at the top
    # The title never names the file: the window switcher is seen by others.
    assert window.windowTitle() == "Picture — NCO Desktop"
    assert "Screenshot" not in window.windowTitle() and not window.windowFilePath()
    # Zoom keys: Ctrl+= in, Ctrl+- out, Ctrl+1 is 100 %, Ctrl+9 whole, Ctrl+0 fits again.
    fitted = big.scale()
    window.activateWindow()
    qtbot.waitActive(window)
    big.view().setFocus()
    QTest.keyClick(big.view(), Qt.Key.Key_Equal, CTRL)
    assert big.scale() == pytest.approx(fitted * 1.25)
    QTest.keyClick(big.view(), Qt.Key.Key_Minus, CTRL)
    QTest.keyClick(big.view(), Qt.Key.Key_Minus, CTRL)
    assert big.scale() == pytest.approx(fitted / 1.25)
    QTest.keyClick(big.view(), Qt.Key.Key_1, CTRL)
    assert big.scale() == pytest.approx(1.0)
    QTest.keyClick(big.view(), Qt.Key.Key_9, CTRL)
    assert big.scale() < 0.35 and big.fit_mode() == "whole"
    QTest.keyClick(big.view(), Qt.Key.Key_0, CTRL)
    assert big.scale() == pytest.approx(fitted) and big.fit_mode() == "width"
    window.resize(700, 720)  # a narrower window fits its new width
    QApplication.processEvents()
    assert big.scale() < fitted
    # View larger again brings the same window back, not a second one.
    viewer.larger_button.click()
    assert open_windows() == [window]


def test_a_small_picture_opens_at_its_own_size_and_by_double_click_or_ctrl_enter(qtbot, pane):
    show_picture(qtbot, pane, SMALL)
    window = open_window(qtbot, pane, "keys")
    larger_arrived(qtbot, window)
    window.resize(1280, 720)
    QApplication.processEvents()
    assert window.viewer.scale() == pytest.approx(1.0)  # never enlarged past 100 %
    window.close()
    assert window.forgotten() and not window.isVisible() and not window.viewer.has_image()
    window = open_window(qtbot, pane, "double-click")
    assert window.viewer.has_image()
    # Another entry: the window goes with the picture it showed.
    pane.show_entry(only(pane.session.vault, "image", SCREENSHOT)[0].id)
    assert window.forgotten() and not window.isVisible()


def test_locking_closes_the_window_and_forgets_its_pixels(qtbot, pane, session):
    show_picture(qtbot, pane, SCREENSHOT)
    window = open_window(qtbot, pane)
    larger_arrived(qtbot, window)
    big = window.viewer
    assert big.has_image()
    session.detach()
    assert not window.isVisible()
    assert not shiboken6.isValid(big) or not big.has_image()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))  # and the window is gone
    assert not [w for w in QApplication.topLevelWidgets() if isinstance(w, PictureWindow)]


def _audit_rows(vault) -> list[tuple[str, dict]]:
    return [
        (action, json.loads(details))
        for action, details in vault.conn.execute(
            "SELECT action, details_json FROM audit_log WHERE action = 'picture.areas_changed' "
            "ORDER BY seq"
        )
    ]


def test_areas_made_moved_resized_and_removed_by_keyboard_are_saved_like_dragged_ones(qtbot, pane):
    vault = pane.session.vault
    viewer = show_picture(qtbot, pane, SCREENSHOT)
    bar = pane.picture_areas_bar()
    original_id = pane.current_detail().original.id
    view = viewer.view()
    # One box dragged with the mouse, for comparison.
    bar.mark_button.click()
    start, end = viewer.view_point(0.1, 0.05).toPoint(), viewer.view_point(0.5, 0.1).toPoint()
    QTest.mousePress(view.viewport(), Qt.MouseButton.LeftButton, NONE, start)
    QTest.mouseMove(view.viewport(), (start + end) / 2)
    with qtbot.waitSignal(bar.changed):
        QTest.mouseRelease(view.viewport(), Qt.MouseButton.LeftButton, NONE, end)
    assert len(picture_areas(vault.conn, original_id)) == 1
    # Add box: a box in the middle, the keyboard on the picture, the keys explained.
    assert bar.add_button.isVisible() and "arrow keys" in bar.add_button.toolTip()
    bar.add_button.click()
    assert view.hasFocus()
    draft = viewer.keys.draft()
    assert draft is not None and viewer.keys.selected() is None
    assert "Enter saves it" in bar.status.text() and "Enter saves it" in (
        view.accessibleDescription()
    )
    assert len(picture_areas(vault.conn, original_id)) == 1  # not saved while moved
    size, scale = viewer.image_size(), viewer.scale()
    for key, mods in (
        (Qt.Key.Key_Right, NONE),
        (Qt.Key.Key_Right, NONE),
        (Qt.Key.Key_Down, CTRL),
        (Qt.Key.Key_Right, SHIFT),
        (Qt.Key.Key_Down, SHIFT),
    ):
        QTest.keyClick(view, key, mods)
    step_x, step_y = STEP_PX / scale / size.width(), STEP_PX / scale / size.height()
    big_y = BIG_STEP_PX / scale / size.height()
    left, top, right, bottom = draft
    expected = (
        left + 2 * step_x,
        top + big_y,
        right + 3 * step_x,
        bottom + big_y + step_y,
    )
    assert viewer.keys.draft() == pytest.approx(expected)
    with qtbot.waitSignal(bar.changed):
        QTest.keyClick(view, Qt.Key.Key_Return)
    dragged, typed = picture_areas(vault.conn, original_id)
    assert (typed.left, typed.top, typed.right, typed.bottom) == pytest.approx(expected)
    assert viewer.area_count() == 2 and viewer.keys.selected() == 1  # still chosen
    # Moved again and confirmed: replaced in place, the mouse's box untouched.
    QTest.keyClick(view, Qt.Key.Key_Left)
    with qtbot.waitSignal(bar.changed):
        QTest.keyClick(view, Qt.Key.Key_Enter)
    first, moved = picture_areas(vault.conn, original_id)
    assert first == dragged and moved.left == pytest.approx(typed.left - step_x)
    assert moved.top == pytest.approx(typed.top)
    # Tab goes from box to box, then on out of the picture: the keyboard is not trapped.
    view.clearFocus()
    view.setFocus(Qt.FocusReason.TabFocusReason)
    assert viewer.keys.selected() == 0
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert viewer.keys.selected() == 1
    QTest.keyClick(view, Qt.Key.Key_Tab)
    assert viewer.keys.selected() is None
    # Esc takes back a new box: nothing saved.
    bar.add_action.trigger()
    QTest.keyClick(view, Qt.Key.Key_Right)
    QTest.keyClick(view, Qt.Key.Key_Escape)
    assert viewer.keys.draft() is None
    assert picture_areas(vault.conn, original_id) == [dragged, moved]
    # Delete removes the chosen box.
    viewer.keys.select(0)
    with qtbot.waitSignal(bar.changed):
        QTest.keyClick(view, Qt.Key.Key_Delete)
    assert picture_areas(vault.conn, original_id) == [moved]
    # Each box was one audited write, whichever hand made it: dragged, added, moved,
    # removed — never one per key press.
    assert [details for _, details in _audit_rows(vault)] == [
        {"original_id": original_id, "areas": 1},
        {"original_id": original_id, "areas": 2},
        {"original_id": original_id, "areas": 2},
        {"original_id": original_id, "areas": 1},
    ]


def test_a_box_made_in_the_larger_window_is_saved_and_shown_in_the_pane(qtbot, pane, session):
    vault = session.vault
    viewer = show_picture(qtbot, pane, SCREENSHOT)
    original_id = pane.current_detail().original.id
    window = open_window(qtbot, pane)
    larger_arrived(qtbot, window)
    bar = window.areas_bar
    assert bar is not None
    notified: list[object] = []
    session.changed.connect(lambda change, origin: notified.append(change))
    bar.add_action.trigger()  # Add box starts marking, too
    assert bar.mark_button.isChecked() and window.viewer.marking()
    QTest.keyClick(window.viewer.view(), Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    with qtbot.waitSignal(pane.picture_areas_bar().changed):
        QTest.keyClick(window.viewer.view(), Qt.Key.Key_Return)
    (area,) = picture_areas(vault.conn, original_id)
    assert viewer.area_count() == 1 and viewer.areas() == [
        (area.left, area.top, area.right, area.bottom)
    ]
    assert Change.NOTES in notified  # the binder's copy for the other side is stale
    # A box being moved when the vault locks is kept where it was put.
    bar.add_box()
    QTest.keyClick(window.viewer.view(), Qt.Key.Key_Right)
    draft = window.viewer.keys.draft()
    session.detach()
    assert picture_areas(vault.conn, original_id) == [area, Area(*draft)]


def test_the_pane_viewer_hands_its_keys_to_the_help_list_and_shows_focus(qtbot, pane):
    viewer = show_picture(qtbot, pane, SCREENSHOT)
    words = {action.text(): action.shortcuts() for action in viewer.actions()}
    assert words["Fit"][0].toString() == "Ctrl+0"
    assert words["Actual size (100 %)"][0].toString() == "Ctrl+1"
    assert "Ctrl+=" in [key.toString() for key in words["Zoom in"]]
    assert words["View larger"][0].toString() == "Ctrl+Return"
    assert "Ctrl+Shift+A" in [a.shortcut().toString() for a in viewer.actions()]
    assert ":focus" in viewer.view().styleSheet()  # a ring on the picture with the keys
    assert viewer.view().accessibleName() == "Picture"


@pytest.mark.parametrize("how", ["lock", "quick exit"])
def test_the_window_goes_with_lock_and_quick_exit_in_the_real_window(
    qtbot, tmp_path, demo_path, how
):
    from nco_desktop.ui.common.app_settings import AppSettings
    from nco_desktop.ui.shell.main_window import MainWindow
    from nco_desktop.vault import TEST_KDF, Vault
    from tests.conftest import PASSPHRASE

    path = tmp_path / "case.ncovault"
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / SCREENSHOT).write_bytes(_png(1080, 2340, lines=True))
    with Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF) as vault:
        import_paths(vault, [folder])
    main = MainWindow(AppSettings(), kdf=TEST_KDF, demo_path=demo_path)
    qtbot.addWidget(main)
    main.show()
    main.show_start()
    qtbot.waitExposed(main)
    main.ask_to_unlock(path)
    qtbot.keyClicks(main.unlock_screen.passphrase_edit, PASSPHRASE)
    qtbot.mouseClick(main.unlock_screen.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: main.vault is not None, timeout=10_000)
    vault = main.vault
    pane = main.workspace.detail
    (entry,) = only(vault, "image", SCREENSHOT)
    assert main.workspace.timeline.show_entry(entry.id)
    qtbot.waitUntil(lambda: pane.current_detail() is not None)
    section = pane.findChild(PictureSection)
    qtbot.waitUntil(lambda: not section.status.isVisibleTo(section), timeout=20_000)
    window = open_window(qtbot, pane)
    larger_arrived(qtbot, window)
    assert window.parent() is main  # owned by the main window, above it
    big = window.viewer
    if how == "lock":
        with qtbot.waitSignal(main.locked):
            main.lock_action.trigger()
    else:
        with qtbot.waitSignal(main.quick_exited):
            qtbot.mouseClick(main.quick_exit_button, Qt.MouseButton.LeftButton)
    assert not window.isVisible() and window.forgotten()
    assert not shiboken6.isValid(big) or not big.has_image()
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))


def test_esc_that_takes_back_a_box_is_not_half_of_esc_esc(qtbot, pane):
    """Placing a box, Esc takes it back; a second Esc right after must not quit the
    program (the rule for dialogs, applied to the box being placed)."""
    from nco_desktop.ui.shell.session_guard import SessionGuard

    guard = SessionGuard(60_000)
    quits: list[bool] = []
    guard.quick_exit_requested.connect(lambda: quits.append(True))
    viewer = show_picture(qtbot, pane, SCREENSHOT)
    bar = pane.picture_areas_bar()
    bar.mark_button.click()
    bar.add_button.click()
    view = viewer.view()
    assert view.hasFocus() and viewer.keys.draft() is not None
    window = view.window().windowHandle()
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # takes the box back
    assert viewer.keys.draft() is None and quits == []
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # one Esc of the gesture
    assert quits == []
    qtbot.keyClick(window, Qt.Key.Key_Escape)  # and its second: now it counts
    assert quits == [True]
    QApplication.instance().removeEventFilter(guard)
