"""Voicemails and recordings turned into plain PCM, inside a sandboxed worker.

A recording in the vault came from outside, and audio decoders are C code that a crafted
file can break, so the window never decodes one: this module runs in the worker
(:mod:`.render` hands it the ``audio`` task) and answers with raw samples that the
window only copies to the sound card. The answer is always 16-bit little-endian mono
at 16 kHz: enough for speech (a telephone carries 8 kHz), and it bounds the size: a
10-minute voicemail is 19 MB, the longest played (:data:`MAX_SECONDS`) 230 MB.

Decoding is miniaudio's (dr_wav, dr_mp3, dr_flac, stb_vorbis), from memory. Nothing
small decodes AAC (iPhone voicemails, ``.m4a``), AMR (Android, ``.amr``/``.3gp``) or
Opus offline: those go to FFmpeg (:mod:`.audio_av`) when the optional ``voicemail``
extra is installed. Without it they are named, by their first bytes, so the window can
say plainly which format it cannot play instead of "damaged".

The file's kind is decided from its first bytes before any decoder sees it: miniaudio
tries each of its decoders in turn, and the MP3 one finds "frames" in almost anything.
"""

from __future__ import annotations

import io
import sys
import wave
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from nco_desktop.importers.model import UnreadableFile
from nco_desktop.sandbox import audio_av

RATE = 16_000
CHANNELS = 1
SAMPLE_BYTES = 2  # signed 16-bit, little-endian
#: The longest stretch played: two hours, 230 MB of PCM (a frame can carry 256 MiB).
MAX_SECONDS = 2 * 60 * 60
MAX_FRAMES = RATE * MAX_SECONDS
_CHUNK = 65_536  # frames decoded at a time

#: What the worker decodes, by the name :func:`sniff` gives.
PLAYABLE = ("WAV", "MP3", "FLAC", "Ogg Vorbis")
#: Formats recognised but not decoded here: named to the user, never called damaged.
UNPLAYABLE: tuple[str, ...] = ("AAC", "ALAC", "AMR", "AMR-WB", "MP4", "Opus", "Speex")
UNPLAYABLE += ("CAF", "AIFF", "GSM 6.10", "compressed WAV")
#: WAV codecs dr_wav decodes: PCM, MS ADPCM, float, A-law, µ-law, IMA ADPCM, extensible.
_WAV_DECODED = {0x0001, 0x0002, 0x0003, 0x0006, 0x0007, 0x0011, 0xFFFE}
#: An MP4 or 3GP file's audio codec, from the sample description (``stsd``) box.
_MP4_CODECS = {b"mp4a": "AAC", b"alac": "ALAC", b"samr": "AMR", b"sawb": "AMR-WB"}

NOT_AUDIO = "the file is not a recording this program can play; it was kept as it is"
DAMAGED = "the recording is damaged or cut short; it was kept as it is"
SILENT = "the recording holds no sound; it was kept as it is"
NOT_CLEANED = (
    "this recording's format cannot be copied without its tags here; it was not copied "
    "for the other side"
)
#: Extensions a clean copy may have (the answer check refuses any other).
CLEAN_EXTENSIONS = frozenset({"m4a", "3gp", "amr", "ogg", "wav", "caf", "aiff"})

Send = Callable[[dict[str, Any], list[bytes]], None]


@dataclass(frozen=True)
class AudioPcm:
    """A recording as the window plays it: 16-bit little-endian samples, interleaved.

    Built in the window only by the answer check (``sandbox.answers``), which compares
    the header with the bytes, so ``frames`` is always ``len(pcm) / (channels × 2)``.
    ``cut_short``: the recording is longer than :data:`MAX_SECONDS` and only its start
    came along.
    """

    rate: int
    channels: int
    frames: int
    pcm: bytes
    cut_short: bool

    @property
    def seconds(self) -> float:
        return self.frames / self.rate


def prepare() -> None:
    """Load the decoders' C libraries while the worker can still read its own files."""
    import miniaudio  # noqa: F401

    audio_av.prepare()


def run(task: dict[str, Any], payloads: list[bytes], send: Send) -> None:
    """The ``audio`` task: one recording in, its PCM (or the name of its format) out;
    ``audio_clean``: a copy of it with nothing but its sound, for the other side."""
    if len(payloads) != 1 or set(task) - {"op"}:
        raise UnreadableFile("the reader was asked for something out of range")
    data = payloads[0]
    kind = _kind(data)
    if task.get("op") == "audio_clean":
        copy, extension = clean_copy(data, kind)
        send({"kind": "audio_clean", "extension": extension}, [copy])
        return
    if kind in UNPLAYABLE:
        try:
            if not audio_av.loaded():
                raise audio_av.Undecodable(kind)
            pcm, cut_short = audio_av.decode(data, kind, RATE, MAX_FRAMES)
        except audio_av.Undecodable:
            send({"kind": "audio_format", "format": kind}, [])
            return
        if not pcm:
            raise UnreadableFile(SILENT)
    else:
        pcm, cut_short = decode(data)
    frames = len(pcm) // (CHANNELS * SAMPLE_BYTES)
    header = {"kind": "audio", "rate": RATE, "channels": CHANNELS, "frames": frames}
    send({**header, "cut_short": cut_short}, [pcm])


def _kind(data: bytes) -> str | None:
    kind = sniff(data[:64])
    if kind == "MP4":
        return _mp4_codec(data)
    if kind == "WAV":
        return _wav_codec(data)
    return kind


def clean_copy(data: bytes, kind: str | None) -> tuple[bytes, str]:
    """The recording with only its sound: its audio stream copied into a new container
    by FFmpeg (the ``voicemail`` extra) when it is there; else, for what miniaudio
    decodes, the sound as a 16 kHz WAV (all a voice needs). Any other: a sentence."""
    if kind is not None and audio_av.loaded():
        try:
            return audio_av.clean_copy(data, kind)
        except audio_av.Undecodable:
            pass
    if kind not in PLAYABLE:
        raise UnreadableFile(NOT_CLEANED)
    pcm, _cut_short = decode(data)
    out = io.BytesIO()
    with wave.open(out, "wb") as handle:
        handle.setnchannels(CHANNELS)
        handle.setsampwidth(SAMPLE_BYTES)
        handle.setframerate(RATE)
        handle.writeframes(pcm)
    return out.getvalue(), "wav"


def sniff(head: bytes) -> str | None:
    """The recording's format from its first bytes (None: not a recording known here)."""
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "WAV"
    if head[:4] == b"fLaC":
        return "FLAC"
    if head[:4] == b"OggS":
        if b"OpusHead" in head:
            return "Opus"
        if b"Speex" in head:
            return "Speex"
        return "Ogg Vorbis" if b"\x01vorbis" in head else None
    if head.startswith(b"#!AMR-WB\n"):
        return "AMR-WB"
    if head.startswith(b"#!AMR\n"):
        return "AMR"
    if head[4:8] == b"ftyp":
        return "MP4"  # m4a, 3gp, 3g2: the codec is named by _mp4_codec
    if head[:4] == b"caff":
        return "CAF"
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "AIFF"
    if head[:3] == b"ID3" or _mp3_frame(head):
        return "MP3"
    return None


def _mp4_codec(data: bytes) -> str:
    """The codec of an MP4/3GP recording's first track with a sample description: its
    four letters follow the box's header (4 bytes each of flags, count and entry size)."""
    at = data.find(b"stsd")
    while at >= 0:
        codec = _MP4_CODECS.get(data[at + 16 : at + 20])
        if codec is not None:
            return codec
        at = data.find(b"stsd", at + 4)
    return "MP4"


def _wav_codec(data: bytes) -> str:
    """``WAV``, or the name of a codec inside it that is not decoded here (voicemail
    systems e-mail GSM 6.10 WAVs), from the ``fmt`` chunk's format tag."""
    at = data.find(b"fmt ", 12, 4096)
    if at < 0 or len(data) < at + 10:
        return "WAV"  # no format chunk: the decoder says it is damaged
    tag = int.from_bytes(data[at + 8 : at + 10], "little")
    if tag in _WAV_DECODED or tag == 0:  # 0: no codec at all, a broken header
        return "WAV"
    return "GSM 6.10" if tag == 0x31 else "compressed WAV"


def _mp3_frame(head: bytes) -> bool:
    """An MPEG audio frame header: 11 sync bits, a layer, a bitrate and a rate that exist."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return False
    layer = (head[1] >> 1) & 3
    bitrate = head[2] >> 4
    rate = (head[2] >> 2) & 3
    return layer != 0 and bitrate not in (0, 15) and rate != 3


def decode(data: bytes) -> tuple[bytes, bool]:
    """*data* as PCM (see the module's docstring) and whether it was cut short.

    Streamed a chunk at a time, so a recording of many hours costs memory only up to
    :data:`MAX_FRAMES`, however long it says it is.
    """
    import miniaudio

    if not data:
        raise UnreadableFile("the file is empty; it was kept as it is")
    if sniff(data[:64]) not in PLAYABLE:
        raise UnreadableFile(NOT_AUDIO)
    try:
        stream = miniaudio.stream_memory(
            data, miniaudio.SampleFormat.SIGNED16, CHANNELS, RATE, _CHUNK
        )
    except miniaudio.DecodeError as exc:
        raise UnreadableFile(DAMAGED) from exc
    out = bytearray()
    limit = MAX_FRAMES * CHANNELS * SAMPLE_BYTES
    cut_short = False
    try:
        for chunk in stream:
            if sys.byteorder == "big":
                chunk.byteswap()
            out += chunk.tobytes()
            if len(out) >= limit:
                cut_short = len(out) > limit or next(stream, None) is not None
                del out[limit:]
                break
    except miniaudio.MiniaudioError as exc:
        if not out:
            raise UnreadableFile(DAMAGED) from exc
    finally:
        stream.close()
    if not out:
        raise UnreadableFile(SILENT)
    return bytes(out), cut_short
