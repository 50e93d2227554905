"""The pages of one exhibit, drawn by kind of evidence.

Pictures are never decoded here: a sandboxed worker prepares each one
(:mod:`~nco_desktop.binder.sandbox_worker`) and the page embeds the compressed pixels
it returns. A JPEG's bytes become the PDF image as they are (DCTDecode), rotated by the
page transform rather than re-encoded; PNGs stay lossless. Formats a PDF cannot hold
(HEIC, WebP) are printed from a JPEG copy, and the caption says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from reportlab.lib.units import inch

from nco_desktop.binder import fonts
from nco_desktop.binder.layout import BODY, LEADING, MARGIN_BOTTOM, MARGIN_LEFT, Page
from nco_desktop.binder.plan import OriginalFacts, PlannedExhibit, PlannedItem
from nco_desktop.binder.raw_pictures import RawPicture
from nco_desktop.binder.read_areas import found_areas
from nco_desktop.binder.recordings import recording_name
from nco_desktop.binder.review import UNREAD, unread_key
from nco_desktop.binder.sandbox_worker import PictureFailed
from nco_desktop.binder.text_layer import lay_words
from nco_desktop.binder.wording import picture_capture, when
from nco_desktop.evidence.picture_areas import picture_areas
from nco_desktop.ocr import store as ocr_store
from nco_desktop.timekeeping import from_ms
from nco_desktop.vault import Vault
from nco_desktop.vault.blobs import iter_chunks

PDF_TYPES = {"application/pdf"}
MAX_ENLARGE = 4.0
CONVERTED_QUALITY = 92
LATE_NIGHT = (22, 6)  # 22:00–06:00 in the vault zone


def original_bytes(vault: Vault, original: OriginalFacts) -> bytes:
    return b"".join(iter_chunks(vault.conn, original.blob_id))


def is_pdf(vault: Vault, original: OriginalFacts | None) -> bool:
    if original is None:
        return False
    if original.media_type in PDF_TYPES:
        return True
    head = next(iter_chunks(vault.conn, original.blob_id), b"")[:1024]
    return b"%PDF-" in head


def _upright(orientation: int, width: float, height: float) -> tuple[float, ...]:
    """The transform that shows stored pixels as EXIF *orientation* says, inside a box of
    *width* × *height* at the origin (the box as shown; turned ones swap the stored
    sides). Mirrored orientations (2, 4, 5, 7) come from some front cameras and apps."""
    return {
        2: (-1, 0, 0, 1, width, 0),  # mirrored left to right
        3: (-1, 0, 0, -1, width, height),  # upside down
        4: (1, 0, 0, -1, 0, height),  # mirrored top to bottom
        5: (0, -1, -1, 0, width, height),  # mirrored along the diagonal
        6: (0, -1, 1, 0, 0, height),  # turned 90° clockwise: stored left edge on top
        7: (0, 1, 1, 0, 0, 0),  # mirrored along the other diagonal
        8: (0, 1, -1, 0, width, 0),  # turned 90° counter-clockwise
    }.get(orientation, (1, 0, 0, 1, 0, 0))


def _cut(reason: str, most: int = 120) -> str:
    return reason if len(reason) <= most else reason[: most - 1].rstrip() + "…"


def _caption(item: PlannedItem, zone: ZoneInfo, page: Page) -> str:
    """What the court needs under a picture (DESIGN.md, binder anatomy): what it is and
    on what app or device, who it is with (their number or handle as stored), when and
    where that time came from, and the file. Only what the vault knows: a screenshot
    with no person named says so rather than leaving the court to assume one."""
    entry = item.entry
    parts = []
    if item.original is not None:
        device = not page.service_copy  # its cover says the files' metadata was removed
        parts.append(picture_capture(item.original.name, item.meta, device=device).words())
    if entry.who():
        if entry.direction:
            who = ("From " if entry.direction == "incoming" else "To ") + entry.who()
        else:
            who = "With " + entry.who()
        if entry.saved_as:  # the export's own name, when the user named the person
            who += f", saved on the phone as “{entry.saved_as}”"
        if item.party_reason:  # the user's naming, never passed off as the file's
            # Redacted before it is cut: a detail cut in half is no longer found whole.
            who += f" (named by the user: {_cut(page.redactor.apply(item.party_reason))})"
        parts.append(who)
    elif parts and parts[0].startswith("Screenshot"):
        parts.append("person not named")
    parts.append(
        "time unknown"
        if entry.occurred_ms is None
        else when(entry.occurred_ms, zone, entry.time_precision)
        + f" (time from: {item.time_words()})"
    )
    if item.original is not None:
        parts.append(item.original.name)
    return " · ".join(parts)


@dataclass(frozen=True)
class PlacedPicture:
    """A picture to embed as its own compressed bytes: the cm operators that place it
    (translation and EXIF rotation, as the canvas would have done) and its drawn size."""

    pixels: RawPicture
    transform: str
    size: tuple[float, float]


def draw_picture(
    page: Page,
    vault: Vault,
    item: PlannedItem,
    zone: ZoneInfo,
    original: OriginalFacts | None = None,
    max_height: float | None = None,
) -> None:
    """A picture scaled to fit the space left (a new page if little is left), captioned."""
    original = original or item.original
    if original is None:
        return
    hidden = picture_areas(vault.conn, original.id) if page.service_copy else []
    data = original_bytes(vault, original)
    try:
        if page.pictures is None:
            raise PictureFailed("no sandbox to prepare it in")  # never decoded here
        if page.service_copy:  # and the private details the computer read in it
            found = _details_read(page, vault, original, data)
            if found is None:
                return
            hidden = [*hidden, *found]
        prepared = page.pictures.prepare(data, strip_metadata=page.service_copy, areas=hidden)
    except PictureFailed:
        page.text(
            f"[The picture “{original.name}” could not be drawn; the original is kept "
            "in the vault with its fingerprint.]",
        )
        return
    pixels, orientation, converted = prepared.pixels, prepared.orientation, prepared.converted
    width, height = pixels.width, pixels.height
    turned = orientation in (5, 6, 7, 8)
    shown_w, shown_h = (height, width) if turned else (width, height)
    caption = _caption(item, zone, page) if original is item.original else original.name
    if hidden:
        caption += (
            f" · {len(hidden)} area{'s' if len(hidden) != 1 else ''} blacked out in this copy "
            "to protect private details; the court's copy shows the whole picture"
        )
    if converted:
        caption += (
            " · printed from a JPEG copy (this picture format cannot go into a PDF "
            "as it is); the original file is unchanged in the vault"
        )
    # The caption stays on the picture's page: room for all its lines (at 12 pt a
    # screenshot's caption takes four or five), measured as it will be wrapped.
    caption_room = len(page.lines(caption, page.width)) * BODY * LEADING + 12
    available = (max_height or (page.top - MARGIN_BOTTOM)) - caption_room
    if page.y - MARGIN_BOTTOM < min(available, 3 * inch) + caption_room:
        page.new_page()
    available = min(available, page.y - MARGIN_BOTTOM - caption_room)
    # Fit the page; enlarge a tiny picture at most 4× (an icon blown up to a page is noise).
    scale = min(page.width / shown_w, available / shown_h, 1.0 if max_height else MAX_ENLARGE)
    draw_w, draw_h = shown_w * scale, shown_h * scale
    x = MARGIN_LEFT + (page.width - draw_w) / 2
    y = page.y - draw_h
    # Turn the stored (unrotated) pixels upright with the transform, not by re-encoding.
    transforms = [(1, 0, 0, 1, x, y), _upright(orientation, draw_w, draw_h)]
    image_w, image_h = (draw_h, draw_w) if turned else (draw_w, draw_h)
    operators = "".join(" ".join(f"{v:.4f}" for v in t) + " cm " for t in transforms)
    page.deferred.append((page.pages - 1, PlacedPicture(pixels, operators, (image_w, image_h))))
    c = page.canvas
    c.setStrokeColorRGB(0.8, 0.8, 0.8)
    c.rect(x, y, draw_w, draw_h)
    if not page.service_copy:  # the words read in it, selectable (see text_layer)
        for reading in ocr_store.pages_of(vault.conn, original.id)[:1]:
            lay_words(c, reading, x, y, draw_w, draw_h)
    page.y = y - 4
    page.text(caption, colour=(0.25, 0.25, 0.25), gap_after=8)


def _details_read(page: Page, vault: Vault, original: OriginalFacts, data: bytes) -> list | None:
    """Areas over the private details read in a picture, for the copy for the other
    side: from the background reader's words, or read now if it has not got to it.
    None, with a notice drawn, for a picture that could not be read and that the user
    has not released (it is withheld: what was not read was not checked)."""
    redactor, review = page.redactor, page.redactor.review
    if not redactor:
        return []
    readings = [r for r in ocr_store.pages_of(vault.conn, original.id)[:1] if r.status == "ok"]
    if readings:
        words, width, height = readings[0].words, readings[0].width, readings[0].height
    else:
        assert page.pictures is not None
        answer = page.pictures.picture_words(data)
        if answer is None:
            about = f"The computer could not read the words in the picture “{original.name}”"
            if review is None or review.saw(unread_key(original.sha256), "", about, UNREAD):
                page.text(
                    f"[The picture “{original.name}” was left out of this copy: the computer "
                    "could not read it to check it for private details. The court's copy "
                    "holds it; you can release it in the review of private details.]",
                )
                return None
            return []
        words, width, height = answer.words, answer.width, answer.height
    return found_areas(words, width, height, redactor, original.sha256)


def pictures(page: Page, vault: Vault, exhibit: PlannedExhibit, zone: ZoneInfo) -> None:
    for number, item in enumerate(exhibit.items):
        if number:
            page.new_page()
        draw_picture(page, vault, item, zone)


def messages(page: Page, vault: Vault, exhibit: PlannedExhibit, zone: ZoneInfo) -> None:
    """A readable conversation: who, when, what; the other side's lines on the left."""
    page.text("Messages in time order. ← received, → sent.", gap_after=6)
    current_day = None
    for item in exhibit.items:
        entry = item.entry
        day = (
            None
            if entry.occurred_ms is None
            else from_ms(entry.occurred_ms).astimezone(zone).date()
        )
        if day != current_day:
            current_day = day
            page.room(BODY * 3)
            page.text(
                day.strftime("%A, %B %-d, %Y") if day else "Undated", font=fonts.BOLD, gap_after=2
            )
        outgoing = entry.direction == "outgoing"
        indent = 1.2 * inch if outgoing else 0.0
        arrow = "→" if outgoing else "←" if entry.direction == "incoming" else "•"
        other = entry.who() or "unknown"
        if entry.direction == "outgoing":
            heading = f"to {other}"
        elif entry.direction == "incoming":
            heading = f"from {other}"
        else:  # a group chat: the sender, as the export named them
            heading = str(item.meta.get("sender") or other)
        # The day is the heading above; a date-only time has no clock to show.
        stamp = (
            "time of day unknown"
            if entry.time_precision == "day"
            else when(entry.occurred_ms, zone, entry.time_precision).split(", ", 2)[-1]
        )
        page.room(BODY * LEADING * 2)
        page.text(f"{arrow} {heading} · {stamp}", x=indent, colour=(0.3, 0.3, 0.3))
        page.text(
            entry.text or "(no text)",
            x=indent + 0.15 * inch,
            width=page.width - indent - 1.35 * inch + (1.2 * inch if outgoing else 0),
        )
        for attachment in item.attachments:
            if attachment.media_type.startswith("image/"):
                draw_picture(page, vault, item, zone, attachment, max_height=3.2 * inch)
            else:
                page.text(
                    f"[attachment: {attachment.name}, {attachment.media_type}]",
                    x=indent + 0.15 * inch,
                )
        page.y -= 4


def calls(page: Page, exhibit: PlannedExhibit, zone: ZoneInfo) -> None:
    rows, shade = [], []
    late = 0
    total_s = 0
    for item in exhibit.items:
        entry = item.entry
        moment = None if entry.occurred_ms is None else from_ms(entry.occurred_ms).astimezone(zone)
        is_late = moment is not None and (
            moment.hour >= LATE_NIGHT[0] or moment.hour < LATE_NIGHT[1]
        )
        late += is_late
        total_s += entry.duration_s or 0
        minutes, seconds = divmod(entry.duration_s or 0, 60)
        rows.append(
            [
                moment.strftime("%b %-d, %Y") if moment else "undated",
                (moment.strftime("%-I:%M %p") if moment else "") + (" ☾" if is_late else ""),
                entry.call_type or "",
                "\n".join(filter(None, (entry.party, entry.party_name))),
                f"{minutes}:{seconds:02d}",
            ]
        )
        shade.append(is_late)
    page.table(
        ["Date", "Time", "Type", "Number and name", "Length"],
        rows,
        # Points on A4 (Letter scales them up). At 12 pt six columns did not fit A4: the
        # name goes under the number, and a date, "12:11 AM ☾", "voicemail" and a
        # number each keep to one line.
        [90, 84, 72, 136, 58],
        size=BODY,
        shade=shade,
    )
    minutes, seconds = divmod(total_s, 60)
    page.text(
        f"{len(rows)} calls, {minutes} min {seconds} s in total. {late} between 10 PM and "
        f"6 AM ({zone.key} time), marked ☾ and shaded.",
    )


def email(page: Page, exhibit: PlannedExhibit, zone: ZoneInfo) -> None:
    for number, item in enumerate(exhibit.items):
        if number:
            page.new_page()
        meta, entry = item.meta, item.entry
        page.fields(
            [
                ("From:", str(meta.get("from") or entry.who())),
                (
                    "To:",
                    ", ".join(meta.get("to") or [])
                    if isinstance(meta.get("to"), list)
                    else str(meta.get("to") or ""),
                ),
                ("Date:", when(entry.occurred_ms, zone, entry.time_precision)),
                ("Subject:", str(meta.get("subject") or "")),
            ]
        )
        page.rule()
        page.text(entry.text or "(no text)", gap_after=8)
        for attachment in item.attachments:
            page.text(f"Attachment: {attachment.name} ({attachment.media_type})")


def _transcript(page: Page, item: PlannedItem) -> None:
    """What the recording says, labelled by who wrote it down: the service's automatic
    transcript as exported (Google Voice), the user's own, or a plain "none" rather than
    leaving the judge to wonder what it holds."""
    exported = item.entry.text or ""
    if exported:
        page.text("Transcript from the export, made automatically by the service", font=fonts.BOLD)
        page.text(exported, gap_after=8)
    if item.transcript:
        page.text(
            "Transcript typed from the recording by the person submitting it", font=fonts.BOLD
        )
        page.text(item.transcript, gap_after=8)
    if not exported and not item.transcript:
        page.text("Transcript: none was typed for this recording.", colour=(0.35, 0.35, 0.35))


def text_items(
    page: Page, exhibit: PlannedExhibit, zone: ZoneInfo, prefix: str, most: int | None = None
) -> None:
    """Notes, recordings and documents shown as what is known about them, and their text.
    *most*: a court's longest file name, which the recordings' copies are named within."""
    recording = 0
    for number, item in enumerate(exhibit.items):
        if number:
            page.new_page()
        entry = item.entry
        facts = [
            ("When:", when(entry.occurred_ms, zone, entry.time_precision)),
            ("Time from:", item.time_words()),
        ]
        if item.original is not None:
            facts.append(("File:", item.original.name))
        if entry.kind == "audio":
            duration = item.meta.get("duration_s")
            facts.append(("Length:", f"{duration} s" if duration is not None else "unknown"))
            for key in ("codec", "title", "artist"):
                if item.meta.get(key) or (item.meta.get("tags") or {}).get(key):
                    value = item.meta.get(key) or item.meta["tags"][key]
                    facts.append((key.capitalize() + ":", str(value)))
        page.fields(facts)
        page.rule()
        if entry.kind == "audio":
            if item.original is not None:
                recording += 1  # numbered as binder --export-recordings names the copies
                name = recording_name(prefix, exhibit.label, recording, item.original.name, most)
                page.text(f"On the accompanying media as: {name}", gap_after=6)
            _transcript(page, item)
        elif entry.text:
            page.text(entry.text)
