"""Small building blocks of the detail pane: headings, fact rows, plain text, the hash.

Every label that can hold evidence text is set to plain text: an e-mail or message
that contains ``<img src=…>`` or ``<b>`` must show those characters, never render them.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFontDatabase, QGuiApplication, QResizeEvent, QShowEvent, QTextOption
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | (
    Qt.TextInteractionFlag.TextSelectableByKeyboard
)

#: A widget property: while true, Esc in that widget takes something back, so it does
#: not count toward Quick exit's Esc-Esc gesture.
ESC_HAS_MEANING = "ncoEscHasMeaning"


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + " …"


def short_time(moment: datetime | None) -> str:
    if moment is None:
        return "time unknown"
    hour = moment.hour % 12 or 12
    return (
        f"{moment:%a %b} {moment.day}, {moment.year}, {hour}:{moment:%M} "
        f"{'AM' if moment.hour < 12 else 'PM'}"
    )


class WrappedLabel(QLabel):
    """A word-wrapped label whose preferred height is the height it needs at the width
    it has. QLabel's own hint is taken at a narrower "pleasing" width, so in a vertical
    layout each paragraph got blank lines below it."""

    _measured: tuple[int, str, int] | None = None  # (width, text, height) last measured

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        width = self.width()
        if self.wordWrap() and width > 0:
            # Layouts ask many times while a pane is built; measuring the same text at
            # the same width once is enough (a font change resizes, which re-measures).
            measured = self._measured
            if measured is None or measured[0] != width or measured[1] != self.text():
                measured = (width, self.text(), self.heightForWidth(width))
                self._measured = measured
            hint.setHeight(measured[2])
        return hint

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._measured = None  # the same words take other room in another font
        super().changeEvent(event)


def plain_label(text: str, parent: QWidget | None = None, *, selectable: bool = True) -> QLabel:
    label = WrappedLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setText(text)
    # Preferred both ways keeps the label's height-for-width: a wrapped paragraph gets
    # exactly the lines it needs at the pane's width, no more.
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
    if selectable:
        label.setTextInteractionFlags(SELECTABLE)
    return label


def quiet(label: QLabel) -> QLabel:
    """A secondary line (a note, a caption): smaller and softer than body text."""
    label.setProperty("quiet", True)
    font = label.font()
    font.setPointSizeF(max(8.0, font.pointSizeF() * 0.92))
    label.setFont(font)
    # The colour comes from the application's style sheet (QLabel[quiet="true"]), which
    # is set again for each colour scheme, so the line stays readable in light and dark.
    return label


class Section(QFrame):
    """A titled block of the pane: a heading, then rows of facts and paragraphs."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 6, 0, 6)
        self._layout.setSpacing(6)
        self._form: QFormLayout | None = None
        if title:
            heading = QLabel(title, self)
            heading.setTextFormat(Qt.TextFormat.PlainText)
            heading.setWordWrap(True)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            heading.setAccessibleName(title)
            self._layout.addWidget(heading)

    def add_fact(self, name: str, value: str) -> QLabel:
        """A 'Name: value' row; the value wraps and can be selected and copied."""
        if self._form is None:
            self._form = QFormLayout()
            self._form.setContentsMargins(0, 0, 0, 0)
            self._form.setHorizontalSpacing(10)
            self._form.setVerticalSpacing(4)
            self._form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self._form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
            self._form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
            self._layout.addLayout(self._form)
        label = quiet(QLabel(name, self))
        label.setTextFormat(Qt.TextFormat.PlainText)
        value_label = plain_label(value, self)
        value_label.setAccessibleName(name)
        self._form.addRow(label, value_label)
        return value_label

    def add_text(self, text: str, *, secondary: bool = False) -> QLabel:
        """A paragraph: evidence text (plain, selectable) or an explanatory line."""
        self._form = None  # facts after a paragraph start a new block below it
        label = plain_label(text, self)
        if secondary:
            quiet(label)
        self._layout.addWidget(label)
        return label

    def add_widget(self, widget: QWidget, stretch: int = 0) -> None:
        self._form = None
        self._layout.addWidget(widget, stretch)

    def body(self) -> QVBoxLayout:
        return self._layout


class HashField(QWidget):
    """A SHA-256 in monospace that wraps anywhere (64 characters do not fit a narrow
    pane), can be selected, and copies exactly, with no spaces or line breaks added."""

    def __init__(self, sha256: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._text = QTextEdit(self)
        self._text.setReadOnly(True)
        self._text.setAcceptRichText(False)
        self._text.setPlainText(sha256)
        self._text.setFrameShape(QFrame.Shape.NoFrame)
        self._text.setWordWrapMode(QTextOption.WrapMode.WrapAnywhere)
        self._text.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._text.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._text.setTextInteractionFlags(SELECTABLE)
        self._text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self._text.setAccessibleName(self.tr("SHA-256 fingerprint"))
        self._text.viewport().setAutoFillBackground(False)
        self._text.setStyleSheet("QTextEdit { background: transparent; }")
        self._text.document().setDocumentMargin(0)
        self._text.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._copy = QToolButton(self)
        self._copy.setText(self.tr("Copy"))
        self._copy.setAccessibleName(self.tr("Copy the SHA-256 fingerprint"))
        self._copy.setToolTip(self.tr("Copy the SHA-256 fingerprint"))
        self._copy.clicked.connect(self.copy)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addWidget(self._text, 1)
        layout.addWidget(self._copy, 0, Qt.AlignmentFlag.AlignTop)

    def text(self) -> str:
        return self._text.toPlainText()

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.text())

    def clear(self) -> None:
        self._text.clear()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_height()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit_height()

    def _fit_height(self) -> None:
        document = self._text.document()
        document.setTextWidth(max(1, self._text.viewport().width()))
        height = round(document.size().height()) + 2 * self._text.frameWidth() + 2
        if self._text.height() != height:
            self._text.setFixedHeight(height)

    def sizeHint(self) -> QSize:
        return QSize(200, self._text.height())


def bold(label: QLabel, scale: float = 1.0) -> QLabel:
    """A heading: *label* in bold, *scale* times the font's size."""
    font = label.font()
    font.setBold(True)
    font.setPointSizeF(font.pointSizeF() * scale)
    label.setFont(font)
    return label
