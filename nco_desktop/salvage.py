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
from pathlib import Path

from sqlcipher3 import IntegrityError

from nco_desktop.evidence.store import KEPT_ACTION, entries_fingerprint
from nco_desktop.salvage_checks import (
    OLD_LOG,
    drop_dangling_links,
    fingerprints_before,
    keep_checked_originals,
    layout_doubt,
)
from nco_desktop.salvage_report import SalvageReport
from nco_desktop.timekeeping import load_zone
from nco_desktop.vault import Vault
from nco_desktop.vault.audit import HEAD_SETTING, check_chain
from nco_desktop.vault.connection import Connection
from nco_desktop.vault.copying import fsync_dir, fsync_file
from nco_desktop.vault.errors import VaultExists
from nco_desktop.vault.partials import PARTIAL_MARK, partial_path, sidecars
from nco_desktop.vault.salvage_rows import RowReader, TableReading
from nco_desktop.vault.salvage_source import SalvageRefused, Source, open_source
from nco_desktop.vault.vault import HEADER_SETTING
from nco_desktop.verification import verify_vault

#: Settings that belong to the new file, not to the case: its identity, its log's head.
OWN_SETTINGS = (HEAD_SETTING, "vault_id", HEADER_SETTING)
_BATCH_BYTES = 32 << 20
#: What a value of each declared column type must be: a row that is not (a page read
#: as another table's) is not copied.
_TYPES: dict[str, tuple[type, ...]] = {
    "INTEGER": (int,),
    "TEXT": (str,),
    "REAL": (float, int),
    "BLOB": (bytes,),
}


def salvage(
    damaged: Path, new: Path, passphrase: str, headers: list[bytes] | None = None
) -> SalvageReport:
    """Make *new* from what *damaged* still holds; return what was kept and lost.

    *headers*: vault headers to try before the file's own (the user's, a backup's)."""
    damaged, new = Path(damaged), Path(new)
    if new.exists():
        raise VaultExists(f"“{new}” already exists; choose a new name for the salvaged vault.")
    if not new.parent.is_dir():
        raise SalvageRefused(
            f"The folder “{new.parent}” does not exist; choose where the salvaged vault goes."
        )
    _remove_earlier_attempts(new)
    source = open_source(damaged, passphrase, new, headers)
    partial = partial_path(new)
    try:
        report = SalvageReport(damaged, new, source.pages, list(source.unreadable_pages))
        report.notes.extend(source.notes)
        reader = RowReader(source)
        try:
            if source.first_page_rebuilt:
                doubt = layout_doubt(reader, source.salt)
                if doubt is not None:
                    raise SalvageRefused(
                        f"The first page of “{damaged.name}” (its table of contents) is "
                        f"damaged, and its tables cannot be found safely without it: {doubt}. "
                        "Nothing was written. Restore a backup instead (nco-desktop restore)."
                    )
            zone = _time_zone(reader, report)
            vault = Vault.create(partial, passphrase, time_zone=zone, kdf=source.kdf)
            with vault:
                _copy_rows(reader, vault.conn, report)
                matched = fingerprints_before(vault.conn)
                keep_checked_originals(vault, report)
                drop_dangling_links(vault.conn, report)
                _audit(vault, report, source, matched)
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


def _remove_earlier_attempts(new: Path) -> None:
    """What a salvage into the same name, killed, left beside it (all encrypted)."""
    mark = f"{new.name}{PARTIAL_MARK}"
    for leftover in new.parent.iterdir():
        if mark in leftover.name and leftover.name.startswith("."):
            leftover.unlink(missing_ok=True)


def _old_setting(reader: RowReader, key: str) -> object:
    # Not through its index: a damaged index must not hide a setting that reads.
    value = reader.scalar("SELECT value_json FROM settings NOT INDEXED WHERE key = ?", key)
    try:
        return json.loads(str(value)) if value is not None else None
    except ValueError:
        return None


def _time_zone(reader: RowReader, report: SalvageReport) -> str:
    """The case's time zone: its setting, else what its log recorded at creation, else
    UTC, said in the report (times are shown in it)."""
    old_head = _old_setting(reader, HEAD_SETTING)
    if isinstance(old_head, dict) and isinstance(old_head.get("seq"), int):
        report.old_log_recorded = int(old_head["seq"])
    zone = _old_setting(reader, "time_zone")
    if isinstance(zone, str) and _known_zone(zone):
        return zone
    created = reader.scalar(
        "SELECT details_json FROM audit_log WHERE action = 'vault.created' ORDER BY seq LIMIT 1"
    )
    try:
        logged = json.loads(str(created)).get("time_zone") if created is not None else None
    except ValueError:
        logged = None
    if isinstance(logged, str) and _known_zone(logged):
        report.notes.append(
            f"Its settings did not read; times are shown in {logged}, the time zone its "
            "log recorded when it was created."
        )
        return logged
    report.notes.append("Its time zone could not be read; times are shown in UTC until you set it.")
    return "UTC"


def _known_zone(name: str) -> bool:
    """A time zone this computer knows (a damaged page can hold anything)."""
    try:
        load_zone(name)
    except (ValueError, OSError):
        return False
    return True


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
        report.contents_unread = True
        report.notes.append("Its table of contents could not be read; none of it was copied.")
        return
    for table in _tables(conn):
        target = OLD_LOG if table == "audit_log" else table
        if table == OLD_LOG:
            continue
        reading = TableReading(table)
        have = reader.columns(table) if table in listed else None
        if have is None:
            if table in listed:  # there, but its columns did not read
                reading.unreadable = "its description did not read"
                report.tables[table] = reading
            continue  # a table an older version did not have: nothing to lose
        report.tables[table] = reading
        info = conn.execute(f'PRAGMA table_info("{target}")').fetchall()
        columns = [str(row[1]) for row in info if str(row[1]) in have]
        types = {str(row[1]): str(row[2]).upper() for row in info}
        _insert_all(conn, reader, table, target, columns, [types[c] for c in columns], reading)


def _fits(row: tuple, types: list[str]) -> bool:
    """Whether each value is what its column holds (NULL left to the table's own rules)."""
    return all(
        value is None or isinstance(value, _TYPES.get(kind, (object,)))
        for value, kind in zip(row[1:], types, strict=True)
    )


def _insert_all(
    conn: Connection,
    reader: RowReader,
    table: str,
    target: str,
    columns: list[str],
    types: list[str],
    reading: TableReading,
) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    if table == "settings":  # by key: the new vault's own rows keep their places
        insert = (
            f"INSERT INTO settings ({names}) VALUES ({', '.join('?' for _ in columns)}) "
            "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json"
        )
    else:
        marks = ", ".join("?" for _ in range(len(columns) + 1))
        insert = f'INSERT INTO "{target}" (rowid, {names}) VALUES ({marks})'
    pending = 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        for row in reader.rows(table, columns, reading):
            if table == "settings" and row[columns.index("key") + 1] in OWN_SETTINGS:
                continue
            if not _fits(row, types):
                reading.rejected.append(int(row[0]))
                continue
            try:
                conn.execute(insert, row[1:] if table == "settings" else row)
            except IntegrityError:  # against the table's rules: not a row of it
                reading.rejected.append(int(row[0]))
                continue
            pending += sum(len(v) for v in row if isinstance(v, bytes | str))
            if pending > _BATCH_BYTES:  # the new file is partial: batches keep the log small
                conn.execute("COMMIT")
                conn.execute("BEGIN IMMEDIATE")
                pending = 0
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _audit(
    vault: Vault, report: SalvageReport, source: Source, matched: list[tuple[int, int, int, bool]]
) -> None:
    """The new log: each original kept (so verify finds its import record), each
    import's entries that still match its fingerprint (so verify keeps checking them),
    then the salvage itself with its counts (no names: the report says which)."""
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
        for seq, first, last, still in matched:
            if not still:  # some of them did not read, or were changed before
                report.imports_not_whole.append((first, last))
                continue
            change.audit(  # as they are now (a lost file's entry no longer names it)
                KEPT_ACTION,
                entry_ids=[first, last],
                entries_sha256=entries_fingerprint(vault.conn, first, last),
                from_import=seq,
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
