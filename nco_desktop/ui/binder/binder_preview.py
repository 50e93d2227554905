"""The built binder on screen, from memory: the court's copy and the other side's.

The binder holds imported PDF pages as they were, so its bytes are untrusted too: the
window never opens them in a PDF engine of its own (issue 12). Each copy stays as bytes
in memory — never a file (DESIGN invariant 2) — and its pages are rendered in the
sandbox as they come into view (:class:`SandboxedPages`). :meth:`BinderPreview.clear`
drops both copies and every rendered page, so locking leaves no page behind.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QStackedWidget,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.timeline.previews import PicturePreviews
from nco_desktop.ui.common.icons import ICON_SIZE, icon
from nco_desktop.ui.common.page_view import PageView
from nco_desktop.ui.common.sandboxed_pages import SandboxedPages
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.ui.common.widgets import plain_label, quiet

COURT, SERVICE = "court", "service"
ZOOM_STEP = 1.25


class BinderPreview(QWidget):
    copy_changed = Signal(str)  # COURT or SERVICE

    def __init__(
        self,
        session: VaultSession,
        previews: Callable[[], PicturePreviews],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._copies: dict[str, bytes] = {}
        self._shown: str | None = None
        self._page_on_open = 0  # the page to show once the copy asked for is read

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

        self.view = PageView(self)
        self.view.setAccessibleName(self.tr("Binder pages"))
        self.view.current_page_changed.connect(self._show_page_number)
        self.pages = SandboxedPages(session, self.view, previews, self)
        self.pages.opened.connect(self._opened)
        self.pages.failed.connect(self._failed)

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

    def load(self, court: bytes, service: bytes | None) -> None:
        """Show the court's copy (and keep the other side's); its pages follow as the
        sandbox renders them. A copy that cannot be read says so in their place."""
        self.clear()
        self._copies = {COURT: court} if service is None else {COURT: court, SERVICE: service}
        self.copies_bar.setVisible(SERVICE in self._copies)
        self.show_copy(COURT)

    def clear(self, text: str = "") -> None:
        """Drop both copies and every page; show *text* in their place."""
        self.pages.close()
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
        data = self._copies.get(name)
        if data is None:
            return
        self._page_on_open = self.view.current_page() if self._shown is not None else 0
        self._shown = name
        self.pages.open(lambda _reader: data)
        self.copies_bar.blockSignals(True)
        self.copies_bar.setCurrentIndex(1 if name == SERVICE else 0)
        self.copies_bar.blockSignals(False)
        self.stack.setCurrentWidget(self.view)
        self.page_label.setText(self.tr("Opening…"))
        self.copy_changed.emit(name)

    def _opened(self, count: int) -> None:
        self.view.go_to(min(self._page_on_open, count - 1))
        for tool in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            tool.show()
        self._show_page_number()

    def _failed(self, reason: str) -> None:
        self.placeholder.setText(
            self.tr("The binder was built but cannot be shown (%1).").replace("%1", reason)
        )
        self.stack.setCurrentWidget(self.placeholder)
        self.page_label.clear()

    # ----- reading -----------------------------------------------------------------------

    def shown_copy(self) -> str | None:
        return self._shown

    def has(self, name: str) -> bool:
        return name in self._copies

    def data(self, name: str | None = None) -> bytes | None:
        """The bytes of copy *name* (the one shown by default), or None."""
        return self._copies.get(name or self._shown or "")

    def page_count(self) -> int:
        """Pages of the copy shown, once the sandbox has read it (0 before)."""
        return self.view.page_count()

    def rendered_page(self, index: int) -> QImage | None:
        """Page *index* of the copy shown as far as the sandbox has rendered it."""
        return self.view.rendered(index)

    # ----- zoom --------------------------------------------------------------------------

    def zoom_in(self) -> None:
        self.view.set_zoom(self.view.zoom() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self.view.set_zoom(self.view.zoom() / ZOOM_STEP)

    def fit_width(self) -> None:
        self.view.set_zoom(None)

    def _show_page_number(self, *_args: object) -> None:
        count = self.page_count()
        if count <= 0:
            self.page_label.clear()
            return
        current = self.view.current_page() + 1
        self.page_label.setText(
            self.tr("Page %1 of %2").replace("%1", str(current)).replace("%2", str(count))
        )
