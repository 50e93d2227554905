"""The header layouts of WhatsApp's "Export chat", one per phone language, and their reader.

WhatsApp writes each message's date and time in the phone's own short date and time
format (the locale's CLDR pattern), so the layout follows the phone's language and
region: ``M/d/yy, h:mm a`` in the US, ``dd.MM.yy, HH:mm`` in Germany, ``dd/MM/yyyy à
HH:mm`` in France, ``y/M/d ah:mm`` in China, ``y. M. d. a h:mm`` in Korea. Android
writes ``<date>, <time> - <sender>: <text>``, iOS ``[<date>, <time>] <sender>: <text>``.

:data:`LAYOUTS` is the table of what is covered: one row per layout, with an example
line written from the locale's published pattern for 9 March 2024, 22:15 (each row is
checked by a test, so the table cannot claim what the reader does not do). One general
expression reads them all, rather than one per row, because the same phone mixes
variants (a narrow no-break space before "PM" since Android 14, direction marks in
right-to-left languages) and because day-first or month-first is decided later, from
the whole file, never from one line.

Digits may be Arabic-Indic or Persian (``\\d`` and ``int()`` read them); dates in the
Solar Hijri calendar (a Persian phone's default) are not converted: they read as a year
before 1600, which :func:`parse_header` refuses rather than invent a date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Order = Literal["day-first", "month-first", "year-first"]


@dataclass(frozen=True)
class Layout:
    """One covered layout: who writes it, an example line, and how its date reads."""

    language: str
    platform: Literal["Android", "iOS"]
    example: str
    order: Order  # the locale's own order: the file itself still has to prove it


LAYOUTS: tuple[Layout, ...] = (
    Layout("English (US)", "Android", "3/9/24, 10:15\u202fPM - Alex: hi", "month-first"),
    Layout("English (US)", "iOS", "[3/9/24, 10:15:07\u202fPM] Alex: hi", "month-first"),
    Layout("English (UK)", "Android", "09/03/2024, 22:15 - Alex: hi", "day-first"),
    Layout("English (UK)", "iOS", "[09/03/2024, 22:15:07] Alex: hi", "day-first"),
    Layout("English (India)", "Android", "09/03/24, 10:15 pm - Alex: hi", "day-first"),
    Layout("English (Canada)", "Android", "2024-03-09, 10:15 p.m. - Alex: hi", "year-first"),
    Layout("German", "Android", "09.03.24, 22:15 - Alex: hi", "day-first"),
    Layout("German", "iOS", "[09.03.24, 22:15:07] Alex: hi", "day-first"),
    Layout("French", "Android", "09/03/2024 à 22:15 - Alex: hi", "day-first"),
    Layout("French", "iOS", "[09/03/2024 22:15:07] Alex: hi", "day-first"),
    Layout("Spanish", "Android", "9/3/24, 22:15 - Alex: hi", "day-first"),
    Layout("Spanish (12-hour)", "Android", "9/3/24, 10:15\u202fp.\u00a0m. - Alex: hi", "day-first"),
    Layout("Spanish", "iOS", "[9/3/24, 22:15:07] Alex: hi", "day-first"),
    Layout("Portuguese (Brazil)", "Android", "09/03/2024 22:15 - Alex: hi", "day-first"),
    Layout("Portuguese", "iOS", "[09/03/2024 22:15:07] Alex: hi", "day-first"),
    Layout("Italian", "Android", "09/03/24, 22:15 - Alex: hi", "day-first"),
    Layout("Dutch", "Android", "09-03-2024 22:15 - Alex: hi", "day-first"),
    Layout("Russian", "Android", "09.03.2024, 22:15 - Alex: hi", "day-first"),
    Layout("Turkish", "Android", "09.03.2024 22:15 - Alex: hi", "day-first"),
    Layout("Polish", "Android", "9.03.2024, 22:15 - Alex: hi", "day-first"),
    Layout("Finnish", "Android", "9.3.2024 klo 22.15 - Alex: hi", "day-first"),
    Layout("Swedish", "Android", "2024-03-09 22:15 - Alex: hi", "year-first"),
    Layout("Hungarian", "Android", "2024. 03. 09. 22:15 - Alex: hi", "year-first"),
    Layout("Japanese", "Android", "2024/03/09 22:15 - Alex: hi", "year-first"),
    Layout("Japanese", "iOS", "[2024/03/09 22:15:07] Alex: hi", "year-first"),
    Layout("Chinese", "Android", "2024/3/9 下午10:15 - Alex: hi", "year-first"),
    Layout("Chinese", "iOS", "[2024/3/9 下午10:15:07] Alex: hi", "year-first"),
    Layout("Chinese (年月日)", "Android", "2024年3月9日 22:15 - Alex: hi", "year-first"),
    Layout("Korean", "Android", "2024. 3. 9. 오후 10:15 - Alex: hi", "year-first"),
    Layout("Korean", "iOS", "[2024. 3. 9. 오후 10:15:07] Alex: hi", "year-first"),
    Layout("Arabic", "Android", "٩\u200f/٣\u200f/٢٠٢٤، ١٠:١٥ م - Alex: hi", "day-first"),
    Layout("Persian (Gregorian)", "Android", "۲۰۲۴/۳/۹،\u200f ۲۲:۱۵ - Alex: hi", "year-first"),
)

_SP = "[ \u00a0\u202f]"  # WhatsApp puts NBSP or narrow NBSP before AM/PM
#: Invisible direction marks (LRM, RLM, ALM, embeddings, isolates, BOM) WhatsApp sprinkles in.
MARK_CHARS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
_M = f"[{MARK_CHARS}]*"
_NUMERIC_DATE = (
    rf"(?P<a>\d{{1,4}}){_M}(?P<sep>[./-]){_SP}?{_M}(?P<b>\d{{1,4}}){_M}(?P=sep){_SP}?{_M}"
    rf"(?P<c>\d{{1,4}})(?P<dot>\.)?"
)
_CJK_DATE = r"(?P<y>\d{4})年(?P<mo>\d{1,2})月(?P<d>\d{1,2})日"
_DATE = rf"(?:{_NUMERIC_DATE}|{_CJK_DATE})"
_BETWEEN = rf"(?P<comma>[,،])?{_M}{_SP}{_M}(?:(?P<word>à|klo|um|в){_SP})?"
#: Words before the time: Chinese, Japanese and Korean write "下午10:15", "오후 10:15".
_BEFORE = {"上午": False, "凌晨": False, "早上": False, "午前": False, "오전": False}
_BEFORE |= {"下午": True, "中午": True, "晚上": True, "午後": True, "오후": True}
#: Words after the time, read as PM (True) or AM (False); Latin "a.m."/"p.m." are read apart.
_AFTER = {"م": True, "ص": False, "ب.ظ": True, "ق.ظ": False}
_TIME = (
    rf"(?:(?P<pre>{'|'.join(_BEFORE)}){_SP}?)?"
    rf"(?P<H>\d{{1,2}})[:.](?P<M>\d{{2}})(?:[:.](?P<S>\d{{2}}))?"
    rf"(?:{_M}{_SP}?{_M}(?P<ampm>[AaPp]\.?{_SP}?[Mm]\.?|{'|'.join(map(re.escape, _AFTER))}))?"
)
_BRACKETED = re.compile(rf"{_M}\[{_M}{_DATE}{_BETWEEN}{_TIME}{_M}\]{_M}{_SP}?(?P<rest>.+)")
_PLAIN = re.compile(
    rf"{_M}{_DATE}{_BETWEEN}{_TIME}"
    rf"(?:(?P<dash>{_M}{_SP}-{_SP})|(?P<colon>:{_SP})|{_SP})(?P<rest>.+)"
)
#: Before this year a date cannot be a WhatsApp message's (a Solar Hijri 1403, a typo).
_FIRST_YEAR = 1600


@dataclass(frozen=True)
class Header:
    """A message's first line taken apart; the date order is applied later."""

    year: int
    lead: int  # day or month, as the file's order says
    follow: int
    fixed: bool  # year-first dates are always year-month-day
    hour: int
    minute: int
    seconds: int | None
    pm: bool | None  # None on a 24-hour clock
    rest: str  # "Sender: text", or a system line
    raw: str  # the date and time exactly as written
    #: Why this layout is a day-first convention ("dots", "à"), or None when it is not.
    convention: str | None = None

    def date(self, day_first: bool) -> tuple[int, int, int] | None:
        """(year, month, day) read one way, or None when that date cannot exist."""
        swap = day_first and not self.fixed
        month, day = (self.follow, self.lead) if swap else (self.lead, self.follow)
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        try:
            datetime(self.year, month, day)
        except ValueError:
            return None
        return self.year, month, day

    def local(self, day_first: bool) -> datetime | None:
        """The wall-clock time, or None when that date cannot exist."""
        date = self.date(day_first)
        if date is None:
            return None
        hour = self.hour
        if self.pm is not None:
            hour = (0 if hour == 12 else hour) + (12 if self.pm else 0)
        return datetime(*date, hour, self.minute, self.seconds or 0)


def _convention(g: dict[str, str | None], bracketed: bool, twelve_hour: bool) -> str | None:
    """The layout's day-first evidence: what no month-first phone writes."""
    if g["sep"] == ".":
        return "dots between day, month and year"
    if g["sep"] == "-":
        return "dashes between day, month and year"
    if g["word"] in ("à", "klo"):
        return f"“{g['word']}” before the time"
    if g["comma"] == "،":
        return "the Arabic comma"
    padded = all(len(g[k] or "") == 2 for k in ("a", "b"))
    if bracketed and padded and len(g["c"] or "") == 4 and not twelve_hour:
        return "the iPhone layout [dd/mm/yyyy, hh:mm:ss] of day-first languages"
    return None


def parse_header(line: str) -> Header | None:
    """The header at the start of *line*, or None when the line continues a message."""
    bracketed = True
    match = _BRACKETED.fullmatch(line)
    if match is None:
        bracketed, match = False, _PLAIN.fullmatch(line)
    if match is None:
        return None
    g = match.groupdict()
    if not bracketed and not (g["dash"] or g["colon"] or g["dot"]):
        return None  # a bare space after the time only in "13. 6. 2018. 21:25 a: m"
    if g["y"] is not None:
        year, lead, follow, fixed = g["y"], g["mo"] or "", g["d"] or "", True
    else:
        a, b, c = g["a"] or "", g["b"] or "", g["c"] or ""
        if len(a) == 4 and len(b) <= 2 and len(c) <= 2:
            year, lead, follow, fixed = a, b, c, True
        elif len(b) == 4 and len(a) <= 2 and len(c) <= 2:
            year, lead, follow, fixed = b, a, c, False
        elif len(c) in (2, 4) and len(a) <= 2 and len(b) <= 2:
            year, lead, follow, fixed = c, a, b, False
        else:
            return None
    hour, minute = int(g["H"] or 0), int(g["M"] or 0)
    pm: bool | None = None
    if (ampm := g["ampm"]) is not None:
        pm = _AFTER[ampm] if ampm in _AFTER else ampm[0] in "pP"
    if (pre := g["pre"]) is not None:
        pm = _BEFORE[pre]
    if hour > (12 if pm is not None else 23) or minute > 59:
        return None
    full_year = int(year) + (2000 if len(year) == 2 else 0)
    if full_year < _FIRST_YEAR:
        return None
    start = match.start("a") if g["y"] is None else match.start("y")
    raw = line[start : match.start("rest")].strip(" -:][\u00a0\u202f" + MARK_CHARS)
    seconds = None if g["S"] is None else int(g["S"])
    convention = None if fixed else _convention(g, bracketed, pm is not None)
    return Header(
        full_year,
        int(lead),
        int(follow),
        fixed,
        hour,
        minute,
        seconds,
        pm,
        g["rest"] or "",
        raw,
        convention,
    )
