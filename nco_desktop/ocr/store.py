"""The text read in pictures, kept in the vault as derived data (table ``ocr_pages``).

What the computer read is never evidence: it can be wrong, so it is stored apart from
the entries and originals, labelled with the reader that made it (:data:`ENGINE`), and
rebuilt when deleted or when the reader changes. The queue is not a list kept anywhere:
it is every picture without a row for the current reader, so it survives a lock, a
restart or a kill -9 with nothing to repair, and resumes at the first picture not done.

Every save is one transaction with an audit row that names the original, the page and
how many words were read, never the words.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from nco_desktop.ocr.words import ENGINE_NAME, OcrWord, text_of
from nco_desktop.vault import Vault
from nco_desktop.vault.connection import Connection

ENGINE = ENGINE_NAME
PAUSED_SETTING = "ocr.paused"
#: What is read: pictures of every kind the sandbox decodes. (A PDF's pages are read
#: only where they have no text of their own; see :mod:`nco_desktop.ocr.queue`.)
PICTURE_TYPES = (
    "image/png",
    "image/jpeg",
    "image/webp",
    "image/gif",
    "image/bmp",
    "image/tiff",
    "image/heic",
    "image/heif",
)
_PICTURES = f"o.media_type IN ({', '.join('?' for _ in PICTURE_TYPES)})"


@dataclass(frozen=True)
class OcrPage:
    """One page's reading: its words, in the upright picture's pixels."""

    original_id: int
    page: int
    status: str  # 'ok', 'failed' or 'none' (a PDF page with text of its own)
    width: int
    height: int
    words: tuple[OcrWord, ...]
    message: str | None

    @property
    def text(self) -> str:
        return text_of(list(self.words))


@dataclass(frozen=True)
class OcrStatus:
    """How far the reading is: for the status bar and ``ocr --status``."""

    done: int  # pictures read (with or without words found)
    pending: int  # pictures not read yet by the current reader
    failed: int  # pictures the reader could not read (not retried)
    paused: bool

    @property
    def total(self) -> int:
        return self.done + self.pending + self.failed


def words_to_json(words: Sequence[OcrWord]) -> str:
    """Compact rows, ``[text, left, top, width, height, confidence, line]``: a phone
    screenshot's 200 words take ~8 KB."""
    rows = [
        [w.text, w.left, w.top, w.width, w.height, round(w.confidence, 1), w.line] for w in words
    ]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":"))


def words_from_json(raw: str) -> tuple[OcrWord, ...]:
    return tuple(
        OcrWord(str(t), int(x), int(y), int(w), int(h), float(c), int(n))
        for t, x, y, w, h, c, n in json.loads(raw)
    )


def pending_pictures(conn: Connection, limit: int = 100) -> list[int]:
    """Originals that are pictures and have no reading by the current reader, oldest
    first (the order they were imported in, so a resumed queue goes on where it was)."""
    rows = conn.execute(
        f"SELECT o.id FROM originals o WHERE {_PICTURES} AND NOT EXISTS "
        "(SELECT 1 FROM ocr_pages p WHERE p.original_id = o.id AND p.engine = ?) "
        "ORDER BY o.id LIMIT ?",
        (*PICTURE_TYPES, ENGINE, limit),
    ).fetchall()
    return [int(row[0]) for row in rows]


def status(vault: Vault) -> OcrStatus:
    counts = vault.conn.execute(
        "SELECT "
        " SUM(EXISTS (SELECT 1 FROM ocr_pages p WHERE p.original_id = o.id AND p.engine = ?"
        "             AND p.status <> 'failed')),"
        " SUM(EXISTS (SELECT 1 FROM ocr_pages p WHERE p.original_id = o.id AND p.engine = ?"
        "             AND p.status = 'failed')),"
        " COUNT(*) "
        f"FROM originals o WHERE {_PICTURES}",
        (ENGINE, ENGINE, *PICTURE_TYPES),
    ).fetchone()
    done, failed, total = (int(value or 0) for value in counts)
    return OcrStatus(done, total - done - failed, failed, bool(vault.setting(PAUSED_SETTING)))


def set_paused(vault: Vault, paused: bool) -> None:
    """Pause or resume reading in the background (the CLI's ``ocr`` reads regardless:
    it is asked for in so many words)."""
    if bool(vault.setting(PAUSED_SETTING)) == paused:
        return
    with vault.change() as change:
        change.set_setting(PAUSED_SETTING, paused)
        change.audit("ocr.paused" if paused else "ocr.resumed")


def save_page(
    vault: Vault,
    original_id: int,
    page: int,
    *,
    width: int,
    height: int,
    words: Sequence[OcrWord],
) -> None:
    """Store what was read on one page, replacing any older reading of it."""
    with vault.change() as change:
        _replace(
            change.conn,
            (original_id, page, ENGINE, "ok", width, height, text_of(list(words))),
            words_to_json(words),
            None,
            change.at,
        )
        change.audit("ocr.read", original_id=original_id, page=page, words=len(words))


def save_failure(vault: Vault, original_id: int, message: str, page: int = 0) -> None:
    """Record that the reader could not read this page, and why, so the queue moves on
    (a picture that crashes the reader is not tried again by the same reader)."""
    with vault.change() as change:
        _replace(
            change.conn, (original_id, page, ENGINE, "failed", 0, 0, ""), "[]", message, change.at
        )
        change.audit("ocr.failed", original_id=original_id, page=page)


def _replace(
    conn: Connection,
    head: tuple[int, int, str, str, int, int, str],
    words_json: str,
    message: str | None,
    at: str,
) -> None:
    original_id = head[0]
    # A reading by an older reader goes in the same transaction as the new one is saved.
    conn.execute(
        "DELETE FROM ocr_pages WHERE original_id = ? AND engine <> ?", (original_id, ENGINE)
    )
    conn.execute(
        "INSERT INTO ocr_pages (original_id, page, engine, status, width, height, text,"
        " words_json, message, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (original_id, page) DO UPDATE SET engine = excluded.engine,"
        " status = excluded.status, width = excluded.width, height = excluded.height,"
        " text = excluded.text, words_json = excluded.words_json,"
        " message = excluded.message, read_at = excluded.read_at",
        (*head, words_json, message, at),
    )


def pages_of(conn: Connection, original_id: int) -> list[OcrPage]:
    """What was read in one original, page by page (current reader only)."""
    rows = conn.execute(
        "SELECT page, status, width, height, words_json, message FROM ocr_pages "
        "WHERE original_id = ? AND engine = ? ORDER BY page",
        (original_id, ENGINE),
    ).fetchall()
    return [
        OcrPage(original_id, int(page), str(st), int(w), int(h), words_from_json(raw), message)
        for page, st, w, h, raw, message in rows
    ]


def forget_all(vault: Vault) -> int:
    """Delete every reading (they are rebuilt in the background): for a user who wants
    them read again, say after installing a better language pack."""
    with vault.change() as change:
        count = change.conn.execute("DELETE FROM ocr_pages").rowcount
        change.audit("ocr.forgotten", pages=count)
    return int(count)
