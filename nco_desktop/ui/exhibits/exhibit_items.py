"""What the Exhibits view does to an exhibit's items: add, take out, reorder.

Each change is one audited change (:mod:`nco_desktop.binder.exhibits`), saved at once;
then the page lists again and the editor's status line says what happened. Every drag
has a keyboard route: a drop of evidence is "Add evidence…" (a searchable picker), a
drag within the list is Alt+Up / Alt+Down, and Delete is "Take out".

:class:`~nco_desktop.ui.exhibits.exhibits_page.ExhibitsPage` owns the session and
knows which exhibit is open; this controller asks it each time rather than keeping
either, so a lock in the middle of a dialog leaves it nothing to write to.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDialog

from nco_desktop.binder import exhibits
from nco_desktop.case.incident_edits import entry_views
from nco_desktop.case.undo import entry_label, exhibit_removal_step
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.evidence_picker import EvidencePicker
from nco_desktop.ui.common.undo_action import SessionUndo
from nco_desktop.ui.exhibits.exhibit_models import items_text
from nco_desktop.vault import Vault

if TYPE_CHECKING:
    from nco_desktop.ui.exhibits.exhibits_page import ExhibitsPage


class ItemActions(QObject):
    """The item actions of one :class:`ExhibitsPage`, on the exhibit open in it."""

    def __init__(self, page: ExhibitsPage) -> None:
        super().__init__(page)
        self._page = page
        self._editor = page.editor
        self._picker: EvidencePicker | None = None  # open while the user picks evidence

    @property
    def _vault(self) -> Vault | None:
        """The page's session's vault, asked for each time (None when locked)."""
        return self._page.session.vault

    def add_entries(
        self, entry_ids: list[int], exhibit_id: int | None = None, index: int | None = None
    ) -> int:
        """Put entries into an exhibit (the open one unless *exhibit_id*) at item *index*
        (None: at the end). Entries already there, incidents and entries no longer in
        the vault are left out, and the status line says so. Returns how many went in."""
        vault, page = self._vault, self._page
        target = page.current_exhibit_id() if exhibit_id is None else exhibit_id
        if vault is None or target is None:
            return 0
        sorting = exhibits.sort_entries(vault.conn, entry_ids)
        notes: list[str] = []
        if sorting.incidents:
            notes.append(
                self.tr("Incidents stay out of exhibits: the binder lists them in its chronology.")
            )
        if sorting.unknown:
            notes.append(
                self.tr("%1 of them are no longer in the vault.").replace(
                    "%1", str(len(sorting.unknown))
                )
            )
        present = set(exhibits.exhibit_entry_ids(vault.conn, target))
        already = [i for i in sorting.usable if i in present]
        label = page.label_of(target)
        try:
            added = exhibits.add_exhibit_entries(vault, target, list(sorting.usable), index=index)
        except Exception as exc:
            self._editor.say_not_saved(exc)
            return 0
        if already:
            notes.insert(
                0,
                self.tr("%1 already in it.").replace("%1", items_text(len(already))),
            )
        if added:
            page.saved_change()
            if target == page.current_exhibit_id():
                new = [i for i in sorting.usable if i not in present]
                page.reload_items(select=new)
            head = self.tr("Added %1 to %2.").replace("%1", items_text(added)).replace("%2", label)
            self._editor.say(" ".join([head, *notes]))
        else:
            self._editor.say(" ".join(notes) or self.tr("Nothing was added."), problem=not already)
        return added

    def remove_items(self) -> None:
        """Take the chosen items out of the open exhibit (they stay in the vault)."""
        vault, page, editor = self._vault, self._page, self._editor
        exhibit_id = page.current_exhibit_id()
        ids = editor.item_list.selected_ids()
        if vault is None or exhibit_id is None or not ids:
            return
        # One item goes at once (it is quickly added back); a whole selection — Ctrl+A
        # then a Delete meant for somewhere else — is asked about first.
        if len(ids) > 1 and not prompts.confirm(
            page,
            self.tr("Take %1 out of %2?")
            .replace("%1", items_text(len(ids)))
            .replace("%2", page.label_of(exhibit_id)),
            self.tr(
                "They stay in the vault and can be added again, but their place in this "
                "exhibit is forgotten."
            ),
            yes=self.tr("Take them out"),
            no=self.tr("Keep them"),
        ):
            return
        row = min(editor.item_model.row_of(i) for i in ids)
        before = editor.item_model.ids()
        labels = [entry_label(view) for view in entry_views(vault.conn, ids[:1])]
        try:
            removed = exhibits.remove_exhibit_entries(vault, exhibit_id, ids)
        except Exception as exc:
            editor.say_not_saved(exc)
            return
        if removed:  # Edit ▸ Undo (Ctrl+Z) puts them back, in their old places
            labels = labels if len(ids) == 1 else [""] * len(ids)
            step = exhibit_removal_step(exhibit_id, before, labels, page.label_of(exhibit_id))
            SessionUndo.of(page.session).push(step)
        page.saved_change()
        page.reload_items()
        remaining = editor.item_model.ids()
        if remaining:
            keep = remaining[min(row, len(remaining) - 1)]
            editor.item_list.select_ids([keep], keep)
        editor.item_list.setFocus()
        editor.say(
            self.tr("Took %1 out of %2. The evidence is still in the vault.")
            .replace("%1", items_text(removed))
            .replace("%2", page.label_of(exhibit_id))
        )

    def move_items(self, step: int) -> None:
        """Move the chosen items one place up (-1) or down (+1); saved at once."""
        ids = self._editor.item_list.selected_ids()
        if not ids:
            return
        order = self._editor.item_model.ids()
        self._set_items(exhibits.stepped(order, ids, step), ids)

    def pick_evidence(self) -> None:
        """The keyboard route for dropping evidence: choose it in a searchable list."""
        vault, page = self._vault, self._page
        exhibit_id = page.current_exhibit_id()
        if vault is None or exhibit_id is None or not page.commit_pending_edits():
            return
        picker = EvidencePicker(
            vault.conn, vault.time_zone, exclude=self._editor.item_model.ids(), parent=page
        )
        picker.setWindowTitle(
            self.tr("Add evidence to %1").replace("%1", page.label_of(exhibit_id))
        )
        picker.link_button.setText(self.tr("Add chosen"))
        picker.near_box.hide()
        self._picker = picker
        try:
            accepted = picker.exec() == QDialog.DialogCode.Accepted
            chosen = picker.chosen_ids()
        finally:
            picker.stop()
            picker.deleteLater()
            self._picker = None
        # Locked, or another exhibit opened, while the picker was up: add nothing.
        if accepted and chosen and self._vault is vault and page.current_exhibit_id() == exhibit_id:
            self.add_entries(chosen)

    def close_picker(self) -> None:
        """Close an open picker (the vault is locking or another one opened)."""
        if self._picker is not None:
            self._picker.stop()
            self._picker.reject()

    # ----- drags ---------------------------------------------------------------------

    def items_dragged(self, ids: list[int], row: int) -> None:
        """Items of the open exhibit dropped at *row* of its own list: a reorder."""
        self._set_items(exhibits.reordered(self._editor.item_model.ids(), ids, row), ids)

    def dropped_on_items(self, entry_ids: list[int], row: int) -> None:
        """Evidence dropped into the list of items: added at that place."""
        self.add_entries(entry_ids, index=min(row, self._editor.item_model.rowCount()))

    def _set_items(self, order: list[int], chosen: list[int]) -> None:
        vault, page, editor = self._vault, self._page, self._editor
        exhibit_id = page.current_exhibit_id()
        if vault is None or exhibit_id is None:
            return
        current = editor.item_list.currentIndex().row()
        current_id = editor.item_model.ids()[current] if current >= 0 else None
        try:
            changed = exhibits.set_exhibit_items(vault, exhibit_id, order)
        except Exception as exc:
            editor.say_not_saved(exc)
            return
        if changed:
            page.saved_change()
            page.reload_items(select=chosen, current=current_id)
            editor.say(self.tr("New order saved."))
        editor.item_list.setFocus()
