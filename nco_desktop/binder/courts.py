"""Court profiles: one choice that sets paper, limits and format the way a court asks.

A user filing alone does not know that New York's e-filing wants PDF/A under 100 MB
with nothing clickable, or that Texas's portal refuses a file name over 50 characters.
They know which court they are going to. Each profile here turns that one choice into
the binder's settings, and says in plain words what it set, so the window and the CLI
can show it before anything is built.

What a profile fixes (paper, PDF/A, the largest file) is applied to the user's choices
by :func:`apply_court`, in the window and the CLI alike, so a saved choice can never
contradict its court. What has no choice of its own (no links, no colour, a clear top
on the first page, short file names, searchable text) is read from :func:`rules_for`
where the binder is drawn and saved.

The figures are from the courts' published rules as we read them (California Rules of
Court 2.100–2.119 and 3.1110; New York's NYSCEF and 22 NYCRR 202.5-b; Texas's TRCP 21
and the eFile Texas technology standards; Washington GR 14 and GR 30). Rules change and
local rules add to them: every profile's words tell the user to check with the clerk.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reportlab.lib.units import inch

from nco_desktop.binder.options import Corner, Court, Paper

if TYPE_CHECKING:
    from nco_desktop.binder.saved_options import BinderChoices


@dataclass(frozen=True)
class CourtRules:
    """What one kind of court asks of a binder."""

    name: str  # as the window lists it
    paper: Paper | None = None  # None: the user chooses
    pdfa: bool = False  # archival PDF/A-2b required
    max_file_mb: float | None = None  # the largest file its e-filing takes
    links: bool = True  # clickable links (annotations) allowed
    colour: bool = True  # colour in what the binder draws (evidence pictures keep theirs)
    first_page_top: float | None = None  # points kept blank at the top of a first page
    searchable: bool = False  # every page's text must be searchable
    max_name_chars: int | None = None  # the longest file name its e-filing takes
    printed_sets: int = 1  # printed sets brought to the hearing
    #: What the profile does, a line each, for the window and the CLI.
    says: tuple[str, ...] = ()


_CHECK = "Local rules can ask for more: check with the clerk's office."

RULES: dict[Court, CourtRules] = {
    Court.ANY: CourtRules(name="None: my own settings"),
    Court.CALIFORNIA: CourtRules(
        name="California hearing",
        paper=Paper.LETTER,
        searchable=True,
        printed_sets=3,
        says=(
            "US Letter, with a bookmark for each exhibit.",
            "Bring 3 printed sets: the court's, the other side's and yours "
            "(Print 3 copies… prints them with a sheet naming each).",
            "Text-searchable: pictures and scans the computer has not read yet are named.",
        ),
    ),
    Court.NEW_YORK: CourtRules(
        name="New York (NYSCEF e-filing)",
        paper=Paper.LETTER,
        pdfa=True,
        max_file_mb=100.0,
        links=False,
        says=(
            "US Letter, archival PDF/A.",
            "Files of at most 100 MB: a larger binder is saved in volumes.",
            "No links or other annotations: the bookmarks still lead to each exhibit.",
        ),
    ),
    Court.TEXAS: CourtRules(
        name="Texas (eFile Texas)",
        paper=Paper.LETTER,
        max_file_mb=32.0,
        searchable=True,
        max_name_chars=50,
        says=(
            "US Letter, text-searchable, not locked and with no files embedded (recordings "
            "are copied beside the binder, never inside it).",
            "Files of at most 32 MB: a larger binder is saved in volumes.",
            "File names of at most 50 characters.",
        ),
    ),
    Court.WASHINGTON: CourtRules(
        name="Washington",
        paper=Paper.LETTER,
        first_page_top=3 * inch,
        colour=False,
        says=(
            "US Letter, with the top 3 inches of the cover and of each exhibit's divider "
            "left blank for the clerk (the exhibit stamp goes at the foot of the page).",
            "No colour highlighting: what the binder draws is in black and grey (pictures "
            "of evidence keep their colours).",
        ),
    ),
}


_AT_THE_FOOT = {Corner.TOP_LEFT: Corner.BOTTOM_LEFT, Corner.TOP_RIGHT: Corner.BOTTOM_RIGHT}


def rules_for(court: Court) -> CourtRules:
    return RULES[court]


def court_words(court: Court) -> list[str]:
    """What choosing *court* sets, in words; nothing for ANY."""
    rules = RULES[court]
    return [*rules.says, _CHECK] if court is not Court.ANY else []


def apply_court(choices: BinderChoices) -> BinderChoices:
    """*choices* with what their court fixes: its paper, PDF/A, and volumes no larger
    than its largest file (a smaller volume size the user chose is kept)."""
    options = choices.options
    rules = RULES[options.court]
    corner = options.stamp_corner
    if rules.first_page_top is not None:  # the top is the clerk's: the stamp goes below
        corner = _AT_THE_FOOT.get(corner, corner)
    options = dataclasses.replace(
        options,
        paper=rules.paper or options.paper,
        pdfa=options.pdfa or rules.pdfa,
        stamp_corner=corner,
    )
    split_mb = choices.split_mb
    if rules.max_file_mb is not None:
        split_mb = min(split_mb or rules.max_file_mb, rules.max_file_mb)
    return dataclasses.replace(choices, options=options, split_mb=split_mb)


def conflicts(court: Court, paper: Paper | None, split_mb: float | None) -> list[str]:
    """What the user asked for that *court* does not allow, in words (for the CLI,
    which refuses rather than quietly changing what was typed)."""
    rules = RULES[court]
    found = []
    if paper is not None and rules.paper is not None and paper is not rules.paper:
        found.append(f"{rules.name} takes {rules.paper.name.title()} paper, not {paper.name}")
    if split_mb is not None and rules.max_file_mb is not None and split_mb > rules.max_file_mb:
        found.append(
            f"{rules.name} takes files of at most {rules.max_file_mb:g} MB, "
            f"not volumes of {split_mb:g} MB"
        )
    return found


def name_too_long(court: Court, names: list[str]) -> str | None:
    """A message naming the first file name longer than *court* takes; None when all fit."""
    limit = RULES[court].max_name_chars
    if limit is None:
        return None
    for name in names:
        if len(name) > limit:
            return (
                f"“{name}” is {len(name)} characters long; {RULES[court].name} takes file "
                f"names of at most {limit}. Choose a shorter name: nothing was written."
            )
    return None
