"""The binder's own pages: cover, index, chronology, incident log, divider, appendix,
declaration."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from reportlab.lib.units import inch

from nco_desktop.binder import fonts
from nco_desktop.binder.courts import rules_for
from nco_desktop.binder.layout import BODY, HASH, LEADING, MARGIN_LEFT, Page
from nco_desktop.binder.plan import BinderPlan, PlannedExhibit, PlannedIncident
from nco_desktop.binder.wording import (
    INCIDENT_KINDS,
    capture_lines,
    date_range,
    imported_words,
    incident_when,
    no_date_phrase,
    size,
    source_words,
    when,
)

KIND_WORDS = {
    "message": "Messages",
    "call": "Call log",
    "email": "E-mail",
    "image": "Pictures",
    "audio": "Recording",
    "note": "Notes",
    "document": "Document",
}


@dataclass(frozen=True)
class IndexLink:
    """A rectangle on a front-matter page that should jump to a binder page."""

    page: int  # within the front matter
    rect: tuple[float, float, float, float]
    target: int  # 1-based binder page: an exhibit's divider or a part's first page


def cover(page: Page, plan: BinderPlan) -> None:
    case = plan.case
    c = page.canvas
    width, height = page.size
    clear = rules_for(plan.options.court).first_page_top
    if clear is None:  # the upper right is left blank for the clerk's stamp (3.5 × 2.5 in)
        c.setDash(2, 3)
        c.setStrokeColorRGB(0.75, 0.75, 0.75)
        box_top = height - 0.5 * inch
        c.rect(width - 4 * inch, box_top - 2.5 * inch, 3.5 * inch, 2.5 * inch)
        c.setDash()
        c.setFillColorRGB(0.5, 0.5, 0.5)
        fonts.draw(
            c,
            width - 2.25 * inch,
            box_top - 2.5 * inch + 8,
            "(for the clerk's stamp)",
            fonts.REGULAR,
            BODY,
            align="centre",
        )
        c.setFillColorRGB(0, 0, 0)
    # A court that keeps the top of the first page for its clerk gets it wholly blank.
    page.y = height - max(3.4 * inch, (clear or 0) + 0.4 * inch)
    page.text(case.get("court") or "[Court]", font=fonts.BOLD, size=14, gap_after=6)
    page.text(f"Case number: {case.get('case_number') or '[not set]'}", gap_after=18)
    page.text(case.get("petitioner") or "[Petitioner]", font=fonts.BOLD)
    page.text("Petitioner,", x=0.3 * inch, gap_after=6)
    page.text("v.", gap_after=6)
    page.text(case.get("respondent") or "[Respondent]", font=fonts.BOLD)
    page.text("Respondent.", x=0.3 * inch, gap_after=28)
    page.text(binder_title(plan.options.prefix), font=fonts.BOLD, size=22, gap_after=20)
    hearing = [
        ("Hearing", case.get("hearing") or ""),
        ("Time", case.get("hearing_time") or ""),
        ("Department", case.get("department") or ""),
        ("Judge", case.get("judge") or ""),
    ]
    page.fields([(k + ":", v) for k, v in hearing])
    page.y -= 12
    count = len(plan.exhibits)
    page.text(
        f"{count} exhibit{'s' if count != 1 else ''}. Times are shown in {plan.time_zone}.",
        size=BODY,
    )
    if case.get("title"):
        page.text(case["title"], size=BODY, colour=(0.35, 0.35, 0.35))
    if plan.options.for_service:
        page.y -= 10
        page.text(
            f"Copy for service. Private details of the {side(plan.options.prefix)} were "
            "removed: blacked out in the text, and painted out of pictures and of the pages "
            "of imported documents, which appear here as pictures of those pages. Photo "
            "locations and other file metadata were removed too.",
            font=fonts.BOLD,
            size=BODY,
        )


def side(prefix: str) -> str:
    """Whose binder this is, read off the label prefix: "petitioner" or "respondent"."""
    return "respondent" if prefix.lower().startswith("resp") else "petitioner"


def binder_title(prefix: str) -> str:
    """The side the exhibits belong to, read off the label prefix the user chose."""
    lowered = prefix.lower()
    if lowered.startswith("pet"):
        return "Petitioner's Exhibits"
    if lowered.startswith("resp"):
        return "Respondent's Exhibits"
    return "Exhibits"


def pages_words(first: int, last: int) -> str:
    """ "12–18", or "12" for one page: what the index prints in its Pages column."""
    return str(first) if last <= first else f"{first}\u2013{last}"


def index(
    page: Page,
    plan: BinderPlan,
    ranges: dict[str, tuple[int, int]],
    others: list[tuple[str, int, int]],
) -> list[IndexLink]:
    """Every exhibit with its pages (divider to last page), then the binder's other
    parts in binder order, each row a link to its first page (#19 item 8).

    *ranges* maps a label to its (first, last) page; *others* are (title, first,
    last). Both come from the previous layout of the front matter, so the index may
    run onto more pages: :func:`.assemble._front_matter` lays it out until the page
    numbers it prints are the ones it gets.
    """
    zone = ZoneInfo(plan.time_zone)
    page.heading("Exhibit index")
    rows = []
    for exhibit in plan.exhibits:
        first, last = ranges.get(exhibit.label, (0, 0))
        rows.append(
            [
                exhibit.label,
                exhibit.title,
                date_range(*exhibit.date_range(), zone),
                KIND_WORDS.get(exhibit.kind, exhibit.kind),
                pages_words(first, last),
            ]
        )
    page.text("Each row links to the first page it lists.", gap_after=4)
    placed = page.table(
        [plan.options.prefix, "Title", "Date(s)", "Kind", "Pages"],
        rows,
        # Points on A4 (Letter scales them up): "Document", "Pet. Ex." and "123–130" fit
        # at 12 pt; a longer range wraps after its dash.
        [60, 146, 104, 70, 60],
        size=BODY,
        right_aligned=(4,),
    )
    links = [
        IndexLink(p, rect, ranges.get(exhibit.label, (1, 1))[0])
        for (p, rect), exhibit in zip(placed, plan.exhibits, strict=True)
    ]
    if others:
        page.y -= 6
        placed = page.table(
            ["Other parts of this binder", "Pages"],
            [[title, pages_words(first, last)] for title, first, last in others],
            [380, 60],
            size=BODY,
            right_aligned=(1,),
        )
        links += [
            IndexLink(p, rect, first)
            for (p, rect), (_, first, _) in zip(placed, others, strict=True)
        ]
    return links


def chronology(page: Page, plan: BinderPlan) -> None:
    zone = ZoneInfo(plan.time_zone)
    page.new_page()
    page.heading("Chronology")
    page.text(
        f"Every incident the {side(plan.options.prefix)} described and every item in the "
        "exhibits, in time order, with the exhibit that holds it. Incidents are shaded; "
        "the incident log, before the exhibits, gives each in full."
        if plan.incidents
        else "Every item in the exhibits, in time order, with the exhibit that holds it.",
        gap_after=6,
    )
    unknown = 2**62  # rows with no known time go last
    rows: list[tuple[int, int, int, list[str], bool]] = []
    for exhibit in plan.exhibits:
        for item in exhibit.items:
            entry = item.entry
            # Redact the whole text before taking its first line: an address split over
            # two lines must not leave its first half behind.
            lines = plan.redactor.apply(entry.text or "").strip().splitlines()
            what = lines[0] if lines and entry.kind != "call" else entry.summary_line()
            if entry.who():
                what = f"{entry.who()}: {what}"
            cells = [when(entry.occurred_ms, zone, entry.time_precision), exhibit.label, what]
            at = entry.occurred_ms if entry.occurred_ms is not None else unknown
            rows.append((at, 1, entry.id, cells, False))
    for planned in plan.incidents:
        incident = planned.incident
        at = incident.occurred_ms if incident.occurred_ms is not None else unknown
        rows.append((at, 0, incident.id, _incident_cells(plan, planned, zone), True))
    rows.sort(key=lambda r: r[:3])  # at the same moment, the incident first
    # Redacted before it is cut: a detail cut in half is no longer found whole.
    table = [
        [when_text, label, page.redactor.apply(what)[:160]]
        for _a, _b, _c, (when_text, label, what), _ in rows
    ]
    page.table(
        ["When", plan.options.prefix, "What"],
        table,
        # Points on A4: the day on one line and the time of day on the next.
        [100, 60, 280],
        size=BODY,
        shade=[row[4] for row in rows],
    )


def _incident_cells(plan: BinderPlan, planned: PlannedIncident, zone: ZoneInfo) -> list[str]:
    incident = planned.incident
    kind = INCIDENT_KINDS.get(str(incident.category), "Other")
    what = f"Incident ({kind}): {plan.redactor.apply(' '.join(incident.summary.split()))}"
    if incident.location:
        what += f" — {plan.redactor.apply(' '.join(incident.location.split()))}"
    return [
        incident_when(incident.occurred_ms, incident.ends_ms, incident.time_precision, zone),
        ", ".join(planned.exhibit_labels) or "—",
        what,
    ]


def incident_log(page: Page, plan: BinderPlan) -> None:
    """Each incident in full, as the user wrote it for the court (private notes are not
    in the plan). Their own words are not changed, only redacted in the copy for service."""
    zone = ZoneInfo(plan.time_zone)
    page.new_page()
    page.heading("Incident log")
    page.text(
        f"The {side(plan.options.prefix)}'s own account of each incident, in time order. "
        "The exhibits named hold the evidence linked to each.",
        gap_after=10,
    )
    redact = plan.redactor.apply
    for number, planned in enumerate(plan.incidents, start=1):
        incident = planned.incident
        page.room(BODY * 6)
        summary = " ".join(incident.summary.split()) or "Incident"
        page.text(f"{number}. {redact(summary)}", font=fonts.BOLD, size=BODY + 1, gap_after=4)
        police = "No"
        if incident.reported_to_police:
            parts = [incident.agency, incident.officer]
            if incident.report_number:
                parts.append(f"report no. {incident.report_number}")
            police = "Yes" + (f": {', '.join(p for p in parts if p)}" if any(parts) else "")
        pairs = [
            (
                "When",
                incident_when(
                    incident.occurred_ms, incident.ends_ms, incident.time_precision, zone
                ),
            ),
            ("Kind", INCIDENT_KINDS.get(str(incident.category), "Other")),
            ("Where", incident.location),
            ("What happened", incident.what_happened),
            ("People & witnesses", incident.witnesses),
            ("Reported to police", police),
            ("How it affected me", incident.impact),
            (
                "Evidence",
                ", ".join(f"{plan.options.prefix} {label}" for label in planned.exhibit_labels)
                or "none linked",
            ),
        ]
        page.fields(
            [(key, redact(value.strip())) for key, value in pairs if value.strip()],
            key_width=2.0 * inch,  # "People & witnesses" on one line at 12 pt bold
        )
        page.rule()


def divider(page: Page, plan: BinderPlan, exhibit: PlannedExhibit) -> None:
    zone = ZoneInfo(plan.time_zone)
    if plan.options.tabs:
        tab(page, plan, exhibit)
    clear = rules_for(plan.options.court).first_page_top  # filed alone, it is a first page
    page.y = page.size[1] - max(2.6 * inch, (clear or 0) + 0.6 * inch)
    page.text(f"EXHIBIT {exhibit.label}", font=fonts.BOLD, size=40, gap_after=18)
    page.text(exhibit.title, font=fonts.BOLD, size=16, gap_after=8)
    if exhibit.description:
        page.text(exhibit.description, gap_after=10)
    first, last = exhibit.date_range()
    sources = sorted({source_words(i.entry.time_source, i.entry.kind) for i in exhibit.items})
    undated = sum(1 for i in exhibit.items if i.entry.occurred_ms is None)
    dates = date_range(first, last, zone)
    if undated and first is not None:
        dates += f" ({undated} with no date known)"
    # How and when it was made, on what app or device, and when it was stored (#19).
    imported = imported_words(exhibit, zone)
    captured = capture_lines(exhibit, zone, device=not plan.options.for_service)
    if len(captured) > 1:  # one source a line, marked so two lines do not read as one
        captured = [f"• {line}" for line in captured]
    page.fields(
        [
            ("Items:", str(len(exhibit.items))),
            ("Dates:", dates),
            ("Captured:", "\n".join(captured)),
            *([("Imported:", imported)] if imported else []),
            ("Times from:", ", ".join(sources)),
        ]
    )
    page.y -= 8
    originals = []
    for item in exhibit.items:
        for original in (item.original, *item.attachments):
            if original is not None and original not in originals:
                originals.append(original)
    if originals:  # entries typed in the program have no file: no empty heading
        page.text("Original files and their SHA-256 fingerprints:", font=fonts.BOLD)
    for original in originals[:40]:
        page.room(BODY * LEADING + HASH * LEADING)  # a name and its fingerprint together
        page.text(f"{original.name} ({size(original.size)})")
        page.text(original.sha256, font=fonts.MONO, size=HASH, x=0.2 * inch, gap_after=2)
    if len(originals) > 40:
        page.text(f"… and {len(originals) - 40} more, listed in the integrity appendix.")


def appendix(page: Page, plan: BinderPlan) -> None:
    page.heading("Integrity appendix")
    page.text(
        "Each original file below was stored unchanged when it was imported. Its SHA-256 "
        "fingerprint, taken at import, lets anyone check that the file is unchanged since "
        "then: any change to a file gives a different fingerprint.",
        gap_after=6,
    )
    seq, digest = plan.audit_head
    page.text(f"Audit log: {seq} recorded changes; the newest record's fingerprint is")
    page.text(digest, font=fonts.MONO, size=HASH, gap_after=8)
    page.rule()
    for label, original in plan.originals():
        imported = original.imported_at[:16].replace("T", " ") + " UTC"
        page.room(2 * BODY * LEADING + HASH * LEADING + 4)
        # At 12 pt a name, size and time on one line wrapped mid-date: facts on their own.
        page.text(f"{plan.options.prefix} {label} · {original.name}")
        page.text(f"{size(original.size)} · imported {imported}", x=0.2 * inch)
        page.text(original.sha256, font=fonts.MONO, size=HASH, x=0.2 * inch, gap_after=4)


def _perjury_and_signature(page: Page) -> None:
    page.text(
        "I declare under penalty of perjury under the laws of the State of "
        "______________ that the foregoing is true and correct.",
        gap_after=40,
    )
    for label in ("Date", "Place", "Signature", "Printed name"):
        page.room(40)
        fonts.draw(page.canvas, MARGIN_LEFT, page.y - BODY, f"{label}:", fonts.REGULAR, BODY)
        page.canvas.line(
            MARGIN_LEFT + 1.4 * inch, page.y - BODY - 2, MARGIN_LEFT + 5.5 * inch, page.y - BODY - 2
        )
        page.y -= 40


def _declarant(plan: BinderPlan) -> str:
    role = side(plan.options.prefix)
    return str(plan.case.get(role) or f"the {role}")


def declaration(page: Page, plan: BinderPlan) -> None:
    page.new_page()
    page.heading("Declaration")
    page.text(
        f"I, {_declarant(plan)}, declare: I collected the exhibits in this binder myself. The "
        "screenshots, messages, call records, e-mails, recordings and documents are copies "
        "of what I received or kept, and the originals are unchanged since I imported them "
        "(their fingerprints are in the integrity appendix). The notes are my own account.",
        gap_after=10,
    )
    _perjury_and_signature(page)


_KIND_WORDS = {
    "message": "messages",
    "call": "call records",
    "email": "e-mails",
    "image": "pictures or screenshots",
    "audio": "recordings",
    "note": "written notes",
    "document": "documents",
}


def exhibit_declaration(page: Page, plan: BinderPlan, exhibit: PlannedExhibit) -> None:
    """A declaration laying the foundation for one exhibit, for courts that want each
    exhibit authenticated on its own; drawn on a fresh page after the exhibit's last)."""
    label = f"{plan.options.prefix} {exhibit.label}"
    page.heading(f"Declaration about {label}")
    kinds = sorted({_KIND_WORDS.get(i.entry.kind, "items") for i in exhibit.items})
    first, last = exhibit.date_range()
    count = len(exhibit.items)
    undated = sum(1 for i in exhibit.items if i.entry.occurred_ms is None)
    # Never "dated undated": an exhibit with no known date says so in words.
    dated = (
        f"dated {date_range(first, last, ZoneInfo(plan.time_zone))}"
        + (f", {no_date_phrase(count, undated)}" if undated else "")
        if first is not None
        else no_date_phrase(count, undated)
    )
    page.text(
        f"I, {_declarant(plan)}, declare: {label}, “{exhibit.title}”, consists of {count} "
        f"item{'s' if count != 1 else ''} ({', '.join(kinds) or 'none'}) {dated}. I received or "
        "kept them myself. These pages are true copies printed from the files I stored, and those "
        "files are unchanged since I imported them, as the fingerprints on this exhibit's "
        "first page show."
        + (  # a translation is declared to by its translator, on its own page
            " The English translation printed after them is declared to separately."
            if any(i.translation is not None for i in exhibit.items)
            else ""
        ),
        gap_after=10,
    )
    _perjury_and_signature(page)


TAB_SLOTS = 6  # tabs step down the edge in this many places, then start again at the top


def tab(page: Page, plan: BinderPlan, exhibit: PlannedExhibit) -> None:
    """A dark tab at the divider's outer edge, lower for each exhibit, so the exhibits
    can be found by thumb in the printed binder without bought tab dividers."""
    number = next(n for n, e in enumerate(plan.exhibits) if e is exhibit)
    width, height = page.size
    first = max(1.2 * inch, rules_for(plan.options.court).first_page_top or 0)
    tab_w, tab_h = 0.55 * inch, (height - first - 1.2 * inch) / TAB_SLOTS
    top = height - first - (number % TAB_SLOTS) * tab_h
    left = width - 0.25 * inch - tab_w  # printers leave about a quarter inch unprinted
    c = page.canvas
    c.saveState()
    c.setFillColorRGB(0.15, 0.15, 0.15)
    c.rect(left, top - tab_h + 4, tab_w, tab_h - 8, stroke=0, fill=1)
    c.setFillColorRGB(1, 1, 1)
    c.translate(left + tab_w / 2 + 5, top - tab_h / 2)
    c.rotate(90)
    text = f"{plan.options.prefix} {exhibit.label}"
    fonts.draw(c, 0, 0, text, fonts.BOLD, 14, align="centre")
    c.restoreState()
