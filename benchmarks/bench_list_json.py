"""``nco-desktop-cli list --json`` on 100,000 entries, beside references in the same run.

The goal (issue 11) is < 3 s for the whole command. These machines are noisy, so each
figure is also printed as a ratio to two references measured in the same process:

- the raw ordered ``SELECT`` of the same rows and columns (what any listing must read);
- ``json.dumps`` of the same list of dicts without ``indent`` (the C encoder: what the
  encoding alone must cost).

``json.dump(indent=…)`` falls back to the pure-Python encoder (FACTS: 15 s for 100,000
entries), which is why the command writes one entry per line with the C encoder instead.
The command runs twice: in this process (stdout to /dev/null), and as a real
``nco-desktop-cli`` subprocess, interpreter start and unlock included.
Run: .venv/bin/python benchmarks/bench_list_json.py [--entries 100000] [--vault PATH]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import median_seconds, peak_rss_mb, scratch
from benchmarks._seed import PASSPHRASE, seed
from nco_desktop import cli
from nco_desktop.timeline.query import ENTRY_SELECT, EntryView
from nco_desktop.vault import Vault

GOAL_S = 3.0


def run_in_process(path: Path) -> None:
    """The command as ``main`` runs it, its output thrown away (but still encoded)."""
    with (
        open(os.devnull, "w", encoding="utf-8") as sink,
        contextlib.redirect_stdout(sink),
        contextlib.redirect_stderr(sink),
    ):
        code = cli.main(["list", "--vault", str(path), "--json"])
    if code != 0:
        raise SystemExit(f"list --json failed with exit code {code}")


def run_subprocess(path: Path) -> int:
    """The installed command, end to end; returns how many bytes it printed."""
    env = dict(os.environ, NCO_PASSPHRASE=PASSPHRASE)
    done = subprocess.run(
        [sys.executable, "-m", "nco_desktop.cli", "list", "--vault", str(path), "--json"],
        env=env,
        capture_output=True,
        check=True,
    )
    return len(done.stdout)


def measure(path: Path, repeats: int) -> None:
    os.environ["NCO_PASSPHRASE"] = PASSPHRASE
    with Vault.open(path, PASSPHRASE) as vault:
        order = " ORDER BY e.occurred_ms IS NULL, e.occurred_ms, e.id"
        select = median_seconds(lambda: vault.conn.execute(ENTRY_SELECT + order).fetchall(), 3)
        rows = [EntryView(*row).to_json() for row in vault.conn.execute(ENTRY_SELECT + order)]
    encode = median_seconds(lambda: json.dumps(rows, ensure_ascii=False), 3)
    print(
        f"references: raw ordered SELECT of {len(rows):,} rows {select * 1000:.0f} ms; "
        f"json.dumps of them without indent {encode * 1000:.0f} ms"
    )
    with open(os.devnull, "w", encoding="utf-8") as sink:
        started = time.perf_counter()
        json.dump(rows, sink, ensure_ascii=False, indent=1)  # what list --json did before
        pretty = time.perf_counter() - started
    print(
        f"  (the former json.dump(indent=1) of the same list, encoding alone: {pretty:.2f} s"
        f"  = {pretty / encode:.1f}× json.dumps)"
    )
    in_process = median_seconds(lambda: run_in_process(path), repeats)
    print(
        f"list --json in this process: {in_process:.2f} s (goal < {GOAL_S:.0f} s)"
        f"  = {in_process / select:.1f}× the SELECT, {in_process / encode:.1f}× json.dumps"
    )
    started = time.perf_counter()
    size = run_subprocess(path)
    whole = time.perf_counter() - started
    print(
        f"nco-desktop-cli list --json (subprocess, start and unlock included): {whole:.2f} s, "
        f"{size / 1e6:.1f} MB of JSON  = {whole / select:.1f}× the SELECT"
    )
    print(f"peak RSS of this process: {peak_rss_mb():.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument(
        "--vault",
        type=Path,
        help="reuse this benchmark vault (made by --keep); its passphrase is the benchmark's",
    )
    parser.add_argument("--keep", type=Path, help="seed the vault here and keep it")
    args = parser.parse_args()
    if args.vault:
        measure(args.vault, args.repeats)
        return
    with scratch() as folder:
        path = args.keep or folder / "list.ncovault"
        started = time.perf_counter()
        seed(path, args.entries)
        print(f"seeded {args.entries:,} entries in {time.perf_counter() - started:.1f} s")
        measure(path, args.repeats)


if __name__ == "__main__":
    main()
