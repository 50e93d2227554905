"""The time in a screenshot's (or camera picture's) file name: one table row per pattern.

A picture without EXIF, a pasted or forwarded screenshot, still often carries the moment
it was taken in its name, written by the phone or computer that took it. Each row below
is a naming pattern phones and computers are documented or observed to use, with a name
it gives (a test reads every example back). Names are wall-clock time of the device that
took the picture, except where a row says UTC; the caller reads them in the vault's zone
(:mod:`nco_desktop.importers.formats.wall_clock`) and stores them as ``file-name``, a weak
source, because a renamed file lies. Rows marked "no time" are names known to hold none
(an iPhone's ``IMG_1234.PNG``), so nothing is read from their digits.

Matching ignores letter case (``Screen shot`` on OS X 10.6) and allows the " (2)" a
computer adds when the name was taken. Order matters only where two rows could match;
none do today.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from nco_desktop.evidence.records import TimePrecision

_D8 = r"(?P<y>\d{4})(?P<mo>\d\d)(?P<d>\d\d)"
_DISO = r"(?P<y>\d{4})-(?P<mo>\d\d)-(?P<d>\d\d)"
_T6 = r"(?P<h>\d\d)(?P<mi>\d\d)(?P<s>\d\d)"
_T_DASH = r"(?P<h>\d\d)-(?P<mi>\d\d)-(?P<s>\d\d)"
_T_DOT = r"(?P<h>\d{1,2})\.(?P<mi>\d\d)\.(?P<s>\d\d)"
_AMPM = r"(?:[ \u202f\u00a0]?(?P<ampm>[AP]M))?"  # macOS 13+ puts U+202F before AM/PM
_TAIL = r"(?:_.+)?"  # Android adds the app in front: "_WhatsApp", "_com.whatsapp", a hash
_COPY = r"(?: ?\(\d+\))?"  # "… (2).png" when the name was taken
_EXTENSION = r"\.[A-Za-z0-9]{2,5}"


@dataclass(frozen=True)
class NamePattern:
    """One way a device names its pictures."""

    label: str  # who names files this way, as the entry's meta says it
    example: str  # a name it gives; a test reads each one back
    body: str  # the name before any " (2)" and the extension, as a regex
    utc: bool = False  # the digits are UTC, not the device's wall clock
    has_time: bool = True  # False: the name is known to hold no time at all


#: Every pattern read, strongest evidence first. Sources: AOSP SystemUI's screenshot
#: file-name format (``Screenshot_yyyyMMdd-HHmmss``, app name appended since Android 9
#: on many builds); vendor names as they appear on their phones; Apple's and
#: Microsoft's default screenshot names in the listed versions.
PATTERNS: tuple[NamePattern, ...] = (
    NamePattern(
        "Android screenshot (Pixel, Samsung One UI, Motorola, OnePlus, stock Android)",
        "Screenshot_20240309-221507_WhatsApp.jpg",
        rf"Screenshot_{_D8}-{_T6}{_TAIL}",
    ),
    NamePattern(
        "Android screenshot (Huawei EMUI/HarmonyOS, Vivo; KDE Spectacle)",
        "Screenshot_20240309_221507_com.whatsapp.jpg",
        rf"Screenshot_{_D8}_{_T6}{_TAIL}",
    ),
    NamePattern(
        "Android screenshot (Xiaomi MIUI/HyperOS, Oppo ColorOS, Realme, OnePlus)",
        "Screenshot_2024-03-09-22-15-07-123_com.whatsapp.jpg",
        rf"Screenshot_{_DISO}-{_T_DASH}-(?P<frac>\d{{1,3}}){_TAIL}",
    ),
    NamePattern(
        "Android screenshot (older Samsung, LG, Sony, MIUI)",
        "Screenshot_2017-03-12-22-15-30_com.android.chrome.png",
        rf"Screenshot_{_DISO}-{_T_DASH}{_TAIL}",
    ),
    NamePattern(
        "macOS screenshot (Ventura and later)",
        "Screenshot 2024-03-09 at 10.15.07\u202fPM.png",
        rf"Screenshot {_DISO} at {_T_DOT}{_AMPM}",
    ),
    NamePattern(
        "macOS screenshot (Monterey and earlier)",
        "Screen Shot 2019-03-09 at 10.15.07 PM.png",
        rf"Screen ?shot {_DISO} at {_T_DOT}{_AMPM}",
    ),
    NamePattern(
        "macOS screenshot (German)",
        "Bildschirmfoto 2024-03-09 um 22.15.07.png",
        rf"Bildschirmfoto {_DISO} um {_T_DOT}",
    ),
    NamePattern(
        "macOS screenshot (French)",
        "Capture d\u2019\u00e9cran 2024-03-09 \u00e0 22.15.07.png",
        rf"Capture d[\u2019']\u00e9cran {_DISO} \u00e0 {_T_DOT}",
    ),
    NamePattern(
        "macOS screenshot (Spanish)",
        "Captura de pantalla 2024-03-09 a las 22.15.07.png",
        rf"Captura de pantalla {_DISO} a las? {_T_DOT}",
    ),
    NamePattern(
        "Windows screenshot (Snipping Tool, Windows 11)",
        "Screenshot 2024-03-09 221507.png",
        rf"Screenshot {_DISO} {_T6}",
    ),
    NamePattern(
        "Linux screenshot (GNOME)",
        "Screenshot from 2024-03-09 22-15-07.png",
        rf"Screenshot from {_DISO} {_T_DASH}",
    ),
    NamePattern(
        "Pixel camera, UTC",
        "PXL_20240309_221507123.jpg",
        rf"PXL_{_D8}_{_T6}(?P<frac>\d{{3}})(?:[._~].*)?",
        utc=True,
    ),
    NamePattern(
        "Android camera",
        "IMG_20240309_221507.jpg",
        rf"(?:IMG|VID)_{_D8}_{_T6}{_TAIL}",
    ),
    NamePattern(
        "Samsung camera",
        "20240309_221507.jpg",
        rf"{_D8}_{_T6}",
    ),
    NamePattern(
        "WhatsApp, date only",
        "IMG-20240309-WA0001.jpg",
        rf"IMG-{_D8}-WA\d+",
    ),
    NamePattern(
        "iPhone picture or screenshot (no time in the name)",
        "IMG_1234.PNG",
        r"IMG_E?\d{4}",
        has_time=False,
    ),
    NamePattern(
        "Windows Print Screen (no time in the name)",
        "Screenshot (12).png",
        r"Screenshot \(\d+\)",
        has_time=False,
    ),
)

_COMPILED = tuple(
    (row, re.compile(row.body + _COPY + _EXTENSION, re.IGNORECASE)) for row in PATTERNS
)


@dataclass(frozen=True)
class NameReading:
    """What a file name says: the row it matched, and the time (None: none, or no real date)."""

    pattern: NamePattern
    naive: datetime | None
    precision: TimePrecision


def read_name(name: str) -> NameReading | None:
    """The first row *name* (a bare file name or a path) matches, read; None if no row does."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    for row, regex in _COMPILED:
        if (match := regex.fullmatch(name)) is None:
            continue
        if not row.has_time:
            return NameReading(row, None, TimePrecision.UNKNOWN)
        return _reading(row, match.groupdict())
    return None


def _reading(row: NamePattern, parts: dict[str, str | None]) -> NameReading:
    hour = int(parts.get("h") or 0)
    if ampm := parts.get("ampm"):  # 12 AM is midnight, 12 PM noon; "13 PM" is no time at all
        hour = hour % 12 + (12 if ampm.upper() == "PM" else 0) if 1 <= hour <= 12 else -1
    try:
        naive = datetime(
            int(parts["y"] or 0),
            int(parts["mo"] or 0),
            int(parts["d"] or 0),
            hour,
            int(parts.get("mi") or 0),
            int(parts.get("s") or 0),
        )
    except (ValueError, TypeError):
        return NameReading(row, None, TimePrecision.UNKNOWN)
    if naive.year < 1900:  # a reset clock, not a date
        return NameReading(row, None, TimePrecision.UNKNOWN)
    precision = TimePrecision.DAY if parts.get("h") is None else TimePrecision.SECOND
    frac = parts.get("frac")
    if frac and len(frac) == 3:  # milliseconds; MIUI's two digits are not documented
        naive += timedelta(milliseconds=int(frac))
        precision = TimePrecision.MILLISECOND
    return NameReading(row, naive, precision)
