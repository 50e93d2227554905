"""The binder's exhibits, read first in a sandboxed worker for one build.

A build holds the vault open; a picture or PDF chosen as an exhibit may be hostile.

- Pictures: the binder never decodes one itself. :class:`BinderSandbox` sends each
  picture's bytes to a worker (:mod:`nco_desktop.binder.picture_prep` runs there) and
  gets back compressed pixels it embeds as they are.
- PDFs: the worker reads each one and describes its pages as plain values
  (:mod:`nco_desktop.binder.pdf_described`); the build rebuilds them from those values
  (:mod:`nco_desktop.binder.imported_pages`) without parsing the file itself.

Whatever the worker cannot do — a damaged file, a bomb, one that hangs it past its
deadline — raises :class:`PictureFailed`, and the page says so in its place.
"""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING

from nco_desktop.binder.imported_pages import ImportedPdf, NotDescribed
from nco_desktop.binder.picture_prep import PreparedPicture
from nco_desktop.binder.raw_pictures import RawPicture
from nco_desktop.binder.redaction import strip_jpeg_metadata
from nco_desktop.evidence.picture_areas import Area
from nco_desktop.ocr.answer import OcrAnswer
from nco_desktop.ocr.tesseract import tessdata_dir
from nco_desktop.progress import CancelToken
from nco_desktop.sandbox.pool import Limits
from nco_desktop.timeline.previews import PicturePreviews, PreviewFailed

if TYPE_CHECKING:
    from nco_desktop.binder.service_pages import ServicePage

#: Per picture: a 50 MP photo takes a few seconds on a busy machine; a hostile one is
#: stopped here rather than holding up the whole binder.
BINDER_PICTURE_LIMITS = Limits(wall_seconds=60, cpu_seconds=60)
#: Per page drawn and read for the copy for the other side (the OCR engine reads a dense
#: page in a few seconds; a PDF is opened whole for each of its pages).
BINDER_READ_LIMITS = Limits(wall_seconds=90, cpu_seconds=90, wall_seconds_per_mb=2.0)


class PictureFailed(Exception):
    """The picture could not be prepared; the message says why, in plain words."""


class BinderSandbox:
    """One worker for one build; use as a context manager (the worker ends with it)."""

    def __init__(self, cancel: CancelToken | None = None) -> None:
        """*cancel*: the build's token; a lock or Stop ends a picture or PDF being read
        at once (its worker is killed), rather than after the worker's deadline."""
        self._previews: PicturePreviews | None = None
        self._readers: PicturePreviews | None = None
        self._cancel = cancel

    @property
    def cancel(self) -> CancelToken | None:
        return self._cancel

    def __enter__(self) -> BinderSandbox:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def prepare(self, data: bytes, *, strip_metadata: bool, areas: list[Area]) -> PreparedPicture:
        """The picture in *data*, ready to embed; raises PictureFailed.

        Every picture is prepared by a worker no earlier file used (see ``_worker``);
        and a JPEG that was to lose its metadata has it removed once more here, by
        walking its markers (nothing is decoded), so a worker that ignored the request
        still cannot pass GPS or a name through.
        """
        boxes = [(a.left, a.top, a.right, a.bottom) for a in areas]
        try:
            answer = self._worker().binder_picture(data, strip_metadata=strip_metadata, areas=boxes)
            picture = answer["data"]
            if strip_metadata and answer["jpeg"]:
                picture = strip_jpeg_metadata(picture)
        except PreviewFailed as failure:
            raise PictureFailed(str(failure)) from None
        except ValueError:  # not a JPEG whose markers can be walked: not embedded
            raise PictureFailed("the prepared picture is not a valid JPEG") from None
        pixels = RawPicture(
            answer["width"],
            answer["height"],
            answer["bits"],
            answer["colors"],
            answer["palette"] or None,
            picture,
            jpeg=answer["jpeg"],
        )
        return PreparedPicture(pixels, answer["orientation"], answer["converted"])

    def read_pdf(self, data: bytes) -> ImportedPdf:
        """The PDF in *data*, read by a worker and checked here, for the court's copy
        (and the page count of the other side's); raises PictureFailed."""
        try:
            return ImportedPdf.read(self._worker().pdf_pages(data))
        except PreviewFailed as failure:
            raise PictureFailed(str(failure)) from None
        except NotDescribed:
            raise PictureFailed("the PDF could not be read") from None

    def service_page(self, data: bytes, index: int) -> ServicePage:
        """Page *index* of the PDF *data* drawn and read for the copy for the other side
        (see ``binder.service_pages``); raises PictureFailed."""
        from nco_desktop.binder.service_pages import ServicePage

        try:
            page = self._reader().service_page(data, index)
        except PreviewFailed as failure:
            raise PictureFailed(str(failure)) from None
        assert isinstance(page, ServicePage)
        return page

    def picture_words(self, data: bytes) -> OcrAnswer | None:
        """The words in the picture *data*, read now (for a picture the background
        reader has not reached); None when it cannot be read."""
        try:
            answer = self._reader().read_words(data)
        except PreviewFailed:
            return None
        return answer if isinstance(answer, OcrAnswer) else None

    def _reader(self) -> PicturePreviews:
        """Workers that draw and also read words: the OCR engine's language data loaded
        before each confines itself. Without the engine they still draw (and say they
        did not read), so a page's own text is still checked."""
        if self._readers is None:
            try:
                tessdata: str | None = tessdata_dir()
            except FileNotFoundError:
                tessdata = None
            self._readers = PicturePreviews(
                BINDER_READ_LIMITS, self._cancel, fresh=True, ocr=tessdata
            )
        return self._readers

    def _worker(self) -> PicturePreviews:
        """The build's readers: a fresh worker for every picture and PDF (forked from a
        zygote that reads no file, see ``sandbox.zygote``), so a file that took its
        worker over cannot change the pixels or text of the exhibits after it."""
        if self._previews is None:  # started on first use: many binders need none
            self._previews = PicturePreviews(BINDER_PICTURE_LIMITS, self._cancel, fresh=True)
        return self._previews

    def close(self) -> None:
        for previews in (self._previews, self._readers):
            if previews is not None:
                previews.close()
        self._previews = self._readers = None
