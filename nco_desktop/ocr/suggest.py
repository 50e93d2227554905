"""A time suggested by the words read in a screenshot, for one the file does not give.

A pasted or forwarded screenshot often has no date of its own (no EXIF, no dated file
name), yet the chat it shows prints one: "Tue, Mar 12, 2024 at 10:15 PM" above the
messages, "12/03/2024, 22:15" in a WhatsApp bubble. The program may point at such a
line — never act on it: the computer may have misread a digit, and the date shown may be
of an older message than the threat. So this module only *finds* a candidate, with the
line it came from; the window shows it beside the picture and the user decides, and a
time taken from it is recorded as the user's, with the line as the reason
(:mod:`nco_desktop.case.entry_times`).

Only dates with a year or a weekday-less full form are taken; a bare clock ("9:41",
the status bar's) or "Yesterday" says nothing about the day the picture was taken.
Dates are read by the same rules as dates the user types (:mod:`nco_desktop.typed_dates`),
in the vault's zone and day order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from nco_desktop.ocr.store import OcrPage
from nco_desktop.typed_dates import Unreadable, Want, read_typed

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_CLOCK = r"\d{1,2}[:.]\d{2}(?:\s?[ap]\.?m\.?)?"
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s)?"
#: Dates as chat apps and phones print them, each with an optional time after it.
_CANDIDATES = (
    # Mar 12, 2024 · 10:15 PM — iMessage, Instagram, Facebook
    re.compile(
        rf"\b{_WEEKDAY}{_MONTH}\s\d{{1,2}}(?:st|nd|rd|th)?,?\s\d{{4}}"
        rf"(?:,?\s(?:at\s)?{_CLOCK})?",
        re.IGNORECASE,
    ),
    # 12 March 2024 22:15 — day-first English
    re.compile(
        rf"\b{_WEEKDAY}\d{{1,2}}\s{_MONTH}\s\d{{4}}(?:,?\s(?:at\s)?{_CLOCK})?", re.IGNORECASE
    ),
    # 12/03/2024, 22:15 — WhatsApp, Android
    # (a two-digit year only with its time: "10.15.22" alone is as likely a version)
    re.compile(rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{4}}(?:,?\s{_CLOCK})?", re.IGNORECASE),
    re.compile(rf"\b\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2}},?\s{_CLOCK}", re.IGNORECASE),
    # 2024-03-12 22:15 — many apps' exports
    re.compile(rf"\b\d{{4}}-\d{{2}}-\d{{2}}(?:[ T]{_CLOCK})?", re.IGNORECASE),
)


@dataclass(frozen=True)
class TimeSuggestion:
    """A date (and time, when the line has one) read in a picture, and the line."""

    day: date
    clock_minutes: int | None  # minutes after midnight, or None: the day only
    words: str  # how the program understood it: "Tuesday, Mar 12, 2024, 10:15 PM CDT"
    line: str  # the line of read text it was found in, as read

    @property
    def has_time(self) -> bool:
        return self.clock_minutes is not None


#: No phone screenshot is older than this; an earlier "date" is a misreading.
EARLIEST_YEAR = 2000


def suggest_time(
    reading: OcrPage,
    zone: ZoneInfo,
    *,
    day_first: bool,
    today: date,
    now_minutes: int | None = None,
) -> TimeSuggestion | None:
    """The first full date in *reading*'s lines that reads as a real day between
    :data:`EARLIEST_YEAR` and *today* (and, today, not after *now_minutes*), preferring
    one with a time; None when there is none."""
    if reading.status != "ok":
        return None
    day_only: TimeSuggestion | None = None
    for line in reading.text.splitlines():
        for found in _found_dates(line):
            try:
                understood = read_typed(
                    found, zone, day_first=day_first, want=Want.DAY_OR_MOMENT, today=today
                )
            except (Unreadable, ValueError):
                continue
            day = understood.day
            if day is None or day > today or day.year < EARLIEST_YEAR:
                continue  # a misread digit, or not a date at all
            clock = understood.clock
            minutes = None if clock is None else clock.hour * 60 + clock.minute
            later_today = day == today and (minutes or 0) > (now_minutes or 24 * 60)
            if later_today:
                continue  # not yet
            suggestion = TimeSuggestion(day, minutes, understood.words, line.strip())
            if suggestion.has_time:
                return suggestion
            day_only = day_only or suggestion
    return day_only


def _found_dates(line: str) -> list[str]:
    """Every stretch of *line* that looks like a date, in the order of the patterns."""
    text = " ".join(line.replace("·", " ").split())
    found: list[str] = []
    for pattern in _CANDIDATES:
        found.extend(match.group(0).replace(" at ", " ") for match in pattern.finditer(text))
    return found


@dataclass(frozen=True)
class SenderSuggestion:
    """Who a chat's screenshot is with, as its header shows it, and the line read."""

    party: str  # a number as read ("+1 (555) 010-0199") or a name ("John Roe")
    line: str


#: The top of a phone screenshot holds the status bar and the chat's header; the
#: contact's name or number is in this fraction of the picture's height.
HEADER_SHARE = 0.16
#: Words of the header that are the app's, not the contact's.
_APP_WORDS = frozenset(
    [
        "<",
        "‹",
        "«",
        "back",
        "chats",
        "messages",
        "details",
        "info",
        "video",
        "call",
        "voice",
        "audio",
        "search",
        "more",
        "edit",
        "done",
        "active",
        "online",
        "typing…",
        "typing",
        "now",
        "last",
        "seen",
        "today",
        "yesterday",
        "contact",
        "info",
        "mensajes",
        "chats",
        "atrás",
        "llamada",
        "videollamada",
        "en",
        "línea",
        "escribiendo…",
    ]
)
_STATUS = re.compile(
    r"^(?:\d{1,2}[:.]\d{2}|\d{1,3}%|[45]g|lte|e|h\+?|wi-?fi|[.,:;|/\\-]+|\d{1,3})$", re.I
)


def suggest_sender(reading: OcrPage, region: str) -> SenderSuggestion | None:
    """The contact a chat's header shows, from the words read in its top part: a phone
    number when the header holds one, else the first line of at least two letters once
    the status bar and the app's own words are set aside; None when nothing is left."""
    if reading.status != "ok" or reading.height < 1:
        return None
    lines: dict[int, list[str]] = {}
    for word in reading.words:
        if (word.top + word.height / 2) / reading.height <= HEADER_SHARE:
            lines.setdefault(word.line, []).append(word.text)
    for number in sorted(lines):
        line = " ".join(lines[number])
        phone = _phone_in(line, region)
        if phone is not None:
            return SenderSuggestion(phone, line)
        kept = [w for w in lines[number] if not _STATUS.match(w) and w.lower() not in _APP_WORDS]
        name = " ".join(kept).strip(" ,.:;|<>-")
        if sum(c.isalpha() for c in name) >= 2 and len(name) <= 60:
            return SenderSuggestion(name, line)
    return None


def _phone_in(line: str, region: str) -> str | None:
    import phonenumbers

    for match in phonenumbers.PhoneNumberMatcher(line, region or "US"):
        return match.raw_string.strip()
    return None
