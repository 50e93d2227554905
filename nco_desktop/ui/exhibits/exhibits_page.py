"""The Exhibits view: what the binder prints, in which order, under which labels.

Left, the exhibits in binder order with their labels as the binder prints them
("Pet. Ex. 3"); centre, the open exhibit's title, description and items; right, the
evidence to add. Every change the user makes — a new exhibit, a title, a reorder, a
drop — is saved at once in one audited change (:mod:`nco_desktop.binder.exhibits`), so
nothing waits for a Save button and nothing is lost on locking.

Everything a drag does has a keyboard route: Alt+Up and Alt+Down move the chosen
exhibit or items, Delete removes, "Add evidence…" and "Add to exhibit" add.

The title and description are saved when focus leaves them, when another exhibit is
opened, and when the window calls :meth:`ExhibitsPage.commit_pending_edits` (before
locking; the page also calls it itself when it is hidden). A save that fails keeps the
words on screen and says why. A vault opening or the session detaching empties every
widget.

The page owns what it read and which exhibit is open. Its widgets are in
``exhibit_panes`` and ``exhibit_labels``; what buttons, keys and drags do to exhibits and
to their items is in ``exhibit_actions`` and ``exhibit_items``, which ask the page.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import QFrame, QSplitter, QVBoxLayout, QWidget

from nco_desktop.binder import exhibits
from nco_desktop.binder.exhibits import ExhibitOverview
from nco_desktop.binder.saved_options import load_choices, save_choices
from nco_desktop.ui.common.entry_mime import ENTRY_IDS_MIME
from nco_desktop.ui.common.session import Change, VaultSession, follow_session
from nco_desktop.ui.exhibits.exhibit_actions import ExhibitActions
from nco_desktop.ui.exhibits.exhibit_checks import ExhibitChecks
from nco_desktop.ui.exhibits.exhibit_evidence import EvidencePane
from nco_desktop.ui.exhibits.exhibit_items import ItemActions
from nco_desktop.ui.exhibits.exhibit_labels import LabelBar
from nco_desktop.ui.exhibits.exhibit_models import (
    ID_ROLE,
    exhibit_rows,
    present_entries,
)
from nco_desktop.ui.exhibits.exhibit_panes import ExhibitColumn, ExhibitEditor
from nco_desktop.vault import Vault

__all__ = ["ENTRY_IDS_MIME", "ExhibitsPage"]


class ExhibitsPage(QWidget):
    """Choose, order, label and describe the binder's exhibits."""

    changed = Signal()  # something was saved: exhibits, items, titles, labels
    #: Exhibits and labels, the evidence listed beside them and the names on it.
    SHOWS = (
        Change.EXHIBITS
        | Change.CASE
        | Change.ENTRIES
        | Change.INCIDENTS
        | Change.PEOPLE
        | Change.NOTES  # the evidence search matches the user's notes
    )

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._needs_load = False  # a vault opened and has not been read yet
        self._exhibit_id: int | None = None  # the exhibit open in the centre
        self._saved_text: tuple[str, str] = ("", "")  # its title and description as saved
        self._overview: list[ExhibitOverview] = []
        self._quiet = False  # the exhibit list's current row is being set by the program
        self.setAccessibleName(self.tr("Exhibits"))
        self._build()
        self._lay_out()
        self._connect()
        self._reset()
        # Labels and prefix are binder choices too: the Binder view reads them again.
        self._refresher = follow_session(
            self,
            session,
            shows=self.SHOWS,
            reload=self.refresh,
            reset=self._reset,
            save=self.commit_pending_edits,
            saved=self.changed,
            saved_change=Change.EXHIBITS | Change.CASE,
        )

    def _build(self) -> None:
        self.labels = LabelBar(self)  # top: heading, label style and prefix
        self.style_box = self.labels.style_box
        self.prefix_edit = self.labels.prefix_edit
        self.column = ExhibitColumn(self)  # left: the exhibits
        self.editor = ExhibitEditor(lambda: self._exhibit_id, self)  # centre: the open one
        self.evidence = EvidencePane(self.session, self)  # right: evidence to add
        self._exhibit_actions = ExhibitActions(self)
        self._item_actions = ItemActions(self)
        self.checks = ExhibitChecks(self)  # shared evidence, pages in the last build

    def _lay_out(self) -> None:
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.column)
        splitter.addWidget(self.editor)
        splitter.addWidget(self.evidence)
        splitter.setChildrenCollapsible(False)
        # Together no wider than the room beside the navigation on a 960-pixel-wide
        # window (1920 × 1080 at 200 %); each still shows its buttons whole.
        self.column.setMinimumWidth(235)
        self.editor.setMinimumWidth(300)
        self.evidence.setMinimumWidth(220)
        splitter.setStretchFactor(0, 1)  # a wider window: longer titles on the left,
        splitter.setStretchFactor(1, 2)  # most of it for the open exhibit,
        splitter.setStretchFactor(2, 1)  # longer lines of evidence on the right
        splitter.setSizes([290, 480, 320])
        rule = QFrame(self)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet("color: palette(mid);")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.labels)
        layout.addWidget(rule)
        layout.addWidget(splitter, 1)

        # Tab goes through the panes as they are read: labels, exhibits, open one, evidence.
        order = [
            *self.labels.focus_order(),
            *self.column.focus_order(),
            *self.editor.focus_order(),
            *self.evidence.focus_order(),
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)

    def _connect(self) -> None:
        self.labels.edited.connect(self._labels_edited)
        self.labels.typed.connect(self._relabel)
        column, editor = self.column, self.editor
        column.exhibit_list.selectionModel().currentChanged.connect(self._current_changed)
        column.exhibit_list.step_requested.connect(self.move_exhibit)
        column.exhibit_list.delete_requested.connect(self.remove_exhibit)
        column.exhibit_list.rows_moved.connect(self._exhibit_actions.exhibits_dragged)
        column.exhibit_list.entries_dropped.connect(self._exhibit_actions.dropped_on_exhibit)
        column.new_button.clicked.connect(self.new_exhibit)
        column.suggest_button.clicked.connect(self.suggest_exhibits)
        column.up_button.clicked.connect(lambda: self.move_exhibit(-1))
        column.down_button.clicked.connect(lambda: self.move_exhibit(1))
        column.remove_button.clicked.connect(self.remove_exhibit)
        editor.description_edit.installEventFilter(self)  # saved when left
        editor.title_edit.editingFinished.connect(lambda: self._save_text(leaving=False))
        editor.item_list.step_requested.connect(self.move_items)
        editor.item_list.delete_requested.connect(self.remove_items)
        editor.item_list.rows_moved.connect(self._item_actions.items_dragged)
        editor.item_list.entries_dropped.connect(self._item_actions.dropped_on_items)
        editor.item_list.selectionModel().selectionChanged.connect(self._update_enabled)
        editor.add_button.clicked.connect(self.pick_evidence)
        editor.take_out_button.clicked.connect(self.remove_items)
        editor.item_up_button.clicked.connect(lambda: self.move_items(-1))
        editor.item_down_button.clicked.connect(lambda: self.move_items(1))
        editor.empty_suggest_button.clicked.connect(self.suggest_exhibits)
        editor.empty_new_button.clicked.connect(self.new_exhibit)
        self.evidence.add_requested.connect(lambda ids: self.add_entries(ids))

    # ----- the contract ------------------------------------------------------------------

    @property
    def _vault(self) -> Vault | None:
        return self.session.vault

    def _reset(self) -> None:
        """A vault opened, or the session detached (locked): every list, field and
        picture is forgotten; an open vault is read when the page is shown."""
        vault = self._vault
        self._needs_load = vault is not None
        self._item_actions.close_picker()
        self._exhibit_id = None
        self._saved_text = ("", "")
        self._overview = []
        self.editor.show_text("", "")
        self.editor.label_heading.clear()
        self.editor.status.clear()
        self.editor.item_model.clear()
        self.column.exhibit_model.set_rows([])
        self.labels.clear()
        self.evidence.set_source(None)
        self._show_state()

    def _first_load(self, vault: Vault) -> None:
        self._needs_load = False
        self.labels.show_choices(load_choices(vault))
        self.evidence.set_source(vault.conn, vault.time_zone)
        self._reload_exhibits()
        self.show_exhibit(self._overview[0].id if self._overview else None)
        self._show_state()

    def refresh(self) -> None:
        """Read again after evidence or binder choices changed elsewhere: counts, dates,
        items and labels. Words being typed (a title, the prefix) are kept."""
        vault = self._vault
        if vault is None:
            return
        if self._needs_load:
            self._first_load(vault)
            return
        if not self.labels.prefix_dirty():
            self.labels.show_choices(load_choices(vault))
        self._reload_exhibits()
        if self.row_of(self._exhibit_id) < 0:  # none open, or it was removed elsewhere
            self.show_exhibit(self._overview[0].id if self._overview else None)
        else:
            if not self._text_dirty():
                self._load_text()
            self.reload_items()
        self.evidence.refresh()
        self._show_state()

    def commit_pending_edits(self) -> bool:
        """Save a title, description or prefix being typed; False if one could not be
        saved (the words stay on screen with the reason)."""
        if self._vault is None:
            return True
        saved = self._save_labels() if self.labels.prefix_dirty() else True
        return self._save_text(leaving=True) and saved

    def refresh_icons(self) -> None:
        """Draw kind icons and thumbnails again (after the colour scheme changed)."""
        self.editor.item_model.forget_pictures()
        self.evidence.model.forget_pictures()

    # ----- exhibits and their items (exhibit_actions, exhibit_items) ---------------------

    def open_exhibit(self, exhibit_id: int) -> bool:
        """Show *exhibit_id* (after saving the one open); False if that could not be."""
        if self._vault is None or self.row_of(exhibit_id) < 0:
            return False
        if exhibit_id != self._exhibit_id:
            if not self.commit_pending_edits():
                return False
            self.show_exhibit(exhibit_id)
        return True

    def current_exhibit_id(self) -> int | None:
        return self._exhibit_id

    def new_exhibit(self) -> None:
        """A new, empty exhibit at the end; its title is ready to be typed over."""
        self._exhibit_actions.new_exhibit()

    def suggest_exhibits(self) -> None:
        """Exhibits grouped by person and kind, as the binder would make by itself; when
        there are exhibits already, only after the user agrees to replace them."""
        self._exhibit_actions.suggest_exhibits()

    def remove_exhibit(self) -> None:
        """Take the open exhibit out of the binder, after asking (the evidence stays)."""
        self._exhibit_actions.remove_exhibit()

    def move_exhibit(self, step: int) -> None:
        """Move the open exhibit one place up (-1) or down (+1); saved at once."""
        self._exhibit_actions.move_exhibit(step)

    def add_entries(
        self, entry_ids: list[int], exhibit_id: int | None = None, index: int | None = None
    ) -> int:
        """Put entries into an exhibit (the open one unless *exhibit_id*) at item *index*
        (None: at the end); how many went in. See :meth:`ItemActions.add_entries`."""
        return self._item_actions.add_entries(entry_ids, exhibit_id, index)

    def remove_items(self) -> None:
        """Take the chosen items out of the open exhibit (they stay in the vault)."""
        self._item_actions.remove_items()

    def move_items(self, step: int) -> None:
        """Move the chosen items one place up (-1) or down (+1); saved at once."""
        self._item_actions.move_items(step)

    def pick_evidence(self) -> None:
        """The keyboard route for dropping evidence: choose it in a searchable list."""
        self._item_actions.pick_evidence()

    # ----- what the actions ask of the page ----------------------------------------------

    @property
    def overview(self) -> Sequence[ExhibitOverview]:
        """The exhibits in binder order, as last read."""
        return self._overview

    def overview_of(self, exhibit_id: int | None) -> ExhibitOverview | None:
        """*exhibit_id* as last read (its title, count, dates); None if not there."""
        return next((o for o in self._overview if o.id == exhibit_id), None)

    def row_of(self, exhibit_id: int | None) -> int:
        """*exhibit_id*'s place in binder order; -1 if it is not there (or None)."""
        return next((n for n, o in enumerate(self._overview) if o.id == exhibit_id), -1)

    def label_of(self, exhibit_id: int) -> str:
        """The label the binder prints for *exhibit_id*, with the prefix as typed."""
        row = self.row_of(exhibit_id)
        return self.labels.label(row) if row >= 0 else ""

    def set_built_pages(self, pages: Mapping[int, int] | None) -> None:
        """The Binder view built (or dropped) a binder: its pages per exhibit id."""
        self.checks.set_built_pages(pages)
        self._relabel()

    def saved_change(self) -> None:
        """After any saved change: list again, and tell the window."""
        self._reload_exhibits()
        self.changed.emit()

    def forget_open(self) -> None:
        """The open exhibit was removed: its words went with it, so nothing is saved."""
        self._exhibit_id = None
        self._saved_text = ("", "")

    def show_exhibit(self, exhibit_id: int | None) -> None:
        """Show *exhibit_id* in the centre (None: nothing open), without saving first."""
        self._exhibit_id = exhibit_id
        self._select_current()
        if exhibit_id is None:
            self._saved_text = ("", "")
            self.editor.show_text("", "")
            self.editor.label_heading.clear()
            self.editor.item_model.clear()
            self.evidence.set_in_exhibit((), can_add=False)
            self.checks.update()
        else:
            self.editor.label_heading.setText(self.label_of(exhibit_id))
            self._load_text()
            self.reload_items()
        self._show_state()

    def reload_items(self, select: list[int] | None = None, current: int | None = None) -> None:
        """Read the open exhibit's items again, choosing *select* (with *current* as the
        current one, else the first of them)."""
        vault, exhibit_id = self._vault, self._exhibit_id
        if vault is None or exhibit_id is None:
            return
        ids = exhibits.exhibit_entry_ids(vault.conn, exhibit_id)
        self.editor.item_model.exhibit_id = exhibit_id
        self.editor.item_model.set_rows(
            vault.conn, present_entries(vault.conn, ids, vault.time_zone)
        )
        if select:
            self.editor.item_list.select_ids(select, current if current is not None else select[0])
        self.evidence.set_in_exhibit(ids, can_add=True)
        self.checks.update()
        self._show_state()

    # ----- saving words --------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.editor.description_edit and event.type() == QEvent.Type.FocusOut:
            self._save_text(leaving=False)
        return super().eventFilter(watched, event)

    def _save_text(self, *, leaving: bool) -> bool:
        """Save the title and description if they changed.

        *leaving* (the user is going elsewhere, or the vault is locking): a blank title
        gets its last saved one back rather than holding the description hostage.
        """
        vault, exhibit_id = self._vault, self._exhibit_id
        if vault is None or exhibit_id is None or not self._text_dirty():
            return True
        title, description = self.editor.typed_text()
        restored = False
        if leaving and not title.strip():
            title = self._saved_text[0]
            self.editor.title_edit.setText(title)
            restored = True
        try:
            clean = exhibits.check_exhibit_text(title, description)
            exhibits.update_exhibit(vault, exhibit_id, *clean)
        except Exception as exc:
            self.editor.say_not_saved(exc, words=True)
            return False
        self._saved_text = clean
        if self.editor.title_edit.text() != clean[0]:
            self.editor.title_edit.setText(clean[0])
        self.saved_change()
        if restored:
            self.editor.say(self.tr("An exhibit needs a title, so its last title was kept. Saved."))
        else:
            self.editor.say(self.tr("Saved."))
        return True

    def _text_dirty(self) -> bool:
        now = self.editor.typed_text()
        if now == self._saved_text:
            return False
        try:
            return exhibits.check_exhibit_text(*now) != self._saved_text
        except Exception:
            return True  # not valid as typed: certainly not what is saved

    def _labels_edited(self) -> None:
        self._relabel()
        self._save_labels()

    def _save_labels(self) -> bool:
        """Save the label style and prefix with the binder's other choices (re-read first,
        so a choice made in the Binder view is not overwritten)."""
        vault = self._vault
        if vault is None:
            return True
        current = load_choices(vault)
        try:
            saved = save_choices(vault, self.labels.applied_to(current))
        except Exception as exc:
            self.editor.say_not_saved(exc)
            return False
        self.labels.show_saved(load_choices(vault))
        self._relabel()
        if saved:
            self.changed.emit()
        return True

    # ----- reading -----------------------------------------------------------------------

    def _reload_exhibits(self) -> None:
        vault = self._vault
        if vault is None:
            return
        self._overview = exhibits.exhibit_overview(vault.conn)
        self._relabel()

    def _relabel(self) -> None:
        """The exhibit rows with labels in the chosen style and prefix (as typed, so the
        labels follow each key)."""
        vault = self._vault
        if vault is None:
            return
        rows = exhibit_rows(
            self._overview, self.labels.label, vault.time_zone, self.checks.pages_of
        )
        self.column.exhibit_model.set_rows(rows)
        self._select_current()
        if self._exhibit_id is not None:
            self.editor.label_heading.setText(self.label_of(self._exhibit_id))
        self._show_state()

    def _load_text(self) -> None:
        overview = self.overview_of(self._exhibit_id)
        if overview is not None:
            self._saved_text = (overview.title, overview.description)
            self.editor.show_text(overview.title, overview.description)

    def _current_changed(self, current: object, _previous: object) -> None:
        if self._quiet:
            return
        index = self.column.exhibit_list.currentIndex()
        exhibit_id = index.data(ID_ROLE) if index.isValid() else None
        if exhibit_id is None or exhibit_id == self._exhibit_id:
            return
        if not self.commit_pending_edits():
            self._select_current()  # stay with the words that could not be saved
            return
        self.show_exhibit(int(exhibit_id))

    def _select_current(self) -> None:
        self._quiet = True
        try:
            self.column.show_row(self.row_of(self._exhibit_id))
        finally:
            self._quiet = False

    # ----- state -------------------------------------------------------------------------

    def _show_state(self) -> None:
        """Which centre page, which buttons, which warnings."""
        unlocked = self._vault is not None
        overview = self.overview_of(self._exhibit_id)
        self.editor.show_state(
            unlocked=unlocked,
            has_exhibits=bool(self._overview),
            is_open=unlocked and self._exhibit_id is not None,
            no_items=overview is not None and overview.item_count == 0,
        )
        self.column.exhibit_list.placeholder = self.tr("No exhibits yet.") if unlocked else ""
        self._update_enabled()

    def _update_enabled(self, *_args: object) -> None:
        unlocked = self._vault is not None
        row = self.row_of(self._exhibit_id)
        self.labels.set_enabled(unlocked)
        self.column.update_enabled(unlocked=unlocked, row=row, count=len(self._overview))
        self.editor.update_enabled(is_open=unlocked and row >= 0)

    # ----- showing and hiding ------------------------------------------------------------

    def hideEvent(self, event: QHideEvent) -> None:
        """Leaving the view: save what is being typed, so nothing waits unsaved."""
        if not event.spontaneous():
            self.commit_pending_edits()
        super().hideEvent(event)
