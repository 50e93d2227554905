"""The demo case's evidence files, generated as bytes (Qt-free, no network, deterministic).

Everything here is fictional: the names, the 555-01xx numbers, the example.com
addresses, the agency and the court. Dates are relative to a *today* argument, so the
case always looks recent and its hearing is always a few days ahead. The same *today*
gives the same bytes (a seeded :class:`random.Random`, reportlab's invariant mode with
a fixed creation date), so two demo vaults made on one day hold the same entries.

The files look like what the importers read from real phones and services: an SMS
Backup & Restore message and call backup, Android screenshots named
``Screenshot_YYYYMMDD-HHMMSS.png``, e-mails (.eml), a voicemail (.wav, its time from
the file's modification time), a police report and the temporary order as PDFs.
"""

from __future__ import annotations

import io
import math
import random
import struct
import wave
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from functools import cache
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from nco_desktop.resources import font_path
from nco_desktop.timekeeping import clock_time, long_date, to_ms

ZONE_NAME = "America/Chicago"
ZONE = ZoneInfo(ZONE_NAME)
SEED = 20_240_917  # fixed: the same story every time, only the dates move with *today*
DAYS = 22  # the texts and calls span the three weeks before today

PETITIONER = "Alex Rivera"
PETITIONER_EMAIL = "alex.rivera@example.net"
PETITIONER_ADDRESS = "1140 Willow Court, Apt 2B, Lakeview"
WORKPLACE = "Harbor Street Dental, 410 Harbor Street"
RESPONDENT = "Jordan Blake"
RESPONDENT_PHONE = "+13125550147"
RESPONDENT_PHONE_IN_CALL_LOG = "(312) 555-0147"  # another export, another spelling
RESPONDENT_EMAIL = "jordan.blake77@example.com"
RESPONDENT_HANDLE = "@jblake.77"
RESPONDENT_CAR = "a grey Honda Civic"
NEIGHBOUR = "Maria Lopez"
NEIGHBOUR_PHONE = "+1 312-555-0163"
COWORKER = "Priya Shah"
COWORKER_EMAIL = "priya.shah@example.org"
AGENCY = "Lakeview Police Department"
OFFICER = "Officer Dana Whitfield, badge 2291"
STORE = "Fresh Market, 2200 Lake Avenue"
COURT = "Circuit Court of Lake County"
DEPARTMENT = "Courtroom C-204"
JUDGE = "Hon. Patricia Lindqvist"
FICTION_NOTE = "Fictional document made for the NCO Desktop demo case. Not a real record."


@dataclass(frozen=True)
class DemoFile:
    """One generated file: its name, bytes, and (for the voicemail) the mtime to set."""

    name: str
    data: bytes
    mtime: datetime | None = None


@dataclass(frozen=True)
class Story:
    """The key moments of the case, shared by the files and the incident log.

    Aware datetimes are in :data:`ZONE`; the hearing is naive wall-clock time there.
    """

    today: date
    first_day: date
    work_incident: datetime  # followed to work, in the morning
    home_incident: datetime  # at the door at night; reported to the police
    report_taken: datetime
    order_issued: date
    order_served: date
    store_incident: datetime  # the confrontation at the grocery store, after service
    hearing: datetime
    report_number: str
    case_number: str


def story(today: date) -> Story:
    def at(days_before: int, hour: int, minute: int) -> datetime:
        return datetime.combine(today - timedelta(days=days_before), time(hour, minute), ZONE)

    issued = today - timedelta(days=10)
    return Story(
        today=today,
        first_day=today - timedelta(days=DAYS),
        work_incident=at(16, 7, 50),
        home_incident=at(12, 23, 40),
        report_taken=at(11, 0, 35),
        order_issued=issued,
        order_served=today - timedelta(days=9),
        store_incident=at(4, 18, 20),
        hearing=datetime.combine(today + timedelta(days=6), time(9, 30)),
        report_number=f"LPD-{issued.year % 100:02d}-018842",
        case_number=f"{issued.year}-OP-000412",
    )


# ----- messages and calls ------------------------------------------------------------

# Three phases, the tone rising. Persistent and intimidating, never graphic.
_PHASE_TEXTS = (
    (
        "Hey. Can we talk?",
        "Why aren't you answering?",
        "I just want five minutes.",
        "Pick up, please.",
        "I miss you. Call me back.",
        "Are you seriously ignoring me?",
        "I saw you read that.",
        "Just tell me what I did.",
        "Call me. It's important.",
        "I'm not trying to start anything, I just want to talk.",
    ),
    (
        "You can't ignore me forever.",
        "I know you're reading these.",
        "Answer me.",
        "Who were you with tonight?",
        "Don't make me come over there.",
        "You think blocking my other number changes anything?",
        "Your sister can't keep you away from me.",
        "I'll keep calling until you pick up.",
        "You owe me a conversation.",
        "Stop pretending I don't exist.",
        "I can wait all night.",
    ),
    (
        "I know where you work.",
        "I drove past your place again.",
        "Nice of you to leave the porch light on.",
        "You're not as hard to find as you think.",
        "A piece of paper isn't going to stop me from talking to you.",
        "I'm not going anywhere.",
        "Everyone is going to hear my side of this.",
        "You'll regret going to the police.",
        "I know your schedule better than you do.",
        "Look out your window.",
        "This isn't over.",
    ),
)
_REPLIES = (
    "Please stop contacting me.",
    "I have asked you to stop. Do not text or call me again.",
    "Leave me alone.",
    "I am keeping every message.",
    "Stop. I mean it.",
)


@dataclass(frozen=True)
class _Message:
    moment: datetime
    incoming: bool
    text: str


@dataclass(frozen=True)
class _Call:
    moment: datetime
    kind: int  # SMS Backup & Restore: 1 in, 2 out, 3 missed, 4 voicemail, 5 rejected
    duration: int


def _scripted_messages(s: Story) -> list[_Message]:
    """The texts around each incident, at fixed times: the incidents link to them."""
    work, home, store = s.work_incident, s.home_incident, s.store_incident
    minutes = timedelta(minutes=1)
    return [
        _Message(work + 8 * minutes, True, "Nice blue jacket today."),
        _Message(work + 13 * minutes, True, "Tell your boss I said hi. I know where you work."),
        _Message(work + 40 * minutes, False, "Please stop following me."),
        _Message(home - 28 * minutes, True, "I'm outside."),
        _Message(home - 20 * minutes, True, "I can see your light is on. Open the door."),
        _Message(home + 4 * minutes, False, "Leave or I am calling the police."),
        _Message(home + 15 * minutes, True, "I drove past your place again. You can't hide."),
        _Message(store + 21 * minutes, True, f"Saw you at {STORE.split(',')[0]}."),
        _Message(store + 23 * minutes, True, "You can't hide from me there either."),
    ]


def _scripted_calls(s: Story) -> list[_Call]:
    home = s.home_incident
    minutes = timedelta(minutes=1)
    return [
        _Call(s.work_incident - 35 * minutes, 3, 0),
        _Call(home - 9 * minutes, 3, 0),
        _Call(home - 2 * minutes, 5, 0),
        _Call(home + 11 * minutes, 4, 0),  # the voicemail
        _Call(s.store_incident + 30 * minutes, 3, 0),
    ]


def voicemail_time(s: Story) -> datetime:
    return s.home_incident + timedelta(minutes=11, seconds=48)


def _conversation(s: Story) -> tuple[list[_Message], list[_Call]]:
    rng = random.Random(SEED)  # noqa: S311 - fiction, made repeatable on purpose
    messages = _scripted_messages(s)
    calls = _scripted_calls(s)
    for day_number in range(DAYS):
        day = s.first_day + timedelta(days=day_number)
        phase = min(2, day_number * 3 // DAYS)
        bursts = rng.randint(2, 3) + phase
        for _ in range(bursts):
            start = _random_moment(rng, day)
            for index in range(rng.randint(1, 3)):
                text = rng.choice(_PHASE_TEXTS[phase])
                moment = start + timedelta(minutes=index * rng.randint(1, 6), seconds=index * 7)
                messages.append(_Message(moment, True, text))
            if rng.random() < 0.12:
                reply_at = start + timedelta(minutes=rng.randint(8, 30))
                messages.append(_Message(reply_at, False, rng.choice(_REPLIES)))
        for _ in range(1 + phase + (rng.random() < 0.5)):
            moment = _random_moment(rng, day)
            kind = rng.choice((3, 3, 3, 5, 5, 1)) if phase else rng.choice((3, 3, 1, 1, 5))
            duration = rng.randint(4, 95) if kind == 1 else 0
            calls.append(_Call(moment, kind, duration))
    last = datetime.combine(s.today, time.min, ZONE)
    messages = sorted((m for m in messages if m.moment < last), key=lambda m: m.moment)
    calls = sorted((c for c in calls if c.moment < last), key=lambda c: c.moment)
    return _distinct(messages), calls


def _random_moment(rng: random.Random, day: date) -> datetime:
    """Mostly late at night (22:00–04:59), otherwise during the day."""
    if rng.random() < 0.62:
        minute_of_night = rng.randrange(7 * 60)  # 22:00 … 04:59
        naive = datetime.combine(day, time(22, 0)) + timedelta(minutes=minute_of_night)
    else:
        naive = datetime.combine(day, time(7, 0)) + timedelta(minutes=rng.randrange(14 * 60))
    return naive.replace(second=rng.randrange(60), tzinfo=ZONE)


def _distinct(messages: list[_Message]) -> list[_Message]:
    """No two messages in the same second with the same text: each is its own record."""
    seen: set[tuple[int, str]] = set()
    kept = []
    for message in messages:
        key = (to_ms(message.moment) // 1000, message.text)
        if key not in seen:
            seen.add(key)
            kept.append(message)
    return kept


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _readable(moment: datetime) -> str:
    months = _MONTHS
    hour = moment.hour % 12 or 12
    return (
        f"{months[moment.month - 1]} {moment.day}, {moment.year} {hour}:{moment.minute:02d}:"
        f"{moment.second:02d} {'AM' if moment.hour < 12 else 'PM'}"
    )


def _attr(value: str) -> str:
    return escape(value, {'"': "&quot;", "\n": "&#10;"})


def sms_backup(today: date) -> DemoFile:
    """SMS Backup & Restore's ``sms-*.xml``: every text with the restrained person."""
    s = story(today)
    messages, _calls = _conversation(s)
    lines = [
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>",
        f"<!--File Created By SMS Backup & Restore v10.20.002 on {_stamp(s)}-->",
        '<?xml-stylesheet type="text/xsl" href="sms.xsl"?>',
        f'<smses count="{len(messages)}" backup_set="demo" backup_date="{_backup_ms(s)}">',
    ]
    for message in messages:
        ms = to_ms(message.moment)
        lines.append(
            f'  <sms protocol="0" address="{RESPONDENT_PHONE}" date="{ms}" '
            f'type="{1 if message.incoming else 2}" subject="null" '
            f'body="{_attr(message.text)}" toa="null" sc_toa="null" service_center="null" '
            f'read="1" status="-1" locked="0" date_sent="{ms if message.incoming else 0}" '
            f'sub_id="1" readable_date="{_readable(message.moment)}" '
            f'contact_name="{RESPONDENT}" />'
        )
    lines.append("</smses>")
    return DemoFile(f"sms-{_file_stamp(s)}.xml", ("\n".join(lines) + "\n").encode("utf-8"))


def call_log(today: date) -> DemoFile:
    """SMS Backup & Restore's ``calls-*.xml``: missed, rejected and answered calls."""
    s = story(today)
    _messages, calls = _conversation(s)
    lines = [
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>",
        f"<!--File Created By SMS Backup & Restore v10.20.002 on {_stamp(s)}-->",
        '<?xml-stylesheet type="text/xsl" href="calls.xsl"?>',
        f'<calls count="{len(calls)}" backup_set="demo" backup_date="{_backup_ms(s)}">',
    ]
    for call in calls:
        lines.append(
            f'  <call number="{_attr(RESPONDENT_PHONE_IN_CALL_LOG)}" '
            f'duration="{call.duration}" date="{to_ms(call.moment)}" type="{call.kind}" '
            f'presentation="1" subscription_id="1" post_dial_digits="" '
            f'readable_date="{_readable(call.moment)}" contact_name="{RESPONDENT}" />'
        )
    lines.append("</calls>")
    return DemoFile(f"calls-{_file_stamp(s)}.xml", ("\n".join(lines) + "\n").encode("utf-8"))


def _backup_moment(s: Story) -> datetime:
    return datetime.combine(s.today, time(7, 12, 5), ZONE)


def _backup_ms(s: Story) -> int:
    return to_ms(_backup_moment(s))


def _stamp(s: Story) -> str:
    return _backup_moment(s).strftime("%d/%m/%Y %H:%M:%S")


def _file_stamp(s: Story) -> str:
    return _backup_moment(s).strftime("%Y%m%d%H%M%S")


# ----- screenshots -------------------------------------------------------------------

_WIDTH, _HEIGHT = 720, 1280
_BG = (250, 250, 250)
_INK = (20, 20, 24)
_MUTED = (120, 120, 128)
_BUBBLE_IN = (232, 232, 236)
_BUBBLE_OUT = (55, 120, 246)
_ACCENT = (214, 41, 118)


@cache
def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(font_path(name)), size)


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: int) -> list[str]:
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}".strip()
            if font.getlength(candidate) <= width or not line:
                line = candidate
            else:
                lines.append(line)
                line = word
        lines.append(line)
    return lines


def _phone_frame(moment: datetime, title: str, subtitle: str) -> tuple[Image.Image, Any]:
    image = Image.new("RGB", (_WIDTH, _HEIGHT), _BG)
    draw = ImageDraw.Draw(image)
    # Status bar: the phone's clock, signal and battery.
    draw.rectangle((0, 0, _WIDTH, 44), fill=(245, 245, 247))
    draw.text((24, 10), f"{moment.hour}:{moment.minute:02d}", font=_font(22, True), fill=_INK)
    for index in range(4):
        x = _WIDTH - 150 + index * 12
        draw.rectangle((x, 30 - index * 5, x + 7, 32), fill=_INK)
    draw.rounded_rectangle((_WIDTH - 86, 13, _WIDTH - 34, 33), 4, outline=_INK, width=2)
    draw.rectangle((_WIDTH - 82, 17, _WIDTH - 56, 29), fill=_INK)
    # App bar: back arrow, avatar, handle.
    draw.rectangle((0, 44, _WIDTH, 140), fill=(255, 255, 255))
    draw.line((0, 140, _WIDTH, 140), fill=(220, 220, 224), width=2)
    draw.text((22, 70), "‹", font=_font(44), fill=_INK)
    draw.ellipse((70, 66, 124, 120), fill=(90, 96, 110))
    draw.text((84, 76), "JB", font=_font(22, True), fill=(255, 255, 255))
    draw.text((140, 68), title, font=_font(26, True), fill=_INK)
    draw.text((140, 102), subtitle, font=_font(19), fill=_MUTED)
    return image, draw


def _dm_screenshot(moment: datetime, lines: list[tuple[bool, str, str]]) -> bytes:
    """A direct-message thread: (from them?, text, time label) bubbles, newest last."""
    image, draw = _phone_frame(moment, RESPONDENT_HANDLE.lstrip("@"), "Active 2m ago")
    font = _font(26)
    y = 180
    draw.text((_WIDTH // 2 - 90, y), "Today", font=_font(19), fill=_MUTED)
    y += 50
    for from_them, text, label in lines:
        wrapped = _wrap(text, font, 430)
        height = 24 + 36 * len(wrapped)
        width = max(int(font.getlength(line)) for line in wrapped) + 40
        if from_them:
            box = (36, y, 36 + width, y + height)
            fill, ink = _BUBBLE_IN, _INK
        else:
            box = (_WIDTH - 36 - width, y, _WIDTH - 36, y + height)
            fill, ink = _BUBBLE_OUT, (255, 255, 255)
        draw.rounded_rectangle(box, 26, fill=fill)
        for number, line in enumerate(wrapped):
            draw.text((box[0] + 20, y + 12 + number * 36), line, font=font, fill=ink)
        y += height + 6
        draw.text((box[0] + 8, y), label, font=_font(17), fill=_MUTED)
        y += 44
    _composer(draw)
    return _png(image)


def _post_screenshot(moment: datetime, caption: str, comments: list[tuple[str, str]]) -> bytes:
    """A public post by the restrained person, with its caption and comments."""
    image, draw = _phone_frame(moment, RESPONDENT_HANDLE.lstrip("@"), "Posts")
    top = 160
    draw.ellipse((24, top, 74, top + 50), fill=(90, 96, 110))
    draw.text((36, top + 12), "JB", font=_font(18, True), fill=(255, 255, 255))
    draw.text((88, top + 12), RESPONDENT_HANDLE.lstrip("@"), font=_font(22, True), fill=_INK)
    picture = (0, top + 70, _WIDTH, top + 70 + 520)
    for row in range(picture[1], picture[3]):  # a dusk-coloured photo of an empty street
        shade = (row - picture[1]) / (picture[3] - picture[1])
        colour = (int(40 + 60 * shade), int(50 + 40 * shade), int(90 - 30 * shade))
        draw.line((0, row, _WIDTH, row), fill=colour)
    draw.rectangle((0, picture[3] - 140, _WIDTH, picture[3]), fill=(38, 38, 44))
    for x in range(40, _WIDTH, 140):
        draw.rectangle((x, picture[3] - 80, x + 60, picture[3] - 70), fill=(230, 210, 90))
    draw.rectangle((470, picture[1] + 120, 560, picture[3] - 140), fill=(28, 28, 34))
    draw.ellipse((495, picture[1] + 95, 535, picture[1] + 135), fill=(255, 236, 170))
    y = picture[3] + 20
    draw.text((24, y), "♡   ◯   ➤", font=_font(30), fill=_INK)
    y += 52
    draw.text((24, y), "31 likes", font=_font(21, True), fill=_INK)
    y += 36
    handle_width = int(_font(22, True).getlength(RESPONDENT_HANDLE.lstrip("@") + " "))
    wrapped = _wrap(caption, _font(22), _WIDTH - 48 - handle_width)
    draw.text((24, y), RESPONDENT_HANDLE.lstrip("@"), font=_font(22, True), fill=_INK)
    for number, line in enumerate(wrapped):
        draw.text((24 + handle_width, y + number * 32), line, font=_font(22), fill=_INK)
    y += 32 * len(wrapped) + 16
    for who, text in comments:
        width = int(_font(20, True).getlength(who + " "))
        draw.text((24, y), who, font=_font(20, True), fill=_INK)
        for number, line in enumerate(_wrap(text, _font(20), _WIDTH - 48 - width)):
            draw.text((24 + width, y + number * 30), line, font=_font(20), fill=_INK)
        y += 30 * len(_wrap(text, _font(20), _WIDTH - 48 - width)) + 10
    draw.text((24, y + 6), "2 hours ago", font=_font(18), fill=_MUTED)
    return _png(image)


def _composer(draw: Any) -> None:
    draw.rounded_rectangle((24, _HEIGHT - 96, _WIDTH - 24, _HEIGHT - 36), 30, outline=_MUTED)
    draw.text((52, _HEIGHT - 80), "Message…", font=_font(22), fill=_MUTED)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=6)
    return out.getvalue()


def _screenshot_name(moment: datetime) -> str:
    return f"Screenshot_{moment.strftime('%Y%m%d-%H%M%S')}.png"


def screenshots(today: date) -> list[DemoFile]:
    """Android-style screenshots of direct messages and a post, named with their time."""
    s = story(today)

    def at(days_before: int, hour: int, minute: int, second: int) -> datetime:
        day = today - timedelta(days=days_before)
        return datetime.combine(day, time(hour, minute, second), ZONE)

    taken = [
        at(15, 22, 31, 4),
        at(13, 0, 47, 19),
        at(8, 21, 16, 42),
        s.store_incident + timedelta(minutes=46, seconds=13),
    ]
    pictures = [
        _post_screenshot(
            taken[0],
            "Some people keep the same routine every day. 7:45, same parking spot, "
            "same blue jacket.",
            [("jblake.77", "She knows who this is about."), ("t.morrow_", "??")],
        ),
        _dm_screenshot(
            taken[1],
            [
                (True, "You blocked my number.", "12:38 AM"),
                (True, "You can block my number. You can't block everything.", "12:41 AM"),
                (True, "I'm still up. Are you?", "12:46 AM"),
            ],
        ),
        _post_screenshot(
            taken[2],
            "Funny how a piece of paper makes people think they're safe.",
            [("jblake.77", "Some of us don't give up."), ("kels.marie", "what happened??")],
        ),
        _dm_screenshot(
            taken[3],
            [
                (True, f"Saw you at {STORE.split(',')[0]} tonight.", "6:52 PM"),
                (False, "There is a court order. Do not contact me.", "6:58 PM"),
                (True, "A piece of paper. We're not done talking.", "7:04 PM"),
            ],
        ),
    ]
    return [
        DemoFile(_screenshot_name(moment), data)
        for moment, data in zip(taken, pictures, strict=True)
    ]


# ----- e-mail ------------------------------------------------------------------------

_EMAILS = (
    (
        19,
        time(2, 14, 51),
        "Please just talk to me",
        "Alex,\n\nYou won't answer my calls so I'm writing. I don't understand why you're "
        "doing this. I just want to talk, five minutes, that's all. You can't act like the "
        "last two years didn't happen.\n\nCall me tonight.\n\nJ",
    ),
    (
        11,
        time(23, 5, 12),
        "You're making a mistake",
        "So now the police are involved? That is a big mistake. I showed up because you "
        "won't talk to me, that's all. Everyone at your work is going to hear my side of "
        "this story. Think about that before you go any further.\n\nJordan",
    ),
    (
        6,
        time(1, 33, 27),
        "Read this",
        "I know you got a court order. I also know you read every message I send, so read "
        "this one: I'm not going anywhere. We are going to talk whether you like it or "
        "not.\n\nJ",
    ),
)


def emails(today: date) -> list[DemoFile]:
    """E-mails from the restrained person, with real Date headers (offset included)."""
    files = []
    for number, (days_before, at, subject, body) in enumerate(_EMAILS, start=1):
        moment = datetime.combine(today - timedelta(days=days_before), at, ZONE)
        message = EmailMessage(policy=SMTP)
        message["From"] = f"{RESPONDENT} <{RESPONDENT_EMAIL}>"
        message["To"] = f"{PETITIONER} <{PETITIONER_EMAIL}>"
        message["Subject"] = subject
        message["Date"] = format_datetime(moment)
        message["Message-ID"] = f"<demo.{moment.strftime('%Y%m%d%H%M%S')}.{number}@example.com>"
        message["MIME-Version"] = "1.0"
        message.set_content(body)
        name = f"{moment.strftime('%Y-%m-%d')} {subject}.eml"
        files.append(DemoFile(name, message.as_bytes()))
    return files


# ----- voicemail ---------------------------------------------------------------------


def voicemail(today: date) -> DemoFile:
    """Four seconds of quiet, murmur-like noise as 8 kHz mono WAV (~64 KB); the file's
    mtime (the only time a WAV from a phone carries) is the night of the home incident."""
    s = story(today)
    rng = random.Random(SEED + 1)  # noqa: S311 - repeatable noise, not a secret
    rate, seconds = 8000, 4
    frames = bytearray()
    for index in range(rate * seconds):
        t = index / rate
        envelope = 0.5 + 0.5 * math.sin(2 * math.pi * 2.3 * t) ** 2  # syllable-like swells
        voice = math.sin(2 * math.pi * 140 * t) + 0.4 * math.sin(2 * math.pi * 280 * t)
        sample = 900 * envelope * voice + rng.gauss(0, 120)
        frames += struct.pack("<h", max(-32768, min(32767, int(sample))))
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(bytes(frames))
    moment = voicemail_time(s)
    return DemoFile(f"voicemail-{moment.strftime('%Y%m%d-%H%M')}.wav", out.getvalue(), moment)


# ----- PDFs --------------------------------------------------------------------------


def _pdf_date(moment: datetime) -> str:
    offset = moment.utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return moment.strftime("D:%Y%m%d%H%M%S") + f"{sign}{hours:02d}'{mins:02d}'"


class _Writer:
    """A tiny top-down text writer on a reportlab canvas (Helvetica, wrapped lines)."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self.width, self.height = letter
        self.y = self.height - 72

    def line(self, text: str, size: float = 11, bold: bool = False, gap: float = 4) -> None:
        font = "Helvetica-Bold" if bold else "Helvetica"
        for part in simpleSplit(text, font, size, self.width - 144) or [""]:
            if self.y < 90:
                self.page_break()
            self.canvas.setFont(font, size)
            self.canvas.drawString(72, self.y, part)
            self.y -= size * 1.35
        self.y -= gap

    def rule(self) -> None:
        self.canvas.setLineWidth(0.8)
        self.canvas.line(72, self.y + 6, self.width - 72, self.y + 6)
        self.y -= 10

    def page_break(self) -> None:
        self.footer()
        self.canvas.showPage()
        self.y = self.height - 72

    def footer(self) -> None:
        self.canvas.setFont("Helvetica-Oblique", 8)
        self.canvas.drawCentredString(self.width / 2, 40, FICTION_NOTE)


def _pdf(title: str, created: datetime, draw: Any) -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter, invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("NCO Desktop demo case")
    stamp = _pdf_date(created)
    canvas.setDateFormatter(lambda *_parts: stamp)
    writer = _Writer(canvas)
    draw(writer)
    writer.footer()
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def police_report(today: date) -> DemoFile:
    """The incident report the officer wrote the night of the home incident."""
    s = story(today)
    home = s.home_incident
    report_day = s.report_taken

    def draw(w: _Writer) -> None:
        w.line(AGENCY.upper(), 16, bold=True, gap=2)
        w.line("Incident / Offense Report", 13, bold=True, gap=10)
        w.rule()
        w.line(f"Report number: {s.report_number}", bold=True)
        w.line(f"Date and time reported: {long_date(report_day.date())}, {clock_time(report_day)}")
        w.line(f"Date and time of incident: {long_date(home.date())}, about {clock_time(home)}")
        w.line(f"Location: {PETITIONER_ADDRESS}, outside the front door")
        w.line(
            "Offense: Harassment by telephone and electronic communication; stalking "
            "(under investigation)"
        )
        w.line(f"Reporting party / victim: {PETITIONER}")
        w.line(f"Suspect: {RESPONDENT}, phone (312) 555-0147, vehicle {RESPONDENT_CAR}", gap=10)
        w.rule()
        w.line("Narrative", 12, bold=True)
        for paragraph in (
            f"On {long_date(home.date())} at about {clock_time(home)} I was dispatched to "
            f"{PETITIONER_ADDRESS} for a report of an unwanted person at the door. On arrival "
            f"the reporting party, {PETITIONER}, met me in the hallway. {PETITIONER} appeared "
            "frightened and was shaking while speaking with me.",
            f"{PETITIONER} stated that a former partner, {RESPONDENT}, had been outside the "
            "apartment for about twenty minutes, knocking on the door and calling. "
            f"{PETITIONER} showed me text messages received that evening from (312) 555-0147, "
            "including “I'm outside.” and “I can see your light is on. Open the door.”, "
            "and a call log showing several missed calls and a voicemail from the same "
            "number between 11:30 PM and midnight.",
            f"{PETITIONER} stated that the contact has been daily for about three weeks, "
            "mostly late at night, that it continued after being asked to stop in writing, and "
            f"that {RESPONDENT} followed {PETITIONER} to work on "
            f"{long_date(s.work_incident.date())}.",
            f"Neighbour {NEIGHBOUR} (apartment 2A) stated that she heard loud knocking and a "
            f"man calling {PETITIONER}'s name, and saw {RESPONDENT_CAR} leave the lot at about "
            "11:50 PM. The suspect was not on scene when I arrived.",
            f"I photographed the messages on {PETITIONER}'s phone. {PETITIONER} was given "
            "information about orders of protection and referred to Lake County Victim "
            "Services. A follow-up contact with the suspect is pending.",
        ):
            w.line(paragraph, gap=8)
        w.rule()
        w.line(f"Reporting officer: {OFFICER}")
        w.line("Supervisor review: Sgt. M. Okafor, badge 1870")
        w.line("Disposition: Report taken. Referred for investigation.")

    title = f"{AGENCY} — Incident report {s.report_number}"
    return DemoFile(f"police-report-{s.report_number}.pdf", _pdf(title, report_day, draw))


def protection_order(today: date) -> DemoFile:
    """The temporary civil protection order, issued ten days ago, hearing ahead."""
    s = story(today)

    def draw(w: _Writer) -> None:
        w.line(f"IN THE {COURT.upper()}", 13, bold=True, gap=2)
        w.line(f"Case number: {s.case_number}", gap=10)
        w.line(f"{PETITIONER}, Petitioner,", gap=0)
        w.line("v.", gap=0)
        w.line(f"{RESPONDENT}, Respondent.", gap=12)
        w.line("TEMPORARY CIVIL PROTECTION ORDER (EX PARTE)", 14, bold=True, gap=10)
        w.rule()
        w.line(
            "The court has read the verified petition and finds that the petitioner has "
            "shown a pattern of unwanted contact and following that causes the petitioner "
            "fear for their safety and substantial emotional distress. Until the hearing "
            "below, IT IS ORDERED that the respondent:",
            gap=8,
        )
        for term in (
            "1. shall not contact the petitioner in any way, directly or through others, "
            "including by telephone, text message, e-mail, social media or letters;",
            "2. shall stay at least 500 feet away from the petitioner, the petitioner's "
            "residence and the petitioner's place of work;",
            "3. shall not post about the petitioner or the petitioner's whereabouts online;",
            "4. shall not follow, monitor or watch the petitioner.",
        ):
            w.line(term, gap=6)
        w.line(
            f"A hearing on a plenary order is set for {long_date(s.hearing.date())} at "
            f"{clock_time(s.hearing)}, {DEPARTMENT}. This order remains in effect until "
            "that hearing.",
            gap=12,
        )
        w.line(f"Entered: {long_date(s.order_issued)}")
        w.line(f"Judge: {JUDGE}", gap=14)
        w.line(
            f"Proof of service: personally served on the respondent on "
            f"{long_date(s.order_served)} by a deputy of the Lake County Sheriff."
        )

    created = datetime.combine(s.order_issued, time(15, 42, 10), ZONE)
    title = f"Temporary civil protection order — {s.case_number}"
    return DemoFile(f"order-{s.case_number}.pdf", _pdf(title, created, draw))


def demo_files(today: date) -> Iterator[DemoFile]:
    """Every file of the demo case, in a fixed order."""
    yield sms_backup(today)
    yield call_log(today)
    yield from screenshots(today)
    yield from emails(today)
    yield voicemail(today)
    yield police_report(today)
    yield protection_order(today)
