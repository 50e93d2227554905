"""Two rules of the parser contract (see :mod:`nco_desktop.importers.model`) that many
formats carry out the same way, written once so they cannot drift apart:

- :func:`dedup_key`: a record's identity that survives a re-export;
- :func:`refuse_unexpected`: something fatal is :class:`UnreadableFile` with a sentence,
  never a crash.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from nco_desktop.importers.model import ParsedItem, UnreadableFile


def dedup_key(prefix: str, parts: list[Any], seen: Counter[str]) -> str:
    """A hash of what identifies the message, plus which repeat of it this is in the file.

    Two identical messages in one minute ("ok", "ok") are two messages; numbering the
    repeats keeps them apart while a re-export, in the same order, gives the same keys.
    """
    identity = json.dumps(parts, ensure_ascii=False)
    seen[identity] += 1
    return prefix + hashlib.sha256(f"{identity}#{seen[identity]}".encode()).hexdigest()[:32]


def refuse_unexpected(
    produce: Callable[[], Iterable[ParsedItem]], sentence: str
) -> Iterator[ParsedItem]:
    """The items *produce* gives; the last line of defence around a parser's own work.

    A parser raises :class:`UnreadableFile` where it knows what is wrong; any other
    error (a case nobody foresaw in a damaged or hostile file) becomes one with
    *sentence*, in which ``{error}`` stands for the error's type name. *produce* is
    called inside the guard, so it may read the whole file first (return a list) or
    stream (return a generator): either way nothing escapes but the sentence.
    """
    try:
        yield from produce()
    except UnreadableFile:
        raise
    except Exception as exc:
        raise UnreadableFile(sentence.format(error=type(exc).__name__)) from exc
