"""Signal chats exported as text by signal-export (``chat.md``), one conversation a file.

Signal has no plain-text export of its own; the common tool, carderne/signal-export,
writes ``[2024-03-12 22:15:30] Name: text`` (older versions and chat-miner's fixture:
``[2024-03-12, 22:15] Name: text``). A line that does not start like that continues the
message above it. Your own messages are written as ``Me``; attachments as Markdown links
``![photo.jpg](./media/photo.jpg)``, read only from inside the file's folder.

The times are the exporting computer's wall clock with no offset, so they are read in
the vault's zone (``EXPORT_LOCAL``), in line order (:mod:`line_clock`): signal-export
writes messages in the order they were sent, so on the night clocks go back a step
backwards shows the second pass through the repeated hour; what stays in doubt, and a
time in the hour skipped in spring, is marked approximate. signal-export puts each chat
in a folder named after the conversation, so ``chat.md``'s folder name is the thread;
any other file name is a renamed copy, and the thread is then the people who wrote in it.

Which sender is the user follows :func:`chat_owner`: the user's choice (``--me``), else
signal-export's ``Me``. The user's messages are outgoing, to the one other person when
the chat has one (a group's stay without a party, as they always were, so an export
imported before keeps its identities); everyone else's are incoming.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

from nco_desktop.evidence.records import Direction, EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats import line_clock
from nco_desktop.importers.formats.chat_owner import chat_owner, same_name
from nco_desktop.importers.formats.contract import dedup_key, refuse_unexpected
from nco_desktop.importers.formats.export_files import find_inside, read_attachment, read_export
from nco_desktop.importers.model import (
    ParsedAttachment,
    ParsedEntry,
    ParsedItem,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)

NAME = "Signal chat"

MAX_FILE_BYTES = 64 * 1024 * 1024
_HEADER = re.compile(
    r"^\[(\d{4}-\d{2}-\d{2}),? (\d{1,2}:\d{2}(?::\d{2})?)\] ([^:\n\]]{1,200}?): ?(.*)$"
)
_LINK = re.compile(r"!?\[([^\]\n]*)\]\((?:\./)?([^)\s]+)\)")
#: How signal-export writes the user's own messages.
EXPORT_ME = "Me"
_WHY_ME = "“Me” is you: signal-export writes your own messages as “Me”."


def sniff(head: bytes, name: str) -> bool:
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff \t\r\n")
    return bool(_HEADER.match(text.split("\n", 1)[0].rstrip("\r")))


def parse(source: ParseSource) -> Iterator[ParsedItem]:
    """Yield each message; anything unforeseen becomes :class:`UnreadableFile`."""
    data = read_export(
        source.path,
        MAX_FILE_BYTES,
        "This file is far bigger than a Signal chat export can be, so it was not read as "
        "one; the file was kept.",
    )
    yield from refuse_unexpected(
        lambda: _messages(source, data.decode("utf-8-sig", errors="replace")),
        "Something in this Signal export could not be understood ({error}); the file was kept.",
    )


def _blocks(text: str) -> tuple[list[tuple[re.Match[str], list[str]]], int]:
    """(header match, continuation lines) per message, and how many lines came first."""
    blocks: list[tuple[re.Match[str], list[str]]] = []
    stray = 0
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match:
            blocks.append((match, [match.group(4)]))
        elif blocks:
            blocks[-1][1].append(line)
        elif line.strip():
            stray += 1
    return blocks, stray


def _wall_clock(match: re.Match[str]) -> datetime | None:
    """The header's date and time as written, or None when no such moment exists."""
    hour, rest = match.group(2).split(":", 1)
    try:
        return datetime.fromisoformat(f"{match.group(1)}T{int(hour):02d}:{rest}")
    except ValueError:
        return None


def _messages(source: ParseSource, text: str) -> Iterator[ParsedItem]:
    blocks, stray = _blocks(text)
    if not blocks:
        raise UnreadableFile("No Signal messages were found in this file; the file was kept.")
    senders = {m.group(3).strip() for m, _ in blocks}
    found = EXPORT_ME if EXPORT_ME in senders else None
    owner, who = chat_owner(source.options, senders, found=found, why=_WHY_ME)
    if stray:
        yield ParseProblem(
            f"{stray} lines at the top of this file are not part of any message and were left out."
        )
    if who is not None:
        yield who
    others = sorted(s for s in senders if owner is None or not same_name(s, owner))
    if source.name.lower() == "chat.md" and source.path.parent.name:
        thread: str | None = source.path.parent.name
    else:
        thread = ", ".join(others) or None
    folder = source.path.parent
    seen: Counter[str] = Counter()
    written = [_wall_clock(match) for match, _ in blocks]
    placed = line_clock.place_in_order(written, source.zone)
    for index, (match, lines) in enumerate(blocks):
        naive, when = written[index], placed[index]
        if naive is None or when is None:
            yield ParseProblem(f"Message {index + 1} has an impossible date; it was left out.")
            continue
        sender = match.group(3).strip()
        body = "\n".join(line.rstrip() for line in lines).strip("\n")
        refs: list[str] = []
        media = [unquote(path) for _label, path in _LINK.findall(body)]
        for path in media:
            item = _read_beside(folder, path, f"signal:{index}:{len(refs)}")
            if isinstance(item, ParsedAttachment):
                refs.append(item.ref)
            yield item
        body = _LINK.sub("", body).strip() if media else body.strip()
        direction = None
        party: str | None = sender
        if owner is not None:
            mine = same_name(sender, owner)
            direction = Direction.OUTGOING if mine else Direction.INCOMING
            if mine:  # who it went to, when plain
                party = others[0] if len(others) == 1 else None
        exact = TimePrecision.SECOND if match.group(2).count(":") == 2 else TimePrecision.MINUTE
        yield ParsedEntry(
            kind=EntryKind.MESSAGE,
            occurred_ms=when.ms,
            time_source=TimeSource.EXPORT_LOCAL,
            utc_offset_min=when.offset_min,
            time_precision=when.precision(exact),
            direction=direction,
            party=party,
            party_name=party,
            text=body or None,
            thread_key=thread,
            dedup_key=dedup_key("signal:", [thread, naive.isoformat(), sender, body], seen),
            attachment_refs=tuple(refs),
            meta={"sender": sender, **({"media": media} if media else {}), **when.meta()},
        )
    yield from line_clock.notes(placed)


def _read_beside(folder: Path, relative: str, ref: str) -> ParsedAttachment | ParseProblem:
    """The attachment at *relative* inside *folder*, or a sentence; never outside it."""
    name = PurePosixPath(relative).name or relative
    path = find_inside(folder, relative)
    if path is None:
        return ParseProblem(
            f"The attachment “{name}” was not in the export next to this chat; the message "
            "was kept without it."
        )
    return read_attachment(
        path,
        ref,
        f"The attachment “{name}” could not be read (empty, unreadable or too big); the "
        "message was kept without it.",
    )
