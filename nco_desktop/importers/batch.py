"""Import a selection of files and folders: one transaction per file, a summary at the end.

A file that cannot be imported gets a one-line reason and the batch goes on. Each file
is hashed before anything is written, so a duplicate costs one read and no write; the
bytes are hashed again while they are stored, and a file that changed in between is
refused rather than stored under the wrong hash.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from nco_desktop.evidence.records import EntryKind, NewEntry, TimePrecision, TimeSource
from nco_desktop.evidence.store import add_entry, add_original, find_original
from nco_desktop.importers.paths import Candidate, collect
from nco_desktop.progress import CancelToken, ProgressCallback, no_progress
from nco_desktop.vault import Vault
from nco_desktop.vault.blobs import BlobHashMismatch

READ_SIZE = 1024 * 1024


class Outcome(StrEnum):
    IMPORTED = "imported"
    DUPLICATE = "duplicate"
    FAILED = "failed"
    SKIPPED = "skipped"


@dataclass(frozen=True)
class FileResult:
    """What happened to one file, in words a non-programmer understands."""

    name: str
    path: str
    outcome: Outcome
    kind: str | None = None
    entries_added: int = 0
    message: str = ""


@dataclass
class ImportSummary:
    results: list[FileResult] = field(default_factory=list)
    cancelled: bool = False

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome is outcome)

    @property
    def entries_added(self) -> int:
        return sum(result.entries_added for result in self.results)

    @property
    def all_ok(self) -> bool:
        return self.count(Outcome.FAILED) == 0

    def headline(self) -> str:
        parts = [
            f"{self.count(Outcome.IMPORTED)} imported",
            f"{self.count(Outcome.DUPLICATE)} already in the vault",
            f"{self.count(Outcome.FAILED)} could not be imported",
        ]
        skipped = self.count(Outcome.SKIPPED)
        if skipped:
            parts.append(f"{skipped} skipped")
        text = ", ".join(parts) + f"; {self.entries_added} timeline entries added."
        if self.cancelled:
            text += " Stopped before the end, as you asked."
        return text


def import_paths(
    vault: Vault,
    paths: list[Path],
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> ImportSummary:
    """Import every file *paths* names (folders recursively)."""
    candidates = collect(paths)
    own_files = _vault_files(vault)
    summary = ImportSummary()
    total = len(candidates)
    for index, candidate in enumerate(candidates):
        if cancel is not None and cancel.cancelled:
            summary.cancelled = True
            break
        progress(index, total, candidate.display_name)
        if _resolved(candidate.path) in own_files:
            summary.results.append(
                FileResult(
                    candidate.display_name,
                    str(candidate.path),
                    Outcome.SKIPPED,
                    message="this is the vault itself",
                )
            )
            continue
        summary.results.append(_import_one(vault, candidate))
    progress(len(summary.results), total, "")
    return summary


def _vault_files(vault: Vault) -> set[Path]:
    """The open vault and the files SQLite keeps beside it: never imported into itself."""
    base = _resolved(vault.path)
    return {base} | {base.with_name(base.name + suffix) for suffix in ("-wal", "-shm", "-journal")}


def _resolved(path: Path) -> Path:
    try:
        return path.resolve()
    except OSError:
        return path.absolute()


def _import_one(vault: Vault, candidate: Candidate) -> FileResult:
    name, path = candidate.display_name, str(candidate.path)
    if candidate.error:
        return FileResult(name, path, Outcome.FAILED, message=candidate.error)
    if candidate.skip_reason:
        return FileResult(name, path, Outcome.SKIPPED, message=candidate.skip_reason)
    try:
        info = candidate.path.stat()
        if info.st_size == 0:
            return FileResult(name, path, Outcome.FAILED, message="the file is empty (0 bytes)")
        sha256 = _hash_file(candidate.path)
        existing = find_original(vault.conn, sha256)
        if existing is not None:
            return FileResult(
                name,
                path,
                Outcome.DUPLICATE,
                message=f"the same file is already in the vault as “{existing.original_name}”",
            )
        media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        # Whole seconds: file systems differ below that (FAT keeps two-second steps).
        mtime_ms = info.st_mtime_ns // 1_000_000_000 * 1000
        with vault.change() as change, candidate.path.open("rb") as source:
            original, _created = add_original(
                change,
                source,
                name=name,
                media_type=media_type,
                import_source="file",
                expected_sha256=sha256,
                source_mtime_ms=mtime_ms,
            )
            entry_id = add_entry(
                change,
                NewEntry(
                    kind=EntryKind.DOCUMENT,
                    occurred_ms=mtime_ms,
                    time_source=TimeSource.FILE_MTIME,
                    time_precision=TimePrecision.SECOND,
                    original_id=original.id,
                    source_key=f"original:{original.sha256}",
                ),
            )
            added = 0 if entry_id is None else 1
            change.audit("import.file", original_id=original.id, entries_added=added)
        return FileResult(
            name, path, Outcome.IMPORTED, kind=EntryKind.DOCUMENT, entries_added=added
        )
    except BlobHashMismatch:
        return FileResult(
            name,
            path,
            Outcome.FAILED,
            message="the file changed while it was being imported; "
            "try again when nothing is writing to it",
        )
    except PermissionError:
        return FileResult(
            name, path, Outcome.FAILED, message="it cannot be read: permission denied"
        )
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        return FileResult(name, path, Outcome.FAILED, message=f"it cannot be read: {reason}")


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(READ_SIZE):
            digest.update(chunk)
    return digest.hexdigest()
