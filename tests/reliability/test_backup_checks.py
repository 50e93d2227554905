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
    assert not [p for p in tmp_path.iterdir() if ".partial-" in p.name]
