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
    Budget,
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
    }
    page.update(changes)
    return page


def _answer(pages: list[object], objects: list[object], streams: list[bytes]) -> list[bytes]:
    return [json.dumps({"pages": pages, "objects": objects}).encode(), *streams]


def _build(pages: list[object], objects: list[object], streams: list[bytes]) -> bytes:
    document = ImportedPdf.read(_answer(pages, objects, streams))
    every = list(range(len(document.pages)))
    return framed_pdf(document, every, LETTER, budget=Budget(64 << 20))


def test_a_real_description_round_trips_to_the_same_text():
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.drawString(72, 700, "Statement of the reporting officer")
    canvas.showPage()
    canvas.save()
    graph, streams = pdf_described.describe(out.getvalue())
    document = ImportedPdf.read([graph, *streams])
    framed = framed_pdf(document, [0], LETTER, budget=Budget(64 << 20))
    rebuilt = PdfReader(io.BytesIO(framed))
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
        json.dumps({"pages": [_page(text="x")], "objects": []}).encode(),  # not a field
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
        {"d": [["/Font", {"n": "/a\ud800"}]]},  # a lone surrogate: fails only when written
        {"d": [["/Font", {"d": []}], ["/Font", {"d": []}]]},  # a key twice
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


def test_a_form_naming_itself_a_thousand_times_is_built_once():
    """Four levels of a form listing itself K times cost K**4 steps: each object is
    built once, so this ends at once."""
    names = [[f"/F{i}", {"r": 0}] for i in range(1000)]
    objects = [
        {
            "t": {
                "d": [
                    ["/Subtype", {"n": "/Form"}],
                    ["/Resources", {"d": [["/XObject", {"d": names}]]}],
                ]
            },
            "p": 1,
        }
    ]
    resources = {"d": [["/XObject", {"d": names}]]}
    document = ImportedPdf.read(_answer([_page(resources=resources)], objects, [b"q Q", b""]))
    framed = framed_pdf(document, [0], LETTER, budget=Budget(64 << 20))
    assert len(PdfReader(io.BytesIO(framed)).pages) == 1


def test_one_large_drawing_cannot_be_claimed_by_many_pages():
    pages = [_page(content=0) for _ in range(40)]
    with pytest.raises(NotDescribed):
        ImportedPdf.read(_answer(pages, [], [b"q Q" * 1000]))


def test_a_picture_written_again_for_every_run_runs_out_of_budget():
    """The copy for the other side writes each run of kept pages as its own part, and a
    shared picture again with each: the budget for one PDF stops that growing."""
    big = {"t": {"d": [["/Subtype", {"n": "/Image"}]]}, "p": 2}
    resources = {"d": [["/XObject", {"d": [["/Im0", {"r": 0}]]}]]}
    document = ImportedPdf.read(
        _answer([_page(resources=resources, content=0), _page(resources=resources, content=1)],
                [big], [b"q Q", b"q Q", b"x" * 1_000_000])
    )  # fmt: skip
    budget = Budget(1_500_000)
    framed_pdf(document, [0], LETTER, budget=budget)
    with pytest.raises(NotDescribed):
        framed_pdf(document, [1], LETTER, budget=budget)


@pytest.mark.parametrize(
    "page_changes",
    [{"box": [0, 0, 10**400, 792]}, {"box": [float("nan"), 0, 612, 792]}],
    ids=["huge-int", "nan"],
)
def test_a_box_out_of_any_range_is_refused_not_overflowed(page_changes):
    graph = json.dumps({"pages": [_page(**page_changes)], "objects": []}).encode()
    with pytest.raises(NotDescribed):
        ImportedPdf.read([graph, b"q Q"])


def test_an_object_that_is_only_a_reference_is_built_as_nothing():
    objects = [{"r": 1}, {"d": []}]
    resources = {"d": [["/ExtGState", {"d": [["/G0", {"r": 0}]]}]]}
    pdf = _build([_page(resources=resources)], objects, [b"q Q"])
    assert PdfReader(io.BytesIO(pdf)).pages[0] is not None


def test_a_forged_description_leaves_out_only_its_own_pdf(vault, tmp_path, monkeypatch):
    """Any exception a forged value raises while the build rebuilds the PDF leaves that
    PDF out with a sentence; the rest of the binder is built."""
    from nco_desktop.binder import imported_pages
    from nco_desktop.binder.assemble import build_binder
    from nco_desktop.importers.batch import import_paths
    from tests.conftest import write_file

    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.drawString(72, 700, "A report")
    canvas.showPage()
    canvas.save()
    write_file(tmp_path / "in" / "report.pdf", out.getvalue())
    write_file(tmp_path / "in" / "note.txt", "A note that must still print")
    import_paths(vault, [tmp_path / "in"], thumbnails=False)

    def broken(*args, **kwargs):
        raise AttributeError("a value no check foresaw")

    monkeypatch.setattr(imported_pages.ImportedPdf, "read", classmethod(broken))
    binder = tmp_path / "binder.pdf"
    build_binder(vault, binder)
    text = "\n".join(p.extract_text() for p in PdfReader(binder).pages)
    assert "could not be opened for printing" in text
    assert "A note that must still print" in text
