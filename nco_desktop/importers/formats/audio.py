"""Voicemails and recordings: MP4/M4A/3GP, MP3, WAV, Ogg (Opus/Vorbis), FLAC, AMR.

One AUDIO entry per file; the file itself is the original, so there is no dedup key.
Video is not ours: an MP4 whose head shows a video track is left for another format, and
one that only shows it deeper in is still filed as audio, with a note saying so.

Time, strongest first: a date tag with an offset (Apple Voice Memos writes one), then the
MP4 'mvhd' creation time (UTC by the standard), then the file's mtime. AMR carries no
metadata at all and mutagen cannot read it, so its length comes from walking its frames.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import PurePath
from typing import Any, BinaryIO

import mutagen
from mutagen.id3 import ID3

from nco_desktop.evidence.records import EntryKind, TimeSource
from nco_desktop.importers.formats.contract import refuse_unexpected
from nco_desktop.importers.model import (
    FormatNote,
    ParsedEntry,
    ParsedItem,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import aware_to_ms, to_ms

NAME = "voicemail or recording"

_HEAD = 64 * 1024
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_NOT_AUDIO_BRANDS = {b"M4V ", b"M4VH", b"M4VP", b"qt  ", b"heic", b"heix", b"heim", b"heis"}
_NOT_AUDIO_BRANDS |= {b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis", b"crx "}
_AUDIO_NAMES = {".m4a", ".m4b", ".m4p", ".3ga", ".3gp", ".3g2", ".aac"}
_AMR_NB, _AMR_WB = b"#!AMR\n", b"#!AMR-WB\n"
# RFC 4867 §3.6 / 3GPP TS 26.101 & 26.201: speech bytes after the one-byte frame header,
# by frame type. None = reserved. Every frame, even "no data", is 20 ms.
_AMR_NB_SIZES = (12, 13, 15, 17, 19, 20, 26, 31, 5, None, None, None, None, None, None, 0)
_AMR_WB_SIZES = (17, 23, 32, 36, 40, 46, 50, 58, 60, 5, None, None, None, None, 0, 0)
_MP3_KBPS = {
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),  # MPEG-1 Layer III
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),  # MPEG-2/2.5 Layer III
}
_WAV_CODECS = {1: "PCM", 3: "PCM (float)", 6: "A-law", 7: "µ-law", 0x11: "IMA ADPCM"}
_WAV_CODECS |= {2: "MS ADPCM", 0x31: "GSM 6.10", 0x55: "MP3", 0xFFFE: "PCM"}
_TAG_KEYS = {  # our name: (ID3 frame, MP4 atom, Vorbis comment names)
    "title": ("TIT2", "©nam", ("title",)),
    "artist": ("TPE1", "©ART", ("artist",)),
    "album": ("TALB", "©alb", ("album",)),
    "date": ("TDRC", "©day", ("date",)),
    "comment": ("COMM", "©cmt", ("comment", "description")),
    "encoder": ("TSSE", "©too", ("encoder",)),
}
_CODEC_NAMES = {"OggOpus": "Opus", "OggVorbis": "Vorbis", "OggSpeex": "Speex", "OggFLAC": "FLAC"}
_CODEC_NAMES |= {"FLAC": "FLAC", "AIFF": "PCM", "AAC": "AAC", "WAVE": "PCM"}
_EPOCH_1904 = datetime(1904, 1, 1, tzinfo=UTC)
_MAX_BOXES = 4096
_MAX_MOOV = 32 * 1024 * 1024
_MAX_AMR = 128 * 1024 * 1024


def sniff(head: bytes, name: str) -> bool:
    """Magic numbers first; the name only decides an MP4 whose tracks lie past the head."""
    return _container(head, name) is not None


def _container(head: bytes, name: str) -> str | None:
    if head.startswith(_AMR_NB):
        return "amr-nb"
    if head.startswith(_AMR_WB):
        return "amr-wb"
    if head[4:8] == b"ftyp":
        return "mp4" if _mp4_is_audio(head, name) else None
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "wav"
    if head.startswith(b"OggS"):
        return None if b"\x80theora" in head[:512] else "ogg"
    if head.startswith(b"fLaC"):
        return "flac"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    id3 = head.startswith(b"ID3") and len(head) > 3 and head[3] in (2, 3, 4)
    return "mp3" if id3 or _mp3_frames(head, name) else None


def _mp4_is_audio(head: bytes, name: str) -> bool:
    """ftyp is shared by M4A, MP4 video and HEIC; brands and track handlers tell them apart."""
    size = struct.unpack(">I", head[:4])[0]
    major = head[8:12]
    brands = {major} | {head[i : i + 4] for i in range(16, min(size, len(head), 256) - 3, 4)}
    if major in _AUDIO_BRANDS:
        return True
    if major in _NOT_AUDIO_BRANDS or brands & (_NOT_AUDIO_BRANDS - {b"qt  "}):
        return False
    handlers = _handlers(head)
    if b"vide" in handlers:
        return False
    if b"soun" in handlers:
        return True
    if brands & _AUDIO_BRANDS:
        return True
    return PurePath(name).suffix.lower() in _AUDIO_NAMES


def _handlers(data: bytes) -> set[bytes]:
    found: set[bytes] = set()
    at = data.find(b"hdlr")
    while at >= 4 and len(found) < 64:
        found.add(data[at + 12 : at + 16])
        at = data.find(b"hdlr", at + 4)
    return found


def _mp3_frames(head: bytes, name: str) -> bool:
    """A Layer III frame header; a second one where the first ends, or the .mp3 name."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    version, layer = (head[1] >> 3) & 3, (head[1] >> 1) & 3
    bitrate_index, rate_index = head[2] >> 4, (head[2] >> 2) & 3
    if version == 1 or layer != 1 or bitrate_index in (0, 15) or rate_index == 3:
        return False
    rate = (44100, 48000, 32000)[rate_index] // {3: 1, 2: 2, 0: 4}[version]
    kbps = _MP3_KBPS[3 if version == 3 else 2][bitrate_index]
    length = (144 if version == 3 else 72) * kbps * 1000 // rate + ((head[2] >> 1) & 1)
    if len(head) >= length + 2:
        return head[length] == 0xFF and head[length + 1] & 0xE0 == 0xE0
    return name.lower().endswith(".mp3")


def parse(source: ParseSource) -> Iterator[ParsedItem]:
    """One AUDIO entry; anything unexpected becomes "damaged", never a crash."""
    yield from refuse_unexpected(
        lambda: _parse(source), "the audio file is damaged; it was kept as it is"
    )


def _parse(source: ParseSource) -> list[ParsedItem]:
    with source.path.open("rb") as f:
        head = f.read(_HEAD)
    if not head:
        raise UnreadableFile("the file is empty (0 bytes)")
    container = _container(head, source.name)
    if container in ("amr-nb", "amr-wb"):
        return _parse_amr(source, wideband=container == "amr-wb")
    try:
        audio = mutagen.File(source.path)
    except mutagen.MutagenError as exc:
        raise UnreadableFile("the audio file is damaged; it was kept as it is") from exc
    if audio is None:
        raise UnreadableFile("this audio format was not recognised; the file was kept as it is")
    info = audio.info
    tags = _tags(audio)
    meta: dict[str, Any] = {
        "codec": _codec(audio),
        "sample_rate": getattr(info, "sample_rate", None) or None,
        "channels": getattr(info, "channels", None) or None,
        "bitrate": getattr(info, "bitrate", None) or None,
        "tags": tags,
    }
    items: list[ParsedItem] = []
    length = float(getattr(info, "length", 0.0) or 0.0)
    if type(audio).__name__ == "OggOpus":
        meta["sample_rate"] = 48000  # Opus always decodes at 48 kHz (RFC 7845 §5.1)
    if container == "wav":
        length = _wav_fixup(source, meta, length)
    created: datetime | None = None
    if container == "mp4":
        created, has_video = _mp4_facts(source)
        if has_video:
            meta["has_video"] = True
            items.append(FormatNote("this MP4 file also holds video; it was filed as audio"))
    meta["duration_s"] = int(length + 0.5) if length > 0 else None
    if meta["duration_s"] is None:
        items.append(ParseProblem("the length of this recording could not be read"))
    entry = _entry(source, meta, tags, created)
    return [*items, entry]


def _entry(
    source: ParseSource, meta: dict[str, Any], tags: dict[str, str], created: datetime | None
) -> ParsedEntry:
    """Pick the strongest time there is; never invent one."""
    tagged = _dated_tag(tags.get("date"))
    if tagged is not None:
        ms, offset = aware_to_ms(tagged)
        when, time_source, utc_offset = ms, TimeSource.HEADER, offset
    elif created is not None:
        when, time_source, utc_offset = to_ms(created), TimeSource.EXPORT_FIELD, None
        meta["time_note"] = (
            "creation time written inside the MP4 file (UTC by the standard; "
            "some devices write local time instead)"
        )
    elif source.mtime_ms is not None:
        when, time_source, utc_offset = source.mtime_ms, TimeSource.FILE_MTIME, None
    else:
        when, time_source, utc_offset = None, TimeSource.UNKNOWN, None
    return ParsedEntry(
        kind=EntryKind.AUDIO,
        occurred_ms=when,
        time_source=time_source,
        utc_offset_min=utc_offset,
        duration_s=meta["duration_s"],
        meta=meta,
    )


def _dated_tag(value: str | None) -> datetime | None:
    """Only a full date-time with its own offset counts; '2024' or a naive time does not."""
    if not value or len(value) < 16:
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _codec(audio: Any) -> str:
    info, kind = audio.info, type(audio).__name__
    if kind == "MP3":
        return "MP3" if getattr(info, "layer", 3) == 3 else f"MPEG Layer {info.layer}"
    if kind == "MP4":
        return str(getattr(info, "codec_description", "") or getattr(info, "codec", "") or "MP4")
    return _CODEC_NAMES.get(kind, kind)


def _tags(audio: Any) -> dict[str, str]:
    """title, artist, album, date, comment, encoder — whichever the file has, as text."""
    raw, found = audio.tags, {}
    is_mp4 = type(audio).__name__ == "MP4"
    for key, (frame_id, atom, names) in _TAG_KEYS.items():
        values: list[Any] = []
        if isinstance(raw, ID3):
            frames = raw.getall(frame_id)
            values = list(frames[0].text) if frames else []
        elif raw is not None and is_mp4:
            values = [v for v in raw.get(atom, []) if isinstance(v, str)]
        elif raw is not None and hasattr(raw, "vendor"):  # Vorbis comments: Ogg, FLAC
            values = next((list(raw.get(n)) for n in names if raw.get(n)), [])
        if values:
            found[key] = "; ".join(str(v) for v in values)
    vendor = getattr(raw, "vendor", None)  # Ogg/FLAC: the encoding library
    encoder_info = getattr(audio.info, "encoder_info", None)  # MP3: LAME's own header
    for fallback in (vendor, encoder_info):
        if "encoder" not in found and isinstance(fallback, str) and fallback:
            found["encoder"] = fallback
    return {key: value[:2000] for key, value in found.items() if value.strip()}


def _find_moov(f: BinaryIO, end: int) -> tuple[int, int] | None:
    """(content start, end) of the top-level 'moov' box, walking at most _MAX_BOXES boxes."""
    at = 0
    for _ in range(_MAX_BOXES):
        f.seek(at)
        header = f.read(16)
        if len(header) < 8:
            return None
        size, kind = struct.unpack(">I4s", header[:8])
        content = at + 8
        if size == 1 and len(header) == 16:
            size, content = struct.unpack(">Q", header[8:16])[0], at + 16
        elif size == 0:
            size = end - at
        if size < content - at:
            return None
        if kind == b"moov":
            return content, min(at + size, end)
        at += size
    return None


def _mp4_facts(source: ParseSource) -> tuple[datetime | None, bool]:
    """The 'mvhd' creation time if plausible, and whether any track is video."""
    created: datetime | None = None
    with source.path.open("rb") as f:
        moov = _find_moov(f, f.seek(0, 2))
        if moov is None or moov[1] - moov[0] > _MAX_MOOV:
            return None, False
        f.seek(moov[0])
        data = f.read(moov[1] - moov[0])
    at = data.find(b"mvhd")
    if at >= 4 and len(data) >= at + 24:
        version = data[at + 4]
        if version == 1:
            seconds = struct.unpack(">Q", data[at + 8 : at + 16])[0]
        else:
            seconds = struct.unpack(">I", data[at + 8 : at + 12])[0]
        # 0 means "not set"; 2082844800 is 1970-01-01, a common "unset" too; cap at 2100.
        if 2082844800 < seconds < 6311433600:
            created = _EPOCH_1904 + timedelta(seconds=seconds)
    return created, b"vide" in _handlers(data)


def _wav_fixup(source: ParseSource, meta: dict[str, Any], length: float) -> float:
    """Name the WAV codec; for compressed WAV (GSM, ADPCM) measure length by byte rate."""
    fmt: bytes | None = None
    data_size = 0
    budget = 256
    with source.path.open("rb") as f:
        end = f.seek(0, 2)
        at = 12
        while at + 8 <= end and budget > 0:
            budget -= 1
            f.seek(at)
            chunk_id, size = struct.unpack("<4sI", f.read(8))
            if chunk_id == b"fmt ":
                fmt = f.read(min(size, 64))
            elif chunk_id == b"data":
                data_size = min(size, end - at - 8)
            at += 8 + size + (size & 1)
    if fmt is None or len(fmt) < 16:
        return length
    tag, _channels, _rate, byte_rate = struct.unpack("<HHII", fmt[:12])
    meta["codec"] = _WAV_CODECS.get(tag, f"WAV format 0x{tag:04X}")
    if tag not in (1, 3, 6, 7, 0xFFFE) and byte_rate > 0 and data_size:
        meta["bitrate"] = byte_rate * 8
        return data_size / byte_rate
    return length


def _parse_amr(source: ParseSource, *, wideband: bool) -> list[ParsedItem]:
    """Count AMR frames (20 ms each): mutagen has no AMR reader and the file no header."""
    sizes = _AMR_WB_SIZES if wideband else _AMR_NB_SIZES
    with source.path.open("rb") as f:
        data = f.read(_MAX_AMR + 1)
    at = start = len(_AMR_WB if wideband else _AMR_NB)
    frames = 0
    items: list[ParsedItem] = []
    meta: dict[str, Any] = {"codec": "AMR-WB" if wideband else "AMR-NB"}
    while at < min(len(data), _MAX_AMR):
        size = sizes[(data[at] >> 3) & 0x0F]
        if size is None:
            items.append(
                ParseProblem(
                    f"the AMR recording has an unreadable part after {frames * 0.02:.0f} seconds; "
                    "its length was measured up to there"
                )
            )
            break
        if at + 1 + size > len(data):
            meta["duration_note"] = "the last frame is cut short and was not counted"
            break
        frames += 1
        at += 1 + size
    if len(data) > _MAX_AMR:
        meta["duration_note"] = "the recording is very long; only its first 128 MB were measured"
    length = frames * 0.02
    meta |= {
        "sample_rate": 16000 if wideband else 8000,
        "channels": 1,
        "bitrate": round((at - start) * 8 / length) if length else None,
        "duration_s": int(length + 0.5),
        "duration_method": "counted AMR frames (20 ms each); AMR files carry no length",
        "tags": {},
    }
    return [*items, _entry(source, meta, {}, None)]
