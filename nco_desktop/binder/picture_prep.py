"""A picture made ready for the binder, inside the sandbox: compressed pixels only.

Runs in a sandboxed worker (:mod:`nco_desktop.sandbox.render`), never in the process
that holds the vault key: a picture chosen as an exhibit may have been written by the
other side. What comes back is a :class:`~nco_desktop.binder.raw_pictures.RawPicture`
the binder embeds without decoding anything:

- a JPEG goes in as its own bytes (DCTDecode), rotated by the page transform rather
  than re-encoded — without its metadata in the copy for the other side;
- a PNG goes in as its own compressed pixels when PDF can read them as they are (for
  the court's copy; the other side's gets them decoded and compressed again);
- anything else (HEIC, WebP, a PNG with transparency, a CMYK JPEG) is decoded here and
  embedded as a lossless PNG or, for photo formats, a high-quality JPEG (the caption
  says so); transparency is laid on white, as it prints;
- areas the user marked are painted black into the pixels for the other side's copy.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass

from PIL import Image, ImageDraw, ImageOps

from nco_desktop.binder.raw_pictures import RawPicture, jpeg_as_is, png_as_is
from nco_desktop.binder.redaction import primary_jpeg, strip_jpeg_metadata
from nco_desktop.evidence.picture_areas import Area

CONVERTED_QUALITY = 92


@dataclass(frozen=True)
class PreparedPicture:
    pixels: RawPicture
    orientation: int  # the EXIF orientation the page transform applies (1: upright)
    converted: bool  # a format a PDF cannot hold, printed from a JPEG copy


def prepare_picture(
    data: bytes, *, strip_metadata: bool = False, areas: list[Area] | None = None
) -> PreparedPicture:
    """The picture in *data* as compressed pixels a PDF holds as they are."""
    _register_heif()
    if areas:
        return PreparedPicture(_painted_over(data, areas), 1, False)
    with Image.open(io.BytesIO(data)) as image:
        width, height = image.size
        fmt = image.format
        # A PNG may carry an EXIF orientation too (an eXIf chunk); the window heeds it,
        # so the binder does, or the two would show the same picture turned differently.
        orientation = image.getexif().get(0x0112, 1) if fmt in ("JPEG", "PNG") else 1
        if orientation not in range(1, 9):
            orientation = 1
        # For the other side a PNG is always decoded and written again: its compressed
        # data could carry bytes past the pixels (see png_as_is), and only pixels go.
        pixels = png_as_is(data) if fmt == "PNG" and not strip_metadata else None
        if pixels is not None:
            return PreparedPicture(pixels, orientation, False)
        if fmt == "MPO":  # a phone's multi-picture JPEG: its first image is the photo
            with contextlib.suppress(ValueError):
                data, fmt = primary_jpeg(data), "JPEG"
        if fmt == "JPEG" and strip_metadata:
            data = _without_metadata(data)  # orientation was read above, before stripping
        if fmt == "JPEG" and (jpeg := jpeg_as_is(data, width, height, image.mode)):
            return PreparedPicture(jpeg, orientation, False)
        upright = _on_white(ImageOps.exif_transpose(image))
        if fmt == "PNG":  # transparency or interlacing: lossless, re-compressed
            return PreparedPicture(_png(upright), 1, False)
        # HEIC, WebP, CMYK JPEGs and the rest: a lossless copy of a 12 MP photo is
        # ~25 MB (the whole e-filing limit), so they are printed as a high-quality JPEG;
        # the original stays unchanged in the vault, hash on the divider page.
        # A CMYK JPEG is re-encoded too: the caption says so, like any other copy.
        return PreparedPicture(_jpeg(upright.convert("RGB")), 1, True)


def _register_heif() -> None:
    """HEIC/HEIF (iPhone photos) need pillow-heif's opener."""
    from pillow_heif import register_heif_opener

    register_heif_opener()


def _without_metadata(data: bytes) -> bytes:
    """A JPEG without EXIF/XMP/IPTC (GPS above all), or a re-encoded copy if it is odd."""
    try:
        return strip_jpeg_metadata(data)
    except ValueError:
        with Image.open(io.BytesIO(data)) as image:
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=CONVERTED_QUALITY)
            return out.getvalue()


def _on_white(image: Image.Image) -> Image.Image:
    if "A" in image.getbands() or "transparency" in image.info:
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, "white")
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    if image.mode.startswith("I"):  # 16-bit grey: scale down, or it all clips to white
        return image.convert("I").point(lambda value: value / 256).convert("L")
    return image.convert("L" if image.mode in ("1", "L") else "RGB")


def _png(image: Image.Image) -> RawPicture:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    pixels = png_as_is(out.getvalue())
    assert pixels is not None  # an RGB or grey, non-interlaced PNG without alpha
    return pixels


def _jpeg(image: Image.Image) -> RawPicture:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=CONVERTED_QUALITY)
    pixels = jpeg_as_is(out.getvalue(), *image.size, image.mode)
    assert pixels is not None
    return pixels


def _painted_over(data: bytes, areas: list[Area]) -> RawPicture:
    """The upright picture with *areas* painted black into its pixels, for the copy for
    the other side: PNG (lossless) stays PNG, the rest becomes a JPEG without metadata.
    Drawing a box over an image would leave the pixels under it in the file."""
    with Image.open(io.BytesIO(data)) as image:
        lossless = image.format == "PNG"
        upright = _on_white(ImageOps.exif_transpose(image))
        painter = ImageDraw.Draw(upright)
        for area in areas:
            left, top, right, bottom = area.in_pixels(*upright.size)
            painter.rectangle((left, top, right - 1, bottom - 1), fill=0)
        return _png(upright) if lossless else _jpeg(upright)
