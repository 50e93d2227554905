"""A worker's description of a PDF is checked value by value; a forged one is refused.

The binder rebuilds an imported PDF's pages from what a sandboxed worker says about them
(:mod:`nco_desktop.binder.imported_pages`). The worker may have been taken over by the
file it read, so every answer here is one a hostile worker could send.
"""

from __future__ import annotations

import io
import json

import pytest
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from nco_desktop.binder import pdf_described
from nco_desktop.binder.imported_pages import (
    FRAME_BOTTOM,
    FRAME_LEFT,
    FRAME_TOP,
    ImportedPdf,
    NotDescribed,
    framed_pdf,
    placement,
)

LETTER = (612.0, 792.0)
A4 = (595.2756, 841.8898)


def _page(**changes: object) -> dict[str, object]:
    page: dict[str, object] = {
        "box": [0, 0, 612, 792],
        "rotate": 0,
        "content": 0,
        "resources": {"d": []},
        "group": None,
        "text": None,
        "inline": False,
    }
    page.update(changes)
    return page


def _answer(pages: list[object], objects: list[object], streams: list[bytes]) -> list[bytes]:
    return [json.dumps({"pages": pages, "objects": objects}).encode(), *streams]


def _build(pages: list[object], objects: list[object], streams: list[bytes]) -> bytes:
    document = ImportedPdf.read(_answer(pages, objects, streams))
    return framed_pdf(document, list(range(len(document.pages))), LETTER, strip_photos=False)


def test_a_real_description_round_trips_to_the_same_text():
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.drawString(72, 700, "Statement of the reporting officer")
    canvas.showPage()
    canvas.save()
    graph, streams = pdf_described.describe(out.getvalue(), service=True)
    document = ImportedPdf.read([graph, *streams])
    assert "Statement of the reporting officer" in (document.pages[0].text or "")
    rebuilt = PdfReader(io.BytesIO(framed_pdf(document, [0], LETTER, strip_photos=True)))
    assert "Statement of the reporting officer" in rebuilt.pages[0].extract_text()


@pytest.mark.parametrize(
    "graph",
    [
        b"not json",
        b"[" * 100_000,  # nesting past the JSON reader's recursion
        json.dumps({"pages": []}).encode(),
        json.dumps({"pages": [], "objects": []}).encode(),  # no pages
        json.dumps({"pages": [_page(box=[0, 0, 1e9, 792])], "objects": []}).encode(),
        json.dumps({"pages": [_page(box=[0, 0, "612", 792])], "objects": []}).encode(),
        json.dumps({"pages": [_page(rotate=45)], "objects": []}).encode(),
        json.dumps({"pages": [_page(rotate=True)], "objects": []}).encode(),
        json.dumps({"pages": [_page(content=7)], "objects": []}).encode(),  # no such stream
        json.dumps({"pages": [_page(text=["x"])], "objects": []}).encode(),
        json.dumps({"pages": [_page(extra=1)], "objects": []}).encode(),
        b'{"pages": [], "objects": [], "pages": NaN}',
    ],
)
def test_a_malformed_answer_is_refused_before_anything_is_built(graph):
    with pytest.raises(NotDescribed):
        ImportedPdf.read([graph, b"q Q"])


@pytest.mark.parametrize(
    "resources",
    [
        {"d": [["Font", {"d": []}]]},  # a key that is not a PDF name
        {"d": [["/Font", {"n": "Helvetica"}]]},  # a name without its slash
        {"d": [["/Font", {"n": "/" + "x" * 500}]]},  # a name too long
        {"d": [["/Font", {"n": "/a\x00b"}]]},
        {"d": [["/Font", {"s": "zz"}]]},  # a string that is not hex
        {"d": [["/Font", {"r": 99}]]},  # a reference to no object
        {"d": [["/Font", {"r": True}]]},
        {"d": [["/Font", 2**60]]},  # a number out of range
        {"d": [["/Font", {"x": 1}]]},  # a value of no known kind
        {"d": [["/Font", {"n": "/A", "s": "00"}]]},
        {"d": [["/Font", "plain text"]]},  # bare strings are not values
        {"d": [["/Font"]]},  # not a pair
        {"d": "pairs"},
        None,  # a list nested past any real PDF (built in the test)
    ],
)
def test_a_forged_value_is_refused(resources):
    if resources is None:  # the deep list, built here where a literal would not do
        deep: list[object] = []
        for _ in range(400):
            deep = [deep]
        resources = {"d": [["/Font", deep]]}
    with pytest.raises(NotDescribed):
        _build([_page(resources=resources)], [], [b"q Q"])


def test_a_chain_of_references_longer_than_any_real_pdf_is_refused():
    objects: list[object] = [{"d": [["/Next", {"r": i + 1}]]} for i in range(999)] + [None]
    resources = {"d": [["/ExtGState", {"r": 0}]]}
    with pytest.raises(NotDescribed):
        _build([_page(resources=resources)], objects, [b"q Q"])


def test_a_reference_loop_is_built_once_and_ends():
    objects = [{"d": [["/Other", {"r": 1}]]}, {"d": [["/Other", {"r": 0}]]}]
    resources = {"d": [["/ExtGState", {"d": [["/G0", {"r": 0}]]}]]}
    pdf = _build([_page(resources=resources)], objects, [b"q Q"])
    assert PdfReader(io.BytesIO(pdf)).pages[0] is not None


def test_a_stream_without_its_bytes_is_refused():
    objects = [{"t": {"d": [["/Subtype", {"n": "/Image"}]]}, "p": 5}]
    resources = {"d": [["/XObject", {"d": [["/Im0", {"r": 0}]]}]]}
    with pytest.raises(NotDescribed):
        _build([_page(resources=resources)], objects, [b"q Q"])


def test_dropped_keys_are_dropped_even_when_a_worker_sends_them():
    objects = [
        {
            "t": {"d": [["/Type", {"n": "/Metadata"}], ["/Subtype", {"n": "/XML"}]]},
            "p": 1,
        }
    ]
    resources = {"d": [["/Metadata", {"r": 0}], ["/PieceInfo", {"d": []}]]}
    pdf = _build([_page(resources=resources)], objects, [b"q Q", b"<x:xmpmeta>secret</x:xmpmeta>"])
    assert b"secret" not in pdf and b"PieceInfo" not in pdf


@pytest.mark.parametrize("rotate", [0, 90, 180, 270])
@pytest.mark.parametrize(
    "box",
    [
        (0, 0, 612, 792),
        (0, 0, *A4),
        (0, 0, 792, 612),  # landscape
        (60, 60, 492, 672),  # a crop box away from the origin
        (-300, -300, 200, 100),  # a small page below and left of the origin
        (0, 0, 14400, 200),  # a banner 200 inches long
    ],
)
def test_every_page_lands_inside_the_frame_upright(box, rotate):
    matrix, (x, y, w, h) = placement(box, rotate, LETTER)
    left, bottom, width, height = box
    corners = [
        (matrix[0] * px + matrix[2] * py + matrix[4], matrix[1] * px + matrix[3] * py + matrix[5])
        for px in (left, left + width)
        for py in (bottom, bottom + height)
    ]
    for cx, cy in corners:
        assert x - 0.01 <= cx <= x + w + 0.01 and y - 0.01 <= cy <= y + h + 0.01
    assert x >= FRAME_LEFT - 0.01 and y >= FRAME_BOTTOM - 0.01
    assert x + w <= LETTER[0] and y + h <= LETTER[1] - FRAME_TOP + 0.01
    assert h >= w - 0.01  # a landscape page is turned, the binder is portrait
    scale = abs(matrix[0]) + abs(matrix[1])
    assert scale <= 1.0 + 1e-9  # a small page is never enlarged
