"""Stored thumbnails as plain pixels: the window decodes no picture format at all.

A thumbnail is made by the sandboxed worker that read the picture. If that picture took
its worker over, the worker could store a "thumbnail" made to break a JPEG or PNG
decoder, and the window — which holds the key — would decode it on the next scroll.
So a thumbnail is stored as raw RGB pixels, zlib-compressed, behind a small fixed
header: reading it back is a size check and zlib (bounded by the size the header
declares), then the bytes are pixels. About three times the size of a JPEG, and still
about 2 % of the originals' size for phone photos.

Layout: ``NCOT1\\n``, width and height (big-endian 16-bit), then zlib data that
inflates to exactly ``width × height × 3`` bytes.
"""

from __future__ import annotations

import struct
import zlib

from PIL import Image

MAGIC = b"NCOT1\n"
MEDIA_TYPE = "application/x-nco-thumbnail"
MAX_SIDE = 1024  # thumbnails are made at most 320 px a side; anything larger is refused
_HEADER = struct.Struct(">HH")


def encode(width: int, height: int, rgb: bytes) -> bytes:
    """*rgb* (``width × height × 3`` bytes, rows top to bottom) as a stored thumbnail."""
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE) or len(rgb) != width * height * 3:
        raise ValueError("a thumbnail's size and pixels do not agree")
    return MAGIC + _HEADER.pack(width, height) + zlib.compress(rgb, 1)  # as small as 6, 2x faster


def encode_image(image: Image.Image) -> bytes:
    """*image* as a stored thumbnail: transparency laid on white, as a page shows it
    (not black), then its RGB pixels; nothing else of the picture comes along."""
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        image = flat
    rgb = image.convert("RGB")
    return encode(rgb.width, rgb.height, rgb.tobytes())


def decode(data: bytes) -> tuple[int, int, bytes]:
    """(width, height, RGB bytes) of a stored thumbnail; ValueError for anything else.

    Never inflates more than the header allows, so a zlib bomb stops at the size of
    one small picture.
    """
    start = len(MAGIC) + _HEADER.size
    if not data.startswith(MAGIC) or len(data) < start:
        raise ValueError("not a thumbnail in this program's format")
    width, height = _HEADER.unpack_from(data, len(MAGIC))
    if not (0 < width <= MAX_SIDE and 0 < height <= MAX_SIDE):
        raise ValueError("a thumbnail's size is out of range")
    expected = width * height * 3
    if len(data) - start > expected + expected // 64 + 1024:  # more than any zlib of it
        raise ValueError("a thumbnail is larger than its pixels can be")
    inflater = zlib.decompressobj()
    try:
        rgb = inflater.decompress(data[start:], expected)
        # Stopped at the declared size: what is left must be the stream's end, not more.
        more = b"" if inflater.eof else inflater.decompress(inflater.unconsumed_tail, 1)
    except zlib.error:
        raise ValueError("a thumbnail's pixels are damaged") from None
    if len(rgb) != expected or more or not inflater.eof or inflater.unused_data:
        raise ValueError("a thumbnail's pixels are not the size it declares")
    return width, height, rgb
