"""Text that came from a file, made safe to show.

A harasser chooses the names and contents of some of the files our users import. A
terminal obeys escape sequences (ESC ] 0 ; … BEL retitles the window, ESC [ 2 K and a
carriage return erase the line just printed), a newline in a file name prints a second,
forged line, and Unicode's bidirectional overrides make ``exe.txt`` read as ``txt.exe``
in a terminal and in a window alike. So every string that came from a file or from the
vault goes through :func:`safe_line` (or :func:`safe_text`) before anyone sees it: each
character that could steer the display is shown as its escape (``\\x1b``, ``\\n``,
``\\u202e``) instead of being passed through. Qt-free, for the CLI and the window.
"""

from __future__ import annotations

import unicodedata

#: Zero-width joiner and non-joiner: invisible, but needed to spell Persian, Indic
#: scripts and emoji sequences, and they cannot reorder or hide text.
_KEPT_FORMAT = frozenset("\u200c\u200d")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: Categories shown as escapes: control (C0, DEL, C1), format (bidi embeddings,
#: overrides, isolates and marks, zero-width spaces, BOM, soft hyphen, tag characters),
#: lone surrogates (undecodable file-name bytes, which would also crash ``print``), and
#: the line and paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})


def is_unsafe(char: str) -> bool:
    """Whether *char* could move the cursor, change the terminal or reorder or hide text."""
    return char not in _KEPT_FORMAT and unicodedata.category(char) in _UNSAFE_CATEGORIES


def escape(char: str) -> str:
    """The visible form of one character, as Python would write it in a string."""
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    return f"\\U{code:08x}"


def safe_line(text: str) -> str:
    """*text* for one line of output: every unsafe character (newlines too) escaped.

    Applying it twice gives the same result as once: its output holds only printable
    characters.
    """
    if text.isascii() and text.isprintable():
        return text  # the common case, unchanged and cheap
    return "".join(escape(c) if is_unsafe(c) else c for c in text)


def safe_text(text: str) -> str:
    """*text* that may span lines (a message body): newlines and tabs kept, every
    other unsafe character escaped, a carriage return too (it rewrites the line)."""
    return "\n".join(
        "\t".join(safe_line(cell) for cell in line.split("\t")) for line in text.split("\n")
    )


def json_safe(encoded: str) -> str:
    """JSON text from an encoder with ``ensure_ascii=False``, with every unsafe
    character inside its strings written as a ``\\uXXXX`` escape.

    The JSON encoder escapes C0 controls but lets DEL, C1 controls (U+009B is a CSI in
    many terminals) and bidi overrides through raw. An escape inside a JSON string
    decodes to the same character, so a program reading the output gets exactly the
    data; a terminal showing it gets nothing to obey. Newlines outside strings (the
    encoder never leaves one inside) stay, as the line structure.
    """
    if encoded.isascii() and "\x7f" not in encoded:
        return encoded  # the encoder escaped every other ASCII control inside strings
    return "".join(_json_escape(c) if c != "\n" and is_unsafe(c) else c for c in encoded)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000  # outside the BMP: a UTF-16 surrogate pair, as JSON spells it
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
