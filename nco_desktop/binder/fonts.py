"""Embedded fonts, and text made safe to draw with them.

DejaVu Sans (shipped in resources/fonts) covers Latin, Greek, Cyrillic, Arabic and
Hebrew letters and many symbols; Droid Sans Fallback (shipped beside it) covers Chinese
and Japanese, and NanumGothic Korean. A line is drawn in runs: each character in the
first of these fonts that has it. A character neither has — an emoji, a rare script — must not
silently vanish from evidence: it is drawn as a visible □ and the page notes that some
characters could not be shown (the original, with its hash, holds them all).

Only the glyphs a binder uses are embedded (reportlab subsets TrueType fonts), so the
4 MB fallback font costs a few kilobytes in a binder that quotes a Chinese message.
Every canvas starts in DejaVu (:func:`canvas`): reportlab's default, Helvetica, is one of
the standard 14 fonts it never embeds, and it named it on every page (#19).

Copying text out of the PDF goes through each font's ToUnicode map, which reportlab
writes. It writes a character above U+FFFF (😂, U+1F602, which DejaVu draws) as
``<1F602>``, which is not UTF-16, and readers turned it into "ὠ". :func:`_to_unicode_cmap`
rewrites those entries as surrogate pairs (``<D83DDE02>``); it wraps reportlab's own
function, installed in its place once on import (a small patch, checked by
tests/unit/test_binder_fonts_round2.py, which fails if reportlab changes how it writes
the map).
"""

from __future__ import annotations

import functools
import re
from typing import Any, BinaryIO

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from nco_desktop.resources import font_path

REGULAR = "NCO-Sans"
BOLD = "NCO-Sans-Bold"
MONO = "NCO-Mono"
FALLBACK = "NCO-Sans-CJK"  # for regular, bold and mono alike: the font has one weight
KOREAN = "NCO-Sans-Hangul"  # Droid Sans Fallback has 3 of the 11,172 Hangul syllables
#: Tried in this order for a character the chosen DejaVu face lacks.
FALLBACKS = (FALLBACK, KOREAN)
MISSING = "\u25a1"  # □


@functools.cache
def register() -> None:
    for name, file in (
        (REGULAR, "DejaVuSans.ttf"),
        (BOLD, "DejaVuSans-Bold.ttf"),
        (MONO, "DejaVuSansMono.ttf"),
        (FALLBACK, "DroidSansFallbackFull.ttf"),
        (KOREAN, "NanumGothic.ttf"),
    ):
        font = TTFont(name, str(font_path(file)))
        _mend_short_metrics(font)
        pdfmetrics.registerFont(font)


def _mend_short_metrics(font: TTFont) -> None:
    """Give glyphs past a font's last full horizontal metric their width in font units.

    A TrueType font may list full metrics for its first glyphs only; the rest share the
    last advance (DejaVu Sans Mono: all of them). reportlab keeps that shared advance
    already scaled to 1/1000 em and writes it into the subset it embeds as if in font
    units (602 where the font says 1233 of 2048), so the embedded program disagrees
    with the page's /Widths: PDF/A validators refuse it (ISO 19005-2, 6.2.11.5).
    Viewers position glyphs by /Widths, so only the embedded table was wrong.
    """
    metrics = font.face.hmetrics
    last_units: int | None = None
    for glyph, (advance, lsb) in enumerate(metrics):
        if isinstance(advance, int):
            last_units = advance
        elif last_units is not None:  # a scaled copy of the last full metric
            metrics[glyph] = (last_units, lsb)


def canvas(out: BinaryIO, **options: Any) -> Canvas:
    """A reportlab canvas whose every page starts in the embedded DejaVu Sans, so no
    page names a font the PDF does not carry."""
    register()
    return Canvas(out, initialFontName=REGULAR, **options)


#: A ToUnicode entry reportlab writes for a character above U+FFFF: 5 or 6 hex digits.
_WIDE_ENTRY = re.compile(r"^(<[0-9A-Fa-f]{2}>) <([0-9A-Fa-f]{5,6})>$", re.MULTILINE)


def _as_utf16(entry: re.Match[str]) -> str:
    units = chr(int(entry.group(2), 16)).encode("utf-16-be").hex().upper()
    return f"{entry.group(1)} <{units}>"


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode CMap for a subset, with each character above U+FFFF written
    as the UTF-16 surrogate pair the PDF format asks for, so 😂 copies as 😂."""
    return _WIDE_ENTRY.sub(_as_utf16, _reportlab_cmap(fontname, subset))


# TTFont.addObjects looks the function up in its module when a PDF is saved. Wrapping
# twice (a reload) changes nothing: the first pass leaves no wide entry.
_reportlab_cmap = ttfonts.makeToUnicodeCMap
ttfonts.makeToUnicodeCMap = _to_unicode_cmap


@functools.cache
def _covered(font_name: str) -> frozenset[int]:
    register()
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


def covered(font_name: str) -> frozenset[int]:
    """The code points *font_name* has a glyph for."""
    return _covered(font_name)


_INVISIBLE = "\u200d\ufe0f\u200e\u200f\u202f"  # joiners, variation selectors, marks


def drawable(text: str, font_name: str = REGULAR) -> tuple[str, bool]:
    """(*text* with every character no font has replaced by □, whether any was)."""
    covered = _covered(font_name)
    fallbacks = [_covered(name) for name in FALLBACKS]
    out = []
    replaced = False
    for char in text:
        code = ord(char)
        if code in covered or char in "\n\t" or any(code in f for f in fallbacks):
            out.append(char)
        elif char in _INVISIBLE:
            replaced = replaced or char in "\u200d\ufe0f"
            out.append(" " if char == "\u202f" else "")
        else:
            out.append(MISSING)
            replaced = True
    return "".join(out), replaced


def runs(text: str, font_name: str) -> list[tuple[str, str]]:
    """(font, text) pieces of a drawable line: each character in the first font that has
    it, so a Latin word next to a Chinese one keeps DejaVu's look."""
    covered = _covered(font_name)
    if covered.issuperset(map(ord, text)):  # the usual case: one run, no per-character work
        return [(font_name, text)]
    pieces: list[tuple[str, str]] = []
    for char in text:
        font = font_name
        if ord(char) not in covered and char != MISSING:
            font = next((f for f in FALLBACKS if ord(char) in _covered(f)), font_name)
        if pieces and pieces[-1][0] == font:
            pieces[-1] = (font, pieces[-1][1] + char)
        else:
            pieces.append((font, char))
    return pieces


def width(text: str, font_name: str, size: float) -> float:
    if _covered(font_name).issuperset(map(ord, text)):
        return float(stringWidth(text, font_name, size))
    return sum(stringWidth(piece, font, size) for font, piece in runs(text, font_name))


def draw(
    canvas: Canvas, x: float, y: float, text: str, font_name: str, size: float, *, align: str = ""
) -> None:
    """Draw a drawable line at (x, y), left-aligned, or ending at x with ``align="right"``,
    or centred on x with ``align="centre"``; the canvas's font is left as *font_name*."""
    if align == "right":
        x -= width(text, font_name, size)
    elif align == "centre":
        x -= width(text, font_name, size) / 2
    for font, piece in runs(text, font_name):
        canvas.setFont(font, size)
        canvas.drawString(x, y, piece)
        x += stringWidth(piece, font, size)
    canvas.setFont(font_name, size)
