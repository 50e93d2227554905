"""Private details the computer read in a picture, as areas to paint out of it.

A screenshot of the user's own chat may show their address or e-mail; the copy for the
other side must not. The words read in the picture (:mod:`nco_desktop.ocr.store`) are
searched like every drawn line (:mod:`.private_matching`), and each word a match touches
becomes an area painted black into the picture's pixels in the sandbox, as the areas
the user marks by hand are (:mod:`nco_desktop.evidence.picture_areas`). What the
computer could not read is not found: the user still looks at every picture.
"""

from __future__ import annotations

from nco_desktop.binder.private_matching import spans
from nco_desktop.binder.redaction import Redactor
from nco_desktop.evidence.picture_areas import Area
from nco_desktop.ocr.store import OcrPage, pages_of
from nco_desktop.ocr.words import OcrWord
from nco_desktop.vault.connection import Connection

#: Around each word, this share of its height: letters' tails and a misread box edge.
PAD = 0.25


def read_areas(conn: Connection, original_id: int, redactor: Redactor) -> list[Area]:
    """Areas (fractions of the upright picture) over the words of private details read
    in picture *original_id*; [] when nothing was read or nothing matches."""
    if not redactor:
        return []
    areas: list[Area] = []
    for reading in pages_of(conn, original_id)[:1]:
        areas.extend(_areas(reading, redactor))
    return areas


def _areas(reading: OcrPage, redactor: Redactor) -> list[Area]:
    if reading.status != "ok" or not reading.words or reading.width < 1 or reading.height < 1:
        return []
    text, placed = _laid_out(reading.words)
    touched: dict[int, OcrWord] = {}
    for start, end in spans(text, redactor.details):
        for index, (word_start, word_end, word) in enumerate(placed):
            if word_start < end and start < word_end:
                touched[index] = word
    areas = []
    for word in touched.values():
        pad = word.height * PAD
        area = Area(
            (word.left - pad) / reading.width,
            (word.top - pad) / reading.height,
            (word.left + word.width + pad) / reading.width,
            (word.top + word.height + pad) / reading.height,
        ).clamped()
        if area.usable:
            areas.append(area)
    return areas


def _laid_out(words: tuple[OcrWord, ...]) -> tuple[str, list[tuple[int, int, OcrWord]]]:
    """The reading as text (words by a space, lines by a line break, so a detail broken
    over two lines of a bubble is still found) and where each word sits in it."""
    pieces: list[str] = []
    placed: list[tuple[int, int, OcrWord]] = []
    at = 0
    line = None
    for word in sorted(words, key=lambda w: (w.line, w.left)):
        if line is not None:
            pieces.append("\n" if word.line != line else " ")
            at += 1
        line = word.line
        placed.append((at, at + len(word.text), word))
        pieces.append(word.text)
        at += len(word.text)
    return "".join(pieces), placed
