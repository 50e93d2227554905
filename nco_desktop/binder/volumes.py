"""Split a finished binder into volumes under an e-filing size limit.

Volumes are cut from the finished binder, so every page keeps the number printed on
it, and each volume's PDF page labels continue where the last one stopped (volume 2
starts at, say, 148). Each volume is a new PDF holding only its own pages, the links
among them and their form values (:mod:`.volume_copy`).

Sizes are measured, not guessed: a volume is written to a counter first, and pages move
to the next volume until it fits. A page that cannot fit even alone is named in a
:class:`PageTooLarge` error before any volume is written. The binder is read from its
file as objects are needed, and what one volume read is let go before the next, so
memory holds about one volume, not the binder (``benchmarks/bench_volumes.py``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from pypdf import PdfReader, PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    PdfObject,
    StreamObject,
)

from nco_desktop.binder.output import write_atomically, write_bytes_atomically
from nco_desktop.binder.volume_copy import (
    ANNOTATION_KEYS_LEFT,
    MAX_DEPTH,
    BinderParts,
    read_binder,
    volume_writer,
)
from nco_desktop.errors import NcoError
from nco_desktop.safe_text import safe_line

MEGABYTE = 1_000_000  # as --split-mb and e-filing portals count
#: The first guess of a volume's pages aims this far below the limit; the written size
#: decides.
MARGIN = 0.95
#: Sizes are measured with the longest title a volume can get, so the final one is no larger.
LONGEST_NUMBERS = "volume 9999999 of 9999999"
#: How often a volume that came out well under the limit is offered more pages.
GROW_TRIES = 2


class PageTooLarge(NcoError):
    """A single page is larger than a volume may be: no split can keep under the limit."""

    def __init__(self, page: str, where: str, size: int, limit: int) -> None:
        inside = f" ({where})" if where else ""
        super().__init__(
            f"Page {page}{inside} is {size / MEGABYTE:.1f} MB on its own, more than a "
            f"volume of {limit / MEGABYTE:g} MB may hold, so no volume can take it. "
            "Choose a larger volume size; no volumes were written."
        )
        self.page, self.size, self.limit = page, size, limit


@dataclass(frozen=True)
class Volume:
    path: Path
    first_page: int  # 1-based, as printed
    last_page: int
    size: int


@dataclass(frozen=True)
class VolumeData:
    first_page: int  # 1-based, as printed
    last_page: int
    data: bytes


@contextmanager
def open_binder(binder: Path | bytes) -> Iterator[PdfReader]:
    """A reader of the binder that reads objects as they are asked for.

    A reader keeps every object it has read: :func:`_release` lets them go after each
    volume, so memory holds about one volume, not the binder. The page list is kept:
    reading it again for each volume cost as much as the copying.
    """
    if isinstance(binder, bytes):
        yield PdfReader(io.BytesIO(binder))
        return
    # A handle, not a path: given a path, pypdf reads the whole file into memory.
    with binder.open("rb") as handle:
        yield PdfReader(handle)


def _release(pdf: PdfReader | PdfWriter) -> None:
    """Let go of what *pdf* read or holds, now.

    pypdf's objects point back at their reader or writer, so a volume's pictures would
    stay in memory until the cycle collector ran, which counts objects, not bytes (a
    10 MB binder cut into 1 MB volumes held 11 MB). Collecting after each volume worked
    but cost up to a tenth of a second each time, more in the window's busy process.
    """
    if isinstance(pdf, PdfReader):
        pdf.resolved_objects.clear()  # its pages stay listed, their contents are read again
    else:
        pdf._objects.clear()
        pdf._id_translated.clear()


class _Counter:
    """A write target that only counts: a volume's exact size without holding its bytes."""

    def __init__(self) -> None:
        self.size = 0

    def write(self, data: bytes) -> int:
        self.size += len(data)
        return len(data)

    def tell(self) -> int:
        return self.size

    def flush(self) -> None:
        pass


def cut_volumes(binder: Path | bytes, limit_bytes: int) -> list[VolumeData]:
    """The binder cut into volumes under *limit_bytes*, in memory; [] when it fits.

    For a binder already in memory (the window's); :func:`split` writes to files and
    holds one volume at a time.
    """

    def keep(_: int, writer: PdfWriter) -> bytes:
        buffer = io.BytesIO()
        writer.write(buffer)
        return buffer.getvalue()

    with open_binder(binder) as reader:
        ranges, binder_info = _prepare(reader, binder, limit_bytes)
        datas = write_ranges(reader, binder_info, _titled(binder_info, ranges), keep)
    return [
        VolumeData(start + 1, end, data) for (start, end), data in zip(ranges, datas, strict=True)
    ]


def volume_path(binder: Path, number: int) -> Path:
    return binder.with_name(f"{binder.stem}-vol{number}{binder.suffix}")


def write_volumes(binder: Path, volumes: list[VolumeData]) -> list[Volume]:
    """Write NAME-vol1.pdf, NAME-vol2.pdf … beside *binder*, each whole or not at all."""
    return [
        Volume(
            path := volume_path(binder, number),
            volume.first_page,
            volume.last_page,
            write_bytes_atomically(path, volume.data),
        )
        for number, volume in enumerate(volumes, start=1)
    ]


def split(binder: Path, limit_bytes: int) -> list[Volume]:
    """Write NAME-vol1.pdf, NAME-vol2.pdf … beside *binder*; [] when it already fits.

    Every volume is measured before the first is written, so a page too large for any
    volume (:class:`PageTooLarge`) leaves no volumes behind. Each is written straight to
    its file (owner-only, whole or not at all), one at a time.
    """
    ranges: list[tuple[int, int]] = []

    def save(number: int, writer: PdfWriter) -> Volume:
        path = volume_path(binder, number)
        start, end = ranges[number - 1]
        return Volume(path, start + 1, end, write_atomically(path, writer.write))

    with open_binder(binder) as reader:
        ranges, binder_info = _prepare(reader, binder, limit_bytes)
        return write_ranges(reader, binder_info, _titled(binder_info, ranges), save)


# ----- planning ---------------------------------------------------------------------------


def _prepare(
    reader: PdfReader, binder: Path | bytes, limit: int
) -> tuple[list[tuple[int, int]], BinderParts]:
    """The volumes' page ranges ([] when the binder fits whole) and the binder's parts
    every volume needs."""
    size = len(binder) if isinstance(binder, bytes) else binder.stat().st_size
    parts = read_binder(reader)
    return (plan_ranges(reader, parts, limit) if size > limit else []), parts


def plan_ranges(
    reader: PdfReader,
    binder: BinderParts,
    limit: int,
    first: int = 0,
    stop: int | None = None,
    longest_title: str | None = None,
) -> list[tuple[int, int]]:
    """Page ranges of pages *first*…*stop*−1 (all by default) whose volumes, as written,
    are each at most *limit* bytes; each is measured titled *longest_title* (by default
    the binder's title and the longest volume numbers), which no final title outgrows.

    Greedy: a first guess from the bytes each page brings, then the volume is written to
    a counter; pages move to the next volume while it is too large, and are offered
    from the next volume while it is well under.
    """
    stop = binder.pages if stop is None else stop
    title = longest_title or f"{binder.title} — {LONGEST_NUMBERS}"
    ranges: list[tuple[int, int]] = []
    start = first
    while start < stop:
        estimate = _Estimate(reader, stop)
        end = max(start + 1, estimate.fill(start, limit * MARGIN))
        size = _measure(reader, binder, start, end, title)
        while size > limit:
            if end - start == 1:
                raise _too_large(reader, binder, start, size, limit)
            fitting = start + int((end - start) * limit / size)
            end = max(start + 1, min(end - 1, fitting))
            size = _measure(reader, binder, start, end, title)
        for _ in range(GROW_TRIES):
            more = estimate.fill(end, limit - size)
            if more == end:
                break
            grown = _measure(reader, binder, start, more, title)
            if grown > limit:
                break
            end, size = more, grown
        _release(reader)
        ranges.append((start, end))
        start = end
    return ranges


class _Estimate:
    """The bytes each page brings to a volume: its content, annotations' looks, and the
    fonts and pictures it is the first in the volume to use."""

    def __init__(self, reader: PdfReader, pages: int) -> None:
        self.reader, self.pages = reader, pages
        self.seen: set[int] = set()
        self.weights: dict[int, int] = {}  # in page order, so "first to use" holds

    def weight(self, index: int) -> int:
        if index not in self.weights:
            page = self.reader.pages[index]
            self.seen.add(_idnum(page.indirect_reference))
            parts = (
                page.raw_get(key) for key in ("/Contents", "/Resources", "/Annots") if key in page
            )
            self.weights[index] = 1_000 + sum(_streams_size(part, self.seen) for part in parts)
        return self.weights[index]

    def fill(self, start: int, budget: float) -> int:
        """The end of the pages from *start* whose weights add up to at most *budget*
        (*start* itself when even the first does not fit)."""
        end, total = start, 0
        while end < self.pages and total + self.weight(end) <= budget:
            total += self.weight(end)
            end += 1
        return end


def _idnum(reference: IndirectObject | None) -> int:
    return reference.idnum if reference is not None else -1


def _streams_size(obj: PdfObject | None, seen: set[int], depth: int = 0) -> int:
    """Bytes of every stream reachable from *obj* that no earlier page brought; never
    into another page (a link's destination) or back up the page tree."""
    if obj is None or depth > MAX_DEPTH:
        return 0
    if isinstance(obj, IndirectObject):
        if obj.idnum in seen:
            return 0
        seen.add(obj.idnum)
        obj = obj.get_object()
    size = 0
    if isinstance(obj, StreamObject):
        size += len(obj._data or b"")
    if isinstance(obj, DictionaryObject):
        if obj.get("/Type") == "/Page":
            return 0
        for key, value in dict.items(obj):
            if key not in ANNOTATION_KEYS_LEFT:
                size += _streams_size(value, seen, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in list.__iter__(obj):
            size += _streams_size(value, seen, depth + 1)
    return size


def _measure(reader: PdfReader, binder: BinderParts, start: int, end: int, title: str) -> int:
    counter = _Counter()
    writer = volume_writer(reader, binder, start, end, title)
    writer.write(counter)  # type: ignore[arg-type]  # it writes and tells, as a file does
    _release(writer)
    return counter.size


def _too_large(
    reader: PdfReader, binder: BinderParts, index: int, size: int, limit: int
) -> PageTooLarge:
    """The error naming page *index* (0-based) as printed, and where it is in its exhibit."""
    try:
        label = reader.page_labels[index]
    except (IndexError, KeyError, ValueError):
        label = str(index + 1)
    where = ""
    top = [mark for mark in binder.marks if mark.parent is None and mark.page <= index]
    if top:
        mark = max(top, key=lambda m: m.page)
        title = f"“{safe_line(mark.title)}”"
        where = f"page {index - mark.page + 1} of {title}" if index > mark.page else title
    return PageTooLarge(safe_line(label), where, size, limit)


# ----- writing ----------------------------------------------------------------------------

T = TypeVar("T")


def _titled(binder: BinderParts, ranges: list[tuple[int, int]]) -> list[tuple[int, int, str]]:
    return [
        (start, end, f"{binder.title} — volume {number} of {len(ranges)}")
        for number, (start, end) in enumerate(ranges, start=1)
    ]


def write_ranges(
    reader: PdfReader,
    binder: BinderParts,
    ranges: list[tuple[int, int, str]],
    write: Callable[[int, PdfWriter], T],
) -> list[T]:
    """*write* the writer of each (start, end, title) in turn (numbered from 1), letting
    go of each before the next."""
    written: list[T] = []
    for number, (start, end, title) in enumerate(ranges, start=1):
        writer = volume_writer(reader, binder, start, end, title)
        written.append(write(number, writer))
        _release(writer)
        _release(reader)
    return written
