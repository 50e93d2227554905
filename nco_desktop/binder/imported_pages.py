"""An imported PDF's pages, rebuilt from the sandbox's plain data, framed on binder paper.

The PDF itself is read only in a sandboxed worker (:mod:`nco_desktop.binder.pdf_described`);
this module, in the process that holds the key, gets back a JSON graph of PDF values and
the streams' bytes, checks every value as it turns it into a pypdf object, and never
parses PDF syntax, a content stream or compressed data: page content and images go into
the binder as the bytes they are, and the PDF viewer of whoever reads the binder draws
them.

Each imported page becomes a form XObject drawn on a page of the binder's own paper,
scaled (never enlarged) into the area that leaves the stamp band and the hole-punch
margin clear, turned upright by its rotation, and a landscape page turned to read with
the binder turned clockwise (its top at the bound edge). A thin grey frame shows where
the document's page ends. Only what the described pages reach is written. This is the
court's copy; the other side's gets checked pixels (:mod:`.service_pages`).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    PdfObject,
    StreamObject,
)
from reportlab.lib.units import inch

from nco_desktop.binder.pdf_described import DROPPED_KEYS, MAX_OBJECTS
from nco_desktop.progress import CancelToken

Matrix = tuple[float, float, float, float, float, float]

#: The area an imported page is scaled into: clear of the 0.75 in punch margin on the
#: bound (left) edge, of the page number, Bates number and exhibit stamp at the foot,
#: and of a stamp placed in a top corner.
FRAME_LEFT, FRAME_RIGHT = 0.85 * inch, 0.45 * inch
FRAME_TOP, FRAME_BOTTOM = 0.6 * inch, 0.85 * inch
#: Nesting of values, counting each reference followed; a real PDF stays far below.
MAX_DEPTH = 150
MAX_VALUES = 5_000_000
MAX_NAME = 127
MAX_PAGE_SIDE = 200 * 72
#: Pictures and forms looked at on one page, and bytes written for one imported PDF
#: (its streams and pages' drawings, counted each time they are written).
MAX_WALK = 100_000


class Budget:
    """What one imported PDF may cost the build, in bytes written: a description can
    name one large stream from many pages, or one picture from many runs of kept
    pages, and each would be written again."""

    def __init__(self, limit: int) -> None:
        self.left = limit

    def spend(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise NotDescribed("the PDF would be too large in the binder")


class NotDescribed(ValueError):
    """The worker's answer is not a valid description of a PDF: nothing of it is used."""


@dataclass(frozen=True)
class ImportedPage:
    box: tuple[float, float, float, float]  # visible box: left, bottom, width, height
    rotate: int  # clockwise, as the document asks to be shown
    content: int  # index of its (decoded, flattened) content among the streams
    resources: Any
    group: Any


@dataclass(frozen=True)
class ImportedPdf:
    pages: list[ImportedPage]
    objects: list[Any]
    streams: list[bytes]

    @classmethod
    def read(cls, payloads: list[bytes]) -> ImportedPdf:
        """Check the worker's answer (graph, then streams) before any of it is used."""
        if not payloads:
            raise NotDescribed("no description")
        try:
            graph = json.loads(payloads[0])
        except (ValueError, RecursionError, UnicodeDecodeError):
            raise NotDescribed("the description is not valid JSON") from None
        if not isinstance(graph, dict) or set(graph) != {"pages", "objects"}:
            raise NotDescribed("the description lacks its pages or objects")
        objects, raw_pages = graph["objects"], graph["pages"]
        if not isinstance(objects, list) or len(objects) > MAX_OBJECTS:
            raise NotDescribed("the objects are not a list of the allowed size")
        if not isinstance(raw_pages, list) or not 0 < len(raw_pages) <= 100_000:
            raise NotDescribed("the pages are not a list of the allowed size")
        streams = payloads[1:]
        pages = [_page(raw, len(streams)) for raw in raw_pages]
        if len({page.content for page in pages}) != len(pages):
            raise NotDescribed("two pages claim the same drawing")
        return cls(pages, objects, streams)

    def filters(self, header: Any) -> list[str]:
        """The compression names of a described stream dictionary."""
        raw = self._resolve(_entry(header, "/Filter"))
        items = [self._resolve(item) for item in raw] if isinstance(raw, list) else [raw]
        return [i["n"] for i in items if isinstance(i, dict) and isinstance(i.get("n"), str)]

    def _resolve(self, value: Any) -> Any:
        for _ in range(8):
            if isinstance(value, dict) and set(value) == {"r"} and isinstance(value["r"], int):
                value = self.objects[value["r"]] if 0 <= value["r"] < len(self.objects) else None
        return value


def framed_pdf(
    document: ImportedPdf,
    indices: list[int],
    size: tuple[float, float],
    *,
    budget: Budget,
    cancel: CancelToken | None = None,
) -> bytes:
    """A PDF of binder pages, one per imported page in *indices*, each framed (see the
    module's docstring); raises NotDescribed for a value that is not valid or a PDF that
    would cost more than *budget*."""
    writer = PdfWriter()
    builder = _Builder(document, writer, budget=budget)
    for index in indices:
        if cancel is not None:
            cancel.raise_if_cancelled()
        page = document.pages[index]
        budget.spend(len(document.streams[page.content]))
        plain = DecodedStreamObject()
        plain.set_data(document.streams[page.content])
        form = plain.flate_encode()
        resources = builder.value(page.resources)
        left, bottom, width, height = page.box
        form.update(
            {
                NameObject("/Type"): NameObject("/XObject"),
                NameObject("/Subtype"): NameObject("/Form"),
                NameObject("/BBox"): ArrayObject(
                    FloatObject(v) for v in (left, bottom, left + width, bottom + height)
                ),
                NameObject("/Resources"): (
                    resources if isinstance(resources, DictionaryObject) else DictionaryObject()
                ),
            }
        )
        if page.group is not None:
            group = builder.value(page.group)
            if isinstance(group, DictionaryObject | IndirectObject):
                form[NameObject("/Group")] = group
        matrix, (x, y, w, h) = placement(page.box, page.rotate, size)
        target = writer.add_blank_page(*size)
        target[NameObject("/Resources")] = DictionaryObject(
            {
                NameObject("/XObject"): DictionaryObject(
                    {NameObject("/NcoPage"): writer._add_object(form)}
                )
            }
        )
        numbers = " ".join(f"{v:.5f}" for v in matrix)
        drawing = DecodedStreamObject()
        drawing.set_data(
            f"q {numbers} cm /NcoPage Do Q\n"
            f"q 0.6 G 0.5 w {x:.3f} {y:.3f} {w:.3f} {h:.3f} re S Q\n".encode()
        )
        target[NameObject("/Contents")] = writer._add_object(drawing)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def placement(
    box: tuple[float, float, float, float], rotate: int, size: tuple[float, float]
) -> tuple[Matrix, tuple[float, float, float, float]]:
    """The matrix that draws a page's visible *box* upright inside the frame area of a
    binder page of *size*, and where it lands (x, y, width, height)."""
    left, bottom, width, height = box
    matrix: Matrix = (1.0, 0.0, 0.0, 1.0, -left, -bottom)
    w, h = width, height
    if rotate == 90:  # shown turned clockwise
        matrix, (w, h) = _then(matrix, (0, -1, 1, 0, 0, w)), (h, w)
    elif rotate == 180:
        matrix = _then(matrix, (-1, 0, 0, -1, w, h))
    elif rotate == 270:
        matrix, (w, h) = _then(matrix, (0, 1, -1, 0, h, 0)), (h, w)
    if w > h and size[0] < size[1]:  # landscape in a portrait binder: top to the left
        matrix, (w, h) = _then(matrix, (0, 1, -1, 0, h, 0)), (h, w)
    area_w = size[0] - FRAME_LEFT - FRAME_RIGHT
    area_h = size[1] - FRAME_TOP - FRAME_BOTTOM
    scale = min(area_w / w, area_h / h, 1.0)
    x = FRAME_LEFT + (area_w - w * scale) / 2
    y = FRAME_BOTTOM + (area_h - h * scale) / 2
    return _then(matrix, (scale, 0, 0, scale, x, y)), (x, y, w * scale, h * scale)


def _then(first: Matrix, second: tuple[float, ...]) -> Matrix:
    """*first*, then *second* (PDF's row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = first
    a2, b2, c2, d2, e2, f2 = second
    return (
        a1 * a2 + b1 * c2,
        a1 * b2 + b1 * d2,
        c1 * a2 + d1 * c2,
        c1 * b2 + d1 * d2,
        e1 * a2 + f1 * c2 + e2,
        e1 * b2 + f1 * d2 + f2,
    )


class _Builder:
    """Turns checked plain values into pypdf objects in *writer*, each object once."""

    def __init__(self, document: ImportedPdf, writer: PdfWriter, *, budget: Budget) -> None:
        self._document = document
        self._writer = writer
        self._budget = budget
        self._made: dict[int, IndirectObject] = {}
        self._count = 0

    def value(self, raw: Any, depth: int = 0) -> PdfObject:
        self._count += 1
        if depth > MAX_DEPTH or self._count > MAX_VALUES:
            raise NotDescribed("the description nests too deeply or is too large")
        if raw is None:
            return NullObject()
        if isinstance(raw, bool):
            return BooleanObject(raw)
        if isinstance(raw, int):
            if abs(raw) > 2**53:
                raise NotDescribed("a number out of range")
            return NumberObject(raw)
        if isinstance(raw, float):
            if not math.isfinite(raw):
                raise NotDescribed("a number out of range")
            return FloatObject(raw)
        if isinstance(raw, list):
            return ArrayObject(self.value(item, depth + 1) for item in raw)
        if isinstance(raw, dict) and len(raw) == 1:
            ((kind, content),) = raw.items()
            if kind == "n":
                return _name(content)
            if kind == "s" and isinstance(content, str):
                try:
                    return ByteStringObject(bytes.fromhex(content))
                except ValueError:
                    raise NotDescribed("a string that is not hex") from None
            if kind == "d":
                return self._dictionary(content, depth)
            if kind == "r" and isinstance(content, int) and not isinstance(content, bool):
                return self._reference(content, depth)
        raise NotDescribed("a value of an unknown kind")

    def _dictionary(self, pairs: Any, depth: int) -> DictionaryObject:
        if not isinstance(pairs, list):
            raise NotDescribed("a dictionary that is not a list of pairs")
        made = DictionaryObject()
        keys: set[str] = set()
        for pair in pairs:
            if not (isinstance(pair, list) and len(pair) == 2):
                raise NotDescribed("a dictionary entry that is not a pair")
            key = _name(pair[0])
            if key in keys:  # the checks read one, the PDF would keep the other
                raise NotDescribed("a dictionary names a key twice")
            keys.add(key)
            if key not in DROPPED_KEYS:
                made[key] = self.value(pair[1], depth + 1)
        return made

    def _reference(self, number: int, depth: int) -> IndirectObject:
        if number in self._made:
            return self._made[number]
        objects = self._document.objects
        if not 0 <= number < len(objects):
            raise NotDescribed("a reference to no object")
        reference = self._writer._add_object(NullObject())  # its number, taken now
        self._made[number] = reference
        stored = objects[number]
        made: PdfObject
        if isinstance(stored, dict) and set(stored) == {"t", "p"}:
            made = self._stream(stored, depth)
        else:
            made = self.value(stored, depth + 1)
            if isinstance(made, IndirectObject):  # an object that is only a reference
                made = NullObject()
        self._writer._objects[reference.idnum - 1] = made
        made.indirect_reference = reference
        return reference

    def _stream(self, stored: dict[str, Any], depth: int) -> StreamObject:
        header = self.value(stored["t"], depth + 1)
        index = stored["p"]
        streams = self._document.streams
        if not isinstance(header, DictionaryObject) or not (
            isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(streams)
        ):
            raise NotDescribed("a stream without its dictionary or bytes")
        names = self._document.filters(stored["t"])
        data = streams[index]
        self._budget.spend(len(data))
        stream = EncodedStreamObject() if names else DecodedStreamObject()
        stream._data = data
        stream.update(header)
        return stream


def _page(raw: Any, streams: int) -> ImportedPage:
    keys = {"box", "rotate", "content", "resources", "group"}
    if not isinstance(raw, dict) or set(raw) != keys:
        raise NotDescribed("a page without exactly its fields")
    box = raw["box"]
    if not (
        isinstance(box, list)
        and len(box) == 4
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in box)
        and all(-1e6 <= v <= 1e6 for v in box)  # before isfinite: a huge int overflows it
        and 1 <= box[2] <= MAX_PAGE_SIDE
        and 1 <= box[3] <= MAX_PAGE_SIDE
    ):
        raise NotDescribed("a page box out of range")
    content = raw["content"]
    if raw["rotate"] not in (0, 90, 180, 270) or isinstance(raw["rotate"], bool):
        raise NotDescribed("a rotation out of range")
    if not (isinstance(content, int) and not isinstance(content, bool) and 0 <= content < streams):
        raise NotDescribed("a page without its content")
    left, bottom, width, height = (float(v) for v in box)
    return ImportedPage(
        (left, bottom, width, height),
        raw["rotate"],
        content,
        raw["resources"],
        raw["group"],
    )


def _name(raw: Any) -> NameObject:
    if not (
        isinstance(raw, str)
        and raw.startswith("/")
        and 1 < len(raw) <= MAX_NAME
        and "\x00" not in raw
    ):
        raise NotDescribed("a name that is not a PDF name")
    try:
        raw.encode("utf-8")  # a lone surrogate would fail only when the PDF is written
    except UnicodeEncodeError:
        raise NotDescribed("a name that is not a PDF name") from None
    return NameObject(raw)


def _entry(dictionary: Any, key: str) -> Any:
    """Entry *key* of a described dictionary, or None."""
    if isinstance(dictionary, dict) and isinstance(dictionary.get("d"), list):
        for pair in dictionary["d"]:
            if isinstance(pair, list) and len(pair) == 2 and pair[0] == key:
                return pair[1]
    return None
