"""Leaks the copy for the other side must not have (issue #15).

Colour profiles carry free text (a description, a copyright: a phone's model, a name),
so the copy has none (channel 5): a JPEG's APP2 profile is dropped, and an imported
PDF's ICC colour spaces become device ones; the court's copy keeps the pictures as they
were. An address kerned apart or letter-spaced in an imported page is still found
(channels 3 and 7). Every stream of the copy is searched, decompressed."""

from __future__ import annotations

import contextlib
import io

import pikepdf
from PIL import Image

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.options import BinderOptions
from nco_desktop.importers.batch import import_paths
from tests.conftest import write_file

SECRET = b"JANE-PROFILE-SECRET"


def photo_with_profile() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (300, 200), (180, 40, 40)).save(
        out, "JPEG", quality=85, icc_profile=b"\x00" * 40 + SECRET + b"\x00" * 40
    )
    return out.getvalue()


def pdf_with_profile() -> bytes:
    """A page with text of its own and a picture in an ICC colour space whose profile
    stream holds the secret."""
    pdf = pikepdf.new()
    profile = pdf.make_stream(b"\x00" * 40 + SECRET + b"\x00" * 40, N=3)
    image = pdf.make_stream(
        bytes([200, 30, 30]) * 64,
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=8,
        Height=8,
        BitsPerComponent=8,
        ColorSpace=pikepdf.Array([pikepdf.Name.ICCBased, profile]),
    )
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    content = (
        b"BT /F1 12 Tf 72 700 Td (Officer's report, page 1) Tj ET q 100 0 0 100 72 500 cm /Im1 Do Q"
    )
    page = pikepdf.Dictionary(
        Type=pikepdf.Name.Page,
        MediaBox=[0, 0, 612, 792],
        Resources=pikepdf.Dictionary(
            XObject=pikepdf.Dictionary(Im1=image), Font=pikepdf.Dictionary(F1=font)
        ),
        Contents=pdf.make_stream(content),
    )
    pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def every_stream(data: bytes) -> bytes:
    """All of a PDF's bytes and every stream decompressed, to search."""
    found = [data]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                found.append(obj.read_raw_bytes())
                with contextlib.suppress(pikepdf.PdfError):  # a JPEG: its raw bytes hold it
                    found.append(obj.read_bytes())
    return b"\n".join(found)


def test_the_copy_for_the_other_side_has_no_colour_profile_text(vault, tmp_path):
    write_file(tmp_path / "in" / "IMG_0001.jpg", photo_with_profile())
    write_file(tmp_path / "in" / "report.pdf", pdf_with_profile())
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    court, served = io.BytesIO(), io.BytesIO()
    build_binder(vault, court)
    build_binder(vault, served, BinderOptions(for_service=True))
    assert SECRET in every_stream(court.getvalue())  # the court's copy is as it was
    served_bytes = every_stream(served.getvalue())
    assert SECRET not in served_bytes
    assert b"ICCBased" not in served_bytes


def text_pages(*contents: bytes) -> bytes:
    """A PDF of one page per content stream, with Helvetica as /F1."""
    pdf = pikepdf.new()
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    for content in contents:
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, 612, 792],
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
            Contents=pdf.make_stream(content),
        )
        pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def report_with_spaced_address() -> bytes:
    """Three pages of a report: the address kerned apart with TJ offsets, letter-spaced
    with Tc, and a page that does not name it."""
    return text_pages(
        b"BT /F1 12 Tf 72 700 Td [(Victim lives at 2417 Jun) -40 (iper L) -30 (n.)] TJ ET",
        b"BT /F1 12 Tf 72 700 Td 4 Tc (Juniper Lane) Tj ET",
        b"BT /F1 12 Tf 72 700 Td (Nothing private on this page.) Tj ET",
    )


def test_an_address_kerned_or_letter_spaced_in_an_imported_page_is_found(vault, tmp_path):
    """Issue #15, channels 3 and 7: the address is painted out of the page's pixels,
    however its letters were spaced; the rest of each page stays readable."""
    from pypdf import PdfReader

    from tests.support.pdf_pages import read_page

    write_file(tmp_path / "in" / "report.pdf", report_with_spaced_address())
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    vault.set_settings({"case": {"redactions": ["2417 Juniper Lane, Springfield"]}})
    served = tmp_path / "served.pdf"
    result = build_binder(vault, served, BinderOptions(for_service=True))
    texts = [" ".join(page.extract_text().split()) for page in PdfReader(served).pages]
    first = next(n for n, t in enumerate(texts, 1) if "Pet. Ex. 1 — p. 2 of" in t)
    seen = [read_page(served, first + n, tmp_path / "seen") for n in range(3)]
    assert "victim lives" in seen[0] and "nothing private on this page" in seen[2]
    for page in seen:
        assert "juniper" not in page and "2417" not in page and "iper" not in page, page
    assert not any("withheld" in t for t in texts)
    assert {f.where for f in result.findings} >= {
        "Pet. Ex. 1 · report.pdf, page 1",
        "Pet. Ex. 1 · report.pdf, page 2",
    }


def test_a_page_drawing_an_inline_picture_is_withheld_whole(vault, tmp_path):
    """Channel 2: an inline image's bytes cannot be cleaned of what they carry (here a
    comment after the pixels, as scanners write), so its page is withheld."""
    pixels = bytes([90]) * 64
    scan = text_pages(
        b"BT /F1 12 Tf 72 700 Td (Scanned statement) Tj ET q 100 0 0 100 72 500 cm "
        b"BI /W 8 /H 8 /CS /G /BPC 8 ID " + pixels + b"\n% " + SECRET + b"\nEI Q"
    )
    write_file(tmp_path / "in" / "scan.pdf", scan)
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    served = io.BytesIO()
    build_binder(vault, served, BinderOptions(for_service=True))
    assert SECRET not in every_stream(served.getvalue())


def test_an_address_read_in_a_screenshot_is_painted_out_of_its_copy(vault, tmp_path):
    """The Done-means line of issue #15: the OCR-found address in a screenshot is
    painted out of the copy for the other side, in its pixels; the court's copy and the
    original keep it."""
    from pypdf import PdfReader

    from nco_desktop.ocr import queue, tesseract
    from tests.unit.ocr.test_ocr_queue import screenshot

    write_file(
        tmp_path / "in" / "Screenshot_20240312-221530.png",
        screenshot(["I know you moved", "to 2417 Juniper Lane", "see you soon"], size=(900, 400)),
    )
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    with queue.new_pool(1) as pool:
        queue.read_pending(vault, pool)
    vault.set_settings({"case": {"redactions": ["2417 Juniper Lane, Springfield"]}})

    def picture_words(data: bytes) -> str:
        (image,) = [img.image for page in PdfReader(io.BytesIO(data)).pages for img in page.images]
        return " ".join(w.text for w in tesseract.read_words(image.convert("RGB")))

    court, served = io.BytesIO(), io.BytesIO()
    build_binder(vault, court)
    build_binder(vault, served, BinderOptions(for_service=True))
    tesseract.prepare()
    assert "Juniper" in picture_words(court.getvalue())
    words = picture_words(served.getvalue())
    assert "Juniper" not in words and "2417" not in words and "Lane" not in words
    assert "moved" in words and "soon" in words  # only the address is painted out


def test_a_filled_in_form_value_is_on_the_other_sides_page_too(vault, tmp_path):
    """The court's copy draws each annotation's appearance (a form's filled-in values);
    the other side's drawn page shows it as well, so the two pages say the same."""
    from pypdf import PdfReader

    from tests.support.pdf_pages import read_page

    pdf = pikepdf.open(io.BytesIO(text_pages(b"BT /F1 14 Tf 72 700 Td (Incident form) Tj ET")))
    font = pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
    )
    look = pdf.make_stream(
        b"BT /F1 16 Tf 4 8 Td (Badge 4471 Quinn) Tj ET",
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Form,
        BBox=[0, 0, 260, 30],
        Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
    )
    field = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            FT=pikepdf.Name.Tx,
            T=pikepdf.String("officer"),
            V=pikepdf.String("Badge 4471 Quinn"),
            Rect=[72, 600, 332, 630],
            AP=pikepdf.Dictionary(N=look),
        )
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([field]))
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))
    out = io.BytesIO()
    pdf.save(out)
    write_file(tmp_path / "in" / "form.pdf", out.getvalue())
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    court, served = tmp_path / "court.pdf", tmp_path / "served.pdf"
    build_binder(vault, court)
    build_binder(vault, served, BinderOptions(for_service=True))
    texts = [page.extract_text() for page in PdfReader(served).pages]
    number = next(n for n, t in enumerate(texts, 1) if "Pet. Ex. 1 — p. 2 of" in t)
    assert "badge 4471 quinn" in read_page(court, number, tmp_path / "court")
    assert "badge 4471 quinn" in read_page(served, number, tmp_path / "served")
