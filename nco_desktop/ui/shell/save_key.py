"""Ctrl+S that no view's own Save took: it still saves, or says why it cannot.

Each editor has its own Save shortcut, live while the keyboard is inside it (two
window-wide Ctrl+S would make Qt refuse both as ambiguous). When the focus is
somewhere else — nowhere at all after a dialog closed, on the navigation list, on an
editor with nothing open — the key press ends at the window, unanswered, and the user
believes their incident is saved. This filter on the window catches that press: it
runs the Save of the view being shown if one is on the screen, and otherwise says in
the status bar why there is nothing to save.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow, QWidget

from nco_desktop.ui.shell.workspace import Workspace

MESSAGE_MS = 6000


class SaveKey(QObject):
    """Installed on the main window; *workspace* is the unlocked vault's views."""

    def __init__(self, window: QMainWindow, workspace: Workspace) -> None:
        super().__init__(window)
        self._window = window
        self._workspace = workspace
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.matches(QKeySequence.StandardKey.Save):
                self.save()
                return True
        return False

    def save(self) -> bool:
        """Run the shown view's Save; False (and the reason said) if there is none."""
        workspace = self._workspace
        if workspace.session.vault is None or not workspace.isVisible():
            self._say(self.tr("Nothing to save: no vault is open."))
            return False
        action = _visible_save(workspace.pages.currentWidget())
        if action is not None:
            action.trigger()
            return True
        reasons = {
            Workspace.INCIDENTS: self.tr("Open an incident, or start a new one, to save it."),
            Workspace.PEOPLE: self.tr("Choose a person or an order to save it."),
        }
        self._say(
            reasons.get(
                workspace.nav.currentRow(),
                self.tr("Nothing to save here: this view keeps your changes as you make them."),
            )
        )
        return False

    def _say(self, text: str) -> None:
        self._window.statusBar().showMessage(text, MESSAGE_MS)


def _visible_save(page: QWidget | None) -> QAction | None:
    """The first enabled Save (Ctrl+S) action of *page* whose widget is on the screen."""
    if page is None:
        return None
    save = QKeySequence(QKeySequence.StandardKey.Save)  # made once a QApplication is
    for action in page.findChildren(QAction):
        if not action.isEnabled() or action.shortcut() != save:
            continue
        owners = [w for w in action.associatedObjects() if isinstance(w, QWidget)]
        if any(owner.isVisible() and owner.isEnabled() for owner in owners):
            return action
    return None
