"""The Exhibits view's evidence list: find timeline entries and drag them into exhibits.

A search box and a kind filter over every entry but the incidents (those belong to the
binder's chronology, not to an exhibit). Rows can be dragged — they carry
:data:`~nco_desktop.ui.common.entry_mime.ENTRY_IDS_MIME` — onto an exhibit or into its list
of items; "Add to exhibit" (or Enter) does the same from the keyboard. Entries already
in the open exhibit say so, rather than disappearing, so the list does not jump about
while the user works through it.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from zoneinfo import ZoneInfo

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.ui.common.evidence_picker import evidence_kind_box
from nco_desktop.ui.common.jobs import run_query
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.ui.common.widgets import plain_label, quiet
from nco_desktop.ui.exhibits.exhibit_evidence_model import EvidenceListModel, find_evidence
from nco_desktop.ui.exhibits.exhibit_lists import EntryRowDelegate, IdListView
from nco_desktop.ui.exhibits.exhibit_models import ID_ROLE
from nco_desktop.vault import Vault
from nco_desktop.vault.connection import Connection


class EvidenceView(IdListView):
    """The evidence list: a drag source; Enter asks to add the chosen rows."""

    activated_ids = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected_ids():
            self.activated_ids.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class EvidencePane(QWidget):
    """Search the timeline and hand entries to the open exhibit."""

    add_requested = Signal(list)  # entry ids the user chose with the button or Enter
    show_in_timeline_requested = Signal(int)  # an entry's id (the workspace routes it)

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._serial = 0  # the newest search asked for; older answers are dropped
        self._conn: Connection | None = None
        self._zone = ZoneInfo("UTC")
        self._in_exhibit: set[int] = set()
        self._can_add = False

        heading = QLabel(self.tr("Evidence"), self)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        self.hint = quiet(
            plain_label(
                self.tr("Drag onto an exhibit, or into its list of items at the place it goes."),
                self,
                selectable=False,
            )
        )
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Search…"))
        self.search_edit.setAccessibleName(self.tr("Search the evidence"))
        self.search_edit.setToolTip(self.tr("Words, a name, a number or a file name"))
        self.search_edit.setClearButtonEnabled(True)
        self.kind_box = evidence_kind_box(self)
        self.model = EvidenceListModel(self)
        self.list = EvidenceView(accepts_entries=False, parent=self)
        self.list.setModel(self.model)
        self.list.setItemDelegate(EntryRowDelegate(self.list))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setAccessibleName(self.tr("Evidence to add to exhibits"))
        self.list.activated_ids.connect(self._add_chosen)
        self.list.doubleClicked.connect(lambda _index: self._add_chosen())
        self.count_label = quiet(QLabel(self))
        self.add_button = QPushButton(self.tr("Add to e&xhibit"), self)
        self.add_button.setToolTip(self.tr("Add the chosen evidence to the open exhibit (Enter)"))
        self.add_button.clicked.connect(self._add_chosen)

        search = QHBoxLayout()
        search.setContentsMargins(0, 0, 0, 0)
        search.setSpacing(6)
        search.addWidget(self.search_edit, 1)
        search.addWidget(self.kind_box)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.count_label, 1)
        bottom.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 12, 12, 12)
        layout.setSpacing(6)
        layout.addWidget(heading)
        layout.addWidget(self.hint)
        layout.addLayout(search)
        layout.addWidget(self.list, 1)
        layout.addLayout(bottom)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)  # search after a pause in typing, not per key
        self._timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(self._timer.start)
        self.kind_box.currentIndexChanged.connect(self.refresh)
        self.list.selectionModel().selectionChanged.connect(self._update_button)
        self.model.modelReset.connect(self._update_button)
        # A row's menu (right button, Menu key): see the entry among the rest.
        show = QAction(self.tr("Show in timeline"), self.list)
        show.triggered.connect(self._show_in_timeline)
        self.list.addAction(show)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.set_source(None)

    def focus_order(self) -> list[QWidget]:
        """What Tab goes through here, in order (the Exhibits page chains its panes)."""
        return [self.search_edit, self.kind_box, self.list, self.add_button]

    def set_source(self, conn: Connection | None, zone: ZoneInfo | None = None) -> None:
        """Read from *conn* (None: locked — forget every row, the search and the filter)."""
        self._timer.stop()
        self._conn = conn
        self._zone = zone or ZoneInfo("UTC")
        if conn is None:
            self.search_edit.blockSignals(True)
            self.search_edit.clear()
            self.search_edit.blockSignals(False)
            self.kind_box.blockSignals(True)
            self.kind_box.setCurrentIndex(0)
            self.kind_box.blockSignals(False)
            self._in_exhibit = set()
            self.model.clear()
            self.count_label.clear()
        for widget in (self.search_edit, self.kind_box, self.list):
            widget.setEnabled(conn is not None)
        self.list.placeholder = "" if conn is None else self.tr("No evidence found.")
        self.refresh()

    def set_in_exhibit(self, ids: Iterable[int], *, can_add: bool) -> None:
        """Mark the entries already in the open exhibit; *can_add*: an exhibit is open."""
        self._in_exhibit = set(ids)
        self._can_add = can_add
        self.model.set_notes(self._notes(self._in_exhibit))
        self._update_button()

    def _notes(self, shown: Iterable[int]) -> dict[int, str]:
        note = self.tr("✓ in this exhibit")
        return {i: note for i in shown if i in self._in_exhibit}  # (not per row found)

    def refresh(self) -> None:
        """Search again (after typing, a filter change, or evidence changing elsewhere),
        keeping the chosen rows that are still found."""
        self._timer.stop()
        conn = self._conn
        if conn is None:
            self._update_button()
            return
        if not self._session.is_open:
            return
        keep = self.list.selected_ids()
        current = self.list.currentIndex().data(ID_ROLE)
        words, kind, zone = self.search_edit.text(), self.kind_box.currentData(), self._zone
        self._serial += 1
        serial = self._serial

        def search(vault: Vault, _progress: object, _cancel: object) -> array[int]:
            return find_evidence(vault.conn, words, kind, zone)

        # Every entry's words may be read: a large vault's search is a job. Only the
        # ids come back; rows are read as they are shown (EvidenceListModel).
        run_query(
            self._session,
            search,
            on_success=lambda result: self._show(serial, keep, current, result),
        )

    def _show(self, serial: int, keep: list[int], current: object, ids: array[int]) -> None:
        conn = self._conn
        if serial != self._serial or conn is None:
            return  # typed on, or locked, meanwhile
        self.model.set_ids(conn, ids, self._zone)
        self.model.set_notes(self._notes(self._in_exhibit))
        self._select(keep, current if isinstance(current, int) else None)
        if not ids:
            self.count_label.setText(self.tr("Nothing found."))
        else:
            self.count_label.setText(self.tr("Found: %1").replace("%1", f"{len(ids):,}"))
        self._update_button()

    def _select(self, ids: Sequence[int], current: int | None) -> None:
        """Choose *ids* again after a search, by lookup rather than by walking 100,000
        rows (which would read every page)."""
        selection = QItemSelection()
        for entry_id in ids:
            row = self.model.row_of(entry_id)
            if row >= 0:
                index = self.model.index(row)
                selection.select(index, index)
        chooser = self.list.selectionModel()
        chooser.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        if current is not None and (row := self.model.row_of(current)) >= 0:
            index = self.model.index(row)
            chooser.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.list.scrollTo(index)

    def chosen_ids(self) -> list[int]:
        return self.list.selected_ids()

    def _show_in_timeline(self) -> None:
        current = self.list.currentIndex()
        if current.isValid():
            self.show_in_timeline_requested.emit(int(current.data(ID_ROLE)))

    def _add_chosen(self) -> None:
        ids = self.chosen_ids()
        if ids and self._can_add:
            self.add_requested.emit(ids)

    def _update_button(self, *_args: object) -> None:
        self.add_button.setEnabled(self._can_add and bool(self.list.selected_ids()))
