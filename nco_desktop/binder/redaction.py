"""The copy for the other side: the user's private details removed, not covered.

Advocates warn that whatever is served may reach the person the order is against. In
the service copy every line the binder draws passes through :class:`Redactor` before
it is drawn, so a redacted address or number is not in the PDF at all (not hidden under
a black box): the text layer holds █ where it was. Every place found is noted in the
build's :class:`~nco_desktop.binder.review.Review`, and a place the user released is
left as it is. An imported PDF's pages are drawn as pixels with the details painted
out (:mod:`.service_pages`); pictures lose their EXIF/XMP/IPTC segments (GPS above all)
and have the details read in them painted out (:mod:`.read_areas`).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from nco_desktop.binder.private_matching import Detail, found_spans, read_detail
from nco_desktop.binder.review import Review, context, text_key

BLOCK = "\u2588"  # █


@dataclass(frozen=True)
class Redactor:
    """The user's private details, each read for its variants and matched as whole
    words (:mod:`.private_matching`)."""

    terms: tuple[str, ...]
    #: Where the places found are noted, with what the user released; None: hide all.
    review: Review | None = field(default=None, repr=False, compare=False)
    details: tuple[Detail, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        read = tuple(read_detail(term) for term in self.terms)
        object.__setattr__(self, "details", tuple(d for d in read if d.patterns))

    def __bool__(self) -> bool:
        return bool(self.details)

    def apply(self, text: str) -> str:
        """*text* with █ over every place a detail appears, one per character, so the
        line keeps its length; a place the user released stays as it is."""
        if not self.details:
            return text
        text = unicodedata.normalize("NFC", text)  # looks the same; matches the same
        pieces: list[str] = []
        at = 0
        for start, end, term in found_spans(text, self.details):
            if self.review is not None:
                key = text_key(term, text, start, end)
                if not self.review.saw(key, term, context(text, start, end)):
                    continue
            pieces += [text[at:start], BLOCK * (end - start)]
            at = end
        pieces.append(text[at:])
        return "".join(pieces)


NO_REDACTION = Redactor(())

# JPEG segments a decoder needs; everything else (EXIF/GPS, XMP, IPTC, C2PA in APP11,
# maker notes, comments) is dropped. APP0 JFIF and APP14 Adobe stay: they change how the
# picture is decoded, not who or where it was. APP2's ICC colour profile goes too: its
# description and copyright are free text (a phone's model, a name), and without it a
# viewer shows the picture as sRGB, a shade less saturated at most.
_KEEP_MARKERS = {0xE0, 0xEE, 0xDB, 0xC4, 0xDD, 0xCC} | {
    m for m in range(0xC0, 0xD0) if m not in (0xC4, 0xC8, 0xCC)
}


def primary_jpeg(data: bytes) -> bytes:
    """The first whole JPEG image in *data*: up to its end marker. Phones append a
    second picture (MPO) or a motion-photo video after it; those are not the picture."""
    return data[: _scan_bounds(data)[1]]


def _scan_bounds(data: bytes) -> tuple[int, int]:
    """(offset of the first start-of-scan, offset just past the end-of-image marker)."""
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise ValueError("damaged JPEG marker")
        marker = data[position + 1]
        if marker == 0xDA:
            end = data.find(b"\xff\xd9", position)
            if end < 0:
                raise ValueError("the JPEG is cut short")
            return position, end + 2
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
    raise ValueError("no image data in the JPEG")


def strip_jpeg_metadata(data: bytes) -> bytes:
    """The first JPEG image without metadata; its compressed image data unchanged.

    In entropy-coded data 0xFF is always followed by 0x00 or a restart marker, so the
    first FF D9 after the scan starts is the real end of the image; anything appended
    after it (an MPO's second frame, a motion-photo MP4 with its own location) is cut.
    """
    scan, end = _scan_bounds(data)
    out = bytearray(b"\xff\xd8")
    position = 2
    while position < scan:
        marker = data[position + 1]
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if marker in _KEEP_MARKERS:
            out += data[position : position + 2 + length]
        position += 2 + length
    out += data[scan:end]
    return bytes(out)
