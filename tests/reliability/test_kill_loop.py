"""kill -9 at any moment of a write loses nothing (issue #16's reliability loop).

The real command line runs import, passphrase change, backup, binder and case edits in
a child process, which is killed with SIGKILL (with its sandbox workers) after a random
delay inside the time the command takes. After every kill:

- the vault opens with the old passphrase or the new one, never neither;
- every encrypted page, every original's SHA-256 and the audit chain check out;
- what was written is all or nothing: entries only grow by whole files, a backup or a
  binder exists whole under its name or not at all;
- the next command that opens the vault removes what the killed one left half-written.

50 kills in the normal suite; ``NCO_SOAK=1`` runs ``NCO_KILLS`` (default 300). The random
seed is printed, and ``NCO_KILL_SEED`` replays one run.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from nco_desktop.vault import TEST_KDF, Vault, WrongPassphrase
from nco_desktop.vault.partials import is_partial_name
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE, write_file
from tests.support.factories import sms_xml

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

REPO = Path(__file__).resolve().parents[2]
NO_NETWORK = REPO / "tests" / "support" / "no_network"
OTHER = "another long passphrase for the same vault"
KILLS = int(os.environ.get("NCO_KILLS", "300")) if os.environ.get("NCO_SOAK") else 50


class Case:
    """The vault under test and what is known about it between kills."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.path = folder / "case.ncovault"
        self.passphrase = PASSPHRASE
        self.entries = 0
        self.imports = 0
        with Vault.create(self.path, PASSPHRASE, time_zone="UTC", kdf=TEST_KDF):
            pass
        self.env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(NO_NETWORK), str(REPO)]),
        }

    def command(self, kind: str, number: int) -> list[str]:
        vault = ["--vault", str(self.path)]
        if kind == "import":
            self.imports += 1
            batch = self.folder / f"batch-{self.imports}"
            for index in range(3):  # three files: three transactions
                write_file(batch / f"sms-{self.imports}-{index}.xml", sms_xml(20 + index))
            return ["import", *vault, str(batch)]
        if kind == "passwd":
            new = self.folder / "new.txt"
            new.write_text((OTHER if self.passphrase == PASSPHRASE else PASSPHRASE) + "\n")
            return ["passwd", *vault, "--new-passphrase-file", str(new)]
        if kind == "backup":
            return ["backup", *vault, str(self.folder / "backups" / f"copy-{number}.ncovault")]
        if kind == "binder":
            return ["binder", *vault, "--out", str(self.folder / "out" / f"b-{number}.pdf")]
        return ["case", *vault, "--title", f"Doe v. Roe, edit {number}"]

    def run(self, args: list[str], kill_after: float | None) -> int | None:
        """The CLI in a child process group; killed after *kill_after* s if given.
        Its exit code, or None when it was killed."""
        env = {**self.env, "NCO_PASSPHRASE": self.passphrase}
        child = subprocess.Popen(
            [sys.executable, "-m", "nco_desktop", *args],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its sandbox workers die with it
        )
        if kill_after is None:
            return child.wait(timeout=120)
        try:
            return child.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait(timeout=30)
            return None

    def which_passphrase(self) -> str:
        """The passphrase the vault opens with now; exactly one of the two must."""
        opened = []
        for candidate in (PASSPHRASE, OTHER):
            try:
                with Vault.open(self.path, candidate):
                    opened.append(candidate)
            except WrongPassphrase:
                pass
        assert len(opened) == 1, "the vault opens with neither passphrase, or both"
        return opened[0]

    def check(self) -> None:
        self.passphrase = self.which_passphrase()
        with Vault.open(self.path, self.passphrase) as vault:
            report = verify_vault(vault)
            assert report.intact, report.problems
            entries = vault.conn.execute("SELECT count(*) FROM entries").fetchone()[0]
        assert entries >= self.entries, "entries were lost"
        self.entries = entries
        for pdf in (self.folder / "out").glob("*.pdf"):
            assert len(PdfReader(pdf).pages) > 0, f"{pdf.name} is not whole"
        for copy in (self.folder / "backups").glob("*.ncovault"):
            with Vault.open(copy, self.passphrase_of(copy)) as backup:
                assert verify_vault(backup).intact, f"{copy.name} is not whole"

    @staticmethod
    def passphrase_of(copy: Path) -> str:
        for candidate in (PASSPHRASE, OTHER):
            try:
                with Vault.open(copy, candidate):
                    return candidate
            except WrongPassphrase:
                continue
        raise AssertionError(f"{copy.name} opens with neither passphrase")


def _timings(case: Case) -> dict[str, float]:
    """How long each kind of command takes here, run once to the end."""
    took = {}
    for kind in ("import", "passwd", "backup", "binder", "case"):
        started = time.monotonic()
        assert case.run(case.command(kind, 0), None) == 0, kind
        took[kind] = time.monotonic() - started
        case.check()
    return took


def test_kill_minus_nine_at_any_moment_loses_nothing(tmp_path, capsys):
    seed = int(os.environ.get("NCO_KILL_SEED") or random.randrange(1 << 30))
    with capsys.disabled():
        print(f"\nkill loop: {KILLS} kills, seed {seed} (NCO_KILL_SEED replays it)")
    chance = random.Random(seed)
    (tmp_path / "out").mkdir()
    (tmp_path / "backups").mkdir()
    case = Case(tmp_path)
    took = _timings(case)
    killed = 0
    for number in range(1, KILLS + 1):
        kind = chance.choice(sorted(took))
        # Most kills land inside the command's own work, past the interpreter's start.
        delay = chance.uniform(0.05, took[kind] * 1.1)
        if case.run(case.command(kind, number), delay) is None:
            killed += 1
        case.check()
    # The next command cleans what the killed ones left half-written.
    assert case.run(["list", "--vault", str(case.path)], None) == 0
    left = [p.name for p in tmp_path.rglob("*") if is_partial_name(p.name)]
    assert left == []
    assert killed >= KILLS // 2, f"only {killed} of {KILLS} commands were killed mid-way"
