"""Play a voicemail or recording from memory, with the controls transcribing needs.

The window's process never decodes a recording: on the first Play, a job reads the
original from the vault and the pane's sandbox worker turns it into plain PCM
(:meth:`PicturePreviews.audio`), checked before use. The samples stay in this widget's
memory and go to the sound card a callback at a time (:mod:`..common.audio_output`);
nothing is written to disk, no temporary file, no cache. Locking, switching entries
and Quick exit call :meth:`AudioPlayer.clear`: the sound stops and the samples are let
go of. Space plays and pauses while the player has the focus; the arrow keys on the
position bar and the 5-second buttons step back to catch a word; the speed box slows
the voice down (it also sounds lower: see ``audio_output``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.progress import CancelToken, ProgressCallback
from nco_desktop.sandbox import audio_av
from nco_desktop.sandbox.audio import AudioPcm
from nco_desktop.timeline.detail import read_original_bytes
from nco_desktop.timeline.previews import PicturePreviews, PreviewFailed, UnplayableFormat
from nco_desktop.ui.common.audio_output import AudioOutput, AudioUnavailable, MiniaudioOutput
from nco_desktop.ui.common.icons import ICON_SIZE, icon
from nco_desktop.ui.common.jobs import run_job
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.ui.common.wheel_guard import guard_wheel
from nco_desktop.ui.common.widgets import quiet
from nco_desktop.vault import Vault

SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5)
STEP_MS = 5000
TICK_MS = 100
#: A recording's stored bytes sent to the sandbox; the PCM it makes is bounded there.
RECORDING_LIMIT = 200 * 1024 * 1024

#: Codec names the importer records (``meta["codec"]``) for formats the sandbox decodes
#: only with the ``voicemail`` extra: without it the player says so at once instead of
#: offering a Play that cannot work.
_NOT_PLAYED: tuple[tuple[str, str], ...] = (
    ("AAC", "AAC"),
    ("ALAC", "ALAC"),
    ("AMR-WB", "AMR-WB"),
    ("AMR", "AMR"),
    ("OPUS", "Opus"),
    ("SPEEX", "Speex"),
    ("GSM", "GSM 6.10"),
)


def format_not_played(codec: str | None, *, extra: bool | None = None) -> str | None:
    """The format's name if the importer's *codec* is one this player cannot play: none
    of them when the sandbox has FFmpeg (the ``voicemail`` extra; *extra* overrides)."""
    if audio_av.available() if extra is None else extra:
        return None
    upper = (codec or "").upper()
    for prefix, name in _NOT_PLAYED:
        if upper.startswith(prefix):
            return name
    return None


def clock(ms: int) -> str:
    """1:23, or 1:02:03 past an hour."""
    seconds = max(0, ms) // 1000
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


class AudioPlayer(QFrame):
    """Play/pause, position, back and forward 5 s, and speed, over PCM in memory."""

    def __init__(
        self,
        seconds_hint: float | None = None,
        not_played: str | None = None,
        parent: QWidget | None = None,
        output: AudioOutput | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("audioPlayer")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setAccessibleName(self.tr("Recording player"))
        self._output: AudioOutput = output or MiniaudioOutput()
        self._lock = threading.Lock()  # the sound card's thread reads what it guards
        self._pcm: AudioPcm | None = None
        self._frame = 0  # the next frame the sound card gets
        self._speed = 1.0
        self._playing = False
        self._loading = False
        self._closed = False
        self._passing = False  # the status says something that Play makes stale
        self._fetch: Callable[[], None] | None = None
        self._hint_ms = round(seconds_hint * 1000) if seconds_hint else 0

        self.play_button = self._button(self.tr("Play"), self.toggle)
        self.play_button.setIcon(icon("play"))
        self.play_button.setIconSize(ICON_SIZE)
        self.play_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.back_button = self._button(self.tr("−5 s"), lambda: self.skip(-STEP_MS))
        self.back_button.setAccessibleName(self.tr("Back 5 seconds"))
        self.back_button.setToolTip(self.tr("Back 5 seconds"))
        self.forward_button = self._button(self.tr("+5 s"), lambda: self.skip(STEP_MS))
        self.forward_button.setAccessibleName(self.tr("Forward 5 seconds"))
        self.forward_button.setToolTip(self.tr("Forward 5 seconds"))
        self.slider = QSlider(Qt.Orientation.Horizontal, self)
        self.slider.setAccessibleName(self.tr("Position in the recording"))
        self.slider.setRange(0, self._hint_ms)
        self.slider.setSingleStep(STEP_MS)  # ← and → step 5 s, as the buttons do
        self.slider.setPageStep(30_000)
        self.slider.valueChanged.connect(self._slider_moved)
        self.time_label = QLabel(self)
        self.time_label.setAccessibleName(self.tr("Time in the recording"))
        self.speed_box = QComboBox(self)
        for speed in SPEEDS:
            self.speed_box.addItem(f"{speed:g}×", speed)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_box.setAccessibleName(self.tr("Playback speed"))
        self.speed_box.setToolTip(
            self.tr("Slower helps to write down what is said. The voice also sounds lower.")
        )
        self.speed_box.currentIndexChanged.connect(
            lambda _index: self.set_speed(float(self.speed_box.currentData()))
        )
        guard_wheel(self.speed_box)  # scrolling the pane must not change the speed
        speed_label = QLabel(self.tr("Speed"), self)
        speed_label.setBuddy(self.speed_box)
        self.status = quiet(QLabel(self))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.hide()

        self.play_button.setText(self.tr("Pause"))  # as wide as its longer word: no jump
        self.play_button.setMinimumWidth(self.play_button.sizeHint().width())
        self.play_button.setText(self.tr("Play"))
        self._controls = QWidget(self)
        controls = QHBoxLayout()
        controls.setSpacing(6)
        controls.addWidget(self.play_button)
        controls.addWidget(self.back_button)
        controls.addWidget(self.forward_button)
        controls.addWidget(self.slider, 1)
        below = QHBoxLayout()
        below.addWidget(self.time_label)
        below.addStretch(1)
        below.addWidget(speed_label)
        below.addWidget(self.speed_box)
        inner = QVBoxLayout(self._controls)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.setSpacing(6)
        inner.addLayout(controls)
        inner.addLayout(below)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addWidget(self._controls)
        layout.addWidget(self.status)

        space = QShortcut(QKeySequence(Qt.Key.Key_Space), self)
        space.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        space.activated.connect(self.toggle)
        self._tick = QTimer(self)
        self._tick.setInterval(TICK_MS)
        self._tick.timeout.connect(self._update)
        self._set_seekable(False)
        self._show_time()
        if not_played is not None:
            self._refuse(not_played)

    def _button(self, text: str, slot: Callable[[], None]) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # a click leaves Space here
        button.clicked.connect(slot)
        return button

    # ----- where the samples come from -----------------------------------------------

    def attach(
        self, session: VaultSession, previews: Callable[[], PicturePreviews], blob_id: int
    ) -> None:
        """On the first Play, decode the stored original *blob_id* in the sandbox. The
        sound stops the moment locking starts (Quick exit hides the window first)."""
        session.stopping.connect(self.pause)  # only when jobs were running
        session.about_to_lock.connect(self.pause)

        def fetch() -> None:
            if session.vault is None:
                return
            worker = previews()

            def work(reader: Vault, progress: ProgressCallback, cancel: CancelToken) -> AudioPcm:
                data = read_original_bytes(reader.conn, blob_id, RECORDING_LIMIT)
                return worker.audio(data)

            run_job(session, work, on_success=self._decoded, on_failure=self._not_decoded)

        self._fetch = fetch

    def load(self, pcm: AudioPcm) -> None:
        """Take *pcm* (already checked) as the recording to play, from its start."""
        with self._lock:
            self._pcm, self._frame = pcm, 0
        self.slider.setRange(0, round(pcm.seconds * 1000))
        self._set_seekable(True)
        if pcm.cut_short:
            self._say(
                self.tr("Only the first %1 of this recording can be played here.").replace(
                    "%1", clock(round(pcm.seconds * 1000))
                )
            )
        self._show_time()

    def _decoded(self, pcm: AudioPcm) -> None:
        if self._closed:
            return
        self._loading = False
        self.play_button.setEnabled(True)
        self.status.hide()
        self.load(pcm)
        self.play()

    def _not_decoded(self, error: BaseException) -> None:
        if self._closed:
            return
        self._loading = False
        self.play_button.setEnabled(True)
        if isinstance(error, UnplayableFormat):
            self._refuse(error.format)
        elif isinstance(error, PreviewFailed | ValueError):
            self._say(self.tr("This recording cannot be played: %1.").replace("%1", str(error)))
        else:
            self._say(self.tr("This recording cannot be played: it could not be read."))

    def _refuse(self, format_name: str) -> None:
        self._say(
            self.tr(
                "This recording's format (%1) cannot be played here. To listen to it, put it "
                "in an exhibit and save the binder with “Also copy the recordings” (or use "
                "the command line's --export-recordings), then open the copy with another "
                "program. Your transcript can still be written below."
            ).replace("%1", format_name)
        )
        self.play_button.setEnabled(False)
        self._set_seekable(False)
        self._controls.hide()  # controls that cannot work are only noise

    # ----- playing -------------------------------------------------------------------

    def is_playing(self) -> bool:
        return self._playing

    def position_ms(self) -> int:
        with self._lock:
            pcm, frame = self._pcm, self._frame
        return 0 if pcm is None else round(frame * 1000 / pcm.rate)

    def duration_ms(self) -> int:
        pcm = self._pcm
        return self._hint_ms if pcm is None else round(pcm.seconds * 1000)

    def toggle(self) -> None:
        if self._playing:
            self.pause()
        else:
            self.play()

    def play(self) -> None:
        if self._closed or self._playing or self._loading or not self.play_button.isEnabled():
            return
        pcm = self._pcm
        if pcm is None:
            if self._fetch is not None:
                self._loading = True
                self.play_button.setEnabled(False)
                self._say(self.tr("Preparing the recording…"), passing=True)
                self._fetch()
            return
        with self._lock:
            if self._frame >= pcm.frames:
                self._frame = 0  # played to the end: Play starts again
        if not self._start_output():
            return
        self._playing = True
        if self._passing:
            self.status.hide()
        self._show_state()
        self._tick.start()

    def pause(self) -> None:
        if not self._playing:
            return
        self._output.stop()
        self._playing = False
        self._tick.stop()
        self._show_state()
        self._show_time()

    def seek(self, ms: int) -> None:
        pcm = self._pcm
        if pcm is None:
            return
        frame = min(max(0, round(ms * pcm.rate / 1000)), pcm.frames)
        with self._lock:
            self._frame = frame
        self._show_time()

    def skip(self, delta_ms: int) -> None:
        self.seek(self.position_ms() + delta_ms)

    def set_speed(self, speed: float) -> None:
        """Play at *speed* (0.5–1.5); while playing, the device is reopened at once."""
        if speed not in SPEEDS:
            return
        self._speed = speed
        index = SPEEDS.index(speed)
        if self.speed_box.currentIndex() != index:
            self.speed_box.setCurrentIndex(index)
        if self._playing:
            self._output.stop()
            if not self._start_output():
                self._playing = False
                self._tick.stop()
                self._show_state()

    def output_rate(self) -> int:
        """Samples a second the sound card is asked for: the speed, as a rate."""
        pcm = self._pcm
        return round((pcm.rate if pcm else 16_000) * self._speed)

    def clear(self) -> None:
        """Stop the sound and let go of the samples (locking, another entry shown)."""
        self._closed = True
        self._tick.stop()
        self._output.stop()
        self._playing = False
        with self._lock:
            self._pcm, self._frame = None, 0
        self._fetch = None
        self.slider.blockSignals(True)
        self.slider.setRange(0, 0)
        self.slider.blockSignals(False)
        self._set_seekable(False)
        self.play_button.setEnabled(False)
        self.time_label.clear()
        self.status.clear()

    # ----- helpers -------------------------------------------------------------------

    def _start_output(self) -> bool:
        pcm = self._pcm
        assert pcm is not None
        try:
            self._output.start(self.output_rate(), pcm.channels, self._pull)
        except AudioUnavailable:
            self._say(
                self.tr(
                    "No sound device could be opened. Check that speakers or headphones are "
                    "connected and not used by another program, then press Play again."
                ),
                passing=True,
            )
            return False
        return True

    def _pull(self, frames: int) -> bytes:
        """The sound card's thread: the next *frames* frames, or fewer at the end."""
        with self._lock:
            pcm = self._pcm
            if pcm is None:
                return b""
            start = self._frame
            end = min(pcm.frames, start + frames)
            self._frame = end
            width = pcm.channels * 2
            return pcm.pcm[start * width : end * width]

    def _update(self) -> None:
        pcm = self._pcm
        if pcm is not None and self.position_ms() >= self.duration_ms():
            self.pause()  # the end: the device stops, Play starts again from 0:00
        self._show_time()

    def _slider_moved(self, value: int) -> None:
        self.seek(value)

    def _show_time(self) -> None:
        position = self.position_ms()
        if not self.slider.isSliderDown():
            self.slider.blockSignals(True)
            self.slider.setValue(position)
            self.slider.blockSignals(False)
        total = clock(self.duration_ms()) if self.duration_ms() else "–:––"
        self.time_label.setText(f"{clock(position)} / {total}")

    def _show_state(self) -> None:
        playing = self._playing
        self.play_button.setText(self.tr("Pause") if playing else self.tr("Play"))
        self.play_button.setIcon(icon("pause" if playing else "play"))

    def _set_seekable(self, seekable: bool) -> None:
        for widget in (self.slider, self.back_button, self.forward_button):
            widget.setEnabled(seekable)

    def _say(self, text: str, *, passing: bool = False) -> None:
        self._passing = passing
        self.status.setText(text)
        self.status.show()
