"""The Exhibits view's heading and label bar: how the binder names each exhibit.

The label style (numbers or letters) and the prefix ("Pet. Ex.") are binder choices,
saved with the others (:mod:`nco_desktop.binder.saved_options`) so that the Binder view
prints what this bar shows. The bar holds the choices as last read or saved, so the page
can tell a prefix being typed (kept on screen, the labels following each key) from the
one in the vault. Reading and saving stay with
:class:`~nco_desktop.ui.exhibits.exhibits_page.ExhibitsPage`, which owns the session;
this bar only shows the choices and says when they are typed or chosen.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from nco_desktop.binder.options import LabelStyle, exhibit_label
from nco_desktop.binder.saved_options import MAX_PREFIX_CHARS, BinderChoices
from nco_desktop.ui.common.wheel_guard import guard_wheel
from nco_desktop.ui.common.widgets import bold, plain_label, quiet


class LabelBar(QWidget):
    """The view's heading, with the label style and prefix beside it."""

    typed = Signal()  # the prefix changed as typed: relabel, but save only when left
    edited = Signal()  # a style was chosen or the prefix was left: relabel and save

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = BinderChoices()  # as last read or saved
        self._build()
        self._lay_out()
        self._connect()
        guard_wheel(self)

    def _build(self) -> None:
        self._heading = bold(QLabel(self.tr("Exhibits"), self), 1.3)
        self._intro = quiet(
            plain_label(
                self.tr(
                    "What the binder prints, in this order. Each exhibit starts with a "
                    "divider page showing its label and title."
                ),
                self,
                selectable=False,
            )
        )
        self.style_box = QComboBox(self)
        self.style_box.addItem(self.tr("Numbers: 1, 2, 3"), LabelStyle.NUMBERS)
        self.style_box.addItem(self.tr("Letters: A, B, C"), LabelStyle.LETTERS)
        self.style_box.setToolTip(self.tr("Courts differ: some want numbers, some letters"))
        self._style_label = QLabel(self.tr("La&bels"), self)
        self._style_label.setBuddy(self.style_box)
        self.prefix_edit = QLineEdit(self)
        self.prefix_edit.setMaxLength(MAX_PREFIX_CHARS)
        self.prefix_edit.setPlaceholderText(self.tr("e.g. Pet. Ex."))
        self.prefix_edit.setToolTip(
            self.tr(
                "Printed before each label: “Pet. Ex.” if you asked for the order "
                "(petitioner), “Resp. Ex.” if you are responding"
            )
        )
        self.prefix_edit.setMinimumWidth(self.fontMetrics().horizontalAdvance("Resp. Ex. ") + 24)
        self.prefix_edit.setMaximumWidth(self.fontMetrics().horizontalAdvance("M" * 12))
        self._prefix_label = QLabel(self.tr("&Prefix"), self)
        self._prefix_label.setBuddy(self.prefix_edit)

    def _lay_out(self) -> None:
        top = QHBoxLayout(self)
        top.setContentsMargins(12, 10, 12, 4)
        top.setSpacing(8)
        titles = QVBoxLayout()
        titles.setSpacing(2)
        titles.addWidget(self._heading)
        titles.addWidget(self._intro)
        top.addLayout(titles, 1)
        top.addSpacing(12)
        top.addWidget(self._style_label, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.style_box, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addSpacing(6)
        top.addWidget(self._prefix_label, 0, Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.prefix_edit, 0, Qt.AlignmentFlag.AlignVCenter)

    def _connect(self) -> None:
        self.style_box.currentIndexChanged.connect(lambda _index: self.edited.emit())
        self.prefix_edit.textChanged.connect(lambda _text: self.typed.emit())
        self.prefix_edit.editingFinished.connect(self.edited)

    # ----- showing -----------------------------------------------------------------------

    def show_choices(self, choices: BinderChoices) -> None:
        """Show *choices* as read from the vault, quietly: nothing was typed or chosen."""
        self.choices = choices
        self.style_box.blockSignals(True)
        self.style_box.setCurrentIndex(max(0, self.style_box.findData(choices.options.labels)))
        self.style_box.blockSignals(False)
        self._show_prefix(choices.options.prefix)

    def show_saved(self, choices: BinderChoices) -> None:
        """*choices* were saved: keep them, and show the prefix as saved (its spaces
        tidied) only if it differs, so the cursor stays put while the user types."""
        self.choices = choices
        if self.prefix_edit.text() != choices.options.prefix:
            self._show_prefix(choices.options.prefix)

    def clear(self) -> None:
        """Locked, or another vault opened: forget the prefix and the choices read."""
        self.prefix_edit.blockSignals(True)
        self.prefix_edit.clear()
        self.prefix_edit.blockSignals(False)
        self.choices = BinderChoices()

    def set_enabled(self, enabled: bool) -> None:
        """The style and prefix only; the heading keeps its colour when locked."""
        self.style_box.setEnabled(enabled)
        self.prefix_edit.setEnabled(enabled)

    def focus_order(self) -> list[QWidget]:
        """What Tab goes through here, in order (the page chains the panes)."""
        return [self.style_box, self.prefix_edit]

    def _show_prefix(self, prefix: str) -> None:
        self.prefix_edit.blockSignals(True)
        self.prefix_edit.setText(prefix)
        self.prefix_edit.blockSignals(False)

    # ----- reading -----------------------------------------------------------------------

    def label(self, index: int) -> str:
        """The label of the exhibit at *index*, with the style and prefix as shown now
        (typed but not yet saved too), so the list's labels follow each key."""
        style = self.style_box.currentData() or LabelStyle.NUMBERS
        prefix = " ".join(self.prefix_edit.text().split())
        return f"{prefix} {exhibit_label(index, LabelStyle(style))}".strip()

    def prefix_dirty(self) -> bool:
        """A prefix typed that is not the one saved (spaces aside)."""
        typed = " ".join(self.prefix_edit.text().split())
        return typed != self.choices.options.prefix

    def applied_to(self, current: BinderChoices) -> BinderChoices:
        """*current* (the binder's choices as in the vault now) with this bar's style and
        prefix, so saving them does not undo a choice made in the Binder view."""
        options = dataclasses.replace(
            current.options,
            labels=LabelStyle(self.style_box.currentData()),
            prefix=self.prefix_edit.text(),
        )
        return dataclasses.replace(current, options=options)
