"""A prepared picture placed on an assembled binder page, beneath the page's own drawing.

The picture's compressed pixels come from a sandboxed worker
(:mod:`nco_desktop.binder.sandbox_worker`) and go into the PDF as they are: a JPEG's own
bytes as a DCT stream, a PNG's IDAT data as a Flate stream with PNG predictors. Nothing
is decoded here.
"""

from __future__ import annotations

from pypdf import PageObject, PdfWriter
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DecodedStreamObject,
    DictionaryObject,
    EncodedStreamObject,
    NameObject,
    NumberObject,
)

from nco_desktop.binder.exhibit_pages import PlacedPicture


def place_picture(writer: PdfWriter, page: PageObject, placed: PlacedPicture) -> None:
    """Embed a PNG's IDAT bytes as an image and draw it beneath the page's own content."""
    pixels = placed.pixels
    image = EncodedStreamObject()
    image._data = pixels.data
    if pixels.palette is not None:
        colour_space: object = ArrayObject(
            [
                NameObject("/Indexed"),
                NameObject("/DeviceRGB"),
                NumberObject(len(pixels.palette) // 3 - 1),
                ByteStringObject(pixels.palette),
            ]
        )
    else:
        colour_space = NameObject("/DeviceRGB" if pixels.colors == 3 else "/DeviceGray")
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Width"): NumberObject(pixels.width),
            NameObject("/Height"): NumberObject(pixels.height),
            NameObject("/ColorSpace"): colour_space,
            NameObject("/BitsPerComponent"): NumberObject(pixels.bits),
        }
    )
    if pixels.jpeg:  # the JPEG file itself is the DCT stream
        image[NameObject("/Filter")] = NameObject("/DCTDecode")
    else:  # PNG's IDAT data is a zlib stream with PNG row predictors
        image[NameObject("/Filter")] = NameObject("/FlateDecode")
        image[NameObject("/DecodeParms")] = DictionaryObject(
            {
                NameObject("/Predictor"): NumberObject(15),
                NameObject("/Colors"): NumberObject(pixels.colors),
                NameObject("/BitsPerComponent"): NumberObject(pixels.bits),
                NameObject("/Columns"): NumberObject(pixels.width),
            }
        )
    reference = writer._add_object(image)
    resources = page.setdefault(NameObject("/Resources"), DictionaryObject()).get_object()
    xobjects = resources.setdefault(NameObject("/XObject"), DictionaryObject()).get_object()
    name = NameObject(f"/NcoImage{len(xobjects)}")
    xobjects[name] = reference
    width, height = placed.size
    drawing = DecodedStreamObject()
    drawing.set_data(
        f"q {placed.transform}{width:.4f} 0 0 {height:.4f} 0 0 cm {name} Do Q\n".encode()
    )
    # Beneath the page's own drawing (frame, caption), where the CTM is still the identity.
    existing: list[object] = []
    contents = page.get("/Contents")
    if contents is not None:
        resolved = contents.get_object()
        existing = list(resolved) if isinstance(resolved, ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject([writer._add_object(drawing), *existing])
