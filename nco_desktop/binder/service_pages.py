"""An imported PDF in the copy for the other side: each page as checked pixels.

Nothing of an imported PDF passes into that copy as it was: not its text (a detail
drawn as outlines or letter-spaced is not found by a search of it), not its pictures
(an inline image carries GPS in its metadata), not its XMP, thumbnails, annotations,
attachments or fonts. Each page is drawn in a sandboxed worker
(:mod:`nco_desktop.sandbox.service_page_task`) with the words on it; the private
details are found in those words here (:mod:`.read_areas`), painted out of the pixels
in another, fresh worker (as a picture's are), and only the painted pixels are embedded.
What is drawn is the court's copy's own binder page (framed, a form's filled-in values
drawn in), so the two copies match page for page and show the same but what is
painted. A page the computer could not check (no words of its own and no reader) is
listed in the review and withheld unless the user releases it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from nco_desktop.binder.exhibit_pages import PlacedPicture
from nco_desktop.binder.layout import SMALL, Page
from nco_desktop.binder.read_areas import found_areas
from nco_desktop.binder.review import UNREAD, unread_key
from nco_desktop.ocr.words import OcrWord
from nco_desktop.sandbox import wire
from nco_desktop.sandbox.answers import only_fields

MAX_SIDE = 4096  # the worker draws at most 3400 pixels a side
MAX_PNG_BYTES = 96 * 1024 * 1024
MAX_PAGES = 100_000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class ServicePage:
    """One page as the worker drew it: a PNG (decoded only by another worker), its size,
    the page count of its PDF, the words the OCR engine read (if it ran: *read*) and the
    words of the PDF's own text, all boxes in the drawn pixels."""

    png: bytes
    width: int
    height: int
    points: tuple[float, float]  # the page's size as shown, in points
    pages: int
    read: bool
    ocr_words: tuple[OcrWord, ...]
    text_words: tuple[OcrWord, ...]

    @property
    def checked(self) -> bool:
        """Whether its words are known: read by the engine, or the PDF's own text."""
        return self.read or bool(self.text_words)


def check_answer(header: dict[str, Any], payloads: list[bytes]) -> ServicePage:
    """The worker's answer, checked as hostile (it read a file that may be made to take
    it over): sizes in range, a PNG by its signature, word rows as every reading's."""
    from nco_desktop.ocr import answer

    only_fields(header, [], {"kind", "width", "height", "points", "pages", "read"})
    width, height, pages, read = (header.get(k) for k in ("width", "height", "pages", "read"))
    points = header.get("points")
    if not (isinstance(points, list) and len(points) == 2 and all(map(_side, points))):
        raise wire.WireError("a drawn page's size is out of range")
    for value, high in ((width, MAX_SIDE), (height, MAX_SIDE), (pages, MAX_PAGES)):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= high:
            raise wire.WireError("a drawn page's size is out of range")
    if not isinstance(read, bool) or len(payloads) != 3:
        raise wire.WireError("a drawn page without its words")
    png, ocr_json, text_json = payloads
    if not (png.startswith(PNG_SIGNATURE) and len(png) <= MAX_PNG_BYTES):
        raise wire.WireError("a drawn page is not a PNG of the allowed size")
    assert isinstance(width, int) and isinstance(height, int) and isinstance(pages, int)
    size = {"kind": "ocr", "width": width, "height": height}
    ocr_words = answer.check(size, [ocr_json]).words
    if ocr_words and not read:
        raise wire.WireError("a page not read came back with read words")
    text_words = answer.check(size, [text_json]).words
    shown = (float(points[0]), float(points[1]))
    return ServicePage(png, width, height, shown, pages, read, ocr_words, text_words)


def _side(value: object) -> bool:
    """A page side in points, as PDF allows it (1 to 14,400)."""
    return isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value <= 14_400


def draw_page(page: Page, drawn: ServicePage, source: str, where: str) -> None:
    """Page *page*'s current page becomes the drawn page, framed as the court's copy
    frames it, the private details found on it painted out; or, for a page that could
    not be checked and was not released, a notice in its place."""
    redactor = page.redactor
    review = redactor.review
    if not drawn.checked and review is not None:
        about = "The computer could not read this page's words to check them"
        if review.saw(unread_key(source), "", about, UNREAD):
            _withheld(page, where)
            return
    # Both readings under one source: a place both found is one place to review.
    areas = [
        *found_areas(drawn.ocr_words, drawn.width, drawn.height, redactor, source),
        *found_areas(drawn.text_words, drawn.width, drawn.height, redactor, source),
    ]
    if page.pictures is None:
        raise RuntimeError("no sandbox to paint the page in")
    prepared = page.pictures.prepare(drawn.png, strip_metadata=True, areas=areas)
    pixels = prepared.pixels
    # The drawn page is the court's copy's binder page, frame and all: it covers the
    # whole page, and the stamps are laid over it as over the court's.
    page.deferred.append((page.pages - 1, PlacedPicture(pixels, "", page.size)))


def _withheld(page: Page, where: str) -> None:
    page.heading("Page withheld from this copy")
    page.text(
        f"{where} could not be checked by the computer for private details (its words "
        "could not be read), so it was left out of the copy for the other side. The "
        "court's copy of this binder holds the page in full."
    )
    page.text(
        "You can release it in the review of private details, after looking at it yourself.",
        size=SMALL,
    )
