"""An attacker's hunt for private details in the copy for the other side.

Each test puts a listed private detail (the user's address above all) into one channel
of the evidence (a file name, an exhibit title, a contact's name, a page's small print,
a picture's metadata, a look-alike letter …), builds the copy for service and searches
it the way the other side could: every PDF object and stream (decompressed), names,
strings, document info, XMP, outlines, page labels, annotations, attachments, the
pages' text layers, the raw bytes of every embedded picture, and what a reader *sees*
on the rendered pages (OCR, turned and inverted where the channel needs it).

A failing test is a real leak: the assertion names the channel it came through.
"""

from __future__ import annotations

import contextlib
import io
import re
import struct
import unicodedata
import zlib
from collections.abc import Iterable
from pathlib import Path
from xml.sax.saxutils import quoteattr

import pikepdf
import pytest
from PIL import Image, ImageDraw, ImageFont, ImageOps
from pypdf import PdfReader
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.options import BinderOptions
from nco_desktop.importers.batch import import_paths
from tests.conftest import write_file
from tests.support.pdf_pages import jpeg_streams, render_page

ADDRESS = "2417 Juniper Lane, Springfield"
#: Distinctive: found nowhere in a binder unless the address leaked ("uniper": Tesseract
#: reads a small "J" as "|" or "i").
STREET = "uniper"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

# Letters that look like Latin ones (Unicode TR39 confusables, the common ones): what a
# reader sees, so what the search folds to.
_LOOKALIKES = str.maketrans(
    {
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "i",
        "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "ӏ": "l", "к": "k",
        "м": "m", "н": "h", "т": "t", "в": "b", "ο": "o", "α": "a", "ε": "e", "ι": "i",
        "υ": "u", "ν": "v", "ρ": "p", "κ": "k", "τ": "t", "χ": "x",
        "А": "A", "Е": "E", "О": "O", "Р": "P", "С": "C", "Х": "X", "І": "I", "Ј": "J",
        "Ν": "N", "Ι": "I", "Κ": "K", "Τ": "T",
    }
)  # fmt: skip


def fold(text: str) -> str:
    """*text* as a reader takes it in: look-alikes as Latin, no accents, lower case,
    letters and digits only (so spacing, hyphens and line breaks hide nothing)."""
    plain = unicodedata.normalize("NFKD", text.translate(_LOOKALIKES))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).translate(_LOOKALIKES)
    return re.sub(r"[\W_]+", "", plain.casefold())


def _fold_bytes(data: bytes) -> bytes:
    return re.sub(rb"[^a-z0-9]+", b"", data.lower())


# ----- the search ---------------------------------------------------------------------


def _walk(value: object, out: list[str], raw: list[bytes], depth: int = 0) -> None:
    """Every name, string and stream under one object (direct children only: every
    indirect object is visited on its own)."""
    if depth > 50:
        return
    if isinstance(value, pikepdf.Stream):
        raw.append(value.read_raw_bytes())
        with contextlib.suppress(Exception):  # a DCT or damaged stream: its raw bytes
            raw.append(value.read_bytes())
        _walk(value.stream_dict, out, raw, depth + 1)
    elif isinstance(value, pikepdf.Dictionary):
        for key, child in value.items():
            out.append(key)
            if not (isinstance(child, pikepdf.Object) and child.is_indirect):
                _walk(child, out, raw, depth + 1)
    elif isinstance(value, pikepdf.Array):
        for child in value:
            if not (isinstance(child, pikepdf.Object) and child.is_indirect):
                _walk(child, out, raw, depth + 1)
    elif isinstance(value, pikepdf.String):
        out.append(str(value))
        raw.append(bytes(value))
    elif isinstance(value, pikepdf.Name):
        out.append(str(value))


def machine_channels(pdf: Path) -> dict[str, str]:
    """What software reads in *pdf*, folded, by channel."""
    found: dict[str, str] = {}
    out: list[str] = []
    raw: list[bytes] = [pdf.read_bytes()]
    with pikepdf.open(pdf) as document:
        for obj in document.objects:
            _walk(obj, out, raw)
        found["document info"] = fold(" ".join(f"{k} {v}" for k, v in document.docinfo.items()))
        with contextlib.suppress(Exception):
            found["XMP"] = fold(str(document.open_metadata()))
        annotations = []
        for page in document.pages:
            for annotation in page.obj.get("/Annots", pikepdf.Array()):
                annotations.append(repr(annotation))
        found["annotations"] = fold(" ".join(annotations))
        found["attachments"] = fold(" ".join(document.attachments.keys()))
    found["PDF names and strings"] = fold(" ".join(out))
    found["PDF bytes and streams (decompressed)"] = _fold_bytes(b"\n".join(raw)).decode()
    reader = PdfReader(pdf)
    found["text layer"] = fold(" ".join(page.extract_text() for page in reader.pages))
    titles: list[str] = []
    pending: list = list(reader.outline)
    while pending:
        item = pending.pop()
        if isinstance(item, list):
            pending.extend(item)
        else:
            titles.append(item.title)
    found["outline titles"] = fold(" ".join(titles))
    found["page labels"] = fold(" ".join(reader.page_labels))
    return found


def seen(
    pdf: Path,
    workdir: Path,
    pages: Iterable[int] | None = None,
    *,
    turns: Iterable[int] = (0,),
    invert: bool = False,
    dpi: int = 150,
) -> dict[str, str]:
    """What a reader sees on *pages* (1-based; None: all) of *pdf*, read by Tesseract,
    turned by each of *turns* degrees and also inverted if asked; folded, by channel."""
    from nco_desktop.ocr import tesseract
    from nco_desktop.ocr.words import text_of

    tesseract.prepare(tesseract.tessdata_dir())
    numbers = list(pages) if pages is not None else _pages_with_pictures(pdf)
    found: dict[str, str] = {}
    for number in numbers:
        folder = workdir / f"ocr-{number}"
        folder.mkdir(parents=True, exist_ok=True)
        with Image.open(render_page(pdf, number, dpi, folder / "p")) as drawn:
            grey = drawn.convert("L")
        variants = [(grey, "")] + ([(ImageOps.invert(grey), ", inverted")] if invert else [])
        for picture, how in variants:
            for turn in turns:
                shown = picture.rotate(turn, expand=True) if turn else picture
                words = tesseract.read_words(shown.convert("RGB"))
                found[f"page {number} as seen (OCR, turned {turn}°{how})"] = fold(text_of(words))
    return found


def _pages_with_pictures(pdf: Path) -> list[int]:
    """The pages that draw a picture (1-based). The binder draws its own pages' words
    with fonts, which the text layer channel reads; only pixels need reading by eye."""
    numbers = []
    for number, page in enumerate(PdfReader(pdf).pages, start=1):
        resources = page.get("/Resources")
        xobjects = resources.get_object().get("/XObject") if resources is not None else None
        if xobjects:
            numbers.append(number)
    return numbers


def leaks(channels: dict[str, str], *needles: str) -> list[str]:
    """The channels in which any of *needles* (folded) is found."""
    return [
        f"{channel}: {needle!r}"
        for channel, text in channels.items()
        for needle in needles
        if fold(needle) in text
    ]


def build_both(vault, tmp_path: Path, redactions: list[str], **options) -> tuple[Path, Path]:
    vault.set_settings({"case": {"petitioner": "Jane Doe", "redactions": redactions}})
    court, served = tmp_path / "court.pdf", tmp_path / "served.pdf"
    build_binder(vault, court, BinderOptions(**options))
    build_binder(vault, served, BinderOptions(for_service=True, **options))
    return court, served


def exhibit_pages(pdf: Path, label: str = "1") -> list[int]:
    """The 1-based pages stamped as exhibit *label*'s, divider first."""
    return [
        number
        for number, page in enumerate(PdfReader(pdf).pages, start=1)
        if f"Pet. Ex. {label} — p. " in page.extract_text()
    ]


def assert_printed(*pdfs: Path) -> None:
    """Every imported PDF was drawn in each copy (a PDF left out leaks nothing, and
    proves nothing)."""
    for pdf in pdfs:
        text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages)
        assert "could not be opened for printing" not in text, f"{pdf.name}: a PDF was left out"
        assert "could not be drawn" not in text, f"{pdf.name}: a page was left out"


def assert_court_shows(court: Path, pages: list[int], workdir: Path, **seeing) -> None:
    """The court's copy shows the detail on each of *pages*: the channel carries it."""
    for page in pages:
        shown = seen(court, workdir / f"court-{page}", [page], **seeing)
        assert leaks(shown, STREET), f"the court's copy does not show it on page {page}"


def assert_no_leak(served: Path, tmp_path: Path, *needles: str, **seeing) -> None:
    """Machine-readable channels and every page as seen: no needle anywhere."""
    channels = machine_channels(served)
    channels |= seen(served, tmp_path / "seen", **seeing)
    found = leaks(channels, *needles)
    assert not found, "the copy for service leaks: " + "; ".join(found)


# ----- evidence, built here -----------------------------------------------------------


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size)


def screenshot(lines: list[str], size=(1000, 420), px: int = 36, dark: bool = False) -> bytes:
    image = Image.new("RGB", size, "black" if dark else "white")
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text(
            (40, 50 + number * 2 * px), line, fill="white" if dark else "black", font=_font(px)
        )
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def photo(fmt: str = "JPEG", **save) -> bytes:
    """A photo with no words in it: nothing for the reader to find, so it passes through
    as its own bytes."""
    image = Image.new("RGB", (480, 320), (70, 120, 170))
    draw = ImageDraw.Draw(image)
    draw.ellipse((60, 40, 300, 280), fill=(200, 160, 60))
    draw.rectangle((320, 180, 460, 300), fill=(30, 90, 40))
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def sms_xml(
    rows: list[tuple[str, str]], contact: str = "Sam Roe", number: str = "+15550100199"
) -> str:
    """An SMS Backup & Restore export: (type, body) rows, 1 received, 2 sent."""
    lines = [
        f'<sms address={quoteattr(number)} date="{1710300930000 + n * 60_000}" type="{kind}" '
        f"body={quoteattr(body)} contact_name={quoteattr(contact)} />"
        for n, (kind, body) in enumerate(rows)
    ]
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<smses count="{len(lines)}">\n'
        + "\n".join(lines)
        + "\n</smses>\n"
    )


def text_pdf(*pages: list[tuple[float, float, float, str]], size=(612, 792)) -> bytes:
    """A PDF with real text: each page a list of (x, y, font size, line)."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=size, invariant=1)
    for lines in pages:
        for x, y, points, line in lines:
            canvas.setFont("Helvetica", points)
            canvas.drawString(x, y, line)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def scan_pdf(*scans: Image.Image) -> bytes:
    """A PDF of scanned pages: each page one picture, no text of its own."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(612, 792), invariant=1)
    for scan in scans:
        canvas.drawImage(ImageReader(scan), 0, 0, 612, 792)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def letter_scan(dark: bool = False) -> Image.Image:
    """A letter-sized page scanned at 200 dpi, white (or black) paper."""
    return Image.new("L", (1700, 2200), 0 if dark else 255)


def _import(vault, folder: Path) -> None:
    result = import_paths(vault, [folder], thumbnails=False)
    assert result.all_ok, result


# ----- binder-drawn text: names, titles, incidents, contacts, e-mail ---------------------


def test_address_in_file_names_of_pictures_and_pdfs(vault, tmp_path):
    """Captions, divider file lists, exhibit titles (a PDF is titled by its file name),
    bookmarks and the integrity appendix all print file names."""
    folder = tmp_path / "in"
    write_file(folder / "2417 Juniper Lane porch.jpg", photo())
    write_file(folder / "2417JuniperLn_door.png", photo("PNG"))
    write_file(
        folder / "Lease 2417-Juniper-Ln.pdf", text_pdf([(72, 700, 14, "Lease agreement, page 1")])
    )
    _import(vault, folder)
    court, served = build_both(vault, tmp_path, [ADDRESS])
    assert leaks(machine_channels(court), STREET)  # the channel carries it
    assert_no_leak(served, tmp_path, STREET)


def test_address_in_exhibit_title_and_description(vault, tmp_path):
    from nco_desktop.binder.exhibits import create_exhibit

    write_file(tmp_path / "in" / "sms.xml", sms_xml([("1", "You can't hide from me.")]))
    _import(vault, tmp_path / "in")
    (entry_id,) = [row[0] for row in vault.conn.execute("SELECT id FROM entries")]
    create_exhibit(
        vault,
        "Texts about 2417 JUNIPER LN.",
        "He came to 2417 Juniper Lane, Springfield twice; see also Juniper-\nLane.",
        [entry_id],
    )
    court, served = build_both(vault, tmp_path, [ADDRESS], exhibit_declarations=True, tabs=True)
    assert leaks(machine_channels(court), STREET)
    assert_no_leak(served, tmp_path, STREET)


def test_address_in_an_incident(vault, tmp_path):
    write_file(tmp_path / "in" / "sms.xml", sms_xml([("1", "Outside your place.")]))
    _import(vault, tmp_path / "in")
    (message_id,) = [row[0] for row in vault.conn.execute("SELECT id FROM entries")]
    from nco_desktop.evidence.records import EntryKind, NewEntry, TimePrecision, TimeSource
    from nco_desktop.evidence.store import add_entry

    long_summary = "He waited by the gate again " * 5 + "at 2417 Juniper Lane"
    with vault.change() as change:
        entry_id = add_entry(
            change,
            NewEntry(
                kind=EntryKind.INCIDENT,
                occurred_ms=1710300930000,
                time_source=TimeSource.USER,
                time_precision=TimePrecision.MINUTE,
                text="He stood outside 2417 Juniper\nLane for an hour.",
            ),
        )
        change.conn.execute(
            "INSERT INTO incidents (entry_id, category, location, summary, what_happened, "
            "witnesses, reported_to_police, agency, officer, report_number, impact, "
            "private_notes) VALUES (?, 'following', ?, ?, ?, ?, 1, ?, ?, ?, ?, '')",
            (
                entry_id,
                "outside 2417 JUNIPER LN, Springfield",
                long_summary,
                "He parked across from 2417 Juniper\nLane and watched the door.",
                "Ann Lee (lives next door to 2417 Juniper Lane)",
                "Springfield PD, 2417 Juniper Lane beat",
                "Ofc. Diaz",
                "24-001 (2417 Juniper Ln)",
                "I no longer feel safe at 2417 Juniper Lane.",
            ),
        )
        change.conn.execute(
            "INSERT INTO incident_evidence (incident_entry_id, entry_id) VALUES (?, ?)",
            (entry_id, message_id),
        )
        change.audit("test.incident")
    court, served = build_both(vault, tmp_path, [ADDRESS])
    assert leaks(machine_channels(court), STREET)
    assert_no_leak(served, tmp_path, STREET)


def test_address_and_number_in_a_contact_name(vault, tmp_path):
    """The contact name heads each message, names the auto exhibit, fills the call log's
    Name column and the chronology; the number is the user's own second line."""
    contact = "Landlord 2417 Juniper Lane"
    write_file(
        tmp_path / "in" / "sms.xml",
        sms_xml([("1", "Rent is due."), ("2", "Paid.")], contact=contact, number="+15550104242"),
    )
    write_file(
        tmp_path / "in" / "calls.xml",
        '<?xml version="1.0" encoding="UTF-8"?>\n<calls count="1">\n'
        f'<call number="(555) 010-4242" duration="125" date="1710300930000" type="1" '
        f"contact_name={quoteattr(contact)} />\n</calls>\n",
    )
    _import(vault, tmp_path / "in")
    court, served = build_both(vault, tmp_path, [ADDRESS, "+1 555 010 4242"], pattern_page=True)
    assert leaks(machine_channels(court), STREET, "5550104242")
    assert_no_leak(served, tmp_path, STREET, "5550104242")


def test_address_and_email_in_email_headers_subject_and_attachment(vault, tmp_path):
    import email.message

    message = email.message.EmailMessage()
    message["From"] = '"Jane at 2417 Juniper Lane" <jane.doe84@example.com>'
    message["To"] = "Sam Roe <sam@example.org>, jane.doe84@example.com"
    message["Cc"] = "JANE.DOE84@EXAMPLE.COM"
    message["Subject"] = "Re: the lease for 2417 Juniper Ln."
    message["Date"] = "Tue, 12 Mar 2024 22:15:30 -0500"
    message["Message-ID"] = "<1@example.org>"
    message.set_content("Write to jane.doe84@example.com, not to 2417 Juniper\nLane.")
    message.add_attachment(
        text_pdf([(72, 700, 14, "Lease, page 1")]),
        maintype="application",
        subtype="pdf",
        filename="lease-2417-juniper-ln.pdf",
    )
    write_file(tmp_path / "in" / "lease.eml", message.as_bytes())
    _import(vault, tmp_path / "in")
    court, served = build_both(vault, tmp_path, [ADDRESS, "jane.doe84@example.com"])
    assert leaks(machine_channels(court), STREET, "janedoe84")
    assert_no_leak(served, tmp_path, STREET, "janedoe84")


# ----- imported PDF pages ---------------------------------------------------------------


def test_tiny_print_on_an_imported_page(vault, tmp_path):
    """6 pt text of the page's own, and 6 pt print in a scanned page (pixels only)."""
    scan = letter_scan()
    draw = ImageDraw.Draw(scan)
    draw.text((150, 150), "Scanned lease, page 2", fill=0, font=_font(40))
    draw.text(
        (150, 2000), "Tenant of record: 2417 Juniper Lane, Springfield", fill=0, font=_font(17)
    )
    write_file(
        tmp_path / "in" / "lease.pdf",
        text_pdf(
            [
                (72, 700, 14, "Lease, page 1"),
                (72, 60, 6, "Tenant of record: 2417 Juniper Lane, Springfield"),
            ]
        ),
    )
    write_file(tmp_path / "in" / "lease-scan.pdf", scan_pdf(scan))
    _import(vault, tmp_path / "in")
    court, served = build_both(vault, tmp_path, [ADDRESS])
    pages = exhibit_pages(served, "1")[1:] + exhibit_pages(served, "2")[1:]
    assert len(pages) == 2
    assert_printed(court, served)
    assert_court_shows(court, pages, tmp_path, dpi=300)
    assert_no_leak(served, tmp_path, STREET, pages=pages, dpi=300)


def test_white_on_black_imported_pages(vault, tmp_path):
    """White print on black: the page's own text, and a scan (pixels only)."""
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.rect(0, 0, 612, 792, fill=1)
    canvas.setFillColorRGB(1, 1, 1)
    canvas.setFont("Helvetica", 14)
    canvas.drawString(72, 700, "Notice to tenant")
    canvas.drawString(72, 400, "Premises: 2417 Juniper Lane, Springfield")
    canvas.showPage()
    canvas.save()
    scan = letter_scan(dark=True)
    draw = ImageDraw.Draw(scan)
    draw.text((150, 150), "Scanned notice, page 2", fill=255, font=_font(40))
    draw.text((150, 1100), "Premises: 2417 Juniper Lane, Springfield", fill=255, font=_font(40))
    write_file(tmp_path / "in" / "notice.pdf", out.getvalue())
    write_file(tmp_path / "in" / "notice-scan.pdf", scan_pdf(scan))
    _import(vault, tmp_path / "in")
    court, served = build_both(vault, tmp_path, [ADDRESS])
    pages = exhibit_pages(served, "1")[1:] + exhibit_pages(served, "2")[1:]
    assert len(pages) == 2
    assert_printed(court, served)
    assert_court_shows(court, pages, tmp_path, invert=True)
    assert_no_leak(served, tmp_path, STREET, pages=pages, invert=True)


def test_rotated_imported_page_and_sideways_scan(vault, tmp_path):
    """A page turned by /Rotate 90 (its own text), and a scan fed sideways: its text runs
    up the page, with one upright line so the page is read at all. (Found leaking: the
    turned page's own words are put in order by their left edge, which scrambles a
    vertical line, and the OCR engine does not read sideways print.)"""
    page = text_pdf(
        [
            (72, 700, 14, "Notice to tenant, page 1"),
            (72, 650, 14, "Premises: 2417 Juniper Lane, Springfield"),
        ]
    )
    with pikepdf.open(io.BytesIO(page)) as pdf:
        pdf.pages[0].obj.Rotate = 90
        rotated = io.BytesIO()
        pdf.save(rotated)
    scan = letter_scan()
    ImageDraw.Draw(scan).text((150, 120), "Scanned statement, page 2", fill=0, font=_font(40))
    side = Image.new("L", (1700, 90), 255)
    ImageDraw.Draw(side).text(
        (10, 10), "Premises: 2417 Juniper Lane, Springfield", fill=0, font=_font(44)
    )
    scan.paste(side.rotate(90, expand=True), (700, 300))
    write_file(tmp_path / "in" / "notice.pdf", rotated.getvalue())
    write_file(tmp_path / "in" / "statement-scan.pdf", scan_pdf(scan))
    _import(vault, tmp_path / "in")
    court, served = build_both(vault, tmp_path, [ADDRESS])
    pages = exhibit_pages(served, "1")[1:] + exhibit_pages(served, "2")[1:]
    assert len(pages) == 2
    assert_printed(court, served)
    assert_court_shows(court, pages, tmp_path, turns=(0, 90, 270))
    assert_no_leak(served, tmp_path, STREET, pages=pages, turns=(0, 90, 270))


def _hostile_pdf() -> bytes:
    """One page naming nothing private in its drawing, and the address in every other
    place a PDF can hold words: a note and a free-text comment with its appearance, a
    filled-in form field, a link, an attachment, XMP, document info, bookmarks, page
    labels, hidden text (render mode 3) and a layer switched off."""
    pdf = pikepdf.new()
    helvetica = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    layer = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.OCG, Name="2417 Juniper Lane"))
    content = (
        b"BT /F1 14 Tf 72 700 Td (Notice to tenant) Tj ET "
        b"BT /F1 14 Tf 3 Tr 72 600 Td (Hidden: 2417 Juniper Lane) Tj ET "
        b"/OC /L1 BDC BT /F1 14 Tf 72 560 Td (Layer: 2417 Juniper Lane) Tj ET EMC"
    )
    appearance = pdf.make_stream(
        b"BT /F1 12 Tf 2 6 Td (2417 Juniper Lane) Tj ET",
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Form,
        BBox=[0, 0, 200, 20],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=helvetica)),
    )
    field = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            FT=pikepdf.Name.Tx,
            T="address",
            V="2417 Juniper Lane",
            Rect=[72, 400, 272, 420],
            AP=pikepdf.Dictionary(N=appearance),
            F=4,
        )
    )
    free_text = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.FreeText,
        Rect=[72, 300, 272, 320],
        Contents="Tenant: 2417 Juniper Lane",
        DA="/Helv 12 Tf 0 g",
        AP=pikepdf.Dictionary(N=appearance),
        F=4,
    )
    note = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Text,
        Rect=[72, 250, 92, 270],
        Contents="She moved to 2417 Juniper Lane",
        T="2417 Juniper Lane",
    )
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=[72, 200, 272, 220],
        A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI="https://maps.example/2417-Juniper-Lane"),
    )
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 612, 792],
        Resources=pikepdf.Dictionary(
            Font=pikepdf.Dictionary(F1=helvetica),
            Properties=pikepdf.Dictionary(L1=layer),
        ),
        Contents=pdf.make_stream(content),
        Annots=pikepdf.Array([field, free_text, note, link]),
    )
    pdf.pages.append(pikepdf.Page(page))
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]), NeedAppearances=True)
    pdf.Root.OCProperties = pikepdf.Dictionary(
        OCGs=pikepdf.Array([layer]), D=pikepdf.Dictionary(OFF=pikepdf.Array([layer]))
    )
    pdf.Root.PageLabels = pikepdf.Dictionary(
        Nums=pikepdf.Array([0, pikepdf.Dictionary(P="2417 Juniper Lane-")])
    )
    pdf.attachments["2417-juniper-lane.txt"] = pikepdf.AttachedFileSpec(
        pdf, b"Tenant: 2417 Juniper Lane", filename="2417-juniper-lane.txt"
    )
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:title"] = "Lease for 2417 Juniper Lane"
        meta["dc:creator"] = ["Jane Doe, 2417 Juniper Lane"]
    pdf.docinfo["/Author"] = "Jane Doe, 2417 Juniper Lane"
    pdf.docinfo["/Subject"] = "2417 Juniper Lane"
    with pdf.open_outline() as outline:
        outline.root.append(pikepdf.OutlineItem("2417 Juniper Lane", 0))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_address_in_annotations_form_fields_attachments_and_metadata_of_a_pdf(vault, tmp_path):
    write_file(tmp_path / "in" / "notice.pdf", _hostile_pdf())
    _import(vault, tmp_path / "in")
    court, served = build_both(vault, tmp_path, [ADDRESS])
    pages = exhibit_pages(served, "1")
    assert_printed(court, served)
    assert len(pages) == 2 and "withheld" not in machine_channels(served)["text layer"]
    assert_no_leak(served, tmp_path, STREET, pages=pages, dpi=200)


# ----- pictures: metadata --------------------------------------------------------------


def _segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + (len(body) + 2).to_bytes(2, "big") + body


def _segments_end(jpeg: bytes) -> tuple[int, int]:
    """(offset after the first segment, the APP0 JFIF; offset of the first scan)."""
    position, first = 2, 0
    while jpeg[position + 1] != 0xDA:
        position += 2 + int.from_bytes(jpeg[position + 2 : position + 4], "big")
        first = first or position
    return first, position


XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf'
    b'-syntax-ns#"><rdf:Description xmlns:Iptc4xmpCore="http://iptc.org/std/Iptc4xmpCore/1.0/'
    b'xmlns/" xmlns:exif="http://ns.adobe.com/exif/1.0/" Iptc4xmpCore:Location="2417 Juniper '
    b'Lane" exif:GPSLatitude="41,52.5N" exif:GPSLongitude="87,37.75W"/></rdf:RDF></x:xmpmeta>'
)
IPTC = (
    b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x16"
    b"\x1c\x02\x5c\x00\x112417 Juniper Lane\x00"
)


def _thumbnail() -> bytes:
    image = Image.new("RGB", (560, 90), "white")
    ImageDraw.Draw(image).text((10, 20), "2417 Juniper Lane", fill="black", font=_font(44))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90)
    return out.getvalue()


def _jpeg_with(where: str) -> bytes:
    base = photo(progressive=where == "between progressive scans")
    after_app0, scan = _segments_end(base)
    secret = b"Taken at 2417 Juniper Lane"
    if where == "XMP, IPTC and a comment before the scan":
        extra = _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP)
        extra += _segment(0xED, IPTC) + _segment(0xFE, secret)
        return base[:scan] + extra + base[scan:]
    if where == "a second APP0 segment":
        return base[:after_app0] + _segment(0xE0, b"NOTE\x00" + secret) + base[after_app0:]
    if where == "an Adobe APP14 segment, lengthened":
        adobe = b"Adobe\x00\x64\x00\x00\x00\x00\x01" + secret
        return base[:scan] + _segment(0xEE, adobe) + base[scan:]
    if where in ("after the scan, before the end", "between progressive scans"):
        extra = _segment(0xFE, secret) + _segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00" + XMP)
        if where == "after the scan, before the end":
            assert base.endswith(b"\xff\xd9")
            return base[:-2] + extra + base[-2:]
        second = base.index(b"\xff\xda", scan + 2)  # the second scan's header
        return base[:second] + extra + base[second:]
    raise AssertionError(where)


@pytest.mark.parametrize(
    "where",
    [
        "XMP, IPTC and a comment before the scan",
        "a second APP0 segment",
        "an Adobe APP14 segment, lengthened",
        "after the scan, before the end",
        "between progressive scans",
    ],
)
def test_jpeg_metadata_segments(vault, tmp_path, where):
    data = _jpeg_with(where)
    with Image.open(io.BytesIO(data)) as image:
        image.load()  # a picture every viewer shows
    write_file(tmp_path / "in" / "IMG_0001.jpg", data)
    _import(vault, tmp_path / "in")
    court, served = build_both(vault, tmp_path, [ADDRESS])
    assert leaks(machine_channels(court), STREET)
    found = leaks(machine_channels(served), STREET, "GPSLatitude")
    assert not found, f"JPEG metadata {where} leaks: " + "; ".join(found)


def test_jpeg_jfxx_thumbnail_showing_the_address(vault, tmp_path):
    """An APP0 JFXX thumbnail (kept as "decoding" data) is a second picture: here the
    uncropped original, which shows the address the photo was cropped to hide."""
    from nco_desktop.ocr import tesseract
    from nco_desktop.ocr.words import text_of

    base = photo()
    after_app0, _ = _segments_end(base)
    thumbnail = _thumbnail()
    data = base[:after_app0] + _segment(0xE0, b"JFXX\x00\x10" + thumbnail) + base[after_app0:]
    write_file(tmp_path / "in" / "IMG_0002.jpg", data)
    _import(vault, tmp_path / "in")
    _court, served = build_both(vault, tmp_path, [ADDRESS])
    tesseract.prepare(tesseract.tessdata_dir())
    kept = []
    for stream in jpeg_streams(served):
        at = stream.find(b"JFXX\x00\x10")
        if at >= 0:
            end = stream.index(b"\xff\xd9", at) + 2
            with Image.open(io.BytesIO(stream[at + 6 : end])) as small:
                kept.append(fold(text_of(tesseract.read_words(small.convert("RGB")))))
    assert not any(STREET in text for text in kept), f"JFXX thumbnail kept and shows: {kept}"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def test_png_text_xmp_and_exif_chunks(vault, tmp_path):
    base = photo("PNG")
    ihdr_end = 8 + 12 + 13
    iend = base.rindex(b"IEND") - 4
    exif = Image.Exif()
    exif[0x010E] = "Front door, 2417 Juniper Lane"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (41.0, 52.0, 30.0), "W", (87.0, 37.0, 45.0)
    exif_body = exif.tobytes()
    exif_body = exif_body[6:] if exif_body.startswith(b"Exif\x00\x00") else exif_body
    before = (
        _chunk(b"tEXt", b"Author\x00Jane Doe, 2417 Juniper Lane")
        + _chunk(b"zTXt", b"Comment\x00\x00" + zlib.compress(b"Taken at 2417 Juniper Lane"))
        + _chunk(b"iTXt", b"XML:com.adobe.xmp\x00\x00\x00\x00\x00" + XMP)
        + _chunk(b"eXIf", exif_body)
    )
    after = _chunk(b"tEXt", b"Location\x002417 Juniper Lane")
    data = base[:ihdr_end] + before + base[ihdr_end:iend] + after + base[iend:]
    data += b"2417 Juniper Lane"  # after IEND, as some editors leave
    with Image.open(io.BytesIO(data)) as image:
        image.load()
    write_file(tmp_path / "in" / "IMG_0003.png", data)
    _import(vault, tmp_path / "in")
    _court, served = build_both(vault, tmp_path, [ADDRESS])
    found = leaks(machine_channels(served), STREET, "GPSLatitude")
    assert not found, "PNG chunks leak: " + "; ".join(found)


def test_png_idat_with_bytes_after_its_compressed_pixels(vault, tmp_path):
    """PNG pixels go into the PDF as their own IDAT bytes: bytes after the end of the
    compressed stream (ignored by every decoder) travel with them."""
    base = photo("PNG")
    position, idat = 8, b""
    while position < len(base):
        length, kind = struct.unpack(">I4s", base[position : position + 8])
        if kind == b"IDAT":
            idat += base[position + 8 : position + 8 + length]
        position += 12 + length
    pixels = zlib.decompress(idat)
    ihdr_end = 8 + 12 + 13
    data = (
        base[:ihdr_end]
        + _chunk(b"IDAT", zlib.compress(pixels) + b"Tenant: 2417 Juniper Lane")
        + _chunk(b"IEND", b"")
    )
    with Image.open(io.BytesIO(data)) as image:
        image.load()
    write_file(tmp_path / "in" / "IMG_0004.png", data)
    _import(vault, tmp_path / "in")
    _court, served = build_both(vault, tmp_path, [ADDRESS])
    found = leaks(machine_channels(served), STREET)
    assert not found, "PNG IDAT trailing bytes leak: " + "; ".join(found)


# ----- pictures: what they show ----------------------------------------------------------


def test_screenshots_with_the_address_split_over_two_lines_and_in_capitals(vault, tmp_path):
    write_file(
        tmp_path / "in" / "Screenshot_20240312-221530.png",
        screenshot(["I know you live at 2417", "Juniper Lane, Springfield.", "See you soon."]),
    )
    write_file(
        tmp_path / "in" / "Screenshot_20240312-221630.png",
        screenshot(["WE KNOW WHERE YOU ARE:", "2417 JUNIPER LN.", "SPRINGFIELD"]),
    )
    _import(vault, tmp_path / "in")
    court, served = build_both(vault, tmp_path, [ADDRESS])
    pages = exhibit_pages(served, "1")[1:]
    assert leaks(seen(court, tmp_path / "court", pages), STREET)
    assert_no_leak(served, tmp_path, STREET, pages=pages)


# ----- spellings: capitals, accents, look-alikes, direction marks -------------------------


def _messages_case(vault, tmp_path, rows: list[tuple[str, str]]) -> None:
    write_file(tmp_path / "in" / "sms.xml", sms_xml(rows))
    _import(vault, tmp_path / "in")


def test_address_in_capitals_in_a_message(vault, tmp_path):
    _messages_case(vault, tmp_path, [("1", "I WILL BE AT 2417 JUNIPER LANE TONIGHT.")])
    _court, served = build_both(vault, tmp_path, [ADDRESS])
    assert_no_leak(served, tmp_path, STREET)


def test_a_childs_name_in_capitals(vault, tmp_path):
    """A child's name listed as "Sophia": a threat is often written all in capitals.
    (All in lower case is not matched, by the issue's rule for names: "will", "may",
    "grace" are words, and a threat must stay as it was; the README says to check.)"""
    _messages_case(vault, tmp_path, [("1", "I WILL PICK UP SOPHIA FROM SCHOOL.")])
    court, served = build_both(vault, tmp_path, [ADDRESS, "Sophia"])
    assert leaks(machine_channels(court), "sophia")
    assert_no_leak(served, tmp_path, "sophia")


def test_address_with_an_accent(vault, tmp_path):
    _messages_case(vault, tmp_path, [("1", "Meet me at 2417 Júniper Láne.")])
    _court, served = build_both(vault, tmp_path, [ADDRESS])
    assert_no_leak(served, tmp_path, STREET)


def test_address_with_a_cyrillic_look_alike_letter(vault, tmp_path):
    """ "Junіper" with a Cyrillic і (U+0456): it prints exactly as "Juniper"."""
    _messages_case(vault, tmp_path, [("1", "I know you moved to 2417 Jun\u0456per Lane.")])
    _court, served = build_both(vault, tmp_path, [ADDRESS])
    assert_no_leak(served, tmp_path, STREET)


def test_address_written_backwards_under_a_right_to_left_override(vault, tmp_path):
    """In a line with Hebrew in it, U+202E (right-to-left override) makes the binder's
    bidi pass turn "enaL repinuJ 7142" round: it prints as "2417 Juniper Lane"."""
    _messages_case(vault, tmp_path, [("1", "שלום \u202eenaL repinuJ 7142\u202c")])
    _court, served = build_both(vault, tmp_path, [ADDRESS])
    assert_no_leak(served, tmp_path, STREET)
