"""A write-ahead log that is not the vault's own is set aside, never replayed (#16).

SQLite does not bind its log to the file it was written for. Every frame SQLite would
replay is checked against the vault's key (SQLCipher's page HMAC): a log written under
another key is renamed aside, kept, and the vault opens as it was; the vault's own log
after a crash is used; and a wrong passphrase touches nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from nco_desktop.cli import main
from nco_desktop.importers.batch import import_paths
from nco_desktop.vault import TEST_KDF, Vault, WrongPassphrase
from nco_desktop.vault.wal_guard import replayed_frames
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE, write_file
from tests.support.factories import sms_xml


def _with_log(path: Path, tmp_path: Path, passphrase: str, first: int, then: int) -> Path:
    """A vault at *path* with *first* entries checkpointed and *then* more committed to
    its log only, copied as a crash leaves it: the copy's path (the log beside it)."""
    live = tmp_path / f"live-{path.parent.name}" / path.name
    live.parent.mkdir()
    with Vault.create(live, passphrase, time_zone="UTC", kdf=TEST_KDF) as vault:
        first_batch = live.parent / "a"
        write_file(first_batch / "sms.xml", sms_xml(first))
        assert import_paths(vault, [first_batch], thumbnails=False).all_ok
        vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        vault.conn.execute("PRAGMA wal_autocheckpoint = 0")
        second_batch = live.parent / "b"
        write_file(second_batch / "sms.xml", sms_xml(then))
        assert import_paths(vault, [second_batch], thumbnails=False).all_ok
        path.parent.mkdir(parents=True, exist_ok=True)
        for end in ("", "-wal"):
            shutil.copyfile(str(live) + end, str(path) + end)
    return path


def _entries(vault: Vault) -> int:
    return int(vault.conn.execute("SELECT count(*) FROM entries").fetchone()[0])


def test_the_vaults_own_log_after_a_crash_is_used(tmp_path):
    path = _with_log(tmp_path / "case.ncovault", tmp_path, PASSPHRASE, 5, 30)
    assert replayed_frames(path.with_name("case.ncovault-wal"))  # there is work in it
    with Vault.open(path, PASSPHRASE) as vault:
        assert vault.set_aside_log is None and _entries(vault) == 30
        assert verify_vault(vault).intact


def test_a_log_from_another_vault_is_set_aside_and_kept(tmp_path, monkeypatch, capsys):
    path = _with_log(tmp_path / "case.ncovault", tmp_path, PASSPHRASE, 5, 5)
    with Vault.open(path, PASSPHRASE):  # its own log folded in: 5 entries, no log
        pass
    other = _with_log(tmp_path / "other" / "case.ncovault", tmp_path, PASSPHRASE, 3, 40)
    foreign = other.with_name("case.ncovault-wal").read_bytes()
    path.with_name("case.ncovault-wal").write_bytes(foreign)  # as a careless copy leaves it
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    capsys.readouterr()
    assert main(["verify", "--vault", str(path)]) == 0
    said = capsys.readouterr().err
    assert "was not written with this vault's key" in said
    (aside,) = tmp_path.glob("case.ncovault-wal.set-aside-*")
    assert aside.read_bytes() == foreign  # kept as it was
    with Vault.open(path, PASSPHRASE) as vault:
        assert _entries(vault) == 5 and vault.set_aside_log is None


def test_a_wrong_passphrase_leaves_the_log_alone(tmp_path):
    path = _with_log(tmp_path / "case.ncovault", tmp_path, PASSPHRASE, 5, 30)
    log = path.with_name("case.ncovault-wal")
    before = log.read_bytes()
    with pytest.raises(WrongPassphrase):
        Vault.open(path, "not the passphrase at all")
    assert log.read_bytes() == before
    with Vault.open(path, PASSPHRASE) as vault:
        assert _entries(vault) == 30


def test_a_torn_last_frame_is_not_taken_for_a_foreign_log(tmp_path):
    """A crash mid-frame leaves a frame whose checksum fails: SQLite ignores it, and so
    does the check; the committed frames before it are the vault's own and are used."""
    path = _with_log(tmp_path / "case.ncovault", tmp_path, PASSPHRASE, 5, 30)
    log = path.with_name("case.ncovault-wal")
    data = bytearray(log.read_bytes())
    data[-100] ^= 0xFF  # the last frame's page, torn
    log.write_bytes(bytes(data))
    with Vault.open(path, PASSPHRASE) as vault:
        assert vault.set_aside_log is None
        assert verify_vault(vault).intact


def test_a_backups_log_is_never_taken_for_the_vaults(tmp_path, monkeypatch, capsys):
    """A backup made by the command line has a key of its own (same passphrase), so the
    log of a diverged backup left beside the vault is told apart and set aside: the
    twin's entries never replace the vault's."""
    from nco_desktop.vault.connection import inspect_vault_file

    vault_path = tmp_path / "case.ncovault"
    with Vault.create(vault_path, PASSPHRASE, time_zone="UTC", kdf=TEST_KDF) as vault:
        write_file(tmp_path / "a" / "sms.xml", sms_xml(5))
        assert import_paths(vault, [tmp_path / "a"], thumbnails=False).all_ok
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    backup = tmp_path / "twin" / "case.ncovault"
    backup.parent.mkdir()
    assert main(["backup", "--vault", str(vault_path), str(backup)]) == 0
    assert inspect_vault_file(backup).salt != inspect_vault_file(vault_path).salt
    with Vault.open(backup, PASSPHRASE) as twin:  # the twin diverges, in its log only
        twin.conn.execute("PRAGMA wal_autocheckpoint = 0")
        write_file(tmp_path / "b" / "sms.xml", sms_xml(40))
        assert import_paths(twin, [tmp_path / "b"], thumbnails=False).all_ok
        shutil.copyfile(str(backup) + "-wal", str(vault_path) + "-wal")
    capsys.readouterr()
    assert main(["list", "--vault", str(vault_path)]) == 0
    assert "was not written with this vault's key" in capsys.readouterr().err
    with Vault.open(vault_path, PASSPHRASE) as vault:
        assert _entries(vault) == 5 and verify_vault(vault).intact
    with Vault.open(backup, PASSPHRASE) as twin:
        assert _entries(twin) == 40  # the backup opens with the same passphrase


def test_a_first_page_torn_by_a_crash_is_read_from_the_log(tmp_path):
    """Power lost while the log was being folded in can tear the file's first page; the
    log still holds it whole, and SQLite reads it from there. That is not damage."""
    live = tmp_path / "live" / "case.ncovault"
    live.parent.mkdir()
    with Vault.create(live, PASSPHRASE, time_zone="UTC", kdf=TEST_KDF) as vault:
        vault.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        vault.conn.execute("PRAGMA wal_autocheckpoint = 0")
        write_file(tmp_path / "b" / "sms.xml", sms_xml(12))
        assert import_paths(vault, [tmp_path / "b"], thumbnails=False).all_ok
        (version,) = vault.conn.execute("PRAGMA user_version").fetchone()
        vault.conn.execute(f"PRAGMA user_version = {version}")  # page 1, in the log
        path = tmp_path / "case.ncovault"
        for end in ("", "-wal"):
            shutil.copyfile(str(live) + end, str(path) + end)
    assert 1 in [number for number, _ in replayed_frames(path.with_name("case.ncovault-wal"))]
    data = bytearray(path.read_bytes())
    data[8192:16384] = bytes(8192)  # the second half of the first page, torn
    path.write_bytes(bytes(data))
    with Vault.open(path, PASSPHRASE) as vault:
        assert _entries(vault) == 12  # read through the log's whole copy of page 1
    with Vault.open(path, PASSPHRASE) as vault:  # folded in on closing: whole again
        assert _entries(vault) == 12 and verify_vault(vault).intact


def test_the_log_checksum_reads_both_byte_orders():
    """SQLite writes its log's checksums in the machine's byte order, and says which in
    the magic number; a log from a big-endian machine is read as SQLite reads it."""
    import struct

    from nco_desktop.vault.wal_guard import _checksum

    words = [1, 2, 3, 4]
    little = struct.pack("<4I", *words)
    big = struct.pack(">4I", *words)
    assert _checksum(little, 0, 0, 0) == _checksum(big, 0, 0, 1)
    s0 = (0 + 1 + 0) & 0xFFFFFFFF
    s1 = (0 + 2 + s0) & 0xFFFFFFFF
    s0 = (s0 + 3 + s1) & 0xFFFFFFFF
    s1 = (s1 + 4 + s0) & 0xFFFFFFFF
    assert _checksum(big, 0, 0, 1) == (s0, s1)  # SQLite's walChecksumBytes, by hand


def test_a_log_damaged_part_way_is_kept_and_named_never_dropped_silently(
    tmp_path, monkeypatch, capsys
):
    """One flipped bit in the log's first frame: SQLite replays nothing after it and
    says nothing (the import's 30 entries vanished while verify passed). Now a copy of
    the log is kept and the saved changes that could not be read are counted aloud."""
    path = _with_log(tmp_path / "case.ncovault", tmp_path, PASSPHRASE, 5, 30)
    log = path.with_name("case.ncovault-wal")
    data = bytearray(log.read_bytes())
    data[32 + 24 + 500] ^= 0x01  # inside the first frame's page
    log.write_bytes(bytes(data))
    damaged = bytes(data)
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    capsys.readouterr()
    assert main(["list", "--vault", str(path)]) == 0
    said = capsys.readouterr().err
    assert "The log file beside the vault is damaged: 1 saved change after" in said
    (copy,) = tmp_path.glob("case.ncovault-wal.damaged-*")
    assert copy.read_bytes() == damaged and copy.stat().st_mode & 0o077 == 0
    assert copy.name in said
    with Vault.open(path, PASSPHRASE) as vault:  # the rest opens as it was before
        assert _entries(vault) == 5 and vault.damaged_log is None


def test_a_whole_log_is_not_reported_damaged(tmp_path):
    path = _with_log(tmp_path / "case.ncovault", tmp_path, PASSPHRASE, 5, 30)
    with Vault.open(path, PASSPHRASE) as vault:
        assert vault.damaged_log is None and _entries(vault) == 30
    assert not list(tmp_path.glob("*.damaged-*"))


@pytest.mark.parametrize("where", [0, 17, 25, 32 + 3])  # magic, salt, checksum, 1st frame
def test_a_damaged_log_header_is_named_too(tmp_path, where):
    """A log whose own header (or first frame header) is damaged is ignored whole by
    SQLite: every change in it counted, not dropped in silence."""
    path = _with_log(tmp_path / "case.ncovault", tmp_path, PASSPHRASE, 5, 30)
    log = path.with_name("case.ncovault-wal")
    data = bytearray(log.read_bytes())
    data[where] ^= 0x04
    log.write_bytes(bytes(data))
    with Vault.open(path, PASSPHRASE) as vault:
        assert vault.damaged_log is not None and vault.damaged_log[1] >= 1
        assert _entries(vault) == 5
