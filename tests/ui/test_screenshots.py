"""The main screens, drawn offscreen and saved, so people can look at them.

Each screen is saved in light and dark, at 1280×720, and again at 200 % (a 960×540
window drawn at twice the pixels, as on a laptop with a high-density screen: Qt's
scale factor is chosen when the program starts, so those pictures come from this same
test run again in a second process with ``QT_SCALE_FACTOR=2``).

Saved to ``$NCO_SCREENSHOTS`` when set (for looking), else to the test's temporary
folder; the folder is printed. The checks are modest on purpose — not blank, the right
screen, the buttons one needs (Quick exit, Build, Print, Save) inside the window and no
button squeezed below the size its words need — the real review is a person opening
the pictures.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QApplication,
    QScrollArea,
    QWidget,
)

from nco_desktop.binder.options import Court
from nco_desktop.importers.batch import FileResult, ImportSummary, Outcome
from nco_desktop.ocr import store
from nco_desktop.ocr.words import OcrWord
from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.detail.conversation_view import mark_search_words
from nco_desktop.ui.detail.detail_pane import DetailPane
from nco_desktop.ui.detail.detail_sections import PictureSection
from nco_desktop.ui.importing.import_dialogs import ImportSummaryDialog
from nco_desktop.ui.shell.main_window import MainWindow
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE
from tests.ui.test_detail_ocr import import_picture

SCALE = float(os.environ.get("QT_SCALE_FACTOR") or 1)
#: The window's size in logical pixels: 1280×720, or 960×540 at 200 %.
SIZE = (1280, 720) if SCALE == 1 else (960, 540)
SUFFIX = "" if SCALE == 1 else f"@{SCALE:g}x"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def shots(tmp_path, capsys) -> Path:
    folder = Path(os.environ.get("NCO_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    with capsys.disabled():
        print(f"\nscreenshots ({SIZE[0]}×{SIZE[1]} at {SCALE:g}×): {folder}")
    return folder


def inside_window(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def assert_nothing_cut(window: QWidget, name: str, must_see: list[QWidget]) -> None:
    """The buttons one needs lie wholly inside the window, and no button shown outside a
    scrolling area is narrower or lower than its words need (a cut-off label)."""
    frame = window.rect()
    for widget in must_see:
        assert widget.isVisible(), f"{name}: {widget.objectName() or widget} hidden"
        assert frame.contains(inside_window(widget, window)), f"{name}: {widget.text()} cut off"
    for button in window.findChildren(QAbstractButton):
        if not button.isVisible() or _in_scroll_area(button, window):
            continue
        where = inside_window(button, window)
        need = button.minimumSizeHint()
        label = button.text() or button.accessibleName() or button.toolTip()
        assert frame.contains(where), f"{name}: “{label}” reaches outside the window"
        assert button.width() >= need.width() and button.height() >= need.height(), (
            f"{name}: “{label}” is {button.width()}×{button.height()}, needs {need.toTuple()}"
        )


def _in_scroll_area(widget: QWidget, window: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QAbstractScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def save(widget, folder: Path, name: str) -> QImage:
    QApplication.processEvents()  # let pending layouts settle, as the screen would
    image = widget.grab().toImage()
    image.save(str(folder / f"{name}{SUFFIX}.png"))
    assert not image.isNull()
    assert image.width() == round(widget.width() * SCALE)  # drawn at the screen's density
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 13) for y in range(0, image.height(), 13)
    }
    assert len(colours) > 8, f"{name} looks blank"
    return image


@pytest.fixture
def window(qtbot, demo_path):
    w = MainWindow(AppSettings(), kdf=TEST_KDF, demo_path=demo_path)
    qtbot.addWidget(w)
    w.resize(*SIZE)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.lock()


@pytest.fixture(params=["light", "dark"])
def scheme(request, qapp) -> str:
    """The OS's scheme, switched as the OS would switch it; light again afterwards."""
    qapp.apply_color_scheme(
        Qt.ColorScheme.Dark if request.param == "dark" else Qt.ColorScheme.Light
    )
    yield request.param
    qapp.apply_color_scheme(Qt.ColorScheme.Light)


def test_main_screens(qtbot, window, shots, scheme, tmp_path):
    def shot(widget, name: str, must_see: list[QWidget] | None = None) -> QImage:
        image = save(widget, shots, f"{name}-{scheme}")
        if widget is window:
            assert_nothing_cut(window, name, [window.quick_exit_button, *(must_see or [])])
        return image

    window.show_start()
    shot(window, "01-start")

    path = tmp_path / "Empty case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF).close()
    window._open_with_key(Vault.derive_key(path, PASSPHRASE))
    qtbot.waitUntil(lambda: window.vault is not None)
    shot(window, "02-empty-vault")
    window.close_vault()

    window.open_demo()
    qtbot.waitUntil(lambda: window.vault is not None, timeout=60_000)
    timeline = window.workspace.timeline
    qtbot.waitUntil(lambda: "entries" in window.count_label.text(), timeout=10_000)
    image = shot(window, "03-demo-timeline")
    assert image.width() >= SIZE[0] * SCALE

    (image_id,) = window.vault.conn.execute(
        "SELECT id FROM entries WHERE kind = 'image' ORDER BY occurred_ms LIMIT 1"
    ).fetchone()
    window.workspace.detail.show_entry(image_id)
    section = window.workspace.detail.findChild(PictureSection)
    qtbot.waitUntil(lambda: not section.status.isVisibleTo(section), timeout=20_000)
    shot(window, "04-image-detail")

    (message_id,) = window.vault.conn.execute(
        "SELECT id FROM entries WHERE kind = 'message' ORDER BY occurred_ms DESC LIMIT 1"
    ).fetchone()
    window.workspace.detail.show_entry(message_id)
    shot(window, "05-message-detail")
    assert timeline.isVisible()

    window.workspace.nav.setCurrentRow(window.workspace.PATTERNS)
    shot(window, "08-patterns")
    assert "late at night" in window.workspace.patterns.summary.text()
    window.workspace.nav.setCurrentRow(window.workspace.PEOPLE)
    shot(window, "09-people-and-orders")
    window.workspace.nav.setCurrentRow(window.workspace.INCIDENTS)
    shot(window, "10-incidents")
    window.workspace.nav.setCurrentRow(window.workspace.EXHIBITS)
    shot(window, "11-exhibits-none-yet")
    window.workspace.exhibits.suggest_exhibits()
    assert window.workspace.exhibits.column.exhibit_model.rowCount() > 1
    shot(window, "12-exhibits-suggested")
    binder = window.workspace.binder
    window.workspace.nav.setCurrentRow(window.workspace.BINDER)
    shot(window, "13-binder", [binder.build_button])
    form = binder.options_form  # a court's rules: what they set, said under the choice
    form.court.setCurrentIndex(form.court.findData(Court.TEXAS))
    area = form.parentWidget()
    while area is not None and not isinstance(area, QScrollArea):
        area = area.parentWidget()
    assert area is not None
    area.ensureWidgetVisible(form.court_words, 0, 40)
    assert area.horizontalScrollBar().maximum() == 0  # nothing hides to the side
    assert "50 characters" in form.court_words.text() and not form.paper.isEnabled()
    shot(window, "13b-binder-court-rules", [binder.build_button])
    form.court.setCurrentIndex(form.court.findData(Court.ANY))
    binder.options_form.service_copy.setChecked(True)  # and the other side's copy
    assert binder.build()
    qtbot.waitUntil(lambda: not binder.busy, timeout=120_000)
    assert binder.built is not None and binder.preview.data() is not None
    # The sandbox renders the pages in view, one after another.
    qtbot.waitUntil(lambda: binder.preview.rendered_page(0) is not None, timeout=30_000)
    qtbot.waitUntil(
        lambda: all(binder.preview.rendered_page(i) for i in binder.preview.view.visible_pages()),
        timeout=30_000,
    )
    shot(window, "14-binder-built", [binder.print_button, binder.save_button])
    assert binder.review.box.isVisible()  # the places it hides, with Review…
    window.workspace.nav.setCurrentRow(window.workspace.TIMELINE)

    summary = ImportSummary(
        results=[
            FileResult("sms-20261110.xml", "/x", Outcome.IMPORTED, entries_added=412),
            FileResult("Screenshot_20261111-231502.png", "/x", Outcome.IMPORTED, entries_added=1),
            FileResult(
                "calls-20261110.xml",
                "/x",
                Outcome.DUPLICATE,
                message="the same file is already in the vault as “calls.xml”",
            ),
            FileResult(
                "voice-note.m4a",
                "/x",
                Outcome.KEPT,
                message="the recording could not be read: the file is cut short",
            ),
            FileResult("empty.txt", "/x", Outcome.FAILED, message="the file is empty"),
        ]
    )
    dialog = ImportSummaryDialog(summary, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    shot(dialog, "06-import-summary")
    dialog.accept()

    window.lock()
    shot(window, "07-locked")
    assert window.stack.currentIndex() == MainWindow.UNLOCK
    qtbot.keyClick(window.unlock_screen.passphrase_edit, Qt.Key.Key_A)


@pytest.mark.skipif(SCALE != 1, reason="this is the run at 200 % itself")
def test_main_screens_at_200_percent(shots, tmp_path):
    """The same screens at 200 %, from a second process started with the scale factor."""
    env = dict(os.environ, QT_SCALE_FACTOR="2", NCO_SCREENSHOTS=str(shots))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--basetemp={tmp_path / 'at-200'}",
            f"{Path(__file__).resolve()}::test_main_screens",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    for scheme in ("light", "dark"):
        image = QImage(str(shots / f"14-binder-built-{scheme}@2x.png"))
        assert (image.width(), image.height()) == (1920, 1080)


def test_picture_text_in_the_pane(qtbot, session, vault, shots, scheme, tmp_path):
    """A screenshot, the text read in it below, and a search's words marked on both: the
    pane at the width it has in the window, at the top and scrolled to the text."""
    lines = (
        "Sam Roe",
        "I know where you live",
        "and where you park",
        "See you soon",
        "Don't ignore me",
    )
    entry_id, original_id, words = import_picture(
        vault, tmp_path / "in", lines=lines, size=(720, 1000)
    )
    store.save_page(vault, original_id, 0, width=720, height=1000, words=words)
    pane = DetailPane(session)
    qtbot.addWidget(pane)
    pane.resize(440, 720)
    session.open(vault)
    pane.show()
    qtbot.waitExposed(pane)
    mark_search_words(pane, ["where you live"])
    pane.show_entry(entry_id)
    section = pane.findChild(PictureSection)
    qtbot.waitUntil(lambda: not section.status.isVisibleTo(section), timeout=20_000)
    assert len(pane.image_viewer().matches()) == 3
    save(pane, shots, f"15-picture-text-top-{scheme}")
    scroll = pane.findChild(QScrollArea)
    scroll.ensureWidgetVisible(section.read_text, 0, 12)
    image = save(pane, shots, f"16-picture-text-{scheme}")
    assert image.height() == round(720 * SCALE)

    chat = [  # a long capture: the box stops growing and scrolls
        OcrWord(word, 40 + 60 * n, 30 * line, 50, 20, 90.0, line)
        for line in range(30)
        for n, word in enumerate(f"line {line} of a long chat".split())
    ]
    store.save_page(vault, original_id, 0, width=720, height=1000, words=chat)
    pane.show_entry(entry_id)
    section = pane.findChild(PictureSection)
    qtbot.waitUntil(lambda: not section.status.isVisibleTo(section), timeout=20_000)
    scroll.ensureWidgetVisible(section.read_text, 0, 12)
    save(pane, shots, f"17-picture-text-long-{scheme}")
    store.forget_all(vault)
    pane.show_entry(entry_id)
    section = pane.findChild(PictureSection)
    scroll.ensureWidgetVisible(section.read_text, 0, 12)
    save(pane, shots, f"18-picture-text-not-read-{scheme}")


@pytest.mark.skipif(SCALE != 1, reason="this is the run at 200 % itself")
def test_picture_text_at_200_percent(shots, tmp_path):
    """The pane with a picture's text at 200 %, from a second process (see above)."""
    env = dict(os.environ, QT_SCALE_FACTOR="2", NCO_SCREENSHOTS=str(shots))
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            f"--basetemp={tmp_path / 'at-200'}",
            f"{Path(__file__).resolve()}::test_picture_text_in_the_pane",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    for scheme in ("light", "dark"):
        image = QImage(str(shots / f"16-picture-text-{scheme}@2x.png"))
        assert (image.width(), image.height()) == (880, 1440)


def test_the_review_of_private_details(qtbot, shots, scheme):
    """Binder ▸ Review private details…: a place released, one hidden, a page not read."""
    from nco_desktop.ui.binder.redaction_review import RedactionReview
    from tests.ui.test_redaction_review import review_findings

    dialog = RedactionReview(review_findings(), frozenset({"b2"}), None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    save(dialog, shots, f"20-review-private-details-{scheme}")
