"""The words read in a picture, laid invisibly over it in the binder (text render mode 3).

The court's PDF then finds "I know where you live" inside a screenshot, and the clerk can
select and copy a line, while the page looks exactly as before and the picture's bytes
stay the original's. The same goes for an imported PDF's scanned pages
(:func:`scanned_layers`), laid on the binder page's stamp overlay through the matrix
that framed the page. The words come from the vault's OCR readings
(:mod:`nco_desktop.ocr.store`), in the upright picture's pixels; each is placed at its box,
sized to its line's height, and moved to its box within the line, so a selection covers the
word a reader sees.

Not in the copy for the other side: a word under an area the user blacked out, or a
private detail read in a picture, would still be there to copy. Redacting the read text
belongs with the service copy's own redaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas

from nco_desktop.binder import fonts
from nco_desktop.binder.imported_pages import ImportedPdf, Matrix, placement
from nco_desktop.ocr.store import OcrPage, pages_of
from nco_desktop.ocr.words import OcrWord
from nco_desktop.vault.connection import Connection

Size = tuple[float, float]
#: The box Tesseract gives spans ascender to descender: DejaVu's em is about this much
#: of that height, and its baseline sits this far above the box's bottom.
_SIZE_OF_BOX = 0.95
_BASELINE_IN_BOX = 0.22
#: The reading must be of this picture as drawn: its shape within this much.
_SHAPE_TOLERANCE = 0.02


def lay_words(
    canvas: Canvas, reading: OcrPage, x: float, y: float, width: float, height: float
) -> int:
    """Lay *reading*'s words over the picture drawn at (*x*, *y*, *width*, *height*),
    upright; how many were laid (0 when the reading is of another shape)."""
    if reading.status != "ok" or not reading.words or reading.width < 1 or reading.height < 1:
        return 0
    if abs(reading.width / reading.height - width / height) > _SHAPE_TOLERANCE * width / height:
        return 0
    sx, sy = width / reading.width, height / reading.height
    text = canvas.beginText()
    text.setTextRenderMode(3)  # neither filled nor stroked: selectable, never seen
    laid = 0
    for line in _lines(reading.words):
        # One size and baseline per line, from its words' median box: a word's own box
        # grows with its descenders.
        heights = sorted(w.height for w in line)
        bottoms = sorted(w.top + w.height for w in line)
        line_height = heights[len(heights) // 2] * sy
        size = max(1.0, round(line_height * _SIZE_OF_BOX * 2) / 2)
        baseline = y + height - bottoms[len(bottoms) // 2] * sy + line_height * _BASELINE_IN_BOX
        laid += _lay_line(canvas, text._code, line, size, (x, round(baseline, 1)), sx)
    if laid:
        # In its own graphics state: Tr outlives the text object, and a caption drawn
        # after it in mode 3 would be invisible too (seen, and tested).
        canvas.saveState()
        canvas.drawText(text)
        canvas.restoreState()
    return laid


def _lay_line(
    canvas: Canvas,
    code: list[str],
    line: list[OcrWord],
    size: float,
    origin: tuple[float, float],
    sx: float,
) -> int:
    """One line as a TJ array per run of words in one font subset: the run is placed
    once (its stretch in the text matrix) and each word moved to its box by the array's
    numbers. A word per Tm made the layer 8 % of a binder of screenshots and a fifth of
    its build time; this is a few bytes a word."""
    font = pdfmetrics.getFont(fonts.REGULAR)
    doc = canvas._doc
    items: list[tuple[OcrWord, int, bytes, str]] = []
    for word in line:
        shown = _drawable(word.text)
        pieces = font.splitString(shown + " ", doc) if shown else []
        if len(pieces) == 1:  # a word across two font subsets (rare) is left out
            items.append((word, pieces[0][0], pieces[0][1], shown))
    laid = 0
    for subset, run in groupby(items, key=lambda item: item[1]):
        words = list(run)
        advances = [fonts.width(shown + " ", fonts.REGULAR, size) for *_, shown in words]
        first, last = words[0][0], words[-1][0]
        natural = sum(advances[:-1]) + fonts.width(words[-1][3], fonts.REGULAR, size)
        if natural <= 0:
            continue
        span = (last.left + last.width - first.left) * sx
        stretch = round(min(max(span / natural, 0.2), 5.0), 2)
        code.append(f"{font.getSubsetInternalName(subset, doc)} {fp_str(size)} Tf")
        left = round(origin[0] + first.left * sx, 1)
        code.append(f"{fp_str(stretch)} 0 0 1 {fp_str(left)} {fp_str(origin[1])} Tm")
        parts: list[str] = []
        pen = 0.0  # points from the run's start, where the next glyph would go
        for index, (word, _subset, data, _shown) in enumerate(words):
            wanted = (word.left - first.left) * sx
            if index:
                adjust = round((pen - wanted) * 1000 / (size * stretch))
                if adjust:
                    parts.append(str(adjust))
                pen = wanted
            parts.append(f"({canvas._escape(data)})")
            pen += advances[index] * stretch
        code.append(f"[{' '.join(parts)}] TJ")
        laid += len(words)
    return laid


def _lines(words: tuple[OcrWord, ...]) -> list[list[OcrWord]]:
    """The words grouped by the line the reader put them on, in reading order."""
    lines: dict[int, list[OcrWord]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    return [lines[key] for key in sorted(lines)]


def _drawable(word: str) -> str:
    """The word's characters the embedded font has; an emoji read as text is dropped
    rather than laid as a □ that would be copied with the line."""
    shown, replaced = fonts.drawable(word, fonts.REGULAR)
    if replaced:
        shown = shown.replace(fonts.MISSING, "")
    # A character above U+FFFF (😂) copies as itself: fonts.py mends reportlab's
    # ToUnicode entries for them (#19).
    covered = fonts.covered(fonts.REGULAR)
    return "".join(c for c in shown if ord(c) in covered).strip()


@dataclass(frozen=True)
class ScannedLayer:
    """The words read in an imported PDF page, and where that page lands on its binder
    page: *matrix* maps the page as shown upright (*width* × *height* points, origin at
    its bottom left) to the binder page, as the framing placed it."""

    reading: OcrPage
    matrix: Matrix
    width: float
    height: float


def scanned_layers(
    conn: Connection, original_id: int, document: ImportedPdf, indices: list[int], size: Size
) -> list[tuple[int, ScannedLayer]]:
    """(position among *indices*, layer) for each page of the imported PDF that was read
    (a scan: pages with text of their own were not, and need no layer)."""
    read = {page.page: page for page in pages_of(conn, original_id) if page.status == "ok"}
    layers: list[tuple[int, ScannedLayer]] = []
    for position, index in enumerate(indices):
        reading = read.get(index)
        if reading is None or index >= len(document.pages):
            continue
        page = document.pages[index]
        _left, _bottom, width, height = page.box
        if page.rotate in (90, 270):
            width, height = height, width
        matrix, _placed = placement((0.0, 0.0, width, height), 0, size)
        layers.append((position, ScannedLayer(reading, matrix, width, height)))
    return layers


def lay_scanned(canvas: Canvas, layer: ScannedLayer) -> int:
    """Lay a scanned page's words over it, on the binder page's overlay."""
    canvas.saveState()
    canvas.transform(*layer.matrix)
    laid = lay_words(canvas, layer.reading, 0.0, 0.0, layer.width, layer.height)
    canvas.restoreState()
    return laid
