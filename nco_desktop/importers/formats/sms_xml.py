"""SMS Backup & Restore (Android): ``sms*.xml`` messages and ``calls*.xml`` call logs.

Streamed through expat directly (no element tree), because real backups reach gigabytes
(MMS pictures are inlined as base64) and 100,000 messages should take seconds; a DTD,
an entity declaration or an external reference is refused outright, as defusedxml
does, so no XML bomb gets expanded. Quirks of the format handled here:

- the literal string ``null`` means "no value";
- emoji are written as UTF-16 surrogate-pair references (``&#55357;&#56832;``), which
  XML forbids; :func:`repaired_blocks` turns each pair into the real character before
  the parser sees it;
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
import functools
import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import fields
from typing import IO, Any
from xml.parsers import expat

from nco_desktop.evidence.records import CallType, Direction, EntryKind, TimePrecision, TimeSource
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
_READ_BLOCK = 1 << 20
#: Bytes handed to expat at a time: a few hundred records wait to be yielded, not a
#: whole block's thousands (the worker sends them on while the rest is parsed).
_FEED = 1 << 16
_REFUSED = (
    "this XML file uses features (entity definitions or a DTD) that are refused "
    "as unsafe; a real phone backup never has them"
)

#: An element's attributes as expat reports them (names and values as written).
Attributes = Mapping[str, str]


def sniff(head: bytes, name: str) -> bool:
    return bool(_ROOT.search(head[:4096]))


# ----- reading -----------------------------------------------------------------------

_CHAR_REF = re.compile(rb"&#(x[0-9a-fA-F]{1,6}|[0-9]{1,7});")
#: A run of character references that may name a UTF-16 surrogate (U+D800 … U+DFFF),
#: within _CHAR_REF's bounds (7 decimal digits, 6 hex digits, leading zeros counted):
#: only those need rewriting. 55000 … 57999 is wider than the range: the rest are kept.
_SURROGATE_REF = rb"&#(?:0{0,2}5[5-7][0-9]{3}|x0{0,2}[dD][89a-fA-F][0-9a-fA-F]{2});"
#: Written as one reference then more, not ``(?:…)+``: a pattern that starts with the
#: literal "&#" is searched for 20 times faster (0.48 s → 0.025 s for 22 MB).
_SURROGATE_RUN = re.compile(_SURROGATE_REF + rb"(?:" + _SURROGATE_REF + rb")*")
_FIXED: dict[bytes, bytes] = {}  # run as written -> as rewritten; the same emoji recur


def _surrogate_fix(match_bytes: bytes) -> bytes:
    """Rewrite a run of character references so surrogate pairs become one character."""
    refs = [
        int(m[1:], 16) if m.startswith(b"x") else int(m) for m in _CHAR_REF.findall(match_bytes)
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


def _fixed(match: re.Match[bytes]) -> bytes:
    run = match.group(0)
    fixed = _FIXED.get(run)
    if fixed is None:
        if len(_FIXED) >= 4096:
            _FIXED.clear()
        fixed = _FIXED[run] = _surrogate_fix(run)
    return fixed


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


def repaired_blocks(raw: IO[bytes], block: int = _READ_BLOCK) -> Iterator[bytes]:
    """*raw* in blocks, surrogate-pair references joined into one character each.

    A possibly incomplete run of references at the end of a block is held back for
    the next one, so a pair split across two reads is still joined.
    """
    carry = b""
    while data := raw.read(block):
        data, carry = _split_tail(carry + data)
        yield _SURROGATE_RUN.sub(_fixed, data)
    if carry:
        yield _SURROGATE_RUN.sub(_fixed, carry)


def _value(attrs: Attributes, key: str) -> str | None:
    raw = attrs.get(key)
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


def _contact(attrs: Attributes) -> str | None:
    name = _value(attrs, "contact_name")
    return None if name in (None, "", "(Unknown)") else name


#: caller_id.withheld is a pure function of two short strings that a backup repeats
#: 100,000 times (a handful of numbers): its regular expression cost a fifth of parsing.
_withheld = functools.lru_cache(maxsize=4096)(caller_id.withheld)


def _who(
    attrs: Attributes, number: str | None
) -> tuple[str | None, str | None, str | None, dict[str, Any]]:
    """(party, party_name, thread_key, meta) for *number* as the export wrote it.

    A withheld caller has no party (see :mod:`caller_id`): its words are the name and
    the thread, so its calls group together without becoming a person.
    """
    presentation = _value(attrs, "presentation")
    hidden = _withheld(number, presentation)
    if hidden is None:
        return number, _contact(attrs), number, {}
    return None, hidden, hidden, caller_id.meta_for(hidden, number, presentation)


def _time_source(ms: int | None) -> TimeSource:
    return TimeSource.UNKNOWN if ms is None else TimeSource.EXPORT_FIELD


def _text_hash(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8", "surrogatepass")).hexdigest()[:16]


# ----- records -----------------------------------------------------------------------


#: ParsedEntry's fields in order: :func:`_sms` (100,000 calls a backup) passes them by
#: position, which costs less than by keyword; a reordering must fail here, loudly.
assert [spec.name for spec in fields(ParsedEntry)] == [
    *("kind", "occurred_ms", "time_source", "utc_offset_min", "time_precision"),
    *("direction", "party", "party_name", "text", "call_type", "duration_s"),
    *("thread_key", "dedup_key", "original_ref", "attachment_refs", "meta"),
]


def _sms(attrs: Attributes, problems: list[str]) -> ParsedEntry:
    address = _value(attrs, "address")
    kind = _value(attrs, "type") or ""
    direction, status = _SMS_TYPES.get(kind) or (None, f"type {kind}")
    date = attrs.get("date")
    ms = _epoch_ms(date)
    if ms is None:
        problems.append(f"a message from {address or 'an unknown number'} has no usable date")
    body = _value(attrs, "body")
    party, party_name, thread_key, hidden = _who(attrs, address)
    meta: dict[str, Any] = {"status": status, "sent_ms": _epoch_ms(attrs.get("date_sent"))}
    if subject := _value(attrs, "subject"):
        meta["subject"] = subject
    if hidden:
        meta |= hidden
    return ParsedEntry(  # by position: see the assertion above
        EntryKind.MESSAGE,
        ms,
        _time_source(ms),
        None,  # utc_offset_min
        TimePrecision.SECOND,
        direction,
        party,
        party_name,
        body or None,
        None,  # call_type
        None,  # duration_s
        thread_key,
        f"sms|{date}|{kind}|{_text_hash(body)}",
        None,  # original_ref
        (),
        meta,
    )


def _mms(
    attrs: Attributes,
    addrs: list[Attributes],
    parts: list[Attributes],
    index: int,
    problems: list[str],
) -> Iterator[ParsedItem]:
    """An MMS and its attachments; *addrs* and *parts*: the ``addr`` and ``part``
    elements inside it, in document order, at any depth."""
    direction = _MMS_BOXES.get(_value(attrs, "msg_box") or "")
    ms = _epoch_ms(attrs.get("date"))
    senders: list[str] = []
    recipients: list[str] = []
    for addr in addrs:
        number = _value(addr, "address")
        if number:
            (senders if addr.get("type") == _ADDR_FROM else recipients).append(number)
    address = _value(attrs, "address")
    if direction is Direction.OUTGOING:
        party = ", ".join(recipients) or address
    else:
        party = senders[0] if senders else address
    texts: list[str] = []
    refs: list[str] = []
    for seq, part in enumerate(parts):
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
    sent_s = _value(attrs, "date_sent")
    who, name_of, thread_key, hidden = _who(attrs, party)
    if not hidden:
        thread_key = address
    yield ParsedEntry(
        kind=EntryKind.MESSAGE,
        occurred_ms=ms,
        time_source=_time_source(ms),
        direction=direction,
        party=who,
        party_name=name_of,
        thread_key=thread_key,
        text=text,
        dedup_key=f"mms|{attrs.get('date')}|{_value(attrs, 'msg_box')}|"
        f"{_text_hash(text)}|{len(refs)}",
        attachment_refs=tuple(refs),
        meta={
            "mms": True,
            "sent_ms": int(sent_s) * 1000
            if sent_s and sent_s.isdigit() and sent_s != "0"
            else None,
            "recipients": recipients,
            "subject": _value(attrs, "sub") or None,
        }
        | hidden,
    )


def _call(attrs: Attributes, problems: list[str]) -> ParsedEntry:
    number = _value(attrs, "number")
    kind = _value(attrs, "type") or ""
    call_type = _CALL_TYPES.get(kind)
    date = attrs.get("date")
    ms = _epoch_ms(date)
    if ms is None:
        problems.append(f"a call with {number or 'an unknown number'} has no usable date")
    try:
        duration = max(0, int(_value(attrs, "duration") or 0))
    except ValueError:
        duration = None
    direction = Direction.OUTGOING if call_type is CallType.OUTGOING else Direction.INCOMING
    party, party_name, thread_key, hidden = _who(attrs, number)
    return ParsedEntry(
        kind=EntryKind.CALL,
        occurred_ms=ms,
        time_source=_time_source(ms),
        direction=direction if call_type else None,
        party=party,
        party_name=party_name,
        thread_key=thread_key,
        call_type=call_type,
        duration_s=duration,
        dedup_key=f"call|{date}|{kind}|{duration}",
        meta=({} if call_type else {"unknown_type": kind}) | hidden,
    )


# ----- the document ------------------------------------------------------------------


class _Refused(Exception):
    """A DTD, an entity declaration or an external entity: what XML bombs are made of."""


def _refuse(*_: object) -> None:
    raise _Refused


def _refuse_external(*_: str | None) -> int:
    raise _Refused


class _Records:
    """expat's element handlers: a record becomes items when its element ends, as an
    element tree's "end" event would have it, with no tree kept (memory stays flat)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        self.items: list[ParsedItem] = []
        self.found = 0
        self.declared: str | None = None
        self.started = False
        self._open: list[Attributes] = []  # the attributes of each element not yet ended
        self._mms: list[tuple[list[Attributes], list[Attributes]]] = []  # (addrs, parts)
        self.nested = False

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        if not self.started:
            self.started = True
            if tag not in ("smses", "calls"):
                raise UnreadableFile("this XML file is not an SMS or call-log backup")
            self.declared = attrs.get("count")
        self._open.append(attrs)
        # An address or part belongs to the innermost open MMS only: a real backup never
        # nests them, and giving each to every open one let a 100 KB file of nested
        # MMSes take minutes and gigabytes (quadratic).
        if tag == "addr" and self._mms:
            self._mms[-1][0].append(attrs)
        elif tag == "part" and self._mms:
            self._mms[-1][1].append(attrs)
        elif tag == "mms":
            if self._mms and not self.nested:
                self.nested = True
                self.problems.append(
                    "An MMS was written inside another MMS, which phones never do; each "
                    "was read with only its own addresses and parts."
                )
            self._mms.append(([], []))

    def end(self, tag: str) -> None:
        attrs = self._open.pop()
        if tag == "sms":
            self.items.append(_sms(attrs, self.problems))
        elif tag == "mms":
            addrs, parts = self._mms.pop()
            self.items.extend(_mms(attrs, addrs, parts, self.found, self.problems))
        elif tag == "call":
            self.items.append(_call(attrs, self.problems))
        else:
            return
        self.found += 1

    def take(self) -> list[ParsedItem]:
        items, self.items = self.items, []
        return items


def _parser(records: _Records) -> Any:
    """An expat parser that refuses what defusedxml refuses (forbid_dtd, entities,
    external references) and names elements as ElementTree does ("uri}name" for a
    namespaced one, so it never equals a plain name)."""
    parser = expat.ParserCreate(None, "}")
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse_external
    parser.StartElementHandler = records.start
    parser.EndElementHandler = records.end
    return parser


def parse(source: ParseSource) -> Iterator[ParsedItem]:
    problems: list[str] = []
    records = _Records(problems)
    parser = _parser(records)
    with source.path.open("rb") as raw:
        try:
            for block in repaired_blocks(raw):
                for start in range(0, len(block), _FEED):  # records out as they are read
                    parser.Parse(block[start : start + _FEED], False)
                    yield from records.take()
            parser.Parse(b"", True)
        except _Refused:
            raise UnreadableFile(_REFUSED) from None
        except LookupError:  # an XML declaration naming an encoding that does not exist
            raise UnreadableFile(
                "the file declares a text encoding that does not exist, so it cannot be read"
            ) from None
        except expat.ExpatError as exc:
            yield from records.take()  # every record that ended before the damage
            line = exc.lineno
            if records.found == 0:
                raise UnreadableFile(
                    f"this backup is damaged at line {line}; no complete record could be read"
                ) from None
            problems.append(
                f"the file ends early or is damaged at line {line}: the {records.found} records "
                "before that point were imported; anything after it is lost"
            )
        yield from records.take()
    if not records.started:
        raise UnreadableFile("the file is empty or is not an SMS or call-log backup")
    for problem in problems[:50]:
        yield ParseProblem(problem)
    if len(problems) > 50:
        yield ParseProblem(f"… and {len(problems) - 50} more problems like these")
    found, declared = records.found, records.declared
    if found == 0:
        yield FormatNote("the backup holds no messages or calls")
    elif declared is not None and declared.isdigit() and int(declared) != found:
        yield FormatNote(f"the backup says it holds {declared} records; {found} were found")
