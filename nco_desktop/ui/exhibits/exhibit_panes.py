"""The Exhibits view's two working columns, as widgets: the exhibits, and the open one.

:class:`~nco_desktop.ui.exhibits.exhibits_page.ExhibitsPage` connects every button, list
and field to what it does, and decides what is enabled and shown; these classes say
what is on screen and in which order, with the words, tooltips and accessible names a
person reads, and how the page's decisions look (which buttons are enabled, which
centre page is shown, what the status line says).
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

from nco_desktop.binder.exhibits import MAX_DESCRIPTION_CHARS, MAX_TITLE_CHARS
from nco_desktop.ui.common import prompts
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
_DESCRIPTION_WARN_AT = MAX_DESCRIPTION_CHARS - 300  # show how much room is left from here


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
        self._build()
        self._lay_out()

    def _build(self) -> None:
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

    def _lay_out(self) -> None:
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

    def focus_order(self) -> list[QWidget]:
        """What Tab goes through here, in order (the page chains the panes)."""
        return [
            self.exhibit_list,
            self.new_button,
            self.suggest_button,
            self.up_button,
            self.down_button,
            self.remove_button,
        ]

    def show_row(self, row: int) -> None:
        """Make *row* current and scroll to it (-1: none). The page guards against this
        being read as the user choosing another exhibit."""
        if row < 0:
            self.exhibit_list.selectionModel().clear()
        else:
            index = self.exhibit_model.index(row, 0)
            self.exhibit_list.setCurrentIndex(index)
            self.exhibit_list.scrollTo(index)

    def update_enabled(self, *, unlocked: bool, row: int, count: int) -> None:
        """The buttons for *count* exhibits with the one at *row* open (-1: none)."""
        for widget in (self.new_button, self.suggest_button, self.exhibit_list):
            widget.setEnabled(unlocked)
        is_open = unlocked and row >= 0
        self.up_button.setEnabled(is_open and row > 0)
        self.down_button.setEnabled(is_open and row < count - 1)
        self.remove_button.setEnabled(is_open)


class ExhibitEditor(QWidget):
    """The open exhibit: label, title, description and items; or, with none open, a
    page that says what to do. *open_exhibit* tells which exhibit is open, so a drag of
    its items is read as a reorder of this exhibit and no other."""

    def __init__(
        self, open_exhibit: Callable[[], int | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._open_exhibit = open_exhibit
        self._build()
        self._lay_out()
        self._connect()

    def _build(self) -> None:
        self.label_heading = bold(QLabel(self), 1.2)
        self.label_heading.setTextFormat(Qt.TextFormat.PlainText)
        self.title_edit = QLineEdit(self)
        self.title_edit.setMaxLength(MAX_TITLE_CHARS)
        self.title_edit.setPlaceholderText(self.tr("e.g. Text messages from Jordan, Nov 2–20"))
        self._title_label = QLabel(self.tr("&Title"), self)
        self._title_label.setBuddy(self.title_edit)
        self.description_edit = QPlainTextEdit(self)
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setPlaceholderText(
            self.tr("What these show and how you saved them (optional)")
        )
        self.description_edit.setAccessibleName(self.tr("Description"))
        line = self.description_edit.fontMetrics().lineSpacing()
        self.description_edit.setFixedHeight(line * 3 + 14)
        self._description_label = QLabel(self.tr("&Description, printed on the divider page"), self)
        self._description_label.setBuddy(self.description_edit)
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
        self.shared_warning = QLabel(self)  # evidence also in another exhibit (ExhibitChecks)
        self.shared_warning.setObjectName("warningBox")
        self.shared_warning.setWordWrap(True)
        self.shared_warning.setTextFormat(Qt.TextFormat.PlainText)
        self.shared_warning.hide()
        self._items_heading = bold(QLabel(self.tr("&Items, in the order they are printed"), self))
        self.items_count = quiet(QLabel(self))
        self._build_items()
        self._build_empty_page()
        self.stack = QStackedWidget(self)
        self.status = plain_label("", self, selectable=False)
        self.status.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)

    def _build_items(self) -> None:
        self.item_model = EntryListModel(EXHIBIT_ITEMS_MIME, self)
        self.item_list = IdListView(
            own_reader=lambda data: own_items_from_mime(data, self._open_exhibit()), parent=self
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
        self._items_heading.setBuddy(self.item_list)
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

    def _build_empty_page(self) -> None:
        self.empty_page = QWidget(self)
        self.empty_text = plain_label("", self.empty_page, selectable=False)
        self.empty_text.setMaximumWidth(560)
        self.empty_suggest_button = QPushButton(self.tr("Suggest exhibits"), self.empty_page)
        self.empty_new_button = QPushButton(self.tr("New exhibit"), self.empty_page)
        self.empty_buttons = QWidget(self.empty_page)

    def _lay_out(self) -> None:
        editor = QWidget(self)
        editor_box = QVBoxLayout(editor)
        editor_box.setContentsMargins(0, 0, 0, 0)
        editor_box.setSpacing(4)
        editor_box.addWidget(self.label_heading)
        editor_box.addWidget(self._title_label)
        editor_box.addWidget(self.title_edit)
        editor_box.addSpacing(4)
        editor_box.addWidget(self._description_label)
        editor_box.addWidget(self.description_edit)
        editor_box.addWidget(self.room_label)
        editor_box.addSpacing(4)
        editor_box.addWidget(self.empty_warning)
        editor_box.addWidget(self.shared_warning)
        items_row = QHBoxLayout()
        items_row.addWidget(self._items_heading)
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

        empty_buttons = QHBoxLayout()
        empty_buttons.addWidget(self.empty_suggest_button)
        empty_buttons.addWidget(self.empty_new_button)
        empty_buttons.addStretch(1)
        self.empty_buttons.setLayout(empty_buttons)
        empty_buttons.setContentsMargins(0, 0, 0, 0)
        empty_box = QVBoxLayout(self.empty_page)
        empty_box.setContentsMargins(0, 12, 0, 0)
        empty_box.setSpacing(12)
        empty_box.addWidget(self.empty_text)
        empty_box.addWidget(self.empty_buttons)
        empty_box.addStretch(1)

        self.stack.addWidget(self.empty_page)
        self.stack.addWidget(editor)
        centre_box = QVBoxLayout(self)
        centre_box.setContentsMargins(6, 6, 6, 12)
        centre_box.setSpacing(6)
        centre_box.addWidget(self.stack, 1)
        centre_box.addWidget(self.status)

    def _connect(self) -> None:
        self.title_edit.textEdited.connect(lambda _text: self.show_room())
        self.description_edit.textChanged.connect(self.show_room)

    def focus_order(self) -> list[QWidget]:
        """What Tab goes through here, in order (the page chains the panes): the empty
        page's buttons first, since only one of the two pages is shown at a time."""
        return [
            self.empty_suggest_button,
            self.empty_new_button,
            self.title_edit,
            self.description_edit,
            self.item_list,
            self.add_button,
            self.take_out_button,
            self.item_up_button,
            self.item_down_button,
        ]

    # ----- the title and description -------------------------------------------------

    def show_text(self, title: str, description: str) -> None:
        """Show a title and description as read, quietly: nothing was typed."""
        for widget in (self.title_edit, self.description_edit):
            widget.blockSignals(True)
        self.title_edit.setText(title)
        self.description_edit.setPlainText(description)
        for widget in (self.title_edit, self.description_edit):
            widget.blockSignals(False)
        self.show_room()

    def typed_text(self) -> tuple[str, str]:
        """The title and description as they are on screen now."""
        return self.title_edit.text(), self.description_edit.toPlainText()

    def show_room(self) -> None:
        """Near the description's limit, say how much of it is used, so the last words
        typed are not cut off unnoticed."""
        length = len(self.description_edit.toPlainText())
        if length >= _DESCRIPTION_WARN_AT:
            self.room_label.setText(
                self.tr("%1 of %2 characters")
                .replace("%1", f"{length:,}")
                .replace("%2", f"{MAX_DESCRIPTION_CHARS:,}")
            )
            self.room_label.show()
        else:
            self.room_label.hide()

    # ----- state ---------------------------------------------------------------------

    def show_state(
        self, *, unlocked: bool, has_exhibits: bool, is_open: bool, no_items: bool
    ) -> None:
        """The open exhibit, or with none open a page that says what to do next; and the
        warning that an open exhibit has nothing in it yet."""
        self.stack.setCurrentIndex(1 if is_open else 0)
        if not unlocked:
            self.empty_text.setText("")
        elif not has_exhibits:
            self.empty_text.setText(
                self.tr(
                    "No exhibits chosen yet. Without them, the binder groups all your "
                    "evidence by itself: one exhibit per person and kind. To choose and "
                    "order them yourself, start from suggestions or make a new exhibit."
                )
            )
        else:
            self.empty_text.setText(self.tr("Choose an exhibit on the left."))
        self.empty_buttons.setVisible(unlocked and not has_exhibits)
        self.empty_warning.setVisible(is_open and no_items)

    def update_enabled(self, *, is_open: bool) -> None:
        """Fields and item buttons, for whether an exhibit is open and which items are
        chosen (moving needs two items at least)."""
        chosen = bool(self.item_list.selectedIndexes())
        count = self.item_model.rowCount()
        editing: tuple[QWidget, ...] = (
            self.title_edit,
            self.description_edit,
            self.add_button,
            self.item_list,
        )
        for widget in editing:
            widget.setEnabled(is_open)
        self.take_out_button.setEnabled(is_open and chosen)
        self.item_up_button.setEnabled(is_open and chosen and count > 1)
        self.item_down_button.setEnabled(is_open and chosen and count > 1)

    def say(self, text: str, *, problem: bool = False) -> None:
        """Say what a change did on the status line; a *problem* in the style sheet's
        red, bold "errorText", so a change that was not saved is not missed."""
        self.status.setObjectName("errorText" if problem else "")
        self.status.style().unpolish(self.status)
        self.status.style().polish(self.status)
        self.status.setText(text)

    def say_not_saved(self, error: Exception, *, words: bool = False) -> None:
        """Say why a change was not saved; with *words*, that the typed words are kept."""
        text = self.tr("Not saved: %1").replace("%1", prompts.explain(error))
        self.say(
            text + (" " + self.tr("Your words are still here.") if words else ""), problem=True
        )
