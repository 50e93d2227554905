"""The words read in a screenshot are laid invisibly over it in the court's binder:
pypdf finds them, at the place on the page where the picture shows them, and the
picture's bytes are the original's. The copy for the other side carries no such layer."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html import unescape as html_unescape

import pytest
from PIL import Image
from pypdf import PdfReader

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.options import BinderOptions
from nco_desktop.binder.raw_pictures import png_as_is
from nco_desktop.evidence.store import get_original
from nco_desktop.importers.batch import import_paths
from nco_desktop.ocr import queue, store
from nco_desktop.vault.blobs import open_blob
from tests.conftest import write_file
from tests.support.pdf_pages import render_page
from tests.unit.ocr.test_ocr_queue import screenshot

LINES = ["Answer me now", "purple giraffe at noon", "Mañana sabrás dónde estoy"]


@pytest.fixture
def read_vault(vault, tmp_path):
    write_file(tmp_path / "in" / "Screenshot_20240313-080000.png", screenshot(LINES))
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    with queue.new_pool(1) as pool:
        queue.read_pending(vault, pool)
    assert store.status(vault).done == 1
    return vault


def picture_page(reader: PdfReader, data: bytes) -> tuple[int, str]:
    """The page that embeds *data* as an image, and the name it draws it by."""
    for number, page in enumerate(reader.pages):
        for name, xobject in ((page.get("/Resources") or {}).get("/XObject") or {}).items():
            if xobject.get_object()._data == data:
                return number, name
    raise AssertionError("the picture's bytes are not in the PDF unchanged")


def placed_rect(page, name: str) -> tuple[float, float, float, float]:
    """(x, y, width, height) the picture is drawn at, from the page's own cm operators."""
    content = page.get_contents().get_data().decode("latin-1")
    numbers = r"(-?[\d.]+)"
    pattern = (
        rf"q 1\.0000 0\.0000 0\.0000 1\.0000 {numbers} {numbers} cm "
        rf"1\.0000 0\.0000 0\.0000 1\.0000 0\.0000 0\.0000 cm {numbers} 0 0 {numbers} 0 0 cm "
        rf"{re.escape(name)} Do Q"
    )
    found = re.search(pattern, content)
    assert found, "the picture's placement was not found"
    return tuple(float(v) for v in found.groups())  # type: ignore[return-value]


def word_boxes(pdf, number: int) -> dict[str, tuple[float, float, float, float]]:
    """Poppler's own idea of where each word is on page *number* (0-based): the box a
    reader selects, (left, top, right, bottom) in points from the top left."""
    html = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(number + 1), "-l", str(number + 1), str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    pattern = (
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>'
    )
    return {
        html_unescape(word): tuple(float(v) for v in box)  # type: ignore[misc]
        for *box, word in re.findall(pattern, html)
    }


def test_the_court_copy_finds_the_words_where_the_picture_shows_them(read_vault, tmp_path):
    out = tmp_path / "binder.pdf"
    build_binder(read_vault, out)
    reader = PdfReader(out)
    number, name = picture_page(reader, png_as_is(_original_bytes(read_vault)).data)
    page = reader.pages[number]
    text = page.extract_text()
    assert "purple giraffe at noon" in text
    assert "Mañana sabrás dónde estoy" in text
    x, y, width, height = placed_rect(page, name)
    (reading,) = store.pages_of(read_vault.conn, _original_id(read_vault))
    # pypdf: each read line starts where the picture shows its first word.
    starts: dict[str, float] = {}
    page.extract_text(
        visitor_text=lambda text, _cm, tm, _font, _size: starts.setdefault(
            text.split()[0] if text.split() else "", tm[4]
        )
    )
    purple = next(w for w in reading.words if w.text == "purple")
    assert abs(starts["purple"] - (x + purple.left * width / reading.width)) < 0.2
    page_top = float(page.mediabox.top)
    boxes = word_boxes(out, number)
    for text in ("giraffe", "noon", "sabrás"):
        word = next(w for w in reading.words if w.text == text)
        left, top, right, bottom = boxes[text]
        # Where the picture shows the word, in the same top-left points as poppler's box.
        want_left = x + word.left * width / reading.width
        want_right = x + (word.left + word.width) * width / reading.width
        want_top = page_top - (y + height - word.top * height / reading.height)
        want_bottom = want_top + word.height * height / reading.height
        assert abs(left - want_left) < 1.5 and abs(right - want_right) < 2.5, text
        assert top < want_bottom and bottom > want_top, text  # the rows overlap


def test_the_layer_is_invisible(read_vault, tmp_path):
    """Mode 3 text: the page renders the same with and without the reading (the
    caption after it too: the mode must not outlive the layer)."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    with_layer = tmp_path / "with.pdf"
    build_binder(read_vault, with_layer)
    read_vault.conn.execute("DELETE FROM ocr_pages")
    without = tmp_path / "without.pdf"
    build_binder(read_vault, without)
    assert "giraffe" not in "".join(p.extract_text() for p in PdfReader(without).pages)
    number, _name = picture_page(PdfReader(without), png_as_is(_original_bytes(read_vault)).data)
    a = render_page(with_layer, number + 1, 40, tmp_path / "a")
    b = render_page(without, number + 1, 40, tmp_path / "b")
    with Image.open(a) as first, Image.open(b) as second:
        assert first.convert("RGB").tobytes() == second.convert("RGB").tobytes()


def test_the_copy_for_the_other_side_has_no_text_layer(read_vault, tmp_path):
    out = io.BytesIO()
    build_binder(read_vault, out, BinderOptions(for_service=True))
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "giraffe" not in text and "Mañana" not in text


def _original_id(vault) -> int:
    return int(
        vault.conn.execute("SELECT id FROM originals WHERE media_type = 'image/png'").fetchone()[0]
    )


def _original_bytes(vault) -> bytes:
    original = get_original(vault.conn, _original_id(vault))
    with open_blob(vault.conn, original.blob_id) as handle:
        return handle.read()


def apply(matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def test_a_scanned_pdf_page_carries_its_words_where_the_scan_shows_them(vault, tmp_path):
    from nco_desktop.binder.imported_pages import placement
    from tests.unit.ocr.test_ocr_queue import scanned_pdf

    write_file(tmp_path / "in" / "report.pdf", scanned_pdf("Police report 4471 filed", "x"))
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    with queue.new_pool(1) as pool:
        queue.read_pending(vault, pool)
    out = tmp_path / "binder.pdf"
    build_binder(vault, out)
    reader = PdfReader(out)
    (number,) = [n for n, p in enumerate(reader.pages) if "report 4471" in p.extract_text()]
    (reading, _typed) = store.pages_of(vault.conn, 1)
    matrix, (fx, fy, fw, fh) = placement((0.0, 0.0, 612.0, 792.0), 0, (612.0, 792.0))
    boxes = word_boxes(out, number)
    word = next(w for w in reading.words if w.text == "4471")
    left, top, right, bottom = boxes["4471"]
    want_x, want_y = apply(
        matrix, word.left * 612 / reading.width, 792 - word.top * 792 / reading.height
    )
    assert abs(left - want_x) < 2.0
    assert top - 2 <= 792 - want_y <= bottom + 2  # the word's top edge is on its row
    assert fx <= left < right <= fx + fw and 792 - fy - fh <= top < bottom <= 792 - fy


def test_a_scanned_page_in_the_copy_for_the_other_side_has_no_text_layer(vault, tmp_path):
    from tests.unit.ocr.test_ocr_queue import scanned_pdf

    write_file(tmp_path / "in" / "report.pdf", scanned_pdf("Police report 4471 filed", "x"))
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    with queue.new_pool(1) as pool:
        queue.read_pending(vault, pool)
    out = io.BytesIO()
    build_binder(vault, out, BinderOptions(for_service=True))
    assert "4471" not in "".join(p.extract_text() for p in PdfReader(out).pages)
