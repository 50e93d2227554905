"""Recordings for the other side (issue #15): named by exhibit and number only, with
nothing but their sound. The originals here carry the user's number, name and address
in their file names and tags; the copies carry none of it, and sound the same."""

from __future__ import annotations

import io
import math
import struct
import wave
from array import array

import pytest

from nco_desktop.binder.options import BinderOptions
from nco_desktop.binder.recordings import export_service_recordings
from nco_desktop.importers.batch import import_paths
from nco_desktop.timeline.previews import PicturePreviews
from tests.conftest import write_file

av = pytest.importorskip("av", reason="the voicemail extra (PyAV) is not installed")
SECRETS = ("555", "0199", "Jane", "Juniper", "Springfield", "Lavf")


def tone(rate: int, seconds: float) -> bytes:
    return array(
        "h",
        (int(9000 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(rate * seconds))),
    ).tobytes()


def tagged_m4a() -> bytes:
    """AAC in an .m4a with a title, an artist and a comment that name the user."""
    out = io.BytesIO()
    with av.open(out, mode="w", format="ipod") as muxer:
        muxer.metadata.update(
            {
                "title": "Voicemail +1 555 010 0199",
                "artist": "Jane Doe",
                "comment": "2417 Juniper Lane, Springfield",
            }
        )
        stream = muxer.add_stream("aac", rate=16000, layout="mono")
        stream.metadata["handler_name"] = "Jane Doe's phone"
        pcm = tone(16000, 2.0)
        for start in range(0, len(pcm), 2048):
            chunk = pcm[start : start + 2048]
            frame = av.AudioFrame(format="s16", layout="mono", samples=len(chunk) // 2)
            frame.planes[0].update(chunk + bytes(frame.planes[0].buffer_size - len(chunk)))
            frame.rate, frame.pts = 16000, start // 2
            for packet in stream.encode(frame):
                muxer.mux(packet)
        for packet in stream.encode(None):
            muxer.mux(packet)
    return out.getvalue()


def tagged_wav() -> bytes:
    """A PCM WAV with a LIST/INFO chunk naming the user, as recorder apps write."""
    out = io.BytesIO()
    with wave.open(out, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(8000)
        handle.writeframes(tone(8000, 1.0))
    data = out.getvalue()
    text = b"Jane Doe, 2417 Juniper Lane\x00"
    info = b"INFO" + b"INAM" + struct.pack("<I", len(text)) + text
    listed = b"LIST" + struct.pack("<I", len(info)) + info
    body = data[12:] + listed
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WAVE" + body


def test_recordings_for_the_other_side_carry_only_their_sound(vault, tmp_path):
    originals = {
        "Voicemail from +1 (555) 010-0199 to Jane.m4a": tagged_m4a(),
        "Jane at 2417 Juniper Lane.wav": tagged_wav(),
    }
    for name, data in originals.items():
        write_file(tmp_path / "in" / name, data)
    assert all(any(s.encode() in d for s in SECRETS) for d in originals.values())
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    (tmp_path / "out").mkdir()  # where the binder is saved
    served = export_service_recordings(
        vault, tmp_path / "out" / "b-for-service.pdf", BinderOptions()
    )
    assert served.left_out == []
    names = sorted(p.name for p in served.written)
    assert len(names) == 2 and all(n.startswith("Pet. Ex. ") for n in names)
    assert {n.rsplit(".", 1)[1] for n in names} == {"m4a", "wav"}
    previews = PicturePreviews()
    try:
        by_kind = {p.suffix: p.read_bytes() for p in served.written}
        for path in served.written:
            data = path.read_bytes()
            assert not any(s.encode() in data for s in SECRETS), path.name
            assert not any(s in path.name for s in SECRETS)
        # The same sound: decoded, the copy gives the samples the original gives.
        for original, suffix in ((originals[sorted(originals)[1]], ".m4a"),):
            assert previews.audio(by_kind[suffix]).pcm == previews.audio(original).pcm
        assert previews.audio(by_kind[".wav"]).frames == previews.audio(tagged_wav()).frames
    finally:
        previews.close()
    assert (tmp_path / "out" / "b-for-service-recordings").stat().st_mode & 0o077 == 0


def test_the_court_copy_of_recordings_is_untouched(vault, tmp_path):
    from nco_desktop.binder.recordings import export_recordings

    data = tagged_m4a()
    write_file(tmp_path / "in" / "voicemail.m4a", data)
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    (tmp_path / "out").mkdir()
    (copy,) = export_recordings(vault, tmp_path / "out" / "b.pdf", BinderOptions())
    assert copy.read_bytes() == data  # the court gets the original, byte for byte
