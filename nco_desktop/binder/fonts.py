"""Embedded fonts, and text made safe to draw with them.

DejaVu Sans (shipped in resources/fonts) covers Latin, Greek, Cyrillic, Arabic and
Hebrew letters and many symbols. A character it lacks — an emoji, a Chinese character —
must not silently vanish from evidence: it is drawn as a visible □ and the page notes
that some characters could not be shown (the original, with its hash, holds them all).
"""

from __future__ import annotations

import functools

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from nco_desktop.resources import font_path

REGULAR = "NCO-Sans"
BOLD = "NCO-Sans-Bold"
MONO = "NCO-Mono"
MISSING = "\u25a1"  # □


@functools.cache
def register() -> None:
    for name, file in (
        (REGULAR, "DejaVuSans.ttf"),
        (BOLD, "DejaVuSans-Bold.ttf"),
        (MONO, "DejaVuSansMono.ttf"),
    ):
        pdfmetrics.registerFont(TTFont(name, str(font_path(file))))


@functools.cache
def _covered(font_name: str) -> frozenset[int]:
    register()
    font = pdfmetrics.getFont(font_name)
    return frozenset(font.face.charToGlyph)


def drawable(text: str, font_name: str = REGULAR) -> tuple[str, bool]:
    """(*text* with every character the font lacks replaced by □, whether any was)."""
    covered = _covered(font_name)
    out = []
    replaced = False
    for char in text:
        if ord(char) in covered or char in "\n\t":
            out.append(char)
        elif char in "\u200d\ufe0f\u200e\u200f\u202f":  # joiners, variation selectors, marks
            replaced = replaced or char in "\u200d\ufe0f"
            out.append(" " if char == "\u202f" else "")
        else:
            out.append(MISSING)
            replaced = True
    return "".join(out), replaced
