"""The unlocked vault: navigation on the left, the chosen view on the right.

The views, in the order a case is put together: Timeline (with the detail pane beside
it), Patterns, Incidents, People & orders, Exhibits and Binder. Each view is given the
window's :class:`VaultSession` and learns from it alone when a vault opens, what
changed, and when to save and let go (locking); the workspace only lays them out.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.ui.binder.binder_page import BinderPage
from nco_desktop.ui.common import thumbnail_upgrade
from nco_desktop.ui.common.entry_mime import entry_ids_from_mime
from nco_desktop.ui.common.icons import icon
from nco_desktop.ui.common.session import Change, VaultSession
from nco_desktop.ui.detail.conversation_view import mark_search_words
from nco_desktop.ui.detail.detail_pane import DetailPane
from nco_desktop.ui.exhibits.exhibits_page import ExhibitsPage
from nco_desktop.ui.incidents.incidents_page import IncidentsPage
from nco_desktop.ui.patterns.patterns_page import PatternsPage
from nco_desktop.ui.people.people_page import PERSON, PeoplePage
from nco_desktop.ui.shell.case_banner import CaseBanner
from nco_desktop.ui.timeline.timeline_actions import PersonDraft
from nco_desktop.ui.timeline.timeline_page import TimelinePage


class NavigationList(QListWidget):
    """The list of views, spring-loaded for a drag of entries.

    Holding a dragged entry over Incidents or Exhibits opens that view after a moment,
    so the entry can be dropped into an exhibit or an incident's evidence: the timeline
    and those views never share the screen. The list itself takes no drop.
    """

    HOVER_MS = 600  # long enough not to open views the pointer merely crosses

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.spring_rows: frozenset[int] = frozenset()
        self._hover_row = -1
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.HOVER_MS)
        self._timer.timeout.connect(self._open_hovered)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if entry_ids_from_mime(event.mimeData()):
            event.accept()  # to follow the pointer; dragMoveEvent refuses the drop
            self._hover(self.indexAt(event.position().toPoint()).row())
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        self._hover(self.indexAt(event.position().toPoint()).row())
        event.ignore()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._hover(-1)
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:
        self._hover(-1)
        event.ignore()

    def _hover(self, row: int) -> None:
        if row == self._hover_row:
            return
        self._hover_row = row
        if row in self.spring_rows and row != self.currentRow():
            self._timer.start()
        else:
            self._timer.stop()

    def _open_hovered(self) -> None:
        if self._hover_row in self.spring_rows:
            self.setCurrentRow(self._hover_row)


class PageStack(QStackedWidget):
    """The views, one at a time, asking only for the room the one shown needs.

    A plain stack asks for the largest minimum of all its views, so the widest view
    would make every other one scroll sideways on a small screen.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def minimumSizeHint(self) -> QSize:
        page = self.currentWidget()
        if page is None:
            return super().minimumSizeHint()
        return page.minimumSizeHint().expandedTo(page.minimumSize())

    def sizeHint(self) -> QSize:
        page = self.currentWidget()
        return super().sizeHint() if page is None else page.sizeHint()

    def heightForWidth(self, width: int) -> int:
        """None: the scroll area would otherwise make room for the tallest view's
        wrapped text at its preferred size; each view shrinks to its own minimum."""
        return -1


class Workspace(QWidget):
    TIMELINE, PATTERNS, INCIDENTS, PEOPLE, EXHIBITS, BINDER = range(6)

    #: What the banner counts: hearings and expiries of orders, and flagged contacts.
    BANNER_SHOWS = Change.ORDERS | Change.PEOPLE | Change.ENTRIES

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        self.nav = NavigationList(self)
        self.nav.spring_rows = frozenset({self.INCIDENTS, self.EXHIBITS})
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(self.tr("Sections"))
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFrameShape(QFrame.Shape.NoFrame)
        self._nav_icons = [
            "nav-timeline",
            "nav-patterns",
            "nav-incidents",
            "nav-people",
            "nav-exhibits",
            "nav-binder",
        ]
        names = [
            self.tr("Timeline"),
            self.tr("Patterns"),
            self.tr("Incidents"),
            self.tr("People & orders"),
            self.tr("Exhibits"),
            self.tr("Binder"),
        ]
        # As wide as the longest name needs (icon, padding and the item's margins in the
        # style sheet), no wider: every pixel here is one the views lack at 960 wide.
        widest = max(self.nav.fontMetrics().horizontalAdvance(name) for name in names)
        self.nav.setFixedWidth(min(190, widest + 22 + 48))
        for icon_name, name in zip(self._nav_icons, names, strict=True):
            item = QListWidgetItem(icon(icon_name), name)
            item.setSizeHint(QSize(self.nav.width() - 10, 40))
            self.nav.addItem(item)
        layout.addWidget(self.nav)

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        self.banner = CaseBanner(self)
        self.pages = PageStack(self)
        # A small screen (960 × 540 is 1920 × 1080 at 200 %) or large text: the view
        # shown scrolls rather than being cut off or pushing the window off the screen.
        self.pages_scroll = QScrollArea(self)
        self.pages_scroll.setWidgetResizable(True)
        self.pages_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.pages_scroll.setWidget(self.pages)
        right.addWidget(self.banner)
        right.addWidget(self.pages_scroll, 1)
        layout.addLayout(right, 1)

        self.timeline = TimelinePage(session, self)
        self.detail = DetailPane(session, self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.timeline)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.detail.setMinimumWidth(290)  # the two fit beside the navigation at 960 wide
        self.splitter.setSizes([640, 460])  # kept in proportion as the window resizes
        self.pages.addWidget(self.splitter)
        self.timeline.entry_selected.connect(self.detail.follow_selection)
        self.patterns = PatternsPage(session, self)
        self.pages.addWidget(self.patterns)
        self.incidents = IncidentsPage(session, self)
        self.pages.addWidget(self.incidents)
        self.people = PeoplePage(session, self)
        self.pages.addWidget(self.people)
        self.exhibits = ExhibitsPage(session, self)
        self.pages.addWidget(self.exhibits)
        self.binder = BinderPage(session, self)
        self.pages.addWidget(self.binder)
        self.binder.built_pages.connect(self.exhibits.set_built_pages)
        self.detail.note_saved.connect(lambda _id: session.notify(Change.NOTES, self.detail))
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self._route_between_views()
        self.nav.setCurrentRow(self.TIMELINE)
        session.opened.connect(self._opened)
        thumbnail_upgrade.follow(session)  # old JPEG thumbnails made again as pixels
        session.detached.connect(self._refresh_banner)
        session.changed.connect(self._changed)

    def _route_between_views(self) -> None:
        """Views do not import each other: what one asks of another comes through here."""
        self.timeline.search_words_changed.connect(
            lambda words: mark_search_words(self.detail, words)
        )
        self.timeline.person_requested.connect(self.create_person)
        self.patterns.show_days_requested.connect(self.show_days_in_timeline)
        self.incidents.show_in_timeline_requested.connect(self.show_in_timeline)
        self.exhibits.evidence.show_in_timeline_requested.connect(self.show_in_timeline)

    def show_in_timeline(self, entry_id: int) -> None:
        self.nav.setCurrentRow(self.TIMELINE)
        self.timeline.show_entry(entry_id)

    def show_days_in_timeline(self, since: object, until: object) -> None:
        self.nav.setCurrentRow(self.TIMELINE)
        if isinstance(since, date) and isinstance(until, date):
            self.timeline.show_days(since, until)
            self.timeline.focus_list()

    def create_person(self, draft: object) -> None:
        """People, with a new person filled in from a timeline entry (the user checks
        and saves), or the person who already has that number."""
        if not isinstance(draft, PersonDraft):
            return
        self.nav.setCurrentRow(self.PEOPLE)
        if draft.person_id is not None:
            self.people.open_record(PERSON, draft.person_id)
            return
        self.people.add_person()
        editor = self.people.person_editor
        if self.people.stack.currentWidget() is not editor:
            return  # the user kept editing someone else
        editor.name_edit.setText(draft.name)
        if editor.rows:
            editor.rows[0].set(draft.kind, draft.value)

    def _opened(self) -> None:
        self.nav.setCurrentRow(self.TIMELINE)
        self._refresh_banner()

    def focus_timeline(self) -> None:
        """Where the keyboard starts once a vault is open: on the timeline (the
        unlock screen's field that had it is gone, and a window with the focus
        nowhere takes no shortcut such as Ctrl+S)."""
        self.nav.setCurrentRow(self.TIMELINE)
        self.timeline.focus_list()

    def _changed(self, change: object, _origin: object) -> None:
        if isinstance(change, Change) and change & self.BANNER_SHOWS:
            self._refresh_banner()

    def _refresh_banner(self) -> None:
        self.banner.refresh(self.session.vault)

    def refresh_icons(self) -> None:
        self.exhibits.refresh_icons()
        for row, icon_name in enumerate(self._nav_icons):
            item = self.nav.item(row)
            if item is not None:
                item.setIcon(icon(icon_name))
