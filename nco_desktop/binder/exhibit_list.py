"""The exhibit list beside the binder: a CSV a lawyer or clerk can open and edit (#19).

Bundle tools give one: the exhibits with their labels, titles, dates and pages, ready
to paste into a pleading's exhibit list or a court's form. It is made from the same
plan and the same pages as the court's copy, so it cannot disagree with the binder.

The titles, descriptions and file names in it may come from files the other person
wrote. A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a
formula ("CSV injection"), so such a cell is written with a leading apostrophe, which
spreadsheets show as text; control and direction-changing characters are shown as
escapes, as everywhere else a name from a file is shown. Like the binder, the file is
not encrypted: it is written owner-only, atomically, and the caller says so first.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

from nco_desktop.binder.output import write_bytes_atomically
from nco_desktop.binder.plan import BinderPlan
from nco_desktop.binder.wording import date_range
from nco_desktop.safe_text import safe_line

HEADER = (
    "Exhibit",
    "Title",
    "Description",
    "Dates",
    "Items",
    "Pages in binder",
    "Files",
    "SHA-256 of the files",
)
#: What a spreadsheet would read as the start of a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExhibitRow:
    """One exhibit as the list gives it."""

    label: str  # "Pet. Ex. 3"
    title: str
    description: str
    dates: str  # "Mar 9, 2024 – Apr 10, 2024", or "no date known"
    items: int
    pages: str  # "12–18" (divider included)
    files: tuple[str, ...]
    sha256: tuple[str, ...]

    def cells(self) -> list[str]:
        return [
            self.label,
            self.title,
            self.description,
            self.dates,
            str(self.items),
            self.pages,
            "; ".join(self.files),
            "; ".join(self.sha256),
        ]


def exhibit_rows(
    plan: BinderPlan, first_pages: dict[str, int], exhibit_pages: list[int]
) -> list[ExhibitRow]:
    """The rows for *plan*'s exhibits, with the pages the binder built gave them."""
    zone = ZoneInfo(plan.time_zone)
    rows: list[ExhibitRow] = []
    for exhibit, count in zip(plan.exhibits, exhibit_pages, strict=False):
        first = first_pages.get(exhibit.label)
        pages = "" if first is None else f"{first}–{first + count - 1}" if count > 1 else str(first)
        files: dict[int, tuple[str, str]] = {}
        for item in exhibit.items:
            for original in (item.original, *item.attachments):
                if original is not None:
                    files.setdefault(original.id, (original.name, original.sha256))
        rows.append(
            ExhibitRow(
                label=f"{plan.options.prefix} {exhibit.label}".strip(),
                title=exhibit.title,
                description=exhibit.description,
                dates=date_range(*exhibit.date_range(), zone),
                items=len(exhibit.items),
                pages=pages,
                files=tuple(name for name, _sha in files.values()),
                sha256=tuple(sha for _name, sha in files.values()),
            )
        )
    return rows


def cell(text: str) -> str:
    """*text* safe to open in a spreadsheet: shown, never run. What a spreadsheet may
    read as the start of a formula is looked for after the spaces it may trim and in
    the full-width forms it may fold (＝ as =)."""
    shown = safe_line(text)
    start = unicodedata.normalize("NFKC", shown).lstrip()
    return "'" + shown if start.startswith(_FORMULA_STARTS) else shown


def csv_bytes(rows: list[ExhibitRow]) -> bytes:
    """The list as CSV, UTF-8 with a byte-order mark (so spreadsheets read accents)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in rows:
        writer.writerow([cell(value) for value in row.cells()])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def list_path(binder: Path) -> Path:
    """ "binder.pdf" → "binder-exhibit-list.csv", beside it."""
    return binder.with_name(f"{binder.stem}-exhibit-list.csv")


def write_exhibit_list(binder: Path, rows: list[ExhibitRow]) -> Path:
    """Write the list beside *binder* (owner-only, atomically); return its path."""
    path = list_path(binder)
    write_bytes_atomically(path, csv_bytes(rows))
    return path
