"""A full disk is a full disk, not a damaged vault (issue #16).

The vault lives on a small filesystem this test mounts (tmpfs; skipped with the reason
where mounting is not allowed), which is then filled to the last byte. Every command
that writes must say the disk is full, name what did not happen and say nothing was
changed; the commands that only read must still work; and once space is freed the vault
is exactly as it was.
"""

from __future__ import annotations

import contextlib
import errno
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from nco_desktop.cli import main
from nco_desktop.importers.batch import import_paths
from nco_desktop.vault import TEST_KDF, Vault
from nco_desktop.vault.audit import check_chain
from nco_desktop.vault.faults import disk_problem
from tests.conftest import PASSPHRASE, write_file
from tests.support.factories import sms_xml

DISK_FULL = "is full: {doing} did not happen and nothing was changed"


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=8m,mode=0700", "tmpfs", str(disk)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small disk here (needs root): {mounted.stderr.strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


def _fill(disk: Path) -> Path:
    """Write a filler file until the disk refuses another byte."""
    filler = disk / "filler"
    chunk = b"\0" * 65536
    with filler.open("wb", buffering=0) as handle:
        with contextlib.suppress(OSError):
            while True:
                handle.write(chunk)
        with contextlib.suppress(OSError):
            while True:  # the last few hundred bytes, one at a time
                handle.write(b"\0")
    return filler


@pytest.fixture
def full_vault(small_disk: Path, tmp_path: Path, monkeypatch) -> Iterator[tuple[Path, Path]]:
    path = small_disk / "case.ncovault"
    with Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF) as vault:
        write_file(tmp_path / "first" / "sms.xml", sms_xml(5))
        assert import_paths(vault, [tmp_path / "first"], thumbnails=False).all_ok
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    filler = _fill(small_disk)
    yield path, filler


def _state(path: Path) -> tuple[int, int, str]:
    with Vault.open(path, PASSPHRASE) as vault:
        entries = vault.conn.execute("SELECT count(*) FROM entries").fetchone()[0]
        report = check_chain(vault.conn)
        assert report.intact
        return entries, report.rows, report.head.hash


def test_every_write_says_the_disk_is_full_and_reading_still_works(full_vault, tmp_path, capsys):
    path, filler = full_vault
    write_file(tmp_path / "more" / "sms.xml", sms_xml(40))  # 35 new, 5 known
    vault = ["--vault", str(path)]
    new = tmp_path / "new-passphrase.txt"
    new.write_text("a much longer new passphrase for this vault\n")
    writes = {
        "the passphrase change": ["passwd", *vault, "--new-passphrase-file", str(new)],
        "the import": ["import", *vault, str(tmp_path / "more")],
        "saving the case details": ["case", *vault, "--title", "Doe v. Roe, again"],
        "the backup": ["backup", *vault, str(path.with_name("copy.ncovault"))],
        "the binder": ["binder", *vault, "--out", str(path.with_name("binder.pdf"))],
    }
    for doing, command in writes.items():
        capsys.readouterr()
        assert main(command) == 1, doing
        said = capsys.readouterr().err
        assert DISK_FULL.format(doing=doing) in said, (doing, said)
        assert "damaged" not in said and "internal error" not in said, said
    # Reading needs no space: the timeline and the check work on a full disk.
    capsys.readouterr()
    assert main(["list", *vault]) == 0
    assert main(["verify", *vault]) == 0
    # Nothing half-written was left, and once there is room the vault is as it was.
    leftovers = {p.name for p in path.parent.iterdir()}
    assert leftovers <= {path.name, "filler", f"{path.name}-wal", f"{path.name}-shm"}
    filler.unlink()
    entries, rows, _ = _state(path)
    assert entries == 5
    assert main(["import", *vault, str(tmp_path / "more")]) == 0  # and works again
    assert _state(path)[0] == 40 and _state(path)[1] > rows


def test_the_window_says_it_too():
    """The window's messages go through prompts.explain: the same words, never
    "internal error" for a full disk."""
    import sqlcipher3

    from nco_desktop.ui.common.prompts import explain

    said = explain(sqlcipher3.OperationalError("database or disk is full"))
    assert said.startswith("The disk is full: nothing was changed.")
    assert "read-only" in explain(OSError(errno.EROFS, "Read-only file system", "x.pdf"))


def test_the_disk_faults_are_told_apart():
    """The words for each fault the operating system or SQLite reports."""
    import sqlcipher3

    full = disk_problem(OSError(errno.ENOSPC, "No space left on device"), "the backup")
    assert full is not None and full.kind == "full" and "the backup did not happen" in str(full)
    quota = disk_problem(OSError(errno.EDQUOT, "Disk quota exceeded"))
    assert quota is not None and quota.kind == "full"
    assert disk_problem(OSError(errno.EROFS, "Read-only file system")).kind == "read-only"
    assert disk_problem(OSError(errno.EACCES, "Permission denied")).kind == "refused"
    assert disk_problem(sqlcipher3.OperationalError("database or disk is full")).kind == "full"
    assert disk_problem(ValueError("no")) is None
    assert disk_problem(sqlcipher3.DatabaseError("file is not a database")) is None


def test_a_file_size_limit_is_named_as_such(tmp_path):
    """RLIMIT_FSIZE (as FAT32's 4 GiB does for a vault on a USB stick): SQLite says only
    "disk I/O error"; the words say the file reached the largest size allowed, and the
    vault is unchanged."""
    import os
    import resource
    import sys

    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="UTC", kdf=TEST_KDF).close()
    write_file(tmp_path / "in" / "scan.bin", os.urandom(3_000_000))
    limit = path.stat().st_size + 200_000

    def cap() -> None:  # in the child only
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "NCO_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(repo)}
    run = subprocess.run(
        [sys.executable, "-m", "nco_desktop", "import", "--vault", str(path), str(tmp_path / "in")],
        preexec_fn=cap,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 1
    assert (
        "“case.ncovault” has reached the largest file size allowed here: the import did "
        "not happen and nothing was changed" in run.stderr
    )
    assert _state(path)[0] == 0


def test_a_backup_to_a_nearly_full_disk_is_whole_or_not_there(small_disk, tmp_path):
    """A copy is written into its -wal first and SQLite folds it in on closing, ignoring
    a failure there: with room for the log but not for both, a broken file was saved
    under the chosen name. Now it is whole, or nothing is saved and the words say why."""
    import os
    import shutil

    from nco_desktop.backup import checked_backup
    from nco_desktop.vault.errors import VaultDamaged
    from nco_desktop.vault.faults import DiskProblem

    path = tmp_path / "case.ncovault"
    with Vault.create(path, PASSPHRASE, time_zone="UTC", kdf=TEST_KDF) as vault:
        write_file(tmp_path / "in" / "scan.bin", os.urandom(2_500_000))
        assert import_paths(vault, [tmp_path / "in"], thumbnails=False).all_ok
    size = path.stat().st_size
    filler = small_disk / "filler"
    filler.write_bytes(b"\0" * (shutil.disk_usage(small_disk).free - int(size * 1.5)))
    dest = small_disk / "copy.ncovault"
    with Vault.open(path, PASSPHRASE) as vault:
        try:
            checked_backup(vault, dest)
        except (DiskProblem, VaultDamaged) as refused:
            assert "nothing was saved" in str(refused) or "is full" in str(refused)
            assert not dest.exists()
        else:  # it fitted after all: then it must be whole
            with Vault.open(dest, PASSPHRASE) as copy:
                assert copy.conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
    assert {p.name for p in small_disk.iterdir()} <= {"filler", "copy.ncovault"}
    filler.unlink()
    assert _state(path)[0] == 1


def test_read_only_and_size_limit_words_are_given_only_when_true(tmp_path):
    """A read-only disk where SQLite cannot make its -shm is read-only, not failing; a
    vault larger than 4 GiB on a disk that allows it is not "at the largest size"."""
    import os

    import sqlcipher3

    from nco_desktop.vault import faults

    cantopen = sqlcipher3.OperationalError("unable to open database file")
    cantopen.sqlite_errorcode = faults.SQLITE_CANTOPEN  # type: ignore[attr-defined]
    big = tmp_path / "big.ncovault"
    with big.open("wb") as handle:  # sparse: 5 GiB on the books, nothing on the disk
        handle.truncate(5 * 1024**3)
    ioerr = sqlcipher3.OperationalError("disk I/O error")
    problem = faults.disk_problem(ioerr, "the import", big)
    assert problem is not None and problem.kind == "failing"
    os.truncate(big, faults.FAT32_LARGEST - 1000)  # at FAT32's limit
    assert faults.disk_problem(ioerr, "the import", big).kind == "too-large"
    assert faults.disk_problem(cantopen, None, tmp_path / "x.ncovault").kind != "read-only"


def test_a_read_only_disk_is_said_to_be_read_only(small_disk):
    import sqlcipher3

    from nco_desktop.vault import faults

    path = small_disk / "case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="UTC", kdf=TEST_KDF).close()
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    cantopen = sqlcipher3.OperationalError("unable to open database file")
    cantopen.sqlite_errorcode = faults.SQLITE_CANTOPEN  # type: ignore[attr-defined]
    assert faults.disk_problem(cantopen, None, path).kind == "read-only"
    with pytest.raises(faults.DiskProblem, match="is read-only"):
        Vault.open(path, PASSPHRASE)
