"""Interim Tesseract binding (replaced by the engine layer)."""

from __future__ import annotations

import os
from typing import Any

from PIL import Image

from nco_desktop.ocr.words import OcrWord

_api: Any = None


def tessdata_dir() -> str:
    return os.environ.get("NCO_TESSDATA") or "/usr/share/tesseract-ocr/5/tessdata"


def prepare(tessdata: str | None = None, languages: str = "eng+spa") -> None:
    global _api
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    import tesserocr

    if _api is None:
        _api = tesserocr.PyTessBaseAPI(path=tessdata or tessdata_dir(), lang=languages)


def read_words(image: Image.Image) -> list[OcrWord]:
    import tesserocr

    _api.SetImage(image)
    _api.Recognize()
    words: list[OcrWord] = []
    it = _api.GetIterator()
    level = tesserocr.RIL.WORD
    line = -1
    for word in tesserocr.iterate_level(it, level):
        text = word.GetUTF8Text(level)
        if word.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
            line += 1
        box = word.BoundingBox(level)
        if not text or box is None:
            continue
        x1, y1, x2, y2 = box
        words.append(
            OcrWord(
                text.strip(),
                x1,
                y1,
                max(1, x2 - x1),
                max(1, y2 - y1),
                word.Confidence(level),
                max(line, 0),
            )
        )
    return [w for w in words if w.text]
