"""The program's own settings: never evidence, never a file the user imported.

They live in the platform's settings store (an INI file under ``$XDG_CONFIG_HOME`` on
Linux), or, in portable mode, beside the program (see :mod:`nco_desktop.presence`).
The only paths ever kept are vault files, and only after the user opted in to
"remember vaults I open"; turning that off forgets them at once.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from nco_desktop.presence import built_neutral, portable_folder

ORGANIZATION = "NCO Desktop"
APPLICATION = "NCO Desktop"
DEFAULT_IDLE_MINUTES = 5
MAX_RECENT = 5


class AppSettings:
    def __init__(self) -> None:
        portable = portable_folder()
        if portable is not None:
            self._settings = QSettings(
                str(portable / f"{APPLICATION}.ini"), QSettings.Format.IniFormat
            )
        else:
            self._settings = QSettings(
                QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANIZATION, APPLICATION
            )

    @property
    def neutral_presence(self) -> bool:
        """Whether the program calls itself "Notes" in titles, the taskbar and the task
        switcher (see nco_desktop.presence); a neutral build starts so."""
        value = self._settings.value("window/neutral_presence", None)
        if value is None:
            return built_neutral()
        return str(value).lower() == "true"

    @neutral_presence.setter
    def neutral_presence(self, neutral: bool) -> None:
        self._settings.setValue("window/neutral_presence", "true" if neutral else "false")
        self._settings.sync()

    @property
    def idle_lock_minutes(self) -> int:
        """Minutes without input before the vault locks itself; 0 never (not offered)."""
        value = self._settings.value("lock/idle_minutes", DEFAULT_IDLE_MINUTES)
        try:
            return max(1, min(240, int(value)))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            return DEFAULT_IDLE_MINUTES

    @idle_lock_minutes.setter
    def idle_lock_minutes(self, minutes: int) -> None:
        self._settings.setValue("lock/idle_minutes", int(minutes))
        self._settings.sync()

    @property
    def remember_vaults(self) -> bool:
        return str(self._settings.value("start/remember_vaults", "false")).lower() == "true"

    @remember_vaults.setter
    def remember_vaults(self, remember: bool) -> None:
        self._settings.setValue("start/remember_vaults", "true" if remember else "false")
        if not remember:
            self._settings.remove("start/recent_vaults")
        self._settings.sync()

    @property
    def show_vault_name(self) -> bool:
        """Whether the window title and status bar name the open vault. Off unless the
        user turns it on: the title is read by the task switcher, the taskbar and
        screen sharing, where someone looking over a shoulder learns what the case is."""
        return str(self._settings.value("window/show_vault_name", "false")).lower() == "true"

    @show_vault_name.setter
    def show_vault_name(self, show: bool) -> None:
        self._settings.setValue("window/show_vault_name", "true" if show else "false")
        self._settings.sync()

    def recent_vaults(self) -> list[Path]:
        if not self.remember_vaults:
            return []
        raw = self._settings.value("start/recent_vaults", [])
        values = [raw] if isinstance(raw, str) else list(raw or [])  # type: ignore[call-overload]
        return [Path(str(value)) for value in values if str(value)]

    def note_vault_opened(self, path: Path) -> None:
        if not self.remember_vaults:
            return
        paths = [str(path)] + [str(p) for p in self.recent_vaults() if p != path]
        self._settings.setValue("start/recent_vaults", paths[:MAX_RECENT])
        self._settings.sync()

    def file_path(self) -> Path:
        return Path(self._settings.fileName())
