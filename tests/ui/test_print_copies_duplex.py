"""Print 3 copies: a separator sheet before each copy, and on a two-sided printer the
blank pages that start every copy on a sheet of its own — read back from the PDF the
printer was sent, page by page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtGui import QPageRanges
from PySide6.QtPrintSupport import QPrinter

from nco_desktop.binder.copies import BuiltCopy
from nco_desktop.binder.options import Paper
from nco_desktop.case.details import save_case_details
from nco_desktop.ui.binder.binder_page import BinderPage
from nco_desktop.ui.binder.binder_printing import prepare_printer
from nco_desktop.ui.common import prompts
from tests.ui.test_binder_page import (
    CASE,
    PRIVATE,
    _seed,
    build,
    difference,
    grey,
    read_pdf,
    render,
    render_built,
)

#: The other side's copy blacks this out of its cover: its separator must not show it.
TITLE = "Doe v. Roe, served at Acme Dental"
SEPARATOR = "separator"
BLANK = "blank"


class SheetPrinter(QPrinter):
    """A real printer as the print dialog hands it back (not "Print to file"), one- or
    two-sided, whose sheets Qt writes to a PDF the test reads back. Without a printer
    installed Qt keeps no duplex setting, so the dialog's choice is answered here."""

    def __init__(self, path: Path, duplex: QPrinter.DuplexMode) -> None:
        super().__init__()
        prepare_printer(self, Paper.LETTER)
        QPrinter.setOutputFormat(self, QPrinter.OutputFormat.PdfFormat)
        self.setOutputFileName(str(path))
        self.setResolution(60)  # small pictures: the test is about pages, not sharpness
        self._duplex = duplex

    def outputFormat(self) -> QPrinter.OutputFormat:
        return QPrinter.OutputFormat.NativeFormat

    def duplex(self) -> QPrinter.DuplexMode:
        return self._duplex


@pytest.fixture
def page(qtbot, vault, session, tmp_path):
    _seed(vault, tmp_path / "evidence")
    save_case_details(vault, {**CASE, "title": TITLE}, PRIVATE)
    widget = BinderPage(session)
    qtbot.addWidget(widget)
    widget.resize(1100, 680)
    widget.session.open(vault)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.session.detach()


def print_three(qtbot, page: BinderPage, printer: QPrinter, *, review: bool = True) -> None:
    page.choose_printer = lambda parent, paper, title: printer
    if review:  # the first print of the other side's copy asks about its hidden places
        prompts.answer_next(frozenset())  # all stay hidden
    assert page.print_three_copies()
    qtbot.waitUntil(lambda: not page.busy, timeout=120_000)
    assert page.build_status.text() == "Sent to the printer."


def words(text: str) -> str:
    """Qt's PDF text as pypdf reads it (tabs between words), as one spaced line."""
    return " ".join(text.split())


def drawn(line: str) -> str:
    """A separator's "Copy 1 of 3 — for the court" as the sheet draws it: the number
    large on one line, whose copy it is below."""
    return line.replace(" — ", " ")


def expected_sequence(
    copies: list[tuple[str, int]], *, duplex: bool
) -> list[tuple[str, str | int]]:
    """The pages the printer should get, written out by hand from the rule: a separator
    before each copy; on two sides, the separator's back left blank and a blank after a
    copy of an odd number of pages, unless it is the last."""
    pages: list[tuple[str, str | int]] = []
    for number, (name, count) in enumerate(copies):
        pages.append((SEPARATOR, name))
        if duplex:
            pages.append((BLANK, ""))
        pages += [(name, index) for index in range(count)]
        if duplex and count % 2 and number < len(copies) - 1:
            pages.append((BLANK, ""))
    return pages


def check_printed(
    out: Path, copies: dict[str, BuiltCopy], expected: list[tuple[str, str | int]], first: int
) -> list[str]:
    """Every printed page is what *expected* says: a separator (its words returned, in
    order), a blank page (no text, nothing drawn), or page *first* + n of that copy."""
    reader = PdfReader(out)
    assert len(reader.pages) == len(expected)
    printed, buffer = read_pdf(out)
    rendered: dict[str, list[list[int]]] = {}

    def pages_of(kind: str) -> list[list[int]]:
        """Every page of that copy as built, rendered here in the test."""
        if kind not in rendered:
            built = copies[kind]
            rendered[kind] = [grey(render_built(built.data, i), 60) for i in range(built.pages)]
        return rendered[kind]

    separators: list[str] = []
    numbers = iter((1, 2, 3))
    try:
        for place, (kind, what) in enumerate(expected):
            text = words(reader.pages[place].extract_text())
            image = grey(render(printed, place), 60)
            if kind == SEPARATOR:
                assert text.startswith(f"Copy {next(numbers)} of 3"), (place, text)
                separators.append(text)
            elif kind == BLANK:
                assert text == "", (place, text)
                assert min(image) == 255, place  # not a mark on it
            else:
                assert text == "", (place, text)  # copy pages go as pictures
                assert isinstance(what, int)
                # Of all the pages the copy may print, the nearest is the one expected.
                built = pages_of(kind)
                nearest = min(range(len(built)), key=lambda i: difference(image, built[i]))
                assert nearest == first + what, (place, kind, what, nearest)
    finally:
        printed.close()
        buffer.close()
    return separators


def test_three_copies_on_a_two_sided_printer_each_start_a_sheet(qtbot, page, tmp_path):
    page.options_form.service_copy.setChecked(True)
    build(qtbot, page)
    built = page.built
    assert built is not None and built.service is not None
    out = tmp_path / "duplex.pdf"
    printer = SheetPrinter(out, QPrinter.DuplexMode.DuplexLongSide)
    # Pages 1–3 of each copy: an odd count, so each copy but the last is followed by
    # a blank page (the whole demo binder has an even number).
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    ranges = QPageRanges()
    ranges.addRange(1, 3)
    printer.setPageRanges(ranges)
    print_three(qtbot, page, printer)

    copies = {"court": built.court, "service": built.service}
    expected = expected_sequence([("court", 3), ("service", 3), ("court", 3)], duplex=True)
    assert [kind for kind, _ in expected].count(BLANK) == 5
    separators = check_printed(out, copies, expected, first=0)
    # Every copy and every separator begins on the front of a sheet.
    for place, (kind, what) in enumerate(expected):
        if kind == SEPARATOR or what == 0:
            assert place % 2 == 0, place

    court_words, service_words, own_words = separators
    assert court_words.startswith(drawn("Copy 1 of 3 — for the court"))
    assert TITLE in court_words and "Case number: 24-DV-01234" in court_words
    assert service_words.startswith(drawn("Copy 2 of 3 — for the other side (redacted)"))
    assert "Case number: 24-DV-01234" in service_words
    assert "Acme" not in service_words and "Elm" not in service_words  # its cover hides them
    assert "█" not in service_words
    assert own_words.startswith(drawn("Copy 3 of 3 — your copy")) and TITLE in own_words


def test_a_whole_binder_on_two_sides_and_on_one(qtbot, page, tmp_path):
    page.options_form.service_copy.setChecked(True)
    build(qtbot, page)
    built = page.built
    assert built is not None and built.service is not None
    court, service = built.court.pages, built.service.pages
    order = [("court", court), ("service", service), ("court", court)]

    two = tmp_path / "two-sided.pdf"
    print_three(qtbot, page, SheetPrinter(two, QPrinter.DuplexMode.DuplexAuto))
    expected = expected_sequence(order, duplex=True)
    assert len(PdfReader(two).pages) == len(expected)
    # Separators where listed, blank pages white, and nothing else with text.
    reader = PdfReader(two)
    printed, buffer = read_pdf(two)
    try:
        for place, (kind, _what) in enumerate(expected):
            text = words(reader.pages[place].extract_text())
            assert (kind == SEPARATOR) == text.startswith("Copy "), (place, text)
            if kind == BLANK:
                assert min(grey(render(printed, place), 60)) == 255, place
    finally:
        printed.close()
        buffer.close()
    separators = [place for place, (kind, _) in enumerate(expected) if kind == SEPARATOR]
    assert all(place % 2 == 0 for place in separators)
    lines = (
        "Copy 1 of 3 — for the court",
        "Copy 2 of 3 — for the other side (redacted)",
        "Copy 3 of 3 — your copy",
    )
    for place, line in zip(separators, lines, strict=True):
        assert words(reader.pages[place].extract_text()).startswith(drawn(line)), place

    one = tmp_path / "one-sided.pdf"
    print_three(qtbot, page, SheetPrinter(one, QPrinter.DuplexMode.DuplexNone), review=False)
    expected = expected_sequence(order, duplex=False)
    assert len(PdfReader(one).pages) == court + service + court + 3  # no blank at all
    reader = PdfReader(one)
    for place, (kind, _what) in enumerate(expected):
        text = words(reader.pages[place].extract_text())
        assert (kind == SEPARATOR) == text.startswith("Copy "), (place, text)
    # The copies follow their separators page for page: the private address tells the
    # court's messages page from the other side's.
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(built.court.data)).pages]
    private = next(i for i, text in enumerate(texts) if "42 Elm Street" in text)
    printed, buffer = read_pdf(one)
    court_page = grey(render_built(built.court.data, private))
    service_page = grey(render_built(built.service.data, private))
    try:
        for start, mine, theirs in (
            (1, court_page, service_page),
            (court + 2, service_page, court_page),
            (court + service + 3, court_page, service_page),
        ):
            shown = grey(render(printed, start + private))
            assert difference(shown, mine) < difference(shown, theirs), start
    finally:
        printed.close()
        buffer.close()


def test_one_copy_prints_no_separator_even_on_two_sides(qtbot, page, tmp_path):
    build(qtbot, page)
    built = page.built
    assert built is not None
    out = tmp_path / "shown.pdf"
    page.choose_printer = lambda parent, paper, title: SheetPrinter(
        out, QPrinter.DuplexMode.DuplexLongSide
    )
    assert page.print_shown()
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    reader = PdfReader(out)
    assert len(reader.pages) == built.court.pages
    assert not any(words(p.extract_text()).startswith("Copy ") for p in reader.pages)
