"""Dates and times as people type them, read whole and strictly in the vault's zone.

Why this exists (issue #13): Qt's date-time edits take keystrokes one section at a
time, so "Dec 10, 2026 9:30 AM" typed into the hearing became 2:30 AM, "12/1/2017" was
dropped and "Dec 2, 2017 11:30 PM" became Dec 20, 2026 — without a word. Here the whole
text is read against a small grammar of well-defined forms, or refused with a sentence
saying why; nothing is half-read, and what was understood comes back in words
("Thursday, Dec 10, 2026, 9:30 AM CST") for the window to show beside the field.

Forms read (case, commas, "at" and a leading weekday do not matter)::

    Dec 10, 2026 · December 10 2026 · Dec. 10th, 2026 · 10 Dec 2026 · 2026-12-10
    12/10/2026 or 10/12/2026 (see below) · 12/10/26 · 10.12.2026 · today · yesterday
    9:30 AM · 9:30am · 9 pm · 9.30pm · 21:30 · 21h30 · 09:30:15 · noon · midnight
    a date and a time together, either first, or ISO's 2026-12-10T09:30

Which number is the month in 3/4/2026 depends on where the case is, and the vault
knows that only by its time zone: :func:`nco_desktop.date_order.day_first_for` says
month first for the United States and its territories (and the Philippines), day first
everywhere else. Year-first dates (2026-12-10) are always year, month, day. A number
that cannot be a month in that order is refused with the rule spelt out, never swapped
quietly.

Where a reading is a choice, it is made the same way every time and said in
:attr:`Understood.notes`: a two-digit year is the nearest one not more than ten years
ahead ("17" is 2017); a time without AM or PM is read on the 24-hour clock ("9:30" is
morning); a wall-clock time the clocks skipped or repeated is named.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import Enum
from zoneinfo import ZoneInfo

from nco_desktop.date_order import day_first_for
from nco_desktop.timekeeping import MONTHS, WEEKDAYS, clock_time, parse_user_date, to_ms

__all__ = [
    "Understood",
    "Unreadable",
    "Want",
    "day_first_for",
    "day_words",
    "examples",
    "parse_typed_instant",
    "read_typed",
    "typed_text",
    "zone_abbreviation",
]


class Want(Enum):
    """What a field holds."""

    DAY = "day"  # a calendar day; a time typed with it is refused
    MOMENT = "moment"  # a day and a time of day, both needed
    DAY_OR_MOMENT = "day or moment"  # a day, and its time when one is given
    CLOCK = "clock"  # a time of day only


class Unreadable(ValueError):
    """Text that cannot be read as the field's date or time; the message says why."""


@dataclass(frozen=True)
class Understood:
    """What a typed text was read as: wall-clock values in the vault's zone."""

    day: date | None
    clock: time | None
    words: str  # "Thursday, Dec 10, 2026, 9:30 AM CST"
    notes: tuple[str, ...] = field(default=())  # how a choice was made, in words

    def moment(self) -> datetime | None:
        """The day at the time (naive, the vault zone's wall clock); None without both."""
        if self.day is None or self.clock is None:
            return None
        return datetime.combine(self.day, self.clock)

    def sentence(self) -> str:
        """The words and the notes, as shown beside the field."""
        return " — ".join((self.words, *self.notes)) if self.notes else self.words


# ----- words -------------------------------------------------------------------------------

_WEEKDAYS, _MONTHS = WEEKDAYS, MONTHS
_MONTH_NUMBERS = {name.lower(): n for n, name in enumerate(_MONTHS, 1)} | {
    name[:3].lower(): n for n, name in enumerate(_MONTHS, 1)
}
_MONTH_NUMBERS["sept"] = 9
_WEEKDAY_NUMBERS = {name.lower(): n for n, name in enumerate(_WEEKDAYS)} | {
    name[:3].lower(): n for n, name in enumerate(_WEEKDAYS)
}
_WEEKDAY_NUMBERS.update(tues=1, wednes=2, thur=3, thurs=3)
_RELATIVE = {"today": 0, "yesterday": -1, "tomorrow": 1}


def day_words(day: date, *, day_first: bool) -> str:
    """'Thursday, Dec 10, 2026' (or 'Thursday, 10 Dec 2026' where days come first)."""
    month = _MONTHS[day.month - 1][:3]
    weekday = _WEEKDAYS[day.weekday()]
    if day_first:
        return f"{weekday}, {day.day} {month} {day.year}"
    return f"{weekday}, {month} {day.day}, {day.year}"


def zone_abbreviation(moment: datetime, zone: ZoneInfo) -> str:
    """'CST', or 'UTC+03' for zones whose abbreviation is only a number."""
    name = moment.replace(tzinfo=zone).tzname() or zone.key
    return f"UTC{name}" if name[:1] in "+-" else name


def typed_text(value: date | datetime | time, *, day_first: bool) -> str:
    """How a field shows a stored *value*: a form that reads back to it in any vault
    ('Dec 10, 2026 9:30 AM'; '10 Dec 2026 9:30 AM' where days come first)."""
    if isinstance(value, time):
        return clock_time(value)
    month = _MONTHS[value.month - 1][:3]
    if day_first:
        text = f"{value.day} {month} {value.year}"
    else:
        text = f"{month} {value.day}, {value.year}"
    if isinstance(value, datetime):
        text += " " + clock_time(value)
    return text


def examples(want: Want, *, day_first: bool) -> str:
    """Two forms to try, for a refusal: 'Dec 1, 2017 or 12/1/2017'."""
    if want is Want.CLOCK:
        return "9:30 AM or 21:30"
    named, numbers = ("1 Dec 2017", "1/12/2017") if day_first else ("Dec 1, 2017", "12/1/2017")
    if want is Want.MOMENT:
        return f"{named} 9:30 PM or {numbers} 21:30"
    return f"{named} or {numbers}"


# ----- reading -----------------------------------------------------------------------------

_CLOCK = (
    r"(?:(?P<h>\d{1,2})(?:[:.](?P<m>\d{2})(?::(?P<s>\d{2}))?)? ?(?P<ap>[ap])\.?m\.?"
    r"|(?P<h24>\d{1,2})[:.h](?P<m24>\d{2})(?::(?P<s24>\d{2}))?"
    r"|(?P<word>noon|midday|midnight))"
)
_CLOCK_LAST = re.compile(r"(?:^| )" + _CLOCK + r"(?: (?P<zone>[a-z]{2,5}|[+-]\d{2}))?$")
_CLOCK_FIRST = re.compile(r"^" + _CLOCK + r"(?: on)?(?: |$)")
_YEAR_FIRST = re.compile(r"^(\d{4})([-/.])(\d{1,2})\2(\d{1,2})$")
_NUMERIC = re.compile(r"^(\d{1,2})([-/.])(\d{1,2})\2(\d{4}|\d{2})$")
_NUMERIC_NO_YEAR = re.compile(r"^(\d{1,2})[-/.](\d{1,2})$")
_ORDINAL = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?$")


def read_typed(
    text: str,
    zone: ZoneInfo,
    *,
    day_first: bool,
    want: Want,
    today: date | None = None,
    on: date | None = None,
) -> Understood:
    """*text* read as *want* in *zone*, or :class:`Unreadable` saying why in words.

    *today* (default: today in *zone*) gives "today", "yesterday" and the century of a
    two-digit year; *on* is the day a time-only field belongs to, for its zone's
    abbreviation ("9:30 AM CST"), when it is known.
    """
    shown = " ".join(text.split())
    if not shown:
        raise Unreadable(
            "Type a time, e.g. " + examples(want, day_first=day_first) + "."
            if want is Want.CLOCK
            else "Type a date, e.g. " + examples(want, day_first=day_first) + "."
        )
    today = today or datetime.now(zone).date()
    words = _normalise(text)
    clock, zone_word, rest, clock_notes = _split_clock(words, shown)
    what = "time" if want is Want.CLOCK else "date"
    try:
        day, day_notes = _read_day(rest, shown, day_first=day_first, today=today)
    except Unreadable:
        raise
    except ValueError:
        raise Unreadable(
            f"Could not read “{shown}” as a {what}. Try {examples(want, day_first=day_first)}."
        ) from None
    _check_wanted(shown, want, day, clock, day_first=day_first)
    notes = [*day_notes, *clock_notes]
    if day is not None and clock is not None:
        naive = datetime.combine(day, clock)
        notes.extend(_clock_change_notes(naive, zone))
    if zone_word is not None:
        _check_zone_word(zone_word, shown, day or on or today, clock, zone)
    return Understood(day, clock, _words(day, clock, zone, day_first, on), tuple(notes))


def parse_typed_instant(text: str, zone: ZoneInfo, *, end_of_day: bool = False) -> int:
    """A date or date-time given on the command line, as UTC ms: ISO 8601 as before
    (:func:`~nco_desktop.timekeeping.parse_user_date`), else any form above, read in
    *zone* with its own day-first rule. A day alone is its start (or its last ms)."""
    try:
        return parse_user_date(text, zone, end_of_day=end_of_day)
    except ValueError:
        pass
    found = read_typed(text, zone, day_first=day_first_for(zone), want=Want.DAY_OR_MOMENT)
    assert found.day is not None
    if found.clock is not None:
        return to_ms(datetime.combine(found.day, found.clock).replace(tzinfo=zone))
    if end_of_day:
        following = datetime.combine(found.day + timedelta(days=1), time.min, tzinfo=zone)
        return to_ms(following) - 1
    return to_ms(datetime.combine(found.day, time.min, tzinfo=zone))


def _normalise(text: str) -> str:
    words = unicodedata.normalize("NFKC", text).lower().strip()
    words = re.sub(r"(?<=\d)t(?=\d)", " ", words)  # ISO's 2026-12-10T09:30
    words = words.replace(",", " ").replace("@", " ")
    words = " ".join(w for w in words.split() if w not in ("at", "the", "of"))
    return words


def _split_clock(words: str, shown: str) -> tuple[time | None, str | None, str, list[str]]:
    """(the time, a zone word after it, the rest, notes): the time at the end, else first."""
    found = _CLOCK_LAST.search(words)
    if found is not None:
        rest = words[: found.start()].strip()
        zone_word = found.group("zone")
    else:
        found = _CLOCK_FIRST.search(words)
        if found is None:
            return None, None, words, []
        rest = words[found.end() :].strip()
        zone_word = None
    clock, notes = _clock(found, shown)
    return clock, zone_word, rest, notes


def _clock(found: re.Match[str], shown: str) -> tuple[time, list[str]]:
    word = found.group("word")
    if word is not None:
        return (time(0, 0) if word == "midnight" else time(12, 0)), []
    refusal = f"Could not read “{shown}”: "
    if found.group("ap") is not None:
        hour, minute = int(found.group("h")), int(found.group("m") or 0)
        second = int(found.group("s") or 0)
        if not 1 <= hour <= 12:
            raise Unreadable(
                refusal + "with AM or PM the hour is 1 to 12 (write 21:30 or 9:30 PM)."
            )
        hour = hour % 12 + (12 if found.group("ap") == "p" else 0)
        notes: list[str] = []
    else:
        hour, minute = int(found.group("h24")), int(found.group("m24"))
        second = int(found.group("s24") or 0)
        if hour > 23:
            raise Unreadable(refusal + "the hour is 0 to 23, or 1 to 12 with AM or PM.")
        notes = []
        if 1 <= hour <= 11 and not found.group("h24").startswith("0"):
            notes.append(f"no AM or PM: read as morning (for evening, type {hour}:{minute:02d} PM)")
        elif hour == 12:
            notes.append("no AM or PM: read as just after noon")
    if minute > 59 or second > 59:
        raise Unreadable(refusal + "minutes and seconds go up to 59.")
    return time(hour, minute, second), notes


def _read_day(
    rest: str, shown: str, *, day_first: bool, today: date
) -> tuple[date | None, list[str]]:
    """The day in *rest* (None if it is empty) and notes; ValueError if no form fits."""
    tokens = rest.split()
    weekday: int | None = None
    if tokens and tokens[0].rstrip(".") in _WEEKDAY_NUMBERS:
        weekday = _WEEKDAY_NUMBERS[tokens.pop(0).rstrip(".")]
    rest = " ".join(tokens)
    if not rest:
        if weekday is not None:
            raise Unreadable(f"“{shown}” names a weekday but no date. Add the date too.")
        return None, []
    notes: list[str] = []
    if rest in _RELATIVE:
        day = today + timedelta(days=_RELATIVE[rest])
    elif found := _YEAR_FIRST.match(rest):
        day = _day(shown, int(found[1]), int(found[3]), int(found[4]))
    elif found := _NUMERIC.match(rest):
        day, notes = _numeric_day(found, shown, day_first=day_first, today=today)
    elif found := _NUMERIC_NO_YEAR.match(rest):
        first, second = int(found[1]), int(found[2])
        raise _no_year(shown, *((second, first) if day_first else (first, second)), today=today)
    else:
        day = _named_day(rest, shown, day_first=day_first, today=today)
    if weekday is not None and day.weekday() != weekday:
        raise Unreadable(
            f"{day_words(day, day_first=day_first).split(', ', 1)[1]} is a "
            f"{_WEEKDAYS[day.weekday()]}, not a {_WEEKDAYS[weekday]}. Check the date."
        )
    return day, notes


def _numeric_day(
    found: re.Match[str], shown: str, *, day_first: bool, today: date
) -> tuple[date, list[str]]:
    first, sep, second, year_text = int(found[1]), found[2], int(found[3]), found[4]
    day_n, month = (first, second) if day_first else (second, first)
    notes: list[str] = []
    year = int(year_text)
    if len(year_text) == 2:
        year = 2000 + year if 2000 + year <= today.year + 10 else 1900 + year
        notes.append(f"“{year_text}” read as {year}")
    if month > 12:
        order = "day first" if day_first else "month first"
        reason = (
            f"Could not read “{shown}” as a date: dates in this vault are written {order}, "
            f"and there is no month {month}."
        )
        if 1900 <= year <= 2100 and day_n <= 12 and month <= _days_in(year, day_n):
            ours = (month, day_n) if day_first else (day_n, month)
            example = sep.join((str(ours[0]), str(ours[1]), year_text))
            reason += f" For {_MONTHS[day_n - 1]} {month}, {year}, type {example}."
        raise Unreadable(reason)
    day = _day(shown, year, month, day_n)
    if first <= 12 and second <= 12 and first != second:
        notes.insert(0, "read day first" if day_first else "read month first")
    return day, notes


def _named_day(rest: str, shown: str, *, day_first: bool, today: date) -> date:
    """'dec 10 2026', '10 december 2026', '2026 dec 10', with '-' or '/' between too."""
    tokens = re.sub(r"[-/]", " ", rest).split()
    kinds = []
    for token in tokens:
        bare = token.rstrip(".")
        if bare in _MONTH_NUMBERS:
            kinds.append("M")
        elif re.fullmatch(r"\d{4}", token):
            kinds.append("Y")
        elif _ORDINAL.match(token):
            kinds.append("D")
        else:
            raise ValueError(token)
    pattern = "".join(kinds)
    values = dict(zip(kinds, tokens, strict=True))
    if pattern in ("MD", "DM"):
        day_match = _ORDINAL.match(values["D"])
        assert day_match is not None
        month = _MONTH_NUMBERS[values["M"].rstrip(".")]
        raise _no_year(shown, month, int(day_match[1]), today=today, day_first=day_first)
    if pattern in ("MDD", "DMD"):
        raise Unreadable(
            f"Could not read “{shown}” as a date: write the year in full, e.g. "
            f"{examples(Want.DAY, day_first=day_first).split(' or ')[0]}."
        )
    if pattern not in ("MDY", "DMY", "YMD"):
        raise ValueError(rest)
    day_match = _ORDINAL.match(values["D"])
    assert day_match is not None
    month = _MONTH_NUMBERS[values["M"].rstrip(".")]
    return _day(shown, int(values["Y"]), month, int(day_match[1]))


def _day(shown: str, year: int, month: int, day: int) -> date:
    if not 1900 <= year <= 2100:
        raise Unreadable(f"Could not read “{shown}” as a date: the year {year} cannot be right.")
    if not 1 <= month <= 12:
        raise Unreadable(f"Could not read “{shown}” as a date: there is no month {month}.")
    try:
        return date(year, month, day)
    except ValueError:
        days = _days_in(year, month)
        raise Unreadable(
            f"Could not read “{shown}” as a date: {_MONTHS[month - 1]} {year} has {days} days."
        ) from None


def _days_in(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - date(year, month, 1)).days


def _no_year(
    shown: str, month: int, day: int, *, today: date, day_first: bool | None = None
) -> Unreadable:
    """A date without its year: refused, with the example of this year's (the same
    form when it was typed in numbers, its words otherwise)."""
    try:
        this_year = date(today.year, month, day)
    except ValueError:
        return Unreadable(f"Could not read “{shown}” as a date: there is no year in it.")
    if day_first is None:
        sep = next(c for c in shown if c in "-/.")
        numbers = shown.split(sep)
        example = sep.join((*numbers, str(today.year)))
    else:
        example = typed_text(this_year, day_first=day_first)
    return Unreadable(f"“{shown}” has no year. Write it in full, e.g. {example}.")


def _check_wanted(
    shown: str, want: Want, day: date | None, clock: time | None, *, day_first: bool
) -> None:
    tries = examples(want, day_first=day_first)
    if want is Want.CLOCK:
        if day is not None:
            raise Unreadable(f"This field takes a time only; leave the date out of “{shown}”.")
        if clock is None:
            raise Unreadable(f"Could not read “{shown}” as a time. Try {tries}.")
        return
    if day is None:
        if clock is not None and want is Want.DAY:
            raise Unreadable(f"“{shown}” is a time; this field takes a date, e.g. {tries}.")
        if clock is not None:
            raise Unreadable(f"“{shown}” is a time; add the date too, e.g. {tries}.")
        raise Unreadable(f"Could not read “{shown}” as a date. Try {tries}.")
    if want is Want.DAY and clock is not None:
        raise Unreadable(f"This field takes a day only; leave the time out of “{shown}”.")
    if want is Want.MOMENT and clock is None:
        example = typed_text(datetime.combine(day, time(9, 30)), day_first=day_first)
        raise Unreadable(f"“{shown}” has no time. Add it, e.g. {example}.")


def _check_zone_word(word: str, shown: str, day: date, clock: time | None, zone: ZoneInfo) -> None:
    """A zone typed after the time must be the vault's own, at that moment."""
    naive = datetime.combine(day, clock or time(12, 0))
    own = zone_abbreviation(naive, zone)
    if word.upper() == own.upper() or (word.upper() in ("UTC", "GMT") and own == "UTC"):
        return
    raise Unreadable(
        f"Times here are read as {zone.key} time ({own} on that day). Leave “{word.upper()}” "
        f"out of “{shown}”, and give the time as it was there."
    )


def _clock_change_notes(naive: datetime, zone: ZoneInfo) -> list[str]:
    """A wall-clock time the clocks skipped, or passed twice, that day."""
    aware = naive.replace(tzinfo=zone)
    back = aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    if back != naive:
        return [
            f"the clocks went forward that night, so {clock_time(naive)} did not happen; "
            f"read as {clock_time(back)} {zone_abbreviation(back, zone)}"
        ]
    if naive.replace(fold=1, tzinfo=zone).utcoffset() != aware.utcoffset():
        return [
            f"{clock_time(naive)} happened twice that night (the clocks went back); "
            f"read as the first, {zone_abbreviation(naive, zone)}"
        ]
    return []


def _words(
    day: date | None, clock: time | None, zone: ZoneInfo, day_first: bool, on: date | None
) -> str:
    if day is None:
        assert clock is not None
        when = on
        if when is None:
            return f"{clock_time(clock)}, {zone.key} time"
        return f"{clock_time(clock)} {zone_abbreviation(datetime.combine(when, clock), zone)}"
    said = day_words(day, day_first=day_first)
    if clock is None:
        return said
    moment = datetime.combine(day, clock)
    return f"{said}, {clock_time(clock)} {zone_abbreviation(moment, zone)}"
