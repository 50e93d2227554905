"""Screenshots and photos: PNG, JPEG, HEIC/HEIF and WebP, one IMAGE entry per file.

The picture itself is the original. parse() reads header and metadata only, never pixels,
so a hostile or huge picture costs next to nothing; thumbnail() decodes later, reduced.

Time, strongest first (never invented): EXIF DateTimeOriginal / DateTimeDigitized /
DateTime with its own OffsetTime* (EXIF), without one read in the vault zone (EXIF_LOCAL),
from JPEG/HEIF/WebP or a PNG eXIf/text chunk; PNG tIME (UTC by the PNG spec; EXIF, offset
unknown); XMP dates (EXIF or EXIF_LOCAL); screenshot/camera file names (FILE_NAME, by the
table in :mod:`screenshot_names`; a time a clock change made doubtful is kept to the
minute, with why, in meta["time_note"]); the file's mtime (FILE_MTIME). A blank or
malformed date is skipped and listed in meta["time_rejected"].
"""

from __future__ import annotations

import math
import os
import re
import warnings
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO
from zoneinfo import ZoneInfo

from defusedxml import ElementTree as SafeXml
from PIL import ExifTags, Image, ImageFile, ImageOps
from PIL.JpegImagePlugin import jpeg_factory
from PIL.PngImagePlugin import PngImageFile, PngStream
from PIL.WebPImagePlugin import WebPImageFile

from nco_desktop.evidence import thumbnail_pixels
from nco_desktop.evidence.records import EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats import screenshot_names
from nco_desktop.importers.formats.wall_clock import read_wall_clock
from nco_desktop.importers.model import ParsedEntry, ParsedItem, ParseSource, UnreadableFile
from nco_desktop.timekeeping import local_to_ms, to_ms

NAME = "picture"

#: Refused before decoding: ~90 MP is a 12,000 × 7,500 panorama; a phone photo is 12-50 MP.
MAX_PIXELS = 90_000_000

EMPTY = "the picture file is empty (0 bytes); it was kept as it is"
DAMAGED = "the picture is damaged or cut short; it was kept as it is"
NOT_A_PICTURE = "the file is not a PNG, JPEG, HEIC or WebP picture; it was kept as it is"
TOO_LARGE = "this picture is too large to open safely — refusing it as unsafe"
TOO_MANY_PIXELS = "this picture says it is {}×{} pixels — refusing it as unsafe"

_HEAD = 64 * 1024
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_HEVC_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"})
_AV1_BRANDS = frozenset({b"avif", b"avis"})  # AVIF also says "mif1"; it is not ours
_PNG_META_CHUNKS = frozenset({b"tEXt", b"zTXt", b"iTXt", b"eXIf"})
_MAX_PNG_CHUNKS = 200_000  # a 256 MB PNG in 8 KiB IDAT chunks has ~32,000
_MAX_BOXES = 4096  # a HEIF file has a handful of top-level boxes
_MAX_XMP = 4 * 1024 * 1024

#: (label, date tag, offset tag, sub-second tag); DateTime lives in IFD0, the rest in ExifIFD.
_EXIF_TIMES = (
    ("DateTimeOriginal", 0x9003, 0x9011, 0x9291),
    ("DateTimeDigitized", 0x9004, 0x9012, 0x9292),
    ("DateTime", 0x0132, 0x9010, 0x9290),
)
_EXIF_DATE = re.compile(r"(\d{4})[:-](\d\d)[:-](\d\d)[ T](\d\d):(\d\d):(\d\d)")
_OFFSET = re.compile(r"([+-])(\d{1,2}):?(\d\d)")
_XMP_FIELDS = (
    ("exif:DateTimeOriginal", "{http://ns.adobe.com/exif/1.0/}DateTimeOriginal"),
    ("xmp:CreateDate", "{http://ns.adobe.com/xap/1.0/}CreateDate"),
    ("photoshop:DateCreated", "{http://ns.adobe.com/photoshop/1.0/}DateCreated"),
)
_XMP_DATE = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)(?:[T ](\d\d):(\d\d)(?::(\d\d)(?:[.,](\d+))?)?)?(Z|[+-]\d\d:?\d\d)?"
)
# Apple writes "GMT+02:00" (Unicode TR35: UTC+2). dateutil reads "GMT+2" the POSIX way
# round (UTC-2), so the offset is normalised here rather than handed to dateutil.
_GMT_OFFSET = re.compile(r"\s*(?:GMT|UTC)([+-])(\d{1,2})(?::?(\d\d))?$")


@dataclass(frozen=True)
class _Moment:
    """One time candidate that passed its checks; field says where it came from, in words."""

    ms: int | None
    offset_min: int | None
    source: TimeSource
    precision: TimePrecision
    field: str
    raw: str | None = None
    raw_offset: str | None = None
    extra: dict[str, Any] | None = None  # more meta, e.g. a clock change's doubt


_NO_TIME = _Moment(None, None, TimeSource.UNKNOWN, TimePrecision.UNKNOWN, "")


@dataclass
class _Facts:
    """What the header and metadata say; no pixel has been decoded to learn it."""

    kind: str
    width: int
    height: int
    frames: int
    tags: dict[int, Any] = field(default_factory=dict)  # IFD0 and ExifIFD, merged
    gps: dict[int, Any] = field(default_factory=dict)
    xmp: bytes | None = None
    png_time: bytes | None = None
    rejected: list[str] = field(default_factory=list)


def sniff(head: bytes, name: str) -> bool:
    """Ours by magic bytes alone; a name ending in .jpg proves nothing."""
    return _kind(head) is not None


def parse(source: ParseSource) -> Iterator[ParsedItem]:
    """One IMAGE entry for the picture, from its header and metadata only."""
    with _picture(source.path) as (kind, handle, size, image):
        facts = _read_facts(kind, handle, size, image)
        moment = next((m for m in _candidates(facts, source) if m is not None), _NO_TIME)
        meta = _meta(facts, moment)
    yield ParsedEntry(
        kind=EntryKind.IMAGE,
        occurred_ms=moment.ms,
        time_source=moment.source,
        utc_offset_min=moment.offset_min,
        time_precision=moment.precision,
        meta=meta,
    )


def thumbnail(path: Path, max_side: int = 320) -> bytes:
    """A small upright thumbnail as plain pixels (:mod:`~nco_desktop.evidence.thumbnail_pixels`:
    the window decodes no picture format), without metadata.

    JPEG decodes at 1/2-1/8 scale through draft mode, and HEIF uses its embedded preview
    when one is large enough, so a 12 MP photo costs milliseconds, not a full decode.
    """
    with _picture(path) as (_kind_name, _handle, _size, image):
        image.draft(None, (max_side, max_side))
        image.thumbnail((max_side, max_side))
        upright = ImageOps.exif_transpose(image)
        if upright.mode.startswith("I"):  # 16-bit grey: scale down, or it all clips to white
            upright = upright.convert("I").point(lambda value: value / 256).convert("L")
        return thumbnail_pixels.encode_image(upright)  # pixels only: no metadata


@contextmanager
def _picture(
    path: Path | BinaryIO,
) -> Iterator[tuple[str, BinaryIO, int, ImageFile.ImageFile]]:
    """The open file and its header, or UnreadableFile with one plain sentence.

    Pillow and libheif fail in many ways on hostile input; every failure inside becomes
    DAMAGED (or TOO_LARGE). Warnings are silenced, except the decompression-bomb warning,
    which is an error. catch_warnings is process-wide: fine in a worker process.
    """
    try:
        handle: BinaryIO = path.open("rb") if isinstance(path, Path) else path
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise UnreadableFile(f"the picture cannot be read from the disk: {reason}") from exc
    with handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            size = handle.seek(0, os.SEEK_END)
            handle.seek(0)
            if size == 0:
                raise UnreadableFile(EMPTY)
            head = handle.read(_HEAD)
            kind = _kind(head)
            if kind is None:
                raise UnreadableFile(NOT_A_PICTURE)
            yield kind, handle, size, _open_image(handle, head, kind)
        except UnreadableFile:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError) as exc:
            raise UnreadableFile(TOO_LARGE) from exc
        except Exception as exc:
            raise UnreadableFile(DAMAGED) from exc


def _kind(head: bytes) -> str | None:
    if head.startswith(_PNG_SIGNATURE):
        return "PNG"
    if head.startswith(b"\xff\xd8\xff"):
        return "JPEG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[4:8] == b"ftyp":
        end = min(int.from_bytes(head[:4], "big"), len(head))
        brands = {head[8:12]} | {head[i : i + 4] for i in range(16, end - 3, 4)}
        generic = head[8:12] in (b"mif1", b"msf1") and not brands & _AV1_BRANDS
        if brands & _HEVC_BRANDS or generic:
            return "HEIF"
    return None


_OPENERS: dict[str, Callable[[BinaryIO], ImageFile.ImageFile]] = {
    "PNG": PngImageFile,
    "JPEG": jpeg_factory,
    "WEBP": WebPImageFile,
}


@cache
def _heif_opener() -> Callable[[BinaryIO], ImageFile.ImageFile]:
    """libheif loads only when a HEIF file arrives; the other formats never pay for it."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    return pillow_heif.HeifImageFile


def _open_image(handle: BinaryIO, head: bytes, kind: str) -> ImageFile.ImageFile:
    """The header, opened by the one plugin that matches, refused if it claims too much.

    The plugin classes are called directly rather than through Image.open so the size
    check is ours, with the real numbers, before any pixel buffer exists.
    """
    if kind == "WEBP":  # libwebp allocates the whole canvas while opening
        _refuse_if_huge(_webp_size(head))
    handle.seek(0)
    opener = _OPENERS.get(kind) or _heif_opener()
    image = opener(handle)
    _refuse_if_huge(image.size)
    return image


def _refuse_if_huge(size: tuple[int, int] | None) -> None:
    width, height = size or (1, 1)
    if width < 1 or height < 1:
        raise UnreadableFile(DAMAGED)
    if width * height > MAX_PIXELS:
        raise UnreadableFile(TOO_MANY_PIXELS.format(width, height))


def _webp_size(head: bytes) -> tuple[int, int] | None:
    """Canvas size from the first WebP chunk (VP8X, VP8 or VP8L)."""
    chunk, little = head[12:16], (lambda a, b: int.from_bytes(head[a:b], "little"))
    if chunk == b"VP8X" and len(head) >= 30:
        return 1 + little(24, 27), 1 + little(27, 30)
    if chunk == b"VP8 " and len(head) >= 30 and head[23:26] == b"\x9d\x01\x2a":
        return little(26, 28) & 0x3FFF, little(28, 30) & 0x3FFF
    if chunk == b"VP8L" and len(head) >= 25 and head[20] == 0x2F:
        return (little(21, 25) & 0x3FFF) + 1, ((little(21, 25) >> 14) & 0x3FFF) + 1
    return None


def _read_facts(kind: str, handle: BinaryIO, size: int, image: ImageFile.ImageFile) -> _Facts:
    info: dict[Any, Any] = dict(image.info)
    facts = _Facts(kind, image.width, image.height, int(getattr(image, "n_frames", 1)))
    if kind == "PNG":
        info, facts.png_time = _walk_png(handle, size)
    elif kind == "JPEG":
        _require_jpeg_end(handle, image.tile[0][2] if image.tile else size)
    elif kind == "HEIF":
        _require_whole_boxes(handle, size)
    elif int.from_bytes(_read_at(handle, 4, 4), "little") + 8 > size:  # WebP's RIFF length
        raise UnreadableFile(DAMAGED)
    _load_exif(info, facts)
    facts.tags.setdefault(0x0131, info.get("Software"))  # PNG screenshot tools write this
    if facts.tags.get(0x0112) in (5, 6, 7, 8):  # EXIF Orientation: shown turned a quarter
        facts.width, facts.height = facts.height, facts.width
    xmp = info.get("xmp") or info.get("XML:com.adobe.xmp")
    facts.xmp = xmp.encode() if isinstance(xmp, str) else xmp if isinstance(xmp, bytes) else None
    return facts


def _read_at(handle: BinaryIO, pos: int, length: int) -> bytes:
    handle.seek(pos)
    return handle.read(length)


def _walk_png(handle: BinaryIO, size: int) -> tuple[dict[Any, Any], bytes | None]:
    """Every chunk up to IEND with its checksum, without inflating the pixels.

    This is the integrity check (a cut-short file never reaches IEND) and it finds text,
    EXIF and XMP that sit after the pixel data, where Pillow looks only after decoding.
    """
    handle.seek(len(_PNG_SIGNATURE))
    stream = PngStream(handle)
    png_time = None
    for _ in range(_MAX_PNG_CHUNKS):
        cid, pos, length = stream.read()
        if length > size - pos - 4:
            break
        if cid == b"IEND":
            return stream.im_info, png_time
        data = b""
        if cid in _PNG_META_CHUNKS:
            try:
                data = stream.call(cid, pos, length)
            except (ValueError, SyntaxError):  # text beyond Pillow's limits: skipped
                handle.seek(pos)
        data = data or handle.read(length)
        png_time = data if cid == b"tIME" else png_time
        stream.crc(cid, data)
    raise UnreadableFile(DAMAGED)


def _require_whole_boxes(handle: BinaryIO, size: int) -> None:
    """Each top-level ISO-BMFF box must fit in the file; a cut-short HEIC does not."""
    pos = 0
    for _ in range(_MAX_BOXES):
        if size - pos < 8:
            return
        header = _read_at(handle, pos, 16)
        box_size = int.from_bytes(header[:4], "big")
        if box_size == 0:  # "runs to the end of the file"
            return
        if box_size == 1:  # 64-bit size follows the type
            box_size = int.from_bytes(header[8:16], "big") if len(header) == 16 else 0
        if box_size < 8 or pos + box_size > size:
            break
        pos += box_size
    raise UnreadableFile(DAMAGED)


def _require_jpeg_end(handle: BinaryIO, scan_start: int) -> None:
    """The end-of-image marker must follow the compressed data; a cut-short JPEG lacks it.

    A byte search, not a decode. Bytes after the marker (a phone's motion clip) are fine.
    """
    handle.seek(scan_start)
    tail = b""
    while block := handle.read(1 << 20):
        if b"\xff\xd9" in tail + block:
            return
        tail = block[-1:]
    raise UnreadableFile(DAMAGED)


def _load_exif(info: dict[Any, Any], facts: _Facts) -> None:
    """Pillow's EXIF reader over whichever block the container had."""
    raw = info.get("exif")
    profile = info.get("Raw profile type exif")  # ImageMagick: "\nexif\n  <len>\n<hex>"
    try:
        if raw is None and isinstance(profile, str):
            raw = bytes.fromhex("".join(profile.split("\n")[3:]))
        if not isinstance(raw, bytes) or not raw:
            return
        exif = Image.Exif()
        exif.load(raw)
        facts.tags = {**dict(exif), **exif.get_ifd(ExifTags.IFD.Exif)}
        facts.gps = dict(exif.get_ifd(ExifTags.IFD.GPSInfo))
    except Exception:  # a broken EXIF block costs its facts, not the picture
        facts.rejected.append("EXIF block: unreadable, skipped")


def _candidates(facts: _Facts, source: ParseSource) -> Iterator[_Moment | None]:
    """Strongest first, lazily: later sources are not looked at once one holds."""
    for label, *keys in _EXIF_TIMES:
        yield _from_exif(label, [facts.tags.get(key) for key in keys], source, facts)
    yield _from_png_time(facts)
    yield from (_from_xmp(label, text, source, facts) for label, text in _xmp_dates(facts))
    yield _from_name(source, facts)
    if source.mtime_ms is not None:
        yield _Moment(
            source.mtime_ms, None, TimeSource.FILE_MTIME, TimePrecision.SECOND, "file mtime"
        )


def _from_exif(label: str, values: list[Any], source: ParseSource, facts: _Facts) -> _Moment | None:
    text, raw_offset, subsec = (_text(value) for value in values)
    if text is None:
        return None
    if not text.strip(" :-0T"):
        reason = "blank"
    elif (match := _EXIF_DATE.fullmatch(text)) is None:
        reason = "not an EXIF date"
    elif (naive := _real_datetime(match.groups())) is None:
        reason = "not a real date"
    else:
        precision = TimePrecision.SECOND
        if subsec and subsec.isdigit():
            naive += timedelta(microseconds=int(subsec[:6].ljust(6, "0")))
            precision = TimePrecision.MILLISECOND
        offset = _offset_minutes(raw_offset)
        if raw_offset is not None and offset is None:
            facts.rejected.append(f"EXIF offset “{raw_offset[:40]}”: not an offset")
        ms, offset, kind = _instant(naive, offset, source.zone)
        return _Moment(ms, offset, kind, precision, f"EXIF {label}", text, raw_offset)
    facts.rejected.append(f"EXIF {label} “{text[:40]}”: {reason}")
    return None


def _from_png_time(facts: _Facts) -> _Moment | None:
    data = facts.png_time
    if data is None:
        return None
    moment = (
        _real_datetime((int.from_bytes(data[:2], "big"), *data[2:])) if len(data) == 7 else None
    )
    if moment is None:
        facts.rejected.append("PNG tIME: not a real date")
        return None
    ms, raw = to_ms(moment.replace(tzinfo=UTC)), moment.isoformat() + "Z"
    return _Moment(ms, None, TimeSource.EXIF, TimePrecision.SECOND, "PNG tIME (UTC)", raw)


def _xmp_dates(facts: _Facts) -> list[tuple[str, str]]:
    """The XMP date fields present, parsed with entity and DTD tricks refused."""
    if not facts.xmp:
        return []
    try:
        if len(facts.xmp) > _MAX_XMP:
            raise ValueError("too large")
        root = SafeXml.fromstring(facts.xmp.strip(b"\x00 \t\r\n"))
    except (ValueError, SyntaxError, LookupError):  # LookupError: an unknown encoding
        facts.rejected.append("XMP: unreadable or too large, skipped")
        return []
    found: dict[str, str] = {}
    for element in root.iter():
        for label, qname in _XMP_FIELDS:
            value = element.attrib.get(qname) or (element.text if element.tag == qname else None)
            if value and value.strip():
                found.setdefault(label, value.strip())
    return [(label, found[label]) for label, _qname in _XMP_FIELDS if label in found]


def _from_xmp(label: str, text: str, source: ParseSource, facts: _Facts) -> _Moment | None:
    normal = _GMT_OFFSET.sub(lambda m: f"{m[1]}{int(m[2]):02d}:{m[3] or '00'}", text)
    if match := _XMP_DATE.fullmatch(normal):
        year, month, day, hour, minute, second, fraction, zone = match.groups()
        if naive := _real_datetime((year, month, day, hour, minute, second)):
            precision = TimePrecision.DAY if hour is None else TimePrecision.MINUTE
            if second is not None:
                precision = TimePrecision.MILLISECOND if fraction else TimePrecision.SECOND
                naive += timedelta(microseconds=int((fraction or "0")[:6].ljust(6, "0")))
            offset = None if hour is None else _offset_minutes("+00:00" if zone == "Z" else zone)
            ms, offset, kind = _instant(naive, offset, source.zone)
            return _Moment(ms, offset, kind, precision, f"XMP {label}", text)
    facts.rejected.append(f"XMP {label} “{text[:40]}”: not a date")
    return None


def _from_name(source: ParseSource, facts: _Facts) -> _Moment | None:
    """The time in the file's name, by :data:`screenshot_names.PATTERNS`; a time that a
    clock change made doubtful (:mod:`wall_clock`) is kept, to the minute, with why."""
    reading = screenshot_names.read_name(source.name)
    if reading is None or not reading.pattern.has_time:
        return None
    label, name = reading.pattern.label, source.name.replace("\\", "/").rsplit("/", 1)[-1]
    if reading.naive is None:
        facts.rejected.append(f"file name ({label}): not a real date")
        return None
    if reading.pattern.utc:
        ms, offset = to_ms(reading.naive.replace(tzinfo=UTC)), None
        precision, extra = reading.precision, {}
    else:
        clock = read_wall_clock(reading.naive, source.zone)
        ms, offset = clock.ms, clock.offset_min
        precision, extra = clock.precision(reading.precision), clock.meta()
    return _Moment(
        ms, offset, TimeSource.FILE_NAME, precision, f"file name ({label})", name, extra=extra
    )


def _instant(naive: datetime, offset: int | None, zone: ZoneInfo) -> tuple[int, int, TimeSource]:
    """A date inside the picture: exact with its own offset, else wall-clock in the vault zone."""
    if offset is None:
        return (*local_to_ms(naive, zone), TimeSource.EXIF_LOCAL)
    return to_ms(naive.replace(tzinfo=timezone(timedelta(minutes=offset)))), offset, TimeSource.EXIF


def _real_datetime(parts: Iterable[int | str | None]) -> datetime | None:
    """A calendar date that exists, from 1900 on (earlier ones are reset clocks)."""
    try:
        year, month, day, hour, minute, second = (*(int(part or 0) for part in parts), 0, 0, 0)[:6]
        moment = datetime(year, month, day, hour, minute, second)
    except (ValueError, OverflowError, TypeError):
        return None
    return moment if moment.year >= 1900 else None


def _offset_minutes(text: str | None) -> int | None:
    match = _OFFSET.fullmatch(text.strip()) if text else None
    if match is None or int(match[2]) > 14 or int(match[3]) > 59:
        return None
    return (-1 if match[1] == "-" else 1) * (int(match[2]) * 60 + int(match[3]))


def _meta(facts: _Facts, moment: _Moment) -> dict[str, Any]:
    """Plain JSON values only. GPS is private: stored, never shown unless asked for."""
    meta: dict[str, Any] = {"width": facts.width, "height": facts.height, "format": facts.kind}
    if facts.frames > 1:
        meta["frames"] = facts.frames
    for key, tag in (("camera_make", 0x010F), ("camera_model", 0x0110), ("software", 0x0131)):
        if value := _text(facts.tags.get(tag)):
            meta[key] = value
    offsets = [_text(facts.tags.get(tag)) for tag in (0x9011, 0x9012, 0x9010)]
    if raw_offset := moment.raw_offset or next((o for o in offsets if o), None):
        meta["exif_offset"] = raw_offset
    if moment.field:
        meta["time_field"] = moment.field
    if moment.raw:
        meta["time_raw"] = moment.raw
    if facts.rejected:
        meta["time_rejected"] = facts.rejected
    meta.update(moment.extra or {})
    gps = facts.gps
    if 2 in gps or 4 in gps:  # GPSLatitude, GPSLongitude
        try:
            lat, lon = _degrees(gps[2], gps.get(1), "NS"), _degrees(gps[4], gps.get(3), "EW")
        except (KeyError, TypeError, ValueError, ArithmeticError):
            meta["gps_rejected"] = "incomplete or unreadable"
        else:
            if not (math.isfinite(lat + lon) and abs(lat) <= 90 and abs(lon) <= 180):
                meta["gps_rejected"] = "out of range"
            elif lat == 0 and lon == 0:
                meta["gps_rejected"] = "0,0 is a blank placeholder, not a place"
            else:
                meta["gps"] = {"lat": round(lat, 7), "lon": round(lon, 7)}
    return meta


def _degrees(value: Any, ref: Any, hemispheres: str) -> float:
    degrees, minutes, seconds = (float(part) for part in value)
    letter = (_text(ref) or "?").upper()
    if len(letter) != 1 or letter not in hemispheres:
        raise ValueError("no hemisphere")
    return (-1.0 if letter == hemispheres[1] else 1.0) * (degrees + minutes / 60 + seconds / 3600)


def _text(value: Any) -> str | None:
    """An EXIF/PNG text value as clean text: NULs and padding gone, length capped."""
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    if not isinstance(value, str):
        return None
    return str(value).replace("\x00", "").strip()[:200] or None
