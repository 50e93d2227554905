"""English translations of entries in another language.

A judge reads English: a text in Spanish needs its English beside it, and California's
Rule of Court 3.1110(g) asks that an exhibit in a foreign language come with an English
translation certified under oath by a qualified interpreter. The binder prints each
translation after its exhibit's own pages, with a translator's declaration to sign.

Like notes and transcripts, a translation lives apart from the entry the import wrote
(``verify`` checks that entry's fingerprint), in ``entry_translations``. Each save is
one audited change that records the entry, the original's language and the length:
never the words, and never the translator's name (who translated is not evidence, and
the log is kept for good). Qt-free: the command line and the window share it.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from nco_desktop.errors import NcoError
from nco_desktop.evidence.records import EntryKind
from nco_desktop.safe_text import is_unsafe
from nco_desktop.vault import Vault
from nco_desktop.vault.connection import Connection

MAX_TRANSLATION_CHARS = 100_000  # as a transcript: about an hour of speech
MAX_LANGUAGE_CHARS = 40
MAX_TRANSLATOR_CHARS = 120
CHANGED_ACTION = "entry.translation_changed"


@dataclass(frozen=True)
class Translation:
    """An entry's English translation: the original's *language* ("Spanish"), the
    English *text*, and the *translator*'s name ("" when the user translated it)."""

    language: str
    text: str
    translator: str = ""

    @property
    def by_user(self) -> bool:
        """Whether the user translated it themselves (no translator named)."""
        return not self.translator


def translation(conn: Connection, entry_id: int) -> Translation | None:
    """The translation of *entry_id*, or None when it has none."""
    row = conn.execute(
        "SELECT language, text, translator FROM entry_translations WHERE entry_id = ?",
        (entry_id,),
    ).fetchone()
    return None if row is None else Translation(str(row[0]), str(row[1]), str(row[2]))


def translations(conn: Connection, entry_ids: Iterable[int]) -> dict[int, Translation]:
    """The translations of those of *entry_ids* that have one, by entry id."""
    ids = sorted({int(i) for i in entry_ids})
    found: dict[int, Translation] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for entry_id, language, text, translator in conn.execute(
            "SELECT entry_id, language, text, translator FROM entry_translations "
            f"WHERE entry_id IN ({marks})",
            chunk,
        ):
            found[int(entry_id)] = Translation(str(language), str(text), str(translator))
    return found


def one_line(text: str) -> str:
    """*text* as one tidy line: control and format characters (a newline, a bidi
    override) become spaces, runs of spaces one, the ends trimmed."""
    text = unicodedata.normalize("NFC", text)
    return " ".join("".join(" " if is_unsafe(c) else c for c in text).split())


def _tidy_text(text: str) -> str:
    """The translation's words with line breaks kept as typed, in one style (``\\n``),
    and without control characters a page cannot print (a tab becomes a space)."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    kept = (
        c if c == "\n" else " " if unicodedata.category(c) == "Cc" or c in "\u2028\u2029" else c
        for c in text
    )
    return "".join(kept).strip()


def _language(language: str) -> str:
    language = one_line(language)
    if not language:
        raise NcoError(
            "Say which language the original is in (for example Spanish): the "
            "translator's declaration names it."
        )
    if len(language) > MAX_LANGUAGE_CHARS:
        raise NcoError(
            f"The language is {len(language)} characters long; at most "
            f"{MAX_LANGUAGE_CHARS} fit. Give its name, for example Spanish."
        )
    if language.casefold() == "english":
        raise NcoError(
            "The original's language is English: a translation into English is for an "
            "entry in another language. Say which language the original is in."
        )
    return language[0].upper() + language[1:] if language.islower() else language


#: Words a user types for "I translated it": the declaration must then name them and
#: say so, not swear as an interpreter called "me".
_THE_USER = frozenset({"me", "myself", "i", "i did", "self", "yo", "mine"})


def _translator(translator: str) -> str:
    translator = one_line(translator)
    if translator.casefold().strip(" .!") in _THE_USER:
        return ""
    if len(translator) > MAX_TRANSLATOR_CHARS:
        raise NcoError(
            f"The translator's name is {len(translator)} characters long; at most "
            f"{MAX_TRANSLATOR_CHARS} fit."
        )
    return translator


def _require_translatable(conn: Connection, entry_id: int) -> None:
    row = conn.execute("SELECT kind FROM entries WHERE id = ?", (entry_id,)).fetchone()
    if row is None:
        raise NcoError(f"There is no entry {entry_id} in this vault.")
    if row[0] == EntryKind.INCIDENT:
        raise NcoError(
            "An incident is your own account and is printed as you wrote it; a "
            "translation is for evidence in another language (a message, an e-mail, "
            "a picture, a document or a recording)."
        )


def set_translation(
    vault: Vault, entry_id: int, language: str, text: str, translator: str = ""
) -> bool:
    """Save *text* as the English translation of *entry_id*, from *language*, made by
    *translator* ("" when the user made it); blank *text* removes it. False when
    nothing changed. One audited change."""
    given = text.strip()
    text = _tidy_text(text)
    # Not blank, yet nothing a page can print: no letter, digit, mark or symbol.
    if given and not any(unicodedata.category(c)[0] not in "CZ" for c in text):
        raise NcoError(
            "The translation holds no words that can be printed (only control or "
            "invisible characters). Nothing was changed."
        )
    if len(text) > MAX_TRANSLATION_CHARS:
        raise NcoError(
            f"The translation is {len(text):,} characters long; at most "
            f"{MAX_TRANSLATION_CHARS:,} fit. Keep the parts the court needs to read."
        )
    wanted = Translation(_language(language), text, _translator(translator)) if text else None
    _require_translatable(vault.conn, entry_id)
    if translation(vault.conn, entry_id) == wanted:
        return False
    with vault.change() as change:
        _require_translatable(change.conn, entry_id)
        if wanted is not None:
            change.conn.execute(
                "INSERT INTO entry_translations (entry_id, language, text, translator, "
                "updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (entry_id) DO UPDATE SET "
                "language = excluded.language, text = excluded.text, "
                "translator = excluded.translator, updated_at = excluded.updated_at",
                (entry_id, wanted.language, wanted.text, wanted.translator, change.at),
            )
        else:
            change.conn.execute("DELETE FROM entry_translations WHERE entry_id = ?", (entry_id,))
        change.audit(
            CHANGED_ACTION,
            entry_id=entry_id,
            language=wanted.language if wanted else "",
            length=len(text),
        )
    return True
