"""What the user chooses about a binder: courts differ, so these are options."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from reportlab.lib.pagesizes import A4, LETTER


class Paper(StrEnum):
    LETTER = "letter"
    A4 = "a4"

    @property
    def size(self) -> tuple[float, float]:
        return LETTER if self is Paper.LETTER else A4


class LabelStyle(StrEnum):
    NUMBERS = "numbers"
    LETTERS = "letters"


class Corner(StrEnum):
    TOP_RIGHT = "top-right"
    TOP_LEFT = "top-left"
    BOTTOM_RIGHT = "bottom-right"
    BOTTOM_LEFT = "bottom-left"


class Court(StrEnum):
    """The kinds of court a binder can be made for (their rules: ``binder.courts``);
    ANY keeps the user's own settings."""

    ANY = "any"
    CALIFORNIA = "california"
    NEW_YORK = "new-york"
    TEXAS = "texas"
    WASHINGTON = "washington"


@dataclass(frozen=True)
class BinderOptions:
    paper: Paper = Paper.LETTER
    labels: LabelStyle = LabelStyle.NUMBERS
    prefix: str = "Pet. Ex."  # the side's exhibit prefix, e.g. "Resp. Ex."
    bates: str | None = None  # e.g. "SMITH-" → SMITH-000001 on every page
    stamp_corner: Corner = Corner.BOTTOM_RIGHT
    for_service: bool = False  # the copy for the other side: private details removed
    pattern_page: bool = False  # a "Pattern of contact" page after the chronology
    tabs: bool = False  # a dark tab on each divider's edge, stepping down exhibit by exhibit
    exhibit_declarations: bool = False  # a signed declaration after each exhibit too
    pdfa: bool = False  # archival PDF/A-2b, which some courts' e-filing requires
    court: Court = Court.ANY  # a court's rules (binder.courts): links, colour, names …
    #: The copy for the other side only: places of private details the user chose to
    #: leave as they are, by their review keys (see ``binder.review``).
    released: frozenset[str] = frozenset()


def exhibit_label(index: int, style: LabelStyle) -> str:
    """1, 2, 3 … or A, B, …, Z, AA, AB … for the *index*-th exhibit (0-based)."""
    if style is LabelStyle.NUMBERS:
        return str(index + 1)
    label = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        label = chr(ord("A") + remainder) + label
    return label
