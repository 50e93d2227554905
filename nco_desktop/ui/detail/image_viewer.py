"""A picture from the vault, shown from memory, with Fit / Zoom in / Zoom out / 100 %.

The viewer shows pixels it is given: the pane has the sandbox turn an original into
plain pixels (an original is never decoded in the window's process), and the small
thumbnail made at import is plain pixels too (:func:`decode_thumbnail`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import (
    QEvent,
    QObject,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QImage,
    QKeySequence,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.ui.common.icons import ICON_SIZE, icon
from nco_desktop.ui.common.thumbnails import thumbnail_image

ZOOM_STEP = 1.25
MIN_SCALE = 0.02
MAX_SCALE = 16.0


def decode_thumbnail(data: bytes) -> QImage:
    """A thumbnail stored at import, or a null image if it is not one: plain pixels
    behind a size check (:func:`nco_desktop.ui.common.thumbnails.thumbnail_image`); no
    picture decoder runs in the window, not even for thumbnails."""
    return thumbnail_image(data)


class _View(QGraphicsView):
    resized = Signal()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.resized.emit()


#: A marked area as fractions (left, top, right, bottom) of the upright picture.
Fractions = tuple[float, float, float, float]


class ImageViewer(QWidget):
    """The picture and its zoom buttons. ``scale_changed`` carries the new scale.

    Areas to hide from the copy for the other side are drawn over the picture as solid
    boxes; in marking mode a drag on the picture draws a new one (``area_drawn``).
    """

    scale_changed = Signal(float)  # 1.0 = 100 %
    area_drawn = Signal(tuple)  # Fractions, in marking mode

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fit = True
        self._scene = QGraphicsScene(self)
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._scene.addItem(self._item)
        self._view = _View(self._scene, self)
        self._view.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self._view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self._view.setFrameShape(QFrame.Shape.StyledPanel)
        self._view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._view.setAccessibleName(self.tr("Picture"))
        self._view.setMinimumHeight(220)
        self._view.resized.connect(self._refit)
        self._view.viewport().installEventFilter(self)
        self._area_items: list[QGraphicsRectItem] = []
        self._areas: list[Fractions] = []
        self._marking = False
        self._drag_from: QPointF | None = None
        self._rubber = QGraphicsRectItem()
        self._rubber.setPen(QPen(QColor(220, 30, 30), 0, Qt.PenStyle.DashLine))
        self._rubber.setBrush(QBrush(QColor(0, 0, 0, 120)))
        self._rubber.setZValue(2)
        self._rubber.hide()
        self._scene.addItem(self._rubber)

        self.fit_button = self._button(
            "zoom-fit", self.tr("Fit"), self.tr("Fit the picture in the pane"), "Ctrl+9", self.fit
        )
        self.zoom_out_button = self._button(
            "zoom-out",
            self.tr("Zoom out"),
            self.tr("Zoom out"),
            QKeySequence.StandardKey.ZoomOut,
            self.zoom_out,
        )
        self.zoom_in_button = self._button(
            "zoom-in",
            self.tr("Zoom in"),
            self.tr("Zoom in"),
            QKeySequence.StandardKey.ZoomIn,
            self.zoom_in,
        )
        self.actual_button = self._button(
            "zoom-original",
            self.tr("Actual size (100 %)"),
            self.tr("Show the picture at its actual size"),
            "Ctrl+0",
            self.actual_size,
        )
        self._scale_label = QLabel(self)
        self._scale_label.setAccessibleName(self.tr("Zoom level"))
        self._scale_label.setMinimumWidth(
            self._scale_label.fontMetrics().horizontalAdvance(self.tr("Fit: 1000 %")) + 4
        )
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(2)
        for button in (
            self.fit_button,
            self.zoom_out_button,
            self.zoom_in_button,
            self.actual_button,
        ):
            bar.addWidget(button)
        bar.addSpacing(8)
        bar.addWidget(self._scale_label)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self._view, 1)
        self._set_enabled(False)

    def _button(
        self,
        icon_name: str,
        name: str,
        tip: str,
        keys: str | QKeySequence.StandardKey,
        slot: Callable[[], object],
    ) -> QToolButton:
        action = QAction(icon(icon_name), name, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(
            f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        )
        action.triggered.connect(slot)
        self.addAction(action)
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setIconSize(ICON_SIZE)
        button.setAutoRaise(True)
        button.setAccessibleName(name)
        return button

    # ----- content -------------------------------------------------------------------

    def set_image(self, image: QImage) -> None:
        self._item.setPixmap(QPixmap.fromImage(image))
        self._scene.setSceneRect(self._item.boundingRect())
        self.set_areas(self._areas)
        self._set_enabled(not image.isNull())
        self.fit()

    def clear(self) -> None:
        """Drop the picture from memory (locking, or another entry)."""
        self.set_areas([])
        self.set_marking(False)
        self._item.setPixmap(QPixmap())
        self._scene.setSceneRect(0, 0, 0, 0)
        self._view.resetTransform()
        self._set_enabled(False)
        self._scale_label.clear()

    def has_image(self) -> bool:
        return not self._item.pixmap().isNull()

    def image_size(self) -> QSize:
        return self._item.pixmap().size()

    def scale(self) -> float:
        return self._view.transform().m11()

    # ----- areas hidden from the copy for the other side --------------------------------

    def set_areas(self, areas: list[Fractions]) -> None:
        """Show *areas* as solid boxes over the picture, as the served copy will have them
        (kept as fractions, so they stay put when the sharper preview replaces the
        thumbnail)."""
        self._areas = list(areas)
        for item in self._area_items:
            self._scene.removeItem(item)
        self._area_items = []
        size = self._item.pixmap().size()
        for left, top, right, bottom in areas:
            box = QGraphicsRectItem(
                QRectF(
                    left * size.width(),
                    top * size.height(),
                    (right - left) * size.width(),
                    (bottom - top) * size.height(),
                )
            )
            box.setBrush(QBrush(QColor(0, 0, 0, 215)))
            box.setPen(QPen(QColor(220, 30, 30), 0))
            box.setZValue(1)
            box.setToolTip(self.tr("Blacked out in the copy for the other side"))
            self._scene.addItem(box)
            self._area_items.append(box)

    def area_count(self) -> int:
        return len(self._area_items)

    def set_marking(self, marking: bool) -> None:
        """In marking mode a drag draws an area instead of moving the picture."""
        self._marking = marking and self.has_image()
        self._view.setDragMode(
            QGraphicsView.DragMode.NoDrag
            if self._marking
            else QGraphicsView.DragMode.ScrollHandDrag
        )
        self._view.viewport().setCursor(
            Qt.CursorShape.CrossCursor if self._marking else Qt.CursorShape.OpenHandCursor
        )
        self._drag_from = None
        self._rubber.hide()

    def marking(self) -> bool:
        return self._marking

    def view_point(self, fraction_x: float, fraction_y: float) -> QPointF:
        """Where in the view (viewport pixels) a point of the picture is; for tests and
        for keyboard-free callers that map a picture position to the screen."""
        size = self._item.pixmap().size()
        scene = QPointF(fraction_x * size.width(), fraction_y * size.height())
        return QPointF(self._view.mapFromScene(scene))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            not self._marking
            or watched is not self._view.viewport()
            or not isinstance(event, QMouseEvent)
        ):
            return super().eventFilter(watched, event)
        here = self._view.mapToScene(event.position().toPoint())
        kind = event.type()
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self._drag_from = here
            self._rubber.setRect(QRectF(here, here))
            self._rubber.show()
            return True
        if self._drag_from is None:
            return super().eventFilter(watched, event)
        rect = QRectF(self._drag_from, here).normalized()
        if kind == QEvent.Type.MouseMove:
            self._rubber.setRect(rect)
            return True
        if kind == QEvent.Type.MouseButtonRelease:
            self._drag_from = None
            self._rubber.hide()
            size = self._item.pixmap().size()
            if size.width() and size.height():
                w, h = size.width(), size.height()
                self.area_drawn.emit(
                    (rect.left() / w, rect.top() / h, rect.right() / w, rect.bottom() / h)
                )
            return True
        return super().eventFilter(watched, event)

    # ----- zoom ----------------------------------------------------------------------

    def fit(self) -> None:
        """Show the whole picture; never enlarge it past 100 % (a tiny icon stays tiny)."""
        self._fit = True
        self._refit()

    def _refit(self) -> None:
        if not self._fit or not self.has_image():
            return
        size = self._item.pixmap().size()
        viewport = self._view.viewport().size()
        if size.isEmpty() or viewport.isEmpty():
            return
        scale = min(viewport.width() / size.width(), viewport.height() / size.height(), 1.0)
        self._apply(scale)

    def zoom_in(self) -> None:
        self._fit = False
        self._apply(self.scale() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._fit = False
        self._apply(self.scale() / ZOOM_STEP)

    def actual_size(self) -> None:
        self._fit = False
        self._apply(1.0)

    def _apply(self, scale: float) -> None:
        if not self.has_image():
            return
        scale = max(MIN_SCALE, min(MAX_SCALE, scale))
        self._view.resetTransform()
        self._view.scale(scale, scale)
        self._scale_label.setText(
            (self.tr("Fit: %1 %") if self._fit else self.tr("%1 %")).replace(
                "%1", str(round(scale * 100))
            )
        )
        self.scale_changed.emit(scale)

    def _set_enabled(self, enabled: bool) -> None:
        for button in (
            self.fit_button,
            self.zoom_out_button,
            self.zoom_in_button,
            self.actual_button,
        ):
            button.setEnabled(enabled)
