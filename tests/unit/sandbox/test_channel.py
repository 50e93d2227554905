"""A worker that answers with something other than valid data is cut off, and nothing it
sent runs. The forged replies come from a real worker (a hostile parser writing to its
channel, as exploited code would); the old channel took pickles, so the first attack
is a pickle armed to create a file if it is ever loaded."""

from __future__ import annotations

import dataclasses
import pickle
import time

import pytest

from nco_desktop.importers.batch import Outcome, import_paths
from nco_desktop.sandbox import wire
from nco_desktop.sandbox.pool import INVALID, TOO_LONG, Limits
from nco_desktop.timeline.query import iter_entries
from nco_desktop.verification import verify_vault
from tests.conftest import write_file
from tests.support.hostile_parsers import REPLIES, armed_pickle

HOSTILE = "tests.support.hostile_parsers"
#: The forging worker sleeps 60 s after its lie: a rejection must come from the lie.
PATIENT = Limits(cpu_seconds=10, wall_seconds=30.0, wall_seconds_per_mb=0.0)


def test_the_armed_pickle_is_a_real_attack(tmp_path):
    """Loading it does create the marker: the tests below would notice a pickle run."""
    marker = tmp_path / "ran"
    pickle.loads(armed_pickle(str(marker)))  # the point of the test
    assert marker.exists()


@pytest.mark.parametrize("reply", sorted(REPLIES))
def test_a_forged_reply_is_rejected_and_the_batch_goes_on(vault, tmp_path, reply):
    """Rejected on sight, long before the deadline; except a frame that stops halfway
    (its payload never comes): that one waits out a short deadline."""
    stalls = reply == "short-payload"
    marker = tmp_path / "pickle-ran"
    write_file(tmp_path / "in" / "1-forger.bin", f"{reply} {marker}\n")
    write_file(tmp_path / "in" / "2-good.bin", "fine")
    started = time.monotonic()
    summary = import_paths(
        vault,
        [tmp_path / "in"],
        force_format=HOSTILE,
        workers=1,
        limits=dataclasses.replace(PATIENT, wall_seconds=3.0) if stalls else PATIENT,
    )
    assert time.monotonic() - started < 20
    bad, good = summary.results
    assert not marker.exists()
    assert bad.outcome is Outcome.KEPT
    assert bad.message == (TOO_LONG if stalls else INVALID)
    assert good.outcome is Outcome.IMPORTED and good.entries_added == 2
    texts = sorted(e.text or "" for e in iter_entries(vault.conn))
    assert texts == ["", "well behaved: fine", "written before the parser misbehaved"]
    assert verify_vault(vault).intact


class _Pair:
    """Both ends of a socket pair, for the frame format on its own."""

    def __init__(self) -> None:
        import socket

        self.a, self.b = socket.socketpair()

    def close(self) -> None:
        self.a.close()
        self.b.close()


@pytest.fixture
def pair():
    ends = _Pair()
    yield ends
    ends.close()


def test_frames_round_trip_items_with_payloads(pair):
    from nco_desktop.evidence.records import EntryKind, TimeSource
    from nco_desktop.importers.model import ParsedAttachment, ParsedEntry, ParseProblem

    long_text = "x\ud800y" * 3000  # a lone surrogate, as some exports hold, and long
    items = [
        ParsedAttachment("a:1", "p.png", "image/png", b"\x89PNG" * 10),
        ParsedEntry(
            kind=EntryKind.MESSAGE,
            occurred_ms=1_700_000_000_000,
            time_source=TimeSource.EXPORT_FIELD,
            party="+15550100",
            text=long_text,
            attachment_refs=("a:1",),
            meta={"k": [1, "two"]},
        ),
        ParseProblem("one record was unreadable"),
    ]
    encoded, payloads = wire.encode_items(items)
    wire.send_frame(pair.a, {"kind": "items", "items": encoded}, payloads)
    header, got = wire.recv_frame(pair.b, wire.deadline_in(5))
    assert wire.decode_items(header["items"], got) == [
        *items[:1],
        ParsedEntry(**{**items[1].__dict__, "meta": {"k": [1, "two"]}}),
        items[2],
    ]


@pytest.mark.parametrize(
    "raw, words",
    [
        (b"\x00\x00\x00\x00", "impossible length"),
        (b"\x00\x10\x00\x01", "impossible length"),  # 1 MiB + 1
        (b"\x00\x00\x00\x03[1]", "not a JSON object"),
        (b'\x00\x00\x00\x09{"a":NaN}', "NaN"),
        (b'\x00\x00\x00\x0c{"sizes":[-1]}'[:4] + b'{"sizes":[-1]', "not JSON"),
    ],
)
def test_malformed_frames_are_refused_before_any_payload_is_read(pair, raw, words):
    pair.a.sendall(raw)
    with pytest.raises(wire.WireError, match=words):
        wire.recv_frame(pair.b, wire.deadline_in(2))


def test_declared_sizes_are_checked_before_reading(pair):
    wire.send_frame(pair.a, {"kind": "x"}, [b"ab"])
    with pytest.raises(wire.WireError, match="more bytes than allowed"):
        wire.recv_frame(pair.b, wire.deadline_in(2), max_payload=1)


def test_a_stalled_frame_times_out(pair):
    pair.a.sendall(b"\x00\x00\x00\x10{")
    with pytest.raises(TimeoutError):
        wire.recv_frame(pair.b, wire.deadline_in(0.3))


@pytest.mark.parametrize(
    "width, height, size",
    [(0, 1, 0), (2, 2, 15), (True, 1, 4), (16385, 1, 16385 * 4), (8192, 8192, 4)],
)
def test_rasters_are_checked(width, height, size):
    with pytest.raises(wire.WireError):
        wire.make_raster(width, height, b"\0" * size)


ENTRY = {"t": "entry", "kind": "note", "occurred_ms": None, "time_source": "unknown"}


@pytest.mark.parametrize(
    "items, payloads",
    [
        ([{**ENTRY, "occurred_ms": True, "time_source": "header"}], []),  # a bool is no time
        ([{**ENTRY, "occurred_ms": 1.5, "time_source": "header"}], []),
        ([{**ENTRY, "kind": "Note"}], []),
        ([{**ENTRY, "direction": 1}], []),
        ([{**ENTRY, "party": ["+1555"]}], []),
        ([{**ENTRY, "meta": "x"}], []),
        ([{**ENTRY, "attachment_refs": [1]}], []),
        ([{**ENTRY, "text": {"payload": 0}}], [b"\xff\xfe"]),  # not UTF-8
        ([{**ENTRY, "text": {"payload": 1}}], [b"a"]),  # no such payload
        ([{**ENTRY, "kind": None}], []),
        ([{"t": "entry", "kind": "note"}], []),  # no time fields at all
        ([ENTRY], [b"unused"]),  # a payload no item claims
        (
            [{"t": "attachment", "ref": "a", "name": "a", "media_type": "x", "data": 0}] * 2,
            [b"once"],
        ),  # one payload claimed twice
        ([{"t": "problem", "message": "x" * 5000}], []),
        ([{"t": "pickle", "message": "x"}], []),
        ("items", []),
    ],
)
def test_items_that_do_not_fit_the_contract_are_refused(items, payloads):
    with pytest.raises(wire.WireError):
        wire.decode_items(items, payloads)


def test_a_worker_ends_when_the_program_dies_even_mid_task(tmp_path):
    """A hung parser does not outlive the program (it may hold evidence in memory)."""
    import os
    import subprocess
    import sys
    import textwrap

    write_file(tmp_path / "in" / "hang.bin", "hang")
    script = textwrap.dedent(
        f"""
        import sys, time
        from pathlib import Path
        from nco_desktop.sandbox.pool import Limits, ParserPool, ParseTask
        pool = ParserPool(1, Limits(wall_seconds=60.0), roots=[Path({str(tmp_path)!r})],
                          preload=[{HOSTILE!r}])
        job = pool.submit(ParseTask(path={str(tmp_path / "in" / "hang.bin")!r}, name="hang.bin",
                                    zone="UTC", region="US", mtime_ms=None,
                                    force_format={HOSTILE!r}))
        print(job.worker.process.pid, flush=True)
        time.sleep(60)
        """
    )
    parent = subprocess.Popen(
        [sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=os.getcwd()
    )
    try:
        worker_pid = int(parent.stdout.readline())
        time.sleep(1.5)  # the worker is in the hostile parser's endless sleep
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _alive(worker_pid):
            time.sleep(0.2)
        assert not _alive(worker_pid)
    finally:
        parent.kill()
        parent.stdout.close()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1][0] != "Z"
    except FileNotFoundError:
        return False


GOOD_PICTURE = {
    "kind": "binder_picture",
    "width": 60,
    "height": 30,
    "bits": 8,
    "colors": 3,
    "jpeg": True,
    "orientation": 6,
    "converted": False,
}


@pytest.mark.parametrize(
    "change, payloads",
    [
        ({"width": 0}, [b"x", b""]),
        ({"height": 70_000}, [b"x", b""]),
        ({"bits": 3}, [b"x", b""]),
        ({"colors": 4}, [b"x", b""]),  # CMYK is never embedded as it is
        ({"orientation": 9}, [b"x", b""]),
        ({"jpeg": 1}, [b"x", b""]),
        ({"width": True}, [b"x", b""]),
        ({"extra": "field"}, [b"x", b""]),
        ({}, [b"", b""]),  # no pixels
        ({}, [b"x"]),  # no palette slot
        ({}, [b"x", b"\0" * 3]),  # a palette on a JPEG
        ({"jpeg": False, "colors": 1}, [b"x", b"\0" * 769]),  # more than 256 colours
    ],
)
def test_a_binder_picture_answer_is_checked_field_by_field(change, payloads):
    """The binder embeds these bytes without decoding them: every field is checked."""
    from nco_desktop.sandbox.answers import final_answer

    assert final_answer(dict(GOOD_PICTURE), [b"x", b""])[0] == "binder_picture"
    with pytest.raises(wire.WireError):
        final_answer({**GOOD_PICTURE, **change}, payloads)


def test_a_closed_pool_starts_no_worker_and_sends_nothing():
    from nco_desktop.sandbox.pool import ParseFailed, ParserPool

    pool = ParserPool(1, render=True)
    pool.close(kill=True)
    with pytest.raises(ParseFailed):
        pool.request({"op": "picture", "max_side": 10}, [b"evidence"])
    assert not pool._idle and not pool._busy


def test_a_lock_while_a_worker_starts_sends_it_nothing(monkeypatch):
    """A request racing with a lock: the worker it started is killed, the bytes stay."""
    from nco_desktop.sandbox import pool as pool_module

    pool = pool_module.ParserPool(1, render=True)
    real = pool_module._Worker
    started = []

    def starting(setup):
        worker = real(setup)
        started.append(worker)
        pool.close(kill=True)  # the lock lands while the worker starts
        return worker

    monkeypatch.setattr(pool_module, "_Worker", starting)
    with pytest.raises(pool_module.ParseFailed):
        pool.request({"op": "picture", "max_side": 10}, [b"evidence"])
    assert started and not started[0].alive()
    assert not pool._idle and not pool._busy
