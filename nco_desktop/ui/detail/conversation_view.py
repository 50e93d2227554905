"""A message shown in its conversation: the messages just before and after it, sent
ones to the right and received ones to the left, the selected one marked.

The thread is one read-only text document with a framed block per message, not a
widget per bubble: building, polishing and laying out ~30 labels and frames for each
selection was most of the time a step with ↓ cost (issue 11). Every text goes in
through ``QTextCursor.insertText``, so what a message says is shown as typed and never
read as markup. The words the timeline searched for are marked with extra selections
(a QTextCharFormat over each place found), which leave the document itself alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import (
    QBrush,
    QPalette,
    QResizeEvent,
    QShowEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextFrame,
    QTextFrameFormat,
)
from PySide6.QtWidgets import QFrame, QSizePolicy, QTextEdit, QWidget

from nco_desktop.timeline.detail import EntryDetail
from nco_desktop.timeline.query import EntryView
from nco_desktop.ui.common.widgets import short_time, shorten
from nco_desktop.ui.detail.picture_text import (
    MATCH_BACKGROUND,
    MATCH_TEXT,
    SEARCH_WORDS,
    PictureText,
    marked_selections,
    marks_in,
    pane_search_words,
)

__all__ = [
    "MATCH_BACKGROUND",
    "MATCH_TEXT",
    "SEARCH_WORDS",
    "ConversationView",
    "mark_search_words",
]

NEIGHBOUR_SHOWN = 600  # characters of a neighbour's text; the selected one is shown whole
BUBBLE_INDENT = 36
BUBBLE_GAP = 6  # pixels between two messages


def mark_search_words(root: QWidget, words: Sequence[str]) -> None:
    """Mark *words* in every conversation and picture's read text shown inside *root*,
    now and later (the workspace calls this on the detail pane when the timeline's
    search changes; parts built later read :data:`SEARCH_WORDS` when shown)."""
    root.setProperty(SEARCH_WORDS, list(words))
    for view in root.findChildren(ConversationView):
        view.mark_words(words)
    for text in root.findChildren(PictureText):
        text.mark_words(words)


class ConversationView(QTextEdit):
    """Messages around the selected one, as a thread; the selected one stands out.

    The view is exactly as tall as its text (the detail pane scrolls, not this), and
    text can be selected and copied by mouse and keyboard.
    """

    def __init__(self, detail: EntryDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setAcceptRichText(False)
        self.setUndoRedoEnabled(False)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self.viewport().setAutoFillBackground(False)
        self.setAccessibleName(self.tr("Conversation"))
        self._detail = detail
        #: The selected message's text as shown (tests and screen readers ask for it).
        self.selected_text = ""
        self._words: list[str] = []
        #: Where the search's words are marked: (start, length) in the document.
        self.marked: list[tuple[int, int]] = []
        self._fill()

    # ----- content -------------------------------------------------------------------

    def _fill(self) -> None:
        document = self.document()
        document.clear()
        document.setDocumentMargin(0)
        cursor = QTextCursor(document)
        detail = self._detail
        for entry in detail.conversation or (detail.entry,):
            self._bubble(cursor, entry, entry.id == detail.id)
        self._tighten_gaps()
        self._fit_height()
        self._mark()

    # ----- the words searched for -----------------------------------------------------

    def mark_words(self, words: Sequence[str]) -> None:
        """Mark every place *words* appear (ignoring case); none: clear the marks."""
        self._words = [w for w in words if w and w.strip()]
        self._mark()

    def _mark(self) -> None:
        found: list[tuple[int, int]] = []
        block = self.document().begin()
        while block.isValid():
            found.extend(marks_in(block.text(), block.position(), self._words))
            block = block.next()
        self.setExtraSelections(marked_selections(self, found))
        self.marked = found

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        words = pane_search_words(self)
        if words is not None and words != self._words:
            self.mark_words(words)

    def _tighten_gaps(self) -> None:
        """The empty lines a document keeps around each frame become small gaps."""
        document = self.document()
        root = document.rootFrame()
        gap = QTextBlockFormat()
        gap.setLineHeight(BUBBLE_GAP, QTextBlockFormat.LineHeightTypes.FixedHeight.value)
        block = document.begin()
        while block.isValid():
            if document.frameAt(block.position()) is root:
                QTextCursor(block).setBlockFormat(gap)
            block = block.next()

    def _bubble(self, cursor: QTextCursor, entry: EntryView, selected: bool) -> None:
        palette = self.palette()
        outgoing = entry.direction == "outgoing"
        frame = QTextFrameFormat()
        frame.setBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        frame.setBorder(2 if selected else 1)
        colour = QPalette.ColorRole.Highlight if selected else QPalette.ColorRole.Mid
        frame.setBorderBrush(QBrush(palette.color(colour)))
        if selected:
            frame.setBackground(palette.color(QPalette.ColorRole.AlternateBase))
        frame.setPadding(6)
        # Sent lines sit to the right and received ones to the left, as on a phone.
        frame.setLeftMargin(BUBBLE_INDENT if outgoing else 0)
        frame.setRightMargin(0 if outgoing else BUBBLE_INDENT)
        cursor.movePosition(QTextCursor.MoveOperation.End)
        bubble: QTextFrame = cursor.insertFrame(frame)
        arrow = "→" if outgoing else "←" if entry.direction == "incoming" else "•"
        # The pane's title names the person in full; here a name is enough.
        who = entry.party_name or entry.party or self.tr("unknown")
        if outgoing:
            heading = self.tr("%1 to %2")
        elif entry.direction == "incoming":
            heading = self.tr("%1 from %2")
        else:
            heading = "%1 %2"
        heading = heading.replace("%1", arrow).replace("%2", who)
        when = short_time(entry.local_time(self._detail.zone))
        quiet = QTextCharFormat()
        quiet.setForeground(palette.color(QPalette.ColorRole.PlaceholderText))
        quiet.setFontPointSize(max(8.0, self.font().pointSizeF() * 0.92))
        if selected:
            quiet.setFontWeight(600)
        cursor.setBlockFormat(QTextBlockFormat())
        cursor.insertText(f"{heading} · {when}", quiet)
        text = entry.text or self.tr("(no text)")
        shown = text if selected else shorten(text, NEIGHBOUR_SHOWN)
        cursor.insertBlock(QTextBlockFormat(), QTextCharFormat())
        cursor.insertText(shown)
        if selected:
            self.selected_text = shown
        cursor.setPosition(bubble.lastPosition())
        cursor.movePosition(QTextCursor.MoveOperation.NextBlock)

    # ----- size ------------------------------------------------------------------------

    def _fit_height(self) -> None:
        width = self.viewport().width()
        if width > 0:
            self.document().setTextWidth(width)
        height = int(self.document().size().height()) + 2
        if self.height() != height:
            self.setFixedHeight(height)

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), int(self.document().size().height()) + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self._fit_height()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange):
            self._fill()  # the frames took their colours and sizes from the old ones
