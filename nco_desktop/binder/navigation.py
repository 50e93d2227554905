"""The binder's bookmarks and links, and where the review of private details is.

Split from :mod:`.assemble` so each stays readable: the outline is the document's own
table of contents (its titles pass through the redactor in the copy for the other
side, like every drawn line), the index's rows link to the pages they list and each
divider links back to the index (#19 item 8), and :func:`at` names the part being
drawn for the review's list (:mod:`.review`).
"""

from __future__ import annotations

from dataclasses import dataclass

from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import NameObject

from nco_desktop.binder import fonts, sections
from nco_desktop.binder.courts import rules_for
from nco_desktop.binder.layout import BODY, MARGIN_LEFT, MARGIN_TOP, Page
from nco_desktop.binder.plan import BinderPlan

#: A divider's words pointing back to the index, and its link where links are taken.
#: They give the index's page, so they serve on paper, in a volume or an exhibit filed
#: alone (where the link is dropped) and for a court that takes no links. Drawn 12 pt
#: at the left margin just inside the top margin: clear of the punch holes (left of the
#: margin), of the exhibit stamp (0.4 in from the top when a top corner is chosen), of
#: the tab on the outer edge, and of the divider's own text, 2.6 in from the top.
BACK_WORDS = "\u2191 Exhibit index: page {page}"


def back_words(index_page: int) -> str:
    return BACK_WORDS.format(page=index_page)


_LINK_BLUE = (0.05, 0.25, 0.6)


@dataclass(frozen=True)
class Spans:
    """Where the parts of a laid-out binder fall, as 1-based binder pages: what the
    index lists and links to."""

    front_pages: int
    offsets: dict[str, int]  # 0-based page of each front-matter part within it
    exhibits: dict[str, tuple[int, int]]  # label → (divider, last page)
    exhibit_declarations: dict[str, int]  # label → its declaration's page
    exhibit_translations: dict[str, int]  # label → the first page of its translations
    appendix: int
    declaration: int
    total: int


def spans(
    runs: list[tuple[str | None, int, int | None, int | None]],
    front_pages: int,
    offsets: dict[str, int],
    back_pages: int,
    declaration_offset: int,
) -> Spans:
    """Where every part lands when the front matter is *front_pages* long; *runs* are
    the exhibits' parts in order: (label, pages, its declaration's page in it, its
    translations' first page in it)."""
    exhibits: dict[str, tuple[int, int]] = {}
    declarations: dict[str, int] = {}
    translations: dict[str, int] = {}
    page = front_pages + 1
    for label, pages, declaration, translation in runs:
        if label is not None:
            first, _ = exhibits.get(label, (page, page))
            exhibits[label] = (first, page + pages - 1)
            if declaration is not None:
                declarations[label] = page + declaration
            if translation is not None:
                translations[label] = page + translation
        page += pages
    return Spans(
        front_pages,
        offsets,
        exhibits,
        declarations,
        translations,
        appendix=page,
        declaration=page + declaration_offset,
        total=page + back_pages - 1,
    )


def top_clear(plan: BinderPlan) -> float:
    """How far below the paper's top a first page (the cover, a divider) may print:
    the usual margin, or the blank space a court keeps for its clerk (Washington's 3 in)."""
    return rules_for(plan.options.court).first_page_top or MARGIN_TOP


def back_link_rect(
    size: tuple[float, float], index_page: int, clear: float = MARGIN_TOP
) -> tuple[float, float, float, float]:
    """The rectangle on a divider page that holds :func:`back_words` (and its link),
    just below the *clear* top of the page."""
    width = fonts.width(back_words(index_page), fonts.REGULAR, BODY)
    top = size[1] - clear
    return (MARGIN_LEFT - 2, top - BODY * 1.3, MARGIN_LEFT + width + 2, top + 2)


def draw_back_words(page: Page, plan: BinderPlan, index_page: int) -> None:
    """Print :func:`back_words` on the divider page being drawn, before the divider's
    own drawing (which may run onto a second page); the cursor is left alone.

    Styled as a link (blue, underlined) only where the court takes links; for one that
    takes none (New York) they are plain words, which still say where the index is."""
    words = back_words(index_page)
    left, bottom, _, _ = back_link_rect(page.size, index_page, top_clear(plan))
    linked = rules_for(plan.options.court).links
    colour = _LINK_BLUE if linked else (0, 0, 0)
    canvas = page.canvas
    canvas.saveState()
    canvas.setFillColorRGB(*colour)
    fonts.draw(canvas, left + 2, bottom + 0.3 * BODY, words, fonts.REGULAR, BODY)
    if linked:
        canvas.setStrokeColorRGB(*colour)
        canvas.setLineWidth(0.5)
        width = fonts.width(words, fonts.REGULAR, BODY)
        baseline = bottom + 0.3 * BODY - 1.5
        canvas.line(left + 2, baseline, left + 2 + width, baseline)
    canvas.restoreState()


def index_rows(plan: BinderPlan, spans: Spans) -> list[tuple[str, int, int]]:
    """The index's rows for the parts that are not exhibits, in binder order, as
    (title, first page, last page)."""
    front = [
        ("Chronology", "chronology"),
        ("Pattern of contact", "pattern"),
        ("Incident log", "incidents"),
    ]
    starts = [(title, spans.offsets[key] + 1) for title, key in front if key in spans.offsets]
    ends = [first - 1 for _, first in starts[1:]] + [spans.front_pages]
    rows = [(title, first, last) for (title, first), last in zip(starts, ends, strict=True)]
    for exhibit in plan.exhibits:
        declared = spans.exhibit_declarations.get(exhibit.label)
        translated = spans.exhibit_translations.get(exhibit.label)
        last = spans.exhibits[exhibit.label][1]
        label = f"{plan.options.prefix} {exhibit.label}"
        if translated is not None:  # with its translators' declarations
            end = declared - 1 if declared is not None else last
            rows.append((f"English translation of {label}", translated, end))
        if declared is not None:
            rows.append((f"Declaration about {label}", declared, last))
    rows.append(("Integrity appendix", spans.appendix, spans.declaration - 1))
    rows.append(("Declaration", spans.declaration, spans.total))
    return rows


def _add_links(
    writer: PdfWriter,
    plan: BinderPlan,
    links: list[sections.IndexLink],
    offsets: dict[str, int],
    first_pages: dict[str, int],
) -> None:
    """The index rows' links to their parts, and each divider's back to the index."""
    for link in links:
        writer.add_annotation(link.page, Link(rect=link.rect, target_page_index=link.target - 1))
    clear = top_clear(plan)
    index = offsets["index"]
    for exhibit in plan.exhibits:  # each divider back to the index's first page
        divider = writer.pages[first_pages[exhibit.label] - 1]
        size = (float(divider.mediabox.width), float(divider.mediabox.height))
        rect = back_link_rect(size, index + 1, clear)
        writer.add_annotation(divider, Link(rect=rect, target_page_index=index))


def at(plan: BinderPlan, where: str) -> None:
    """Name the part of the binder being drawn, for the review of private details."""
    if plan.redactor.review is not None:
        plan.redactor.review.where = where


def add(
    writer: PdfWriter,
    plan: BinderPlan,
    links: list[sections.IndexLink],
    offsets: dict[str, int],
    first_pages: dict[str, int],
    *,
    back_start: int,
    declaration_offset: int,
    translations: dict[str, int] | None = None,
) -> list[tuple[str, int]]:
    """Bookmarks and index links; returns the bookmarks as (title, 1-based page)."""
    outline: list[tuple[str, int]] = [
        ("Cover", 0),
        ("Exhibit index", offsets["index"]),
        ("Chronology", offsets["chronology"]),
    ]
    if "pattern" in offsets:
        outline.append(("Pattern of contact", offsets["pattern"]))
    if "incidents" in offsets:
        outline.append(("Incident log", offsets["incidents"]))
    at(plan, "Bookmarks")
    for exhibit in plan.exhibits:
        outline.append(
            (
                plan.redactor.apply(f"{plan.options.prefix} {exhibit.label} — {exhibit.title}"),
                first_pages[exhibit.label] - 1,
            )
        )
        if translations and exhibit.label in translations:
            title = f"English translation of {plan.options.prefix} {exhibit.label}"
            outline.append((title, translations[exhibit.label] - 1))
    outline.append(("Integrity appendix", back_start))
    outline.append(("Declaration", back_start + declaration_offset))
    for title, page_number in outline:
        writer.add_outline_item(title=title, page_number=page_number)
    if rules_for(plan.options.court).links:  # a link is an annotation: some courts take none
        _add_links(writer, plan, links, offsets, first_pages)
    writer._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")
    return [(title, page_number + 1) for title, page_number in outline]
