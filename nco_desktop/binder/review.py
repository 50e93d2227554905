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
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from nco_desktop.binder.output import write_bytes_atomically
from nco_desktop.vault import Vault

FORMAT = "nco-desktop redaction review 1"
#: Around a found place, this many characters each side are shown to the user.
CONTEXT = 40
TEXT, PICTURE, UNREAD = "text", "picture", "unread"


@dataclass(frozen=True)
class Finding:
    """One place a private detail was found, or a page that could not be checked."""

    key: str
    where: str  # "Chronology", "Pet. Ex. 3 · report.pdf, page 2", joined by "; "
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
        """Note a found place; whether it is to be hidden. The same words drawn in two
        parts (a message in its exhibit and in the chronology) are one place to decide,
        listed with both parts."""
        known = self._found.get(key)
        if known is None:
            self._found[key] = Finding(key, self.where, detail, context, kind)
        elif self.where not in known.where.split("; "):
            self._found[key] = replace(known, where=f"{known.where}; {self.where}")
        return key not in self.released

    @property
    def findings(self) -> list[Finding]:
        return list(self._found.values())


def text_key(detail: str, text: str, start: int, end: int) -> str:
    """The key of a place in a drawn text: the detail, the found words and what follows
    them on their line, and which occurrence of those it is.

    Not the whole text: the binder draws some texts twice over, a message redacted as
    it is and again inside "John Roe: …" in the chronology, and a place the user
    released must be the same place in both. Words after it survive that; a line cut
    short gives a new key, which is hidden until looked at.
    """
    following = text[end : end + CONTEXT].split("\n")[0]
    needle = text[start:end] + following
    occurrence = text.count(needle, 0, start)
    return _key("text", detail, " ".join(needle.split()), str(occurrence))


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


# ----- the user's decisions, kept in the vault ------------------------------------------

#: The vault setting holding the keys the user released and the keys they have looked at
#: (hashes only: they name no detail and no words).
REVIEW_SETTING = "redaction_review"
REVIEWED_ACTION = "binder.redactions_reviewed"
MAX_KEYS = 100_000


def load_decisions(vault: Vault) -> tuple[frozenset[str], frozenset[str]]:
    """(released, looked at): the keys of places the user chose to show, and of every
    place they have seen in a review. A place not looked at is hidden and asked about."""
    saved = vault.setting(REVIEW_SETTING, {})
    if not isinstance(saved, dict):
        return frozenset(), frozenset()
    return _keys(saved.get("released")), _keys(saved.get("seen"))


def save_decisions(vault: Vault, released: Iterable[str], seen: Iterable[str]) -> bool:
    """Keep the user's review in one audited change (counts only in the audit log);
    False, with nothing written, when nothing changed."""
    released, seen = frozenset(released), frozenset(seen) | frozenset(released)
    if (released, seen) == load_decisions(vault) and vault.setting(REVIEW_SETTING):
        return False
    if len(seen) > MAX_KEYS:
        raise ValueError("too many reviewed places to keep")
    with vault.change() as change:
        change.set_setting(REVIEW_SETTING, {"released": sorted(released), "seen": sorted(seen)})
        change.audit(REVIEWED_ACTION, released=len(released), seen=len(seen))
    return True


def _keys(value: object) -> frozenset[str]:
    if not isinstance(value, list):
        return frozenset()
    return frozenset(k for k in value[:MAX_KEYS] if isinstance(k, str) and len(k) <= 64)


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


def read_review_file(path: Path) -> tuple[frozenset[str], frozenset[str]]:
    """(released, listed): the keys the user released (``"hide": false``) in a review
    file, and every key it lists."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise ReviewFileError(f"the review file {path.name} cannot be read: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ReviewFileError(f"{path.name} is not a review file written by this program")
    rows = document.get("findings")
    if not isinstance(rows, list):
        raise ReviewFileError(f"{path.name} has no list of findings")
    released, listed = set(), set()
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict) or not isinstance(row.get("key"), str):
            raise ReviewFileError(f"place {number} in {path.name} has no key")
        hide = row.get("hide")
        if not isinstance(hide, bool):
            raise ReviewFileError(f'place {number} in {path.name}: "hide" must be true or false')
        listed.add(row["key"])
        if not hide:
            released.add(row["key"])
    return frozenset(released), frozenset(listed)
