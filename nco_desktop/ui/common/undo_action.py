"""Edit ▸ Undo: the thin Qt side of :mod:`nco_desktop.case.undo`.

One :class:`SessionUndo` per :class:`VaultSession`, found with :meth:`SessionUndo.of`,
so any view that removes something (the detail pane hiding an entry, the incident
editor unlinking evidence, the Exhibits view taking items out) records its step
without knowing the window; the window only puts :attr:`SessionUndo.action` in its
Edit menu. The history is forgotten whenever a vault opens or the session detaches
(locking): undo never reaches into another vault or across a lock.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from nco_desktop.case.undo import UndoHistory, UndoStep
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.session import Change, VaultSession

#: What an undo may have touched: every view that shows entries, links or exhibits.
UNDONE = Change.ENTRIES | Change.INCIDENTS | Change.EXHIBITS


class SessionUndo(QObject):
    """The undo history of one session and the action that runs it."""

    def __init__(self, session: VaultSession) -> None:
        super().__init__(session)
        self.setObjectName("sessionUndo")
        self.session = session
        self.history = UndoHistory()
        self.action = QAction(self.tr("&Undo"), self)
        self.action.setShortcut(QKeySequence(QKeySequence.StandardKey.Undo))
        # Typing fields keep their own Ctrl+Z (they take the shortcut first).
        self.action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)
        self.action.triggered.connect(self.undo)
        session.opened.connect(self.clear)
        session.detached.connect(self.clear)
        self._refresh()

    @classmethod
    def of(cls, session: VaultSession) -> SessionUndo:
        """The session's undo (made on first use)."""
        found = session.findChild(SessionUndo, "sessionUndo")
        return found if isinstance(found, SessionUndo) else cls(session)

    def push(self, step: UndoStep) -> None:
        self.history.push(step)
        self._refresh()

    def clear(self) -> None:
        self.history.clear()
        self._refresh()

    def undo(self) -> bool:
        """Put back the latest step; True if something was put back."""
        vault = self.session.vault
        if vault is None or self.history.latest() is None:
            return False
        try:
            step = self.history.undo(vault)
        except Exception as exc:  # the vault is busy, the entry is gone: say so
            prompts.warn(None, self.tr("Could not undo"), prompts.explain(exc))
            return False
        self._refresh()
        if step is not None:
            self.session.notify(UNDONE)
        return step is not None

    def _refresh(self) -> None:
        step = self.history.latest()
        if step is None:
            self.action.setText(self.tr("&Undo"))
            self.action.setEnabled(False)
            self.action.setToolTip(self.tr("Nothing to undo"))
            return
        text = self.tr("&Undo %1").replace("%1", step.description)
        self.action.setText(text)
        self.action.setToolTip(text.replace("&", ""))
        self.action.setEnabled(True)
