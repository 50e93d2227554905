"""Recordings play in the detail pane from memory: decoded in the sandbox, played with
play/pause, position, 5-second steps and speed, and forgotten on Lock.

The pane's tests use miniaudio's silent "null" device: a real playback device that
consumes samples in real time without a sound card. The controls' tests use a fake
output that consumes samples only when told, so positions are exact.
"""

from __future__ import annotations

import gc
import math
import os
import struct
import tempfile
import wave
import weakref
from array import array
from pathlib import Path

import miniaudio
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from nco_desktop.importers.batch import import_paths
from nco_desktop.sandbox import audio, audio_av
from nco_desktop.sandbox.audio import AudioPcm
from nco_desktop.ui.common import audio_output
from nco_desktop.ui.common.audio_output import AudioUnavailable, Pull
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.ui.detail.audio_player import AudioPlayer, clock, format_not_played
from nco_desktop.ui.detail.detail_pane import DetailPane
from tests.conftest import SAMPLES
from tests.support.factories import only


class FakeOutput:
    """A sound card that takes samples only when the test says time has passed."""

    def __init__(self, fail: bool = False) -> None:
        self.pull: Pull | None = None
        self.rates: list[int] = []
        self.fail = fail

    def start(self, rate: int, channels: int, pull: Pull) -> None:
        if self.fail:
            raise AudioUnavailable("no sound device could be opened")
        self.rates.append(rate)
        self.pull = pull

    def stop(self) -> None:
        self.pull = None

    def play_for(self, seconds: float) -> int:
        """Frames the card took in *seconds* of its own time (0 while stopped)."""
        if self.pull is None:
            return 0
        return len(self.pull(round(self.rates[-1] * seconds))) // 2


def tone_pcm(seconds: float) -> AudioPcm:
    frames = int(seconds * 16_000)
    samples = array("h", (int(9000 * math.sin(i / 6)) for i in range(frames)))
    return AudioPcm(16_000, 1, frames, samples.tobytes(), False)


def write_wav(path: Path, seconds: float, tag: int = 1) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if tag == 1:
        with wave.open(str(path), "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(2)
            handle.setframerate(8000)
            handle.writeframes(
                array("h", (int(9000 * math.sin(i / 3)) for i in range(int(seconds * 8000))))
            )
        return path
    fmt = struct.pack("<HHIIHH", tag, 1, 8000, 16000, 2, 16)
    data = os.urandom(int(seconds * 16000))
    chunks = b"fmt " + struct.pack("<I", len(fmt)) + fmt + b"data" + struct.pack("<I", len(data))
    path.write_bytes(
        b"RIFF" + struct.pack("<I", 4 + len(chunks) + len(data)) + b"WAVE" + chunks + data
    )
    return path


@pytest.fixture
def player(qtbot):
    output = FakeOutput()
    widget = AudioPlayer(10.0, None, None, output)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    widget.load(tone_pcm(10.0))
    return widget, output


def pane_showing(qtbot, vault, path: Path) -> DetailPane:
    import_paths(vault, [path], thumbnails=False)
    (entry,) = only(vault, "audio")
    pane = DetailPane(VaultSession())
    qtbot.addWidget(pane)
    pane.resize(460, 700)
    pane.show()
    pane.session.open(vault)
    pane.show_entry(entry.id)
    return pane


def test_a_voicemail_plays_in_the_pane_from_memory_and_lock_stops_and_forgets_it(
    qtbot, vault, tmp_path, monkeypatch
):
    monkeypatch.setattr(audio_output, "BACKENDS", ["NULL"])  # silent, but real time
    for module, name in ((miniaudio, "stream_memory"), (miniaudio, "decode"), (audio, "decode")):
        monkeypatch.setattr(module, name, lambda *a, **k: pytest.fail("decoded in the window"))
    pane = pane_showing(qtbot, vault, write_wav(tmp_path / "in" / "voicemail.wav", 20.0))
    player = pane.audio_player()
    assert player is not None and player.time_label.text() == "0:00 / 0:20"
    temp_before = set(os.listdir(tempfile.gettempdir()))
    files_before = set(tmp_path.rglob("*"))
    qtbot.mouseClick(player.play_button, Qt.MouseButton.LeftButton)  # decoded on first Play
    qtbot.waitUntil(player.is_playing, timeout=15_000)
    qtbot.waitUntil(lambda: player.position_ms() > 300, timeout=5_000)
    assert player.play_button.text() == "Pause"
    qtbot.waitUntil(lambda: player.time_label.text().startswith("0:01"), timeout=5_000)
    samples = player._pcm
    assert samples is not None and samples.frames == 20 * 16_000
    forgotten = weakref.ref(samples)
    del samples
    playing_while_locking: list[bool] = []
    pane.session.about_to_lock.connect(lambda: playing_while_locking.append(player.is_playing()))
    pane.session.detach()  # Lock (and Quick exit, which locks)
    assert playing_while_locking == [False]  # silent from the moment locking began
    assert not player.is_playing() and player._pcm is None and player._output._device is None
    gc.collect()
    assert forgotten() is None  # nothing holds the samples any more
    assert pane.audio_player() is None
    assert set(os.listdir(tempfile.gettempdir())) - temp_before == set()
    assert {p for p in set(tmp_path.rglob("*")) - files_before if "ncovault" not in p.name} == set()


def test_position_advances_while_playing_and_pause_stops_it(qtbot, player):
    widget, output = player
    widget.play()
    assert output.rates == [16_000]
    output.play_for(1.5)
    widget._update()
    assert widget.position_ms() == 1500 and widget.time_label.text() == "0:01 / 0:10"
    assert widget.slider.value() == 1500
    widget.pause()
    assert output.pull is None and widget.play_button.text() == "Play"
    assert output.play_for(1.0) == 0 and widget.position_ms() == 1500
    widget.play()  # on from where it paused
    output.play_for(0.5)
    assert widget.position_ms() == 2000


def test_space_plays_and_pauses_while_the_player_has_the_focus(qtbot, player):
    widget, _output = player
    widget.setFocus()
    qtbot.keyClick(widget, Qt.Key.Key_Space)
    assert widget.is_playing()
    widget.play_button.setFocus()  # a focused button takes Space once, not twice
    qtbot.keyClick(widget.play_button, Qt.Key.Key_Space)
    assert not widget.is_playing()
    widget.slider.setFocus()
    qtbot.keyClick(widget.slider, Qt.Key.Key_Space)
    assert widget.is_playing()


def test_speed_changes_the_rate_the_samples_are_played_at(qtbot, player):
    widget, output = player
    widget.play()
    widget.speed_box.setCurrentIndex(widget.speed_box.findData(0.5))
    assert output.rates == [16_000, 8_000]  # reopened at once, from where it was
    output.play_for(2.0)  # two seconds of listening cover one second of the recording
    assert widget.position_ms() == 1000
    widget.set_speed(1.5)
    assert output.rates[-1] == 24_000 and widget.speed_box.currentText() == "1.5×"
    output.play_for(2.0)
    assert widget.position_ms() == 4000
    assert [widget.speed_box.itemText(i) for i in range(widget.speed_box.count())] == [
        "0.5×",
        "0.75×",
        "1×",
        "1.25×",
        "1.5×",
    ]


def test_the_speed_box_ignores_the_wheel_unless_it_is_being_edited(qtbot, player):
    widget, _output = player
    from PySide6.QtCore import QPoint, QPointF
    from PySide6.QtGui import QWheelEvent

    event = QWheelEvent(
        QPointF(5, 5),
        QPointF(5, 5),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget.speed_box, event)
    assert widget.speed_box.currentText() == "1×"


def test_back_and_forward_five_seconds_and_the_position_bar(qtbot, player):
    widget, output = player
    widget.play()
    output.play_for(7.0)
    qtbot.mouseClick(widget.back_button, Qt.MouseButton.LeftButton)
    assert widget.position_ms() == 2000
    qtbot.mouseClick(widget.back_button, Qt.MouseButton.LeftButton)
    assert widget.position_ms() == 0  # not before the start
    qtbot.mouseClick(widget.forward_button, Qt.MouseButton.LeftButton)
    assert widget.position_ms() == 5000
    widget.slider.setFocus()
    qtbot.keyClick(widget.slider, Qt.Key.Key_Right)  # the arrows step 5 s too
    assert widget.position_ms() == 10_000 and widget.time_label.text() == "0:10 / 0:10"
    qtbot.keyClick(widget.slider, Qt.Key.Key_Left)
    assert widget.position_ms() == 5000
    widget.slider.setValue(1234)  # dragged
    assert widget.position_ms() == 1234


def test_at_the_end_it_stops_and_play_starts_again(qtbot, player):
    widget, output = player
    widget.play()
    output.play_for(11.0)  # past the end: the rest is silence
    qtbot.waitUntil(lambda: not widget.is_playing(), timeout=2000)  # the next tick
    assert widget.time_label.text() == "0:10 / 0:10"
    widget.play()
    assert widget.position_ms() == 0 and widget.is_playing()


def test_clear_stops_the_sound_and_lets_go_of_the_samples(qtbot, player):
    widget, output = player
    widget.play()
    widget.clear()
    assert output.pull is None and widget._pcm is None and not widget.is_playing()
    widget.play()  # nothing to play any more
    assert not widget.is_playing() and output.rates == [16_000]


def test_no_sound_device_is_said_plainly(qtbot):
    widget = AudioPlayer(3.0, None, None, FakeOutput(fail=True))
    qtbot.addWidget(widget)
    widget.load(tone_pcm(3.0))
    widget.play()
    assert not widget.is_playing() and "No sound device" in widget.status.text()


@pytest.mark.skipif(
    not (SAMPLES / "voicemail_audio").is_dir(), reason="shared samples are not present"
)
def test_an_iphone_voicemail_plays(qtbot, vault, monkeypatch):
    """AAC in an .m4a, decoded by FFmpeg in the sandbox (the ``voicemail`` extra)."""
    pytest.importorskip("av", reason="the voicemail extra (PyAV) is not installed")
    monkeypatch.setattr(audio_output, "BACKENDS", ["NULL"])  # silent, but real time
    pane = pane_showing(qtbot, vault, SAMPLES / "voicemail_audio" / "mutagen__no-tags.m4a")
    player = pane.audio_player()
    assert player is not None and player.play_button.isEnabled()
    qtbot.mouseClick(player.play_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(player.is_playing, timeout=15_000)
    assert player.time_label.text().endswith("/ 0:03") and player._pcm is not None
    assert player._pcm.frames == pytest.approx(3.68 * 16_000, abs=800)
    player.pause()


@pytest.mark.skipif(
    not (SAMPLES / "voicemail_audio").is_dir(), reason="shared samples are not present"
)
def test_without_the_extra_an_iphone_voicemail_says_its_format_and_how_to_listen(
    qtbot, vault, monkeypatch
):
    monkeypatch.setattr(audio_av, "available", lambda: False)
    pane = pane_showing(qtbot, vault, SAMPLES / "voicemail_audio" / "mutagen__no-tags.m4a")
    player = pane.audio_player()
    assert player is not None and not player.play_button.isEnabled()
    assert not player.play_button.isVisible()  # no control that cannot work
    words = player.status.text()
    assert "(AAC)" in words and "Also copy the recordings" in words
    assert pane.transcript_box() is not None  # the transcript can still be written


def test_a_recording_the_sandbox_cannot_decode_says_why_and_the_window_stays_responsive(
    qtbot, vault, tmp_path
):
    """The importer named this codec "WAV format 0x1234": only the worker finds out."""
    pane = pane_showing(qtbot, vault, write_wav(tmp_path / "in" / "odd.wav", 2.0, tag=0x1234))
    player = pane.audio_player()
    assert player is not None and player.play_button.isEnabled()
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    player.play()
    assert "Preparing" in player.status.text()
    qtbot.waitUntil(lambda: "cannot be played" in player.status.text(), timeout=15_000)
    timer.stop()
    assert "(compressed WAV)" in player.status.text() and not player.is_playing()
    assert ticks  # the event loop ran while the sandbox worked
    assert not player.play_button.isEnabled()


def test_codecs_known_at_import_and_clock():
    assert format_not_played("AAC LC", extra=False) == "AAC"
    assert format_not_played("AMR-WB", extra=False) == "AMR-WB"
    assert format_not_played("AMR-NB", extra=False) == "AMR"
    assert format_not_played("MP3", extra=False) is None
    assert format_not_played(None, extra=False) is None
    assert format_not_played("AAC LC", extra=True) is None  # FFmpeg plays them all
    assert clock(83_400) == "1:23" and clock(3_723_000) == "1:02:03"
