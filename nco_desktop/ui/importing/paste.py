"""Ctrl+V in the window: a picture on the clipboard becomes a screenshot in the vault.

The picture is encoded as PNG here (Qt owns the clipboard's pixels) and stored by a
job of the session, so locking waits for it. Copied files are handed back to the
window, which imports them like a drop.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QObject, Signal
from PySide6.QtGui import QGuiApplication, QImage
from PySide6.QtWidgets import QWidget

from nco_desktop.importers.pasted import PastedPicture, import_pasted_picture
from nco_desktop.progress import CancelToken, ProgressCallback
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.jobs import run_job
from nco_desktop.ui.common.session import Change, VaultSession
from nco_desktop.vault import Vault


class ClipboardPaste(QObject):
    said = Signal(str, int)  # a sentence for the status bar, and for how many ms

    def __init__(self, session: VaultSession, parent_widget: QWidget) -> None:
        super().__init__(parent_widget)
        self._session = session
        self._parent_widget = parent_widget

    def paste(self) -> list[Path]:
        """Store a pasted picture; return copied files for the window to import."""
        if not self._session.is_open:
            return []
        data = QGuiApplication.clipboard().mimeData()
        if data is not None and data.hasImage():
            image = QImage(data.imageData())
            if not image.isNull():
                self._store(image)
                return []
        if data is not None and data.hasUrls():
            local = [Path(url.toLocalFile()) for url in data.urls() if url.isLocalFile()]
            if local:
                return local
        self.said.emit(self.tr("There is no picture on the clipboard to paste."), 6000)
        return []

    def _store(self, image: QImage) -> None:
        buffer = QBuffer()
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")  # type: ignore[call-overload]  # the stubs say bytes; it takes str
        png = bytes(buffer.data().data())
        buffer.close()
        moment = datetime.now(UTC)

        def work(vault: Vault, progress: ProgressCallback, cancel: CancelToken) -> PastedPicture:
            return import_pasted_picture(vault, png, pasted_at=moment)

        run_job(
            self._session,
            work,
            on_success=self._stored,
            on_failure=lambda error: prompts.warn(
                self._parent_widget, self.tr("The picture was not added"), prompts.explain(error)
            ),
        )

    def _stored(self, pasted: PastedPicture) -> None:
        self._session.notify(Change.ENTRIES)
        if pasted.entry_id is None:
            self.said.emit(self.tr("That picture is already in the vault."), 6000)
        else:
            self.said.emit(
                self.tr(
                    "The picture was added as a screenshot. Its time is unknown: "
                    "a clipboard does not say when a picture was taken."
                ),
                8000,
            )
