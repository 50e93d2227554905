"""What the Exhibits view does to the exhibits themselves: make, suggest, remove, move.

Each change is one audited change (:mod:`nco_desktop.binder.exhibits`), saved at once
after the words being typed in the open exhibit are saved (a change shows the exhibits
again from the vault); then the page lists again and the editor's status line says what
happened. Replacing or removing exhibits asks first; the evidence itself always stays.

:class:`~nco_desktop.ui.exhibits.exhibits_page.ExhibitsPage` owns the session, the
exhibits as read and which one is open; this controller asks it each time rather than
keeping any of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject

from nco_desktop.binder import exhibits
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.jobs import run_change
from nco_desktop.ui.common.widgets import shorten
from nco_desktop.ui.exhibits.exhibit_models import items_text
from nco_desktop.vault import Vault

if TYPE_CHECKING:
    from nco_desktop.ui.exhibits.exhibits_page import ExhibitsPage


class ExhibitActions(QObject):
    """The exhibit actions of one :class:`ExhibitsPage`."""

    def __init__(self, page: ExhibitsPage) -> None:
        super().__init__(page)
        self._page = page
        self._editor = page.editor
        # A suggestion still being saved when the vault locks never reports back.
        page.session.detached.connect(lambda: page.setEnabled(True))

    @property
    def _vault(self) -> Vault | None:
        """The page's session's vault, asked for each time (None when locked)."""
        return self._page.session.vault

    def new_exhibit(self) -> None:
        """A new, empty exhibit at the end; its title is ready to be typed over."""
        vault, page = self._vault, self._page
        if vault is None or not page.commit_pending_edits():
            return
        title = self.tr("New exhibit")
        try:
            exhibit_id = exhibits.create_exhibit(vault, title)
        except Exception as exc:
            self._editor.say_not_saved(exc)
            return
        page.saved_change()
        page.show_exhibit(exhibit_id)
        self._editor.say(
            self.tr("Exhibit added as %1. Give it a title, then add evidence.").replace(
                "%1", page.label_of(exhibit_id)
            )
        )
        self._editor.title_edit.setFocus()
        self._editor.title_edit.selectAll()

    def suggest_exhibits(self) -> None:
        """Exhibits grouped by person and kind, as the binder would make by itself; when
        there are exhibits already, only after the user agrees to replace them."""
        vault, page = self._vault, self._page
        if vault is None or not page.commit_pending_edits():
            return
        existing = len(page.overview)
        if existing and not prompts.confirm(
            page,
            self.tr("Replace your exhibits?"),
            self.tr(
                "The %1 exhibits you have now, with their titles, descriptions and order, "
                "will be replaced by suggested ones: one per person and kind of evidence, "
                "in time order. The evidence itself stays in the vault."
            ).replace("%1", str(existing)),
            yes=self.tr("Replace them"),
            no=self.tr("Keep my exhibits"),
        ):
            return
        replace = bool(existing)
        page.setEnabled(False)  # until the suggestion is saved (a job on a large vault)
        run_change(
            page.session,
            lambda own, _progress, _cancel: exhibits.suggest_exhibits(own, replace=replace),
            on_success=self._suggested,
            on_failure=self._suggest_failed,
        )

    def _suggest_failed(self, error: BaseException) -> None:
        self._page.setEnabled(True)
        if not isinstance(error, Exception):  # KeyboardInterrupt and the like: not ours
            raise error
        self._editor.say_not_saved(error)

    def _suggested(self, made: int) -> None:
        """The suggested exhibits are saved: show them, the first one open."""
        page = self._page
        page.setEnabled(True)
        if self._vault is None:
            return
        if not made:
            self._editor.say(
                self.tr(
                    "There is no evidence to group yet. Import your files first (File ▸ "
                    "Import, or drop them on the window)."
                )
            )
            return
        page.saved_change()
        page.show_exhibit(page.overview[0].id if page.overview else None)
        self._editor.say(
            self.tr(
                "%1 exhibits suggested. Check each title and the order, and change what you like."
            ).replace("%1", str(made))
        )

    def remove_exhibit(self) -> None:
        """Take the open exhibit out of the binder, after asking (the evidence stays)."""
        vault, page = self._vault, self._page
        exhibit_id = page.current_exhibit_id()
        if vault is None or exhibit_id is None:
            return
        overview = page.overview_of(exhibit_id)
        label = page.label_of(exhibit_id)
        if not prompts.confirm(
            page,
            self.tr("Remove %1?").replace("%1", label),
            self.tr(
                "“%1” and its list of %2 will be taken out of the binder. The evidence "
                "itself stays in the vault, on the timeline."
            )
            .replace("%1", shorten(overview.title if overview else "", 80))
            .replace("%2", items_text(overview.item_count if overview else 0)),
            yes=self.tr("Remove exhibit"),
            no=self.tr("Keep it"),
        ):
            return
        row = page.row_of(exhibit_id)
        try:
            exhibits.delete_exhibit(vault, exhibit_id)
        except Exception as exc:
            self._editor.say_not_saved(exc)
            return
        page.forget_open()  # its words are gone with it: nothing to save
        page.saved_change()
        remaining = page.overview
        following = remaining[min(row, len(remaining) - 1)].id if remaining else None
        page.show_exhibit(following)
        self._editor.say(
            self.tr("%1 was removed. Its evidence is still in the vault.").replace("%1", label)
        )
        page.column.exhibit_list.setFocus()

    def move_exhibit(self, step: int) -> None:
        """Move the open exhibit one place up (-1) or down (+1); saved at once."""
        exhibit_id = self._page.current_exhibit_id()
        if exhibit_id is None:
            return
        self._move_exhibit_to(exhibit_id, self._page.row_of(exhibit_id) + step)

    # ----- drags ---------------------------------------------------------------------

    def exhibits_dragged(self, ids: list[int], row: int) -> None:
        """Exhibits dropped at *row* of their own list: the first one moves there."""
        order = self._page.column.exhibit_model.ids()
        moving = [i for i in ids if i in order][:1]  # one exhibit at a time
        if moving:
            new_order = exhibits.reordered(order, moving, row)
            self._move_exhibit_to(moving[0], new_order.index(moving[0]))

    def dropped_on_exhibit(self, entry_ids: list[int], row: int) -> None:
        """Evidence dropped on an exhibit's row: added at the end of that exhibit."""
        order = self._page.column.exhibit_model.ids()
        if 0 <= row < len(order):
            self._page.add_entries(entry_ids, exhibit_id=order[row])

    def _move_exhibit_to(self, exhibit_id: int, index: int) -> None:
        vault, page = self._vault, self._page
        if vault is None or not 0 <= index < len(page.overview):
            return
        # Saved first: the move shows the exhibit again from the vault.
        if not page.commit_pending_edits():
            return
        if exhibit_id != page.current_exhibit_id() and not page.open_exhibit(exhibit_id):
            return
        try:
            moved = exhibits.move_exhibit_to(vault, exhibit_id, index)
        except Exception as exc:
            self._editor.say_not_saved(exc)
            return
        if moved:
            page.saved_change()
            page.show_exhibit(exhibit_id)
            self._editor.say(
                self.tr("“%1” is now %2.")
                .replace("%1", shorten(self._editor.title_edit.text(), 60))
                .replace("%2", page.label_of(exhibit_id))
            )
        page.column.exhibit_list.setFocus()
