"""A word the computer read (placeholder until the engine layer lands)."""

from __future__ import annotations

from dataclasses import dataclass

ENGINE_NAME = "tesseract eng+spa prep1"


@dataclass(frozen=True)
class OcrWord:
    text: str
    left: int
    top: int
    width: int
    height: int
    confidence: float
    line: int


def text_of(words: list[OcrWord]) -> str:
    lines: dict[int, list[str]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word.text)
    return "\n".join(" ".join(lines[key]) for key in sorted(lines))
