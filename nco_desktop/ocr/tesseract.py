"""Tesseract (through tesserocr) reading words off evidence pictures.

Used inside the sandboxed worker: ``prepare`` opens the language data while files can
still be opened, and afterwards ``read_words`` only computes (no file, no thread, no
socket). One API object per process, created once: loading spa+eng costs ~0.3 s.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from nco_desktop.ocr import prepare as prep
from nco_desktop.ocr.words import PIPELINE, OcrWord, text_of

__all__ = ["OcrWord", "engine_name", "prepare", "read_words", "tessdata_dir", "text_of"]

TESSDATA_CANDIDATES = (
    "/usr/share/tesseract-ocr/5/tessdata",
    "/usr/share/tesseract-ocr/4.00/tessdata",
    "/usr/share/tessdata",
)
# Bounds: bigger pictures are shrunk first (a 40 MP phone photo still has readable text).
MAX_PIXELS = 40_000_000
MAX_SIDE = 20_000
# Tall pictures (scrolling captures) are read in overlapping horizontal strips: Tesseract's
# page layout gets slower than linear and mixes columns on very tall pages. The overlap
# is larger than any line, so every word is whole in the strip that owns its centre.
# Strips are also what bounds memory: preparation holds ~10 copies of a strip, so a strip
# is at most STRIP_PIXELS (a 40 MP photo in one piece peaked at ~600 MB over its own size).
STRIP_HEIGHT = 4000
STRIP_PIXELS = 8_000_000
MIN_STRIP_HEIGHT = 1200
STRIP_OVERLAP = 300
# Recognition of one strip gives up after this long (Tesseract checks it as it goes).
TIMEOUT_MS = 60_000
# Words below this confidence are dropped when they are mostly not letters or digits, or
# have at most two: that is what icons, check marks, emoji and outlines read as
# ("W/", "&", "<x", "(És)"). Real words scored 85-97 on the benchmark's screenshots (1 %
# below 85); a real word below the threshold is kept if it has 3+ letters or digits.
NOISE_CONFIDENCE = 75.0
# One-character words that are real words (English, Spanish, texting), kept whatever
# their confidence; any other single character (check marks read as "W", a battery as
# "J", an outline as ")") needs SURE_CONFIDENCE.
ONE_LETTER_WORDS = frozenset("IAaoyeuOYEUxqkd0123456789")
SURE_CONFIDENCE = 95.0
# A lone vertical bar is the capital I of sans-serif phone fonts (SF, Roboto, DejaVu).
BAR_IS_I = frozenset({"|", "l"})
SMALLEST_SIDE = 8
# Spanish first: with English first, accents were lost (Peña → Pena, línea → linea), and
# English read no worse (CER 0.59 % against 0.69 % on light English screenshots).
LANGUAGES = "spa+eng"


@dataclass
class _State:
    api: Any
    key: tuple[str, str]
    name: str


_state: _State | None = None


def _tesserocr() -> Any:
    """tesserocr, imported on first use (it is only needed inside the OCR worker; imported
    by name so type checking does not need its stubs, which ship without py.typed)."""
    return importlib.import_module("tesserocr")


def tessdata_dir() -> str:
    """Where the traineddata files are: $NCO_TESSDATA, then Debian's and Fedora's places."""
    candidates = [os.environ.get("NCO_TESSDATA", ""), *TESSDATA_CANDIDATES]
    for candidate in candidates:
        if candidate and (Path(candidate) / "eng.traineddata").is_file():
            return candidate
    raise FileNotFoundError(
        "Tesseract's language data was not found (looked in $NCO_TESSDATA, "
        + ", ".join(TESSDATA_CANDIDATES)
        + "). On Debian or Ubuntu install it with: "
        "sudo apt-get install tesseract-ocr-eng tesseract-ocr-spa"
    )


def prepare(tessdata: str | None = None, languages: str = LANGUAGES) -> None:
    """Load Tesseract and its language data once; calling it again is harmless.

    Must run before the worker is confined: it opens the traineddata files. It starts no
    thread (OpenMP is limited to one thread before tesserocr is imported)."""
    global _state
    path = tessdata or tessdata_dir()
    missing = [
        lang for lang in languages.split("+") if not (Path(path) / f"{lang}.traineddata").is_file()
    ]
    if missing:
        raise FileNotFoundError(
            f"Tesseract language data {', '.join(missing)} is missing from {path}; on Debian "
            "install tesseract-ocr-" + " tesseract-ocr-".join(missing)
        )
    key = (path, languages)
    if _state is not None and _state.key == key:
        return
    os.environ["OMP_THREAD_LIMIT"] = "1"
    tesserocr = _tesserocr()

    if _state is not None:
        _state.api.End()
        _state = None
    api = tesserocr.PyTessBaseAPI(
        path=path,
        lang=languages,
        oem=tesserocr.OEM.LSTM_ONLY,
        # chat screenshots are scattered bubbles: sparse text read best (CER on light EN
        # 0.5 % against 1.2 % with AUTO and 2.0 % with SINGLE_BLOCK); we order lines ourselves
        psm=tesserocr.PSM.SPARSE_TEXT,
        variables={
            # our pictures carry no resolution; this stops a guess and a stderr line
            "user_defined_dpi": "300",
            # polarity is handled by the preparation; Tesseract's own retry doubles time
            "tessedit_do_invert": "0",
        },
    )
    version = tesserocr.tesseract_version().split()[1]
    _state = _State(api, key, f"tesseract {version} {languages} {PIPELINE}")
    # One small reading now, so that anything loaded lazily on first use (Python modules,
    # Tesseract's dictionaries) is loaded while files can still be opened.
    read_words(_warm_up_picture())


def _warm_up_picture() -> Image.Image:
    from PIL import ImageDraw

    image = Image.new("RGB", (240, 60), (10, 132, 255))
    ImageDraw.Draw(image).text((10, 20), "Warm up 12:30", fill="white")
    return image


def engine_name() -> str:
    """Names engine, data and preparation; a change means stored OCR should be redone."""
    return _require().name


def _require() -> _State:
    if _state is None:
        prepare()
    assert _state is not None
    return _state


@dataclass(frozen=True)
class _Raw:
    text: str
    box: tuple[float, float, float, float]  # left, top, right, bottom in original pixels
    confidence: float
    line: tuple[int, int]  # (strip, line within strip)


def recognise(
    image: Image.Image, strip: int = 0, origin: float = 0.0, scale: float = 1.0
) -> list[_Raw]:
    """Words Tesseract finds on ``image`` as given (no preparation), boxes mapped back
    by ``/ scale + origin`` (vertical origin of a strip in the original picture)."""
    tesserocr = _tesserocr()
    api = _require().api
    set_image(api, image)
    if not api.Recognize(TIMEOUT_MS):
        api.Clear()
        return []
    found: list[_Raw] = []
    iterator = api.GetIterator()
    line = -1
    level = tesserocr.RIL.WORD
    for word in _iterate(iterator, level):
        if word.IsAtBeginningOf(tesserocr.RIL.TEXTLINE):
            line += 1
        text = (word.GetUTF8Text(level) or "").strip()
        box = word.BoundingBox(level)
        if not text or box is None:
            continue
        left, top, right, bottom = box
        found.append(
            _Raw(
                text,
                (left / scale, top / scale + origin, right / scale, bottom / scale + origin),
                word.Confidence(level),
                (strip, max(line, 0)),
            )
        )
    api.Clear()
    return found


def set_image(api: Any, image: Image.Image) -> None:
    """Hand raw pixels over. tesserocr's SetImage(PIL image) encodes the picture through
    Pillow's plugins, importing modules (opening files) on first use: not possible in a
    confined worker, and slower."""
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    channels = len(image.mode)
    api.SetImageBytes(image.tobytes(), image.width, image.height, channels, image.width * channels)


def _iterate(iterator: Any, level: int) -> Iterator[Any]:
    if iterator is None:
        return
    while True:
        if not iterator.Empty(level):  # an empty page still gives an iterator
            yield iterator
        if not iterator.Next(level):
            return


def _bounded(image: Image.Image) -> tuple[Image.Image, float]:
    """The picture shrunk (if needed) within MAX_PIXELS and MAX_SIDE, and the factor."""
    width, height = image.size
    factor = min(1.0, MAX_SIDE / max(width, height), (MAX_PIXELS / (width * height)) ** 0.5)
    if factor >= 1.0:
        return image, 1.0
    size = (max(1, int(width * factor)), max(1, int(height * factor)))
    return image.resize(size, Image.Resampling.BOX), factor


def _strips(width: int, height: int) -> Iterator[tuple[int, int, float, float]]:
    """(top, bottom, owned_from, owned_to) of each strip of a tall or large picture."""
    step = max(MIN_STRIP_HEIGHT, min(STRIP_HEIGHT, STRIP_PIXELS // max(1, width)))
    if height <= step + STRIP_OVERLAP:
        yield 0, height, 0.0, float(height)
        return
    top = 0
    while True:
        bottom = min(height, top + step + STRIP_OVERLAP)
        owned_from = 0.0 if top == 0 else top + STRIP_OVERLAP / 2
        last = bottom >= height
        owned_to = float(height) if last else bottom - STRIP_OVERLAP / 2
        yield top, bottom, owned_from, owned_to
        if last:
            return
        top += step


Preparation = Callable[[Image.Image, int], tuple[Image.Image, float]]


def read_words(image: Image.Image, preparation: Preparation | None = None) -> list[OcrWord]:
    """The words of an upright picture, in reading order, boxes in its own pixels.

    ``preparation`` is for the benchmark's comparisons; the default is
    ``prepare.for_tesseract``."""
    prepare_strip = preparation or prep.for_tesseract
    width, height = image.size
    if width < SMALLEST_SIDE or height < SMALLEST_SIDE:
        return []
    bounded, shrink = _bounded(image)
    raw: list[_Raw] = []
    for index, (top, bottom, owned_from, owned_to) in enumerate(
        _strips(bounded.width, bounded.height)
    ):
        piece = (
            bounded.crop((0, top, bounded.width, bottom))
            if bounded.height != (bottom - top)
            else bounded
        )
        prepared, factor = prepare_strip(piece, MAX_PIXELS)
        for word in recognise(prepared, index, top, factor):
            middle = (word.box[1] + word.box[3]) / 2
            if owned_from <= middle < owned_to:
                raw.append(word)
    kept = [word for word in map(_cleaned, raw) if word is not None]
    return _ordered(kept, 1 / shrink, width, height)


def _cleaned(word: _Raw) -> _Raw | None:
    """The word with a lone bar read as I, or None when it is probably not text."""
    text = "I" if word.text in BAR_IS_I else word.text
    if text != word.text:
        word = _Raw(text, word.box, word.confidence, word.line)
    if text in ONE_LETTER_WORDS:
        return word
    if len(text) == 1:
        return word if word.confidence >= SURE_CONFIDENCE else None
    if word.confidence >= NOISE_CONFIDENCE:
        return word
    alnum = sum(character.isalnum() for character in text)
    if alnum <= 2 or alnum * 2 <= len(text):
        return None
    # signal-strength bars read as "alll", "tll": a letter three times in a row, unsure
    if any(a == b == c for a, b, c in zip(text, text[1:], text[2:], strict=False)):
        return None
    return word


def _ordered(words: list[_Raw], grow: float, width: int, height: int) -> list[OcrWord]:
    """Words numbered by line in reading order: Tesseract's lines sorted top to bottom,
    lines whose vertical extents mostly overlap (one row) from left to right."""
    lines: dict[tuple[int, int], list[_Raw]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    boxes = []
    for key, members in lines.items():
        top = min(w.box[1] for w in members)
        bottom = max(w.box[3] for w in members)
        left = min(w.box[0] for w in members)
        boxes.append((top, bottom, left, key))
    boxes.sort()
    rows: list[list[tuple[float, float, float, tuple[int, int]]]] = []
    for box in boxes:
        if rows:
            row = rows[-1]
            top = max(b[0] for b in row)
            bottom = min(b[1] for b in row)
            overlap = min(bottom, box[1]) - max(top, box[0])
            if overlap > 0.5 * min(box[1] - box[0], bottom - top):
                row.append(box)
                continue
        rows.append([box])
    order: dict[tuple[int, int], int] = {}
    for row in rows:
        for box in sorted(row, key=lambda b: b[2]):
            order[box[3]] = len(order)
    result = []
    for word in words:
        left = max(0, min(width - 1, round(word.box[0] * grow)))
        top = max(0, min(height - 1, round(word.box[1] * grow)))
        right = max(left + 1, min(width, round(word.box[2] * grow)))
        bottom = max(top + 1, min(height, round(word.box[3] * grow)))
        result.append(
            OcrWord(
                word.text,
                left,
                top,
                right - left,
                bottom - top,
                max(0.0, min(100.0, float(word.confidence))),
                order[word.line],
            )
        )
    result.sort(key=lambda w: (w.line, w.left))
    return result
