"""Captions and dividers say what the court needs (issue #19 item 7), read back with pypdf.

A picture's caption names what it is and on what app or device, who it is with, when and
from where that time came; a divider says how and when its evidence was captured and
stored; a declaration never reads "dated undated"; and the copy for service hides a
private detail in all of these as it does everywhere else.
"""

from __future__ import annotations

import io
import re
import shutil
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.exhibits import add_exhibit
from nco_desktop.binder.options import BinderOptions
from nco_desktop.binder.wording import picture_capture, screenshot_app
from nco_desktop.case.entry_parties import name_entry_party
from nco_desktop.evidence.records import EntryKind
from nco_desktop.evidence.store import add_original
from nco_desktop.importers.batch import import_paths
from tests.conftest import write_file
from tests.support.factories import add
from tests.support.pdf_pages import render_page

CASE = {"petitioner": "Jane Doe", "respondent": "John Roe", "case_number": "24-DV-01234"}
SMS = """<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="2">
<sms address="+13125550100" date="1710040500000" type="1" body="Open the door"
 contact_name="Alex Roe" />
<sms address="+13125550100" date="1710126900000" type="2" body="Leave me alone"
 contact_name="Alex Roe" />
</smses>"""
CHAT = (
    "3/9/24, 22:15 - Alex Roe: where are you\n"
    "3/9/24, 22:16 - Sam Doe: stop writing to me\n"
    "4/10/24, 07:02 - Alex Roe: I am outside\n"
)
SCREENSHOT = "Screenshot_20240309-221507_Messages.jpg"
WHATSAPP_SHOT = "Screenshot_20240310_080000_com.whatsapp.png"
SHOTS = Path("/tmp/hb7-shots")


def _picture(kind: str, colour: tuple[int, int, int] = (40, 90, 160)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (360, 720), colour).save(out, kind)
    return out.getvalue()


@pytest.fixture
def case_vault(vault, tmp_path):
    folder = tmp_path / "evidence"
    write_file(folder / SCREENSHOT, _picture("JPEG"))
    write_file(folder / WHATSAPP_SHOT, _picture("PNG"))
    write_file(folder / "sms-20240313.xml", SMS)
    write_file(folder / "WhatsApp Chat with Alex Roe.txt", CHAT)
    options = {"me": "Sam Doe", "date_order": "month-first"}
    summary = import_paths(vault, [folder], thumbnails=False, options=options)
    assert summary.all_ok, summary.headline()
    with vault.change() as change:  # a picture whose time nothing tells
        original, _ = add_original(
            change,
            io.BytesIO(_picture("PNG", (200, 60, 60))),
            name="IMG_1234.PNG",
            media_type="image/png",
            import_source="test",
        )
        undated = add(change, EntryKind.IMAGE, None, original_id=original.id)
    ids = {
        name: entry_id
        for entry_id, name in vault.conn.execute(
            "SELECT e.id, o.original_name FROM entries e JOIN originals o ON o.id = e.original_id "
            "WHERE e.kind = 'image'"
        )
    }
    name_entry_party(
        vault, ids[SCREENSHOT], "Alex Roe +1 312-555-0100", "the screenshot's header shows him"
    )
    by_format: dict[str, list[int]] = {}
    for entry_id, fmt in vault.conn.execute(
        "SELECT e.id, p.format FROM entries e JOIN original_parses p "
        "ON p.original_id = e.original_id WHERE e.kind = 'message' ORDER BY e.occurred_ms"
    ):
        by_format.setdefault(fmt, []).append(entry_id)
    add_exhibit(vault, "Screenshots", "", [ids[SCREENSHOT], ids[WHATSAPP_SHOT]])
    add_exhibit(vault, "Texts from Alex Roe", "", by_format["sms_xml"])
    add_exhibit(vault, "WhatsApp chat with Alex Roe", "", by_format["whatsapp"])
    add_exhibit(vault, "A picture of unknown date", "", [undated])
    vault.set_settings({"case": CASE})
    return vault


def _texts(pdf: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(pdf).pages]


def _page_with(texts: list[str], *words: str) -> int:
    return next(i for i, t in enumerate(texts) if all(w in t for w in words))


def test_captions_and_dividers_say_who_what_app_and_how_captured(case_vault, tmp_path):
    out = tmp_path / "binder.pdf"
    result = build_binder(case_vault, out, BinderOptions(exhibit_declarations=True))
    texts = _texts(out)
    # The caption: what and on what app, who it is with (named by the user, and said so),
    # when and where the time came from, and the file.
    shot = _page_with(texts, "Screenshot of the Messages app on an Android phone")
    assert "With Alex Roe +1 312-555-0100 (named by the user:" in texts[shot]
    assert "Mar 9, 2024, 10:15 PM CST (time from: file name)" in texts[shot]
    assert SCREENSHOT in texts[shot]  # not broken mid-name
    # No one named: the caption says so rather than leaving it to be assumed.
    other = _page_with(texts, "Screenshot of the WhatsApp app on an Android phone")
    assert "person not named" in texts[other] and WHATSAPP_SHOT in texts[other]
    # Dividers: how, on what, when, and when stored.
    first = result.first_pages
    divider = texts[first["1"] - 1]
    assert "Captured:" in divider and "Imported:" in divider
    assert "• 1 screenshot of the Messages app on an Android phone, Mar 9, 2024" in divider
    assert "1 screenshot of the WhatsApp app on an Android phone, Mar 10, 2024" in divider
    assert re.search(r"Into NCO Desktop on \w{3} \d+, \d{4}; the SHA-256", divider)
    sms = texts[first["2"] - 1]
    assert "2 messages from the SMS Backup & Restore export “sms-20240313.xml”" in sms
    assert "Mar 9, 2024 – Mar 10, 2024" in sms
    chat = texts[first["3"] - 1]
    assert "3 messages from the WhatsApp chat export “WhatsApp Chat with Alex Roe.txt”" in chat
    undated = texts[first["4"] - 1]
    assert "Dates: no date known" in undated
    assert "1 picture, no date known" in undated
    assert "Picture · time unknown · IMG_1234.PNG" in texts[first["4"]]
    # Declarations: never "dated undated"; the undated exhibit says so in words.
    whole = " ".join(texts)
    assert "dated undated" not in whole and "undated" not in whole  # the index too
    assert "consists of 1 item (pictures or screenshots) with no date known." in whole
    assert "consists of 2 items (messages) dated Mar 9, 2024 – Mar 10, 2024." in whole


def test_the_service_copy_hides_a_private_detail_in_captions_and_dividers(case_vault, tmp_path):
    case_vault.set_settings({"case": {**CASE, "redactions": ["312-555-0100", "Alex Roe"]}})
    court, served = tmp_path / "court.pdf", tmp_path / "served.pdf"
    build_binder(case_vault, court)
    result = build_binder(case_vault, served, BinderOptions(for_service=True))
    court_text = " ".join(_texts(court))
    assert "Alex Roe +1 312-555-0100" in court_text  # the court's copy names him
    texts = _texts(served)
    whole = " ".join(texts)
    assert "312-555-0100" not in whole and "Alex Roe" not in whole
    assert "5550100" not in whole.replace(" ", "").replace("-", "")
    shot = _page_with(texts, "Screenshot of the Messages app on an Android phone")
    assert "With █" in texts[shot]  # blacked out where the court's copy names him
    chat = texts[result.first_pages["3"] - 1]
    assert "WhatsApp chat export" in chat and "█" in chat  # the file name's name hidden


def test_capture_words_take_only_what_name_and_camera_say():
    assert screenshot_app("Screenshot_20240309-221507_Messages.jpg") == "Messages"
    assert screenshot_app("Screenshot_2024-03-09-22-15-07-123_com.whatsapp.jpg") == "WhatsApp"
    assert screenshot_app("Screenshot_20240309-221507_a1b2c3d4e5.png") == ""  # a hash
    assert screenshot_app("Screenshot_20240309-221507.png") == ""
    assert picture_capture("IMG_1234.PNG", {}).words() == "Picture"
    assert picture_capture(
        "x.jpg", {"camera_make": "Apple", "camera_model": "iPhone 12"}
    ).words() == ("Photo taken with Apple iPhone 12")
    assert picture_capture("Screenshot 2024-03-09 at 10.15.07 PM.png", {}).words() == (
        "Screenshot on a Mac"
    )
    assert picture_capture("IMG-20240309-WA0001.jpg", {}).words() == "Picture saved from WhatsApp"


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs poppler's pdftoppm")
def test_picture_page_and_divider_render(case_vault, tmp_path):
    """Rendered to /tmp/hb7-shots for a person to look at; the test checks they render."""
    out = tmp_path / "binder.pdf"
    result = build_binder(case_vault, out)
    texts = _texts(out)
    SHOTS.mkdir(exist_ok=True)
    shot = _page_with(texts, "Screenshot of the Messages app")
    for name, page in (("divider", result.first_pages["1"]), ("picture", shot + 1)):
        target = tmp_path / name
        target.mkdir()
        rendered = render_page(out, page, 70, target / name)
        with Image.open(rendered) as image:
            assert image.size[0] > 500 and image.getextrema() != ((255, 255),) * 3
        shutil.copy(rendered, SHOTS / f"{name}.png")
