"""The window's side of a neutral presence (see :mod:`nco_desktop.presence`): the name
and icon the taskbar, the task switcher and window titles show."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QGuiApplication, QIcon

from nco_desktop.presence import built_neutral, display_name
from nco_desktop.resources import resources_dir

ICONS = {False: "app.svg", True: "app-neutral.svg"}
#: The desktop entry's id (packaging/linux): Wayland shows its name and icon for our
#: windows in a named build; a neutral build installs its "Notes" entry under it.
DESKTOP_ID = "org.ncodesktop.NcoDesktop"


def apply_presence(app: QGuiApplication, neutral: bool) -> None:
    """Name and icon for the whole program, at once for every open window."""
    app.setApplicationDisplayName(display_name(neutral))
    if not neutral or built_neutral():  # else the named entry would give us away
        app.setDesktopFileName(DESKTOP_ID)
    else:
        app.setDesktopFileName("")
    icon_file = resources_dir() / "icons" / ICONS[neutral]
    if icon_file.is_file():
        app.setWindowIcon(QIcon(str(icon_file)))


def current_name() -> str:
    """The name windows use now ("NCO Desktop", or "Notes" when neutral)."""
    return QGuiApplication.applicationDisplayName() or display_name(False)


def neutral_words() -> str:
    return QCoreApplication.translate(
        "Presence", "Appear as “Notes” in the taskbar and window titles"
    )


def neutral_tip() -> str:
    return QCoreApplication.translate(
        "Presence",
        "For a computer someone else may look at: the program then calls itself “Notes”, "
        "with a plain notepad icon, wherever the desktop shows open programs.",
    )
