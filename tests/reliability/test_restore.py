"""Restoring a backup after a crash, the way the README says (issue #16).

Copying a backup over a vault by hand, after a crash left the vault's write-ahead log
beside it, gave a state that was neither: SQLite replayed the old log into the copy.
``restore`` checks the backup, sets the vault and its log aside together, and puts a
fresh copy in place: the result is exactly the backup, and the old state stays
openable under its new name.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nco_desktop.backup import checked_backup
from nco_desktop.cli import main
from nco_desktop.importers.batch import import_paths
from nco_desktop.vault import TEST_KDF, Vault
from nco_desktop.vault.open_lock import VaultInUse
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE, write_file
from tests.support.factories import sms_xml


def _entries(path: Path) -> int:
    with Vault.open(path, PASSPHRASE) as vault:
        assert verify_vault(vault).intact
        return int(vault.conn.execute("SELECT count(*) FROM entries").fetchone()[0])


def _crashed_vault_with_a_newer_log(tmp_path: Path) -> tuple[Path, Path]:
    """A vault, its backup (5 entries), then 40 entries more committed to the log only,
    and the process gone before the log was folded in (the files copied mid-flight)."""
    live = tmp_path / "live" / "case.ncovault"
    live.parent.mkdir()
    backup = tmp_path / "case backup.ncovault"
    with Vault.create(live, PASSPHRASE, time_zone="UTC", kdf=TEST_KDF) as vault:
        write_file(tmp_path / "a" / "sms.xml", sms_xml(5))
        assert import_paths(vault, [tmp_path / "a"], thumbnails=False).all_ok
        checked_backup(vault, backup)
        vault.conn.execute("PRAGMA wal_autocheckpoint = 0")
        write_file(tmp_path / "b" / "sms.xml", sms_xml(45))
        assert import_paths(vault, [tmp_path / "b"], thumbnails=False).all_ok
        crashed = tmp_path / "case.ncovault"
        for name in ("case.ncovault", "case.ncovault-wal"):  # as a power cut leaves them
            shutil.copyfile(live.parent / name, tmp_path / name)
    return crashed, backup


def test_restore_puts_the_backup_in_place_and_keeps_the_old_vault_with_its_log(
    tmp_path, monkeypatch, capsys
):
    crashed, backup = _crashed_vault_with_a_newer_log(tmp_path)
    assert crashed.with_name("case.ncovault-wal").stat().st_size > 0
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    assert main(["restore", str(backup), str(crashed)]) == 0
    said = capsys.readouterr().out
    assert "it was checked first" in said and "before restore" in said
    assert _entries(crashed) == 5  # exactly the backup: no old log replayed into it
    (aside,) = tmp_path.glob("case before restore *.ncovault")
    assert _entries(aside) == 45  # the state before, whole, with its own log
    assert _entries(backup) == 5  # the backup itself untouched
    with Vault.open(crashed, PASSPHRASE) as vault:
        actions = [a for (a,) in vault.conn.execute("SELECT action FROM audit_log")]
    assert actions[-1] == "vault.restored"


def test_a_vault_open_elsewhere_is_not_restored_over(tmp_path, monkeypatch):
    from nco_desktop.restore import restore_backup
    from nco_desktop.vault.open_lock import OpenLock

    crashed, backup = _crashed_vault_with_a_newer_log(tmp_path)
    lock = OpenLock(crashed)
    lock.acquire()  # as the window holds it
    try:
        with pytest.raises(VaultInUse):
            restore_backup(backup, crashed, PASSPHRASE)
    finally:
        lock.release()
    assert not list(tmp_path.glob("*before restore*"))
