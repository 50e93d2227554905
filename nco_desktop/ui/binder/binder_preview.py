"""The built binder on screen, from memory: the court's copy and the other side's.

Each copy is a QPdfDocument reading a QBuffer over a QByteArray — never a file
(DESIGN invariant 2). :meth:`BinderPreview.clear` closes both documents and empties
their buffers, so locking leaves no page behind.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QSize, Qt, Signal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.ui.common.icons import ICON_SIZE, icon
from nco_desktop.ui.common.widgets import plain_label, quiet

COURT, SERVICE = "court", "service"
ZOOM_STEP = 1.25


class _Loaded:
    """One copy: its bytes, the buffer reading them, and the document."""

    def __init__(self, data: bytes, parent: QWidget) -> None:
        self.data = QByteArray(data)
        self.buffer = QBuffer(self.data, parent)
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(parent)
        self.document.load(self.buffer)

    def close(self) -> None:
        self.document.close()
        self.document.deleteLater()
        self.buffer.close()
        self.buffer.setData(QByteArray())
        self.buffer.deleteLater()
        self.data.clear()


class BinderPreview(QWidget):
    copy_changed = Signal(str)  # COURT or SERVICE

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._copies: dict[str, _Loaded] = {}
        self._shown: str | None = None

        self.copies_bar = QTabBar(self)
        self.copies_bar.setAccessibleName(self.tr("Which copy to show"))
        self.copies_bar.setDrawBase(False)
        self.copies_bar.setExpanding(False)
        self.copies_bar.addTab(self.tr("Court copy"))
        self.copies_bar.addTab(self.tr("Copy for the other side"))
        self.copies_bar.setTabToolTip(0, self.tr("The copy for the judge, and your own"))
        self.copies_bar.setTabToolTip(
            1, self.tr("The copy served on the other side: your private details removed")
        )
        self.copies_bar.currentChanged.connect(
            lambda index: self.show_copy(SERVICE if index == 1 else COURT)
        )

        self.page_label = QLabel(self)
        self.page_label.setAccessibleName(self.tr("Page shown"))
        self.zoom_out_button = self._tool("zoom-out", self.tr("Zoom out"), self.zoom_out)
        self.zoom_in_button = self._tool("zoom-in", self.tr("Zoom in"), self.zoom_in)
        self.fit_button = self._tool("zoom-fit", self.tr("Fit the page width"), self.fit_width)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        bar.addWidget(self.copies_bar)
        bar.addStretch(1)
        bar.addWidget(self.page_label)
        bar.addSpacing(8)
        for tool in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            bar.addWidget(tool)

        self.view = QPdfView(self)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setFrameShape(QFrame.Shape.StyledPanel)
        self.view.setAccessibleName(self.tr("Binder pages"))
        self.view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.view.pageNavigator().currentPageChanged.connect(self._show_page_number)

        self.placeholder = quiet(plain_label("", self, selectable=False))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setMargin(24)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(bar)
        layout.addWidget(self.stack, 1)
        self.clear()

    def _tool(self, icon_name: str, name: str, slot: object) -> QToolButton:
        button = QToolButton(self)
        button.setIcon(icon(icon_name))
        button.setIconSize(ICON_SIZE)
        button.setAccessibleName(name)
        button.setToolTip(name)
        button.setAutoRaise(True)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        button.clicked.connect(slot)
        return button

    # ----- contents ----------------------------------------------------------------------

    def load(self, court: bytes, service: bytes | None) -> bool:
        """Show the court's copy (and keep the other side's); False if one cannot be read."""
        self.clear()
        copies = {COURT: court} if service is None else {COURT: court, SERVICE: service}
        for name, data in copies.items():
            loaded = _Loaded(data, self)
            self._copies[name] = loaded
            if loaded.document.status() != QPdfDocument.Status.Ready:
                self.clear()
                self.placeholder.setText(self.tr("The binder was built but cannot be shown."))
                return False
        self.copies_bar.setVisible(SERVICE in self._copies)
        self.show_copy(COURT)
        return True

    def clear(self, text: str = "") -> None:
        """Close both documents and drop their bytes; show *text* in their place."""
        self.view.setDocument(None)  # type: ignore[arg-type]  # None detaches it
        for loaded in self._copies.values():
            loaded.close()
        self._copies = {}
        self._shown = None
        self.placeholder.setText(text)
        self.stack.setCurrentWidget(self.placeholder)
        self.page_label.clear()
        self.copies_bar.hide()
        for tool in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            tool.hide()

    def show_copy(self, name: str) -> None:
        """Show copy *name*, at the page the other copy was at (to compare the two)."""
        loaded = self._copies.get(name)
        if loaded is None:
            return
        navigator = self.view.pageNavigator()
        page = navigator.currentPage() if self._shown is not None else 0
        self._shown = name
        self.view.setDocument(loaded.document)
        last = max(0, loaded.document.pageCount() - 1)
        navigator.jump(min(page, last), QPointF(0, 0), navigator.currentZoom())
        self.copies_bar.blockSignals(True)
        self.copies_bar.setCurrentIndex(1 if name == SERVICE else 0)
        self.copies_bar.blockSignals(False)
        self.stack.setCurrentWidget(self.view)
        for tool in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            tool.show()
        self._show_page_number()
        self.copy_changed.emit(name)

    # ----- reading -----------------------------------------------------------------------

    def shown_copy(self) -> str | None:
        return self._shown

    def has(self, name: str) -> bool:
        return name in self._copies

    def document(self, name: str | None = None) -> QPdfDocument | None:
        """The document of copy *name* (the one shown by default)."""
        loaded = self._copies.get(name or self._shown or "")
        return None if loaded is None else loaded.document

    def page_count(self, name: str | None = None) -> int:
        document = self.document(name)
        return 0 if document is None else document.pageCount()

    def render_page(self, index: int, width: int = 400, name: str | None = None) -> QImage:
        """Page *index* of a copy as an image *width* pixels wide, on white paper."""
        document = self.document(name)
        if document is None or not 0 <= index < document.pageCount():
            return QImage()
        points = document.pagePointSize(index)
        height = round(width * points.height() / max(points.width(), 1))
        rendered = document.render(index, QSize(width, height))
        page = QImage(rendered.size(), QImage.Format.Format_RGB32)
        page.fill(Qt.GlobalColor.white)
        painter = QPainter(page)
        painter.drawImage(0, 0, rendered)
        painter.end()
        return page

    # ----- zoom --------------------------------------------------------------------------

    def zoom_in(self) -> None:
        self._zoom(self.view.zoomFactor() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom(self.view.zoomFactor() / ZOOM_STEP)

    def fit_width(self) -> None:
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def _zoom(self, factor: float) -> None:
        if self.view.zoomMode() != QPdfView.ZoomMode.Custom:
            factor = self._fitted_factor() * (factor / max(self.view.zoomFactor(), 0.01))
        self.view.setZoomMode(QPdfView.ZoomMode.Custom)
        self.view.setZoomFactor(max(0.25, min(factor, 6.0)))

    def _fitted_factor(self) -> float:
        """The zoom "fit width" gives now (QPdfView reports 1.0 while it fits)."""
        document = self.document()
        if document is None or document.pageCount() == 0:
            return 1.0
        points = document.pagePointSize(0).width()
        pixels = points * self.logicalDpiX() / 72
        return max(0.25, (self.view.viewport().width() - 12) / max(pixels, 1))

    def _show_page_number(self, *_args: object) -> None:
        count = self.page_count()
        if count <= 0:
            self.page_label.clear()
            return
        current = self.view.pageNavigator().currentPage() + 1
        self.page_label.setText(
            self.tr("Page %1 of %2").replace("%1", str(current)).replace("%2", str(count))
        )
