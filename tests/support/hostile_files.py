"""Hostile pictures and PDFs, made here, for the sandbox's tests and the window's.

The cases from issue 12: a TIFF (it crashed the window's Qt reader) and a PDF whose
page tree loops (it froze the window for good), plus bombs, truncations and huge sizes.
"""

from __future__ import annotations

import struct
import zlib
from io import BytesIO

from PIL import Image


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
