"""The Timeline page: every entry in time order, grouped by day, with filters.

The list is a QTableView over :class:`TimelineModel` (ids only; rows read as they are
painted). Each day's header row spans the table and cannot be selected, so arrow keys,
Page Up/Down, Home and End move from entry to entry; a band pinned to the top of the
list names the day being scrolled through. Filters: free text and person (applied
~150 ms after the last key), kind, and a date range whose ends are switched on with
their check boxes. Locking (the session detaching) empties the list, every cache and the
filters, so nothing of the evidence stays on screen.

The page asks its :class:`VaultSession` for the vault each time and reads again only
while it is visible (or when it is next shown), so a change saved elsewhere costs
nothing while another view is open.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QDate,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.evidence.records import EntryKind
from nco_desktop.timeline.paging import TimelineIndex, dated_span, day_range_ms
from nco_desktop.timeline.query import TimelineQuery
from nco_desktop.ui.common.icons import icon
from nco_desktop.ui.common.jobs import Job, run_job, vault_is_large
from nco_desktop.ui.common.session import Change, VaultSession, follow_session
from nco_desktop.ui.timeline.timeline_model import (
    TimelineModel,
    entries_text,
    kind_name,
    read_timeline,
)
from nco_desktop.ui.timeline.timeline_view import (
    PINNED_HEIGHT,
    ROW_HEIGHT,
    PinnedDayBand,
    TimelineDelegate,
    TimelineView,
    date_format,
    qdate,
)
from nco_desktop.vault import Vault

DEBOUNCE_MS = 150


class TimelinePage(QWidget):
    entry_selected = Signal(object)  # int | None: the selected entry id
    counts_changed = Signal(int, int)  # shown, total

    #: Entries, incidents, notes (searched) and people and orders (names, flags).
    SHOWS = Change.ENTRIES | Change.NOTES | Change.INCIDENTS | Change.PEOPLE | Change.ORDERS

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._selected_id: int | None = None
        self._query_job: Job | None = None
        self._query_serial = 0  # the newest query asked for; older results are dropped
        self._go_to_list_when_read = False
        self.model = TimelineModel(self)
        self._build()
        self._lay_out()
        self._connect()
        self._loaded()

    def _build(self) -> None:
        """The filters, the list and the empty-state words."""
        self.text_field = QLineEdit(self)
        self.text_field.setPlaceholderText(
            self.tr("Search words in messages, notes and file names")
        )
        self.text_field.setAccessibleName(self.tr("Search text"))
        self.text_field.setClearButtonEnabled(True)
        self.kind_box = QComboBox(self)
        self.kind_box.setAccessibleName(self.tr("Kind of entry"))
        self.party_field = QLineEdit(self)
        self.party_field.setPlaceholderText(self.tr("Person, name or number"))
        self.party_field.setAccessibleName(self.tr("Person"))
        self.party_field.setClearButtonEnabled(True)
        self.since_check = QCheckBox(self.tr("From"), self)
        self.since_edit = self._date_edit(self.tr("From date"))
        self.until_check = QCheckBox(self.tr("To"), self)
        self.until_edit = self._date_edit(self.tr("To date"))
        self.clear_button = QPushButton(self.tr("Clear filters"), self)
        self.counts_label = QLabel(self)
        self.counts_label.setAccessibleName(self.tr("Entries shown"))
        self._fill_kind_box()

        self.view = TimelineView(self)
        self.view.setModel(self.model)
        self.view.setItemDelegate(TimelineDelegate(self.view))
        self.view.setAccessibleName(self.tr("Timeline"))
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # Drag an entry onto Exhibits or Incidents in the navigation, then into an
        # exhibit or an incident's evidence (the workspace opens the view on the way).
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.view.setTabKeyNavigation(False)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setCornerButtonEnabled(False)
        self.view.setIconSize(QSize(20, 20))
        rows = self.view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(ROW_HEIGHT)
        columns = self.view.horizontalHeader()
        columns.setHighlightSections(False)
        columns.setSectionResizeMode(TimelineModel.KIND, QHeaderView.ResizeMode.Fixed)
        columns.setSectionResizeMode(TimelineModel.WHAT, QHeaderView.ResizeMode.Stretch)
        columns.resizeSection(TimelineModel.KIND, 34)
        columns.resizeSection(TimelineModel.TIME, 96)
        columns.resizeSection(TimelineModel.PARTY, 190)
        self.pinned = PinnedDayBand(self.view.viewport())

        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setMargin(24)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

    def _lay_out(self) -> None:
        """Two rows of filters, the counts, then the list (or the words shown instead)."""
        first = QHBoxLayout()
        first.addWidget(self.text_field, 1)
        first.addWidget(self.kind_box)
        second = QHBoxLayout()
        second.addWidget(self.party_field, 1)
        second.addSpacing(6)
        second.addWidget(self.since_check)
        second.addWidget(self.since_edit)
        second.addWidget(self.until_check)
        second.addWidget(self.until_edit)
        second.addSpacing(6)
        second.addWidget(self.clear_button)
        self._stack = QStackedLayout()
        self._stack.addWidget(self.view)
        self._stack.addWidget(self.empty_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.setSpacing(6)
        layout.addLayout(first)
        layout.addLayout(second)
        layout.addWidget(self.counts_label)
        layout.addLayout(self._stack, 1)

    def _connect(self) -> None:
        """Filters apply as they change (typed words after a pause); the session says when
        to read and when to forget."""
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._apply_filters)
        self.text_field.textChanged.connect(self._debounce.start)
        self.party_field.textChanged.connect(self._debounce.start)
        self.text_field.returnPressed.connect(self._filter_now_and_go_to_list)
        self.party_field.returnPressed.connect(self._filter_now_and_go_to_list)
        self.kind_box.currentIndexChanged.connect(self._apply_filters)
        self.since_check.toggled.connect(self._apply_filters)
        self.until_check.toggled.connect(self._apply_filters)
        self.since_edit.dateChanged.connect(lambda: self._date_edited(self.since_check))
        self.until_edit.dateChanged.connect(lambda: self._date_edited(self.until_check))
        self.clear_button.clicked.connect(self.clear_filters)
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.selectionModel().currentRowChanged.connect(self._keep_clear_of_pinned_day)
        self.view.verticalScrollBar().valueChanged.connect(self._update_pinned_day)
        self.model.loaded.connect(self._loaded)
        self._refresher = follow_session(
            self, self.session, shows=self.SHOWS, reload=self.refresh, reset=self._reset
        )

    # ----- the contract with the session ------------------------------------------------

    @property
    def _vault(self) -> Vault | None:
        return self.session.vault

    def _reset(self) -> None:
        """A vault opened, or the session detached (locked): every row, cache, picture
        and filter goes, and a query still running is forgotten; an open vault's rows
        are read when the page is shown."""
        self._debounce.stop()
        self._query_serial += 1
        self._query_job = None
        self._go_to_list_when_read = False
        self._reset_filter_widgets()
        self._selected_id = None
        if self.model.vault is not None:  # opening after a lock: already empty
            self.model.set_vault(None)
        self.entry_selected.emit(None)

    def refresh(self) -> None:
        """Run the current query again; the selected entry stays selected if still shown.

        A date box that is not in use moves to the new first or last day, so ticking
        it after an import starts from the evidence, not from a stale day.
        """
        if self._vault is not None:
            first, last = dated_span(self._vault.conn, self._vault.time_zone)
            for check, edit, day in (
                (self.since_check, self.since_edit, first),
                (self.until_check, self.until_edit, last),
            ):
                if not check.isChecked() and day is not None:
                    edit.blockSignals(True)
                    edit.setDate(qdate(day))
                    edit.blockSignals(False)
        self._apply_filters()

    def focus_list(self) -> None:
        """The keyboard on the list, or on the search field while there is no list."""
        shown = self._stack.currentWidget() is self.view
        (self.view if shown else self.text_field).setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_filter(self) -> None:
        self.text_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text_field.selectAll()

    def selected_entry_id(self) -> int | None:
        return self._selected_id

    # ----- filters ----------------------------------------------------------------------

    def clear_filters(self) -> None:
        self._debounce.stop()
        self._reset_filter_widgets()
        self._apply_filters()

    def filters_active(self) -> bool:
        return bool(
            self.text_field.text().strip()
            or self.party_field.text().strip()
            or self.kind_box.currentData()
            or self.since_check.isChecked()
            or self.until_check.isChecked()
        )

    def _query(self) -> TimelineQuery:
        kind = self.kind_box.currentData()
        since = self.since_edit.date().toPython() if self.since_check.isChecked() else None
        until = self.until_edit.date().toPython() if self.until_check.isChecked() else None
        since_ms = until_ms = None
        if self._vault is not None and (since or until):
            since_ms, until_ms = day_range_ms(
                self._vault.time_zone,
                since if isinstance(since, date) else None,
                until if isinstance(until, date) else None,
            )
        return TimelineQuery(
            kinds=frozenset({EntryKind(kind)}) if kind else frozenset(),
            since_ms=since_ms,
            until_ms=until_ms,
            party=self.party_field.text().strip() or None,
            text=self.text_field.text().strip() or None,
        )

    def _apply_filters(self) -> None:
        self._debounce.stop()
        if self._vault is None:
            self._loaded()
            return
        vault = self._vault
        top_id = self._top_entry_id()
        query = self._query()
        self._query_serial += 1
        if not vault_is_large(vault):  # the model reads it here, in less than a frame
            self._query_job = None
            if self.model.vault is not vault:
                self.model.set_vault(vault, query)
            else:
                self.model.set_query(query)
            self._restore_position(top_id)
            return
        if self.model.vault is not vault:
            self.model.set_vault(vault, query, load=False)
        if self._query_job is not None:
            self._query_job.cancel(interrupt=True)  # out of date: stop its SQL too
        serial = self._query_serial
        self.counts_label.setText(self.tr("Searching…"))
        self._query_job = run_job(
            self.session,
            lambda own, _progress, _cancel: read_timeline(own, query),
            on_success=lambda found: self._query_read(serial, query, top_id, found),
        )

    def _query_read(
        self,
        serial: int,
        query: TimelineQuery,
        top_id: int | None,
        found: tuple[TimelineIndex, set[int]],
    ) -> None:
        """A job's query result: shown only if it is still the newest one asked for."""
        if serial != self._query_serial or self._vault is None:
            return
        self._query_job = None
        index, flagged = found
        self.model.show_result(query, index, flagged)
        self._restore_position(top_id)
        if self._go_to_list_when_read:
            self._go_to_list_when_read = False
            self._go_to_list()

    def _filter_now_and_go_to_list(self) -> None:
        self._apply_filters()
        if self._query_job is not None:
            self._go_to_list_when_read = True  # once the job has read the rows
            return
        self._go_to_list()

    def _go_to_list(self) -> None:
        if self.model.shown_count:
            self.view.setFocus(Qt.FocusReason.OtherFocusReason)
            if self._selected_id is None:
                self._select_row(self.model.header_rows()[0] + 1)

    def _date_edited(self, check: QCheckBox) -> None:
        if check.isChecked():
            self._apply_filters()
        else:
            check.setChecked(True)  # applies through toggled

    def _reset_filter_widgets(self) -> None:
        widgets = (
            self.text_field,
            self.party_field,
            self.kind_box,
            self.since_check,
            self.until_check,
            self.since_edit,
            self.until_edit,
        )
        for widget in widgets:
            widget.blockSignals(True)
        try:
            self.text_field.clear()
            self.party_field.clear()
            self.kind_box.setCurrentIndex(0)
            self.since_check.setChecked(False)
            self.until_check.setChecked(False)
            first, last = (None, None)
            if self._vault is not None:
                first, last = dated_span(self._vault.conn, self._vault.time_zone)
            today = QDate.currentDate()
            self.since_edit.setDate(qdate(first) if first else today)
            self.until_edit.setDate(qdate(last) if last else today)
        finally:
            for widget in widgets:
                widget.blockSignals(False)

    def _date_edit(self, accessible_name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setCalendarPopup(True)
        edit.setAccessibleName(accessible_name)
        edit.setDisplayFormat(date_format(self.locale()))
        return edit

    def _fill_kind_box(self) -> None:
        current = self.kind_box.currentIndex()
        self.kind_box.blockSignals(True)
        self.kind_box.clear()
        self.kind_box.addItem(self.tr("All kinds"), "")
        for kind in EntryKind:
            self.kind_box.addItem(icon(f"kind-{kind.value}"), kind_name(kind), kind.value)
        self.kind_box.setCurrentIndex(max(current, 0))
        self.kind_box.blockSignals(False)

    # ----- after each query -----------------------------------------------------------------

    def _loaded(self) -> None:
        self.view.clearSpans()
        for row in self.model.header_rows():
            self.view.setSpan(row, 0, 1, self.model.columnCount())
        shown, total = self.model.shown_count, self.model.total_count
        locale = self.locale()
        if self._vault is None:
            counts = ""
        elif not self.filters_active():
            counts = entries_text(total)
        elif total == 1:
            counts = self.tr("Showing %1 of 1 entry").replace("%1", locale.toString(shown))
        else:
            counts = self.tr("Showing %1 of %Ln entries", "", total).replace(
                "%1", locale.toString(shown)
            )
        self.counts_label.setText(counts)
        self.clear_button.setEnabled(self._vault is not None and self.filters_active())
        if shown:
            self._stack.setCurrentWidget(self.view)
        else:
            if self._vault is None:
                message = ""
            elif total == 0:
                message = self.tr(
                    "Nothing is in this vault yet. Import files with File ▸ Import, or drag "
                    "them onto this window."
                )
            else:
                message = self.tr("No entries match these filters.")
            self.empty_label.setText(message)
            if self.window().focusWidget() is self.view:  # hidden, it would pass it anywhere
                self.text_field.setFocus(Qt.FocusReason.OtherFocusReason)
            self._stack.setCurrentWidget(self.empty_label)
        # Lay out now rather than at the next turn of the event loop: the rows are read
        # while the page is being shown, and a list switched in by the stack has no size
        # of its own until laid out (what it paints and pins depends on that size).
        page_layout = self.layout()
        if page_layout is not None and self.isVisible():
            page_layout.activate()
        self.counts_changed.emit(shown, total)
        self._update_pinned_day()

    def _top_entry_id(self) -> int | None:
        row = self.view.rowAt(0)
        if row < 0:
            return None
        return self.model.entry_id(row) or self.model.entry_id(row + 1)

    def _restore_position(self, top_id: int | None) -> None:
        """Keep the selected entry selected, and the list where it was, if still shown."""
        top_row = None if top_id is None else self.model.row_of_entry(top_id)
        if top_row is not None:
            group_start = top_row - 1 if self.model.is_header(top_row - 1) else top_row
            self.view.scrollTo(
                self.model.index(group_start, 0), QAbstractItemView.ScrollHint.PositionAtTop
            )
        previous = self._selected_id
        row = None if previous is None else self.model.row_of_entry(previous)
        if row is None:
            self._selected_id = None
            if previous is not None:
                self.entry_selected.emit(None)
            return
        self._select_row(row)

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = self.view.selectionModel().selectedRows()
        entry_id = self.model.entry_id(rows[0].row()) if rows else None
        if entry_id != self._selected_id:
            self._selected_id = entry_id
            self.entry_selected.emit(entry_id)

    def _keep_clear_of_pinned_day(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """Moving up with the keyboard must not leave the current row under the band."""
        if not current.isValid() or not self.pinned.isVisible():
            return
        top = self.view.visualRect(current).top()
        if 0 <= top < PINNED_HEIGHT:
            bar = self.view.verticalScrollBar()
            bar.setValue(bar.value() - (PINNED_HEIGHT - top))

    def _update_pinned_day(self) -> None:
        row = self.view.rowAt(0)
        if row < 0 or not self.model.rowCount():
            self.pinned.hide()
            return
        header = row if self.model.is_header(row) else None
        if header is not None and self.view.rowViewportPosition(row) >= 0:
            self.pinned.hide()  # the real header is in view, fully
            return
        group, _position = self.model.timeline_index.locate(row)
        header_row = self.model.timeline_index.header_rows[group]
        header_index = self.model.index(header_row, 0)
        self.pinned.title = str(header_index.data(Qt.ItemDataRole.DisplayRole) or "")
        self.pinned.count = str(header_index.data(TimelineModel.HeaderCountRole) or "")
        self.pinned.setGeometry(0, 0, self.view.viewport().width(), PINNED_HEIGHT)
        self.pinned.show()
        self.pinned.raise_()
        self.pinned.update()

    # ----- Qt events -------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self._fill_kind_box()
            self.model.forget_pictures()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_pinned_day()
