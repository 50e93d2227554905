"""The text the computer read in a picture, under the picture, and the search's words
marked in it and on the picture.

What was read is never evidence (:mod:`nco_desktop.ocr.store`): it is shown as plain
text one can select and copy — to quote a threat in a letter without retyping it —
with a line saying that the picture itself is the evidence. The words the timeline
searched for are marked in the text and, as see-through boxes, on the picture, where
the reader found them.

This module also holds what every part of the detail pane that marks the search's
words shares (the pane's property, the marker colours, the marks as extra
selections), so that :mod:`.conversation_view` and this module both use it without
importing each other in a circle.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QResizeEvent, QShowEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QFrame,
    QLabel,
    QPlainTextEdit,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.ocr.store import OcrPage
from nco_desktop.ocr.words import OcrWord
from nco_desktop.timeline.search_matches import match_ranges
from nco_desktop.ui.common.widgets import plain_label, quiet
from nco_desktop.ui.detail.image_viewer import Fractions, ImageViewer

#: The dynamic property, on the detail pane, holding the words the timeline searched
#: for (list[str]); a part built later inside the pane marks them when shown.
SEARCH_WORDS = "nco_search_words"
#: The marker behind a match: the timeline list's colours (legible light and dark).
MATCH_BACKGROUND = QColor("#ffd54f")
MATCH_TEXT = QColor("#1a1a1a")
#: The text box grows with the text up to this many lines, then scrolls.
MOST_LINES = 12


# ----- shared by everything in the pane that marks the search's words -----------------


def pane_search_words(widget: QWidget) -> list[str] | None:
    """The words set on *widget*'s nearest ancestor by ``mark_search_words``."""
    parent = widget.parentWidget()
    while parent is not None:
        words = parent.property(SEARCH_WORDS)
        if isinstance(words, list):
            return [str(w) for w in words]
        parent = parent.parentWidget()
    return None


def utf16_length(text: str) -> int:
    """How long *text* is in a Qt document, where a character beyond U+FFFF (an
    emoji) takes two places: positions found in Python text are moved by this."""
    return len(text.encode("utf-16-le")) // 2


def marks_in(text: str, start: int, words: Sequence[str]) -> list[tuple[int, int]]:
    """(position, length) in the document of every place *words* appear in *text*, a
    block of the document that begins at document position *start*."""
    return [
        (start + utf16_length(text[:at]), utf16_length(text[at : at + length]))
        for at, length in match_ranges(text, words)
    ]


def marked_selections(
    edit: QTextEdit | QPlainTextEdit, found: Sequence[tuple[int, int]]
) -> list[QTextEdit.ExtraSelection]:
    """The marker over each (position, length) of *edit*'s document; the document
    itself is left alone (the text stays exactly as read or as typed)."""
    marked = QTextCharFormat()
    marked.setBackground(MATCH_BACKGROUND)
    marked.setForeground(MATCH_TEXT)
    selections = []
    for start, length in found:
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(edit.document())
        cursor.setPosition(start)
        cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor
        selection.format = marked
        selections.append(selection)
    return selections


# ----- the words of a reading, line by line -----------------------------------------------


@dataclass(frozen=True)
class ReadLine:
    """One line of a reading as shown: its text, and where each word lies in it."""

    text: str
    words: tuple[tuple[OcrWord, int, int], ...]  # (word, start, end) in ``text``


def read_lines(page: OcrPage) -> list[ReadLine]:
    """The reading's lines in the order :attr:`OcrPage.text` joins them (by line
    number, words in reading order, one space between), so a place in a line is a
    place in the text shown."""
    grouped: dict[int, list[OcrWord]] = {}
    for word in page.words:
        grouped.setdefault(word.line, []).append(word)
    lines = []
    for key in sorted(grouped):
        spans, at = [], 0
        for word in grouped[key]:
            spans.append((word, at, at + len(word.text)))
            at += len(word.text) + 1
        lines.append(ReadLine(" ".join(w.text for w in grouped[key]), tuple(spans)))
    return lines


def matched_words(lines: Sequence[ReadLine], words: Sequence[str]) -> list[OcrWord]:
    """The words whose boxes a search for *words* marks: every word a match touches,
    so "where you live" marks the three words of each line that says it."""
    found = []
    for line in lines:
        ranges = match_ranges(line.text, words)
        for word, start, end in line.words:
            if any(at < end and start < at + length for at, length in ranges):
                found.append(word)
    return found


def word_fractions(page: OcrPage, word: OcrWord) -> Fractions:
    """A word's box as fractions of the picture the reader read, so it lands on the
    same words in any rendering of that picture (thumbnail, preview, larger)."""
    width, height = max(page.width, 1), max(page.height, 1)

    def clamp(value: float) -> float:
        return min(max(value, 0.0), 1.0)

    return (
        clamp(word.left / width),
        clamp(word.top / height),
        clamp((word.left + word.width) / width),
        clamp((word.top + word.height) / height),
    )


# ----- the widget ----------------------------------------------------------------------


class ReadTextBox(QPlainTextEdit):
    """The read text: read-only, selectable and copyable, as tall as its text up to
    :data:`MOST_LINES` lines, scrolling beyond (a long chat capture has a hundred)."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setUndoRedoEnabled(False)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setTabChangesFocus(True)  # Tab leaves the box, as in the rest of the pane
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.setAccessibleName(self.tr("Text in the picture, read by the computer"))
        self.document().setDocumentMargin(6)
        self.setPlainText(text)
        self._fit_height()

    def _fit_height(self) -> None:
        """As tall as the text at the box's width; past the most lines, that many and a
        scroll bar (the bar is off while measuring, so it never narrows the text)."""
        document = self.document()
        layout = document.documentLayout()
        needed = document.documentMargin()
        block = document.begin()
        while block.isValid():
            needed += layout.blockBoundingRect(block).height()
            block = block.next()
        margins = self.contentsMargins()
        extra = margins.top() + margins.bottom()
        most = self.fontMetrics().lineSpacing() * MOST_LINES + 2 * document.documentMargin()
        fits = needed <= most
        self.setVerticalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff if fits else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )
        height = round(min(needed, most)) + extra + 1
        if self.height() != height:
            self.setFixedHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit_height()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit_height()


class PictureText(QWidget):
    """The part "Text in the picture": what was read, or a plain sentence saying why
    nothing is shown (not read yet, could not be read, no text found). *viewer* is the
    picture the search's words are marked on."""

    def __init__(
        self, reading: OcrPage | None, viewer: ImageViewer | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._reading = reading
        self._viewer = viewer
        self._lines = read_lines(reading) if reading is not None else []
        self._words: list[str] = []
        #: Where the search's words are marked: (position, length) in the text box.
        self.marked: list[tuple[int, int]] = []
        #: The boxes marked on the picture, as fractions of it.
        self.marked_boxes: list[Fractions] = []
        self.heading = QLabel(self.tr("Text in the picture"), self)
        self.heading.setTextFormat(Qt.TextFormat.PlainText)
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        self.box: ReadTextBox | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        if reading is not None and reading.status == "ok" and reading.words:
            self.box = ReadTextBox(reading.text, self)
            layout.addWidget(self.box)
            note = self.tr(
                "Read by the computer, offline. It may contain mistakes: the picture "
                "itself is the evidence."
            )
        elif reading is None:
            note = self.tr(
                "The text in this picture has not been read yet. It is read in the "
                "background; search will find it once it has been."
            )
        elif reading.status == "failed":
            reason = (reading.message or "").strip().rstrip(".")
            note = (
                self.tr(
                    "The text in this picture could not be read (%1). The picture is unchanged."
                ).replace("%1", reason)
                if reason
                else self.tr(
                    "The text in this picture could not be read. The picture is unchanged."
                )
            )
        else:
            note = self.tr("No text was found in this picture.")
        self.note = quiet(plain_label(note, self))
        layout.addWidget(self.note)
        if viewer is not None:  # the pane drops the picture: the words read in it go too
            viewer.cleared.connect(self.forget)

    def forget(self) -> None:
        """Drop the words read from the widgets and from memory (locking, another
        entry): they are the evidence's words as much as the picture is."""
        self._reading, self._lines, self._words = None, [], []
        self.marked, self.marked_boxes = [], []
        if self.box is not None:
            self.box.setExtraSelections([])
            self.box.clear()

    def text(self) -> str:
        """The text shown in the box ("" when there is none)."""
        return "" if self.box is None else self.box.toPlainText()

    def mark_words(self, words: Sequence[str]) -> None:
        """Mark every place *words* appear, in the text and on the picture; none: clear
        the marks."""
        self._words = [w for w in words if w and w.strip()]
        found: list[tuple[int, int]] = []
        start = 0
        for line in self._lines:
            found.extend(marks_in(line.text, start, self._words))
            start += utf16_length(line.text) + 1
        boxes = []
        if self._reading is not None:
            boxes = [
                word_fractions(self._reading, w) for w in matched_words(self._lines, self._words)
            ]
        if self.box is not None:
            self.box.setExtraSelections(marked_selections(self.box, found))
        if self._viewer is not None:
            self._viewer.set_matches(boxes)
        self.marked, self.marked_boxes = found, boxes

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        words = pane_search_words(self)
        if words is not None and words != self._words:
            self.mark_words(words)
