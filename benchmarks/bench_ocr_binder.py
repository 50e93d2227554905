"""What the invisible text layer costs the binder: build time and size with the words
read in every screenshot laid over it, against the same binder without them, in the
same process (the reference), alternating runs so the machine's noise falls on both.

Goals (OCR issue): the text layer adds < 10 % to build time and < 2 % to size.
Run: .venv/bin/python benchmarks/bench_ocr_binder.py [--screenshots 40]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import scratch
from nco_desktop.binder import exhibit_pages
from nco_desktop.binder.assemble import build_binder
from nco_desktop.importers.batch import import_paths
from nco_desktop.ocr import queue
from nco_desktop.vault import KdfParams, Vault

FAST_KDF = KdfParams(log2_memory_kib=10, time_cost=1, parallelism=1)


def write_screenshots(folder: Path, count: int) -> None:
    """Labelled phone screenshots (tests/support/screenshots.py), light and dark, English
    and Spanish, every chat app, saved as PNG as a phone does."""
    from tests.support.screenshots import STYLES, make_screenshot

    folder.mkdir(parents=True)
    for index in range(count):
        style = STYLES[index % len(STYLES)]
        shot = make_screenshot(
            index,
            style,
            index % 2 == 1,
            ("en", "es")[index % 3 == 2],
            ("iphone", "android")[index % 2],
        )
        shot.image.save(folder / f"Screenshot_20240312-2215{index:02d}.png", "PNG")


def build(vault: Vault, with_layer: bool) -> tuple[float, int]:
    original = exhibit_pages.ocr_store.pages_of
    if not with_layer:
        exhibit_pages.ocr_store.pages_of = lambda conn, original_id: []  # type: ignore[assignment]
    try:
        out = io.BytesIO()
        start = time.perf_counter()
        build_binder(vault, out)
        return time.perf_counter() - start, len(out.getvalue())
    finally:
        exhibit_pages.ocr_store.pages_of = original  # type: ignore[assignment]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--screenshots", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    with scratch() as folder:
        write_screenshots(folder / "in", args.screenshots)
        with Vault.create(folder / "b.ncovault", "bench passphrase", kdf=FAST_KDF) as vault:
            import_paths(vault, [folder / "in"], thumbnails=False)
            with queue.new_pool() as pool:
                run = queue.read_pending(vault, pool)
            print(f"{run.read} screenshots read, {run.words:,} words")
            times: dict[bool, list[float]] = {True: [], False: []}
            sizes: dict[bool, int] = {}
            for _ in range(args.repeats):
                for with_layer in (False, True):
                    seconds, size = build(vault, with_layer)
                    times[with_layer].append(seconds)
                    sizes[with_layer] = size
    plain, layered = statistics.median(times[False]), statistics.median(times[True])
    print(f"build without text layer (reference): {plain:.3f} s, {sizes[False]:,} bytes")
    print(f"build with text layer:                {layered:.3f} s, {sizes[True]:,} bytes")
    print(
        f"time ratio {layered / plain:.3f} (goal < 1.10); "
        f"size ratio {sizes[True] / sizes[False]:.4f} (goal < 1.02)"
    )


if __name__ == "__main__":
    main()
