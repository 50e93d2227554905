"""Build the binder PDF: lay out every part, stitch them, number and stamp every page.

Order of work: exhibits first (their page counts decide the index), then the back
matter, then the front matter until the page numbers its index prints are the pages
it gets (twice as a rule: once to learn its length, once with the real numbers; the
index may run onto more pages and a range may wrap, so a third is allowed). An imported
PDF's pages are rebuilt from a sandboxed worker's description and framed on the
binder's paper (:mod:`.imported_pages`). pypdf then joins the parts, stamps every page
(continuous number = the PDF's page label, optional Bates number, exhibit stamp), and
adds the bookmarks and the index links. reportlab's invariant mode and metadata without dates
make the same vault and options give the same bytes.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO
from zoneinfo import ZoneInfo

from pypdf import PdfReader, PdfWriter
from pypdf.constants import PageLabelStyle
from reportlab import rl_config

from nco_desktop import __version__
from nco_desktop.binder import (
    exhibit_pages,
    fonts,
    navigation,
    pattern_page,
    pdfa,
    sections,
    service_pages,
    translation_pages,
)
from nco_desktop.binder.courts import rules_for
from nco_desktop.binder.exhibit_pages import PlacedPicture
from nco_desktop.binder.imported_pages import Budget, ImportedPdf, framed_pdf
from nco_desktop.binder.layout import BODY, Page, greyed
from nco_desktop.binder.options import BinderOptions
from nco_desktop.binder.output import write_atomically
from nco_desktop.binder.picture_placing import place_picture
from nco_desktop.binder.plan import (
    BinderPlan,
    OriginalFacts,
    PlannedExhibit,
    PlannedItem,
    build_plan,
)
from nco_desktop.binder.review import Finding
from nco_desktop.binder.sandbox_worker import BinderSandbox, PictureFailed
from nco_desktop.binder.searchable import unsearchable
from nco_desktop.binder.stamping import stamp_pages
from nco_desktop.binder.text_layer import ScannedLayer, scanned_layers
from nco_desktop.progress import Cancelled, CancelToken, ProgressCallback, no_progress
from nco_desktop.vault import Vault

rl_config.useA85 = 0  # pure-Python ASCII85 of every image: slow and 25 % larger
rl_config.invariant = 1  # fixed document IDs and dates: same input, same bytes


@dataclass
class Part:
    """A run of pages: drawn by us (reportlab) or an imported PDF, with its exhibit."""

    pdf: bytes
    pages: int
    exhibit: str | None = None
    deferred: list[tuple[int, PlacedPicture]] = field(default_factory=list)
    layers: list[tuple[int, ScannedLayer]] = field(default_factory=list)  # words on scans
    declaration: int | None = None  # the page (0-based, in this part) of its declaration
    translation: int | None = None  # the first page (0-based, in it) of its translations


@dataclass
class BinderResult:
    path: Path | None  # None when built into memory
    pages: int
    size: int
    exhibits: int
    first_pages: dict[str, int] = field(default_factory=dict)  # label → 1-based page
    #: The bookmarks as written, in order: (title, 1-based page). Plain data, so the
    #: window can list them without opening the PDF it must not parse (issue 12).
    outline: list[tuple[str, int]] = field(default_factory=list)
    #: Pages of each exhibit (divider included), in binder order.
    exhibit_pages: list[int] = field(default_factory=list)
    #: The copy for the other side: every place a private detail was found (hidden
    #: unless released) and every page that could not be checked, for the user's review.
    findings: list[Finding] = field(default_factory=list)
    #: A PDF/A binder's pages drawn with an imported PDF's own fonts, not embedded.
    pages_without_fonts: list[int] = field(default_factory=list)
    #: For a court that asks for searchable text: pictures and scans not read yet.
    unsearchable: list[str] = field(default_factory=list)


class _Drawing:
    """Collects drawn pages into parts, cutting a new part where a PDF is merged in."""

    def __init__(
        self, size: tuple[float, float], plan: BinderPlan, pictures: BinderSandbox | None = None
    ) -> None:
        self.size = size
        self.plan = plan
        self.pictures = pictures
        self.parts: list[Part] = []
        self._buffer: io.BytesIO | None = None
        self.page: Page | None = None

    def start(self) -> Page:
        if self.page is None:
            self._buffer = io.BytesIO()
            canvas = fonts.canvas(
                self._buffer,
                pagesize=self.size,
                invariant=1,
                pageCompression=1,
                # A court that takes no colour highlighting (Washington): what the binder
                # draws turns grey. Pictures of evidence are placed later, unchanged.
                enforceColorSpace=None if rules_for(self.plan.options.court).colour else greyed,
            )
            canvas.setTitle("")
            self.page = Page(
                canvas,
                self.size,
                redactor=self.plan.redactor,
                service_copy=self.plan.options.for_service,
                pictures=self.pictures,
            )
        return self.page

    def new_page(self) -> Page:
        if self.page is None:
            return self.start()
        self.page.new_page()
        return self.page

    def flush(self, exhibit: str | None) -> None:
        if self.page is None or self._buffer is None:
            return
        self.page.canvas.showPage()
        self.page.canvas.save()
        self.parts.append(
            Part(self._buffer.getvalue(), self.page.pages, exhibit, list(self.page.deferred))
        )
        self.page = None
        self._buffer = None


_DRAWERS = {
    "image": lambda page, vault, shown, zone, prefix: exhibit_pages.pictures(
        page, vault, shown, zone
    ),
    "message": lambda page, vault, shown, zone, prefix: exhibit_pages.messages(
        page, vault, shown, zone
    ),
    "call": lambda page, vault, shown, zone, prefix: exhibit_pages.calls(page, shown, zone),
    "email": lambda page, vault, shown, zone, prefix: exhibit_pages.email(page, shown, zone),
}
_MISSING_NOTE = (
    f"{fonts.MISSING} marks a character this binder's fonts cannot show (an emoji or a "
    "rare script). The original file, whose fingerprint is listed on the divider page, "
    "holds it exactly."
)


def _runs(vault: Vault, items: list[PlannedItem]) -> list[tuple[str, list[PlannedItem]]]:
    """Consecutive items of one kind, in the chosen order; a PDF original is its own run."""
    runs: list[tuple[str, list[PlannedItem]]] = []
    for item in items:
        kind = "pdf" if exhibit_pages.is_pdf(vault, item.original) else item.entry.kind
        if runs and runs[-1][0] == kind and kind != "pdf":
            runs[-1][1].append(item)
        else:
            runs.append((kind, [item]))
    return runs


def _exhibit_parts(
    vault: Vault,
    plan: BinderPlan,
    exhibit: PlannedExhibit,
    size: tuple[float, float],
    pictures: BinderSandbox,
    index_page: int,
) -> list[Part]:
    """Divider, then each run of items drawn as its own kind (a screenshot in an exhibit
    of messages is still a picture), PDFs merged where they stand in the order; then the
    English translations with their declarations, and the exhibit's own declaration."""
    zone = ZoneInfo(plan.time_zone)
    drawing = _Drawing(size, plan, pictures)
    navigation.at(plan, f"{plan.options.prefix} {exhibit.label}")
    navigation.draw_back_words(drawing.start(), plan, index_page)
    sections.divider(drawing.start(), plan, exhibit)
    for kind, run in _runs(vault, exhibit.items):
        if kind == "pdf":
            drawing.flush(exhibit.label)
            _merge_pdf(vault, plan, exhibit, run[0], drawing, size, pictures)
            continue
        page = drawing.new_page()
        shown = PlannedExhibit(exhibit.label, exhibit.title, exhibit.description, kind, run)
        drawer = _DRAWERS.get(kind)
        if drawer is not None:
            drawer(page, vault, shown, zone, plan.options.prefix)
        else:
            most = rules_for(plan.options.court).max_name_chars
            exhibit_pages.text_items(page, shown, zone, plan.options.prefix, most)
        if page.missing_glyphs:
            page.y -= 6
            page.text(_MISSING_NOTE, size=BODY, colour=(0.3, 0.3, 0.3))
            page.missing_glyphs = False
    translation: int | None = None
    if translation_pages.translated(exhibit):  # English after the originals (Rule 3.1110(g))
        page = drawing.new_page()
        translation = page.pages - 1
        translation_pages.draw(page, plan, exhibit)
    declaration: int | None = None
    if plan.options.exhibit_declarations:
        navigation.at(plan, f"{plan.options.prefix} {exhibit.label} · declaration")
        page = drawing.new_page()
        declaration = page.pages - 1
        sections.exhibit_declaration(page, plan, exhibit)
    drawing.flush(exhibit.label)
    drawing.parts[-1].declaration = declaration  # both drawn after the last merged PDF
    drawing.parts[-1].translation = translation
    return drawing.parts


def _merge_pdf(
    vault: Vault,
    plan: BinderPlan,
    exhibit: PlannedExhibit,
    item: PlannedItem,
    drawing: _Drawing,
    size: tuple[float, float],
    sandbox: BinderSandbox,
) -> None:
    """An imported PDF's pages, read in the sandbox and framed on the binder's paper."""
    assert item.original is not None
    data = exhibit_pages.original_bytes(vault, item.original)
    service = plan.options.for_service
    # Written bytes allowed for it: its streams once or twice over, decompressed drawings
    # included; a description that names one large stream from every page goes no further.
    budget = Budget(max(8 * len(data), 64 * 1024 * 1024))
    try:
        document = sandbox.read_pdf(data)
        if service:
            parts = _service_pdf(plan, exhibit, item.original, document, size, sandbox, budget)
        else:
            pages = list(range(len(document.pages)))
            pdf = framed_pdf(document, pages, size, budget=budget, cancel=sandbox.cancel)
            layers = scanned_layers(vault.conn, item.original.id, document, pages, size)
            parts = [Part(pdf, len(pages), exhibit.label, layers=layers)]
    except Cancelled:
        raise
    except Exception:  # whatever a forged description does, this PDF alone is left out
        page = drawing.start()
        page.text(
            f"The PDF “{item.original.name}” could not be opened for printing. The original "
            "is kept unchanged in the vault; its fingerprint is in the integrity appendix."
        )
        drawing.flush(exhibit.label)
        return
    drawing.parts.extend(parts)


def _service_pdf(
    plan: BinderPlan,
    exhibit: PlannedExhibit,
    original: OriginalFacts,
    document: ImportedPdf,
    size: tuple[float, float],
    sandbox: BinderSandbox,
    budget: Budget,
) -> list[Part]:
    """An imported PDF in the copy for the other side: every page drawn as checked
    pixels (:mod:`.service_pages`), one binder page for each page the court's copy
    frames, so the two copies keep the same pages and Bates numbers.

    What is drawn is the court's copy's own binder page (the document's page framed,
    its annotations' appearances — a form's filled-in values — drawn in), rebuilt
    here from checked values, so the two copies show the same page, pixel for pixel,
    but for what is painted out."""
    drawing = _Drawing(size, plan, sandbox)
    page = drawing.start()
    for index in range(len(document.pages)):
        if sandbox.cancel is not None:
            sandbox.cancel.raise_if_cancelled()
        if index:
            page.new_page()
        where = f"{plan.options.prefix} {exhibit.label} · {original.name}, page {index + 1}"
        navigation.at(plan, where)
        try:
            court_page = framed_pdf(document, [index], size, budget=budget, cancel=sandbox.cancel)
            drawn = sandbox.service_page(court_page, 0)
        except PictureFailed as failure:
            page.heading("Page withheld from this copy")
            page.text(
                f"{where} could not be drawn to check it for private details "
                f"({failure}), so it was left out of the copy for the other side. The "
                "court's copy of this binder holds the page in full."
            )
            continue
        service_pages.draw_page(page, drawn, f"{original.sha256}:{index}", where)
    drawing.flush(exhibit.label)
    return drawing.parts


def _cover_pages(plan: BinderPlan, size: tuple[float, float]) -> int:
    """How many pages the cover takes (one, unless its names are very long)."""
    page = _Drawing(size, plan).start()
    navigation.at(plan, "Cover page")
    sections.cover(page, plan)
    return page.pages


def _front(
    plan: BinderPlan, size: tuple[float, float], spans: navigation.Spans | None
) -> tuple[Part, list[sections.IndexLink], dict[str, int]]:
    """The front matter; its index prints *spans* (None: a first layout, numbers 0)."""
    drawing = _Drawing(size, plan)
    page = drawing.start()
    navigation.at(plan, "Cover page")
    sections.cover(page, plan)
    page.new_page()
    index_start = page.pages - 1
    navigation.at(plan, "Index")
    if spans is None:
        links = sections.index(page, plan, {}, [])
    else:
        others = navigation.index_rows(plan, spans)
        links = sections.index(page, plan, spans.exhibits, others)
    chronology_start = page.pages  # chronology begins on the next page
    navigation.at(plan, "Chronology")
    sections.chronology(page, plan)
    offsets = {"index": index_start, "chronology": chronology_start}
    if plan.pattern is not None:
        offsets["pattern"] = page.pages  # begins on the next page
        navigation.at(plan, "Pattern of contact")
        pattern_page.draw(page, plan.pattern, sections.side(plan.options.prefix))
    if plan.incidents:
        offsets["incidents"] = page.pages  # begins on the next page
        navigation.at(plan, "Incident log")
        sections.incident_log(page, plan)
    drawing.flush(None)
    part = drawing.parts[0]
    return part, links, offsets


def _back(plan: BinderPlan, size: tuple[float, float]) -> tuple[Part, int]:
    drawing = _Drawing(size, plan)
    page = drawing.start()
    navigation.at(plan, "Integrity appendix")
    sections.appendix(page, plan)
    declaration_start = page.pages  # the declaration begins on the next page
    navigation.at(plan, "Declaration")
    sections.declaration(page, plan)
    drawing.flush(None)
    return drawing.parts[0], declaration_start


def build_binder(
    vault: Vault,
    out: Path | BinaryIO,
    options: BinderOptions | None = None,
    *,
    progress: ProgressCallback = no_progress,
    cancel: CancelToken | None = None,
) -> BinderResult:
    options = options or BinderOptions()
    plan = build_plan(vault, options)
    size = options.paper.size
    exhibit_parts: list[Part] = []
    total = len(plan.exhibits) + 2
    # The index follows the cover: its page is known before any divider says it.
    index_page = _cover_pages(plan, size) + 1
    with BinderSandbox(cancel) as pictures:  # a sandboxed worker prepares every picture
        for number, exhibit in enumerate(plan.exhibits):
            if cancel is not None:
                cancel.raise_if_cancelled()
            progress(number, total, f"Exhibit {exhibit.label}")
            drawn = _exhibit_parts(vault, plan, exhibit, size, pictures, index_page)
            exhibit_parts.extend(drawn)
    progress(len(plan.exhibits), total, "Index and chronology")
    back, declaration_offset = _back(plan, size)
    front, links, offsets, spans = _front_matter(
        plan, size, exhibit_parts, back.pages, declaration_offset
    )
    first_pages = _first_pages(exhibit_parts, front.pages)
    if offsets["index"] + 1 != index_page:  # the dividers would name the wrong page
        raise RuntimeError("the cover changed length between layouts")
    parts = [front, *exhibit_parts, back]
    progress(len(plan.exhibits) + 1, total, "Numbering pages")
    writer = _assemble(parts, plan, options)
    outline = navigation.add(
        writer,
        plan,
        links,
        offsets,
        first_pages,
        back_start=sum(p.pages for p in parts[:-1]),
        declaration_offset=declaration_offset,
        translations=spans.exhibit_translations,
    )
    unembedded: list[int] = []
    if options.pdfa:  # archival PDF/A-2b; dated by the vault's last change, not the clock
        unembedded = pdfa.pages_without_their_fonts(writer)
        pdfa.make_pdfa(
            writer,
            title=(writer.metadata.title if writer.metadata else None) or "",
            lang="en-US",  # the binder's own words are English
            created=pdfa.last_change(vault, plan.audit_head[0], day_only=options.for_service),
            producer=f"NCO Desktop {__version__}",
        )
    result = _write(writer, out)
    progress(total, total, "")
    return BinderResult(
        out if isinstance(out, Path) else None,
        len(writer.pages),
        result,
        len(plan.exhibits),
        first_pages,
        outline,
        [sum(p.pages for p in exhibit_parts if p.exhibit == e.label) for e in plan.exhibits],
        plan.redactor.review.findings if plan.redactor.review is not None else [],
        unembedded,
        # The court's copy only: the other side's leaves the read words out on purpose.
        unsearchable(vault.conn, plan)
        if rules_for(options.court).searchable and not options.for_service
        else [],
    )


def _front_matter(
    plan: BinderPlan,
    size: tuple[float, float],
    exhibit_parts: list[Part],
    back_pages: int,
    declaration_offset: int,
) -> tuple[Part, list[sections.IndexLink], dict[str, int], navigation.Spans]:
    """Lay out the front matter until the pages its index prints are the pages the
    parts land on: each layout prints the spans the one before it found."""
    front, links, offsets = _front(plan, size, None)
    for _ in range(3):
        runs = [(p.exhibit, p.pages, p.declaration, p.translation) for p in exhibit_parts]
        spans = navigation.spans(runs, front.pages, offsets, back_pages, declaration_offset)
        again, links, again_offsets = _front(plan, size, spans)
        if again.pages == front.pages and again_offsets == offsets:
            return again, links, offsets, spans
        front, offsets = again, again_offsets
    raise RuntimeError("the front matter changed length between layouts")


def _first_pages(exhibit_parts: list[Part], front_pages: int) -> dict[str, int]:
    first: dict[str, int] = {}
    page = front_pages + 1
    for part in exhibit_parts:
        if part.exhibit is not None and part.exhibit not in first:
            first[part.exhibit] = page
        page += part.pages
    return first


def _assemble(parts: list[Part], plan: BinderPlan, options: BinderOptions) -> PdfWriter:
    writer = PdfWriter()
    exhibit_of: list[str | None] = []
    layers: dict[int, ScannedLayer] = {}
    for part in parts:
        reader = PdfReader(io.BytesIO(part.pdf), strict=False)
        layers.update((len(writer.pages) + index, layer) for index, layer in part.layers)
        for index, page in enumerate(reader.pages):
            added = writer.add_page(page)  # all ours: imported pages come framed
            for page_index, placed in part.deferred:
                if page_index == index:
                    place_picture(writer, added, placed)
            exhibit_of.append(part.exhibit)
    stamp_pages(writer, exhibit_of, options, layers)
    writer.set_page_label(0, len(writer.pages) - 1, style=PageLabelStyle.DECIMAL, start=1)
    case = plan.case
    title = plan.redactor.apply(  # the file's title is read too: the copy's own words
        " — ".join(x for x in (sections.binder_title(options.prefix), case.get("case_number")) if x)
    )
    writer.add_metadata(
        {
            "/Title": title,
            "/Producer": f"NCO Desktop {__version__}",
            "/Creator": f"NCO Desktop {__version__}",
        }
    )
    return writer


def _write(writer: PdfWriter, out: Path | BinaryIO) -> int:
    """Write the binder: atomically to a file the user chose (in the clear), or into
    *out*'s memory for the window, which previews it before anything touches a disk."""
    if isinstance(out, Path):
        return write_atomically(out, writer.write)
    start = out.tell()
    writer.write(out)
    return out.tell() - start
