"""verify finds a changed chunk, a deleted, altered or reordered audit row, and a cut log.

Tampering is done the way an attacker with the passphrase would: straight SQL on the
decrypted file, after dropping the immutability triggers that stop accidents.
"""

import pytest

from nco_desktop.importers.batch import import_paths
from nco_desktop.vault import Vault
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE, write_file

TRIGGERS = (
    "blob_chunks_immutable",
    "blobs_hash_immutable",
    "originals_identity_immutable",
    "audit_log_no_update",
    "audit_log_no_delete",
)


@pytest.fixture
def filled(vault, tmp_path):
    folder = tmp_path / "evidence"
    for i in range(4):
        write_file(folder / f"item{i}.txt", f"evidence number {i}\n" * 30000)
    summary = import_paths(vault, [folder])
    assert summary.all_ok and summary.entries_added == 4
    report = verify_vault(vault)
    assert report.intact, report.problems
    assert report.originals_checked == 4
    return vault


def _tamper(vault, *statements):
    for trigger in TRIGGERS:
        vault.conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for statement in statements:
        vault.conn.execute(statement)


def _problems(vault, vault_path):
    vault.close()
    with Vault.open(vault_path, PASSPHRASE) as reopened:
        report = verify_vault(reopened)
    assert not report.intact
    return report.problems


def test_the_guards_stop_accidental_changes(filled):
    import sqlcipher3

    for statement in (
        "UPDATE blob_chunks SET data = x'00' WHERE id = 1",
        "UPDATE originals SET sha256 = 'x' WHERE id = 1",
        "DELETE FROM audit_log WHERE seq = 2",
        "UPDATE audit_log SET action = 'x' WHERE seq = 2",
    ):
        with pytest.raises(sqlcipher3.IntegrityError):
            filled.conn.execute(statement)


def test_changed_chunk(filled, vault_path):
    _tamper(
        filled,
        "UPDATE blob_chunks SET data = x'deadbeef' WHERE id = (SELECT max(id) FROM blob_chunks)",
    )
    problems = _problems(filled, vault_path)
    assert any("no longer matches the SHA-256" in p and "item3.txt" in p for p in problems)


def test_missing_chunk(filled, vault_path):
    _tamper(filled, "DELETE FROM blob_chunks WHERE seq = 0 AND blob_id = 1")
    problems = _problems(filled, vault_path)
    assert any("missing chunk 0" in p for p in problems)


def test_deleted_audit_row_in_the_middle(filled, vault_path):
    _tamper(filled, "DELETE FROM audit_log WHERE seq = 4")
    problems = _problems(filled, vault_path)
    assert "audit row 4 is missing (found 5 next)" in problems


def test_deleted_last_audit_row(filled, vault_path):
    (last,) = filled.conn.execute("SELECT max(seq) FROM audit_log").fetchone()
    _tamper(filled, f"DELETE FROM audit_log WHERE seq = {last}")
    problems = _problems(filled, vault_path)
    assert any("rows were removed from the end" in p for p in problems)


def test_reordered_chain(filled, vault_path):
    _tamper(
        filled,
        "UPDATE audit_log SET seq = -1 WHERE seq = 3",
        "UPDATE audit_log SET seq = 3 WHERE seq = 4",
        "UPDATE audit_log SET seq = 4 WHERE seq = -1",
    )
    problems = _problems(filled, vault_path)
    assert "audit row 3 does not follow row 2 (chain broken)" in problems


def test_edited_audit_row(filled, vault_path):
    _tamper(filled, "UPDATE audit_log SET details_json = '{}' WHERE seq = 5")
    problems = _problems(filled, vault_path)
    assert "audit row 5 was changed after it was written" in problems


def test_original_slipped_in_without_an_audit_record(filled, vault_path):
    _tamper(
        filled,
        "INSERT INTO originals (blob_id, sha256, size, original_name, media_type, imported_at, "
        "import_source) SELECT id, 'f' || substr(sha256, 2), size, 'planted.txt', 'text/plain', "
        "'2024-01-01T00:00:00.000000Z', 'file' FROM blobs WHERE id = 1",
    )
    problems = _problems(filled, vault_path)
    assert any("planted.txt" in p and "no import record" in p for p in problems)


def test_edited_entry_text_or_time(filled, vault_path):
    filled.conn.execute("UPDATE entries SET text = 'nothing happened' WHERE id = 2")
    problems = _problems(filled, vault_path)
    assert any("entries 2–2" in p and "changed or removed" in p for p in problems)


def test_deleted_entry_and_original(filled, vault_path):
    filled.conn.execute("DELETE FROM entries WHERE original_id = 3")
    filled.conn.execute("DELETE FROM original_parses WHERE original_id = 3")
    filled.conn.execute("DELETE FROM originals WHERE id = 3")
    problems = _problems(filled, vault_path)
    assert any("original #3" in p and "missing from the vault" in p for p in problems)
    assert any("changed or removed after import" in p for p in problems)
