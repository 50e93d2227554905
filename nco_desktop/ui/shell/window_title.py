"""What the window calls itself: "NCO Desktop", and the vault's name only if asked.

The title is not private: the taskbar, the task switcher, screen sharing and anyone
glancing at the screen read it, and a vault named "Protection order against J. Roe"
says what the program is for. So the title and the status bar say "NCO Desktop" and
nothing more, unless the user turns on "Show the vault's name in the window title"
in Settings. The demo case is named: it is fictional, and knowing one is in it matters.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication

from nco_desktop.ui.common.app_settings import AppSettings
from nco_desktop.ui.common.presence_look import current_name

APP_NAME = "NCO Desktop"


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


def shown_name(settings: AppSettings, vault_path: Path | None, *, is_demo: bool) -> str:
    """The open vault's name as the window may show it; "" for none (or not wanted)."""
    if vault_path is None:
        return ""
    if is_demo:
        return _tr("Demo case")
    return vault_path.stem if settings.show_vault_name else ""


def window_title(name: str) -> str:
    """The vault's *name* (if shown) and the program's name as it appears now: "Notes"
    under a neutral presence (see nco_desktop.presence)."""
    program = current_name()
    if program != APP_NAME:
        return f"{name} — {_tr(program)}" if name else _tr(program)
    return _tr("%s — NCO Desktop") % name if name else _tr(APP_NAME)
