"""Voicemails and recordings: every real sample, plus hand-built AMR, WAV, MP3 and FLAC.

Expected values for the samples were read by eye with mutagen and an independent walk of
the MP4 boxes (mvhd creation times), not copied from the parser's output.
"""

from __future__ import annotations

import struct
import wave
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mutagen.flac import FLAC
from mutagen.id3 import COMM, ID3, TDRC, TIT2, TPE1, TSSE

from nco_desktop.evidence.records import EntryKind, TimeSource
from nco_desktop.importers.formats import audio
from nco_desktop.importers.model import (
    FormatNote,
    ParsedEntry,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import to_ms
from tests.conftest import SAMPLES

FOLDER = SAMPLES / "voicemail_audio"
needs_samples = pytest.mark.skipif(
    not FOLDER.is_dir(), reason="shared/samples/voicemail_audio is not present"
)
MTIME = 1_700_000_000_000
CHICAGO = ZoneInfo("America/Chicago")


def source(path: Path, mtime_ms: int | None = MTIME) -> ParseSource:
    return ParseSource(path=path, name=path.name, zone=CHICAGO, region="US", mtime_ms=mtime_ms)


def parse(path: Path, mtime_ms: int | None = MTIME) -> list:
    return list(audio.parse(source(path, mtime_ms)))


def only_entry(items: list) -> ParsedEntry:
    entries = [i for i in items if isinstance(i, ParsedEntry)]
    assert len(entries) == 1
    entry = entries[0]
    assert entry.kind is EntryKind.AUDIO
    assert entry.text is None and entry.dedup_key is None and entry.party is None
    return entry


def utc_ms(*parts: int) -> int:
    return to_ms(datetime(*parts, tzinfo=UTC))


# ----- the real samples ----------------------------------------------------------------


@needs_samples
def test_every_sample_is_sniffed_as_audio() -> None:
    samples = sorted(p for p in FOLDER.iterdir() if p.name != "SOURCES.txt")
    assert len(samples) == 5
    for path in samples:
        assert audio.sniff(path.read_bytes()[:65536], path.name), path.name
    sources_txt = FOLDER / "SOURCES.txt"
    assert not audio.sniff(sources_txt.read_bytes()[:65536], sources_txt.name)


@needs_samples
def test_has_tags_m4a() -> None:
    entry = only_entry(parse(FOLDER / "mutagen__has-tags.m4a"))
    assert entry.duration_s == 4  # 3.708 s
    assert entry.meta["duration_s"] == 4
    assert entry.meta["codec"] == "AAC LC"
    assert entry.meta["sample_rate"] == 44100
    assert entry.meta["channels"] == 2
    assert entry.meta["tags"] == {"artist": "Test Artist", "encoder": "FAAC 1.24"}
    # mvhd creation time 3237234137 s after 1904 = 2006-07-31 23:42:17 UTC
    assert entry.time_source is TimeSource.EXPORT_FIELD
    assert entry.occurred_ms == utc_ms(2006, 7, 31, 23, 42, 17)
    assert entry.utc_offset_min is None  # the recorder's offset is not known


@needs_samples
def test_no_tags_m4a() -> None:
    entry = only_entry(parse(FOLDER / "mutagen__no-tags.m4a"))
    assert entry.duration_s == 4
    assert entry.meta["codec"] == "AAC LC"
    assert entry.meta["tags"] == {}
    assert entry.time_source is TimeSource.EXPORT_FIELD
    assert entry.occurred_ms == utc_ms(2006, 7, 31, 23, 42, 17)


@needs_samples
def test_alac_m4a() -> None:
    entry = only_entry(parse(FOLDER / "mutagen__alac.m4a"))
    assert entry.duration_s == 4  # 3.685 s
    assert entry.meta["codec"] == "ALAC"
    assert entry.meta["sample_rate"] == 44100
    assert entry.meta["tags"] == {"title": "empty", "encoder": "iTunes 11.1"}
    assert entry.occurred_ms == utc_ms(2014, 10, 10, 20, 11, 25)


@needs_samples
def test_no_tags_3g2() -> None:
    path = FOLDER / "mutagen__no-tags.3g2"
    assert path.read_bytes()[8:12] == b"kddi"  # a major brand we do not list: 3g2a decides
    entry = only_entry(parse(path))
    assert entry.duration_s == 15
    assert entry.meta["codec"] == "AAC LC"
    assert entry.meta["sample_rate"] == 22050
    assert entry.meta["bitrate"] == 32000
    assert entry.occurred_ms == utc_ms(2005, 8, 27, 10, 11, 10)


@needs_samples
def test_example_opus_falls_back_to_the_file_time() -> None:
    entry = only_entry(parse(FOLDER / "mutagen__example.opus"))
    assert entry.duration_s == 11  # 11.355 s
    assert entry.meta["codec"] == "Opus"
    assert entry.meta["channels"] == 1
    assert entry.meta["sample_rate"] == 48000
    assert entry.meta["tags"] == {"encoder": "libopus 0.9.11-66-g64c2dd7"}  # the vendor string
    assert entry.time_source is TimeSource.FILE_MTIME
    assert entry.occurred_ms == MTIME


@needs_samples
def test_no_time_at_all_is_unknown() -> None:
    entry = only_entry(parse(FOLDER / "mutagen__example.opus", mtime_ms=None))
    assert entry.time_source is TimeSource.UNKNOWN and entry.occurred_ms is None


# ----- AMR: frames counted by hand ------------------------------------------------------


def amr_frame(frame_type: int, speech_bytes: int) -> bytes:
    return bytes([(frame_type << 3) | 0x04]) + bytes(speech_bytes)


def test_amr_nb_duration_is_counted_from_frames(tmp_path: Path) -> None:
    # 240 frames of 12.2 kbit/s speech + 10 "no data" frames = 250 × 20 ms = 5.0 s
    body = amr_frame(7, 31) * 240 + amr_frame(15, 0) * 10
    path = tmp_path / "voicemail.amr"
    path.write_bytes(b"#!AMR\n" + body)
    assert audio.sniff(path.read_bytes(), path.name)
    entry = only_entry(parse(path))
    assert entry.duration_s == 5
    assert entry.meta["codec"] == "AMR-NB"
    assert entry.meta["sample_rate"] == 8000
    assert "AMR frames" in entry.meta["duration_method"]
    assert entry.time_source is TimeSource.FILE_MTIME


def test_amr_wb_and_a_cut_last_frame(tmp_path: Path) -> None:
    # 23.85 kbit/s frames are 1 + 60 bytes; 150 of them = 3.0 s, then half a frame.
    path = tmp_path / "note.awb"
    path.write_bytes(b"#!AMR-WB\n" + amr_frame(8, 60) * 150 + amr_frame(8, 60)[:30])
    entry = only_entry(parse(path))
    assert entry.duration_s == 3
    assert entry.meta["codec"] == "AMR-WB"
    assert entry.meta["sample_rate"] == 16000
    assert "cut short" in entry.meta["duration_note"]


def test_amr_reserved_frame_type_stops_with_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "odd.amr"
    path.write_bytes(b"#!AMR\n" + amr_frame(0, 12) * 100 + bytes([9 << 3]) + bytes(40))
    items = parse(path)
    assert only_entry(items).duration_s == 2
    problems = [i.message for i in items if isinstance(i, ParseProblem)]
    assert problems and "measured up to there" in problems[0]


# ----- WAV, MP3, FLAC made here -----------------------------------------------------------


def test_pcm_wav(tmp_path: Path) -> None:
    path = tmp_path / "message.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(bytes(2 * 8000 * 3))  # three seconds
    assert audio.sniff(path.read_bytes()[:65536], path.name)
    entry = only_entry(parse(path))
    assert entry.duration_s == 3
    assert entry.meta["codec"] == "PCM"
    assert entry.meta["sample_rate"] == 8000 and entry.meta["channels"] == 1


def test_gsm_wav_length_comes_from_the_byte_rate(tmp_path: Path) -> None:
    """Voicemail systems e-mail GSM 6.10 WAVs: 65-byte blocks of 320 samples, 1625 B/s."""
    fmt = struct.pack("<HHIIHH", 0x31, 1, 8000, 1625, 65, 0) + struct.pack("<HH", 2, 320)
    data = bytes(1625 * 10)  # ten seconds
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data))
    path = tmp_path / "vm.wav"
    path.write_bytes(
        b"RIFF" + struct.pack("<I", 4 + len(chunks) + len(data)) + b"WAVE" + chunks + data
    )
    entry = only_entry(parse(path))
    assert entry.meta["codec"] == "GSM 6.10"
    assert entry.duration_s == 10


def mp3_file(path: Path, frames: int = 100) -> Path:
    # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, no padding: 144 × 128000 / 44100 = 417 bytes
    path.write_bytes((b"\xff\xfb\x90\x00" + bytes(413)) * frames)
    return path


def test_mp3_with_id3_tags(tmp_path: Path) -> None:
    path = mp3_file(tmp_path / "vm.mp3")
    assert audio.sniff(path.read_bytes(), "no-extension")  # two frame headers in a row
    tags = ID3()
    tags.add(TIT2(encoding=3, text="Voicemail"))
    tags.add(TPE1(encoding=3, text="+1 555 123 4567"))
    tags.add(TDRC(encoding=3, text="2024-03-12"))
    tags.add(COMM(encoding=3, lang="eng", desc="", text="left at 10pm"))
    tags.add(TSSE(encoding=3, text="LAME 3.100"))
    tags.save(path)
    assert audio.sniff(path.read_bytes()[:65536], path.name)  # now an ID3 header
    entry = only_entry(parse(path))
    assert entry.duration_s == 3  # 100 × 1152 / 44100 = 2.61 s
    assert entry.meta["codec"] == "MP3"
    assert entry.meta["bitrate"] == 128000
    assert entry.meta["tags"] == {
        "title": "Voicemail",
        "artist": "+1 555 123 4567",
        "date": "2024-03-12",
        "comment": "left at 10pm",
        "encoder": "LAME 3.100",
    }
    assert entry.time_source is TimeSource.FILE_MTIME  # a bare date is not a time


def test_date_tag_with_an_offset_is_a_header_time(tmp_path: Path) -> None:
    streaminfo = struct.pack(">HH", 4096, 4096) + bytes(6)
    streaminfo += ((16000 << 44) | (0 << 41) | (15 << 36) | 16000 * 7).to_bytes(8, "big")
    path = tmp_path / "memo.flac"
    path.write_bytes(b"fLaC\x80" + (34).to_bytes(3, "big") + streaminfo + bytes(16))
    flac = FLAC(path)
    flac.add_tags()
    flac["date"] = "2024-03-12T22:15:30-05:00"
    flac["title"] = "Parking lot"
    flac.save()
    entry = only_entry(parse(path))
    assert entry.duration_s == 7
    assert entry.meta["codec"] == "FLAC"
    assert entry.time_source is TimeSource.HEADER
    assert entry.utc_offset_min == -300
    assert entry.occurred_ms == utc_ms(2024, 3, 13, 3, 15, 30)
    assert entry.meta["tags"]["title"] == "Parking lot"


# ----- MP4 boxes: sniffing video away, and implausible creation times ---------------------


def box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def ftyp(major: bytes, *compatible: bytes) -> bytes:
    return box(b"ftyp", major + bytes(4) + b"".join(compatible))


def mvhd(created: int) -> bytes:
    return box(b"mvhd", bytes(4) + struct.pack(">IIII", created, created, 1000, 5000) + bytes(80))


def trak(handler: bytes) -> bytes:
    return box(b"trak", box(b"mdia", box(b"hdlr", bytes(8) + handler + bytes(12))))


def test_sniff_tells_audio_from_video_and_heic() -> None:
    audio_moov = box(b"moov", mvhd(0) + trak(b"soun"))
    video_moov = box(b"moov", mvhd(0) + trak(b"soun") + trak(b"vide"))
    assert audio.sniff(ftyp(b"M4A ", b"M4A ", b"mp42", b"isom") + b"\0" * 8, "x.m4a")
    assert audio.sniff(ftyp(b"isom", b"isom", b"mp42") + audio_moov, "clip.mp4")
    assert not audio.sniff(ftyp(b"isom", b"isom", b"mp42") + video_moov, "clip.m4a")
    assert audio.sniff(ftyp(b"3gp4", b"3gp4") + audio_moov, "rec.3gp")
    assert not audio.sniff(ftyp(b"heic", b"mif1", b"heic"), "IMG_0001.HEIC")
    assert not audio.sniff(ftyp(b"mif1", b"mif1", b"heic"), "photo")
    assert not audio.sniff(ftyp(b"qt  ", b"qt  "), "movie.mov")
    # Tracks beyond the head: the name breaks the tie.
    assert audio.sniff(ftyp(b"mp42", b"mp42", b"isom"), "long.m4a")
    assert not audio.sniff(ftyp(b"mp42", b"mp42", b"isom"), "long.mp4")


def test_sniff_other_magic() -> None:
    assert audio.sniff(b"OggS\x00\x02" + bytes(22) + b"\x01\x1eOpusHead", "x.ogg")
    assert not audio.sniff(b"OggS\x00\x02" + bytes(22) + b"\x80theora", "x.ogv")
    assert not audio.sniff(b"\xff\xd8\xff\xe0\x00\x10JFIF", "x.jpg")
    assert not audio.sniff(b"\xff\xfb\x90\x00" + bytes(20), "x.bin")  # one lone frame header
    assert not audio.sniff(b"RIFF\x00\x00\x00\x00AVI LIST", "x.avi")
    assert not audio.sniff(b"", "empty.m4a")
    assert not audio.sniff(b"hello, world", "notes.txt")


@pytest.mark.parametrize(
    ("created", "expected"),
    [
        (0, None),  # not set
        (2082844800, None),  # 1970-01-01, another "not set"
        (3793356930, datetime(2024, 3, 15, 14, 15, 30, tzinfo=UTC)),
    ],
)
def test_mvhd_creation_time_must_be_plausible(
    tmp_path: Path, created: int, expected: datetime | None
) -> None:
    path = tmp_path / "x.m4a"
    path.write_bytes(ftyp(b"M4A ") + box(b"mdat", bytes(100)) + box(b"moov", mvhd(created)))
    assert audio._mp4_facts(source(path)) == (expected, False)


def test_mvhd_and_a_video_track_found_past_the_media(tmp_path: Path) -> None:
    path = tmp_path / "x.3gp"
    moov = box(b"moov", mvhd(3793356930) + trak(b"soun") + trak(b"vide"))
    path.write_bytes(ftyp(b"3gp4") + box(b"mdat", bytes(70_000)) + moov)
    created, has_video = audio._mp4_facts(source(path))
    assert created == datetime(2024, 3, 15, 14, 15, 30, tzinfo=UTC) and has_video


# ----- broken files -----------------------------------------------------------------------


def test_damaged_and_empty_files_are_refused_in_words(tmp_path: Path) -> None:
    damaged = tmp_path / "bad.m4a"
    damaged.write_bytes(ftyp(b"M4A ") + box(b"mdat", b"\xff" * 50))  # no 'moov' at all
    with pytest.raises(UnreadableFile, match="damaged"):
        parse(damaged)
    hollow = tmp_path / "hollow.m4a"
    hollow.write_bytes(ftyp(b"M4A ") + b"\x00\x00\x00\x10moov" + b"\xff" * 50)
    items = parse(hollow)
    assert only_entry(items).duration_s is None
    assert ParseProblem("the length of this recording could not be read") in items
    empty = tmp_path / "empty.mp3"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableFile, match="empty"):
        parse(empty)
    unknown = tmp_path / "thing.bin"
    unknown.write_bytes(b"not audio at all" * 10)
    with pytest.raises(UnreadableFile):
        parse(unknown)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    prefix=st.sampled_from([b"", b"#!AMR\n", b"#!AMR-WB\n", b"OggS", b"ID3\x04", b"RIFF"]),
    body=st.binary(max_size=400),
)
def test_random_bytes_never_crash(tmp_path: Path, prefix: bytes, body: bytes) -> None:
    path = tmp_path / "fuzz.bin"
    path.write_bytes(prefix + body)
    try:
        items = parse(path)
    except UnreadableFile:
        return
    assert all(isinstance(i, ParsedEntry | ParseProblem | FormatNote) for i in items)
