"""``verify``: is everything still as it was written?

Checks, in order: every encrypted page's HMAC (SQLCipher), SQLite's own structure,
every original re-hashed from its stored chunks against the SHA-256 taken at import,
that each original was recorded in the audit log with that hash, and the audit chain
with its recorded head. Problems are sentences; the first audit break is named.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from nco_desktop.evidence.store import entries_fingerprint, expected_fingerprints
from nco_desktop.progress import CancelToken, ProgressCallback, no_progress
from nco_desktop.vault import Vault
from nco_desktop.vault.audit import AuditHead, check_chain
from nco_desktop.vault.blobs import hash_stored
from nco_desktop.vault.connection import DatabaseError


@dataclass
class VerifyReport:
    originals_checked: int = 0
    bytes_checked: int = 0
    audit_rows: int = 0
    audit_head: AuditHead | None = None
    problems: list[str] = field(default_factory=list)

    @property
    def intact(self) -> bool:
        return not self.problems


def verify_vault(
    vault: Vault,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> VerifyReport:
    report = VerifyReport()
    checks = (
        lambda: _check_pages(vault, report),
        lambda: _check_originals(vault, report, progress, cancel),
        lambda: _check_audit(vault, report),
    )
    for check in checks:  # each on its own, so one damaged page does not hide the rest
        try:
            check()
        except DatabaseError as exc:
            report.problems.append(f"the vault file is damaged: {exc}")
    return report


def _check_pages(vault: Vault, report: VerifyReport) -> None:
    for (line,) in vault.conn.execute("PRAGMA cipher_integrity_check"):
        report.problems.append(f"encrypted page check failed: {line}")
    rows = [str(row[0]) for row in vault.conn.execute("PRAGMA quick_check")]
    if rows != ["ok"]:
        report.problems.extend(f"database structure: {row}" for row in rows[:5])
    bad_links = vault.conn.execute("PRAGMA foreign_key_check").fetchall()
    if bad_links:
        report.problems.append(f"{len(bad_links)} records point at records that are missing")


def _check_originals(
    vault: Vault, report: VerifyReport, progress: ProgressCallback, cancel: CancelToken | None
) -> None:
    rows = vault.conn.execute(
        "SELECT o.id, o.sha256, o.size, o.original_name, o.blob_id, b.sha256, b.size "
        "FROM originals o LEFT JOIN blobs b ON b.id = o.blob_id ORDER BY o.id"
    ).fetchall()
    for done, (original_id, sha256, size, name, blob_id, blob_sha, blob_size) in enumerate(rows):
        if cancel is not None:
            cancel.raise_if_cancelled()
        progress(done, len(rows), name)
        label = f"original #{original_id} (“{name}”)"
        if blob_sha is None:
            report.problems.append(f"{label}: its stored bytes are missing")
            continue
        if (blob_sha, blob_size) != (sha256, size):
            report.problems.append(f"{label}: its record and its stored bytes disagree")
        try:
            actual_sha, actual_size = hash_stored(vault.conn, blob_id)
        except LookupError as exc:
            report.problems.append(f"{label}: {exc}")
            continue
        if actual_sha != sha256 or actual_size != size:
            report.problems.append(
                f"{label} no longer matches the SHA-256 taken at import "
                f"(recorded {sha256[:16]}…, now {actual_sha[:16]}…)"
            )
        report.originals_checked += 1
        report.bytes_checked += actual_size
    progress(len(rows), len(rows), "")
    audited: dict[int, str] = {}
    for (details,) in vault.conn.execute(
        "SELECT details_json FROM audit_log WHERE action = 'original.added'"
    ):
        record = json.loads(details)
        audited[int(record.get("original_id", 0))] = str(record.get("sha256"))
    for (details,) in vault.conn.execute(  # deleted for good by the user, audited
        "SELECT details_json FROM audit_log WHERE action = 'original.deleted'"
    ):
        audited.pop(int(json.loads(details).get("original_id", 0)), None)
    present = {original_id: sha256 for original_id, sha256, *_ in rows}
    for original_id, sha256, _size, name, *_ in rows:
        if audited.get(original_id) != sha256:
            report.problems.append(
                f"original #{original_id} (“{name}”) has no import record in the audit log"
            )
    for original_id, sha256 in sorted(audited.items()):
        if original_id not in present:
            report.problems.append(
                f"original #{original_id} (SHA-256 {sha256[:16]}…), recorded at import, is "
                "missing from the vault"
            )
    _check_entries(vault, report)


def _check_entries(vault: Vault, report: VerifyReport) -> None:
    """Each import recorded a fingerprint of the entries it wrote, and each audited
    change to them since (a corrected time, an entry deleted for good) a new one:
    recompute them against the latest."""
    for seq, (first_id, last_id, sha) in expected_fingerprints(vault.conn).items():
        if entries_fingerprint(vault.conn, first_id, last_id) != sha:
            report.problems.append(
                f"entries {first_id + 1}–{last_id}, written by the import recorded in audit row "
                f"{seq}, were changed or removed after import"
            )


def _check_audit(vault: Vault, report: VerifyReport) -> None:
    chain = check_chain(vault.conn)
    report.audit_rows = chain.rows
    report.audit_head = chain.head
    if chain.first_break:
        report.problems.append(chain.first_break)
