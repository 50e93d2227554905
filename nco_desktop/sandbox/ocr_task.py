"""The ``ocr`` task: one picture in, the words read in it out, inside the worker.

The picture is decoded here (Pillow, bounded like every picture the sandbox reads),
turned upright by its EXIF orientation and flattened on white, then read by the OCR
engine (:mod:`nco_desktop.ocr.tesseract`), whose language data was loaded before the
worker confined itself. The answer is the upright size and the words as JSON rows,
which the program checks (:mod:`nco_desktop.ocr.answer`) before storing.
"""

from __future__ import annotations

from collections.abc import Callable
from io import BytesIO
from typing import Any

from PIL import Image, ImageOps

from nco_desktop.importers.formats import images
from nco_desktop.importers.model import UnreadableFile
from nco_desktop.ocr.store import words_to_json

Send = Callable[[dict[str, Any], list[bytes]], None]
_ready = False


def prepare() -> None:
    """Load the engine and its language data while the worker can still read files."""
    global _ready
    from nco_desktop.ocr import tesseract

    tesseract.prepare()
    _ready = True


def run(task: dict[str, Any], payloads: list[bytes], send: Send) -> None:
    if not _ready:
        raise UnreadableFile("this reader was not started with the text reader loaded")
    if len(payloads) != 1 or set(task) - {"op"}:
        raise UnreadableFile("the reader was asked for something out of range")
    from nco_desktop.ocr import tesseract
    from nco_desktop.sandbox import render

    with render.picture_errors(payloads[0]):
        upright = upright_rgb(payloads[0])
        words = tesseract.read_words(upright)
    header = {"kind": "ocr", "width": upright.width, "height": upright.height}
    send(header, [words_to_json(words).encode("utf-8")])


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
