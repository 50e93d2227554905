"""Pictures and PDF pages turned into plain pixels, inside a sandboxed worker.

The one module outside ``nco_desktop/ui/`` that loads Qt: QtPdf (pdfium) renders PDF
pages, and it runs only here, in a worker that is confined before it reads a byte
(:mod:`.confine`). QPdfDocument works without a QGuiApplication and with an empty
environment. Pictures are decoded by Pillow. Either way the answer is raw RGBA8888
(:class:`~nco_desktop.sandbox.wire.Raster`), which the window wraps in a QImage without
decoding anything itself.

The last opened PDF stays open in this worker, so paging through it costs a render,
not a parse; the parent re-opens it if the worker was replaced.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from io import BytesIO
from typing import Any

from PIL import Image, ImageOps
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize
from PySide6.QtGui import QImage
from PySide6.QtPdf import QPdfDocument, QPdfDocumentRenderOptions

from nco_desktop.binder import pdf_described
from nco_desktop.binder.picture_prep import PreparedPicture, prepare_picture
from nco_desktop.evidence.picture_areas import Area
from nco_desktop.importers.formats import images
from nco_desktop.importers.model import UnreadableFile
from nco_desktop.sandbox import audio, wire

#: What the window shows; TIFF and GIF arrive as e-mail attachments.
PICTURE_FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF", "HEIF")
NOT_SHOWABLE = "the file is not a picture this program can show; it was kept as it is"
PDF_DAMAGED = "the PDF is damaged or cannot be opened; it was kept as it is"
PDF_LOCKED = "the PDF is protected by a password; it was kept as it is"
NO_PDF = "no PDF is open in this reader"

Send = Callable[[dict[str, Any], list[bytes]], None]
_open: tuple[QPdfDocument, QBuffer, QByteArray] | None = None


def prepare() -> None:
    """Load what rendering needs while the worker can still read its own files."""
    Image.init()
    images._heif_opener()
    QImage(1, 1, QImage.Format.Format_RGBA8888).fill(0)
    audio.prepare()


def run(op: str, task: dict[str, Any], payloads: list[bytes], send: Send) -> None:
    if op == "picture":
        width, height, rgba = picture(payloads[0], _int(task.get("max_side"), 1, 16384))
        send({"kind": "raster", "width": width, "height": height}, [rgba])
    elif op == "pdf_open":
        send({"kind": "pages", "pages": [list(size) for size in pdf_open(payloads[0])]}, [])
    elif op == "pdf_page":
        index = _int(task.get("index"), 0, 1_000_000)
        width, height, rgba = pdf_page(index, _int(task.get("width_px"), 1, 16384))
        send({"kind": "raster", "width": width, "height": height}, [rgba])
    elif op == "pdf_pages":
        graph, streams = pdf_pages(payloads[0])
        send({"kind": "pdf_pages"}, [graph, *streams])
    elif op == "binder_picture":
        prepared = binder_picture(payloads[0], task.get("strip_metadata"), task.get("areas"))
        pixels = prepared.pixels
        header = {
            "kind": "binder_picture",
            "width": pixels.width,
            "height": pixels.height,
            "bits": pixels.bits,
            "colors": pixels.colors,
            "jpeg": pixels.jpeg,
            "orientation": prepared.orientation,
            "converted": prepared.converted,
        }
        send(header, [pixels.data, pixels.palette or b""])
    elif op in ("audio", "audio_clean"):  # PCM to play, or a copy with only its sound
        audio.run(task, payloads, send)


def picture(data: bytes, max_side: int) -> tuple[int, int, bytes]:
    """Upright (EXIF orientation applied), at most *max_side* a side, RGBA kept."""
    with picture_errors(data), Image.open(BytesIO(data), formats=PICTURE_FORMATS) as image:
        images._refuse_if_huge(image.size)
        image.draft(None, (max_side, max_side))
        image.thumbnail((max_side, max_side))
        upright = ImageOps.exif_transpose(image)
        if upright.mode.startswith("I"):  # 16-bit grey: scale, or it clips to white
            upright = upright.convert("I").point(lambda v: v / 256).convert("L")
        rgba = upright.convert("RGBA")
    return rgba.width, rgba.height, rgba.tobytes()


def binder_picture(data: bytes, strip: object, areas: object) -> PreparedPicture:
    """A picture made ready for the binder (:mod:`nco_desktop.binder.picture_prep`)."""
    if not isinstance(strip, bool) or not isinstance(areas, list) or len(areas) > 1000:
        raise UnreadableFile("the reader was asked for something out of range")
    boxes = []
    for box in areas:
        if not (isinstance(box, list) and len(box) == 4 and all(_fraction(v) for v in box)):
            raise UnreadableFile("the reader was asked for something out of range")
        boxes.append(Area(*(float(v) for v in box)))
    with picture_errors(data):
        return prepare_picture(data, strip_metadata=strip, areas=boxes)


@contextmanager
def picture_errors(data: bytes) -> Iterator[None]:
    """Whatever a picture does to Pillow becomes one of the reader's plain sentences;
    a decompression bomb's warning is an error here, not a note."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except UnreadableFile:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning, MemoryError) as e:
            raise UnreadableFile(images.TOO_LARGE) from e
        except Image.UnidentifiedImageError as exc:
            raise UnreadableFile(images.EMPTY if not data else NOT_SHOWABLE) from exc
        except Exception as exc:
            raise UnreadableFile(images.DAMAGED) from exc


def pdf_pages(data: bytes) -> tuple[bytes, list[bytes]]:
    """A PDF chosen as an exhibit, described as plain data for the binder to rebuild
    (:mod:`nco_desktop.binder.pdf_described`): the build never parses it itself."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return pdf_described.describe(data)
        except PermissionError as exc:
            raise UnreadableFile(PDF_LOCKED) from exc
        except pdf_described.DescribeError as exc:
            raise UnreadableFile(f"{exc}; it was kept as it is") from exc
        except (MemoryError, RecursionError) as exc:
            raise UnreadableFile(images.TOO_LARGE) from exc
        except Exception as exc:
            raise UnreadableFile(PDF_DAMAGED) from exc


def _fraction(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1


def pdf_open(data: bytes) -> list[tuple[float, float]]:
    """Open *data* as the current document; its page sizes in points."""
    global _open
    _close()
    array = QByteArray(data)
    buffer = QBuffer(array)
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    _open = (document, buffer, array)
    if document.status() != QPdfDocument.Status.Ready:
        locked = document.error() == QPdfDocument.Error.IncorrectPassword
        _close()
        raise UnreadableFile(PDF_LOCKED if locked else PDF_DAMAGED)
    sizes = []
    for index in range(document.pageCount()):
        size = document.pagePointSize(index)
        sizes.append((float(size.width()), float(size.height())))
    if not sizes:
        _close()
        raise UnreadableFile(PDF_DAMAGED)
    return sizes


def open_document() -> QPdfDocument:
    """The document :func:`pdf_open` opened last."""
    if _open is None:
        raise UnreadableFile(NO_PDF)
    return _open[0]


def pdf_page(index: int, width_px: int, *, annotations: bool = False) -> tuple[int, int, bytes]:
    """Page *index* of the current document, *width_px* wide, height to scale; with
    *annotations*, their appearances drawn too (a filled-in form's values), as the
    binder's court copy draws them."""
    if _open is None:
        raise UnreadableFile(NO_PDF)
    document = _open[0]
    if not 0 <= index < document.pageCount():
        raise UnreadableFile("the PDF has no such page; it was kept as it is")
    size = document.pagePointSize(index)
    if not (size.width() > 0 and size.height() > 0):
        raise UnreadableFile(PDF_DAMAGED)
    height = max(1, round(width_px * size.height() / size.width()))
    if height > wire.MAX_RASTER_SIDE or width_px * height > wire.MAX_RASTER_PIXELS:
        raise UnreadableFile("this page is too large to show safely; it was kept as it is")
    options = QPdfDocumentRenderOptions()
    if annotations:
        options.setRenderFlags(QPdfDocumentRenderOptions.RenderFlag.Annotations)
    image = document.render(index, QSize(width_px, height), options)
    if image.isNull():
        raise UnreadableFile(PDF_DAMAGED)
    image = image.convertToFormat(QImage.Format.Format_RGBA8888)
    row = image.width() * 4
    bits = bytes(image.constBits())
    if image.bytesPerLine() != row:
        stride = image.bytesPerLine()
        bits = b"".join(bits[y * stride : y * stride + row] for y in range(image.height()))
    return image.width(), image.height(), bits


def _close() -> None:
    """Destroy the document before its buffer (Qt reads the buffer until then)."""
    global _open
    if _open is not None:
        document, buffer, _array = _open
        _open = None
        document.close()
        del document
        buffer.close()


def _int(value: object, low: int, high: int) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        raise UnreadableFile("the reader was asked for something out of range")
    return value
