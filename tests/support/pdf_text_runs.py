"""Every piece of text a PDF page shows, read back from its content streams: what it says,
its font, whether that font is embedded, its size as printed and where it stands.

The printed size is the Tf size times the scale of the text matrix and of every ``cm``
in force (a form's /Matrix included): the vertical size, so a line squeezed sideways to
fit still counts at its height. Text inside a form XObject is marked ``in_form``: in a
binder that is an imported PDF's own page (our drawing makes no forms), which keeps its
own fonts and sizes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
_ENTRY = re.compile(rb"<([0-9A-Fa-f]{2,4})>\s*<([0-9A-Fa-f]+)>")


@dataclass(frozen=True)
class TextRun:
    page: int  # 0-based
    text: str  # through the font's ToUnicode map ("" for a font without one)
    size: float  # as printed, in points
    font: str  # BaseFont, e.g. "AAAAAA+DejaVuSans"
    embedded: bool
    x: float  # start of the baseline, in the page's default user space
    y: float
    width: float  # advance along the baseline, in points
    upright: bool  # the baseline runs left to right, not turned
    in_form: bool  # drawn inside a form XObject (an imported PDF's page)
    invisible: bool  # text render mode 3 (the words read in a picture)


def multiply(a: Matrix, b: Matrix) -> Matrix:
    """*a* then *b*, in PDF's row-vector order."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def is_embedded(font: Any) -> bool:
    """Whether a font dictionary carries its font program (a Type 3 font is its own)."""
    font = font.get_object()
    if font.get("/Subtype") == "/Type3":
        return True
    if font.get("/Subtype") == "/Type0":
        font = font["/DescendantFonts"][0].get_object()
    descriptor = font.get("/FontDescriptor")
    if descriptor is None:
        return False
    return any(key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def _to_unicode(font: Any) -> dict[bytes, str]:
    """Code → text from the font's ToUnicode bfchar entries (reportlab writes only those)."""
    stream = font.get("/ToUnicode")
    if stream is None:
        return {}
    table: dict[bytes, str] = {}
    for code, text in _ENTRY.findall(stream.get_object().get_data()):
        table[bytes.fromhex(code.decode())] = bytes.fromhex(text.decode()).decode(
            "utf-16-be", errors="replace"
        )
    return table


def _raw(operand: Any) -> bytes:
    return bytes(getattr(operand, "original_bytes", operand))


class _Font:
    def __init__(self, reference: Any) -> None:
        font = reference.get_object()
        self.name = str(font.get("/BaseFont", ""))
        self.embedded = is_embedded(font)
        self.wide = font.get("/Subtype") == "/Type0"
        self.first = int(font.get("/FirstChar", 0))
        self.widths = [float(w) for w in font.get("/Widths", [])]
        self.unicode = _to_unicode(font)

    def codes(self, data: bytes) -> list[bytes]:
        step = 2 if self.wide else 1
        return [data[i : i + step] for i in range(0, len(data), step)]

    def advance(self, code: bytes) -> float:
        index = int.from_bytes(code, "big") - self.first
        return self.widths[index] if 0 <= index < len(self.widths) else 0.0


def text_runs(pdf: Any) -> list[TextRun]:
    """Every Tj, TJ, ' and " on every page of *pdf* (a path, a stream or a reader)."""
    reader = pdf if isinstance(pdf, PdfReader) else PdfReader(pdf)
    runs: list[TextRun] = []
    for number, page in enumerate(reader.pages):
        contents = page.get_contents()
        if contents is None:
            continue
        resources = page.get("/Resources")
        _Walker(reader, number, runs).walk(
            ContentStream(contents, reader),
            resources.get_object() if resources is not None else {},
            IDENTITY,
            in_form=False,
        )
    return runs


class _Walker:
    def __init__(self, reader: PdfReader, page: int, runs: list[TextRun]) -> None:
        self.reader, self.page, self.runs = reader, page, runs

    def walk(self, stream: ContentStream, resources: Any, ctm: Matrix, *, in_form: bool) -> None:
        fonts: Any = (resources.get("/Font") or DictionaryObject()).get_object()
        cache: dict[str, _Font] = {}
        saved: list[tuple[Matrix, _Font | None, float, float, float, int]] = []
        tm = tlm = IDENTITY
        font: _Font | None = None
        size = leading = 0.0
        scale = 1.0  # Tz / 100
        mode = 0

        def show(data: bytes, adjustments: tuple[float, ...] = ()) -> None:
            nonlocal tm
            if font is None:
                return
            codes = font.codes(data)
            advance = sum(font.advance(code) for code in codes)
            advance -= sum(adjustments)  # TJ's numbers move the next glyph back
            distance = advance / 1000 * size * scale  # in text space
            shown = multiply(tm, ctm)
            self.runs.append(
                TextRun(
                    page=self.page,
                    text="".join(font.unicode.get(code, "") for code in codes),
                    size=round(size * math.hypot(shown[2], shown[3]), 2),
                    font=font.name,
                    embedded=font.embedded,
                    x=shown[4],
                    y=shown[5],
                    width=distance * math.hypot(shown[0], shown[1]),
                    upright=abs(shown[1]) < 1e-6 and shown[0] > 0,
                    in_form=in_form,
                    invisible=mode == 3,
                )
            )
            tm = multiply((1, 0, 0, 1, distance, 0), tm)

        for operands, operator in stream.operations:
            op = operator.decode() if isinstance(operator, bytes) else operator
            if op == "q":  # the text state is part of the graphics state, Tr included
                saved.append((ctm, font, size, leading, scale, mode))
            elif op == "Q" and saved:
                ctm, font, size, leading, scale, mode = saved.pop()
            elif op == "cm":
                ctm = multiply(tuple(float(v) for v in operands), ctm)  # type: ignore[arg-type]
            elif op == "BT":
                tm = tlm = IDENTITY
            elif op == "Tf":
                name = str(operands[0])
                if name not in cache:
                    cache[name] = _Font(fonts[name])
                font, size = cache[name], float(operands[1])
            elif op == "TL":
                leading = float(operands[0])
            elif op == "Tz":
                scale = float(operands[0]) / 100
            elif op == "Tr":
                mode = int(operands[0])
            elif op == "Tm":
                tm = tlm = tuple(float(v) for v in operands)  # type: ignore[assignment]
            elif op in ("Td", "TD"):
                tx, ty = float(operands[0]), float(operands[1])
                if op == "TD":
                    leading = -ty
                tm = tlm = multiply((1, 0, 0, 1, tx, ty), tlm)
            elif op == "T*":
                tm = tlm = multiply((1, 0, 0, 1, 0, -leading), tlm)
            elif op == "Tj":
                show(_raw(operands[0]))
            elif op in ("'", '"'):
                tm = tlm = multiply((1, 0, 0, 1, 0, -leading), tlm)
                show(_raw(operands[-1]))
            elif op == "TJ":
                parts = list(operands[0])
                numbers = tuple(float(p) for p in parts if isinstance(p, int | float))
                show(b"".join(_raw(p) for p in parts if not isinstance(p, int | float)), numbers)
            elif op == "Do":
                xobjects: Any = (resources.get("/XObject") or DictionaryObject()).get_object()
                xobject = xobjects[operands[0]].get_object()
                if xobject.get("/Subtype") == "/Form":
                    matrix = tuple(float(v) for v in xobject.get("/Matrix", IDENTITY))
                    inner = xobject.get("/Resources")
                    self.walk(
                        ContentStream(xobject, self.reader),
                        inner.get_object() if inner is not None else resources,
                        multiply(matrix, ctm),  # type: ignore[arg-type]
                        in_form=True,
                    )


def page_fonts(pdf: Any) -> list[tuple[int, str, bool, bool]]:
    """(page, BaseFont, embedded, in a form) for every font resource of every page and of
    every form XObject it draws, nested forms included."""
    reader = pdf if isinstance(pdf, PdfReader) else PdfReader(pdf)
    found: list[tuple[int, str, bool, bool]] = []
    for number, page in enumerate(reader.pages):
        pending = [(page.get("/Resources"), False)]
        seen: set[int] = set()
        while pending:
            resources, in_form = pending.pop()
            if resources is None:
                continue
            resources = resources.get_object()
            fonts: Any = (resources.get("/Font") or DictionaryObject()).get_object()
            for font in fonts.values():
                name = str(font.get_object().get("/BaseFont", ""))
                found.append((number, name, is_embedded(font), in_form))
            xobjects: Any = (resources.get("/XObject") or DictionaryObject()).get_object()
            for reference in xobjects.values():
                xobject = reference.get_object()
                key = getattr(reference, "idnum", id(xobject))
                if key in seen or xobject.get("/Subtype") != "/Form":
                    continue
                seen.add(key)
                pending.append((xobject.get("/Resources"), True))
    return found
