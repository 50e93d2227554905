"""The main screens, drawn offscreen and saved, so people can look at them.

Saved to ``$NCO_SCREENSHOTS`` when set (for looking), else to the test's temporary
folder. The checks are modest on purpose — not blank, the right screen, nothing cut
off at 1280×720 — the real review is a person opening the pictures.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication

from nco_desktop.importers.batch import FileResult, ImportSummary, Outcome
from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.detail.detail_sections import PictureSection
from nco_desktop.ui.importing.import_dialogs import ImportSummaryDialog
from nco_desktop.ui.shell.main_window import MainWindow
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = Path(os.environ.get("NCO_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def save(widget, folder: Path, name: str) -> QImage:
    QApplication.processEvents()  # let pending layouts settle, as the screen would
    image = widget.grab().toImage()
    image.save(str(folder / f"{name}.png"))
    assert not image.isNull()
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 13) for y in range(0, image.height(), 13)
    }
    assert len(colours) > 8, f"{name} looks blank"
    return image


@pytest.fixture
def window(qtbot, demo_path):
    w = MainWindow(AppSettings(), kdf=TEST_KDF, demo_path=demo_path)
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.lock()


def test_main_screens(qtbot, window, shots, tmp_path):
    window.show_start()
    save(window, shots, "01-start")

    path = tmp_path / "Empty case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF).close()
    window._open_with_key(Vault.derive_key(path, PASSPHRASE))
    qtbot.waitUntil(lambda: window.vault is not None)
    save(window, shots, "02-empty-vault")
    window.close_vault()

    window.open_demo()
    qtbot.waitUntil(lambda: window.vault is not None, timeout=60_000)
    timeline = window.workspace.timeline
    qtbot.waitUntil(lambda: "entries" in window.count_label.text(), timeout=10_000)
    image = save(window, shots, "03-demo-timeline")
    assert image.width() >= 1280

    (image_id,) = window.vault.conn.execute(
        "SELECT id FROM entries WHERE kind = 'image' ORDER BY occurred_ms LIMIT 1"
    ).fetchone()
    window.workspace.detail.show_entry(image_id)
    section = window.workspace.detail.findChild(PictureSection)
    qtbot.waitUntil(lambda: not section.status.isVisibleTo(section), timeout=20_000)
    save(window, shots, "04-image-detail")

    (message_id,) = window.vault.conn.execute(
        "SELECT id FROM entries WHERE kind = 'message' ORDER BY occurred_ms DESC LIMIT 1"
    ).fetchone()
    window.workspace.detail.show_entry(message_id)
    save(window, shots, "05-message-detail")
    assert timeline.isVisible()

    window.workspace.nav.setCurrentRow(window.workspace.PATTERNS)
    save(window, shots, "08-patterns")
    assert "late at night" in window.workspace.patterns.summary.text()
    window.workspace.nav.setCurrentRow(window.workspace.PEOPLE)
    save(window, shots, "09-people-and-orders")
    window.workspace.nav.setCurrentRow(window.workspace.INCIDENTS)
    save(window, shots, "10-incidents")
    window.workspace.nav.setCurrentRow(window.workspace.EXHIBITS)
    save(window, shots, "11-exhibits-none-yet")
    window.workspace.exhibits.suggest_exhibits()
    assert window.workspace.exhibits.column.exhibit_model.rowCount() > 1
    save(window, shots, "12-exhibits-suggested")
    binder = window.workspace.binder
    window.workspace.nav.setCurrentRow(window.workspace.BINDER)
    save(window, shots, "13-binder")
    assert binder.build()
    qtbot.waitUntil(lambda: not binder.busy, timeout=120_000)
    assert binder.built is not None and binder.preview.data() is not None
    # The sandbox renders the pages in view, one after another.
    qtbot.waitUntil(lambda: binder.preview.rendered_page(0) is not None, timeout=30_000)
    qtbot.waitUntil(
        lambda: all(binder.preview.rendered_page(i) for i in binder.preview.view.visible_pages()),
        timeout=30_000,
    )
    save(window, shots, "14-binder-built")
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
    save(dialog, shots, "06-import-summary")
    dialog.accept()

    window.lock()
    save(window, shots, "07-locked")
    assert window.stack.currentIndex() == MainWindow.UNLOCK
    qtbot.keyClick(window.unlock_screen.passphrase_edit, Qt.Key.Key_A)
