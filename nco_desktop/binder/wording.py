"""How the binder says times and their sources: plainly, never more than is true."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from nco_desktop.importers.formats import screenshot_names
from nco_desktop.timekeeping import from_ms

if TYPE_CHECKING:  # plan.py imports this module: the types only, never at run time
    from nco_desktop.binder.plan import OriginalFacts, PlannedExhibit, PlannedItem

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


#: What the binder says where no date is known (never "undated": "dated undated").
NO_DATE = "no date known"


def day(ms: int | None, zone: ZoneInfo) -> str:
    if ms is None:
        return NO_DATE
    moment = from_ms(ms).astimezone(zone)
    return f"{moment:%b} {moment.day}, {moment.year}"


def date_range(first: int | None, last: int | None, zone: ZoneInfo) -> str:
    if first is None:
        return NO_DATE
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


#: Apps as an Android screenshot's name gives them ("…_com.whatsapp.jpg"): the package
#: names of the apps people are harassed through, said as their owners say them.
APP_PACKAGES = {
    "com.whatsapp": "WhatsApp",
    "com.whatsapp.w4b": "WhatsApp Business",
    "com.google.android.apps.messaging": "Messages",
    "com.android.mms": "Messages",
    "com.samsung.android.messaging": "Samsung Messages",
    "com.facebook.orca": "Messenger",
    "com.facebook.katana": "Facebook",
    "com.instagram.android": "Instagram",
    "org.telegram.messenger": "Telegram",
    "org.thoughtcrime.securesms": "Signal",
    "com.snapchat.android": "Snapchat",
    "com.twitter.android": "X (Twitter)",
    "com.zhiliaoapp.musically": "TikTok",
    "com.google.android.gm": "Gmail",
    "com.google.android.apps.googlevoice": "Google Voice",
    "com.google.android.dialer": "Phone",
    "com.samsung.android.dialer": "Phone",
    "com.android.chrome": "Chrome",
}
#: Who names pictures as a screenshot-name row says (its label before any " ("): what
#: the picture is, and on what it was made. Only what the name's convention says.
_NAMED_BY = {
    "Android screenshot": ("Screenshot", "an Android phone"),
    "macOS screenshot": ("Screenshot", "a Mac"),
    "Windows screenshot": ("Screenshot", "a Windows computer"),
    "Windows Print Screen": ("Screenshot", "a Windows computer"),
    "Linux screenshot": ("Screenshot", "a Linux computer"),
    "Pixel camera, UTC": ("Photo", "a Pixel phone's camera"),
    "Android camera": ("Photo", "an Android phone's camera"),
    "Samsung camera": ("Photo", "a Samsung phone's camera"),
    "WhatsApp, date only": ("Picture", "saved from WhatsApp"),
}
_ANDROID_TAIL = re.compile(r"Screenshot_[\d_-]{15,23}_(?P<app>[^/\\]+?)(?: ?\(\d+\))?\.\w{2,5}$")
_APP_WORD = re.compile(r"[A-Za-z][A-Za-z0-9 .+&'-]{1,39}")


@dataclass(frozen=True)
class Capture:
    """How a picture was made, as far as its name and camera data say: "Screenshot",
    on "an Android phone", of the app "Messages"; empty fields are not known."""

    what: str
    on: str = ""
    app: str = ""

    def words(self) -> str:
        """'Screenshot of the Messages app on an Android phone', 'Photo taken with
        Apple iPhone 12', 'Picture': the caption's opening."""
        text = self.what
        if self.app:
            text += f" of the {self.app} app"
        if self.on.startswith("saved from"):
            return f"{text} {self.on}"
        if self.on:
            photo = self.what.lower().startswith("photo")
            text += f" taken with {self.on}" if photo else f" on {self.on}"
        return text


def screenshot_app(name: str) -> str:
    """The app an Android screenshot's name ends with ("_Messages", "_com.whatsapp"), or
    "" (a hash some phones add is no app)."""
    match = _ANDROID_TAIL.search(name.replace("\\", "/").rsplit("/", 1)[-1])
    if match is None:
        return ""
    tail = match["app"]
    if tail.lower() in APP_PACKAGES:
        return APP_PACKAGES[tail.lower()]
    if "." in tail and " " not in tail:  # a package name we have no name for: as written
        return tail if re.fullmatch(r"[a-z][\w]*(\.[\w]+)+", tail) else ""
    if re.fullmatch(r"[0-9a-fA-F]{6,}", tail) or not _APP_WORD.fullmatch(tail):
        return ""
    return tail


def picture_capture(name: str, meta: dict[str, Any], *, device: bool = True) -> Capture:
    """How the picture *name* (with its importer's *meta*) was made: the camera data's
    make and model when the file has them, else what its naming convention says, else
    just "Picture". Nothing is guessed beyond those. *device* False (the copy for the
    other side, whose cover says the files' metadata was removed): no make or model."""
    reading = screenshot_names.read_name(name)
    label = reading.pattern.label.split(" (", 1)[0] if reading else ""
    what, on = _NAMED_BY.get(label, ("Picture", ""))
    make = str(meta.get("camera_make") or "").strip()
    model = str(meta.get("camera_model") or "").strip()
    if model and device:
        camera = model if make and model.lower().startswith(make.lower()) else f"{make} {model}"
        what, on = ("Photo" if what == "Picture" else what), camera.strip()
    app = screenshot_app(name) if label == "Android screenshot" else ""
    if reading and "KDE" in reading.pattern.label and not app:  # a Linux desktop's, too
        on = "an Android phone or a Linux computer"
    return Capture(what, on, app)


#: The importers' format modules (``original_parses.format``), as the divider names
#: what the file was: what the user exported, in the exporting app's own words.
FORMAT_WORDS = {
    "sms_xml": "SMS Backup & Restore export",
    "whatsapp": "WhatsApp chat export",
    "signal_txt": "Signal chat export",
    "email_messages": "e-mail file",
    "outlook_msg": "Outlook e-mail file",
    "facebook": "Facebook/Instagram download",
    "telegram": "Telegram chat export",
    "google_voice": "Google Voice export (Google Takeout)",
    "imessage_export": "iMessage chat export",
    "calllog_csv": "call log export (CSV)",
    "audio": "audio file",
    "pdf": "PDF file",
    "notes": "note file",
}


def no_date_phrase(count: int, undated: int) -> str:
    """How a declaration says an exhibit's dates are missing: never "dated undated"."""
    if undated == 0:
        return ""
    if undated == count:
        return "with no date known" if count == 1 else "none with a known date"
    return f"{undated} of them with no date known"


#: What one entry of each kind is called when counting them.
_COUNTED = {
    "message": ("message", "messages"),
    "call": ("call record", "call records"),
    "email": ("e-mail", "e-mails"),
    "image": ("picture", "pictures"),
    "audio": ("recording", "recordings"),
    "note": ("note", "notes"),
    "document": ("document", "documents"),
}
_PICTURE_PLURALS = {"Screenshot": "screenshots", "Photo": "photos", "Picture": "pictures"}


def counted(n: int, kind: str) -> str:
    one, many = _COUNTED.get(kind, ("item", "items"))
    return f"{n:,} {one if n == 1 else many}"


def _dates(items: list[PlannedItem], zone: ZoneInfo) -> str:
    times = [i.entry.occurred_ms for i in items if i.entry.occurred_ms is not None]
    if not times:
        return NO_DATE
    text = date_range(min(times), max(times), zone)
    missing = len(items) - len(times)
    return text + (f" ({missing} with no date known)" if missing else "")


def _group_key(item: PlannedItem, device: bool) -> tuple[str, ...]:
    original = item.original
    if item.entry.kind == "image" and original is not None:
        capture = picture_capture(original.name, item.meta, device=device)
        return ("picture", capture.what, capture.on, capture.app)
    if original is None:
        return ("none", item.entry.kind)
    return ("file", original.format, item.entry.kind)


def _group_line(key: tuple[str, ...], items: list[PlannedItem], zone: ZoneInfo) -> str:
    dates = _dates(items, zone)
    if key[0] == "picture":
        words = Capture(_PICTURE_PLURALS.get(key[1], "pictures"), key[2], key[3]).words()
        if len(items) == 1:
            words = Capture(key[1].lower(), key[2], key[3]).words()
        return f"{len(items):,} {words}, {dates}"
    kind = items[0].entry.kind
    if key[0] == "none":
        return f"{counted(len(items), kind)} entered in NCO Desktop (no file), {dates}"
    files: list[OriginalFacts] = []
    for item in items:
        if item.original is not None and item.original not in files:
            files.append(item.original)
    source = FORMAT_WORDS.get(key[1], "file")
    if len(files) == 1:
        name = files[0].name
        media = " with media, a .zip" if name.lower().endswith(".zip") else ""
        source = f"the {source}{media} “{name}”"
    else:
        source = f"{len(files)} files ({source})"
    attached = sum(1 for i in items if i.attachments)
    extra = f" ({attached} with files attached)" if attached else ""
    return f"{counted(len(items), kind)}{extra} from {source}, {dates}"


def capture_lines(exhibit: PlannedExhibit, zone: ZoneInfo, *, device: bool = True) -> list[str]:
    """How and when the exhibit's evidence was made, and on what app or device, one line
    per kind of source: "3 screenshots of the Messages app on an Android phone, Mar 9,
    2024 – Apr 10, 2024"; "340 messages from a SMS Backup & Restore export “sms.xml”".
    From the file names, camera data and importers only: nothing is guessed."""
    groups: dict[tuple[str, ...], list[PlannedItem]] = {}
    for item in exhibit.items:
        groups.setdefault(_group_key(item, device), []).append(item)
    return [_group_line(key, items, zone) for key, items in groups.items()]


def imported_words(exhibit: PlannedExhibit, zone: ZoneInfo) -> str:
    """When the files were stored in the vault, the day their fingerprints were taken."""
    moments = []
    for item in exhibit.items:
        for original in (item.original, *item.attachments):
            if original is None or not original.imported_at:
                continue
            try:
                moment = datetime.fromisoformat(original.imported_at.replace("Z", "+00:00"))
            except ValueError:
                continue
            moments.append(moment.astimezone(zone) if moment.tzinfo else moment)
    if not moments:
        return ""
    first, last = min(moments), max(moments)
    a, b = f"{first:%b} {first.day}, {first.year}", f"{last:%b} {last.day}, {last.year}"
    span = a if a == b else f"{a} – {b}"
    return f"Into NCO Desktop on {span}; the SHA-256 fingerprint of each file is below."
