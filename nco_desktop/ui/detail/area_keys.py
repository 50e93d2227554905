"""Marking areas to hide with the keyboard, not only by dragging with a mouse.

A user who cannot hold a mouse steady (a tremor, a touchpad, a screen reader) must be
able to black out their address too. In marking mode the picture takes these keys:

* **Add area** (a button, or Ctrl+Shift+A) puts a box in the middle of what is shown;
* the arrow keys move the box, Shift+arrows change its size, and Ctrl or Alt with
  either takes bigger steps;
* Enter saves it, Esc puts it back, Delete removes it;
* Tab goes from one area to the next and, after the last, on out of the picture, so
  the keyboard is never trapped in it.

A box being moved is a *draft*: it is saved once, when the user confirms it (Enter,
Tab to the next area, leaving the picture, or Done marking), by the same path a box
drawn with the mouse takes — so one box is one audited write, not one per key press.
The geometry is plain arithmetic on fractions of the picture (:func:`moved`,
:func:`resized`), so it holds at any zoom and any size of raster.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFocusEvent, QKeyEvent, QPalette, QPen
from PySide6.QtWidgets import QApplication, QGraphicsRectItem

from nco_desktop.evidence.picture_areas import MIN_SIZE
from nco_desktop.ui.common.widgets import ESC_HAS_MEANING

if TYPE_CHECKING:
    from nco_desktop.ui.detail.image_viewer import Fractions, ImageViewer

#: The keys of a box being placed or chosen, for Help ▸ Keyboard shortcuts (they are
#: read by the picture itself, not by actions the list could find).
KEYS_HELP = (
    ("Arrow keys", "Move the box"),
    ("Shift+arrow keys", "Change the box's size"),
    ("Ctrl+arrow keys", "Move it in bigger steps"),
    ("Enter", "Save the box"),
    ("Esc", "Take the box back (not half of Quick exit)"),
    ("Delete", "Remove the chosen box"),
    ("Tab, Shift+Tab", "Go from box to box"),
)
STEP_PX = 6  # screen pixels per arrow press: finer when zoomed in, as the user expects
BIG_STEP_PX = 48  # with Ctrl or Alt
MIN_PX = 4  # a box never shrinks below this many picture pixels a side
_ARROWS = {
    Qt.Key.Key_Left: (-1, 0),
    Qt.Key.Key_Right: (1, 0),
    Qt.Key.Key_Up: (0, -1),
    Qt.Key.Key_Down: (0, 1),
}
_HANDLED = {
    *_ARROWS,
    Qt.Key.Key_Return,
    Qt.Key.Key_Enter,
    Qt.Key.Key_Escape,
    Qt.Key.Key_Delete,
    Qt.Key.Key_Backspace,
    Qt.Key.Key_Tab,
    Qt.Key.Key_Backtab,
}


def moved(box: Fractions, dx: float, dy: float) -> Fractions:
    """*box* moved by (*dx*, *dy*), kept whole inside the picture (never shrunk)."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    left = min(max(left + dx, 0.0), 1.0 - width)
    top = min(max(top + dy, 0.0), 1.0 - height)
    return (left, top, left + width, top + height)


def resized(box: Fractions, dw: float, dh: float, min_w: float, min_h: float) -> Fractions:
    """*box* with its right and bottom edges moved out (or in), never smaller than
    (*min_w*, *min_h*) and never past the picture's edge."""
    left, top, right, bottom = box
    right = min(max(right + dw, left + min_w), 1.0)
    bottom = min(max(bottom + dh, top + min_h), 1.0)
    return (left, top, right, bottom)


class AreaKeys(QObject):
    """The keyboard side of an :class:`ImageViewer`'s areas: a selection and a draft.

    It saves nothing itself; the areas bar listens and saves: ``added(Fractions)`` a
    new box confirmed, ``edited(index, Fractions)`` a box moved or resized and
    confirmed, ``removed(index)``. ``state_changed`` tells the bar to say what the
    keys do now (:meth:`describe`).
    """

    added = Signal(tuple)  # Fractions
    edited = Signal(int, tuple)  # index of the area, its new Fractions
    removed = Signal(int)  # index of the area
    state_changed = Signal()

    def __init__(self, viewer: ImageViewer) -> None:
        super().__init__(viewer)
        self._viewer = viewer
        self._selected: int | None = None
        self._draft: Fractions | None = None
        self._draft_item = QGraphicsRectItem()
        self._draft_item.setZValue(3)
        self._draft_item.hide()
        viewer.scene().addItem(self._draft_item)
        viewer.view().installEventFilter(self)

    # ----- state ---------------------------------------------------------------------

    def selected(self) -> int | None:
        return self._selected

    def draft(self) -> Fractions | None:
        return self._draft

    def describe(self) -> str:
        """What the keys do now, in a sentence for the status line and screen readers."""
        count = len(self._viewer.areas())
        if self._draft is not None and self._selected is None:
            return self.tr(
                "New box: arrow keys move it, Shift+arrows change its size (hold Ctrl for "
                "bigger steps). Enter saves it; Esc takes it away."
            )
        if self._selected is not None:
            where = (
                self.tr("Box %1 of %2")
                .replace("%1", str(self._selected + 1))
                .replace("%2", str(count))
            )
            if self._draft is not None:
                return where + self.tr(" moved: Enter saves it; Esc puts it back.")
            return where + self.tr(
                " chosen: arrow keys move it, Shift+arrows change its size, Delete "
                "removes it, Tab goes to the next."
            )
        return ""

    # ----- actions -------------------------------------------------------------------

    def add(self) -> None:
        """A new box in the middle of what is shown, ready for the arrow keys."""
        viewer = self._viewer
        size = viewer.image_size()
        if not viewer.marking() or size.isEmpty():
            return
        self.commit()
        view = viewer.view()
        shown = view.mapToScene(view.viewport().rect()).boundingRect()
        shown = shown.intersected(QRectF(0, 0, size.width(), size.height()))
        if shown.isEmpty():
            shown = QRectF(0, 0, size.width(), size.height())
        width = max(shown.width() * 0.4, MIN_PX * 4)
        height = max(min(shown.height() * 0.1, width / 2), MIN_PX * 4)
        centre = shown.center()
        box = (
            (centre.x() - width / 2) / size.width(),
            (centre.y() - height / 2) / size.height(),
            (centre.x() + width / 2) / size.width(),
            (centre.y() + height / 2) / size.height(),
        )
        self._selected = None
        self._draft = moved(_clamped(box), 0.0, 0.0)
        self._show()
        view.setFocus(Qt.FocusReason.OtherFocusReason)

    def select(self, index: int | None) -> None:
        """Choose area *index* (saving a box being moved first)."""
        self.commit()
        count = len(self._viewer.areas())
        self._selected = index if index is not None and 0 <= index < count else None
        self._show()

    def commit(self) -> None:
        """Save the draft, if there is one, by handing it to whoever saves areas."""
        draft, selected = self._draft, self._selected
        if draft is None:
            return
        areas = self._viewer.areas()
        if selected is None:
            before = len(areas)
            self.added.emit(draft)  # the bar saves and shows the areas again, at once
            if len(self._viewer.areas()) > before:
                self._draft, self._selected = None, len(self._viewer.areas()) - 1
        elif selected < len(areas) and draft != areas[selected]:
            self.edited.emit(selected, draft)
            self._draft = None
        else:
            self._draft = None
        self._show()

    def cancel(self) -> None:
        """Esc: the box being moved goes back (a new one goes away)."""
        self._draft = None
        self._show()

    def remove(self) -> None:
        """Delete: the chosen area is removed (a new box is simply dropped)."""
        if self._selected is None:
            self.cancel()
            return
        index = self._selected
        self._draft = None
        self.removed.emit(index)
        count = len(self._viewer.areas())
        self._selected = min(index, count - 1) if count else None
        self._show()

    def reset(self) -> None:
        """Marking ended or the picture went: no choice, no draft (nothing saved)."""
        self._selected, self._draft = None, None
        self._show()

    def areas_replaced(self) -> None:
        """The viewer drew its areas again: keep the choice if it still exists."""
        if self._selected is not None and self._selected >= len(self._viewer.areas()):
            self._selected, self._draft = None, None
        self._show()

    # ----- keys ------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self._viewer.view() or not self._viewer.marking():
            return super().eventFilter(watched, event)
        kind = event.type()
        if kind == QEvent.Type.FocusIn and isinstance(event, QFocusEvent):
            self._focus_in(event.reason())
        elif kind == QEvent.Type.FocusOut and isinstance(event, QFocusEvent):
            if event.reason() != Qt.FocusReason.PopupFocusReason:
                self.select(None)  # a box being moved stays where it was put (saved)
        elif kind == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            if self._wants(event):
                event.accept()  # a window-wide Delete or Enter must not take it
                return True
        elif kind == QEvent.Type.KeyPress and isinstance(event, QKeyEvent) and self._wants(event):
            return self._key(event)
        return super().eventFilter(watched, event)

    def _wants(self, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        if key not in _HANDLED:
            return False
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and (
            event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            return False  # Ctrl+Enter is View larger
        busy = self._draft is not None or self._selected is not None
        if key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            return bool(self._viewer.areas()) or busy
        return busy

    def _key(self, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        mods = event.modifiers()
        if key in _ARROWS:
            self._arrow(key, mods)
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.commit()
        elif key == Qt.Key.Key_Escape:
            if self._draft is not None:
                self.cancel()
            else:
                self.select(None)
        elif key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            self.remove()
        else:
            back = key == Qt.Key.Key_Backtab or bool(mods & Qt.KeyboardModifier.ShiftModifier)
            return self._tab(back)
        return True

    def _arrow(self, key: Qt.Key, mods: Qt.KeyboardModifier) -> None:
        viewer = self._viewer
        size = viewer.image_size()
        if size.isEmpty():
            return
        areas = viewer.areas()
        box = self._draft
        if box is None:
            if self._selected is None or self._selected >= len(areas):
                return
            box = areas[self._selected]
        big = mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        step = (BIG_STEP_PX if big else STEP_PX) / max(viewer.scale(), 1e-6)
        sx, sy = _ARROWS[key]
        dx, dy = sx * step / size.width(), sy * step / size.height()
        if mods & Qt.KeyboardModifier.ShiftModifier:
            min_w = max(MIN_SIZE * 2, MIN_PX / size.width())
            min_h = max(MIN_SIZE * 2, MIN_PX / size.height())
            self._draft = resized(box, dx, dy, min_w, min_h)
        else:
            self._draft = moved(box, dx, dy)
        self._show()

    def _tab(self, back: bool) -> bool:
        """The next (or previous) area; past the last one, the keyboard leaves."""
        self.commit()
        count = len(self._viewer.areas())
        current = self._selected
        if current is None:
            following: int | None = (count - 1 if back else 0) if count else None
        else:
            following = current - 1 if back else current + 1
        if following is None or not 0 <= following < count:
            self.select(None)
            return False  # Tab goes on to the next control
        self.select(following)
        return True

    def _focus_in(self, reason: Qt.FocusReason) -> None:
        if self._selected is not None or self._draft is not None:
            return
        count = len(self._viewer.areas())
        if count and reason == Qt.FocusReason.TabFocusReason:
            self.select(0)
        elif count and reason == Qt.FocusReason.BacktabFocusReason:
            self.select(count - 1)

    # ----- drawing ---------------------------------------------------------------------

    def _show(self) -> None:
        viewer = self._viewer
        # While a box is chosen or being placed, Esc takes it back: that Esc has its own
        # meaning and must not count toward Quick exit's Esc-Esc (see session_guard).
        busy = self._draft is not None or self._selected is not None
        viewer.view().setProperty(ESC_HAS_MEANING, busy)
        highlight = QApplication.palette().color(QPalette.ColorRole.Highlight)
        items = viewer.area_items()
        size = viewer.image_size()
        for index, item in enumerate(items):
            chosen = index == self._selected
            item.setVisible(not (chosen and self._draft is not None))
            pen = QPen(highlight if chosen else QColor(220, 30, 30), 3 if chosen else 0)
            pen.setCosmetic(True)
            item.setPen(pen)
        if self._draft is None or size.isEmpty():
            self._draft_item.hide()
        else:
            left, top, right, bottom = self._draft
            rect = QRectF(
                left * size.width(),
                top * size.height(),
                (right - left) * size.width(),
                (bottom - top) * size.height(),
            )
            pen = QPen(highlight, 3, Qt.PenStyle.DashLine)
            pen.setCosmetic(True)
            self._draft_item.setPen(pen)
            self._draft_item.setBrush(QBrush(QColor(0, 0, 0, 150)))
            self._draft_item.setRect(rect)
            self._draft_item.show()
            viewer.view().ensureVisible(rect, 24, 24)
        if self._draft is None and self._selected is not None and self._selected < len(items):
            viewer.view().ensureVisible(items[self._selected].rect(), 24, 24)
        viewer.view().setAccessibleDescription(self.describe())
        self.state_changed.emit()


def _clamped(box: Fractions) -> Fractions:
    left, top, right, bottom = (min(max(v, 0.0), 1.0) for v in box)
    return (left, top, right, bottom)
