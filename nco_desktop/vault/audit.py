"""The hash-chained audit log.

Every change appends a row whose hash covers the previous row's hash and this row's
content, so editing, deleting or reordering any row breaks the chain from that row on.
The newest row's (seq, hash), the *head*, is also kept in settings and printed in the
binder: a row cut off the end of the log no longer matches the head. This shows that
the vault's history is unchanged to anyone holding the printed head. It does not stop
someone who has the passphrase from writing a whole new history; we never claim more.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from nco_desktop.vault.connection import Connection

GENESIS_HASH = "0" * 64
HEAD_SETTING = "audit_head"


@dataclass(frozen=True)
class AuditHead:
    seq: int
    hash: str


def canonical_details(details: Mapping[str, Any]) -> str:
    return json.dumps(details, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_hash(seq: int, at: str, action: str, details_json: str, prev_hash: str) -> str:
    material = "\n".join((str(seq), at, action, details_json, prev_hash)).encode("utf-8")
    return hashlib.sha256(material).hexdigest()


def read_head(conn: Connection) -> AuditHead:
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return AuditHead(0, GENESIS_HASH) if row is None else AuditHead(int(row[0]), str(row[1]))


def append(conn: Connection, at: str, action: str, details: Mapping[str, Any]) -> AuditHead:
    """Append one row inside the caller's transaction and move the stored head."""
    previous = read_head(conn)
    seq = previous.seq + 1
    details_json = canonical_details(details)
    digest = row_hash(seq, at, action, details_json, previous.hash)
    conn.execute(
        "INSERT INTO audit_log (seq, at, action, details_json, prev_hash, hash) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (seq, at, action, details_json, previous.hash, digest),
    )
    conn.execute(
        "INSERT INTO settings (key, value_json) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value_json = excluded.value_json",
        (HEAD_SETTING, json.dumps({"seq": seq, "hash": digest})),
    )
    return AuditHead(seq, digest)


@dataclass(frozen=True)
class ChainReport:
    rows: int
    head: AuditHead
    first_break: str | None  # a sentence naming the first bad row, or None

    @property
    def intact(self) -> bool:
        return self.first_break is None


def check_chain(
    conn: Connection, *, table: str = "audit_log", recorded_head: bool = True
) -> ChainReport:
    """Walk the whole log in order and report the first row that does not fit.

    *table*: another table of the same shape (a salvaged vault keeps its past log in
    one); *recorded_head*: also compare the end with the head the settings record."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    rows = 0
    head = AuditHead(0, GENESIS_HASH)
    cursor = conn.execute(
        f'SELECT seq, at, action, details_json, prev_hash, hash FROM "{table}" ORDER BY seq'
    )
    for seq, at, action, details_json, prev_hash, stored_hash in cursor:
        rows += 1
        if seq != expected_seq:
            return ChainReport(
                rows, head, f"audit row {expected_seq} is missing (found {seq} next)"
            )
        if prev_hash != expected_prev:
            return ChainReport(
                rows, head, f"audit row {seq} does not follow row {seq - 1} (chain broken)"
            )
        if row_hash(seq, at, action, details_json, prev_hash) != stored_hash:
            return ChainReport(rows, head, f"audit row {seq} was changed after it was written")
        head = AuditHead(seq, stored_hash)
        expected_prev = stored_hash
        expected_seq += 1
    if not recorded_head:
        return ChainReport(rows, head, None)
    stored = conn.execute(
        "SELECT value_json FROM settings WHERE key = ?", (HEAD_SETTING,)
    ).fetchone()
    if rows and stored is None:
        return ChainReport(rows, head, "the recorded head of the audit log is missing")
    if stored is not None:
        recorded = json.loads(stored[0])
        if (recorded.get("seq"), recorded.get("hash")) != (head.seq, head.hash):
            return ChainReport(
                rows,
                head,
                f"the audit log ends at row {head.seq}, but row {recorded.get('seq')} was "
                "recorded as its last: rows were removed from the end",
            )
    return ChainReport(rows, head, None)
