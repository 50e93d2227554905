"""An imported PDF turned into plain data inside the sandbox, for the binder to rebuild.

Runs in a sandboxed worker (:mod:`nco_desktop.sandbox.render`), never in the process
that holds the vault key: a PDF chosen as an exhibit may have been written by the other
side, and a PDF parser is a large attack surface. pypdf reads the file here, and what
goes back is not PDF syntax but a graph of PDF *values* in JSON — names, numbers,
strings as hex, arrays, dictionaries, references by number — plus each stream's bytes
as a payload of their own (still in the file's own compression, which the binder never
decodes). The binder rebuilds the page from those values
(:mod:`nco_desktop.binder.imported_pages`) without parsing anything.

For each page the worker also

- flattens its content streams into one (decoded here, so the binder gets plain bytes
  it passes on without reading);
- applies what the page inherits (boxes, rotation, resources) and reports the visible
  box and rotation as numbers, so the binder can frame the page on its own paper;
- draws each annotation's appearance (a filled-in form field, a stamp, a highlight)
  into the page, as printing does, since annotations cannot come along once the page
  is framed.

This is the court's copy's way in. The copy for the other side takes none of it: its
pages are drawn as pixels and checked (:mod:`nco_desktop.binder.service_pages`).

Only the page itself is described: its parent page tree, other pages a link points to,
thumbnails, XMP metadata and application data (``/PieceInfo``) are left out.
"""

from __future__ import annotations

import json
import math
from io import BytesIO
from typing import Any

from pypdf import PageObject, PdfReader
from pypdf.generic import (
    ArrayObject,
    BooleanObject,
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    IndirectObject,
    NameObject,
    NullObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

#: Dictionary keys never described: the page tree, metadata and application data, and
#: stream lengths (recomputed when the binder writes the stream).
DROPPED_KEYS = frozenset(
    {
        "/Parent",
        "/Metadata",
        "/PieceInfo",
        "/Thumb",
        "/LastModified",
        "/StructParents",
        "/StructParent",
        "/Length",
        "/Annots",
    }
)
#: Nesting of direct objects (arrays in dictionaries in arrays …); deeper is refused.
MAX_DEPTH = 48
#: Indirect objects in one PDF's description; a file with more is refused as too large.
MAX_OBJECTS = 500_000
#: Streams travel as payloads, and a frame holds at most this many.
MAX_STREAMS = 90_000
#: Annotation flags that keep an annotation off the printed page.
HIDDEN_FLAGS = 2 | 32  # Hidden, NoView


class DescribeError(ValueError):
    """The PDF cannot be described within the limits (too deep, too many objects)."""


def describe(data: bytes) -> tuple[bytes, list[bytes]]:
    """The PDF *data* as (JSON graph, stream payloads); see the module's docstring.

    The graph is ``{"pages": [...], "objects": [...]}``; a value is ``null``, a boolean,
    a number, ``{"n": "/Name"}``, ``{"s": "<hex>"}``, a list, ``{"d": [[key, value],
    …]}`` or ``{"r": index}`` into *objects*; an object is a value or a stream,
    ``{"t": <dictionary>, "p": <payload index>}``.
    """
    reader = PdfReader(BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise PermissionError("the PDF is protected by a password")
    encoder = _Encoder()
    pages = [encoder.page(page) for page in reader.pages]
    if not pages:
        raise DescribeError("the PDF has no pages")
    encoder.finish()
    graph = {"pages": pages, "objects": encoder.objects}
    return json.dumps(graph, separators=(",", ":"), allow_nan=False).encode(), encoder.payloads


class _Encoder:
    """Turns pypdf objects into plain values, numbering each indirect object once."""

    def __init__(self) -> None:
        self.objects: list[Any] = []
        self.payloads: list[bytes] = []
        self._numbers: dict[tuple[int, int], int] = {}
        self._pending: list[tuple[int, Any]] = []

    def page(self, page: PageObject) -> dict[str, Any]:
        left, bottom, width, height = _visible_box(page)
        content = b"q\n" + _content(page) + b"\nQ\n"
        resources = page.get("/Resources")
        described = self._resources(resources.get_object() if resources is not None else None)
        content += self._annotations(page, described)
        self.payloads.append(content)
        content_index = len(self.payloads) - 1
        group = page.get("/Group")
        self.finish()  # keep the pending list short: objects are described page by page
        return {
            "box": [left, bottom, width, height],
            "rotate": _rotation(page),
            "content": content_index,
            "resources": described,
            "group": self.value(group) if group is not None else None,
        }

    def finish(self) -> None:
        while self._pending:
            number, target = self._pending.pop()
            if isinstance(target, StreamObject):
                self.objects[number] = {"t": self._dictionary(target, 0), "p": self._stream(target)}
            else:
                self.objects[number] = self.value(target)

    def value(self, item: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH:
            raise DescribeError("the PDF nests its objects too deeply")
        if isinstance(item, IndirectObject):
            target = item.get_object()
            if _is_page(target):
                return None  # a link to a page (this or another): not part of the page
            return {"r": self._number((item.idnum, item.generation), target)}
        if item is None or isinstance(item, NullObject):
            return None
        if isinstance(item, BooleanObject | bool):
            return bool(item)
        if isinstance(item, NumberObject):
            return int(item)
        if isinstance(item, FloatObject | float):
            number = float(item)
            return number if math.isfinite(number) else 0
        if isinstance(item, NameObject):
            return {"n": str(item)}
        if isinstance(item, TextStringObject):
            return {"s": item.original_bytes.hex()}
        if isinstance(item, ByteStringObject | bytes):
            return {"s": bytes(item).hex()}
        if isinstance(item, StreamObject):  # a stream held directly: give it a number
            return {"r": self._number(("direct", id(item)), item)}
        if isinstance(item, DictionaryObject):
            return {"d": self._dictionary(item, depth)["d"]}
        if isinstance(item, ArrayObject | list):
            return [self.value(x, depth + 1) for x in item]
        if isinstance(item, str):
            return {"s": item.encode("utf-8").hex()}
        return None  # anything else pypdf made up is not carried over

    def _dictionary(self, item: DictionaryObject, depth: int) -> dict[str, Any]:
        pairs = [
            [str(key), self.value(raw, depth + 1)]
            for key, raw in dict.items(item)
            if str(key) not in DROPPED_KEYS
        ]
        return {"d": pairs}

    def _number(self, key: tuple[Any, int], target: Any) -> int:
        number = self._numbers.get(key)
        if number is None:
            if len(self.objects) >= MAX_OBJECTS:
                raise DescribeError("the PDF has too many objects")
            number = self._numbers[key] = len(self.objects)
            self.objects.append(None)
            self._pending.append((number, target))
        return number

    def _stream(self, stream: StreamObject) -> int:
        if len(self.payloads) >= MAX_STREAMS:
            raise DescribeError("the PDF has too many streams")
        self.payloads.append(bytes(stream._data))
        return len(self.payloads) - 1

    def _resources(self, resources: Any) -> dict[str, Any]:
        """The page's resources as a dictionary of its own (annotations add to it)."""
        if not isinstance(resources, DictionaryObject):
            return {"d": []}
        described = self._dictionary(resources, 0)
        for pair in described["d"]:
            if pair[0] == "/XObject" and isinstance(pair[1], dict) and "r" in pair[1]:
                xobjects = resources["/XObject"].get_object()
                if isinstance(xobjects, DictionaryObject):
                    pair[1] = {"d": self._dictionary(xobjects, 1)["d"]}
        return described

    def _annotations(self, page: PageObject, resources: dict[str, Any]) -> bytes:
        """Draw each annotation's normal appearance where it sits, as a printer would."""
        annotations = page.get("/Annots")
        annotations = annotations.get_object() if annotations is not None else None
        if not isinstance(annotations, ArrayObject):
            return b""
        drawn: list[bytes] = []
        xobjects: list[Any] | None = None
        for reference in annotations[:2000]:
            placed = _appearance(reference)
            if placed is None:
                continue
            appearance, matrix = placed
            if xobjects is None:
                xobjects = _xobject_pairs(resources)
            name = f"/NcoAnnot{len(drawn)}"
            xobjects.append([name, self.value(appearance)])
            numbers = " ".join(f"{v:.6f}" for v in matrix)
            drawn.append(f"q {numbers} cm {name} Do Q\n".encode())
        return b"".join(drawn)


def _xobject_pairs(resources: dict[str, Any]) -> list[Any]:
    for key, value in resources["d"]:
        if key == "/XObject" and isinstance(value, dict) and "d" in value:
            pairs: list[Any] = value["d"]
            return pairs
    pairs = []
    resources["d"] = [p for p in resources["d"] if p[0] != "/XObject"]
    resources["d"].append(["/XObject", {"d": pairs}])
    return pairs


def _appearance(reference: Any) -> tuple[IndirectObject, list[float]] | None:
    """An annotation's printed appearance and the matrix that puts it on its /Rect."""
    annotation = reference.get_object() if isinstance(reference, IndirectObject) else reference
    if not isinstance(annotation, DictionaryObject):
        return None
    if annotation.get("/Subtype") in ("/Popup", "/Link"):
        return None
    flags = annotation.get("/F", 0)
    if isinstance(flags, int) and flags & HIDDEN_FLAGS:
        return None
    states = annotation.get("/AP")
    states = states.get_object() if states is not None else None
    normal = states.get("/N") if isinstance(states, DictionaryObject) else None
    chosen = normal.get_object() if normal is not None else None
    if isinstance(chosen, DictionaryObject) and not isinstance(chosen, StreamObject):
        state = annotation.get("/AS")  # a check box: one appearance per state
        normal = dict.get(chosen, state) if state is not None else None
    if not isinstance(normal, IndirectObject):
        return None
    stream = normal.get_object()
    if not isinstance(stream, StreamObject):
        return None
    rect = _numbers(annotation.get("/Rect"), 4)
    bbox = _numbers(stream.get("/BBox"), 4)
    form_matrix = _numbers(stream.get("/Matrix"), 6) or [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    if rect is None or bbox is None:
        return None
    corners = [_apply(form_matrix, x, y) for x in (bbox[0], bbox[2]) for y in (bbox[1], bbox[3])]
    x0, x1 = min(c[0] for c in corners), max(c[0] for c in corners)
    y0, y1 = min(c[1] for c in corners), max(c[1] for c in corners)
    if x1 - x0 <= 0 or y1 - y0 <= 0:
        return None
    left, right = sorted((rect[0], rect[2]))
    bottom, top = sorted((rect[1], rect[3]))
    scale_x, scale_y = (right - left) / (x1 - x0), (top - bottom) / (y1 - y0)
    return normal, [scale_x, 0.0, 0.0, scale_y, left - scale_x * x0, bottom - scale_y * y0]


def _apply(matrix: list[float], x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _numbers(item: Any, count: int) -> list[float] | None:
    item = item.get_object() if isinstance(item, IndirectObject) else item
    if not isinstance(item, ArrayObject | list) or len(item) != count:
        return None
    values = []
    for value in item:
        value = value.get_object() if isinstance(value, IndirectObject) else value
        if not isinstance(value, int | float) or not math.isfinite(float(value)):
            return None
        values.append(float(value))
    return values


def _content(page: PageObject) -> bytes:
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    streams = contents if isinstance(contents, ArrayObject) else [contents]
    parts = []
    for stream in streams:
        stream = stream.get_object() if isinstance(stream, IndirectObject) else stream
        if isinstance(stream, StreamObject):
            parts.append(stream.get_data())
    return b"\n".join(parts)


def _visible_box(page: PageObject) -> tuple[float, float, float, float]:
    """The crop box within the media box, as (left, bottom, width, height)."""
    media, crop = page.mediabox, page.cropbox
    left = max(float(media.left), float(crop.left))
    bottom = max(float(media.bottom), float(crop.bottom))
    right = min(float(media.right), float(crop.right))
    top = min(float(media.top), float(crop.top))
    if right - left < 1 or top - bottom < 1:  # a crop box outside the page: show it all
        left, bottom = float(media.left), float(media.bottom)
        right, top = float(media.right), float(media.top)
    if not all(math.isfinite(v) for v in (left, bottom, right, top)) or right - left < 1:
        raise DescribeError("the page has no size")
    if top - bottom < 1 or max(right - left, top - bottom) > 200 * 72:
        raise DescribeError("the page's size is out of range")
    return left, bottom, right - left, top - bottom


def _rotation(page: PageObject) -> int:
    try:
        rotation = int(page.rotation)
    except (TypeError, ValueError):
        return 0
    return rotation % 360 if rotation % 90 == 0 else 0


def _is_page(target: Any) -> bool:
    return isinstance(target, DictionaryObject) and target.get("/Type") == "/Page"
