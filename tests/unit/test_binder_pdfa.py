"""PDF/A-2b binders read back with pypdf and pikepdf, clause by clause of ISO 19005-2
(veraPDF's rule numbers), and with pikepdf's PDF/A validator where it is installed.

One vault with every kind of page the binder draws (messages with a picture, calls, a
JPEG and a PNG screenshot, a merged PDF report, a note, index links) is built three
times: PDF/A twice (the bytes must match) and plain once (it must not change).
"""

from __future__ import annotations

import base64
import io
import re
import struct
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pikepdf
import pytest
from PIL import Image, ImageCms
from pypdf import PdfReader, PdfWriter
from pypdf.annotations import Link, Text
from pypdf.generic import DictionaryObject, NameObject, TextStringObject
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from nco_desktop.binder import pdfa
from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.options import BinderOptions
from nco_desktop.importers.batch import import_paths
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE, write_file

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}
CASE = {
    "title": "Doe v. Roe",
    "court": "Superior Court of California, County of Alameda",
    "case_number": "24-DV-01234 <&>",  # typed by the user: must not break the XMP
    "petitioner": "Jane Doe",
    "respondent": "John Roe",
}
SMS = """<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="2">
<sms address="+15550100199" date="1710300930000" type="1"
 body="I know where you live" contact_name="John Roe" />
<mms date="1710302000000" msg_box="1" address="+15550100199" contact_name="John Roe">
<parts><part seq="0" ct="image/jpeg" name="car.jpg" data="{jpeg}" />
<part seq="1" ct="text/plain" text="Nice car." /></parts>
<addrs><addr address="+15550100199" type="137" /></addrs></mms>
</smses>"""
CALLS = """<calls count="1">
<call number="+15550100199" duration="0" date="1710302400000" type="3" contact_name="John Roe" />
</calls>"""


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 30, 30)).save(out, "JPEG", quality=85)
    return out.getvalue()


def _report() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter, invariant=1)
    canvas.drawString(72, 600, "Police incident report 24-11873")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


@dataclass(frozen=True)
class Built:
    pdfa: bytes
    pdfa_again: bytes
    plain: bytes
    last_change: str  # the vault's last audited change


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """Three builds of one vault (each build takes seconds: made once for the module)."""
    root = tmp_path_factory.mktemp("pdfa")
    with pytest.MonkeyPatch.context() as patch:
        for variable in ("HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
            patch.setenv(variable, str(root / "home"))
        folder = root / "evidence"
        write_file(folder / "sms-20240313.xml", SMS.format(jpeg=base64.b64encode(_jpeg()).decode()))
        write_file(folder / "calls-20240313.xml", CALLS)
        write_file(folder / "Screenshot_20240312-221530_Messages.jpg", _jpeg())
        png = io.BytesIO()
        Image.new("RGB", (200, 400), (30, 30, 200)).save(png, "PNG")
        write_file(folder / "Screenshot_20240313-080000.png", png.getvalue())
        write_file(folder / "police-report.pdf", _report())
        write_file(folder / "note.md", "# 2024-03-14 07:40\nParked outside my work again.")
        with Vault.create(
            root / "case.ncovault", PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF
        ) as vault:
            assert import_paths(vault, [folder], thumbnails=False).all_ok
            vault.set_settings({"case": CASE})
            outputs = []
            for name, on in (("a.pdf", True), ("b.pdf", True), ("plain.pdf", False)):
                build_binder(vault, root / name, BinderOptions(pdfa=on))
                outputs.append((root / name).read_bytes())
            (at,) = vault.conn.execute("SELECT at FROM audit_log ORDER BY seq DESC").fetchone()
        yield Built(*outputs, last_change=at)


def _open(data: bytes) -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(data))


def _content(page: pikepdf.Page) -> bytes:
    contents = page.obj.Contents
    parts = contents if isinstance(contents, pikepdf.Array) else [contents]
    return b"".join(part.read_bytes() for part in parts)


# ----- determinism and the plain binder -------------------------------------------------


def test_the_same_vault_gives_the_same_pdfa_bytes(built):
    assert built.pdfa == built.pdfa_again


def test_without_the_option_the_binder_has_none_of_it_and_pages_are_unchanged(built):
    plain, archival = _open(built.plain), _open(built.pdfa)
    for key in ("/Metadata", "/OutputIntents", "/Lang"):
        assert key not in plain.Root and key in archival.Root
    assert "/ID" not in plain.trailer and built.plain.startswith(b"%PDF-1.3\n")
    assert "/CreationDate" not in plain.docinfo
    # Nothing visible changed: every page draws the same content with the same resources.
    assert len(plain.pages) == len(archival.pages)
    for before, after in zip(plain.pages, archival.pages, strict=True):
        assert before.mediabox == after.mediabox
        assert _content(before) == _content(after)
        assert sorted(before.Resources.keys()) == sorted(after.Resources.keys())
        assert len(before.obj.get("/Annots", [])) == len(after.obj.get("/Annots", []))


# ----- file structure: 6.1.2, 6.1.3, 6.1.4, 6.1.7, 6.1.9 ---------------------------------


def test_header_binary_comment_and_end_of_file(built):
    data = built.pdfa
    assert re.match(rb"%PDF-1\.[0-7]\n", data)  # 6.1.2-1, at byte 0
    comment = data[data.index(b"\n") + 1 :]
    assert comment[:1] == b"%" and all(byte > 127 for byte in comment[1:5])  # 6.1.2-2
    assert data.endswith(b"%%EOF\n")  # 6.1.3-3: at most one EOL after the last %%EOF
    assert data.count(b"%%EOF") == 1


def test_trailer_has_an_id_of_two_byte_strings_and_no_encryption(built):
    pdf = _open(built.pdfa)
    first, second = (bytes(value) for value in pdf.trailer.ID)  # 6.1.3-1
    assert len(first) == 16 and first == second  # written once: both the same
    assert "/Encrypt" not in pdf.trailer  # 6.1.3-2
    assert not pdf.is_encrypted


def test_objects_streams_and_cross_reference_are_laid_out_as_pdfa_asks(built):
    data = built.pdfa
    (xref,) = re.findall(rb"startxref\n(\d+)\n%%EOF", data)
    table = data[int(xref) :]
    header = re.match(rb"xref\n0 (\d+)\n", table)  # 6.1.4-2: one EOL between them
    assert header
    entries = table[header.end() : header.end() + 20 * int(header[1])]
    offsets = {
        number: int(entry[:10])
        for number, entry in enumerate(entries[i : i + 20] for i in range(0, len(entries), 20))
        if entry[17:18] == b"n"
    }
    pdf = _open(data)
    streams = 0
    for number, offset in offsets.items():
        # 6.1.9-1: "N 0 obj" with single spaces, then an EOL; "endobj" after an EOL.
        assert data[offset:].startswith(f"{number} 0 obj\n".encode()), number
        body_end = data.index(b"\nendobj\n", offset)
        obj = pdf.get_object((number, 0))
        if isinstance(obj, pikepdf.Stream):
            streams += 1
            start = data.index(b"\nstream", offset) + len(b"\nstream")
            assert data[start : start + 1] == b"\n"  # 6.1.7.1-2: LF (or CR LF) after it
            raw = obj.read_raw_bytes()
            assert int(obj.Length) == len(raw)  # 6.1.7.1-1: Length is the byte count
            assert data[start + 1 : start + 1 + len(raw)] == raw
            assert data[start + 1 + len(raw) :].startswith(b"\nendstream")  # EOL before it
            assert start + 1 + len(raw) < body_end
            for key in ("/F", "/FFilter", "/FDecodeParms"):  # 6.1.7.1-3
                assert key not in obj
    assert streams > 20
    assert pdf.check_pdf_syntax() == []  # qpdf's own check (qpdf --check)


# ----- metadata: 6.6.2.1, 6.6.4, and Info = XMP -----------------------------------------


def _xmp(pdf: pikepdf.Pdf) -> tuple[bytes, ET.Element]:
    stream = pdf.Root.Metadata
    assert stream.Type == "/Metadata" and stream.Subtype == "/XML"  # 6.6.2.1-1
    assert "/Filter" not in stream  # plain, so tools that do not read PDF find it
    packet = stream.read_raw_bytes()
    return packet, ET.fromstring(packet)


def _text(root: ET.Element, path: str) -> str:
    found = root.find(f".//{path}", NS)
    assert found is not None, path
    return found.text or ""


def _info_date(value: str) -> datetime:
    match = re.fullmatch(r"D:(\d{14})\+00'00'", value)
    assert match, value
    return datetime.strptime(match[1], "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def test_xmp_names_pdfa_2b_and_says_what_the_information_dictionary_says(built):
    pdf = _open(built.pdfa)
    packet, root = _xmp(pdf)
    packet.decode("utf-8")  # 6.6.2.1-5: UTF-8
    first = packet[: packet.index(b"?>")]
    assert first.startswith(b'<?xpacket begin="\xef\xbb\xbf"')
    assert b"bytes=" not in first and b"encoding=" not in first  # 6.6.2.1-2, -3
    assert _text(root, "pdfaid:part") == "2"  # 6.6.4
    assert _text(root, "pdfaid:conformance") == "B"
    used = {tag.split("}")[0][1:] for tag in (e.tag for e in root.iter()) if "}" in tag}
    assert used <= set(NS.values()) | {"http://www.w3.org/XML/1998/namespace"}  # 6.6.2.3.1
    info = pdf.docinfo
    assert set(info.keys()) == {"/Title", "/Producer", "/Creator", "/CreationDate", "/ModDate"}
    title = _text(root, "dc:title/rdf:Alt/rdf:li")
    assert title == str(info.Title) == "Petitioner's Exhibits — 24-DV-01234 <&>"
    assert _text(root, "pdf:Producer") == str(info.Producer)
    assert _text(root, "xmp:CreatorTool") == str(info.Creator)
    created = datetime.fromisoformat(_text(root, "xmp:CreateDate"))
    assert created == _info_date(str(info.CreationDate))
    assert datetime.fromisoformat(_text(root, "xmp:ModifyDate")) == _info_date(str(info.ModDate))
    # Dated by the vault's last change (the state the binder shows), not the clock.
    assert created == datetime.fromisoformat(built.last_change).replace(microsecond=0)
    assert _text(root, "dc:language/rdf:Bag/rdf:li") == str(pdf.Root.Lang) == "en-US"


# ----- colour: 6.2.3, 6.2.4.3, 6.2.10 ---------------------------------------------------


def test_an_srgb_output_intent_with_its_profile_embedded(built):
    pdf = _open(built.pdfa)
    (intent,) = pdf.Root.OutputIntents  # one: no rule 6.2.3-2 to meet
    assert intent.Type == "/OutputIntent" and intent.S == "/GTS_PDFA1"
    assert str(intent.OutputConditionIdentifier) == "sRGB IEC61966-2.1"
    profile = intent.DestOutputProfile
    assert profile.N == 3
    data = profile.read_bytes()
    assert data == pdfa.srgb_profile()
    size, version, device, space, pcs = struct.unpack(">I4x4s4s4s4s", data[:24])
    assert size == len(data) and data[36:40] == b"acsp"
    assert (device, space, pcs) == (b"mntr", b"RGB ", b"XYZ ")  # 6.2.3-1
    assert version[0] == 2  # version 2: below 5 (6.2.3-1), and even PDF/A-1 takes it
    # With an RGB output intent, DeviceRGB, DeviceGray and transparency need nothing
    # more (6.2.4.3-2, -4; 6.2.10-2). DeviceCMYK would need a CMYK one: none is used.
    assert b"/DeviceCMYK" not in built.pdfa


def test_the_profile_is_srgb(built):
    """LittleCMS reads the profile and maps colours as its own sRGB does, within one level."""
    ours = ImageCms.ImageCmsProfile(io.BytesIO(pdfa.srgb_profile()))
    reference = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    ramp = Image.new("RGB", (256, 6))
    for x in range(256):
        for y, colour in enumerate(
            [(x, 0, 0), (0, x, 0), (0, 0, x), (x, x, x), (x, 255 - x, 128), (255, x, 30)]
        ):
            ramp.putpixel((x, y), colour)
    transform = ImageCms.buildTransform(ours, reference, "RGB", "RGB")
    mapped = ImageCms.applyTransform(ramp, transform)
    assert mapped is not None
    worst = max(
        abs(a - b)
        for x in range(256)
        for y in range(6)
        for a, b in zip(ramp.getpixel((x, y)), mapped.getpixel((x, y)), strict=True)
    )
    assert worst <= 1


# ----- catalog, annotations, actions, filters -------------------------------------------


def test_annotations_print_and_links_need_no_appearance(built):
    pdf = _open(built.pdfa)
    annotations = [a for page in pdf.pages for a in page.obj.get("/Annots", [])]
    assert annotations  # the index's links
    for annotation in annotations:
        flags = int(annotation.F)  # 6.3.2-1
        assert flags & 4 and not flags & (1 | 2 | 32 | 256)  # 6.3.2-2
        assert annotation.Subtype == "/Link" or "/AP" in annotation  # 6.3.3-1
        action = annotation.get("/A")
        assert action is None or action.S in ("/GoTo", "/URI")  # 6.5.1-1


def test_nothing_pdfa_forbids(built):
    pdf = _open(built.pdfa)
    for key in ("/AA", "/OpenAction", "/AcroForm", "/Perms", "/Requirements", "/NeedsRendering"):
        assert key not in pdf.Root  # 6.5.2-1, 6.4, 6.1.12, 6.11-1, 6.4.2-2
    assert "/Names" not in pdf.Root or not {"/JavaScript", "/EmbeddedFiles"} & set(
        pdf.Root.Names.keys()
    )
    for page in pdf.pages:
        assert "/AA" not in page.obj and "/PresSteps" not in page.obj  # 6.5.2-2, 6.10-2
        assert "/Trans" not in page.obj
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            filters = obj.get("/Filter")
            names = [str(f) for f in filters] if isinstance(filters, pikepdf.Array) else []
            if isinstance(filters, pikepdf.Name):
                names = [str(filters)]
            assert "/LZWDecode" not in names and "/Crypt" not in names  # 6.1.7.2-1
            assert obj.get("/S") not in ("/JavaScript", "/Launch", "/Movie", "/Sound")
            assert obj.get("/Type") != "/EmbeddedFile"  # 6.8
            if obj.get("/Subtype") == "/Image":
                assert not obj.get("/Interpolate", False)  # 6.2.8-3
                assert "/Alternates" not in obj and "/OPI" not in obj  # 6.2.8-1, -2


def _fonts(resources: pikepdf.Object, seen: set[tuple[int, int]]) -> Iterator[pikepdf.Object]:
    """Fonts the binder itself draws with: an imported PDF's page (the /NcoPage form)
    keeps that PDF's own fonts, which PDF/A mode does not convert (yet)."""
    for font in resources.get("/Font", {}).values():
        if font.objgen not in seen:
            seen.add(font.objgen)
            yield from font.get("/DescendantFonts", [font])
    for name, xobject in resources.get("/XObject", {}).items():
        if name != "/NcoPage" and xobject.get("/Subtype") == "/Form" and "/Resources" in xobject:
            yield from _fonts(xobject.Resources, seen)


def test_every_font_the_binder_draws_with_is_embedded(built):
    pdf = _open(built.pdfa)
    seen: set[tuple[int, int]] = set()
    fonts = [font for page in pdf.pages for font in _fonts(page.Resources, seen)]
    assert fonts
    for font in fonts:
        descriptor = font.get("/FontDescriptor")
        assert descriptor is not None, font.get("/BaseFont")
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor.keys())


def _validator():
    """pikepdf's PDF/A validator (veraPDF's rules), when pikepdf[pdfa] is installed."""
    try:
        from pikepdf import pdfa as validator
    except ImportError as missing:
        pytest.skip(f"pikepdf's PDF/A validator needs pikepdf[pdfa]: {missing}")
    return validator


def test_the_pdfa_validator_finds_only_the_imported_pdfs_own_font(built, tmp_path):
    """Everything the binder draws passes veraPDF's rules (pikepdf's validator), fonts
    included; what is left is the police report's own Helvetica, which the report did
    not embed and the binder keeps as it was (the user is told, see below)."""
    validator = _validator()
    path = tmp_path / "binder.pdf"
    path.write_bytes(built.pdfa)
    report = validator.validate_written(path, "2b")
    assert report.findings is not None
    rules = {finding.rule for finding in report.findings}
    assert rules <= {"ISO_19005_2:6.2.11.4.1-1"}, report.summary()


def test_the_pages_drawn_with_an_unembedded_font_are_named(tmp_path):
    """The police report (reportlab's Helvetica, not embedded) is the only such page."""
    from nco_desktop.binder.pdfa import pages_without_their_fonts

    writer = PdfWriter(clone_from=io.BytesIO(_report()))
    assert pages_without_their_fonts(writer) == [1]
    ours = PdfWriter()
    ours.add_blank_page(612, 792)
    assert pages_without_their_fonts(ours) == []


# ----- make_pdfa on its own -------------------------------------------------------------


def _writer(title: str = "Exhibits") -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.add_blank_page(612, 792)
    writer.add_metadata({"/Title": title, "/Producer": "x", "/Creator": "NCO Desktop"})
    return writer


def _make(writer: PdfWriter, **changes: object) -> bytes:
    arguments: dict[str, object] = {
        "title": "Exhibits",
        "lang": "en-US",
        "created": "2026-03-01T09:30:15.123456-05:00",
        "producer": "NCO Desktop 9",
    } | changes
    pdfa.make_pdfa(writer, **arguments)  # type: ignore[arg-type]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_dates_are_utc_and_a_time_without_zone_is_refused():
    data = _make(_writer())
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata is not None
    assert reader.metadata["/CreationDate"] == "D:20260301143015+00'00'"
    assert reader.metadata["/Producer"] == "NCO Desktop 9"
    with pytest.raises(ValueError, match="time zone"):
        _make(_writer(), created=datetime(2026, 3, 1, 9, 30))


def test_control_characters_in_a_title_leave_the_xmp_well_formed():
    data = _make(_writer(), title="Ex.\x07 <b> & “quotes”")
    pdf = _open(data)
    root = ET.fromstring(pdf.Root.Metadata.read_raw_bytes())
    assert _text(root, "dc:title/rdf:Alt/rdf:li") == "Ex. <b> & “quotes”"


def test_the_id_follows_the_content():
    """Two documents that differ get different identifiers; the same one the same."""
    first, again = _make(_writer()), _make(_writer())
    other = _make(_writer(), title="Other exhibits")
    ids = [bytes(_open(d).trailer.ID[0]) for d in (first, again, other)]
    assert ids[0] == ids[1] != ids[2]


def test_what_pdfa_forbids_is_refused_not_written():
    writer = _writer()
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello');"),
        }
    )
    with pytest.raises(pdfa.NotArchivable, match="OpenAction"):
        _make(writer)
    writer = _writer()
    writer.add_annotation(0, Text(rect=(50, 50, 100, 100), text="a note"))
    with pytest.raises(pdfa.NotArchivable, match="appearance"):
        _make(writer)
    writer = _writer()
    writer.add_metadata({"/Author": "Jane Doe"})
    with pytest.raises(pdfa.NotArchivable, match="/Author"):
        _make(writer)


def test_links_get_the_print_flag_and_empty_transitions_go():
    writer = _writer()
    writer.add_annotation(0, Link(rect=(50, 50, 100, 100), target_page_index=1))
    writer.pages[1][NameObject("/Trans")] = DictionaryObject()
    pdf = pikepdf.open(io.BytesIO(_make(writer)))
    (link,) = pdf.pages[0].obj.Annots
    assert int(link.F) == 4
    assert "/Trans" not in pdf.pages[1].obj


def test_a_volume_can_be_made_pdfa_from_what_the_binder_says(built):
    """What a volume writer needs: the binder's own title, language, date and producer."""
    facts = pdfa.read_facts(PdfReader(io.BytesIO(built.pdfa)))
    assert facts is not None and facts.lang == "en-US"
    assert pdfa.read_facts(PdfReader(io.BytesIO(built.plain))) is None
    writer = _writer()
    writer.add_metadata({"/Title": TextStringObject(f"{facts.title} — volume 1 of 2")})
    data = _make(
        writer,
        title=f"{facts.title} — volume 1 of 2",
        lang=facts.lang,
        created=facts.created,
        producer=facts.producer,
    )
    binder, volume = _open(built.pdfa), _open(data)
    assert volume.docinfo.CreationDate == binder.docinfo.CreationDate
    assert volume.Root.Lang == binder.Root.Lang


def test_the_first_page_renders_as_before(built, tmp_path):
    """pdftoppm draws page 1 of both binders pixel for pixel alike."""
    import shutil
    import subprocess

    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    pictures = []
    for name, data in (("plain", built.plain), ("pdfa", built.pdfa)):
        (tmp_path / f"{name}.pdf").write_bytes(data)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-png",
                "-singlefile",
                tmp_path / f"{name}.pdf",
                tmp_path / name,
            ],
            check=True,
        )
        pictures.append(Image.open(tmp_path / f"{name}.png").convert("RGB").tobytes())
    assert pictures[0] == pictures[1]


def test_saved_choices_keep_the_pdfa_choice(vault):
    from nco_desktop.binder.saved_options import BinderChoices, load_choices, save_choices

    assert not load_choices(vault).options.pdfa
    save_choices(vault, BinderChoices(BinderOptions(pdfa=True)))
    assert load_choices(vault).options.pdfa
