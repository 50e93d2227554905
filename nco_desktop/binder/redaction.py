"""The copy for the other side: the user's private details removed, not covered.

Advocates warn that whatever is served may reach the person the order is against. In
the service copy every line the binder draws passes through :class:`Redactor` before
it is drawn, so a redacted address or number is not in the PDF at all (not hidden under
a black box): the text layer holds █ where it was. A merged PDF page that contains a
private detail cannot be rewritten safely, so it is replaced by a page that says it was
withheld. Pictures lose their EXIF/XMP/IPTC segments (GPS above all); their pixels'
compressed data is untouched.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BLOCK = "\u2588"  # █
_PHONE_CHARS = re.compile(r"^[\s+().\-/0-9]+$")


def _pattern(term: str) -> re.Pattern[str] | None:
    term = term.strip()
    if not term:
        return None
    digits = re.sub(r"\D", "", term)
    if _PHONE_CHARS.match(term) and len(digits) >= 7:
        # Any way of writing the number: (555) 010-0199, 555.010.0199, +1 555 010 0199.
        core = digits[-10:]
        return re.compile(r"[\s().\-/]{0,3}".join(re.escape(d) for d in core))
    words = [re.escape(word) for word in term.split()]
    return re.compile(r"\s+".join(words), re.IGNORECASE)


@dataclass(frozen=True)
class Redactor:
    terms: tuple[str, ...]
    _patterns: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        patterns = tuple(p for p in (_pattern(t) for t in self.terms) if p is not None)
        object.__setattr__(self, "_patterns", patterns)

    def __bool__(self) -> bool:
        return bool(self._patterns)

    def apply(self, text: str) -> str:
        for pattern in self._patterns:
            text = pattern.sub(lambda m: BLOCK * len(m.group(0)), text)
        return text

    def finds(self, text: str) -> bool:
        return any(pattern.search(text) for pattern in self._patterns)


NO_REDACTION = Redactor(())

# JPEG segments that carry metadata (EXIF with GPS, XMP, IPTC/Photoshop, comments).
_METADATA_MARKERS = {0xE1, 0xED, 0xFE}


def strip_jpeg_metadata(data: bytes) -> bytes:
    """The same JPEG without its metadata segments; the compressed image data unchanged.

    Walks the marker segments before the scan; anything unexpected returns the input
    unchanged only if it holds no EXIF at all, otherwise raises ValueError so the caller
    falls back to a decoded copy rather than leaking a location.
    """
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("not a JPEG")
    out = bytearray(b"\xff\xd8")
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            raise ValueError("damaged JPEG marker")
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the rest is image data
            out += data[position:]
            return bytes(out)
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        segment = data[position : position + 2 + length]
        if marker not in _METADATA_MARKERS:
            out += segment
        position += 2 + length
    raise ValueError("no image data in the JPEG")
