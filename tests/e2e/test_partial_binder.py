"""A binder build killed mid-write leaves a clear-text partial file; the next time the
vault is opened it is removed, and nothing else in the folder is touched."""

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from nco_desktop.binder.copies import (
    BuiltBinder,
    BuiltCopy,
    changed_since,
    last_audit_seq,
    save_copies,
)
from nco_desktop.binder.output import (
    EXPORT_FOLDERS_SETTING,
    REMOVED_ACTION,
    is_partial_name,
    remember_export_folders,
    remove_partial_leftovers,
    write_atomically,
)
from nco_desktop.binder.saved_options import BinderChoices
from nco_desktop.progress import CancelToken
from nco_desktop.vault import TEST_KDF, Vault
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE, write_file

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX kill and links")

REPO = Path(__file__).resolve().parents[2]
NO_NETWORK = REPO / "tests" / "support" / "no_network"

#: The real CLI, with one seam replaced: the partial file's first write is made, flushed,
#: announced in READY, and then the process waits to be killed. No switch in the product
#: does this; only this test's child process patches it in.
PAUSE_AFTER_FIRST_CHUNK = """
import sys, time
from pathlib import Path
from nco_desktop.binder import output
from nco_desktop.cli import main

ready = Path(sys.argv[1])
real_open = output._open_partial


class Pausing:
    def __init__(self, handle, partial):
        self._handle, self._partial = handle, partial

    def write(self, data):
        written = self._handle.write(data)
        self._handle.flush()
        ready.write_text(str(self._partial))
        time.sleep(600)
        return written

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return self._handle.__exit__(*exc)


output._open_partial = lambda partial: Pausing(real_open(partial), partial)
sys.exit(main(sys.argv[2:]))
"""


def _snapshot(folder: Path) -> dict[str, tuple[str, bytes | str, int]]:
    """Every entry under *folder*, links and pipes included, as found (never followed)."""
    found: dict[str, tuple[str, bytes | str, int]] = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        if path.is_symlink():
            found[str(path)] = ("link", os.readlink(path), info.st_mtime_ns)
        elif path.is_fifo() or path.is_socket():
            found[str(path)] = ("special", "", info.st_mtime_ns)
        elif path.is_dir():
            found[str(path)] = ("folder", "", info.st_mtime_ns)
        else:
            found[str(path)] = ("file", path.read_bytes(), info.st_mtime_ns)
    return found


def _neighbours(out: Path, tmp_path: Path) -> list[socket.socket]:
    """What else is in the folder: the user's files and look-alikes that are not ours."""
    write_file(out / "my notes.txt", "keep me")
    write_file(out / "binder.pdf.nco-partial-1a2b3c4d", "no leading dot: not our name")
    write_file(out / ".other.pdf.partial-deadbeef", "another program's partial file")
    write_file(out / ".x.pdf.nco-partial-DEADBEEF", "upper-case hex: not our name")
    write_file(out / ".y.pdf.nco-partial-12345678.bak", "a suffix: not our name")
    write_file(out / "sub" / ".z.pdf.nco-partial-12345678", "in a subfolder never written to")
    (out / ".d.pdf.nco-partial-abcdef12").mkdir()
    os.mkfifo(out / ".f.pdf.nco-partial-abcdef13")  # opening it would block
    elsewhere = write_file(tmp_path / "elsewhere" / "precious.pdf", "not in the folder")
    os.symlink(elsewhere, out / ".l.pdf.nco-partial-abcdef14")
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(str(out / ".s.pdf.nco-partial-abcdef15"))
    return [unix]


def test_a_binder_killed_mid_write_is_removed_at_the_next_open(tmp_path):
    vault = tmp_path / "case.ncovault"
    Vault.create(vault, PASSPHRASE, time_zone="UTC", kdf=TEST_KDF, case_title="Doe v. Roe").close()
    out = tmp_path / "court"
    out.mkdir()
    sockets = _neighbours(out, tmp_path)
    before = _snapshot(out)
    ready = tmp_path / "ready"
    env = {
        **os.environ,
        "NCO_PASSPHRASE": PASSPHRASE,
        "PYTHONPATH": os.pathsep.join([str(NO_NETWORK), str(REPO)]),
    }
    child = subprocess.Popen(
        [
            *(sys.executable, "-c", PAUSE_AFTER_FIRST_CHUNK, str(ready)),
            *("binder", "--vault", str(vault), "--out", str(out / "binder.pdf")),
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not ready.exists() and child.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ready.exists(), child.communicate(timeout=5)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()
        child.stderr.close()
    partial = Path(ready.read_text())

    # What a kill -9 leaves: the start of the binder, in the clear, under a name that
    # says it is partial and ours; owner-only; no final file.
    assert partial.parent == out and is_partial_name(partial.name)
    assert partial.name.startswith(".binder.pdf.nco-partial-")
    assert partial.read_bytes().startswith(b"%PDF")
    assert partial.stat().st_mode & 0o777 == 0o600
    assert not (out / "binder.pdf").exists()
    left = _snapshot(out)
    assert set(left) - set(before) == {str(partial)}

    # The next open, here by the CLI's list command in its own process, removes it.
    done = subprocess.run(
        [sys.executable, "-m", "nco_desktop", "list", "--vault", str(vault), "--json"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    for s in sockets:
        s.close()
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == []  # the note went to stderr, the data stays clean
    assert f"Removed “{partial}”" in done.stderr
    assert not partial.exists()
    assert _snapshot(out) == before  # nothing else touched: same names, bytes and times

    with Vault.open(vault, PASSPHRASE) as opened:
        assert opened.setting(EXPORT_FOLDERS_SETTING) == [os.path.realpath(out)]
        (details,) = [
            json.loads(row[0])
            for row in opened.conn.execute(
                "SELECT details_json FROM audit_log WHERE action = ?", (REMOVED_ACTION,)
            )
        ]
        assert details == {"files": [str(partial)]}
        assert remove_partial_leftovers(opened) == []  # nothing more, and no new audit row
        assert verify_vault(opened).intact


def test_a_partial_being_written_by_another_process_is_left_alone(vault, tmp_path):
    """Another window or command opening the vault mid-build must not pull the file
    out from under a running build: the writer holds a lock on its partial."""
    out = tmp_path / "out"
    out.mkdir()
    remember_export_folders(vault, [out])
    seen: list[list[Path]] = []

    def write(handle):
        handle.write(b"%PDF-1.7 first part")
        seen.append(remove_partial_leftovers(vault))
        handle.write(b" and the rest")

    size = write_atomically(out / "binder.pdf", write)
    assert seen == [[]]
    assert (out / "binder.pdf").read_bytes() == b"%PDF-1.7 first part and the rest"
    assert size == len(b"%PDF-1.7 first part and the rest")
    assert os.listdir(out) == ["binder.pdf"]


def test_the_window_save_remembers_its_folders_before_writing(vault, tmp_path):
    out = tmp_path / "usb stick"
    out.mkdir()
    built = BuiltBinder(
        court=BuiltCopy(b"%PDF-1.7 court copy", 1),
        service=None,
        exhibits=0,
        choices=BinderChoices(),
        audit_seq=last_audit_seq(vault),
    )
    saved = save_copies(
        vault,
        built,
        out / "Exhibits.pdf",
        split_mb=None,
        recordings=True,
        progress=lambda done, total, label: None,
        cancel=CancelToken(),
    )
    assert saved.error is None and saved.written == [out / "Exhibits.pdf"]
    assert vault.setting(EXPORT_FOLDERS_SETTING) == sorted(
        [os.path.realpath(out), os.path.realpath(out / "Exhibits-recordings")]
    )
    # Noting the folder is on the audit log, but does not make the preview look out of date.
    assert not changed_since(vault, built, BinderChoices())
    # Saving there again adds nothing to the audit log.
    rows = vault.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    remember_export_folders(vault, [out])
    assert vault.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0] == rows


def test_a_remembered_folder_that_is_gone_is_passed_over(vault, tmp_path):
    gone = tmp_path / "unplugged"
    remember_export_folders(vault, [gone, tmp_path / "file.txt"])
    write_file(tmp_path / "file.txt", "a file where a folder was")
    assert remove_partial_leftovers(vault) == []
