"""The picture viewers' buttons and their keys, the same in the pane and the larger
window, so that what a user learns in one works in the other: Ctrl+0 fits, Ctrl+1 is
100 %, Ctrl+= and Ctrl+- zoom, Ctrl+Enter opens the larger window.

Each button carries a :class:`QAction` added to its viewer, so its keys work while the
keyboard is in that viewer, and Help ▸ Keyboard shortcuts lists them (it reads the
window's actions).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolButton, QWidget

from nco_desktop.ui.common.icons import ICON_SIZE, icon

Keys = list[str | QKeySequence.StandardKey]

FIT_KEYS: Keys = ["Ctrl+0"]
WHOLE_KEYS: Keys = ["Ctrl+9"]  # the larger window: the whole picture, however small
ACTUAL_KEYS: Keys = ["Ctrl+1"]
ZOOM_IN_KEYS: Keys = [QKeySequence.StandardKey.ZoomIn, "Ctrl+="]
ZOOM_OUT_KEYS: Keys = [QKeySequence.StandardKey.ZoomOut]
LARGER_KEYS: Keys = ["Ctrl+Return", "Ctrl+Enter"]


def tool_button(
    owner: QWidget, icon_name: str, name: str, tip: str, keys: Keys, slot: Callable[[], object]
) -> QToolButton:
    """An icon button on *owner* whose action answers *keys* while the keyboard is in
    *owner*; its tooltip names the first key, and *name* is read out by screen readers."""
    action = QAction(icon(icon_name), name, owner)
    sequences: list[QKeySequence] = []
    for key in keys:
        if isinstance(key, QKeySequence.StandardKey):
            sequences += QKeySequence.keyBindings(key)
        else:
            sequences.append(QKeySequence(key))
    action.setShortcuts(list(dict.fromkeys(sequences)))
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.setToolTip(
        f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
    )
    action.triggered.connect(slot)
    owner.addAction(action)
    button = QToolButton(owner)
    button.setDefaultAction(action)
    button.setIconSize(ICON_SIZE)
    button.setAutoRaise(True)
    button.setAccessibleName(name)
    return button
