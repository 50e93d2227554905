"""The binder preview's strip of small pages, rendered only while they are in sight.

A 1,400-page binder cannot have 1,400 pictures made when it opens: the strip is a list
of numbered rows of one fixed size (so Qt lays it out without asking each row), and
asks for the picture of the first row in sight that has none — one at a time, the next
when it arrives — from the same sandboxed worker that renders the big pages
(:meth:`~nco_desktop.ui.common.sandboxed_pages.SandboxedPages.render_page`). The window
never renders a page itself (issue 12). Only :data:`KEPT_THUMBNAILS` pictures are kept.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QImage, QPainter, QPalette, QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

_Index = QModelIndex | QPersistentModelIndex

THUMBNAIL_WIDTH = 84  # logical pixels
KEPT_THUMBNAILS = 240  # a few screens of the strip, about 10 MB at most
PAGE_ROLE = Qt.ItemDataRole.UserRole + 1  # int: the 0-based page
IMAGE_ROLE = Qt.ItemDataRole.UserRole + 2  # QImage | None: its picture, if rendered

#: Asks the sandbox for page *index* at *width* device pixels; the answer (None: it could
#: not be rendered) comes back through the callback, or never if the document changed.
RenderPage = Callable[[int, int, Callable[[QImage | None], None]], None]


class ThumbnailModel(QAbstractListModel):
    """One row per page; the rendered pictures of some of them (least recently used)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._count = 0
        self._images: OrderedDict[int, QImage] = OrderedDict()
        self._failed: set[int] = set()

    def set_count(self, count: int) -> None:
        self.beginResetModel()
        self._count = count
        self._images.clear()
        self._failed.clear()
        self.endResetModel()

    def has(self, page: int) -> bool:
        return page in self._images or page in self._failed

    def put(self, page: int, image: QImage | None) -> None:
        if not 0 <= page < self._count:
            return
        if image is None or image.isNull():
            self._failed.add(page)
        else:
            self._images[page] = image
            self._images.move_to_end(page)
            while len(self._images) > KEPT_THUMBNAILS:
                self._images.popitem(last=False)
        index = self.index(page)
        self.dataChanged.emit(index, index)

    def rendered(self) -> int:
        return len(self._images)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt default
        return 0 if parent.isValid() else self._count

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < self._count:
            return None
        page = index.row()
        if role == PAGE_ROLE:
            return page
        if role == IMAGE_ROLE:
            image = self._images.get(page)
            if image is not None:
                self._images.move_to_end(page)
            return image
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return QCoreApplication.translate("PageThumbnails", "Page %1").replace(
                "%1", str(page + 1)
            )
        return None


class ThumbnailDelegate(QStyledItemDelegate):
    """The page's picture (or a white sheet until it comes) with its number below."""

    def __init__(self, view: PageThumbnails) -> None:
        super().__init__(view)
        self._view = view

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        return self._view.item_size()

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        palette = option.palette
        if selected:
            painter.fillRect(option.rect, palette.color(QPalette.ColorRole.Highlight))
        sheet = self._view.sheet_size()
        line = option.fontMetrics.lineSpacing()
        box = QRect(
            option.rect.x() + (option.rect.width() - sheet.width()) // 2,
            option.rect.y() + 6,
            sheet.width(),
            sheet.height(),
        )
        painter.fillRect(box, Qt.GlobalColor.white)
        image = index.data(IMAGE_ROLE)
        if isinstance(image, QImage) and not image.isNull():
            size = image.size().scaled(box.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(box.topLeft(), size)
            target.moveCenter(box.center())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, image)
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawRect(box.adjusted(0, 0, -1, -1))
        painter.setPen(
            palette.color(
                QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
            )
        )
        number = QRect(option.rect.x(), box.bottom() + 3, option.rect.width(), line)
        painter.drawText(number, Qt.AlignmentFlag.AlignHCenter, str(index.row() + 1))
        painter.restore()


class PageThumbnails(QListView):
    """The strip: click (or Enter on) a page to go to it (:attr:`page_chosen`)."""

    page_chosen = Signal(int)  # 0-based

    def __init__(self, render: RenderPage, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._render = render
        self._asked: int | None = None  # the one page on its way
        self._generation = 0  # bumped per document: a late picture is dropped
        self._aspect = 11 / 8.5  # height / width of the pages, from the first
        self.thumbnails = ThumbnailModel(self)
        self.setModel(self.thumbnails)
        self.setItemDelegate(ThumbnailDelegate(self))
        self.setUniformItemSizes(True)  # 1,400 rows laid out without asking each one
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setMinimumWidth(THUMBNAIL_WIDTH + 40)
        self.verticalScrollBar().valueChanged.connect(self._ask)
        self.clicked.connect(lambda index: self.page_chosen.emit(index.row()))
        self.activated.connect(lambda index: self.page_chosen.emit(index.row()))

    def set_pages(self, sizes: list[tuple[float, float]]) -> None:
        """A new document of these page sizes (points): numbered sheets, no pictures."""
        self._generation += 1
        self._asked = None
        if sizes:
            width, height = sizes[0]
            self._aspect = min(max(height / max(width, 1.0), 0.3), 3.0)
        self.thumbnails.set_count(len(sizes))
        self._ask()

    def clear(self) -> None:
        self.set_pages([])

    def sheet_size(self) -> QSize:
        return QSize(THUMBNAIL_WIDTH, round(THUMBNAIL_WIDTH * self._aspect))

    def item_size(self) -> QSize:
        sheet = self.sheet_size()
        return QSize(THUMBNAIL_WIDTH + 16, sheet.height() + self.fontMetrics().lineSpacing() + 14)

    def show_current(self, page: int) -> None:
        """Mark the page the big view is at, and keep it in sight."""
        index = self.thumbnails.index(page)
        if not index.isValid():
            return
        self.selectionModel().blockSignals(True)
        self.setCurrentIndex(index)
        self.selectionModel().blockSignals(False)
        self.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def visible_pages(self) -> list[int]:
        count = self.thumbnails.rowCount()
        if count == 0:
            return []
        area = self.viewport().rect()
        top = self.indexAt(area.topLeft() + QPoint(4, 4))
        bottom = self.indexAt(area.bottomLeft() + QPoint(4, -4))
        first = top.row() if top.isValid() else 0
        last = bottom.row() if bottom.isValid() else count - 1
        return list(range(first, last + 1))

    def _ask(self, *_args: object) -> None:
        """Ask for the first page in sight without a picture; one request at a time."""
        if self._asked is not None or not self.isVisible():
            return
        wanted = next((p for p in self.visible_pages() if not self.thumbnails.has(p)), None)
        if wanted is None or self._asked is not None:
            return  # (laying out the rows may have resized the list, which asked already)
        self._asked = wanted
        generation = self._generation
        width = max(1, round(THUMBNAIL_WIDTH * self.devicePixelRatioF()))

        def arrived(image: QImage | None) -> None:
            if generation != self._generation:
                return
            self._asked = None
            self.thumbnails.put(wanted, image)
            self._ask()

        self._render(wanted, width, arrived)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._ask()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._ask()
