"""iMessage conversations exported by imessage-exporter (ReagentX), as TXT or HTML.

imessage-exporter reads a Mac's or an iPhone backup's ``chat.db`` and writes one file
per conversation, named after it. Both layouts give each message a wall-clock time
(``May 17, 2022  5:29:42 PM``) with no offset, so times are read in the vault's zone
(``EXPORT_LOCAL``), in the order the file gives them (:mod:`line_clock`): the exporter
writes messages in time order, so on the night clocks go back a step backwards shows
the second pass through the repeated hour; what stays in doubt, and a time in the hour
skipped in spring, is marked approximate.

Your own messages are from ``Me``, or from the name given to the exporter's
``--custom-name``. In HTML every bubble says whose it is (``div.sent`` is yours,
``div.received`` someone else's), so directions need no name. TXT has no such mark:
which sender is you follows :func:`chat_owner` (the user's choice, ``--me``, else
``Me``), and without either, directions stay unknown. Your messages go to the one other
person when there is one; in a group they have no party, as they always had, so an
export imported before keeps its identities.

- TXT: a time line (maybe with ``(Read by … after …)``), the sender's line, the body,
  a blank line. A time line followed by words on the same line is an announcement
  ("You renamed the conversation to …").
- HTML: ``div.message`` > ``div.sent``/``div.received`` with ``span.timestamp``,
  ``span.sender`` and ``div.message_part``s; threaded replies nest inside
  ``div.replies``; ``div.edited`` keeps every version of an edited message; pictures are
  ``<img src="attachments/…">``, read only from inside the file's folder.

The HTML is read with :func:`google_voice.html_tree` (the standard library's parser).
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from nco_desktop.evidence.records import Direction, EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats import line_clock
from nco_desktop.importers.formats.chat_owner import chat_owner, same_name
from nco_desktop.importers.formats.contract import dedup_key, refuse_unexpected
from nco_desktop.importers.formats.export_files import find_inside, read_attachment, read_export
from nco_desktop.importers.formats.google_voice import Node, html_tree
from nco_desktop.importers.model import (
    ParsedAttachment,
    ParsedEntry,
    ParsedItem,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import local_to_ms

NAME = "iMessage chat"

MAX_FILE_BYTES = 64 * 1024 * 1024
_STAMP = re.compile(
    r"^((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2}, \d{4}\s+"
    r"\d{1,2}:\d{2}:\d{2}\s?[AP]M)(.*)$"
)
_DELETED = "This message was deleted from the conversation!"
#: How imessage-exporter writes the user's own messages, unless given ``--custom-name``.
EXPORT_ME = "Me"
_WHY_ME = (
    "“Me” is you: imessage-exporter writes your own messages as “Me” (unless it was run "
    "with --custom-name)."
)


def sniff(head: bytes, name: str) -> bool:
    text = head.decode("utf-8", errors="replace")
    if 'class="message"' in text and 'class="timestamp"' in text:
        return 'class="sent' in text or 'class="received' in text
    return bool(_STAMP.match(text.lstrip("\ufeff \t\r\n").split("\n", 1)[0]))


def parse(source: ParseSource) -> Iterator[ParsedItem]:
    """Yield each message; anything unforeseen becomes :class:`UnreadableFile`."""
    data = read_export(
        source.path,
        MAX_FILE_BYTES,
        "This file is far bigger than one exported conversation can be, so it was not "
        "read as one; the file was kept.",
    )
    text = data.decode("utf-8-sig", errors="replace")
    found = list(
        refuse_unexpected(
            lambda: _conversation(source, text),
            "Something in this iMessage export could not be understood ({error}); "
            "the file was kept.",
        )
    )
    if not any(isinstance(item, ParsedEntry) for item in found):
        raise UnreadableFile("No iMessage messages were found in this file; the file was kept.")
    yield from found


def _conversation(source: ParseSource, text: str) -> list[ParsedItem]:
    """The same conversation is read from either layout imessage-exporter writes."""
    chat = _Chat(source)
    html = text.lstrip().lower().startswith(("<html", "<!doctype", "<meta", "<div"))
    return chat.settle(list(chat.html(html_tree(text)) if html else chat.txt(text)))


def _wall_clock(stamp: str) -> datetime | None:
    try:
        return datetime.strptime(" ".join(stamp.split()), "%b %d, %Y %I:%M:%S %p")
    except ValueError:
        return None


class _Chat:
    """One exported conversation: its name (the file's), and who is in it."""

    def __init__(self, source: ParseSource) -> None:
        self.source = source
        self.thread = Path(source.name).stem or None
        self.owner: str | None = None  # the user's sender name, when known
        self.others: set[str] = set()
        self.count = 0
        self.seen: Counter[str] = Counter()
        #: Each entry's written time, and whether it stands in the file's time order.
        self.written: list[tuple[datetime, bool]] = []

    def entry(
        self,
        stamp: str,
        sender: str | None,
        text: str,
        refs: list[str],
        meta: dict[str, Any],
        mine: bool | None = None,
    ) -> ParsedItem:
        """One message; *mine*: whose it is, when the layout says so (HTML's bubbles)."""
        naive = _wall_clock(stamp)
        self.count += 1
        if naive is None:
            return ParseProblem(f"Message {self.count} has an unreadable time; it was left out.")
        occurred, offset = local_to_ms(naive, self.source.zone)  # settled in line order later
        self.written.append((naive, "reply_to" not in meta))
        direction = party = None
        if sender is not None:
            meta["sender"] = sender
            if mine is None and self.owner is not None:
                mine = same_name(sender, self.owner)
            if mine is not None:
                direction = Direction.OUTGOING if mine else Direction.INCOMING
            party = sender if not mine else (min(self.others) if len(self.others) == 1 else None)
        if _DELETED in text:
            meta["deleted"] = True
        return ParsedEntry(
            kind=EntryKind.MESSAGE,
            occurred_ms=occurred,
            time_source=TimeSource.EXPORT_LOCAL,
            utc_offset_min=offset,
            direction=direction,
            party=party,
            party_name=party,
            text=text or None,
            thread_key=self.thread,
            dedup_key=dedup_key("imsg:", [self.thread, naive.isoformat(), sender, text], self.seen),
            attachment_refs=tuple(refs),
            meta=meta,
        )

    def settle(self, items: list[ParsedItem]) -> list[ParsedItem]:
        """The items with each message's time read in line order across clock changes."""
        times = [naive for naive, _ in self.written]
        placed = line_clock.place_in_order(times, self.source.zone, [o for _, o in self.written])
        out: list[ParsedItem] = []
        slots = iter(placed)
        for item in items:
            if isinstance(item, ParsedEntry):
                when = next(slots)
                assert when is not None  # every entry's time was read
                item = dataclasses.replace(
                    item,
                    occurred_ms=when.ms,
                    utc_offset_min=when.offset_min,
                    time_precision=when.precision(TimePrecision.SECOND),
                    meta={**item.meta, **when.meta()},
                )
            out.append(item)
        return out + list(line_clock.notes(placed))

    # ----- TXT ---------------------------------------------------------------------------

    def txt(self, text: str) -> Iterator[ParsedItem]:
        blocks: list[tuple[str, str, list[str]]] = []  # (stamp, rest of line, lines after)
        for line in text.splitlines():
            match = _STAMP.match(line)
            if match:
                blocks.append((match.group(1), match.group(2).strip(), []))
            elif blocks:
                blocks[-1][2].append(line)
        senders: set[str] = set()
        for _stamp, rest, lines in blocks:
            is_message = not rest or rest.startswith("(Read by")
            if is_message and lines and lines[0].strip():
                senders.add(lines[0].strip())
        found = EXPORT_ME if EXPORT_ME in senders else None
        self.owner, who = chat_owner(self.source.options, senders, found=found, why=_WHY_ME)
        if who is not None:
            yield who
        self.others = {s for s in senders if self.owner is None or not same_name(s, self.owner)}
        for stamp, rest, lines in blocks:
            meta: dict[str, Any] = {}
            if rest.startswith("(Read by") and rest.endswith(")"):
                meta["read_receipt"] = rest[1:-1]
                rest = ""
            if rest:  # an announcement: the whole event is on the time line
                body = "\n".join([rest, *lines]).strip()
                yield self.entry(stamp, None, body, [], {**meta, "announcement": True})
            else:
                sender = lines[0].strip() if lines else None
                yield self.entry(stamp, sender, "\n".join(lines[1:]).strip(), [], meta)

    # ----- HTML --------------------------------------------------------------------------

    def html(self, root: Node) -> Iterator[ParsedItem]:
        """Every bubble says whose it is: ``sent`` (yours) or ``received``."""
        for bubble in root.find_all("div"):
            header = bubble.find("p") if bubble.classes() & {"sent", "received"} else None
            sender = header.find("span", "sender") if header else None
            if sender is not None and (name := sender.text()):
                if "sent" in bubble.classes():
                    self.owner = name
                else:
                    self.others.add(name)
        yield from self._walk(root, None)

    def _walk(self, node: Node, reply_to: str | None) -> Iterator[ParsedItem]:
        for child in node.children:
            if not isinstance(child, Node):
                continue
            classes = child.classes()
            if child.tag == "div" and "message" in classes:
                yield from self._message(child, reply_to)
            elif child.tag == "div" and "announcement" in classes:
                header = child.find("p")
                stamp = header.find("span", "timestamp") if header else None
                if header and stamp:
                    words = header.text().removeprefix(stamp.text()).strip()
                    yield self.entry(stamp.text(), None, words, [], {"announcement": True})
            else:
                yield from self._walk(child, reply_to)

    def _message(self, message: Node, reply_to: str | None) -> Iterator[ParsedItem]:
        bubble = next(
            (
                c
                for c in message.children
                if isinstance(c, Node) and c.classes() & {"sent", "received"}
            ),
            None,
        )
        header = bubble.find("p") if bubble else None
        stamp = header.find("span", "timestamp") if header else None
        if bubble is None or header is None or stamp is None:
            return
        sender_node = header.find("span", "sender")
        stamp_text, _, receipt = stamp.text().partition(" (")
        meta: dict[str, Any] = {
            "service": " ".join(sorted(bubble.classes() - {"sent", "received"}))
        }
        if receipt:
            meta["read_receipt"] = receipt.rstrip(")")
        if reply_to:
            meta["reply_to"] = reply_to
        texts: list[str] = []
        refs: list[str] = []
        replies: list[Node] = []
        for part in bubble.children:
            if not isinstance(part, Node) or part is header:
                continue
            kinds = part.classes()
            if "replies" in kinds:
                replies.append(part)
            elif "reactions" in kinds:
                meta["reactions"] = [r.text() for r in part.find_all("div", "reaction")]
            elif part.tag == "span" and "subject" in kinds:
                texts.append(f"Subject: {part.text()}")
            elif "message_part" in kinds:
                texts.append(self._part(part, meta))
                for target in _local_media(part):
                    item = _read_beside(
                        self.source.path.parent, target, f"imsg:{self.count}:{len(refs)}"
                    )
                    if isinstance(item, ParsedAttachment):
                        refs.append(item.ref)
                    yield item
        sender = sender_node.text() if sender_node else None
        text = "\n".join(t for t in texts if t)
        entry = self.entry(stamp_text, sender, text, refs, meta, "sent" in bubble.classes())
        yield entry
        key = entry.dedup_key if isinstance(entry, ParsedEntry) else None
        for reply_box in replies:
            yield from self._walk(reply_box, key)

    @staticmethod
    def _part(part: Node, meta: dict[str, Any]) -> str:
        edited = part.find("div", "edited")
        if edited is not None:  # every version, oldest first; the last one is what shows
            versions = []
            for row in edited.find_all("tr"):
                cells = [c for c in row.children if isinstance(c, Node) and c.tag == "td"]
                if cells and (words := cells[-1].text()):
                    versions.append(words)
            meta["edit_history"] = versions
            return versions[-1] if versions else ""
        links = [a.attrs["href"] for a in part.find_all("a") if a.attrs.get("href")]
        if links:
            meta.setdefault("links", []).extend(links)
        return part.text()


def _local_media(part: Node) -> Iterator[str]:
    for node in part.find_all():
        src = node.attrs.get("src", "") if node.tag in {"img", "video", "audio", "source"} else ""
        if src and "://" not in src and not src.startswith("data:"):
            yield src


def _read_beside(folder: Path, relative: str, ref: str) -> ParsedAttachment | ParseProblem:
    """The attachment at *relative* inside *folder*, or a sentence; never outside it."""
    name = PurePosixPath(relative).name or relative
    sentence = (
        f"The attachment “{name}” was not in the export next to this conversation (or "
        "could not be read); the message was kept without it."
    )
    path = find_inside(folder, relative)
    return ParseProblem(sentence) if path is None else read_attachment(path, ref, sentence)
