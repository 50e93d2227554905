"""Lock forgets: after Lock, the window's process holds no key and no evidence text.

The test reads memory as an attacker with the process's memory would: every readable
region of ``/proc/self/mem``. It runs the real window (offscreen) in a child process
started the way the program starts (:func:`nco_desktop.hardening.forget_freed_memory`
first), because the allocator settings that make freed memory forget can only be
chosen when a process starts — the pytest process has long made its choice.

In the child: unlock a vault by typing the passphrase, import an e-mail whose text
holds a unique canary, show it on the timeline and in the detail pane, search memory
(the canary and the key must be found: the search works), lock through the window's
own Lock, and search again: neither the raw key, nor its hex, nor the canary or the
passphrase in UTF-8 (Python, SQLite) or UTF-16 (how Qt keeps text) may be found.

Against the code before "Lock forgets" this failed with the key, its hex and the
canary found; with only the allocator settings, with the canary in UTF-16 (a copy Qt's
item delegate keeps of the last cell it painted).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE, write_file
from tests.support.process_memory import shifted, unshift

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc/self/mem (Linux only)"
)

CHILD_ENV = "NCO_LOCK_FORGETS_TEST"
REPO = Path(__file__).resolve().parents[2]


def eml_with(text: str) -> bytes:
    return (
        "From: Sam Doe <sam@example.com>\r\n"
        "To: Alex <alex@example.com>\r\n"
        f"Subject: About {text}\r\n"
        "Date: Tue, 02 Jan 2024 23:41:00 -0600\r\n"
        "Message-ID: <lock-forgets@example.com>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        f"I saw you at {text} again tonight. I know where you park.\r\n"
    ).encode()


def test_lock_leaves_no_key_and_no_evidence_text_in_memory(tmp_path: Path):
    vault_path = tmp_path / "case.ncovault"
    # Not a constant: the child imports this module, and must hold no copy of its own.
    passphrase = f"{PASSPHRASE} {secrets.token_hex(8)}"
    Vault.create(vault_path, passphrase, time_zone="America/Chicago", kdf=TEST_KDF).close()
    canary = "Quetzalcoatl-" + secrets.token_hex(6)
    mail = write_file(tmp_path / "threat.eml", eml_with(canary))
    brief = {
        "vault": str(vault_path),
        "mail": str(mail),
        "demo": str(tmp_path / "demo" / "demo.ncovault"),
        "canary": shifted(canary.encode()).hex(),
        "passphrase": shifted(passphrase.encode()).hex(),
    }
    del canary, passphrase
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", **{CHILD_ENV: json.dumps(brief)})
    code = "from tests.ui.test_lock_forgets import child_main; child_main()"
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    before, after = report["before"], report["after"]
    # The search can see what it looks for: the key and the text are there while
    # unlocked. (The key's hex is not, even then: no text of it is ever made.)
    assert before["raw key"], before
    assert before["canary utf-8"] and before["canary utf-16"], before
    assert after == {name: [] for name in before}, after


# ----- the child: the real window, searching its own memory ----------------------------


def child_main() -> None:
    """Run in a fresh interpreter by the test above; prints one JSON line."""
    from nco_desktop.hardening import forget_freed_memory

    forget_freed_memory()  # as the program does first (may start this process again)
    brief = json.loads(os.environ[CHILD_ENV])
    report = _child_run(brief)
    print(json.dumps(report), flush=True)
    os._exit(0)  # no teardown that could touch memory or hang on Qt's exit


def _child_run(brief: dict[str, str]) -> dict[str, dict[str, list[str]]]:
    import gc

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from nco_desktop.binder.exhibits import add_exhibit
    from nco_desktop.ui.common import prompts
    from nco_desktop.ui.common.app_settings import AppSettings
    from nco_desktop.ui.common.session import Change
    from nco_desktop.ui.shell.app import NcoApplication
    from nco_desktop.ui.shell.main_window import MainWindow
    from tests.support.process_memory import find_in_memory, shifted_hex

    app = NcoApplication([sys.argv[0]])
    prompts.strict = True
    window = MainWindow(AppSettings(), kdf=TEST_KDF, demo_path=Path(brief["demo"]))
    window.resize(1280, 800)
    window.show()
    window.show_start()

    def wait_until(condition: Any, timeout_ms: int = 60_000) -> None:
        waited = 0
        while not condition():
            QTest.qWait(20)
            waited += 20
            if waited > timeout_ms:
                raise TimeoutError("the window did not get there in time")

    window.ask_to_unlock(Path(brief["vault"]))
    typed = bytes.fromhex(brief["passphrase"])
    QTest.keyClicks(window.unlock_screen.passphrase_edit, unshift(typed).decode())
    QTest.mouseClick(window.unlock_screen.unlock_button, Qt.MouseButton.LeftButton)
    wait_until(lambda: window.vault is not None)

    finished: list[object] = []
    window.imports.show_summary = False
    window.imports.import_finished.connect(lambda *_: finished.append(True))
    window.import_paths([Path(brief["mail"])])
    wait_until(lambda: bool(finished))

    workspace = window.workspace
    workspace.nav.setCurrentRow(workspace.TIMELINE)
    model = workspace.timeline.model
    wait_until(lambda: any(model.entry_id(r) is not None for r in range(model.rowCount())))
    row = next(r for r in range(model.rowCount()) if model.entry_id(r) is not None)
    entry_id = model.entry_id(row)
    workspace.timeline._select_row(row)
    for _ in range(50):  # let the detail pane read and lay out the message
        QTest.qWait(20)
    # The message goes into an exhibit, and every page is shown once (each reads and
    # shows its part of the case: charts, lists, exhibit items, the binder's contents).
    assert window.vault is not None and entry_id is not None
    add_exhibit(window.vault, "Messages", "", [entry_id])
    window.session.notify(Change.EXHIBITS)
    for page in (
        workspace.PATTERNS,
        workspace.INCIDENTS,
        workspace.PEOPLE,
        workspace.EXHIBITS,
        workspace.BINDER,
        workspace.TIMELINE,
    ):
        workspace.nav.setCurrentRow(page)
        for _ in range(25):
            QTest.qWait(20)
    QApplication.processEvents()

    assert window.vault is not None
    lent = window.vault.vault_key()
    canary = bytes.fromhex(brief["canary"])
    needles = {
        "raw key": shifted(lent.key),
        "hex key": shifted_hex(lent.key),
        "HEX KEY": shifted_hex(lent.key).upper(),
        "canary utf-8": canary,
        # UTF-16-LE of ASCII: each byte then a zero; shifted, each byte + 1 then 0x01.
        "canary utf-16": b"".join(bytes((c, 1)) for c in canary),
        "passphrase utf-8": typed,
        "passphrase utf-16": b"".join(bytes((c, 1)) for c in typed),
    }
    lent.wipe()
    del lent
    before = find_in_memory(needles)

    window.lock()
    for _ in range(10):
        QTest.qWait(20)
    QApplication.sendPostedEvents(None, 0)
    gc.collect()
    after = find_in_memory(needles)
    del app
    return {"before": before, "after": after}


def test_the_passphrase_field_keeps_no_undo_step_after_unlock_or_lock(qtbot, tmp_path: Path):
    """QLineEdit.clear() is undoable: what was typed stayed in the field's history.

    A password field refuses to undo a removal, but keeps the history all the same:
    shown as normal text, undo brings the passphrase back unless the history is gone.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLineEdit

    from nco_desktop.ui.common.app_settings import AppSettings
    from nco_desktop.ui.shell.main_window import MainWindow

    vault_path = tmp_path / "case.ncovault"
    Vault.create(vault_path, PASSPHRASE, kdf=TEST_KDF).close()
    window = MainWindow(AppSettings(), kdf=TEST_KDF, demo_path=tmp_path / "demo.ncovault")
    qtbot.addWidget(window)
    window.show()
    window.ask_to_unlock(vault_path)
    edit = window.unlock_screen.passphrase_edit
    qtbot.keyClicks(edit, PASSPHRASE)
    qtbot.mouseClick(window.unlock_screen.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.vault is not None, timeout=10_000)
    edit.setEchoMode(QLineEdit.EchoMode.Normal)
    edit.undo()
    assert edit.text() == ""
    qtbot.keyClicks(edit, "typed while unlocked")  # the field is hidden, not gone
    window.lock()
    edit.undo()
    assert edit.text() == ""
