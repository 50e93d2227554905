"""The Timeline page: every entry in time order, grouped by day, with filters.

The list is a QTableView over :class:`TimelineModel` (ids only; rows read as they are
painted). Each day's header row spans the table and cannot be selected, so arrow keys,
Page Up/Down, Home and End move from entry to entry; a band pinned to the top of the
list names the day being scrolled through. Filters: free text and person (applied
~150 ms after the last key), kind, and a date range whose ends are switched on with
their check boxes. Locking (the session detaching) empties the list, every cache and the
filters, so nothing of the evidence stays on screen.

Several entries can be selected (Shift/Ctrl+click, Shift+arrows, Ctrl+A); the detail
pane shows the current one and the counts say how many. Their menu (right button, Menu
key, Shift+F10) is :mod:`timeline_actions`. A column's title sorts (SQLite does it, see
:func:`~nco_desktop.timeline.paging.build_index`); Ctrl+G goes to a typed date.

The page asks its :class:`VaultSession` for the vault each time and reads again only
while it is visible (or when it is next shown), so a change saved elsewhere costs
nothing while another view is open.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeySequence, QPalette, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.timeline.paging import SortColumn, TimelineIndex, TimelineSort, dated_span
from nco_desktop.timeline.query import TimelineQuery
from nco_desktop.ui.common.jobs import Job, run_job, vault_is_large
from nco_desktop.ui.common.session import Change, VaultSession, follow_session
from nco_desktop.ui.timeline.timeline_actions import TimelineActions
from nco_desktop.ui.timeline.timeline_filters import FilterBar, JumpBar
from nco_desktop.ui.timeline.timeline_model import (
    TimelineModel,
    read_timeline,
)
from nco_desktop.ui.timeline.timeline_view import (
    PinnedDayBand,
    TimelineView,
)
from nco_desktop.ui.timeline.timeline_words import counts_text, empty_text
from nco_desktop.vault import Vault

DEBOUNCE_MS = 150


class TimelinePage(QWidget):
    entry_selected = Signal(object)  # int | None: the current entry id
    counts_changed = Signal(int, int)  # shown, total
    selection_counted = Signal(int)  # how many entries are selected
    person_requested = Signal(object)  # PersonDraft: Create person… (the workspace opens People)
    search_words_changed = Signal(list)  # list[str]: the words searched for, to mark

    #: Entries, incidents, notes (searched) and people and orders (names, flags).
    SHOWS = Change.ENTRIES | Change.NOTES | Change.INCIDENTS | Change.PEOPLE | Change.ORDERS

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._selected_id: int | None = None
        self._query_job: Job | None = None
        self._query_serial = 0  # the newest query asked for; older results are dropped
        self._go_to_list_when_read = False
        self._selected_count = 0
        self._said = ""  # what the last action did, shown after the counts
        self._jump_when_read: date | None = None  # go there once the rows are read
        self._show_when_read: int | None = None  # select it once the rows are read
        self.model = TimelineModel(self)
        self.entry_actions = TimelineActions(self, self)
        self._build()
        self._lay_out()
        self._connect()
        self._loaded()

    def _build(self) -> None:
        """The filters, the list and the empty-state words."""
        self.filters = FilterBar(self)
        bar = self.filters  # the page's filter widgets are the bar's (tests, benchmark)
        self.text_field, self.kind_box = bar.text_field, bar.kind_box
        self.party_field = bar.party_field
        self.since_check, self.since_edit = bar.since_check, bar.since_edit
        self.until_check, self.until_edit = bar.until_check, bar.until_edit
        self.clear_button = bar.clear_button
        self.jump_bar = JumpBar(self)
        self.counts_label = QLabel(self)
        self.counts_label.setAccessibleName(self.tr("Entries shown"))

        self.view = TimelineView(self.model, self)
        self.pinned = PinnedDayBand(self.view.viewport())

        self.empty_label = QLabel(self)
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setMargin(24)
        self.empty_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

    def _lay_out(self) -> None:
        """The filters, the go-to-date bar when open, the counts, then the list (or
        the words shown instead)."""
        self._stack = QStackedLayout()
        self._stack.addWidget(self.view)
        self._stack.addWidget(self.empty_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 0)
        layout.setSpacing(6)
        layout.addWidget(self.filters)
        layout.addWidget(self.jump_bar)
        layout.addWidget(self.counts_label)
        layout.addLayout(self._stack, 1)

    def _connect(self) -> None:
        """Filters apply as they change (typed words after a pause); the session says when
        to read and when to forget."""
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)
        self._debounce.timeout.connect(self._apply_filters)
        self.filters.typed.connect(self._debounce.start)
        self.filters.changed.connect(self._apply_filters)
        self.filters.submitted.connect(self._filter_now_and_go_to_list)
        self.clear_button.clicked.connect(self.clear_filters)
        self.filters.jump_button.clicked.connect(self.open_jump_bar)
        self.jump_bar.jump_requested.connect(self.jump_to_date)
        self.jump_bar.closed.connect(self.focus_list)
        jump = QShortcut(QKeySequence("Ctrl+G"), self)
        jump.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        jump.activated.connect(self.open_jump_bar)
        self.view.sort_chosen.connect(self._sort_chosen)
        self.view.menu_requested.connect(
            lambda pos: self.entry_actions.show_menu(self.view.viewport().mapToGlobal(pos))
        )
        self.view.selectionModel().selectionChanged.connect(self._selection_changed)
        self.view.selectionModel().currentRowChanged.connect(self._current_changed)
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
        self._jump_when_read = None
        self._show_when_read = None
        self._said = ""
        self._reset_filter_widgets()
        self.jump_bar.field.clear()
        self.jump_bar.hide()
        self.view.show_sort(TimelineSort())
        self.model.set_timeline_sort(TimelineSort(), load=False)
        self._selected_id = None
        if self.model.vault is not None:  # opening after a lock: already empty
            self.model.set_vault(None)
        self.entry_selected.emit(None)
        self.search_words_changed.emit([])  # the words typed go with the rest

    def refresh(self) -> None:
        """Run the current query again; the selected entries stay selected if shown."""
        if self._vault is not None:
            self.filters.follow_span(*dated_span(self._vault.conn, self._vault.time_zone))
        self._apply_filters()

    def focus_list(self) -> None:
        """The keyboard on the list, or on the search field while there is no list."""
        shown = self._stack.currentWidget() is self.view
        (self.view if shown else self.text_field).setFocus(Qt.FocusReason.OtherFocusReason)

    def focus_filter(self) -> None:
        self.text_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.text_field.selectAll()

    def selected_entry_id(self) -> int | None:
        """The current entry: the one the detail pane shows, also among several."""
        return self._selected_id

    def selected_entry_ids(self) -> list[int]:
        """Every selected entry, in list order, read from the selection's ranges (a
        Ctrl+A over a million rows is one range, not a million indexes)."""
        found: list[int] = []
        for top, bottom in sorted(self._selected_ranges()):
            found.extend(self.model.ids_in_rows(top, bottom))
        return list(dict.fromkeys(found))

    def _selected_ranges(self) -> list[tuple[int, int]]:
        selection = self.view.selectionModel().selection()
        parts = (selection.at(n) for n in range(selection.count()))
        return [(part.top(), part.bottom()) for part in parts]

    def selected_times(self, limit: int) -> list[str]:
        """The full date and time of the selected entries (at most *limit*)."""
        return self.model.full_times(self.selected_entry_ids()[:limit])

    def say(self, text: str) -> None:
        """What an action did, after the counts until the list is read again."""
        self._said = text
        self._show_counts()

    def search_words(self) -> list[str]:
        query = self.model.query()
        return [w for w in (query.text, query.party, query.words) if w]

    # ----- "show in timeline", go to date -----------------------------------------------

    def show_days(self, since: date, until: date) -> None:
        """Only *since* … *until*, whole days (other filters off): the patterns' days."""
        self._debounce.stop()
        self.jump_bar.hide()
        self.filters.show_days(since, until)

    def show_entry(self, entry_id: int) -> bool:
        """Select *entry_id* and scroll to it, clearing the filters if they hide it
        (an exhibit's or incident's evidence). False: it is not in the vault."""
        if self._vault is None:
            return False
        self.jump_bar.hide()
        if self.model.row_of_entry(entry_id) is None and self.filters_active():
            self._show_when_read = entry_id
            self.clear_filters()
            if self._query_job is not None:
                return True  # selected when the job's rows arrive (see _after_read)
            self._show_when_read = None
        row = self.model.row_of_entry(entry_id)
        if row is None:
            return False
        self._select_row(row)
        self.view.scrollTo(self.model.index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def open_jump_bar(self) -> None:
        if self._vault is not None:
            self.jump_bar.open_bar(self._vault.time_zone)

    def jump_to_date(self, day: date) -> bool:
        """Scroll to *day* (or the nearest later day shown), filters untouched; in a
        list sorted by kind or person, back to time order first (days have no place
        there). False: no dated entry is shown."""
        if self._vault is None:
            return False
        if not self.model.timeline_sort.by_day:
            self.view.show_sort(TimelineSort())
            self.model.set_timeline_sort(TimelineSort(), load=False)
            self._jump_when_read = day
            self._apply_filters()
            return self._jump_when_read is None
        group = self.model.timeline_index.group_on_or_after(day)
        if group is None:
            self.say(self.tr("No entry shown has a known date."))
            return False
        header = self.model.header_rows()[group]
        self.view.scrollTo(self.model.index(header, 0), QAbstractItemView.ScrollHint.PositionAtTop)
        self._select_row(header + 1, scroll=False)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # ----- sorting ----------------------------------------------------------------------

    def sort_by(self, column: SortColumn, *, descending: bool = False) -> None:
        """As clicking a column's title does (for the window's menus and tests)."""
        self.view.choose_sort(TimelineSort(column, descending))

    def _sort_chosen(self, sort: TimelineSort) -> None:
        if sort != self.model.timeline_sort:
            self.model.set_timeline_sort(sort, load=False)
            self._apply_filters()

    # ----- filters ----------------------------------------------------------------------

    def clear_filters(self) -> None:
        self._debounce.stop()
        self._reset_filter_widgets()
        self._apply_filters()

    def filters_active(self) -> bool:
        return self.filters.active()

    def _query(self) -> TimelineQuery:
        return self.filters.query(None if self._vault is None else self._vault.time_zone)

    def _apply_filters(self) -> None:
        self._debounce.stop()
        self._said = ""
        if self._vault is None:
            self._loaded()
            return
        vault = self._vault
        top_id = self._top_entry_id()
        query = self._query()
        sort = self.model.timeline_sort
        self._query_serial += 1
        if not vault_is_large(vault):  # the model reads it here, in less than a frame
            self._query_job = None
            if self.model.vault is not vault:
                self.model.set_vault(vault, query)
            else:
                self.model.set_query(query)
            self._after_read(top_id)
            return
        if self.model.vault is not vault:
            self.model.set_vault(vault, query, load=False)
        if self._query_job is not None:
            self._query_job.cancel(interrupt=True)  # out of date: stop its SQL too
        serial = self._query_serial
        self.counts_label.setText(self.tr("Searching…"))
        self._query_job = run_job(
            self.session,
            lambda own, _progress, _cancel: read_timeline(own, query, sort),
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
        self._after_read(top_id)
        if self._go_to_list_when_read:
            self._go_to_list_when_read = False
            self._go_to_list()

    def _after_read(self, top_id: int | None) -> None:
        if self._jump_when_read is not None:
            day, self._jump_when_read = self._jump_when_read, None
            self.jump_to_date(day)
        elif self._show_when_read is not None:
            entry_id, self._show_when_read = self._show_when_read, None
            self.show_entry(entry_id)
        else:
            self._restore_position(top_id)
        self.search_words_changed.emit(self.search_words())

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

    def _reset_filter_widgets(self) -> None:
        first = last = None
        if self._vault is not None:
            first, last = dated_span(self._vault.conn, self._vault.time_zone)
        self.filters.reset(first, last)

    # ----- after each query -----------------------------------------------------------------

    def _loaded(self) -> None:
        self.view.clearSpans()
        for row in self.model.header_rows():
            self.view.setSpan(row, 0, 1, self.model.columnCount())
        shown, total = self.model.shown_count, self.model.total_count
        self._selected_count = 0
        self._show_counts()
        self.clear_button.setEnabled(self._vault is not None and self.filters_active())
        self.filters.jump_button.setEnabled(self._vault is not None and shown > 0)
        if shown:
            self._stack.setCurrentWidget(self.view)
        else:
            self.empty_label.setText("" if self._vault is None else empty_text(total))
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

    def _show_counts(self) -> None:
        if self._vault is None:
            self.counts_label.setText("")
            return
        self.counts_label.setText(
            counts_text(
                self.locale(),
                self.model.shown_count,
                self.model.total_count,
                filtered=self.filters_active(),
                selected=self._selected_count,
                said=self._said,
            )
        )

    def _top_entry_id(self) -> int | None:
        row = self.view.rowAt(0)
        if row < 0:
            return None
        return self.model.entry_id(row) or self.model.entry_id(row + 1)

    def _restore_position(self, top_id: int | None) -> None:
        """Keep the current entry current, and the list where it was, if still shown."""
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

    def _select_row(self, row: int, *, scroll: bool = True) -> None:
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        if scroll:
            self.view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        """Count the selection by its ranges (cheap at any size) and follow the current
        row; with nothing selected, no entry is current."""
        selection = self.view.selectionModel()
        count = 0
        for top, bottom in self._selected_ranges():
            count += len(self.model.timeline_index.ids_in_rows(top, bottom))
        if count != self._selected_count:
            self._selected_count = count
            self._show_counts()
            self.selection_counted.emit(count)
        if count == 0:
            self._follow(None)
        else:
            current = selection.currentIndex()
            if current.isValid() and selection.isRowSelected(current.row()):
                self._follow(self.model.entry_id(current.row()))
            else:
                first = self.selected_entry_ids()[:1]
                self._follow(first[0] if first else None)

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.pinned.keep_clear(self.view, current)
        if current.isValid() and self.view.selectionModel().isRowSelected(current.row()):
            self._follow(self.model.entry_id(current.row()))

    def _follow(self, entry_id: int | None) -> None:
        if entry_id != self._selected_id:
            self._selected_id = entry_id
            self.entry_selected.emit(entry_id)

    def _update_pinned_day(self) -> None:
        self.pinned.follow(self.view, self.model)

    # ----- Qt events -------------------------------------------------------------------------

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.PaletteChange:
            self.filters.fill_kind_box()
            self.model.forget_pictures()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._update_pinned_day()
