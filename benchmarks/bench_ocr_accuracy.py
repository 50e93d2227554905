"""OCR of phone screenshots: accuracy (CER) and speed of our pipeline against raw Tesseract.

Goals (OCR issue): character error rate ≤ 2 % on light, dark and Spanish screenshots
each; ≥ 1 phone screenshot per second on 2 cores (one worker per core: ≤ 2 s each).
The floor is tesserocr's own call (SetImage + GetUTF8Text) on the unprepared picture,
same API object and settings. Other preparations are listed for comparison.
Run: .venv/bin/python benchmarks/bench_ocr_accuracy.py [--per-category 10] [--variants a,b]
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image

from benchmarks._common import peak_rss_mb
from nco_desktop.ocr import prepare as prep
from nco_desktop.ocr import tesseract
from nco_desktop.ocr.words import OcrWord, text_of
from tests.support.screenshots import CATEGORIES, Screenshot, labelled_set

Reader = Callable[[Image.Image], str]


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (insertions, deletions, substitutions all cost 1)."""
    if len(a) < len(b):
        a, b = b, a
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def normalised(text: str) -> str:
    return " ".join(text.split())


def cer(found: str, expected: str) -> float:
    reference = normalised(expected)
    return edit_distance(normalised(found), reference) / max(1, len(reference))


def floor_text(image: Image.Image) -> str:
    """tesserocr's plain call on the picture as it is (the speed floor)."""
    api = tesseract._require().api
    tesseract.set_image(api, image)
    text: str = api.GetUTF8Text()
    api.Clear()
    return text


def with_preparation(preparation: tesseract.Preparation) -> Reader:
    return lambda image: text_of(tesseract.read_words(image, preparation))


def _unprepared(image: Image.Image, max_pixels: int) -> tuple[Image.Image, float]:
    return image.convert("RGB"), 1.0


def _gray_upscaled(image: Image.Image, max_pixels: int) -> tuple[Image.Image, float]:
    gray = prep.luminance(image)
    factor = prep.upscale_factor(prep.normalise(gray), max_pixels)
    if factor > 1.0:
        gray = gray.resize(
            (round(gray.width * factor), round(gray.height * factor)), Image.Resampling.BICUBIC
        )
    return gray, factor


def _normalised(cell: int, median: int, gain: float, upscale: bool) -> tesseract.Preparation:
    def preparation(image: Image.Image, max_pixels: int) -> tuple[Image.Image, float]:
        prepared = prep.normalise(prep.luminance(image), gain=gain, cell=cell, median=median)
        factor = prep.upscale_factor(prepared, max_pixels) if upscale else 1.0
        if factor > 1.0:
            prepared = prepared.resize(
                (round(prepared.width * factor), round(prepared.height * factor)),
                Image.Resampling.BICUBIC,
            )
        return prepared, factor

    return preparation


def both_polarities(image: Image.Image) -> str:
    """Read the grey picture and its inverse; keep, where words overlap, the surer one."""
    first = tesseract.read_words(image, _gray_upscaled)
    second = tesseract.read_words(image, _inverted_upscaled)
    kept: list[OcrWord] = list(first)
    for word in second:
        rivals = [w for w in kept if _overlap(w, word) > 0.3]
        if all(word.confidence > r.confidence for r in rivals):
            kept = [w for w in kept if w not in rivals]
            kept.append(word)
    return _merged_text(kept)


def _inverted_upscaled(image: Image.Image, max_pixels: int) -> tuple[Image.Image, float]:
    gray, factor = _gray_upscaled(image, max_pixels)
    return prep.inverted(gray), factor


def _overlap(a: OcrWord, b: OcrWord) -> float:
    width = min(a.left + a.width, b.left + b.width) - max(a.left, b.left)
    height = min(a.top + a.height, b.top + b.height) - max(a.top, b.top)
    if width <= 0 or height <= 0:
        return 0.0
    return width * height / min(a.width * a.height, b.width * b.height)


def _merged_text(words: list[OcrWord]) -> str:
    """Lines rebuilt from geometry (the two passes number their lines separately)."""
    rows: list[list[OcrWord]] = []
    for word in sorted(words, key=lambda w: w.top + w.height / 2):
        middle = word.top + word.height / 2
        if rows and abs(middle - (rows[-1][0].top + rows[-1][0].height / 2)) < 0.5 * max(
            word.height, rows[-1][0].height
        ):
            rows[-1].append(word)
        else:
            rows.append([word])
    return "\n".join(" ".join(w.text for w in sorted(row, key=lambda w: w.left)) for row in rows)


VARIANTS: dict[str, Reader] = {
    "floor: raw tesserocr": floor_text,
    "grey + upscale": with_preparation(_gray_upscaled),
    "both polarities": both_polarities,
    "local bg 8px/5 gain3": with_preparation(_normalised(8, 5, 3.0, True)),
    "local bg 4px/15 gain2": with_preparation(_normalised(4, 15, 2.0, True)),
    "strokes, no upscale": with_preparation(
        lambda image, _: (prep.normalise_strokes(prep.luminance(image)), 1.0)
    ),
    "chosen: read_words": lambda image: text_of(tesseract.read_words(image)),
}


def measure(reader: Reader, shots: list[Screenshot]) -> tuple[float, float, float]:
    """(mean CER, worst CER, seconds per picture)."""
    errors = []
    start = time.perf_counter()
    for shot in shots:
        errors.append(cer(reader(shot.image), shot.text))
    elapsed = time.perf_counter() - start
    return sum(errors) / len(errors), max(errors), elapsed / len(shots)


def _worker_read(image: Image.Image) -> int:
    return len(tesseract.read_words(image))


def throughput(shots: list[Screenshot], processes: int, languages: str) -> float:
    """Phone screenshots per second with one worker process per core (wall clock)."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(processes, tesseract.prepare, (None, languages)) as pool:
        pool.map(_worker_read, [shot.image for shot in shots[:processes]])  # start-up
        start = time.perf_counter()
        pool.map(_worker_read, [shot.image for shot in shots], chunksize=1)
        return len(shots) / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--per-category", type=int, default=10)
    parser.add_argument(
        "--variants",
        default="floor: raw tesserocr,chosen: read_words",
        help="comma-separated names, or 'all': " + ", ".join(VARIANTS),
    )
    parser.add_argument("--categories", default=",".join(CATEGORIES))
    parser.add_argument("--languages", default="spa+eng")
    parser.add_argument("--processes", type=int, default=2, help="0: skip the throughput")
    parser.add_argument("--show", action="store_true", help="print worst text per category")
    args = parser.parse_args()
    names = list(VARIANTS) if args.variants == "all" else args.variants.split(",")
    start = time.perf_counter()
    samples = labelled_set(args.per_category)
    print(
        f"generated {sum(len(v) for v in samples.values())} screenshots in "
        f"{time.perf_counter() - start:.1f} s"
    )
    start = time.perf_counter()
    tesseract.prepare(languages=args.languages)
    print(
        f"{tesseract.engine_name()}: prepare {time.perf_counter() - start:.2f} s, "
        f"OMP_THREAD_LIMIT={os.environ.get('OMP_THREAD_LIMIT')}"
    )
    print(
        f"{'category':16} {'variant':24} {'CER':>7} {'worst':>7} {'s/pic':>6} "
        f"{'pic/s':>6} {'×floor':>6}"
    )
    for category in args.categories.split(","):
        shots = samples[category]
        floor_time = None
        for name in names:
            mean, worst, seconds = measure(VARIANTS[name], shots)
            if name.startswith("floor"):
                floor_time = seconds
            ratio = f"{seconds / floor_time:6.2f}" if floor_time else "     –"
            print(
                f"{category:16} {name:24} {mean:7.2%} {worst:7.2%} {seconds:6.2f} "
                f"{1 / seconds:6.2f} {ratio}",
                flush=True,
            )
        if args.show:
            shot = shots[0]
            print("expected:", normalised(shot.text))
            print("found:   ", normalised(VARIANTS[names[-1]](shot.image)))
    if args.processes:
        phone = [shot for name in CATEGORIES[:4] for shot in samples.get(name, [])]
        rate = throughput(phone, args.processes, args.languages)
        print(
            f"throughput, {args.processes} worker processes, {len(phone)} full-size phone "
            f"screenshots (light/dark EN/ES): {rate:.2f} per second"
        )
    print(
        f"peak RSS {peak_rss_mb():.0f} MB; goals: CER ≤ 2 % on light, dark and Spanish; "
        "≤ 2 s per phone screenshot per core (≥ 1/s on 2 cores)"
    )


if __name__ == "__main__":
    main()
