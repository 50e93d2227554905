"""The built binder on screen, from memory: the court's copy and the other side's.

The binder holds imported PDF pages as they were, so its bytes are untrusted too: the
window never opens them in a PDF engine of its own (issue 12). Each copy stays as bytes
in memory — never a file (DESIGN invariant 2) — and its pages are rendered in the
sandbox as they come into view (:class:`SandboxedPages`). :meth:`BinderPreview.clear`
drops both copies and every rendered page, so locking leaves no page behind.

Finding a page in a long binder: a page box ("Page [12] of 148", Enter jumps, Ctrl+G
goes to it), the binder's contents — its bookmarks, as the build wrote them
(:attr:`~nco_desktop.binder.copies.BuiltCopy.outline`: plain titles and pages, so the
window reads no PDF to list them) — and a strip of small pages rendered only while in
sight (:mod:`~nco_desktop.ui.binder.binder_thumbnails`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.timeline.previews import PicturePreviews
from nco_desktop.ui.binder.binder_thumbnails import PageThumbnails
from nco_desktop.ui.common.icons import ICON_SIZE, icon
from nco_desktop.ui.common.page_view import PageView
from nco_desktop.ui.common.sandboxed_pages import SandboxedPages
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.ui.common.widgets import plain_label, quiet

COURT, SERVICE = "court", "service"
ZOOM_STEP = 1.25
#: A binder's bookmarks: (title, 1-based page), in order.
Outline = Sequence[tuple[str, int]]


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

        self.page_label = QLabel(self)  # "Opening…", or nothing once the pages are in
        self.page_label.setAccessibleName(self.tr("Page shown"))
        self.page_word = QLabel(self.tr("Page"), self)
        self.page_box = QSpinBox(self)
        self.page_box.setAccessibleName(self.tr("Go to page"))
        self.page_box.setToolTip(self.tr("Type a page number and press Enter (Ctrl+G)"))
        self.page_box.setButtonSymbols(QAbstractSpinBox.ButtonSymbols.NoButtons)
        self.page_box.setKeyboardTracking(False)  # jump on Enter, not on every digit
        self.page_box.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.page_box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # no jump from the wheel
        self.page_box.valueChanged.connect(lambda number: self.go_to_page(number - 1))
        self.page_word.setBuddy(self.page_box)
        self.page_total = QLabel(self)
        self.contents_button = QToolButton(self)
        self.contents_button.setText(self.tr("Contents"))
        self.contents_button.setToolTip(self.tr("Show or hide the contents and the small pages"))
        self.contents_button.setCheckable(True)
        self.contents_button.setChecked(True)
        self.contents_button.setAutoRaise(True)
        self.contents_button.toggled.connect(self._show_side)
        go_to = QShortcut(QKeySequence(self.tr("Ctrl+G")), self)
        go_to.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        go_to.activated.connect(self.focus_page_box)
        self.zoom_out_button = self._tool("zoom-out", self.tr("Zoom out"), self.zoom_out)
        self.zoom_in_button = self._tool("zoom-in", self.tr("Zoom in"), self.zoom_in)
        self.fit_button = self._tool("zoom-fit", self.tr("Fit the page width"), self.fit_width)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(6)
        bar.addWidget(self.copies_bar)
        bar.addStretch(1)
        bar.addWidget(self.page_label)
        bar.addWidget(self.page_word)
        bar.addWidget(self.page_box)
        bar.addWidget(self.page_total)
        bar.addSpacing(8)
        for tool in (self.zoom_out_button, self.zoom_in_button, self.fit_button):
            bar.addWidget(tool)
        bar.addWidget(self.contents_button)

        self.view = PageView(self)
        self.view.setAccessibleName(self.tr("Binder pages"))
        self.view.current_page_changed.connect(self._show_page_number)
        self.pages = SandboxedPages(session, self.view, previews, self)
        self.pages.opened.connect(self._opened)
        self.pages.failed.connect(self._failed)

        self.outline = QTreeWidget(self)
        self.outline.setAccessibleName(self.tr("Contents of the binder"))
        self.outline.setColumnCount(2)
        self.outline.setHeaderHidden(True)
        self.outline.setRootIsDecorated(False)
        self.outline.setUniformRowHeights(True)
        self.outline.header().setStretchLastSection(False)
        self.outline.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.outline.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.outline.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.outline.itemClicked.connect(self._outline_chosen)
        self.outline.itemActivated.connect(self._outline_chosen)
        self.thumbnails = PageThumbnails(self.pages.render_page, self)
        self.thumbnails.setAccessibleName(self.tr("Small pages"))
        self.thumbnails.page_chosen.connect(self.go_to_page)
        self.pages.sizes_read.connect(self.thumbnails.set_pages)
        self.side = QTabWidget(self)
        self.side.setDocumentMode(True)
        self.side.addTab(self.outline, self.tr("Contents"))
        self.side.addTab(self.thumbnails, self.tr("Pages"))
        self._outlines: dict[str, list[tuple[str, int]]] = {}

        self.placeholder = quiet(plain_label("", self, selectable=False))
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setMargin(24)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.view)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.body = QSplitter(Qt.Orientation.Horizontal, self)
        self.body.addWidget(self.side)
        self.body.addWidget(self.stack)
        self.body.setStretchFactor(0, 0)
        self.body.setStretchFactor(1, 1)
        self.body.setCollapsible(1, False)
        self.body.setSizes([190, 460])
        layout.addLayout(bar)
        layout.addWidget(self.body, 1)
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

    def load(
        self,
        court: bytes,
        service: bytes | None,
        court_outline: Outline = (),
        service_outline: Outline = (),
    ) -> None:
        """Show the court's copy (and keep the other side's); its pages follow as the
        sandbox renders them. A copy that cannot be read says so in their place.
        The outlines are each copy's bookmarks as the build wrote them."""
        self.clear()
        self._copies = {COURT: court} if service is None else {COURT: court, SERVICE: service}
        self._outlines = {COURT: list(court_outline), SERVICE: list(service_outline)}
        self.copies_bar.setVisible(SERVICE in self._copies)
        self.show_copy(COURT)

    def clear(self, text: str = "") -> None:
        """Drop both copies and every page; show *text* in their place."""
        self.pages.close()
        self._copies = {}
        self._outlines = {}
        self._shown = None
        self.placeholder.setText(text)
        self.stack.setCurrentWidget(self.placeholder)
        self.page_label.clear()
        self.copies_bar.hide()
        self.outline.clear()
        self.thumbnails.clear()
        self._show_tools(False)

    def _show_tools(self, shown: bool) -> None:
        """The page box, zoom and contents only while pages are shown."""
        for tool in (
            self.zoom_out_button,
            self.zoom_in_button,
            self.fit_button,
            self.page_word,
            self.page_box,
            self.page_total,
            self.contents_button,
        ):
            tool.setVisible(shown)
        self.side.setVisible(shown and self.contents_button.isChecked())

    def show_copy(self, name: str) -> None:
        """Show copy *name*, at the page the other copy was at (to compare the two)."""
        data = self._copies.get(name)
        if data is None:
            return
        self._page_on_open = self.view.current_page() if self._shown is not None else 0
        self._shown = name
        self._show_tools(False)
        self.thumbnails.clear()
        self._fill_outline(self._outlines.get(name, []))
        self.pages.open(lambda _reader: data)
        self.copies_bar.blockSignals(True)
        self.copies_bar.setCurrentIndex(1 if name == SERVICE else 0)
        self.copies_bar.blockSignals(False)
        self.stack.setCurrentWidget(self.view)
        self.page_label.setText(self.tr("Opening…"))
        self.copy_changed.emit(name)

    def _opened(self, count: int) -> None:
        self.page_box.blockSignals(True)
        self.page_box.setRange(1, count)
        self.page_box.blockSignals(False)
        self.page_total.setText(self.tr("of %1").replace("%1", f"{count:,}"))
        self.page_box.setMinimumWidth(
            self.page_box.fontMetrics().horizontalAdvance(f"{count:,}0") + 12
        )
        self.page_label.clear()
        self._show_tools(True)
        self.view.go_to(min(self._page_on_open, count - 1))
        self._show_page_number()

    def _failed(self, reason: str) -> None:
        self.placeholder.setText(
            self.tr("The binder was built but cannot be shown (%1).").replace("%1", reason)
        )
        self.stack.setCurrentWidget(self.placeholder)
        self.page_label.clear()
        self._show_tools(False)

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

    # ----- finding a page ----------------------------------------------------------------

    def go_to_page(self, index: int) -> None:
        """Show page *index* (0-based) at the top of the view."""
        if 0 <= index < self.page_count():
            self.view.go_to(index)

    def focus_page_box(self) -> None:
        """Ctrl+G: type a page number, Enter goes there."""
        if self.page_box.isVisible():
            self.page_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.page_box.selectAll()

    def outline_entries(self) -> list[tuple[str, int]]:
        """The contents listed for the copy shown: (title, 1-based page)."""
        return list(self._outlines.get(self._shown or "", []))

    def _fill_outline(self, outline: Outline) -> None:
        self.outline.clear()
        for title, page in outline:
            item = QTreeWidgetItem([title, str(page)])
            item.setData(0, Qt.ItemDataRole.UserRole, page - 1)
            item.setToolTip(
                0, self.tr("%1 — page %2").replace("%1", title).replace("%2", str(page))
            )
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.outline.addTopLevelItem(item)

    def _outline_chosen(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        page = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(page, int):
            self.go_to_page(page)

    def _show_side(self, shown: bool) -> None:
        self.side.setVisible(shown and self.page_box.isVisible())

    def _show_page_number(self, *_args: object) -> None:
        """Follow the view: the page box, the part of the contents and the small page."""
        if self.page_count() <= 0:
            return
        current = self.view.current_page()
        self.page_box.blockSignals(True)
        self.page_box.setValue(current + 1)
        self.page_box.blockSignals(False)
        self.thumbnails.show_current(current)
        section = None
        for row in range(self.outline.topLevelItemCount()):
            item = self.outline.topLevelItem(row)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) <= current:
                section = item
        if section is not None:
            self.outline.blockSignals(True)
            self.outline.setCurrentItem(section)
            self.outline.blockSignals(False)
