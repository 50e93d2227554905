"""Parts of the main window that are not its behaviour: its actions' menus and
toolbar, and the page shown while the demo case is being made."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.ui.common.icons import icon


def make_action(
    owner: QWidget,
    icon_name: str,
    text: str,
    slot: Callable[[], object],
    shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
    tip: str = "",
) -> QAction:
    """An action of *owner*'s (its shortcut works anywhere in the window), with the
    icon's name kept so the icon can be drawn again for another colour scheme."""
    action = QAction(icon(icon_name) if icon_name else QIcon(), text, owner)
    action.setData(icon_name)
    if shortcut is not None:
        action.setShortcut(shortcut)
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.triggered.connect(slot)
    owner.addAction(action)
    return action


def build_menus(
    window: QMainWindow,
    file_actions: Sequence[QAction | None],
    edit_actions: Sequence[QAction | None],
) -> None:
    """File and Edit menus; None is a separator."""
    tr = window.tr
    for title, actions in ((tr("&File"), file_actions), (tr("&Edit"), edit_actions)):
        menu = window.menuBar().addMenu(title)
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)


def build_toolbar(
    window: QMainWindow, actions: Sequence[QAction], quick_exit: QAction
) -> tuple[QToolBar, QToolButton]:
    """The main tools on the left and the red Quick exit button far right."""
    tr = window.tr
    toolbar = QToolBar(tr("Main tools"), window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for action in actions:
        toolbar.addAction(action)
    spacer = QWidget(toolbar)
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    toolbar.addWidget(spacer)
    button = QToolButton(toolbar)
    button.setDefaultAction(quick_exit)
    button.setObjectName("quickExit")
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setAccessibleName(tr("Quick exit: close now and lock the vault"))
    toolbar.addWidget(button)
    window.addToolBar(toolbar)
    for action in actions:
        widget = toolbar.widgetForAction(action)
        if widget is not None:
            widget.setAccessibleName(action.text().replace("&", ""))
    return toolbar, button


class BusyPage(QWidget):
    """Shown while the demo case is being made: a sentence and a progress bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.label = QLabel(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setMaximumWidth(420)
        self.bar.setTextVisible(False)
        self.cancel_button = QPushButton(self.tr("Cancel"), self)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def set_progress(self, done: int, total: int, label: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
