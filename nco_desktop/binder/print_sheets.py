"""What a print of several copies sends, page by page: separator sheets, the copies'
pages, and the blank pages a two-sided printer needs between them.

"Print 3 copies" sends the court's copy, the other side's and the user's as one job. On
a two-sided (duplex) printer a copy with an odd number of pages would end on the front
of a sheet, and the next copy would begin on its back: the user could not hand the
copies out without cutting paper. So every copy here starts on the front of a sheet of
its own, and each is preceded by a plain separator sheet that says whose copy follows
(the user is under stress, and a judge's copy handed to the other side, or the other
way round, is a mistake that cannot be undone).

On a duplex printer the separator's back is left blank as well, so the separator can be
taken off without taking the cover of the copy with it.

This module is pure logic and words, without Qt, so it can be tested on its own; the
print job (``nco_desktop.ui.binder.binder_printing``) draws what it lists. The sheets
are drawn for the printer only and never written to a file.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum

from nco_desktop.binder.redaction import Redactor


class Role(Enum):
    """Who a printed copy is for."""

    COURT = "court"
    OTHER_SIDE = "other side"
    YOURS = "you"


@dataclass(frozen=True)
class Separator:
    """The separator sheet before copy number *copy* (0-based, in the job)."""

    copy: int


@dataclass(frozen=True)
class Blank:
    """A page left empty, so that what follows starts on the front of a new sheet."""


@dataclass(frozen=True)
class CopyPage:
    """Page *index* (0-based) of copy number *copy* (0-based, in the job)."""

    copy: int
    index: int


PrintedPage = Separator | Blank | CopyPage


def print_sequence(
    copies: Sequence[Sequence[int]], *, separators: bool, duplex: bool
) -> list[PrintedPage]:
    """Every page the printer is sent, in order, for *copies* (each the 0-based pages to
    print of one copy, in order).

    With *separators*, each copy is preceded by its separator sheet. With *duplex*,
    each copy and each separator starts on the front of a sheet: a blank page is added
    wherever the pages so far are odd in number. A copy with no pages to print (a page
    range past its end) gets no separator either. Nothing blank is sent last: nothing
    follows it.
    """
    sent: list[PrintedPage] = []

    def to_front() -> None:
        if duplex and len(sent) % 2:
            sent.append(Blank())

    for number, pages in enumerate(copies):
        if not pages:
            continue
        if separators:
            to_front()
            sent.append(Separator(number))
        to_front()
        sent.extend(CopyPage(number, index) for index in pages)
    return sent


# ----- the separator's words --------------------------------------------------------------

_PURPOSE = {
    Role.COURT: "for the court",
    Role.OTHER_SIDE: "for the other side",
    Role.YOURS: "your copy",
}
NOTE = "This sheet only separates the copies. It is not part of the binder."


@dataclass(frozen=True)
class SeparatorWords:
    """What one separator sheet says, in the order it is drawn."""

    heading: str  # "Copy 2 of 3"
    purpose: str  # "for the other side (redacted)"
    case_lines: tuple[str, ...]  # the case's name and number, as that copy's cover shows
    note: str = NOTE

    @property
    def line(self) -> str:
        """The heading and purpose as one line: "Copy 1 of 3 — for the court"."""
        return f"{self.heading} — {self.purpose}"


def separator_words(
    role: Role,
    number: int,
    total: int,
    case: Mapping[str, str],
    *,
    redacted: bool = False,
    private: Sequence[str] = (),
) -> SeparatorWords:
    """The words of the separator before copy *number* (1-based) of *total*.

    *case* holds the cover's fields; the case's name (its title, else "Petitioner v.
    Respondent") and its number are shown when set. On a *redacted* copy's separator
    (the other side's), a line in which any of the *private* details appears is left
    out altogether, whatever the review released: a separator shows at most what that
    copy's cover shows, and never what it blacks out.
    """
    purpose = _PURPOSE[role]
    if role is Role.OTHER_SIDE and redacted:
        purpose += " (redacted)"
    lines = [line for line in _case_lines(case) if not (redacted and _hides(private, line))]
    return SeparatorWords(f"Copy {number} of {total}", purpose, tuple(lines))


def _case_lines(case: Mapping[str, str]) -> list[str]:
    """The case's name and number, from the cover's fields, where the user set them."""
    title = " ".join(str(case.get("title") or "").split())
    petitioner = " ".join(str(case.get("petitioner") or "").split())
    respondent = " ".join(str(case.get("respondent") or "").split())
    number = " ".join(str(case.get("case_number") or "").split())
    lines = []
    if title:
        lines.append(title)
    elif petitioner and respondent:
        lines.append(f"{petitioner} v. {respondent}")
    if number:
        lines.append(f"Case number: {number}")
    return lines


def _hides(private: Sequence[str], line: str) -> bool:
    """Whether the copy for the other side would black out any part of *line*."""
    redactor = Redactor(tuple(private))
    return redactor.apply(line) != unicodedata.normalize("NFC", line)
