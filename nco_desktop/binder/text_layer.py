"""The words read in a picture, laid invisibly over it in the binder (text render mode 3).

The court's PDF then finds "I know where you live" inside a screenshot, and the clerk can
select and copy a line, while the page looks exactly as before and the picture's bytes
stay the original's. The words come from the vault's OCR readings
(:mod:`nco_desktop.ocr.store`), in the upright picture's pixels; each is placed at its box,
sized to the box's height and stretched (``Tz``) to its width, so a selection covers the
word a reader sees.

Not in the copy for the other side: a word under an area the user blacked out, or a
private detail read in a picture, would still be there to copy. Redacting the read text
belongs with the service copy's own redaction.
"""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas

from nco_desktop.binder import fonts
from nco_desktop.ocr.store import OcrPage

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
    for word in reading.words:
        shown = _drawable(word.text)
        if not shown:
            continue
        size = max(1.0, word.height * sy * _SIZE_OF_BOX)
        natural = fonts.width(shown, fonts.REGULAR, size)
        if natural <= 0:
            continue
        text.setFont(fonts.REGULAR, size)
        text.setHorizScale(100.0 * word.width * sx / natural)
        bottom = y + height - (word.top + word.height) * sy
        text.setTextOrigin(x + word.left * sx, bottom + word.height * sy * _BASELINE_IN_BOX)
        text.textOut(shown + " ")
        laid += 1
    if laid:
        # In its own graphics state: Tr outlives the text object, and a caption drawn
        # after it in mode 3 would be invisible too (seen, and tested).
        canvas.saveState()
        canvas.drawText(text)
        canvas.restoreState()
    return laid


def _drawable(word: str) -> str:
    """The word's characters the embedded font has; an emoji read as text is dropped
    rather than laid as a □ that would be copied with the line."""
    shown, replaced = fonts.drawable(word, fonts.REGULAR)
    if replaced:
        shown = shown.replace(fonts.MISSING, "")
    return "".join(c for c in shown if ord(c) in fonts.covered(fonts.REGULAR)).strip()
