"""A picture from the vault, shown from memory, with Fit / Zoom in / Zoom out / 100 %.

Decoded with QImageReader straight from a QBuffer (no file on disk), with EXIF
orientation applied, and within Qt's allocation limit, so a decompression bomb fails
with a sentence instead of eating the memory.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt, Signal
from PySide6.QtGui import QAction, QImage, QImageReader, QKeySequence, QPainter, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsPixmapItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.ui.icons import ICON_SIZE, icon

ZOOM_STEP = 1.25
MIN_SCALE = 0.02
MAX_SCALE = 16.0


def decode_image(data: bytes) -> tuple[QImage, str]:
    """(upright image, "") or (null image, Qt's reason) for the bytes of a picture."""
    array = QByteArray(data)
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    reader = QImageReader(buffer)
    reader.setAutoTransform(True)  # EXIF orientation, as the phone showed it
    image = reader.read()
    reason = "" if not image.isNull() else reader.errorString()
    buffer.close()
    return image, reason


class _View(QGraphicsView):
    resized = Signal()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.resized.emit()


class ImageViewer(QWidget):
    """The picture and its zoom buttons. ``scale_changed`` carries the new scale."""

    scale_changed = Signal(float)  # 1.0 = 100 %

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

    def _button(self, icon_name, name, tip, keys, slot) -> QToolButton:
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
        self._set_enabled(not image.isNull())
        self.fit()

    def clear(self) -> None:
        """Drop the picture from memory (locking, or another entry)."""
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
