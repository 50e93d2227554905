"""Writing originals and entries inside a vault change, and reading originals back."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, BinaryIO

from nco_desktop.evidence.records import NewEntry, Original
from nco_desktop.vault import Change
from nco_desktop.vault.blobs import put_stream
from nco_desktop.vault.connection import Connection

_ORIGINAL_COLUMNS = (
    "id, blob_id, sha256, size, original_name, media_type, imported_at, import_source, "
    "source_mtime_ms, container_id"
)


def find_original(conn: Connection, sha256: str) -> Original | None:
    row = conn.execute(
        f"SELECT {_ORIGINAL_COLUMNS} FROM originals WHERE sha256 = ?", (sha256,)
    ).fetchone()
    return None if row is None else Original(*row)


def get_original(conn: Connection, original_id: int) -> Original:
    row = conn.execute(
        f"SELECT {_ORIGINAL_COLUMNS} FROM originals WHERE id = ?", (original_id,)
    ).fetchone()
    if row is None:
        raise LookupError(f"no original #{original_id}")
    return Original(*row)


def add_original(
    change: Change,
    source: BinaryIO,
    *,
    name: str,
    media_type: str,
    import_source: str,
    expected_sha256: str | None = None,
    source_mtime_ms: int | None = None,
    container_id: int | None = None,
) -> tuple[Original, bool]:
    """Store *source* byte for byte; return (original, created).

    When the same bytes are already an original, nothing is written and the existing
    one is returned with ``created`` False: identical originals are stored once.
    """
    blob = put_stream(change.conn, source, expected_sha256=expected_sha256)
    existing = find_original(change.conn, blob.sha256)
    if existing is not None:
        return existing, False
    cursor = change.conn.execute(
        "INSERT INTO originals (blob_id, sha256, size, original_name, media_type, "
        "imported_at, import_source, source_mtime_ms, container_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            blob.id,
            blob.sha256,
            blob.size,
            name,
            media_type,
            change.at,
            import_source,
            source_mtime_ms,
            container_id,
        ),
    )
    original = get_original(change.conn, int(cursor.lastrowid or 0))
    change.audit(
        "original.added",
        original_id=original.id,
        sha256=original.sha256,
        size=original.size,
        name=name,
    )
    return original, True


def _c_encoder(*, sort_keys: bool) -> Callable[[Any], str]:
    """``json.dumps(value, ensure_ascii=False, sort_keys=sort_keys)``, byte for byte, from
    one C encoder made once: ``dumps`` makes a new one per call, which cost a quarter of
    a 100,000-entry fingerprint and of storing as many entries' ``meta``."""
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:  # an interpreter without the C accelerator
        return functools.partial(json.dumps, ensure_ascii=False, sort_keys=sort_keys)
    defaults = json.JSONEncoder(ensure_ascii=False)
    encoder = make(
        None,  # no circular check: nothing shared between threads; values here are trees
        defaults.default,
        json.encoder.encode_basestring,
        None,  # indent
        defaults.key_separator,
        defaults.item_separator,
        sort_keys,
        False,  # skipkeys
        True,  # allow_nan
    )
    return lambda value: "".join(encoder(value, 0))


#: What ``meta_json`` holds: ``json.dumps(meta, ensure_ascii=False, sort_keys=True)``.
meta_json = _c_encoder(sort_keys=True)
#: A fingerprinted row as ``json.dumps(row, ensure_ascii=False)`` writes it.
_row_json = _c_encoder(sort_keys=False)

#: One entry as :func:`add_entry_rows` writes it: the values of these columns, in order.
EntryRow = tuple[object, ...]
ENTRY_ROW_COLUMNS = (
    "kind, occurred_ms, utc_offset_min, time_source, time_precision, direction, party, "
    "party_key, party_name, text, original_id, call_type, duration_s, thread_key, "
    "source_key, meta_json, created_at"
)


_INSERT_ENTRY = (
    f"INSERT INTO entries ({ENTRY_ROW_COLUMNS}) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
    "ON CONFLICT (source_key) DO NOTHING"
)


def entry_row(entry: NewEntry, at: str) -> EntryRow:
    """*entry* as the row :func:`add_entry_rows` takes; *at*: the change's time."""
    return (
        entry.kind.value,
        entry.occurred_ms,
        entry.utc_offset_min,
        entry.time_source.value,
        entry.time_precision.value,
        entry.direction.value if entry.direction else None,
        entry.party,
        entry.party_key,
        entry.party_name,
        entry.text,
        entry.original_id,
        entry.call_type.value if entry.call_type else None,
        entry.duration_s,
        entry.thread_key,
        entry.source_key,
        meta_json(entry.meta),
        at,
    )


def add_entry(change: Change, entry: NewEntry) -> int | None:
    """Write one timeline entry; None when its source_key is already in the vault.

    The caller audits the user action this entry belongs to (one row per imported
    file, with its count), not every entry: a 100,000-message backup is one action.

    ``source_key`` identifies a record within an export (a message's thread, time and
    text), so importing two overlapping phone backups does not double anything.
    """
    with _above_recorded_ids(change):
        cursor = change.conn.execute(_INSERT_ENTRY, entry_row(entry, change.at))
    if cursor.rowcount == 0:
        return None
    return int(cursor.lastrowid or 0)


@contextlib.contextmanager
def _above_recorded_ids(change: Change) -> Iterator[None]:
    """New entries take ids above every id an import's audit row recorded.

    SQLite gives a new row max(id) + 1, so once the newest entries are deleted (for
    good, by the user) their ids come back, inside the range an earlier import
    recorded, and ``verify`` would see that import's entries "changed". While the
    newest entry is below the highest recorded id, a placeholder holds that id for
    the insert and goes in the same transaction: nothing of it is ever stored.
    """
    conn = change.conn
    if change.entry_floor is None:
        (floor,) = conn.execute(
            "SELECT coalesce(max(CAST(json_extract(details_json, '$.entry_ids[1]') AS "
            "INTEGER)), 0) FROM audit_log WHERE action IN ('import.file', ?)",
            (KEPT_ACTION,),
        ).fetchone()
        change.entry_floor = int(floor)
    floor = change.entry_floor
    if last_entry_id(conn) >= floor:
        yield
        return
    conn.execute(
        "INSERT INTO entries (id, kind, time_source, time_precision, meta_json, created_at) "
        "VALUES (?, 'note', 'unknown', 'unknown', '{}', ?)",
        (floor, change.at),
    )
    try:
        yield
    finally:
        conn.execute("DELETE FROM entries WHERE id = ?", (floor,))


def add_entry_rows(change: Change, rows: Sequence[EntryRow]) -> int:
    """Write many entries with one prepared statement; returns how many were new.

    For entries nothing refers to by id (a backup's plain messages), built by
    :func:`entry_row` or in the same column order (:data:`ENTRY_ROW_COLUMNS`), from
    values already checked as a :class:`NewEntry` checks them. One ``executemany``
    costs a fraction of a statement per row from Python. A row whose source_key is
    already in the vault (or earlier in *rows*) is skipped, as :func:`add_entry` does.
    """
    if not rows:
        return 0
    with _above_recorded_ids(change):
        return _insert_rows(change.conn, rows)


def _insert_rows(conn: Connection, rows: Sequence[EntryRow]) -> int:
    if not (_rows_pass_checks(rows) and _checks_are_known(conn)):
        return int(conn.executemany(_INSERT_ENTRY, rows).rowcount)  # SQLite checks each
    # Every row passed the table's CHECK constraints here, in Python, exactly as SQLite
    # words them; SQLite's own pass over them builds three temporary lists per row and
    # was 40 % of a backup's insert. NOT NULL, UNIQUE and foreign keys stay checked.
    conn.execute("PRAGMA ignore_check_constraints = ON")
    try:
        return int(conn.executemany(_INSERT_ENTRY, rows).rowcount)
    finally:
        conn.execute("PRAGMA ignore_check_constraints = OFF")


#: The entries table's CHECK constraints (schema.py), as :func:`_rows_pass_checks`
#: applies them to a row in :data:`ENTRY_ROW_COLUMNS` order.
_CHECKS = (
    "kind IN ('message','call','email','image','document','audio','note','incident')",
    "utc_offset_min BETWEEN -1080 AND 1080",
    "time_precision IN ('millisecond','second','minute','day','unknown')",
    "direction IN ('incoming','outgoing')",
    "call_type IN ('incoming','outgoing','missed','voicemail','rejected','blocked')",
    "duration_s >= 0",
)
_KINDS = frozenset({"message", "call", "email", "image", "document", "audio", "note", "incident"})
_PRECISIONS = frozenset({"millisecond", "second", "minute", "day", "unknown"})
_DIRECTIONS = frozenset({"incoming", "outgoing"})
_CALL_TYPES = frozenset({"incoming", "outgoing", "missed", "voicemail", "rejected", "blocked"})


def _rows_pass_checks(rows: Sequence[EntryRow]) -> bool:
    """Whether every row passes :data:`_CHECKS`, with exact types only (a str where
    a text is checked, an int where a number is): anything else is left to SQLite."""
    for row in rows:
        kind, offset, precision, direction = row[0], row[2], row[4], row[5]
        call_type, duration = row[11], row[12]
        if type(kind) is not str or kind not in _KINDS:
            return False
        if type(precision) is not str or precision not in _PRECISIONS:
            return False
        if offset is not None and (type(offset) is not int or not -1080 <= offset <= 1080):
            return False
        if direction is not None and (type(direction) is not str or direction not in _DIRECTIONS):
            return False
        if call_type is not None and (type(call_type) is not str or call_type not in _CALL_TYPES):
            return False
        if duration is not None and (type(duration) is not int or duration < 0):
            return False
    return True


def _checks_are_known(conn: Connection) -> bool:
    """The entries table has exactly :data:`_CHECKS` and no trigger (a later schema
    or a temporary trigger could add what the Python check does not know)."""
    row = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'entries'")
    found = row.fetchone()
    if found is None:
        return False
    sql = " ".join(str(found[0]).split()).replace("( ", "(").replace(" )", ")")
    if sql.upper().count("CHECK") != len(_CHECKS):
        return False
    if not all(f"CHECK ({check})" in sql for check in _CHECKS):
        return False
    (triggers,) = conn.execute(
        "SELECT (SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND "
        "tbl_name = 'entries') + (SELECT count(*) FROM sqlite_temp_master WHERE "
        "type = 'trigger' AND tbl_name = 'entries')"
    ).fetchone()
    return int(triggers) == 0


def link_attachment(change: Change, entry_id: int, original_id: int, position: int) -> bool:
    """Link a file to an entry; False when it was already linked."""
    cursor = change.conn.execute(
        "INSERT OR IGNORE INTO entry_attachments (entry_id, original_id, position) "
        "VALUES (?, ?, ?)",
        (entry_id, original_id, position),
    )
    return cursor.rowcount > 0


_FINGERPRINTED = (
    "id, kind, occurred_ms, utc_offset_min, time_source, time_precision, direction, party, "
    "party_key, party_name, text, original_id, call_type, duration_s, thread_key, source_key, "
    "meta_json"
)


def last_entry_id(conn: Connection) -> int:
    (last,) = conn.execute("SELECT coalesce(max(id), 0) FROM entries").fetchone()
    return int(last)


def entries_fingerprint(conn: Connection, after_id: int, up_to_id: int) -> str:
    """SHA-256 over the entries with ids in (after_id, up_to_id], as stored.

    Recorded in the audit row of the import that wrote them, so ``verify`` notices an
    entry edited, re-dated, moved to another person, or deleted after import. Entries
    are never edited in place by the program: the user's own notes live elsewhere.
    """
    digest = hashlib.sha256()
    cursor = conn.execute(
        f"SELECT {_FINGERPRINTED} FROM entries WHERE id > ? AND id <= ? ORDER BY id",
        (after_id, up_to_id),
    )
    while rows := cursor.fetchmany(1000):  # each row's JSON and a newline, as one update
        text = "\n".join(map(_row_json, rows)) + "\n"
        digest.update(text.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


#: The audit-details key under which a later change records each import's new
#: fingerprint ({"<import audit seq>": sha256}): a time the user corrected, an entry
#: deleted for good. ``verify`` then checks each import against its latest fingerprint.
REFINGERPRINT_KEY = "import_fingerprints"
#: A salvaged vault's record of entries that still match their import's fingerprint
#: (see nco_desktop.salvage): verify checks them as it checks an import's.
KEPT_ACTION = "salvage.entries_kept"


def expected_fingerprints(
    conn: Connection, table: str = "audit_log"
) -> dict[int, tuple[int, int, str]]:
    """For each import that fingerprinted its entries: (after_id, up_to_id, sha256), the
    sha256 being the latest one the audit log recorded for that range. *table*: a log
    of the same shape (a salvaged vault's log from before the salvage)."""
    found: dict[int, tuple[int, int, str]] = {}
    for seq, action, details in conn.execute(
        f'SELECT seq, action, details_json FROM "{table}" '
        "WHERE action IN ('import.file', ?) OR instr(details_json, ?) ORDER BY seq",
        (KEPT_ACTION, f'"{REFINGERPRINT_KEY}"'),
    ):
        record = json.loads(details)
        if action in ("import.file", KEPT_ACTION) and "entries_sha256" in record:
            first_id, last_id = record["entry_ids"]
            found[int(seq)] = (int(first_id), int(last_id), str(record["entries_sha256"]))
        for key, sha in dict(record.get(REFINGERPRINT_KEY) or {}).items():
            if int(key) in found:
                first_id, last_id, _ = found[int(key)]
                found[int(key)] = (first_id, last_id, str(sha))
    return found


class EvidenceAltered(RuntimeError):
    """Entries no longer match what the audit log recorded; nothing more is changed
    on top of them, so that ``verify`` keeps saying so."""


def imports_holding(conn: Connection, entry_ids: Iterable[int]) -> dict[int, tuple[int, int]]:
    """The imports whose fingerprinted entries include any of *entry_ids*, each checked
    first: EvidenceAltered if one no longer matches its recorded fingerprint (a change
    made now must not launder an earlier, unrecorded one)."""
    ids = set(entry_ids)
    held: dict[int, tuple[int, int]] = {}
    for seq, (first_id, last_id, sha) in expected_fingerprints(conn).items():
        if not any(first_id < i <= last_id for i in ids):
            continue
        if entries_fingerprint(conn, first_id, last_id) != sha:
            raise EvidenceAltered(
                "Some entries were changed outside the program since they were imported. "
                "Nothing was changed now; run Verify to see which."
            )
        held[seq] = (first_id, last_id)
    return held


def new_fingerprints(conn: Connection, held: dict[int, tuple[int, int]]) -> dict[str, str]:
    """The fingerprints of *held* imports as they are now (after the change), for the
    change's audit row under :data:`REFINGERPRINT_KEY`."""
    return {str(seq): entries_fingerprint(conn, a, b) for seq, (a, b) in sorted(held.items())}
