"""RapidOCR (PP-OCR models on ONNX Runtime) on the same labelled screenshots, for comparison.

Not a dependency of the project: run it from a separate venv that has rapidocr, e.g.
  python3.12 -m venv /tmp/rapidvenv && /tmp/rapidvenv/bin/pip install rapidocr onnxruntime
  PYTHONPATH=. /tmp/rapidvenv/bin/python benchmarks/bench_ocr_rapidocr.py
It prints the same CER and speed columns as bench_ocr_accuracy.py, and its installed size.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import peak_rss_mb
from benchmarks.bench_ocr_accuracy import cer
from tests.support.screenshots import CATEGORIES, labelled_set


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-category", type=int, default=3)
    parser.add_argument("--categories", default=",".join(CATEGORIES))
    args = parser.parse_args()
    if importlib.util.find_spec("rapidocr") is None:
        print("rapidocr is not importable here: skipped (see the docstring for a venv)")
        return
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    start = time.perf_counter()
    engine = importlib.import_module("rapidocr").RapidOCR()
    print(f"RapidOCR init {time.perf_counter() - start:.1f} s")
    samples = labelled_set(args.per_category)
    print(f"{'category':16} {'variant':24} {'CER':>7} {'worst':>7} {'s/pic':>6} {'pic/s':>6}")
    for category in args.categories.split(","):
        errors = []
        start = time.perf_counter()
        for shot in samples[category]:
            result = engine(shot.image.convert("RGB"))
            errors.append(cer("\n".join(result.txts or ()), shot.text))
        seconds = (time.perf_counter() - start) / len(errors)
        print(
            f"{category:16} {'rapidocr':24} {sum(errors) / len(errors):7.2%} "
            f"{max(errors):7.2%} {seconds:6.2f} {1 / seconds:6.2f}",
            flush=True,
        )
    site = Path(sys.prefix) / "lib" / f"python{sys.version_info[0]}.{sys.version_info[1]}"
    size = subprocess.run(
        ["du", "-sh", str(site / "site-packages")], capture_output=True, text=True, check=False
    ).stdout.split("\t")[0]
    print(f"installed site-packages of this venv: {size}; peak RSS {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
