"""Reading a stored export again with other settings: its entries are replaced (#18).

A chat read month-first that was day-first, or imported before the user said which
sender they are, is wrong on the timeline; importing the same file again used to be
refused as a duplicate, and a mapping option left the misdated copies beside the
right ones. With ``--again`` (see :func:`importers.batch.import_paths`) the file is
parsed anew and, in the same one transaction:

- the entries its earlier imports added (the ranges their audit rows recorded) are
  checked against those records, set aside while the new reading is written (so the
  new entries take new ids, never one an earlier import's record covers), then
  deleted;
- what the user built on them moves to the new entries: incident and exhibit links,
  notes, transcripts, translations, hidden marks, and files linked from other exports.
  Entries are matched by the line of the export they came from where the format records
  it, else by their order;
- the original is untouched (same bytes, same SHA-256), and the audit row says what
  was replaced.

Nothing is replaced when the user's work cannot be carried over: an entry whose time
or person the user set by hand, user work on an entry the new reading has no match
for (or whose match says something else), an entry the user deleted for good (a new
reading would bring it back), or a file whose import this vault's log does not hold
(a salvaged vault). The import then says why, and the vault is as it was.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from nco_desktop.evidence.store import (
    REFINGERPRINT_KEY,
    EvidenceAltered,
    imports_holding,
    new_fingerprints,
)
from nco_desktop.vault.connection import Connection

#: Tables holding the user's own work on an entry, with the columns besides entry_id.
_CARRIED = {
    "incident_evidence": ("incident_entry_id",),
    "exhibit_items": ("exhibit_id", "position"),
    "entry_notes": ("text", "updated_at"),
    "entry_transcripts": ("text", "updated_at"),
    "entry_translations": ("language", "text", "translator", "updated_at"),
    "hidden_entries": ("reason", "hidden_at"),
}
#: Changes the user made to the entry itself: a new reading would silently undo them.
_SET_BY_HAND = {
    "entry_time_corrections": "a time you corrected",
    "entry_party_choices": "a person you chose",
}


class CannotReread(Exception):
    """Reading the file again would lose the user's work: nothing is changed."""


@dataclass
class Replaced:
    """The earlier entries of one export, and the user's work on them, held in memory
    while the new reading is written."""

    entry_ids: list[int]
    held: dict[int, tuple[int, int]]
    keys: dict[int, object]  # entry id → its match key (line, or position)
    said: dict[int, tuple[str, str]] = field(default_factory=dict)  # id → (kind, text)
    work: dict[str, list[tuple[object, ...]]] = field(default_factory=dict)
    links: list[tuple[int, int, int]] = field(default_factory=list)  # other exports' files


def _ranges(conn: Connection, original_id: int) -> list[tuple[int, int]]:
    """The (after, up to] id ranges the imports of *original_id* recorded."""
    found: list[tuple[int, int]] = []
    for (details,) in conn.execute(
        "SELECT details_json FROM audit_log WHERE action = 'import.file' AND "
        "json_extract(details_json, '$.original_id') = ?",
        (original_id,),
    ):
        first, last = json.loads(details).get("entry_ids") or (0, 0)
        found.append((int(first), int(last)))
    return found


def export_entry_ids(conn: Connection, original_id: int) -> list[int]:
    """The entries the imports of *original_id* added and that are still there."""
    ids: set[int] = set()
    for first, last in _ranges(conn, original_id):
        ids.update(
            int(row[0])
            for row in conn.execute(
                "SELECT id FROM entries WHERE id > ? AND id <= ? AND kind <> 'incident'",
                (first, last),
            )
        )
    return sorted(ids)


def _refuse_what_cannot_be_replaced(conn: Connection, original_id: int) -> None:
    """CannotReread for a file whose entries a re-read would not replace faithfully."""
    ranges = _ranges(conn, original_id)
    if not ranges:
        (stored,) = conn.execute(
            "SELECT count(*) FROM entries WHERE original_id = ?", (original_id,)
        ).fetchone()
        if stored:
            raise CannotReread(
                "this vault's log does not record which entries its import added (the "
                "vault was salvaged), so they cannot be told apart. Nothing was changed"
            )
    deleted = 0
    for (details,) in conn.execute(
        "SELECT details_json FROM audit_log WHERE action = 'entry.deleted'"
    ):
        ids = json.loads(details).get("entry_ids") or []
        deleted += sum(1 for i in ids if any(a < int(i) <= b for a, b in ranges))
    if deleted:
        raise CannotReread(
            f"{deleted} of its entries {'was' if deleted == 1 else 'were'} deleted for good; "
            "reading the file again would bring them back. Nothing was changed"
        )


def take_out(conn: Connection, original_id: int) -> Replaced:
    """Check and remember the entries *original_id*'s imports added, and set them
    aside (no source key) until :func:`put_back` deletes them."""
    _refuse_what_cannot_be_replaced(conn, original_id)
    ids = export_entry_ids(conn, original_id)
    try:
        held = imports_holding(conn, ids)
    except EvidenceAltered as exc:
        raise CannotReread(str(exc)) from None
    replaced = Replaced(ids, held, _match_keys(conn, ids))
    for chunk in _chunks(ids):
        marks = ", ".join("?" for _ in chunk)
        for table, why in _SET_BY_HAND.items():
            (count,) = conn.execute(
                f"SELECT count(*) FROM {table} WHERE entry_id IN ({marks})", chunk
            ).fetchone()
            if count:
                raise CannotReread(
                    f"{count} of its entries {'has' if count == 1 else 'have'} {why}; "
                    "reading the file again would undo that. Nothing was changed"
                )
        for table, columns in _CARRIED.items():
            replaced.work.setdefault(table, []).extend(
                conn.execute(
                    f"SELECT entry_id, {', '.join(columns)} FROM {table} "
                    f"WHERE entry_id IN ({marks})",
                    chunk,
                ).fetchall()
            )
        replaced.links += conn.execute(
            "SELECT a.entry_id, a.original_id, a.position FROM entry_attachments a "
            "JOIN originals o ON o.id = a.original_id "
            f"WHERE a.entry_id IN ({marks}) AND coalesce(o.container_id, 0) <> ?",
            [*chunk, original_id],
        ).fetchall()
    replaced.said = _said(conn, ids)
    for chunk in _chunks(ids):
        marks = ", ".join("?" for _ in chunk)
        # Kept until the new reading is written, so its entries take ids above them
        # (SQLite gives max(id) + 1): an id an earlier import's record covers is
        # never given again. Without a source key they cannot make the new ones
        # duplicates.
        conn.execute(f"UPDATE entries SET source_key = NULL WHERE id IN ({marks})", chunk)
    return replaced


def put_back(conn: Connection, replaced: Replaced, new_ids: Sequence[int]) -> dict[str, object]:
    """Move the user's work to the entries *new_ids* that match; what the audit row
    keeps (counts, and each earlier import's new fingerprint)."""
    new_keys = _match_keys(conn, list(new_ids))
    by_key = {key: entry_id for entry_id, key in new_keys.items()}
    mapping = {old: by_key[key] for old, key in replaced.keys.items() if key in by_key}
    worked_on = {int(str(row[0])) for rows in replaced.work.values() for row in rows}
    worked_on |= {row[0] for row in replaced.links}
    by_place = any(key[0] == "place" for key in replaced.keys.values() if isinstance(key, tuple))
    if by_place and len(new_keys) != len(replaced.keys):
        mapping = {}  # a place in a different list of entries names another entry
    said = _said(conn, [mapping[i] for i in worked_on if i in mapping])
    lost = sorted(i for i in worked_on if said.get(mapping.get(i, -1)) != replaced.said.get(i))
    if lost:
        raise CannotReread(
            f"{len(lost)} of its entries that you used (in an incident, an exhibit, a note, "
            "a transcript or a translation, or hidden) have no match in the new reading. "
            "Nothing was changed"
        )
    moved = 0
    for table, rows in replaced.work.items():
        columns = ("entry_id", *_CARRIED[table])
        marks = ", ".join("?" for _ in columns)
        for entry_id, *rest in rows:
            conn.execute(
                f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                (mapping[int(str(entry_id))], *rest),
            )
            moved += 1
    for entry_id, attachment_id, position in replaced.links:
        conn.execute(
            "INSERT OR IGNORE INTO entry_attachments (entry_id, original_id, position) "
            "VALUES (?, ?, ?)",
            (mapping[entry_id], attachment_id, position),
        )
    for chunk in _chunks(replaced.entry_ids):
        marks = ", ".join("?" for _ in chunk)
        conn.execute(f"DELETE FROM entries WHERE id IN ({marks})", chunk)
    return {
        "replaced": len(replaced.entry_ids),
        "read": len(new_ids),
        "carried_over": moved + len(replaced.links),
        REFINGERPRINT_KEY: new_fingerprints(conn, replaced.held),
    }


#: A new reading with fewer than this share of the entries it replaced is pointed out:
#: other settings (a wrong --map, another date order) can drop most of a file's lines.
FEWER_SHARE = 0.5


def replaced_note(replaced: Replaced, said: dict[str, object]) -> str:
    """What the import summary says of a file read again: how many entries it had, how
    many it has now, and plainly when far fewer came back."""
    moved = int(str(said.get("carried_over", 0)))
    count = len(replaced.entry_ids)
    read = int(str(said.get("read", count)))
    text = (
        f"Read again: the {count:,} {'entry' if count == 1 else 'entries'} it had put on "
        f"the timeline were replaced by this reading's {read:,}"
    )
    if moved:
        text += f"; {moved} links, notes or marks you made on them were kept"
    text += ". The file itself is unchanged."
    if read < count * FEWER_SHARE:
        text += (
            f" This reading found far fewer entries ({read:,}, against {count:,} before): "
            "if that is not what you expected, read it again with the settings you used "
            "the first time, and they come back."
        )
    return text


def _match_keys(conn: Connection, ids: list[int]) -> dict[int, object]:
    """Each entry's key for matching a new reading to the old: the export's line where
    every entry has one (chats), else the entry's place in the file."""
    lines: dict[int, object] = {}
    for chunk in _chunks(ids):
        marks = ", ".join("?" for _ in chunk)
        lines.update(
            conn.execute(
                f"SELECT id, json_extract(meta_json, '$.line') FROM entries WHERE id IN ({marks})",
                chunk,
            ).fetchall()
        )
    if ids and all(isinstance(lines.get(i), int) for i in ids):
        return {i: ("line", lines[i]) for i in ids}
    return {entry_id: ("place", place) for place, entry_id in enumerate(sorted(ids))}


def _said(conn: Connection, ids: list[int]) -> dict[int, tuple[str, str]]:
    """Each entry's kind and text: what a matched entry must still say."""
    found: dict[int, tuple[str, str]] = {}
    for chunk in _chunks(ids):
        marks = ", ".join("?" for _ in chunk)
        found.update(
            (int(i), (str(kind), str(text or "")))
            for i, kind, text in conn.execute(
                f"SELECT id, kind, text FROM entries WHERE id IN ({marks})", chunk
            )
        )
    return found


def _chunks(ids: list[int], size: int = 500) -> list[list[int]]:
    return [ids[start : start + size] for start in range(0, len(ids), size)]
