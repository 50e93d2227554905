"""Google Voice from Google Takeout: one HTML page per conversation or call.

Takeout names the pages ``<Contact> - Text - <time>.html``, ``- Received -``,
``- Placed -``, ``- Missed -``, ``- Voicemail -`` and ``Group Conversation - <time>.html``.
Texts are ``div.message`` blocks in a ``div.hChatLog``; a call is one ``div.haudio``.
Every time is an ``abbr`` whose ``title`` is ISO 8601 *with* the offset the phone
showed (``2020-02-05T15:26:28.120-08:00``), so times are ``HEADER`` with that offset.

The pages are read with the standard library's tolerant :class:`html.parser.HTMLParser`
into a small tree: it expands no entities beyond HTML's fixed set, so there is no
entity bomb to defuse. Pictures, videos and voicemail audio that Takeout wrote next to
the page (often without the extension the page omits) are read only from the page's
own folder; a missing one is kept as a reference and said in a sentence.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

from nco_desktop.evidence.records import (
    CallType,
    Direction,
    EntryKind,
    TimePrecision,
    TimeSource,
)
from nco_desktop.importers.formats.contract import dedup_key, refuse_unexpected
from nco_desktop.importers.formats.export_files import read_attachment, read_export
from nco_desktop.importers.model import (
    ParsedAttachment,
    ParsedEntry,
    ParsedItem,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import aware_to_ms

NAME = "Google Voice"

MAX_FILE_BYTES = 64 * 1024 * 1024
_VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "wbr", "source", "col", "area"})
_CALLS = (
    ("voicemail", CallType.VOICEMAIL, Direction.INCOMING),
    ("missed", CallType.MISSED, Direction.INCOMING),
    ("received", CallType.INCOMING, Direction.INCOMING),
    ("placed", CallType.OUTGOING, Direction.OUTGOING),
)
_DURATION = re.compile(
    r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$", re.IGNORECASE
)
_FILE_NAME = re.compile(r"^(.+?) - (?:Text|Received|Placed|Missed|Voicemail) - ")


@dataclass
class Node:
    tag: str
    attrs: dict[str, str]
    children: list[Node | str] = field(default_factory=list)

    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def find_all(self, tag: str | None = None, cls: str | None = None) -> Iterator[Node]:
        for child in self.children:
            if isinstance(child, Node):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.classes()):
                    yield child
                yield from child.find_all(tag, cls)

    def find(self, tag: str | None = None, cls: str | None = None) -> Node | None:
        return next(self.find_all(tag, cls), None)

    def text(self) -> str:
        """Visible text, ``<br>`` as a line break, runs of spaces as one."""
        parts: list[str] = []
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag == "br":
                parts.append("\n")
            else:
                parts.append(child.text())
        lines = ("".join(parts)).split("\n")
        return "\n".join(" ".join(line.split()) for line in lines).strip()


#: Real pages nest a few dozen levels; a hostile one with endless unclosed tags is
#: flattened below this depth, so walking the tree never recurses past Python's limit
#: and closing a tag never searches a huge stack.
MAX_DEPTH = 200


class _TreeBuilder(HTMLParser):
    """A forgiving tree: a stray end tag closes up to its match or is ignored."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self._stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self._stack[-1].children.append(node)
        if tag not in _VOID and len(self._stack) < MAX_DEPTH:
            self._stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._stack) - 1, 0, -1):
            if self._stack[depth].tag == tag:
                del self._stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._stack[-1].children.append(data)


def html_tree(text: str) -> Node:
    """*text* as a small tree (the imessage-exporter reader uses it too)."""
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def sniff(head: bytes, name: str) -> bool:
    lower = head.lower()
    if b"<html" not in lower:
        return False
    return b"hchatlog" in lower or b'class="haudio' in lower or b"google.com/voice#" in lower


def parse(source: ParseSource) -> Iterator[ParsedItem]:
    """Yield the page's texts or its call; anything unforeseen is :class:`UnreadableFile`."""
    data = read_export(
        source.path,
        MAX_FILE_BYTES,
        "This page is far bigger than a Google Voice page can be, so it was not read as "
        "one; the file was kept.",
    )
    found = list(
        refuse_unexpected(
            lambda: _page(source, data),
            "Something in this Google Voice page could not be understood ({error}); "
            "the file was kept.",
        )
    )
    if not any(isinstance(item, ParsedEntry) for item in found):
        raise UnreadableFile(
            "No texts or calls with a time were found in this Google Voice page; the file was kept."
        )
    yield from found


def _page(source: ParseSource, data: bytes) -> Iterator[ParsedItem]:
    """A page holds either one call or a conversation's texts."""
    root = html_tree(data.decode("utf-8", errors="replace"))
    call = root.find("div", "haudio")
    return _call(source, root, call) if call else _texts(source, root)


def _when(abbr: Node | None) -> tuple[int, int, TimePrecision] | None:
    title = abbr.attrs.get("title", "").strip() if abbr else ""
    if not title:
        return None
    try:
        moment = datetime.fromisoformat(title.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    occurred, offset = aware_to_ms(moment)
    precision = TimePrecision.MILLISECOND if "." in title else TimePrecision.SECOND
    return occurred, offset, precision


def _person(node: Node | None) -> tuple[str | None, str | None]:
    """(number as written, name) from a vCard: ``a.tel[href=tel:…]`` and ``.fn``."""
    link = node.find("a", "tel") if node else None
    if link is None:
        return None, None
    href = link.attrs.get("href", "")
    number = (href[4:].strip() or None) if href.lower().startswith("tel:") else None
    name_node = link.find(None, "fn")
    name = name_node.text() if name_node else link.text()
    return number, name or None


def duration_seconds(iso: str) -> int | None:
    """'PT1M23S' → 83; None when it is not an ISO 8601 duration."""
    match = _DURATION.match(iso.strip())
    if not match or not any(match.groups()):
        return None
    days, hours, minutes, seconds = (float(g) if g else 0.0 for g in match.groups())
    return round(((days * 24 + hours) * 60 + minutes) * 60 + seconds)


def _texts(source: ParseSource, root: Node) -> Iterator[ParsedItem]:
    group = root.find("div", "participants")
    members = [_person(cite) for cite in group.find_all("cite")] if group else []
    messages = list(root.find_all("div", "message"))
    senders = [_person(m.find("cite")) for m in messages]
    others = {num: name for num, name in senders if num and name != "Me"}
    if group is not None:
        numbers = sorted(num for num, _ in members if num)
        thread = "group:" + ",".join(numbers) if numbers else None
        counterpart: tuple[str | None, str | None] = (None, None)
    else:
        named = _FILE_NAME.match(source.name)
        counterpart = next(iter(others.items())) if len(others) == 1 else (None, None)
        thread = counterpart[0] or (named.group(1) if named else None)
    folder = _Folder(source.path.parent)
    seen: Counter[str] = Counter()
    for index, (message, (number, name)) in enumerate(zip(messages, senders, strict=True)):
        when = _when(message.find("abbr", "dt"))
        if when is None:
            yield ParseProblem(
                f"Text {index + 1} on this page has no readable time; it was left out."
            )
            continue
        quote = message.find("q")
        body = quote.text() if quote else ""
        mine = name == "Me"
        meta: dict[str, object] = {}
        if group is not None:
            meta["participants"] = [{"number": n, "name": m} for n, m in members]
        if mine:
            meta["own_number"] = number
            party, party_name = counterpart
        else:
            party, party_name = number, name
        refs: list[str] = []
        media: list[dict[str, str]] = []
        for kind, target in _attachments(message):
            media.append({"kind": kind, "ref": target})
            item = folder.read(target, f"gv:{index}:{len(refs)}", kind)
            if isinstance(item, ParsedAttachment):
                refs.append(item.ref)
            yield item
        if media:
            meta["media"] = media
        yield ParsedEntry(
            kind=EntryKind.MESSAGE,
            occurred_ms=when[0],
            time_source=TimeSource.HEADER,
            utc_offset_min=when[1],
            time_precision=when[2],
            direction=Direction.OUTGOING if mine else Direction.INCOMING,
            party=party,
            party_name=party_name,
            text=body or None,
            thread_key=thread,
            dedup_key=dedup_key("gv:", [thread, when[0], number, body], seen),
            attachment_refs=tuple(refs),
            meta=meta,
        )


def _attachments(message: Node) -> Iterator[tuple[str, str]]:
    for node in message.find_all():
        if node.tag == "img" and node.attrs.get("src"):
            yield "picture", node.attrs["src"]
        elif node.tag == "a" and node.classes() & {"video", "audio", "vcard"}:
            kind = "contact card" if "vcard" in node.classes() else sorted(node.classes())[0]
            if node.attrs.get("href"):
                yield kind, node.attrs["href"]


def _call(source: ParseSource, root: Node, call: Node) -> Iterator[ParsedItem]:
    title = root.find("title")
    labels = " ".join(a.attrs.get("href", "") for a in call.find_all("a")).lower()
    heading = (title.text() if title else "").lower()
    call_type, direction = None, None
    for word, kind, way in _CALLS:
        if word in heading or f"#{word}" in labels:
            call_type, direction = kind, way
            break
    number, name = _person(call.find(None, "contributor"))
    when = _when(call.find("abbr", "published"))
    if when is None:
        yield ParseProblem("This Google Voice call has no readable time, so it was left out.")
        return
    length = call.find("abbr", "duration")
    seconds = duration_seconds(length.attrs.get("title", "")) if length else None
    transcript = call.find(None, "full-text") or call.find(None, "description")
    refs: list[str] = []
    media: list[dict[str, str]] = []
    audio = [a.attrs["src"] for a in call.find_all("audio") if a.attrs.get("src", "").strip()]
    audio += [a.attrs["href"] for a in call.find_all("a") if a.attrs.get("rel") == "enclosure"]
    folder = _Folder(source.path.parent)
    for target in dict.fromkeys(audio):
        media.append({"kind": "recording", "ref": target})
        item = folder.read(target, f"gv:call:{len(refs)}", "recording")
        if isinstance(item, ParsedAttachment):
            refs.append(item.ref)
        yield item
    yield ParsedEntry(
        kind=EntryKind.CALL,
        occurred_ms=when[0],
        time_source=TimeSource.HEADER,
        utc_offset_min=when[1],
        time_precision=when[2],
        direction=direction,
        party=number,
        party_name=name,
        text=(transcript.text() or None) if transcript else None,
        call_type=call_type,
        duration_s=seconds,
        thread_key=number or name,
        dedup_key=dedup_key("gvcall:", [number or name, when[0], call_type], Counter()),
        attachment_refs=tuple(refs),
        meta={"media": media} if media else {},
    )


class _Folder:
    """Files in the page's own folder, found by exact name or by name without extension."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._stems: dict[str, list[Path]] | None = None

    def _find(self, target: str) -> Path | None:
        if "/" in target or "\\" in target or target in ("", ".", "..") or ":" in target:
            return None
        exact = self.folder / target
        if exact.is_file() and not exact.is_symlink():
            return exact
        if self._stems is None:
            self._stems = {}
            try:
                for path in self.folder.iterdir():
                    if path.is_file() and not path.is_symlink():
                        self._stems.setdefault(path.stem, []).append(path)
            except OSError:
                pass
        matches = self._stems.get(target, [])
        return matches[0] if len(matches) == 1 else None

    def read(self, target: str, ref: str, kind: str) -> ParsedAttachment | ParseProblem:
        path = self._find(target)
        if path is None:
            return ParseProblem(
                f"The {kind} “{target}” was not in the export next to this page; the entry was "
                "kept without it."
            )
        return read_attachment(
            path,
            ref,
            f"The {kind} “{path.name}” could not be read (empty, unreadable or too big); "
            "the entry was kept without it.",
        )
