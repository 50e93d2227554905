"""The vault file on disk: encrypted, recognisable only to us, clear errors."""

import sqlite3

import pytest

from nco_desktop.importers.batch import import_paths
from nco_desktop.vault import (
    TEST_KDF,
    NotAVault,
    Vault,
    VaultDamaged,
    VaultExists,
    VaultNotFound,
    VaultTooNew,
    WrongPassphrase,
)
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE, write_file


def test_file_is_encrypted_and_holds_no_plaintext_of_imports(vault, vault_path, tmp_path):
    marker = b"PLAINTEXT-MARKER-the respondent said he would come to my work"
    name = "secret-evidence-name-7f3a.txt"
    write_file(tmp_path / "in" / name, marker * 50)
    summary = import_paths(vault, [tmp_path / "in"])
    assert summary.entries_added == 1
    # While the vault is open the WAL holds the newest pages: check it too.
    wal = vault_path.with_name(vault_path.name + "-wal")
    files = [vault_path, wal]
    assert wal.exists()
    for path in files:
        data = path.read_bytes()
        for needle in (marker[:40], name.encode(), name.encode("utf-16-le"), b"Doe v. Roe"):
            assert needle not in data, f"{needle!r} in {path.name}"
    assert not vault_path.read_bytes().startswith(b"SQLite format 3")
    vault.close()
    for path in vault_path.parent.iterdir():
        if path.is_file() and path.name.startswith(vault_path.name):
            assert marker[:40] not in path.read_bytes()


def test_connection_safety_settings_are_on_every_connection(vault):
    worker = vault.clone()
    try:
        for conn in (vault.conn, worker.conn):
            assert conn.execute("PRAGMA temp_store").fetchone()[0] == 2
            assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert conn.execute("PRAGMA cipher_page_size").fetchone()[0] == str(TEST_KDF.page_size)
    finally:
        worker.close()


def test_wrong_passphrase_is_clear_and_quiet(vault, vault_path, capfd):
    vault.close()
    with pytest.raises(WrongPassphrase, match="does not unlock"):
        Vault.open(vault_path, "not the passphrase")
    captured = capfd.readouterr()
    assert "hmac" not in captured.err.lower()
    assert captured.err == ""


def test_missing_and_foreign_files(tmp_path):
    with pytest.raises(VaultNotFound):
        Vault.open(tmp_path / "nothing.ncovault", PASSPHRASE)
    empty = write_file(tmp_path / "empty.ncovault", b"")
    with pytest.raises(NotAVault, match="empty"):
        Vault.open(empty, PASSPHRASE)
    plain = tmp_path / "plain.db"
    with sqlite3.connect(plain) as conn:
        conn.execute("CREATE TABLE t (x)")
    with pytest.raises(NotAVault, match="unencrypted SQLite"):
        Vault.open(plain, PASSPHRASE)
    png = write_file(tmp_path / "photo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 5000)
    with pytest.raises(NotAVault, match="not an NCO Desktop vault"):
        Vault.open(png, PASSPHRASE)
    with pytest.raises(NotAVault, match="folder"):
        Vault.open(tmp_path, PASSPHRASE)


def test_truncated_vault_is_reported_as_damaged(vault, vault_path):
    vault.close()
    data = vault_path.read_bytes()
    vault_path.write_bytes(data[: len(data) - 1000])
    with pytest.raises(VaultDamaged, match="cut short"):
        Vault.open(vault_path, PASSPHRASE)


def test_corrupt_page_is_damage_not_a_wrong_passphrase(vault, vault_path, tmp_path):
    write_file(tmp_path / "in" / "a.txt", "some evidence " * 5000)
    import_paths(vault, [tmp_path / "in"])
    vault.close()
    data = bytearray(vault_path.read_bytes())
    page = TEST_KDF.page_size
    assert len(data) >= 6 * page
    for offset in range(page * 4 + 100, page * 4 + 200):
        data[offset] ^= 0xFF
    vault_path.write_bytes(bytes(data))
    # Page 1 is intact, so the passphrase is accepted; verify finds the bad page.
    with Vault.open(vault_path, PASSPHRASE) as reopened:
        report = verify_vault(reopened)
    assert not report.intact
    assert any("damaged" in p or "page" in p for p in report.problems), report.problems


def test_create_refuses_to_overwrite_and_leaves_no_partial_file(vault_path, tmp_path):
    Vault.create(vault_path, PASSPHRASE, kdf=TEST_KDF).close()
    with pytest.raises(VaultExists):
        Vault.create(vault_path, PASSPHRASE, kdf=TEST_KDF)
    assert sorted(p.name for p in tmp_path.iterdir()) == [vault_path.name]


def test_unknown_time_zone_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not a time zone"):
        Vault.create(tmp_path / "v.ncovault", PASSPHRASE, time_zone="Mars/Olympus", kdf=TEST_KDF)
    assert list(tmp_path.iterdir()) == []


def test_vault_from_a_newer_version_is_refused(vault, vault_path):
    vault.conn.execute("PRAGMA user_version = 999")
    vault.close()
    with pytest.raises(VaultTooNew, match="newer version"):
        Vault.open(vault_path, PASSPHRASE)


def test_settings_round_trip(vault, vault_path):
    assert vault.time_zone_name == "America/Chicago"
    assert vault.case_details == {"title": "Doe v. Roe"}
    vault.set_settings({"case": {"title": "Doe v. Roe", "case_number": "24-PO-118"}})
    vault.close()
    with Vault.open(vault_path, PASSPHRASE) as reopened:
        assert reopened.case_details["case_number"] == "24-PO-118"


def test_damaged_first_page_is_not_called_a_wrong_passphrase(vault, vault_path, tmp_path):
    write_file(tmp_path / "in" / "a.bin", b"\0" + b"evidence " * 20000)
    import_paths(vault, [tmp_path / "in"])
    vault.close()
    data = bytearray(vault_path.read_bytes())
    data[200] ^= 0x01  # one bit inside page 1, past the salt
    vault_path.write_bytes(bytes(data))
    with pytest.raises(VaultDamaged, match="passphrase is right"):
        Vault.open(vault_path, PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_path, "some other passphrase")


def test_key_derived_on_a_worker_thread_opens_the_vault_on_this_one(vault_path):
    """The window runs the slow KDF off the GUI thread and connects on the GUI thread."""
    import threading

    Vault.create(vault_path, PASSPHRASE, kdf=TEST_KDF).close()
    found: dict[str, object] = {}
    worker = threading.Thread(
        target=lambda: found.update(
            good=Vault.derive_key(vault_path, PASSPHRASE),
            bad=Vault.derive_key(vault_path, "not the passphrase at all"),
        )
    )
    worker.start()
    worker.join()
    secret = found["good"].key  # type: ignore[attr-defined]
    assert repr(secret) not in repr(found["good"]) and secret.hex() not in repr(found["good"])
    with Vault.open_with_key(found["good"]) as vault:  # type: ignore[arg-type]
        assert vault.schema_version > 0
        again = vault.vault_key()
    with Vault.open_with_key(again):
        pass
    with pytest.raises(WrongPassphrase):
        Vault.open_with_key(found["bad"])  # type: ignore[arg-type]


def test_vault_files_are_readable_by_their_owner_only(tmp_path):
    """Other accounts on a shared computer cannot even copy the encrypted file."""
    import stat

    path = tmp_path / "mine.ncovault"
    with Vault.create(path, PASSPHRASE, kdf=TEST_KDF) as vault:
        backup = vault.backup_to(tmp_path / "copy.ncovault")
        vault.change_passphrase(PASSPHRASE + " again")
    for made in (path, backup):
        assert stat.S_IMODE(made.stat().st_mode) == 0o600, made.name
