"""How the program shows itself on the computer, and where it keeps its settings.

The other person may look at this computer (issue #17). Two choices serve that:

- **a neutral presence**: the program calls itself "Notes", with a plain notepad
  icon, in the window title, the taskbar and the task switcher (and, in a neutral
  build, in the desktop's menus: the build writes ``presence`` = ``neutral`` into
  the bundled resources, and the desktop entry is named "Notes"). The user can turn
  it on or off at the first start and in Settings; a neutral build starts neutral;
- **a portable mode** for a USB stick: when an (empty) file named ``portable`` sits
  beside the packaged program, its settings are kept in a ``settings`` folder beside
  it, and nothing is written to the user's profile. ``NCO_SETTINGS_DIR`` names such a
  folder explicitly (tests, or a user who wants it elsewhere).

No Qt here: the vault layer's notes (``vault.seen``) need the same folder.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from nco_desktop.resources import resources_dir

NAMED = "NCO Desktop"
NEUTRAL = "Notes"
PORTABLE_MARK = "portable"
PRESENCE_FILE = "presence"


def program_folder() -> Path | None:
    """The folder of the packaged program (None when run from source)."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).resolve().parent
    return None


def portable_folder() -> Path | None:
    """Where settings live in portable mode, or None when the program is installed."""
    explicit = os.environ.get("NCO_SETTINGS_DIR")
    if explicit:
        return Path(explicit)
    folder = program_folder()
    if folder is not None and (folder / PORTABLE_MARK).is_file():
        return folder / "settings"
    return None


def settings_folder() -> Path:
    """The program's settings folder: the portable one, else the platform's (XDG on
    Linux), the same one Qt's settings file is kept in."""
    portable = portable_folder()
    if portable is not None:
        return portable
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / NAMED


def built_neutral() -> bool:
    """Whether this copy was built to appear neutral (see the module's notes)."""
    try:
        marker = (resources_dir() / PRESENCE_FILE).read_text(encoding="utf-8")
    except OSError:
        return False
    return marker.strip().lower() == "neutral"


def display_name(neutral: bool) -> str:
    return NEUTRAL if neutral else NAMED
