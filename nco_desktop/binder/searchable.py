"""Which pictures and scanned pages of a binder cannot be searched yet, and why.

Some courts (California, Texas) ask for text-searchable PDFs. Every page the binder
draws is real text; a picture or a scanned page is searchable only through the words
the background reader (OCR) found in it, laid invisibly over it (:mod:`.text_layer`).
A picture the reader has not got to, or could not read, prints the same but cannot be
searched, and the user cannot see that on paper. So a build for such a court names
them, and says what to do: wait for reading to finish (or run ``ocr``), then build
again. A picture that was read and holds no words (a photo of a doorway) is fine:
there is nothing in it to search.

Only the court's copy has the words laid over its pictures: the copy for the other
side leaves them out on purpose (a private detail read in a picture could be copied
out of it), so it is never checked here.
"""

from __future__ import annotations

from nco_desktop.binder.plan import BinderPlan, OriginalFacts
from nco_desktop.ocr.store import ENGINE, MAX_PDF_PAGES, PDF_TYPE, PICTURE_TYPES
from nco_desktop.vault.connection import Connection


def unsearchable(conn: Connection, plan: BinderPlan) -> list[str]:
    """Each picture or scanned document of *plan*'s exhibits whose words cannot be
    searched, as "Pet. Ex. 2 · name: why", in binder order, each file once."""
    found: list[str] = []
    seen: set[int] = set()
    for exhibit in plan.exhibits:
        for item in exhibit.items:
            for original in (item.original, *item.attachments):
                if original is None or original.id in seen:
                    continue
                seen.add(original.id)
                why = _why_unread(conn, original)
                if why is not None:
                    found.append(f"{plan.options.prefix} {exhibit.label} · {original.name}: {why}")
    return found


def _why_unread(conn: Connection, original: OriginalFacts) -> str | None:
    """Why *original*'s words are not all searchable; None when they are (or it is not
    a picture or a PDF)."""
    if original.media_type not in (*PICTURE_TYPES, PDF_TYPE):
        return None
    rows = conn.execute(
        "SELECT page, pages, status FROM ocr_pages WHERE original_id = ? AND engine = ?",
        (original.id, ENGINE),
    ).fetchall()
    if not rows:  # a PDF may have text of its own: the reader checks that first
        return "not checked by the text reader yet"
    failed = [int(page) + 1 for page, _pages, status in rows if status == "failed"]
    pages = min(max(int(row[1]) for row in rows), MAX_PDF_PAGES)
    missing = pages - len(rows)
    if original.media_type != PDF_TYPE:
        return "the computer could not read it" if failed else None
    parts = []
    if failed:
        shown = ", ".join(str(page) for page in failed[:5]) + (" …" if len(failed) > 5 else "")
        parts.append(f"page{'s' if len(failed) > 1 else ''} {shown} could not be read")
    if missing > 0:
        parts.append(f"{missing} page{'s' if missing > 1 else ''} not read yet")
    if max(int(row[1]) for row in rows) > MAX_PDF_PAGES:
        parts.append(f"pages after {MAX_PDF_PAGES} are not read")
    return "; ".join(parts) or None


def unsearchable_words(places: list[str]) -> str:
    """One message for the CLI and the window: what cannot be searched, and what to do."""
    listed = "; ".join(places[:8]) + (f"; and {len(places) - 8} more" if len(places) > 8 else "")
    return (
        f"{len(places)} picture{'s' if len(places) != 1 else ''} or scanned document"
        f"{'s' if len(places) != 1 else ''} cannot be searched yet: {listed}. The court "
        "asks for text-searchable files: let the computer finish reading them (in the "
        "window, or with the ocr command), then build the binder again."
    )
