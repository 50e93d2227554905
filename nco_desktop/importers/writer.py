"""Writing what a parser yielded into the vault, inside the file's one transaction.

Speed (a 100,000-message backup): entries nothing refers to by id are written a batch
at a time with one prepared statement (:func:`add_entries`); an entry with attachments
is written alone, after the batch before it, because its links need its id. Party keys
come from a cache keyed by the address as the export wrote it (:func:`party_key`).
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable
from dataclasses import dataclass, field

from nco_desktop.evidence.records import NewEntry, Original
from nco_desktop.evidence.store import (
    EntryRow,
    add_entry,
    add_entry_rows,
    add_original,
    entries_fingerprint,
    last_entry_id,
    link_attachment,
    meta_json,
)
from nco_desktop.importers.model import (
    FormatNote,
    ParsedAttachment,
    ParsedEntry,
    ParsedItem,
    ParseProblem,
)
from nco_desktop.importers.parties import party_key
from nco_desktop.vault import Change

MAX_OFFSET_MIN = 18 * 60  # the schema's bound; real offsets stay within −12 … +14 h


@dataclass
class ParsedWriter:
    """Turns a stream of parsed items from one file into entries, originals and links."""

    change: Change
    original: Original
    format_module: str
    region: str
    entries_added: int = 0
    duplicates: int = 0
    attachments_added: int = 0
    #: Files linked to messages an earlier import of the same chat stored without them.
    linked_to_earlier: int = 0
    #: Files of messages already stored with files of their own: not linked, said so.
    links_refused: int = 0
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    _refs: dict[str, int] = field(default_factory=dict)

    _batch: list[EntryRow] = field(default_factory=list)

    def add(self, item: ParsedItem) -> None:
        """Write one item (tests, small files); :meth:`add_all` for a stream's batches."""
        self.add_all((item,))

    def add_all(self, items: Iterable[ParsedItem]) -> None:
        """Write a batch of items in order; everything is written when this returns, so
        a failure surfaces here, inside the caller's savepoint."""
        try:
            for item in items:
                if isinstance(item, ParsedEntry):
                    self._entry(item)
                elif isinstance(item, ParsedAttachment):
                    self._flush()
                    self._attachment(item)
                elif isinstance(item, ParseProblem):
                    self.problems.append(item.message)
                elif isinstance(item, FormatNote):
                    self.notes.append(item.message)
            self._flush()
        finally:
            self._batch.clear()

    def _flush(self) -> None:
        if self._batch:
            written = add_entry_rows(self.change, self._batch)
            self.entries_added += written
            self.duplicates += len(self._batch) - written
            self._batch.clear()

    def _attachment(self, item: ParsedAttachment) -> None:
        stored, created = add_original(
            self.change,
            io.BytesIO(item.data),
            name=item.name,
            media_type=item.media_type,
            import_source="attachment",
            container_id=self.original.id,
        )
        self._refs[item.ref] = stored.id
        self.attachments_added += int(created)

    def _entry(self, item: ParsedEntry) -> None:
        offset = item.utc_offset_min
        if offset is not None and not -MAX_OFFSET_MIN <= offset <= MAX_OFFSET_MIN:
            # No place on Earth is more than 14 hours from UTC; keep the instant, not this.
            self.problems.append(
                f"a time said it was {offset / 60:+.1f} hours from UTC, which "
                "is impossible; the time was kept without that offset"
            )
            offset = None
        key = party_key(item.party, self.region)
        source_key = None
        if item.dedup_key is not None:
            identity = f"{key}|{item.dedup_key}".encode("utf-8", "surrogatepass")
            source_key = f"{self.format_module}:{hashlib.sha256(identity).hexdigest()[:40]}"
        original_id = self.original.id
        if item.original_ref is not None:
            original_id = self._refs.get(item.original_ref, original_id)
        if not item.attachment_refs:
            # The row of a NewEntry (store.entry_row) without making one: the parser's
            # ParsedEntry has already checked what NewEntry would check (honest time).
            direction, call_type = item.direction, item.call_type
            self._batch.append(
                (
                    item.kind.value,
                    item.occurred_ms,
                    offset,
                    item.time_source.value,
                    item.time_precision.value,
                    direction.value if direction else None,
                    item.party,
                    key,
                    item.party_name,
                    item.text,
                    original_id,
                    call_type.value if call_type else None,
                    item.duration_s,
                    item.thread_key,
                    source_key,
                    meta_json(item.meta),
                    self.change.at,
                )
            )
            return
        self._flush()  # entries keep the order the parser gave them
        entry_id = add_entry(
            self.change,
            NewEntry(
                kind=item.kind,
                occurred_ms=item.occurred_ms,
                time_source=item.time_source,
                utc_offset_min=offset,
                time_precision=item.time_precision,
                direction=item.direction,
                party=item.party,
                party_key=key,
                party_name=item.party_name,
                text=item.text,
                original_id=original_id,
                call_type=item.call_type,
                duration_s=item.duration_s,
                thread_key=item.thread_key,
                source_key=source_key,
                meta=item.meta,
            ),
        )
        earlier = entry_id is None
        if entry_id is None:
            self.duplicates += 1
            # Already stored from another export of the same conversation (a chat's
            # text alone, or its export without media): its files belong there too.
            entry_id = self._stored_id(source_key)
            if entry_id is None:
                return
            if not self._waits_for_files(entry_id):
                # It has files of its own, or never named one: another export's files
                # are not added to it (a look-alike chat could bring doctored ones).
                self.links_refused += 1
                return
        else:
            self.entries_added += 1
        position = self._next_position(entry_id) if earlier else 0
        for ref in item.attachment_refs:
            attachment_id = self._refs.get(ref)
            if attachment_id is not None and link_attachment(
                self.change, entry_id, attachment_id, position
            ):
                position += 1
                self.linked_to_earlier += earlier

    def _stored_id(self, source_key: str | None) -> int | None:
        """The entry already stored under *source_key* (None without one)."""
        if source_key is None:
            return None
        row = self.change.conn.execute(
            "SELECT id FROM entries WHERE source_key = ?", (source_key,)
        ).fetchone()
        return None if row is None else int(row[0])

    def _waits_for_files(self, entry_id: int) -> bool:
        """An earlier export's message whose file that export left out: "<Media
        omitted>", "image omitted", or a file it named but did not hold (a chat's
        text without its zip), and that has no file linked yet."""
        row = self.change.conn.execute(
            "SELECT meta_json, EXISTS (SELECT 1 FROM entry_attachments WHERE entry_id = ?) "
            "FROM entries WHERE id = ?",
            (entry_id, entry_id),
        ).fetchone()
        if row is None or row[1]:
            return False
        meta = json.loads(row[0] or "{}")
        return bool(meta.get("media_omitted") or meta.get("attached_files"))

    def _next_position(self, entry_id: int) -> int:
        (position,) = self.change.conn.execute(
            "SELECT coalesce(max(position) + 1, 0) FROM entry_attachments WHERE entry_id = ?",
            (entry_id,),
        ).fetchone()
        return int(position)

    def record(self, status: str) -> None:
        """Save how this file was read (the UI and a later re-read use it)."""
        self.change.conn.execute(
            "INSERT OR REPLACE INTO original_parses (original_id, format, status, entries_added, "
            "duplicates, messages_json, parsed_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                self.original.id,
                self.format_module or None,
                status,
                self.entries_added,
                self.duplicates,
                json.dumps(self.notes + self.problems, ensure_ascii=False),
                self.change.at,
            ),
        )


def sentences(notes: list[str]) -> str:
    """Notes as one text: sentences follow each other; bare phrases are joined by ";"."""
    joined = ""
    for note in notes:
        if joined:
            joined += " " if joined.endswith((".", "!", "?", ")")) else "; "
        joined += note
    return joined


def entries_record(change: Change, first_id: int) -> dict[str, object]:
    """What the audit row keeps of the entries this file added (see verify)."""
    # New entries start above every recorded id (evidence.store), not always right
    # after the newest entry: the range starts where they did.
    first_id = max(first_id, min(change.entry_floor or 0, last_entry_id(change.conn)))
    last_id = last_entry_id(change.conn)
    return {
        "entries_added": last_id - first_id,
        "entry_ids": [first_id, last_id],
        "entries_sha256": entries_fingerprint(change.conn, first_id, last_id),
    }
