"""Import speed: 500 phone screenshots and a 100,000-message SMS backup.

Each figure is printed beside the raw floor measured in the same run: hashing the same
bytes and writing them into a vault, one transaction per file, with no parsing.
Goals (issue 3): originals safe and entries on the timeline at ≥ 50 % of the floor's
speed; all thumbnails within 2× the floor. The SMS backup (issue 18): ≥ 30,000
messages/s end to end with peak RSS < 150 MB in the program and in its largest worker,
printed as a ratio to the raw floor and beside the parse floor (the format's parser
alone, in this process, no vault: what no import of this file can beat).
Run: .venv/bin/python benchmarks/bench_import.py [--screenshots 500] [--messages 100000]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw

from benchmarks._common import peak_rss_mb, scratch
from nco_desktop.importers.batch import import_paths
from nco_desktop.vault import KdfParams, Vault
from nco_desktop.vault.blobs import put_stream

FAST_KDF = KdfParams(log2_memory_kib=10, time_cost=1, parallelism=1)


def make_screenshots(folder: Path, count: int) -> int:
    """Phone-sized screenshots, half PNG and half JPEG, each distinct; returns total bytes."""
    folder.mkdir(parents=True)
    rng = random.Random(7)
    base = Image.new("RGB", (1080, 2340), (245, 245, 245))
    draw = ImageDraw.Draw(base)
    for row in range(40):  # chat bubbles with noisy "text" so PNGs are realistic in size
        y = 120 + row * 55
        x = 40 if row % 2 else 380
        draw.rounded_rectangle((x, y, x + 660, y + 44), 18, fill=(220, 235, 255))
        noise = Image.effect_noise((600, 18), 90).convert("RGB")
        base.paste(noise, (x + 30, y + 13))
    total = 0
    for index in range(count):
        image = base.copy()
        ImageDraw.Draw(image).text((40, 40), f"screenshot {index} {rng.random()}", fill=(0, 0, 0))
        stamp = f"202403{1 + index % 28:02d}-{index % 24:02d}{index % 60:02d}30"
        if index % 2:
            path = folder / f"Screenshot_{stamp}_Messages.png"
            image.save(path, "PNG", compress_level=6)
        else:
            path = folder / f"Screenshot_{stamp}.jpg"
            image.save(path, "JPEG", quality=90)
        total += path.stat().st_size
    return total


def make_sms_backup(path: Path, count: int) -> int:
    row = (
        '  <sms protocol="0" address="+1555010{n:04d}" date="{ms}" type="{t}" subject="null" '
        'body="message {i}: I know where you are tonight &#55357;&#56832; and I will be '
        'there" read="1" status="-1" contact_name="(Unknown)" />\n'
    )
    with path.open("w", encoding="utf-8") as handle:
        handle.write(f'<?xml version="1.0" encoding="UTF-8"?>\n<smses count="{count}">\n')
        for i in range(count):
            handle.write(row.format(n=i % 40, i=i, ms=1_700_000_000_000 + i * 37_000, t=1 + i % 2))
        handle.write("</smses>\n")
    return path.stat().st_size


def raw_floor(folder: Path, files: list[Path], name: str) -> float:
    """Seconds to hash and store the same bytes, one transaction per file, no parsing."""
    vault = Vault.create(folder / name, "benchmark passphrase", kdf=FAST_KDF)
    start = time.perf_counter()
    for path in files:
        data = path.read_bytes()
        hashlib.sha256(data).hexdigest()
        with vault.change() as change:
            put_stream(change.conn, io.BytesIO(data))
            change.audit("bench.file")
    vault.close()
    return time.perf_counter() - start


def parse_floor(backup: Path) -> float:
    """Seconds for the SMS parser alone to read *backup* (synthetic, made above): the
    worker's share of an import, without the channel, the checks or the vault."""
    from zoneinfo import ZoneInfo

    from nco_desktop.importers.formats import sms_xml
    from nco_desktop.importers.model import ParseSource

    source = ParseSource(backup, backup.name, ZoneInfo("UTC"), "US", None)
    start = time.perf_counter()
    for _ in sms_xml.parse(source):
        pass
    return time.perf_counter() - start


def timed_import(folder: Path, name: str, source: Path, thumbnails: bool) -> tuple[float, Vault]:
    vault = Vault.create(folder / name, "benchmark passphrase", kdf=FAST_KDF)
    start = time.perf_counter()
    summary = import_paths(vault, [source], thumbnails=thumbnails)
    elapsed = time.perf_counter() - start
    assert summary.all_ok, summary.headline()
    return elapsed, vault


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _cpu_split() -> tuple[float, float]:
    """CPU seconds so far: (this process, its finished children)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, kids.ru_utime + kids.ru_stime


def children_peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def bench_screenshots(folder: Path, count: int) -> None:
    shots = folder / "screenshots"
    total = make_screenshots(shots, count)
    files = sorted(shots.iterdir())
    mb = total / 1e6
    print(f"{len(files)} screenshots, {mb:.0f} MB ({mb / len(files):.2f} MB each)")
    floor = raw_floor(folder, files, "floor-shots.ncovault")
    print(
        f"raw floor (hash + vault write):    {floor:6.2f} s  {len(files) / floor:6.1f} "
        f"files/s  {mb / floor:6.1f} MB/s"
    )
    phase1, vault = timed_import(folder, "shots1.ncovault", shots, thumbnails=False)
    vault.close()
    print(
        f"import, entries on the timeline:   {phase1:6.2f} s  {len(files) / phase1:6.1f} "
        f"files/s  {mb / phase1:6.1f} MB/s  = {floor / phase1:4.2f}× floor speed "
        "(goal ≥ 0.5)"
    )
    cpu_before = _cpu_seconds()
    both, vault = timed_import(folder, "shots2.ncovault", shots, thumbnails=True)
    cpu = _cpu_seconds() - cpu_before
    (thumbs,) = vault.conn.execute(
        "SELECT count(*) FROM derivatives WHERE kind = 'thumbnail'"
    ).fetchone()
    vault.close()
    phase2 = both - phase1
    print(
        f"import with all {thumbs} thumbnails:   {both:6.2f} s  = {both / floor:4.2f}× the "
        f"floor's time; thumbnail phase ≈ {phase2:.2f} s = {phase2 / floor:4.2f}× (goal ≤ 2)"
    )
    print(
        f"  CPU used (parent + workers): {cpu:.1f} s over {both:.1f} s wall = "
        f"{cpu / both:.1f} cores busy"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--screenshots", type=int, default=500)
    parser.add_argument("--messages", type=int, default=100_000)
    args = parser.parse_args()
    with scratch() as folder:
        if args.screenshots:
            bench_screenshots(folder, args.screenshots)
        backup = folder / "sms-big.xml"
        size = make_sms_backup(backup, args.messages)
        floor = raw_floor(folder, [backup], "floor-sms.ncovault")
        parsing = parse_floor(backup)
        own_before, kids_before = _cpu_split()
        elapsed, vault = timed_import(
            folder, "sms.ncovault", backup.parent / "sms-big.xml", thumbnails=False
        )
        own_after, kids_after = _cpu_split()
        (entries,) = vault.conn.execute("SELECT count(*) FROM entries").fetchone()
        vault.close()
        print(
            f"SMS backup, {entries:,} messages ({size / 1e6:.0f} MB): {elapsed:6.2f} s, "
            f"{entries / elapsed:,.0f} messages/s (goal ≥ 30,000)"
        )
        print(
            f"  = {elapsed / floor:5.1f}× the raw floor's time ({floor:.2f} s, "
            f"{entries / floor:,.0f} messages/s); "
            f"{elapsed / parsing:4.2f}× the parse floor ({parsing:.2f} s, "
            f"{entries / parsing:,.0f} messages/s)"
        )
        print(  # on a busy machine the wall time says less than what each side spent
            f"  CPU: this process {own_after - own_before:.2f} s, workers "
            f"{kids_after - kids_before:.2f} s (they overlap when two cores are free)"
        )
        print(
            f"peak RSS: this process {peak_rss_mb():.0f} MB, largest worker "
            f"{children_peak_mb():.0f} MB (goal < 150 MB)"
        )


if __name__ == "__main__":
    main()
