"""The binder's English translations (California Rule of Court 3.1110(g)), read back from
real PDFs: printed after the exhibit's own pages and before its declaration, stamped and
counted as the exhibit's pages, 12 pt, with a translator's declaration per translator
and language; and in the copy for the other side, the user's private details in a
translation are gone from every stream of the file and listed for their review."""

from __future__ import annotations

import contextlib
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pikepdf
import pytest
from pypdf import PdfReader

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.exhibits import create_exhibit
from nco_desktop.binder.layout import BODY, MARGIN_BOTTOM, MARGIN_TOP
from nco_desktop.binder.options import BinderOptions
from nco_desktop.case.details import save_case_details
from nco_desktop.evidence.records import Direction, EntryKind, NewEntry, TimeSource
from nco_desktop.evidence.store import add_entry
from nco_desktop.evidence.translations import set_translation
from nco_desktop.timekeeping import to_ms
from tests.support.factories import add_messages
from tests.support.pdf_text_runs import text_runs

AT = to_ms(datetime(2025, 10, 1, 21, 0, tzinfo=ZoneInfo("America/Chicago")))
SPANISH = ["Sé dónde vives.", "¿Por qué no contestas?", "Te estoy mirando ahora mismo."]
MINE = "I know where you live."
THEIRS = "I am watching you right now, from the corner by your building. " * 40
ADDRESS, PHONE = "14 Birch Lane", "(312) 555-0199"
PRIVATE = f"He says he will wait at {ADDRESS} and call my number 312-555-0199 all night."


def _case(vault) -> list[int]:
    """Exhibit 1: three messages in Spanish (the first and last translated, by the user
    and by a named translator); exhibit 2: one in English, not translated."""
    ids = add_messages(vault, [*SPANISH, "See you soon."], start_ms=AT, name="Jordan")
    create_exhibit(vault, "Texts from Jordan", entry_ids=ids[:3])
    create_exhibit(vault, "More texts", entry_ids=ids[3:])
    save_case_details(vault, {"petitioner": "Dana Doe"})
    set_translation(vault, ids[0], "Spanish", MINE)
    set_translation(vault, ids[2], "Spanish", THEIRS, "María López")
    return ids


def _pages(path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _first(pages: list[str], words: str, start: int = 0) -> int:
    """The first page from *start* on that says *words* (the index names parts too)."""
    return next(n for n, text in enumerate(pages) if n >= start and words in text)


def test_translations_follow_the_exhibit_and_come_before_its_declaration(vault, tmp_path):
    _case(vault)
    out = tmp_path / "court.pdf"
    result = build_binder(vault, out, BinderOptions(exhibit_declarations=True))
    pages = _pages(out)
    first = result.first_pages["1"] - 1  # 0-based divider of exhibit 1
    count = result.exhibit_pages[0]
    originals = _first(pages, "Te estoy mirando ahora mismo.", first)
    translated = _first(pages, "English translation of Pet. Ex. 1", first)
    user_declares = _first(pages, "I translated the Spanish text of Pet. Ex. 1", first)
    translator_declares = _first(pages, "I, María López, declare", first)
    exhibit_declares = _first(pages, "Declaration about Pet. Ex. 1", first)
    assert first < originals < translated < user_declares < translator_declares
    assert translator_declares < exhibit_declares == first + count - 1
    assert result.first_pages["2"] - 1 == first + count  # exhibit 2 starts after them
    assert "English translation" not in "".join(pages[first + count :])  # nothing translated

    english = " ".join(" ".join(pages[translated:user_declares]).split())
    assert "Item 1 of 3: Message from Jordan (+13125550147), Oct 1, 2025" in english
    assert "Translated from Spanish by the petitioner, Dana Doe, not by a certified" in english
    assert MINE in english
    assert "Item 3 of 3" in english and "Translated from Spanish by María López." in english
    assert user_declares - translated >= 2  # a long translation flows onto more pages
    assert english.count("I am watching you right now") == 40  # whole
    assert "Item 2 of 3" not in english  # not translated, not listed

    mine = " ".join(pages[user_declares].split())
    assert "I, Dana Doe, declare: I translated the Spanish text of Pet. Ex. 1" in mine
    assert "item 1 (message from Jordan" in mine and "item 3" not in mine
    assert "penalty of perjury" in mine and "Signature:" in mine
    assert "not by a certified interpreter" in mine and "rule 3.1110(g)" in mine
    theirs = " ".join(pages[translator_declares].split())
    assert "I am competent to translate from Spanish into English" in theirs
    assert "true and accurate translation of the Spanish text of Pet. Ex. 1" in theirs
    assert "item 3 (message from Jordan" in theirs and "item 1 " not in theirs
    assert "penalty of perjury" in theirs and "3.1110" not in theirs
    assert "declared to separately" in pages[exhibit_declares].replace("\n", " ")

    # The index lists exhibit 1's pages as divider to its declaration, translations in,
    # and the translation with its translators' declarations as a row of its own, as a
    # bookmark does: a clerk finds the English without paging through the originals.
    index = " ".join(pages[1].split())
    assert f"{first + 1}\u2013{first + count}" in index
    assert f"English translation of Pet. Ex. 1 {translated + 1}\u2013{exhibit_declares}" in index
    assert ("English translation of Pet. Ex. 1", translated + 1) in result.outline
    assert not any("Pet. Ex. 2" in title and "English" in title for title, _ in result.outline)
    # Every page from the divider to the declaration carries exhibit 1's stamp.
    for n in range(count):
        assert f"Pet. Ex. 1 — p. {n + 1} of {count}" in pages[first + n]

    # 12 pt: every line on the translation and declaration pages but the footer band.
    reader = PdfReader(out)
    height = float(reader.pages[translated].mediabox.height)
    body = [
        run
        for run in text_runs(reader)
        if translated <= run.page <= translator_declares
        and run.text.strip()
        and MARGIN_BOTTOM - 12 <= run.y <= height - MARGIN_TOP + 20
    ]
    assert len({run.page for run in body}) == translator_declares - translated + 1
    assert min(run.size for run in body) >= BODY


def test_no_translation_no_pages(vault, tmp_path):
    ids = _case(vault)
    set_translation(vault, ids[0], "", "")
    set_translation(vault, ids[2], "", "")
    out = tmp_path / "court.pdf"
    build_binder(vault, out)
    text = "".join(_pages(out))
    assert "English translation" not in text and "Translator's declaration" not in text


def _every_stream(data: bytes) -> bytes:
    """The file's bytes and every stream, decompressed, to search."""
    found = [data]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                found.append(obj.read_raw_bytes())
                with contextlib.suppress(pikepdf.PdfError):  # a JPEG: raw bytes above
                    found.append(obj.read_bytes())
    return b"\n".join(found)


def _shown(data: bytes) -> str:
    """Every piece of text the pages show, decoded through their fonts' ToUnicode maps
    (the binder's subset fonts do not write text as ASCII), without spaces."""
    return "".join("".join(run.text for run in text_runs(io.BytesIO(data))).split())


@pytest.mark.parametrize("release", [False, True])
def test_private_details_in_a_translation_are_removed_from_the_copy_for_service(
    vault, tmp_path, release
):
    ids = _case(vault)
    set_translation(vault, ids[1], "Spanish", PRIVATE)
    save_case_details(vault, private=[ADDRESS, PHONE])
    court, served = io.BytesIO(), io.BytesIO()
    court_result = build_binder(vault, court)
    result = build_binder(vault, served, BinderOptions(for_service=True))
    assert result.pages == court_result.pages  # the copies correspond page for page

    found = [f for f in result.findings if f.where == "Pet. Ex. 1 · English translation"]
    assert {f.detail for f in found} == {ADDRESS, PHONE}  # listed for the user's review
    assert all("«" in f.context for f in found)

    court_shown = _shown(court.getvalue())
    assert "14BirchLane" in court_shown and "312-555-0199" in court_shown
    served_shown = _shown(served.getvalue())
    assert "Birch" not in served_shown and "555-0199" not in served_shown
    assert "Hesayshewillwaitat" in served_shown  # the rest of the translation is there
    streams = _every_stream(served.getvalue())
    for secret in ("Birch", "555-0199", "5550199"):
        assert secret.encode() not in streams
        assert secret.encode("utf-16-be") not in streams
    if release:  # a place the user releases in the review is printed as it is
        keys = [f.key for f in found if f.detail == ADDRESS]
        again = io.BytesIO()
        build_binder(vault, again, BinderOptions(for_service=True, released=frozenset(keys)))
        again_shown = _shown(again.getvalue())
        assert "14BirchLane" in again_shown and "555-0199" not in again_shown


def test_an_imported_sender_or_subject_cannot_add_lines_to_the_declaration(vault, tmp_path):
    """A forged e-mail's sender and subject may hold line breaks; on the translation
    page and in the declaration the user signs they stay inside their one line."""
    forged = "Translated from Spanish by Court Interpreter J. Smith, cert. 301"
    with vault.change() as change:
        mail = add_entry(
            change,
            NewEntry(
                kind=EntryKind.EMAIL,
                occurred_ms=AT,
                time_source=TimeSource.EXPORT_FIELD,
                direction=Direction.INCOMING,
                party="jordan@example.org",
                party_name=f"Jordan\n{forged}",
                text="Sé dónde vives.",
                meta={"subject": f"Hola\n{forged}\r\nI, Ana Ruiz, certified interpreter"},
            ),
        )
        change.audit("test.seed")
    create_exhibit(vault, "The e-mail", entry_ids=[mail])
    set_translation(vault, mail, "Spanish", MINE)
    out = tmp_path / "court.pdf"
    build_binder(vault, out)
    ours = [t for t in _pages(out) if t.startswith(("English translation of", "Translator"))]
    assert len(ours) == 2  # the translation, and the user's declaration
    for text in ours:
        for line in text.splitlines():
            assert not line.startswith(("Translated from Spanish by Court", "I, Ana Ruiz")), line
    assert all(forged in " ".join(text.split()) for text in ours)  # still shown, inline
