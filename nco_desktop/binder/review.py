"""The user's review of every private detail the copy for the other side would hide.

Matching finds variants ("Juniper Ln" for "Juniper Lane") and respects words, but a
computer cannot know that "Will you stop" at a sentence's start is not the child named
Will. So every place a detail is found is listed (where, which detail, the words around
it) and the user decides, place by place, whether it stays hidden (the default) or is
released into the copy. Pages the computer could not check at all (a PDF page it could
not read) are listed too, withheld unless the user releases them.

A place is known by a key that does not depend on the build: the detail, the words it
was found in and which of their matches it is (for a picture or a page, which file and
page). The same vault gives the same keys build after build, so a decision made once
holds until the words change; a new place is hidden until the user looks at it. Keys
are short hashes, so the list of released keys names no detail and no words.

Qt-free: the window's Binder view shows the list and the command line writes it to a
JSON file (``binder --review-redactions``) for the user to edit; both build from the
same :class:`Review`.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from nco_desktop.binder.output import write_bytes_atomically

FORMAT = "nco-desktop redaction review 1"
#: Around a found place, this many characters each side are shown to the user.
CONTEXT = 40
TEXT, PICTURE, UNREAD = "text", "picture", "unread"


@dataclass(frozen=True)
class Finding:
    """One place a private detail was found, or a page that could not be checked."""

    key: str
    where: str  # "Chronology", "Exhibit 3 · report.pdf, page 2"
    detail: str  # the detail as the user listed it ("" for a page not checked)
    context: str  # the words around it, the found words between « »
    kind: str  # TEXT (drawn by the binder), PICTURE (read in pixels) or UNREAD


class Review:
    """What one build of the copy for the other side found, and what the user released.

    *released*: keys of places the user chose to show. Everything else found is hidden.
    The build notes each place as it draws it (:meth:`saw`); :attr:`findings` is then
    the list to show, in the binder's order, each place once.
    """

    def __init__(self, released: Iterable[str] = ()) -> None:
        self.released = frozenset(released)
        self.where = "The binder"
        self._found: dict[str, Finding] = {}

    def saw(self, key: str, detail: str, context: str, kind: str = TEXT) -> bool:
        """Note a found place; whether it is to be hidden."""
        self._found.setdefault(key, Finding(key, self.where, detail, context, kind))
        return key not in self.released

    @property
    def findings(self) -> list[Finding]:
        return list(self._found.values())


def text_key(detail: str, text: str, start: int, end: int) -> str:
    """The key of a place in a drawn text: the detail, the whole text (spaces folded)
    and which occurrence of the found words it is."""
    found = text[start:end]
    occurrence = text.count(found, 0, start)
    return _key("text", detail, " ".join(text.split()), found, str(occurrence))


def picture_key(source: str, detail: str, found: str, occurrence: int) -> str:
    """The key of a place read in a picture or a page: *source* names the original (its
    fingerprint) and the page."""
    return _key("picture", source, detail, " ".join(found.split()), str(occurrence))


def unread_key(source: str) -> str:
    return _key("unread", source)


def context(text: str, start: int, end: int) -> str:
    """The found words with up to :data:`CONTEXT` characters each side, on one line."""
    lead = "…" if start > CONTEXT else ""
    tail = "…" if end + CONTEXT < len(text) else ""
    shown = f"{text[max(0, start - CONTEXT) : start]}«{text[start:end]}»{text[end : end + CONTEXT]}"
    return lead + " ".join(shown.split()) + tail


def _key(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode("utf-8")).hexdigest()[:20]


# ----- the command line's file ----------------------------------------------------------


class ReviewFileError(ValueError):
    """The review file cannot be used; the message says why, in plain words."""


def write_review_file(path: Path, findings: list[Finding]) -> None:
    """The list as JSON for the user to edit: each place with ``"hide": true``. Owner-
    only, as every file this program writes in the clear: it names the private details."""
    rows = [asdict(finding) | {"hide": True} for finding in findings]
    document = {
        "format": FORMAT,
        "how": (
            'Each place below is hidden in the copy for the other side while "hide" is '
            'true. Set "hide" to false to leave a place as it is (for example "Will" at '
            "the start of a sentence, where it is not a name), then build again with the "
            "same --review-redactions file. This file lists your private details in the "
            "clear: delete it when you are done."
        ),
        "findings": rows,
    }
    data = json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    write_bytes_atomically(path, data)  # owner-only from its first byte


def read_review_file(path: Path) -> frozenset[str]:
    """The keys the user released (``"hide": false``) in a review file."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ReviewFileError(f"the review file {path.name} cannot be read: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ReviewFileError(f"{path.name} is not a review file written by this program")
    rows = document.get("findings")
    if not isinstance(rows, list):
        raise ReviewFileError(f"{path.name} has no list of findings")
    released = set()
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not isinstance(row.get("key"), str):
            raise ReviewFileError(f"place {number} in {path.name} has no key")
        hide = row.get("hide")
        if not isinstance(hide, bool):
            raise ReviewFileError(f'place {number} in {path.name}: "hide" must be true or false')
        if not hide:
            released.add(row["key"])
    return frozenset(released)
