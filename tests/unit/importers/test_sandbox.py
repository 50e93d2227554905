"""A parser that hangs, spins, hoards memory, crashes or has a bug cannot harm the import."""

from __future__ import annotations

import dataclasses
import sys

import pytest

from nco_desktop.importers.batch import Outcome, import_paths
from nco_desktop.importers.sandbox import Limits
from nco_desktop.timeline.query import iter_entries
from nco_desktop.verification import verify_vault
from tests.conftest import write_file

HOSTILE = "tests.support.hostile_parsers"
TIGHT = Limits(memory_bytes=768 * 1024**2, cpu_seconds=1, wall_seconds=4.0, wall_seconds_per_mb=0.0)
# Filling 768 MB costs CPU time too (page faults, zeroing): under load that crossed a
# one-second budget, and the hog was stopped for its CPU before it reached the memory
# limit. The memory case gets time to spare, so it fails for the reason it tests.
ROOMY_CPU = dataclasses.replace(TIGHT, cpu_seconds=20, wall_seconds=30.0)


@pytest.mark.parametrize(
    ("behaviour", "reason"),
    [
        ("hang", "took too long and was stopped"),
        ("spin", "took too long and was stopped"),  # killed by its CPU budget (SIGXCPU)
        ("memory", "needed more memory than is safe"),
        ("crash", "the reader crashed on this file"),
        ("bug", "an error it did not expect (KeyError)"),
    ],
)
def test_misbehaving_parser_is_contained(vault, tmp_path, behaviour, reason):
    write_file(tmp_path / "in" / "1-bad.bin", behaviour)
    write_file(tmp_path / "in" / "2-good.bin", "fine")
    limits = ROOMY_CPU if behaviour == "memory" else TIGHT
    summary = import_paths(vault, [tmp_path / "in"], force_format=HOSTILE, limits=limits, workers=1)
    bad, good = summary.results
    assert bad.outcome is Outcome.KEPT
    assert reason in bad.message
    assert "kept as it is" in bad.message
    assert good.outcome is Outcome.IMPORTED and good.entries_added == 2
    texts = sorted(e.text or "" for e in iter_entries(vault.conn))
    # The bad file is one document with no text: what it yielded before failing was
    # rolled back, so it is not kept half-read.
    assert texts == ["", "well behaved: fine", "written before the parser misbehaved"]
    (status,) = vault.conn.execute(
        "SELECT p.status FROM original_parses p JOIN originals o ON o.id = p.original_id "
        "WHERE o.original_name = '1-bad.bin'"
    ).fetchone()
    assert status == "failed"
    assert verify_vault(vault).intact


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="prctl is Linux's")
def test_workers_cannot_dump_core(vault, tmp_path):
    write_file(tmp_path / "in" / "limits.bin", "limits")
    import_paths(vault, [tmp_path / "in"], force_format=HOSTILE, workers=1)
    texts = [e.text for e in iter_entries(vault.conn)]
    assert "core=(0, 0) dumpable=0" in texts


def test_cancel_stops_a_hung_parser_at_once(vault, tmp_path):
    import threading
    import time

    from nco_desktop.progress import CancelToken

    write_file(tmp_path / "in" / "a-hang.bin", "hang")
    token = CancelToken()
    threading.Timer(0.8, token.cancel).start()
    started = time.monotonic()
    summary = import_paths(
        vault,
        [tmp_path / "in"],
        force_format=HOSTILE,
        workers=1,
        limits=Limits(wall_seconds=60.0),
        cancel=token,
    )
    assert summary.cancelled  # the hung parser cannot finish before the timer fires
    assert time.monotonic() - started < 10
    (result,) = summary.results
    assert result.outcome is Outcome.SKIPPED and "stopped" in result.message
    assert list(iter_entries(vault.conn)) == []
