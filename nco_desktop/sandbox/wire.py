"""The worker channel's format: length-prefixed JSON headers and raw byte payloads.

A worker may be running an attacker's code (an exploited parser), so what it sends is
data to check, never something that can run: no pickle in either direction. A frame is

    4 bytes, big-endian: the header's length (at most ``MAX_HEADER``)
    the header: a UTF-8 JSON object whose ``"sizes"`` lists each payload's length
    the payloads, back to back

Every length is checked against a limit *before* the bytes are read, so a lying length
costs nothing; the parent rebuilds parsed items from the header with strict checks
(:func:`decode_items`) and anything off raises :class:`WireError`.
"""

from __future__ import annotations

import json
import math
import socket
import struct
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

from nco_desktop.evidence.records import CallType, Direction, EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.model import (
    MAX_ATTACHMENT_BYTES,
    FormatNote,
    ParsedAttachment,
    ParsedEntry,
    ParsedItem,
    ParseProblem,
)

MAX_HEADER = 1024 * 1024
MAX_PAYLOADS = 100_000
#: One frame's payloads: a batch (see worker.BATCH_BYTES) plus one largest attachment.
MAX_FRAME_PAYLOAD = MAX_ATTACHMENT_BYTES + 64 * 1024 * 1024
#: Pixels in one rendered picture or page: 8192 × 6144, 192 MiB of RGBA.
MAX_RASTER_SIDE = 16384
MAX_RASTER_PIXELS = 50_331_648
MAX_SENTENCE = 2000  # characters in a sentence a worker sends (a failure, a problem)
#: Texts longer than this travel as a payload, so headers stay small.
INLINE_TEXT = 4096
_LENGTH = struct.Struct(">I")
_READ_CHUNK = 4 * 1024 * 1024


class WireError(Exception):
    """What came over the channel is not a valid frame or not valid data."""


@dataclass(frozen=True)
class Raster:
    """Pixels rendered in a worker: RGBA8888, rows top to bottom, not premultiplied.

    Built only through :func:`make_raster`, which checks the sizes: the window can wrap
    ``rgba`` in a QImage (Format_RGBA8888) without trusting anything the worker said.
    """

    width: int
    height: int
    rgba: bytes


def make_raster(width: object, height: object, rgba: bytes) -> Raster:
    if not (_is_int(width) and _is_int(height)):
        raise WireError("a raster's size is not two whole numbers")
    assert isinstance(width, int) and isinstance(height, int)
    if not (0 < width <= MAX_RASTER_SIDE and 0 < height <= MAX_RASTER_SIDE):
        raise WireError("a raster's size is out of range")
    if width * height > MAX_RASTER_PIXELS:
        raise WireError("a raster has more pixels than allowed")
    if len(rgba) != width * height * 4:
        raise WireError("a raster's bytes do not match its size")
    return Raster(width, height, rgba)


# ----- frames ------------------------------------------------------------------------


def send_frame(sock: socket.socket, header: dict[str, Any], payloads: Sequence[bytes] = ()) -> None:
    """Write one frame; payloads go out as they are, never joined into one big copy."""
    body = dict(header)
    body["sizes"] = [len(p) for p in payloads]
    raw = json.dumps(body, ensure_ascii=True, allow_nan=False).encode("ascii")
    if len(raw) > MAX_HEADER:
        raise WireError("a frame header is too large")
    sock.sendall(_LENGTH.pack(len(raw)) + raw)
    for payload in payloads:
        if payload:
            sock.sendall(payload)


Deadline = Callable[[], float | None]
"""Seconds left to read the rest of a frame (None: wait as long as it takes)."""


def recv_frame(
    sock: socket.socket,
    remaining: Deadline = lambda: None,
    *,
    max_payload: int = MAX_FRAME_PAYLOAD,
) -> tuple[dict[str, Any], list[bytes]]:
    """Read one frame; EOFError when the other side closed before a frame began.

    Raises WireError for anything malformed, TimeoutError when *remaining* runs out.
    """
    head = _read_exact(sock, _LENGTH.size, remaining, eof_ok=True)
    (length,) = _LENGTH.unpack(head)
    if not 2 <= length <= MAX_HEADER:
        raise WireError("a frame header has an impossible length")
    raw = _read_exact(sock, length, remaining)
    header = parse_header(raw)
    sizes = header.pop("sizes", None)
    if not isinstance(sizes, list) or len(sizes) > MAX_PAYLOADS:
        raise WireError("a frame does not say how long its payloads are")
    if not all(_is_int(s) and 0 <= s <= MAX_ATTACHMENT_BYTES for s in sizes):
        raise WireError("a frame declares a payload of an impossible size")
    if sum(sizes) > max_payload:
        raise WireError("a frame declares more bytes than allowed")
    return header, [_read_exact(sock, size, remaining) for size in sizes]


def _no_constants(name: str) -> Any:
    raise WireError(f"a frame header holds {name}")


def parse_header(raw: bytes) -> dict[str, Any]:
    """The header's JSON object; no NaN or Infinity, no nesting deep enough to recurse.

    A repeated key keeps its last value, which is then checked like any other.
    """
    try:
        header = json.loads(raw.decode("utf-8"), parse_constant=_no_constants)
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise WireError("a frame header is not JSON") from exc
    if not isinstance(header, dict):
        raise WireError("a frame header is not a JSON object")
    return header


def _read_exact(
    sock: socket.socket, size: int, remaining: Deadline, *, eof_ok: bool = False
) -> bytes:
    if size == 0:
        return b""
    buffer = bytearray(size)
    view = memoryview(buffer)
    got = 0
    while got < size:
        left = remaining()
        if left is not None and left <= 0:
            raise TimeoutError
        sock.settimeout(left)
        try:
            count = sock.recv_into(view[got:], min(size - got, _READ_CHUNK))
        except TimeoutError:
            raise
        except InterruptedError:
            continue
        if count == 0:
            if got == 0 and eof_ok:
                raise EOFError
            raise WireError("the channel closed in the middle of a frame")
        got += count
    view.release()
    return bytes(buffer)


def deadline_in(seconds: float) -> Deadline:
    """A Deadline that runs out *seconds* from now."""
    end = time.monotonic() + seconds
    return lambda: end - time.monotonic()


# ----- parsed items: worker side -----------------------------------------------------


def encode_items(items: Sequence[ParsedItem]) -> tuple[list[dict[str, Any]], list[bytes]]:
    """Items as JSON-ready dicts plus payloads (attachment bytes, long texts) by index.

    A run of entries travels as one ``"entries"`` item holding a column per field
    (:data:`ENTRY_FIELDS`), not an object per entry: a backup's frames are less than
    half the JSON, and the program checks each column in one pass.
    """
    out: list[dict[str, Any]] = []
    payloads: list[bytes] = []
    run: list[ParsedEntry] = []
    for item in items:
        if isinstance(item, ParsedEntry):
            run.append(item)
            continue
        if run:
            out.append(_entry_columns(run, payloads))
            run = []
        if isinstance(item, ParsedAttachment):
            payloads.append(item.data)
            out.append(
                {
                    "t": "attachment",
                    "ref": item.ref,
                    "name": item.name,
                    "media_type": item.media_type,
                    "data": len(payloads) - 1,
                }
            )
        elif isinstance(item, ParseProblem):
            out.append({"t": "problem", "message": item.message})
        elif isinstance(item, FormatNote):
            out.append({"t": "note", "message": item.message})
        else:
            raise TypeError(f"a parser yielded {type(item).__name__}, not a parsed item")
    if run:
        out.append(_entry_columns(run, payloads))
    return out, payloads


def _entry_columns(run: list[ParsedEntry], payloads: list[bytes]) -> dict[str, Any]:
    """One ``"entries"`` item: {"t", "n", "columns": {field: [value per entry]}}."""
    columns: dict[str, list[Any]] = {
        name: [getattr(entry, name) for entry in run] for name in ENTRY_FIELDS
    }
    texts = columns["text"]
    for index, text in enumerate(texts):
        if text is not None and len(text) > INLINE_TEXT:
            payloads.append(text.encode("utf-8", "surrogatepass"))
            texts[index] = {"payload": len(payloads) - 1}
    return {"t": "entries", "n": len(run), "columns": columns}


# ----- parsed items: parent side -----------------------------------------------------


def _values(enum: type[StrEnum]) -> dict[str, Any]:
    return {member.value: member for member in enum}


#: Each field a worker may send for an entry: its JSON type, or its enum's values.
_ENTRY_TYPES: dict[str, Any] = {
    "kind": _values(EntryKind),
    "occurred_ms": int,
    "time_source": _values(TimeSource),
    "utc_offset_min": int,
    "time_precision": _values(TimePrecision),
    "direction": _values(Direction),
    "party": str,
    "party_name": str,
    "text": str,
    "call_type": _values(CallType),
    "duration_s": int,
    "thread_key": str,
    "dedup_key": str,
    "original_ref": str,
    "attachment_refs": list,
    "meta": dict,
}
assert set(_ENTRY_TYPES) == {spec.name for spec in fields(ParsedEntry)}
#: An entry's fields in the order ParsedEntry takes them: the columns of "entries".
ENTRY_FIELDS = tuple(spec.name for spec in fields(ParsedEntry))
_NULLABLE = frozenset(
    {"occurred_ms", "utc_offset_min", "direction", "party", "party_name", "text"}
    | {"call_type", "duration_s", "thread_key", "dedup_key", "original_ref"}
)


def decode_items(raw: object, payloads: list[bytes]) -> list[ParsedItem]:
    """Rebuild parsed items from a worker's frame; WireError on anything unexpected."""
    if not isinstance(raw, list):
        raise WireError("the items are not a list")
    used: set[int] = set()
    items: list[ParsedItem] = []
    for value in raw:
        if not isinstance(value, dict):
            raise WireError("an item is not an object")
        kind = value.get("t")
        try:
            if kind == "attachment":
                items.append(_attachment(value, payloads, used))
            elif kind == "entries":
                items.extend(_entries(value, payloads, used))
            elif kind == "entry":
                items.append(_entry(value, payloads, used))
            elif kind in ("problem", "note"):
                _known(value, {"t", "message"})
                message = _sentence(value.get("message"))
                items.append(ParseProblem(message) if kind == "problem" else FormatNote(message))
            else:
                raise WireError("an item of an unknown kind")
        except (ValueError, TypeError) as exc:  # an enum value, an honest-time check
            raise WireError(f"an item is not valid ({exc})") from exc
    if used != set(range(len(payloads))):
        raise WireError("a frame carries payloads no item uses")
    return items


def _attachment(value: dict[str, Any], payloads: list[bytes], used: set[int]) -> ParsedAttachment:
    _known(value, {"t", "ref", "name", "media_type", "data"})
    data = _payload(value.get("data"), payloads, used)
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise WireError("an attachment is larger than allowed")
    return ParsedAttachment(
        ref=_str(value.get("ref")),
        name=_str(value.get("name")),
        media_type=_str(value.get("media_type")),
        data=data,
    )


#: The same checks, split for speed: (field, its enum's values) and (field, its type).
_ENUM_FIELDS = tuple((n, t) for n, t in _ENTRY_TYPES.items() if isinstance(t, dict))
_TYPED_FIELDS = tuple((n, t) for n, t in _ENTRY_TYPES.items() if not isinstance(t, dict))
_ENTRY_KEYS = frozenset(_ENTRY_TYPES) | {"t"}


def _entry(value: dict[str, Any], payloads: list[bytes], used: set[int]) -> ParsedEntry:
    """One entry, every field checked by exact type (JSON makes only str, int, list,
    dict, float, bool and None; a bool is not a number here) or enum value.

    Field by known field rather than over what was sent (the unknown ones are refused
    first, all at once): a 100,000-message backup is decoded here, entry by entry.
    """
    if not value.keys() <= _ENTRY_KEYS:
        unknown = sorted(set(value) - _ENTRY_KEYS)
        raise WireError(f"an entry has a field no parser sends: {unknown[0][:40]!r}")
    args = dict(value)
    args.pop("t", None)
    for name, members in _ENUM_FIELDS:
        raw = args.get(name)
        if raw is None:
            if name in args and name not in _NULLABLE:
                raise WireError(f"an entry's {name} is missing")
            continue
        member = members.get(raw) if type(raw) is str else None
        if member is None:
            raise WireError(f"an entry's {name} is not one of its known values")
        args[name] = member
    for name, expected in _TYPED_FIELDS:
        raw = args.get(name)
        if raw is None:
            if name in args and name not in _NULLABLE:
                raise WireError(f"an entry's {name} is missing")
        elif type(raw) is not expected:
            if name == "text" and type(raw) is dict:
                args[name] = _payload_text(raw, payloads, used)
            else:
                raise WireError(f"an entry's {name} is not of the right type")
    refs = args.get("attachment_refs")
    if refs is not None:
        if not all(type(ref) is str for ref in refs):
            raise WireError("an entry's attachments are not names")
        args["attachment_refs"] = tuple(refs)
    if "kind" not in args or "time_source" not in args or "occurred_ms" not in args:
        raise WireError("an entry without its kind or time")
    return ParsedEntry(**args)


_NONE = type(None)
#: Per column, what is allowed: an enum's values (with None when nullable) to map
#: through, or the set of value types.
_COLUMN_MEMBERS = {
    name: {**values, None: None} if name in _NULLABLE else dict(values)
    for name, values in _ENUM_FIELDS
}
_COLUMN_TYPES = {
    name: frozenset({expected, _NONE} if name in _NULLABLE else {expected})
    for name, expected in _TYPED_FIELDS
}


def _entries(value: dict[str, Any], payloads: list[bytes], used: set[int]) -> list[ParsedEntry]:
    """A run of entries sent column by column; each column checked as a whole, with
    the same rules as :func:`_entry` (exact types, known enum values, honest times)."""
    _known(value, {"t", "n", "columns"})
    count, columns = value.get("n"), value.get("columns")
    if not _is_int(count) or not isinstance(columns, dict) or set(columns) != set(ENTRY_FIELDS):
        raise WireError("a run of entries is not complete")
    assert isinstance(count, int)
    if not all(type(column) is list and len(column) == count for column in columns.values()):
        raise WireError("a run of entries has columns of different lengths")
    checked: dict[str, list[Any]] = {}
    for name, members in _COLUMN_MEMBERS.items():
        try:
            checked[name] = list(map(members.__getitem__, columns[name]))
        except (KeyError, TypeError):
            raise WireError(f"an entry's {name} is not one of its known values") from None
    for name, allowed in _COLUMN_TYPES.items():
        column = columns[name]
        if not set(map(type, column)) <= allowed:
            if name != "text":
                raise WireError(f"an entry's {name} is not of the right type")
            column = [
                _payload_text(text, payloads, used) if type(text) is dict else text
                for text in column
            ]
            if not set(map(type, column)) <= allowed:
                raise WireError("an entry's text is not text")
        checked[name] = column
    refs = checked["attachment_refs"]
    if any(refs) and not all(type(ref) is str for names in refs for ref in names):
        raise WireError("an entry's attachments are not names")
    checked["attachment_refs"] = [tuple(names) for names in refs]
    rows = zip(*(checked[name] for name in ENTRY_FIELDS), strict=True)
    return [ParsedEntry(*row) for row in rows]


def _payload_text(raw: dict[str, Any], payloads: list[bytes], used: set[int]) -> str:
    """A long text sent as a payload: ``{"payload": index}``, UTF-8."""
    if set(raw) != {"payload"}:
        raise WireError("an entry's text is not text")
    try:
        return _payload(raw["payload"], payloads, used).decode("utf-8", "surrogatepass")
    except UnicodeDecodeError as exc:
        raise WireError("an entry's text is not UTF-8") from exc


def _payload(index: object, payloads: list[bytes], used: set[int]) -> bytes:
    if not _is_int(index) or not 0 <= index < len(payloads) or index in used:  # type: ignore[operator]
        raise WireError("an item points at a payload that is not there")
    assert isinstance(index, int)
    used.add(index)
    return payloads[index]


def _known(value: dict[str, Any], allowed: frozenset[str] | set[str]) -> None:
    unknown = set(value) - allowed
    if unknown:
        raise WireError(f"an item has fields no parser sends: {sorted(unknown)[:3]}")


def _str(value: object) -> str:
    if not isinstance(value, str):
        raise WireError("a text field is not text")
    return value


def _sentence(value: object) -> str:
    text = _str(value)
    if len(text) > MAX_SENTENCE:
        raise WireError("a sentence from the reader is too long")
    return text


def sentence(value: object) -> str:
    """A failure sentence from a worker, checked: text, and not a novel."""
    return _sentence(value)


#: What a worker may ask (see ParseFailed.question): which question (``ask``: a chat's
#: date order, or which sender is the user), each a short line of text, and the chat's
#: sender names, a few.
_QUESTION_ASKS = ("date_order", "me")
_QUESTION_TEXT = ("written", "day_first", "month_first", "suggested")
_QUESTION_SENDERS = 20


def question(value: object) -> dict[str, object] | None:
    """A worker's question about a file, checked like everything else it sends: only
    known fields, short text, a line number; anything else is no question (None)."""
    if value is None:
        return None
    if not isinstance(value, dict) or not set(value) <= {
        "ask",
        "line",
        "senders",
        *_QUESTION_TEXT,
    }:
        raise WireError("a question with unknown fields")
    ask = value.get("ask", "date_order")
    if ask not in _QUESTION_ASKS:
        raise WireError("a question the program does not know how to ask")
    checked: dict[str, object] = {"ask": ask}
    for name in _QUESTION_TEXT:
        text = value.get(name, "")
        if not isinstance(text, str) or len(text) > 200:
            raise WireError(f"a question's {name} is not a short text")
        checked[name] = text
    line = value.get("line", 0)
    if not _is_int(line) or not 0 <= line < 1 << 31:
        raise WireError("a question's line is not a line number")
    checked["line"] = line
    senders = value.get("senders", [])
    if not isinstance(senders, list) or len(senders) > _QUESTION_SENDERS:
        raise WireError("a question's senders are not a short list")
    if not all(isinstance(name, str) and len(name) <= 200 for name in senders):
        raise WireError("a question's sender is not a short name")
    checked["senders"] = list(senders)
    return checked


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def is_finite_number(value: object) -> bool:
    """A float or int that JSON could carry (page sizes)."""
    return (isinstance(value, float) and math.isfinite(value)) or _is_int(value)
