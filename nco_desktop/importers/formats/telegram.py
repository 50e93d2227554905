"""Telegram Desktop's "Export chat history" ``result.json``, one chat or the whole account.

A single-chat export is ``{"name", "type", "id", "messages": [...]}``; the whole-account
export puts the chats under ``chats.list`` (and ``left_chats.list``) and names the
account holder in ``personal_information.user_id``.

Times: ``date_unixtime`` is an exact instant (``EXPORT_FIELD``). ``date`` is the same
instant as the exporting computer's clock showed it, so where both are present their
difference *is* the offset that export was written with, and it is kept. Old exports
with only ``date`` are read in the vault's zone (``EXPORT_LOCAL``); the order of the
messages settles the hour clocks repeat (:class:`_RepeatedHour`), and what it cannot, or
a time that never existed, is marked approximate (≈) with a sentence (:mod:`wall_clock`).

Who the user is (issue #18): see :func:`_owner`. The user's messages are outgoing with
the chat as ``party`` (as WhatsApp and SMS); others' are incoming; names stay in meta.

The file is read whole with :func:`json.loads`, which needs about five times the file's
size in memory (a 120 MB export peaks near 600 MB); files over :data:`MAX_FILE_BYTES`
are refused with a sentence (export the chats one by one instead) rather than left to
the worker's 2 GB memory limit.
Photos and files the export wrote next to ``result.json`` are read only from inside
that folder.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any
from zoneinfo import ZoneInfo

from nco_desktop.evidence.records import CallType, Direction, EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats.chat_owner import chat_owner, my_names, same_name
from nco_desktop.importers.formats.contract import dedup_key, refuse_unexpected
from nco_desktop.importers.formats.export_files import find_inside, read_attachment
from nco_desktop.importers.formats.wall_clock import WallClock, read_wall_clock
from nco_desktop.importers.model import (
    FormatNote,
    ParsedAttachment,
    ParsedEntry,
    ParsedItem,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import aware_to_ms

NAME = "Telegram chat"

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_MISSING_SENTENCES = 20

_MEDIA_WORDS = {
    "sticker": "sticker", "voice_message": "voice message", "video_message": "video message",
    "video_file": "video", "animation": "GIF", "audio_file": "audio file",
}  # fmt: skip
_SERVICE_WORDS = {
    "joined_telegram": "joined Telegram", "pin_message": "pinned a message",
    "create_group": "created the group", "invite_members": "added members",
    "remove_members": "removed members", "join_group_by_link": "joined the group by a link",
    "edit_group_title": "changed the group name", "edit_group_photo": "changed the group photo",
    "delete_group_photo": "removed the group photo", "clear_history": "cleared the history",
    "group_call": "started a group call", "screenshot_taken": "took a screenshot",
    "set_messages_ttl": "changed the auto-delete timer",
}  # fmt: skip
_NOT_INCLUDED = "(File "  # "(File not included. …)" / "(File exceeds maximum size. …)"
_EPOCH_S_RANGE = (0, 4_102_444_800)  # 1970 … 2100


def sniff(head: bytes, name: str) -> bool:
    if not head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return False
    if b'"personal_information"' in head or (b'"about"' in head and b"Telegram" in head):
        return True
    if b'"messages"' not in head and b'"chats"' not in head:
        return False
    return any(key in head for key in (b'"date_unixtime"', b'"from_id"', b'"text_entities"')) or (
        b'"date"' in head and b'"type": "message"' in head
    )


def parse(source: ParseSource) -> Iterator[ParsedItem]:
    """Yield every chat's messages; anything unforeseen becomes :class:`UnreadableFile`."""
    doc = _load(source.path)
    yield from refuse_unexpected(
        lambda: _document(source, doc),
        "Something in this Telegram export could not be understood ({error}); the file was kept.",
    )


def _load(path: Path) -> Any:
    try:
        with path.open("rb") as handle:
            data = b"" if path.stat().st_size > MAX_FILE_BYTES else handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise UnreadableFile(f"The file could not be opened ({exc.strerror}).") from None
    if not data or len(data) > MAX_FILE_BYTES:
        raise UnreadableFile(
            "This Telegram export is empty or too big to read in one piece (over 256 MB). "
            "Export the chats one at a time instead; the file was kept."
        )
    try:
        text = data.decode("utf-8-sig")
        del data  # the bytes are not needed while the text is parsed
        return json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise UnreadableFile(
            "This Telegram export is damaged (it is not valid JSON), so no messages could "
            "be read from it; the file was kept."
        ) from None


@dataclass
class _Export:
    """What one file's chats share: who holds the account, and what to say once."""

    source: ParseSource
    account: tuple[str, str | None] | None  # ("user42", "Jane Doe") from personal_information
    hour: _RepeatedHour
    missing: int = 0
    said: set[str] = field(default_factory=set)
    gaps: int = 0

    def once(self, note: FormatNote | None) -> Iterator[FormatNote]:
        """A note about the owner is the same for every chat of an export: say it once."""
        if note is not None and note.message not in self.said:
            self.said.add(note.message)
            yield note


def _document(source: ParseSource, doc: Any) -> Iterator[ParsedItem]:
    if not isinstance(doc, dict):
        raise UnreadableFile("This JSON file is not a Telegram export; the file was kept.")
    if isinstance(doc.get("messages"), list):
        chats: list[dict[str, Any]] = [doc]
    else:
        chats = []
        for section in ("chats", "left_chats"):
            listed = (
                doc.get(section, {}).get("list") if isinstance(doc.get(section), dict) else None
            )
            chats.extend(c for c in listed or [] if isinstance(c, dict))
        if not chats and not isinstance(doc.get("chats"), dict):
            raise UnreadableFile(
                "This JSON file has no Telegram chats or messages in it; the file was kept."
            )
    account = None
    info = doc.get("personal_information")
    if isinstance(info, dict) and (user := _user_id(info.get("user_id"))) is not None:
        parts = (info.get("first_name"), info.get("last_name"))
        holder = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
        account = (user, holder or None)
    export = _Export(source, account, _RepeatedHour(source.zone))
    total = 0
    for number, chat in enumerate(chats):
        for item in _chat(export, chat, number):
            total += isinstance(item, ParsedEntry)
            yield item
    if export.missing > MAX_MISSING_SENTENCES:
        yield ParseProblem(
            f"{export.missing - MAX_MISSING_SENTENCES} more photos or files were not "
            "included in the export."
        )
    yield from _clock_notes(export.hour.unsettled, export.gaps)
    if total == 0:
        yield FormatNote("This Telegram export has no messages in it.")


def _clock_notes(unsettled: int, gaps: int) -> Iterator[FormatNote]:
    said = (
        (unsettled, "fall in the hour that repeats when clocks go back, and their order does "
         "not show which pass: marked approximate (≈), stored at the first pass."),
        (gaps, "carry a time that did not exist (the hour skipped when clocks go forward): "
         "marked approximate (≈)."),
    )  # fmt: skip
    yield from (FormatNote(f"{count} message(s) {words}") for count, words in said if count)


def _user_id(value: Any) -> str | None:
    """A sender's id as ``user123``; exports before ``date_unixtime`` wrote the bare number."""
    if isinstance(value, str) and value:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return f"user{value}"
    return None


@dataclass(frozen=True)
class _Me:
    """Who the user is in one chat: by Telegram id where the export shows it, else by name."""

    user_id: str | None = None  # the account holder's id
    other_id: str | None = None  # a one-to-one chat's other person: any other user is the user
    name: str | None = None  # the sender name the user chose (option ``me``)

    def mine(self, who_id: str | None, who: str | None) -> bool | None:
        """Whether this sender is the user; None when nothing says."""
        if who_id is not None and self.user_id is not None:
            return who_id == self.user_id
        if who_id is not None and self.other_id is not None and who_id.startswith("user"):
            return who_id != self.other_id
        if who is not None and self.name is not None:
            return same_name(who, self.name)
        return None


def _owner(
    export: _Export, chat: dict[str, Any], messages: list[Any]
) -> tuple[_Me, FormatNote | None]:
    """The user in this chat (see :func:`chat_owner`), strongest evidence first.

    Telegram Desktop names the account holder in a whole-account export
    (``personal_information.user_id``); a single chat's export does not, but its ``id``
    is the chat's peer: in a ``personal_chat`` the other person's user id (so every
    other user writing is the user), in ``saved_messages`` the user's own.
    """
    said = [m for m in messages if isinstance(m, dict) and m.get("type") != "service"]
    said = [m for m in said if isinstance(m.get("from"), str) and m["from"]]
    senders = {m["from"] for m in said}
    names = {who_id: m["from"] for m in said[::-1] if (who_id := _user_id(m.get("from_id")))}
    chat_id, kind = chat.get("id"), chat.get("type")
    bare = chat_id if isinstance(chat_id, int) and not isinstance(chat_id, bool) else None
    rule, found, why = None, None, ""
    if export.account is not None:
        user, holder = export.account
        rule, found = _Me(user_id=user), names.get(user) or holder or user
        why = f"“{found}” is you: a whole-account Telegram export names its owner."
    elif kind == "saved_messages" and bare is not None:
        rule, found = _Me(user_id=f"user{bare}"), names.get(f"user{bare}") or "you"
    elif kind == "personal_chat" and bare is not None:
        others = {name for who_id, name in names.items() if who_id != f"user{bare}"}
        if len(others) <= 1:
            rule, found = _Me(other_id=f"user{bare}"), next(iter(others), "you")
            why = (
                f"“{found}” is you: Telegram names a one-to-one chat's export by the other "
                "person's id, and every other message is yours."
            )
            why = why if others else ""  # nothing to say where every message comes in
    owner, note = chat_owner(export.source.options, senders, found=found, why=why)
    if owner is None:
        return _Me(), note
    # The export's id is certain; a chosen name wins only when it is not also the owner's.
    mine = [owner, *my_names(export.source.options)]
    if rule is not None and found is not None and any(same_name(found, n) for n in mine):
        return rule, note
    return _Me(name=owner), note


@dataclass
class _Chat:
    """What every message of one chat shares."""

    chat_id: Any
    thread: str | None
    name: str | None
    peer: str | None  # "user…" in a one-to-one chat: the other person
    me: _Me
    seen: Counter[str] = field(default_factory=Counter)


def _chat(export: _Export, chat: dict[str, Any], number: int) -> Iterator[ParsedItem]:
    """One chat's messages; *number* keeps attachment refs unique across the export."""
    chat_id = chat.get("id")
    name = chat.get("name") if isinstance(chat.get("name"), str) else None
    messages = chat.get("messages")
    messages = messages if isinstance(messages, list) else []
    thread = name or (f"Telegram chat {chat_id}" if chat_id is not None else None)
    if thread is None:  # chat-miner style exports without a name: the people in it
        senders = {m.get("from") for m in messages if isinstance(m, dict)}
        thread = ", ".join(sorted(s for s in senders if isinstance(s, str) and s)) or None
    one_to_one = chat.get("type") == "personal_chat"
    peer = f"user{chat_id}" if one_to_one and isinstance(chat_id, int) else None
    me, note = _owner(export, chat, messages)
    yield from export.once(note)
    context = _Chat(chat_id, thread, name, peer, me)
    folder = export.source.path.parent
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        items: list[ParsedItem] = []
        try:
            refs: list[str] = []
            media_meta: list[dict[str, str]] = []
            for word, where in _media(message):
                media_meta.append({"kind": word, "path": where})
                found = None if where.startswith(_NOT_INCLUDED) else find_inside(folder, where)
                if found is None:
                    export.missing += 1
                    if export.missing <= MAX_MISSING_SENTENCES:
                        items.append(ParseProblem(_missing_sentence(word, where, thread)))
                    continue
                item = read_attachment(
                    found,
                    f"tg:{number}:{index}:{len(refs)}",
                    f"The {word} “{found.name}” could not be read (empty, unreadable or too "
                    "big); the message was kept without it.",
                )
                if isinstance(item, ParsedAttachment):
                    refs.append(item.ref)
                items.append(item)
            when = _when(message, export.source)
            items.append(_entry(context, message, when, refs, media_meta))
        except (OSError, ValueError, TypeError, AttributeError, OverflowError) as exc:
            items.append(
                ParseProblem(
                    f"Message {index + 1} in the Telegram chat “{thread}” could not be read "
                    f"({type(exc).__name__}) and was left out."
                )
            )
            when = _When(None, TimeSource.UNKNOWN, None)
        if when.doubt == "fold":
            export.hour.hold(when.naive, items)
            continue
        export.gaps += when.doubt == "gap"
        yield from export.hour.release()
        yield from items
    yield from export.hour.release()  # each chat is its own order


def _missing_sentence(word: str, where: str, thread: str | None) -> str:
    chat = f" in the chat “{thread}”" if thread else ""
    if where.startswith(_NOT_INCLUDED):
        return (
            f"A {word}{chat} was not included in the export (Telegram's export settings left "
            "it out); the message was kept without it."
        )
    return (
        f"The {word} “{PurePosixPath(where).name}”{chat} was not in the export folder; "
        "the message was kept without it."
    )


def _media(message: dict[str, Any]) -> Iterator[tuple[str, str]]:
    photo = message.get("photo")
    if isinstance(photo, str) and photo:
        yield "photo", photo
    file = message.get("file")
    if isinstance(file, str) and file:
        yield _MEDIA_WORDS.get(str(message.get("media_type")), "file"), file


def flatten(text: Any) -> str:
    """Telegram writes formatted text as a list of strings and ``{"type", "text"}`` parts."""
    if isinstance(text, str):
        return text
    if isinstance(text, list):
        return "".join(
            part if isinstance(part, str) else str(part.get("text", ""))
            for part in text
            if isinstance(part, str | dict)
        )
    return ""


def _hidden_links(text: Any) -> list[str]:
    """Addresses behind a label ("click here"): shown nowhere in the flattened text."""
    if not isinstance(text, list):
        return []
    return [
        str(part["href"])
        for part in text
        if isinstance(part, dict) and part.get("type") == "text_link" and part.get("href")
    ]


@dataclass(frozen=True)
class _When:
    """A message's time; *naive* and *wall* only when a wall clock was read (old exports)."""

    ms: int | None
    source: TimeSource
    offset: int | None
    naive: datetime = datetime(1970, 1, 1)
    wall: WallClock | None = None

    @property
    def doubt(self) -> str | None:
        """Whether the wall clock read was a "fold", a "gap", or neither (None)."""
        return None if self.wall is None else self.wall.ambiguity


def _when(message: dict[str, Any], source: ParseSource) -> _When:
    """``date_unixtime`` first, then ``date`` read in the vault zone, doubts named."""
    naive = None
    raw_date = message.get("date")
    if isinstance(raw_date, str) and raw_date:
        try:
            parsed = datetime.fromisoformat(raw_date)
        except ValueError:  # the exact date_unixtime may still be there
            parsed = None
        naive = parsed if parsed is not None and parsed.tzinfo is None else None
    raw_unix = message.get("date_unixtime")
    if isinstance(raw_unix, str) and raw_unix.strip().isdigit():
        raw_unix = int(raw_unix)
    if isinstance(raw_unix, int) and not isinstance(raw_unix, bool):
        if not _EPOCH_S_RANGE[0] < raw_unix < _EPOCH_S_RANGE[1]:
            raise ValueError("date_unixtime out of range")
        offset = None
        if naive is not None:
            shown = (naive - (datetime(1970, 1, 1) + timedelta(seconds=raw_unix))).total_seconds()
            if shown % 900 == 0 and abs(shown) <= 14 * 3600:
                offset = int(shown // 60)
        return _When(raw_unix * 1000, TimeSource.EXPORT_FIELD, offset)
    if naive is not None:
        wall = read_wall_clock(naive, source.zone)
        return _When(wall.ms, TimeSource.EXPORT_LOCAL, wall.offset_min, naive, wall)
    return _When(None, TimeSource.UNKNOWN, None)


class _RepeatedHour:
    """Messages in the hour clocks repeat, held until their order says each one's pass.

    A chat is written in id order, the order of sending: from a step backwards inside
    the repeated hour on, it is the second pass; before it, the first. With no step,
    nothing tells: the first pass, marked approximate (≈).
    """

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone
        self.held: list[tuple[datetime, list[ParsedItem]]] = []
        self.unsettled = 0

    def hold(self, naive: datetime, items: list[ParsedItem]) -> None:
        self.held.append((naive, items))

    def release(self) -> list[ParsedItem]:
        held, self.held = self.held, []
        step = next((i for i in range(1, len(held)) if held[i][0] < held[i - 1][0]), None)
        out: list[ParsedItem] = []
        for index, (naive, items) in enumerate(held):
            fold = None if step is None else int(index >= step)
            out.extend(
                self._settle(i, naive, fold) if isinstance(i, ParsedEntry) else i for i in items
            )
        return out

    def _settle(self, entry: ParsedEntry, naive: datetime, fold: int | None) -> ParsedEntry:
        """The entry at its pass; the dedup key keeps the first pass's reading."""
        if fold is None:
            self.unsettled += 1
            wall = read_wall_clock(naive, self.zone)
            precision = wall.precision(entry.time_precision)
            return replace(entry, time_precision=precision, meta={**entry.meta, **wall.meta()})
        ms, offset = aware_to_ms(naive.replace(tzinfo=self.zone, fold=fold))
        note = _SETTLED.format("second" if fold else "first")
        meta = {**entry.meta, "fold": fold, "time_note": note}
        return replace(entry, occurred_ms=ms, utc_offset_min=offset, meta=meta)


#: Said of a time in the repeated hour whose pass the order of the messages settled.
_SETTLED = (
    "the clocks went back that night, so this time happened twice; the order of the "
    "messages shows it was the {} time"
)


def _entry(
    chat: _Chat, message: dict[str, Any], when: _When, refs: list[str], media: list[dict[str, str]]
) -> ParsedEntry:
    service = message.get("type") == "service"
    raw_id = message.get("actor_id" if service else "from_id")
    who_id = _user_id(raw_id)
    who = message.get("actor" if service else "from")
    who = who if isinstance(who, str) and who else None
    text = flatten(message.get("text")) or None
    meta: dict[str, Any] = {"sender": who} if who else {}
    if who_id:
        meta["sender_id"] = who_id
    if media:
        meta["media"] = media
    if links := _hidden_links(message.get("text")):
        meta["links"] = links
    for key in ("id", "reply_to_message_id", "forwarded_from", "edited", "sticker_emoji"):
        if message.get(key) not in (None, ""):
            meta[key] = message[key]
    precision = TimePrecision.UNKNOWN if when.ms is None else TimePrecision.SECOND
    if when.wall is not None and when.doubt == "gap":
        precision = when.wall.precision(precision)
        meta.update(when.wall.meta())
    mine = chat.me.mine(who_id, who)
    direction = None if mine is None else Direction.OUTGOING if mine else Direction.INCOMING
    kind, call_type, duration = EntryKind.MESSAGE, None, None
    if service:
        action = str(message.get("action") or "")
        meta["service"] = action
        if action == "phone_call":
            kind = EntryKind.CALL
            reason = message.get("discard_reason")
            meta["discard_reason"] = reason
            if direction is not None:  # the actor placed the call
                missed = CallType.MISSED if reason == "missed" else CallType.INCOMING
                call_type = CallType.OUTGOING if direction is Direction.OUTGOING else missed
            seconds = message.get("duration_seconds")
            if isinstance(seconds, int) and not isinstance(seconds, bool):
                duration = seconds
        elif not text:
            words = _SERVICE_WORDS.get(action, action.replace("_", " "))
            text = f"{who or 'Someone'} {words}".strip()
        if kind is EntryKind.MESSAGE:
            direction = None  # an event in the chat, not a message one side sent
    party, party_name = who_id or who, who
    if direction is Direction.OUTGOING:  # as in an SMS backup: the other side, the chat
        party, party_name = chat.peer or chat.thread, chat.name
    # Keyed as before this reader knew owners and folds: re-imports must not double.
    old_who = raw_id if isinstance(raw_id, str) and raw_id else who
    return ParsedEntry(
        kind=kind,
        occurred_ms=when.ms,
        time_source=when.source,
        utc_offset_min=when.offset,
        time_precision=precision,
        direction=direction,
        party=party,
        party_name=party_name,
        text=text,
        call_type=call_type,
        duration_s=duration,
        thread_key=chat.thread,
        dedup_key=_dedup(message, chat, when.ms, old_who, text),
        attachment_refs=tuple(refs),
        meta=meta,
    )


def _dedup(
    message: dict[str, Any], chat: _Chat, occurred: int | None, who: str | None, text: str | None
) -> str:
    """Telegram numbers messages within a chat; that number survives every re-export."""
    msg_id = message.get("id")
    where = chat.chat_id if chat.chat_id is not None else chat.thread
    if isinstance(msg_id, int) and where is not None:
        return f"tg:{where}:{msg_id}"
    return dedup_key("tg:", [chat.thread, occurred, who, text], chat.seen)
