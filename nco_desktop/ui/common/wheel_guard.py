"""The mouse wheel scrolls forms; it changes a choice only in the field being edited.

Qt's combo boxes, spin boxes and date/time edits take the wheel whenever the pointer
passes over them, so a user scrolling down the binder options changed the label style
and the stamp corner without noticing (each change saved at once). A guarded field
takes the wheel only while it has the keyboard focus (the user clicked into it or
tabbed to it); otherwise the wheel goes to the scroll area around the form, as over
any other part of it, and the value stays. The wheel no longer gives these fields the
focus either (``Qt.StrongFocus`` instead of Qt's ``WheelFocus``).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

#: The fields whose value the wheel changes (date and time edits are spin boxes).
GUARDED = (QComboBox, QAbstractSpinBox)


class _WheelGuard(QObject):
    """Filters wheel events of the guarded fields it is installed on."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        if watched.hasFocus():
            return False  # the field being edited: the wheel is Qt's way to step it
        assert isinstance(event, QWheelEvent)
        scroll_to(watched, event)
        return True  # the field never sees it


def scroll_to(field: QWidget, event: QWheelEvent) -> None:
    """Hand *event* to the nearest scroll area around *field*, as if the pointer were
    over the form itself. Forwarded by hand: Qt does not pass a wheel event that was
    sent (not from the mouse) on to the parents of the widget that refused it."""
    area = field.parentWidget()
    while area is not None and not isinstance(area, QAbstractScrollArea):
        area = area.parentWidget()
    if area is None:
        return  # a field in a dialog that does not scroll: the wheel does nothing here
    viewport = area.viewport()
    position = field.mapTo(viewport, event.position().toPoint())
    forwarded = QWheelEvent(
        position.toPointF(),
        event.globalPosition(),
        event.pixelDelta(),
        event.angleDelta(),
        event.buttons(),
        event.modifiers(),
        event.phase(),
        event.inverted(),
        event.source(),
    )
    QApplication.sendEvent(viewport, forwarded)


_guard: _WheelGuard | None = None


def guard_wheel(*widgets: QWidget) -> None:
    """Guard each of *widgets* that is a combo box, spin box or date/time edit, and
    every such field inside them. Fields added later (a new row) are guarded by the
    code that adds them; guarding a field twice does no harm."""
    global _guard
    if _guard is None:
        _guard = _WheelGuard()  # one for the whole program, living as long as it
    for widget in widgets:
        fields = [child for kind in GUARDED for child in widget.findChildren(kind)]
        if isinstance(widget, GUARDED):
            fields.append(widget)
        for field in fields:
            field.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            field.installEventFilter(_guard)
