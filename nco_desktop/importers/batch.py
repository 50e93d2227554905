"""Import a selection of files and folders: one transaction per file, a summary at the end.

Pipeline: the parent walks and hashes files (a duplicate costs one read and no write),
hands new files to sandboxed parser workers (:mod:`.sandbox`), and writes each file's
results in submission order — original, attachments, entries, parse record, audit row —
in one transaction. A file whose parser fails or is killed is still stored, as a
document with the reason. Thumbnails for pictures are a second phase, once every
entry is already on the timeline.
"""

from __future__ import annotations

import contextlib
import mimetypes
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from nco_desktop.evidence.records import EntryKind, NewEntry, Original, TimePrecision, TimeSource
from nco_desktop.evidence.store import (
    add_entry,
    add_original,
    find_original,
    last_entry_id,
)
from nco_desktop.importers.parties import region_for_zone
from nco_desktop.importers.paths import (
    Candidate,
    collect,
    hash_file,
    os_reason,
    read_roots,
    resolved,
    vault_files,
)
from nco_desktop.importers.reread import (
    CannotReread,
    Replaced,
    put_back,
    replaced_note,
    take_out,
)
from nco_desktop.importers.sandbox import Limits, ParseFailed, ParseJob, ParserPool, ParseTask
from nco_desktop.importers.thumbnails import make_thumbnails
from nco_desktop.importers.writer import ParsedWriter, entries_record, sentences
from nco_desktop.progress import Cancelled, CancelToken, ProgressCallback, no_progress
from nco_desktop.vault import Change, Vault
from nco_desktop.vault.blobs import BlobHashMismatch
from nco_desktop.vault.connection import DatabaseError, IntegrityError

#: The page cache (KiB) while a file's transaction is open. SQLite's default 8 MB
#: spilled pages of a large backup's indexes (source_key is a hash: random inserts) to
#: the WAL mid-transaction: 100,000 messages took twice as long to insert. The pages
#: are the vault's own, in this process only, and the cache shrinks back afterwards.
IMPORT_CACHE_KIB = 32 * 1024
REGION_SETTING = "phone_region"


class _Asked(Exception):
    """A reader needs a choice made: the file's whole change is undone (not stored)."""

    def __init__(self, failure: ParseFailed) -> None:
        super().__init__(failure.message)
        self.failure = failure


class Outcome(StrEnum):
    IMPORTED = "imported"
    KEPT = "kept"  # stored as it is, but its contents could not be read
    DUPLICATE = "duplicate"
    FAILED = "failed"  # not stored
    SKIPPED = "skipped"
    NEEDS_CHOICE = "needs a choice"  # not stored: the reader asks (a chat's date order)


@dataclass(frozen=True)
class FileResult:
    """What happened to one file, in words a non-programmer understands."""

    name: str
    path: str
    outcome: Outcome
    kind: str | None = None  # the format found, e.g. "SMS Backup & Restore"
    entries_added: int = 0
    duplicates: int = 0
    message: str = ""
    problems: tuple[str, ...] = ()
    #: For NEEDS_CHOICE: what to ask, checked (see sandbox.wire.question).
    question: dict[str, object] | None = None


@dataclass
class ImportSummary:
    results: list[FileResult] = field(default_factory=list)
    cancelled: bool = False
    thumbnails_made: int = 0

    def count(self, outcome: Outcome) -> int:
        return sum(1 for result in self.results if result.outcome is outcome)

    @property
    def entries_added(self) -> int:
        return sum(result.entries_added for result in self.results)

    @property
    def all_ok(self) -> bool:
        return not any(self.count(o) for o in (Outcome.FAILED, Outcome.KEPT, Outcome.NEEDS_CHOICE))

    def headline(self) -> str:
        parts = [
            f"{self.count(Outcome.IMPORTED)} imported",
            f"{self.count(Outcome.DUPLICATE)} already in the vault",
            f"{self.count(Outcome.FAILED)} could not be imported",
        ]
        kept = self.count(Outcome.KEPT)
        if kept:
            parts.append(f"{kept} kept but not readable")
        asking = self.count(Outcome.NEEDS_CHOICE)
        if asking:
            parts.append(f"{asking} waiting for a choice (not stored)")
        skipped = self.count(Outcome.SKIPPED)
        if skipped:
            parts.append(f"{skipped} skipped")
        text = ", ".join(parts) + f"; {self.entries_added} timeline entries added."
        if self.cancelled:
            text += " Stopped before the end, as you asked."
        return text


@dataclass
class _Pending:
    candidate: Candidate
    result: FileResult | None = None  # decided without parsing
    job: ParseJob | None = None
    sha256: str = ""
    mtime_ms: int | None = None
    again: bool = False  # already in the vault: read it again, replacing its entries
    options: dict[str, str] = field(default_factory=dict)  # what it was read with


def phone_region(vault: Vault) -> str:
    return str(vault.setting(REGION_SETTING) or region_for_zone(vault.time_zone_name))


def import_paths(
    vault: Vault,
    paths: list[Path],
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
    options: dict[str, str] | None = None,
    workers: int | None = None,
    limits: Limits | None = None,
    thumbnails: bool = True,
    force_format: str | None = None,
    on_result: Callable[[FileResult], None] | None = None,
    follow_symlinks: bool = False,
    again: bool = False,
) -> ImportSummary:
    """Import every file *paths* names (folders recursively).

    *force_format* reads every file as that format instead of detecting one.
    *on_result* hears about each file as soon as its outcome is known (the window's
    per-file list), in the order of the summary. *follow_symlinks* imports what a link
    named in *paths* points to (never links inside folders); by default it is refused.
    *again* reads a file already in the vault anew, with these *options*, replacing the
    entries it added before (:mod:`.reread`); otherwise it is skipped as a duplicate.
    """
    candidates = collect(paths, follow_symlinks=follow_symlinks)
    own_files = vault_files(vault.path)
    region = phone_region(vault)
    summary = ImportSummary()

    def record(result: FileResult) -> None:
        summary.results.append(result)
        if on_result is not None:
            on_result(result)

    total = len(candidates)
    pending: deque[_Pending] = deque()
    new_pictures: list[tuple[Original, Path]] = []
    preload = (force_format,) if force_format and "." in force_format else ()
    roots = read_roots(paths, candidates)
    # A worker per file: one a hostile file took over cannot answer for the next ones.
    with ParserPool(workers, limits, roots=roots, preload=preload, fresh_per_task=True) as pool:

        def finish_oldest() -> None:
            item = pending[0]
            progress(len(summary.results), total, item.candidate.display_name)
            if item.result is None:
                item.result = _store(vault, item, region, new_pictures)  # may raise Cancelled
            pending.popleft()
            record(item.result)

        reached = 0
        try:
            for candidate in candidates:
                if cancel is not None and cancel.cancelled:
                    raise Cancelled
                item = _prepare(vault, candidate, own_files, again)
                reached += 1
                if item.result is None:
                    while not pool.free:
                        finish_oldest()
                    item.options = dict(options or {})
                    task = ParseTask(
                        path=str(candidate.path),
                        name=candidate.display_name,
                        zone=vault.time_zone_name,
                        region=region,
                        mtime_ms=item.mtime_ms,
                        options=item.options,
                        force_format=force_format,
                    )
                    item.job = pool.submit(task, cancel)
                pending.append(item)
                while pending and (pending[0].result is not None or len(pending) > 2 * pool.size):
                    finish_oldest()
            while pending:
                if cancel is not None and cancel.cancelled:
                    raise Cancelled
                finish_oldest()
        except Cancelled:
            summary.cancelled = True
        stopped = "not imported: the import was stopped before this file was read"
        for item in pending:  # cancelled: stop the parsers at once, store nothing more
            if item.job is not None:
                item.job.abandon()
            record(
                item.result
                or FileResult(
                    item.candidate.display_name,
                    str(item.candidate.path),
                    Outcome.SKIPPED,
                    message=stopped,
                )
            )
        for candidate in candidates[reached:]:
            record(
                FileResult(
                    candidate.display_name, str(candidate.path), Outcome.SKIPPED, message=stopped
                )
            )
        progress(len(summary.results), total, "")
    if thumbnails and new_pictures and not summary.cancelled:
        # Thumbnails share workers: what one returns is only plain pixels for a list's
        # preview (checked before it is stored; the detail pane and the binder use the
        # original), and a fresh worker per picture doubled this phase's time.
        with ParserPool(workers, limits, roots=roots) as shared:
            summary.thumbnails_made = make_thumbnails(vault, shared, new_pictures, cancel)
    return summary


def _prepare(vault: Vault, candidate: Candidate, own_files: set[Path], again: bool) -> _Pending:
    """Everything decided before parsing: skips, errors, empty files, duplicates."""
    name, path = candidate.display_name, str(candidate.path)
    item = _Pending(candidate)
    if candidate.error:
        item.result = FileResult(name, path, Outcome.FAILED, message=candidate.error)
    elif candidate.skip_reason:
        item.result = FileResult(name, path, Outcome.SKIPPED, message=candidate.skip_reason)
    elif resolved(candidate.path) in own_files:
        item.result = FileResult(name, path, Outcome.SKIPPED, message="this is the vault itself")
    if item.result is not None:
        return item
    try:
        info = candidate.path.stat()
        if info.st_size == 0:
            item.result = FileResult(
                name, path, Outcome.FAILED, message="the file is empty (0 bytes)"
            )
            return item
        # Whole seconds: file systems differ below that (FAT keeps two-second steps).
        item.mtime_ms = info.st_mtime_ns // 1_000_000_000 * 1000
        item.sha256 = hash_file(candidate.path)
    except OSError as exc:
        item.result = FileResult(name, path, Outcome.FAILED, message=os_reason(exc))
        return item
    existing = find_original(vault.conn, item.sha256)
    if existing is not None and again and existing.container_id is None:
        item.again = True
    elif existing is not None:
        item.result = FileResult(
            name,
            path,
            Outcome.DUPLICATE,
            message=f"the same file is already in the vault as “{existing.original_name}”",
        )
    return item


def _store(
    vault: Vault, item: _Pending, region: str, new_pictures: list[tuple[Original, Path]]
) -> FileResult:
    """One transaction: the original, then what the parser found (or why it could not)."""
    assert item.job is not None
    candidate = item.candidate
    name, path = candidate.display_name, str(candidate.path)
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    try:
        with (
            _import_cache(vault),
            vault.change() as change,
            candidate.path.open("rb") as source,
        ):
            original, created = add_original(
                change,
                source,
                name=name,
                media_type=media_type,
                import_source="file",
                expected_sha256=item.sha256,
                source_mtime_ms=item.mtime_ms,
            )
            replaced: Replaced | None = None
            if not created and item.again:  # read again: its earlier entries go first
                replaced = take_out(change.conn, original.id)
            elif not created:  # the same bytes arrived twice in this batch
                item.job.drain()
                change.audit("import.duplicate", original_id=original.id)
                return FileResult(
                    name,
                    path,
                    Outcome.DUPLICATE,
                    message=f"the same file is already in the vault as “{original.original_name}”",
                )
            first_id = last_entry_id(change.conn)
            change.conn.execute("SAVEPOINT parsed")
            writer = ParsedWriter(change, original, "", region)
            try:
                for message in item.job.messages():
                    if message[0] == "items":
                        writer.format_module = item.job.format_module or ""
                        writer.add_all(message[1])
                change.conn.execute("RELEASE parsed")
            except ParseFailed as failure:
                if failure.question is not None:
                    raise _Asked(failure) from None  # nothing of it is stored yet
                if replaced is not None:
                    raise CannotReread(
                        f"it could not be read this way: {failure.message}"
                    ) from None
                change.conn.execute("ROLLBACK TO parsed")
                change.conn.execute("RELEASE parsed")
                return _keep_unread(change, original, item, failure.message)
            except (IntegrityError, ValueError, TypeError) as exc:
                # What the parser said does not fit the vault (a parser bug, or a value
                # no check caught): keep the file, say so, and go on with the batch.
                if replaced is not None:
                    raise CannotReread(
                        f"what was read could not be stored ({type(exc).__name__})"
                    ) from None
                change.conn.execute("ROLLBACK TO parsed")
                change.conn.execute("RELEASE parsed")
                reason = (
                    "what was read from this file could not be stored "
                    f"({type(exc).__name__}); it was kept as it is"
                )
                return _keep_unread(change, original, item, reason)
            module = item.job.format_module
            if module is None:
                if replaced is not None:
                    raise CannotReread("no reader knows this file")
                return _keep_unread(change, original, item, None)
            writer.format_module = module
            if refused := writer.links_refused:
                writer.problems.append(
                    f"{refused} {'message' if refused == 1 else 'messages'} of this chat "
                    "were already in the vault with files of their own: the files this "
                    "export gives them were kept with it, not linked to those messages."
                )
            if linked := writer.linked_to_earlier:
                writer.notes.append(
                    f"{linked} {'file' if linked == 1 else 'files'} linked to messages an "
                    "earlier export of this chat had already put in the vault."
                )
            writer.record("partial" if writer.problems else "ok")
            again: dict[str, object] = {}
            if replaced is not None:
                new_ids = range(first_id + 1, last_entry_id(change.conn) + 1)
                again = {"read_again": True, "options": dict(sorted(item.options.items()))}
                again.update(put_back(change.conn, replaced, new_ids))
                writer.notes.insert(0, replaced_note(replaced, again))
            change.audit(
                "import.file",
                original_id=original.id,
                format=module,
                duplicates=writer.duplicates,
                problems=len(writer.problems),
                linked_to_earlier=linked,
                **entries_record(change, first_id),
                **again,
            )
            if replaced is not None:  # the note above goes into what is kept of the read
                writer.record("partial" if writer.problems else "ok")
        if module == "images" and replaced is None:
            new_pictures.append((original, candidate.path))
        return FileResult(
            name,
            path,
            Outcome.IMPORTED,
            kind=item.job.format_name or module,
            entries_added=writer.entries_added,
            duplicates=writer.duplicates,
            message=sentences(writer.notes),
            problems=tuple(writer.problems),
        )
    except _Asked as asked:
        return FileResult(
            name,
            path,
            Outcome.NEEDS_CHOICE,
            kind=item.job.format_name,
            message=asked.failure.message,
            question=asked.failure.question,
        )
    except CannotReread as refused:
        item.job.drain()
        return FileResult(
            name,
            path,
            Outcome.FAILED,
            kind=item.job.format_name,
            message=f"not read again: {refused}; the vault is as it was",
        )
    except BlobHashMismatch:
        item.job.drain()
        return FileResult(
            name,
            path,
            Outcome.FAILED,
            message="the file changed while it was "
            "being imported; try again when nothing is writing to it",
        )
    except OSError as exc:
        item.job.drain()
        return FileResult(name, path, Outcome.FAILED, message=os_reason(exc))


@contextlib.contextmanager
def _import_cache(vault: Vault) -> Iterator[None]:
    """A larger page cache for one file's transaction (:data:`IMPORT_CACHE_KIB`)."""
    (before,) = vault.conn.execute("PRAGMA cache_size").fetchone()
    vault.conn.execute(f"PRAGMA cache_size = {-IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError):  # a closed connection keeps no cache
            vault.conn.execute(f"PRAGMA cache_size = {int(before)}")


def _keep_unread(
    change: Change, original: Original, item: _Pending, reason: str | None
) -> FileResult:
    """Store an unreadable (or unknown) file as a document on the timeline, with why."""
    candidate = item.candidate
    first_id = last_entry_id(change.conn)
    add_entry(
        change,
        NewEntry(
            kind=EntryKind.DOCUMENT,
            occurred_ms=item.mtime_ms,
            time_source=TimeSource.FILE_MTIME if item.mtime_ms is not None else TimeSource.UNKNOWN,
            time_precision=TimePrecision.SECOND,
            original_id=original.id,
            source_key=f"original:{original.sha256}",
            meta={"parse_error": reason} if reason else {},
        ),
    )
    module = (item.job.format_module if item.job else None) or ""
    writer = ParsedWriter(change, original, module, "")
    writer.entries_added = 1
    if reason:
        writer.problems.append(reason)
    writer.record("failed" if reason else "unsupported")
    change.audit(
        "import.file",
        original_id=original.id,
        format=writer.format_module or None,
        failed=bool(reason),
        **entries_record(change, first_id),
    )
    if reason is None:
        return FileResult(
            candidate.display_name,
            str(candidate.path),
            Outcome.IMPORTED,
            kind="document",
            entries_added=1,
            message="not a format NCO Desktop reads; kept as a document",
        )
    return FileResult(
        candidate.display_name,
        str(candidate.path),
        Outcome.KEPT,
        kind=item.job.format_name if item.job else None,
        entries_added=1,
        message=reason,
    )
