"""The Incidents view: the user's own log, in time order, and the editor for one incident.

Every save is one audited transaction (:func:`~nco_desktop.case.incidents.add_incident`
or :func:`~nco_desktop.case.incident_edits.update_incident`), links included. Unsaved
edits are saved when the user moves to another incident or starts a new one, and when
the window calls :meth:`IncidentsPage.commit_pending_edits` before it locks; words are
never dropped silently — a new incident without a summary is saved with a stand-in
summary rather than lost. A vault opening or the session detaching empties every widget.

The form is :mod:`~nco_desktop.ui.incidents.incident_editor`; the list's rows are
:mod:`~nco_desktop.ui.incidents.incident_rows`.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.case.incident_edits import (
    delete_incident,
    entry_views,
    get_incident,
    update_incident,
)
from nco_desktop.case.incidents import Incident, add_incident, list_incidents
from nco_desktop.timekeeping import to_ms
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.entry_mime import entry_ids_from_mime
from nco_desktop.ui.common.evidence_picker import ID_ROLE, EvidencePicker
from nco_desktop.ui.common.icons import ICON_SIZE, icon
from nco_desktop.ui.common.session import Change, VaultSession, follow_session
from nco_desktop.ui.common.widgets import shorten
from nco_desktop.ui.incidents.incident_editor import IncidentEditor
from nco_desktop.ui.incidents.incident_rows import IncidentRowDelegate, incident_item
from nco_desktop.vault import Vault


class IncidentsPage(QWidget):
    changed = Signal()  # an incident was added, edited or re-linked: refresh the timeline
    show_in_timeline_requested = Signal(int)  # a linked entry's id (the workspace routes it)

    #: Incidents, and the evidence and people their lines name.
    SHOWS = Change.INCIDENTS | Change.ENTRIES | Change.PEOPLE

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._editing_id: int | None = None  # None with the editor shown: a new incident
        self._incidents: list[Incident] = []
        self._empty_said = False
        self._build()
        self._lay_out()
        self._connect()
        self._reset()
        self._refresher = follow_session(
            self,
            session,
            shows=self.SHOWS,
            reload=self.refresh,
            reset=self._reset,
            save=self.commit_pending_edits,
            saved=self.changed,
            saved_change=Change.INCIDENTS,
        )

    def _build(self) -> None:
        # Made in the order Tab goes through them (Qt's focus chain is creation order):
        # the list, the form in its scroll area, then Discard and Save below it.
        self._heading = QLabel(self.tr("Your in&cidents"), self)
        font = self._heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        self._heading.setFont(font)
        self.new_button = QPushButton(self.tr("&New incident"), self)
        self.new_button.setToolTip(self.tr("Write down something that happened"))
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Incidents, in time order"))
        self.list.setItemDelegate(IncidentRowDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._heading.setBuddy(self.list)
        self.count_label = QLabel(self)
        self.count_label.setProperty("quiet", True)

        self.editor = IncidentEditor()
        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.setWidget(self.editor)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setContentsMargins(16, 12, 16, 0)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.save_button = QPushButton(icon("save"), self.tr("Save"), self)
        self.save_button.setIconSize(ICON_SIZE)
        self.save_button.setAccessibleName(self.tr("Save the incident"))
        self.save_button.setDefault(False)
        self.discard_button = QPushButton(self.tr("D&iscard changes"), self)
        self.delete_button = QPushButton(self.tr("Delete incident…"), self)
        self.delete_button.setToolTip(
            self.tr("Remove this incident from your log (its linked evidence stays)")
        )
        self._save_action = QAction(self.tr("Save the incident"), self)
        self._save_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        self._save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self._save_action)
        self.save_button.setToolTip(
            self.tr("Save this incident (%1)").replace(
                "%1",
                self._save_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
            )
        )

        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMargin(24)
        self.empty.setProperty("quiet", True)
        self.empty.setAcceptDrops(True)  # entries dragged here start an incident with them
        self.right = QStackedWidget(self)

    def _lay_out(self) -> None:
        left = QWidget(self)
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(12, 12, 6, 12)
        top = QHBoxLayout()
        top.addWidget(self._heading, 1)
        top.addWidget(self.new_button)
        left_box.addLayout(top)
        left_box.addWidget(self.list, 1)
        left_box.addWidget(self.count_label)

        bar = QHBoxLayout()
        bar.setContentsMargins(16, 8, 16, 10)
        bar.addWidget(self.delete_button)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.discard_button)
        bar.addWidget(self.save_button)
        editor_page = QWidget(self)
        editor_box = QVBoxLayout(editor_page)
        editor_box.setContentsMargins(0, 0, 0, 0)
        editor_box.setSpacing(0)
        editor_box.addWidget(self.title)
        editor_box.addWidget(self._scroll, 1)
        rule = QFrame(editor_page)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet("color: palette(mid);")
        editor_box.addWidget(rule)
        editor_box.addLayout(bar)
        self.right.addWidget(self.empty)
        self.right.addWidget(editor_page)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(self.right)
        splitter.setChildrenCollapsible(False)
        left.setMinimumWidth(260)
        self.right.setMinimumWidth(520)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 670])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def _connect(self) -> None:
        self.new_button.clicked.connect(self.new_incident)
        self.list.currentItemChanged.connect(self._current_changed)
        self.editor.edited.connect(self._edited)
        self.editor.link_requested.connect(self.pick_evidence)
        self.editor.entries_dropped.connect(self._entries_dropped)
        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discard)
        self.delete_button.clicked.connect(self.delete_incident)
        self._save_action.triggered.connect(self.save)
        self.empty.installEventFilter(self)  # entries dropped here: see eventFilter
        # A linked item's menu (right button, Menu key): see it among the rest.
        show = QAction(self.tr("Show in timeline"), self.editor.linked_list)
        show.triggered.connect(self._show_linked_in_timeline)
        self.editor.linked_list.addAction(show)
        self.editor.linked_list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

    def _show_linked_in_timeline(self) -> None:
        item = self.editor.linked_list.currentItem()
        entry_id = None if item is None else item.data(ID_ROLE)
        if isinstance(entry_id, int):
            self.show_in_timeline_requested.emit(entry_id)

    # ----- the contract ----------------------------------------------------------------

    @property
    def _vault(self) -> Vault | None:
        return self.session.vault

    def refresh(self) -> None:
        """Read the list again (evidence counts, names); the incident being edited stays."""
        if self._vault is not None:
            self._reload_list()

    def _reset(self) -> None:
        """A vault opened, or the session detached (locked): every widget is emptied;
        an open vault's incidents are read when the page is shown."""
        vault = self._vault
        self._editing_id = None
        self.editor.clear()
        self._say("")
        self.title.clear()
        self._incidents = []
        self.list.blockSignals(True)  # a removed current row must not open the next one
        self.list.clear()
        self.list.blockSignals(False)
        self.count_label.clear()
        self.new_button.setEnabled(vault is not None)
        if vault is not None:
            self.editor.set_zone(vault.time_zone)
        self._show_empty()

    def commit_pending_edits(self) -> bool:
        """Save the incident being edited, if it changed; False if it could not be."""
        if self._vault is None or self.right.currentIndex() != 1 or not self.editor.is_dirty():
            return True
        if self._editing_id is None and not self.editor.has_words():
            return True  # a new incident nobody wrote anything in
        return self._save(explicit=False)

    # ----- actions ---------------------------------------------------------------------

    def new_incident(self) -> None:
        if self._vault is None or not self.commit_pending_edits():
            return
        self._editing_id = None
        self._select(None)
        self.editor.load(None, [], to_ms(datetime.now(UTC)))
        self.title.setText(self.tr("New incident"))
        self._say(self.tr("Not saved yet."))
        self._show_editor()
        self.editor.start_edit.setFocus()

    def open_incident(self, incident_id: int) -> bool:
        """Select and show *incident_id* (after saving the current one)."""
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == incident_id:
                self.list.setCurrentRow(row)
                return self._editing_id == incident_id
        return False

    def save(self) -> bool:
        return self._save(explicit=True)

    def discard(self) -> None:
        if self.editor.is_dirty() and not prompts.confirm(
            self,
            self.tr("Discard your changes?"),
            self.tr("What you changed in this incident since it was last saved will be lost."),
            yes=self.tr("Discard changes"),
            no=self.tr("Keep editing"),
        ):
            return
        if self._editing_id is None:
            self.editor.clear()
            self._show_empty()
        else:
            self._load(self._editing_id)

    def delete_incident(self) -> bool:
        """Delete the incident being edited, after a question whose default keeps it."""
        vault, incident_id = self._vault, self._editing_id
        if vault is None or incident_id is None:
            return False
        if not prompts.confirm(
            self,
            self.tr("Delete this incident?"),
            self.tr(
                "“%1” will be removed from your log and from the binder's chronology. "
                "The evidence linked to it stays in the vault. This cannot be undone."
            ).replace("%1", shorten(self.editor.form_incident().summary, 70)),
            yes=self.tr("Delete incident"),
            no=self.tr("Keep it"),
        ):
            return False
        try:
            delete_incident(vault, incident_id)
        except Exception as exc:
            self._say_problem(self.tr("Not deleted: %1").replace("%1", prompts.explain(exc)))
            return False
        self._editing_id = None
        self.editor.clear()
        self.delete_button.setEnabled(False)
        self._reload_list()
        self._show_empty()
        self.changed.emit()
        return True

    def link_entries(self, entry_ids: list[int]) -> int:
        """Add these entries to the incident's evidence (saved with the incident)."""
        if self._vault is None or self.right.currentIndex() != 1:
            return 0
        added = self.editor.add_links(entry_views(self._vault.conn, entry_ids))
        if added:
            self._say(self.tr("Linked evidence is kept when you save the incident."))
        return added

    def _entries_dropped(self, entry_ids: list[int]) -> None:
        if not self.link_entries(entry_ids):
            self._say(
                self.tr(
                    "Nothing new to link: those entries are linked already, or are "
                    "incidents themselves."
                )
            )

    def unlink_entries(self, entry_ids: list[int]) -> int:
        return self.editor.remove_links(entry_ids)

    def pick_evidence(self) -> None:
        """The keyboard and mouse route to :meth:`link_entries`."""
        if self._vault is None:
            return
        form = self.editor.form_incident()
        picker = EvidencePicker(
            self._vault.conn,
            self._vault.time_zone,
            exclude=self.editor.linked_ids(),
            near_ms=form.occurred_ms,
            parent=self,
        )
        try:
            if picker.exec() == QDialog.DialogCode.Accepted and self._vault is not None:
                self.link_entries(picker.chosen_ids())
        finally:
            picker.stop()
            picker.deleteLater()

    # ----- internals -------------------------------------------------------------------

    def _save(self, *, explicit: bool) -> bool:
        vault = self._vault
        if vault is None:
            return True
        unread = self.editor.check_dates()  # a date that does not read is never saved
        if unread:
            self._say_problem(self.tr("Not saved: %1").replace("%1", unread))
            return False
        incident = self.editor.form_incident()
        if not incident.summary:
            if explicit:
                self._say_problem(
                    self.tr("Add a one-line summary, so the incident can be found in the list.")
                )
                self.editor.summary_edit.setFocus()
                return False
            first = incident.what_happened.splitlines()[0] if incident.what_happened else ""
            stand_in = shorten(first, 80) or self.tr("Incident (no summary yet)")
            self.editor.summary_edit.setText(stand_in)
            incident = self.editor.form_incident()
        links = list(self.editor.linked_ids())
        try:
            if self._editing_id is None:
                saved_id = add_incident(vault, incident, links)
            else:
                saved_id = self._editing_id
                update_incident(vault, saved_id, incident, links)
        except Exception as exc:  # a full disk, a removed entry: say so, keep the words
            self._say_problem(
                self.tr("Not saved: %1 Your words are still here.").replace(
                    "%1", prompts.explain(exc)
                )
            )
            return False
        self._editing_id = saved_id
        self._reload_list()
        self._load(saved_id)
        self._say(self.tr("Saved."))
        self.changed.emit()
        return True

    def _reload_list(self) -> None:
        vault = self._vault
        assert vault is not None
        self._incidents = list_incidents(vault.conn)
        self.list.blockSignals(True)
        self.list.clear()
        for incident in self._incidents:
            item = incident_item(incident, vault)
            self.list.addItem(item)
            if incident.id == self._editing_id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self.count_label.setText(self.tr("Incidents: %1").replace("%1", str(len(self._incidents))))
        if self.right.currentIndex() == 0 and not self._empty_said:
            self._show_empty()  # "no incidents yet" was said before the list was read

    def _current_changed(
        self, current: QListWidgetItem | None, previous: QListWidgetItem | None
    ) -> None:
        if current is None:
            return
        incident_id = int(current.data(ID_ROLE))
        if incident_id == self._editing_id and self.right.currentIndex() == 1:
            return
        if not self.commit_pending_edits():
            self._select(self._editing_id)  # stay with the words that could not be saved
            return
        self._select(incident_id)  # saving rebuilt the list
        self._load(incident_id)

    def _select(self, incident_id: int | None) -> None:
        self.list.blockSignals(True)
        self.list.setCurrentRow(-1)
        self.list.clearSelection()
        for row in range(self.list.count()):
            if self.list.item(row).data(ID_ROLE) == incident_id:
                self.list.setCurrentRow(row)
        self.list.blockSignals(False)

    def _load(self, incident_id: int) -> None:
        vault = self._vault
        assert vault is not None
        try:
            incident = get_incident(vault.conn, incident_id)
        except LookupError:
            self._reload_list()
            self._show_empty(self.tr("That incident is no longer in the vault."))
            return
        self._editing_id = incident_id
        linked = entry_views(vault.conn, incident.evidence_entry_ids)
        self.editor.load(incident, linked, to_ms(datetime.now(UTC)))
        self.title.setText(self.tr("Incident: %1").replace("%1", shorten(incident.summary, 70)))
        self.status.clear()
        self._show_editor()

    def _edited(self) -> None:
        dirty = self.editor.is_dirty()
        self.save_button.setEnabled(dirty or self._editing_id is None)
        self.discard_button.setEnabled(dirty or self._editing_id is None)
        self.delete_button.setEnabled(self._editing_id is not None)
        if dirty:
            self._say(self.tr("Unsaved changes."))

    def _say(self, text: str, *, problem: bool = False) -> None:
        # "errorText" is the application style sheet's red, bold line.
        self.status.setObjectName("errorText" if problem else "")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(text)

    def _say_problem(self, text: str) -> None:
        self._say(text, problem=True)

    def _show_editor(self) -> None:
        self.right.setCurrentIndex(1)
        self._save_action.setEnabled(True)  # Ctrl+S: with nothing open, the window says why
        self._edited()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.empty and isinstance(event, QDropEvent):
            # Enter, move and drop: entries from the timeline start a new incident.
            ids = entry_ids_from_mime(event.mimeData()) if self._vault is not None else None
            if not ids:
                event.ignore()
                return True
            event.setDropAction(Qt.DropAction.CopyAction)
            event.accept()
            if event.type() == QEvent.Type.Drop:
                self.new_incident()
                self._entries_dropped(ids)
            return True
        return super().eventFilter(watched, event)

    def _show_empty(self, text: str | None = None) -> None:
        self.right.setCurrentIndex(0)
        self._save_action.setEnabled(False)
        self._empty_said = bool(text)  # a sentence of its own: kept when the list reloads
        if self._vault is None:
            self.empty.setText("")
        elif text:
            self.empty.setText(text)
        elif self._incidents:
            self.empty.setText(
                self.tr(
                    "Choose an incident on the left, or start a new one — also by dragging "
                    "evidence here from the timeline."
                )
            )
        else:
            self.empty.setText(
                self.tr(
                    "No incidents yet. Each time something happens — a call, a message, "
                    "being followed — write it down with “New incident”: when, where, what "
                    "happened and who saw it. Dated notes made at the time help a judge see "
                    "the pattern.\n\nYou can also drag evidence here from the timeline to "
                    "start an incident with it."
                )
            )
