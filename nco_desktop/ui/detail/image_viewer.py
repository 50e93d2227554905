"""A picture from the vault, shown from memory, with Fit / Zoom in / Zoom out / 100 %.

The viewer shows pixels it is given: the pane has the sandbox turn an original into
plain pixels (an original is never decoded in the window's process), and the small
thumbnail made at import is plain pixels too (:func:`decode_thumbnail`).

The same viewer serves the pane and the larger picture window
(:mod:`.picture_window`): in the pane, *Fit* shows the whole picture; in the larger
window it fits the width, because a phone screenshot fitted whole into a screen is
too small to read. The keys are the same in both: Ctrl+0 fits, Ctrl+1 is 100 %,
Ctrl+= and Ctrl+- zoom. Areas to hide can be drawn with the mouse or made with the
keyboard (:mod:`.area_keys`).
"""

from __future__ import annotations

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
    QBrush,
    QColor,
    QImage,
    QMouseEvent,
    QPainter,
    QPen,
    QPixmap,
    QResizeEvent,
    QTransform,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QStyle,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.ui.common.thumbnails import thumbnail_image
from nco_desktop.ui.detail.area_keys import AreaKeys
from nco_desktop.ui.detail.zoom_keys import (
    ACTUAL_KEYS,
    FIT_KEYS,
    LARGER_KEYS,
    WHOLE_KEYS,
    ZOOM_IN_KEYS,
    ZOOM_OUT_KEYS,
    tool_button,
)

#: A focus ring the same width as the plain frame, so focusing never rescales the fit.
VIEW_STYLE = (
    "QGraphicsView { border: 1px solid palette(mid); padding: 1px; }"
    " QGraphicsView:focus { border: 2px solid palette(highlight); padding: 0px; }"
)
ZOOM_STEP = 1.25
#: Words the search found in the picture: the timeline's marker yellow (#ffd54f), see-
#: through so the words stay legible under it, with a thin darker edge.
MATCH_FILL = QColor(0xFF, 0xD5, 0x4F, 110)
MATCH_EDGE = QColor(0xB0, 0x80, 0x00)
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
    boxes; in marking mode a drag on the picture draws a new one (``area_drawn``), and
    :attr:`keys` makes or changes one with the keyboard. *large*: the viewer of the
    larger window, which fits the width and has a *Whole picture* button; the pane's
    viewer instead offers *View larger* once someone listens to ``larger_wanted``.
    """

    scale_changed = Signal(float)  # 1.0 = 100 %
    area_drawn = Signal(tuple)  # Fractions, in marking mode
    larger_wanted = Signal()  # View larger: the button, Ctrl+Enter or a double-click
    cleared = Signal()  # the picture was dropped (another entry, or locking)
    matches_changed = Signal()  # the search's marks were set (the larger window follows)

    def __init__(self, parent: QWidget | None = None, *, large: bool = False) -> None:
        super().__init__(parent)
        self._large = large
        self._fit: str | None = "width" if large else "whole"  # None: zoomed by hand
        self._larger_offered = False
        self._scene = QGraphicsScene(self)
        self._item = QGraphicsPixmapItem()
        self._item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._scene.addItem(self._item)
        self._view = _View(self._scene, self)
        self._view.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self._view.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self._view.setFrameShape(QFrame.Shape.StyledPanel)
        self._view.setStyleSheet(VIEW_STYLE)
        self._view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._view.setAccessibleName(self.tr("Picture"))
        self._view.setMinimumHeight(220)
        self._view.resized.connect(self._refit)
        self._view.viewport().installEventFilter(self)
        self._area_items: list[QGraphicsRectItem] = []
        self._areas: list[Fractions] = []
        self._match_items: list[QGraphicsRectItem] = []
        self._matches: list[Fractions] = []
        self._marking = False
        self._drag_from: QPointF | None = None
        self._rubber = QGraphicsRectItem()
        self._rubber.setPen(QPen(QColor(220, 30, 30), 0, Qt.PenStyle.DashLine))
        self._rubber.setBrush(QBrush(QColor(0, 0, 0, 120)))
        self._rubber.setZValue(2)
        self._rubber.hide()
        self._scene.addItem(self._rubber)
        self.keys = AreaKeys(self)

        if large:
            self.fit_button = tool_button(
                self,
                "zoom-fit-width",
                self.tr("Fit width"),
                self.tr("Fit the width of the picture in the window, to read it"),
                FIT_KEYS,
                self.fit,
            )
            self.whole_button: QToolButton | None = tool_button(
                self,
                "zoom-fit",
                self.tr("Whole picture"),
                self.tr("Show the whole picture"),
                WHOLE_KEYS,
                self.fit_whole,
            )
        else:
            self.fit_button = tool_button(
                self,
                "zoom-fit",
                self.tr("Fit"),
                self.tr("Fit the picture in the pane"),
                FIT_KEYS,
                self.fit,
            )
            self.whole_button = None
        self.zoom_out_button = tool_button(
            self, "zoom-out", self.tr("Zoom out"), self.tr("Zoom out"), ZOOM_OUT_KEYS, self.zoom_out
        )
        self.zoom_in_button = tool_button(
            self, "zoom-in", self.tr("Zoom in"), self.tr("Zoom in"), ZOOM_IN_KEYS, self.zoom_in
        )
        self.actual_button = tool_button(
            self,
            "zoom-original",
            self.tr("Actual size (100 %)"),
            self.tr("Show the picture at its actual size"),
            ACTUAL_KEYS,
            self.actual_size,
        )
        self.larger_button = tool_button(
            self,
            "view-larger",
            self.tr("View larger"),
            self.tr("Open the picture in a window of its own, large enough to read"),
            LARGER_KEYS,
            self.larger_wanted.emit,
        )
        self.larger_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.larger_button.hide()
        self._scale_label = QLabel(self)
        self._scale_label.setAccessibleName(self.tr("Zoom level"))
        self._scale_label.setMinimumWidth(
            self._scale_label.fontMetrics().horizontalAdvance(self.tr("Fit: 1000 %")) + 4
        )
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(2)
        for button in self._zoom_buttons():
            bar.addWidget(button)
        bar.addSpacing(8)
        bar.addWidget(self._scale_label)
        bar.addStretch(1)
        bar.addWidget(self.larger_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(bar)
        layout.addWidget(self._view, 1)
        self._set_enabled(False)

    def _zoom_buttons(self) -> list[QToolButton]:
        whole = [] if self.whole_button is None else [self.whole_button]
        return [
            self.fit_button,
            *whole,
            self.zoom_out_button,
            self.zoom_in_button,
            self.actual_button,
        ]

    def offer_larger(self, offered: bool) -> None:
        """Show *View larger* (and take Ctrl+Enter and double-clicks for it)."""
        self._larger_offered = offered and not self._large
        self.larger_button.setVisible(self._larger_offered)
        self._set_enabled(self.has_image())

    # ----- content -------------------------------------------------------------------

    def set_image(self, image: QImage, *, keep_view: bool = False) -> None:
        """Show *image*. *keep_view*: a sharper rendering of the same picture replaces
        the one shown: the zoom and the part shown stay as they were on screen."""
        old_size, old_scale = self.image_size(), self.scale()
        top_left = self._view.mapToScene(self._view.viewport().rect().topLeft())
        self._item.setPixmap(QPixmap.fromImage(image))
        self._scene.setSceneRect(self._item.boundingRect())
        self.set_areas(self._areas)
        self.set_matches(self._matches)
        self._set_enabled(not image.isNull())
        if keep_view and not old_size.isEmpty() and not image.isNull():
            ratio = image.width() / old_size.width()
            if self._fit is None:
                self._apply(old_scale / ratio)
            else:
                self._refit()
            self._show_from(top_left * ratio)
        else:
            self._fit = "width" if self._large else "whole"
            self._refit()
            self._show_from(QPointF(0, 0))  # a screenshot is read from the top

    def clear(self) -> None:
        """Drop the picture from memory (locking, or another entry); a box being moved
        with the keys is saved first, while its areas are still known."""
        self.set_marking(False)
        self.set_areas([])
        self.set_matches([])
        self._item.setPixmap(QPixmap())
        self._scene.setSceneRect(0, 0, 0, 0)
        self._view.resetTransform()
        self._set_enabled(False)
        self._scale_label.clear()
        self.cleared.emit()

    def has_image(self) -> bool:
        return not self._item.pixmap().isNull()

    def image_size(self) -> QSize:
        return self._item.pixmap().size()

    def image(self) -> QImage:
        """The pixels shown (already plain pixels: nothing is decoded to get them)."""
        return self._item.pixmap().toImage()

    def scale(self) -> float:
        return self._view.transform().m11()

    def view(self) -> QGraphicsView:
        return self._view

    def scene(self) -> QGraphicsScene:
        return self._scene

    # ----- areas hidden from the copy for the other side --------------------------------

    def set_areas(self, areas: list[Fractions]) -> None:
        """Show *areas* as solid boxes over the picture, as the served copy will have them
        (kept as fractions, so they stay put when the sharper preview replaces the
        thumbnail)."""
        self._areas = list(areas)
        for item in self._area_items:
            self._scene.removeItem(item)
        self._area_items = []
        for fractions in areas:
            box = QGraphicsRectItem(self._scene_rect(fractions))
            box.setBrush(QBrush(QColor(0, 0, 0, 215)))
            box.setPen(QPen(QColor(220, 30, 30), 0))
            box.setZValue(1)
            box.setToolTip(self.tr("Blacked out in the copy for the other side"))
            self._scene.addItem(box)
            self._area_items.append(box)
        self.keys.areas_replaced()

    def _scene_rect(self, fractions: Fractions) -> QRectF:
        """Where a part of the picture given as fractions lies on the picture shown."""
        left, top, right, bottom = fractions
        size = self._item.pixmap().size()
        return QRectF(
            left * size.width(),
            top * size.height(),
            (right - left) * size.width(),
            (bottom - top) * size.height(),
        )

    # ----- words the search found -------------------------------------------------------

    def set_matches(self, boxes: list[Fractions]) -> None:
        """Mark *boxes* (words the search found, as fractions of the upright picture) in
        see-through yellow. Kept as fractions like the areas: they stay on their words
        when the sharper preview replaces the thumbnail, and zoom with the picture.
        Under the blacked-out areas, so a hidden word is not shown up by its mark."""
        self._matches = list(boxes)
        self.matches_changed.emit()
        for item in self._match_items:
            self._scene.removeItem(item)
        self._match_items = []
        edge = QPen(MATCH_EDGE, 1)
        edge.setCosmetic(True)  # one screen pixel at any zoom
        for fractions in self._matches:
            box = QGraphicsRectItem(self._scene_rect(fractions))
            box.setBrush(QBrush(MATCH_FILL))
            box.setPen(edge)
            box.setZValue(0.5)
            box.setToolTip(self.tr("Found by your search (in the text read by the computer)"))
            self._scene.addItem(box)
            self._match_items.append(box)

    def matches(self) -> list[Fractions]:
        return list(self._matches)

    def match_items(self) -> list[QGraphicsRectItem]:
        return list(self._match_items)

    def area_count(self) -> int:
        return len(self._area_items)

    def areas(self) -> list[Fractions]:
        return list(self._areas)

    def area_items(self) -> list[QGraphicsRectItem]:
        return list(self._area_items)

    def set_marking(self, marking: bool) -> None:
        """In marking mode a drag draws an area instead of moving the picture, and the
        keys of :mod:`.area_keys` work; leaving it saves a box being moved."""
        if not marking:
            self.keys.commit()
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
        self.keys.reset()

    def marking(self) -> bool:
        return self._marking

    def view_point(self, fraction_x: float, fraction_y: float) -> QPointF:
        """Where in the view (viewport pixels) a point of the picture is; for tests and
        for keyboard-free callers that map a picture position to the screen."""
        size = self._item.pixmap().size()
        scene = QPointF(fraction_x * size.width(), fraction_y * size.height())
        return QPointF(self._view.mapFromScene(scene))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self._view.viewport() or not isinstance(event, QMouseEvent):
            return super().eventFilter(watched, event)
        kind = event.type()
        if not self._marking:
            if kind == QEvent.Type.MouseButtonDblClick and self._larger_offered:
                self.larger_wanted.emit()
                return True
            return super().eventFilter(watched, event)
        here = self._view.mapToScene(event.position().toPoint())
        if kind == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            self.keys.select(None)  # saves a box being moved with the keys first
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
        """The pane: the whole picture. The larger window: its width, to be read (a
        1080 × 2340 screenshot fitted whole is a few words a line wide). Never past
        100 %: a tiny icon stays tiny."""
        self._fit = "width" if self._large else "whole"
        self._refit()

    def fit_whole(self) -> None:
        self._fit = "whole"
        self._refit()

    def fit_mode(self) -> str | None:
        """The fit kept on resizing: "whole", "width", or None when zoomed by hand."""
        return self._fit

    def _refit(self) -> None:
        if self._fit is None or not self.has_image():
            return
        size = self._item.pixmap().size()
        # Inside the frame, scroll bars or not: a scroll bar coming or going must not
        # change the answer (or the fit would see-saw).
        area = self._view.contentsRect().size()
        if size.isEmpty() or area.isEmpty():
            return
        inner_w, inner_h = area.width(), area.height()
        if self._fit == "whole":
            scale = min(inner_w / size.width(), inner_h / size.height(), 1.0)
            self._apply(scale)
        else:
            scale = min(inner_w / size.width(), 1.0)
            if size.height() * scale > inner_h:  # a vertical scroll bar takes its room
                bar = self._view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
                scale = min((inner_w - bar - 1) / size.width(), 1.0)
            self._apply(scale, from_top=True)

    def zoom_in(self) -> None:
        self._fit = None
        self._apply(self.scale() * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._fit = None
        self._apply(self.scale() / ZOOM_STEP)

    def actual_size(self) -> None:
        self._fit = None
        self._apply(1.0)

    def _apply(self, scale: float, *, from_top: bool = False) -> None:
        """Show the picture at *scale*, keeping the point in the middle of the view in
        the middle (zooming), or, *from_top*, the line at the top at the top (a fit
        redone as the window is resized must not scroll the text away)."""
        if not self.has_image():
            return
        scale = max(MIN_SCALE, min(MAX_SCALE, scale))
        view = self._view
        rect = view.viewport().rect()
        kept = view.mapToScene(rect.topLeft() if from_top else rect.center())
        view.setTransform(QTransform.fromScale(scale, scale))
        if from_top:
            self._show_from(kept)
        else:
            view.centerOn(kept)
        self._scale_label.setText(
            (self.tr("Fit: %1 %") if self._fit else self.tr("%1 %")).replace(
                "%1", str(round(scale * 100))
            )
        )
        self.scale_changed.emit(scale)

    def _show_from(self, top_left: QPointF) -> None:
        """Scroll so that the picture's point *top_left* is at the view's top left."""
        size, scale = self._view.viewport().size(), max(self.scale(), MIN_SCALE)
        self._view.centerOn(
            top_left.x() + size.width() / 2 / scale, top_left.y() + size.height() / 2 / scale
        )

    def _set_enabled(self, enabled: bool) -> None:
        larger = self.larger_button
        for button in [*self._zoom_buttons(), larger]:
            on = enabled and (button is not larger or self._larger_offered)
            button.setEnabled(on)
            action = button.defaultAction()
            if action is not None:
                action.setEnabled(on)  # no shortcut acts on an empty viewer
