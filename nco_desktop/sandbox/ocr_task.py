"""The ``ocr`` task: one picture in, the words read in it out, inside the worker.

The picture is decoded here (Pillow, bounded like every picture the sandbox reads),
turned upright by its EXIF orientation and flattened on white, then read by the OCR
engine. A PDF's page is drawn by pdfium, as the window's previews are, unless it has
text of its own. Either way it is read by the engine (:mod:`nco_desktop.ocr.tesseract`),
whose language data was loaded before the worker confined itself. The answer is the
upright size and the words as JSON rows, which the program checks
(:mod:`nco_desktop.ocr.answer`) before storing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from io import BytesIO
from typing import Any

from PIL import Image, ImageOps

from nco_desktop.importers.formats import images
from nco_desktop.importers.model import UnreadableFile
from nco_desktop.ocr.store import words_to_json
from nco_desktop.ocr.words import OcrWord

Send = Callable[[dict[str, Any], list[bytes]], None]
#: A scanned page is read as drawn at this resolution (what scanners and OCR expect)...
PAGE_DPI = 300
#: ...but no larger than this on its longest side (a poster-sized page stays readable).
MAX_PAGE_SIDE = 4200
_ready = False


def prepare(tessdata: str | None = None) -> None:
    """Load the engine and its language data (from *tessdata*, the folder the program
    found: the worker's environment holds nothing of the user's) while the worker can
    still read files."""
    global _ready
    from nco_desktop.ocr import tesseract

    tesseract.prepare(tessdata)
    _ready = True


def ready() -> bool:
    """Whether this worker loaded the engine (an OCR worker) or not (a picture worker)."""
    return _ready


def run(task: dict[str, Any], payloads: list[bytes], send: Send) -> None:
    if not _ready:
        raise UnreadableFile("this reader was not started with the text reader loaded")
    page, as_pdf = task.get("page", 0), task.get("pdf", False)
    if len(payloads) != 1 or set(task) - {"op", "page", "pdf"} or not isinstance(as_pdf, bool):
        raise UnreadableFile("the reader was asked for something out of range")
    if not isinstance(page, int) or isinstance(page, bool) or page < 0 or (page and not as_pdf):
        raise UnreadableFile("the reader was asked for something out of range")
    from nco_desktop.ocr import tesseract
    from nco_desktop.sandbox import render

    data = payloads[0]
    header: dict[str, Any] = {"kind": "ocr"}
    # PDF or picture as the program says (from the type found at import), never from the
    # bytes: a picture with a PDF hidden in its first kilobyte must be read as a picture.
    if as_pdf:
        upright, header["pages"], header["has_text"] = pdf_page_picture(data, page)
        if header["has_text"]:
            send(header | {"width": 1, "height": 1}, [b"[]"])
            return
        words = tesseract.read_words(upright)
    else:
        with render.picture_errors(data):
            upright = upright_rgb(data)
            words = tesseract.read_words(upright)
    header |= {"width": upright.width, "height": upright.height}
    send(header, [words_to_json(clean_words(words)).encode("utf-8")])


#: Characters a reader may put in a word that are not letters anyone sees: a no-break
#: space becomes a space; soft hyphens, zero-width marks and byte-order marks go.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"))
_INVISIBLE[0x00A0] = " "


def clean_words(words: list[OcrWord]) -> list[OcrWord]:
    """The words without invisible characters (the program refuses an answer holding
    any, so one would lose the whole picture's reading); words left empty are dropped."""
    cleaned = []
    for word in words:
        text = " ".join(word.text.translate(_INVISIBLE).split())
        if text and text.isprintable():
            cleaned.append(replace(word, text=text))
    return cleaned


def pdf_page_picture(data: bytes, page: int) -> tuple[Image.Image, int, bool]:
    """Page *page* of the PDF *data* drawn at 300 dpi (at most :data:`MAX_PAGE_SIDE`
    pixels wide), the page count, and whether the page has text of its own (then it
    is not drawn: what it says is already in the PDF)."""
    from nco_desktop.sandbox import render

    sizes = render.pdf_open(data)
    if page >= len(sizes):
        raise UnreadableFile("the PDF has no such page; it was kept as it is")
    document = render.open_document()
    if document.getAllText(page).text().strip():
        return Image.new("RGB", (1, 1), "white"), len(sizes), True
    width_pt, height_pt = sizes[page]
    side = max(width_pt, height_pt)
    scale = min(PAGE_DPI / 72, MAX_PAGE_SIDE / side) if side > 0 else 1.0
    width, height, rgba = render.pdf_page(page, max(1, round(width_pt * scale)))
    drawn = Image.frombytes("RGBA", (width, height), rgba)
    flat = Image.new("RGB", drawn.size, "white")
    flat.paste(drawn, mask=drawn.getchannel("A"))
    return flat, len(sizes), False


def upright_rgb(data: bytes) -> Image.Image:
    """The picture at full size, upright, transparent parts on white (a PNG screenshot
    with alpha would read as black text on black)."""
    with Image.open(BytesIO(data), formats=render_formats()) as image:
        images._refuse_if_huge(image.size)
        image.seek(0)
        upright = ImageOps.exif_transpose(image)
        if upright.mode.startswith("I"):  # 16-bit grey: scale, or it clips to white
            upright = upright.convert("I").point(lambda v: v / 256).convert("L")
        if upright.mode in ("RGBA", "LA", "PA", "P"):
            rgba = upright.convert("RGBA")
            flat = Image.new("RGB", rgba.size, "white")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            return flat
        return upright.convert("RGB")


def render_formats() -> tuple[str, ...]:
    from nco_desktop.sandbox.render import PICTURE_FORMATS

    return PICTURE_FORMATS
