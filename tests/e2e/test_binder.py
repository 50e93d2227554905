"""The binder PDF read back with pypdf (and rendered with pdftoppm): structure, numbering,
links, stamps, unaltered pictures, merged reports, and byte-for-byte determinism."""

from __future__ import annotations

import io
import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.lib.pagesizes import landscape, letter
from reportlab.pdfgen.canvas import Canvas

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.options import BinderOptions, Corner, LabelStyle
from nco_desktop.importers.batch import import_paths
from tests.conftest import write_file
from tests.support.pdf_pages import jpeg_streams, render_page, stored_originals

CASE = {
    "title": "Doe v. Roe",
    "court": "Superior Court of California, County of Alameda",
    "case_number": "24-DV-01234",
    "petitioner": "Jane Doe",
    "respondent": "John Roe",
    "hearing": "December 9, 2026",
}


def _jpeg(rotation_tag: int = 1) -> bytes:
    image = Image.new("RGB", (600, 300), (200, 30, 30))
    exif = Image.Exif()
    exif[0x0112] = rotation_tag
    exif[0x9003] = "2024:03:12 22:15:30"  # DateTimeOriginal
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88, exif=exif.tobytes())
    return out.getvalue()


def _police_report() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter, invariant=1)
    canvas.setTitle("Incident report 24-11873")
    for number in range(1, 4):
        if number == 3:
            canvas.setPageSize(landscape(letter))
        canvas.drawString(72, 500, f"Police incident report 24-11873, page {number}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


SMS = """<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="3">
<sms address="+15550100199" date="1710300930000" type="1"
 body="I know where you live" contact_name="John Roe" />
<sms address="+15550100199" date="1710301030000" type="2"
 body="Stop contacting me." contact_name="John Roe" />
<mms date="1710302000000" msg_box="1" address="+15550100199" contact_name="John Roe">
<parts><part seq="0" ct="image/jpeg" name="car.jpg" data="{jpeg}" />
<part seq="1" ct="text/plain" text="Nice car. ¿Dónde estás? مرحبا 你好" /></parts>
<addrs><addr address="+15550100199" type="137" /></addrs></mms>
</smses>"""
CALLS = """<calls count="3">
<call number="+15550100199" duration="0" date="1710302400000" type="3" contact_name="John Roe" />
<call number="+15550100199" duration="75" date="1710288000000" type="1" contact_name="John Roe" />
<call number="+15550100199" duration="12" date="1710400000000" type="5" contact_name="John Roe" />
</calls>"""


@pytest.fixture
def case_vault(vault, tmp_path):
    import base64

    folder = tmp_path / "evidence"
    write_file(folder / "sms-20240313.xml", SMS.format(jpeg=base64.b64encode(_jpeg()).decode()))
    write_file(folder / "calls-20240313.xml", CALLS)
    write_file(folder / "Screenshot_20240312-221530_Messages.jpg", _jpeg(rotation_tag=6))
    png = io.BytesIO()
    Image.new("RGB", (400, 800), (30, 30, 200)).save(png, "PNG")
    write_file(folder / "Screenshot_20240313-080000.png", png.getvalue())
    write_file(folder / "police-report.pdf", _police_report())
    write_file(
        folder / "note.md",
        "# 2024-03-14 07:40\nHe was parked outside my work again.",
        1_710_400_000,
    )
    summary = import_paths(vault, [folder], thumbnails=False)
    assert summary.all_ok, summary.headline()
    vault.set_settings({"case": CASE})
    return vault


def test_binder_structure_numbers_links_and_stamps(case_vault, tmp_path):
    out = tmp_path / "binder.pdf"
    result = build_binder(case_vault, out)
    reader = PdfReader(out)
    count = len(reader.pages)
    assert count == result.pages
    texts = [page.extract_text() for page in reader.pages]
    # Continuous numbers printed on every page, equal to the PDF's own page labels.
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {count}" in text
        assert reader.page_labels[number - 1] == str(number)
    assert "Petitioner's Exhibits" in texts[0] and "24-DV-01234" in texts[0]
    assert "Exhibit index" in texts[1]
    # One outline entry per exhibit, on its divider page.
    outline = {
        item.title: reader.get_destination_page_number(item)
        for item in reader.outline
        if not isinstance(item, list)
    }
    exhibit_marks = {t: p for t, p in outline.items() if t.startswith("Pet. Ex. ")}
    assert len(exhibit_marks) == result.exhibits == len(result.first_pages)
    for title, page_index in exhibit_marks.items():
        label = title.split()[2]
        assert f"EXHIBIT {label}" in texts[page_index]
        assert result.first_pages[label] == page_index + 1
    for section in ("Cover", "Exhibit index", "Chronology", "Integrity appendix", "Declaration"):
        assert section in outline
    assert "Integrity appendix" in texts[outline["Integrity appendix"]]
    assert "Declaration" in texts[outline["Declaration"]]
    # Index rows link to the right dividers.
    targets = []
    for annotation in reader.pages[1].get("/Annots", []):
        annotation = annotation.get_object()
        destination = annotation["/Dest"] if "/Dest" in annotation else annotation["/A"]["/D"]
        targets.append(reader.get_page_number(destination[0].get_object()))
    # (The index also lists the chronology, appendix and declaration: #19 item 8.)
    parts = [outline["Chronology"], outline["Integrity appendix"], outline["Declaration"]]
    assert sorted(targets) == sorted([*(p - 1 for p in result.first_pages.values()), *parts])
    # Every exhibit page carries its stamp; front and back matter do not.
    for label, first in result.first_pages.items():
        assert f"Pet. Ex. {label} — p. 1 of" in texts[first - 1]
    exhibit_pages = range(min(result.first_pages.values()) - 1, outline["Integrity appendix"])
    for index in exhibit_pages:
        assert "Pet. Ex. " in texts[index] and " — p. " in texts[index], index
    for index in [*range(min(result.first_pages.values()) - 1), outline["Declaration"]]:
        assert " — p. " not in texts[index]
    # The police report is merged page by page, stamped, the landscape page turned to
    # portrait (it reads with the binder turned clockwise).
    exhibits_start = min(result.first_pages.values()) - 1  # past the chronology's summary lines
    report_pages = [
        i
        for i, t in enumerate(texts)
        if i >= exhibits_start
        and "Police incident report 24-11873, page" in t
        and "EXHIBIT" not in t
    ]
    assert len(report_pages) == 3
    assert all(" — p. " in texts[i] for i in report_pages)
    turned = reader.pages[report_pages[2]]
    assert turned.mediabox.width < turned.mediabox.height
    assert (turned.mediabox.width, turned.mediabox.height) == (612, 792)
    # Private bits stay out; no author or user name in the metadata.
    assert "/Author" not in reader.metadata
    assert reader.metadata["/Title"] == "Petitioner's Exhibits — 24-DV-01234"


def test_jpeg_originals_go_in_as_the_same_bytes(case_vault, tmp_path):
    out = tmp_path / "binder.pdf"
    build_binder(case_vault, out)
    originals = set(stored_originals(case_vault, "image/jpeg"))
    assert len(originals) == 2  # the rotated screenshot and the MMS picture
    embedded = set(jpeg_streams(out))
    assert originals <= embedded


def test_same_vault_and_options_give_the_same_bytes(case_vault, tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    build_binder(case_vault, first)
    build_binder(case_vault, second)
    assert first.read_bytes() == second.read_bytes()


def test_options_letters_bates_and_corner(case_vault, tmp_path):
    out = tmp_path / "binder.pdf"
    options = BinderOptions(
        labels=LabelStyle.LETTERS, prefix="Resp. Ex.", bates="DOE-", stamp_corner=Corner.TOP_LEFT
    )
    result = build_binder(case_vault, out, options)
    texts = [p.extract_text() for p in PdfReader(out).pages]
    assert "Respondent's Exhibits" in texts[0]
    assert "DOE-000001" in texts[0] and f"DOE-{result.pages:06d}" in texts[-1]
    assert "EXHIBIT A" in texts[result.first_pages["A"] - 1]
    assert "Resp. Ex. A — p. 1 of" in texts[result.first_pages["A"] - 1]


def test_chinese_is_printed_and_only_what_no_font_has_becomes_a_visible_box(case_vault, tmp_path):
    out = tmp_path / "binder.pdf"
    build_binder(case_vault, out)
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "Nice car. ¿Dónde estás?" in text
    assert "你好" in text  # drawn with the shipped CJK fallback font, not as boxes
    assert "\u25a1" not in text
    assert "marks a character" not in text  # the note appears only when something is boxed


def test_lines_mix_fonts_per_character_and_box_only_the_unknown():
    from reportlab.pdfgen.canvas import Canvas as PlainCanvas

    from nco_desktop.binder import fonts
    from nco_desktop.binder.layout import Page

    page = Page(PlainCanvas(io.BytesIO()), (612, 792))
    (line,) = page.lines("Call me 你好 こんにちは \U0001f600 \U0001f44d!", 400)
    assert line == "Call me 你好 こんにちは \U0001f600 \u25a1!"  # DejaVu has 😀, no font 👍
    assert page.missing_glyphs  # a visible box, and a note on the page
    assert [font for font, _ in fonts.runs(line, fonts.REGULAR)] == [
        fonts.REGULAR,
        fonts.FALLBACK,
        fonts.REGULAR,
        fonts.FALLBACK,
        fonts.REGULAR,
    ]
    (korean,) = page.lines("안녕하세요 Kim", 400)  # Korean from its own font
    assert korean == "안녕하세요 Kim"
    assert [font for font, _ in fonts.runs(korean, fonts.BOLD)] == [fonts.KOREAN, fonts.BOLD]
    # A long Chinese paragraph (no spaces) wraps inside the width instead of running off.
    lines = page.lines("我" * 200, 300)
    assert len(lines) > 1
    assert all(fonts.width(piece, fonts.REGULAR, 12) <= 300 for piece in lines)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")
def test_pages_render_and_are_not_blank(case_vault, tmp_path):
    out = tmp_path / "binder.pdf"
    result = build_binder(case_vault, out)
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(out), str(tmp_path / "page")], check=True, timeout=120
    )
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == result.pages
    for png in pngs:
        with Image.open(png) as image:
            extrema = image.convert("L").getextrema()
            assert extrema[0] < 128, f"{png.name} looks blank"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")
def test_png_goes_in_as_its_own_compressed_bytes_and_shows(case_vault, tmp_path):
    from nco_desktop.binder.raw_pictures import png_as_is

    out = tmp_path / "binder.pdf"
    build_binder(case_vault, out)
    (png,) = stored_originals(case_vault, "image/png")
    idat = png_as_is(png).data
    reader = PdfReader(out)
    found = None
    for number, page in enumerate(reader.pages):
        for xobject in ((page.get("/Resources") or {}).get("/XObject") or {}).values():
            if xobject.get_object()._data == idat:
                found = number
    assert found is not None, "the PNG's IDAT bytes are not in the PDF unchanged"
    rendered = render_page(out, found + 1, 20, tmp_path / "png")
    with Image.open(rendered) as image:
        blue = sum(1 for r, g, b in image.convert("RGB").get_flattened_data() if b > 150 and r < 80)
    assert blue > 200, "the picture does not show on its page"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")
@pytest.mark.parametrize(
    ("orientation", "expected_top"), [(1, "blue"), (6, "blue"), (8, "red"), (3, "blue")]
)
def test_exif_orientation_is_applied_by_the_page_not_by_reencoding(
    vault, tmp_path, orientation, expected_top
):
    """Stored pixels: left half blue, right half red; orientation 6 turns the picture 90°
    clockwise, so the left (blue) half must end up on top; 8 turns it the other way."""
    image = Image.new("RGB", (400, 200), (220, 20, 20))
    image.paste((20, 20, 220), (0, 0, 200, 200))
    if orientation == 3:  # upside down: the top half is what shows at the bottom
        image = Image.new("RGB", (400, 200), (220, 20, 20))
        image.paste((20, 20, 220), (0, 100, 400, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG", quality=95, exif=exif.tobytes())
    write_file(tmp_path / "in" / "photo.jpg", out.getvalue())
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    pdf = tmp_path / "binder.pdf"
    result = build_binder(vault, pdf)
    page = result.first_pages["1"] + 1  # the page after the divider
    rendered = render_page(pdf, page, 30, tmp_path / "r")
    with Image.open(rendered) as shown:
        rgb = shown.convert("RGB")
        coloured = [
            (x, y)
            for y in range(rgb.height)
            for x in range(rgb.width)
            if max(rgb.getpixel((x, y))) - min(rgb.getpixel((x, y))) > 120
        ]
        top_y = min(y for _, y in coloured)
        r, _g, b = rgb.getpixel(next((x, y) for x, y in coloured if y == top_y + 2))
    assert ("blue" if b > r else "red") == expected_top


def test_every_sample_picture_is_drawn(vault, tmp_path):
    """HEIC, HEIF, odd PNGs: each readable picture appears; none says it could not be drawn."""
    from tests.conftest import SAMPLES

    folder = SAMPLES / "screenshots_photos"
    if not folder.is_dir():
        pytest.skip("shared/samples is not present")
    import_paths(vault, [folder], thumbnails=False)
    out = tmp_path / "binder.pdf"
    build_binder(vault, out)
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "could not be drawn" not in text
    words = " ".join(text.split())  # a 12 pt caption may wrap inside the phrase
    assert words.count("printed from a JPEG copy") >= 6  # the HEIC/HEIF photos
    assert out.stat().st_size < 25_000_000  # within the common e-filing limit


def test_split_into_volumes_keeps_the_numbering(case_vault, tmp_path):
    from nco_desktop.binder.volumes import split

    out = tmp_path / "binder.pdf"
    result = build_binder(case_vault, out)
    assert split(out, out.stat().st_size + 1) == []  # it fits: nothing to do
    limit = max(out.stat().st_size // 3, 40_000)
    volumes = split(out, limit)
    assert len(volumes) >= 2
    assert volumes[0].first_page == 1 and volumes[-1].last_page == result.pages
    for before, after in itertools.pairwise(volumes):
        assert after.first_page == before.last_page + 1
    for volume in volumes:
        reader = PdfReader(volume.path)
        assert len(reader.pages) == volume.last_page - volume.first_page + 1
        assert volume.size <= limit or len(reader.pages) == 1
        for offset, page in enumerate(reader.pages):
            number = volume.first_page + offset
            assert reader.page_labels[offset] == str(number)
            assert f"Page {number} of {result.pages}" in page.extract_text()
    bookmarks = [item.title for v in volumes for item in PdfReader(v.path).outline]
    assert sum(title.startswith("Pet. Ex.") for title in bookmarks) == result.exhibits


def test_recordings_are_copied_beside_the_binder_byte_for_byte(vault, tmp_path):
    import wave

    from nco_desktop.binder.options import BinderOptions
    from nco_desktop.binder.recordings import export_recordings

    voicemail = tmp_path / "in" / "voicemail 1/2.wav"
    voicemail.parent.mkdir(parents=True)
    with wave.open(str(voicemail), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(8000)
        handle.writeframes(b"\x00\x10" * 16000)
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    out = tmp_path / "binder.pdf"
    build_binder(vault, out)
    (copy,) = export_recordings(vault, out, BinderOptions())
    assert copy.parent.name == "binder-recordings"
    assert copy.name == "Pet. Ex. 1 - 01 - 2.wav"
    assert copy.read_bytes() == voicemail.read_bytes()
    text = "".join(p.extract_text() for p in PdfReader(out).pages)
    assert "On the accompanying media as: Pet. Ex. 1 - 01 - 2.wav" in text


def test_mixed_exhibit_draws_each_item_as_itself_in_order(case_vault, tmp_path):
    from nco_desktop.binder.exhibits import add_exhibit
    from nco_desktop.timeline.query import iter_entries

    by_kind = {}
    for entry in iter_entries(case_vault.conn):
        by_kind.setdefault(entry.kind, entry.id)
    chosen = [by_kind["message"], by_kind["image"], by_kind["document"]]
    add_exhibit(case_vault, "Mixed", "", chosen)
    out = tmp_path / "binder.pdf"
    result = build_binder(case_vault, out)
    reader = PdfReader(out)
    texts = [p.extract_text() for p in reader.pages]
    first = result.first_pages["1"] - 1
    exhibit_pages_ = range(first, first + sum(" — p. " in t and "Pet. Ex. 1 " in t for t in texts))
    message_page = next(i for i in exhibit_pages_ if "Messages in time order" in texts[i])
    picture_page = next(
        i for i in exhibit_pages_ if (reader.pages[i].get("/Resources") or {}).get("/XObject")
    )
    report_page = next(i for i in exhibit_pages_ if "Police incident report" in texts[i])
    assert message_page < picture_page < report_page
    assert "(no text)" not in "".join(texts[i] for i in exhibit_pages_)


def test_same_bytes_whatever_the_hash_seed(case_vault, vault_path, tmp_path):
    from nco_desktop.binder.exhibits import add_exhibit
    from nco_desktop.timeline.query import iter_entries

    ids = [e.id for e in iter_entries(case_vault.conn)]
    add_exhibit(case_vault, "Tie", "", ids[:2])  # two kinds, one each: a tie
    case_vault.close()
    script = tmp_path / "build.py"
    script.write_text(
        "import sys\n"
        "from pathlib import Path\n"
        "from nco_desktop.vault import Vault\n"
        "from nco_desktop.binder.assemble import build_binder\n"
        "if __name__ == '__main__':\n"
        "    with Vault.open(sys.argv[1], 'correct horse battery staple') as v:\n"
        "        build_binder(v, Path(sys.argv[2]))\n"
    )
    outputs = []
    for seed in ("1", "2", "3"):
        out = tmp_path / f"b{seed}.pdf"
        subprocess.run(
            [sys.executable, str(script), str(vault_path), str(out)],
            check=True,
            env={
                **os.environ,
                "PYTHONHASHSEED": seed,
                "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
            },
            timeout=120,
        )
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm is not installed")
def test_stamps_land_inside_a_cropped_or_shifted_page(vault, tmp_path):
    from pypdf import PdfWriter
    from pypdf.generic import RectangleObject

    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.drawString(100, 400, "A page with a crop box")
    canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=io.BytesIO(out.getvalue()))
    writer.pages[0].cropbox = RectangleObject([60, 60, 552, 732])
    shifted = io.BytesIO()
    writer.write(shifted)
    write_file(tmp_path / "in" / "cropped.pdf", shifted.getvalue())
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    pdf = tmp_path / "binder.pdf"
    result = build_binder(vault, pdf)
    texts = [p.extract_text() for p in PdfReader(pdf).pages]
    page = (
        next(i for i, t in enumerate(texts) if "A page with a crop box" in t and "EXHIBIT" not in t)
        + 1
    )
    rendered = render_page(pdf, page, 72, tmp_path / "c", "-cropbox")
    with Image.open(rendered) as image:
        grey = image.convert("L")
        strip = grey.crop((0, grey.height - 45, grey.width, grey.height))  # the footer band
        assert strip.getextrema()[0] < 100, "no page number or stamp in the visible area"
    assert f"Page {page} of {result.pages}" in texts[page - 1]


def test_arabic_is_joined_and_right_to_left():
    from reportlab.pdfgen.canvas import Canvas as PlainCanvas

    from nco_desktop.binder.layout import Page

    page = Page(PlainCanvas(io.BytesIO()), (612, 792))
    (line,) = page.lines("مرحبا", 400)
    assert all(0xFE70 <= ord(ch) <= 0xFEFF for ch in line)  # joined presentation forms
    assert line[-1] == "\ufee3"  # meem, the first letter (initial form), at the right
    assert not page.missing_glyphs
    (mixed,) = page.lines("Call me at 10 pm, שלום", 400)
    assert mixed.startswith("Call me at 10 pm") and mixed.endswith("םולש")


def test_a_binder_built_into_memory_is_the_same_pdf_and_touches_no_disk(case_vault, tmp_path):
    """The window previews a binder before the user chooses where to save it: built into
    memory, it must be the very bytes a file build writes, and nothing lands on disk."""
    from nco_desktop.binder.volumes import cut_volumes, volume_path, write_volumes

    on_disk = tmp_path / "binder.pdf"
    build_binder(case_vault, on_disk)
    before = set(tmp_path.rglob("*"))
    buffer = io.BytesIO()
    result = build_binder(case_vault, buffer)
    assert result.path is None
    assert result.size == len(buffer.getvalue())
    assert buffer.getvalue() == on_disk.read_bytes()
    assert set(tmp_path.rglob("*")) == before
    # Volumes cut from memory match the ones cut from the file.
    limit = max(result.size // 3, 40_000)
    in_memory = cut_volumes(buffer.getvalue(), limit)
    from_file = cut_volumes(on_disk, limit)
    assert [v.data for v in in_memory] == [v.data for v in from_file]
    written = write_volumes(tmp_path / "saved.pdf", in_memory)
    assert [v.path for v in written] == [
        volume_path(tmp_path / "saved.pdf", n) for n in range(1, len(in_memory) + 1)
    ]
    assert written[0].path.read_bytes() == in_memory[0].data
    assert not [p for p in tmp_path.iterdir() if "partial-" in p.name]


def test_tabs_and_a_declaration_after_each_exhibit(case_vault, tmp_path):
    plain, tabbed = tmp_path / "plain.pdf", tmp_path / "tabbed.pdf"
    before = build_binder(case_vault, plain)
    options = BinderOptions(tabs=True, exhibit_declarations=True)
    result = build_binder(case_vault, tabbed, options)
    assert result.pages == before.pages + result.exhibits  # one declaration per exhibit
    reader = PdfReader(tabbed)
    texts = [page.extract_text() for page in reader.pages]
    labels = sorted(result.first_pages, key=result.first_pages.get)
    for number, label in enumerate(labels):
        divider = texts[result.first_pages[label] - 1]
        assert f"Pet. Ex. {label}" in divider  # the tab's text
        # The exhibit's last page, just before the next divider, is its declaration,
        # stamped as part of the exhibit.
        end = (
            result.first_pages[labels[number + 1]] - 1
            if number + 1 < len(labels)
            else next(i for i, t in enumerate(texts) if t.startswith("Integrity appendix"))
        )
        last = texts[end - 1]
        assert f"Declaration about Pet. Ex. {label}" in last
        assert "I, Jane Doe, declare" in last and "penalty of perjury" in last
        assert f"Pet. Ex. {label} — p." in last
    # The tabs step down the edge: each divider's dark tab sits lower than the last.
    if shutil.which("pdftoppm") is not None:
        tops = []
        for label in labels[:3]:
            png = render_page(tabbed, result.first_pages[label], 30, tmp_path / f"tab-{label}")
            image = Image.open(png).convert("L")
            edge = image.crop((image.width - 12, 0, image.width - 4, image.height))
            dark = [y for y in range(edge.height) if edge.getpixel((4, y)) < 80]
            assert dark, "no tab drawn on the divider's edge"
            tops.append(dark[0])
        assert tops == sorted(tops) and len(set(tops)) == len(tops)


def test_pictures_are_prepared_in_the_sandbox_never_decoded_here(case_vault, tmp_path, monkeypatch):
    """A picture chosen as an exhibit may be hostile: the build, which holds the vault
    open, hands each one to a sandboxed worker and embeds what comes back."""
    from PIL import Image

    def refuse(*_args, **_kwargs):
        raise AssertionError("a picture was decoded in the process that holds the key")

    monkeypatch.setattr(Image, "open", refuse)
    out = tmp_path / "binder.pdf"
    build_binder(case_vault, out)
    originals = set(stored_originals(case_vault, "image/jpeg"))
    assert originals and originals <= set(jpeg_streams(out))  # drawn, byte for byte
