"""The binder's bookmarks and index links, and where the review of private details is.

Split from :mod:`.assemble` so each stays readable: the outline is the document's own
table of contents (its titles pass through the redactor in the copy for the other
side, like every drawn line), and :func:`at` names the part being drawn for the
review's list (:mod:`.review`).
"""

from __future__ import annotations

from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import NameObject

from nco_desktop.binder import sections
from nco_desktop.binder.plan import BinderPlan


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
    outline.append(("Integrity appendix", back_start))
    outline.append(("Declaration", back_start + declaration_offset))
    for title, page_number in outline:
        writer.add_outline_item(title=title, page_number=page_number)
    for link in links:
        target = first_pages[link.exhibit] - 1
        writer.add_annotation(link.page, Link(rect=link.rect, target_page_index=target))
    writer._root_object[NameObject("/PageMode")] = NameObject("/UseOutlines")
    return [(title, page_number + 1) for title, page_number in outline]
