"""The copy for the other side: private details truly removed, photo locations stripped."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.options import BinderOptions
from nco_desktop.binder.redaction import Redactor, strip_jpeg_metadata
from nco_desktop.importers.batch import import_paths
from tests.conftest import write_file
from tests.support.pdf_pages import jpeg_streams, read_page

PRIVATE = ["42 Elm Street", "+1 555 010 4242", "Acme Dental"]
LEAKS = ["elm street", "010-4242", "010 4242", "0104242", "acme dental"]


def _gps_jpeg() -> bytes:
    exif = Image.Exif()
    exif[0x9003] = "2024:03:12 22:15:30"
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (41.0, 52.0, 30.0), "W", (87.0, 37.0, 45.0)
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (40, 160, 40)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _report() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.drawString(72, 700, "Incident report, page 1: the respondent followed the victim.")
    canvas.showPage()
    canvas.drawString(72, 700, "Page 2: victim's home address 42 Elm Street, apartment 3.")
    canvas.showPage()
    canvas.drawString(72, 700, "Page 3: officer's conclusion.")
    canvas.showPage()
    canvas.save()
    return out.getvalue()


@pytest.fixture
def private_vault(vault, tmp_path):
    folder = tmp_path / "in"
    write_file(
        folder / "sms.xml",
        """<smses count="2">
<sms address="+15550100199" date="1710300930000" type="1"
 body="I know you live at 42 elm street. I'll call you on (555) 010-4242" contact_name="John" />
<sms address="+15550100199" date="1710301030000" type="2" body="Stop. I work at Acme Dental."
 contact_name="John" />
</smses>""",
    )
    write_file(folder / "Screenshot_20240312-221530.jpg", _gps_jpeg())
    write_file(folder / "report.pdf", _report())
    assert import_paths(vault, [folder], thumbnails=False).all_ok
    vault.set_settings({"case": {"petitioner": "Jane Doe", "redactions": PRIVATE}})
    return vault


def _all_text(path):
    reader = PdfReader(path)
    pages = [page.extract_text() for page in reader.pages]
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    return pages, "\n".join(pages + titles).lower()


def test_service_copy_removes_private_details_and_locations(private_vault, tmp_path):
    court, service = tmp_path / "court.pdf", tmp_path / "service.pdf"
    build_binder(private_vault, court)
    build_binder(private_vault, service, BinderOptions(for_service=True))
    _, court_text = _all_text(court)
    assert "elm street" in court_text and "acme dental" in court_text  # the judge's copy
    pages, service_text = _all_text(service)
    for leak in LEAKS:
        assert leak not in service_text, leak
    assert "\u2588" in service_text  # removed text is visibly marked, not silently gone
    assert "copy for service" in pages[0].lower()
    # The report's pages are pictures of themselves, the address painted out of the one
    # naming it: its words stay readable, and nothing of its text is left as text.
    court_pages = PdfReader(court).pages
    first = next(
        n
        for n, p in enumerate(court_pages, 1)
        if "report, page 1" in p.extract_text()
        and "DOE" not in p.extract_text()
        and "Chronology" not in p.extract_text()
    )
    assert "Incident report" not in PdfReader(service).pages[first - 1].extract_text()
    assert "incident report, page 1" in read_page(service, first, tmp_path / "seen")
    named = read_page(service, first + 1, tmp_path / "seen")
    assert "home address" in named and "partment 3" in named and "elm" not in named
    assert "officer's conclusion" in read_page(service, first + 2, tmp_path / "seen")
    # Photo location data: in the court copy the JPEG is the same bytes (EXIF and all);
    # in the service copy every JPEG stream is without EXIF.
    assert any(b"Exif" in s for s in jpeg_streams(court))
    assert jpeg_streams(service) and not any(b"Exif" in s for s in jpeg_streams(service))


def test_phone_numbers_are_matched_however_they_are_written():
    redactor = Redactor(("+1 (555) 010-4242",))
    for written in ("5550104242", "555.010.4242", "(555) 010-4242", "+1 555 010 4242"):
        assert "4242" not in redactor.apply(f"call me on {written} tonight"), written
    assert Redactor(("Acme Dental",)).apply("ACME   dental, suite 2") == "█" * 13 + ", suite 2"


def test_stripping_keeps_the_picture_data():
    original = _gps_jpeg()
    stripped = strip_jpeg_metadata(original)
    assert b"Exif" not in stripped and len(stripped) < len(original)
    assert stripped[stripped.index(b"\xff\xda") :] == original[original.index(b"\xff\xda") :]
    with Image.open(io.BytesIO(stripped)) as image:
        assert image.size == (320, 200) and not image.getexif()


@pytest.mark.parametrize(
    ("term", "written"),
    [
        ("+1 555 010 4242", "555\u2011010\u20114242"),  # non-breaking hyphens
        ("+1 555 010 4242", "555\u2013010\u20134242"),  # en dashes
        ("Zo\u00eb", "Zoe\u0308"),  # decomposed accent from iOS/macOS
        ("Acme Dental", "ACME-DENTAL"),
        ("42 Elm Street", "42_Elm_Street_front_door.jpg"),
        ("GB33 BUKB 2020 1555 5555 55", "GB33BUKB20201555555555"),
        ("Cell 555-010-9999", "call (555) 010 9999 now"),
    ],
)
def test_private_details_are_found_however_they_are_written(term, written):
    redacted = Redactor((term,)).apply(f"see {written} here")
    for piece in ("4242", "Zo", "ACME", "Elm", "BUKB", "9999"):
        if piece.lower() in written.lower():
            assert piece.lower() not in redacted.lower(), (term, written, redacted)


def test_merged_pdfs_lose_comments_scans_and_photo_metadata(vault, tmp_path):
    from pypdf import PdfWriter
    from pypdf.annotations import Text
    from reportlab.lib.utils import ImageReader

    out = io.BytesIO()
    canvas = Canvas(out, invariant=1)
    canvas.drawString(72, 700, "Report page 1: plain narrative.")
    canvas.showPage()
    canvas.drawImage(ImageReader(io.BytesIO(_gps_jpeg())), 72, 300, 320, 200)  # a "scan"
    canvas.showPage()
    canvas.drawString(72, 700, "Page 3: photo of the damaged car.")
    canvas.drawImage(ImageReader(io.BytesIO(_gps_jpeg())), 72, 300, 320, 200)
    canvas.showPage()
    canvas.save()
    writer = PdfWriter(clone_from=io.BytesIO(out.getvalue()))
    writer.add_annotation(0, Text(rect=(50, 50, 80, 80), text="Tenant lives at 42 Elm Street"))
    report = io.BytesIO()
    writer.write(report)
    write_file(tmp_path / "in" / "report.pdf", report.getvalue())
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    vault.set_settings({"case": {"redactions": PRIVATE}})
    service = tmp_path / "service.pdf"
    build_binder(vault, service, BinderOptions(for_service=True))
    reader = PdfReader(service)
    texts = [page.extract_text() for page in reader.pages]
    first = next(n for n, t in enumerate(texts, 1) if "Pet. Ex. 1 — p. 2 of" in t)
    # Each page is now only its pixels: its words are seen, and nothing else is there.
    assert "report page 1: plain narrative" in read_page(service, first, tmp_path / "seen")
    assert "photo of the damaged car" in read_page(service, first + 2, tmp_path / "seen")
    assert not any("Page withheld" in t for t in texts)  # the scan has no words to hide
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            assert "Elm" not in str(annotation.get_object().get("/Contents", ""))
    assert not any(b"Exif" in s for s in jpeg_streams(service))


def test_the_two_copies_correspond_page_for_page(private_vault, tmp_path):
    """Issue #15: the same pages, and the same Bates number and exhibit stamp on the
    same content, in the court's copy and the other side's (a withheld page has its
    notice in its place; redacted lines break where the court's do)."""
    import re

    from nco_desktop.binder.options import BinderOptions

    long_text = " ".join(["Will and Will met Will, Will and Will at Acme Dental."] * 60)
    write_file(
        tmp_path / "more" / "sms-2.xml",
        f"""<smses count="1"><sms address="+15550100199" date="1710309930000" type="1"
 body="{long_text}" contact_name="John" /></smses>""",
    )
    import_paths(private_vault, [tmp_path / "more"], thumbnails=False)
    private_vault.set_settings(
        {"case": {"petitioner": "Jane Doe", "redactions": [*PRIVATE, "Will"]}}
    )
    court, served = tmp_path / "court.pdf", tmp_path / "served.pdf"
    build_binder(private_vault, court, BinderOptions(bates="DOE-"))
    build_binder(private_vault, served, BinderOptions(bates="DOE-", for_service=True))
    court_pages, served_pages = PdfReader(court).pages, PdfReader(served).pages
    assert len(court_pages) == len(served_pages)
    stamp = re.compile(r"DOE-\d{6}|Pet\. Ex\. \S+ — p\. \d+ of \d+")
    for number, (a, b) in enumerate(zip(court_pages, served_pages, strict=True), start=1):
        assert stamp.findall(a.extract_text()) == stamp.findall(b.extract_text()), number
