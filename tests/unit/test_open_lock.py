"""One writer per vault: the open lock, between opens in one process, between
processes, after a crash, and in the command line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nco_desktop.cli import main
from nco_desktop.vault import TEST_KDF, Vault
from nco_desktop.vault.open_lock import OpenLock, VaultInUse, is_open_elsewhere, lock_path
from tests.conftest import PASSPHRASE

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX flock semantics")


def test_a_second_open_is_refused_until_the_first_lets_go(tmp_path):
    vault = tmp_path / "case.ncovault"
    first = OpenLock(vault).acquire()
    assert first.held and lock_path(vault).exists()
    assert lock_path(vault).read_bytes() == b""  # no name, no path, no process id
    with pytest.raises(VaultInUse, match="open in another window"):
        OpenLock(vault).acquire()
    assert is_open_elsewhere(vault)
    first.release()
    assert not lock_path(vault).exists()  # nothing left beside the vault
    assert not is_open_elsewhere(vault)
    with OpenLock(vault) as second:
        assert second.held
    first.release()  # twice is harmless


def test_another_vault_in_the_same_folder_is_not_blocked(tmp_path):
    with OpenLock(tmp_path / "one.ncovault"), OpenLock(tmp_path / "two.ncovault") as other:
        assert other.held


def _holder(vault: Path) -> subprocess.Popen[str]:
    """Another process that takes the lock, says so, then waits to be killed."""
    code = textwrap.dedent(
        f"""
        import sys, time
        from nco_desktop.vault.open_lock import OpenLock
        lock = OpenLock({str(vault)!r}).acquire()
        print("held", flush=True)
        time.sleep(60)
        """
    )
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    holder = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_a_crashed_holder_never_leaves_a_stale_lock(tmp_path):
    vault = tmp_path / "case.ncovault"
    holder = _holder(vault)
    try:
        assert is_open_elsewhere(vault)
        with pytest.raises(VaultInUse):
            OpenLock(vault).acquire()
    finally:
        holder.send_signal(signal.SIGKILL)  # no clean-up runs: the lock file stays
        holder.wait(10)
    assert lock_path(vault).exists()
    with OpenLock(vault) as lock:  # the operating system let go when it died
        assert lock.held


def test_a_folder_that_refuses_a_lock_file_does_not_keep_the_user_out(tmp_path):
    missing = tmp_path / "no such folder" / "case.ncovault"
    with OpenLock(missing) as lock:
        assert lock.held


@pytest.fixture
def cli_vault(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF).close()
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    return path


def test_a_command_that_writes_is_refused_while_a_window_has_the_vault(cli_vault, tmp_path, capsys):
    window = OpenLock(cli_vault).acquire()  # what the window holds while unlocked
    try:
        assert main(["case", "--vault", str(cli_vault), "--court", "Lake County"]) == 1
        assert "open in another window" in capsys.readouterr().err
        assert main(["list", "--vault", str(cli_vault)]) == 0  # reading is harmless
        assert is_open_elsewhere(cli_vault)  # and the window's lock is still its own
    finally:
        window.release()
    assert main(["case", "--vault", str(cli_vault), "--court", "Lake County"]) == 0
    assert not lock_path(cli_vault).exists()  # let go when the command ended
