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

# JPEG segments a decoder needs: tables (DQT, DHT, DAC), restart interval, line count,
# frame and scan headers. Everything else (EXIF/GPS, XMP, IPTC, C2PA in APP11, maker
# notes, comments) is dropped; APP0 JFIF and APP14 Adobe are rebuilt at their fixed
# length (see strip_jpeg_metadata). APP2's ICC colour profile goes too: its description
# and copyright are free text (a phone's model, a name), and without it a viewer shows
# the picture as sRGB, a shade less saturated at most.
_KEEP_MARKERS = {0xDB, 0xC4, 0xCC, 0xDD, 0xDC, 0xDA} | {
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
    """The first JPEG image with only what a decoder needs; its coded pixels unchanged.

    Every marker is walked, before the first scan and between scans alike (a comment
    or an XMP segment can sit between the scans of a progressive JPEG, or after the
    last one): tables, frame and scan headers are kept, APPn and COM segments dropped.
    APP0 JFIF and APP14 Adobe change how the picture is decoded, so one of each stays,
    cut to its fixed length (a JFIF thumbnail, a JFXX extension or bytes hidden past
    the fields go). Everything after the end-of-image marker (an MPO's second frame, a
    motion-photo video with its own location) is cut.
    """
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    out = bytearray(b"\xff\xd8")
    position = 2
    kept_app0 = kept_app14 = scanned = False
    while True:
        if position + 2 > len(data) or data[position] != 0xFF:
            raise ValueError("damaged JPEG marker")
        marker = data[position + 1]
        if marker == 0xFF:  # a fill byte before a marker
            position += 1
            continue
        if marker == 0xD9:
            if not scanned:
                raise ValueError("no image data in the JPEG")
            out += b"\xff\xd9"
            return bytes(out)
        if position + 4 > len(data):
            raise ValueError("the JPEG is cut short")
        end = position + 2 + int.from_bytes(data[position + 2 : position + 4], "big")
        if end > len(data) or end < position + 4:
            raise ValueError("the JPEG is cut short")
        body = data[position + 4 : end]
        if marker == 0xE0 and not kept_app0 and body.startswith(b"JFIF\x00") and len(body) >= 14:
            out += b"\xff\xe0\x00\x10" + body[:12] + b"\x00\x00"  # no thumbnail
            kept_app0 = True
        elif marker == 0xEE and not kept_app14 and body.startswith(b"Adobe") and len(body) >= 12:
            out += b"\xff\xee\x00\x0e" + body[:12]
            kept_app14 = True
        elif marker in _KEEP_MARKERS:
            out += data[position:end]
        position = end
        if marker == 0xDA:  # the coded pixels run to the next marker that is not a restart
            scanned = True
            scan_end = _next_marker(data, position)
            out += data[position:scan_end]
            position = scan_end


def _next_marker(data: bytes, position: int) -> int:
    """Where the next marker after coded pixels starts: 0xFF followed by neither 0x00
    (a stuffed byte) nor a restart marker (which belongs to the pixels)."""
    while True:
        found = data.find(b"\xff", position)
        if found < 0 or found + 1 >= len(data):
            raise ValueError("the JPEG is cut short")
        following = data[found + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            position = found + 2
        elif following == 0xFF:  # fill bytes: the marker is further on
            position = found + 1
            while position < len(data) and data[position] == 0xFF:
                position += 1
            return position - 1
        else:
            return found
