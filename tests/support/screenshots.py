"""Labelled synthetic phone screenshots for testing and measuring OCR.

Real evidence is mostly chat screenshots: WhatsApp, iMessage, Instagram and Android SMS,
in light and dark mode, often in Spanish, often shrunk or re-compressed when shared. We
cannot ship real ones, so this draws look-alikes with Pillow and returns, with every
picture, the exact text drawn on it (status-bar time, contact name, timestamps, message
lines, input placeholder) in reading order, and the box of every drawn word. Emoji are
drawn but not labelled: nobody searches for them and Tesseract cannot read them.

Everything is seeded, so a sample is the same picture on every run and machine that has
the same fonts (DejaVu, from the system or from ``resources/fonts``).
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

STYLES = ("whatsapp", "imessage", "instagram", "android")
_FONTS = Path(__file__).resolve().parents[2] / "resources" / "fonts"
_SYSTEM = Path("/usr/share/fonts/truetype/dejavu")

Rgb = tuple[int, int, int]
Box = tuple[int, int, int, int]

EN_MESSAGES = (
    "I know where you live",
    "Why are you ignoring me?",
    "Answer the phone right now",
    "You can't hide from me forever",
    "I saw you at the grocery store on Main Street yesterday",
    "Stop blocking my number",
    "We need to talk tonight",
    "I'm outside your apartment",
    "Your sister told me everything",
    "Don't make me come over there again",
    "Please leave me alone, I asked you to stop contacting me",
    "I will call the police if you keep texting me",
    "This is the last time I am asking nicely",
    "Who was that guy with you at 11:30 last night?",
    "I'll be waiting at your work on Friday",
    "You owe me $250 and you know it",
    "Check your email",
    "Nobody else will ever want you",
    "I am not responding to you anymore",
    "Meet me at the park at 7 pm",
)
ES_MESSAGES = (
    "Sé dónde vives",
    "¿Por qué no me contestas?",
    "¡Contesta el teléfono ahora mismo!",
    "No puedes esconderte de mí para siempre",
    "Te vi ayer en la tienda de la calle Peñalver",
    "Deja de bloquear mi número",
    "Tenemos que hablar esta noche",
    "Estoy afuera de tu casa",
    "Tu hermana me contó todo",
    "No me obligues a ir otra vez",
    "Por favor déjame en paz, te pedí que no me escribas más",
    "Voy a llamar a la policía si sigues escribiéndome",
    "¿Quién era ese señor que estaba contigo anoche?",
    "Mañana te espero en tu trabajo a las 8",
    "Me debes 250 euros y lo sabes",
    "Revisa tu correo electrónico",
    "Nadie más te va a querer, niña",
    "Ya no voy a responderte",
    "¿Dónde estás? Llámame en cuanto leas esto",
    "El niño se quedó conmigo el miércoles",
)
NAMES = ("Jordan Miller", "Alex Carter", "Sam Ortiz", "Marcos Peña", "Lucía Gómez", "Ray Núñez")
EMOJI = ("😡", "👀", "🔪", "😂", "🙏")
TODAY = {"en": "Today", "es": "Hoy"}
PLACEHOLDER = {
    ("imessage", "en"): "iMessage",
    ("imessage", "es"): "iMessage",
    ("whatsapp", "en"): "Message",
    ("whatsapp", "es"): "Mensaje",
    ("instagram", "en"): "Message...",
    ("instagram", "es"): "Envía un mensaje...",
    ("android", "en"): "Text message",
    ("android", "es"): "Mensaje de texto",
}


@dataclass(frozen=True)
class DrawnWord:
    """One word as drawn: its text and its ink box (left, top, right, bottom) in pixels."""

    text: str
    box: Box


@dataclass(frozen=True)
class Screenshot:
    """A generated picture and what a perfect reader would find on it."""

    image: Image.Image
    lines: tuple[str, ...]
    words: tuple[DrawnWord, ...]
    style: str
    dark: bool
    language: str

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def word_box(self, text: str) -> Box:
        """The box of the first drawn word equal to ``text`` (for placement checks)."""
        for word in self.words:
            if word.text == text:
                return word.box
        raise KeyError(text)


@dataclass(frozen=True)
class _Theme:
    background: Rgb
    header: Rgb
    text: Rgb
    muted: Rgb
    sent: Rgb
    sent_text: Rgb
    received: Rgb
    received_text: Rgb
    input_field: Rgb
    pattern: Rgb | None = None


# background, header, text, muted, sent, sent text, received, received text, input field,
# wallpaper pattern (WhatsApp only): the apps' own colours, light and dark.
_THEMES = {
    ("imessage", False): "ffffff f7f7f7 000000 8e8e93 0a84ff ffffff e9e9eb 000000 ffffff",
    ("imessage", True): "000000 161618 ffffff 8e8e93 0a84ff ffffff 262629 ffffff 1c1c1e",
    ("whatsapp", False): "efe7de f0f2f5 111b21 667781 d9fdd3 111b21 ffffff 111b21 ffffff e4dbd0",
    ("whatsapp", True): "0b141a 202c33 e9edef 8696a0 005c4b e9edef 202c33 e9edef 2a3942 141e25",
    ("instagram", False): "ffffff ffffff 000000 737373 3797f0 ffffff efefef 000000 efefef",
    ("instagram", True): "000000 000000 f5f5f5 a8a8a8 7444ec ffffff 262626 f5f5f5 262626",
    ("android", False): "ffffff f0f4f9 1f1f1f 5f6368 d3e3fd 041e49 e9eef6 1f1f1f e9eef6",
    ("android", True): "1f1f1f 282828 e3e3e3 aaaaaa 0842a0 d3e3fd 303030 e3e3e3 303030",
}


def _theme(style: str, dark: bool) -> _Theme:
    colours = [
        (int(h[0:2], 16), int(h[2:4], 16), int(h[4:6], 16)) for h in _THEMES[(style, dark)].split()
    ]
    pattern = colours[9] if len(colours) > 9 else None
    background, header, text, muted, sent, sent_text, received, received_text, field = colours[:9]
    return _Theme(
        background, header, text, muted, sent, sent_text, received, received_text, field, pattern
    )


@cache
def _font(kind: str, size: int) -> ImageFont.FreeTypeFont:
    names = {
        "regular": "DejaVuSans.ttf",
        "bold": "DejaVuSans-Bold.ttf",
        "condensed": "DejaVuSansCondensed.ttf",
        "emoji": "NotoEmoji-Regular.ttf",
    }
    name = names[kind]
    for folder in (_SYSTEM, _FONTS):
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    if kind == "condensed":
        return _font("regular", size)
    raise FileNotFoundError(f"font {name} is not in {_SYSTEM} or {_FONTS}")


@dataclass
class _Canvas:
    """Draws text runs and remembers the label and word boxes as it goes."""

    image: Image.Image
    lines: list[str] = field(default_factory=list)
    words: list[DrawnWord] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.draw = ImageDraw.Draw(self.image)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        font: ImageFont.FreeTypeFont,
        fill: Rgb,
        label: bool = True,
    ) -> None:
        """Draw one line of words (an emoji token is drawn with the emoji font, unlabelled)."""
        cursor = x
        space = font.getlength(" ")
        kept = []
        for token in text.split(" "):
            if token in EMOJI:
                emoji = _font("emoji", font.size)
                self.draw.text((cursor, y), token, font=emoji, fill=fill)
                cursor += emoji.getlength(token) + space
                continue
            self.draw.text((cursor, y), token, font=font, fill=fill)
            left, top, right, bottom = self.draw.textbbox((cursor, y), token, font=font)
            if label:
                box = (round(left), round(top), round(right), round(bottom))
                self.words.append(DrawnWord(token, box))
                kept.append(token)
            cursor += font.getlength(token) + space
        if kept:
            self.lines.append(" ".join(kept))


def _wrap(text: str, font: ImageFont.FreeTypeFont, width: float) -> list[str]:
    lines: list[str] = []
    current = ""
    for token in text.split(" "):
        trial = f"{current} {token}".strip()
        if current and _length(trial, font) > width:
            lines.append(current)
            current = token
        else:
            current = trial
    lines.append(current)
    return lines


def _length(text: str, font: ImageFont.FreeTypeFont) -> float:
    emoji = _font("emoji", font.size)
    space = font.getlength(" ")
    total = 0.0
    for token in text.split(" "):
        total += (emoji if token in EMOJI else font).getlength(token) + space
    return total - space


def _clock(rng: random.Random, language: str) -> str:
    hour, minute = rng.randint(0, 23), rng.randint(0, 59)
    if language == "es":
        return f"{hour}:{minute:02d}"
    return f"{(hour % 12) or 12}:{minute:02d} {'AM' if hour < 12 else 'PM'}"


def _status_bar(canvas: _Canvas, theme: _Theme, scale: float, rng: random.Random) -> int:
    height = round(47 * scale)
    width = canvas.image.width
    font = _font("bold", round(15 * scale))
    clock = f"{rng.randint(1, 12)}:{rng.randint(0, 59):02d}"
    canvas.text(round(28 * scale), round(14 * scale), clock, font, theme.text)
    draw = canvas.draw
    right = width - round(24 * scale)
    top = round(18 * scale)
    battery = (right - round(26 * scale), top, right, top + round(12 * scale))
    draw.rounded_rectangle(
        battery, radius=round(3 * scale), outline=theme.text, width=max(1, round(scale))
    )
    draw.rectangle(
        (battery[0] + 3, battery[1] + 3, battery[0] + round(18 * scale), battery[3] - 3),
        fill=theme.text,
    )
    for bar in range(4):
        bx = right - round((60 - bar * 6) * scale)
        bh = round((4 + bar * 2.5) * scale)
        draw.rectangle(
            (bx, top + round(12 * scale) - bh, bx + round(3.5 * scale), top + round(12 * scale)),
            fill=theme.text,
        )
    return height


def _header(
    canvas: _Canvas, theme: _Theme, style: str, scale: float, top: int, name: str, language: str
) -> int:
    width = canvas.image.width
    height = round((86 if style == "imessage" else 60) * scale)
    draw = canvas.draw
    draw.rectangle((0, top, width, top + height), fill=theme.header)
    line = max(1, round(2 * scale))
    mid = top + height // 2
    x0 = round(16 * scale)
    draw.line(
        [
            (x0 + round(10 * scale), mid - round(10 * scale)),
            (x0, mid),
            (x0 + round(10 * scale), mid + round(10 * scale)),
        ],
        fill=theme.sent if style == "imessage" else theme.text,
        width=line,
    )
    avatar = round(36 * scale)
    if style == "imessage":
        ax = (width - avatar) // 2
        draw.ellipse(
            (ax, top + round(8 * scale), ax + avatar, top + round(8 * scale) + avatar),
            fill=(160, 164, 172),
        )
        font = _font("regular", round(12 * scale))
        text_width = _length(name, font)
        canvas.text((width - text_width) / 2, top + round(50 * scale), name, font, theme.text)
        return height
    ax = x0 + round(22 * scale)
    draw.ellipse((ax, mid - avatar // 2, ax + avatar, mid + avatar // 2), fill=(160, 164, 172))
    font = _font("bold", round(16 * scale))
    tx = ax + avatar + round(12 * scale)
    if style == "whatsapp":
        canvas.text(tx, mid - round(20 * scale), name, font, theme.text)
        small = _font("regular", round(12 * scale))
        canvas.text(
            tx,
            mid + round(2 * scale),
            "online" if language == "en" else "en línea",
            small,
            theme.muted,
        )
    else:
        canvas.text(tx, mid - round(10 * scale), name, font, theme.text)
    return height


def _wallpaper(image: Image.Image, theme: _Theme, rng: random.Random, scale: float) -> None:
    """WhatsApp's doodle wallpaper, as faint scattered rings (background texture)."""
    if theme.pattern is None:
        return
    draw = ImageDraw.Draw(image)
    for _ in range(image.width * image.height // 9000):
        x, y = rng.randrange(image.width), rng.randrange(image.height)
        r = rng.randint(3, 9) * scale
        draw.ellipse(
            (x - r, y - r, x + r, y + r), outline=theme.pattern, width=max(1, round(scale))
        )


def _bubble(
    canvas: _Canvas,
    theme: _Theme,
    style: str,
    scale: float,
    y: int,
    sent: bool,
    text: str,
    clock: str,
) -> int:
    width = canvas.image.width
    body = _font(
        "condensed" if style == "android" else "regular",
        round((16 if style in ("whatsapp", "android") else 17) * scale),
    )
    pad_x, pad_y = round(12 * scale), round(7 * scale)
    lines = _wrap(text, body, width * 0.68 - 2 * pad_x)
    line_height = round(body.size * 1.3)
    text_width = max(_length(line, body) for line in lines)
    small = _font("regular", round(11 * scale))
    in_bubble_time = style == "whatsapp"
    bubble_height = 2 * pad_y + line_height * len(lines)
    if in_bubble_time:
        text_width = max(text_width, _length(clock, small) + round(18 * scale))
        bubble_height += round(16 * scale)
    bubble_width = text_width + 2 * pad_x
    margin = round(14 * scale)
    left = width - margin - bubble_width if sent else margin
    fill, ink = (theme.sent, theme.sent_text) if sent else (theme.received, theme.received_text)
    radius = round((8 if style == "whatsapp" else 18) * scale)
    canvas.draw.rounded_rectangle(
        (left, y, left + bubble_width, y + bubble_height), radius=radius, fill=fill
    )
    for index, line in enumerate(lines):
        canvas.text(left + pad_x, y + pad_y + index * line_height, line, body, ink)
    if in_bubble_time:
        tx = (
            left + bubble_width - pad_x - _length(clock, small) - (round(18 * scale) if sent else 0)
        )
        canvas.text(
            tx,
            y + bubble_height - pad_y - small.size,
            clock,
            small,
            theme.muted if not sent or theme.sent != (0, 92, 75) else ink,
        )
        if sent:
            cx = left + bubble_width - pad_x - round(14 * scale)
            cy = y + bubble_height - pad_y - round(6 * scale)
            for dx in (0, round(5 * scale)):
                canvas.draw.line(
                    [
                        (cx + dx, cy),
                        (cx + dx + round(3 * scale), cy + round(4 * scale)),
                        (cx + dx + round(9 * scale), cy - round(5 * scale)),
                    ],
                    fill=(83, 189, 235),
                    width=max(1, round(1.5 * scale)),
                )
    bottom = y + bubble_height
    if style == "android":
        font = _font("regular", round(11 * scale))
        tx = left + bubble_width - _length(clock, font) if sent else left + round(4 * scale)
        canvas.text(tx, bottom + round(4 * scale), clock, font, theme.muted)
        bottom += round(18 * scale)
    return bottom


def _separator(canvas: _Canvas, theme: _Theme, style: str, scale: float, y: int, text: str) -> int:
    font = _font("bold" if style == "whatsapp" else "regular", round(12 * scale))
    text_width = _length(text, font)
    x = (canvas.image.width - text_width) / 2
    height = round(26 * scale)
    if style == "whatsapp":
        pad = round(10 * scale)
        canvas.draw.rounded_rectangle(
            (x - pad, y, x + text_width + pad, y + height),
            radius=round(7 * scale),
            fill=theme.header,
        )
    canvas.text(x, y + (height - font.size) / 2 - scale, text, font, theme.muted)
    return y + height


def _input_bar(
    canvas: _Canvas, theme: _Theme, style: str, scale: float, language: str, top: int
) -> None:
    width = canvas.image.width
    canvas.draw.rectangle((0, top, width, canvas.image.height), fill=theme.header)
    field_top = top + round(10 * scale)
    field = (round(54 * scale), field_top, width - round(54 * scale), field_top + round(36 * scale))
    canvas.draw.rounded_rectangle(
        field,
        radius=round(18 * scale),
        fill=theme.input_field,
        outline=theme.muted if style == "imessage" else None,
    )
    font = _font("regular", round(16 * scale))
    canvas.text(
        field[0] + round(14 * scale),
        field_top + round(8 * scale),
        PLACEHOLDER[(style, language)],
        font,
        theme.muted,
    )


def make_screenshot(
    seed: int,
    style: str = "imessage",
    dark: bool = False,
    language: str = "en",
    device: str = "iphone",
    messages: int = 9,
    half: bool = False,
    jpeg_quality: int | None = None,
    long: bool = False,
    emoji: bool = True,
) -> Screenshot:
    """One screenshot. ``device``: "iphone" (1170x2532, @3x), "android" (1080x2400,
    @2.625x) or "small" (600 px wide @1.5x, height fitted: fast for tests). ``long`` makes
    a ~9000 px scrolling capture; ``half`` halves the picture as when shared; a
    ``jpeg_quality`` re-compresses it."""
    if style not in STYLES:
        raise ValueError(f"unknown style {style!r}")
    rng = random.Random(f"{seed}-{style}-{dark}-{language}-{device}")
    width, height, scale = {
        "iphone": (1170, 2532, 3.0),
        "android": (1080, 2400, 2.625),
        "small": (600, 0, 1.5),
    }[device]
    pool = EN_MESSAGES if language == "en" else ES_MESSAGES
    count = 60 if long else messages
    chosen = [rng.choice(pool) for _ in range(count)]
    if emoji:
        for index in rng.sample(range(count), k=min(2, count)):
            chosen[index] = f"{chosen[index]} {rng.choice(EMOJI)}"
    if long:
        height = 9000
    fitted = height == 0
    if fitted:
        height = 4000
    theme = _theme(style, dark)
    canvas = _Canvas(Image.new("RGB", (width, height), theme.background))
    _wallpaper(canvas.image, theme, rng, scale)
    canvas.draw.rectangle((0, 0, width, round(47 * scale)), fill=theme.header)
    y = _status_bar(canvas, theme, scale, rng)
    y += _header(canvas, theme, style, scale, y, rng.choice(NAMES), language)
    input_height = round(56 * scale)
    limit = height - input_height - round(12 * scale)
    y += round(10 * scale)
    for index, text in enumerate(chosen):
        if (index % 4 == 0 and style != "whatsapp") or index == 0:
            separator = f"{TODAY[language]} {_clock(rng, language)}"
            if style == "whatsapp":
                separator = TODAY[language].upper()
            needed = round(40 * scale)
            if y + needed > limit:
                break
            y = _separator(canvas, theme, style, scale, y + round(8 * scale), separator)
            y += round(8 * scale)
        trial = _Canvas(canvas.image.copy())
        bottom = _bubble(
            trial, theme, style, scale, y, rng.random() < 0.5, text, _clock(rng, language)
        )
        if bottom > limit:
            break
        canvas.image = trial.image
        canvas.draw = trial.draw
        canvas.lines.extend(trial.lines)
        canvas.words.extend(trial.words)
        y = bottom + round(6 * scale)
    if fitted:
        height = y + round(8 * scale) + input_height
        canvas.image = canvas.image.crop((0, 0, width, height))
        canvas.draw = ImageDraw.Draw(canvas.image)
    _input_bar(canvas, theme, style, scale, language, height - input_height)
    image = canvas.image
    words = canvas.words
    if half:
        image = image.resize((width // 2, height // 2), Image.Resampling.LANCZOS)
        words = [
            DrawnWord(
                w.text, (w.box[0] // 2, w.box[1] // 2, (w.box[2] + 1) // 2, (w.box[3] + 1) // 2)
            )
            for w in words
        ]
    if jpeg_quality is not None:
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=jpeg_quality)
        image = Image.open(io.BytesIO(buffer.getvalue()))
        image.load()
    return Screenshot(image, tuple(canvas.lines), tuple(words), style, dark, language)


def small_sample(
    seed: int = 1,
    style: str = "imessage",
    dark: bool = False,
    language: str = "en",
    messages: int = 3,
) -> Screenshot:
    """A quick 600-px-wide screenshot with a few bubbles (~0.1-0.3 s to read)."""
    return make_screenshot(seed, style, dark, language, device="small", messages=messages)


CATEGORIES = (
    "light EN",
    "dark EN",
    "light ES",
    "dark ES",
    "half-resolution",
    "JPEG q70",
    "long capture",
)


def labelled_set(per_category: int = 10, seed: int = 2026) -> dict[str, list[Screenshot]]:
    """The benchmark set: ``per_category`` screenshots for each of CATEGORIES, cycling
    through the four apps and both phone sizes (long captures: ``per_category // 3``)."""
    result: dict[str, list[Screenshot]] = {}
    for category in CATEGORIES:
        shots = []
        count = max(1, per_category // 3) if category == "long capture" else per_category
        for index in range(count):
            style = STYLES[index % len(STYLES)]
            device = "iphone" if index % 2 == 0 else "android"
            base = seed * 1000 + index
            dark = index % 2 == 1
            if category.startswith(("light", "dark")):
                dark = category.startswith("dark")
                language = "es" if category.endswith("ES") else "en"
                shots.append(make_screenshot(base, style, dark, language, device))
            elif category == "half-resolution":
                shots.append(
                    make_screenshot(
                        base, style, dark, ("en", "es")[index % 3 == 2], device, half=True
                    )
                )
            elif category == "JPEG q70":
                shots.append(
                    make_screenshot(
                        base, style, dark, ("en", "es")[index % 3 == 1], device, jpeg_quality=70
                    )
                )
            else:
                shots.append(
                    make_screenshot(base, style, dark, ("en", "es")[index % 2], "iphone", long=True)
                )
        result[category] = shots
    return result
