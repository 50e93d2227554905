"""WhatsApp "Export chat": the chat text (``.txt``) alone, or the ``.zip`` with its media.

WhatsApp writes one line per message, ``<date>, <time> - <sender>: <text>`` (Android) or
``[<date> <time>] <sender>: <text>`` (iOS), in the phone's own date format, with no
zone and no hint of which sender owns the phone. So:

- Day-first or month-first is decided ONCE per file, from the whole file: a first field
  above 12 proves day-first, a second field above 12 proves month-first; with no proof,
  the vault's region decides and a note says the dates were ambiguous. Deciding per
  line would read 03/06 and 13/06 of the same chat in two different orders.
- The file is read twice, streaming: the first pass decides the order and learns the
  senders, the second yields. A chat can be tens of MB; neither pass holds it whole.
- Lines that are not headers continue the previous message (multi-line messages).
- System lines ("X created group", the encryption notice) are KEPT as entries with
  ``party=None`` and ``meta["system"] = True``: who added or removed whom is evidence.
- In a zip, each file a message names becomes an attachment yielded just before that
  message. Files no message names are KEPT as attachments too (never silently dropped)
  and a note counts them. Zip-slip paths, zip bombs and oversized members are refused.
"""

from __future__ import annotations

import io
import mimetypes
import re
import struct
import zipfile
from collections import Counter, OrderedDict
from collections.abc import Buffer, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import IO

from nco_desktop.evidence.records import CallType, Direction, EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats import whatsapp_system as system
from nco_desktop.importers.formats.chat_owner import chat_owner, same_name
from nco_desktop.importers.formats.wall_clock import GAP_MOVED_NOTE
from nco_desktop.importers.formats.whatsapp_dates import (
    Clock,
    DateOrderNeeded,
    DateOrderQuestion,
    OrderEvidence,
    decide_order,
)
from nco_desktop.importers.formats.whatsapp_layouts import LAYOUTS, MARK_CHARS, Header
from nco_desktop.importers.formats.whatsapp_layouts import parse_header as _header
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

__all__ = ["LAYOUTS", "DateOrderNeeded", "DateOrderQuestion", "parse", "sender_names", "sniff"]

NAME = "WhatsApp chat"
NO_MESSAGES = "this does not look like a WhatsApp chat export: no message lines were found"

_MAX_RATIO = 100  # a member over 1 MB may not expand more than this: a zip bomb otherwise
#: Lines are read in pieces of at most this many characters and a message keeps at most
#: this much text, so one endless line cannot eat the memory (WhatsApp allows ~65 000).
_PIECE = 1 << 20
_MARK_CHARS = MARK_CHARS
_MARKS = f"[{_MARK_CHARS}]*"
_ATTACHED = re.compile(
    r"<(?:attached|Anhang|adjunto|allegato|anexo|bijlage|pièce jointe)\s?:\s*"
    rf"{_MARKS}(?P<name>[^<>\n]+?)\s*>",
    re.IGNORECASE,
)
_FILE_ATTACHED = re.compile(
    r"(?P<name>[^<>\n/\\]+?\.[A-Za-z0-9]{1,5})\s\((?:file attached|Datei angehängt|"
    r"archivo adjunto|fichier joint|file allegato|arquivo anexado|bestand bijgevoegd)\)",
    re.IGNORECASE,
)
#: "[2024-03-12, 22:15] Name:" is both a Swedish iPhone's WhatsApp export and Signal's
#: signal-export; only WhatsApp writes these as well.
_ISO_BRACKETED = re.compile(rf"{_MARKS}\[\d{{4}}-\d{{1,2}}-\d{{1,2}}")
_WHATSAPP_MARKS = ("\u200e", "<attached:", " omitted", "end-to-end encrypted")
_CHAT_TITLE = re.compile(
    r"(?:WhatsApp[ -]Chat(?:\s+(?:with|mit|-))?|Chat de WhatsApp con|Conversa do WhatsApp com)"
    r"\s+(?P<name>.+?)(?:\s\(\d+\))?",
    re.IGNORECASE,
)


class _TooLarge(Exception):
    """More bytes came out of a member than it may have."""


def _split_sender(rest: str) -> tuple[str, str] | None:
    """("Sender", "text") for "Sender: text", or None for a line without a sender."""
    sender, sep, text = rest.partition(": ")
    if not sep and rest.endswith(":"):
        sender, sep, text = rest[:-1], ":", ""
    if not sep or not sender.strip() or system.is_encryption_notice(text):
        return None
    return sender.strip(_MARK_CHARS + " "), text


def chat_name(file_name: str) -> str:
    """The chat's name from "WhatsApp Chat with Alex.txt" (or the zip); else the stem."""
    stem = PurePosixPath(file_name.replace("\\", "/")).stem
    match = _CHAT_TITLE.fullmatch(stem)
    return match.group("name") if match else stem


class _Capped(io.RawIOBase):
    """Counts the bytes actually read and stops at a limit, whatever a header declared."""

    def __init__(self, raw: IO[bytes], limit: int | None) -> None:
        super().__init__()
        self._raw, self._left = raw, limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Buffer) -> int:
        view = memoryview(buffer).cast("B")
        data = self._raw.read(len(view))
        if self._left is not None:
            if len(data) > self._left:
                raise _TooLarge
            self._left -= len(data)
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _pieces(raw: IO[bytes], limit: int | None) -> Iterator[tuple[int, str, bool]]:
    """(line number, text, starts a line) in bounded pieces.

    WhatsApp writes UTF-8 (sometimes with a BOM); UTF-16 with a BOM is accepted too.
    Anything else raises UnicodeDecodeError, which parse() turns into a sentence.
    """
    buffered = io.BufferedReader(_Capped(raw, limit))
    encoding = "utf-16" if buffered.peek(2)[:2] in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    with io.TextIOWrapper(buffered, encoding=encoding, errors="strict", newline=None) as text:
        line_no, starts = 1, True
        while piece := text.readline(_PIECE):
            ended = piece.endswith("\n")
            yield line_no, piece[:-1] if ended else piece, starts
            line_no, starts = (line_no + ended, ended)


@dataclass
class _Survey:
    """What the first pass learns: enough to decide, never the text itself."""

    messages: int = 0
    text_lines: int = 0
    order: OrderEvidence = field(default_factory=OrderEvidence)
    senders: set[str] = field(default_factory=set)
    #: Senders of "You deleted this message": only the phone's owner writes that.
    owners: set[str] = field(default_factory=set)
    #: The chat's name as an iPhone writes it, before its encryption notice: the same
    #: whether ``_chat.txt`` is imported alone or in its zip, whatever the zip is called.
    title: str | None = None


def _survey(pieces: Iterator[tuple[int, str, bool]]) -> _Survey:
    survey = _Survey()
    for line_no, piece, starts in pieces:
        survey.text_lines += bool(piece.strip())
        header = _header(piece) if starts else None
        if header is None:
            continue
        survey.messages += 1
        if survey.messages == 1:  # iPhones write the notice first, under the chat's name
            survey.title = _notice_title(header.rest)
        if (split := _split_sender(header.rest)) is not None:
            survey.senders.add(split[0])
            if system.is_own_deletion(split[1]):
                survey.owners.add(split[0])
        survey.order.add(line_no, header)
    return survey


def _notice_title(rest: str) -> str | None:
    """ "Alex Roe" from an iPhone's "Alex Roe: ‎Messages and calls are end-to-end
    encrypted…" (the chat's name, for a group too); None for any other line."""
    name, sep, text = rest.partition(": ")
    name = name.strip(_MARK_CHARS + " ")
    return name if sep and name and system.is_encryption_notice(text) else None


def _identity_text(text: str) -> str:
    """What of a message's text identifies it across exports of the same chat.

    A picture is "IMG-….jpg (file attached)" or "<attached: …>" in an export with
    media and "<Media omitted>" or "image omitted" in one without (with or without its
    caption): all are "a file", so the two exports of one chat hold the same messages
    (repeats in one minute stay apart by their count, see :meth:`_Pass.repeat`).
    """
    first = text.split("\n", 1)[0]
    if (
        system.is_media_omitted(first)
        or _ATTACHED.search(first)
        or _FILE_ATTACHED.match(first.lstrip(_MARK_CHARS))
    ):
        return "\0file"
    return text


def sender_names(items: list[ParsedItem]) -> list[str]:
    """The distinct people who wrote in a parsed chat, for "which of these names is you?".

    Read off the parsed entries (plain data), so the program may call it on what a
    worker returned: system lines have no sender; the user's own lines, once known,
    keep their name in ``meta["sender"]``.
    """
    names: set[str] = set()
    for item in items:
        if isinstance(item, ParsedEntry) and not item.meta.get("system"):
            sender = item.meta.get("sender")
            if isinstance(sender, str):
                names.add(sender)
    return sorted(names)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _unsafe(name: str) -> bool:
    """A zip-slip path: absolute, with a drive letter, or climbing out with '..'."""
    path = name.replace("\\", "/")
    return path.startswith("/") or bool(re.match(r"[A-Za-z]:", path)) or ".." in path.split("/")


def _refusal(info: zipfile.ZipInfo) -> str | None:
    """Why a member must not be read, judged from its declared sizes; None if it may."""
    if info.flag_bits & 0x1:
        return "it is protected by a password"
    if info.file_size > MAX_ATTACHMENT_BYTES:
        return f"it is larger than {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB"
    if info.file_size > (1 << 20) and info.file_size > _MAX_RATIO * max(info.compress_size, 1):
        return f"it would expand more than {_MAX_RATIO} times (a “zip bomb”)"
    return None


class _Media:
    """The zip's files, looked up by the names messages give them."""

    def __init__(self, zf: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> None:
        self.zf = zf
        self.by_name = {PurePosixPath(i.filename).name: i for i in reversed(members)}
        self.done: dict[str, str | None] = {}  # member name → ref, or None if refused

    def attach(self, info: zipfile.ZipInfo) -> Iterator[ParsedItem]:
        """Yield the member as an attachment (or a problem) the first time it is needed."""
        if info.filename in self.done:
            return
        self.done[info.filename] = None
        name = PurePosixPath(info.filename).name
        data, reason = b"", _refusal(info)
        if reason is None:
            try:
                with _Capped(self.zf.open(info), min(info.file_size, MAX_ATTACHMENT_BYTES)) as fh:
                    data = fh.read()
            except _TooLarge:
                reason = "it holds more bytes than the zip says"
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, RuntimeError):
                reason = "it is damaged"
        if reason is not None:
            yield ParseProblem(f"“{name}” inside the zip was not imported because {reason}.")
            return
        media_type = mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"
        if name.lower().endswith(".opus"):  # WhatsApp voice notes; not every system knows
            media_type = "audio/ogg"
        self.done[info.filename] = "wa:" + info.filename
        yield ParsedAttachment("wa:" + info.filename, name, media_type, data)


@dataclass
class _Pass:
    """The second pass's state across messages: the decided order, recent repeats, trouble."""

    thread: str
    clock: Clock
    day_first: bool
    senders: set[str]
    media: _Media | None
    me: str | None  # the phone owner's name as a sender, when known
    recent: OrderedDict[str, Counter[str]] = field(default_factory=OrderedDict)
    bad_dates: list[int] = field(default_factory=list)
    truncated: int = 0
    missing: list[str] = field(default_factory=list)
    mentioned: int = 0

    def repeat(self, stamp: str, identity: str) -> int:
        """How often this exact message came before at this time: repeats stay distinct.

        Only the last 64 timestamps are remembered: exports are in order (give or take
        a clock change), and memory must stay flat on a chat with a million lines.
        """
        bucket = self.recent.setdefault(stamp, Counter())
        self.recent.move_to_end(stamp)
        while len(self.recent) > 64:
            self.recent.popitem(last=False)
        bucket[identity] += 1
        return bucket[identity] - 1

    def direction(self, sender: str) -> Direction | None:
        """Outgoing for the phone owner's lines, incoming for others'; None if unknown."""
        if self.me is None:
            return Direction.OUTGOING if sender in system.YOU else None
        mine = same_name(sender, self.me) or sender in system.YOU
        return Direction.OUTGOING if mine else Direction.INCOMING

    def attachments(self, text: str, refs: list[str], names: list[str]) -> Iterator[ParsedItem]:
        """The files a message names (into *names*), yielded once each (refs into *refs*)."""
        names += [m.group("name").strip() for m in _ATTACHED.finditer(text)]
        if (attached := _FILE_ATTACHED.match(text)) is not None:
            names.append(attached.group("name").strip(_MARK_CHARS + " "))
        for name in names:
            info = self.media.by_name.get(PurePosixPath(name).name) if self.media else None
            self.mentioned += self.media is None
            if self.media is not None and info is None:
                self.missing.append(name)
            elif self.media is not None and info is not None:
                yield from self.media.attach(info)
                if (ref := self.media.done[info.filename]) is not None and ref not in refs:
                    refs.append(ref)

    def emit(
        self, header: Header, line_no: int, more: list[str], cut: bool
    ) -> Iterator[ParsedItem]:
        """The attachments a message names, then the message itself."""
        items = list(self._items(header, line_no, more, cut))
        entry = items[-1]
        moment = header.local(self.day_first)
        if moment is not None and isinstance(entry, ParsedEntry) and entry.meta.get("fold"):
            yield from self.clock.hold(moment, items)
            return
        yield from self.clock.release()
        yield from items

    def _items(
        self, header: Header, line_no: int, more: list[str], cut: bool
    ) -> Iterator[ParsedItem]:
        split = _split_sender(header.rest)
        if split is None:  # "John Doe:." — no space, but John Doe is a known sender
            prefix, sep, tail = header.rest.partition(":")
            split = (prefix, tail.lstrip(" ")) if sep and prefix in self.senders else None
        sender, first_line = split or (None, header.rest)
        raw_text = first_line + "".join(more)
        is_system = system.is_system(raw_text, sender is not None)
        # Blank lines before the next header (or the end) belong to no message.
        text = raw_text.lstrip(_MARK_CHARS).rstrip("\n")
        meta: dict[str, object] = {"line": line_no}
        omitted = system.is_media_omitted(text.split("\n", 1)[0])
        flags = {
            "system": is_system,
            "media_omitted": omitted,
            "deleted": not is_system and system.is_deleted(text),
            "truncated": cut,
        }
        meta.update((key, True) for key, on in flags.items() if on)
        if omitted:
            meta["media_included"] = False  # a real message whose file the export left out
        self.truncated += cut
        refs: list[str] = []
        names: list[str] = []
        yield from self.attachments(text, refs, names)
        if names:
            meta["attached_files"] = names
        party: str | None = None
        direction: Direction | None = None
        if sender is not None and not is_system:
            meta["sender"] = sender
            direction = self.direction(sender)
            party = self.thread if direction is Direction.OUTGOING else sender
        elif sender is not None:
            meta["written_under"] = sender  # iOS writes its own lines under the chat's name
        call = not is_system and sender is not None and system.is_missed_call(text)
        moment = header.local(self.day_first)
        occurred = offset = None
        precision = TimePrecision.SECOND if header.seconds is not None else TimePrecision.MINUTE
        if moment is None:
            self.bad_dates.append(line_no)
        else:
            occurred, offset, oddity = self.clock.place(moment)
            if oddity == "gap":
                precision = TimePrecision.DAY
                meta["time_ambiguous"] = "did not exist"
                meta["time_note"] = GAP_MOVED_NOTE
                meta["written_time"] = moment.isoformat(" ", "minutes")
            elif oddity == "fold":
                meta["fold"] = True  # settled when the repeated hour ends (Clock.release)
        stamp = (
            "raw:" + header.raw
            if moment is None
            else moment.isoformat(timespec="seconds" if header.seconds is not None else "minutes")
        )
        identity = "|".join(("whatsapp", self.thread, stamp, sender or "", _identity_text(text)))
        yield ParsedEntry(
            kind=EntryKind.CALL if call else EntryKind.MESSAGE,
            occurred_ms=occurred,
            time_source=TimeSource.UNKNOWN if occurred is None else TimeSource.EXPORT_LOCAL,
            utc_offset_min=offset,
            time_precision=TimePrecision.UNKNOWN if occurred is None else precision,
            direction=direction,
            call_type=CallType.MISSED if call else None,
            party=party,
            text=text,
            thread_key=self.thread,
            dedup_key=f"{identity}|{self.repeat(stamp, identity)}",
            attachment_refs=tuple(refs),
            meta=meta,
        )

    def problems(self, orphans: int) -> Iterator[ParsedItem]:
        """One sentence per kind of trouble, not one per line."""
        yield from self.clock.release()
        yield from self.clock.notes()
        if orphans:
            yield ParseProblem(f"{_count(orphans, 'line')} before the first message not imported.")
        if bad := self.bad_dates:
            shown = ", ".join(map(str, bad[:5])) + (", …" if len(bad) > 5 else "")
            yield ParseProblem(
                f"{_count(len(bad), 'message')} with a date that cannot exist (lines {shown}) "
                "imported without a time."
            )
        if self.truncated:
            yield ParseProblem(
                f"Cut short: {_count(self.truncated, 'message')} too long for WhatsApp."
            )
        if missing := self.missing:
            shown = ", ".join(missing[:5]) + (", …" if len(missing) > 5 else "")
            yield ParseProblem(
                f"{_count(len(missing), 'file')} named in the chat not found in the zip "
                f"({shown}); the messages were imported without them."
            )
        if self.mentioned:
            yield FormatNote(
                f"{_count(self.mentioned, 'attached file')} named in the chat, but a text "
                "file holds no media. Import the .zip export of the chat to keep the files."
            )


def _owner(source: ParseSource, survey: _Survey) -> tuple[str | None, FormatNote | None]:
    """The phone owner's sender name (see :func:`chat_owner`): the user's choice, or the
    one sender who wrote "You deleted this message", which only the owner writes."""
    found = next(iter(survey.owners)) if len(survey.owners) == 1 else None
    why = f"“{found}” is you: only the phone's owner writes “You deleted this message”."
    return chat_owner(source.options, survey.senders, found=found, why=why)


def _parse_chat(
    open_raw: Callable[[], IO[bytes]],
    limit: int | None,
    thread: str,
    source: ParseSource,
    media: _Media | None,
) -> Iterator[ParsedItem]:
    """Both passes over one chat text."""
    survey = _survey(_pieces(open_raw(), limit))
    if survey.messages == 0:
        raise UnreadableFile("this file is empty" if not survey.text_lines else NO_MESSAGES)
    if survey.title is not None:  # an iPhone's export: the chat names itself
        thread = survey.title
    day_first, note = decide_order(
        survey.order, source.options, source.region, sorted(survey.senders)
    )
    if note is not None:
        yield note
    me, who = _owner(source, survey)
    if who is not None:
        yield who
    state = _Pass(thread, Clock(source.zone), day_first, survey.senders, media, me)
    header: Header | None = None
    line_no = orphans = size = 0
    more: list[str] = []
    cut = False
    for number, piece, starts in _pieces(open_raw(), limit):
        if starts and (next_header := _header(piece)) is not None:
            if header is not None:
                yield from state.emit(header, line_no, more, cut)
            header, line_no, more, size, cut = next_header, number, [], 0, False
        elif header is None:
            orphans += bool(piece.strip())
        elif not cut:  # no WhatsApp message is longer than _PIECE: cut it, and say so
            chunk = "\n" + piece if starts else piece
            if size + len(chunk) > _PIECE:
                chunk, cut = chunk[: _PIECE - size], True
            more.append(chunk)
            size += len(chunk)
    if header is not None:
        yield from state.emit(header, line_no, more, cut)
    yield from state.problems(orphans)


def _is_chat_text(name: str) -> bool:
    base = PurePosixPath(name).name.lower()
    return base == "_chat.txt" or (base.endswith(".txt") and "whatsapp" in base)


def _parse_zip(source: ParseSource) -> Iterator[ParsedItem]:
    try:
        zf = zipfile.ZipFile(source.path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise UnreadableFile("this zip file is damaged or is not a zip file") from None
    with zf:
        members = [info for info in zf.infolist() if not info.is_dir()]
        texts = [info for info in members if info.filename.lower().endswith(".txt")]
        chats = [info for info in texts if _is_chat_text(info.filename)]
        if not chats and len(texts) != 1:
            raise UnreadableFile(
                "this zip holds no WhatsApp chat text (no “_chat.txt” or “WhatsApp Chat "
                "with ….txt” file)"
            )
        chat = (chats or texts)[0]
        if _unsafe(chat.filename):
            raise UnreadableFile("the chat text inside this zip has an unsafe path (“..”)")
        if (reason := _refusal(chat)) is not None:
            raise UnreadableFile(f"the chat text inside this zip was not read because {reason}")
        safe = []
        for info in members:
            if _unsafe(info.filename):
                yield ParseProblem(
                    f"A file inside the zip, “{info.filename}”, was skipped because its path "
                    "points outside the zip."
                )
            elif info is not chat:
                safe.append(info)
        base = PurePosixPath(chat.filename).name
        thread = chat_name(source.name if base.lower() == "_chat.txt" else base)
        media = _Media(zf, safe)
        yield from _parse_chat(lambda: zf.open(chat), MAX_ATTACHMENT_BYTES, thread, source, media)
        kept = 0
        for info in [info for info in safe if info.filename not in media.done]:
            yield from media.attach(info)
            kept += media.done[info.filename] is not None
        if kept:
            yield FormatNote(
                f"{_count(kept, 'file')} in the zip not named by any message, kept as "
                "attachments of this chat export."
            )


def parse(source: ParseSource) -> Iterator[ParsedItem]:
    """Read a WhatsApp export; whatever goes wrong surfaces as UnreadableFile."""
    try:
        with open(source.path, "rb") as fh:
            magic = fh.read(4)
        if not magic:
            raise UnreadableFile("this file is empty")
        if magic in (b"PK\x03\x04", b"PK\x05\x06"):
            yield from _parse_zip(source)
            return

        def open_raw() -> IO[bytes]:
            return open(source.path, "rb")

        yield from _parse_chat(open_raw, None, chat_name(source.name), source, None)
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile(_why(exc)) from None


def _why(exc: Exception) -> str:
    """A sentence for what stopped the reading, in the words a user understands."""
    if isinstance(exc, UnicodeError):
        return "this file is not UTF-8 text, the way WhatsApp writes its exports"
    if isinstance(exc, _TooLarge):
        return "the chat text inside the zip is larger than it may be"
    if isinstance(exc, zipfile.BadZipFile):
        return "this zip file is damaged"
    if isinstance(exc, OSError):
        return f"the file could not be read ({exc.strerror or 'read error'})"
    return f"this chat could not be read ({type(exc).__name__})"


def _zip_names(head: bytes) -> list[str]:
    """Member names of a zip from its first bytes: the whole directory if it fits there,
    else the names in the local headers that fit (a chat text usually comes first)."""
    try:
        with zipfile.ZipFile(io.BytesIO(head)) as zf:
            return zf.namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, struct.error):
        pass
    names, pos = [], head.find(b"PK\x03\x04")
    while 0 <= pos <= len(head) - 30:
        (length,) = struct.unpack_from("<H", head, pos + 26)
        names.append(head[pos + 30 : pos + 30 + length].decode("utf-8", "replace"))
        pos = head.find(b"PK\x03\x04", pos + 4)
    return names


def sniff(head: bytes, name: str) -> bool:
    """A zip naming a chat text, or text whose first non-blank line is a chat header."""
    if head.startswith(b"PK\x03\x04"):
        if any(_is_chat_text(member) for member in _zip_names(head)):
            return True
        return name.lower().endswith(".zip") and "whatsapp" in name.lower()
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        codec = "utf-16-le" if head[0] == 0xFF else "utf-16-be"
        text = head[2 : len(head) // 2 * 2].decode(codec, "ignore")
    else:
        try:
            text = head.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut at the 64 KiB edge
                return False
            text = head[: exc.start].decode("utf-8-sig")
    line = next((line for line in text.splitlines() if line.strip(_MARK_CHARS + " \t")), "")
    if _header(line) is None:
        return False
    if _ISO_BRACKETED.match(line):  # signal-export writes this too: ask for WhatsApp's marks
        return _is_chat_text(name) or any(mark in text for mark in _WHATSAPP_MARKS)
    return True
