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
words on screen and says why. ``set_vault(None)`` (locking) empties every widget.
"""

from __future__ import annotations

import dataclasses
import itertools

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.binder import exhibits
from nco_desktop.binder.exhibits import MAX_DESCRIPTION_CHARS, ExhibitOverview
from nco_desktop.binder.options import LabelStyle, exhibit_label
from nco_desktop.binder.saved_options import (
    MAX_PREFIX_CHARS,
    BinderChoices,
    load_choices,
    save_choices,
)
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.entry_mime import ENTRY_IDS_MIME
from nco_desktop.ui.common.evidence_picker import EvidencePicker
from nco_desktop.ui.common.session import Change, RefreshWhenShown, VaultSession
from nco_desktop.ui.common.widgets import bold, plain_label, quiet, shorten
from nco_desktop.ui.exhibits.exhibit_evidence import EvidencePane
from nco_desktop.ui.exhibits.exhibit_models import (
    ID_ROLE,
    ExhibitRow,
    date_span_words,
    items_text,
    present_entries,
)
from nco_desktop.ui.exhibits.exhibit_panes import ExhibitColumn, ExhibitEditor
from nco_desktop.vault import Vault

__all__ = ["ENTRY_IDS_MIME", "ExhibitsPage"]

_DESCRIPTION_WARN_AT = MAX_DESCRIPTION_CHARS - 300  # show how much room is left from here


class ExhibitsPage(QWidget):
    """Choose, order, label and describe the binder's exhibits."""

    changed = Signal()  # something was saved: exhibits, items, titles, labels
    #: Exhibits and labels, the evidence listed beside them and the names on it.
    SHOWS = Change.EXHIBITS | Change.CASE | Change.ENTRIES | Change.INCIDENTS | Change.PEOPLE

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._needs_load = False  # a vault opened and has not been read yet
        self._exhibit_id: int | None = None  # the exhibit open in the centre
        self._saved_text: tuple[str, str] = ("", "")  # its title and description as saved
        self._choices = BinderChoices()
        self._overview: list[ExhibitOverview] = []
        self._picker: EvidencePicker | None = None
        self._quiet = False  # the exhibit list's current row is being set by the program
        self.setAccessibleName(self.tr("Exhibits"))

        # ----- top: heading, label style and prefix --------------------------------------
        heading = bold(QLabel(self.tr("Exhibits"), self), 1.3)
        intro = quiet(
            plain_label(
                self.tr(
                    "What the binder prints, in this order. Each exhibit starts with a "
                    "divider page showing its label and title."
                ),
                self,
                selectable=False,
            )
        )
        self.style_box = QComboBox(self)
        self.style_box.addItem(self.tr("Numbers: 1, 2, 3"), LabelStyle.NUMBERS)
        self.style_box.addItem(self.tr("Letters: A, B, C"), LabelStyle.LETTERS)
        self.style_box.setToolTip(self.tr("Courts differ: some want numbers, some letters"))
        style_label = QLabel(self.tr("La&bels"), self)
        style_label.setBuddy(self.style_box)
        self.prefix_edit = QLineEdit(self)
        self.prefix_edit.setMaxLength(MAX_PREFIX_CHARS)
        self.prefix_edit.setPlaceholderText(self.tr("e.g. Pet. Ex."))
        self.prefix_edit.setToolTip(
            self.tr(
                "Printed before each label: “Pet. Ex.” if you asked for the order "
                "(petitioner), “Resp. Ex.” if you are responding"
            )
        )
        self.prefix_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("Resp. Ex. ") + 24)
        self.prefix_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("M" * 12))
        prefix_label = QLabel(self.tr("&Prefix"), self)
        prefix_label.setBuddy(self.prefix_edit)
        self.style_box.currentIndexChanged.connect(self._labels_edited)
        self.prefix_edit.textChanged.connect(self._relabel)
        self.prefix_edit.editingFinished.connect(self._labels_edited)
        top = QHBoxLayout()
        top.setContentsMargins(12, 10, 12, 4)
        top.setSpacing(8)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(heading)
        titles.addWidget(intro)
        top.addLayout(titles, 1)
        top.addSpacing(12)
        top.addWidget(style_label, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.style_box, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addSpacing(6)
        top.addWidget(prefix_label, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.prefix_edit, 0, Qt.AlignmentFlag.AlignVCenter)

        # ----- the exhibits, and the open one (exhibit_panes) ---------------------------
        self.column = ExhibitColumn(self)
        self.editor = ExhibitEditor(lambda: self._exhibit_id, self)
        self.editor.description_edit.installEventFilter(self)  # saved when left
        self.column.exhibit_list.selectionModel().currentChanged.connect(self._current_changed)
        self.column.exhibit_list.step_requested.connect(self.move_exhibit)
        self.column.exhibit_list.delete_requested.connect(self.remove_exhibit)
        self.column.exhibit_list.rows_moved.connect(self._exhibits_dragged)
        self.column.exhibit_list.entries_dropped.connect(self._dropped_on_exhibit)
        self.column.new_button.clicked.connect(self.new_exhibit)
        self.column.suggest_button.clicked.connect(self.suggest_exhibits)
        self.column.up_button.clicked.connect(lambda: self.move_exhibit(-1))
        self.column.down_button.clicked.connect(lambda: self.move_exhibit(1))
        self.column.remove_button.clicked.connect(self.remove_exhibit)
        self.editor.title_edit.editingFinished.connect(self._title_finished)
        self.editor.title_edit.textEdited.connect(lambda _text: self._edited())
        self.editor.description_edit.textChanged.connect(self._edited)
        self.editor.item_list.step_requested.connect(self.move_items)
        self.editor.item_list.delete_requested.connect(self.remove_items)
        self.editor.item_list.rows_moved.connect(self._items_dragged)
        self.editor.item_list.entries_dropped.connect(self._dropped_on_items)
        self.editor.item_list.selectionModel().selectionChanged.connect(self._update_enabled)
        self.editor.add_button.clicked.connect(self.pick_evidence)
        self.editor.take_out_button.clicked.connect(self.remove_items)
        self.editor.item_up_button.clicked.connect(lambda: self.move_items(-1))
        self.editor.item_down_button.clicked.connect(lambda: self.move_items(1))
        self.editor.empty_suggest_button.clicked.connect(self.suggest_exhibits)
        self.editor.empty_new_button.clicked.connect(self.new_exhibit)

        # ----- right: evidence to add -----------------------------------------------------
        self.evidence = EvidencePane(self)
        self.evidence.add_requested.connect(lambda ids: self.add_entries(ids))

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(self.column)
        splitter.addWidget(self.editor)
        splitter.addWidget(self.evidence)
        splitter.setChildrenCollapsible(False)
        self.column.setMinimumWidth(250)
        self.editor.setMinimumWidth(380)
        self.evidence.setMinimumWidth(260)
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
        layout.addLayout(top)
        layout.addWidget(rule)
        layout.addWidget(splitter, 1)

        order: list[QWidget] = [
            self.style_box,
            self.prefix_edit,
            self.column.exhibit_list,
            self.column.new_button,
            self.column.suggest_button,
            self.column.up_button,
            self.column.down_button,
            self.column.remove_button,
            self.editor.empty_suggest_button,
            self.editor.empty_new_button,
            self.editor.title_edit,
            self.editor.description_edit,
            self.editor.item_list,
            self.editor.add_button,
            self.editor.take_out_button,
            self.editor.item_up_button,
            self.editor.item_down_button,
            self.evidence.search_edit,
            self.evidence.kind_box,
            self.evidence.list,
            self.evidence.add_button,
        ]
        for first, second in itertools.pairwise(order):
            QWidget.setTabOrder(first, second)
        self._reset()
        # Labels and prefix are binder choices too: the Binder view reads them again.
        self.changed.connect(lambda: session.notify(Change.EXHIBITS | Change.CASE, self))
        session.about_to_lock.connect(self.commit_pending_edits)
        session.opened.connect(self._reset)
        session.detached.connect(self._reset)
        self._refresher = RefreshWhenShown(self, session, self.SHOWS, self.refresh)

    # ----- the contract ------------------------------------------------------------------

    @property
    def _vault(self) -> Vault | None:
        return self.session.vault

    def _reset(self) -> None:
        """A vault opened, or the session detached (locked): every list, field and
        picture is forgotten; an open vault is read when the page is shown."""
        vault = self._vault
        self._needs_load = vault is not None
        self._close_picker()
        self._exhibit_id = None
        self._saved_text = ("", "")
        self._overview = []
        self._set_fields("", "")
        self.editor.label_heading.clear()
        self.editor.status.clear()
        self.editor.item_model.clear()
        self.column.exhibit_model.set_rows([])
        self.prefix_edit.blockSignals(True)
        self.prefix_edit.clear()
        self.prefix_edit.blockSignals(False)
        self._choices = BinderChoices()
        self.evidence.set_source(None)
        self._show_state()

    def _first_load(self, vault: Vault) -> None:
        self._needs_load = False
        self._choices = load_choices(vault)
        self._show_choices()
        self.evidence.set_source(vault.conn, vault.time_zone)
        self._reload_exhibits()
        self._open(self._overview[0].id if self._overview else None)
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
        if not self._prefix_dirty():
            self._choices = load_choices(vault)
            self._show_choices()
        self._reload_exhibits()
        if self._row_of(self._exhibit_id) < 0:  # none open, or it was removed elsewhere
            self._open(self._overview[0].id if self._overview else None)
        else:
            if not self._text_dirty():
                self._load_text()
            self._reload_items()
        self.evidence.refresh()
        self._show_state()

    def commit_pending_edits(self) -> bool:
        """Save a title, description or prefix being typed; False if one could not be
        saved (the words stay on screen with the reason)."""
        if self._vault is None:
            return True
        saved = self._save_labels() if self._prefix_dirty() else True
        return self._save_text(leaving=True) and saved

    def refresh_icons(self) -> None:
        """Draw kind icons and thumbnails again (after the colour scheme changed)."""
        self.editor.item_model.forget_pictures()
        self.evidence.model.forget_pictures()

    # ----- exhibits ----------------------------------------------------------------------

    def open_exhibit(self, exhibit_id: int) -> bool:
        """Show *exhibit_id* (after saving the one open); False if that could not be."""
        if self._vault is None or self._row_of(exhibit_id) < 0:
            return False
        if exhibit_id != self._exhibit_id:
            if not self.commit_pending_edits():
                return False
            self._open(exhibit_id)
        return True

    def current_exhibit_id(self) -> int | None:
        return self._exhibit_id

    def new_exhibit(self) -> None:
        """A new, empty exhibit at the end; its title is ready to be typed over."""
        vault = self._vault
        if vault is None or not self.commit_pending_edits():
            return
        title = self.tr("New exhibit")
        try:
            exhibit_id = exhibits.create_exhibit(vault, title)
        except Exception as exc:
            self._say_problem(self._not_saved(exc))
            return
        self._saved_change()
        self._open(exhibit_id)
        self._say(
            self.tr("Exhibit added as %1. Give it a title, then add evidence.").replace(
                "%1", self._label_of(exhibit_id)
            )
        )
        self.editor.title_edit.setFocus()
        self.editor.title_edit.selectAll()

    def suggest_exhibits(self) -> None:
        """Exhibits grouped by person and kind, as the binder would make by itself; when
        there are exhibits already, only after the user agrees to replace them."""
        vault = self._vault
        if vault is None or not self.commit_pending_edits():
            return
        existing = len(self._overview)
        if existing and not prompts.confirm(
            self,
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
        try:
            made = exhibits.suggest_exhibits(vault, replace=bool(existing))
        except Exception as exc:
            self._say_problem(self._not_saved(exc))
            return
        if not made:
            self._say(
                self.tr(
                    "There is no evidence to group yet. Import your files first (File ▸ "
                    "Import, or drop them on the window)."
                )
            )
            return
        self._saved_change()
        self._open(self._overview[0].id if self._overview else None)
        self._say(
            self.tr(
                "%1 exhibits suggested. Check each title and the order, and change what you like."
            ).replace("%1", str(made))
        )

    def remove_exhibit(self) -> None:
        """Take the open exhibit out of the binder, after asking (the evidence stays)."""
        vault, exhibit_id = self._vault, self._exhibit_id
        if vault is None or exhibit_id is None:
            return
        overview = self._find(exhibit_id)
        label = self._label_of(exhibit_id)
        if not prompts.confirm(
            self,
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
        row = self._row_of(exhibit_id)
        try:
            exhibits.delete_exhibit(vault, exhibit_id)
        except Exception as exc:
            self._say_problem(self._not_saved(exc))
            return
        self._exhibit_id = None  # its words are gone with it: nothing to save
        self._saved_text = ("", "")
        self._saved_change()
        following = self._overview[min(row, len(self._overview) - 1)].id if self._overview else None
        self._open(following)
        self._say(
            self.tr("%1 was removed. Its evidence is still in the vault.").replace("%1", label)
        )
        self.column.exhibit_list.setFocus()

    def move_exhibit(self, step: int) -> None:
        """Move the open exhibit one place up (-1) or down (+1); saved at once."""
        if self._exhibit_id is None:
            return
        self._move_exhibit_to(self._exhibit_id, self._row_of(self._exhibit_id) + step)

    # ----- items -------------------------------------------------------------------------

    def add_entries(
        self, entry_ids: list[int], exhibit_id: int | None = None, index: int | None = None
    ) -> int:
        """Put entries into an exhibit (the open one unless *exhibit_id*) at item *index*
        (None: at the end). Entries already there, incidents and entries no longer in
        the vault are left out, and the status line says so. Returns how many went in."""
        vault = self._vault
        target = self._exhibit_id if exhibit_id is None else exhibit_id
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
        label = self._label_of(target)
        try:
            added = exhibits.add_exhibit_entries(vault, target, list(sorting.usable), index=index)
        except Exception as exc:
            self._say_problem(self._not_saved(exc))
            return 0
        if already:
            notes.insert(
                0,
                self.tr("%1 already in it.").replace("%1", items_text(len(already))),
            )
        if added:
            self._saved_change()
            if target == self._exhibit_id:
                new = [i for i in sorting.usable if i not in present]
                self._reload_items(select=new)
            head = self.tr("Added %1 to %2.").replace("%1", items_text(added)).replace("%2", label)
            self._say(" ".join([head, *notes]))
        else:
            self._say(" ".join(notes) or self.tr("Nothing was added."), problem=not already)
        return added

    def remove_items(self) -> None:
        """Take the chosen items out of the open exhibit (they stay in the vault)."""
        vault, exhibit_id = self._vault, self._exhibit_id
        ids = self.editor.item_list.selected_ids()
        if vault is None or exhibit_id is None or not ids:
            return
        # One item goes at once (it is quickly added back); a whole selection — Ctrl+A
        # then a Delete meant for somewhere else — is asked about first.
        if len(ids) > 1 and not prompts.confirm(
            self,
            self.tr("Take %1 out of %2?")
            .replace("%1", items_text(len(ids)))
            .replace("%2", self._label_of(exhibit_id)),
            self.tr(
                "They stay in the vault and can be added again, but their place in this "
                "exhibit is forgotten."
            ),
            yes=self.tr("Take them out"),
            no=self.tr("Keep them"),
        ):
            return
        row = min(self.editor.item_model.row_of(i) for i in ids)
        try:
            removed = exhibits.remove_exhibit_entries(vault, exhibit_id, ids)
        except Exception as exc:
            self._say_problem(self._not_saved(exc))
            return
        self._saved_change()
        self._reload_items()
        remaining = self.editor.item_model.ids()
        if remaining:
            keep = remaining[min(row, len(remaining) - 1)]
            self.editor.item_list.select_ids([keep], keep)
        self.editor.item_list.setFocus()
        self._say(
            self.tr("Took %1 out of %2. The evidence is still in the vault.")
            .replace("%1", items_text(removed))
            .replace("%2", self._label_of(exhibit_id))
        )

    def move_items(self, step: int) -> None:
        """Move the chosen items one place up (-1) or down (+1); saved at once."""
        ids = self.editor.item_list.selected_ids()
        if not ids:
            return
        order = self.editor.item_model.ids()
        self._set_items(exhibits.stepped(order, ids, step), ids)

    def pick_evidence(self) -> None:
        """The keyboard route for dropping evidence: choose it in a searchable list."""
        vault, exhibit_id = self._vault, self._exhibit_id
        if vault is None or exhibit_id is None or not self.commit_pending_edits():
            return
        picker = EvidencePicker(
            vault.conn, vault.time_zone, exclude=self.editor.item_model.ids(), parent=self
        )
        picker.setWindowTitle(
            self.tr("Add evidence to %1").replace("%1", self._label_of(exhibit_id))
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
        if accepted and chosen and self._vault is vault and self._exhibit_id == exhibit_id:
            self.add_entries(chosen)

    # ----- drags -------------------------------------------------------------------------

    def _exhibits_dragged(self, ids: list[int], row: int) -> None:
        order = self.column.exhibit_model.ids()
        moving = [i for i in ids if i in order][:1]  # one exhibit at a time
        if moving:
            new_order = exhibits.reordered(order, moving, row)
            self._move_exhibit_to(moving[0], new_order.index(moving[0]))

    def _dropped_on_exhibit(self, entry_ids: list[int], row: int) -> None:
        order = self.column.exhibit_model.ids()
        if 0 <= row < len(order):
            self.add_entries(entry_ids, exhibit_id=order[row])

    def _items_dragged(self, ids: list[int], row: int) -> None:
        self._set_items(exhibits.reordered(self.editor.item_model.ids(), ids, row), ids)

    def _dropped_on_items(self, entry_ids: list[int], row: int) -> None:
        self.add_entries(entry_ids, index=min(row, self.editor.item_model.rowCount()))

    # ----- saving ------------------------------------------------------------------------

    def _move_exhibit_to(self, exhibit_id: int, index: int) -> None:
        vault = self._vault
        if vault is None or not 0 <= index < len(self._overview):
            return
        # Saved first: the move shows the exhibit again from the vault.
        if not self.commit_pending_edits():
            return
        if exhibit_id != self._exhibit_id and not self.open_exhibit(exhibit_id):
            return
        try:
            moved = exhibits.move_exhibit_to(vault, exhibit_id, index)
        except Exception as exc:
            self._say_problem(self._not_saved(exc))
            return
        if moved:
            self._saved_change()
            self._open(exhibit_id)
            self._say(
                self.tr("“%1” is now %2.")
                .replace("%1", shorten(self.editor.title_edit.text(), 60))
                .replace("%2", self._label_of(exhibit_id))
            )
        self.column.exhibit_list.setFocus()

    def _set_items(self, order: list[int], chosen: list[int]) -> None:
        vault, exhibit_id = self._vault, self._exhibit_id
        if vault is None or exhibit_id is None:
            return
        current = self.editor.item_list.currentIndex().row()
        current_id = self.editor.item_model.ids()[current] if current >= 0 else None
        try:
            changed = exhibits.set_exhibit_items(vault, exhibit_id, order)
        except Exception as exc:
            self._say_problem(self._not_saved(exc))
            return
        if changed:
            self._saved_change()
            self._reload_items(select=chosen, current=current_id)
            self._say(self.tr("New order saved."))
        self.editor.item_list.setFocus()

    def _title_finished(self) -> None:
        self._save_text(leaving=False)

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
        title = self.editor.title_edit.text()
        description = self.editor.description_edit.toPlainText()
        restored = False
        if leaving and not title.strip():
            title = self._saved_text[0]
            self.editor.title_edit.setText(title)
            restored = True
        try:
            clean = exhibits.check_exhibit_text(title, description)
            exhibits.update_exhibit(vault, exhibit_id, *clean)
        except Exception as exc:
            self._say_problem(self._not_saved(exc, words=True))
            return False
        self._saved_text = clean
        if self.editor.title_edit.text() != clean[0]:
            self.editor.title_edit.setText(clean[0])
        self._saved_change()
        if restored:
            self._say(self.tr("An exhibit needs a title, so its last title was kept. Saved."))
        else:
            self._say(self.tr("Saved."))
        return True

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
        options = dataclasses.replace(
            current.options,
            labels=LabelStyle(self.style_box.currentData()),
            prefix=self.prefix_edit.text(),
        )
        try:
            saved = save_choices(vault, dataclasses.replace(current, options=options))
        except Exception as exc:
            self._say_problem(self._not_saved(exc))
            return False
        self._choices = load_choices(vault)
        if self.prefix_edit.text() != self._choices.options.prefix:
            self.prefix_edit.blockSignals(True)
            self.prefix_edit.setText(self._choices.options.prefix)
            self.prefix_edit.blockSignals(False)
        self._relabel()
        if saved:
            self.changed.emit()
        return True

    def _saved_change(self) -> None:
        """After any saved change: list again, and tell the window."""
        self._reload_exhibits()
        self.changed.emit()

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
        rows = []
        for index, overview in enumerate(self._overview):
            detail = items_text(overview.item_count)
            if overview.item_count:
                detail += " · " + date_span_words(
                    overview.first_ms, overview.last_ms, vault.time_zone
                )
            else:
                detail = self.tr("No items yet")
            rows.append(
                ExhibitRow(
                    overview.id,
                    self._label(index),
                    overview.title,
                    detail,
                    overview.item_count == 0,
                )
            )
        self.column.exhibit_model.set_rows(rows)
        self._select_current()
        if self._exhibit_id is not None:
            self.editor.label_heading.setText(self._label_of(self._exhibit_id))
        self._show_state()

    def _label(self, index: int) -> str:
        style = self.style_box.currentData() or LabelStyle.NUMBERS
        prefix = " ".join(self.prefix_edit.text().split())
        return f"{prefix} {exhibit_label(index, LabelStyle(style))}".strip()

    def _label_of(self, exhibit_id: int) -> str:
        row = self._row_of(exhibit_id)
        return self._label(row) if row >= 0 else ""

    def _open(self, exhibit_id: int | None) -> None:
        """Show *exhibit_id* in the centre (None: nothing open), without saving first."""
        self._exhibit_id = exhibit_id
        self._select_current()
        if exhibit_id is None:
            self._saved_text = ("", "")
            self._set_fields("", "")
            self.editor.label_heading.clear()
            self.editor.item_model.clear()
            self.evidence.set_in_exhibit((), can_add=False)
        else:
            self.editor.label_heading.setText(self._label_of(exhibit_id))
            self._load_text()
            self._reload_items()
        self._show_state()

    def _load_text(self) -> None:
        overview = self._find(self._exhibit_id)
        if overview is not None:
            self._saved_text = (overview.title, overview.description)
            self._set_fields(overview.title, overview.description)

    def _reload_items(self, select: list[int] | None = None, current: int | None = None) -> None:
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
        self.editor.items_count.setText(items_text(len(ids)))
        self.evidence.set_in_exhibit(ids, can_add=True)
        self._show_state()

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
        self._open(int(exhibit_id))

    def _select_current(self) -> None:
        self._quiet = True
        try:
            row = self._row_of(self._exhibit_id)
            selection = self.column.exhibit_list.selectionModel()
            if row < 0:
                selection.clear()
            else:
                index = self.column.exhibit_model.index(row, 0)
                self.column.exhibit_list.setCurrentIndex(index)
                self.column.exhibit_list.scrollTo(index)
        finally:
            self._quiet = False

    # ----- state -------------------------------------------------------------------------

    def _show_choices(self) -> None:
        self.style_box.blockSignals(True)
        self.style_box.setCurrentIndex(
            max(0, self.style_box.findData(self._choices.options.labels))
        )
        self.style_box.blockSignals(False)
        self.prefix_edit.blockSignals(True)
        self.prefix_edit.setText(self._choices.options.prefix)
        self.prefix_edit.blockSignals(False)

    def _show_state(self) -> None:
        """Which centre page, which buttons, which warnings."""
        unlocked = self._vault is not None
        has_exhibits = bool(self._overview)
        is_open = unlocked and self._exhibit_id is not None
        self.editor.stack.setCurrentIndex(1 if is_open else 0)
        if not unlocked:
            self.editor.empty_text.setText("")
        elif not has_exhibits:
            self.editor.empty_text.setText(
                self.tr(
                    "No exhibits chosen yet. Without them, the binder groups all your "
                    "evidence by itself: one exhibit per person and kind. To choose and "
                    "order them yourself, start from suggestions or make a new exhibit."
                )
            )
        else:
            self.editor.empty_text.setText(self.tr("Choose an exhibit on the left."))
        self.editor.empty_buttons.setVisible(unlocked and not has_exhibits)
        self.column.exhibit_list.placeholder = self.tr("No exhibits yet.") if unlocked else ""
        overview = self._find(self._exhibit_id)
        self.editor.empty_warning.setVisible(
            bool(is_open and overview and overview.item_count == 0)
        )
        self._update_enabled()

    def _update_enabled(self, *_args: object) -> None:
        unlocked = self._vault is not None
        row = self._row_of(self._exhibit_id)
        is_open = unlocked and row >= 0
        chosen = bool(self.editor.item_list.selectedIndexes())
        count = self.editor.item_model.rowCount()
        always: tuple[QWidget, ...] = (
            self.style_box,
            self.prefix_edit,
            self.column.new_button,
            self.column.suggest_button,
            self.column.exhibit_list,
        )
        for widget in always:
            widget.setEnabled(unlocked)
        self.column.up_button.setEnabled(is_open and row > 0)
        self.column.down_button.setEnabled(is_open and row < len(self._overview) - 1)
        self.column.remove_button.setEnabled(is_open)
        editing: tuple[QWidget, ...] = (
            self.editor.title_edit,
            self.editor.description_edit,
            self.editor.add_button,
            self.editor.item_list,
        )
        for widget in editing:
            widget.setEnabled(is_open)
        self.editor.take_out_button.setEnabled(is_open and chosen)
        self.editor.item_up_button.setEnabled(is_open and chosen and count > 1)
        self.editor.item_down_button.setEnabled(is_open and chosen and count > 1)

    def _edited(self) -> None:
        length = len(self.editor.description_edit.toPlainText())
        if length >= _DESCRIPTION_WARN_AT:
            self.editor.room_label.setText(
                self.tr("%1 of %2 characters")
                .replace("%1", f"{length:,}")
                .replace("%2", f"{MAX_DESCRIPTION_CHARS:,}")
            )
            self.editor.room_label.show()
        else:
            self.editor.room_label.hide()

    def _set_fields(self, title: str, description: str) -> None:
        for widget in (self.editor.title_edit, self.editor.description_edit):
            widget.blockSignals(True)
        self.editor.title_edit.setText(title)
        self.editor.description_edit.setPlainText(description)
        for widget in (self.editor.title_edit, self.editor.description_edit):
            widget.blockSignals(False)
        self._edited()

    def _text_dirty(self) -> bool:
        now = (self.editor.title_edit.text(), self.editor.description_edit.toPlainText())
        if now == self._saved_text:
            return False
        try:
            return exhibits.check_exhibit_text(*now) != self._saved_text
        except Exception:
            return True  # not valid as typed: certainly not what is saved

    def _prefix_dirty(self) -> bool:
        typed = " ".join(self.prefix_edit.text().split())
        return typed != self._choices.options.prefix

    def _find(self, exhibit_id: int | None) -> ExhibitOverview | None:
        return next((o for o in self._overview if o.id == exhibit_id), None)

    def _row_of(self, exhibit_id: int | None) -> int:
        return next((n for n, o in enumerate(self._overview) if o.id == exhibit_id), -1)

    def _close_picker(self) -> None:
        if self._picker is not None:
            self._picker.stop()
            self._picker.reject()

    def _not_saved(self, error: Exception, *, words: bool = False) -> str:
        text = self.tr("Not saved: %1").replace("%1", prompts.explain(error))
        return text + (" " + self.tr("Your words are still here.") if words else "")

    def _say(self, text: str, *, problem: bool = False) -> None:
        # "errorText" is the application style sheet's red, bold line.
        self.editor.status.setObjectName("errorText" if problem else "")
        self.editor.status.style().unpolish(self.editor.status)
        self.editor.status.style().polish(self.editor.status)
        self.editor.status.setText(text)

    def _say_problem(self, text: str) -> None:
        self._say(text, problem=True)

    # ----- showing and hiding ------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        """Coming back to the view: counts may have changed (an import, another view)."""
        super().showEvent(event)
        if not event.spontaneous():
            self.refresh()

    def hideEvent(self, event: QHideEvent) -> None:
        """Leaving the view: save what is being typed, so nothing waits unsaved."""
        if not event.spontaneous():
            self.commit_pending_edits()
        super().hideEvent(event)
