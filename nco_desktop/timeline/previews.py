"""Pictures for the window, decoded in the sandbox instead of the window's process.

A picture in the vault came from outside and may be made to break decoders. The import
already reads such files only in limited worker processes; showing one is no
different. :class:`PicturePreviews` keeps one worker ready (starting one costs a few
hundred milliseconds) and turns stored bytes into a plain PNG or JPEG that the window
can decode safely. It is used from worker threads, one request at a time.
"""

from __future__ import annotations

import threading

from nco_desktop.importers.sandbox import Limits, ParseFailed, ParserPool, ParseTask

PREVIEW_LIMITS = Limits(wall_seconds=20, cpu_seconds=20)


class PreviewFailed(Exception):
    """The picture could not be shown; the message says why, in plain words."""


class PicturePreviews:
    def __init__(self, limits: Limits | None = None) -> None:
        self._pool = ParserPool(1, limits or PREVIEW_LIMITS)
        self._lock = threading.Lock()
        self._closed = False

    def preview(self, data: bytes) -> bytes:
        """A safe-to-decode copy of the picture *data*; raises PreviewFailed."""
        with self._lock:
            if self._closed:
                raise PreviewFailed("the vault was locked")
            job = self._pool.submit(
                ParseTask(path="", name="", zone="UTC", region="", mtime_ms=None, preview_of=data)
            )
            try:
                for message in job.messages():
                    if message[0] == "preview":
                        return bytes(message[1])
            except ParseFailed as failure:
                # The reader's sentences are written for imports ("…; it was kept as
                # it is"); here only the first half is true.
                raise PreviewFailed(failure.message.split("; it was kept")[0]) from None
            raise PreviewFailed("the picture could not be read")

    def close(self) -> None:
        """Stop the worker at once (the vault locks); later requests fail at once.

        Not behind the lock: a picture that makes the decoder hang must not hold up
        locking, so its worker is killed and the waiting request fails.
        """
        self._closed = True
        self._pool.close(kill=True)
