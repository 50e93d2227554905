"""Passphrase change (PRAGMA rekey) and backup (SQLite backup API) round trips."""

import pytest

from nco_desktop.importers.batch import import_paths
from nco_desktop.timeline.query import iter_entries
from nco_desktop.vault import Vault, VaultExists, WeakPassphrase, WrongPassphrase
from nco_desktop.vault.connection import inspect_vault_file
from nco_desktop.vault.faults import DiskProblem
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE, write_file

NEW = "a different long passphrase"


@pytest.fixture
def with_evidence(vault, tmp_path):
    write_file(tmp_path / "in" / "one.txt", "first " * 20000)
    write_file(tmp_path / "in" / "two.txt", "second " * 20000)
    assert import_paths(vault, [tmp_path / "in"]).entries_added == 2
    return vault


def _snapshot(vault):
    return [e.to_json() for e in iter_entries(vault.conn)]


def test_passphrase_change_round_trip(with_evidence, vault_path):
    before = _snapshot(with_evidence)
    old_salt = inspect_vault_file(vault_path).salt
    with_evidence.change_passphrase(NEW)
    # still usable on the same handle
    assert _snapshot(with_evidence) == before
    with_evidence.close()
    assert inspect_vault_file(vault_path).salt != old_salt
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_path, PASSPHRASE)
    with Vault.open(vault_path, NEW) as reopened:
        assert _snapshot(reopened) == before
        report = verify_vault(reopened)
        assert report.intact, report.problems
        actions = [a for (a,) in reopened.conn.execute("SELECT action FROM audit_log")]
        assert actions[-1] == "vault.passphrase_changed"
        assert reopened.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_weak_new_passphrase_changes_nothing(with_evidence, vault_path):
    with pytest.raises(WeakPassphrase):
        with_evidence.change_passphrase("short")
    with_evidence.close()
    Vault.open(vault_path, PASSPHRASE).close()


def test_backup_round_trip(with_evidence, tmp_path):
    dest = tmp_path / "elsewhere" / "backup.ncovault"
    dest.parent.mkdir()
    before = _snapshot(with_evidence)
    with_evidence.backup_to(dest)
    assert not dest.read_bytes().startswith(b"SQLite format 3")
    assert sorted(p.name for p in dest.parent.iterdir()) == ["backup.ncovault"]
    with Vault.open(dest, PASSPHRASE) as copy:
        assert _snapshot(copy) == before
        report = verify_vault(copy)
        assert report.intact, report.problems
        assert report.originals_checked == 2
    # the source keeps working after the backup
    write_file(tmp_path / "in2" / "three.txt", "third")
    assert import_paths(with_evidence, [tmp_path / "in2"]).entries_added == 1


def test_backup_never_overwrites(with_evidence, tmp_path):
    dest = write_file(tmp_path / "taken.ncovault", b"something precious")
    with pytest.raises(VaultExists):
        with_evidence.backup_to(dest)
    assert dest.read_bytes() == b"something precious"


def test_interrupted_passphrase_change_leaves_the_old_vault_whole(
    with_evidence, vault_path, monkeypatch
):
    """The new vault is built beside the old one; until the final rename nothing changed."""
    before = _snapshot(with_evidence)

    def power_cut(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("nco_desktop.vault.vault.os.replace", power_cut)
    with pytest.raises(DiskProblem, match="is full: the passphrase change did not happen"):
        with_evidence.change_passphrase(NEW)
    monkeypatch.undo()
    assert _snapshot(with_evidence) == before  # the open handle still works
    with_evidence.close()
    assert sorted(p.name for p in vault_path.parent.iterdir() if "nco-partial" in p.name) == []
    with pytest.raises(WrongPassphrase):
        Vault.open(vault_path, NEW)
    with Vault.open(vault_path, PASSPHRASE) as reopened:
        assert _snapshot(reopened) == before
        assert verify_vault(reopened).intact


def test_failed_backup_is_not_recorded_as_done(with_evidence, tmp_path, monkeypatch):
    monkeypatch.setattr(
        "nco_desktop.vault.vault.os.replace",
        lambda *a: (_ for _ in ()).throw(OSError(28, "disk full")),
    )
    with pytest.raises(DiskProblem, match="is full: the backup did not happen"):
        with_evidence.backup_to(tmp_path / "copy.ncovault")
    actions = [a for (a,) in with_evidence.conn.execute("SELECT action FROM audit_log")]
    assert "vault.backed_up" not in actions
