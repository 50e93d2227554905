"""Real Tesseract on generated screenshots: words found, in the right place, any polarity."""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from nco_desktop.ocr import tesseract
from nco_desktop.ocr.words import OcrWord, text_of
from tests.support.screenshots import Screenshot, make_screenshot, small_sample

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"


@pytest.fixture(scope="module", autouse=True)
def engine() -> None:
    tesseract.prepare()


def _found_share(words: list[OcrWord], shot: Screenshot) -> float:
    """Share of the drawn words (3+ characters) that were read exactly."""
    found = {word.text for word in words}
    expected = [word.text for word in shot.words if len(word.text) >= 3]
    return sum(text in found for text in expected) / len(expected)


def _overlaps(word: OcrWord, box: tuple[int, int, int, int]) -> bool:
    width = min(word.left + word.width, box[2]) - max(word.left, box[0])
    height = min(word.top + word.height, box[3]) - max(word.top, box[1])
    return width > 0.5 * (box[2] - box[0]) and height > 0.5 * (box[3] - box[1])


def test_light_mode_english_words_are_found_where_they_were_drawn() -> None:
    shot = small_sample(seed=1, style="imessage")
    words = tesseract.read_words(shot.image)
    assert _found_share(words, shot) >= 0.85
    checked = 0
    for drawn in shot.words:
        if len(drawn.text) < 4:
            continue
        matches = [word for word in words if word.text == drawn.text]
        if matches:
            checked += 1
            assert any(_overlaps(word, drawn.box) for word in matches), drawn
    assert checked >= 8
    assert all(0 <= word.confidence <= 100 for word in words)
    lines = [word.line for word in words]
    assert lines == sorted(lines) and lines[0] == 0


@pytest.mark.parametrize("style", ["whatsapp", "imessage", "instagram", "android"])
def test_dark_mode_is_read(style: str) -> None:
    shot = small_sample(seed=2, style=style, dark=True)
    assert _found_share(tesseract.read_words(shot.image), shot) >= 0.85


def test_spanish_accents_and_enye_are_read() -> None:
    shot = make_screenshot(4, "android", language="es", device="small", messages=6)
    accented = {w.text for w in shot.words if any(c in "ñáéíóú¿¡" for c in w.text.lower())}
    assert len(accented) >= 3
    found = {word.text for word in tesseract.read_words(shot.image)}
    assert len(accented & found) >= 0.6 * len(accented)
    assert any("ñ" in text for text in found) or not any("ñ" in t for t in accented)


def test_white_text_on_a_blue_bubble_is_read() -> None:
    image = Image.new("RGB", (700, 260), "white")
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((120, 40, 680, 200), radius=40, fill=(10, 132, 255))
    font = ImageFont.truetype(FONT, 40)
    draw.text((160, 70), "Answer the phone", font=font, fill="white")
    draw.text((160, 125), "right now", font=font, fill="white")
    words = tesseract.read_words(image)
    assert text_of(words) == "Answer the phone\nright now"
    phone = next(word for word in words if word.text == "phone")
    box = draw.textbbox((160, 70), "Answer the phone", font=font)
    assert box[1] - 4 <= phone.top and phone.top + phone.height <= box[3] + 4
    assert phone.left + phone.width <= box[2] + 4


def test_long_scrolling_capture_is_read_once_in_order() -> None:
    shot = make_screenshot(7, "whatsapp", long=True, emoji=False)
    assert shot.image.height == 9000
    words = tesseract.read_words(shot.image)
    assert _found_share(words, shot) >= 0.85
    # strips overlap: nothing read twice, so no more words than drawn (+ a few icons)
    assert len(words) <= len(shot.words) + 0.05 * len(shot.words)
    tops = [word.top for word in words if word.line > 1]
    assert max(tops) > 8000
    # reading order follows the page: lines go down the picture
    firsts: dict[int, int] = {}
    for word in words:
        firsts.setdefault(word.line, word.top)
    ordered = [firsts[line] for line in sorted(firsts)]
    assert sum(b < a - 30 for a, b in itertools.pairwise(ordered)) == 0


def test_picture_without_text_gives_nothing() -> None:
    image = Image.new("RGB", (1170, 1200), (239, 231, 222))
    ImageDraw.Draw(image).rounded_rectangle((100, 300, 900, 700), radius=40, fill="white")
    assert tesseract.read_words(image) == []


@pytest.mark.parametrize(
    "image",
    [
        Image.new("RGB", (1, 1)),
        Image.new("L", (20000, 20), 0),
        Image.new("L", (20, 20000), 255),
        Image.new("RGB", (2000, 2000), "black"),
        Image.new("L", (6600, 6600), 0),  # 43.6 MP: shrunk below the bound first
        Image.new("RGBA", (300, 300), (0, 0, 0, 0)),
        Image.new("1", (300, 300), 1),
        Image.new("I;16", (300, 300), 40000),
        Image.new("P", (300, 300), 3),
    ],
    ids=[
        "1x1",
        "20000x20",
        "20x20000",
        "black",
        "43MP",
        "transparent",
        "1-bit",
        "16-bit",
        "palette",
    ],
)
def test_odd_pictures_neither_crash_nor_hang(image: Image.Image) -> None:
    start = time.monotonic()
    words = tesseract.read_words(image)
    assert isinstance(words, list)
    assert all(isinstance(word, OcrWord) for word in words)
    assert time.monotonic() - start < 20


def test_no_thread_survives_reading() -> None:
    before = len(os.listdir("/proc/self/task"))
    tesseract.read_words(small_sample(seed=3, dark=True).image)
    assert len(os.listdir("/proc/self/task")) == before


def test_prepare_twice_is_harmless() -> None:
    name = tesseract.engine_name()
    tesseract.prepare()
    tesseract.prepare()
    assert tesseract.engine_name() == name
    assert name.startswith("tesseract 5.") and "spa+eng" in name
    assert tesseract.read_words(small_sample(seed=5).image)


def test_missing_language_data_names_the_package(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="tesseract-ocr-spa"):
        tesseract.prepare(tessdata=str(tmp_path), languages="spa")
    assert tesseract.engine_name().endswith(tesseract.PIPELINE)


def test_text_of_joins_words_and_lines() -> None:
    words = [
        OcrWord("now", 50, 40, 30, 10, 90.0, 1),
        OcrWord("Call", 0, 0, 30, 10, 95.0, 0),
        OcrWord("me", 40, 0, 20, 10, 95.0, 0),
    ]
    assert text_of(words) == "Call me\nnow"
    assert text_of([]) == ""
