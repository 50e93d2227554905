"""Smoke test of the frozen one-folder bundle (``make bundle``, then ``make bundle-test``).

What a person who downloads the program runs is not the source: PyInstaller decides
which modules, libraries and data go in, and a module loaded by name, a resource, the
OCR language data or the sandbox workers' own start can be missing only there. So the
built program itself starts its window on the demo case, and its command line makes a
vault, imports real sample exports, builds a binder and reads a screenshot's words, in
an empty home folder, under ``strace``: no internet socket may be made, every worker
must confine itself (seccomp and Landlock), and nothing may be written outside the
vault, the chosen export and the program's own settings.

Skipped unless ``NCO_BUNDLE`` names the bundle folder (``build/bundle/dist/nco-desktop``).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.bundle.trace import STRACE, listing, outside, read_trace, strace_prefix, vault_files
from tests.conftest import SAMPLES
from tests.unit.ocr.test_ocr_queue import screenshot

pytestmark = [
    pytest.mark.bundle,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a Linux bundle"),
]

PASSPHRASE = "frozen bundle smoke test passphrase"
WINDOW_SECONDS = 8.0  # the window must still be up after this long
CLI_TIMEOUT = 300


class Place:
    """A fresh home, temp folder and work folder, and the environment to run in them."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.home = root / "home"
        self.tmp = root / "tmp"
        self.work = root / "work"
        self.export = self.work / "export"
        for folder in (self.home, self.tmp, self.work, self.export):
            folder.mkdir(parents=True, exist_ok=True)
        self.xdg = {
            "XDG_CONFIG_HOME": self.home / ".config",
            "XDG_DATA_HOME": self.home / ".local" / "share",
            "XDG_CACHE_HOME": self.home / ".cache",
            "XDG_STATE_HOME": self.home / ".local" / "state",
        }
        # Only what a desktop session would give: no PYTHONPATH, no LD_LIBRARY_PATH.
        self.env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(self.home),
            "TMPDIR": str(self.tmp),
            "LANG": "C.UTF-8",
            "QT_QPA_PLATFORM": "offscreen",
            "NCO_PASSPHRASE": PASSPHRASE,
            **{key: str(value) for key, value in self.xdg.items()},
        }

    def settings(self) -> list[Path]:
        """The program's own folders in the user's profile (settings, demo case, state)."""
        return [
            base / name
            for base in self.xdg.values()
            for name in ("nco-desktop", "NCO Desktop", "nco_desktop")
        ] + [self.xdg["XDG_CONFIG_HOME"] / "nco-desktop.conf"]


@pytest.fixture
def place(tmp_path: Path) -> Place:
    return Place(tmp_path)


def run(
    exe: Path, place: Place, *args: str | Path, log: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """The frozen program with *args*, in *place*, under strace when *log* is given."""
    command = [str(exe), *(str(a) for a in args)]
    if log is not None:
        command = [*strace_prefix(log), *command]
    return subprocess.run(
        command,
        env=place.env,
        cwd=place.work,
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
        check=False,
    )


def check_trace(log: Path, place: Place, allowed: Sequence[Path | str], *, workers: bool) -> None:
    """No internet socket; writes only under *allowed*; workers confined if any ran."""
    if STRACE is None:
        return
    trace = read_trace(log, place.work)
    assert trace.internet_sockets == [], trace.internet_sockets[:5]
    assert trace.unresolved == [], trace.unresolved[:5]
    assert outside(trace.written, [*allowed, *place.settings()]) == []
    if workers:
        assert trace.no_new_privs > 0, "no worker set no_new_privs"
        assert trace.seccomp_filters > 0, "no worker loaded its seccomp filter"
        assert trace.landlocked > 0, "no worker restricted itself with Landlock"


def log_for(place: Place, name: str) -> Path | None:
    return place.root / f"{name}.strace" if STRACE else None


def test_version_and_help(bundle_exe: Path, place: Place) -> None:
    version = run(bundle_exe, place, "--version")
    assert version.returncode == 0, version.stderr
    assert version.stdout.startswith("nco-desktop "), version.stdout
    helped = run(bundle_exe, place, "--help")
    assert helped.returncode == 0 and "binder" in helped.stdout


def test_the_window_stays_up_on_the_demo_case(bundle_exe: Path, place: Place) -> None:
    """``nco-desktop --demo`` offscreen: the demo vault is made and the window runs."""
    log = log_for(place, "window")
    before = listing(place.home, place.tmp)
    command = [str(bundle_exe), "--demo"]
    if log is not None:
        command = [*strace_prefix(log), *command]
    started = time.monotonic()
    process = subprocess.Popen(
        command,
        env=place.env,
        cwd=place.work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # strace, the program and its workers: one group to stop
    )
    try:
        demo = place.xdg["XDG_DATA_HOME"] / "nco-desktop" / "demo.ncovault"
        deadline = started + 120
        while not demo.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.2)
        time.sleep(WINDOW_SECONDS)
        alive = process.poll() is None
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            _out, err = process.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            _out, err = process.communicate()
    assert alive, f"the window ended by itself ({process.returncode}): {err[-2000:]}"
    assert "Traceback" not in err, err[-2000:]
    assert demo.is_file(), "the demo case was not made"
    assert outside(sorted(listing(place.home, place.tmp) - before), place.settings()) == []
    if log is not None:
        # The demo case is made from fictional files written to a temporary folder of its
        # own (removed at once: the listing above saw nothing left in TMPDIR); it is the
        # only thing allowed there. Its import ran in confined workers.
        check_trace(log, place, [place.tmp], workers=True)


def test_the_command_line_imports_builds_a_binder_and_reads_a_picture(
    bundle_exe: Path, place: Place
) -> None:
    vault = place.work / "case.ncovault"
    binder = place.export / "binder.pdf"
    before = listing(place.home, place.tmp)

    demo = run(bundle_exe, place, "demo", "--out", place.work / "demo.ncovault")
    assert demo.returncode == 0, demo.stderr
    assert (place.work / "demo.ncovault").is_file()

    made = run(bundle_exe, place, "init", "--tz", "America/Chicago", "--case-title", "Doe v. Roe",
               vault, log=log_for(place, "init"))  # fmt: skip
    assert made.returncode == 0, made.stderr

    folders = [SAMPLES / "sms_backup_restore", SAMPLES / "screenshots_photos"]
    imported = run(bundle_exe, place, "import", "--vault", vault, *folders,
                   log=log_for(place, "import"))  # fmt: skip
    # 1: some sample files are empty or damaged on purpose (kept, or refused, and named).
    assert imported.returncode in (0, 1), imported.stderr
    summary = imported.stdout.strip().splitlines()[-1]
    assert " imported" in summary and "timeline entries added" in summary, imported.stdout
    assert int(summary.split(" imported")[0]) >= 25, summary
    # JPEG, HEIC and PNG readers load lazily inside the confined worker: all must work.
    for name in (
        "exifsamples__iphone6_iOS8.3_hdr.jpg",
        "pillowheif__xiaomi_android.heic",
        "pillow__exif_in_tEXt.png",
        "mobilecombackup__sms-test.xml",
    ):
        # The outcome column is as wide as the longest outcome's name.
        assert re.search(rf"^ +imported +{re.escape(name)} ", imported.stdout, re.M), (
            imported.stdout
        )
    reference = source_import(place, folders)
    assert summary == reference, f"frozen: {summary}\nsource: {reference}"

    listed = run(bundle_exe, place, "list", "--vault", vault, "--json")
    assert listed.returncode == 0, listed.stderr
    entries = json.loads(listed.stdout)
    messages = [e["id"] for e in entries if e["kind"] == "message"][:5]
    pictures = [e["id"] for e in entries if e["kind"] == "image"][:3]
    assert messages and pictures
    for title, ids in (("Text messages", messages), ("Pictures", pictures)):
        added = run(bundle_exe, place, "exhibit", "add", "--vault", vault, "--title", title,
                    *map(str, ids))  # fmt: skip
        assert added.returncode == 0, added.stderr

    built = run(bundle_exe, place, "binder", "--vault", vault, "--out", binder,
                log=log_for(place, "binder"))  # fmt: skip
    assert built.returncode == 0, built.stderr + built.stdout
    reader = PdfReader(binder)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    assert len(reader.pages) >= 5
    assert "Doe v. Roe" in text or "EXHIBIT" in text.upper(), text[:500]
    assert "Text messages" in text and "Pictures" in text

    ocr_vault = place.work / "ocr.ncovault"
    shot = place.work / "in" / "shot.png"
    shot.parent.mkdir()
    shot.write_bytes(screenshot(["Meet me at the bus station", "tonight at eleven"]))
    assert run(bundle_exe, place, "init", "--tz", "America/Chicago", ocr_vault).returncode == 0
    assert run(bundle_exe, place, "import", "--vault", ocr_vault, shot).returncode == 0
    read = run(bundle_exe, place, "ocr", "--vault", ocr_vault, log=log_for(place, "ocr"))
    assert read.returncode == 0, read.stderr
    assert "Text read in 1 of 1 pictures" in read.stdout, read.stdout
    found = run(bundle_exe, place, "list", "--vault", ocr_vault, "--text", "bus station")
    assert found.returncode == 0 and "shot.png" in found.stdout, found.stdout + found.stderr

    assert outside(sorted(listing(place.home, place.tmp) - before), place.settings()) == []
    if STRACE is None:
        pytest.skip("strace is missing (Debian: apt-get install strace): network not checked")
    check_trace(place.root / "init.strace", place, vault_files(vault), workers=False)
    check_trace(place.root / "import.strace", place, vault_files(vault), workers=True)
    check_trace(place.root / "binder.strace", place, [*vault_files(vault), place.export],
                workers=True)  # fmt: skip
    check_trace(place.root / "ocr.strace", place, vault_files(ocr_vault), workers=True)


def source_import(place: Place, folders: list[Path]) -> str:
    """The same import by the source (``python -m nco_desktop``): the summaries must match."""
    vault = place.root / "source.ncovault"
    env = {**place.env, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    for args in (
        ("init", "--tz", "America/Chicago", vault),
        ("import", "--vault", vault, *folders),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "nco_desktop", *map(str, args)],
            env=env,
            cwd=place.work,
            capture_output=True,
            text=True,
            timeout=CLI_TIMEOUT,
            check=False,
        )
    return done.stdout.strip().splitlines()[-1]
