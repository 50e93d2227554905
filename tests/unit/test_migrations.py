"""Schema steps: from an empty v0 file, from every earlier version, with a backup first."""

import pytest

from nco_desktop.vault import TEST_KDF, Vault, schema
from nco_desktop.vault import migrate as migrate_module
from nco_desktop.vault.connection import connect, inspect_vault_file
from nco_desktop.vault.kdf import derive_key, new_salt
from nco_desktop.vault.schema import LATEST_VERSION, MIGRATIONS, Migration
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE


def make_vault_at(path, version):
    """A keyed vault file whose schema stops at *version* (0 = empty file)."""
    salt = new_salt(TEST_KDF)
    conn = connect(path, derive_key(PASSPHRASE, salt, TEST_KDF), salt, TEST_KDF)
    if version:
        migrate_module.migrate(conn, "2024-01-01T00:00:00.000000Z", target=version)
    conn.execute("CREATE TABLE IF NOT EXISTS _probe (x)")  # make sure the file has pages
    conn.execute("DROP TABLE _probe")
    conn.close()
    return path


def test_migrations_are_ordered_and_contiguous():
    assert [m.version for m in MIGRATIONS] == list(range(1, LATEST_VERSION + 1))


@pytest.mark.parametrize("version", range(LATEST_VERSION))
def test_a_vault_from_every_earlier_schema_opens(tmp_path, version):
    path = make_vault_at(tmp_path / f"v{version}.ncovault", version)
    assert inspect_vault_file(path).kdf == TEST_KDF
    with Vault.open(path, PASSPHRASE) as vault:
        assert vault.schema_version == LATEST_VERSION
        report = verify_vault(vault)
        assert report.intact, report.problems
        actions = [a for (a,) in vault.conn.execute("SELECT action FROM audit_log")]
        assert actions.count("vault.schema_migrated") == LATEST_VERSION  # every step, audited
    backups = list(tmp_path.glob(f"v{version}.schema-{version}-backup-*.ncovault"))
    assert len(backups) == (1 if version > 0 else 0)  # an empty v0 file has nothing to lose


def test_existing_vault_is_backed_up_before_a_migration(tmp_path, monkeypatch):
    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, kdf=TEST_KDF).close()
    step = Migration(
        LATEST_VERSION + 1, "test step", "CREATE TABLE later_feature (id INTEGER PRIMARY KEY);"
    )
    monkeypatch.setattr(schema, "MIGRATIONS", (*MIGRATIONS, step))
    monkeypatch.setattr(migrate_module, "MIGRATIONS", (*MIGRATIONS, step))
    monkeypatch.setattr(migrate_module, "LATEST_VERSION", step.version)
    with Vault.open(path, PASSPHRASE) as vault:
        assert vault.schema_version == step.version
        vault.conn.execute("SELECT * FROM later_feature").fetchall()
    (backup,) = tmp_path.glob(f"case.schema-{LATEST_VERSION}-backup-*.ncovault")
    monkeypatch.undo()
    with Vault.open(backup, PASSPHRASE) as old:
        assert old.schema_version == LATEST_VERSION


def test_a_failing_step_leaves_the_old_version(tmp_path, monkeypatch):
    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, kdf=TEST_KDF).close()
    broken = Migration(
        LATEST_VERSION + 1, "broken", "CREATE TABLE half_done (id INTEGER);\nSELECT nonsense();"
    )
    monkeypatch.setattr(migrate_module, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(migrate_module, "LATEST_VERSION", broken.version)
    with pytest.raises(Exception, match="nonsense"):
        Vault.open(path, PASSPHRASE)
    monkeypatch.undo()
    with Vault.open(path, PASSPHRASE) as vault:
        assert vault.schema_version == LATEST_VERSION
        tables = {n for (n,) in vault.conn.execute("SELECT name FROM sqlite_master")}
        assert "half_done" not in tables


def test_an_earlier_interrupted_migration_does_not_block_opening(tmp_path, monkeypatch):
    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, kdf=TEST_KDF).close()
    broken = Migration(LATEST_VERSION + 1, "broken", "SELECT nonsense();")
    monkeypatch.setattr(migrate_module, "MIGRATIONS", (*MIGRATIONS, broken))
    monkeypatch.setattr(migrate_module, "LATEST_VERSION", broken.version)
    for _ in range(2):  # the second try must not trip over the first try's backup
        with pytest.raises(Exception, match="nonsense"):
            Vault.open(path, PASSPHRASE)
    assert len(list(tmp_path.glob("case.schema-*-backup-*.ncovault"))) == 2
