"""What the checked copy for the other side costs: time and size of building it, with
every imported PDF page drawn, read and painted as pixels (issue #15), against the
court's copy of the same vault built in the same process (the reference), runs
alternated so the machine's noise falls on both.

No goal is set in the issue; the figures say what a user waits for. Each page is read
by the OCR engine in a fresh sandboxed worker, so the cost grows with imported pages.
Run: .venv/bin/python benchmarks/bench_service_copy.py [--pages 12] [--runs 3]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.pdfgen.canvas import Canvas

from benchmarks._common import scratch
from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.options import BinderOptions
from nco_desktop.importers.batch import import_paths
from nco_desktop.vault import KdfParams, Vault

FAST_KDF = KdfParams(log2_memory_kib=10, time_cost=1, parallelism=1)
PRIVATE = ["2417 Juniper Lane, Springfield", "jane.doe.safe@example.org", "Will"]


def report(pages: int) -> bytes:
    """A police report of *pages* dense text pages, the address on every third."""
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    for number in range(pages):
        for line in range(40):
            text = f"Page {number + 1}, line {line + 1}: the officer's account continues here."
            if line == 20 and number % 3 == 0:
                text = "The victim lives at 2417 Juniper Lane, Springfield, with Will."
            canvas.drawString(72, 740 - line * 16, text)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def build(vault: Vault, service: bool) -> tuple[float, int]:
    out = io.BytesIO()
    start = time.perf_counter()
    build_binder(vault, out, BinderOptions(for_service=service))
    return time.perf_counter() - start, len(out.getvalue())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with scratch() as folder:
        (folder / "in").mkdir()
        (folder / "in" / "report.pdf").write_bytes(report(args.pages))
        vault = Vault.create(folder / "b.ncovault", "bench passphrase", kdf=FAST_KDF)
        try:
            import_paths(vault, [folder / "in"], thumbnails=False)
            vault.set_settings({"case": {"redactions": PRIVATE}})
            court_t, service_t = [], []
            court_size = service_size = 0
            for _ in range(args.runs):
                seconds, court_size = build(vault, False)
                court_t.append(seconds)
                seconds, service_size = build(vault, True)
                service_t.append(seconds)
        finally:
            vault.close()
    court, service = statistics.median(court_t), statistics.median(service_t)
    print(f"imported pages: {args.pages}, runs: {args.runs} (medians)")
    print(f"court's copy (reference): {court:.2f} s, {court_size / 1e6:.2f} MB")
    print(
        f"other side's copy: {service:.2f} s ({service / court:.1f}x), "
        f"{service_size / 1e6:.2f} MB ({service_size / court_size:.1f}x); "
        f"{(service - court) / args.pages:.2f} s per imported page"
    )


if __name__ == "__main__":
    main()
