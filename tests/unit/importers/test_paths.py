"""Walking what the user chose: loops, pipes, sockets, devices and links never stop or
steer an import, and nothing is opened while walking."""

import os
import socket
import stat
import sys
import threading
from pathlib import Path

import pytest

from nco_desktop.cli import main
from nco_desktop.importers.batch import Outcome, import_paths
from nco_desktop.importers.paths import LINK_REFUSED, Candidate, collect
from nco_desktop.timeline.query import iter_entries
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE, write_file

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX links, pipes, sockets")


def _collect_within(paths: list[Path], seconds: float = 20, **kwargs: bool) -> list[Candidate]:
    """collect(), failing instead of hanging if anything opened a pipe."""
    found: list[list[Candidate]] = []
    worker = threading.Thread(target=lambda: found.append(collect(paths, **kwargs)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert found, "collect() did not return: something waited on a pipe"
    return found[0]


def _hostile_folder(tmp_path: Path) -> tuple[Path, list[socket.socket]]:
    root = tmp_path / "evidence"
    write_file(root / "good.txt", "he called at 2am again")
    write_file(root / "sub" / "also-good.txt", "and at 3am")
    os.symlink("loop", root / "loop")  # a link to itself
    os.symlink("b", root / "a")  # two links pointing at each other
    os.symlink("a", root / "b")
    os.symlink(".", root / "sub" / "here")  # a folder link back into the chosen folder
    os.symlink("../..", root / "sub" / "up")  # … and one out of it
    os.symlink("/etc/passwd", root / "passwd.jpg")
    os.symlink(root / "nothing-here", root / "dangling.png")
    os.mkfifo(root / "pipe.txt")
    unix = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    unix.bind(str(root / "sock.txt"))
    return root, [unix]


def test_a_hostile_folder_is_walked_and_each_oddity_named(tmp_path):
    root, sockets = _hostile_folder(tmp_path)
    try:
        found = {c.display_name: c for c in _collect_within([root])}
    finally:
        for s in sockets:
            s.close()
    assert found["good.txt"].skip_reason is None and found["good.txt"].error is None
    assert found["also-good.txt"].skip_reason is None
    assert "loop" in (found["loop"].skip_reason or "")
    assert "loop" in (found["a"].skip_reason or "") and "loop" in (found["b"].skip_reason or "")
    assert "outside the chosen folder" in (found["up"].skip_reason or "")
    assert "outside the chosen folder" in (found["passwd.jpg"].skip_reason or "")
    assert "does not exist" in (found["dangling.png"].skip_reason or "")
    assert "named pipe" in (found["pipe.txt"].skip_reason or "")
    assert "socket" in (found["sock.txt"].skip_reason or "")
    assert "here" not in found  # a link back inside: its folder is walked once, as itself
    assert list(found) == [
        "a",
        "b",
        "dangling.png",
        "good.txt",
        "loop",
        "passwd.jpg",
        "pipe.txt",
        "sock.txt",
        "also-good.txt",
        "up",
    ]


def test_the_good_file_imports_and_the_rest_is_named_on_the_command_line(
    tmp_path, vault_path, capsys, monkeypatch
):
    root, sockets = _hostile_folder(tmp_path)
    from nco_desktop.vault import TEST_KDF, Vault

    Vault.create(vault_path, PASSPHRASE, time_zone="UTC", kdf=TEST_KDF).close()
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    try:
        code = main(["import", "--vault", str(vault_path), str(root)])
    finally:
        for s in sockets:
            s.close()
    out = capsys.readouterr().out
    assert code == 0, out  # skipped oddities are not failures: the normal exit code
    lines = {line.split("—")[0].split()[-1]: line for line in out.splitlines() if "—" in line}
    assert lines["good.txt"].split()[0] == "imported"
    assert lines["also-good.txt"].split()[0] == "imported"
    for name in ("loop", "a", "b", "up", "passwd.jpg", "dangling.png", "pipe.txt", "sock.txt"):
        assert lines[name].split()[0] == "skipped", lines[name]
    assert "2 imported" in out and "8 skipped" in out
    with Vault.open(vault_path, PASSPHRASE) as vault:
        names = {entry.original_name for entry in iter_entries(vault.conn)}
        assert names == {"good.txt", "also-good.txt"}
        assert b"root:" not in b"".join(
            row[0] for row in vault.conn.execute("SELECT data FROM blob_chunks")
        )
        assert verify_vault(vault).intact


def test_a_link_named_directly_is_refused_unless_followed(tmp_path, vault, capsys, monkeypatch):
    target = write_file(tmp_path / "elsewhere" / "real.txt", "the real note")
    link = tmp_path / "looks-like-a-photo.jpg"
    os.symlink(target, link)
    passwd = tmp_path / "passwd.jpg"
    os.symlink("/etc/passwd", passwd)
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    vault.close()

    code = main(["import", "--vault", str(vault.path), str(link), str(passwd)])
    out = capsys.readouterr().out
    assert code == 1  # the user asked for two files and got neither
    assert out.count(LINK_REFUSED) == 2
    assert "--follow-symlinks" in out
    assert "0 imported" in out

    code = main(["import", "--vault", str(vault.path), "--follow-symlinks", str(link)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "1 imported" in out and "--follow-symlinks" not in out


def test_a_followed_folder_link_is_walked_but_links_inside_it_are_not(tmp_path):
    real = tmp_path / "real"
    write_file(real / "note.txt", "x")
    os.symlink("/etc", real / "etc")
    link = tmp_path / "link-to-folder"
    os.symlink(real, link)
    (refused,) = _collect_within([link])
    assert refused.error == LINK_REFUSED
    found = {c.display_name: c for c in _collect_within([link], follow_symlinks=True)}
    assert found["note.txt"].skip_reason is None
    assert "outside the chosen folder" in (found["etc"].skip_reason or "")


def test_a_loop_or_a_dangling_link_named_directly_is_a_reason_not_a_crash(tmp_path):
    loop = tmp_path / "loop"
    os.symlink("loop", loop)
    dangling = tmp_path / "dangling"
    os.symlink(tmp_path / "gone", dangling)
    for follow in (False, True):
        found = _collect_within([loop, dangling], follow_symlinks=follow)
        assert [c.path for c in found] == [loop, dangling]
        assert all(c.error for c in found)
    followed = _collect_within([dangling], follow_symlinks=True)
    assert "does not exist" in (followed[0].error or "")


def test_a_device_or_pipe_named_directly_is_never_opened(tmp_path):
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    null, fifo = _collect_within([Path("/dev/null"), pipe])
    assert "device" in (null.skip_reason or "")
    assert "pipe" in (fifo.skip_reason or "")


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_a_device_inside_a_folder_is_named(tmp_path):
    write_file(tmp_path / "f" / "ok.txt", "x")
    os.mknod(tmp_path / "f" / "zero", stat.S_IFCHR | 0o600, os.makedev(1, 5))
    found = {c.display_name: c for c in _collect_within([tmp_path / "f"])}
    assert "device" in (found["zero"].skip_reason or "")
    assert found["ok.txt"].skip_reason is None


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every folder")
def test_an_unreadable_subfolder_is_named_and_the_walk_goes_on(tmp_path):
    write_file(tmp_path / "f" / "a.txt", "x")
    write_file(tmp_path / "f" / "locked" / "b.txt", "x")
    write_file(tmp_path / "f" / "z" / "c.txt", "x")
    (tmp_path / "f" / "locked").chmod(0)
    try:
        found = {c.display_name: c for c in _collect_within([tmp_path / "f"])}
    finally:
        (tmp_path / "f" / "locked").chmod(0o700)
    assert "permission denied" in (found["locked"].error or "")
    assert set(found) == {"a.txt", "locked", "c.txt"}


def test_a_very_deep_folder_does_not_exhaust_the_stack(tmp_path):
    deep = tmp_path / "d"
    deep.mkdir()
    for _ in range(1100):  # deeper than Python's recursion limit
        deep = deep / "d"
        deep.mkdir()
    (deep / "bottom.txt").write_text("x")
    try:
        (found,) = _collect_within([tmp_path / "d"])
        assert found.display_name == "bottom.txt" and found.skip_reason is None
    finally:
        # Removed bottom-up here: pytest's own clean-up of old temporary folders walks
        # them recursively and stopped the next run with a RecursionError.
        (deep / "bottom.txt").unlink()
        while deep != tmp_path:
            deep.rmdir()
            deep = deep.parent


def test_outcomes_of_skipped_entries_in_the_batch(vault, tmp_path):
    """The batch passes each reason on unchanged, as a skip, and stores nothing for it."""
    root = tmp_path / "f"
    write_file(root / "ok.bin", bytes(range(256)))
    os.symlink("x", root / "x")
    summary = import_paths(vault, [root], thumbnails=False)
    by_name = {r.name: r for r in summary.results}
    assert by_name["x"].outcome is Outcome.SKIPPED and "loop" in by_name["x"].message
    assert by_name["ok.bin"].outcome in (Outcome.IMPORTED, Outcome.KEPT)
