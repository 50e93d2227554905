"""Edit ▸ Hidden entries…: what the user hid, to show again or to delete for good.

Hidden entries are out of every list, so this is the one place they can be found.
Showing one again is harmless; deleting for good asks first, names what goes and what
stays, and its default answer keeps the entry. Both go through the Qt-free
:mod:`nco_desktop.case.hiding`, and tell the session so every view reads again.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.case.hiding import delete_for_good, hidden_entries, unhide_entries
from nco_desktop.case.undo import entry_label
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.session import Change, VaultSession
from nco_desktop.ui.common.widgets import quiet

ID_ROLE = Qt.ItemDataRole.UserRole
SHOWN = Change.ENTRIES | Change.EXHIBITS | Change.INCIDENTS


class HiddenEntriesDialog(QDialog):
    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(self.tr("Hidden entries"))
        intro = quiet(
            QLabel(
                self.tr(
                    "Entries you hid are out of the timeline, the exhibits and the binder, "
                    "and still in the vault. Show one again, or delete it for good."
                ),
                self,
            )
        )
        intro.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Hidden entries"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.empty = quiet(QLabel(self.tr("Nothing is hidden."), self))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.show_button = buttons.addButton(
            self.tr("Show again"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.delete_button = buttons.addButton(
            self.tr("Delete for good…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.show_button.clicked.connect(self.show_again)
        self.delete_button.clicked.connect(self.delete_chosen)
        buttons.rejected.connect(self.reject)
        self.list.itemSelectionChanged.connect(self._chosen_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty)
        layout.addWidget(buttons)
        self.resize(560, 380)
        self.reload()

    def reload(self) -> None:
        self.list.clear()
        vault = self.session.vault
        for hidden in hidden_entries(vault.conn) if vault is not None else []:
            item = QListWidgetItem(
                self.tr("%1 — hidden: %2")
                .replace("%1", entry_label(hidden.entry))
                .replace("%2", hidden.reason)
            )
            item.setData(ID_ROLE, hidden.entry.id)
            self.list.addItem(item)
        self.empty.setVisible(self.list.count() == 0)
        self._chosen_changed()

    def chosen_ids(self) -> list[int]:
        return [int(item.data(ID_ROLE)) for item in self.list.selectedItems()]

    def show_again(self) -> bool:
        vault, ids = self.session.vault, self.chosen_ids()
        if vault is None or not ids:
            return False
        try:
            unhide_entries(vault, ids)
        except Exception as exc:
            prompts.warn(self, self.tr("Not shown again"), prompts.explain(exc))
            return False
        self.session.notify(SHOWN)
        self.reload()
        return True

    def delete_chosen(self) -> bool:
        vault, ids = self.session.vault, self.chosen_ids()
        if vault is None or not ids:
            return False
        names = [item.text().split(" — ")[0] for item in self.list.selectedItems()]
        what = (
            f"“{names[0]}”"
            if len(names) == 1
            else self.tr("%1 entries").replace("%1", str(len(names)))
        )
        if not prompts.confirm(
            self,
            self.tr("Delete for good?"),
            self.tr(
                "%1 will be deleted from the vault, with the file it came from when nothing "
                "else comes from that file. This cannot be undone. Keeping it hidden is "
                "enough to keep it out of the binder."
            ).replace("%1", what),
            yes=self.tr("Delete for good"),
            no=self.tr("Keep it hidden"),
        ):
            return False
        try:
            deleted = delete_for_good(vault, ids)
        except Exception as exc:
            prompts.warn(self, self.tr("Not deleted"), prompts.explain(exc))
            return False
        if deleted.originals_kept:
            prompts.inform(
                self,
                self.tr("Deleted"),
                self.tr(
                    "Deleted. These files also hold other entries, so they stay in the vault: %1"
                ).replace("%1", ", ".join(deleted.originals_kept)),
            )
        self.session.notify(SHOWN)
        self.reload()
        return True

    def _chosen_changed(self) -> None:
        chosen = bool(self.list.selectedItems())
        self.show_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)


def hidden_entries_action(session: VaultSession, parent: QWidget) -> QAction:
    """Edit ▸ Hidden entries…, enabled while a vault is open."""
    action = QAction(parent.tr("&Hidden entries…"), parent)
    action.setEnabled(session.vault is not None)
    session.opened.connect(lambda: action.setEnabled(True))
    session.detached.connect(lambda: action.setEnabled(False))
    action.triggered.connect(lambda: HiddenEntriesDialog(session, parent).exec())
    return action
