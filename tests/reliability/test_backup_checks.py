"""A backup checks the vault first and reads its copy back (issue #16).

Copying a vault with one damaged page used to write a damaged backup under the chosen
name, the bad page given a fresh, valid HMAC in the copy: the damage hidden, and spread
into every later backup. Now nothing is written under that name, the problem is named,
and the damaged vault itself is left exactly as it was (it is evidence of what
happened to it).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from nco_desktop.backup import BackupRefused, checked_backup
from nco_desktop.cli import main
from nco_desktop.importers.batch import import_paths
from nco_desktop.vault import TEST_KDF, Vault
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE, write_file


def _vault_with_pages(path: Path, tmp_path: Path) -> None:
    with Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF) as vault:
        write_file(tmp_path / "in" / "scan.bin", os.urandom(400_000))  # many blob pages
        assert import_paths(vault, [tmp_path / "in"], thumbnails=False).all_ok


def _flip_a_byte_in_the_middle(path: Path) -> int:
    data = bytearray(path.read_bytes())
    middle = len(data) // 2 + 100
    data[middle] ^= 0x5A
    path.write_bytes(bytes(data))
    return middle


def test_a_damaged_vault_is_not_backed_up_and_is_left_as_it_is(tmp_path, monkeypatch, capsys):
    path = tmp_path / "case.ncovault"
    _vault_with_pages(path, tmp_path)
    _flip_a_byte_in_the_middle(path)
    damaged = path.read_bytes()
    dest = tmp_path / "backups" / "copy.ncovault"
    dest.parent.mkdir()
    with Vault.open(path, PASSPHRASE) as vault:
        assert not verify_vault(vault).intact
        with pytest.raises(BackupRefused) as refused:
            checked_backup(vault, dest)
    assert "no backup was written as “copy.ncovault”" in str(refused.value)
    assert "encrypted page check failed" in str(refused.value)
    assert list(dest.parent.iterdir()) == []  # no copy, no partial, no -wal or -shm
    assert path.read_bytes() == damaged  # the damage is kept as evidence of itself
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    capsys.readouterr()
    assert main(["backup", "--vault", str(path), str(dest)]) == 1
    assert "did not pass its check" in capsys.readouterr().err
    assert list(dest.parent.iterdir()) == []


def test_a_whole_vault_is_backed_up_and_the_copy_opens(tmp_path):
    path = tmp_path / "case.ncovault"
    _vault_with_pages(path, tmp_path)
    dest = tmp_path / "copy.ncovault"
    with Vault.open(path, PASSPHRASE) as vault:
        assert checked_backup(vault, dest) == dest
    with Vault.open(dest, PASSPHRASE) as copy:
        assert verify_vault(copy).intact
    assert {p.name for p in tmp_path.iterdir()} >= {"case.ncovault", "copy.ncovault"}
    assert not [p for p in tmp_path.iterdir() if "nco-partial" in p.name]


def test_what_a_killed_backup_or_passphrase_change_left_is_removed_at_the_next_start(
    tmp_path, monkeypatch, capsys
):
    """A process killed mid-backup or mid-passphrase-change leaves its new file (and
    SQLite's -wal and -shm beside it); the next command that opens the vault removes
    them, notes it on the audit log, and touches nothing else."""
    from nco_desktop.vault.partials import partial_path

    path = tmp_path / "case.ncovault"
    _vault_with_pages(path, tmp_path)
    backups = tmp_path / "backups"
    backups.mkdir()
    with Vault.open(path, PASSPHRASE) as vault:  # a backup there once: its folder is known
        checked_backup(vault, backups / "first.ncovault")
    rekey = partial_path(path)
    copy = partial_path(backups / "second.ncovault")
    left = [rekey, rekey.with_name(rekey.name + "-wal"), copy, copy.with_name(copy.name + "-shm")]
    for leftover in left:
        leftover.write_bytes(os.urandom(4096))
    kept = [backups / ".second.ncovault.partial-1234", tmp_path / "notes.txt"]
    for other in kept:
        other.write_text("not ours")
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    assert main(["list", "--vault", str(path)]) == 0
    assert not any(p.exists() for p in left)
    assert all(p.exists() for p in kept)
    with Vault.open(path, PASSPHRASE) as vault:
        (noted,) = vault.conn.execute(
            "SELECT details_json FROM audit_log WHERE action = 'exports.partial_removed'"
        ).fetchone()
    assert rekey.name in noted and copy.name in noted


def test_a_planted_header_asking_for_4_gib_is_refused_before_any_work(tmp_path, monkeypatch):
    """A file whose first bytes ask Argon2id for 4 GiB and 32 passes is refused with
    the settings named, before the key derivation is even started."""
    from nco_desktop.vault.errors import NotAVault
    from nco_desktop.vault.kdf import KdfParams, new_salt

    def never(*args: object) -> None:
        raise AssertionError("the key derivation ran for a planted header")

    monkeypatch.setattr("nco_desktop.vault.vault.derive_key", never)
    planted = tmp_path / "planted.ncovault"
    greedy = KdfParams(log2_memory_kib=22, time_cost=32, parallelism=16)
    planted.write_bytes(new_salt(greedy) + os.urandom(16384 - 16))
    for attempt in (Vault.open, Vault.derive_key):  # the CLI's way and the window's
        with pytest.raises(NotAVault, match="unusual unlock settings \\(Argon2id, 4096 MiB, 32"):
            attempt(planted, PASSPHRASE)
