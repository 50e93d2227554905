"""Where the words a timeline search looked for appear in a text, for highlighting.

The timeline's filters match with SQLite's LIKE, which ignores the case of ASCII
letters; highlighting ignores case the same way (and of other letters too, where
lower-casing keeps the text's length, so a position found is a position in the text
as shown). Qt-free: the list's delegate and the detail's conversation both use it.
"""

from __future__ import annotations

from collections.abc import Iterable


def match_ranges(text: str, words: Iterable[str | None]) -> list[tuple[int, int]]:
    """(start, length) of every place one of *words* appears in *text*, ignoring case,
    in order; overlapping or touching places are merged into one."""
    needles = sorted({w.strip() for w in words if w and w.strip()}, key=len, reverse=True)
    if not text or not needles:
        return []
    folded = text.lower()
    same_length = len(folded) == len(text)
    haystack = folded if same_length else text
    spans: list[tuple[int, int]] = []
    for needle in needles:
        wanted = needle.lower() if same_length else needle
        start = haystack.find(wanted)
        while start >= 0:
            spans.append((start, start + len(wanted)))
            start = haystack.find(wanted, start + max(1, len(wanted)))
    spans.sort()
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return [(start, end - start) for start, end in merged]
