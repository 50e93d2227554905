"""Salvage's checks on the new vault: originals hashed again, links to what was lost,
import fingerprints, and whether a rebuilt first page can be trusted.

See :mod:`nco_desktop.salvage` for the whole; each check says what it found in the
report, so nothing is dropped without a word.
"""

from __future__ import annotations

import json

from nco_desktop.evidence.store import entries_fingerprint, expected_fingerprints
from nco_desktop.salvage_report import LostOriginal, SalvageReport
from nco_desktop.vault import Vault
from nco_desktop.vault.blobs import hash_stored
from nco_desktop.vault.connection import Connection, DatabaseError
from nco_desktop.vault.salvage_rows import RowReader
from nco_desktop.vault.schema import LATEST_VERSION
from nco_desktop.vault.vault import HEADER_SETTING

OLD_LOG = "audit_log_before_salvage"
_ELSEWHERE = (
    "its tables are not where a new vault's are (it was made by an earlier version, or "
    "its file was rewritten whole by a passphrase change, a restore or a backup)"
)
#: Changes after which a vault's tables no longer sit where a new vault puts them.
_MOVED_ACTIONS = ("vault.passphrase_changed", "vault.restored")


def keep_checked_originals(vault: Vault, report: SalvageReport) -> None:
    """Hash every original again; remove those that do not match (and their bytes),
    and the rebuildable pictures made from originals whose bytes do not check."""
    conn = vault.conn
    rows = conn.execute(
        "SELECT id, blob_id, sha256, size, original_name FROM originals ORDER BY id"
    ).fetchall()
    lost: list[LostOriginal] = []
    conn.execute("BEGIN IMMEDIATE")
    try:
        for original_id, blob_id, sha256, size, name in rows:
            if _stored_matches(conn, blob_id, sha256, size):
                report.originals_kept.append((int(original_id), str(sha256)))
                continue
            lost.append(LostOriginal(int(original_id), str(name), str(sha256), int(size)))
            unlinked = conn.execute(
                "UPDATE entries SET original_id = NULL WHERE original_id = ?", (original_id,)
            )
            report.entries_unlinked += max(0, unlinked.rowcount)
            for table in (
                "entry_attachments",
                "derivatives",
                "ocr_pages",
                "picture_redactions",
                "original_parses",
            ):
                conn.execute(f"DELETE FROM {table} WHERE original_id = ?", (original_id,))
            conn.execute(
                "UPDATE originals SET container_id = NULL WHERE container_id = ?", (original_id,)
            )
            conn.execute("DELETE FROM originals WHERE id = ?", (original_id,))
        for derivative_id, blob_id in conn.execute(
            "SELECT d.id, d.blob_id FROM derivatives d"
        ).fetchall():
            blob = conn.execute(
                "SELECT sha256, size FROM blobs WHERE id = ?", (blob_id,)
            ).fetchone()
            if blob is None or not _stored_matches(conn, blob_id, blob[0], blob[1]):
                conn.execute("DELETE FROM derivatives WHERE id = ?", (derivative_id,))
                report.rebuildable_dropped += 1
        _drop_unused_blobs(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    report.originals_lost = lost
    report.originals_never_found = _audited_but_absent(vault, report)


def _stored_matches(conn: Connection, blob_id: int, sha256: str, size: int) -> bool:
    try:
        return hash_stored(conn, blob_id) == (sha256, size)
    except (LookupError, TypeError, DatabaseError):
        return False


def _drop_unused_blobs(conn: Connection) -> None:
    """Bytes no original or picture uses any more (a lost original's, or a blob whose
    record survived while its chunks did not)."""
    conn.execute(
        "DELETE FROM blobs WHERE id NOT IN (SELECT blob_id FROM originals) "
        "AND id NOT IN (SELECT blob_id FROM derivatives)"
    )
    conn.execute("DELETE FROM blob_chunks WHERE blob_id NOT IN (SELECT id FROM blobs)")


def _audited_but_absent(vault: Vault, report: SalvageReport) -> list[LostOriginal]:
    """Originals the old audit log recorded at import (and never deleted) whose rows
    did not read at all: named by the log, so nothing is lost without a word."""
    recorded: dict[int, LostOriginal] = {}
    for action, details in vault.conn.execute(
        f"SELECT action, details_json FROM {OLD_LOG} "
        "WHERE action IN ('original.added', 'original.deleted') ORDER BY seq"
    ):
        record = json.loads(details)
        number = int(record.get("original_id", 0))
        if action == "original.deleted":
            recorded.pop(number, None)
            continue
        recorded[number] = LostOriginal(
            number,
            str(record.get("name", "")),
            str(record.get("sha256", "")),
            int(record.get("size", 0)),
        )
    known = {number for number, _ in report.originals_kept} | {
        lost.id for lost in report.originals_lost
    }
    return [lost for number, lost in sorted(recorded.items()) if number not in known]


def drop_dangling_links(conn: Connection, report: SalvageReport) -> None:
    """Rows that point at a row that was lost: a link that can be emptied is, a row
    that is only a link (an attachment, an exhibit's item) is removed."""
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("BEGIN IMMEDIATE")
    try:
        for _ in range(8):  # removing a row can leave another pointing at nothing
            found = conn.execute("PRAGMA foreign_key_check").fetchall()
            if not found:
                break
            for table, rowid, parent, fk_index in found:
                column, nullable = _fk_column(conn, str(table), int(fk_index))
                if nullable:
                    conn.execute(
                        f'UPDATE "{table}" SET "{column}" = NULL WHERE rowid = ?', (rowid,)
                    )
                else:
                    conn.execute(f'DELETE FROM "{table}" WHERE rowid = ?', (rowid,))
                key = f"{table} → {parent}"
                report.links_dropped[key] = report.links_dropped.get(key, 0) + 1
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("PRAGMA foreign_keys = ON")


def _fk_column(conn: Connection, table: str, fk_index: int) -> tuple[str, bool]:
    column = next(
        str(row[3])
        for row in conn.execute(f'PRAGMA foreign_key_list("{table}")')
        if int(row[0]) == fk_index
    )
    not_null = {str(row[1]): bool(row[3]) for row in conn.execute(f'PRAGMA table_info("{table}")')}
    return column, not not_null.get(column, True)


def layout_doubt(reader: RowReader, salt: bytes) -> str | None:
    """Why the tables of a vault whose first page was made afresh may not sit where
    a new vault puts them (None: they do). They do for a vault this version made and
    whose file was never rewritten whole: its log begins with every schema step and
    its creation, has no passphrase change or restore, and its recorded header is its
    own (a backup records its source's)."""
    first = reader.fetchall(
        "SELECT seq, action, details_json FROM audit_log WHERE seq <= ? ORDER BY seq",
        LATEST_VERSION + 1,
    )
    expected = [(n, "vault.schema_migrated") for n in range(1, LATEST_VERSION + 1)]
    expected.append((LATEST_VERSION + 1, "vault.created"))
    if first is None or [(int(row[0]), row[1]) for row in first] != expected:
        return _ELSEWHERE
    try:
        steps = [json.loads(str(row[2])).get("to_version") for row in first[:-1]]
    except (ValueError, AttributeError):
        return _ELSEWHERE
    if steps != list(range(1, LATEST_VERSION + 1)):
        return _ELSEWHERE
    marks = ", ".join("?" for _ in _MOVED_ACTIONS)
    moved = reader.fetchall(
        f"SELECT count(*) FROM audit_log WHERE action IN ({marks})", *_MOVED_ACTIONS
    )
    if moved is None or moved[0][0]:
        return "its file was rewritten whole (a passphrase change or a restore)"
    header = reader.fetchall(
        "SELECT value_json FROM settings NOT INDEXED WHERE key = ?", HEADER_SETTING
    )
    if header and json.loads(str(header[0][0])) != salt.hex():
        return "it is a copy of another vault (a backup)"
    return None


def fingerprints_before(conn: Connection) -> list[tuple[int, int, int, bool]]:
    """For each import the old log fingerprinted: (its seq, first id, last id, whether
    the copied entries still match), before the salvage changes any of them."""
    return [
        (seq, first, last, entries_fingerprint(conn, first, last) == sha)
        for seq, (first, last, sha) in expected_fingerprints(conn, OLD_LOG).items()
    ]
