"""A child process for the kill loop: the real window, offscreen, saving edits.

Run as ``python -m tests.support.window_edits VAULT``: it unlocks VAULT through the
unlock screen (passphrase from ``NCO_PASSPHRASE``), prints ``ready``, then saves new
incidents through the Incidents page one after another, each with three timeline
entries linked, printing ``saved N`` after each save returned, until it is killed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QDeadlineTimer
from PySide6.QtWidgets import QApplication

from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.shell.main_window import MainWindow
from nco_desktop.vault import TEST_KDF

SUMMARY = "window edit {}"


def main(path: Path, first: int) -> int:
    app = QApplication([])
    window = MainWindow(AppSettings(), kdf=TEST_KDF)
    window.show()
    window.ask_to_unlock(path)
    window.unlock_screen.passphrase_edit.setText(os.environ["NCO_PASSPHRASE"])
    window.unlock_screen.unlock_button.click()
    deadline = QDeadlineTimer(60_000)
    while window.vault is None and not deadline.hasExpired():
        QCoreApplication.processEvents()
    vault = window.vault
    if vault is None:
        return 2
    entries = [
        row[0]
        for row in vault.conn.execute(
            "SELECT id FROM entries WHERE kind != 'incident' ORDER BY id LIMIT 3"
        )
    ]
    page = window.workspace.incidents
    print("ready", flush=True)
    number = first
    while True:
        page.new_incident()
        page.editor.summary_edit.setText(SUMMARY.format(number))
        page.editor.what_edit.setPlainText(f"Saved from the window, edit {number}.")
        if page.link_entries(entries) != len(entries) or not page.save():
            return 3
        print(f"saved {number}", flush=True)
        number += 1
        app.processEvents()


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]), int(sys.argv[2])))
