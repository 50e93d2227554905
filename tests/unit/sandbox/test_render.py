"""Pictures and PDF pages are rendered in a sandboxed worker; hostile ones fail with a
sentence or render, within the deadline, and the caller never hangs.

The cases from issue 12: a TIFF (it crashed the window's Qt reader) and a PDF whose
page tree loops (it froze the window for good), plus bombs, truncations and huge sizes.
"""

from __future__ import annotations

import struct
import threading
import time
import zlib
from io import BytesIO

import pytest
from PIL import Image

from nco_desktop.sandbox.pool import Limits
from nco_desktop.timeline.previews import PicturePreviews, PreviewFailed, Raster

WALL = 4.0
SHORT = Limits(cpu_seconds=4, wall_seconds=WALL, wall_seconds_per_mb=0.0)
MARGIN = 6.0  # starting a fresh worker and killing the old one, on a busy machine


@pytest.fixture
def previews():
    maker = PicturePreviews(SHORT)
    yield maker
    maker.close()


def encoded(fmt: str, size=(64, 48), mode="RGB", color=(10, 120, 200), **kw) -> bytes:
    out = BytesIO()
    Image.new(mode, size, color).save(out, format=fmt, **kw)
    return out.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A PNG header that claims *width* × *height*, with a tiny body."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\0" * 1024)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def pdf(*objects: bytes) -> bytes:
    """A PDF of these objects (1 is the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


CATALOG = b"<</Type/Catalog/Pages 2 0 R>>"
PAGES = b"<</Type/Pages/Kids[3 0 R]/Count 1>>"


def page(box: bytes = b"0 0 612 792", content: bytes = b"") -> bytes:
    return b"<</Type/Page/Parent 2 0 R/MediaBox[" + box + b"]" + content + b">>"


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<<" + extra + b"/Length %d>>stream\n" % len(data) + data + b"\nendstream"


GOOD_PDF = pdf(
    CATALOG, PAGES, page(content=b"/Contents 4 0 R"), stream(b"0 0 1 rg 0 0 300 300 re f")
)

PDFS = {
    "looping page tree": pdf(CATALOG, b"<</Type/Pages/Kids[2 0 R]/Count 1>>"),
    "loop through a child": pdf(
        CATALOG, b"<</Type/Pages/Kids[3 0 R]/Count 1>>", b"<</Type/Pages/Parent 2 0 R/Kids[2 0 R]>>"
    ),
    "truncated": GOOD_PDF[: len(GOOD_PDF) // 2],
    "not a pdf": b"%PDF-1.7\n" + bytes(range(256)) * 4,
    "empty": b"",
    "huge page": pdf(CATALOG, PAGES, page(b"0 0 14400 14400", b"/UserUnit 75000")),
    "endless page": pdf(CATALOG, PAGES, page(b"0 0 1 1000000")),
    "content bomb": pdf(
        CATALOG,
        PAGES,
        page(content=b"/Contents 4 0 R"),
        stream(zlib.compress(b"q 1 0 0 1 0 0 cm Q " * 3_000_000, 9), b"/Filter/FlateDecode"),
    ),
    "image bomb": pdf(
        CATALOG,
        PAGES,
        page(content=b"/Contents 4 0 R/Resources<</XObject<</I 5 0 R>>>>"),
        stream(b"q 612 0 0 792 0 0 cm /I Do Q"),
        stream(
            zlib.compress(b"\0" * 4_000_000, 9),
            b"/Type/XObject/Subtype/Image/Width 60000/Height 60000/BitsPerComponent 8"
            b"/ColorSpace/DeviceRGB/Filter/FlateDecode",
        ),
    ),
}

PICTURES = {
    "decompression bomb": png_claiming(40_000, 40_000),
    "huge dimensions, tiny file": png_claiming(1, 2_000_000_000),
    "truncated png": encoded("PNG", (400, 400), color=None)[:300],
    "truncated jpeg": encoded("JPEG", (400, 400))[:200],
    "tiff bomb": encoded("TIFF", (64, 48))[:8] + b"\0" * 200,
    "garbage": b"GIF89a" + bytes(range(256)),
    "empty": b"",
}


def outcome_within_deadline(call) -> object:
    """The call's result or its PreviewFailed, checked to come back within the deadline."""
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(_catch(call)), daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(WALL + MARGIN)
    assert not worker.is_alive(), "the caller hung"
    assert time.monotonic() - started < WALL + MARGIN
    return result[0]


def _catch(call):
    try:
        return call()
    except PreviewFailed as failure:
        return failure


def assert_sentence_or_raster(outcome: object) -> None:
    if isinstance(outcome, PreviewFailed):
        text = str(outcome)
        assert text and text[0].islower() and "Traceback" not in text and len(text) < 200
    else:
        assert isinstance(outcome, Raster)
        assert len(outcome.rgba) == outcome.width * outcome.height * 4


def still_works(previews: PicturePreviews) -> None:
    raster = previews.picture(encoded("PNG"))
    assert (raster.width, raster.height) == (64, 48)


def test_a_tiff_renders_upright_in_the_worker(previews):
    """The issue's crash: a 64×48 TIFF made with Pillow."""
    raster = previews.picture(encoded("TIFF", (64, 48)))
    assert (raster.width, raster.height) == (64, 48)
    assert raster.rgba[:4] == bytes((10, 120, 200, 255))


def test_exif_orientation_is_applied_and_alpha_kept(previews):
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    raster = previews.picture(encoded("JPEG", (300, 500), exif=exif.tobytes()))
    assert (raster.width, raster.height) == (500, 300)
    clear = previews.picture(encoded("PNG", (8, 8), mode="RGBA", color=(1, 2, 3, 0)))
    assert clear.rgba[:4] == bytes((1, 2, 3, 0))


def test_pictures_are_scaled_to_max_side(previews):
    raster = previews.picture(encoded("PNG", (1000, 500)), max_side=100)
    assert (raster.width, raster.height) == (100, 50)


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_hostile_pictures_fail_with_a_sentence_in_time(previews, name):
    outcome = outcome_within_deadline(lambda: previews.picture(PICTURES[name]))
    assert isinstance(outcome, PreviewFailed), outcome
    assert_sentence_or_raster(outcome)
    still_works(previews)


def test_a_pdf_opens_and_renders(previews):
    assert previews.pdf_open(GOOD_PDF) == [(612.0, 792.0)]
    raster = previews.pdf_page(0, 306)
    assert (raster.width, raster.height) == (306, 396)
    bottom_left = ((raster.height - 10) * raster.width + 10) * 4
    assert raster.rgba[bottom_left : bottom_left + 4] == bytes((0, 0, 255, 255))
    with pytest.raises(PreviewFailed, match="no such page"):
        previews.pdf_page(1, 100)


def test_the_looping_pdf_hits_the_deadline_and_the_worker_is_replaced(previews):
    started = time.monotonic()
    outcome = outcome_within_deadline(lambda: previews.pdf_open(PDFS["looping page tree"]))
    assert isinstance(outcome, PreviewFailed)
    assert "took too long" in str(outcome)
    assert time.monotonic() - started >= WALL - 0.5  # it did hang: the deadline ended it
    still_works(previews)


@pytest.mark.parametrize("name", sorted(PDFS))
def test_hostile_pdfs_fail_with_a_sentence_or_render_in_time(previews, name):
    def open_and_render():
        previews.pdf_open(PDFS[name])
        return previews.pdf_page(0, 800)

    assert_sentence_or_raster(outcome_within_deadline(open_and_render))
    still_works(previews)


def test_a_replaced_worker_reopens_the_pdf_transparently(previews):
    previews.pdf_open(GOOD_PDF)
    with pytest.raises(PreviewFailed):
        previews.picture(PICTURES["truncated png"] + b"")  # fails; the worker lives on
    outcome_within_deadline(lambda: previews.pdf_open(PDFS["looping page tree"]))
    previews.pdf_open(GOOD_PDF)
    previews._pool.close(kill=True)  # the worker that had it open is gone
    assert previews.pdf_page(0, 100).width == 100


def test_lock_kills_a_hung_render_at_once(previews):
    slow = PicturePreviews(Limits(wall_seconds=60.0, cpu_seconds=60))
    try:
        result: list[object] = []
        waiter = threading.Thread(
            target=lambda: result.append(_catch(lambda: slow.pdf_open(PDFS["looping page tree"])))
        )
        waiter.start()
        time.sleep(1.5)
        started = time.monotonic()
        slow.close()
        waiter.join(10)
        assert not waiter.is_alive()
        assert time.monotonic() - started < 5
        assert isinstance(result[0], PreviewFailed) and "locked" in str(result[0])
        with pytest.raises(PreviewFailed, match="locked"):
            slow.picture(encoded("PNG"))
    finally:
        slow.close()
