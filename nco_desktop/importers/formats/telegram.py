"""Telegram Desktop's "Export chat history" ``result.json``, one chat or the whole account.

A single-chat export is ``{"name", "type", "id", "messages": [...]}``; the whole-account
export puts the chats under ``chats.list`` (and ``left_chats.list``) and names the
account holder in ``personal_information.user_id``.

Times: ``date_unixtime`` is an exact instant (``EXPORT_FIELD``). ``date`` is the same
instant as the exporting computer's clock showed it, so where both are present their
difference *is* the offset that export was written with, and it is kept. Old exports
with only ``date`` are read in the vault's zone (``EXPORT_LOCAL``).

Direction is claimed only in one-to-one chats, where it is certain: the account holder
is named in a whole-account export, and in a one-to-one chat the chat's ``id`` is the
other person's user id. Group messages keep their sender and no direction.

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
from datetime import datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any

from nco_desktop.evidence.records import (
    CallType,
    Direction,
    EntryKind,
    TimePrecision,
    TimeSource,
)
from nco_desktop.importers.formats.contract import dedup_key, refuse_unexpected
from nco_desktop.importers.formats.export_files import find_inside, read_attachment
from nco_desktop.importers.model import (
    FormatNote,
    ParsedAttachment,
    ParsedEntry,
    ParsedItem,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import local_to_ms

NAME = "Telegram chat"

MAX_FILE_BYTES = 256 * 1024 * 1024
MAX_MISSING_SENTENCES = 20

_MEDIA_WORDS = {
    "sticker": "sticker",
    "voice_message": "voice message",
    "video_message": "video message",
    "video_file": "video",
    "animation": "GIF",
    "audio_file": "audio file",
}
_SERVICE_WORDS = {
    "joined_telegram": "joined Telegram",
    "pin_message": "pinned a message",
    "create_group": "created the group",
    "invite_members": "added members",
    "remove_members": "removed members",
    "join_group_by_link": "joined the group by a link",
    "edit_group_title": "changed the group name",
    "edit_group_photo": "changed the group photo",
    "delete_group_photo": "removed the group photo",
    "clear_history": "cleared the history",
    "group_call": "started a group call",
    "screenshot_taken": "took a screenshot",
    "set_messages_ttl": "changed the auto-delete timer",
}
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
    me = None
    info = doc.get("personal_information")
    if isinstance(info, dict) and isinstance(info.get("user_id"), int):
        me = f"user{info['user_id']}"
    counter = [0]
    total = 0
    for number, chat in enumerate(chats):
        for item in _chat(source, chat, number, me, counter):
            total += isinstance(item, ParsedEntry)
            yield item
    if counter[0] > MAX_MISSING_SENTENCES:
        yield ParseProblem(
            f"{counter[0] - MAX_MISSING_SENTENCES} more photos or files were not included in "
            "the export."
        )
    if total == 0:
        yield FormatNote("This Telegram export has no messages in it.")


def _chat(
    source: ParseSource, chat: dict[str, Any], number: int, me: str | None, missing: list[int]
) -> Iterator[ParsedItem]:
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
    folder = source.path.parent
    seen: Counter[str] = Counter()
    for index, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        try:
            refs: list[str] = []
            media_meta: list[dict[str, str]] = []
            for word, where in _media(message):
                media_meta.append({"kind": word, "path": where})
                found = None if where.startswith(_NOT_INCLUDED) else find_inside(folder, where)
                if found is None:
                    missing[0] += 1
                    if missing[0] <= MAX_MISSING_SENTENCES:
                        yield ParseProblem(_missing_sentence(word, where, thread))
                    continue
                item = read_attachment(
                    found,
                    f"tg:{number}:{index}:{len(refs)}",
                    f"The {word} “{found.name}” could not be read (empty, unreadable or too "
                    "big); the message was kept without it.",
                )
                if isinstance(item, ParsedAttachment):
                    refs.append(item.ref)
                yield item
            yield _entry(source, message, chat_id, thread, peer, name, me, refs, media_meta, seen)
        except (OSError, ValueError, TypeError, AttributeError, OverflowError) as exc:
            yield ParseProblem(
                f"Message {index + 1} in the Telegram chat “{thread}” could not be read "
                f"({type(exc).__name__}) and was left out."
            )


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


def _when(
    message: dict[str, Any], source: ParseSource
) -> tuple[int | None, TimeSource, int | None]:
    """(UTC ms, source, offset): ``date_unixtime`` first, then ``date`` in the vault zone."""
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
        return raw_unix * 1000, TimeSource.EXPORT_FIELD, offset
    if naive is not None:
        occurred, offset = local_to_ms(naive, source.zone)
        return occurred, TimeSource.EXPORT_LOCAL, offset
    return None, TimeSource.UNKNOWN, None


def _entry(
    source: ParseSource,
    message: dict[str, Any],
    chat_id: Any,
    thread: str | None,
    peer: str | None,
    chat_name: str | None,
    me: str | None,
    refs: list[str],
    media: list[dict[str, str]],
    seen: Counter[str],
) -> ParsedEntry:
    occurred, time_source, offset = _when(message, source)
    service = message.get("type") == "service"
    who_id = message.get("actor_id" if service else "from_id")
    who = message.get("actor" if service else "from")
    who_id = who_id if isinstance(who_id, str) and who_id else None
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
    direction = None
    if peer is not None and who_id is not None:
        if me is not None:
            direction = Direction.OUTGOING if who_id == me else Direction.INCOMING
        elif who_id.startswith("user"):
            direction = Direction.INCOMING if who_id == peer else Direction.OUTGOING
    kind, call_type, duration = EntryKind.MESSAGE, None, None
    if service:
        action = str(message.get("action") or "")
        meta["service"] = action
        if action == "phone_call":
            kind = EntryKind.CALL
            reason = message.get("discard_reason")
            meta["discard_reason"] = reason
            if direction is Direction.OUTGOING:
                call_type = CallType.OUTGOING
            elif direction is Direction.INCOMING:
                call_type = CallType.MISSED if reason == "missed" else CallType.INCOMING
            seconds = message.get("duration_seconds")
            if isinstance(seconds, int) and not isinstance(seconds, bool):
                duration = seconds
        elif not text:
            words = _SERVICE_WORDS.get(action, action.replace("_", " "))
            text = f"{who or 'Someone'} {words}".strip()
        if kind is EntryKind.MESSAGE:
            direction = None  # an event in the chat, not a message one side sent
    party, party_name = who_id or who, who
    if direction is Direction.OUTGOING:  # the other side of a one-to-one chat
        party, party_name = peer, chat_name
    return ParsedEntry(
        kind=kind,
        occurred_ms=occurred,
        time_source=time_source,
        utc_offset_min=offset,
        time_precision=TimePrecision.UNKNOWN if occurred is None else TimePrecision.SECOND,
        direction=direction,
        party=party,
        party_name=party_name,
        text=text,
        call_type=call_type,
        duration_s=duration,
        thread_key=thread,
        dedup_key=_dedup(message, chat_id, thread, occurred, who_id or who, text, seen),
        attachment_refs=tuple(refs),
        meta=meta,
    )


def _dedup(
    message: dict[str, Any],
    chat_id: Any,
    thread: str | None,
    occurred: int | None,
    who: str | None,
    text: str | None,
    seen: Counter[str],
) -> str:
    """Telegram numbers messages within a chat; that number survives every re-export."""
    msg_id = message.get("id")
    chat = chat_id if chat_id is not None else thread
    if isinstance(msg_id, int) and chat is not None:
        return f"tg:{chat}:{msg_id}"
    return dedup_key("tg:", [thread, occurred, who, text], seen)
