"""``nco-desktop ocr``: reads the pictures' text as a real process, with sockets
forbidden in it, and a kill -9 in the middle loses nothing and is resumed next time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from nco_desktop.importers.batch import import_paths
from nco_desktop.ocr import store
from nco_desktop.vault import TEST_KDF, Vault
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE, write_file
from tests.e2e.test_cli import NO_NETWORK, REPO, run_cli
from tests.unit.ocr.test_ocr_queue import screenshot

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX kill")


@pytest.fixture
def cli_vault(tmp_path, monkeypatch):
    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF).close()
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    return path


def fill(path, tmp_path, count: int) -> None:
    for n in range(count):
        write_file(
            tmp_path / "in" / f"shot{n:02}.png", screenshot([f"message number {n}", "I know"])
        )
    with Vault.open(path, PASSPHRASE) as vault:
        import_paths(vault, [tmp_path / "in"], thumbnails=False)


def readings(path) -> int:
    with Vault.open(path, PASSPHRASE) as vault:
        return int(vault.conn.execute("SELECT count(*) FROM ocr_pages").fetchone()[0])


def test_status_then_read_then_list_finds_the_words(cli_vault, tmp_path):
    fill(cli_vault, tmp_path, 2)
    before = run_cli("ocr", "--vault", cli_vault, "--status")
    assert before.returncode == 0, before.stderr
    assert "Text read in 0 of 2 pictures; 2 waiting" in before.stdout
    done = run_cli("ocr", "--vault", cli_vault)
    assert done.returncode == 0, done.stderr
    assert "Read 2 pictures" in done.stdout and "Text read in 2 of 2 pictures" in done.stdout
    listed = run_cli("list", "--vault", cli_vault, "--text", "message number 1")
    assert listed.returncode == 0 and "shot01.png" in listed.stdout
    assert "shot00.png" not in listed.stdout


def test_a_kill_in_the_middle_loses_nothing_and_the_next_run_resumes(cli_vault, tmp_path):
    fill(cli_vault, tmp_path, 12)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(NO_NETWORK), str(REPO)])}
    child = subprocess.Popen(
        [sys.executable, "-m", "nco_desktop", "ocr", "--vault", str(cli_vault)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its workers die with it: the whole group is killed
    )
    try:
        deadline = time.monotonic() + 60
        while readings(cli_vault) < 3 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            os.killpg(child.pid, signal.SIGKILL)
    read_before = readings(cli_vault)
    assert 3 <= read_before < 12, "the kill came too late to test resuming"
    with Vault.open(cli_vault, PASSPHRASE) as vault:
        assert store.status(vault).pending == 12 - read_before
        assert verify_vault(vault).intact
    resumed = run_cli("ocr", "--vault", cli_vault)
    assert resumed.returncode == 0, resumed.stderr
    assert f"Read {12 - read_before} pictures" in resumed.stdout
    with Vault.open(cli_vault, PASSPHRASE) as vault:
        assert store.status(vault).done == 12
        reads = vault.conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'ocr.read'"
        ).fetchone()[0]
        assert reads == 12  # none read twice
        assert verify_vault(vault).intact
