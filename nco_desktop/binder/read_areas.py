"""Private details found in a picture's or a page's words, as areas to paint out of it.

A screenshot of the user's own chat may show their address or e-mail; the copy for the
other side must not. The words read in the picture (:mod:`nco_desktop.ocr.store`, or
read during the build when the background reader has not got to it yet) are searched
like every drawn line (:mod:`.private_matching`), and each word a match touches
becomes an area painted black into the picture's pixels in the sandbox, as the areas
the user marks by hand are (:mod:`nco_desktop.evidence.picture_areas`). Every place is
noted in the build's review, where the user may release it. What the computer could
not read is not found: the user still looks at every picture.
"""

from __future__ import annotations

from collections.abc import Sequence

from nco_desktop.binder.private_matching import found_spans
from nco_desktop.binder.redaction import Redactor
from nco_desktop.binder.review import PICTURE, context, picture_key
from nco_desktop.evidence.picture_areas import Area
from nco_desktop.ocr.words import OcrWord

#: Around each word, this share of its height: letters' tails and a misread box edge.
PAD = 0.25


def found_areas(
    words: Sequence[OcrWord], width: int, height: int, redactor: Redactor, source: str
) -> list[Area]:
    """Areas (fractions of the upright picture, *width* × *height* pixels) over the
    words where a private detail was found, each place noted in the redactor's review
    under *source* (the original's fingerprint and page) and left out if released."""
    if not redactor or not words or width < 1 or height < 1:
        return []
    text, placed = laid_out(words)
    touched: dict[int, OcrWord] = {}
    seen: dict[tuple[str, str], int] = {}
    for start, end, term in found_spans(text, redactor.details):
        found = text[start:end]
        occurrence = seen.get((term, found), 0)
        seen[(term, found)] = occurrence + 1
        review = redactor.review
        if review is not None:
            key = picture_key(source, term, found, occurrence)
            if not review.saw(key, term, context(text, start, end), PICTURE):
                continue
        for index, (word_start, word_end, word) in enumerate(placed):
            if word_start < end and start < word_end:
                touched[index] = word
    areas = []
    for word in touched.values():
        pad = word.height * PAD
        area = Area(
            (word.left - pad) / width,
            (word.top - pad) / height,
            (word.left + word.width + pad) / width,
            (word.top + word.height + pad) / height,
        ).clamped()
        if area.usable:
            areas.append(area)
    return areas


def laid_out(words: Sequence[OcrWord]) -> tuple[str, list[tuple[int, int, OcrWord]]]:
    """The reading as text (words by a space, lines by a line break, so a detail broken
    over two lines of a bubble is still found) and where each word sits in it. Words
    keep their order within a line, as the reader gave them: on a page turned sideways
    a line runs down the page, and sorting by the left edge would scramble it."""
    pieces: list[str] = []
    placed: list[tuple[int, int, OcrWord]] = []
    at = 0
    line = None
    for word in sorted(words, key=lambda w: w.line):  # stable: the reader's order
        if line is not None:
            pieces.append("\n" if word.line != line else " ")
            at += 1
        line = word.line
        placed.append((at, at + len(word.text), word))
        pieces.append(word.text)
        at += len(word.text)
    return "".join(pieces), placed
