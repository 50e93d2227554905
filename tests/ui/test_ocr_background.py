"""The window reads the text in pictures in the background: progress in the status bar,
a Pause that is remembered in the vault, and a lock that stops the readers at once and
loses nothing (the next unlock goes on)."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import Qt

from nco_desktop.importers.batch import import_paths
from nco_desktop.ocr import store
from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.shell.main_window import MainWindow
from nco_desktop.ui.shell.ocr_background import OcrBackground
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE, write_file
from tests.ui.test_main_window import opened
from tests.unit.ocr.test_ocr_queue import screenshot


@pytest.fixture
def reading_window(qtbot, demo_path, monkeypatch):
    monkeypatch.setattr(OcrBackground, "enabled", True)
    w = MainWindow(AppSettings(), kdf=TEST_KDF, demo_path=demo_path)
    qtbot.addWidget(w)
    w.show()
    w.show_start()
    qtbot.waitExposed(w)
    yield w
    w.lock()


def vault_with_pictures(tmp_path, count: int):
    path = tmp_path / "case.ncovault"
    with Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF) as vault:
        for n in range(count):
            write_file(tmp_path / "in" / f"shot{n}.png", screenshot([f"picture number {n}"]))
        import_paths(vault, [tmp_path / "in"], thumbnails=False)
    return path


def ocr_status(path) -> store.OcrStatus:
    with Vault.open(path, PASSPHRASE) as vault:
        return store.status(vault)


def reader_processes() -> int:
    """Sandbox workers still running under this test process."""
    count = 0
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/stat") as stat:
                parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            with open(f"/proc/{pid}/cmdline", "rb") as cmd:
                line = cmd.read()
        except OSError:
            continue
        if parent == os.getpid() and b"nco_desktop.sandbox.worker" in line:
            count += 1
    return count


def test_pictures_are_read_after_unlock_with_progress_in_the_status_bar(
    qtbot, reading_window, tmp_path
):
    path = vault_with_pictures(tmp_path, 3)
    opened(qtbot, reading_window, path)
    part = reading_window.ocr.widget
    qtbot.waitUntil(part.isVisible, timeout=5_000)
    assert "Reading the text in pictures:" in part.label.text() and "of 3" in part.label.text()
    assert part.button.text() == "Pause"
    assert part.button.focusPolicy() == Qt.FocusPolicy.TabFocus  # Enter never pauses it
    qtbot.waitUntil(lambda: not reading_window.ocr.running, timeout=60_000)
    qtbot.waitUntil(lambda: not part.isVisible(), timeout=5_000)
    status = store.status(reading_window.vault)
    assert (status.done, status.pending) == (3, 0)


def test_pause_is_remembered_across_a_lock_and_resume_goes_on(qtbot, reading_window, tmp_path):
    path = vault_with_pictures(tmp_path, 8)
    opened(qtbot, reading_window, path)
    background = reading_window.ocr
    qtbot.waitUntil(lambda: background.running, timeout=5_000)
    qtbot.mouseClick(background.widget.button, Qt.MouseButton.LeftButton)  # Pause
    qtbot.waitUntil(lambda: not background.running, timeout=15_000)
    assert "paused" in background.widget.label.text()
    assert background.widget.button.text() == "Resume"
    reading_window.lock()
    paused = ocr_status(path)
    assert paused.paused and paused.pending > 0
    opened(qtbot, reading_window, path)
    qtbot.waitUntil(background.widget.isVisible, timeout=5_000)
    assert "paused" in background.widget.label.text() and not background.running
    qtbot.mouseClick(background.widget.button, Qt.MouseButton.LeftButton)  # Resume
    qtbot.waitUntil(lambda: store.status(reading_window.vault).pending == 0, timeout=90_000)
    assert not store.status(reading_window.vault).paused


def test_locking_kills_the_readers_and_the_next_unlock_goes_on(qtbot, reading_window, tmp_path):
    path = vault_with_pictures(tmp_path, 10)
    opened(qtbot, reading_window, path)
    qtbot.waitUntil(lambda: store.status(reading_window.vault).done >= 1, timeout=60_000)
    reading_window.lock()
    assert not reading_window.ocr.running and not reading_window.ocr.widget.isVisible()
    qtbot.waitUntil(lambda: reader_processes() == 0, timeout=5_000)
    stopped = ocr_status(path)
    assert stopped.done >= 1 and stopped.done + stopped.pending == 10 and stopped.failed == 0
    opened(qtbot, reading_window, path)
    qtbot.waitUntil(lambda: store.status(reading_window.vault).pending == 0, timeout=90_000)
    with Vault.open(path, PASSPHRASE) as vault:
        reads = vault.conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'ocr.read'"
        ).fetchone()[0]
    assert reads == 10  # each picture read once, none lost by the lock


def test_a_reader_that_cannot_run_is_said_once_and_not_retried_in_a_loop(
    qtbot, reading_window, tmp_path, monkeypatch
):
    from nco_desktop.ocr import queue

    path = vault_with_pictures(tmp_path, 2)
    tries: list[int] = []

    def unavailable(workers=None):
        tries.append(1)
        raise queue.ReaderUnavailable("Tesseract's language data was not found")

    monkeypatch.setattr(queue, "new_pool", unavailable)
    opened(qtbot, reading_window, path)
    part = reading_window.ocr.widget
    qtbot.waitUntil(lambda: "cannot be read" in part.label.text(), timeout=5_000)
    assert "language data was not found" in part.label.text() and not part.button.isVisible()
    qtbot.wait(2_000)  # a loop would have started it again by now, every half second
    assert len(tries) == 1 and not reading_window.ocr.running
    assert store.status(reading_window.vault).pending == 2  # nothing recorded as failed
