"""Pictures and PDF pages for the window, decoded in the sandbox instead of its process.

A picture or PDF in the vault came from outside and may be made to break decoders
(a TIFF that crashes Qt's reader, a PDF whose page tree loops forever). The window never
decodes one itself: :class:`PicturePreviews` keeps one sandboxed worker ready (starting
one costs a few hundred milliseconds) and asks it for plain pixels
(:class:`~nco_desktop.sandbox.wire.Raster`, RGBA8888) that the window only copies into
an image. A worker that hangs is killed at its deadline; locking kills it at once. It is
used from worker threads, one request at a time.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

from nco_desktop.progress import CancelToken
from nco_desktop.sandbox.audio import AudioPcm
from nco_desktop.sandbox.pool import Limits, ParseFailed, ParserPool
from nco_desktop.sandbox.wire import Raster

__all__ = [
    "PREVIEW_LIMITS",
    "AudioPcm",
    "PicturePreviews",
    "PreviewFailed",
    "Raster",
    "UnplayableFormat",
]

PREVIEW_LIMITS = Limits(wall_seconds=20, cpu_seconds=20)
LOCKED = "the vault was locked"


#: A worker answered with a picture of another size than asked: not a safe answer.
LARGER = "the reader answered with a picture of the wrong size"


class PreviewFailed(Exception):
    """The picture could not be shown; the message says why, in plain words."""


class UnplayableFormat(PreviewFailed):
    """The recording is in a format the sandbox recognises but cannot decode (AAC,
    AMR… without the ``voicemail`` extra, or a codec FFmpeg is not allowed to decode);
    ``format`` names it, from :data:`nco_desktop.sandbox.audio.UNPLAYABLE`."""

    def __init__(self, format_name: str) -> None:
        super().__init__(f"this recording's format ({format_name}) cannot be played here")
        self.format = format_name


class PicturePreviews:
    def __init__(
        self,
        limits: Limits | None = None,
        cancel: CancelToken | None = None,
        *,
        fresh: bool = False,
        ocr: str | None = None,
    ) -> None:
        """*cancel*: a job's token; once it is set, a request being worked on is stopped
        (its worker killed) within a quarter second and raises ``Cancelled``. *fresh*:
        every request gets a worker no earlier one used (see ``ParserPool``). *ocr*: the
        OCR engine's language folder, for workers that also read words."""
        # No folder is readable to this worker: every input arrives as bytes.
        self._pool = ParserPool(
            1, limits or PREVIEW_LIMITS, render=True, ocr=ocr, fresh_per_task=fresh
        )
        self._cancel = cancel
        self._lock = threading.Lock()
        self._closed = False
        self._pdf: bytes | None = None
        self._pdf_worker: int | None = None  # the worker that has it open

    def picture(self, data: bytes, max_side: int = 4096) -> Raster:
        """The picture *data*, upright, at most *max_side* pixels a side, alpha kept."""
        with self._lock:
            raster = self._raster({"op": "picture", "max_side": max_side}, [data])
            if max(raster.width, raster.height) > max_side:
                raise PreviewFailed(LARGER)  # more pixels than asked for: not taken
            return raster

    def binder_picture(
        self, data: bytes, *, strip_metadata: bool, areas: list[tuple[float, float, float, float]]
    ) -> dict[str, Any]:
        """A picture made ready for the binder in the worker: its compressed pixels and
        how to place them, as checked plain data (see ``binder.picture_prep``)."""
        with self._lock:
            header = {"op": "binder_picture", "strip_metadata": strip_metadata}
            header["areas"] = [list(box) for box in areas]
            kind, prepared = self._ask(header, [data])
            if kind != "binder_picture" or not isinstance(prepared, dict):
                raise PreviewFailed("the picture could not be read")
            return prepared

    def pdf_pages(self, data: bytes) -> list[bytes]:
        """The PDF *data* described by the worker as plain data for the binder (see
        ``binder.pdf_described``): the graph, then the streams; or PreviewFailed."""
        with self._lock:
            kind, payloads = self._ask({"op": "pdf_pages"}, [data])
            if kind != "pdf_pages" or not isinstance(payloads, list):
                raise PreviewFailed("the PDF could not be read")
            return payloads

    def service_page(self, data: bytes, index: int) -> Any:
        """Page *index* of the PDF *data* drawn for the copy for the other side, with its
        words (a checked ``binder.service_pages.ServicePage``)."""
        with self._lock:
            kind, page = self._ask({"op": "service_page", "page": index}, [data])
            if kind != "service_page":
                raise PreviewFailed("the page could not be drawn")
            return page

    def read_words(self, data: bytes) -> Any:
        """The words read in the picture *data* (a checked ``ocr.answer.OcrAnswer``), by a
        worker started with *ocr*."""
        with self._lock:
            kind, answer = self._ask({"op": "ocr", "page": 0, "pdf": False}, [data])
            if kind != "ocr":
                raise PreviewFailed("the picture could not be read")
            return answer

    def pdf_open(self, data: bytes) -> list[tuple[float, float]]:
        """Open the PDF *data* in the worker; its page sizes in points."""
        with self._lock:
            self._pdf, self._pdf_worker = None, None
            pages = self._open_pdf(data)
            self._pdf = data
            return pages

    def pdf_page(self, index: int, width_px: int) -> Raster:
        """Page *index* of the PDF opened last, *width_px* wide (re-opened if the worker
        that had it was replaced, say after a page that hung)."""
        with self._lock:
            if self._pdf is None:
                raise PreviewFailed("no PDF is open")
            if self._pool.next_worker_serial() != self._pdf_worker:
                self._open_pdf(self._pdf)
            raster = self._raster({"op": "pdf_page", "index": index, "width_px": width_px}, [])
            if raster.width != width_px:
                raise PreviewFailed(LARGER)
            return raster

    def audio(self, data: bytes) -> AudioPcm:
        """The recording *data* as PCM to play from memory (see ``sandbox.audio``);
        UnplayableFormat for a format the sandbox names but does not decode."""
        with self._lock:
            kind, value = self._ask({"op": "audio"}, [data])
            if kind == "audio_format" and isinstance(value, str):
                raise UnplayableFormat(value)
            if kind != "audio" or not isinstance(value, AudioPcm):
                raise PreviewFailed("the recording could not be read")
            return value

    def audio_clean(self, data: bytes) -> tuple[str, bytes]:
        """The recording *data* with nothing but its sound (see ``sandbox.audio``):
        (file extension, bytes); PreviewFailed with the reason."""
        with self._lock:
            kind, value = self._ask({"op": "audio_clean"}, [data])
            if kind != "audio_clean" or not isinstance(value, tuple):
                raise PreviewFailed("the recording could not be copied")
            return value

    def close(self) -> None:
        """Stop the worker at once (the vault locks); later requests fail at once.

        Not behind the lock: a picture or page that makes the decoder hang must not
        hold up locking, so its worker is killed and the waiting request fails.
        """
        self._closed = True
        self._pdf = None
        self._pool.close(kill=True)

    # ----- helpers, called with the lock held --------------------------------------

    def _open_pdf(self, data: bytes) -> list[tuple[float, float]]:
        kind, pages = self._ask({"op": "pdf_open"}, [data])
        if kind != "pages":
            raise PreviewFailed("the PDF could not be read")
        self._pdf_worker = self._pool.next_worker_serial()
        return list(pages)

    def _raster(self, header: dict[str, Any], payloads: Sequence[bytes]) -> Raster:
        kind, raster = self._ask(header, payloads)
        if kind != "raster" or not isinstance(raster, Raster):
            raise PreviewFailed("the picture could not be read")
        return raster

    def _ask(self, header: dict[str, Any], payloads: Sequence[bytes]) -> tuple[Any, ...]:
        self._check_open()
        size_mb = sum(len(p) for p in payloads) / 1e6
        try:
            job = self._pool.request(header, payloads, size_mb, self._cancel)
        except OSError as exc:
            raise PreviewFailed(self._why(None)) from exc
        except ParseFailed as failure:  # closed (a lock) while this request was starting
            raise PreviewFailed(self._why(failure.message)) from None
        return self._answer(job.messages())

    def _answer(self, messages: Any) -> tuple[Any, ...]:
        try:
            for message in messages:
                return tuple(message)
        except ParseFailed as failure:
            raise PreviewFailed(self._why(failure.message)) from None
        except (OSError, ValueError) as exc:  # the socket went away under close()
            raise PreviewFailed(self._why(None)) from exc
        raise PreviewFailed("the picture could not be read")

    def _check_open(self) -> None:
        if self._closed:
            raise PreviewFailed(LOCKED)

    def _why(self, message: str | None) -> str:
        """The reader's sentence without its import ending ("…; it was kept as it is")."""
        if self._closed:
            return LOCKED
        if message is None:
            return "the reader stopped unexpectedly"
        return message.split("; it was kept")[0].split("; the file was kept")[0]
