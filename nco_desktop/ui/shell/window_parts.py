"""Parts of the main window that are not its behaviour: its actions' menus (File,
Edit, and Help from :mod:`help_dialogs`) and toolbar, and the page shown while the
demo case is being made or the passphrase changed."""

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
from nco_desktop.ui.shell.help_dialogs import HelpMenu


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
) -> HelpMenu:
    """File, Edit and Help menus; None is a separator. Help is the same everywhere:
    its guide, the shortcuts read from the window's actions, and About."""
    tr = window.tr
    for title, actions in ((tr("&File"), file_actions), (tr("&Edit"), edit_actions)):
        menu = window.menuBar().addMenu(title)
        for action in actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
    return HelpMenu(window)


class MainToolbar(QToolBar):
    """The main tools, shown while a vault is open, and Quick exit, always shown: the
    start and unlock screens need a way out too (someone may walk in while the user is
    typing the passphrase)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window.tr("Main tools"), window)
        self._tools: list[QAction] = []  # the toolbar's handles of the tools' buttons

    def add_tool(self, action: QAction) -> QToolButton:
        """A button for *action* that can be hidden here while staying in the menus."""
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setAutoRaise(True)
        button.setToolButtonStyle(self.toolButtonStyle())
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # as Qt's own toolbar buttons
        button.setAccessibleName(action.text().replace("&", ""))
        self._tools.append(self.addWidget(button))
        return button

    def set_tools_visible(self, visible: bool) -> None:
        for handle in self._tools:
            handle.setVisible(visible)  # the toolbar's layout follows on its next turn;
            button = self.widgetForAction(handle)
            if button is not None:  # the button, at once: nothing of a case stays shown
                button.setVisible(visible)


def build_toolbar(
    window: QMainWindow, actions: Sequence[QAction], quick_exit: QAction
) -> tuple[MainToolbar, QToolButton]:
    """The main tools on the left and the red Quick exit button far right.

    Quick exit takes no keyboard focus: a button that can hold the focus is pressed by
    Space, and focus lands on it when the widget that had it is disabled (the end of a
    binder build did that, and the next Space closed the program). It is reached by a
    click or by its own gesture, Esc twice.
    """
    toolbar = MainToolbar(window)
    toolbar.setObjectName("mainToolbar")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    for action in actions:
        toolbar.add_tool(action)
    spacer = QWidget(toolbar)
    spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    toolbar.addWidget(spacer)
    button = QToolButton(toolbar)
    button.setDefaultAction(quick_exit)
    button.setObjectName("quickExit")
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    button.setAccessibleName(window.tr("Quick exit: close now and lock the vault"))
    toolbar.addWidget(button)
    window.addToolBar(toolbar)
    return toolbar, button


def status_labels(window: QMainWindow) -> tuple[QLabel, QLabel, QLabel]:
    """The status bar's three lasting labels: the vault (named only if the user asks),
    how many entries, and whether it is locked."""
    labels = (QLabel(window), QLabel(window), QLabel(window))
    for label in labels:
        label.setContentsMargins(10, 0, 10, 0)
        window.statusBar().addPermanentWidget(label)
    return labels


class BusyPage(QWidget):
    """Shown while the demo case is being made or the passphrase changed: a sentence
    and a progress bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.label = QLabel(self)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.bar = QProgressBar(self)
        self.bar.setMinimumWidth(280)
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
