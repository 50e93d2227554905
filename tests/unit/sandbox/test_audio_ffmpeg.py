"""iPhone (AAC), Android (AMR) and WhatsApp (Opus) voicemails play: FFmpeg decodes them
in the sandboxed worker (the ``voicemail`` extra), behind a narrow door.

The recordings are made here with FFmpeg's own encoders (a 440 Hz tone), so the test can
tell sound from noise: the decoded samples cross zero about 880 times a second. Hostile
files fail with a sentence and the worker answers the next request.
"""

from __future__ import annotations

import io
import itertools
import math
import os
import tempfile
from array import array

import pytest

from nco_desktop.sandbox import audio, audio_av
from nco_desktop.timeline.previews import PicturePreviews, PreviewFailed, UnplayableFormat
from tests.conftest import SAMPLES

av = pytest.importorskip("av", reason="the voicemail extra (PyAV) is not installed")
VOICEMAILS = SAMPLES / "voicemail_audio"


def encoded_tone(container: str, codec: str, rate: int, seconds: float = 3.0) -> bytes:
    """A 440 Hz tone encoded by FFmpeg into *container* with *codec*, in memory."""
    out = io.BytesIO()
    with av.open(out, mode="w", format=container) as muxer:
        stream = muxer.add_stream(codec, rate=rate, layout="mono")
        frame_size = stream.codec_context.frame_size or 1024
        total = int(seconds * rate)
        for start in range(0, total, frame_size):
            count = min(frame_size, total - start)
            samples = array(
                "h",
                (
                    int(12000 * math.sin(2 * math.pi * 440 * (start + i) / rate))
                    for i in range(count)
                ),
            )
            frame = av.AudioFrame(format="s16", layout="mono", samples=count)
            frame.planes[0].update(
                samples.tobytes() + bytes(frame.planes[0].buffer_size - 2 * count)
            )
            frame.rate = rate
            frame.pts = start
            for packet in stream.encode(frame):
                muxer.mux(packet)
        for packet in stream.encode(None):
            muxer.mux(packet)
    return out.getvalue()


def crossings_per_second(pcm_bytes: bytes) -> int:
    second = array("h", pcm_bytes)[16_000:32_000]
    return sum(1 for a, b in itertools.pairwise(second) if (a < 0) != (b < 0))


def amr_frames(wide: bool, count: int) -> bytes:
    """An AMR(-WB) file of *count* 20 ms frames (12.2 kbit/s NB or 6.6 kbit/s WB)."""
    if wide:
        return b"#!AMR-WB\n" + (b"\x04" + bytes(range(17))) * count
    return b"#!AMR\n" + (b"\x3c" + bytes(range(31))) * count


@pytest.fixture(scope="module")
def previews():
    maker = PicturePreviews()
    yield maker
    maker.close()


@pytest.mark.parametrize(
    "container, codec, rate",
    [("ipod", "aac", 44_100), ("mp4", "aac", 8_000), ("ogg", "libopus", 48_000)],
    ids=["iphone-m4a", "aac-8khz", "whatsapp-opus"],
)
def test_a_voicemail_in_a_phone_format_arrives_as_the_same_sound(previews, container, codec, rate):
    pcm = previews.audio(encoded_tone(container, codec, rate))
    assert (pcm.rate, pcm.channels, pcm.cut_short) == (16_000, 1, False)
    assert 2.9 <= pcm.seconds <= 3.2  # encoders pad a frame or two
    assert 850 <= crossings_per_second(pcm.pcm) <= 910  # 440 Hz, not noise or silence


def test_amr_voicemails_play_twenty_milliseconds_a_frame(previews):
    assert previews.audio(amr_frames(wide=False, count=250)).seconds == pytest.approx(5.0, abs=0.03)
    assert previews.audio(amr_frames(wide=True, count=100)).seconds == pytest.approx(2.0, abs=0.03)


@pytest.mark.skipif(not VOICEMAILS.is_dir(), reason="shared samples are not present")
@pytest.mark.parametrize(
    "name, seconds",
    [
        ("mutagen__no-tags.m4a", 3.68),
        ("mutagen__has-tags.m4a", 3.68),
        ("mutagen__alac.m4a", 3.68),
        ("mutagen__no-tags.3g2", 16.30),
        ("mutagen__example.opus", 11.35),
    ],
)
def test_the_sample_voicemails_play(previews, name, seconds):
    pcm = previews.audio((VOICEMAILS / name).read_bytes())
    assert pcm.seconds == pytest.approx(seconds, abs=0.05)


def truncated(data: bytes) -> bytes:
    return data[: len(data) // 2]


@pytest.mark.parametrize(
    "make, words",
    [
        (lambda: truncated(encoded_tone("ipod", "aac", 44_100)), None),  # index at the end
        (lambda: b"\x00\x00\x00\x18ftypM4A " + os.urandom(8000), "damaged"),
        (lambda: b"\xff\xff\xff\xffftypM4A \x00\x00\x00\x00" + bytes(64), "damaged"),
        (lambda: b"OggS" + bytes(24) + b"OpusHead" + os.urandom(4000), None),
        (lambda: b"#!AMR\n" + os.urandom(20_000), None),
    ],
    ids=["m4a-cut-in-half", "m4a-noise", "m4a-huge-box", "opus-noise", "amr-noise"],
)
def test_hostile_phone_recordings_fail_with_a_sentence_and_the_worker_goes_on(
    previews, make, words
):
    data = make()
    if words is None:  # noise or a cut file: a sentence, or whatever sound there is
        try:
            pcm = previews.audio(data)
        except PreviewFailed:
            pass
        else:
            assert len(pcm.pcm) == pcm.frames * 2
    else:
        with pytest.raises(PreviewFailed, match=words):
            previews.audio(data)
    assert previews.audio(amr_frames(wide=False, count=50)).frames == 16_000


def test_ffmpeg_is_never_left_to_guess_the_format():
    """Every kind the sniffer names has a demuxer forced for it, and an unnamed one is
    refused before FFmpeg sees a byte: FFmpeg's probing would reach playlist and
    image-sequence demuxers that go looking for other files."""
    assert set(audio.UNPLAYABLE) <= set(audio_av.DEMUXERS)
    assert {"hls", "concat", "image2", "tee", "data"}.isdisjoint(audio_av.DEMUXERS.values())
    with pytest.raises(audio_av.Undecodable):
        audio_av.decode(b"#EXTM3U\nfile:///etc/passwd\n", "HLS", 16_000, 16_000)


def test_a_codec_not_on_the_list_is_named_not_decoded(previews):
    """FLAC inside an MP4 is nothing a phone writes: FFmpeg's FLAC decoder stays shut,
    and the user is told the format, with how to listen elsewhere."""
    with pytest.raises(UnplayableFormat) as caught:
        previews.audio(encoded_tone("mp4", "flac", 8000, 1.0))
    assert caught.value.format == "MP4"
    assert previews.audio(amr_frames(wide=False, count=50)).frames == 16_000


def threads() -> int:
    return len(os.listdir("/proc/self/task"))


@pytest.mark.skipif(not os.path.isdir("/proc/self/task"), reason="needs Linux's /proc")
def test_decoding_starts_no_thread():
    """In this process, to count threads: the confined worker must not start any."""
    data = encoded_tone("ipod", "aac", 44_100, 6.0)  # FFmpeg's encoder may start threads
    before = threads()
    pcm, cut_short = audio_av.decode(data, "AAC", 16_000, 10**6)
    assert threads() == before and len(pcm) > 180_000 and not cut_short


def test_a_long_recording_is_cut_at_the_limit():
    pcm, cut_short = audio_av.decode(amr_frames(wide=False, count=500), "AMR", 16_000, 16_000)
    assert cut_short and len(pcm) == 32_000


def test_without_the_extra_the_formats_are_named_not_decoded(monkeypatch):
    """The worker's answer when PyAV is missing (here in this process: the choice is the
    worker's and is made once, when it loads its decoders)."""
    monkeypatch.setattr(audio_av, "_loaded", False)
    sent: list[tuple[dict, list[bytes]]] = []
    audio.run({"op": "audio"}, [amr_frames(wide=True, count=10)], lambda h, p: sent.append((h, p)))
    assert sent == [({"kind": "audio_format", "format": "AMR-WB"}, [])]


def test_decoding_writes_no_file(previews):
    before = set(os.listdir(tempfile.gettempdir()))
    previews.audio(encoded_tone("ipod", "aac", 44_100, 1.0))
    previews.audio(amr_frames(wide=False, count=20))
    assert set(os.listdir(tempfile.gettempdir())) - before == set()


def amr_in_3gp(count: int = 50) -> bytes:
    """AMR frames in an MP4-style 3GP file, as Android's recorder writes them."""
    source = av.open(io.BytesIO(amr_frames(wide=False, count=count)), format="amr")
    out = io.BytesIO()
    with av.open(out, "w", format="3gp") as target:
        stream = target.add_stream_from_template(source.streams.audio[0])
        for packet in source.demux(source.streams.audio[0]):
            if packet.dts is not None:
                packet.stream = stream
                target.mux(packet)
    return out.getvalue()


def test_an_android_amr_recording_in_a_3gp_file_plays_and_is_copied_clean(previews):
    data = amr_in_3gp(50)
    assert previews.audio(data).seconds == pytest.approx(1.0, abs=0.03)
    extension, copy = previews.audio_clean(data)
    assert extension == "3gp" and previews.audio(copy).seconds == pytest.approx(1.0, abs=0.03)


def test_tags_between_mp3_frames_do_not_reach_the_clean_copy(previews):
    """Bytes between frames travel with FFmpeg's packets: an MP3 is copied as sound."""
    from tests.unit.sandbox.test_audio_decode import mp3_frames

    text = b"\x03Jane Doe, 2417 Juniper Lane"
    frame = b"TIT2" + len(text).to_bytes(4, "big") + b"\x00\x00" + text
    tag = b"ID3\x04\x00\x00" + len(frame).to_bytes(4, "big") + frame
    extension, copy = previews.audio_clean(mp3_frames(40) + tag + mp3_frames(40))
    assert extension == "wav" and b"Juniper" not in copy and b"Jane" not in copy
