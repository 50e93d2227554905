"""Text from files made safe to show: nothing a terminal or a bidi algorithm obeys gets out."""

import json
import unicodedata

import pytest

from nco_desktop.safe_text import is_unsafe, json_safe, safe_line, safe_text

ATTACKS = {
    "title change": ("a\x1b]0;pwned\x07b", "a\\x1b]0;pwned\\x07b"),
    "erase line": ("x\x1b[2K\rimported", "x\\x1b[2K\\rimported"),
    "forged line": ("a.txt\n  imported  b.txt", "a.txt\\n  imported  b.txt"),
    "backspace, NUL, DEL": ("a\b\x00\x7f", "a\\x08\\x00\\x7f"),
    "8-bit CSI": ("\x9b31m red", "\\x9b31m red"),
    "right-to-left override": ("photo\u202egpj.exe", "photo\\u202egpj.exe"),
    "isolates and marks": (
        "\u2066a\u2067b\u2068c\u2069\u200e\u200f\u061c",
        "\\u2066a\\u2067b\\u2068c\\u2069\\u200e\\u200f\\u061c",
    ),
    "embeddings": ("\u202a\u202b\u202c\u202d", "\\u202a\\u202b\\u202c\\u202d"),
    "invisible": ("pay\u200bpal\ufeff\u00ad", "pay\\u200bpal\\ufeff\\xad"),
    "line separators": ("a\u2028b\u2029c", "a\\u2028b\\u2029c"),
    "tag characters": ("hi\U000e0041\U000e007f", "hi\\U000e0041\\U000e007f"),
    "lone surrogate (undecodable name)": ("caf\udce9", "caf\\udce9"),
}


@pytest.mark.parametrize("raw, shown", ATTACKS.values(), ids=list(ATTACKS))
def test_each_attack_is_shown_not_obeyed(raw, shown):
    assert safe_line(raw) == shown
    assert not any(is_unsafe(char) for char in safe_line(raw))
    assert safe_line(safe_line(raw)) == safe_line(raw)  # twice is the same as once
    safe_line(raw).encode("utf-8")  # printable on any UTF-8 terminal, surrogates included


def test_no_unsafe_character_survives_anywhere_in_unicode():
    every = "".join(chr(code) for code in range(0x110000))
    out = safe_line(every)
    survivors = {unicodedata.category(c) for c in out if is_unsafe(c)}
    assert survivors == set()
    for char in out:
        category = unicodedata.category(char)
        assert category not in {"Cc", "Cf", "Cs", "Zl", "Zp"} or char in "\u200c\u200d"


@pytest.mark.parametrize(
    "text",
    [
        "Sam Roe (+15550100199)",
        "María José — “ya basta” ≈ 23:15",
        "שלום עולם",  # right-to-left text itself is fine: only overrides are escaped
        "سلام دنیا می\u200cخواهم",  # Persian needs the zero-width non-joiner
        "👨\u200d👩\u200d👧 family",  # emoji sequences need the joiner
        "C:\\Users\\me\\x1b.txt",  # a literal backslash is shown as it is
        "",
    ],
)
def test_ordinary_text_is_unchanged(text):
    assert safe_line(text) == text


def test_a_message_body_keeps_its_lines_but_not_its_controls():
    body = "first line\n\tindented\x1b[31m red\r\nlast\u202e"
    assert safe_text(body) == "first line\n\tindented\\x1b[31m red\\r\nlast\\u202e"


def test_json_keeps_the_data_and_escapes_what_the_encoder_lets_through():
    value = {"party": "Roe\u202e\x9b2J\x7f", "text": "a\x1b]0;x\x07\nb\U000e0041", "ok": "é"}
    encoded = json.JSONEncoder(ensure_ascii=False).encode(value)
    assert "\u202e" in encoded and "\x9b" in encoded and "\x7f" in encoded  # the gap
    safe = json_safe("[\n" + encoded + "\n]\n")
    assert json.loads(safe) == [value]  # a program reads exactly the same data
    assert not any(is_unsafe(char) for char in safe.replace("\n", ""))
    assert "é" in safe  # ordinary letters stay readable
    assert "\\udb40\\udc41" in safe  # outside the BMP: a surrogate pair, as JSON spells it
