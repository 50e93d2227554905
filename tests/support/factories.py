"""Real evidence for tests, built in code: one home instead of tests importing tests.

Everything here is Qt-free and writes through the program's own services or SQL the
importers would write, into real vault files.
"""

from __future__ import annotations

import email.message
import email.utils
import io
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from PIL import Image

from nco_desktop.evidence import thumbnail_pixels
from nco_desktop.evidence.records import (
    CallType,
    Direction,
    EntryKind,
    NewEntry,
    TimePrecision,
    TimeSource,
)
from nco_desktop.evidence.store import add_entry, add_original
from nco_desktop.importers.thumbnails import THUMBNAIL_META
from nco_desktop.timekeeping import to_ms
from nco_desktop.timeline.query import TimelineQuery, iter_entries
from nco_desktop.vault.blobs import put_bytes
from tests.conftest import write_file

CHICAGO = ZoneInfo("America/Chicago")  # the test vault's zone (tests/conftest.py)
BASE_MS = 1_710_299_730_000  # 2024-03-13 03:15:30 UTC = Mar 12, 10:15:30 PM in Chicago
SAM = "+15550100199"
HIM = "tel:+13125550147"  # the restrained person of the hand-counted pattern case


# --- timeline entries --------------------------------------------------------------------


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> int:
    return to_ms(datetime(year, month, day, hour, minute, tzinfo=CHICAGO))


def add(change, kind=EntryKind.MESSAGE, ms=None, **kw) -> int:
    source = kw.pop("time_source", TimeSource.UNKNOWN if ms is None else TimeSource.HEADER)
    if ms is None:
        kw.setdefault("time_precision", TimePrecision.UNKNOWN)
    entry_id = add_entry(change, NewEntry(kind=kind, occurred_ms=ms, time_source=source, **kw))
    assert entry_id is not None
    return entry_id


def add_messages(
    vault,
    texts: list[str],
    *,
    start_ms: int,
    step_ms: int = 60_000,
    phone: str = "+13125550147",
    name: str | None = None,
) -> list[int]:
    """Incoming texts from one number, *step_ms* apart from *start_ms*, in one change:
    the conversation most binder tests need."""
    with vault.change() as change:
        ids = [
            add(
                change,
                ms=start_ms + n * step_ms,
                time_source=TimeSource.EXPORT_FIELD,
                direction=Direction.INCOMING,
                party=phone,
                party_key=f"tel:{phone}",
                party_name=name,
                text=text,
            )
            for n, text in enumerate(texts)
        ]
        change.audit("test.seed")
    return ids


def import_chat(tmp_path: Path, monkeypatch: Any, chat: str) -> tuple[Path, Path, list[str]]:
    """A new vault with *chat* (a WhatsApp export, Sam Doe's side) imported from the
    command line, read month-first: (vault, the chat file, the import's arguments)."""
    from nco_desktop.cli import main
    from nco_desktop.vault import TEST_KDF, Vault
    from tests.conftest import PASSPHRASE

    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="Europe/London", kdf=TEST_KDF).close()
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    file = write_file(tmp_path / "in" / "WhatsApp Chat with Alex Roe.txt", chat)
    args = ["import", "--vault", str(path), str(file), "--me", "Sam Doe"]
    assert main([*args, "--date-order", "month-first"]) == 0
    return path, file, args


def add_picture(change, ms: int, name: str = "Screenshot_20240312-221530.png") -> int:
    """An image entry whose original has a stored thumbnail, as imports make them."""
    png = io.BytesIO()
    Image.new("RGB", (60, 120), (30, 140, 200)).save(png, "PNG")
    original, _ = add_original(
        change,
        io.BytesIO(png.getvalue() + name.encode()),
        name=name,
        media_type="image/png",
        import_source="test",
    )
    blob = put_bytes(change.conn, thumbnail_pixels.encode(150, 300, bytes((30, 140, 200)) * 45_000))
    change.conn.execute(
        "INSERT INTO derivatives (original_id, kind, blob_id, meta_json, created_at) "
        "VALUES (?, 'thumbnail', ?, ?, ?)",
        (original.id, blob.id, THUMBNAIL_META, change.at),
    )
    return add(
        change, EntryKind.IMAGE, ms, time_source=TimeSource.FILE_NAME, original_id=original.id
    )


def seed_small(vault) -> dict[str, int]:
    with vault.change() as change:
        ids = {
            "late": add(
                change,
                ms=at(2024, 3, 12, 22, 15),
                party="+15550100199",
                party_name="Sam Roe",
                direction=Direction.INCOMING,
                text="I know where you are\nsecond line",
            ),
            "unknown": add(change, EntryKind.DOCUMENT, text="Police report 24-1188"),
            "call": add(
                change,
                EntryKind.CALL,
                ms=at(2024, 3, 12, 8, 0),
                party="+15550100199",
                call_type=CallType.MISSED,
                duration_s=None,
            ),
            "mtime": add(
                change,
                EntryKind.AUDIO,
                ms=at(2024, 3, 13, 1, 0),
                time_source=TimeSource.FILE_MTIME,
                party="+15550100123",
            ),
            "first": add(
                change,
                EntryKind.NOTE,
                ms=at(2024, 3, 10, 9, 0),
                time_source=TimeSource.USER,
                time_precision=TimePrecision.DAY,
                text="He was outside again",
            ),
            "picture": add_picture(change, at(2024, 3, 13, 7, 30)),
        }
        change.audit("test.seed")
    return ids


# --- small real files, built here ------------------------------------------------------


def png_bytes(size=(40, 20), colour="red") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def jpeg_with_exif(size=(60, 30), orientation=6) -> bytes:
    """A photo taken Mar 12, 2024 22:15:30 at -05:00, stored sideways (EXIF orientation)."""
    image = Image.new("RGB", size, "blue")
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "TestCam"
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = "2024:03:12 22:15:30"
    exif_ifd[0x9011] = "-05:00"
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


def pdf_bytes(pages: int = 3) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.setTitle("Police report 24-001")
    for number in range(1, pages + 1):
        canvas.setFont("Helvetica", 24)
        canvas.drawString(72, 720, f"Police report, page {number}")
        canvas.rect(72, 300, 400, 300, fill=1)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def eml_text() -> str:
    message = email.message.EmailMessage()
    message["From"] = "Sam Roe <sam@example.org>"
    message["To"] = "Jo Doe <jo@example.org>"
    message["Subject"] = "You will regret this"
    message["Date"] = "Tue, 12 Mar 2024 22:15:30 -0500"
    message["Message-ID"] = "<1@example.org>"
    message.set_content("I know where you work.\nSee you tomorrow <b>at 8</b>.")
    return message.as_string()


def sms_xml(count: int = 12) -> str:
    rows = "\n".join(
        f'<sms protocol="0" address="{SAM}" date="{BASE_MS + i * 60_000}" '
        f'type="{1 if i % 3 else 2}" body="message {i}" contact_name="Sam Roe" />'
        for i in range(count)
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<smses count="{count}">\n{rows}\n</smses>\n'


def calls_xml() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<calls count="2">\n'
        f'<call number="{SAM}" duration="125" date="{BASE_MS}" type="1" '
        'contact_name="Sam Roe" />\n'
        f'<call number="{SAM}" duration="0" date="{BASE_MS - 8 * 3_600_000}" type="3" '
        'contact_name="Sam Roe" />\n</calls>\n'
    )


def build_case(folder: Path) -> Path:
    """One of each kind the importers make from files, in *folder*."""
    write_file(folder / "photo.jpg", jpeg_with_exif())
    write_file(folder / "Screenshot_20240312-221530.png", png_bytes())
    write_file(folder / "report.pdf", pdf_bytes())
    write_file(folder / "threat.eml", eml_text())
    write_file(folder / "sms-20240313.xml", sms_xml())
    write_file(folder / "calls-20240313.xml", calls_xml())
    write_file(folder / "note.txt", "He waited by my car.", mtime=BASE_MS / 1000)
    return folder


def add_incident(vault, *, private_notes: str = "I was too scared to call.") -> int:
    with vault.change() as change:
        entry_id = add_entry(
            change,
            NewEntry(
                kind=EntryKind.INCIDENT,
                occurred_ms=BASE_MS,
                time_source=TimeSource.USER,
                time_precision=TimePrecision.MINUTE,
                text="He followed me from the bus stop.",
            ),
        )
        assert entry_id is not None
        change.conn.execute(
            "INSERT INTO incidents (entry_id, category, location, summary, what_happened, "
            "witnesses, reported_to_police, agency, officer, report_number, impact, "
            "private_notes) VALUES (?, 'following', 'Main St bus stop', 'Followed home', "
            "'He followed me from the bus stop to my door.', 'Ann Lee (neighbour)', 1, "
            "'Springfield PD', 'Ofc. Diaz', '24-001', 'I could not sleep.', ?)",
            (entry_id, private_notes),
        )
        first = change.conn.execute("SELECT min(id) FROM entries WHERE kind = 'call'").fetchone()
        if first[0] is not None:
            change.conn.execute(
                "INSERT INTO incident_evidence (incident_entry_id, entry_id) VALUES (?, ?)",
                (entry_id, first[0]),
            )
        change.audit("test.incident")
    return entry_id


def only(vault, kind: str, name: str | None = None):
    entries = [
        e
        for e in iter_entries(vault.conn, TimelineQuery(kinds=frozenset({EntryKind(kind)})))
        if name is None or e.original_name == name
    ]
    assert entries, f"no {kind} entry"
    return entries


# --- a pattern counted by hand ---------------------------------------------------------


def _nov_2026(day: int, hour: int, minute: int = 0) -> int:
    return to_ms(datetime(2026, 11, day, hour, minute, tzinfo=CHICAGO))


def seed_hand_counted_contacts(vault: Any) -> None:
    """Nine entries whose pattern tests/unit/test_patterns.py counted by hand: six
    contacts from HIM (four late at night, four after an order served Nov 10), one
    undated, and entries that are not contacts from him."""
    at = _nov_2026
    rows = [  # Nov 9 2026 is a Monday
        (EntryKind.MESSAGE, at(9, 23, 30), Direction.INCOMING, None),  # Mon 23h, late
        (EntryKind.MESSAGE, at(10, 1, 5), Direction.INCOMING, None),  # Tue 1h, late
        (EntryKind.CALL, at(10, 1, 20), Direction.INCOMING, CallType.MISSED),  # Tue 1h, late
        (EntryKind.MESSAGE, at(10, 12), Direction.OUTGOING, None),  # the user's reply: out
        (EntryKind.CALL, at(10, 13), Direction.OUTGOING, CallType.OUTGOING),  # out
        (EntryKind.CALL, at(12, 9), Direction.INCOMING, CallType.INCOMING),  # Thu 9h
        (EntryKind.MESSAGE, at(12, 22), Direction.INCOMING, None),  # Thu 22h, late
        (EntryKind.MESSAGE, None, Direction.INCOMING, None),  # no time: counted apart
        (EntryKind.EMAIL, at(12, 10), Direction.INCOMING, None),  # not a call or text
    ]
    with vault.change() as change:
        for kind, ms, direction, call_type in rows:
            add_entry(
                change,
                NewEntry(
                    kind=kind,
                    occurred_ms=ms,
                    time_source=TimeSource.EXPORT_FIELD if ms else TimeSource.UNKNOWN,
                    party_key=HIM,
                    direction=direction,
                    call_type=call_type,
                ),
            )
        change.audit("test.seed")


# --- a large timeline ---------------------------------------------------------------------

HUNDRED_THOUSAND = 100_000
LARGE_START_MS = to_ms(datetime(2023, 1, 1, 12, 0, tzinfo=CHICAGO))


def seed_large_timeline(vault: Any, count: int = HUNDRED_THOUSAND) -> None:
    """*count* messages and calls, 613 s apart from Jan 1, 2023 noon (Chicago), forty
    numbers taking turns; entry i says "message i". One transaction."""
    with vault.change() as change:
        for i in range(count):
            add_entry(
                change,
                NewEntry(
                    kind=EntryKind.CALL if i % 5 == 1 else EntryKind.MESSAGE,
                    occurred_ms=LARGE_START_MS + i * 613_000,
                    time_source=TimeSource.EXPORT_FIELD,
                    party=f"+1555010{i % 40:04d}",
                    text=f"message {i}",
                ),
            )
        change.audit("test.seed")


# --- files for binder tests ---------------------------------------------------------------


def write_voicemail(path: Path) -> None:
    """One second of 8 kHz mono WAV: a recording the binder lists and exports."""
    import wave

    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(8000)
        handle.writeframes(b"\x00\x01" * 8000)


def noisy_jpeg() -> bytes:
    """A photo that does not compress (about 0.4 MB): makes binders and volumes big."""
    import os

    out = io.BytesIO()
    Image.frombytes("RGB", (600, 600), os.urandom(600 * 600 * 3)).save(out, "JPEG", quality=95)
    return out.getvalue()
