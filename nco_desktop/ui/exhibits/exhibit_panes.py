"""The Exhibits view's two working columns, as widgets: the exhibits, and the open one.

Layout only. :class:`~nco_desktop.ui.exhibits.exhibits_page.ExhibitsPage` connects every
button, list and field to what it does, and decides what is enabled and shown; these
classes say what is on screen and in which order, with the words, tooltips and
accessible names a person reads.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.binder.exhibits import MAX_TITLE_CHARS
from nco_desktop.ui.common.widgets import bold, plain_label, quiet
from nco_desktop.ui.exhibits.exhibit_lists import EntryRowDelegate, ExhibitRowDelegate, IdListView
from nco_desktop.ui.exhibits.exhibit_models import (
    EXHIBIT_ITEMS_MIME,
    EntryListModel,
    ExhibitListModel,
    exhibit_ids_from_mime,
    own_items_from_mime,
)

MOVE_UP_KEYS = QKeySequence("Alt+Up")
MOVE_DOWN_KEYS = QKeySequence("Alt+Down")


def _keys(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def _arrow(parent: QWidget, arrow: Qt.ArrowType, name: str, keys: QKeySequence) -> QToolButton:
    """An icon-only move button: named for screen readers, its key in the tooltip."""
    button = QToolButton(parent)
    button.setArrowType(arrow)
    button.setAccessibleName(name)
    button.setToolTip(f"{name} ({_keys(keys)})")
    button.setAutoRaise(False)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return button


class ExhibitColumn(QWidget):
    """The exhibits in binder order, and the buttons that make, move and remove them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.exhibit_model = ExhibitListModel(self)
        self.exhibit_list = IdListView(
            own_reader=exhibit_ids_from_mime, drop_on_rows=True, parent=self
        )
        self.exhibit_list.setModel(self.exhibit_model)
        self.exhibit_list.setItemDelegate(ExhibitRowDelegate(self.exhibit_list))
        self.exhibit_list.setAccessibleName(self.tr("Exhibits, in binder order"))
        self.exhibit_list.setToolTip(
            self.tr("Drag to change the order, or use %1 and %2. Drop evidence on an exhibit.")
            .replace("%1", _keys(MOVE_UP_KEYS))
            .replace("%2", _keys(MOVE_DOWN_KEYS))
        )
        self.new_button = QPushButton(self.tr("&New exhibit"), self)
        self.new_button.setToolTip(self.tr("Start an empty exhibit at the end of the list"))
        self.suggest_button = QPushButton(self.tr("&Suggest exhibits…"), self)
        self.suggest_button.setToolTip(
            self.tr(
                "Group all the evidence by person and kind, as the binder does by itself: "
                "a start you can change"
            )
        )
        self.up_button = _arrow(
            self, Qt.ArrowType.UpArrow, self.tr("Move exhibit up"), MOVE_UP_KEYS
        )
        self.down_button = _arrow(
            self, Qt.ArrowType.DownArrow, self.tr("Move exhibit down"), MOVE_DOWN_KEYS
        )
        self.remove_button = QPushButton(self.tr("&Remove exhibit…"), self)
        self.remove_button.setToolTip(
            self.tr("Take this exhibit out of the binder; its evidence stays in the vault (Delete)")
        )
        first_row = QHBoxLayout()
        first_row.setSpacing(6)
        first_row.addWidget(self.new_button)
        first_row.addWidget(self.suggest_button)
        second_row = QHBoxLayout()
        second_row.setSpacing(6)
        second_row.addWidget(self.up_button)
        second_row.addWidget(self.down_button)
        second_row.addStretch(1)
        second_row.addWidget(self.remove_button)
        left_box = QVBoxLayout(self)
        left_box.setContentsMargins(12, 6, 6, 12)
        left_box.setSpacing(6)
        left_box.addWidget(self.exhibit_list, 1)
        left_box.addLayout(first_row)
        left_box.addLayout(second_row)


class ExhibitEditor(QWidget):
    """The open exhibit: label, title, description and items; or, with none open, a
    page that says what to do. *open_exhibit* tells which exhibit is open, so a drag of
    its items is read as a reorder of this exhibit and no other."""

    def __init__(
        self, open_exhibit: Callable[[], int | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.label_heading = bold(QLabel(self), 1.2)
        self.label_heading.setTextFormat(Qt.TextFormat.PlainText)
        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(MAX_TITLE_CHARS)
        self.title_edit.setPlaceholderText(self.tr("e.g. Text messages from Jordan, Nov 2–20"))
        title_label = QLabel(self.tr("&Title"), self)
        title_label.setBuddy(self.title_edit)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText(
            self.tr("What these show and how you saved them (optional)")
        )
        self.description_edit.setAccessibleName(self.tr("Description"))
        line = self.description_edit.fontMetrics().lineSpacing()
        self.description_edit.setFixedHeight(line * 3 + 14)
        description_label = QLabel(self.tr("&Description, printed on the divider page"), self)
        description_label.setBuddy(self.description_edit)
        self.room_label = quiet(QLabel(self))
        self.room_label.hide()
        self.empty_warning = QLabel(self)
        self.empty_warning.setObjectName("warningBox")  # the application style sheet's box
        self.empty_warning.setWordWrap(True)
        self.empty_warning.setText(
            self.tr(
                "This exhibit has no items yet: the binder would print its divider page with "
                "nothing behind it. Drag evidence here from the list on the right, or use "
                "“Add evidence…”."
            )
        )
        self.empty_warning.hide()
        items_heading = bold(QLabel(self.tr("&Items, in the order they are printed"), self))
        self.items_count = quiet(QLabel(self))
        self.item_model = EntryListModel(EXHIBIT_ITEMS_MIME, self)
        self.item_list = IdListView(
            own_reader=lambda data: own_items_from_mime(data, open_exhibit()), parent=self
        )
        self.item_list.setModel(self.item_model)
        self.item_list.setItemDelegate(EntryRowDelegate(self.item_list))
        self.item_list.setSelectionMode(IdListView.SelectionMode.ExtendedSelection)
        self.item_list.setAccessibleName(self.tr("Items of this exhibit, in printed order"))
        self.item_list.placeholder = self.tr("Drop evidence here.")
        self.item_list.setToolTip(
            self.tr("Drag to change the order, or use %1 and %2. Delete takes items out.")
            .replace("%1", _keys(MOVE_UP_KEYS))
            .replace("%2", _keys(MOVE_DOWN_KEYS))
        )
        items_heading.setBuddy(self.item_list)
        self.add_button = QPushButton(self.tr("&Add evidence…"), self)
        self.add_button.setToolTip(self.tr("Choose evidence from the timeline to add at the end"))
        self.take_out_button = QPushButton(self.tr("Take &out"), self)
        self.take_out_button.setToolTip(
            self.tr("Take the chosen items out of this exhibit; they stay in the vault (Delete)")
        )
        self.item_up_button = _arrow(
            self, Qt.ArrowType.UpArrow, self.tr("Move items up"), MOVE_UP_KEYS
        )
        self.item_down_button = _arrow(
            self, Qt.ArrowType.DownArrow, self.tr("Move items down"), MOVE_DOWN_KEYS
        )

        editor = QWidget(self)
        editor_box = QVBoxLayout(editor)
        editor_box.setContentsMargins(0, 0, 0, 0)
        editor_box.setSpacing(4)
        editor_box.addWidget(self.label_heading)
        editor_box.addWidget(title_label)
        editor_box.addWidget(self.title_edit)
        editor_box.addSpacing(4)
        editor_box.addWidget(description_label)
        editor_box.addWidget(self.description_edit)
        editor_box.addWidget(self.room_label)
        editor_box.addSpacing(4)
        editor_box.addWidget(self.empty_warning)
        items_row = QHBoxLayout()
        items_row.addWidget(items_heading)
        items_row.addStretch(1)
        items_row.addWidget(self.items_count)
        editor_box.addLayout(items_row)
        editor_box.addWidget(self.item_list, 1)
        item_buttons = QHBoxLayout()
        item_buttons.setSpacing(6)
        item_buttons.addWidget(self.add_button)
        item_buttons.addWidget(self.take_out_button)
        item_buttons.addStretch(1)
        item_buttons.addWidget(self.item_up_button)
        item_buttons.addWidget(self.item_down_button)
        editor_box.addLayout(item_buttons)

        self.empty_page = QWidget(self)
        self.empty_text = plain_label("", self.empty_page, selectable=False)
        self.empty_text.setMaximumWidth(560)
        self.empty_suggest_button = QPushButton(self.tr("Suggest exhibits"), self.empty_page)
        self.empty_new_button = QPushButton(self.tr("New exhibit"), self.empty_page)
        empty_buttons = QHBoxLayout()
        empty_buttons.addWidget(self.empty_suggest_button)
        empty_buttons.addWidget(self.empty_new_button)
        empty_buttons.addStretch(1)
        self.empty_buttons = QWidget(self.empty_page)
        self.empty_buttons.setLayout(empty_buttons)
        empty_buttons.setContentsMargins(0, 0, 0, 0)
        empty_box = QVBoxLayout(self.empty_page)
        empty_box.setContentsMargins(0, 12, 0, 0)
        empty_box.setSpacing(12)
        empty_box.addWidget(self.empty_text)
        empty_box.addWidget(self.empty_buttons)
        empty_box.addStretch(1)

        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.empty_page)
        self.stack.addWidget(editor)
        self.status = plain_label("", self, selectable=False)
        self.status.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        centre_box = QVBoxLayout(self)
        centre_box.setContentsMargins(6, 6, 6, 12)
        centre_box.setSpacing(6)
        centre_box.addWidget(self.stack, 1)
        centre_box.addWidget(self.status)
