"""One PDF per exhibit, read back: each file holds only its part's pages, keeps the
binder's numbers, labels, bookmarks and links among its own pages, is PDF/A when the
binder is, stays under a size limit (a part over it cut into volumes), and nothing is
written when a page is too large or a name too long.

Real binders are built once for the module from a real vault (an imported PDF with a
filled-in form, photos that do not compress, a note); a small PDF shaped like a binder
covers what a built one never has (eleven exhibits, no back matter).
"""

from __future__ import annotations

import io
import itertools
import stat
import tracemalloc
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from PIL import Image
from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from pypdf.generic import Destination, IndirectObject
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from nco_desktop.binder.assemble import BinderResult, build_binder
from nco_desktop.binder.exhibit_files import (
    ExhibitFile,
    ExhibitSpan,
    cut_exhibit_files,
    exhibit_spans,
    longest_name,
    save_exhibit_files,
    write_exhibit_files,
)
from nco_desktop.binder.options import BinderOptions, LabelStyle
from nco_desktop.binder.volumes import PageTooLarge
from nco_desktop.errors import NcoError
from nco_desktop.importers.batch import import_paths
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE, write_file
from tests.support.factories import noisy_jpeg

FILLED = "Filled By Jane Doe"


# ----- reading a PDF back ------------------------------------------------------------------


def _anatomy(path: Path) -> tuple[int, int]:
    """(pages shown, page objects in the raw file): equal when no other page came along."""
    with pikepdf.open(path) as pdf:
        pages = [
            o
            for o in pdf.objects
            if isinstance(o, pikepdf.Dictionary) and o.is_indirect and o.get("/Type") == "/Page"
        ]
        return len(pdf.pages), len(pages)


def _links(reader: PdfReader) -> list[tuple[int, int | None]]:
    """Each page-link of the file: (its page, the page it leads to), 0-based; None: a
    page not in the file."""
    numbers = {_idnum(page.indirect_reference): n for n, page in enumerate(reader.pages)}
    found: list[tuple[int, int | None]] = []
    for number, page in enumerate(reader.pages):
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            if annotation.get("/Subtype") == "/Link" and "/Dest" in annotation:
                found.append((number, numbers.get(annotation["/Dest"][0].idnum)))
    return found


def _idnum(reference: object) -> int:
    assert isinstance(reference, IndirectObject)  # every page of a read file has one
    return reference.idnum


def _marks(reader: PdfReader) -> list[tuple[str, int | None]]:
    return [
        (str(m.title), reader.get_destination_page_number(m))
        for m in reader.outline
        if isinstance(m, Destination)  # the top level: what these tests compare
    ]


def _is_pdfa(pdf: pikepdf.Pdf) -> None:
    """The parts every PDF/A file has (as tests/e2e/test_pdfa_cli.py checks volumes)."""
    root = pdf.Root
    assert "/OutputIntents" in root and str(root.Lang) == "en-US"
    assert str(root.OutputIntents[0].S) == "/GTS_PDFA1"
    xmp = bytes(root.Metadata.read_bytes())
    assert b"<pdfaid:part>2</pdfaid:part>" in xmp or b'pdfaid:part="2"' in xmp
    assert str(pdf.docinfo.Title).encode() in xmp  # the XMP says what the title says
    assert len(pdf.trailer.ID) == 2


# ----- real binders ------------------------------------------------------------------------


def _form_pdf() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 750, "Application for a protective order")
    canvas.acroForm.textfield(name="fullname", value=FILLED, x=72, y=650, width=300, height=24)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


@dataclass(frozen=True)
class Built:
    path: Path
    result: BinderResult


@dataclass(frozen=True)
class Binders:
    plain: Built
    pdfa: Built  # PDF/A, exhibits lettered A, B, C


@pytest.fixture(scope="module")
def binders(tmp_path_factory: pytest.TempPathFactory) -> Binders:
    """Two builds of one vault: three exhibits (an imported PDF with a filled-in form,
    four photos of ~0.45 MB that do not compress, a written note)."""
    root = tmp_path_factory.mktemp("exhibit-files")
    evidence = root / "evidence"
    write_file(evidence / "form.pdf", _form_pdf())
    for day in range(1, 5):
        write_file(evidence / f"Screenshot_202403{day:02d}-221530.jpg", noisy_jpeg())
    write_file(evidence / "note.md", "# 2024-03-14 07:40\nParked outside my work again.")
    built = []
    with Vault.create(
        root / "case.ncovault", PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF
    ) as vault:
        assert import_paths(vault, [evidence], thumbnails=False).all_ok
        for name, options in (
            ("binder.pdf", BinderOptions()),
            ("archival.pdf", BinderOptions(pdfa=True, labels=LabelStyle.LETTERS)),
        ):
            result = build_binder(vault, root / name, options)
            built.append(Built(root / name, result))
    return Binders(*built)


def _copy(built: Built, folder: Path) -> Path:
    copy = folder / built.path.name
    copy.write_bytes(built.path.read_bytes())
    return copy


def test_one_file_for_the_front_each_exhibit_and_the_back(binders: Binders, tmp_path: Path) -> None:
    binder, result = _copy(binders.plain, tmp_path), binders.plain.result
    assert result.exhibits == 3
    spans = exhibit_spans(result)
    files = write_exhibit_files(binder, spans)
    assert [f.path.name for f in files] == [
        "binder-0-index.pdf",
        "binder-ex1.pdf",
        "binder-ex2.pdf",
        "binder-ex3.pdf",
        "binder-z-appendix.pdf",
    ]
    assert sorted(f.path.name for f in files) == [f.path.name for f in files]
    assert [f.what for f in files] == [
        "Cover, index and chronology",
        "Exhibit 1",
        "Exhibit 2",
        "Exhibit 3",
        "Integrity appendix and declaration",
    ]
    # Together they are the binder's pages, each once, in order.
    assert files[0].first_page == 1 and files[-1].last_page == result.pages
    for before, after in itertools.pairwise(files):
        assert after.first_page == before.last_page + 1
    for exhibit, file, pages in zip(spans, files[1:-1], result.exhibit_pages, strict=True):
        assert (file.first_page, file.last_page) == (exhibit.first_page, exhibit.last_page)
        assert file.last_page - file.first_page + 1 == pages
    for file in files:
        assert file.size == file.path.stat().st_size
        assert stat.S_IMODE(file.path.stat().st_mode) == 0o600  # owner-only
        assert _anatomy(file.path) == (file.last_page - file.first_page + 1,) * 2
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]


def test_pages_keep_their_numbers_labels_titles_and_bookmarks(
    binders: Binders, tmp_path: Path
) -> None:
    binder, result = _copy(binders.plain, tmp_path), binders.plain.result
    files = write_exhibit_files(binder, exhibit_spans(result))
    whole = PdfReader(binder)
    title = str(whole.metadata["/Title"])  # type: ignore[index]
    found: list[tuple[str, int | None]] = []
    parts = ["index", "Exhibit 1", "Exhibit 2", "Exhibit 3", "appendix"]
    for file, part in zip(files, parts, strict=True):
        reader = PdfReader(file.path)
        assert reader.metadata is not None
        assert reader.metadata["/Title"] == f"{title} — {part}"
        assert reader.page_labels == [str(n) for n in range(file.first_page, file.last_page + 1)]
        for offset, page in enumerate(reader.pages):
            printed = f"Page {file.first_page + offset} of {result.pages}"
            assert printed in page.extract_text()
        found += [(mark, (page or 0) + file.first_page - 1) for mark, page in _marks(reader)]
    assert found == _marks(whole)  # every bookmark once, in the file that shows its page


def test_an_exhibit_file_starts_with_its_divider(binders: Binders, tmp_path: Path) -> None:
    binder, result = _copy(binders.plain, tmp_path), binders.plain.result
    files = write_exhibit_files(binder, exhibit_spans(result))
    third = files[3]
    assert third.path.name == "binder-ex3.pdf" and third.first_page == result.first_pages["3"]
    reader = PdfReader(third.path)
    assert "EXHIBIT 3" in reader.pages[0].extract_text()
    assert reader.page_labels[0] == str(result.first_pages["3"])
    (form,) = [
        f for f in files if FILLED in "".join(p.extract_text() for p in PdfReader(f.path).pages)
    ]
    assert form.what.startswith("Exhibit ")  # the filled-in form prints in its exhibit


def test_links_are_kept_only_to_pages_in_the_same_file(binders: Binders, tmp_path: Path) -> None:
    binder, result = _copy(binders.plain, tmp_path), binders.plain.result
    whole = _links(PdfReader(binder))
    files = write_exhibit_files(binder, exhibit_spans(result))
    front = files[0].last_page  # pages 0 … front−1 (0-based) are the front matter's
    from_front = [(page, to) for page, to in whole if page < front]
    within = [(page, to) for page, to in from_front if to is not None and to < front]
    assert len(from_front) > len(within) > 0  # the index links into exhibits and to itself
    assert _links(PdfReader(files[0].path)) == within
    dividers = [(page, to) for page, to in whole if page + 1 in result.first_pages.values()]
    assert len(dividers) == result.exhibits  # each divider links back to the index …
    for file in files[1:]:
        assert _links(PdfReader(file.path)) == []  # … which is not in its exhibit's file


def test_a_pdfa_binder_gives_pdfa_files_named_by_their_letters(
    binders: Binders, tmp_path: Path
) -> None:
    binder, result = _copy(binders.pdfa, tmp_path), binders.pdfa.result
    files = write_exhibit_files(binder, exhibit_spans(result))
    assert [f.path.name for f in files] == [
        "archival-0-index.pdf",
        "archival-exA.pdf",
        "archival-exB.pdf",
        "archival-exC.pdf",
        "archival-z-appendix.pdf",
    ]
    for file in files:
        with pikepdf.open(file.path) as pdf:
            _is_pdfa(pdf)
    with pikepdf.open(files[2].path) as pdf:
        assert str(pdf.docinfo.Title).endswith(" — Exhibit B")


def test_a_part_over_the_limit_is_cut_into_volumes(binders: Binders, tmp_path: Path) -> None:
    binder, result = _copy(binders.plain, tmp_path), binders.plain.result
    limit = 1_000_000
    files = write_exhibit_files(binder, exhibit_spans(result), limit_bytes=limit)
    photos = [f for f in files if "-vol" in f.path.name]
    assert len(photos) >= 2
    label = photos[0].what.split(",")[0].removeprefix("Exhibit ")
    stem = f"binder-ex{label}"
    assert [f.path.name for f in photos] == [
        f"{stem}-vol{n}.pdf" for n in range(1, len(photos) + 1)
    ]
    assert [f.what for f in photos] == [
        f"Exhibit {label}, volume {n} of {len(photos)}" for n in range(1, len(photos) + 1)
    ]
    assert photos[0].first_page == result.first_pages[label]
    assert len(files) == result.exhibits + 2 + len(photos) - 1  # the others stay whole
    assert files[-1].last_page == result.pages
    for before, after in itertools.pairwise(files):
        assert after.first_page == before.last_page + 1
    for file in files:
        assert file.size <= limit
        reader = PdfReader(file.path)
        assert reader.page_labels == [str(n) for n in range(file.first_page, file.last_page + 1)]
        assert _anatomy(file.path) == (file.last_page - file.first_page + 1,) * 2
    title = str(PdfReader(photos[0].path).metadata["/Title"])  # type: ignore[index]
    assert title.endswith(f" — Exhibit {label}, volume 1 of {len(photos)}")


def test_a_page_too_large_for_any_file_is_named_and_nothing_is_written(
    binders: Binders, tmp_path: Path
) -> None:
    binder, result = _copy(binders.plain, tmp_path), binders.plain.result
    with pytest.raises(PageTooLarge) as raised:
        write_exhibit_files(binder, exhibit_spans(result), limit_bytes=300_000)
    assert "Pictures and screenshots" in str(raised.value)
    assert [p.name for p in tmp_path.iterdir()] == ["binder.pdf"]


def test_a_name_over_the_courts_limit_is_named_and_nothing_is_written(
    binders: Binders, tmp_path: Path
) -> None:
    result = binders.plain.result
    binder = _copy(binders.plain, tmp_path).rename(
        tmp_path / f"{'Doe v Roe 24-DV-01234 ':x<38}.pdf"
    )
    longest = longest_name(binder, [e.label for e in exhibit_spans(result)])
    assert longest == f"{binder.stem}-z-appendix.pdf" and len(longest) == 53
    assert longest_name(binder) == longest  # the labels only matter when long
    with pytest.raises(NcoError) as raised:
        write_exhibit_files(binder, exhibit_spans(result), max_name_chars=50)
    message = str(raised.value)
    assert f"“{longest}”" in message and "53 characters" in message and "the 50" in message
    assert [p.name for p in tmp_path.iterdir()] == [binder.name]
    files = write_exhibit_files(binder, exhibit_spans(result), max_name_chars=53)
    assert max(len(f.path.name) for f in files) == 53
    # Volumes add to the name: the check runs after they are planned, before writing.
    assert longest_name(binder, volumes=12) == f"{binder.stem}-z-appendix-vol12.pdf"
    assert longest_name("b.pdf", ["1", "10", "ABCDEFGHIJ"]) == "b-exABCDEFGHIJ.pdf"


def test_cut_in_memory_is_the_same_as_written_to_files(binders: Binders, tmp_path: Path) -> None:
    binder, result = _copy(binders.plain, tmp_path), binders.plain.result
    spans = exhibit_spans(result)
    in_memory = cut_exhibit_files(binder.read_bytes(), spans, 1_000_000)
    written = write_exhibit_files(binder, spans, 1_000_000)
    assert [f.path.read_bytes() for f in written] == [d.data for d in in_memory]
    assert [f.path.name for f in written] == [d.file_name(binder) for d in in_memory]
    chosen = tmp_path / "saved" / "Doe exhibits.pdf"
    chosen.parent.mkdir()
    saved = save_exhibit_files(chosen, in_memory)
    assert all(isinstance(f, ExhibitFile) for f in saved)
    assert saved[0].path == chosen.parent / "Doe exhibits-0-index.pdf"
    assert [f.path.read_bytes() for f in saved] == [d.data for d in in_memory]
    assert [(f.what, f.first_page, f.last_page) for f in saved] == [
        (f.what, f.first_page, f.last_page) for f in written
    ]
    with pytest.raises(NcoError):
        save_exhibit_files(tmp_path / "other.pdf", in_memory, max_name_chars=19)
    assert not list(tmp_path.glob("other-*"))


def test_spans_that_are_not_this_binders_are_refused(binders: Binders, tmp_path: Path) -> None:
    binder, result = _copy(binders.plain, tmp_path), binders.plain.result
    last = result.pages
    with pytest.raises(NcoError, match="fewer than its exhibits need"):
        write_exhibit_files(binder, [ExhibitSpan("1", 3, last + 4)])
    with pytest.raises(NcoError, match="does not start where"):
        write_exhibit_files(binder, [ExhibitSpan("1", 3, 4), ExhibitSpan("2", 6, 7)])
    with pytest.raises(NcoError, match="no exhibits"):
        write_exhibit_files(binder, [])
    assert [p.name for p in tmp_path.iterdir()] == ["binder.pdf"]


# ----- a PDF shaped like a binder -----------------------------------------------------------


def _picture(side: int) -> ImageReader:
    """A JPEG that does not compress, *side* pixels a side."""
    import os

    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), os.urandom(side * side * 3)).save(out, "JPEG")
    return ImageReader(io.BytesIO(out.getvalue()))


def _shaped(path: Path, pages: list[int], picture: int = 0) -> list[ExhibitSpan]:
    """Cover and index, then exhibits of *pages* pages each and nothing after them (each
    page with a photo *picture* pixels a side, if any); bookmarks and labels."""
    out = io.BytesIO()
    canvas = Canvas(out, pageCompression=1)
    for words in ("Cover", "Exhibit index"):
        canvas.drawString(72, 700, words)
        canvas.showPage()
    spans, number = [], 3
    for label, count in enumerate(pages, start=1):
        spans.append(ExhibitSpan(str(label), number, number + count - 1))
        for page in range(count):
            canvas.drawString(72, 740, f"Exhibit {label} page {page + 1} (binder page {number})")
            if picture:
                canvas.drawImage(_picture(picture), 72, 200, 400, 400)
            canvas.showPage()
            number += 1
    canvas.save()
    writer = PdfWriter(clone_from=io.BytesIO(out.getvalue()))
    writer.set_page_label(0, number - 2, style=PageLabelStyle.DECIMAL, start=1)
    for span in spans:
        writer.add_outline_item(title=f"Pet. Ex. {span.label}", page_number=span.first_page - 1)
    writer.add_metadata({"/Title": "Petitioner's Exhibits — 24-DV-1"})
    writer.write(path)
    return spans


def test_eleven_exhibits_are_zero_padded_and_no_back_matter_gives_no_file(tmp_path: Path) -> None:
    binder = tmp_path / "b.pdf"
    spans = _shaped(binder, [1] * 10 + [2])
    files = write_exhibit_files(binder, spans)
    names = [f.path.name for f in files]
    assert names == ["b-0-index.pdf", *(f"b-ex{n:02d}.pdf" for n in range(1, 12))]
    assert sorted(p.name for p in tmp_path.glob("b-*.pdf")) == names  # sorted as the binder
    last = PdfReader(files[-1].path)
    assert last.page_labels == ["13", "14"] and _marks(last) == [("Pet. Ex. 11", 0)]
    assert "Exhibit 11 page 2 (binder page 14)" in last.pages[1].extract_text()


def test_cutting_holds_about_one_volume_not_the_binder(tmp_path: Path) -> None:
    """Python's allocations while a ~7 MB exhibit is cut into ~1 MB volumes."""
    binder = tmp_path / "b.pdf"
    spans = _shaped(binder, [2, 34], picture=600)
    size = binder.stat().st_size
    assert size > 6_000_000
    tracemalloc.start()
    try:
        files = write_exhibit_files(binder, spans, limit_bytes=1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [f.path.name for f in files[:3]] == ["b-0-index.pdf", "b-ex1.pdf", "b-ex2-vol1.pdf"]
    assert len(files) >= 8 and all(f.size <= 1_000_000 for f in files)
    assert peak < min(size / 2, 4 * 1_000_000), f"peak {peak:,} bytes, binder {size:,}"
