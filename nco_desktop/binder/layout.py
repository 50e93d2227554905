"""A small page-layout engine on a reportlab canvas: margins, wrapped text, tables.

We draw with the canvas directly (not platypus) because the binder needs to know exactly
where each index row lands, to put a link on it, and page breaks must be predictable so
that front matter can be laid out twice with the same page count.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reportlab.lib.colors import Color, toColor
from reportlab.lib.units import inch
from reportlab.pdfgen.canvas import Canvas

from nco_desktop.binder import fonts
from nco_desktop.binder.redaction import NO_REDACTION, Redactor

if TYPE_CHECKING:
    from nco_desktop.binder.sandbox_worker import BinderSandbox

BODY = 12.0  # courts ask for 12 pt or larger: every line a reader reads (#19)
#: The only text drawn smaller, and never below 10 pt: the page footer (number, Bates,
#: exhibit stamp) and SHA-256 fingerprints, 64 characters that must stay on one line.
FOOTER = 10.0
HASH = 10.0
#: Notes, captions and headers were once drawn at 10–11 pt; kept, as 12 pt, for
#: service_pages.py until it drops its ``size=SMALL``.
SMALL = BODY
LEADING = 1.3
# Clear of three-hole punches on the left; room for the footer and the clerk's stamp.
MARGIN_LEFT = 1.25 * inch
MARGIN_RIGHT = 0.9 * inch
MARGIN_TOP = 1.0 * inch
MARGIN_BOTTOM = 1.0 * inch
GREY = (0.35, 0.35, 0.35)


def greyed(colour: object) -> Color:
    """*colour* as the grey of the same lightness: a canvas's ``enforceColorSpace`` for a
    court that takes no colour highlighting (see ``binder.courts``)."""
    value = toColor(colour)
    grey = 0.299 * value.red + 0.587 * value.green + 0.114 * value.blue
    return Color(grey, grey, grey, alpha=value.alpha)


_RIGHT_TO_LEFT = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")


def _visual(line: str) -> str:
    """A wrapped line in the order it is seen: Arabic joined, right-to-left runs turned.

    reportlab draws characters left to right as given; without this, "مرحبا" would print
    as separate letters backwards. Lines are wrapped first, in reading order.
    """
    if not _RIGHT_TO_LEFT.search(line):
        return line
    import arabic_reshaper
    from bidi import get_display

    return str(get_display(arabic_reshaper.reshape(line)))


#: Where a long token (a file name, a path, a URL) may break: after one of these, so
#: "IMG_20240312_221530.jpg" breaks as "IMG_20240312_" / "221530.jpg", not mid-number.
_SEPARATORS = frozenset(" _-./\\,;:+=&?#@–—·")
#: A break at a separator is taken only if the line keeps at least this share of the
#: width; otherwise a short head would waste a line and the token is cut where it fills.
_SHORTEST_HEAD = 0.3


def _hard_wrap(line: str, font: str, size: float, width: float) -> list[str]:
    """Break a line with no spaces (a file name, a hash, a URL, Chinese) wider than *width*:
    after its last separator that fits (#19: file names do not break mid-token), or at
    the last character that fits where there is none."""
    if fonts.width(line, font, size) <= width:
        return [line]
    pieces: list[str] = []
    current = ""
    used = 0.0
    for char in line:
        step = fonts.width(char, font, size)
        if current and used + step > width:
            cut = _separator_cut(current, font, size, width)
            pieces.append(current[:cut])
            current = current[cut:]
            used = fonts.width(current, font, size)
        current += char
        used += step
    return [*pieces, current]


def _separator_cut(current: str, font: str, size: float, width: float) -> int:
    """Where to end a full line: just after its last separator, unless that leaves the
    line too short; the whole line where it has no separator."""
    for at in range(len(current), 0, -1):
        if current[at - 1] in _SEPARATORS:
            if fonts.width(current[:at], font, size) >= _SHORTEST_HEAD * width:
                return at
            break
    return len(current)


def _word_wrap(paragraph: str, font: str, size: float, width: float) -> list[str]:
    """Greedy wrap at spaces, measured in the fonts each character is drawn with.

    Widths add up (the binder draws without kerning), so each word is measured once.
    """
    space = fonts.width(" ", font, size)
    lines: list[str] = []
    current: str | None = None
    used = 0.0
    for word in paragraph.split(" "):
        word_width = fonts.width(word, font, size)
        if current is None:
            current, used = word, word_width
        elif used + space + word_width > width:
            lines.append(current)
            current, used = word, word_width
        else:
            current += " " + word
            used += space + word_width
    return [*lines, current or ""]


@dataclass
class Page:
    """A cursor over the current page; ``new_page`` starts another."""

    canvas: Canvas
    size: tuple[float, float]
    y: float = 0.0
    pages: int = 1
    missing_glyphs: bool = False  # some character was drawn as □ (see fonts.drawable)
    redactor: Redactor = NO_REDACTION  # every drawn line passes through it
    service_copy: bool = False  # pictures lose their metadata (GPS) in this copy
    #: Where pictures are prepared: a sandboxed worker (None where no picture is drawn).
    pictures: BinderSandbox | None = None
    #: Pictures placed after layout, as their own compressed bytes: (page index, image).
    deferred: list = field(default_factory=list)

    def __post_init__(self) -> None:
        fonts.register()
        self.y = self.top

    @property
    def top(self) -> float:
        return self.size[1] - MARGIN_TOP

    @property
    def width(self) -> float:
        return self.size[0] - MARGIN_LEFT - MARGIN_RIGHT

    def new_page(self) -> None:
        self.canvas.showPage()
        self.pages += 1
        self.y = self.top

    def room(self, height: float) -> None:
        """Start a new page unless *height* still fits on this one."""
        if self.y - height < MARGIN_BOTTOM:
            self.new_page()

    def lines(
        self, text: str, width: float, font: str = fonts.REGULAR, size: float = BODY
    ) -> list[str]:
        text = unicodedata.normalize("NFC", text)
        safe, replaced = fonts.drawable(text, font)
        self.missing_glyphs |= replaced
        redacted, _ = fonts.drawable(self.redactor.apply(text), font)
        if len(redacted) != len(safe):  # an invisible mark inside a detail: wrap as shown
            safe = redacted
        # Wrapped as the court's copy is, then cut from the redacted text at the same
        # places: both copies break their lines alike, so pages and Bates numbers match.
        out: list[str] = []
        start = 0
        for paragraph in safe.split("\n"):
            at = 0
            for line in _word_wrap(paragraph, font, size, width):
                for piece in _hard_wrap(line, font, size, width):
                    found = paragraph.find(piece, at)
                    if found < 0:  # not expected: wrapping only drops spaces
                        found = at
                    at = found + len(piece)
                    out.append(_visual(redacted[start + found : start + at]))
            start += len(paragraph) + 1
        return out

    def text(
        self,
        text: str,
        *,
        font: str = fonts.REGULAR,
        size: float = BODY,
        x: float = 0.0,
        width: float | None = None,
        colour: tuple = (0, 0, 0),
        gap_after: float = 0.0,
    ) -> None:
        """Wrapped text at the cursor, breaking pages as needed."""
        width = self.width - x if width is None else width
        step = size * LEADING
        self.canvas.setFillColorRGB(*colour)
        for line in self.lines(text, width, font, size):
            self.room(step)
            self.canvas.setFillColorRGB(*colour)
            drawn = fonts.width(line, font, size)
            if drawn > width:  # █ is wider than most letters: squeezed, not re-wrapped
                self.canvas.saveState()
                self.canvas.translate(MARGIN_LEFT + x, 0)
                self.canvas.scale(width / drawn, 1)
                fonts.draw(self.canvas, 0, self.y - size, line, font, size)
                self.canvas.restoreState()
            else:
                fonts.draw(self.canvas, MARGIN_LEFT + x, self.y - size, line, font, size)
            self.y -= step
        self.canvas.setFillColorRGB(0, 0, 0)
        self.y -= gap_after

    def heading(self, text: str, size: float = 16.0) -> None:
        self.room(size * 3)
        self.text(text, font=fonts.BOLD, size=size, gap_after=size * 0.5)

    def rule(self) -> None:
        self.room(8)
        self.canvas.setStrokeColorRGB(*GREY)
        self.canvas.setLineWidth(0.5)
        self.canvas.line(MARGIN_LEFT, self.y - 3, MARGIN_LEFT + self.width, self.y - 3)
        self.y -= 8

    def fields(self, pairs: Sequence[tuple[str, str]], key_width: float = 1.7 * inch) -> None:
        """Label: value rows, values wrapped beside their labels."""
        for key, value in pairs:
            lines = self.lines(value or "—", self.width - key_width)
            self.room(BODY * LEADING * min(len(lines), 3))
            (key_line, *_) = self.lines(key, key_width, fonts.BOLD)
            fonts.draw(self.canvas, MARGIN_LEFT, self.y - BODY, key_line, fonts.BOLD, BODY)
            for line in lines:
                self.room(BODY * LEADING)
                fonts.draw(
                    self.canvas, MARGIN_LEFT + key_width, self.y - BODY, line, fonts.REGULAR, BODY
                )
                self.y -= BODY * LEADING
            self.y -= 2

    def table(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        *,
        size: float = BODY,
        fonts_by_column: Sequence[str] | None = None,
        shade: Sequence[bool] | None = None,
        right_aligned: Sequence[int] = (),
    ) -> list[tuple[int, tuple[float, float, float, float]]]:
        """Draw a table with a repeated header; return each row's (page, rectangle)."""
        step = size * LEADING
        scale = self.width / sum(widths)
        widths = [w * scale for w in widths]
        columns = fonts_by_column or [fonts.REGULAR] * len(widths)
        placed: list[tuple[int, tuple[float, float, float, float]]] = []

        # Titles wrap like cells: a long prefix ("Resp. Ex.") must not run into the next
        # column at 12 pt on A4.
        titles = [
            self.lines(title, w - 6, fonts.BOLD, size)
            for title, w in zip(header, widths, strict=True)
        ]
        header_height = max(len(lines) for lines in titles) * step

        def draw_header() -> None:
            self.room(header_height + step)
            x = MARGIN_LEFT
            for column, (lines, w) in enumerate(zip(titles, widths, strict=True)):
                for n, line in enumerate(lines):
                    y = self.y - size - n * step
                    if column in right_aligned:
                        fonts.draw(self.canvas, x + w - 6, y, line, fonts.BOLD, size, align="right")
                    else:
                        fonts.draw(self.canvas, x, y, line, fonts.BOLD, size)
                x += w
            self.y -= header_height
            self.canvas.setLineWidth(0.75)
            self.canvas.line(MARGIN_LEFT, self.y, MARGIN_LEFT + self.width, self.y)
            self.y -= 3

        draw_header()
        for index, row in enumerate(rows):
            cells = [
                self.lines(str(v), w - 6, columns[i], size)
                for i, (v, w) in enumerate(zip(row, widths, strict=True))
            ]
            height = max(len(c) for c in cells) * step + 3
            if self.y - height < MARGIN_BOTTOM:
                self.new_page()
                draw_header()
            top = self.y
            if shade and shade[index]:
                self.canvas.setFillColorRGB(0.93, 0.93, 0.93)
                self.canvas.rect(MARGIN_LEFT, top - height, self.width, height, stroke=0, fill=1)
                self.canvas.setFillColorRGB(0, 0, 0)
            x = MARGIN_LEFT
            for column, (lines, w) in enumerate(zip(cells, widths, strict=True)):
                for n, line in enumerate(lines):
                    y = top - size - n * step
                    if column in right_aligned:
                        fonts.draw(
                            self.canvas, x + w - 6, y, line, columns[column], size, align="right"
                        )
                    else:
                        fonts.draw(self.canvas, x, y, line, columns[column], size)
                x += w
            self.y -= height
            placed.append((self.pages - 1, (MARGIN_LEFT, self.y, MARGIN_LEFT + self.width, top)))
        self.y -= 6
        return placed
