"""The ``service_page`` task: one page of an imported PDF as pixels, and the words on it.

For the copy for the other side nothing of an imported PDF passes through as it was
(issue 15): its text, fonts, outlines, inline pictures, metadata and thumbnails could
each carry a private detail past a search of its text. So the page is drawn here, in
the sandbox, by pdfium at print resolution, and the binder embeds only those pixels,
after the private details found on them are painted out in another worker.

Where the details are is told two ways, because each misses what the other sees:

- the PDF's own text with each word's box (exact, and found even in tiny print);
- the OCR engine's reading of the drawn page (when this worker has it loaded), which
  also sees text drawn as outlines, a scanned picture's words and letter-spaced text.

Both lists are word rows like every reading (:mod:`nco_desktop.ocr.answer` checks them
in the program), in pixels of the drawn page. The program matches them; the worker is
never told what the private details are.
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import Any

from PIL import Image, ImageChops

from nco_desktop.importers.model import UnreadableFile
from nco_desktop.ocr.answer import MAX_WORD_CHARS
from nco_desktop.ocr.store import words_to_json
from nco_desktop.ocr.words import OcrWord

#: Print resolution: text stays crisp on paper and the OCR engine reads 8 pt print.
SERVICE_DPI = 200
#: A poster-sized page is drawn smaller, never past this on its longest side.
MAX_SIDE = 3400
_WORD = re.compile(r"\S+")


def run(task: dict[str, Any], payloads: list[bytes], send: Any) -> None:
    from nco_desktop.sandbox import ocr_task, render

    page = task.get("page")
    if len(payloads) != 1 or set(task) != {"op", "page"}:
        raise UnreadableFile("the reader was asked for something out of range")
    if not isinstance(page, int) or isinstance(page, bool) or not 0 <= page < 1_000_000:
        raise UnreadableFile("the reader was asked for something out of range")
    sizes = render.pdf_open(payloads[0])
    if page >= len(sizes):
        raise UnreadableFile("the PDF has no such page; it was kept as it is")
    width_pt, height_pt = sizes[page]
    if not (width_pt > 0 and height_pt > 0):
        raise UnreadableFile(render.PDF_DAMAGED)
    scale = min(SERVICE_DPI / 72, MAX_SIDE / max(width_pt, height_pt))
    # Annotations drawn, as the court's copy draws them: a form's filled-in values are
    # part of the page (and are read and checked like the rest of it).
    width, height, rgba = render.pdf_page(page, max(1, round(width_pt * scale)), annotations=True)
    drawn = Image.frombytes("RGBA", (width, height), rgba)
    flat = Image.new("RGB", drawn.size, "white")
    flat.paste(drawn, mask=drawn.getchannel("A"))
    text_words = pdf_words(render.open_document(), page, width, height, width / width_pt)
    read = ocr_task.ready()
    ocr_words = ocr_task.clean_words(_read(flat)) if read else []
    png = BytesIO()
    _grey_if_grey(flat).save(png, "PNG", compress_level=1)
    header = {"kind": "service_page", "width": width, "height": height}
    header["points"] = [width_pt, height_pt]
    header |= {"pages": len(sizes), "read": read}
    send(
        header,
        [
            png.getvalue(),
            words_to_json(ocr_words).encode("utf-8"),
            words_to_json(text_words).encode("utf-8"),
        ],
    )


#: A reading with fewer sure words than this may be of a page drawn sideways (a scan
#: fed in turned, a landscape table): the page is read turned both ways as well.
FEW_WORDS = 4
SURE = 60.0


def _grey_if_grey(page: Image.Image) -> Image.Image:
    """A page with no colour as one grey channel: most documents are, and the binder
    then holds a third of the bytes for the same look."""
    red, green, blue = page.split()
    if ImageChops.difference(red, green).getbbox() or ImageChops.difference(green, blue).getbbox():
        return page
    return red


def _read(picture: Image.Image) -> list[OcrWord]:
    """The words on the drawn page; if few are read upright, the page is read turned a
    quarter each way too, and the reading with the most sure words is kept, its boxes
    turned back onto the upright page."""
    from nco_desktop.ocr import tesseract

    best = tesseract.read_words(picture)
    if _sure(best) >= FEW_WORDS:
        return best
    width, height = picture.size
    for turn in (Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_270):
        words = [
            _turned_back(w, turn, width, height)
            for w in tesseract.read_words(picture.transpose(turn))
        ]
        if _sure(words) > _sure(best):
            best = words
    return best


def _sure(words: list[OcrWord]) -> int:
    return sum(1 for w in words if w.confidence >= SURE and len(w.text) > 1)


def _turned_back(word: OcrWord, turn: Image.Transpose, width: int, height: int) -> OcrWord:
    """A word's box read on the page turned by *turn* (PIL turns counter-clockwise for
    ROTATE_90), as a box on the upright page of *width* × *height*."""
    if turn is Image.Transpose.ROTATE_90:  # upright (x, y) shows at (y, width - x)
        left, top = width - word.top - word.height, word.left
    else:  # ROTATE_270: upright (x, y) shows at (height - y, x)
        left, top = word.top, height - word.left - word.width
    left, top = max(0, left), max(0, top)
    box_w = max(1, min(word.height, width - left))
    box_h = max(1, min(word.width, height - top))
    return OcrWord(word.text, left, top, box_w, box_h, word.confidence, word.line)


def pdf_words(document: Any, page: int, width: int, height: int, scale: float) -> list[OcrWord]:
    """The page's own text as words with boxes in the drawn page's pixels. Lines are
    counted at each line break pdfium reports; a word whose box pdfium cannot give, or
    whose text it gives differently, is dropped (the OCR reading still covers it).
    *width* × *height*: the drawn page in pixels, *scale* pixels per point."""
    from nco_desktop.sandbox.ocr_task import clean_words

    text = document.getAllText(page).text()
    words: list[OcrWord] = []
    line, at = 0, 0
    for match in _WORD.finditer(text):
        line += text.count("\n", at, match.start())
        at = match.start()
        selection = document.getSelectionAtIndex(page, match.start(), len(match.group()))
        if selection.text() != match.group():
            continue
        box = selection.boundingRectangle().normalized()
        left = max(0, min(width - 1, int(box.left() * scale)))
        top = max(0, min(height - 1, int(box.top() * scale)))
        right = max(left + 1, min(width, int(box.right() * scale + 1)))
        bottom = max(top + 1, min(height, int(box.bottom() * scale + 1)))
        word, most = match.group(), MAX_WORD_CHARS  # the longest word row the program takes
        pieces = [word[i : i + most] for i in range(0, len(word), most)]
        step = (right - left) / len(pieces)
        for number, piece in enumerate(pieces):
            start = left + int(step * number)
            end = max(start + 1, left + int(step * (number + 1)))
            words.append(OcrWord(piece, start, top, end - start, bottom - top, 100.0, line))
    return clean_words(words)
