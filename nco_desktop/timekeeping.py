"""Honest time: UTC instants, the offset they were written with, and the vault's zone.

The vault stores instants as UTC milliseconds and shows them in the vault's time zone
(an IANA name chosen at creation), never the laptop's current zone, so a binder printed
while travelling still reads in the zone where things happened.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    return datetime.now(UTC)


def iso_utc(moment: datetime) -> str:
    """'2024-03-12T22:15:30.123456Z' for bookkeeping columns (always UTC, fixed width)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def to_ms(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; attach a zone first")
    return round(moment.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=ms)


_NAIVE_EPOCH = datetime(1970, 1, 1)


def iso_z_from_ms(ms: int) -> str:
    """ISO 8601 UTC ending in Z; milliseconds only when there are any.

    Built with ``isoformat`` on a naive UTC datetime: the same text as ``strftime``,
    at less than half the cost, which counts when ``list --json`` writes 100,000 of them.
    """
    moment = _NAIVE_EPOCH + timedelta(milliseconds=ms)
    return moment.isoformat(timespec="milliseconds" if ms % 1000 else "seconds") + "Z"


def format_offset(minutes: int | None) -> str | None:
    """-300 → '-05:00'."""
    if minutes is None:
        return None
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{mins:02d}"


def load_zone(name: str) -> ZoneInfo:
    """The IANA zone *name*, or ValueError with a sentence a person understands."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"“{name}” is not a time zone name this computer knows. Use a name such as "
            "America/Chicago or Europe/London."
        ) from None


def guess_system_zone() -> str:
    """The computer's IANA zone name, or 'UTC' when it cannot be told."""
    candidates: list[str] = []
    if os.environ.get("TZ"):
        candidates.append(os.environ["TZ"].lstrip(":"))
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    try:
        target = os.readlink("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    known = available_timezones()
    for name in candidates:
        if name in known:
            return name
    return "UTC"


def parse_user_date(text: str, zone: ZoneInfo, *, end_of_day: bool = False) -> int:
    """A date or date-time typed by the user, read in the vault zone, as UTC ms.

    '2024-03-12' means the start of that day (or, with *end_of_day*, the last
    millisecond of it); '2024-03-12T22:00' is read in *zone* unless it carries an
    offset.
    """
    text = text.strip()
    try:
        if len(text) == 10:
            day = date.fromisoformat(text)
            if end_of_day:
                next_day = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
                return to_ms(next_day) - 1
            return to_ms(datetime.combine(day, time.min, tzinfo=zone))
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"“{text}” is not a date like 2024-03-12 or 2024-03-12T22:00.") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=zone)
    return to_ms(parsed)


def local_to_ms(naive: datetime, zone: ZoneInfo) -> tuple[int, int]:
    """A wall-clock time read in *zone*: (UTC ms, offset in minutes that applied).

    In the repeated hour when clocks go back, the first occurrence is taken (fold=0);
    in the skipped hour, zoneinfo moves it forward, as a phone would have shown it.
    """
    if naive.tzinfo is not None:
        raise ValueError("expected a wall-clock (naive) time")
    aware = naive.replace(tzinfo=zone)
    offset = aware.utcoffset()
    minutes = 0 if offset is None else int(offset.total_seconds() // 60)
    return to_ms(aware), minutes


def aware_to_ms(moment: datetime) -> tuple[int, int]:
    """An instant with its own offset: (UTC ms, that offset in minutes)."""
    offset = moment.utcoffset()
    if offset is None:
        raise ValueError("expected a time with an offset")
    return to_ms(moment), int(offset.total_seconds() // 60)


#: English names, whatever the system's language (the binder and the typed dates use them).
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def long_date(day: date) -> str:
    """'Monday, November 23, 2026' in English, as court papers and the binder are:
    strftime's names follow the system's language, which the window switches."""
    return f"{WEEKDAYS[day.weekday()]}, {MONTHS[day.month - 1]} {day.day}, {day.year}"


def clock_time(moment: datetime | time) -> str:
    """'9:30 PM': a 12-hour clock in English, as court papers and the binder write it
    (``%p`` follows the system's language, and ``%I`` pads the hour with a zero)."""
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment.minute:02d} {'AM' if moment.hour < 12 else 'PM'}"
