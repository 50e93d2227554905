"""Every binder page's footer: its number, its Bates number and its exhibit stamp.

Drawn last, on one overlay document merged onto the finished pages, because only then
is each page's number known; the words read in a scanned page go on the same overlay,
invisible, through the matrix that framed the page (:mod:`.text_layer`). Split from
:mod:`.assemble`, which lays out and joins the parts.
"""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter

from nco_desktop.binder import fonts
from nco_desktop.binder.layout import FOOTER
from nco_desktop.binder.options import BinderOptions, Corner
from nco_desktop.binder.text_layer import ScannedLayer, lay_scanned


def stamp_pages(
    writer: PdfWriter,
    exhibit_of: list[str | None],
    options: BinderOptions,
    layers: dict[int, ScannedLayer],
) -> None:
    """Number every page of *writer* (1…N, as its page labels will say), stamp each
    exhibit page "Pet. Ex. 3 — p. 2 of 5" (*exhibit_of*: each page's exhibit label, or
    None), add the Bates number if chosen, and lay the scanned pages' words."""
    count = len(writer.pages)
    per_exhibit: dict[str, int] = {}
    for label in exhibit_of:
        if label is not None:
            per_exhibit[label] = per_exhibit.get(label, 0) + 1
    seen: dict[str, int] = {}
    texts = []
    for number, label in enumerate(exhibit_of, start=1):
        stamp = ""
        if label is not None:
            seen[label] = seen.get(label, 0) + 1
            stamp = f"{options.prefix} {label} — p. {seen[label]} of {per_exhibit[label]}"
        bates = f"{options.bates}{number:06d}" if options.bates else ""
        texts.append((f"Page {number} of {count}", bates, stamp))
    boxes = [
        (
            float(p.cropbox.left),
            float(p.cropbox.bottom),
            float(p.cropbox.width),
            float(p.cropbox.height),
        )
        for p in writer.pages
    ]
    overlay = _stamp_overlay(boxes, texts, options.stamp_corner, layers)
    for page, stamp_page in zip(writer.pages, overlay.pages, strict=True):
        page.merge_page(stamp_page)


def _stamp_overlay(
    boxes: list[tuple[float, float, float, float]],
    texts: list[tuple[str, str, str]],
    corner: Corner,
    layers: dict[int, ScannedLayer],
) -> PdfReader:
    """One overlay page per binder page: number (centre), Bates (left), exhibit stamp,
    and the words read in a scanned page, invisible (one document, so the font they
    share is embedded once).

    Placed inside each page's visible box (its crop box, which an imported PDF may set
    away from the origin), in that page's own coordinates: the overlay's content is
    merged into the page unchanged.
    """
    buffer = io.BytesIO()
    canvas = fonts.canvas(buffer, invariant=1, pageCompression=1)
    for page_index, ((left, bottom, width, height), (number, bates, stamp)) in enumerate(
        zip(boxes, texts, strict=True)
    ):
        canvas.setPageSize((max(left + width, 1), max(bottom + height, 1)))
        if page_index in layers:
            lay_scanned(canvas, layers[page_index])
        canvas.setFont(fonts.REGULAR, FOOTER)
        canvas.drawCentredString(left + width / 2, bottom + 28, number)
        if bates:
            canvas.drawString(left + 36, bottom + 28, bates)
        if stamp:
            canvas.setFont(fonts.BOLD, FOOTER)
            top = corner in (Corner.TOP_LEFT, Corner.TOP_RIGHT)
            y = height - 30 if top else 44 if bates and corner is Corner.BOTTOM_LEFT else 28
            if corner in (Corner.TOP_RIGHT, Corner.BOTTOM_RIGHT):
                canvas.drawRightString(left + width - 36, bottom + y, stamp)
            else:
                canvas.drawString(left + 36, bottom + y, stamp)
        canvas.showPage()
    canvas.save()
    return PdfReader(io.BytesIO(buffer.getvalue()))
