"""Imported PDFs in the binder: read only in the sandbox, framed on the binder's paper.

Tried the way an attacker and a clerk would: the build's own process must never hand
the imported file to a PDF reader; each page must sit clear of the hole-punch margin and
the stamp band, whatever its size, rotation or crop; filled-in form values must print;
and a page withheld from the copy for the other side must leave nothing of itself.
"""

from __future__ import annotations

import contextlib
import io
import zlib

import pypdf
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.generic import RectangleObject
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.options import BinderOptions
from nco_desktop.importers.batch import import_paths
from tests.conftest import write_file
from tests.support.pdf_pages import read_page, render_page

PRIVATE = ["2417 Juniper Lane"]


def _framed_pdf() -> bytes:
    """Four pages that each used to print badly: A4 ink to the edges, landscape,
    rotated by the document, and a crop box away from the origin."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1)
    for title, size in (
        ("A4 to the edges", A4),
        ("A4 landscape", landscape(A4)),
        ("A4 shown turned", A4),
        ("A4 cropped", A4),
    ):
        canvas.setPageSize(size)
        canvas.rect(0, 0, size[0], size[1], fill=1)  # ink over the whole page
        canvas.setFillColorRGB(1, 1, 1)
        canvas.drawString(100, size[1] / 2, f"Imported page: {title}")
        canvas.setFillColorRGB(0, 0, 0)
        canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=io.BytesIO(out.getvalue()))
    writer.pages[2].rotate(90)
    writer.pages[3].cropbox = RectangleObject([50, 80, 500, 700])
    result = io.BytesIO()
    writer.write(result)
    return result.getvalue()


def test_the_build_never_hands_an_imported_pdf_to_a_reader(vault, tmp_path, monkeypatch):
    data = _framed_pdf()
    write_file(tmp_path / "in" / "report.pdf", data)
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    opened: list[bytes] = []
    real_init = pypdf.PdfReader.__init__

    def watching(self, stream, *args, **kwargs):
        raw = stream.getvalue() if isinstance(stream, io.BytesIO) else b""
        opened.append(raw)
        real_init(self, stream, *args, **kwargs)

    monkeypatch.setattr(pypdf.PdfReader, "__init__", watching)
    for service in (False, True):
        out = tmp_path / f"binder-{service}.pdf"
        build_binder(vault, out, BinderOptions(for_service=service))
    monkeypatch.undo()
    assert opened, "the watch saw no reads at all"
    assert all(raw != data for raw in opened), "the build's process read the imported PDF"
    texts = [page.extract_text() for page in PdfReader(tmp_path / "binder-False.pdf").pages]
    for title in ("A4 to the edges", "A4 landscape", "A4 shown turned", "A4 cropped"):
        assert any(f"Imported page: {title}" in t for t in texts), title


def test_imported_pages_leave_the_punch_margin_and_stamp_band_clear(vault, tmp_path):
    write_file(tmp_path / "in" / "report.pdf", _framed_pdf())
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    pdf = tmp_path / "binder.pdf"
    result = build_binder(vault, pdf, BinderOptions(bates="DOE-"))
    reader = PdfReader(pdf)
    first = result.first_pages["1"]  # the divider; the report follows it
    for page_number in range(first + 1, first + 5):
        page = reader.pages[page_number - 1]
        assert (float(page.mediabox.width), float(page.mediabox.height)) == (612, 792)
        with Image.open(render_page(pdf, page_number, 72, tmp_path / f"p{page_number}")) as png:
            grey = png.convert("L")
            # 0.75 in on the bound edge, above the footer (where the Bates number sits,
            # below the lowest of the three holes)
            punch = grey.crop((0, 0, 54, grey.height - 60))
            assert punch.getextrema()[0] > 200, f"ink in the punch margin, page {page_number}"
            band = grey.crop((0, grey.height - 60, grey.width, grey.height))
            inked = sum(1 for v in band.tobytes() if v < 128)
            assert inked < band.width * band.height * 0.05, "the page runs over the stamp band"
        text = page.extract_text()
        assert f"DOE-{page_number:06d}" in text and "Pet. Ex. 1 — p." in text


def test_filled_in_form_values_print_in_the_courts_copy(vault, tmp_path):
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.drawString(72, 720, "Petition for a protective order")
    canvas.acroForm.textfield(
        name="petitioner", value="Filled in: Jane Doe", x=72, y=600, width=300, height=30
    )
    canvas.showPage()
    canvas.save()
    write_file(tmp_path / "in" / "petition.pdf", out.getvalue())
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    pdf = tmp_path / "binder.pdf"
    build_binder(vault, pdf)
    texts = [page.extract_text() for page in PdfReader(pdf).pages]
    assert any("Filled in: Jane Doe" in t and "Petition for a protective" in t for t in texts)


def _every_stream(pdf: bytes) -> list[bytes]:
    """Every stream in the file, decompressed where it is Flate, and the file itself."""
    reader = PdfReader(io.BytesIO(pdf))
    found = [pdf]
    for number in range(1, len(reader.xref_objStm) + 10_000):
        try:
            item = reader.get_object(number)
        except Exception:
            continue
        if item is None:
            continue
        data = getattr(item, "_data", None)
        if isinstance(data, bytes):
            found.append(data)
            with contextlib.suppress(zlib.error):
                found.append(zlib.decompress(data))
    return found


def test_a_page_naming_a_detail_leaves_only_its_checked_pixels(vault, tmp_path):
    """The page draws its own photo and names the address: in the other side's copy it
    is one picture of itself, the address painted out, and the words are nowhere in the
    file, reachable or not; the photo is only pixels of that picture."""
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), (12, 200, 90)).save(photo, "PNG")
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.drawString(72, 700, "Page one of the landlord's letter")
    canvas.showPage()
    canvas.drawString(72, 700, "The tenant now lives at 2417 Juniper Lane")
    canvas.drawImage(ImageReader(io.BytesIO(photo.getvalue())), 72, 400, 200, 150)
    canvas.showPage()
    canvas.save()
    write_file(tmp_path / "in" / "letter.pdf", out.getvalue())
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    vault.set_settings({"case": {"redactions": PRIVATE}})
    service = tmp_path / "service.pdf"
    build_binder(vault, service, BinderOptions(for_service=True))
    data = service.read_bytes()
    texts = [page.extract_text() for page in PdfReader(service).pages]
    second = next(n for n, t in enumerate(texts, 1) if "Pet. Ex. 1 — p. 3 of" in t)
    seen = read_page(service, second, tmp_path / "seen")
    assert "tenant now lives" in seen and "juniper" not in seen
    page = PdfReader(service).pages[second - 1]
    assert list(page["/Resources"]["/XObject"]) == ["/NcoImage0"]  # nothing but its pixels
    assert "/Font" not in page["/Resources"] or "Juniper" not in texts[second - 1]
    for stream in _every_stream(data):
        assert b"Juniper" not in stream
