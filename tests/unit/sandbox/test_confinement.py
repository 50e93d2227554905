"""A parser taken over by a hostile file cannot reach the key, the vault, the network or
the disk. Each probe runs *inside* a real worker, through the import's format-forcing
hook, as the code an exploit would run there; the parent's environment holds the
passphrase the way ``NCO_PASSPHRASE`` does for the command line."""

from __future__ import annotations

import os
import platform
import sys
import time

import pytest

from nco_desktop.importers.batch import Outcome, import_paths
from nco_desktop.sandbox.pool import Limits, ParserPool, ParseTask
from nco_desktop.timeline.query import iter_entries
from tests.conftest import PASSPHRASE, write_file

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux layers")

HOSTILE = "tests.support.hostile_parsers"
QUICK = Limits(cpu_seconds=10, wall_seconds=20.0, wall_seconds_per_mb=0.0)


def probe(vault, tmp_path, monkeypatch, line: str, folder: str = "in") -> str:
    """Run one probe in a worker (the import reads *folder*); the note it wrote."""
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    name = line.split()[0]
    before = {e.id for e in iter_entries(vault.conn)}
    write_file(tmp_path / folder / f"{name}.probe", line + "\n")
    summary = import_paths(
        vault, [tmp_path / folder], force_format=HOSTILE, workers=1, limits=QUICK
    )
    (result,) = [r for r in summary.results if r.name == f"{name}.probe"]
    assert result.outcome is Outcome.IMPORTED, result.message
    new = [e.text or "" for e in iter_entries(vault.conn) if e.id not in before]
    (text,) = [t for t in new if t.startswith(name)]
    return text.removeprefix(f"{name}: ")


def test_a_file_that_took_its_worker_over_cannot_answer_for_the_next(vault, tmp_path):
    """Each file is read by a worker of its own (forked from a zygote that never reads
    a file), so what one file left in its worker is gone for the file after it."""
    write_file(tmp_path / "in" / "a-plant.probe", "plant forged-by-an-earlier-file\n")
    write_file(tmp_path / "in" / "b-victim.probe", "victim\n")
    write_file(tmp_path / "in" / "c-pid.probe", "pid first\n")
    write_file(tmp_path / "in" / "d-pid.probe", "pid second\n")
    summary = import_paths(vault, [tmp_path / "in"], force_format=HOSTILE, workers=1, limits=QUICK)
    assert summary.all_ok
    notes = sorted(e.text or "" for e in iter_entries(vault.conn))
    assert "plant: planted" in notes
    assert "victim: clean" in notes
    pids = {n.removeprefix("pid: ") for n in notes if n.startswith("pid: ")}
    assert len(pids) == 2 and str(os.getpid()) not in pids


@pytest.mark.parametrize("fresh", [True, False], ids=["forked", "long-lived"])
def test_every_thread_of_a_worker_is_confined(tmp_path, fresh):
    """Seccomp, Landlock and no_new_privs bind the calling thread and those it starts
    later: a thread started before confining (the parent watch did) stayed free, and
    code that took the worker over could write files and open sockets from it."""
    write_file(tmp_path / "in" / "threads.probe", "threads\n")
    task = _forced(tmp_path / "in" / "threads.probe")
    with ParserPool(
        1, QUICK, roots=[tmp_path / "in"], preload=[HOSTILE], fresh_per_task=fresh
    ) as pool:
        messages = list(pool.submit(task).messages())
    (text,) = [i.text for kind, items in messages if kind == "items" for i in items]
    threads = text.removeprefix("threads: ").split()
    assert len(threads) >= 2, text  # the main thread and the parent watch
    assert all(t == "2/1" for t in threads), text  # seccomp filter / no_new_privs


def test_a_worker_cannot_leave_its_process_group(vault, tmp_path, monkeypatch):
    """Lock kills a zygote's whole process group; a child that left it would live on."""
    assert probe(vault, tmp_path, monkeypatch, "setsid") == "refused EPERM"


def test_a_forked_worker_ends_once_its_answer_is_in(tmp_path):
    """Code that took a worker over must not keep running through the rest of an import
    after the worker has answered for its own file."""
    write_file(tmp_path / "in" / "linger.probe", "linger\n")
    task = _forced(tmp_path / "in" / "linger.probe")
    with ParserPool(
        1, QUICK, roots=[tmp_path / "in"], preload=[HOSTILE], fresh_per_task=True
    ) as pool:
        messages = list(pool.submit(task).messages())
        (text,) = [i.text for kind, items in messages if kind == "items" for i in items]
        pid = int(text.removeprefix("linger: "))
        deadline = time.monotonic() + 5
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(pid), "the worker was still running after its answer"


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/status") as status:
            return "State:\tZ" not in status.read()
    except OSError:
        return False


def test_forked_workers_are_confined_each_and_go_with_their_pool():
    with ParserPool(1, QUICK, fresh_per_task=True) as pool:
        layers = pool.layers
        zygote_pid = pool._zygote.process.pid
    assert layers["no_new_privs"] is True and layers["seccomp"] is True
    assert layers["landlock"] >= 1
    with pytest.raises(ProcessLookupError):  # the zygote and its children are gone
        os.kill(zygote_pid, 0)


def _forced(path) -> ParseTask:
    """A task that reads *path* with the hostile parser, for a pool used directly."""
    return ParseTask(
        path=str(path), name=path.name, zone="UTC", region="US", mtime_ms=None,
        force_format=HOSTILE,
    )  # fmt: skip


def test_every_layer_is_active_here():
    """This machine (and CI) has Landlock and libseccomp: nothing may silently drop."""
    with ParserPool(1, QUICK) as pool:
        layers = pool.layers
    assert layers["no_new_privs"] is True
    assert layers["seccomp"] is True, layers.get("seccomp_error")
    assert layers["landlock"] >= 1, layers.get("landlock_error")


def test_the_worker_has_no_passphrase_in_its_environment(vault, tmp_path, monkeypatch):
    text = probe(vault, tmp_path, monkeypatch, "environ")
    assert "LC_ALL=C.UTF-8" in text  # the probe did read its environment
    assert PASSPHRASE not in text and "NCO_PASSPHRASE" not in text
    assert "HOME" not in text and "XDG" not in text  # nothing else of the parent's either


def test_the_worker_cannot_read_the_parents_environment(vault, tmp_path, monkeypatch):
    assert probe(vault, tmp_path, monkeypatch, "parent-environ").startswith("refused")


def test_no_new_privileges_and_a_seccomp_filter(vault, tmp_path, monkeypatch):
    text = probe(vault, tmp_path, monkeypatch, "status")
    assert "NoNewPrivs:\t1" in text
    assert "Seccomp:\t2" in text  # 2: a filter is loaded


@pytest.mark.parametrize("family", ["inet", "inet6", "unix"])
def test_the_worker_cannot_open_a_socket(vault, tmp_path, monkeypatch, family):
    assert probe(vault, tmp_path, monkeypatch, f"socket {family}") == "refused EPERM"


@pytest.mark.skipif(platform.machine() != "x86_64", reason="raw syscall number is x86-64's")
def test_the_socket_system_call_itself_is_refused(vault, tmp_path, monkeypatch):
    assert probe(vault, tmp_path, monkeypatch, "raw-socket") == "fd=-1 errno=EPERM"


@pytest.mark.parametrize("where", ["in/written.txt", "written.txt"])
@pytest.mark.parametrize("how", ["write", "create"])
def test_the_worker_cannot_write_a_file(vault, tmp_path, monkeypatch, how, where):
    """Not beside the files being imported (readable to it), nor anywhere else."""
    target = tmp_path / where
    text = probe(vault, tmp_path, monkeypatch, f"{how} {target}")
    assert text.startswith("refused"), text
    assert not target.exists()


def test_the_worker_cannot_delete_a_file(vault, tmp_path, monkeypatch):
    victim = write_file(tmp_path / "in" / "keep-me.txt", "evidence")
    probe_text = probe(vault, tmp_path, monkeypatch, f"unlink {victim}")
    assert probe_text.startswith("refused")
    assert victim.read_text() == "evidence"


def test_the_worker_cannot_run_a_program(vault, tmp_path, monkeypatch):
    assert probe(vault, tmp_path, monkeypatch, "exec") == "refused EPERM"


def test_the_worker_cannot_open_the_vault(vault, tmp_path, monkeypatch):
    assert vault.path.exists()
    assert probe(vault, tmp_path, monkeypatch, f"read {vault.path}") == "refused EACCES"


def test_the_worker_can_read_the_folder_it_was_given(vault, tmp_path, monkeypatch):
    """The other side of the probe above: refusals are Landlock's choice, not a broken
    worker. A sibling of the imported file is readable, a file outside is not."""
    sibling = write_file(tmp_path / "in" / "sub" / "beside.txt", "12345")
    outside = write_file(tmp_path / "elsewhere.txt", "12345")
    assert probe(vault, tmp_path, monkeypatch, f"read {sibling}") == "allowed: 5"
    assert outside.exists()
    assert probe(vault, tmp_path, monkeypatch, f"read {outside}", "in2") == "refused EACCES"


def test_the_worker_cannot_signal_or_read_the_parent(vault, tmp_path, monkeypatch):
    assert probe(vault, tmp_path, monkeypatch, "signal-parent") == "refused EPERM"
    assert os.getpid() > 0  # still here


def test_the_worker_cannot_queue_a_signal_to_the_parent(vault, tmp_path, monkeypatch):
    """kill() was refused, but rt_sigqueueinfo with SI_QUEUE reached any process of the
    user where Landlock's signal scope is missing (before Linux 6.12)."""
    assert probe(vault, tmp_path, monkeypatch, "sigqueue-parent") == "result=-1 errno=EPERM"


def test_the_worker_cannot_start_a_process(vault, tmp_path, monkeypatch):
    """A forked child would outlive the worker's kill, evidence and all."""
    assert probe(vault, tmp_path, monkeypatch, "fork").startswith("refused")


def test_the_worker_cannot_read_the_parents_memory(vault, tmp_path, monkeypatch):
    assert probe(vault, tmp_path, monkeypatch, "ptrace-parent").startswith("refused")


def test_the_worker_holds_no_file_of_the_program(vault, tmp_path, monkeypatch):
    """No vault, no -wal, nothing of the parent's: its stdio is /dev/null, then the
    channel, then the file the parser itself opened."""
    text = probe(vault, tmp_path, monkeypatch, "fds")
    targets = dict(pair.split("=", 1) for pair in text.split())
    assert targets["0"] == targets["1"] == targets["2"] == "/dev/null"
    assert not any(vault.path.name in target for target in targets.values())
    sockets = [t for t in targets.values() if t.startswith("socket:")]
    assert len(sockets) == 1, targets  # the channel, and no other


def test_seccomp_alone_refuses_queued_signals_to_other_processes():
    """Where Landlock cannot scope signals (before Linux 6.12, as on Debian 12 and Ubuntu
    24.04), the seccomp filter alone must keep a worker from killing the window."""
    import subprocess
    import sys

    victim = subprocess.Popen(["sleep", "60"])  # stands in for the window
    code = (
        "import ctypes, errno\n"
        "from nco_desktop.sandbox.confine import _seccomp\n"
        "_seccomp()\n"
        "libc = ctypes.CDLL(None, use_errno=True)\n"
        "info = (ctypes.c_int * 32)(); info[0] = 15; info[2] = -1  # SIGTERM, SI_QUEUE\n"
        f"result = libc.syscall(129, {victim.pid}, 15, info)  # rt_sigqueueinfo\n"
        "print(result, errno.errorcode.get(ctypes.get_errno()))\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
        )
        assert done.stdout.split() == ["-1", "EPERM"], done.stderr
        assert victim.poll() is None  # still alive
    finally:
        victim.kill()
        victim.wait()


def test_a_packaged_worker_may_read_its_own_executable_and_nothing_beside_it(tmp_path, monkeypatch):
    """PyInstaller reads the program's modules from an archive inside the executable at
    each import: without it a worker failed every lazily imported reader (all JPEG and
    HEIC files "damaged"). Only that file is added, not its folder, where a portable
    copy keeps its settings and perhaps the vault."""
    from nco_desktop.sandbox import confine

    program = tmp_path / "usb" / "nco-desktop"
    program.parent.mkdir()
    program.write_bytes(b"\x7fELF")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(program))
    paths = confine._program_paths()
    assert str(program) in paths
    assert str(program.parent) not in paths
