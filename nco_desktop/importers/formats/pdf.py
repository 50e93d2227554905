"""PDF documents: police reports, court papers, screenshots someone printed to PDF.

One DOCUMENT entry per file; the PDF itself is the original (merged page by page into
the binder later), so only its facts and searchable text are taken here. pypdf runs in
lenient mode because real-world PDFs are often slightly broken; a file pypdf cannot make
sense of is refused with a plain sentence, and the original is kept regardless.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

from pypdf import PdfReader

from nco_desktop.evidence.records import EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats.contract import refuse_unexpected
from nco_desktop.importers.model import (
    ParsedEntry,
    ParsedItem,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import aware_to_ms, local_to_ms

NAME = "PDF document"

MAX_TEXT_PAGES = 50
MAX_TEXT_CHARS = 200_000
_MAX_META_CHARS = 1000
_DAMAGED = "the PDF is damaged; it was kept as it is"
_LOCKED = "this PDF is password-protected; its text could not be read"
_PDF_DATE = re.compile(
    r"^(?:D:)?(\d{4})(\d{2})(\d{2})(?:(\d{2})(?:(\d{2})(\d{2})?)?)?"
    r"\s*(?:(Z)|([+-])(\d{2})'?(?:(\d{2})'?)?)?"
)


def sniff(head: bytes, name: str) -> bool:
    """'%PDF-' may follow some junk (mail headers, a BOM); readers allow 1024 bytes of it."""
    return b"%PDF-" in head[:1024]


def parse(source: ParseSource) -> Iterator[ParsedItem]:
    """One DOCUMENT entry; any exception pypdf throws means "damaged", never a crash."""
    if source.path.stat().st_size == 0:
        raise UnreadableFile("the file is empty (0 bytes)")
    yield from refuse_unexpected(lambda: _parse_quietly(source), _DAMAGED)


class _QuietPypdf(logging.Handler):
    """Keeps pypdf's repair warnings off stderr (no evidence in logs) while parsing."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self._logger = logging.getLogger("pypdf")
        self._propagate = self._logger.propagate

    def emit(self, record: logging.LogRecord) -> None:
        pass

    def __enter__(self) -> _QuietPypdf:
        self._logger.addHandler(self)
        self._logger.propagate = False
        return self

    def __exit__(self, *exc: object) -> None:
        self._logger.removeHandler(self)
        self._logger.propagate = self._propagate


def _parse_quietly(source: ParseSource) -> list[ParsedItem]:
    with _QuietPypdf():
        return _parse(source)


def _parse(source: ParseSource) -> list[ParsedItem]:
    try:
        reader = PdfReader(source.path, strict=False)
    except Exception as exc:
        raise UnreadableFile(_DAMAGED) from exc
    items: list[ParsedItem] = []
    meta: dict[str, Any] = {"encrypted": bool(reader.is_encrypted)}
    readable = True
    if reader.is_encrypted:
        # Many PDFs are "encrypted" only to restrict printing: the empty password opens them.
        try:
            readable = bool(reader.decrypt(""))
        except Exception:
            readable = False
        if not readable:
            items.append(ParseProblem(_LOCKED))
    page_count = _page_count(reader, readable)
    if page_count is None and readable:
        raise UnreadableFile(_DAMAGED)
    meta["page_count"] = page_count
    info = _info(reader) if readable else {}
    for key in ("title", "author", "subject", "creator", "producer"):
        value = _text_value(info.get(f"/{key.capitalize()}"))
        if value:
            meta[key] = value
    created = _text_value(info.get("/CreationDate"))
    modified = _text_value(info.get("/ModDate"))
    if created:
        meta["creation_date"] = created
    if modified:
        meta["modification_date"] = modified
    text: str | None = None
    if readable and page_count:
        text, unread = _extract_text(reader, page_count, meta)
        if unread:
            pages = ", ".join(str(n) for n in unread[:10]) + ("…" if len(unread) > 10 else "")
            items.append(ParseProblem(f"the text of page(s) {pages} could not be read"))
    items.append(_entry(source, meta, created, text))
    return items


def _page_count(reader: PdfReader, readable: bool) -> int | None:
    """len(pages) when the PDF opens; for a locked one, /Count if the catalogue shows it."""
    if readable:
        try:
            return len(reader.pages)
        except Exception:
            return None
    # Only strings and streams are encrypted; the page tree's /Count is plain. pypdf
    # refuses to resolve objects before decryption unless told this one read is fine.
    reader._override_encryption = True
    try:
        root: Any = reader.trailer["/Root"]
        count = int(root["/Pages"]["/Count"])
        return count if 0 <= count < 10_000_000 else None
    except Exception:
        return None
    finally:
        reader._override_encryption = False


def _info(reader: PdfReader) -> dict[str, Any]:
    try:
        return dict(reader.metadata or {})
    except Exception:
        return {}


def _text_value(value: Any) -> str | None:
    if value is None:
        return None
    try:
        text = str(value.get_object() if hasattr(value, "get_object") else value)
    except Exception:
        return None
    text = text.replace("\x00", "").strip()
    return text[:_MAX_META_CHARS] or None


def _extract_text(
    reader: PdfReader, page_count: int, meta: dict[str, Any]
) -> tuple[str | None, list[int]]:
    """Text of the first pages only: enough to search and cite, bounded against huge PDFs."""
    parts: list[str] = []
    unread: list[int] = []
    total = 0
    cut = False
    for number in range(min(page_count, MAX_TEXT_PAGES)):
        try:
            page_text = reader.pages[number].extract_text() or ""
        except Exception:
            unread.append(number + 1)
            continue
        page_text = page_text.replace("\x00", "")
        if total + len(page_text) > MAX_TEXT_CHARS:
            parts.append(page_text[: MAX_TEXT_CHARS - total])
            cut = True
            break
        parts.append(page_text)
        total += len(page_text) + 2
    if cut:
        meta["text_note"] = f"only the first {MAX_TEXT_CHARS:,} characters of text were kept"
    elif page_count > MAX_TEXT_PAGES:
        meta["text_note"] = f"text was taken from the first {MAX_TEXT_PAGES} of {page_count} pages"
    text = "\n\n".join(part.strip() for part in parts).strip()
    if not text:
        meta.setdefault("text_note", "the PDF has no text layer (perhaps a scan)")
        return None, unread
    return text, unread


def _entry(
    source: ParseSource, meta: dict[str, Any], created: str | None, text: str | None
) -> ParsedEntry:
    when: int | None = None
    offset: int | None = None
    time_source, precision = TimeSource.UNKNOWN, TimePrecision.SECOND
    parsed = parse_pdf_date(created) if created else None
    if parsed is not None:
        moment, precision = parsed
        if moment.tzinfo is not None:
            when, offset = aware_to_ms(moment)
            time_source = TimeSource.HEADER
        else:
            when, offset = local_to_ms(moment, source.zone)
            time_source = TimeSource.EXPORT_LOCAL
    elif source.mtime_ms is not None:
        when, time_source = source.mtime_ms, TimeSource.FILE_MTIME
    return ParsedEntry(
        kind=EntryKind.DOCUMENT,
        occurred_ms=when,
        time_source=time_source,
        utc_offset_min=offset,
        time_precision=precision,
        text=text,
        meta=meta,
    )


def parse_pdf_date(value: str) -> tuple[datetime, TimePrecision] | None:
    """PDF 1.7 §7.9.4: D:YYYYMMDDHHmmSSOHH'mm' — aware when an offset is given, else naive.

    Needs at least a whole day; the precision says how much of the time was written.
    """
    match = _PDF_DATE.match(value.strip())
    if match is None:
        return None
    year, month, day, hour, minute, second, zulu, sign, off_h, off_m = match.groups()
    precision = (
        TimePrecision.SECOND if second else TimePrecision.MINUTE if minute else TimePrecision.DAY
    )
    try:
        moment = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
        )
        if moment.year < 1971:  # 0000/1970 dates are "not set", not a time
            return None
        if zulu:
            return moment.replace(tzinfo=UTC), precision
        if sign:
            delta = timedelta(hours=int(off_h), minutes=int(off_m or 0))
            if delta >= timedelta(hours=15):
                return None
            return moment.replace(tzinfo=timezone(delta if sign == "+" else -delta)), precision
    except (ValueError, OverflowError):
        return None
    return moment, precision
