"""Watching for idleness and for the quick-exit keys, across every window.

One application-wide event filter sees all input: any key, click, wheel or touch
restarts the idle timer, and Esc pressed twice within :data:`DOUBLE_ESC_MS` asks for
a quick exit — even when a text field has the focus, because someone looking over the
user's shoulder will not wait for the focus to be right. An Esc that closes a dialog, a
menu or a list that dropped down is that Esc's ordinary meaning and does not count: the
user who cancels a question and then presses Esc once more has not asked to leave.
Nor does an Esc that takes back something in the widget with the focus (a box being
placed on a picture): such a widget sets the :data:`ESC_HAS_MEANING` property.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QWindow
from PySide6.QtWidgets import QApplication, QDialog

from nco_desktop.ui.common.widgets import ESC_HAS_MEANING

DOUBLE_ESC_MS = 800
WALL_CHECK_MS = 5_000

_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
    QEvent.Type.TabletPress,
}


class SessionGuard(QObject):
    idle_timeout = Signal()
    quick_exit_requested = Signal()

    def __init__(
        self,
        idle_ms: int,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        """*clock* gives the wall-clock time in seconds; tests pass a fake one, so idle
        time is decided by the clock and never by how fast a busy machine runs."""
        super().__init__(parent)
        self._clock = clock
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._idle_ms = idle_ms  # the timer's interval is what is left of it
        self._timer.timeout.connect(self.check_idle)
        self._last_esc = 0.0
        self._armed = False
        # Qt's timers stop while a laptop sleeps; the wall clock does not. A slow check
        # against it locks a vault left open when the lid was closed, on waking.
        self._last_activity = clock()
        self._wall_check = QTimer(self)
        self._wall_check.setInterval(WALL_CHECK_MS)
        self._wall_check.timeout.connect(self.check_idle)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def set_idle_ms(self, idle_ms: int) -> None:
        self._idle_ms = idle_ms
        if self._armed:
            self._timer.start(idle_ms)

    @property
    def idle_ms(self) -> int:
        return self._idle_ms

    def arm(self) -> None:
        """Start counting idle time (while a vault is open)."""
        self._armed = True
        self._last_activity = self._clock()
        self._timer.start(self._idle_ms)
        self._wall_check.start()

    def disarm(self) -> None:
        self._armed = False
        self._timer.stop()
        self._wall_check.stop()

    def check_idle(self) -> None:
        """Lock if the clock says the idle time has passed since the last input; else
        wait for the rest of it (a timer that fired early, or a machine that slept)."""
        if not self._armed:
            return
        idle_for_ms = (self._clock() - self._last_activity) * 1000
        if idle_for_ms >= self._idle_ms:
            self._timer.stop()
            self.idle_timeout.emit()
        else:
            self._timer.start(max(1, int(self._idle_ms - idle_for_ms)))

    def detach(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.disarm()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _ACTIVITY and self._armed:
            self._timer.start(self._idle_ms)
            self._last_activity = self._clock()
        # Counted where a key press first arrives, its window: the same press is seen
        # again by every widget it propagates through.
        if kind == QEvent.Type.KeyPress and isinstance(watched, QWindow):
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape and not event.isAutoRepeat():
                if _esc_closes_something(watched):
                    self._last_esc = 0.0
                    return False
                now = time.monotonic()
                if (now - self._last_esc) * 1000 <= DOUBLE_ESC_MS:
                    self._last_esc = 0.0
                    self.quick_exit_requested.emit()
                    return True
                self._last_esc = now
        return False


def _esc_closes_something(window: QWindow) -> bool:
    """Whether Esc in *window* goes to an open menu or drop-down list, or a dialog
    (a question, a progress box, a file chooser) that it cancels."""
    if QApplication.activePopupWidget() is not None:
        return True
    focus = QApplication.focusWidget()
    if focus is not None and focus.property(ESC_HAS_MEANING):
        return True  # a widget where Esc takes something back (a box being placed)
    for widget in QApplication.topLevelWidgets():
        if widget.windowHandle() is window:
            return isinstance(widget, QDialog) or widget.windowType() == Qt.WindowType.Popup
    return False
