"""The generic import of this stage: every file a document, hostile selections contained."""

import os
import sys

import pytest

from nco_desktop.importers.batch import Outcome, import_paths
from nco_desktop.timeline.query import iter_entries
from nco_desktop.verification import verify_vault
from tests.conftest import write_file

MTIME = 1_710_281_730  # 2024-03-12T22:15:30Z


def _by_name(summary):
    return {r.name: r for r in summary.results}


UNKNOWN_BYTES = bytes(range(256)) * 4  # no format claims this


def test_folder_is_walked_and_unknown_files_become_documents(vault, tmp_path):
    root = tmp_path / "phone"
    write_file(root / "a.bin", UNKNOWN_BYTES, MTIME)
    write_file(root / "sub" / "deeper" / "b.dat", UNKNOWN_BYTES[::-1], MTIME + 60)
    summary = import_paths(vault, [root])
    assert [r.outcome for r in summary.results] == [Outcome.IMPORTED, Outcome.IMPORTED]
    assert summary.results[0].message == "not a format NCO Desktop reads; kept as a document"
    entries = [e.to_json() for e in iter_entries(vault.conn)]
    assert [e["original_name"] for e in entries] == ["a.bin", "b.dat"]
    assert entries[0]["occurred_at"] == "2024-03-12T22:15:30Z"
    assert entries[0]["time_source"] == "file-mtime"
    assert entries[0]["kind"] == "document"
    assert entries[1]["original_sha256"] == (
        __import__("hashlib").sha256(UNKNOWN_BYTES[::-1]).hexdigest()
    )


def test_bad_items_are_reported_and_the_batch_goes_on(vault, tmp_path):
    root = tmp_path / "mixed"
    write_file(root / "empty.txt", b"")
    write_file(root / "good.txt", UNKNOWN_BYTES)
    write_file(root / "same-as-good.txt", UNKNOWN_BYTES)
    outside = write_file(tmp_path / "private" / "diary.txt", b"\0not for the vault")
    os.symlink(outside, root / "link-out.txt")
    os.symlink(tmp_path / "private", root / "link-dir")
    os.symlink(root / "good.txt", root / "link-in.txt")
    os.mkfifo(root / "pipe")
    summary = import_paths(vault, [root, tmp_path / "missing.jpg"])
    results = _by_name(summary)
    assert results["empty.txt"].outcome is Outcome.FAILED
    assert "empty" in results["empty.txt"].message
    assert results["good.txt"].outcome is Outcome.IMPORTED
    assert results["same-as-good.txt"].outcome is Outcome.DUPLICATE
    assert "good.txt" in results["same-as-good.txt"].message
    assert results["link-out.txt"].outcome is Outcome.SKIPPED
    assert "outside" in results["link-out.txt"].message
    assert results["link-dir"].outcome is Outcome.SKIPPED
    assert "link-in.txt" not in results  # its target is imported under its own name
    assert results["pipe"].outcome is Outcome.SKIPPED
    assert results["missing.jpg"].outcome is Outcome.FAILED
    assert summary.entries_added == 1
    names = {e.original_name for e in iter_entries(vault.conn)}
    assert names == {"good.txt"}
    assert "1 imported, 1 already in the vault, 2 could not be imported, 3 skipped" in (
        summary.headline()
    )
    assert verify_vault(vault).intact


@pytest.mark.skipif(sys.platform != "linux", reason="Linux file names are bytes")
def test_non_utf8_file_name(vault, tmp_path):
    (tmp_path / "in").mkdir()
    raw = os.fsencode(tmp_path / "in") + b"/caf\xe9-\xff.txt"
    with open(raw, "wb") as handle:
        handle.write(UNKNOWN_BYTES)
    summary = import_paths(vault, [tmp_path / "in"])
    (result,) = summary.results
    assert result.outcome is Outcome.IMPORTED
    (entry,) = iter_entries(vault.conn)
    assert entry.original_name == "caf\ufffd-\ufffd.txt"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file")
def test_unreadable_file(vault, tmp_path):
    locked = write_file(tmp_path / "locked.txt", "secret")
    locked.chmod(0)
    try:
        (result,) = import_paths(vault, [locked]).results
    finally:
        locked.chmod(0o600)
    assert result.outcome is Outcome.FAILED
    assert "permission denied" in result.message


def test_reimport_of_the_same_folder_adds_nothing(vault, tmp_path):
    write_file(tmp_path / "f" / "a.bin", UNKNOWN_BYTES)
    write_file(tmp_path / "f" / "b.bin", UNKNOWN_BYTES[1:])
    assert import_paths(vault, [tmp_path / "f"]).entries_added == 2
    again = import_paths(vault, [tmp_path / "f"])
    assert again.entries_added == 0
    assert {r.outcome for r in again.results} == {Outcome.DUPLICATE}


def test_cancel_stops_between_files(vault, tmp_path):
    from nco_desktop.progress import CancelToken

    for i in range(5):
        write_file(tmp_path / "f" / f"{i}.bin", UNKNOWN_BYTES[i:])
    token = CancelToken()
    seen = []

    def progress(done, total, label):
        seen.append((done, total))
        if done == 2:
            token.cancel()

    heard = []
    summary = import_paths(
        vault, [tmp_path / "f"], progress=progress, cancel=token, on_result=heard.append
    )
    assert heard == summary.results  # each outcome is told as it happens, skipped ones too
    assert summary.cancelled
    assert seen[0] == (0, 5)
    assert summary.entries_added == 3
    assert [r.outcome for r in summary.results[:3]] == [Outcome.IMPORTED] * 3
    for result in summary.results[3:]:  # every file is accounted for in the summary
        assert result.outcome is Outcome.SKIPPED and "stopped" in result.message


def test_the_vault_never_imports_itself(vault, vault_path, tmp_path):
    write_file(tmp_path / "note.bin", UNKNOWN_BYTES)
    summary = import_paths(vault, [tmp_path])
    results = _by_name(summary)
    assert results[vault_path.name].outcome is Outcome.SKIPPED
    assert results[vault_path.name].message == "this is the vault itself"
    assert results[vault_path.name + "-wal"].outcome is Outcome.SKIPPED
    assert results["note.bin"].outcome is Outcome.IMPORTED
