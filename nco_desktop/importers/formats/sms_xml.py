"""SMS Backup & Restore (Android): ``sms*.xml`` messages and ``calls*.xml`` call logs.

Streamed with an iterative, entity-safe XML parser, because real backups reach
gigabytes (MMS pictures are inlined as base64). Quirks of the format handled here:

- the literal string ``null`` means "no value";
- emoji are written as UTF-16 surrogate-pair references (``&#55357;&#56832;``), which
  XML forbids; :class:`SurrogateRepairingReader` turns each pair into the real
  character before the parser sees it;
- the root's ``count`` attribute can be wrong: we count what is there and say so;
- a file cut short (a backup interrupted, a copy that ran out of space) yields every
  complete record before the cut, plus a sentence saying where it stopped;
- ``date`` is epoch milliseconds for both SMS and MMS; MMS ``date_sent`` is seconds;
- a withheld caller is a code ("-2") and/or a ``presentation`` value, not a number:
  :mod:`caller_id` turns it into words ("Private number") and no party.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Iterator
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from nco_desktop.evidence.records import CallType, Direction, EntryKind, TimeSource
from nco_desktop.importers.formats import caller_id
from nco_desktop.importers.model import (
    MAX_ATTACHMENT_BYTES,
    FormatNote,
    ParsedAttachment,
    ParsedEntry,
    ParsedItem,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)

NAME = "SMS Backup & Restore"

_ROOT = re.compile(rb"<(smses|calls)[\s>/]")
_SMS_TYPES = {
    "1": (Direction.INCOMING, "received"),
    "2": (Direction.OUTGOING, "sent"),
    "3": (Direction.OUTGOING, "draft"),
    "4": (Direction.OUTGOING, "outbox"),
    "5": (Direction.OUTGOING, "failed"),
    "6": (Direction.OUTGOING, "queued"),
}
_MMS_BOXES = {
    "1": Direction.INCOMING,
    "2": Direction.OUTGOING,
    "3": Direction.OUTGOING,
    "4": Direction.OUTGOING,
}
_CALL_TYPES = {
    "1": CallType.INCOMING,
    "2": CallType.OUTGOING,
    "3": CallType.MISSED,
    "4": CallType.VOICEMAIL,
    "5": CallType.REJECTED,
    "6": CallType.BLOCKED,
    "7": CallType.INCOMING,  # answered on another device
}
_ADDR_FROM = "137"
_EPOCH_MS_RANGE = (0, 4_102_444_800_000)  # 1970 … 2100


def sniff(head: bytes, name: str) -> bool:
    return bool(_ROOT.search(head[:4096]))


# ----- reading -----------------------------------------------------------------------

_CHAR_REF = re.compile(rb"&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});")


def _surrogate_fix(match_bytes: bytes) -> bytes:
    """Rewrite runs of character references so surrogate pairs become one character."""
    refs = [
        int(m[1:], 16) if m.startswith(b"x") else int(m)
        for m in re.findall(rb"&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});", match_bytes)
    ]
    out: list[bytes] = []
    index = 0
    while index < len(refs):
        code = refs[index]
        if (
            0xD800 <= code <= 0xDBFF
            and index + 1 < len(refs)
            and 0xDC00 <= refs[index + 1] <= 0xDFFF
        ):
            code = 0x10000 + ((code - 0xD800) << 10) + (refs[index + 1] - 0xDC00)
            index += 1
        elif 0xD800 <= code <= 0xDFFF:
            code = 0xFFFD  # a lone half of a pair: show that something was there
        out.append(b"&#%d;" % code)
        index += 1
    return b"".join(out)


_REF_RUN = re.compile(rb"(?:&#(?:x[0-9a-fA-F]{1,6}|[0-9]{1,7});)+")


class SurrogateRepairingReader:
    """A file wrapper that repairs surrogate-pair character references on the fly.

    Holds back a possibly incomplete run of references at the end of each block, so a
    pair split across two reads is still joined.
    """

    def __init__(self, raw: IO[bytes], block: int = 1 << 20) -> None:
        self._raw = raw
        self._block = block
        self._carry = b""
        self._out = b""
        self._eof = False

    def read(self, size: int = -1) -> bytes:
        while not self._eof and (size < 0 or len(self._out) < size):
            data = self._raw.read(self._block)
            if not data:
                self._eof = True
                data, self._carry = self._carry, b""
            else:
                data, self._carry = self._split_tail(self._carry + data)
            self._out += _REF_RUN.sub(lambda m: _surrogate_fix(m.group(0)), data)
        if size < 0:
            result, self._out = self._out, b""
        else:
            result, self._out = self._out[:size], self._out[size:]
        return result

    @staticmethod
    def _split_tail(data: bytes) -> tuple[bytes, bytes]:
        """Keep back from the last '&' if what follows could still grow into a reference run."""
        cut = data.rfind(b"&", max(0, len(data) - 64))
        if cut < 0:
            return data, b""
        # Walk back over complete references that directly precede it: they may pair.
        start = cut
        while True:
            previous = data.rfind(b"&#", max(0, start - 12), start)
            if previous >= 0 and _CHAR_REF.fullmatch(data, previous, start):
                start = previous
            else:
                break
        return data[:start], data[start:]


def _value(element: Element, key: str) -> str | None:
    raw = element.get(key)
    if raw is None or raw == "null":
        return None
    return raw


def _epoch_ms(raw: str | None) -> int | None:
    try:
        value = int(raw) if raw is not None else None
    except ValueError:
        return None
    if value is None or not _EPOCH_MS_RANGE[0] < value < _EPOCH_MS_RANGE[1]:
        return None
    return value


def _contact(element: Element) -> str | None:
    name = _value(element, "contact_name")
    return None if name in (None, "", "(Unknown)") else name


def _who(element: Element, number: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """(party, party_name and thread_key fields, meta) for *number* as the export wrote it.

    A withheld caller has no party (see :mod:`caller_id`): its words are the name and
    the thread, so its calls group together without becoming a person.
    """
    presentation = _value(element, "presentation")
    hidden = caller_id.withheld(number, presentation)
    if hidden is None:
        return {"party": number, "party_name": _contact(element), "thread_key": number}, {}
    fields = {"party": None, "party_name": hidden, "thread_key": hidden}
    return fields, caller_id.meta_for(hidden, number, presentation)


def _timed(ms: int | None) -> dict[str, Any]:
    if ms is None:
        return {"occurred_ms": None, "time_source": TimeSource.UNKNOWN}
    return {"occurred_ms": ms, "time_source": TimeSource.EXPORT_FIELD}


def _text_hash(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8", "surrogatepass")).hexdigest()[:16]


# ----- records -----------------------------------------------------------------------


def _sms(element: Element, problems: list[str]) -> ParsedEntry:
    address = _value(element, "address")
    kind = _value(element, "type") or ""
    direction, status = _SMS_TYPES.get(kind, (None, f"type {kind}"))
    ms = _epoch_ms(element.get("date"))
    if ms is None:
        problems.append(f"a message from {address or 'an unknown number'} has no usable date")
    body = _value(element, "body")
    who, hidden = _who(element, address)
    meta: dict[str, Any] = {"status": status, "sent_ms": _epoch_ms(element.get("date_sent"))}
    if subject := _value(element, "subject"):
        meta["subject"] = subject
    return ParsedEntry(
        kind=EntryKind.MESSAGE,
        **_timed(ms),
        direction=direction,
        **who,
        text=body or None,
        dedup_key=f"sms|{element.get('date')}|{kind}|{_text_hash(body)}",
        meta=meta | hidden,
    )


def _mms(element: Element, index: int, problems: list[str]) -> Iterator[ParsedItem]:
    direction = _MMS_BOXES.get(_value(element, "msg_box") or "")
    ms = _epoch_ms(element.get("date"))
    senders: list[str] = []
    recipients: list[str] = []
    for addr in element.iter("addr"):
        number = _value(addr, "address")
        if number:
            (senders if addr.get("type") == _ADDR_FROM else recipients).append(number)
    address = _value(element, "address")
    if direction is Direction.OUTGOING:
        party = ", ".join(recipients) or address
    else:
        party = senders[0] if senders else address
    texts: list[str] = []
    refs: list[str] = []
    for seq, part in enumerate(element.iter("part")):
        media_type = (_value(part, "ct") or "application/octet-stream").lower()
        if media_type == "application/smil":
            continue
        if media_type == "text/plain":
            if text := _value(part, "text"):
                texts.append(text)
            continue
        data = _value(part, "data")
        name = _value(part, "name") or _value(part, "cl") or f"part-{seq}"
        if data is None:
            continue
        if len(data) * 3 // 4 > MAX_ATTACHMENT_BYTES:
            problems.append(f"the attachment “{name}” of an MMS is too large to keep")
            continue
        try:
            payload = base64.b64decode(data, validate=True)
        except (binascii.Error, ValueError):
            problems.append(f"the attachment “{name}” of an MMS is damaged and was left out")
            continue
        ref = f"mms:{index}:part:{seq}"
        yield ParsedAttachment(
            ref=ref, name=name.replace("/", "_"), media_type=media_type, data=payload
        )
        refs.append(ref)
    text = "\n".join(texts) or None
    if ms is None:
        problems.append(f"a picture message from {party or 'an unknown number'} has no usable date")
    sent_s = _value(element, "date_sent")
    who, hidden = _who(element, party)
    if not hidden:
        who["thread_key"] = address
    yield ParsedEntry(
        kind=EntryKind.MESSAGE,
        **_timed(ms),
        direction=direction,
        **who,
        text=text,
        dedup_key=f"mms|{element.get('date')}|{_value(element, 'msg_box')}|"
        f"{_text_hash(text)}|{len(refs)}",
        attachment_refs=tuple(refs),
        meta={
            "mms": True,
            "sent_ms": int(sent_s) * 1000
            if sent_s and sent_s.isdigit() and sent_s != "0"
            else None,
            "recipients": recipients,
            "subject": _value(element, "sub") or None,
        }
        | hidden,
    )


def _call(element: Element, problems: list[str]) -> ParsedEntry:
    number = _value(element, "number")
    kind = _value(element, "type") or ""
    call_type = _CALL_TYPES.get(kind)
    ms = _epoch_ms(element.get("date"))
    if ms is None:
        problems.append(f"a call with {number or 'an unknown number'} has no usable date")
    try:
        duration = max(0, int(_value(element, "duration") or 0))
    except ValueError:
        duration = None
    direction = Direction.OUTGOING if call_type is CallType.OUTGOING else Direction.INCOMING
    who, hidden = _who(element, number)
    return ParsedEntry(
        kind=EntryKind.CALL,
        **_timed(ms),
        direction=direction if call_type else None,
        **who,
        call_type=call_type,
        duration_s=duration,
        dedup_key=f"call|{element.get('date')}|{kind}|{duration}",
        meta=({} if call_type else {"unknown_type": kind}) | hidden,
    )


def parse(source: ParseSource) -> Iterator[ParsedItem]:
    problems: list[str] = []
    found = 0
    declared: str | None = None
    root: Element | None = None
    with source.path.open("rb") as raw:
        reader = SurrogateRepairingReader(raw)
        events = iterparse(reader, events=("start", "end"), forbid_dtd=True)
        try:
            for event, element in events:
                if event == "start":
                    if root is None:
                        root = element
                        if element.tag not in ("smses", "calls"):
                            raise UnreadableFile("this XML file is not an SMS or call-log backup")
                        declared = element.get("count")
                    continue
                if element.tag == "sms" and element is not root:
                    yield _sms(element, problems)
                elif element.tag == "mms":
                    yield from _mms(element, found, problems)
                elif element.tag == "call":
                    yield _call(element, problems)
                else:
                    continue
                found += 1
                root.clear()  # type: ignore[union-attr]  # keep memory flat
        except DefusedXmlException:
            raise UnreadableFile(
                "this XML file uses features (entity definitions or a DTD) that are refused "
                "as unsafe; a real phone backup never has them"
            ) from None
        except LookupError:  # an XML declaration naming an encoding that does not exist
            raise UnreadableFile(
                "the file declares a text encoding that does not exist, so it cannot be read"
            ) from None
        except ParseError as exc:
            line = exc.position[0] if getattr(exc, "position", None) else "?"
            if found == 0:
                raise UnreadableFile(
                    f"this backup is damaged at line {line}; no complete record could be read"
                ) from None
            problems.append(
                f"the file ends early or is damaged at line {line}: the {found} records before "
                "that point were imported; anything after it is lost"
            )
    if root is None:
        raise UnreadableFile("the file is empty or is not an SMS or call-log backup")
    for problem in problems[:50]:
        yield ParseProblem(problem)
    if len(problems) > 50:
        yield ParseProblem(f"… and {len(problems) - 50} more problems like these")
    if found == 0:
        yield FormatNote("the backup holds no messages or calls")
    elif declared is not None and declared.isdigit() and int(declared) != found:
        yield FormatNote(f"the backup says it holds {declared} records; {found} were found")
