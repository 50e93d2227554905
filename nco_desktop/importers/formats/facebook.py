"""Facebook Messenger and Instagram chats from "Download your information".

Three layouts are read, all one conversation per file:

- ``message_N.json`` (Messenger and Instagram): ``participants``, ``title`` and
  ``messages`` with ``sender_name``, ``timestamp_ms`` (an exact instant), ``content``
  and media lists;
- the end-to-end-encrypted chat export (``alice_1.json``): ``threadName`` and
  ``messages`` with ``senderName``, ``timestamp`` (epoch ms), ``text`` and ``media``;
- ``message_N.html``: the same chat as a web page, read line by line (see
  :func:`_html_thread`); its times have no zone and only minutes.

Meta writes UTF-8 bytes in its JSON as ``\\u00xx`` escapes, so "café" arrives as
"cafÃ©". Every string is repaired by reading it back as UTF-8 when that round-trips
exactly, and kept as it is otherwise (real non-Latin text never round-trips).

Media are referred to by a path relative to the export's root. Only files inside the
chat file's own folder are read (the worker must not wander the disk); a reference
that is not there is kept in the entry's ``meta`` and said in a sentence.

A message file is a few megabytes at most, so it is read whole, up to
:data:`MAX_FILE_BYTES`; anything bigger is not a Meta chat file.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import PurePosixPath
from typing import Any

from nco_desktop.evidence.records import CallType, Direction, EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats.chat_owner import chat_owner, my_names, same_name
from nco_desktop.importers.formats.contract import dedup_key, refuse_unexpected
from nco_desktop.importers.formats.export_files import find_inside, read_attachment, read_export
from nco_desktop.importers.formats.google_voice import Node, html_tree
from nco_desktop.importers.formats.wall_clock import read_wall_clock
from nco_desktop.importers.model import (
    ParsedAttachment,
    ParsedEntry,
    ParsedItem,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)

NAME = "Facebook/Instagram chat"

MAX_FILE_BYTES = 64 * 1024 * 1024
#: After this many "photo X was not in the export" sentences, the rest are counted.
MAX_MISSING_SENTENCES = 20

_MESSAGE_FILE = re.compile(r"message_\d+\.json$", re.IGNORECASE)
#: (JSON key, the word a person uses for it)
_MEDIA_KEYS: tuple[tuple[str, str], ...] = (("photos", "photo"), ("videos", "video"))
_MEDIA_KEYS += (("gifs", "GIF"), ("audio_files", "voice message"), ("files", "file"))
_MEDIA_KEYS += (("media", "attachment"),)  # the end-to-end-encrypted export
_EPOCH_MS_RANGE = (0, 4_102_444_800_000)  # 1970 … 2100
_WHITESPACE = b"\xef\xbb\xbf \t\r\n"


def sniff(head: bytes, name: str) -> bool:
    if head.lstrip(_WHITESPACE).startswith(b"{"):
        if b'"sender_name"' in head and b'"timestamp_ms"' in head:
            return True
        if b'"senderName"' in head and b'"timestamp"' in head:
            return True
        # A broken message_1.json is still ours: it deserves our plain explanation.
        return bool(_MESSAGE_FILE.search(name))
    lower = head.lower()
    return b"<html" in lower and b"participants:" in lower and b"hchatlog" not in lower


def parse(source: ParseSource) -> Iterator[ParsedItem]:
    """Yield the conversation; anything unforeseen becomes :class:`UnreadableFile`."""
    data = read_export(
        source.path,
        MAX_FILE_BYTES,
        "This file is far bigger than a Facebook or Instagram chat file can be, so it "
        "was not read as one; the file was kept.",
    )
    reader = _json_thread if data.lstrip(_WHITESPACE).startswith((b"{", b"[")) else _html_thread
    yield from refuse_unexpected(
        lambda: reader(source, data),
        "Something in this chat file could not be understood ({error}); the file was kept.",
    )


def repair(text: str) -> str:
    """Undo Meta's UTF-8-as-Latin-1 escaping when, and only when, it round-trips."""
    try:
        return text.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return text


def _str(value: Any) -> str | None:
    return repair(value) if isinstance(value, str) else None


class _Thread:
    """What every message of one chat shares: its key, the user, and media lookups."""

    def __init__(
        self, source: ParseSource, people: list[str], title: str | None, senders: set[str]
    ) -> None:
        self.key = title or ", ".join(people) or None
        found = _owner(people, title)
        why = (
            f"“{found}” is you: Messenger names a two-person chat after the other person "
            f"(“{title}”). If that is wrong, import the chat again naming yourself (--me NAME)."
        )
        # Everyone in the chat may be the user, not only those who wrote.
        everyone = {*people, *senders}
        named = {n for n in everyone if any(same_name(m, n) for m in my_names(source.options))}
        if len(named) == 1:  # the user's own name beats a guess from the title; when two
            found = None  # of their names are here, the title tells which is this chat's
        owner, self.note = chat_owner(source.options, everyone, found=found, why=why)
        if found is not None and any(same_name(found, n) for n in my_names(source.options)):
            owner = found  # two of the user's names are here: the title says which is theirs
        self.owner = owner
        self.folder = source.path.parent
        self.missing = 0
        self.seen: Counter[str] = Counter()

    def direction(self, sender: str | None) -> Direction | None:
        if self.owner is None or sender is None:
            return None
        return Direction.OUTGOING if same_name(sender, self.owner) else Direction.INCOMING

    def media(
        self, ref: str, found: list[tuple[str, str]], refs: list[str]
    ) -> Iterator[ParsedItem]:
        """Each (word, uri) as an attachment if it is beside the chat file, else a sentence."""
        for word, uri in found:
            # Meta's paths start at the export root (``messages/inbox/x_1/photos/a.jpg``)
            # while the chat file sits in ``messages/inbox/x_1/``: try the shorter tails.
            path = find_inside(self.folder, uri, tails=True)
            if path is not None:
                item = read_attachment(
                    path,
                    f"{ref}:{len(refs)}",
                    f"The {word} “{path.name}” could not be read (empty, unreadable or too "
                    "big); the message was kept without it.",
                )
                if isinstance(item, ParsedAttachment):
                    refs.append(item.ref)
                yield item
                continue
            self.missing += 1
            if self.missing <= MAX_MISSING_SENTENCES:
                yield ParseProblem(
                    f"The {word} “{PurePosixPath(uri).name}” was not in the export next to "
                    "this chat file; the message was kept without it."
                )

    def finish(self) -> Iterator[ParsedItem]:
        if self.missing > MAX_MISSING_SENTENCES:
            yield ParseProblem(
                f"{self.missing - MAX_MISSING_SENTENCES} more photos, videos or files were not "
                "in the export next to this chat file."
            )


def _owner(people: list[str], title: str | None) -> str | None:
    """The account holder, where the export shows it without being told.

    Meta publishes no field naming the holder, but a two-person chat is titled with the
    *other* person's name (the name the holder sees atop the chat), so the holder is the
    participant the title does not name. Anything less clear (groups, a title matching
    both or neither) gives None, and :func:`chat_owner` asks or says so. The user's own
    choice (``--me``) comes first. Where the holder is known, ``party`` is always the
    other side (the chat), as in an SMS backup, and the author is in ``meta["sender"]``.
    """
    unique = list(dict.fromkeys(people))
    if len(unique) != 2 or title is None or unique.count(title) != 1:
        return None
    return unique[1] if unique[0] == title else unique[0]


# ----- JSON ---------------------------------------------------------------------------


def _json_thread(source: ParseSource, data: bytes) -> Iterator[ParsedItem]:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise UnreadableFile(
            "This Facebook/Instagram chat file is damaged (it is not valid JSON), so no "
            "messages could be read from it; the file was kept."
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("messages"), list):
        raise UnreadableFile(
            "This JSON file has no list of messages, so it is not a Facebook or Instagram "
            "chat; the file was kept."
        )
    listed = doc.get("participants")
    people = [
        name
        for person in (listed if isinstance(listed, list) else [])
        if (name := _str(person.get("name") if isinstance(person, dict) else person))
    ]
    messages = [m for m in doc["messages"] if isinstance(m, dict)]
    if not people:  # Instagram's small exports: the senders are the participants
        people = sorted({s for m in messages if (s := _sender(m))})
    title = _str(doc.get("title")) or _str(doc.get("threadName"))
    thread = _Thread(source, people, title, {s for m in messages if (s := _sender(m))})
    if thread.note is not None:
        yield thread.note
    for index, message in enumerate(messages):
        try:
            refs: list[str] = []
            found = list(_media(message))
            yield from thread.media(f"fb:{index}", found, refs)
            yield _json_entry(message, thread, refs, found)
        except (ValueError, TypeError, AttributeError) as exc:
            yield ParseProblem(
                f"Message {index + 1} in this chat could not be read ({type(exc).__name__}) "
                "and was left out."
            )
    yield from thread.finish()


def _sender(message: dict[str, Any]) -> str | None:
    return _str(message.get("sender_name")) or _str(message.get("senderName"))


def _media(message: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for key, word in _MEDIA_KEYS:
        items = message.get(key)
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and (uri := _str(item.get("uri"))):
                yield word, uri
    sticker = message.get("sticker")
    if isinstance(sticker, dict) and (uri := _str(sticker.get("uri"))):
        yield "sticker", uri


def _json_entry(
    message: dict[str, Any], thread: _Thread, refs: list[str], media: list[tuple[str, str]]
) -> ParsedEntry:
    stamp = message.get("timestamp_ms", message.get("timestamp"))
    if isinstance(stamp, bool) or not isinstance(stamp, int):
        stamp = None
    elif not _EPOCH_MS_RANGE[0] < stamp < _EPOCH_MS_RANGE[1]:
        raise ValueError("timestamp out of range")
    text = _str(message.get("content")) or _str(message.get("text")) or None
    kind_word = _str(message.get("type")) or "Generic"
    meta: dict[str, Any] = {"type": kind_word}
    if media:
        meta["media"] = [{"kind": word, "uri": uri} for word, uri in media]
    share = message.get("share")
    if isinstance(share, dict):
        link, share_text = _str(share.get("link")), _str(share.get("share_text"))
        meta["share"] = {k: v for k, v in (("link", link), ("text", share_text)) if v}
        extra = [t for t in (share_text, link) if t and (not text or t not in text)]
        text = "\n".join([t for t in (text, *extra) if t]) or None
    reactions = message.get("reactions")
    if isinstance(reactions, list) and reactions:
        meta["reactions"] = [
            {"reaction": _str(r.get("reaction")), "actor": _str(r.get("actor"))}
            for r in reactions
            if isinstance(r, dict)
        ]
    if message.get("isUnsent") is True or message.get("is_unsent") is True:
        meta["unsent"] = True
    kind, call_type, duration = EntryKind.MESSAGE, None, None
    sender = _sender(message)
    direction = thread.direction(sender)
    if kind_word == "Call":
        kind, missed = EntryKind.CALL, message.get("missed") is True
        raw = message.get("call_duration")
        duration = raw if isinstance(raw, int) and not isinstance(raw, bool) else None
        if missed:
            meta["missed"] = True
        # The caller is the sender; "missed" means whoever was called did not answer.
        if direction is Direction.OUTGOING:
            call_type = CallType.OUTGOING
        elif direction is Direction.INCOMING:
            call_type = CallType.MISSED if missed else CallType.INCOMING
    return _entry(
        thread, sender, stamp, TimeSource.EXPORT_FIELD, None, TimePrecision.MILLISECOND,
        text, refs, meta, kind=kind, call_type=call_type, duration_s=duration,
    )  # fmt: skip


def _entry(
    thread: _Thread,
    sender: str | None,
    occurred: int | None,
    time_source: TimeSource,
    offset: int | None,
    precision: TimePrecision,
    text: str | None,
    refs: list[str],
    meta: dict[str, Any],
    **call: Any,
) -> ParsedEntry:
    """One entry; the dedup key is what survives a re-export: chat, instant, author, text."""
    direction = thread.direction(sender)
    if sender:
        meta["sender"] = sender
    party = thread.key if direction is Direction.OUTGOING else sender
    kind = call.pop("kind", EntryKind.MESSAGE)
    return ParsedEntry(
        kind=kind,
        occurred_ms=occurred,
        time_source=TimeSource.UNKNOWN if occurred is None else time_source,
        utc_offset_min=offset,
        time_precision=TimePrecision.UNKNOWN if occurred is None else precision,
        direction=direction,
        party=party,
        party_name=party,
        text=text,
        thread_key=thread.key,
        dedup_key=dedup_key("fb:", [kind.value, thread.key, occurred, sender, text], thread.seen),
        attachment_refs=tuple(refs),
        meta=meta,
        **call,
    )


# ----- HTML -----------------------------------------------------------------------------

_BLOCKS = frozenset({"div", "p", "li", "td", "h1", "h2", "h3", "h4", "section"})
_SKIP = frozenset({"script", "style", "head", "title"})
_TIME_FORMATS = (
    *(f"{m} %d, %Y{sep}{clock}" for m in ("%b", "%B") for sep in (", ", " at ", " ")
      for clock in ("%I:%M %p", "%I:%M:%S %p")),
    "%d %b %Y, %H:%M", "%d %B %Y, %H:%M", "%d %b %Y, %H:%M:%S", "%d %B %Y at %H:%M",
)  # fmt: skip
_LOOKS_LIKE_TIME = re.compile(r"\b(19|20)\d\d\b.*\d:\d\d")


def _leaf_lines(node: Node, lines: list[str], images: list[tuple[int, str]]) -> None:
    """The text of every block that holds no other block, in page order, plus images.

    Facebook's HTML changes its class names every few months, but a message is always
    such leaf blocks in order: the sender, the text, the time. Each image is recorded
    with the number of lines seen before it, to place it in its message.
    """
    for child in node.children:
        if isinstance(child, str) or child.tag in _SKIP:
            continue
        if child.tag == "img" and child.attrs.get("src"):
            images.append((len(lines), child.attrs["src"]))
        elif child.tag in _BLOCKS and not any(d.tag in _BLOCKS for d in child.find_all()):
            images.extend(
                (len(lines), i.attrs["src"]) for i in child.find_all("img") if i.attrs.get("src")
            )
            if line := child.text():
                lines.append(line)
        else:
            _leaf_lines(child, lines, images)


def _html_time(line: str) -> tuple[datetime, TimePrecision] | None:
    if len(line) > 40 or not _LOOKS_LIKE_TIME.search(line):
        return None
    for layout in _TIME_FORMATS:
        try:
            moment = datetime.strptime(line, layout)
        except ValueError:
            continue
        return moment, TimePrecision.SECOND if "%S" in layout else TimePrecision.MINUTE
    return None


def _html_thread(source: ParseSource, data: bytes) -> Iterator[ParsedItem]:
    """Sender, text and time lines, cut wherever a line reads as a time.

    Facebook's HTML gives wall-clock times without a zone; they are read in the vault's
    zone (``EXPORT_LOCAL``), are only as exact as the minute shown, and a time in the
    hour clocks repeat or skip is marked approximate (see :mod:`wall_clock`).
    """
    root = html_tree(data.decode("utf-8", errors="replace"))
    lines: list[str] = []
    images: list[tuple[int, str]] = []
    _leaf_lines(root, lines, images)
    start, people = 0, []
    for index, line in enumerate(lines):
        if line.startswith("Participants:"):
            names = re.split(r",\s*|\s+and\s+", line.removeprefix("Participants:").strip())
            people = [n.strip() for n in names if n.strip()]
            start = index + 1
            break
    blocks: list[tuple[int, list[str], list[tuple[str, str]], tuple[datetime, TimePrecision]]]
    blocks, block_start = [], start
    for index in range(start, len(lines)):
        if (when := _html_time(lines[index])) is None:
            continue
        found = [("photo", src) for at, src in images if block_start <= at <= index]
        if block := lines[block_start:index]:
            blocks.append((index, block, found, when))
        block_start = index + 1
    if not blocks:
        raise UnreadableFile(
            "No messages could be found in this Facebook HTML page; Facebook's HTML export "
            "is only partly supported, so export as JSON instead — the file was kept."
        )
    title = root.find("title")
    heading = title.text() if title and title.text() else None
    thread = _Thread(source, people, heading, {block[0] for _, block, _, _ in blocks})
    if thread.note is not None:
        yield thread.note
    for index, block, found, (moment, precision) in blocks:
        refs: list[str] = []
        yield from thread.media(f"fbhtml:{index}", found, refs)
        wall = read_wall_clock(moment, source.zone)
        meta: dict[str, Any] = {"media": [{"kind": w, "uri": u} for w, u in found]} if found else {}
        meta.update(wall.meta())
        yield _entry(
            thread, block[0], wall.ms, TimeSource.EXPORT_LOCAL, wall.offset_min,
            wall.precision(precision), "\n".join(block[1:]) or None, refs, meta,
        )  # fmt: skip
    yield from thread.finish()
