"""A PDF from the vault, its pages rendered in the sandbox.

The window never opens a PDF itself: a 347-byte PDF whose page tree loops froze the
window for good when QtPdf read it here (issue 12). The bytes are read on a job's own
connection and handed to a sandboxed worker, which sends back page sizes and then
plain pixels for the pages in view (:mod:`nco_desktop.ui.common.sandboxed_pages`).
Nothing is written to disk. :meth:`PdfViewer.clear` drops every page.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from nco_desktop.timeline.previews import PicturePreviews
from nco_desktop.ui.common.page_view import PageView
from nco_desktop.ui.common.sandboxed_pages import ReadDocument, SandboxedPages
from nco_desktop.ui.common.session import VaultSession


class PdfViewer(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pages: SandboxedPages | None = None
        self._status = QLabel(self)
        self._status.setWordWrap(True)
        self._status.setAccessibleName(self.tr("Pages"))
        self.view = PageView(self)
        self.view.setMinimumHeight(320)
        self.view.setAccessibleName(self.tr("Document pages"))
        self.view.current_page_changed.connect(self._show_status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._status)
        layout.addWidget(self.view, 1)

    def start(
        self,
        session: VaultSession,
        previews: Callable[[], PicturePreviews],
        read: ReadDocument,
    ) -> None:
        """Ask the sandbox for the document *read* returns; pages follow as they come."""
        self.clear()
        self._pages = SandboxedPages(session, self.view, previews, self)
        self._pages.opened.connect(lambda _count: self._show_status())
        self._pages.failed.connect(self._show_failure)
        self._status.setText(self.tr("Opening the document…"))
        self._pages.open(read)

    def clear(self) -> None:
        """Drop every page and any page still being rendered."""
        if self._pages is not None:
            self._pages.close()
            self._pages.deleteLater()
            self._pages = None
        self.view.clear()
        self.view.show()
        self._status.clear()

    # ----- reading (tests and the window) ------------------------------------------------

    def page_count(self) -> int:
        return self.view.page_count()

    def status_text(self) -> str:
        return self._status.text()

    def rendered_page(self, index: int) -> QImage | None:
        """Page *index* as far as the sandbox has rendered it, or None."""
        return self.view.rendered(index)

    # ----- status -------------------------------------------------------------------------

    def _show_failure(self, reason: str) -> None:
        self.view.hide()
        self._status.setText(
            self.tr(
                "The pages of this PDF could not be shown (%1). The original is unchanged "
                "in the vault."
            ).replace("%1", reason)
        )

    def _show_status(self, *_args: object) -> None:
        count = self.page_count()
        if count <= 0:
            return
        if count == 1:
            self._status.setText(self.tr("1 page"))
            return
        current = self.view.current_page() + 1
        self._status.setText(
            self.tr("Page %1 of %2").replace("%1", str(current)).replace("%2", str(count))
        )
