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
#: What is read: pictures of every kind the sandbox decodes, and PDFs, whose pages are
#: read only where they have no text of their own (a scan, a photographed letter).
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
PDF_TYPE = "application/pdf"
READ_TYPES = (*PICTURE_TYPES, PDF_TYPE)
#: Pages of one PDF read at most: a 2,000-page production is not a scan to search.
MAX_PDF_PAGES = 500
_READ = f"o.media_type IN ({', '.join('?' for _ in READ_TYPES)})"
#: Per original to read: rows by the current reader, pages to read, failures.
_PROGRESS = (
    "SELECT o.id, count(p.page), coalesce(max(p.pages), 1), "
    "coalesce(sum(p.status = 'failed'), 0) FROM originals o "
    "LEFT JOIN ocr_pages p ON p.original_id = o.id AND p.engine = ? "
    f"WHERE {_READ} GROUP BY o.id"
)


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

    done: int  # files read (with or without words found): pictures, and PDFs whole
    pending: int  # files not read yet (wholly) by the current reader
    failed: int  # files with a page the reader could not read (not retried)
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


def pending_pages(conn: Connection, limit: int = 100) -> list[tuple[int, int]]:
    """(original, page) pairs not read yet by the current reader, oldest first (the
    order they were imported in, so a resumed queue goes on where it was). A file never
    read starts at page 0, which tells how many pages a PDF has."""
    pending: list[tuple[int, int]] = []
    for original_id, read, pages, _failed in conn.execute(_PROGRESS, (ENGINE, *READ_TYPES)):
        if read == 0:
            pending.append((int(original_id), 0))
        elif read < min(pages, MAX_PDF_PAGES):
            done = {
                int(row[0])
                for row in conn.execute(
                    "SELECT page FROM ocr_pages WHERE original_id = ? AND engine = ?",
                    (original_id, ENGINE),
                )
            }
            pending.extend(
                (int(original_id), page)
                for page in range(min(pages, MAX_PDF_PAGES))
                if page not in done
            )
        if len(pending) >= limit:
            break
    return pending[:limit]


def status(vault: Vault) -> OcrStatus:
    """Counted by file: a PDF is done when every page it has is read (or has text)."""
    done = pending = failed = 0
    for _original_id, read, pages, failures in vault.conn.execute(_PROGRESS, (ENGINE, *READ_TYPES)):
        if not read or read < min(pages, MAX_PDF_PAGES):
            pending += 1  # pages left to read, even when one of them failed
        elif failures:
            failed += 1
        else:
            done += 1
    return OcrStatus(done, pending, failed, bool(vault.setting(PAUSED_SETTING)))


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
    pages: int = 1,
    has_text: bool = False,
) -> None:
    """Store what was read on one page, replacing any older reading of it. *has_text*:
    a PDF page with text of its own, recorded as such and not read."""
    status = "none" if has_text else "ok"
    with vault.change() as change:
        _replace(
            change.conn,
            (original_id, page, pages, ENGINE, status, width, height, text_of(list(words))),
            words_to_json(words),
            None,
            change.at,
        )
        change.audit("ocr.read", original_id=original_id, page=page, words=len(words))


def save_failure(
    vault: Vault, original_id: int, message: str, page: int = 0, pages: int = 1
) -> None:
    """Record that the reader could not read this page, and why, so the queue moves on
    (a picture that crashes the reader is not tried again by the same reader)."""
    with vault.change() as change:
        head = (original_id, page, max(pages, page + 1), ENGINE, "failed", 0, 0, "")
        _replace(change.conn, head, "[]", message, change.at)
        change.audit("ocr.failed", original_id=original_id, page=page)


def _replace(
    conn: Connection,
    head: tuple[int, int, int, str, str, int, int, str],
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
        "INSERT INTO ocr_pages (original_id, page, pages, engine, status, width, height,"
        " text, words_json, message, read_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (original_id, page) DO UPDATE SET engine = excluded.engine,"
        " pages = excluded.pages,"
        " status = excluded.status, width = excluded.width, height = excluded.height,"
        " text = excluded.text, words_json = excluded.words_json,"
        " message = excluded.message, read_at = excluded.read_at",
        (*head, words_json, message, at),
    )


def known_pages(conn: Connection, original_id: int) -> int | None:
    """How many pages the current reader found the file to have; None: none read yet."""
    (pages,) = conn.execute(
        "SELECT max(pages) FROM ocr_pages WHERE original_id = ? AND engine = ?",
        (original_id, ENGINE),
    ).fetchone()
    return None if pages is None else int(pages)


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
