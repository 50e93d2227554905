"""E-mail: single messages (.eml), mailboxes (mboxo/mboxrd) and Outlook .msg.

The header decides, because it is the strong evidence: the Date header gives the time
with its offset (else the newest Received line, else a lone .eml's file time, else
unknown) and the Message-ID is the dedup key, so one message imported from an .eml
and from a mailbox is stored once. Headers are decoded here, not by
``email.policy.default``, because real mail lies about charsets (GB2312 labels on GBK
bytes, UTF-8 in "us-ascii" mail) and a binder must show words, not replacement marks.
Mailboxes are read one message at a time: a multi-gigabyte mbox is never in memory.
"""

from __future__ import annotations

import base64
import hashlib
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email import errors as email_errors
from email import policy
from email.header import decode_header
from email.message import Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from typing import IO, Any
from zoneinfo import ZoneInfo

from nco_desktop.evidence.records import EntryKind, TimePrecision, TimeSource
from nco_desktop.importers import model
from nco_desktop.importers.formats.wall_clock import read_wall_clock
from nco_desktop.importers.model import (
    ParsedAttachment,
    ParsedEntry,
    ParsedItem,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import aware_to_ms, to_ms

NAME = "e-mail"

_BOM = b"\xef\xbb\xbf"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MSG_STREAM_MARK = "__substg1.0_".encode("utf-16-le")
_KNOWN_FIELDS = {
    b"from", b"to", b"subject", b"date", b"received", b"return-path", b"message-id",
    b"mime-version", b"delivered-to",
}  # fmt: skip
_FIELD = re.compile(rb"^([!-9;-~]+)[ \t]*:")
#: An mbox separator, "From <sender> <asctime date>": a time and a year tell it from prose.
_FROM_LINE = re.compile(rb"^From \S*[ \t].*?\d{1,2}:\d\d(?::\d\d)?\b.*?\b\d{4}\b")
_QUOTED_FROM = re.compile(rb"^>+From ")
_FOLD = re.compile(r"\r?\n(?=[ \t])")
_REPLY_PREFIX = re.compile(
    r"^\s*(?:(?:re|fwd?|aw|wg|sv|vs|antw|tr|rv|enc|odp|rif)\s*(?:\[\d+\])?\s*[:：]\s*)+", re.I
)
_CHARSET_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "euc-cn": "gb18030",
    "ks_c_5601-1987": "cp949", "shift_jis": "cp932", "x-sjis": "cp932",
    "iso-8859-8-i": "iso-8859-8", "unknown-8bit": "", "x-unknown": "",
}  # fmt: skip
_BINDER_HEADERS = {
    "date", "from", "sender", "reply-to", "to", "cc", "bcc", "subject", "message-id",
    "in-reply-to", "references", "return-path", "received", "x-originating-ip",
    "x-mailer", "user-agent",
}  # fmt: skip
_CUT_DEFECTS = (
    email_errors.CloseBoundaryNotFoundDefect,
    email_errors.StartBoundaryNotFoundDefect,
    email_errors.MultipartInvariantViolationDefect,
    email_errors.NoBoundaryInMultipartDefect,
)
TEXT_LIMIT = 1_000_000  # characters of body text on the entry; the original has it all
_HTML_LIMIT = 8_000_000  # characters of HTML converted (pure-Python parsing is slow)
#: A larger message is read for its header only: the email package needs several times
#: a message's size in memory, and parser workers have 2 GB.
MAX_MESSAGE_BYTES = 160 * 1024 * 1024
_LINE_LIMIT = 1024 * 1024
_MAX_DEPTH = 40
_AS_WRITTEN = policy.default.clone(refold_source="none")


def sniff(head: bytes, name: str) -> bool:
    """An RFC 5322 header block, an mbox "From " line plus headers, or an Outlook .msg."""
    if head.startswith(OLE_MAGIC):  # Word and Excel files are OLE2 too
        return name.lower().endswith(".msg") or _MSG_STREAM_MARK in head
    lines = head.removeprefix(_BOM).split(b"\n")
    cut = len(head) >= 64 * 1024  # then the last line may be cut short
    if lines[0].startswith(b"From "):
        return _known_fields(lines[1:], cut) >= 1
    return _known_fields(lines, cut) >= 2


def _known_fields(lines: list[bytes], cut: bool) -> int:
    """Known fields in the opening header block; 0 if a line before the blank one is no field."""
    known = 0
    for number, line in enumerate(lines):
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t") and number:
            continue
        match = _FIELD.match(line)
        if match is None:
            return known if cut and number == len(lines) - 1 else 0
        field_name = match.group(1).lower()
        known += field_name in _KNOWN_FIELDS or field_name.startswith(b"x-")
    return known


def parse(source: ParseSource) -> Iterator[ParsedItem]:
    """One EMAIL entry per message, its attachments first; only UnreadableFile escapes."""
    produced = False
    try:
        for item in _parse(source):
            produced = True
            yield item
    except UnreadableFile:
        raise
    except Exception as exc:  # the contract: a sentence, never a traceback
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else type(exc).__name__
        if not produced:
            raise UnreadableFile(f"the file could not be read as e-mail ({reason})") from None
        yield ParseProblem(f"Reading stopped early ({reason}); what came before is kept.")


def _parse(source: ParseSource) -> Iterator[ParsedItem]:
    with source.path.open("rb") as handle:
        first = handle.read(len(OLE_MAGIC))
        if not first:
            raise UnreadableFile("the file is empty")
        if first == OLE_MAGIC:
            from nco_desktop.importers.formats import outlook_msg

            yield from outlook_msg.parse_msg(source)
            return
        mbox = first.removeprefix(_BOM).startswith(b"From ")
        handle.seek(0)
        for count, raw in enumerate(_split_messages(handle, mbox=mbox), start=1):
            label = f"E-mail {count}" if mbox else "The e-mail"
            try:
                msg = BytesParser(policy=policy.default).parsebytes(raw.data, raw.oversize)
                if not msg.keys() and not mbox:
                    raise UnreadableFile("no e-mail header lines were found at its start")
                yield from _message_items(msg, raw, count, label, source, mbox=mbox)
            except UnreadableFile:
                raise
            except Exception as exc:  # one bad message must not stop the rest
                yield ParseProblem(
                    f"{label} could not be read ({type(exc).__name__}) and was skipped; "
                    "it is still in the stored original."
                )


@dataclass
class _RawMessage:
    separator: str | None
    data: bytes = b""
    size: int = 0
    oversize: bool = False


def _split_messages(handle: IO[bytes], *, mbox: bool) -> Iterator[_RawMessage]:
    """Messages one by one; an mbox splits at a dated "From " line after a blank line.

    ``>From `` lines lose one ``>`` (mboxrd). For mboxo this restores the quoted lines
    too; only a line that was ``>From `` to begin with would lose its ``>``.
    """
    lines: list[bytes] = []
    current = None if mbox else _RawMessage(None)
    at_line_start, prev_blank, first = True, True, True
    for chunk in iter(lambda: handle.readline(_LINE_LIMIT), b""):
        chunk, first = (chunk.removeprefix(_BOM) if first else chunk), False
        line_start, at_line_start = at_line_start, chunk.endswith(b"\n")
        is_from = mbox and line_start and chunk.startswith(b"From ")
        if is_from and (current is None or (prev_blank and _FROM_LINE.match(chunk))):
            if current is not None:
                yield _finish(current, lines, mbox=True)
            current = _RawMessage(chunk.rstrip(b"\r\n").decode("utf-8", "replace"))
            lines, prev_blank = [], False
            continue
        if current is None:
            continue
        if mbox and line_start and _QUOTED_FROM.match(chunk):
            chunk = chunk[1:]
        prev_blank = line_start and chunk in (b"\n", b"\r\n")
        current.size += len(chunk)
        if not current.oversize:
            lines.append(chunk)
            if current.size > MAX_MESSAGE_BYTES:  # keep the header block only
                blank = next((n for n, line in enumerate(lines) if line in (b"\n", b"\r\n")), 63)
                current.oversize, lines = True, lines[: blank + 1]
    if current is not None:
        yield _finish(current, lines, mbox=mbox)


def _finish(raw: _RawMessage, lines: list[bytes], *, mbox: bool) -> _RawMessage:
    if mbox and lines and lines[-1] in (b"\n", b"\r\n"):
        lines = lines[:-1]  # the blank line before the next separator belongs to the mbox
    raw.data = b"".join(lines)
    return raw


# --- headers -------------------------------------------------------------------------


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Text in its declared charset; UTF-8 when that fails (mislabelled mail is common)."""
    name = (charset or "").strip().strip("\"'").split("*")[0].lower()
    name = _CHARSET_ALIASES.get(name, name)
    for candidate in (name, "utf-8"):
        try:
            return data.decode(candidate) if candidate else data.decode("utf-8")
        except (UnicodeDecodeError, LookupError):
            continue
    try:
        return data.decode(name or "cp1252", "replace")
    except LookupError:
        return data.decode("cp1252", "replace")


def _unbyte(raw: str) -> str:
    """Raw 8-bit header bytes (kept by the parser as surrogates) as text."""
    if any("\udc80" <= char <= "\udcff" for char in raw):
        return decode_bytes(raw.encode("utf-8", "surrogateescape"), None)
    return raw


#: Line breaks, controls and runs of spaces; not a no-break or ideographic space, which
#: a subject means (and which a message's identity, when it has no Message-ID, hashes).
_BREAKS = re.compile(r"[ \x00-\x1f\x7f-\x9f\u2028\u2029]+")


def one_line(text: str) -> str:
    """*text* with its line breaks, control characters and runs of spaces as one space
    (other spaces, such as U+00A0 and U+3000, are kept)."""
    return _BREAKS.sub(" ", text).strip()


def decode_header_text(raw: str) -> str:
    """An unfolded header value with RFC 2047 words and raw 8-bit bytes decoded."""
    text = _FOLD.sub("", _unbyte(raw)).replace("\r", "").replace("\n", " ")
    try:
        chunks = decode_header(text)
        parts = [
            chunk if isinstance(chunk, str)
            else chunk.decode("raw-unicode-escape") if charset is None
            else decode_bytes(chunk, charset)
            for chunk, charset in chunks
        ]  # fmt: skip
    except (ValueError, email_errors.HeaderParseError):  # a damaged encoded word
        parts = [text]
    # One line: an encoded word may hide a line break (=0A) or a control character,
    # which would print as a line of its own wherever the subject or sender is shown.
    return one_line("".join(parts))


def _raw_values(msg: Message, name: str) -> list[str]:
    return [str(value) for key, value in msg.raw_items() if key.lower() == name]


def _first(msg: Message, name: str) -> str | None:
    values = _raw_values(msg, name)
    return decode_header_text(values[0]) or None if values else None


def _addresses(raw: str) -> list[tuple[str, str]]:
    """(display name, addr-spec) pairs; names are decoded after splitting, so commas survive."""
    unfolded = _FOLD.sub("", _unbyte(raw)).strip()
    pairs = [(decode_header_text(n), a) for n, a in getaddresses([unfolded]) if n or a]
    return pairs or ([("", decode_header_text(unfolded))] if unfolded else [])


def _show(pairs: list[tuple[str, str]]) -> list[str]:
    return [f"{name} <{addr}>" if name and addr else name or addr for name, addr in pairs]


_MINUS_ZERO = re.compile(r"\d:\d\d\s+-0000(?:\s|\(|$)")
_ZONE_WORD = re.compile(r"\d:\d\d\s+([A-Za-z]{1,5})\s*(?:\(.*)?$")


def _parse_date(value: str | None) -> tuple[datetime, str] | None:
    """(time, zone) where zone is "known" (aware), "utc" or "local" (both naive).

    RFC 5322 §3.3: "-0000" is a UTC time from a sender whose zone is not said ("utc").
    No zone, or a zone name nobody defined ("CEST", military letters), leaves a clock
    reading in an unknown zone ("local"), which Python would otherwise take for UTC.
    """
    text = decode_header_text(value or "")
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if moment.tzinfo is not None:
        return moment, "known"
    return moment, "utc" if _MINUS_ZERO.search(text) else "local"


@dataclass
class MailFacts:
    """What the header says; shared by .eml/mbox and Outlook .msg."""

    subject: str | None = None
    sender: tuple[str, str] | None = None  # (display name, address)
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    reply_to: list[str] = field(default_factory=list)
    message_id: str | None = None
    in_reply_to: str | None = None
    references: list[str] = field(default_factory=list)
    date_raw: str | None = None
    moment: datetime | None = None  # naive unless zone == "known"
    zone: str = "known"  # "known", "utc" (-0000) or "local" (a clock in an unknown zone)
    zone_written: str | None = None  # an undefined zone name as the header wrote it
    time_from: str | None = None  # None: the Date header
    headers: list[tuple[str, str]] = field(default_factory=list)


def facts_from_headers(msg: Message) -> MailFacts:
    facts = MailFacts(subject=_first(msg, "subject"), date_raw=_first(msg, "date"))
    senders = [pair for value in _raw_values(msg, "from")[:1] for pair in _addresses(value)]
    facts.sender = senders[0] if senders else None
    for key in ("to", "cc", "reply_to"):
        values = _raw_values(msg, key.replace("_", "-"))
        setattr(facts, key, _show([pair for value in values for pair in _addresses(value)]))
    facts.message_id = _first(msg, "message-id")
    facts.in_reply_to = _first(msg, "in-reply-to")
    facts.references = re.findall(r"<[^<>\s]+>", _first(msg, "references") or "")
    facts.headers = [
        (key, decode_header_text(str(value)))
        for key, value in msg.raw_items()
        if key.lower() in _BINDER_HEADERS
    ]
    dated, written = _parse_date(facts.date_raw), facts.date_raw
    for received in [] if dated else _raw_values(msg, "received"):  # newest first
        written = decode_header_text(received.rpartition(";")[2])
        dated = _parse_date(written)
        if dated:
            facts.time_from = "received"
            break
    if dated:
        facts.moment, facts.zone = dated
        word = _ZONE_WORD.search(written or "") if facts.zone == "local" else None
        facts.zone_written = word[1] if word else None
    return facts


def _header_time(
    moment: datetime, facts: MailFacts, zone: ZoneInfo | None, meta: dict[str, Any]
) -> tuple[int, int | None, TimeSource, TimePrecision]:
    """(ms, offset, source, precision) of the header's time; notes the doubt in *meta*.

    A time without a zone is a clock reading somewhere unknown: read in the vault's zone
    (the model's rule for naive times) and kept to the minute, so the timeline marks it
    ≈, because the real instant may be hours away. EXPORT_LOCAL is the nearest source
    the vault knows ("no time zone: read in the vault's zone").
    """
    if facts.zone == "known":
        ms, offset = aware_to_ms(moment)
        return ms, offset, TimeSource.HEADER, TimePrecision.SECOND
    meta["date_zone_unknown"] = True
    if facts.zone == "utc" or zone is None:  # RFC 5322: -0000 is UTC, the sender's zone unsaid
        return to_ms(moment.replace(tzinfo=UTC)), None, TimeSource.HEADER, TimePrecision.SECOND
    clock = read_wall_clock(moment.replace(tzinfo=None), zone)
    said = f" (“{facts.zone_written}”, which no standard defines)" if facts.zone_written else ""
    meta["time_note"] = (
        f"the header gave no time zone{said}; read as a clock in the vault's time zone, "
        "so it may be hours off"
    )
    if facts.zone_written:
        meta["date_zone_as_written"] = facts.zone_written
    return clock.ms, None, TimeSource.EXPORT_LOCAL, TimePrecision.MINUTE


def thread_key(facts: MailFacts) -> str | None:
    """The subject without Re:/Fwd: (the same across a thread), else the References root."""
    subject = re.sub(r"\s+", " ", _REPLY_PREFIX.sub("", facts.subject or "")).strip()
    return subject or next(iter(facts.references), None) or facts.in_reply_to or facts.message_id


def build_entry(
    facts: MailFacts,
    text: str | None,
    *,
    fallback: tuple[int, TimeSource] | None,
    zone: ZoneInfo | None = None,
    attachment_refs: tuple[str, ...] = (),
    extra_meta: dict[str, Any] | None = None,
) -> ParsedEntry:
    """The EMAIL entry; *fallback* is a weaker time, used only when the header has none;
    *zone* (the vault's) reads a header time that gave no zone of its own."""
    meta: dict[str, Any] = {
        "subject": facts.subject,
        "from": _show([facts.sender])[0] if facts.sender else None,
        "to": facts.to,
        "cc": facts.cc,
        "reply_to": facts.reply_to,
        "message_id": facts.message_id,
        "in_reply_to": facts.in_reply_to,
        "headers": facts.headers,
    }
    if text is not None and len(text) > TEXT_LIMIT:
        text = text[:TEXT_LIMIT] + "\n\n[… the rest is not shown here; it is in the original]"
        meta["text_truncated_at"] = TEXT_LIMIT
    occurred_ms: int | None = None
    offset: int | None = None
    source, precision = TimeSource.UNKNOWN, TimePrecision.SECOND
    if facts.moment is not None:
        occurred_ms, offset, source, precision = _header_time(facts.moment, facts, zone, meta)
        if facts.time_from:
            meta["time_from"] = facts.time_from
    elif fallback is not None:
        occurred_ms, source = fallback
    meta.update(extra_meta or {})
    dedup = facts.message_id
    if not dedup:
        basis = "\x1f".join(
            [facts.date_raw or "", meta["from"] or "", facts.subject or "", text or ""]
        )
        dedup = "sha256:" + hashlib.sha256(basis.encode("utf-8", "surrogatepass")).hexdigest()
    name, addr = facts.sender or ("", "")
    return ParsedEntry(
        kind=EntryKind.EMAIL,
        occurred_ms=occurred_ms,
        time_source=source,
        utc_offset_min=offset,
        time_precision=precision,
        party=addr or name or None,
        party_name=(name or None) if addr else None,
        text=text,
        thread_key=thread_key(facts),
        dedup_key=dedup,
        attachment_refs=attachment_refs,
        meta=meta,
    )


# --- bodies and attachments ----------------------------------------------------------


def _leaves(part: Message, in_alternative: bool = False, depth: int = 0) -> Iterator[Any]:
    """(leaf part, inside a multipart/alternative) in document order; message/* is a leaf."""
    payload = part.get_payload()
    leaf = part.get_content_maintype() != "multipart" or not isinstance(payload, list)
    if leaf or depth >= _MAX_DEPTH:  # too deep: kept whole, as an attachment
        yield part, in_alternative
    else:
        alternative = in_alternative or part.get_content_subtype() == "alternative"
        for sub in payload:
            if isinstance(sub, Message):
                yield from _leaves(sub, alternative, depth + 1)


def _is_body_text(part: Message) -> bool:
    """Text meant to be read inline; a multipart without a boundary counts (it is text)."""
    ctype = part.get_content_type()
    broken_multipart = ctype.startswith("multipart/") and not isinstance(part.get_payload(), list)
    return (
        (ctype in ("text/plain", "text/html") or broken_multipart)
        and not part.get_filename()
        and part.get_content_disposition() != "attachment"
    )


def _part_bytes(part: Message) -> tuple[bytes, bool]:
    """(decoded bytes, damaged). Python hands back base64 text when its length is wrong."""
    if part.get_content_maintype() == "message" or part.is_multipart():
        whole = part.as_bytes(policy=_AS_WRITTEN)
        cut = min((i for i in (whole.find(b"\n\n"), whole.find(b"\r\n\r\n")) if i >= 0), default=-1)
        return (whole[cut:].lstrip(b"\r\n") if cut >= 0 else b""), False
    before = len(part.defects)
    data = part.get_payload(decode=True)
    new = part.defects[before:]
    if any(isinstance(defect, email_errors.InvalidBase64LengthDefect) for defect in new):
        text = re.sub(rb"[^A-Za-z0-9+/]", b"", str(part.get_payload()).encode("ascii", "ignore"))
        data = base64.b64decode(text[: len(text) - len(text) % 4])
    return (data if isinstance(data, bytes) else b""), bool(new)


class _HtmlText(HTMLParser):
    """Readable text from HTML: no scripts or styles, line breaks where blocks end."""

    _SKIP = frozenset({"script", "style", "head", "title", "noscript", "template"})
    _BLOCK = frozenset({
        "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "blockquote",
        "pre", "hr", "ul", "ol", "dl", "dt", "dd", "section", "article", "header", "footer",
    })  # fmt: skip

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0
        self.link: tuple[str, int] | None = None  # (href, where its text starts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        href = values.get("href") or ""
        if tag in self._SKIP:
            self.skip += 1
        elif tag in self._BLOCK:
            self.out.append("\n")
        elif tag == "a" and href.startswith(("http:", "https:", "mailto:")):
            self.link = (href, len(self.out))
        elif tag == "img" and values.get("alt"):
            self.out.append(f"[image: {values['alt']}]")
        elif tag in ("td", "th"):
            self.out.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in self._BLOCK:
            self.out.append("\n")
        elif tag == "a" and self.link:  # where a link leads can matter as much as its words
            href, start = self.link
            if href.removeprefix("mailto:") not in "".join(self.out[start:]):
                self.out.append(f" <{href}>")
            self.link = None

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(re.sub(r"\s+", " ", data.replace("\xa0", " ")))


def html_to_text(html: str) -> str:
    parser = _HtmlText()
    parser.feed(html[:_HTML_LIMIT])
    parser.close()
    lines = [line.strip() for line in "".join(parser.out).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def safe_name(name: str | None, fallback: str) -> str:
    """A file name without folders or control characters (zip-slip names are hostile)."""
    name = re.sub(r"[\x00-\x1f\x7f/\\]", "_", decode_header_text(name or "")).strip().lstrip(".")
    return name[:200] or fallback


def _message_items(
    msg: Message, raw: _RawMessage, index: int, label: str, source: ParseSource, *, mbox: bool
) -> Iterator[ParsedItem]:
    facts = facts_from_headers(msg)
    named = f"{label} (“{facts.subject[:60]}”)" if facts.subject and mbox else label
    extra: dict[str, Any] = {"mbox_from_line": raw.separator} if raw.separator else {}
    problems: list[str] = []
    leaves = [] if raw.oversize else list(_leaves(msg))
    texts = {
        id(part): (part, alt, *_part_bytes(part)) for part, alt in leaves if _is_body_text(part)
    }
    body = _pick_body(list(texts.values()))
    pieces: list[str] = []
    for part, alt, data, damaged in texts.values():  # the body, plus inline text around it
        if part is body or (not alt and data.strip()):
            content = decode_bytes(data, part.get_content_charset())
            if part.get_content_type() == "text/html":
                content, extra["body_from_html"] = html_to_text(content), True
            pieces.append(content.replace("\r\n", "\n").strip("\n"))
            if damaged:
                problems.append(f"{named}: part of its text is damaged; what was readable is kept.")
    refs: list[str] = []
    for part, _alt in leaves:
        if id(part) in texts:
            continue
        data, damaged = _part_bytes(part)
        ctype = part.get_content_type()
        name = safe_name(part.get_filename(), f"part-{len(refs) + 1}{_extension(ctype)}")
        if ctype == "message/rfc822" and not name.lower().endswith(".eml"):
            name += ".eml"
        if not data and not part.get_filename():
            continue
        if len(data) > model.MAX_ATTACHMENT_BYTES:
            problems.append(
                f"{named}: the attachment “{name}” is larger than the import limit and was "
                "not stored separately; it is in the stored original."
            )
            continue
        declared = part.get_param("size", header="content-disposition")
        if damaged or (
            isinstance(declared, str) and declared.isdigit() and int(declared) > len(data)
        ):
            problems.append(
                f"{named}: the attachment “{name}” is incomplete or damaged ({len(data)} bytes "
                "could be read); what was readable is kept."
            )
        refs.append(f"email:{index}:part:{len(refs) + 1}")
        yield ParsedAttachment(ref=refs[-1], name=name, media_type=ctype, data=data)
    if raw.oversize:
        problems.append(
            f"{named} is larger than {MAX_MESSAGE_BYTES // 2**20} MB; only its header was read. "
            "The whole message is in the stored original."
        )
    if any(isinstance(d, _CUT_DEFECTS) for p in [msg, *(p for p, _ in leaves)] for d in p.defects):
        problems.append(
            f"{named} seems to be cut off or damaged (a part is not closed properly); "
            "what was readable is kept."
        )
    fallback = None
    if not mbox and source.mtime_ms is not None:  # a lone .eml: its file time, marked weak
        fallback = (source.mtime_ms, TimeSource.FILE_MTIME)
    text = "\n\n".join(piece for piece in pieces if piece) if body is not None else None
    yield from (ParseProblem(problem) for problem in problems)
    yield build_entry(
        facts,
        text,
        fallback=fallback,
        zone=source.zone,
        attachment_refs=tuple(refs),
        extra_meta=extra,
    )


def _pick_body(texts: list[tuple[Message, bool, bytes, bool]]) -> Message | None:
    """The first non-blank text/plain, else the first non-blank HTML, else any text part."""
    for wanted in ("text/plain", "text/html"):
        for part, _alt, data, _damaged in texts:
            if part.get_content_type() == wanted and data.strip():
                return part
    return texts[0][0] if texts else None


def _extension(ctype: str) -> str:
    if ctype.startswith(("text/", "message/")) and ctype not in ("text/html", "message/rfc822"):
        return ".txt"
    return mimetypes.guess_extension(ctype, strict=False) or ".bin"
