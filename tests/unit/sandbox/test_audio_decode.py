"""Recordings are decoded to plain PCM in a sandboxed worker, never in the window.

Through a real worker: WAV and MP3 arrive as 16 kHz mono samples; without FFmpeg (the
``voicemail`` extra, see ``test_audio_ffmpeg``) AAC, ALAC, AMR and Opus are named, not
called damaged; empty, truncated and hostile files fail with a
sentence and the worker answers the next request. The answer check refuses a worker
that lies about the samples it sent.
"""

from __future__ import annotations

import io
import itertools
import math
import os
import struct
import tempfile
import wave
from array import array

import pytest

from nco_desktop.sandbox import audio, audio_av, wire
from nco_desktop.sandbox.answers import final_answer
from nco_desktop.timeline.previews import (
    AudioPcm,
    PicturePreviews,
    PreviewFailed,
    UnplayableFormat,
)
from tests.conftest import SAMPLES

VOICEMAILS = SAMPLES / "voicemail_audio"


def wav_tone(seconds: float, rate: int = 8000, channels: int = 1, hz: float = 440) -> bytes:
    """A sine tone as a PCM WAV, in memory."""
    out = io.BytesIO()
    with wave.open(out, "wb") as handle:
        handle.setnchannels(channels)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        samples = array(
            "h",
            (
                int(12000 * math.sin(2 * math.pi * hz * i / rate))
                for i in range(int(seconds * rate))
                for _ in range(channels)
            ),
        )
        handle.writeframes(samples.tobytes())
    return out.getvalue()


def mp3_frames(count: int = 100) -> bytes:
    """MPEG-1 Layer III frames, 128 kbit/s at 44.1 kHz, holding silence (417 bytes each)."""
    return (b"\xff\xfb\x90\x00" + bytes(413)) * count


@pytest.fixture(scope="module")
def previews():
    maker = PicturePreviews()
    yield maker
    maker.close()


def test_a_wav_voicemail_arrives_as_16_khz_mono_samples_of_the_same_sound(previews):
    pcm = previews.audio(wav_tone(3.0, rate=8000))
    assert (pcm.rate, pcm.channels, pcm.cut_short) == (16_000, 1, False)
    assert abs(pcm.frames - 48_000) <= 16  # three seconds, resampled
    samples = array("h", pcm.pcm)
    assert max(samples) > 10_000 and min(samples) < -10_000  # the tone, not silence
    # 440 Hz: about 880 zero crossings a second, whatever the rate it was recorded at
    second = samples[16_000:32_000]
    crossings = sum(1 for a, b in itertools.pairwise(second) if (a < 0) != (b < 0))
    assert 860 <= crossings <= 900


def test_a_stereo_cd_quality_wav_is_mixed_down_and_resampled(previews):
    pcm = previews.audio(wav_tone(2.0, rate=44_100, channels=2))
    assert pcm.channels == 1 and abs(pcm.frames - 32_000) <= 16
    assert len(pcm.pcm) == pcm.frames * 2


def test_an_mp3_voicemail_is_decoded(previews):
    pcm = previews.audio(mp3_frames(100))  # 100 × 1152 samples at 44.1 kHz = 2.61 s
    assert pcm.rate == 16_000 and abs(pcm.seconds - 2.61) < 0.05
    id3 = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + bytes(10)  # an empty ID3v2 tag in front
    assert abs(previews.audio(id3 + mp3_frames(100)).seconds - 2.61) < 0.05


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"just some words, not a recording" * 20, "not a recording"),
        (wav_tone(1.0)[:30], "damaged or cut short"),  # the header cut off
        (b"RIFF\xff\xff\xff\xffWAVEfmt \xff\xff\xff\xff" + bytes(64), "damaged or cut short"),
        (os.urandom(4096), "not a recording"),
        (b"\xff\xfb\x90\x00" + os.urandom(20_000), None),  # noise after one frame header
    ],
)
def test_broken_and_hostile_files_fail_with_a_sentence_and_the_worker_goes_on(
    previews, data, words
):
    if words is None:  # garbage that looks like MP3: noise or a sentence, never a hang
        try:
            pcm = previews.audio(data)
        except PreviewFailed:
            pass
        else:
            assert len(pcm.pcm) == pcm.frames * 2
    else:
        with pytest.raises(PreviewFailed, match=words):
            previews.audio(data)
    assert previews.audio(wav_tone(0.5)).frames > 7000  # the worker answers again


def named_without_the_extra(data: bytes, monkeypatch) -> str:
    """The format the worker names when FFmpeg (the ``voicemail`` extra) is missing: in
    this process, as the worker decides it once it has loaded its decoders."""
    monkeypatch.setattr(audio_av, "_loaded", False)
    sent: list[dict] = []
    audio.run({"op": "audio"}, [data], lambda header, payloads: sent.append(header))
    (header,) = sent
    assert header["kind"] == "audio_format"
    return header["format"]


@pytest.mark.skipif(not VOICEMAILS.is_dir(), reason="shared samples are not present")
@pytest.mark.parametrize(
    "name, format_name",
    [
        ("mutagen__no-tags.m4a", "AAC"),  # an iPhone voicemail's format
        ("mutagen__alac.m4a", "ALAC"),
        ("mutagen__no-tags.3g2", "AAC"),
        ("mutagen__example.opus", "Opus"),
    ],
)
def test_without_the_extra_phone_formats_are_named(monkeypatch, name, format_name):
    assert named_without_the_extra((VOICEMAILS / name).read_bytes(), monkeypatch) == format_name


def test_without_the_extra_amr_voicemails_are_named(monkeypatch):
    for head, name in ((b"#!AMR\n", "AMR"), (b"#!AMR-WB\n", "AMR-WB")):
        data = head + b"\x3c" + bytes(31)  # one 12.2 kbit/s frame
        assert named_without_the_extra(data, monkeypatch) == name


def compressed_wav(tag: int, block: int = 65, samples_per_block: int = 320) -> bytes:
    fmt = struct.pack("<HHIIHH", tag, 1, 8000, 1625, block, 0)
    fmt += struct.pack("<HH", 2, samples_per_block)
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", 650)
    return b"RIFF" + struct.pack("<I", 4 + len(chunks) + 650) + b"WAVE" + chunks + bytes(650)


def test_gsm_wavs_from_voicemail_systems_play(previews):
    """GSM 6.10 is what voicemail systems e-mail; dr_wav does not decode it, FFmpeg does."""
    pcm = previews.audio(compressed_wav(0x31))  # 10 blocks of 320 samples at 8 kHz
    assert pcm.seconds == pytest.approx(0.4, abs=0.02)


def test_a_wav_codec_nothing_here_decodes_is_named(previews, monkeypatch):
    with pytest.raises(UnplayableFormat) as caught:
        previews.audio(compressed_wav(0x1234))
    assert caught.value.format == "compressed WAV"
    assert named_without_the_extra(compressed_wav(0x31), monkeypatch) == "GSM 6.10"


def test_decoding_writes_no_file(previews):
    before = set(os.listdir(tempfile.gettempdir()))
    previews.audio(wav_tone(1.0))
    previews.audio(mp3_frames(20))
    assert set(os.listdir(tempfile.gettempdir())) - before == set()


def test_a_recording_longer_than_two_hours_is_cut_there(monkeypatch):
    """In this process (the limit is the worker's): only the start is kept, and said."""
    monkeypatch.setattr(audio, "MAX_FRAMES", 16_000)
    pcm, cut_short = audio.decode(wav_tone(3.0))
    assert len(pcm) == 32_000 and cut_short
    pcm, cut_short = audio.decode(wav_tone(0.5))
    assert not cut_short


GOOD = {"kind": "audio", "rate": 16_000, "channels": 1, "frames": 4, "cut_short": False}


def test_a_good_answer_becomes_samples():
    kind, pcm = final_answer(dict(GOOD), [bytes(8)])
    assert kind == "audio" and isinstance(pcm, AudioPcm) and pcm.frames == 4


@pytest.mark.parametrize(
    "change, payloads",
    [
        ({"frames": 5}, [bytes(8)]),  # more frames than bytes: the player would read past
        ({"frames": 3}, [bytes(8)]),
        ({"frames": 0}, [b""]),
        ({"frames": audio.MAX_FRAMES + 1}, [bytes(8)]),
        ({"rate": 48_000}, [bytes(8)]),  # not the rate asked for
        ({"channels": 2}, [bytes(16)]),
        ({"rate": 16_000.0}, [bytes(8)]),
        ({"frames": True}, [bytes(2)]),
        ({"cut_short": "no"}, [bytes(8)]),
        ({"extra": 1}, [bytes(8)]),
        ({}, []),
        ({}, [bytes(8), b""]),
    ],
)
def test_the_answer_check_refuses_a_lying_header(change, payloads):
    with pytest.raises(wire.WireError):
        final_answer({**GOOD, **change}, payloads)
    header = dict(GOOD)
    del header["cut_short"]
    with pytest.raises(wire.WireError):
        final_answer(header, [bytes(8)])


@pytest.mark.parametrize("name", ["AAC", "Opus"])
def test_a_named_format_must_be_one_the_program_knows(name):
    assert final_answer({"kind": "audio_format", "format": name}, []) == ("audio_format", name)
    for forged in ("<b>AAC</b>", "x" * 5000, 3):
        with pytest.raises(wire.WireError):
            final_answer({"kind": "audio_format", "format": forged}, [])
    with pytest.raises(wire.WireError):
        final_answer({"kind": "audio_format", "format": name}, [b"x"])


def test_sniffing_by_first_bytes():
    assert audio.sniff(wav_tone(0.1)[:64]) == "WAV"
    assert audio.sniff(mp3_frames(1)[:64]) == "MP3"
    assert audio.sniff(b"fLaC\x00\x00\x00\x22") == "FLAC"
    assert audio.sniff(b"OggS" + bytes(24) + b"\x01vorbis") == "Ogg Vorbis"
    assert audio.sniff(b"\x00\x00\x00\x18ftypM4A ") == "MP4"
    assert audio.sniff(b"\xff\xff\xff\xff") is None  # a bitrate that does not exist
    assert audio.sniff(struct.pack(">I", 12) + b"junk") is None
