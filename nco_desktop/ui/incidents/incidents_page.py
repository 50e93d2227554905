"""The Incidents view: the user's own log, in time order, and the editor for one incident.

Every save is one audited transaction (:func:`~nco_desktop.case.incidents.add_incident`
or :func:`~nco_desktop.case.incident_edits.update_incident`), links included. Unsaved
edits are saved when the user moves to another incident or starts a new one, and when
the window calls :meth:`IncidentsPage.commit_pending_edits` before it locks; words are
never dropped silently — a new incident without a summary is saved with a stand-in
summary rather than lost. ``set_vault(None)`` empties every widget.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPointF,
    QRectF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QColor,
    QDropEvent,
    QFont,
    QKeySequence,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
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
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.case.incident_edits import entry_views, get_incident, update_incident
from nco_desktop.case.incidents import Incident, add_incident, list_incidents
from nco_desktop.evidence.records import TimePrecision
from nco_desktop.timekeeping import from_ms, to_ms
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.entry_mime import entry_ids_from_mime
from nco_desktop.ui.common.evidence_picker import ID_ROLE, EvidencePicker
from nco_desktop.ui.common.icons import ICON_SIZE, icon
from nco_desktop.ui.common.session import Change, RefreshWhenShown, VaultSession
from nco_desktop.ui.common.widgets import short_time, shorten
from nco_desktop.ui.incidents.incident_editor import IncidentEditor, category_label
from nco_desktop.vault import Vault

LINES_ROLE = Qt.ItemDataRole.UserRole + 1  # (date, category, summary, linked count)


def incident_when(incident: Incident, vault: Vault) -> tuple[str, str]:
    """The list's date line, and a note for the kind line when the time is not exact."""
    if incident.occurred_ms is None:
        return QCoreApplication.translate("IncidentsPage", "Date not known"), ""
    moment = from_ms(incident.occurred_ms).astimezone(vault.time_zone)
    if incident.time_precision is TimePrecision.DAY:
        note = QCoreApplication.translate("IncidentsPage", "time approximate")
        return f"{moment:%a %b} {moment.day}, {moment.year}", note
    return short_time(moment), ""


class IncidentRowDelegate(QStyledItemDelegate):
    """Three lines per incident — date, kind, summary — and a paperclip with the count."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        line = option.fontMetrics.lineSpacing()
        return QSize(200, line * 3 + 18)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        lines = index.data(LINES_ROLE)
        if not lines:
            super().paint(painter, option, index)
            return
        when, kind, summary, count = lines
        painter.save()
        style = option.widget.style() if option.widget else None
        if style is not None:
            style.drawPrimitive(QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = option.palette.color(role)
        soft = option.palette.color(
            QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.PlaceholderText
        )
        rect = option.rect.adjusted(10, 6, -10, -6)
        line = option.fontMetrics.lineSpacing()
        clip_width = 48 if count else 0
        bold = QFont(option.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(colour)
        top = QRectF(rect.x(), rect.y(), rect.width() - clip_width, line)
        painter.drawText(top, Qt.AlignmentFlag.AlignLeft, _elide(painter, when, top.width()))
        painter.setFont(option.font)
        painter.setPen(soft)
        middle = top.translated(0, line)
        painter.drawText(middle, Qt.AlignmentFlag.AlignLeft, _elide(painter, kind, middle.width()))
        painter.setPen(colour)
        bottom = QRectF(rect.x(), rect.y() + 2 * line, rect.width(), line)
        painter.drawText(
            bottom, Qt.AlignmentFlag.AlignLeft, _elide(painter, summary, bottom.width())
        )
        if count:
            _paperclip(painter, QRectF(rect.right() - 44, rect.y(), 44, line), count, colour)
        painter.restore()


def _elide(painter: QPainter, text: str, width: float) -> str:
    return painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, int(width))


def _paperclip(painter: QPainter, box: QRectF, count: int, colour: QColor) -> None:
    """A paperclip drawn in the text colour (so it reads in light and dark), then the count."""
    h = box.height() * 1.1
    w = h * 0.42
    x, y = box.x() + 4, box.y() + (box.height() - h) / 2
    path = QPainterPath()  # inner leg, bottom turn, outer leg, top turn, middle leg
    path.moveTo(x + w * 0.62, y + h * 0.32)
    path.lineTo(x + w * 0.62, y + h * 0.70)
    path.arcTo(QRectF(x + w * 0.22, y + h * 0.58, w * 0.40, w * 0.40), 0, -180)
    path.lineTo(x + w * 0.22, y + h * 0.18)
    path.arcTo(QRectF(x + w * 0.22, y, w * 0.62, w * 0.62), 180, -180)
    path.lineTo(x + w * 0.84, y + h * 0.80)
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(
        QPen(colour, 1.5, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    )
    centre = QPointF(x + w / 2, y + h / 2)
    painter.translate(centre)
    painter.rotate(35)
    painter.translate(-centre)
    painter.drawPath(path)
    painter.restore()
    text_box = QRectF(x + w + 6, box.y(), box.width() - w - 10, box.height())
    painter.drawText(
        text_box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(count)
    )


class IncidentsPage(QWidget):
    changed = Signal()  # an incident was added, edited or re-linked: refresh the timeline

    #: Incidents, and the evidence and people their lines name.
    SHOWS = Change.INCIDENTS | Change.ENTRIES | Change.PEOPLE

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._editing_id: int | None = None  # None with the editor shown: a new incident
        self._incidents: list[Incident] = []

        left = QWidget(self)
        left_box = QVBoxLayout(left)
        left_box.setContentsMargins(12, 12, 6, 12)
        heading = QLabel(self.tr("Your in&cidents"), left)
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        heading.setFont(font)
        self.new_button = QPushButton(self.tr("&New incident"), left)
        self.new_button.setToolTip(self.tr("Write down something that happened"))
        self.new_button.clicked.connect(self.new_incident)
        self.list = QListWidget(left)
        self.list.setAccessibleName(self.tr("Incidents, in time order"))
        self.list.setItemDelegate(IncidentRowDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.currentItemChanged.connect(self._current_changed)
        heading.setBuddy(self.list)
        self.count_label = QLabel(left)
        self.count_label.setProperty("quiet", True)
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.new_button)
        left_box.addLayout(top)
        left_box.addWidget(self.list, 1)
        left_box.addWidget(self.count_label)

        self.editor = IncidentEditor()
        self.editor.edited.connect(self._edited)
        self.editor.link_requested.connect(self.pick_evidence)
        self.editor.entries_dropped.connect(self._entries_dropped)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.editor)
        self.title = QLabel(self)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.15)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.save_button = QPushButton(icon("save"), self.tr("Save"), self)
        self.save_button.setIconSize(ICON_SIZE)
        self.save_button.setAccessibleName(self.tr("Save the incident"))
        self.save_button.setDefault(False)
        self.save_button.clicked.connect(self.save)
        self.discard_button = QPushButton(self.tr("D&iscard changes"), self)
        self.discard_button.clicked.connect(self.discard)
        save = QAction(self.tr("Save the incident"), self)
        save.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        save.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        save.triggered.connect(self.save)
        self.addAction(save)
        self.save_button.setToolTip(
            self.tr("Save this incident (%1)").replace(
                "%1", save.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        bar = QHBoxLayout()
        bar.setContentsMargins(16, 8, 16, 10)
        bar.addWidget(self.status, 1)
        bar.addWidget(self.discard_button)
        bar.addWidget(self.save_button)
        editor_page = QWidget(self)
        editor_box = QVBoxLayout(editor_page)
        editor_box.setContentsMargins(0, 0, 0, 0)
        editor_box.setSpacing(0)
        self.title.setContentsMargins(16, 12, 16, 0)
        editor_box.addWidget(self.title)
        editor_box.addWidget(scroll, 1)
        rule = QFrame(editor_page)
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setStyleSheet("color: palette(mid);")
        editor_box.addWidget(rule)
        editor_box.addLayout(bar)

        self.empty = QLabel(self)
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setMargin(24)
        self.empty.setProperty("quiet", True)
        self.empty.setAcceptDrops(True)  # entries dragged here start an incident with them
        self.empty.installEventFilter(self)
        self.right = QStackedWidget(self)
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
        self._reset()
        self.changed.connect(lambda: session.notify(Change.INCIDENTS, self))
        session.about_to_lock.connect(self.commit_pending_edits)
        session.opened.connect(self._reset)
        session.detached.connect(self._reset)
        self._refresher = RefreshWhenShown(self, session, self.SHOWS, self.refresh)

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
            when, note = incident_when(incident, vault)
            kind = category_label(incident.category) + (f" · {note}" if note else "")
            count = len(incident.evidence_entry_ids)
            item = QListWidgetItem(f"{when}\n{kind}\n{incident.summary}")
            item.setData(ID_ROLE, incident.id)
            item.setData(LINES_ROLE, (when, kind, incident.summary, count))
            item.setToolTip(
                "\n".join((when, kind, incident.summary))
                + ("\n" + self.tr("Evidence linked: %1").replace("%1", str(count)) if count else "")
            )
            self.list.addItem(item)
            if incident.id == self._editing_id:
                self.list.setCurrentItem(item)
        self.list.blockSignals(False)
        self.count_label.setText(self.tr("Incidents: %1").replace("%1", str(len(self._incidents))))

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
