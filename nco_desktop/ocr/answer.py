"""The worker's answer to an ``ocr`` task, checked before a word of it is stored.

The worker read a picture that may have been made to take it over, so its answer is
treated as hostile: the words arrive as JSON rows and every row is checked for type
and range (boxes inside the picture, confidence 0-100, a short word), and the whole
answer is bounded, so a worker cannot fill the vault or the window with junk.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from nco_desktop.ocr.words import OcrWord
from nco_desktop.sandbox import wire
from nco_desktop.sandbox.answers import only_fields

MAX_WORDS = 50_000  # a long scrolling capture holds a few thousand
MAX_WORD_CHARS = 200
MAX_SIDE = 65_535
MAX_JSON_BYTES = 8 * 1024 * 1024


MAX_PAGES = 100_000


@dataclass(frozen=True)
class OcrAnswer:
    """One page read: its size in pixels and words; for a PDF also how many pages it
    has, and whether this page has text of its own (then it was not read)."""

    width: int
    height: int
    words: tuple[OcrWord, ...]
    pages: int = 1
    has_text: bool = False


def _whole(value: object, low: int, high: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def check(header: dict[str, Any], payloads: list[bytes]) -> OcrAnswer:
    """The answer as words, or WireError naming what is wrong with it."""
    only_fields(header, [], {"kind", "width", "height", "pages", "has_text"})
    width, height = header.get("width"), header.get("height")
    if not (_whole(width, 1, MAX_SIDE) and _whole(height, 1, MAX_SIDE)):
        raise wire.WireError("a reading's picture size is out of range")
    assert isinstance(width, int) and isinstance(height, int)
    pages, has_text = header.get("pages", 1), header.get("has_text", False)
    if not _whole(pages, 1, MAX_PAGES) or not isinstance(has_text, bool):
        raise wire.WireError("a reading's page count is out of range")
    assert isinstance(pages, int)
    if len(payloads) != 1 or len(payloads[0]) > MAX_JSON_BYTES:
        raise wire.WireError("a reading without its words, or too many of them")
    try:
        rows = json.loads(payloads[0].decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise wire.WireError("a reading's words are not valid") from exc
    if not isinstance(rows, list) or len(rows) > MAX_WORDS:
        raise wire.WireError("a reading's words are not a list of words")
    words = tuple(_word(row, width, height) for row in rows)
    if has_text and words:
        raise wire.WireError("a page with text of its own came back read")
    return OcrAnswer(width, height, words, pages, has_text)


def _word(row: object, width: int, height: int) -> OcrWord:
    if not (isinstance(row, list) and len(row) == 7):
        raise wire.WireError("a read word is not a row of seven values")
    text, left, top, w, h, confidence, line = row
    if not (isinstance(text, str) and 0 < len(text) <= MAX_WORD_CHARS) or not text.isprintable():
        raise wire.WireError("a read word is not a short printable text")
    if not (_whole(left, 0, width - 1) and _whole(top, 0, height - 1)):
        raise wire.WireError("a read word's box starts outside the picture")
    if not (_whole(w, 1, width - left) and _whole(h, 1, height - top)):
        raise wire.WireError("a read word's box ends outside the picture")
    if isinstance(confidence, bool) or not isinstance(confidence, int | float):
        raise wire.WireError("a read word's confidence is not a number")
    if not (math.isfinite(confidence) and 0 <= confidence <= 100):
        raise wire.WireError("a read word's confidence is out of range")
    if not _whole(line, 0, MAX_WORDS):
        raise wire.WireError("a read word's line is out of range")
    return OcrWord(text, left, top, w, h, float(confidence), line)
