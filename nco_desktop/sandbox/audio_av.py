"""The voicemail formats miniaudio cannot decode, through FFmpeg (PyAV), in the worker.

iPhone voicemails are AAC in an ``.m4a``, Android ones AMR in ``.amr``/``.3gp``, and
WhatsApp voice notes Opus: the evidence our users most often have as sound. Only FFmpeg
decodes all of them offline, and its Python binding is large (a 35 MB wheel, 131 MB
installed), so it is the optional ``voicemail`` extra: when it is missing, these formats
are named to the user instead of played (:mod:`.audio`), and nothing else changes.

FFmpeg is a wide attack surface, so it gets a narrow door, beyond the worker's own
confinement: the file's kind was decided from its first bytes before FFmpeg sees it
(:func:`.audio.sniff`), the demuxer is forced to the one that kind needs (no probing, so
no playlist or image-sequence demuxer that would go looking for other files), only audio
decoders named in :data:`DECODERS` run, and decoding and resampling stay on one thread
(FFmpeg's filter graph would start one per core: needless in a worker that does one
small job, and the worker keeps to the thread it was confined on).
"""

from __future__ import annotations

import importlib.util
import io
import sys
from array import array
from typing import Any

from nco_desktop.importers.model import UnreadableFile

#: The demuxer each sniffed kind is read with (see :func:`.audio.sniff`).
DEMUXERS = {
    "AAC": "mov",
    "ALAC": "mov",
    "MP4": "mov",
    "AMR": "amr",
    "AMR-WB": "amr",
    "Opus": "ogg",
    "Speex": "ogg",
    "CAF": "caf",
    "AIFF": "aiff",
    "GSM 6.10": "wav",
    "compressed WAV": "wav",
}
#: The audio decoders allowed to run: what phones, voicemail systems and messengers write
#: (not old desktop codecs such as QDM2 or MACE, whose decoders had their share of holes).
DECODERS = frozenset(
    {"aac", "aac_fixed", "aac_latm", "alac", "amrnb", "amrwb", "opus", "libopus"}
    | {"libspeex", "speex", "gsm", "gsm_ms", "mp3", "mp3float", "adpcm_ima_wav"}
    | {"adpcm_ms", "adpcm_g722", "pcm_alaw", "pcm_mulaw", "pcm_s16le"}
    | {"pcm_s16be", "pcm_s24le", "pcm_s24be", "pcm_s32le", "pcm_s32be", "pcm_f32le"}
    | {"pcm_f32be", "pcm_s8", "pcm_u8"}
)
DAMAGED = "the recording is damaged or cut short; it was kept as it is"


class Undecodable(Exception):
    """The recording's codec is not one of :data:`DECODERS` (or its kind has no
    demuxer here): the worker names the format to the user, as without the extra."""


def available() -> bool:
    """Whether the ``voicemail`` extra is installed, without loading it (the window asks
    this to know what to offer; only the worker imports FFmpeg)."""
    return importlib.util.find_spec("av") is not None


_loaded = False


def prepare() -> None:
    """Load FFmpeg's libraries while the worker can still read its own files."""
    global _loaded
    if available():
        import av

        av.logging.set_level(None)  # FFmpeg's messages would name nothing useful
        _loaded = True


def loaded() -> bool:
    """Whether :func:`prepare` loaded FFmpeg in this worker (asked once confined, when
    looking for the package on disk is no longer possible)."""
    return _loaded


def decode(data: bytes, kind: str, rate: int, limit_frames: int) -> tuple[bytes, bool]:
    """*data* (sniffed as *kind*) as signed 16-bit mono PCM at *rate*, at most
    *limit_frames* of it, and whether it was cut short."""
    import av

    demuxer = _demuxer(data, kind)
    if demuxer is None:
        raise Undecodable(kind)
    try:
        container = av.open(io.BytesIO(data), mode="r", format=demuxer)
    except (av.FFmpegError, ValueError) as exc:
        raise UnreadableFile(DAMAGED) from exc
    try:
        return _decode_stream(av, container, rate, limit_frames)
    finally:
        container.close()


def _demuxer(data: bytes, kind: str) -> str | None:
    """The reader for *kind*, by its container: AMR is also kept in an MP4-style 3GP
    file (Android's recorder), which the raw AMR reader calls damaged."""
    if kind not in DEMUXERS:
        return None
    return "mov" if data[4:8] == b"ftyp" else DEMUXERS[kind]


def _decode_stream(av: Any, container: Any, rate: int, limit_frames: int) -> tuple[bytes, bool]:
    if not container.streams.audio:
        raise UnreadableFile(DAMAGED)
    stream = container.streams.audio[0]
    context = stream.codec_context  # None: FFmpeg has no decoder for it at all
    if context is None or context.name not in DECODERS:
        raise Undecodable(getattr(context, "name", "unknown"))
    context.thread_count = 1
    context.thread_type = "NONE"
    resampler = av.AudioResampler(format="s16", layout="mono", rate=rate, threads=1)
    limit = limit_frames * 2
    out = bytearray()
    try:
        for frame in container.decode(stream):
            for chunk in resampler.resample(frame):
                out += _samples(chunk)
            if len(out) >= limit:
                del out[limit:]
                return bytes(out), True
        for chunk in resampler.resample(None):
            out += _samples(chunk)
    except (av.FFmpegError, ValueError) as exc:
        if not out:
            raise UnreadableFile(DAMAGED) from exc  # else: play what came before the damage
    cut_short = len(out) > limit
    return bytes(out[:limit]), cut_short


def _samples(frame: Any) -> bytes:
    """One resampled frame's samples, little-endian: packed s16 mono, so plane 0 holds
    them all (its buffer can be padded past the last sample)."""
    data = bytes(frame.planes[0])[: frame.samples * 2]
    if sys.byteorder == "big":
        swapped = array("h", data)
        swapped.byteswap()
        data = swapped.tobytes()
    return data


#: A clean copy's container, by the sniffed kind: (demuxer, muxer, file extension). Not
#: MP3: bytes between its frames (an ID3 tag in the middle, Lyrics3) travel with the
#: packets, so an MP3 is copied as decoded sound (see ``audio.clean_copy``), as are Ogg
#: Vorbis and FLAC, whose decoders are miniaudio's.
COPIES = {
    "AAC": ("mov", "ipod", "m4a"),
    "ALAC": ("mov", "ipod", "m4a"),
    "MP4": ("mov", "ipod", "m4a"),
    "AMR": ("amr", "amr", "amr"),
    "AMR-WB": ("amr", "amr", "amr"),
    "Opus": ("ogg", "ogg", "ogg"),
    "Speex": ("ogg", "ogg", "ogg"),
    "WAV": ("wav", "wav", "wav"),
    "GSM 6.10": ("wav", "wav", "wav"),
    "compressed WAV": ("wav", "wav", "wav"),
    "CAF": ("caf", "caf", "caf"),
    "AIFF": ("aiff", "aiff", "aiff"),
}


def clean_copy(data: bytes, kind: str) -> tuple[bytes, str]:
    """*data*'s first audio stream in a new container of its kind, its sound bytes as
    they were (no re-encoding) and nothing else: no tags, titles, locations, cover
    pictures or chapters, and no writer's name (bit-exact mode). With its extension."""
    import av

    if kind not in COPIES:
        raise Undecodable(kind)
    demuxer, muxer, extension = COPIES[kind]
    if data[4:8] == b"ftyp":  # an MP4-style file: AMR inside stays in a 3GP
        demuxer = "mov"
        if kind in ("AMR", "AMR-WB"):
            muxer, extension = "3gp", "3gp"
    out = io.BytesIO()
    try:
        with av.open(io.BytesIO(data), mode="r", format=demuxer) as source:
            if not source.streams.audio:
                raise UnreadableFile(DAMAGED)
            stream = source.streams.audio[0]
            if stream.codec_context is None or stream.codec_context.name not in DECODERS:
                raise Undecodable(kind)
            options = {"fflags": "+bitexact"}
            if muxer == "mp3":
                options["id3v2_version"] = "0"  # no ID3 tag at all, not even an empty one
            with av.open(out, mode="w", format=muxer, options=options) as target:
                copy = target.add_stream_from_template(stream)
                for key in list(copy.metadata):
                    del copy.metadata[key]
                for packet in source.demux(stream):
                    if packet.dts is None:
                        continue  # the demuxer's last, empty packet
                    packet.stream = copy
                    target.mux(packet)
    except (av.FFmpegError, ValueError) as exc:
        raise UnreadableFile(DAMAGED) from exc
    return out.getvalue(), extension
