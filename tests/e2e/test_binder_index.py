"""The exhibit index read back (#19 item 8): each exhibit's page range, the binder's
other parts with their pages, every row a link to its first page, a link back to the
index on every divider, and long file names broken at their separators."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from pypdf.generic import RectangleObject

from nco_desktop.binder import fonts
from nco_desktop.binder.assemble import BinderResult, build_binder
from nco_desktop.binder.exhibits import create_exhibit
from nco_desktop.binder.layout import BODY, _hard_wrap
from nco_desktop.binder.options import BinderOptions, Corner, Paper
from nco_desktop.case.incidents import IncidentCategory, NewIncident, add_incident
from nco_desktop.case.people import IdentifierKind, NewPerson, Role, add_person
from nco_desktop.evidence.records import Direction, EntryKind, NewEntry, TimeSource
from nco_desktop.evidence.store import add_entry
from nco_desktop.timekeeping import to_ms
from tests.support.pdf_pages import render_page

START = to_ms(datetime(2025, 10, 1, 9, 0, tzinfo=ZoneInfo("America/Chicago")))
LONG_NAME = "Screenshot_20251001-090000_com.whatsapp_conversation_with_Jordan_export.jpg"
SHOTS = Path("/tmp/hb8-shots")


def _case(vault, *, singles: int, incidents: bool):
    """A long exhibit (many pages), one titled with a long file name, *singles* more of
    one message each; a restrained person (for the pattern page), incidents if asked."""
    with vault.change() as change:
        ids = [
            add_entry(
                change,
                NewEntry(
                    kind=EntryKind.MESSAGE,
                    occurred_ms=START + minutes * 3_600_000,
                    time_source=TimeSource.EXPORT_FIELD,
                    direction=Direction.INCOMING,
                    party="+13125550147",
                    party_key="tel:+13125550147",
                    party_name="Jordan",
                    text=f"Message number {minutes}: I am outside again, answer me.",
                ),
            )
            for minutes in range(90 + singles)
        ]
        change.audit("test.seed")
    create_exhibit(vault, "Texts from Jordan", entry_ids=ids[:80])
    create_exhibit(vault, LONG_NAME, entry_ids=ids[80:90])
    for number in range(singles):
        create_exhibit(vault, f"Single message {number + 1}", entry_ids=[ids[90 + number]])
    add_person(
        vault, NewPerson(Role.RESTRAINED, "Jordan", ((IdentifierKind.PHONE, "+13125550147"),))
    )
    if incidents:
        add_incident(
            vault,
            NewIncident(
                occurred_ms=START,
                summary="Waited outside my work",
                category=IncidentCategory.FOLLOWING,
            ),
            ids[:2],
        )
    return vault


def _build(vault, tmp_path: Path, name: str, **options) -> tuple[Path, BinderResult]:
    out = tmp_path / f"{name}.pdf"
    return out, build_binder(vault, out, BinderOptions(**options))


def _target(reader: PdfReader, annotation) -> int:
    destination = annotation["/Dest"] if "/Dest" in annotation else annotation["/A"]["/D"]
    return reader.get_page_number(destination[0].get_object())


def _fragments(page) -> list[tuple[float, float, str]]:
    """Every drawn string on *page* with where it starts (x, y)."""
    found: list[tuple[float, float, str]] = []

    def visit(text, cm, tm, font, size):
        text = " ".join(text.split())
        if text:
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            found.append((x, y, text))

    page.extract_text(visitor_text=visit)
    return found


def _links(reader: PdfReader, pages: range) -> list[tuple[str, int, list[str]]]:
    """The link annotations on *pages*, top to bottom: (row text, target page index,
    the strings drawn inside the link's rectangle)."""
    links = []
    for index in pages:
        page = reader.pages[index]
        fragments = _fragments(page)
        placed = []
        for annotation in page.get("/Annots", []):
            annotation = annotation.get_object()
            if annotation.get("/Subtype") != "/Link":
                continue
            left, bottom, right, top = RectangleObject(annotation["/Rect"])
            inside = [
                text for x, y, text in fragments if left - 1 <= x <= right and bottom <= y <= top
            ]
            placed.append((index, -float(top), " ".join(inside), _target(reader, annotation)))
        placed.sort()
        links += [(text, target, text.split()) for _, _, text, target in placed]
    return links


def _outline(reader: PdfReader) -> dict[str, int]:
    return {item.title: reader.get_destination_page_number(item) for item in reader.outline}


def _exhibit_ranges(result: BinderResult) -> list[tuple[str, int, int]]:
    labels = sorted(result.first_pages, key=result.first_pages.get)
    return [
        (label, result.first_pages[label], result.first_pages[label] + count - 1)
        for label, count in zip(labels, result.exhibit_pages, strict=True)
    ]


def _check_binder(out: Path, result: BinderResult, *, declarations: bool) -> list[str]:
    """Everything the index promises, read back; returns the pages' texts."""
    reader = PdfReader(out)
    texts = [page.extract_text() for page in reader.pages]
    count = len(texts)
    for number, text in enumerate(texts, start=1):  # printed numbers = page labels
        assert f"Page {number} of {count}" in text
        assert reader.page_labels[number - 1] == str(number)
    outline = _outline(reader)
    index_pages = range(outline["Exhibit index"], outline["Chronology"])
    links = _links(reader, index_pages)
    exhibits = _exhibit_ranges(result)
    assert len(links) >= len(exhibits)
    # Exhibit rows, in order: the range printed is the exhibit's real pages, and the
    # stamps on its first and last page agree; the row links to its divider.
    for (text, target, _), (label, first, last) in zip(links, exhibits, strict=False):
        pages = last - first + 1
        assert text.startswith(label + " "), text
        assert text.endswith(f"{first}\u2013{last}"), text
        assert target == first - 1
        assert "EXHIBIT " + label in texts[first - 1]
        assert f"Pet. Ex. {label} — p. 1 of {pages}" in texts[first - 1]
        assert f"Pet. Ex. {label} — p. {pages} of {pages}" in texts[last - 1]
        if last < count:
            assert f"Pet. Ex. {label} — p." not in texts[last]
    # The other parts, in binder order, each linking to its own first page.
    others = links[len(exhibits) :]
    expected = [("Chronology", outline["Chronology"])]
    for part in ("Pattern of contact", "Incident log"):
        if part in outline:
            expected.append((part, outline[part]))
    if declarations:
        for label, _, last in exhibits:
            expected.append((f"Declaration about Pet. Ex. {label}", last - 1))
    expected += [
        ("Integrity appendix", outline["Integrity appendix"]),
        ("Declaration", outline["Declaration"]),
    ]
    assert [(t.rsplit(" ", 1)[0], target) for t, target, _ in others] == expected
    for title, target in expected:
        assert title in texts[target]
        if title.startswith("Declaration about"):
            assert "penalty of perjury" in texts[target]
    # Each divider links back to the index's first page, from the printed words.
    for _, first, _ in exhibits:
        (back,) = _links(reader, range(first - 1, first))
        assert back[0] == "\u2191 Exhibit index: page 2", back  # said on paper too
        assert back[1] == outline["Exhibit index"]
    return texts


@pytest.fixture
def small_case(vault):
    return _case(vault, singles=2, incidents=True)


@pytest.mark.parametrize(("pattern", "declarations"), [(True, True), (False, False), (True, False)])
def test_index_ranges_parts_and_links(small_case, tmp_path, pattern, declarations):
    out, result = _build(
        small_case,
        tmp_path,
        "small",
        pattern_page=pattern,
        exhibit_declarations=declarations,
    )
    reader = PdfReader(out)
    outline = _outline(reader)
    assert ("Pattern of contact" in outline) is pattern
    assert "Incident log" in outline
    assert max(result.exhibit_pages) > 3  # a long exhibit: its range spans pages
    _check_binder(out, result, declarations=declarations)
    if pattern and declarations and shutil.which("pdftoppm") is not None:  # to look at
        SHOTS.mkdir(parents=True, exist_ok=True)
        page = outline["Exhibit index"] + 1
        shutil.copy(render_page(out, page, 70, tmp_path / "i"), SHOTS / "index-small.png")


def test_a_long_index_runs_onto_more_pages_and_stays_consistent(vault, tmp_path):
    case = _case(vault, singles=46, incidents=False)
    out, result = _build(case, tmp_path, "long", paper=Paper.A4, stamp_corner=Corner.TOP_LEFT)
    reader = PdfReader(out)
    outline = _outline(reader)
    assert "Incident log" not in outline and "Pattern of contact" not in outline
    assert outline["Chronology"] - outline["Exhibit index"] >= 2  # two index pages
    texts = _check_binder(out, result, declarations=False)
    # Every index link sits on an index page; the second page repeats the header.
    assert "Pages" in texts[outline["Exhibit index"] + 1]
    if shutil.which("pdftoppm") is not None:  # for looking at, not asserting
        SHOTS.mkdir(parents=True, exist_ok=True)
        for page in range(outline["Exhibit index"] + 1, outline["Chronology"] + 1):
            shutil.copy(
                render_page(out, page, 70, tmp_path / f"i{page}"), SHOTS / f"index-{page}.png"
            )
        first = result.first_pages["1"]
        shutil.copy(render_page(out, first, 70, tmp_path / "d"), SHOTS / "divider.png")


def test_a_long_file_name_in_the_index_breaks_at_its_separators(small_case, tmp_path):
    out, result = _build(small_case, tmp_path, "names")
    reader = PdfReader(out)
    outline = _outline(reader)
    (row,) = [
        fragments
        for _, target, fragments in _links(
            reader, range(outline["Exhibit index"], outline["Chronology"])
        )
        if target == result.first_pages["2"] - 1
    ]
    start = next(n for n, piece in enumerate(row) if piece.startswith("Screenshot_"))
    pieces, joined = [], ""
    for piece in row[start:]:
        if joined == LONG_NAME:
            break
        pieces.append(piece)
        joined += piece
    assert joined == LONG_NAME and len(pieces) >= 3, row  # wrapped in the Title column
    for piece in pieces[:-1]:
        assert piece[-1] in "_-.", pieces  # never mid-token


def test_hard_wrap_prefers_separators_and_still_breaks_a_long_token():
    fonts.register()
    width = 120.0
    pieces = _hard_wrap(LONG_NAME, fonts.REGULAR, BODY, width)
    assert "".join(pieces) == LONG_NAME
    assert all(fonts.width(p, fonts.REGULAR, BODY) <= width for p in pieces)
    assert all(p[-1] in "_-." for p in pieces[:-1]), pieces
    # A token with no separator is cut where the line is full; a hash stays one line.
    token = "x" * 80
    cut = _hard_wrap(token, fonts.REGULAR, BODY, width)
    assert "".join(cut) == token and len(cut) > 1
    assert all(fonts.width(p, fonts.REGULAR, BODY) <= width for p in cut)
    digest = "0123456789abcdef" * 4
    assert _hard_wrap(digest, fonts.MONO, 10, 450) == [digest]
    # A separator too early to keep a useful line is not taken.
    early = "ab_" + "y" * 60
    assert _hard_wrap(early, fonts.REGULAR, BODY, width)[0] != "ab_"


def test_a_cover_on_two_pages_moves_the_page_the_dividers_name(small_case, tmp_path):
    """The dividers say which page the index is on; a cover that runs onto a second
    page (a very long court name) moves the index, and the words and links follow."""
    from nco_desktop.case.details import CASE_FIELDS, MAX_FIELD_CHARS, save_case_details

    long = ("Superior Court of the State, County Division " * 9)[:MAX_FIELD_CHARS]
    save_case_details(small_case, {name: long for name in CASE_FIELDS if "date" not in name})
    out, result = _build(small_case, tmp_path, "long-cover")
    reader = PdfReader(out)
    index = _outline(reader)["Exhibit index"]
    assert index == 2  # 0-based: the cover took two pages
    for first in result.first_pages.values():
        (back,) = _links(reader, range(first - 1, first))
        assert back[0] == "\u2191 Exhibit index: page 3" and back[1] == index
