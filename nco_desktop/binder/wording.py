"""How the binder says times and their sources: plainly, never more than is true."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from nco_desktop.timekeeping import from_ms

SOURCE_WORDS = {
    "header": "message header",
    "exif": "camera data (EXIF)",
    "export-field": "phone export",
    "exif-local": "camera data, local time",
    "export-local": "export, local time",
    "file-name": "file name",
    "user": "entered by hand",
    "file-mtime": "file date (weak)",
    "unknown": "time unknown",
}


def source_words(source: str, kind: str) -> str:
    """Where a time came from, in words; a document's own date is not a message header."""
    if source == "header" and kind in ("document", "image", "audio"):
        return "the file's own date"
    return SOURCE_WORDS.get(source, source)


def when(ms: int | None, zone: ZoneInfo, precision: str = "second") -> str:
    """'Mar 12, 2024, 10:15 PM CDT'; a date-only time says so; no time says so."""
    if ms is None:
        return "time unknown"
    moment = from_ms(ms).astimezone(zone)
    day = f"{moment:%b} {moment.day}, {moment.year}"
    if precision == "day":
        return f"{day} (date only)"
    hour = moment.hour % 12 or 12
    clock = f"{hour}:{moment:%M}" + (f":{moment:%S}" if precision == "millisecond" else "")
    return f"{day}, {clock} {'AM' if moment.hour < 12 else 'PM'} {moment:%Z}"


def day(ms: int | None, zone: ZoneInfo) -> str:
    if ms is None:
        return "undated"
    moment = from_ms(ms).astimezone(zone)
    return f"{moment:%b} {moment.day}, {moment.year}"


def date_range(first: int | None, last: int | None, zone: ZoneInfo) -> str:
    if first is None:
        return "undated"
    a, b = day(first, zone), day(last, zone)
    return a if a == b else f"{a} – {b}"


def size(n: int) -> str:
    for unit in ("bytes", "KB", "MB", "GB"):
        if n < 1000 or unit == "GB":
            return f"{n:,} {unit}" if unit == "bytes" else f"{n:,.1f} {unit}"
        n /= 1000  # type: ignore[assignment]
    return f"{n} bytes"


#: The incident kinds as the binder names them (the window's words, in English).
INCIDENT_KINDS = {
    "calls-texts": "Calls or texts",
    "threats-online": "Threats online",
    "following": "Following or showing up",
    "rumours-letters": "Rumours or intimidating letters",
    "in-person": "In-person contact",
    "property-damage": "Property damage",
    "order-violation": "Possible order violation",
    "other": "Other",
}


def incident_when(
    occurred_ms: int | None, ends_ms: int | None, precision: str, zone: ZoneInfo
) -> str:
    """When an incident happened, as honestly as the user knew it: 'date not known',
    'Nov 16, 2026, about 7:50 AM CST', a day only, and 'until …' for a range."""
    if occurred_ms is None:
        return "date not known"
    start = from_ms(occurred_ms).astimezone(zone)
    if precision == "day":
        text = f"{day(occurred_ms, zone)} (time approximate)"
    else:
        text = when(occurred_ms, zone, precision)
    if ends_ms is not None and ends_ms != occurred_ms:
        end = from_ms(ends_ms).astimezone(zone)
        if end.date() == start.date():
            hour = end.hour % 12 or 12
            text += f" until {hour}:{end:%M} {'AM' if end.hour < 12 else 'PM'}"
        else:
            text += f" until {when(ends_ms, zone, 'minute')}"
    return text
