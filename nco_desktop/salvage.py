"""Salvage: a new vault from everything a damaged one still holds, and an exact report.

For a vault that no longer opens or verifies and has no good backup (issue #16). The
damaged file is only read (:mod:`nco_desktop.vault.salvage_source` reads a copy). The
new vault is made under a partial name and renamed into place when whole:

1. every row that still reads is copied, table by table, with its id
   (:mod:`nco_desktop.vault.salvage_rows`); the rows that do not read are named as
   ranges of ids;
2. every original is hashed again and kept only if it matches the SHA-256 taken at
   import; one that does not (a piece of it was on a damaged page) is removed and
   named with its file name and hash, so it can be imported again from wherever it
   came from. Pictures made from originals (thumbnails) that do not check are removed
   too: they are made again;
3. links to what was lost are removed (an entry keeps its text and time, and says
   nothing of a lost file);
4. the damaged vault's audit log is kept as it reads, beside a new one that begins
   with the salvage and records each original kept;
5. the new vault is verified before it takes its name.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from nco_desktop.salvage_report import LostOriginal, SalvageReport
from nco_desktop.vault import Vault
from nco_desktop.vault.audit import HEAD_SETTING, check_chain
from nco_desktop.vault.blobs import hash_stored
from nco_desktop.vault.connection import Connection, DatabaseError
from nco_desktop.vault.copying import fsync_dir, fsync_file
from nco_desktop.vault.errors import VaultExists
from nco_desktop.vault.partials import partial_path, sidecars
from nco_desktop.vault.salvage_rows import RowReader, TableReading
from nco_desktop.vault.salvage_source import Source, open_source
from nco_desktop.vault.vault import HEADER_SETTING
from nco_desktop.verification import verify_vault

OLD_LOG = "audit_log_before_salvage"
#: Settings that belong to the new file, not to the case: its identity, its log's head.
OWN_SETTINGS = (HEAD_SETTING, "vault_id", HEADER_SETTING)
_BATCH_BYTES = 32 << 20


@dataclass
class _Copied:
    tables: dict[str, TableReading] = field(default_factory=dict)


def salvage(
    damaged: Path, new: Path, passphrase: str, headers: list[bytes] | None = None
) -> SalvageReport:
    """Make *new* from what *damaged* still holds; return what was kept and lost.

    *headers*: vault headers to try before the file's own (the user's, a backup's)."""
    damaged, new = Path(damaged), Path(new)
    if new.exists():
        raise VaultExists(f"“{new}” already exists; choose a new name for the salvaged vault.")
    source = open_source(damaged, passphrase, new, headers)
    partial = partial_path(new)
    try:
        report = SalvageReport(damaged, new, source.pages, list(source.unreadable_pages))
        report.notes.extend(source.notes)
        reader = RowReader(source)
        try:
            zone = _old_setting(reader, "time_zone") or "UTC"
            old_head = _old_setting(reader, HEAD_SETTING)
            if isinstance(old_head, dict) and isinstance(old_head.get("seq"), int):
                report.old_log_recorded = int(old_head["seq"])
            vault = Vault.create(partial, passphrase, time_zone=str(zone), kdf=source.kdf)
            with vault:
                _copy_rows(reader, vault.conn, report)
                _keep_checked_originals(vault, report)
                _drop_dangling_links(vault.conn, report)
                _audit(vault, report, source)
                verified = verify_vault(vault)
                report.problems_after = list(verified.problems)
        finally:
            reader.close()
        fsync_file(partial)
        os.replace(partial, new)
        fsync_dir(new.parent)
        return report
    finally:
        source.remove()
        for leftover in (partial, *sidecars(partial)):
            leftover.unlink(missing_ok=True)


def _old_setting(reader: RowReader, key: str) -> object:
    value = reader.scalar("SELECT value_json FROM settings WHERE key = ?", key)
    try:
        return json.loads(str(value)) if value is not None else None
    except ValueError:
        return None


def _tables(conn: Connection) -> list[str]:
    return [
        str(name)
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY rowid"
        )
    ]


def _copy_rows(reader: RowReader, conn: Connection, report: SalvageReport) -> None:
    """Every row that reads, into the table of the same name, with its rowid; links
    are checked afterwards (a row may point at one that was lost)."""
    conn.execute("PRAGMA foreign_keys = OFF")
    listed = reader.table_names()
    if listed is None:
        report.notes.append("Its table of contents could not be read; none of it was copied.")
        return
    for table in _tables(conn):
        target = OLD_LOG if table == "audit_log" else table
        if table == OLD_LOG:
            continue
        reading = TableReading(table)
        report.tables[table] = reading
        have = reader.columns(table) if table in listed else None
        if have is None:
            reading.unreadable = "not found in the damaged vault"
            continue
        mine = [str(row[1]) for row in conn.execute(f'PRAGMA table_info("{target}")')]
        columns = [c for c in mine if c in have]
        _insert_all(conn, reader, table, target, columns, reading)


def _insert_all(
    conn: Connection,
    reader: RowReader,
    table: str,
    target: str,
    columns: list[str],
    reading: TableReading,
) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in range(len(columns) + 1))
    verb = "INSERT OR REPLACE" if table == "settings" else "INSERT"
    insert = f'{verb} INTO "{target}" (rowid, {names}) VALUES ({marks})'
    pending = 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        for row in reader.rows(table, columns, reading):
            if table == "settings" and row[columns.index("key") + 1] in OWN_SETTINGS:
                continue
            conn.execute(insert, row)
            pending += sum(len(v) for v in row if isinstance(v, bytes | str))
            if pending > _BATCH_BYTES:  # the new file is partial: batches keep the log small
                conn.execute("COMMIT")
                conn.execute("BEGIN IMMEDIATE")
                pending = 0
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _keep_checked_originals(vault: Vault, report: SalvageReport) -> None:
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


def _drop_dangling_links(conn: Connection, report: SalvageReport) -> None:
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


def _audit(vault: Vault, report: SalvageReport, source: Source) -> None:
    """The new log: each original kept (so verify finds its import record), then the
    salvage itself with its counts (no names: the log says what, the report says which)."""
    chain = check_chain(vault.conn, table=OLD_LOG, recorded_head=False)
    report.old_log_rows, report.old_log_break = chain.rows, chain.first_break
    with vault.change() as change:
        for number, sha256 in report.originals_kept:
            size = vault.conn.execute(
                "SELECT size FROM originals WHERE id = ?", (number,)
            ).fetchone()
            change.audit(
                "original.added",
                original_id=number,
                sha256=sha256,
                size=int(size[0]),
                salvaged=True,
            )
        change.audit(
            "vault.salvaged",
            pages=source.pages,
            unreadable_pages=len(source.unreadable_pages),
            rows_recovered={t: r.recovered for t, r in report.tables.items()},
            tables_incomplete=sorted(t for t, r in report.tables.items() if not r.complete),
            originals_kept=len(report.originals_kept),
            originals_lost=len(report.originals_lost) + len(report.originals_never_found),
            old_log_rows=report.old_log_rows,
            old_log_intact=report.old_log_break is None,
        )
