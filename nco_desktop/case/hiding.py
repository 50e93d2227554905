"""Putting entries imported by mistake out of sight, and deleting them for good (Qt-free).

A private photo dropped in with the screenshots, a SOURCES.txt from a folder: the user
must be able to take them out of the case. Hiding is the safe first step — the entry
and its original stay in the vault, out of every list, search, pattern and binder, and
can be brought back; its links to incidents and exhibits are kept, so bringing it back
restores them. Deleting for good is a second, separate choice, only for hidden entries:
the entry goes, and so does its original when nothing else in the vault comes from
that file. Both are audited; a deletion records the import's new fingerprint so
``verify`` still passes (and tells an unrecorded change from this one).

Audit rows hold ids and counts, never the reason's words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from nco_desktop.case import InvalidRecord
from nco_desktop.case.incidents import unique_ids
from nco_desktop.evidence.records import EntryKind
from nco_desktop.evidence.store import (
    REFINGERPRINT_KEY,
    EvidenceAltered,
    imports_holding,
    new_fingerprints,
)
from nco_desktop.timeline.query import ENTRY_SELECT, EntryView
from nco_desktop.vault import Change, Vault
from nco_desktop.vault.connection import Connection

MAX_REASON_CHARS = 1_000


@dataclass(frozen=True)
class HiddenEntry:
    entry: EntryView
    reason: str
    hidden_at: str  # ISO 8601 UTC


@dataclass(frozen=True)
class Deleted:
    """What a deletion for good removed, and the files it had to keep."""

    entries: int
    originals: int
    originals_kept: tuple[str, ...]  # names of files that also hold other entries


def is_hidden(conn: Connection, entry_id: int) -> bool:
    row = conn.execute("SELECT 1 FROM hidden_entries WHERE entry_id = ?", (entry_id,))
    return row.fetchone() is not None


def hidden_reason(conn: Connection, entry_id: int) -> str | None:
    row = conn.execute(
        "SELECT reason FROM hidden_entries WHERE entry_id = ?", (entry_id,)
    ).fetchone()
    return None if row is None else str(row[0])


def hidden_entries(conn: Connection) -> list[HiddenEntry]:
    """Every hidden entry, most recently hidden first: the Hidden list."""
    rows = conn.execute(
        ENTRY_SELECT.replace("SELECT ", "SELECT h.reason, h.hidden_at, ", 1)
        + " JOIN hidden_entries h ON h.entry_id = e.id ORDER BY h.hidden_at DESC, e.id DESC"
    ).fetchall()
    return [HiddenEntry(EntryView(*row[2:]), str(row[0]), str(row[1])) for row in rows]


def hide_entries(vault: Vault, entry_ids: Sequence[int], reason: str) -> int:
    """Hide *entry_ids* for *reason*; return how many were newly hidden."""
    ids = unique_ids(entry_ids)
    why = " ".join(reason.split())
    if not ids:
        raise InvalidRecord("Choose at least one entry to hide.")
    if not why:
        raise InvalidRecord("Say in a few words why (for example “a private photo”).")
    if len(why) > MAX_REASON_CHARS:
        raise InvalidRecord(f"The reason is longer than {MAX_REASON_CHARS:,} characters.")
    with vault.change() as change:
        _require_evidence(change.conn, ids)
        hidden = 0
        for entry_id in ids:
            cursor = change.conn.execute(
                "INSERT OR IGNORE INTO hidden_entries (entry_id, reason, hidden_at) "
                "VALUES (?, ?, ?)",
                (entry_id, why, change.at),
            )
            hidden += cursor.rowcount
        change.audit("entry.hidden", entry_ids=ids, hidden=hidden)
    return hidden


def unhide_entries(vault: Vault, entry_ids: Sequence[int], *, undo: bool = False) -> int:
    """Bring hidden *entry_ids* back into every view; return how many came back."""
    ids = unique_ids(entry_ids)
    if not ids:
        raise InvalidRecord("Choose at least one hidden entry to show again.")
    with vault.change() as change:
        shown = 0
        for entry_id in ids:
            cursor = change.conn.execute(
                "DELETE FROM hidden_entries WHERE entry_id = ?", (entry_id,)
            )
            shown += cursor.rowcount
        change.audit("entry.unhidden", entry_ids=ids, shown=shown, undo=undo)
    return shown


def delete_for_good(vault: Vault, entry_ids: Sequence[int]) -> Deleted:
    """Delete hidden *entry_ids* and, where nothing else comes from them, their
    originals (with their previews). Only hidden entries: hiding is the step that
    lets the user check first. One audited transaction."""
    ids = unique_ids(entry_ids)
    if not ids:
        raise InvalidRecord("Choose at least one hidden entry to delete.")
    with vault.change() as change:
        conn = change.conn
        marks = ", ".join("?" for _ in ids)
        hidden = {
            int(r[0])
            for r in conn.execute(
                f"SELECT entry_id FROM hidden_entries WHERE entry_id IN ({marks})", ids
            )
        }
        if hidden != set(ids):
            raise InvalidRecord("Only hidden entries can be deleted for good; hide them first.")
        try:
            held = imports_holding(conn, ids)
        except EvidenceAltered as exc:
            raise InvalidRecord(str(exc)) from None
        candidates = [
            int(r[0])
            for r in conn.execute(
                f"SELECT original_id FROM entries WHERE id IN ({marks}) AND original_id "
                f"IS NOT NULL UNION SELECT original_id FROM entry_attachments "
                f"WHERE entry_id IN ({marks})",
                [*ids, *ids],
            )
        ]
        conn.execute(f"DELETE FROM entries WHERE id IN ({marks})", ids)
        removed, kept = _delete_orphans(change, sorted(set(candidates)))
        change.audit(
            "entry.deleted",
            entry_ids=ids,
            originals_deleted=removed,
            originals_kept=len(kept),
            **{REFINGERPRINT_KEY: new_fingerprints(conn, held)},
        )
    return Deleted(len(ids), len(removed), tuple(kept))


def _delete_orphans(change: Change, original_ids: list[int]) -> tuple[list[int], list[str]]:
    """Delete each original no remaining entry (or contained file) comes from; return
    (ids deleted, names of those kept because other entries still come from them)."""
    conn = change.conn
    removed: list[int] = []
    kept: list[str] = []
    for original_id in original_ids:
        name, sha256, blob_id = conn.execute(
            "SELECT original_name, sha256, blob_id FROM originals WHERE id = ?", (original_id,)
        ).fetchone()
        in_use = conn.execute(
            "SELECT EXISTS (SELECT 1 FROM entries WHERE original_id = ?) "
            "OR EXISTS (SELECT 1 FROM entry_attachments WHERE original_id = ?) "
            "OR EXISTS (SELECT 1 FROM originals WHERE container_id = ?)",
            (original_id, original_id, original_id),
        ).fetchone()[0]
        if in_use:
            kept.append(str(name))
            continue
        blobs = [int(blob_id)] + [
            int(r[0])
            for r in conn.execute(
                "SELECT blob_id FROM derivatives WHERE original_id = ?", (original_id,)
            )
        ]
        conn.execute("DELETE FROM originals WHERE id = ?", (original_id,))  # cascades
        for blob in blobs:
            conn.execute(
                "DELETE FROM blobs WHERE id = ? AND NOT EXISTS "
                "(SELECT 1 FROM originals WHERE blob_id = ?) AND NOT EXISTS "
                "(SELECT 1 FROM derivatives WHERE blob_id = ?)",
                (blob, blob, blob),
            )
        change.audit("original.deleted", original_id=original_id, sha256=sha256)
        removed.append(original_id)
    return removed, kept


def _require_evidence(conn: Connection, ids: list[int]) -> None:
    marks = ", ".join("?" for _ in ids)
    kinds = dict(conn.execute(f"SELECT id, kind FROM entries WHERE id IN ({marks})", ids))
    if len(kinds) != len(ids):
        raise InvalidRecord("Some of these entries are no longer in the vault.")
    if EntryKind.INCIDENT in kinds.values():
        raise InvalidRecord("An incident is your own record: delete it on the Incidents page.")
