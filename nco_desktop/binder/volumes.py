"""Split a finished binder into volumes under an e-filing size limit.

Volumes are cut from the finished binder, so every page keeps the number printed on
it, and each volume's PDF page labels continue where the last one stopped (volume 2
starts at, say, 148). Bookmarks follow their pages; links that would cross into
another volume are dropped (the index's page numbers still say where to look).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    IndirectObject,
    NameObject,
    StreamObject,
)

from nco_desktop.binder.output import write_bytes_atomically

MARGIN = 0.92  # fonts and structure repeat in every volume: aim below the limit


@dataclass(frozen=True)
class Volume:
    path: Path
    first_page: int  # 1-based, as printed
    last_page: int
    size: int


def _streams_size(obj: object, seen: set[int], depth: int = 0) -> int:
    """Bytes of every stream reachable from *obj* that no earlier page brought."""
    if depth > 12:
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
        for key, value in obj.items():
            if key not in ("/Parent", "/P"):  # do not walk back up to the page tree
                size += _streams_size(value, seen, depth + 1)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            size += _streams_size(value, seen, depth + 1)
    return size


def _page_weight(reader: PdfReader, index: int, seen: set[int]) -> int:
    """Bytes a page brings: its content, and the fonts and images it is first to use."""
    page = reader.pages[index]
    weight = 1_000
    contents = page.get_contents()
    if contents is not None:
        weight += len(contents.get_data())
    return weight + _streams_size(page.get("/Resources"), seen)


def _ranges(reader: PdfReader, limit: int) -> list[tuple[int, int]]:
    """Greedy page ranges under *limit*; each volume carries its own fonts, so what a
    page shares is counted afresh at every volume's start."""
    seen: set[int] = set()
    ranges: list[tuple[int, int]] = []
    start, total = 0, 0
    for index in range(len(reader.pages)):
        weight = _page_weight(reader, index, seen)
        if index > start and total + weight > limit * MARGIN:
            ranges.append((start, index))
            seen = set()
            start, total = index, 0
            weight = _page_weight(reader, index, seen)
        total += weight
    ranges.append((start, len(reader.pages)))
    return ranges


def _write_volume(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def _volume_writer(reader: PdfReader, start: int, end: int, title: str) -> PdfWriter:
    writer = PdfWriter()
    for index in range(start, end):
        page = writer.add_page(reader.pages[index])
        if "/Annots" in page:
            del page[NameObject("/Annots")]  # links may point into other volumes
    writer.set_page_label(0, end - start - 1, style=PageLabelStyle.DECIMAL, start=start + 1)
    for item in reader.outline:
        if isinstance(item, list):
            continue
        number = reader.get_destination_page_number(item)
        if number is not None and start <= number < end:
            writer.add_outline_item(title=str(item.title or ""), page_number=number - start)
    writer.add_metadata(
        {k: v for k, v in (reader.metadata or {}).items() if k != "/Title"} | {"/Title": title}
    )
    return writer


@dataclass(frozen=True)
class VolumeData:
    first_page: int  # 1-based, as printed
    last_page: int
    data: bytes


def cut_volumes(binder: Path | bytes, limit_bytes: int) -> list[VolumeData]:
    """The binder cut into volumes under *limit_bytes*, in memory; [] when it fits."""
    size = len(binder) if isinstance(binder, bytes) else binder.stat().st_size
    if size <= limit_bytes:
        return []
    reader = PdfReader(io.BytesIO(binder) if isinstance(binder, bytes) else binder)
    title = str(reader.metadata.get("/Title") if reader.metadata else "") or "Exhibits"
    pending = _ranges(reader, limit_bytes)
    written: list[tuple[int, int]] = []
    while pending:
        start, end = pending.pop(0)
        # Measured with the longest title a volume can get, so the final one is no larger.
        data = _write_volume(_volume_writer(reader, start, end, f"{title} — volume 999 of 999"))
        if len(data) > limit_bytes and end - start > 1:  # the estimate was short: halve
            middle = (start + end) // 2
            pending[:0] = [(start, middle), (middle, end)]
            continue
        written.append((start, end))
    return [
        # Written again with the final "volume N of M" title.
        VolumeData(
            start + 1,
            end,
            _write_volume(
                _volume_writer(reader, start, end, f"{title} — volume {number} of {len(written)}")
            ),
        )
        for number, (start, end) in enumerate(written, start=1)
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
    """Write NAME-vol1.pdf, NAME-vol2.pdf … beside *binder*; [] when it already fits."""
    return write_volumes(binder, cut_volumes(binder, limit_bytes))
