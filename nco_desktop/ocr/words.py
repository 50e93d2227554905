"""The result type of OCR, independent of the engine that produced it.

Kept apart from the engine so storage, search and the binder's text layer can use it
without importing tesserocr (which is only loaded inside the sandboxed worker).
"""

from __future__ import annotations

from dataclasses import dataclass

# Version of our side of the pipeline (preparation, settings, filtering, ordering):
# bump it whenever a change would give different words for the same picture.
PIPELINE = "prep1"
# What ``tesseract.engine_name()`` returns with the default languages, minus the exact
# Tesseract version (only known once tesserocr is loaded, inside the worker). Store
# ``engine_name()``'s answer with OCR results; compare against it to redo old ones.
ENGINE_NAME = f"tesseract 5 spa+eng {PIPELINE}"


@dataclass(frozen=True)
class OcrWord:
    """One recognised word and where it is.

    Coordinates are pixels of the upright picture handed to ``read_words`` (not of any
    prepared or rescaled copy), so a box can be drawn on, or laid under, that picture.
    ``line`` numbers text lines in reading order (top to bottom, then left to right)
    across the whole picture, from 0.
    """

    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float
    line: int


def text_of(words: list[OcrWord]) -> str:
    """Plain text: words of a line joined with a space, lines with a newline."""
    lines: dict[int, list[str]] = {}
    for word in sorted(words, key=lambda w: (w.line, w.left)):
        lines.setdefault(word.line, []).append(word.text)
    return "\n".join(" ".join(parts) for _, parts in sorted(lines.items()))
