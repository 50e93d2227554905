"""Outlook .msg files: MAPI properties in an OLE2 compound file ([MS-OXMSG]).

``olefile`` (BSD, pure Python, no dependencies) reads the compound file; the few
properties a timeline needs are read here. ``extract-msg`` would do more, but it pulls
in about twenty packages (cryptography, oletools, easygui, an sdist) into a worker
that parses hostile files. Without olefile, .msg files are kept but not read.

A received .msg keeps the internet header it arrived with (PR_TRANSPORT_MESSAGE_HEADERS),
so its time, sender and Message-ID come from there exactly as for an .eml; the MAPI
properties fill what the header lacks (drafts and messages sent inside Exchange).
"""

from __future__ import annotations

import importlib
import struct
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import policy
from email.parser import HeaderParser
from typing import Any

from nco_desktop.evidence.records import TimeSource
from nco_desktop.importers import model
from nco_desktop.importers.formats.email_messages import (
    MailFacts,
    build_entry,
    decode_bytes,
    facts_from_headers,
    html_to_text,
    one_line,
    safe_name,
)
from nco_desktop.importers.model import (
    ParsedAttachment,
    ParsedItem,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import to_ms

NOT_SUPPORTED = "Outlook .msg files are not supported yet; the file was kept as it is"
_UNSET_FILETIME = {0, 0x7FFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF}
_TIMES = (  # strongest first: when it was sent, when it arrived, when the item was made
    (0x0039, TimeSource.EXPORT_FIELD, "outlook-sent-time"),
    (0x0E06, TimeSource.EXPORT_FIELD, "outlook-delivery-time"),
    (0x3007, TimeSource.FILE_MTIME, "outlook-creation-time"),  # weak: a draft or a copy
)


def _codec(codepage: int | None) -> str | None:
    """A Python codec for a Windows code page number (for 8-bit string properties)."""
    if codepage is None:
        return None
    if 28591 <= codepage <= 28605:
        return f"iso8859_{codepage - 28590}"
    named = {65001: "utf-8", 20127: "ascii", 936: "gb18030", 54936: "gb18030", 50220: "iso2022_jp"}
    return named.get(codepage, f"cp{codepage}")


class _Properties:
    """The MAPI properties of one storage: the message, a recipient or an attachment."""

    def __init__(self, ole: Any, prefix: str, header_size: int) -> None:
        self.ole, self.prefix = ole, prefix
        self.fixed: dict[int, bytes] = {}
        name = f"{prefix}__properties_version1.0"
        data = ole.openstream(name).read() if ole.exists(name) else b""
        for offset in range(header_size, len(data) - 15, 16):
            tag = struct.unpack_from("<I", data, offset)[0]
            self.fixed[tag] = data[offset + 8 : offset + 16]
        self.codec: str | None = None

    def stream(self, prop_id: int, prop_type: int) -> bytes | None:
        name = f"{self.prefix}__substg1.0_{prop_id:04X}{prop_type:04X}"
        return bytes(self.ole.openstream(name).read()) if self.ole.exists(name) else None

    def size(self, prop_id: int, prop_type: int) -> int:
        name = f"{self.prefix}__substg1.0_{prop_id:04X}{prop_type:04X}"
        return int(self.ole.get_size(name)) if self.ole.exists(name) else 0

    def text(self, prop_id: int) -> str | None:
        wide = self.stream(prop_id, 0x001F)
        if wide is not None:
            value = wide.decode("utf-16-le", "replace")
        else:
            narrow = self.stream(prop_id, 0x001E)
            value = decode_bytes(narrow, self.codec) if narrow is not None else ""
        return value.rstrip("\x00").strip() or None

    def long(self, prop_id: int) -> int | None:
        raw = self.fixed.get(prop_id << 16 | 0x0003)
        return struct.unpack("<i", raw[:4])[0] if raw else None

    def time(self, prop_id: int) -> datetime | None:
        raw = self.fixed.get(prop_id << 16 | 0x0040)
        ticks = struct.unpack("<Q", raw)[0] if raw else 0
        if ticks in _UNSET_FILETIME:
            return None
        try:
            return datetime(1601, 1, 1, tzinfo=UTC) + timedelta(microseconds=ticks // 10)
        except OverflowError:
            return None


def parse_msg(source: ParseSource) -> Iterator[ParsedItem]:
    """One EMAIL entry for the .msg, with its attachments yielded first."""
    try:
        olefile = importlib.import_module("olefile")
    except ImportError:
        raise UnreadableFile(NOT_SUPPORTED) from None
    try:
        ole = olefile.OleFileIO(str(source.path))
    except Exception:  # olefile raises several kinds for damaged files
        raise UnreadableFile(
            "this Outlook .msg file is damaged and could not be opened; it was kept as it is"
        ) from None
    with ole:
        if not ole.exists("__properties_version1.0"):
            raise UnreadableFile("this Office file is not an Outlook message")
        yield from _message(ole, source)


def _one_line(text: str | None) -> str | None:
    return one_line(text) or None if text else text


def _storages(ole: Any, prefix: str) -> list[str]:
    return sorted({entry[0] for entry in ole.listdir() if entry[0].startswith(prefix)})


def _message(ole: Any, source: ParseSource) -> Iterator[ParsedItem]:
    props = _Properties(ole, "", 32)
    props.codec = _codec(props.long(0x3FFD) or props.long(0x3FDE))
    transport = props.text(0x007D)
    facts = MailFacts()
    if transport:
        facts = facts_from_headers(HeaderParser(policy=policy.default).parsestr(transport))
    # The properties' text is one line too, as a decoded header is (email_messages).
    facts.subject = facts.subject or _one_line(props.text(0x0037))
    facts.message_id = facts.message_id or props.text(0x1035)
    facts.in_reply_to = facts.in_reply_to or props.text(0x1042)
    if facts.sender is None:
        address = _one_line(props.text(0x5D01) or props.text(0x0C1F) or props.text(0x0065))
        name = _one_line(props.text(0x0C1A) or props.text(0x0042)) or ""
        if address or name:
            facts.sender = (name if name != address else "", address or "")
    if not facts.to and not facts.cc:
        facts.to, facts.cc = _recipients(ole, props.codec)
    fallback = None
    extra: dict[str, Any] = {"outlook_msg": True}
    if (props.long(0x0E07) or 0) & 0x8:  # MSGFLAG_UNSENT: a draft that was never sent
        extra["outlook_unsent"] = True
    if facts.moment is None:
        for prop_id, time_source, label in _TIMES:
            moment = props.time(prop_id)
            if moment is not None:
                fallback, extra["time_from"] = (to_ms(moment), time_source), label
                break
        if fallback is None and source.mtime_ms is not None:
            fallback = (source.mtime_ms, TimeSource.FILE_MTIME)
    text = props.text(0x1000)
    if text is None:
        html = props.stream(0x1013, 0x0102)
        html_text = decode_bytes(html, _codec(props.long(0x3FDE))) if html else props.text(0x1013)
        if html_text:
            text, extra["body_from_html"] = html_to_text(html_text), True
        elif props.size(0x1009, 0x0102):
            yield ParseProblem(
                "The text of this Outlook message is stored only in Outlook's compressed "
                "RTF form, which is not read yet; it is in the stored original."
            )
    refs: list[str] = []
    for item in _attachments(ole, props.codec):
        if isinstance(item, ParsedAttachment):
            refs.append(item.ref)
        yield item
    yield build_entry(
        facts,
        text.replace("\r\n", "\n") if text else text,
        fallback=fallback,
        zone=source.zone,
        attachment_refs=tuple(refs),
        extra_meta=extra,
    )


def _recipients(ole: Any, codec: str | None) -> tuple[list[str], list[str]]:
    """("To" list, "Cc" list) from the recipient storages, as "Name <address>"."""
    lists: dict[int, list[str]] = {1: [], 2: []}
    for storage in _storages(ole, "__recip_version1.0_#"):
        recipient = _Properties(ole, storage + "/", 8)
        recipient.codec = codec
        address = one_line(recipient.text(0x39FE) or recipient.text(0x3003) or "")
        if "@" not in address:
            address = ""
        name = one_line(recipient.text(0x3001) or recipient.text(0x5FF6) or "")
        shown = f"{name} <{address}>" if name and address and name != address else address or name
        kind = recipient.long(0x0C15) or 1
        if shown and kind in lists:
            lists[kind].append(shown)
    return lists[1], lists[2]


def _attachments(ole: Any, codec: str | None) -> Iterator[ParsedItem]:
    for number, storage in enumerate(_storages(ole, "__attach_version1.0_#"), start=1):
        attachment = _Properties(ole, storage + "/", 8)
        attachment.codec = codec
        name = safe_name(
            attachment.text(0x3707) or attachment.text(0x3704) or attachment.text(0x3001),
            f"attachment-{number}",
        )
        if attachment.long(0x3705) in (5, 6):  # an embedded Outlook item or OLE object
            yield ParseProblem(
                f"The attachment “{name}” is an Outlook item or object inside the message; "
                "it was not taken out separately and is in the stored original."
            )
            continue
        if attachment.size(0x3701, 0x0102) > model.MAX_ATTACHMENT_BYTES:
            yield ParseProblem(
                f"The attachment “{name}” is larger than the import limit and was not stored "
                "separately; it is in the stored original."
            )
            continue
        data = attachment.stream(0x3701, 0x0102)
        if data is None:
            continue
        media_type = attachment.text(0x370E) or "application/octet-stream"
        yield ParsedAttachment(
            ref=f"msg:attachment:{number}", name=name, media_type=media_type, data=data
        )
