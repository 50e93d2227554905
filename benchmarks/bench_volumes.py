"""What cutting a large binder into volumes costs in memory and time (issue #19, item 5:
a 357 MB binder peaked at 1.28 GB).

A synthetic binder shaped like ours (cover, index whose rows link to the exhibits,
bookmarks, page labels, then one large photo per page, each a different JPEG) is cut
into volumes, each run in a fresh child process that reports its peak resident memory
(``getrusage``) and its time; the parent only starts them, as a child's peak starts
at its parent's size. The references, run the same way on the same file:

- ``idle``: the child importing what the split imports and doing nothing (the floor);
- ``pypdf copy``: pypdf reading the binder and writing it out whole, the plainest
  thing the runtime PDF library does with a file;
- ``before``: the split as it was at the last commit (``git show HEAD:…``), if git has it.

It also cuts the same binder into one file per exhibit (``--per-exhibit``; an exhibit
is a run of 20 photo pages here), each under the same limit, to compare with volumes.

Figures are printed as ratios to the binder's size and to the references; nothing is
asserted (these machines are noisy). Run:
.venv/bin/python benchmarks/bench_volumes.py [--mb 160] [--limit-mb 25] [--skip-before]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import time
import types
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._common import peak_rss_mb, scratch

ROOT = Path(__file__).resolve().parents[1]
PHOTO_SIDE = 1000  # a noisy 1000×1000 JPEG is about 1 MB: one page, one megabyte
EXHIBIT_PAGES = 20


def make_binder(path: Path, megabytes: int) -> int:
    """Write a binder of about *megabytes* MB to *path*; its page count."""
    from PIL import Image
    from pypdf import PdfWriter
    from pypdf.annotations import Link
    from pypdf.constants import PageLabelStyle
    from reportlab import rl_config
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    rl_config.useA85 = 0  # as the binder builds: JPEG bytes passed through as they are
    draft = path.with_suffix(".draft.pdf")
    canvas = Canvas(str(draft), pageCompression=1)
    canvas.drawString(72, 700, "Petitioner's Exhibits")
    canvas.showPage()
    canvas.drawString(72, 700, "Exhibit index")
    canvas.showPage()
    written, photos = 0, 0
    while written < megabytes * 1_000_000:
        photo = io.BytesIO()
        noise = os.urandom(PHOTO_SIDE * PHOTO_SIDE * 3)
        Image.frombytes("RGB", (PHOTO_SIDE, PHOTO_SIDE), noise).save(photo, "JPEG", quality=85)
        written += photo.tell()
        canvas.drawString(72, 740, f"Photo {photos + 1}")
        canvas.drawImage(ImageReader(io.BytesIO(photo.getvalue())), 72, 150, 460, 460)
        canvas.showPage()
        photos += 1
    canvas.save()
    writer = PdfWriter(clone_from=draft)
    pages = len(writer.pages)
    writer.set_page_label(0, pages - 1, style=PageLabelStyle.DECIMAL, start=1)
    writer.add_outline_item(title="Cover", page_number=0)
    writer.add_outline_item(title="Exhibit index", page_number=1)
    for number, first in enumerate(range(2, pages, EXHIBIT_PAGES), start=1):
        writer.add_outline_item(title=f"Pet. Ex. {number} — Photos", page_number=first)
        top = 650 - 18 * number
        writer.add_annotation(1, Link(rect=(72, top, 500, top + 16), target_page_index=first))
    writer.add_metadata({"/Title": "Petitioner's Exhibits — 24-DV-01234"})
    with path.open("wb") as handle:
        writer.write(handle)
    draft.unlink()
    return pages


def child(action: str, pdf: Path, limit: int) -> None:
    """One measured run, in its own process; prints a JSON line."""
    from pypdf import PdfReader, PdfWriter

    from nco_desktop.binder import volumes

    start = time.perf_counter()
    result: dict[str, object] = {}
    if action == "make":
        result = {"pages": make_binder(pdf, limit)}
    elif action == "copy":
        writer = PdfWriter(clone_from=PdfReader(pdf))
        with (pdf.parent / "copy.pdf").open("wb") as handle:
            writer.write(handle)
    elif action == "split":
        made = volumes.split(pdf, limit)
        result = {"volumes": len(made), "largest": max(v.size for v in made)}
    elif action == "exhibits":
        from nco_desktop.binder.exhibit_files import ExhibitSpan, write_exhibit_files

        with pdf.open("rb") as handle:  # a handle: given a path, pypdf reads it all
            pages = len(PdfReader(handle).pages)
        spans = [
            ExhibitSpan(str(number), first + 1, min(first + EXHIBIT_PAGES, pages))
            for number, first in enumerate(range(2, pages, EXHIBIT_PAGES), start=1)
        ]
        files = write_exhibit_files(pdf, spans, limit)
        result = {"volumes": len(files), "largest": max(f.size for f in files)}
    elif action == "before":
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", "HEAD:nco_desktop/binder/volumes.py"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        before = types.ModuleType("volumes_before")
        sys.modules[before.__name__] = before  # dataclasses look their module up there
        exec(compile(source, "volumes_before.py", "exec"), before.__dict__)
        made = before.split(pdf, limit)
        result = {"volumes": len(made), "largest": max(v.size for v in made)}
    result |= {"seconds": time.perf_counter() - start, "rss_mb": peak_rss_mb()}
    print(json.dumps(result))


def run(action: str, pdf: Path, limit: int) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", action, "--pdf", str(pdf), "--limit", str(limit)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise SystemExit(f"{action} failed:\n{done.stderr}")
    figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=int, default=160, help="binder size, MB")
    parser.add_argument("--limit-mb", type=float, default=25.0, help="volume size, MB")
    parser.add_argument("--skip-before", action="store_true", help="skip the old split")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--pdf", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--limit", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.pdf, args.limit)
        return
    limit = int(args.limit_mb * 1_000_000)
    with scratch() as folder:
        pdf = folder / "binder.pdf"
        # Made in a child too: a child's peak starts at its parent's size (fork copies
        # the parent's memory counters), so the parent must stay small.
        made = run("make", pdf, args.mb)
        size_mb = pdf.stat().st_size / 1_000_000
        print(
            f"binder: {made['pages']:.0f} pages, {size_mb:.1f} MB (made in "
            f"{made['seconds']:.0f} s); volumes of at most {args.limit_mb:g} MB"
        )
        idle = run("idle", pdf, limit)
        copy = run("copy", pdf, limit)
        (folder / "copy.pdf").unlink()
        after = run("split", pdf, limit)
        exhibits = run("exhibits", pdf, limit)
        rows = [("idle (imports only)", idle), ("pypdf copy (reference)", copy)]
        if not args.skip_before:
            old = folder / "before"
            old.mkdir()
            os.link(pdf, old / "binder.pdf")  # its volumes land beside it, apart from ours
            rows.append(("split before (HEAD)", run("before", old / "binder.pdf", limit)))
        rows.append(("split now", after))
        rows.append(("one file per exhibit", exhibits))
        print(f"{'run':24} {'peak MB':>8} {'above idle':>10} {'/binder':>8} {'/copy':>6} {'s':>6}")
        for name, figures in rows:
            above = figures["rss_mb"] - idle["rss_mb"]
            print(
                f"{name:24} {figures['rss_mb']:8.0f} {above:10.0f} {above / size_mb:8.2f} "
                f"{figures['rss_mb'] / copy['rss_mb']:6.2f} {figures['seconds']:6.1f}"
                + (
                    f"   {figures['volumes']:.0f} volumes, largest "
                    f"{figures['largest'] / 1_000_000:.2f} MB"
                    if "volumes" in figures
                    else ""
                )
            )
        print(
            f"split now: time {after['seconds'] / copy['seconds']:.2f}× the pypdf copy; "
            f"memory above idle {(after['rss_mb'] - idle['rss_mb']) / size_mb:.2f}× the binder, "
            f"{(after['rss_mb'] - idle['rss_mb']) / (limit / 1_000_000):.2f}× one volume"
        )
        print(
            f"per exhibit: time {exhibits['seconds'] / after['seconds']:.2f}× the split into "
            f"volumes; memory above idle {(exhibits['rss_mb'] - idle['rss_mb']) / size_mb:.2f}× "
            "the binder"
        )


if __name__ == "__main__":
    main()
