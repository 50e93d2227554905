"""A PDF from the vault, rendered from memory with QtPdf.

The bytes sit in a QBuffer that lives exactly as long as the QPdfDocument reading it;
nothing is written to disk (DESIGN invariant 2). :meth:`PdfViewer.clear` closes the
document and empties the buffer, so locking leaves no page in memory.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget


class PdfViewer(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._document: QPdfDocument | None = None
        self._buffer: QBuffer | None = None
        self._data: QByteArray | None = None
        self._status = QLabel(self)
        self._status.setWordWrap(True)
        self._status.setAccessibleName(self.tr("Pages"))
        self._view = QPdfView(self)
        self._view.setPageMode(QPdfView.PageMode.MultiPage)
        self._view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._view.setFrameShape(QFrame.Shape.StyledPanel)
        self._view.setMinimumHeight(320)
        self._view.setAccessibleName(self.tr("Document pages"))
        self._view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._view.pageNavigator().currentPageChanged.connect(self._show_status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self._status)
        layout.addWidget(self._view, 1)

    def load(self, data: bytes) -> bool:
        """Show the PDF in *data*; False (and a sentence in the pane) if it cannot be read."""
        self.clear()
        self._data = QByteArray(data)
        self._buffer = QBuffer(self._data, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self._document = QPdfDocument(self)
        self._document.load(self._buffer)
        if self._document.status() != QPdfDocument.Status.Ready:
            error = self._document.error()
            if error == QPdfDocument.Error.IncorrectPassword:
                reason = self.tr(
                    "This PDF is password-protected, so its pages cannot be shown here. "
                    "The original is unchanged in the vault."
                )
            else:
                reason = self.tr(
                    "The pages of this PDF could not be shown (the file may be damaged). "
                    "The original is unchanged in the vault."
                )
            self.clear()
            self._status.setText(reason)
            self._view.hide()
            return False
        self._view.setDocument(self._document)
        self._view.show()
        self._show_status()
        return True

    def clear(self) -> None:
        """Close the document and drop its bytes."""
        self._view.setDocument(None)  # type: ignore[arg-type]  # None detaches it
        if self._document is not None:
            self._document.close()
            self._document.deleteLater()
            self._document = None
        if self._buffer is not None:
            self._buffer.close()
            self._buffer.setData(QByteArray())
            self._buffer.deleteLater()
            self._buffer = None
        if self._data is not None:
            self._data.clear()
            self._data = None
        self._status.clear()

    def document(self) -> QPdfDocument | None:
        return self._document

    def page_count(self) -> int:
        return 0 if self._document is None else self._document.pageCount()

    def render_page(self, index: int, width: int = 400) -> QImage:
        """Page *index* as an image *width* pixels wide (for checks and previews)."""
        if self._document is None or not 0 <= index < self.page_count():
            return QImage()
        points = self._document.pagePointSize(index)
        if points.width() <= 0:
            return QImage()
        height = round(width * points.height() / points.width())
        rendered = self._document.render(index, QSize(width, height))
        page = QImage(rendered.size(), QImage.Format.Format_RGB32)
        page.fill(Qt.GlobalColor.white)  # PDFium leaves the paper transparent
        painter = QPainter(page)
        painter.drawImage(0, 0, rendered)
        painter.end()
        return page

    def _show_status(self, *_args: object) -> None:
        count = self.page_count()
        if count <= 0:
            return
        current = self._view.pageNavigator().currentPage() + 1
        if count == 1:
            self._status.setText(self.tr("1 page"))
        else:
            self._status.setText(
                self.tr("Page %1 of %2").replace("%1", str(current)).replace("%2", str(count))
            )
