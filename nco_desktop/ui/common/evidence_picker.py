"""Choosing timeline entries to link to an incident: search, kind, several at once.

When the picker closes, the keyboard goes back to what opened it: a closed modal
dialog does not always make its window active again (Wayland and some window managers
leave the focus nowhere), and then Ctrl+S in the editor behind it saves nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from zoneinfo import ZoneInfo

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.evidence.records import EntryKind
from nco_desktop.timeline.evidence_search import SEARCH_LIMIT, search_evidence
from nco_desktop.timeline.query import EntryView
from nco_desktop.ui.common.widgets import short_time, shorten
from nco_desktop.vault.connection import Connection

ID_ROLE = Qt.ItemDataRole.UserRole


def entry_line(view: EntryView, zone: ZoneInfo) -> str:
    """'Mon Nov 10, 2025, 10:15 PM · Sam (+1…) · first line' for lists of evidence."""
    parts = [short_time(view.local_time(zone)), view.who(), shorten(view.summary_line(), 90)]
    return "  ·  ".join(part for part in parts if part)


def evidence_kind_box(parent: QWidget) -> QComboBox:
    """ "Everything" and each kind evidence can be; the item data is the EntryKind or
    None. Incidents are not offered: they are not evidence to link or to exhibit."""
    tr = parent.tr
    box = QComboBox(parent)
    box.setAccessibleName(tr("Kind of evidence"))
    box.addItem(tr("Everything"), None)
    for kind, words in (
        (EntryKind.MESSAGE, tr("Messages")),
        (EntryKind.CALL, tr("Calls")),
        (EntryKind.EMAIL, tr("E-mails")),
        (EntryKind.IMAGE, tr("Pictures")),
        (EntryKind.DOCUMENT, tr("Documents")),
        (EntryKind.AUDIO, tr("Recordings")),
        (EntryKind.NOTE, tr("Written notes")),
    ):
        box.addItem(words, kind)
    return box


class EvidencePicker(QDialog):
    """Choose timeline entries to link: search, a kind filter, several at once."""

    def __init__(
        self,
        conn: Connection,
        zone: ZoneInfo,
        *,
        exclude: Sequence[int] = (),
        near_ms: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._conn, self._zone, self._exclude = conn, zone, set(exclude)
        self._near_ms = near_ms
        self.setWindowTitle(self.tr("Link evidence to the incident"))
        self.resize(720, 520)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText(self.tr("Words, a name or a number"))
        self.search_edit.setAccessibleName(self.tr("Search the timeline"))
        self.search_edit.setClearButtonEnabled(True)
        self.kind_box = evidence_kind_box(self)
        self.near_box = QCheckBox(self.tr("Only from the day before to the day &after"), self)
        self.near_box.setChecked(near_ms is not None)
        self.near_box.setEnabled(near_ms is not None)
        self.list = QListWidget(self)
        self.list.setAccessibleName(self.tr("Timeline entries to choose from"))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.count_label = QLabel(self)
        self.count_label.setProperty("quiet", True)
        buttons = QDialogButtonBox(self)
        self.link_button = buttons.addButton(
            self.tr("Link chosen"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        search_label = QLabel(self.tr("&Search"), self)
        search_label.setBuddy(self.search_edit)
        kind_label = QLabel(self.tr("&Kind"), self)
        kind_label.setBuddy(self.kind_box)
        bar = QHBoxLayout()
        bar.addWidget(search_label)
        bar.addWidget(self.search_edit, 1)
        bar.addWidget(kind_label)
        bar.addWidget(self.kind_box)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.near_box)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(250)  # search after a pause in typing, not per key
        self._timer.timeout.connect(self.refresh)
        self.search_edit.textChanged.connect(self._timer.start)
        self.kind_box.currentIndexChanged.connect(self.refresh)
        self.near_box.toggled.connect(self.refresh)
        self.list.itemSelectionChanged.connect(self._update_button)
        self.list.itemDoubleClicked.connect(self.accept)
        self.refresh()

    def exec(self) -> int:
        """Show the picker until it is closed, then give the keyboard back to the
        widget that had it (or to the editor that opened the picker)."""
        opener = QApplication.focusWidget() or (self.parentWidget() or self).focusWidget()
        try:
            return super().exec()
        finally:
            give_focus_back(opener, self.parentWidget())

    def refresh(self) -> None:
        """Search again: the same rule as the Exhibits view's evidence list
        (:func:`~nco_desktop.timeline.evidence_search.search_evidence`)."""
        self._timer.stop()  # called directly, a search already waiting is not run again
        near = self._near_ms if self.near_box.isChecked() else None
        found = search_evidence(
            self._conn,
            self.search_edit.text(),
            self.kind_box.currentData(),
            exclude=self._exclude,
            near_ms=near,
        )
        self.list.clear()
        for view in found.views:
            item = QListWidgetItem(entry_line(view, self._zone))
            item.setData(ID_ROLE, view.id)
            self.list.addItem(item)
        if found.more:
            self.count_label.setText(
                self.tr("Showing the first %1; search to narrow them down.").replace(
                    "%1", str(SEARCH_LIMIT)
                )
            )
        else:
            self.count_label.setText(
                self.tr("Items shown: %1").replace("%1", str(len(found.views)))
            )
        self._update_button()

    def stop(self) -> None:
        """Forget the entries shown and stop a pending search (closing, or locking)."""
        self._timer.stop()
        self.list.clear()

    def chosen_ids(self) -> list[int]:
        return [int(item.data(ID_ROLE)) for item in self.list.selectedItems()]

    def _update_button(self) -> None:
        self.link_button.setEnabled(bool(self.list.selectedItems()))


def give_focus_back(opener: QWidget | None, fallback: QWidget | None) -> None:
    """The keyboard to *opener* if it can still take it, else to *fallback*; its
    window is made active again, where the platform allows it."""
    for widget in (opener, fallback):
        if widget is None or not shiboken6.isValid(widget):
            continue
        if widget.isVisible() and widget.isEnabled():
            widget.window().activateWindow()
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return
