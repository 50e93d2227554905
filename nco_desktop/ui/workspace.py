"""The unlocked vault: navigation on the left, the chosen view on the right.

The views, in the order a case is put together: Timeline (with the detail pane beside
it), Patterns, Incidents, People & orders, Exhibits and Binder. The workspace passes the
window's contract on to each of them: a vault (None when locking), "read again" after
a change elsewhere, "save what is being typed", and "stop background work".
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.ui.binder_page import BinderPage
from nco_desktop.ui.case_banner import CaseBanner
from nco_desktop.ui.detail_pane import DetailPane
from nco_desktop.ui.exhibit_mime import entry_ids_from_mime
from nco_desktop.ui.exhibits_page import ExhibitsPage
from nco_desktop.ui.icons import icon
from nco_desktop.ui.incidents_page import IncidentsPage
from nco_desktop.ui.patterns_page import PatternsPage
from nco_desktop.ui.people_page import PeoplePage
from nco_desktop.ui.timeline_page import TimelinePage
from nco_desktop.vault import Vault


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


class Workspace(QWidget):
    TIMELINE, PATTERNS, INCIDENTS, PEOPLE, EXHIBITS, BINDER = range(6)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)

        self.nav = NavigationList(self)
        self.nav.spring_rows = frozenset({self.INCIDENTS, self.EXHIBITS})
        self.nav.setObjectName("navigation")
        self.nav.setAccessibleName(self.tr("Sections"))
        self.nav.setIconSize(QSize(22, 22))
        self.nav.setFrameShape(QFrame.Shape.NoFrame)
        self.nav.setFixedWidth(190)
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
        for icon_name, name in zip(self._nav_icons, names, strict=True):
            item = QListWidgetItem(icon(icon_name), name)
            item.setSizeHint(QSize(180, 40))
            self.nav.addItem(item)
        layout.addWidget(self.nav)

        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.setSpacing(0)
        self.banner = CaseBanner(self)
        self.pages = QStackedWidget(self)
        right.addWidget(self.banner)
        right.addWidget(self.pages, 1)
        layout.addLayout(right, 1)

        self.timeline = TimelinePage(self)
        self.detail = DetailPane(self)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.timeline)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self.detail.setMinimumWidth(340)
        self.splitter.setSizes([640, 460])  # kept in proportion as the window resizes
        self.pages.addWidget(self.splitter)
        self.timeline.entry_selected.connect(self.detail.show_entry)
        self.patterns = PatternsPage(self)
        self.pages.addWidget(self.patterns)
        self.incidents = IncidentsPage(self)
        self.pages.addWidget(self.incidents)
        self.people = PeoplePage(self)
        self.pages.addWidget(self.people)
        self.exhibits = ExhibitsPage(self)
        self.pages.addWidget(self.exhibits)
        self.binder = BinderPage(self)
        self.pages.addWidget(self.binder)
        # Labels and prefix are binder choices shown on both pages; exhibits are what
        # the binder prints: a save on one page is read again by the other.
        self.exhibits.changed.connect(self.binder.refresh)
        self.binder.changed.connect(self.exhibits.refresh)
        self.nav.currentRowChanged.connect(self.pages.setCurrentIndex)
        self.nav.setCurrentRow(self.TIMELINE)

    def set_vault(self, vault: Vault | None) -> None:
        self.detail.set_vault(vault)
        self.timeline.set_vault(vault)
        self.patterns.set_vault(vault)
        self.people.set_vault(vault)
        self.incidents.set_vault(vault)
        self.exhibits.set_vault(vault)
        self.binder.set_vault(vault)
        self.banner.refresh(vault)
        if vault is not None:
            self.nav.setCurrentRow(self.TIMELINE)

    def refresh_after_change(self, vault: Vault) -> None:
        """New evidence or case records: every view that counts or lists them again."""
        self.timeline.refresh()
        self.patterns.set_vault(vault)
        self.people.refresh()
        self.exhibits.refresh()
        self.binder.refresh()
        self.banner.refresh(vault)

    def stop_work(self) -> None:
        """Stop a binder build, save or print and wait for its vault connection to close
        (before locking: no worker may hold the key afterwards)."""
        self.binder.cancel_and_wait()

    def commit_pending_edits(self) -> None:
        """Save what the user is typing anywhere (before locking)."""
        self.detail.commit_pending_edits()
        self.people.commit_pending_edits()
        self.incidents.commit_pending_edits()
        self.exhibits.commit_pending_edits()
        self.binder.commit_pending_edits()

    def refresh_icons(self) -> None:
        self.exhibits.refresh_icons()
        for row, icon_name in enumerate(self._nav_icons):
            item = self.nav.item(row)
            if item is not None:
                item.setIcon(icon(icon_name))
