"""Watching for idleness and for the quick-exit keys, across every window.

One application-wide event filter sees all input: any key, click, wheel or touch
restarts the idle timer, and Esc pressed twice within :data:`DOUBLE_ESC_MS` asks for
a quick exit — even when a dialog or a text field has the focus, because someone
looking over the user's shoulder will not wait for the focus to be right.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QWindow
from PySide6.QtWidgets import QApplication

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

    def __init__(self, idle_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_ms)
        self._timer.timeout.connect(self.idle_timeout)
        self._last_esc = 0.0
        self._armed = False
        # Qt's timers stop while a laptop sleeps; the wall clock does not. A slow check
        # against it locks a vault left open when the lid was closed, on waking.
        self._last_activity = time.time()
        self._wall_check = QTimer(self)
        self._wall_check.setInterval(WALL_CHECK_MS)
        self._wall_check.timeout.connect(self._check_wall_clock)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def set_idle_ms(self, idle_ms: int) -> None:
        self._timer.setInterval(idle_ms)
        if self._armed:
            self._timer.start()

    @property
    def idle_ms(self) -> int:
        return self._timer.interval()

    def arm(self) -> None:
        """Start counting idle time (while a vault is open)."""
        self._armed = True
        self._last_activity = time.time()
        self._timer.start()
        self._wall_check.start()

    def disarm(self) -> None:
        self._armed = False
        self._timer.stop()
        self._wall_check.stop()

    def _check_wall_clock(self) -> None:
        if self._armed and (time.time() - self._last_activity) * 1000 >= self._timer.interval():
            self._timer.stop()
            self.idle_timeout.emit()

    def detach(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self.disarm()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in _ACTIVITY and self._armed:
            self._timer.start()
            self._last_activity = time.time()
        # Counted where a key press first arrives, its window: the same press is seen
        # again by every widget it propagates through.
        if kind == QEvent.Type.KeyPress and isinstance(watched, QWindow):
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Escape and not event.isAutoRepeat():
                now = time.monotonic()
                if (now - self._last_esc) * 1000 <= DOUBLE_ESC_MS:
                    self._last_esc = 0.0
                    self.quick_exit_requested.emit()
                    return True
                self._last_esc = now
        return False
