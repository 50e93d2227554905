"""The reading queue against files and workers that lie, and computers that cannot read
(found by an adversarial review): a picture with a PDF hidden in it is read as the
picture; a reader that cannot start is said once, never retried in a loop; an answer
that does not fit its file is recorded as a failure, not a crash; a PDF with a failed
page still finishes its other pages; the language folder the user set reaches the
worker; characters the PDF cannot map back never reach the binder's text layer."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image, ImageDraw, ImageFont
from pypdf import PdfReader

from nco_desktop.binder.assemble import build_binder
from nco_desktop.importers.batch import import_paths
from nco_desktop.ocr import queue, store, tesseract
from nco_desktop.ocr.answer import OcrAnswer
from nco_desktop.ocr.words import OcrWord
from nco_desktop.sandbox.pool import ParserPool
from tests.conftest import write_file
from tests.unit.ocr.test_ocr_queue import screenshot

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


def _picture(text: str) -> Image.Image:
    image = Image.new("RGB", (900, 300), "white")
    ImageDraw.Draw(image).text((40, 100), text, fill="black", font=ImageFont.truetype(FONT, 40))
    return image


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def polyglot() -> bytes:
    """A PNG showing one sentence, with a PDF of another in a text chunk near its start."""
    shown, hidden = io.BytesIO(), io.BytesIO()
    _picture("See you at practice").save(shown, "PNG")
    _picture("Hidden words never shown").save(hidden, "PDF", resolution=72)
    png = shown.getvalue()
    return png[:33] + _chunk(b"tEXt", b"Comment\x00" + hidden.getvalue()) + png[33:]


@pytest.fixture(scope="module")
def pool():
    with queue.new_pool(1) as made:
        yield made


def original_id(vault) -> int:
    return int(vault.conn.execute("SELECT max(id) FROM originals").fetchone()[0])


def test_a_picture_with_a_pdf_hidden_in_it_is_read_as_the_picture(vault, tmp_path, pool):
    data = polyglot()
    assert b"%PDF-" in data[:1024]
    write_file(tmp_path / "in" / "shot.png", data)
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    queue.read_pending(vault, pool)
    (page,) = store.pages_of(vault.conn, original_id(vault))
    assert "practice" in page.text.lower() and "hidden" not in page.text.lower()


def test_a_reader_that_cannot_start_is_said_once(vault, tmp_path):
    write_file(tmp_path / "in" / "a.png", screenshot(["words"]))
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    broken = ParserPool(1, queue.OCR_LIMITS, render=True, ocr=str(tmp_path), fresh_per_task=True)
    with broken, pytest.raises(queue.ReaderUnavailable, match="could not start"):
        queue.read_pending(vault, broken)
    assert store.status(vault).pending == 1  # not a picture's failure: nothing recorded


def test_missing_language_data_is_named_with_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(tesseract, "TESSDATA_CANDIDATES", ())
    monkeypatch.setenv("NCO_TESSDATA", str(tmp_path))
    with pytest.raises(queue.ReaderUnavailable, match="tesseract-ocr-eng"):
        queue.new_pool(1)


def test_the_language_folder_the_user_set_reaches_the_workers(monkeypatch, tmp_path):
    folder = tmp_path / "tessdata"
    folder.mkdir()
    for name in ("eng", "spa"):
        (folder / f"{name}.traineddata").symlink_to(
            f"{tesseract.TESSDATA_CANDIDATES[0]}/{name}.traineddata"
        )
    monkeypatch.setenv("NCO_TESSDATA", str(folder))
    with queue.new_pool(1) as made:
        assert made._setup["ocr"] == str(folder)


def answer(pages: int = 1, has_text: bool = False) -> OcrAnswer:
    return OcrAnswer(10, 10, (OcrWord("planted", 0, 0, 5, 5, 90.0, 0),), pages, has_text)


def test_answers_that_do_not_fit_their_file_are_refused(vault, tmp_path):
    from tests.unit.ocr.test_ocr_queue import scanned_pdf

    write_file(tmp_path / "in" / "a.png", screenshot(["words"]))
    write_file(tmp_path / "in" / "b.pdf", scanned_pdf("scan", "text"))
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    picture, pdf = (
        int(v) for (v,) in vault.conn.execute("SELECT id FROM originals ORDER BY media_type DESC")
    )
    assert queue._misfit(vault, (picture, 0), answer()) is None
    assert queue._misfit(vault, (picture, 0), answer(pages=5)) == queue.MISFIT
    assert queue._misfit(vault, (picture, 0), answer(has_text=True)) == queue.MISFIT
    assert queue._misfit(vault, (pdf, 1), answer(pages=1)) == queue.MISFIT  # page past the end
    store.save_page(vault, pdf, 0, width=10, height=10, words=[], pages=2)
    assert queue._misfit(vault, (pdf, 1), answer(pages=2)) is None
    assert queue._misfit(vault, (pdf, 1), answer(pages=9)) == queue.MISFIT  # changed its mind


def test_a_pdf_with_a_failed_page_still_finishes_its_other_pages(vault, tmp_path):
    from tests.unit.ocr.test_ocr_queue import scanned_pdf

    write_file(tmp_path / "in" / "b.pdf", scanned_pdf("scan", "text"))
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    pdf = original_id(vault)
    store.save_page(vault, pdf, 0, width=10, height=10, words=[], pages=3)
    store.save_failure(vault, pdf, "the reader crashed", 1, 3)
    assert store.pending_pages(vault.conn) == [(pdf, 2)]
    status = store.status(vault)
    assert (status.pending, status.failed) == (1, 0)  # still pending, so a run goes on
    store.save_page(vault, pdf, 2, width=10, height=10, words=[], pages=3)
    status = store.status(vault)
    assert (status.pending, status.failed, status.done) == (0, 1, 0)


def test_characters_above_the_basic_plane_read_back_as_themselves(vault, tmp_path):
    """Once left out of the text layer (reportlab's map turned 😀 into "ὠ"); the map
    is mended (binder.fonts), so a read emoji copies out as itself."""
    write_file(tmp_path / "in" / "a.png", screenshot(["x"], size=(900, 300)))
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    words = [
        OcrWord(t, 40 + 120 * n, 60, 100, 34, 95.0, 0)
        for n, t in enumerate(["hello", "😀", "world"])
    ]
    store.save_page(vault, original_id(vault), 0, width=900, height=300, words=words)
    out = io.BytesIO()
    build_binder(vault, out)
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "hello" in text and "world" in text and "\u1f60" not in text and "😀" in text


def test_invisible_characters_are_cleaned_in_the_worker_not_refused_whole():
    """The answer check refuses any word that is not printable, which would lose the
    whole picture's reading: the worker cleans such characters out first."""
    from nco_desktop.ocr.answer import check
    from nco_desktop.ocr.store import words_to_json
    from nco_desktop.sandbox.ocr_task import clean_words

    read = [
        OcrWord("Juniper\u00a0Lane", 0, 0, 5, 5, 90.0, 0),
        OcrWord("re\u00adport", 0, 0, 5, 5, 90.0, 0),
        OcrWord("\u200b", 0, 0, 5, 5, 90.0, 0),
    ]
    cleaned = clean_words(read)
    assert [w.text for w in cleaned] == ["Juniper Lane", "report"]
    payload = words_to_json(cleaned).encode()
    assert [w.text for w in check({"kind": "ocr", "width": 10, "height": 10}, [payload]).words] == [
        "Juniper Lane",
        "report",
    ]
