"""One PDF per exhibit, cut from a finished binder, for courts that want each filed alone.

The binder is built whole first, so every page keeps the number printed on it; the cut
only sorts its pages into files beside it: the front matter (cover, index, chronology,
pattern page, incident log: every page before the first exhibit), each exhibit (its
divider and pages), and the back matter (integrity appendix and declaration: every page
after the last exhibit). A part with no pages gets no file. Each file is made as a
volume is (:mod:`.volume_copy`): only its own pages, the links among them (the index's
links into the exhibits and the dividers' links back are dropped: the printed page
numbers still say where to look), form values, its bookmarks, page labels that continue
the binder's (Exhibit 3's file starts at its binder page), and PDF/A when the binder is.

Names sort in binder order and stay short, as some courts cap them (Texas: 50
characters): ``NAME-0-index.pdf``, ``NAME-ex01.pdf`` … (numbers zero-padded to the
widest; letter labels as they are, ``NAME-exA.pdf``), ``NAME-z-appendix.pdf``. With a
size limit, a part over it is itself cut into volumes (``NAME-ex03-vol1.pdf`` …) by the
volume planner. Everything is measured and every name checked before the first file
is written, so a page too large for any file (:class:`.PageTooLarge`) or a name too
long leaves nothing behind.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pypdf import PdfReader, PdfWriter

from nco_desktop.binder.output import write_atomically, write_bytes_atomically
from nco_desktop.binder.volume_copy import BinderParts, read_binder
from nco_desktop.binder.volumes import (
    LONGEST_NUMBERS,
    open_binder,
    plan_ranges,
    write_ranges,
)
from nco_desktop.errors import NcoError

if TYPE_CHECKING:  # only its fields are read: the cut needs none of the building
    from nco_desktop.binder.assemble import BinderResult

FRONT = "0-index"  # "0" and "z" sort before and after "ex…" in every file manager
BACK = "z-appendix"
FRONT_WHAT = "Cover, index and chronology"
BACK_WHAT = "Integrity appendix and declaration"


@dataclass(frozen=True)
class ExhibitSpan:
    """Where one exhibit is in the binder: its label and 1-based pages, as printed."""

    label: str
    first_page: int
    last_page: int


@dataclass(frozen=True)
class ExhibitFile:
    """One file written: what it holds in words ("Exhibit 3", "Exhibit 3, volume 1 of
    2"), its pages as printed in the binder, and its size in bytes."""

    path: Path
    what: str
    first_page: int
    last_page: int
    size: int


@dataclass(frozen=True)
class ExhibitFileData:
    """One file cut in memory; *tail* is what its name adds to the binder's name."""

    tail: str  # e.g. "-ex03" or "-ex03-vol1"
    what: str
    first_page: int
    last_page: int
    data: bytes

    def file_name(self, binder: Path | str) -> str:
        """Its name beside a binder saved as *binder* (``NAME.pdf`` → ``NAME-ex03.pdf``)."""
        return _name(Path(binder), self.tail)


@dataclass(frozen=True)
class _Piece:
    """One file to write: its name's tail, words, PDF title and 0-based pages."""

    tail: str
    what: str
    title: str
    start: int
    stop: int  # exclusive


def exhibit_spans(result: BinderResult) -> list[ExhibitSpan]:
    """The exhibits of a binder as :func:`.build_binder` reported them."""
    labels = sorted(result.first_pages, key=result.first_pages.__getitem__)
    if len(labels) != len(result.exhibit_pages):
        raise NcoError("The binder's exhibits and their page counts do not match.")
    return [
        ExhibitSpan(label, result.first_pages[label], result.first_pages[label] + pages - 1)
        for label, pages in zip(labels, result.exhibit_pages, strict=True)
    ]


def longest_name(binder: Path | str, labels: Sequence[str] = (), volumes: int = 0) -> str:
    """The longest file name cutting a binder saved as *binder* can give, extension
    included: to check a court's limit before building. *labels* are the exhibits'
    (unknown before the build: the appendix's name is the longest for labels of up to
    eight characters); *volumes* the most volumes one part may be cut into (0: none)."""
    tails = [f"-{FRONT}", f"-{BACK}", *(f"-ex{key}" for key in _label_keys(labels))]
    if volumes > 1:
        width = len(str(volumes))
        tails = [f"{tail}-vol{volumes:0{width}d}" for tail in tails]
    return max((_name(Path(binder), tail) for tail in tails), key=len)


def cut_exhibit_files(
    binder: Path | bytes,
    exhibits: Sequence[ExhibitSpan],
    limit_bytes: int | None = None,
) -> list[ExhibitFileData]:
    """The binder cut into one PDF per part, in memory (the window's binder is); with
    *limit_bytes*, a part over it cut into volumes. :func:`save_exhibit_files` writes
    them beside the name the user then chooses."""

    def keep(number: int, writer: PdfWriter) -> ExhibitFileData:
        buffer = io.BytesIO()
        writer.write(buffer)
        piece = pieces[number - 1]
        return ExhibitFileData(
            piece.tail, piece.what, piece.start + 1, piece.stop, buffer.getvalue()
        )

    with open_binder(binder) as reader:
        parts = read_binder(reader)
        pieces = _plan(reader, parts, _parts(parts, exhibits), limit_bytes)
        return write_ranges(reader, parts, _ranges(pieces), keep)


def save_exhibit_files(
    binder: Path, files: Sequence[ExhibitFileData], max_name_chars: int | None = None
) -> list[ExhibitFile]:
    """Write files cut by :func:`cut_exhibit_files` beside *binder*, each whole or not at
    all; every name is checked against *max_name_chars* before the first is written."""
    _check_names(binder, [file.tail for file in files], max_name_chars)
    return [
        ExhibitFile(
            path := binder.with_name(file.file_name(binder)),
            file.what,
            file.first_page,
            file.last_page,
            write_bytes_atomically(path, file.data),
        )
        for file in files
    ]


def write_exhibit_files(
    binder: Path,
    exhibits: Sequence[ExhibitSpan],
    limit_bytes: int | None = None,
    max_name_chars: int | None = None,
) -> list[ExhibitFile]:
    """Write NAME-0-index.pdf, NAME-ex1.pdf … NAME-z-appendix.pdf beside *binder*.

    Each is written straight to its file (owner-only, whole or not at all), one at a
    time, holding about one file's objects. With *limit_bytes*, every part is measured
    first and one over it is cut into volumes; a page too large for any file raises
    :class:`.PageTooLarge`, a name longer than *max_name_chars* (extension included) an
    :class:`NcoError`, before anything is written.
    """
    pieces: list[_Piece] = []

    def save(number: int, writer: PdfWriter) -> ExhibitFile:
        piece = pieces[number - 1]
        path = binder.with_name(_name(binder, piece.tail))
        size = write_atomically(path, writer.write)
        return ExhibitFile(path, piece.what, piece.start + 1, piece.stop, size)

    with open_binder(binder) as reader:
        parts = read_binder(reader)
        whole = _parts(parts, exhibits)
        _check_names(binder, [piece.tail for piece in whole], max_name_chars)  # before measuring
        pieces = _plan(reader, parts, whole, limit_bytes)
        _check_names(binder, [piece.tail for piece in pieces], max_name_chars)
        return write_ranges(reader, parts, _ranges(pieces), save)


# ----- planning ---------------------------------------------------------------------------


def _plan(
    reader: PdfReader, binder: BinderParts, parts: list[_Piece], limit: int | None
) -> list[_Piece]:
    """Every file to write, in binder order; a part over *limit* as its volumes."""
    pieces: list[_Piece] = []
    for part in parts:
        heading = part.title
        if limit is None:
            pieces.append(part)
            continue
        longest = f"{heading}, {LONGEST_NUMBERS}"
        ranges = plan_ranges(reader, binder, limit, part.start, part.stop, longest)
        if len(ranges) == 1:
            pieces.append(part)
            continue
        width = len(str(len(ranges)))
        for number, (start, stop) in enumerate(ranges, start=1):
            numbers = f"volume {number} of {len(ranges)}"
            pieces.append(
                _Piece(
                    f"{part.tail}-vol{number:0{width}d}",
                    f"{part.what}, {numbers}",
                    f"{heading}, {numbers}",
                    start,
                    stop,
                )
            )
    return pieces


def _parts(binder: BinderParts, exhibits: Sequence[ExhibitSpan]) -> list[_Piece]:
    """The front matter, each exhibit and the back matter, as whole files."""
    if not exhibits:
        raise NcoError("The binder has no exhibits to file one by one; file it whole.")
    page = exhibits[0].first_page
    for exhibit in exhibits:
        if exhibit.first_page != page or exhibit.last_page < exhibit.first_page:
            raise NcoError(
                f"Exhibit {exhibit.label} does not start where the one before it ends "
                f"(page {page}); the binder's exhibits were not read right."
            )
        page = exhibit.last_page + 1
    if exhibits[0].first_page < 1 or exhibits[-1].last_page > binder.pages:
        raise NcoError(
            f"The binder has {binder.pages} pages, fewer than its exhibits need: "
            "it is not the binder they were read from."
        )
    title = binder.title
    parts = [
        _Piece(
            f"-ex{key}",
            f"Exhibit {exhibit.label}",
            f"{title} — Exhibit {exhibit.label}",
            exhibit.first_page - 1,
            exhibit.last_page,
        )
        for exhibit, key in zip(exhibits, _label_keys([e.label for e in exhibits]), strict=True)
    ]
    if exhibits[0].first_page > 1:
        parts.insert(0, _Piece(f"-{FRONT}", FRONT_WHAT, f"{title} — index", 0, parts[0].start))
    if parts[-1].stop < binder.pages:
        back = _Piece(f"-{BACK}", BACK_WHAT, f"{title} — appendix", parts[-1].stop, binder.pages)
        parts.append(back)
    return parts


def _label_keys(labels: Sequence[str]) -> list[str]:
    """Each label as its file name has it: numbers zero-padded to the widest, so they
    sort; letters (A … Z, AA) as they are; anything else but letters and digits as _."""
    width = max((len(label) for label in labels if label.isdigit()), default=0)
    return [
        label.zfill(width) if label.isdigit() else "".join(c if c.isalnum() else "_" for c in label)
        for label in labels
    ]


def _name(binder: Path, tail: str) -> str:
    return f"{binder.stem}{tail}{binder.suffix or '.pdf'}"


def _check_names(binder: Path, tails: Sequence[str], limit: int | None) -> None:
    if limit is None:
        return
    for tail in tails:
        name = _name(binder, tail)
        if len(name) > limit:
            raise NcoError(
                f"The file name “{name}” would be {len(name)} characters long, more than "
                f"the {limit} allowed. Save the binder under a name shorter by "
                f"{len(name) - limit}; no files were written."
            )


def _ranges(pieces: list[_Piece]) -> list[tuple[int, int, str]]:
    return [(piece.start, piece.stop, piece.title) for piece in pieces]


def leftovers(binder: Path, written: Sequence[Path]) -> list[Path]:
    """Files beside *binder* named as its volumes or exhibit files would be, that this
    save did not write: left from an earlier, different save (more exhibits, letters
    for numbers, a volume fewer). A user filing alone uploads the folder, so each is
    named to them; none is deleted (a name alike is no proof the file is ours).
    """
    stem, suffix = re.escape(binder.stem), re.escape(binder.suffix or ".pdf")
    ours = re.compile(
        rf"{stem}(-for-service)?(-vol\d+|-(0-index|z-appendix|ex[A-Za-z0-9_]+)(-vol\d+)?){suffix}"
    )
    kept = {path.name for path in written}
    try:
        beside = sorted(binder.parent.iterdir())
    except OSError:
        return []
    return [path for path in beside if ours.fullmatch(path.name) and path.name not in kept]


def leftover_words(found: Sequence[Path]) -> str:
    """What the CLI and the window say about :func:`leftovers`."""
    names = ", ".join(path.name for path in found[:8]) + (" …" if len(found) > 8 else "")
    return (
        f"Left from an earlier save, and not part of this binder: {names}. Delete "
        f"{'it' if len(found) == 1 else 'them'} before you file or print, so an old "
        "version is not handed in by mistake."
    )
