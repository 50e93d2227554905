"""A message shown in its conversation: the messages just before and after it, sent
ones to the right and received ones to the left, the selected one marked."""

from __future__ import annotations

from PySide6.QtWidgets import QFrame, QHBoxLayout, QVBoxLayout, QWidget

from nco_desktop.timeline.detail import EntryDetail
from nco_desktop.timeline.query import EntryView
from nco_desktop.ui.common.widgets import plain_label, quiet, short_time, shorten

NEIGHBOUR_SHOWN = 600  # characters of a neighbour's text; the selected one is shown whole
BUBBLE_INDENT = 36


class ConversationView(QWidget):
    """Messages around the selected one, as a thread; the selected one stands out."""

    def __init__(self, detail: EntryDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        # One style sheet for every bubble: a sheet per bubble made Qt polish each one
        # apart, a third of the time it took to show a message while moving with ↓.
        self.setStyleSheet(
            "QFrame#selectedMessage { background: palette(alternate-base);"
            " border: 1px solid palette(highlight); border-left: 4px solid palette(highlight);"
            " border-radius: 4px; }"
            "QFrame#message { border: 1px solid palette(mid); border-radius: 4px; }"
        )
        self.selected: QFrame | None = None
        for entry in detail.conversation or (detail.entry,):
            bubble = self._bubble(entry, detail, entry.id == detail.id)
            # Sent lines sit to the right and received ones to the left, as on a phone.
            row = QHBoxLayout()
            row.setContentsMargins(0, 0, 0, 0)
            outgoing = entry.direction == "outgoing"
            if outgoing:
                row.addSpacing(BUBBLE_INDENT)
            row.addWidget(bubble, 1)
            if not outgoing:
                row.addSpacing(BUBBLE_INDENT)
            layout.addLayout(row)

    def _bubble(self, entry: EntryView, detail: EntryDetail, selected: bool) -> QFrame:
        bubble = QFrame(self)
        bubble.setObjectName("selectedMessage" if selected else "message")
        outgoing = entry.direction == "outgoing"
        arrow = "→" if outgoing else "←" if entry.direction == "incoming" else "•"
        # The pane's title names the person in full; here a name is enough.
        who = entry.party_name or entry.party or self.tr("unknown")
        if entry.direction == "outgoing":
            heading = self.tr("%1 to %2")
        elif entry.direction == "incoming":
            heading = self.tr("%1 from %2")
        else:
            heading = "%1 %2"
        heading = heading.replace("%1", arrow).replace("%2", who)
        when = short_time(entry.local_time(detail.zone))
        layout = QVBoxLayout(bubble)
        layout.setContentsMargins(10, 6, 8, 6)
        layout.setSpacing(2)
        head = quiet(plain_label(f"{heading} · {when}", bubble))
        text = entry.text or self.tr("(no text)")
        body = plain_label(text if selected else shorten(text, NEIGHBOUR_SHOWN), bubble)
        layout.addWidget(head)
        layout.addWidget(body)
        if selected:
            self.selected = bubble
            bubble.setAccessibleName(self.tr("Selected message"))
        return bubble
