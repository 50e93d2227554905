"""The copy for the other side, attacked through this round's new words (review, #19).

Captions now name the device and the user's reason for naming a person, and the file's
own title carries the case number: each was a way round the redactor.
"""

from __future__ import annotations

import io

import pikepdf
from PIL import Image
from pypdf import PdfReader

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.exhibits import add_exhibit
from nco_desktop.binder.options import BinderOptions
from nco_desktop.case.details import save_case_details
from nco_desktop.case.entry_parties import name_entry_party
from nco_desktop.importers.batch import import_paths
from tests.conftest import write_file

PRIVATE = ["Marisol Quintero", "(312) 555-0199", "QUINTERO"]


def _photo() -> bytes:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "Google", "Pixel 7 Pro"
    exif[0x0132] = "2024:03:09 22:15:07"
    out = io.BytesIO()
    Image.new("RGB", (300, 400), (10, 120, 60)).save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def _text(pdf: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())


def test_the_new_words_keep_private_details_out_of_the_other_sides_copy(vault, tmp_path):
    import_paths(vault, [write_file(tmp_path / "in" / "IMG_0001.jpg", _photo())])
    (entry,) = [r[0] for r in vault.conn.execute("SELECT id FROM entries")]
    # The user's reason, with the private number just where a caption cuts it short.
    reason = "y" * 98 + " his number (312) 555-0199 shows in the corner"
    name_entry_party(vault, entry, "Alex Roe", reason)
    add_exhibit(vault, "Photo", "", [entry])
    save_case_details(vault, {"case_number": "24-DV-QUINTERO"}, PRIVATE)
    court, service = io.BytesIO(), io.BytesIO()
    build_binder(vault, court, BinderOptions(pdfa=True))
    build_binder(vault, service, BinderOptions(pdfa=True, for_service=True))
    court_text, service_text = _text(court.getvalue()), _text(service.getvalue())
    assert "Pixel 7 Pro" in court_text and "Pixel" not in service_text  # metadata removed
    digits = "".join(ch for ch in service_text if ch.isdigit())
    assert "3125550" not in digits and "555-01" not in service_text  # not half of it either
    with pikepdf.open(io.BytesIO(service.getvalue())) as pdf:
        assert "QUINTERO" not in str(pdf.docinfo.get("/Title", ""))
        assert b"QUINTERO" not in pdf.Root.Metadata.read_bytes()
    with pikepdf.open(io.BytesIO(court.getvalue())) as pdf:
        assert "QUINTERO" in str(pdf.docinfo.get("/Title", ""))  # the court's copy is whole


def test_a_prefix_holding_a_private_detail_is_pointed_out(vault, tmp_path, capsys, monkeypatch):
    """The exhibit and Bates prefixes print on every page of both copies (Bates numbers
    must match), so the redactor cannot hide them: the build says so (review, #19)."""
    from nco_desktop.binder.copies import marks_naming_private
    from nco_desktop.binder.saved_options import BinderChoices
    from nco_desktop.cli import main
    from tests.conftest import PASSPHRASE

    save_case_details(vault, {}, PRIVATE)
    choices = BinderChoices(options=BinderOptions(bates="QUINTERO-"), service_copy=True)
    warning = marks_naming_private(vault, choices)
    assert warning is not None and "Bates prefix" in warning
    plain = BinderChoices(options=BinderOptions(bates="DOE-"), service_copy=True)
    assert marks_naming_private(vault, plain) is None
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "b.pdf"
    args = ["binder", "--vault", str(vault.path), "--out", str(out), "--redact-for-service"]
    assert main([*args, "--bates", "QUINTERO-"]) == 0
    assert "Bates prefix holds a private detail" in capsys.readouterr().err
