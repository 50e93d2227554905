"""How files reach the window's one import: File ▸ Import, a pasted picture or
copied files, and files or folders dropped on the window.

Kept apart from the main window so that the window is about the vault's life (open,
lock, quit) and this is about bringing evidence in. Every route ends in
:meth:`WindowImports.import_paths`, which says plainly why nothing started when
nothing can.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QMainWindow

from nco_desktop.ui.common import prompts
from nco_desktop.ui.importing.import_controller import ImportController
from nco_desktop.ui.importing.paste import ClipboardPaste


def _tr(text: str) -> str:
    return QCoreApplication.translate("MainWindow", text)


class WindowImports:
    def __init__(
        self,
        window: QMainWindow,
        imports: ImportController,
        paste: ClipboardPaste,
        is_open: Callable[[], bool],
    ) -> None:
        self._window = window
        self._imports = imports
        self._paste = paste
        self._is_open = is_open

    def import_paths(self, paths: list[Path]) -> bool:
        """Import *paths* with the window's one import (False if none started)."""
        if not paths:
            return False  # a dialog cancelled (or closed by a lock): nothing to say
        if not self._is_open():
            prompts.inform(
                self._window,
                _tr("Unlock a vault first"),
                _tr("Open or create a vault, then import files into it."),
            )
            return False
        if self._imports.running:
            prompts.inform(
                self._window,
                _tr("An import is running"),
                _tr("Wait for the current import to finish, then try again."),
            )
            return False
        return self._imports.start(paths)

    def import_files(self) -> None:
        if self._is_open():
            self.import_paths(prompts.choose_import_files(self._window))

    def import_folder(self) -> None:
        if self._is_open():
            folder = prompts.choose_import_folder(self._window)
            if folder is not None:
                self.import_paths([folder])

    def paste_from_clipboard(self) -> None:
        """Ctrl+V: a picture becomes a screenshot; copied files are imported."""
        self.import_paths(self._paste.paste())

    def drag_entered(self, event: QDragEnterEvent) -> None:
        data = event.mimeData()
        if self._is_open() and data.hasUrls() and any(u.isLocalFile() for u in data.urls()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropped(self, event: QDropEvent) -> None:
        urls = event.mimeData().urls()
        local = [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
        if not local or not self._is_open():
            event.ignore()
            return
        event.acceptProposedAction()
        if len(local) < len(urls):
            self._window.statusBar().showMessage(
                _tr("Only files on this computer can be imported; web links were left out."),
                8000,
            )
        # Start after the drop returns, so the source application is not kept waiting.
        QTimer.singleShot(0, self._window, lambda: self.import_paths(local))
