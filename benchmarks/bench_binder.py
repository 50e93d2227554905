"""Binder speed, size and memory beside img2pdf (the lossless reference) in the same run.

Input: 500 phone screenshots (JPEG and PNG mixed), a 5,000-message thread and 20 merged
5-page PDFs. Goals (issue 4): ≥ 0.5× img2pdf's pages/s on the pictures, peak memory
≤ 2× the output size, output ≤ 1.1× the size of the originals it embeds.
Run: .venv/bin/python benchmarks/bench_binder.py [--screenshots 500]
"""

from __future__ import annotations

import argparse
import io
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import img2pdf
from reportlab.pdfgen.canvas import Canvas

from benchmarks._common import peak_rss_mb, scratch
from benchmarks.bench_import import make_screenshots
from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.exhibits import add_exhibit
from nco_desktop.importers.batch import import_paths
from nco_desktop.vault import KdfParams, Vault

FAST_KDF = KdfParams(log2_memory_kib=10, time_cost=1, parallelism=1)


def make_thread(path: Path, count: int) -> None:
    rows = [
        f'<sms address="+15550100199" date="{1_700_000_000_000 + i * 61_000}" '
        f'type="{1 + i % 3 // 2}" body="message {i}: where are you? I saw your car outside '
        f'again and I will wait for you" contact_name="John Roe" />'
        for i in range(count)
    ]
    path.write_text(f'<smses count="{count}">\n' + "\n".join(rows) + "\n</smses>\n")


def make_reports(folder: Path, count: int) -> None:
    for n in range(count):
        out = io.BytesIO()
        canvas = Canvas(out)
        for page in range(5):
            canvas.drawString(72, 700, f"Police report {n}, page {page + 1}")
            for line in range(40):
                canvas.drawString(72, 660 - line * 14, "Officer's narrative of the incident. " * 2)
            canvas.showPage()
        canvas.save()
        (folder / f"report-{n:02d}.pdf").write_bytes(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--screenshots", type=int, default=500)
    args = parser.parse_args()
    with scratch() as folder:
        shots = folder / "shots"
        embedded = make_screenshots(shots, args.screenshots)
        files = sorted(shots.iterdir())
        start = time.perf_counter()
        reference = img2pdf.convert([str(f) for f in files])
        ref_time = time.perf_counter() - start
        print(
            f"img2pdf, {len(files)} pictures: {len(files) / ref_time:6.1f} pages/s, "
            f"{len(reference) / 1e6:.0f} MB (originals {embedded / 1e6:.0f} MB)"
        )

        vault = Vault.create(folder / "b.ncovault", "benchmark passphrase", kdf=FAST_KDF)
        import_paths(vault, [shots], thumbnails=False)
        picture_ids = [i for (i,) in vault.conn.execute("SELECT id FROM entries ORDER BY id")]
        add_exhibit(vault, "Screenshots", "", picture_ids)
        # Timed untraced: tracemalloc hooks every allocation and slowed this build about
        # 2× (0.40× img2pdf traced, against 155 pages/s for the larger untraced build).
        # Memory is measured by a second, traced build of the same binder.
        start = time.perf_counter()
        result = build_binder(vault, folder / "pictures.pdf")
        took = time.perf_counter() - start
        tracemalloc.start()
        build_binder(vault, folder / "pictures.pdf")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rate = result.pages / took
        pictures_rate = len(files) / took
        print(
            f"binder, pictures only: {result.pages} pages in {took:.1f} s = {rate:6.1f} pages/s "
            f"= {rate / (len(files) / ref_time):4.2f}× img2pdf (goal ≥ 0.5); counting "
            f"the pictures alone, {pictures_rate / (len(files) / ref_time):4.2f}×"
        )
        print(
            f"  size {result.size / 1e6:.0f} MB = {result.size / embedded:4.2f}× the originals "
            f"(goal ≤ 1.1); Python peak {peak / 1e6:.0f} MB = {peak / result.size:4.2f}× the "
            "output (goal ≤ 2)"
        )

        extra = folder / "extra"
        extra.mkdir()
        make_thread(extra / "sms-thread.xml", 5000)
        make_reports(extra, 20)
        import_paths(vault, [extra], thumbnails=False)
        vault.conn.execute("DELETE FROM exhibit_items")  # back to automatic exhibits
        vault.conn.execute("DELETE FROM exhibits")
        start = time.perf_counter()
        result = build_binder(vault, folder / "all.pdf")
        took = time.perf_counter() - start
        print(
            f"binder, everything: {result.pages} pages, {result.exhibits} exhibits in "
            f"{took:.1f} s = {result.pages / took:.1f} pages/s, {result.size / 1e6:.0f} MB"
        )
        print(f"peak RSS of this process: {peak_rss_mb():.0f} MB")
        vault.close()


if __name__ == "__main__":
    main()
