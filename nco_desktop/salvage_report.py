"""What a salvage kept and lost, in words a person can act on.

Exact where the vault can say it (which pages failed, which ids did not read, which
files by name and SHA-256), and plain about what it cannot know (how many rows were
on a page that no longer reads: the ids around it are given instead).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from nco_desktop.vault.salvage_rows import FIRST_ROWID, TableReading

#: What each table holds, as the report names it (tables not listed use their name).
TABLE_WORDS = {
    "entries": "timeline entries",
    "originals": "imported files",
    "blobs": "stored files",
    "blob_chunks": "pieces of stored files",
    "derivatives": "thumbnails and page images",
    "people": "people",
    "person_identifiers": "people's numbers and addresses",
    "incidents": "incidents",
    "incident_evidence": "evidence linked to incidents",
    "orders": "orders",
    "exhibits": "exhibits",
    "exhibit_items": "items in exhibits",
    "audit_log": "audit log rows",
    "settings": "case settings",
    "entry_notes": "notes on entries",
    "entry_transcripts": "transcripts",
    "entry_translations": "translations",
    "entry_attachments": "attachments of entries",
}


@dataclass(frozen=True)
class LostOriginal:
    id: int
    name: str
    sha256: str
    size: int


@dataclass
class SalvageReport:
    damaged: Path
    new: Path
    pages: int
    unreadable_pages: list[int]
    notes: list[str] = field(default_factory=list)
    tables: dict[str, TableReading] = field(default_factory=dict)
    originals_kept: list[tuple[int, str]] = field(default_factory=list)
    originals_lost: list[LostOriginal] = field(default_factory=list)
    originals_never_found: list[LostOriginal] = field(default_factory=list)
    rebuildable_dropped: int = 0
    entries_unlinked: int = 0  # timeline entries whose own file was lost
    links_dropped: dict[str, int] = field(default_factory=dict)
    old_log_rows: int = 0
    old_log_recorded: int | None = None
    old_log_break: str | None = None
    problems_after: list[str] = field(default_factory=list)
    contents_unread: bool = False  # the table of contents did not read: nothing copied
    imports_not_whole: list[tuple[int, int]] = field(default_factory=list)

    @property
    def nothing_lost(self) -> bool:
        """Every row read, every original checked, the old log whole."""
        return (
            not self.contents_unread
            and bool(self.tables)
            and not self.imports_not_whole
            and all(reading.complete for reading in self.tables.values())
            and not self.originals_lost
            and not self.originals_never_found
            and self.old_log_break is None
            and self.old_log_recorded == self.old_log_rows
        )

    def lines(self) -> list[str]:
        out = [f"Salvaged “{self.damaged.name}” into “{self.new.name}”."]
        bad = self.unreadable_pages
        if bad:
            shown = ", ".join(str(n) for n in bad[:12]) + (" …" if len(bad) > 12 else "")
            out.append(f"{len(bad)} of its {self.pages:,} pages failed their check (page {shown}).")
        else:
            out.append(f"All {self.pages:,} of its pages passed their check.")
        out.extend(self.notes)
        out.append("Recovered:")
        for table, reading in self.tables.items():
            if reading.recovered or not reading.complete:
                out.append(f"  {_words(table)}: {reading.recovered:,}{_lost_words(reading)}")
        out.append(
            f"Imported files kept: {len(self.originals_kept):,}, each matching the SHA-256 "
            "taken when it was imported."
        )
        lost = self.originals_lost + self.originals_never_found
        if lost:
            out.append(
                f"Imported files lost ({len(lost)}): import them again if you still have "
                "them; the SHA-256 tells you it is the same file."
            )
            for item in lost:
                name = item.name or f"file #{item.id} (its name did not survive)"
                out.append(f"  {name}  {item.size:,} bytes  SHA-256 {item.sha256}")
        for first, last in self.imports_not_whole:
            out.append(
                f"Entries {first + 1}–{last} are not all as they were imported (some did "
                "not read, or they were changed before the damage)."
            )
        if self.entries_unlinked:
            out.append(
                f"Timeline entries kept without their file (it was lost): "
                f"{self.entries_unlinked:,}."
            )
        if self.rebuildable_dropped:
            out.append(
                f"Thumbnails and page images removed, to be made again: {self.rebuildable_dropped}."
            )
        for link, count in sorted(self.links_dropped.items()):
            out.append(f"Links to lost records removed ({link}): {count}.")
        out.append(self._log_words())
        if self.problems_after:
            out.append("The new vault did not pass verify: " + "; ".join(self.problems_after))
        else:
            out.append("The new vault passed verify.")
        out.append(
            f"“{self.damaged.name}” was not changed. Keep it as it is: it shows what "
            "happened to it."
        )
        return out

    def _log_words(self) -> str:
        rows = self.old_log_rows
        said = f"Audit log: {rows:,} rows of the old log kept beside the new one"
        if self.old_log_break:
            said += f"; {self.old_log_break}"
        elif self.old_log_recorded is None:
            said += (
                "; its recorded length did not read, so rows missing at its end cannot be ruled out"
            )
        elif self.old_log_recorded != rows:
            said += f"; it had {self.old_log_recorded:,}, the rest did not read"
        else:
            said += ", unbroken"
        return said + "."


def _words(table: str) -> str:
    return TABLE_WORDS.get(table, table.replace("_", " "))


def _lost_words(reading: TableReading) -> str:
    if reading.unreadable:
        return f" (none: {reading.unreadable})"
    rejected = ""
    if reading.rejected:
        rejected = (
            f"; {len(reading.rejected)} rows were not what this table holds and were left out"
        )
    spans: list[str] = []
    for after, before in reading.lost:
        low = 1 if after == FIRST_ROWID else after + 1
        if before is None:
            spans.append(f"from {low} on")
        elif before - 1 <= low:
            spans.append(str(low))
        else:
            spans.append(f"{low}–{before - 1}")
    if not spans:
        return rejected
    if len(spans) == 1 and spans[0].isdigit():
        return f"; the one numbered {spans[0]} did not read" + rejected
    return "; those numbered " + ", ".join(spans) + " did not read" + rejected
