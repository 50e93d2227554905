"""Pages of a document drawn from pictures someone else rendered.

The window never hands a PDF to a PDF engine in its own process (issue 12): a page
tree that loops froze the window for good, with Lock and Quick exit stuck behind it.
Pages are rendered in the sandbox and arrive as plain pixels; this widget only lays
out the pages by their sizes, asks for the ones that come into view
(:attr:`PageView.page_wanted`), and paints what it has been given. A page not yet
rendered is a white sheet with its number, so scrolling never waits.

Only a few rendered pages are kept (:data:`KEPT_PAGES`): a 600-page binder at screen
width would otherwise hold gigabytes of pixels.
"""

from __future__ import annotations

import math
from collections import OrderedDict

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

from nco_desktop.sandbox.wire import MAX_RASTER_PIXELS, MAX_RASTER_SIDE

GAP = 10  # pixels between pages and around them
KEPT_PAGES = 12
WIDTH_STEP = 64  # render widths are rounded up to this, so a small resize reuses pages
MIN_ZOOM, MAX_ZOOM = 0.25, 4.0
#: A page is laid out at most this many times taller than wide (or wider than tall). A
#: hostile PDF's 1 × 1,000,000 pt page would otherwise make the canvas taller than Qt
#: can draw; such a page is shown within its box, its proportions kept.
MAX_ASPECT = 8.0
MAX_CANVAS = 16_000_000  # pixels: under QWIDGETSIZE_MAX (2^24 - 1)


class _Sheets(QWidget):
    """The scrolled canvas: every page as a rectangle, painted when it is exposed."""

    def __init__(self, owner: PageView) -> None:
        super().__init__(owner)
        self._owner = owner

    def paintEvent(self, event: QPaintEvent) -> None:
        owner = self._owner
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        exposed = event.rect()
        text_pen = self.palette().color(QPalette.ColorRole.PlaceholderText)
        for index, rect in enumerate(owner.page_rects()):
            if rect.bottom() < exposed.top() or rect.top() > exposed.bottom():
                continue
            painter.fillRect(rect, QColor("white"))
            image = owner.rendered(index)
            if image is not None:
                size = image.size().scaled(rect.size(), Qt.AspectRatioMode.KeepAspectRatio)
                target = QRect(rect.topLeft(), size)
                target.moveCenter(rect.center())
                painter.drawImage(target, image)
            else:
                painter.setPen(text_pen)
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(index + 1))
            painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
            painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.end()


class PageView(QScrollArea):
    """Pages laid out top to bottom, fitted to the width or zoomed.

    ``page_wanted(index, width_px)`` asks the owner for a page at a pixel width (device
    pixels); the owner answers with :meth:`show_page`. ``current_page_changed`` carries
    the index of the page at the top of the view.
    """

    page_wanted = Signal(int, int)
    current_page_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setWidgetResizable(False)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setBackgroundRole(QPalette.ColorRole.Dark)
        self._sheets = _Sheets(self)
        self.setWidget(self._sheets)
        self._sizes: list[tuple[float, float]] = []  # points
        self._rects: list[QRect] = []
        self._images: OrderedDict[int, tuple[int, QImage]] = OrderedDict()
        self._asked: set[tuple[int, int]] = set()
        self._failed: set[int] = set()
        self._zoom: float | None = None  # None: fit the width
        self._current = -1
        self.verticalScrollBar().valueChanged.connect(self._scrolled)

    # ----- contents ----------------------------------------------------------------------

    def set_pages(self, sizes: list[tuple[float, float]]) -> None:
        """Lay out pages of these sizes (points); nothing is rendered yet."""
        self.clear()
        self._sizes = [_boxed(w, h) for w, h in sizes]
        self._layout()
        self.verticalScrollBar().setValue(0)
        self._scrolled()

    def clear(self) -> None:
        """Forget every page and every picture of one."""
        self._sizes = []
        self._rects = []
        self._images.clear()
        self._asked.clear()
        self._failed.clear()
        self._current = -1
        self._sheets.resize(0, 0)
        self._sheets.update()

    def show_page(self, index: int, width: int, image: QImage) -> None:
        """The page *index* rendered *width* device pixels wide has arrived."""
        self._asked.discard((index, width))
        if not 0 <= index < len(self._sizes) or image.isNull():
            return
        self._images[index] = (width, image)
        self._images.move_to_end(index)
        visible = set(self.visible_pages())
        while len(self._images) > KEPT_PAGES:
            oldest = next((i for i in self._images if i not in visible), None)
            if oldest is None:
                break
            del self._images[oldest]
        if index < len(self._rects):
            self._sheets.update(self._rects[index])
        self._ask()

    def page_failed(self, index: int, width: int) -> None:
        """Page *index* could not be rendered: it stays a numbered sheet, and the
        next visible page is asked for (a failed page is not asked for again)."""
        self._asked.discard((index, width))
        self._failed.add(index)
        self._ask()

    def failed_pages(self) -> set[int]:
        return set(self._failed)

    # ----- reading -----------------------------------------------------------------------

    def page_count(self) -> int:
        return len(self._sizes)

    def page_rects(self) -> list[QRect]:
        return self._rects

    def rendered(self, index: int) -> QImage | None:
        held = self._images.get(index)
        return None if held is None else held[1]

    def current_page(self) -> int:
        return max(self._current, 0)

    def visible_pages(self) -> list[int]:
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        return [i for i, r in enumerate(self._rects) if r.bottom() >= top and r.top() <= bottom]

    # ----- zoom and moving ---------------------------------------------------------------

    def zoom(self) -> float:
        """The scale of the first page against its fitted width (1.0 = fits)."""
        return 1.0 if self._zoom is None else self._zoom

    def set_zoom(self, zoom: float | None) -> None:
        """Zoom to *zoom* times the fitted width, or fit the width again (None)."""
        page = self.current_page()
        self._failed.clear()  # a page refused at one size may be drawn at another
        self._zoom = None if zoom is None else min(max(zoom, MIN_ZOOM), MAX_ZOOM)
        self._layout()
        self.go_to(page)

    def go_to(self, index: int) -> None:
        if 0 <= index < len(self._rects):
            self.verticalScrollBar().setValue(self._rects[index].top() - GAP)
        self._scrolled()

    # ----- layout and asking ------------------------------------------------------------

    def _fit_width(self) -> int:
        return max(self.viewport().width() - 2 * GAP, 50)

    def _layout(self) -> None:
        fit = self._fit_width()
        widest = max((w for w, _ in self._sizes), default=1.0)
        rects: list[QRect] = []
        top = GAP
        scale = fit * self.zoom() / widest
        tallest = sum(h * scale + GAP for _, h in self._sizes) + GAP
        if tallest > MAX_CANVAS:  # thousands of pages zoomed in: smaller, never cut off
            scale *= MAX_CANVAS / tallest
        for w, h in self._sizes:
            width = max(round(w * scale), 1)
            height = max(round(h * scale), 1)
            rects.append(QRect(GAP, top, width, height))
            top += height + GAP
        self._rects = rects
        total_width = max((r.right() for r in rects), default=0) + GAP
        self._sheets.resize(QSize(max(total_width, self.viewport().width()), top))
        self._sheets.update()

    def _render_width(self, index: int) -> int:
        """Device pixels, rounded up to :data:`WIDTH_STEP`, but never a picture larger
        than the sandbox may send (zoomed in on a HiDPI screen, a page would be): such
        a page is drawn from the largest picture allowed, scaled up."""
        rect = self._rects[index]
        width = rect.width() * self.devicePixelRatioF()
        stepped = int(-(-width // WIDTH_STEP) * WIDTH_STEP)
        aspect = rect.width() / max(rect.height(), 1)
        widest = min(
            math.sqrt(MAX_RASTER_PIXELS * aspect) * 0.98,  # rounding of the height
            MAX_RASTER_SIDE * min(aspect, 1.0) * 0.98,
        )
        return max(1, min(stepped, int(widest)))

    def _ask(self) -> None:
        """Ask for the first visible page that has no picture at the width shown."""
        for index in self.visible_pages():
            if index in self._failed:
                continue
            width = self._render_width(index)
            held = self._images.get(index)
            if held is not None and held[0] >= width:
                continue
            if (index, width) not in self._asked:
                self._asked.add((index, width))
                self.page_wanted.emit(index, width)
            return

    def _scrolled(self, *_args: object) -> None:
        visible = self.visible_pages()
        current = visible[0] if visible else -1
        if current != self._current:
            self._current = current
            if current >= 0:
                self.current_page_changed.emit(current)
        self._ask()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._sizes and event.oldSize().width() != event.size().width():
            page = self.current_page()
            self._layout()
            self.go_to(page)


def _boxed(width: float, height: float) -> tuple[float, float]:
    """A page's size for layout: at least a point, at most :data:`MAX_ASPECT` to one."""
    width, height = max(width, 1.0), max(height, 1.0)
    return min(width, height * MAX_ASPECT), min(height, width * MAX_ASPECT)
