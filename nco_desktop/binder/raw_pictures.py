"""Put a picture's compressed pixels into the PDF as they are, without decoding them.

A JPEG's bytes are already what PDF's DCTDecode reads: they go in unchanged.

PDF's FlateDecode with the PNG predictors reads the concatenated IDAT data of a
non-interlaced PNG directly, so the picture is embedded losslessly in the original's own
compressed bytes (as img2pdf does): no decode, no re-compression. reportlab instead
decodes and re-compresses every PNG, which made picture pages several times slower.
Alpha channels, transparency chunks and interlacing cannot pass through; those PNGs
take the decoding path.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

SIGNATURE = b"\x89PNG\r\n\x1a\n"
_COLORS = {0: 1, 2: 3, 3: 1}  # grey, RGB, palette; 4 and 6 carry alpha


@dataclass(frozen=True)
class RawPicture:
    width: int
    height: int
    bits: int
    colors: int
    palette: bytes | None  # RGB triples for palette images
    data: bytes  # the concatenated IDAT chunks, still compressed
    jpeg: bool = False  # data is a whole JPEG file (DCTDecode) rather than PNG IDAT


def jpeg_as_is(data: bytes, width: int, height: int, mode: str) -> RawPicture | None:
    """A JPEG as a PDF image in its own bytes; None for CMYK (Adobe inverts it)."""
    colors = {"L": 1, "RGB": 3}.get(mode)
    if colors is None:
        return None
    return RawPicture(width, height, 8, colors, None, data, jpeg=True)


def png_as_is(data: bytes) -> RawPicture | None:
    """The PNG's compressed pixels if they can go into a PDF unchanged, else None."""
    if not data.startswith(SIGNATURE):
        return None
    position = len(SIGNATURE)
    header: tuple[int, int, int, int, int] | None = None
    palette = None
    idat: list[bytes] = []
    while position + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        crc = data[position + 8 + length : position + 12 + length]
        if len(body) != length or len(crc) != 4:
            return None  # cut short: let the decoding path report it
        if struct.unpack(">I", crc)[0] != zlib.crc32(kind + body) & 0xFFFFFFFF:
            return None
        if kind == b"IHDR":
            width, height, bits, color_type, _compression, _filter, interlace = struct.unpack(
                ">IIBBBBB", body
            )
            header = (width, height, bits, color_type, interlace)
        elif kind == b"PLTE":
            palette = body
        elif kind == b"tRNS":
            return None  # transparency needs a soft mask
        elif kind == b"IDAT":
            idat.append(body)
        elif kind == b"IEND":
            break
        position += 12 + length
    if header is None or not idat:
        return None
    width, height, bits, color_type, interlace = header
    if interlace or color_type not in _COLORS or bits not in (1, 2, 4, 8, 16):
        return None
    if color_type == 3 and (palette is None or bits == 16):
        return None
    if color_type == 2 and bits not in (8, 16):
        return None
    return RawPicture(
        width,
        height,
        bits,
        _COLORS[color_type],
        palette if color_type == 3 else None,
        b"".join(idat),
    )
