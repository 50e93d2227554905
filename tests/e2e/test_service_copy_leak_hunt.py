"""The leak hunt of issue #15's "Done means": one case carrying the user's private
details through every channel that once leaked, then the copy for the other side and
its recordings searched as an attacker would.

Channels put in: text drawn as vector outlines, an inline JPEG scan with GPS, partial
and abbreviated addresses, kerned and letter-spaced text, a page's XMP, /PieceInfo and
/Thumb, the document's /Info and an attached file, a JPEG's ICC profile and XMP, a PNG's
text chunks, a screenshot showing the address, file names (captions, divider lists,
the integrity appendix), an exhibit's title (bookmarks), an incident's summary and
place (incident log, chronology), a recording's name and tags.

Searched: every object and every stream decompressed, the document's and every
object's metadata, outlines, annotations, attachments, font names, every image's
metadata and decoded pixels' bytes, the text a PDF reader extracts, and what a person
reads on every page (drawn by pdftoppm, read by Tesseract). Then the two copies are
compared page by page.
"""

from __future__ import annotations

import io
import os
import re
import struct
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest
from PIL import Image, PngImagePlugin
from pypdf import PdfReader

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.exhibits import create_exhibit
from nco_desktop.binder.options import BinderOptions
from nco_desktop.binder.recordings import export_service_recordings
from nco_desktop.case.incidents import NewIncident, add_incident
from nco_desktop.importers.batch import import_paths
from nco_desktop.timeline.query import iter_entries
from tests.conftest import write_file
from tests.e2e.test_service_copy_hunt import _pages_with_pictures
from tests.e2e.test_service_copy_leaks import every_stream, text_pages
from tests.e2e.test_service_recordings import tagged_wav
from tests.support.pdf_pages import read_page
from tests.unit.ocr.test_ocr_queue import screenshot

ADDRESS = "2417 Juniper Lane, Springfield"
EMAIL = "jane.doe.safe@example.org"
PHONE = "+1 555 010 4242"
CHILD = "Will"
PRIVATE = [ADDRESS, EMAIL, PHONE, CHILD]
#: What must not be found anywhere, as bytes (metadata, names) or read as text.
WORDS = ("juniper", "springfield", "jane.doe.safe", "010-4242", "0104242", "010 4242")
RAW = (b"Juniper", b"JUNIPER", b"juniper", b"Springfield", b"jane.doe.safe", b"0104242")
GPS_MARK = b"GPS"


def _gps_exif() -> bytes:
    exif = Image.Exif()
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (41.0, 52.0, 30.0), "W", (87.0, 37.0, 45.0)
    exif[0x010E] = "Front door, 2417 Juniper Lane"  # ImageDescription
    return exif.tobytes()


def _photo() -> bytes:
    """A JPEG with GPS, a description, an ICC profile and XMP all naming the address."""
    out = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">2417 Juniper Lane, Springfield</x:xmpmeta>'
    Image.new("RGB", (400, 300), (150, 90, 40)).save(
        out,
        "JPEG",
        exif=_gps_exif(),
        icc_profile=b"\x00" * 40 + b"Juniper Lane profile" + b"\x00" * 40,
        xmp=xmp,
    )
    return out.getvalue()


def _tagged_screenshot() -> bytes:
    """A screenshot showing the address and e-mail, with PNG text chunks naming them."""
    drawn = screenshot(
        ["We know you moved", "to 2417 Juniper Ln", "write jane.doe.safe@example.org"],
        size=(900, 320),
    )
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "2417 Juniper Lane, Springfield")
    info.add_itxt("Description", "jane.doe.safe@example.org")
    out = io.BytesIO()
    with Image.open(io.BytesIO(drawn)) as image:
        image.save(out, "PNG", pnginfo=info)
    return out.getvalue()


#: Drawn by Qt in a child process (a QApplication made in this one would be the plain
#: kind the window tests then inherit): words as vector outlines, no text objects.
OUTLINES = """
import sys
from PySide6.QtCore import QPointF
from PySide6.QtGui import (QColor, QFont, QGuiApplication, QPageSize, QPainter,
                           QPainterPath, QPdfWriter)
app = QGuiApplication([])
writer = QPdfWriter(sys.argv[1])
writer.setPageSize(QPageSize(QPageSize.PageSizeId.Letter))
writer.setResolution(300)
painter = QPainter(writer)
path = QPainterPath()
font = QFont("DejaVu Sans", 14)
path.addText(QPointF(150, 400), font, "Tenant of record: 2417 Juniper Lane")
path.addText(QPointF(150, 600), font, "The lease was signed in May.")
painter.fillPath(path, QColor(0, 0, 0))
painter.end()
"""


def _outlined_page(folder: Path) -> bytes:
    """A one-page PDF whose only words are vector outlines (no text objects at all)."""
    out = folder / "outlined.pdf"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run([sys.executable, "-c", OUTLINES, str(out)], check=True, env=env, timeout=120)
    return out.read_bytes()


def _inline_scan_content() -> bytes:
    """An inline JPEG (carrying GPS and the address in its EXIF) drawn on a page."""
    out = io.BytesIO()
    Image.new("L", (64, 48), 200).save(out, "JPEG", exif=_gps_exif())
    jpeg = out.getvalue()
    return (
        b"BT /F1 12 Tf 72 700 Td (Scanned statement of the witness) Tj ET "
        b"q 128 0 0 96 72 500 cm BI /W 64 /H 48 /CS /G /BPC 8 /F /DCT ID " + jpeg + b" EI Q"
    )


def _report(folder: Path) -> bytes:
    """A report of four pages, private details in each in a different way, with page
    XMP, /PieceInfo, a /Thumb, document /Info and an attached file naming them."""
    pdf = pikepdf.open(
        io.BytesIO(
            text_pages(
                b"BT /F1 12 Tf 72 700 Td [(Victim lives at 2417 Jun) -40 (iper L) -30 (n.)] TJ ET",
                b"BT /F1 12 Tf 72 700 Td 4 Tc (Juniper Lane) Tj ET "
                b"BT /F1 12 Tf 72 650 Td 0 Tc (Call 555-010-4242 or jane.doe.safe@example.org) "
                b"Tj ET",
                _inline_scan_content(),
            )
        )
    )
    with pikepdf.open(io.BytesIO(_outlined_page(folder))) as outlined:
        pdf.pages.extend(outlined.pages)
    secret = b"2417 Juniper Lane, Springfield jane.doe.safe@example.org"
    first = pdf.pages[0]
    first.obj.Metadata = pdf.make_stream(b"<x:xmpmeta>" + secret + b"</x:xmpmeta>")
    first.obj.PieceInfo = pikepdf.Dictionary(
        App=pikepdf.Dictionary(Private=pikepdf.String(secret.decode()))
    )
    first.obj.Thumb = pdf.make_stream(
        bytes([10]) * 48, Width=4, Height=4, BitsPerComponent=8, ColorSpace=pikepdf.Name.DeviceRGB
    )
    pdf.docinfo["/Author"] = pikepdf.String(secret.decode())
    pdf.attachments["juniper-lane.txt"] = pikepdf.AttachedFileSpec(pdf, secret)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@pytest.fixture
def hunted(vault, tmp_path):
    folder = tmp_path / "in"
    write_file(
        folder / "sms.xml",
        """<smses count="3">
<sms address="+15550100199" date="1710300930000" type="1"
 contact_name="John"
 body="I know you moved to 2417 Juniper Ln. I will find you. Willow Park at 5." />
<sms address="+15550100199" date="1710301030000" type="1"
 contact_name="John" body="Will's school lets out at 3. Juniper Lane is a short walk." />
<sms address="+15550100199" date="1710302030000" type="2"
 contact_name="John"
 body="Stop. Write to me at jane.doe.safe@example.org or (555) 010-4242 only." />
</smses>""",
    )
    write_file(folder / "IMG_2417_Juniper_Lane.jpg", _photo())
    write_file(folder / "Screenshot_20240313-080000.png", _tagged_screenshot())
    write_file(folder / "police-report-juniper-lane.pdf", _report(tmp_path))
    write_file(folder / "Jane at 2417 Juniper Lane.wav", tagged_wav())
    summary = import_paths(vault, [folder], thumbnails=False)
    assert summary.all_ok, summary.headline()
    ids = [entry.id for entry in iter_entries(vault.conn)]
    create_exhibit(vault, "Messages and photos near 2417 Juniper Lane", "At Juniper Ln.", ids)
    add_incident(
        vault,
        NewIncident(
            1710300900000,
            location="2417 Juniper Ln, Springfield",
            summary="Followed me home to Juniper Lane",
            what_happened="He waited outside 2417 Juniper Lane and called 555 010 4242.",
        ),
        ids[:1],
    )
    vault.set_settings({"case": {"petitioner": "Jane Doe", "redactions": PRIVATE}})
    return vault


def _search_objects(data: bytes) -> list[str]:
    """Every place in the PDF's objects a private detail or location is, by name."""
    found = []
    raw = every_stream(data)
    found += [f"bytes: {word!r}" for word in RAW if word in raw]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        if pdf.attachments:
            found.append("an attached file")
        info = " ".join(str(value) for value in pdf.docinfo.values()).lower()
        if "/Metadata" in pdf.Root or any(word in info for word in WORDS):
            found.append("document metadata")
        for number, page in enumerate(pdf.pages, 1):
            for key in ("/Thumb", "/PieceInfo", "/Metadata", "/Annots"):
                if key in page.obj and key != "/Annots":
                    found.append(f"page {number}: {key}")
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") != "/Link":
                    found.append(f"page {number}: a {annotation.get('/Subtype')} annotation")
        for obj in pdf.objects:  # reachable or not, inside forms or not
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image":
                found += _image_leaks(obj)
            font = isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
            if font and any(w in str(obj.get("/BaseFont", "")).lower() for w in WORDS):
                found.append(f"font {obj.get('/BaseFont')}")
    return found


def _image_leaks(image: pikepdf.Stream) -> list[str]:
    found = []
    if "/Metadata" in image or "/ICCBased" in str(image.get("/ColorSpace")):
        found.append(f"image {image.objgen}: metadata or profile")
    decoded = pikepdf.PdfImage(image).as_pil_image()
    if decoded.info.get("exif") or decoded.info.get("icc_profile") or decoded.info.get("xmp"):
        found.append(f"image {image.objgen}: EXIF, XMP or ICC")
    if any(word in decoded.tobytes() for word in RAW):
        found.append(f"image {image.objgen}: the details in its pixels' bytes")
    return found


def _digits_leak(text: str) -> bool:
    return any("0104242" in re.sub(r"\D", "", line) for line in text.splitlines())


def test_nothing_private_leaves_in_the_copy_for_the_other_side(hunted, tmp_path):
    court, served = tmp_path / "court.pdf", tmp_path / "served.pdf"
    build_binder(hunted, court, BinderOptions(bates="DOE-"))
    result = build_binder(hunted, served, BinderOptions(bates="DOE-", for_service=True))
    assert _search_objects(court.read_bytes())  # the court's copy holds them: a fair hunt
    assert _search_objects(served.read_bytes()) == []
    reader = PdfReader(served)
    texts = [page.extract_text() for page in reader.pages]
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    extracted = "\n".join(texts + titles)
    lowered = extracted.lower()
    assert [w for w in WORDS if w in lowered] == [] and not _digits_leak(extracted)
    assert "Will's school" not in extracted and "I will find you" in extracted
    assert "Willow Park" in " ".join(extracted.split())  # may wrap between the words
    # What a person reads on each page, pixels and all (outlines, scans, screenshots):
    # not the details, but the words around them.
    # Pages the binder drew itself have their words as text (searched above); the rest.
    numbers = _pages_with_pictures(served)
    seen = [read_page(served, n, tmp_path / "seen", dpi=150) for n in numbers]
    for number, page in zip(numbers, seen, strict=True):
        assert [w for w in WORDS if w in page] == [], (number, page)
        assert "will's school" not in page and not _digits_leak(page), number
    for words in ("know you moved", "victim lives", "the lease was signed in may"):
        assert any(words in page for page in seen), words  # screenshot, kerned, outlined
    # Page for page, the same Bates number and exhibit stamp on the same content.
    court_texts = [page.extract_text() for page in PdfReader(court).pages]
    assert len(court_texts) == len(texts)
    stamp = re.compile(r"DOE-\d{6}|Pet\. Ex\. \S+ — p\. \d+ of \d+")
    for number, (a, b) in enumerate(zip(court_texts, texts, strict=True), start=1):
        assert stamp.findall(a) == stamp.findall(b), number
    assert {f.kind for f in result.findings} >= {"text", "picture"}


def test_the_recordings_for_the_other_side_carry_nothing_private(hunted, tmp_path):
    pytest.importorskip("av", reason="the voicemail extra (PyAV) is not installed")
    (tmp_path / "out").mkdir()
    served = export_service_recordings(hunted, tmp_path / "out" / "b.pdf", BinderOptions())
    assert served.written and served.left_out == []
    for path in served.written:
        assert not any(w in path.name.lower() for w in WORDS), path.name
        data = path.read_bytes()
        assert not any(word in data for word in (*RAW, b"Jane")), path.name
        assert data[:4] == b"RIFF" and struct.unpack("<I", data[4:8])[0] == len(data) - 8
