"""Which separator sheets and blank pages a print of several copies sends, and what a
separator says: on a two-sided printer every copy starts on a sheet of its own, and the
other side's separator never shows what its redacted copy hides."""

from __future__ import annotations

import pytest

from nco_desktop.binder.print_sheets import (
    NOTE,
    Blank,
    CopyPage,
    PrintedPage,
    Role,
    Separator,
    print_sequence,
    separator_words,
)

CASE = {
    "title": "Doe v. Roe",
    "case_number": "24-DV-01234",
    "petitioner": "Jane Doe",
    "respondent": "John Roe",
    "court": "Superior Court of California, County of Alameda",
}


def pages(count: int) -> list[int]:
    return list(range(count))


def shape(sequence: list[PrintedPage]) -> str:
    """S for a separator, B for a blank, a digit for a page of that copy (0-based)."""
    return "".join(
        "S" if isinstance(page, Separator) else "B" if isinstance(page, Blank) else str(page.copy)
        for page in sequence
    )


def sheets(sequence: list[PrintedPage]) -> list[str]:
    """The sequence cut into two-sided sheets: front and back."""
    text = shape(sequence)
    return [text[at : at + 2] for at in range(0, len(text), 2)]


def test_one_sided_printing_adds_separators_and_no_blanks():
    sequence = print_sequence([pages(5), pages(4), pages(5)], separators=True, duplex=False)
    assert shape(sequence) == "S00000S1111S22222"
    assert not any(isinstance(page, Blank) for page in sequence)
    # Each copy's own pages, in order.
    for copy, count in enumerate((5, 4, 5)):
        got = [p.index for p in sequence if isinstance(p, CopyPage) and p.copy == copy]
        assert got == pages(count)


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        # Odd copies: a blank after the separator and after each copy but the last.
        ((5, 5, 5), "SB00000BSB11111BSB22222"),
        # Even copies need no blank after them, only on the separator's back.
        ((4, 4, 4), "SB0000SB1111SB2222"),
        ((5, 4, 5), "SB00000BSB1111SB22222"),
        ((1, 2, 1), "SB0BSB11SB2"),
    ],
)
def test_two_sided_printing_starts_every_copy_and_separator_on_a_front(counts, expected):
    sequence = print_sequence([pages(c) for c in counts], separators=True, duplex=True)
    assert shape(sequence) == expected
    # Each separator and each copy's first page is a front (an even place); a sheet
    # never carries two copies, nor a separator and a copy's page.
    for place, page in enumerate(sequence):
        starts = isinstance(page, Separator) or (isinstance(page, CopyPage) and page.index == 0)
        assert not starts or place % 2 == 0, (place, page)
    for sheet in sheets(sequence):
        assert len({c for c in sheet if c != "B"}) <= 1, sheet
    assert not isinstance(sequence[-1], Blank)  # nothing follows the last page


def test_two_sided_without_separators_blanks_only_between_odd_copies():
    sequence = print_sequence([pages(3), pages(3), pages(2)], separators=False, duplex=True)
    assert shape(sequence) == "000B111B22"
    assert shape(print_sequence([pages(3)], separators=False, duplex=True)) == "000"


def test_a_copy_with_no_pages_in_the_range_gets_no_separator():
    sequence = print_sequence([[2, 3, 4], [], [2, 3, 4]], separators=True, duplex=True)
    assert shape(sequence) == "SB000BSB222"
    assert [p.index for p in sequence if isinstance(p, CopyPage)] == [2, 3, 4, 2, 3, 4]
    assert print_sequence([[], []], separators=True, duplex=True) == []


def test_separator_words_for_each_copy():
    court = separator_words(Role.COURT, 1, 3, CASE)
    other = separator_words(Role.OTHER_SIDE, 2, 3, CASE, redacted=True, private=["Elm"])
    yours = separator_words(Role.YOURS, 3, 3, CASE)
    assert court.line == "Copy 1 of 3 — for the court"
    assert other.line == "Copy 2 of 3 — for the other side (redacted)"
    assert yours.line == "Copy 3 of 3 — your copy"
    for words in (court, other, yours):
        assert words.case_lines == ("Doe v. Roe", "Case number: 24-DV-01234")
        assert words.note == NOTE
    # The court's copy handed to the other side is not called redacted.
    unredacted = separator_words(Role.OTHER_SIDE, 2, 3, CASE)
    assert unredacted.line == "Copy 2 of 3 — for the other side"


def test_case_name_falls_back_to_the_parties_and_unset_fields_are_left_out():
    parties = {**CASE, "title": "", "case_number": "  "}
    assert separator_words(Role.COURT, 1, 3, parties).case_lines == ("Jane Doe v. John Roe",)
    assert separator_words(Role.COURT, 1, 3, {"petitioner": "Jane Doe"}).case_lines == ()
    assert separator_words(Role.YOURS, 3, 3, {}).case_lines == ()


def test_the_other_sides_separator_leaves_out_a_line_its_copy_blacks_out():
    case = {**CASE, "title": "Doe (42 Elm Street) v. Roe"}
    private = ["42 Elm Street", "Acme Dental"]
    other = separator_words(Role.OTHER_SIDE, 2, 3, case, redacted=True, private=private)
    assert other.case_lines == ("Case number: 24-DV-01234",)
    assert not any("Elm" in text for text in (other.heading, other.purpose, other.note))
    # The court's copies show the cover as it is.
    court = separator_words(Role.COURT, 1, 3, case, private=private)
    assert court.case_lines == ("Doe (42 Elm Street) v. Roe", "Case number: 24-DV-01234")
    # A variant the redaction matches (the number written differently) is left out too.
    numbered = {**CASE, "case_number": "call 312 555 0142"}
    phone = separator_words(
        Role.OTHER_SIDE, 2, 3, numbered, redacted=True, private=["(312) 555-0142"]
    )
    assert phone.case_lines == ("Doe v. Roe",)
