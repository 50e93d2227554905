"""The sound card, fed from memory: PCM in, nothing written anywhere.

Qt's own audio output is in QtMultimedia (PySide6-Addons, hundreds of MB), so the
window plays through miniaudio (a 0.6 MB wheel that talks to PulseAudio, ALSA, JACK,
Core Audio or WASAPI directly). The player never hands it a file or a decoder: only
samples the sandbox already decoded (:mod:`nco_desktop.sandbox.audio`), pulled a
callback at a time from the player's buffer.

Speed for transcribing is the device's sample rate: samples made at 16 kHz and played
at 12 kHz take 4/3 as long. miniaudio resamples to what the card takes, so slower
playback also sounds lower (and faster higher), as a tape does. Cheap, exact in
position, and the words stay clear at 0.5×–1.5×.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Protocol

#: Frames wanted → that many frames of 16-bit PCM (fewer, or none, at the end). Called
#: on the sound card's own thread: it must be quick and must not raise.
Pull = Callable[[int], bytes]

#: Which of miniaudio's backends to try, by name (None: the system's usual order).
#: Tests set ``["NULL"]``: a silent device that still consumes samples in real time.
BACKENDS: list[str] | None = None


class AudioUnavailable(Exception):
    """No sound device could be opened; the message says so in plain words."""


class AudioOutput(Protocol):
    """Where the player's samples go; one stream at a time."""

    def start(self, rate: int, channels: int, pull: Pull) -> None:
        """Open the device at *rate* and keep pulling from *pull* until :meth:`stop`.
        Raises :class:`AudioUnavailable`."""

    def stop(self) -> None:
        """Close the device at once; no more pulls after this returns."""


class MiniaudioOutput:
    """A playback device of miniaudio's, opened for each stream and closed after it."""

    def __init__(self, backends: list[str] | None = None) -> None:
        self._backends = backends if backends is not None else BACKENDS
        self._device: object | None = None

    def start(self, rate: int, channels: int, pull: Pull) -> None:
        import miniaudio

        self.stop()
        backends = None
        if self._backends is not None:
            backends = [miniaudio.Backend[name] for name in self._backends]
        try:
            device = miniaudio.PlaybackDevice(
                output_format=miniaudio.SampleFormat.SIGNED16,
                nchannels=channels,
                sample_rate=rate,
                buffersize_msec=40,  # the position shown lags the sound by at most this
                backends=backends,
            )
        except miniaudio.MiniaudioError as exc:
            raise AudioUnavailable("no sound device could be opened") from exc
        generator = _feed(pull, channels)
        next(generator)
        try:
            device.start(generator)
        except miniaudio.MiniaudioError as exc:
            device.close()
            raise AudioUnavailable("the sound device would not start") from exc
        self._device = device

    def stop(self) -> None:
        device, self._device = self._device, None
        if device is not None:
            device.close()  # type: ignore[attr-defined]  # stops, waits for the callback


def _feed(pull: Pull, channels: int) -> Generator[bytes, int, None]:
    """miniaudio's callback protocol: it sends the frames it wants, we yield them;
    silence after the end, so the device runs until the player stops it."""
    wanted = yield b""
    while True:
        chunk = pull(wanted)
        if len(chunk) < wanted * channels * 2:
            chunk += bytes(wanted * channels * 2 - len(chunk))
        wanted = yield chunk
