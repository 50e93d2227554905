"""Volumes (--split-mb), read back: each holds only its pages, keeps the links among them
and form values, stays under the limit (or names the page that cannot), and is cut
without holding the binder in memory (issue #19, item 5).

A real binder is built once for the module (an imported PDF with a filled-in form, big
photos); other cases use PDFs made here, shaped like a binder (cover, index with links,
exhibits with bookmarks, page labels), where a case needs what a binder never has.
"""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, ImageChops
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link
from pypdf.constants import PageLabelStyle
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
    TextStringObject,
)
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.volumes import (
    PageTooLarge,
    Volume,
    cut_volumes,
    split,
    volume_path,
)
from nco_desktop.importers.batch import import_paths
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE, write_file
from tests.support.factories import noisy_jpeg, pdf_bytes
from tests.support.pdf_pages import render_page

FILLED = "Filled By Jane Doe"


# ----- reading a PDF back ------------------------------------------------------------------


def _reachable(pdf: pikepdf.Pdf) -> set[tuple[int, int]]:
    """Every indirect object the trailer reaches."""
    seen: set[tuple[int, int]] = set()
    pending: list[object] = [pdf.trailer]
    while pending:
        obj = pending.pop()
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream):
            continue
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Stream):
            pending.extend(obj.stream_dict.values())
        elif isinstance(obj, pikepdf.Dictionary):
            pending.extend(obj.values())
        else:
            pending.extend(list(obj))
    return seen


def _anatomy(path: Path) -> tuple[int, int, int, int]:
    """(pages shown, page objects in the file, objects in the file, objects reachable)."""
    with pikepdf.open(path) as pdf:
        objects = [o for o in pdf.objects if isinstance(o, pikepdf.Object) and o.is_indirect]
        pages = [
            o for o in objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Page"
        ]
        return len(pdf.pages), len(pages), len(objects), len(_reachable(pdf))


def _links(reader: PdfReader, index: int) -> list[int]:
    """The pages (0-based, in the same file) the links on page *index* lead to."""
    numbers = {page.indirect_reference.idnum: n for n, page in enumerate(reader.pages)}
    found = []
    for annotation in reader.pages[index].get("/Annots") or []:
        annotation = annotation.get_object()
        if annotation.get("/Subtype") == "/Link":
            found.append(numbers[annotation["/Dest"][0].idnum])
    return found


def _same_look(binder: Path, page: int, volume: Path, at: int, folder: Path) -> bool:
    """Whether page *at* of *volume* prints exactly as page *page* of *binder* (pdftoppm)."""
    before = render_page(binder, page, 50, folder / "binder")
    after = render_page(volume, at, 50, folder / "volume")
    with Image.open(before) as one, Image.open(after) as other:
        blank = one.convert("L").getextrema()[0] == 255
        return not blank and ImageChops.difference(one, other).getbbox() is None


def _marks(reader: PdfReader) -> list[tuple[str, int]]:
    return [(str(m.title), reader.get_destination_page_number(m)) for m in reader.outline]


# ----- a real binder -----------------------------------------------------------------------


def _form_pdf() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.drawString(72, 750, "Application for a protective order")
    canvas.acroForm.textfield(name="fullname", value=FILLED, x=72, y=650, width=300, height=24)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A binder built by the program: exhibit 1 an imported PDF with a filled-in form,
    exhibit 2 eight photos that do not compress (~0.4 MB each)."""
    root = tmp_path_factory.mktemp("real")
    evidence = root / "evidence"
    write_file(evidence / "form.pdf", _form_pdf())
    for day in range(1, 9):
        write_file(evidence / f"Screenshot_202403{day:02d}-221530.jpg", noisy_jpeg())
    with Vault.create(
        root / "case.ncovault", PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF
    ) as vault:
        assert import_paths(vault, [evidence], thumbnails=False).all_ok
        build_binder(vault, root / "binder.pdf")
    return root / "binder.pdf"


@pytest.fixture
def real_copy(real: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "binder.pdf"
    copy.write_bytes(real.read_bytes())
    return copy


def test_each_volume_holds_only_its_pages_and_stays_under_the_limit(real_copy: Path) -> None:
    limit = 1_000_000
    volumes = split(real_copy, limit)
    assert len(volumes) >= 3
    binder = PdfReader(real_copy)
    shown = 0
    for number, volume in enumerate(volumes, start=1):
        assert volume.path == volume_path(real_copy, number)
        assert volume.size == volume.path.stat().st_size <= limit
        pages, page_objects, objects, reachable = _anatomy(volume.path)
        assert pages == page_objects == volume.last_page - volume.first_page + 1
        assert objects == reachable  # nothing written that nothing shows
        assert volume.first_page == shown + 1
        shown = volume.last_page
    assert shown == len(binder.pages)
    # Together no bigger than the binder plus what each volume repeats (fonts, index).
    assert sum(v.size for v in volumes) < real_copy.stat().st_size * 1.2


def test_page_numbers_and_bookmarks_continue_across_volumes(real_copy: Path) -> None:
    volumes = split(real_copy, 1_000_000)
    binder = PdfReader(real_copy)
    marks = _marks(binder)
    found: list[tuple[str, int]] = []
    for number, volume in enumerate(volumes, start=1):
        reader = PdfReader(volume.path)
        labels = [str(n) for n in range(volume.first_page, volume.last_page + 1)]
        assert reader.page_labels == labels
        first = reader.pages[0].extract_text()
        assert f"Page {volume.first_page} of {len(binder.pages)}" in first  # as printed
        assert reader.metadata is not None
        assert str(reader.metadata["/Title"]).endswith(f"volume {number} of {len(volumes)}")
        found += [(title, page + volume.first_page - 1) for title, page in _marks(reader)]
    assert found == marks  # every bookmark once, in the volume that shows its page


def test_index_links_lead_to_exhibits_in_the_same_volume(real_copy: Path) -> None:
    volumes = split(real_copy, 1_000_000)
    binder = PdfReader(real_copy)
    assert _links(binder, 1), "the binder's index links to its exhibits"
    first = volumes[0]
    reader = PdfReader(first.path)
    kept = _links(reader, 1)
    expected = [p for p in _links(binder, 1) if p < first.last_page]
    assert kept == expected and kept
    # Dividers (under their link back to the index), and the parts the index also
    # lists (#19 item 8).
    parts = ("Chronology", "Pattern of contact", "Incident log", "Integrity", "Declaration")
    for target in kept:
        text = reader.pages[target].extract_text()
        assert text.startswith(("↑ Exhibit index: page 2\nEXHIBIT", *parts)), text


def test_a_filled_in_form_in_an_imported_pdf_still_prints_in_its_volume(
    real_copy: Path, tmp_path: Path
) -> None:
    binder = PdfReader(real_copy)
    (form_page,) = [n for n, p in enumerate(binder.pages) if FILLED in p.extract_text()]
    volumes = split(real_copy, 1_000_000)
    (volume,) = [v for v in volumes if v.first_page <= form_page + 1 <= v.last_page]
    page = form_page + 1 - volume.first_page  # 0-based in the volume
    assert FILLED in PdfReader(volume.path).pages[page].extract_text()
    assert _same_look(real_copy, form_page + 1, volume.path, page + 1, tmp_path)


def test_cut_in_memory_is_the_same_as_written_to_files(real_copy: Path) -> None:
    in_memory = cut_volumes(real_copy.read_bytes(), 1_000_000)
    written = split(real_copy, 1_000_000)
    assert [v.path.read_bytes() for v in written] == [v.data for v in in_memory]
    assert [(v.first_page, v.last_page) for v in written] == [
        (v.first_page, v.last_page) for v in in_memory
    ]


def test_a_binder_that_fits_is_not_cut(real_copy: Path) -> None:
    assert split(real_copy, real_copy.stat().st_size) == []
    assert not list(real_copy.parent.glob("*-vol*.pdf"))


# ----- PDFs shaped like a binder ------------------------------------------------------------


def _picture(size: int) -> ImageReader:
    """A JPEG that does not compress, about *size* pixels a side."""
    import os

    out = io.BytesIO()
    Image.frombytes("RGB", (size, size), os.urandom(size * size * 3)).save(out, "JPEG")
    return ImageReader(io.BytesIO(out.getvalue()))


def _shaped(
    path: Path, exhibits: list[tuple[str, int]], picture: int = 300, big: int | None = None
) -> Path:
    """Cover, index (links to each exhibit), then each exhibit's pages, each page with a
    photo (*big* is the 1-based page that gets a much larger one), bookmarks and labels."""
    out = io.BytesIO()
    canvas = Canvas(out, pageCompression=1)
    canvas.drawString(72, 700, "Cover")
    canvas.showPage()
    canvas.drawString(72, 700, "Exhibit index")
    canvas.showPage()
    number = 3
    firsts = []
    for title, pages in exhibits:
        firsts.append(number)
        for page in range(1, pages + 1):
            canvas.drawString(72, 740, f"{title} page {page} (binder page {number})")
            canvas.drawImage(_picture(1400 if number == big else picture), 72, 200, 400, 400)
            canvas.showPage()
            number += 1
    canvas.save()
    writer = PdfWriter(clone_from=io.BytesIO(out.getvalue()))
    writer.set_page_label(0, number - 2, style=PageLabelStyle.DECIMAL, start=1)
    writer.add_outline_item(title="Cover", page_number=0)
    writer.add_outline_item(title="Exhibit index", page_number=1)
    for (title, _), first in zip(exhibits, firsts, strict=True):
        writer.add_outline_item(title=title, page_number=first - 1)
        top = 600 - 20 * len(writer.pages[1].get("/Annots") or [])
        writer.add_annotation(1, Link(rect=(72, top, 400, top + 18), target_page_index=first - 1))
    writer.add_metadata({"/Title": "Petitioner's Exhibits — 24-DV-1"})
    writer.write(path)
    return path


def test_links_into_another_volume_are_dropped_and_the_rest_re_aimed(tmp_path: Path) -> None:
    exhibits = [("Pet. Ex. 1 — Texts", 2), ("Pet. Ex. 2 — Photos", 6)]
    binder = _shaped(tmp_path / "b.pdf", exhibits, picture=500)  # ~155 kB a page
    assert _links(PdfReader(binder), 1) == [2, 4]
    volumes = split(binder, 400_000)
    assert len(volumes) >= 2 and volumes[0].last_page in range(3, 5)
    first = PdfReader(volumes[0].path)
    assert _links(first, 1) == [2]  # exhibit 1 is here; exhibit 2 is in the next volume
    assert "Pet. Ex. 1 — Texts page 1" in first.pages[2].extract_text()
    for volume in volumes:
        pages, page_objects, objects, reachable = _anatomy(volume.path)
        assert pages == page_objects and objects == reachable


@pytest.mark.parametrize("limit", [450_000, 700_000, 1_300_000])
def test_no_volume_is_larger_than_the_limit(tmp_path: Path, limit: int) -> None:
    binder = _shaped(tmp_path / "b.pdf", [("Pet. Ex. 1 — Photos", 14)], picture=420)
    volumes = split(binder, limit)
    assert all(v.path.stat().st_size <= limit for v in volumes)
    assert sum(len(PdfReader(v.path).pages) for v in volumes) == 16
    # Full: each volume but the last could not have taken the next page as well.
    pages = PdfReader(binder).pages
    for volume in volumes[:-1]:
        single = len(pages[volume.last_page].get_contents().get_data())  # type: ignore[union-attr]
        assert volume.size + single > limit * 0.8


def test_a_page_too_large_for_any_volume_is_named_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    binder = _shaped(
        tmp_path / "b.pdf", [("Pet. Ex. 1 — Texts", 2), ("Pet. Ex. 2 — Photos", 4)], big=6
    )
    with pytest.raises(PageTooLarge) as raised:
        split(binder, 1_000_000)
    message = str(raised.value)
    assert message.startswith("Page 6 (page 2 of “Pet. Ex. 2 — Photos”) is ")
    assert "more than a volume of 1 MB may hold" in message
    assert "Choose a larger volume size" in message
    assert not list(tmp_path.glob("b-vol*.pdf"))
    assert not [p for p in tmp_path.iterdir() if "partial" in p.name]


def _with_form_field(path: Path) -> Path:
    """A binder-shaped PDF whose page 4 has a filled-in text field, the value held by its
    parent field (as form tools write it), plus a note, a web link and a script."""
    binder = _shaped(path, [("Pet. Ex. 1 — Forms", 4)], picture=380)
    writer = PdfWriter(clone_from=binder)
    look = DecodedStreamObject()
    look.set_data(f"BT /Helv 12 Tf 2 6 Td ({FILLED}) Tj ET".encode())
    helv = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
            }
        )
    )
    fonts = DictionaryObject({NameObject("/Helv"): helv})
    look.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Form"),
            NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (0, 0, 300, 24)]),
            NameObject("/Resources"): DictionaryObject({NameObject("/Font"): fonts}),
        }
    )
    parent = DictionaryObject(
        {
            NameObject("/T"): TextStringObject("applicant"),
            NameObject("/FT"): NameObject("/Tx"),
            NameObject("/V"): TextStringObject(FILLED),
            NameObject("/Kids"): ArrayObject(),
        }
    )
    parent_ref = writer._add_object(parent)
    page = writer.pages[3]
    widget = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Widget"),
            NameObject("/T"): TextStringObject("name"),
            NameObject("/Parent"): parent_ref,
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (72, 650, 372, 674)]),
            NameObject("/F"): NumberObject(4),
            NameObject("/P"): page.indirect_reference,
            NameObject("/AP"): DictionaryObject({NameObject("/N"): writer._add_object(look)}),
        }
    )
    widget_ref = writer._add_object(widget)
    parent["/Kids"].append(widget_ref)  # type: ignore[union-attr]
    web = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (72, 100, 200, 120)]),
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/URI"),
                    NameObject("/URI"): TextStringObject("https://courts.example/forms"),
                }
            ),
        }
    )
    script = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Link"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (72, 130, 200, 150)]),
            NameObject("/Border"): ArrayObject([NumberObject(0)] * 3),  # prints nothing
            NameObject("/A"): DictionaryObject(
                {
                    NameObject("/S"): NameObject("/JavaScript"),
                    NameObject("/JS"): TextStringObject("app.alert(1)"),
                }
            ),
        }
    )
    note = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Annot"),
            NameObject("/Subtype"): NameObject("/Text"),
            NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (400, 700, 420, 720)]),
            NameObject("/Contents"): TextStringObject("Signed at the counter"),
            NameObject("/T"): TextStringObject("Jane"),
        }
    )
    page[NameObject("/Annots")] = ArrayObject(
        [widget_ref, writer._add_object(web), writer._add_object(script), writer._add_object(note)]
    )
    writer._root_object[NameObject("/AcroForm")] = writer._add_object(
        DictionaryObject(
            {
                NameObject("/Fields"): ArrayObject([parent_ref]),
                NameObject("/DR"): DictionaryObject({NameObject("/Font"): fonts}),
                NameObject("/DA"): TextStringObject("/Helv 12 Tf 0 g"),
            }
        )
    )
    writer.write(path)
    return path


def test_form_values_notes_and_web_links_are_kept_scripts_are_not(tmp_path: Path) -> None:
    binder = _with_form_field(tmp_path / "b.pdf")
    assert PdfReader(binder).get_form_text_fields() == {"applicant": FILLED}
    volumes = split(binder, 200_000)
    (volume,) = [v for v in volumes if v.first_page <= 4 <= v.last_page]
    reader = PdfReader(volume.path)
    assert reader.get_form_text_fields() == {"applicant": FILLED}
    (field,) = reader.trailer["/Root"]["/AcroForm"]["/Fields"]
    assert field["/T"] == "applicant" and field["/V"] == FILLED
    assert [kid["/T"] for kid in field["/Kids"]] == ["name"]
    page = reader.pages[4 - volume.first_page]
    kinds = [a.get_object()["/Subtype"] for a in page["/Annots"]]
    assert kinds == ["/Widget", "/Link", "/Text"]  # the script's link is gone
    widget, web, note = (a.get_object() for a in page["/Annots"])
    assert widget["/AP"]["/N"].get_data().endswith(f"({FILLED}) Tj ET".encode())
    assert widget.raw_get("/P").idnum == page.indirect_reference.idnum
    assert web["/A"]["/URI"] == "https://courts.example/forms"
    assert note["/Contents"] == "Signed at the counter" and note["/T"] == "Jane"
    for other in volumes:
        if other is not volume:
            assert "/AcroForm" not in PdfReader(other.path).trailer["/Root"]
    pages, page_objects, objects, reachable = _anatomy(volume.path)
    assert pages == page_objects and objects == reachable
    assert _same_look(binder, 4, volume.path, 4 - volume.first_page + 1, tmp_path)


# ----- memory ------------------------------------------------------------------------------


def test_splitting_holds_about_one_volume_not_the_binder(tmp_path: Path) -> None:
    """Python's allocations while a ~10 MB binder is cut into ~1 MB volumes: the old cut
    read the whole file, then kept every volume's bytes (several times the binder)."""
    binder = _shaped(tmp_path / "b.pdf", [("Pet. Ex. 1 — Photos", 45)], picture=600)
    size = binder.stat().st_size
    assert size > 8_000_000
    tracemalloc.start()
    try:
        volumes = split(binder, 1_000_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(volumes) >= 8
    assert peak < min(size / 2, 4 * 1_000_000), f"peak {peak:,} bytes, binder {size:,}"


def test_volume_records_match_their_files(real_copy: Path) -> None:
    volumes = split(real_copy, 1_500_000)
    assert all(isinstance(v, Volume) for v in volumes)
    assert [len(PdfReader(v.path).pages) for v in volumes] == [
        v.last_page - v.first_page + 1 for v in volumes
    ]
    small = real_copy.parent / "small.pdf"  # a PDF under the limit is never cut
    small.write_bytes(pdf_bytes())
    assert split(small, 1_000_000) == []
    assert not list(real_copy.parent.glob("small-vol*.pdf"))
