"""The per-kind parts of the detail pane: what a message, call, e-mail, picture,
document, recording, note or incident looks like when it is selected.

Each part is built from an :class:`EntryDetail` (read by the Qt-free core) and a
``load`` function that returns a stored file's bytes from memory, refusing files over a
limit. Nothing here writes to disk, and nothing here decodes an original: pictures,
attachments and PDF pages are left as places the pane fills with what the sandbox
rendered (:mod:`nco_desktop.ui.detail.sandbox_feed`). The one picture decoded here is
the thumbnail the sandbox made at import, and only as a JPEG.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from nco_desktop.timeline.detail import EntryDetail, describe_time, pdf_date_text
from nco_desktop.ui.common.widgets import Section, plain_label, quiet, short_time, shorten
from nco_desktop.ui.detail.audio_player import AudioPlayer, format_not_played
from nco_desktop.ui.detail.conversation_view import ConversationView
from nco_desktop.ui.detail.image_viewer import ImageViewer, decode_thumbnail
from nco_desktop.ui.detail.pdf_viewer import PdfViewer
from nco_desktop.ui.detail.picture_text import PictureText

Load = Callable[[int, int], bytes]  # (blob id, byte limit) → bytes; ValueError if larger

THUMBNAIL_LIMIT = 1024 * 1024  # a stored thumbnail is a ≤ 320 px JPEG
INLINE_PICTURE_WIDTH = 320
TEXT_SHOWN = 20_000  # characters of a long body shown in the pane; the rest is in the file


def translated(text: str) -> str:
    """Words that come from the Qt-free core (time sources), looked up in translations."""
    return QCoreApplication.translate("EntryDetail", text)


def rule(parent: QWidget) -> QFrame:
    """A quiet horizontal line between parts of the pane, in light and dark schemes."""
    line = QFrame(parent)
    line.setFrameShape(QFrame.Shape.HLine)
    line.setFrameShadow(QFrame.Shadow.Plain)
    line.setStyleSheet("color: palette(mid);")
    return line


def _duration(seconds: int | None) -> str | None:
    if seconds is None:
        return None
    minutes, rest = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min {rest} s"
    return f"{minutes} min {rest} s" if minutes else f"{rest} s"


class PictureSection(Section):
    """The picture itself (image entries), upright, and under it the text the computer
    read in it (:mod:`.picture_text`).

    The original's bytes are never decoded in this process: the pane asks the sandbox
    for plain pixels and calls :meth:`show_image` when they arrive. Meanwhile the
    thumbnail made at import, also made in the sandbox, stands in.
    """

    def __init__(self, detail: EntryDetail, load: Load, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Picture"), parent)
        self.viewer = ImageViewer(self)
        self.viewer.setMinimumHeight(300)
        self.add_widget(self.viewer, 1)
        self.status = self.add_text(self.tr("Opening the picture…"), secondary=True)
        self._has_thumbnail = False
        if detail.thumbnail_blob_id is not None:
            try:
                thumbnail = decode_thumbnail(load(detail.thumbnail_blob_id, THUMBNAIL_LIMIT))
            except ValueError:
                thumbnail = QImage()
            if not thumbnail.isNull():
                self.viewer.set_image(thumbnail)
                self._has_thumbnail = True
        meta = detail.meta
        if meta.get("width") and meta.get("height"):
            self.add_fact(self.tr("Pixels"), f"{meta['width']} × {meta['height']}")
        if meta.get("format"):
            self.add_fact(self.tr("Format"), str(meta["format"]))
        camera = " ".join(str(meta[k]) for k in ("camera_make", "camera_model") if meta.get(k))
        if camera:
            self.add_fact(self.tr("Camera"), camera)
        if meta.get("software"):
            self.add_fact(self.tr("Software"), str(meta["software"]))
        if meta.get("gps"):
            self.add_fact(
                self.tr("Location"),
                self.tr("The file holds GPS data (not shown; removed from the served copy)."),
            )
        self.read_text = PictureText(detail.reading, self.viewer, self)
        self.add_widget(self.read_text)

    def show_image(self, image: QImage) -> None:
        """The sandbox's rendering of the picture has arrived."""
        self.viewer.set_image(image)
        self.status.hide()

    def show_failure(self, reason: str) -> None:
        if self._has_thumbnail:
            text = self.tr(
                "Shown as the small preview made at import: the full picture could not be "
                "shown (%1). The original is unchanged."
            )
        else:
            self.viewer.hide()
            text = self.tr("The picture could not be shown: %1")
        self.status.setText(text.replace("%1", reason or "?"))
        self.status.show()


class MessageSection(Section):
    def __init__(self, detail: EntryDetail, load: Load, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Conversation") if detail.conversation else "", parent)
        meta = detail.meta
        if detail.conversation:
            self.add_text(
                self.tr("The selected message, with the messages just before and after it."),
                secondary=True,
            )
        self.conversation = ConversationView(detail, self)
        self.add_widget(self.conversation)
        if meta.get("sender"):
            self.add_fact(self.tr("Sent by"), str(meta["sender"]))
        if meta.get("subject"):
            self.add_fact(self.tr("Subject"), str(meta["subject"]))
        if meta.get("status"):
            self.add_fact(self.tr("Status"), str(meta["status"]))
        for flag, words in (
            ("deleted", self.tr("The export marks this message as deleted.")),
            ("unsent", self.tr("The sender unsent (withdrew) this message.")),
        ):
            if meta.get(flag):
                self.add_text(words, secondary=True)
        add_inline_pictures(self, detail, load)


class InlinePicture(QLabel):
    """A place for one of a message's pictures; the pane fills it from the sandbox."""

    def __init__(self, blob_id: int, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.blob_id = blob_id
        self.setAccessibleName(name)
        self.setToolTip(name)
        self.setText(self.tr("Opening the picture…"))
        quiet(self)

    def show_image(self, image: QImage) -> None:
        pixmap = QPixmap.fromImage(image)
        ratio = self.devicePixelRatioF()
        if pixmap.width() > INLINE_PICTURE_WIDTH * ratio:
            pixmap = pixmap.scaledToWidth(
                round(INLINE_PICTURE_WIDTH * ratio), Qt.TransformationMode.SmoothTransformation
            )
        pixmap.setDevicePixelRatio(ratio)
        self.setPixmap(pixmap)

    def show_failure(self, reason: str) -> None:
        self.setText(self.tr("This picture could not be shown (%1).").replace("%1", reason))


def add_inline_pictures(section: Section, detail: EntryDetail, load: Load) -> None:
    """An MMS's or e-mail's pictures, small, under the text (each also listed below)."""
    for attachment in detail.attachments:
        if not attachment.media_type.startswith("image/"):
            continue
        section.add_widget(InlinePicture(attachment.blob_id, attachment.name, section))
        section.add_text(attachment.name, secondary=True)


class CallSection(Section):
    def __init__(self, detail: EntryDetail, load: Load, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Call"), parent)
        entry, meta = detail.entry, detail.meta
        types = {
            "incoming": self.tr("Incoming"),
            "outgoing": self.tr("Outgoing"),
            "missed": self.tr("Missed"),
            "voicemail": self.tr("Voicemail"),
            "rejected": self.tr("Rejected"),
            "blocked": self.tr("Blocked"),
        }
        call_type = types.get(entry.call_type or "", self.tr("Unknown"))
        self.add_fact(self.tr("Type"), call_type)
        if entry.direction:
            self.add_fact(
                self.tr("Direction"),
                self.tr("They called you")
                if entry.direction == "incoming"
                else self.tr("You called them"),
            )
        self.add_fact(self.tr("Number"), entry.party or self.tr("Unknown or hidden"))
        if entry.party_name:
            self.add_fact(self.tr("Name"), entry.party_name)
        if entry.saved_as:
            self.add_fact(self.tr("Saved in the phone as"), entry.saved_as)
        length = _duration(entry.duration_s)
        self.add_fact(self.tr("Length"), length or self.tr("Not recorded"))
        if meta.get("type_as_written"):
            self.add_fact(self.tr("Export said"), str(meta["type_as_written"]))
        if meta.get("unknown_type"):
            self.add_fact(
                self.tr("Export said"), self.tr("type %1").replace("%1", str(meta["unknown_type"]))
            )
        if meta.get("service"):
            self.add_fact(self.tr("Service"), str(meta["service"]))
        if detail.late_night:
            self.late_night = self.add_text(
                self.tr("☾ Late at night: between 10 PM and 6 AM (%1 time).").replace(
                    "%1", detail.zone.key
                )
            )


class EmailSection(Section):
    def __init__(self, detail: EntryDetail, load: Load, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("E-mail"), parent)
        meta, entry = detail.meta, detail.entry

        def joined(value: object) -> str:
            if isinstance(value, list):
                return ", ".join(str(v) for v in value)
            return str(value or "")

        self.add_fact(self.tr("From"), str(meta.get("from") or entry.who() or ""))
        self.add_fact(self.tr("To"), joined(meta.get("to")))
        if meta.get("cc"):
            self.add_fact(self.tr("Cc"), joined(meta.get("cc")))
        if meta.get("reply_to"):
            self.add_fact(self.tr("Reply to"), joined(meta.get("reply_to")))
        self.add_fact(self.tr("Subject"), str(meta.get("subject") or self.tr("(no subject)")))
        self.add_fact(
            self.tr("Date"), describe_time(entry.occurred_ms, detail.zone, entry.time_precision)
        )
        add_body(self, entry.text)
        add_inline_pictures(self, detail, load)


def add_body(section: Section, text: str | None) -> None:
    section.body().addSpacing(6)
    if not text:
        section.add_text(section.tr("(no text)"), secondary=True)
        return
    body = section.add_text(shorten(text, TEXT_SHOWN))
    body.setAccessibleName(section.tr("Text"))
    if len(text) > TEXT_SHOWN:
        section.add_text(
            section.tr("The text is long; the rest is in the original file."), secondary=True
        )


class DocumentSection(Section):
    def __init__(self, detail: EntryDetail, load: Load, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Document"), parent)
        meta, original = detail.meta, detail.original
        is_pdf = original is not None and (
            original.media_type == "application/pdf" or "page_count" in meta
        )
        self.viewer: PdfViewer | None = None
        if original is not None and is_pdf:
            # The pane starts it: the pages are rendered in the sandbox, not here.
            self.viewer = PdfViewer(self)
            self.viewer.setMinimumHeight(380)
            self.add_widget(self.viewer, 1)
        for key, name in (
            ("title", self.tr("Title")),
            ("author", self.tr("Author")),
            ("subject", self.tr("Subject")),
        ):
            if meta.get(key):
                self.add_fact(name, str(meta[key]))
        # The dates in the PDF's own information, in the words every time is shown in
        # (never the raw "D:2026…"), named for what they are.
        for key, name in (
            ("creation_date", self.tr("Creation date (PDF information)")),
            ("modification_date", self.tr("Modification date (PDF information)")),
        ):
            if meta.get(key):
                self.add_fact(name, pdf_date_text(str(meta[key]), detail.zone))
        if meta.get("text_note"):
            self.add_text(str(meta["text_note"]).capitalize() + ".", secondary=True)
        if not is_pdf:
            add_body(self, detail.entry.text)


class AudioSection(Section):
    def __init__(self, detail: EntryDetail, load: Load, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Recording"), parent)
        meta = detail.meta
        seconds = meta.get("duration_s", detail.entry.duration_s)
        self.player: AudioPlayer | None = None  # fed by the pane (played from memory)
        if detail.original is not None:
            hint = float(seconds) if isinstance(seconds, int | float) else None
            codec = meta.get("codec")
            self.player = AudioPlayer(hint, format_not_played(str(codec or "")), self)
            self.add_widget(self.player)
        self.add_fact(self.tr("Length"), _duration(seconds) or self.tr("Could not be read"))
        if meta.get("duration_note"):
            self.add_text(str(meta["duration_note"]).capitalize() + ".", secondary=True)
        if meta.get("codec"):
            self.add_fact(self.tr("Format"), str(meta["codec"]))
        if detail.original is not None:
            self.add_fact(self.tr("File type"), detail.original.media_type)
        if meta.get("sample_rate"):
            self.add_fact(self.tr("Sample rate"), f"{int(meta['sample_rate']):,} Hz")
        if meta.get("channels"):
            channels = int(meta["channels"])
            self.add_fact(
                self.tr("Channels"),
                self.tr("Mono")
                if channels == 1
                else self.tr("Stereo")
                if channels == 2
                else str(channels),
            )
        if meta.get("bitrate"):
            self.add_fact(self.tr("Bit rate"), f"{round(int(meta['bitrate']) / 1000)} kbit/s")
        raw_tags = meta.get("tags")
        tags: dict[str, object] = raw_tags if isinstance(raw_tags, dict) else {}
        for key, name in (("title", self.tr("Title")), ("artist", self.tr("Artist"))):
            if tags.get(key):
                self.add_fact(name, str(tags[key]))
        if meta.get("has_video"):
            self.add_text(self.tr("The file also holds video."), secondary=True)
        if detail.entry.text:
            self.add_text(self.tr("Transcript from the export (made by the service):"))
            add_body(self, detail.entry.text)


class NoteSection(Section):
    def __init__(self, detail: EntryDetail, load: Load, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Written note"), parent)
        add_body(self, detail.entry.text)


class IncidentSection(Section):
    def __init__(self, detail: EntryDetail, load: Load, parent: QWidget | None = None) -> None:
        super().__init__(self.tr("Incident"), parent)
        incident = detail.incident
        if incident is None:
            add_body(self, detail.entry.text)
            return
        facts = [
            (self.tr("What kind"), incident.category),
            (self.tr("Where"), incident.location),
            (self.tr("Summary"), incident.summary),
            (self.tr("What happened"), incident.what_happened or detail.entry.text or ""),
            (self.tr("Witnesses"), incident.witnesses),
        ]
        if incident.ends_ms is not None:
            facts.insert(0, (self.tr("Until"), describe_time(incident.ends_ms, detail.zone)))
        for name, value in facts:
            if value:
                self.add_fact(name, value)
        police = self.tr("Yes") if incident.reported_to_police else self.tr("No")
        self.add_fact(self.tr("Reported to police"), police)
        for name, value in (
            (self.tr("Agency"), incident.agency),
            (self.tr("Officer"), incident.officer),
            (self.tr("Report number"), incident.report_number),
            (self.tr("How it affected you"), incident.impact),
        ):
            if value:
                self.add_fact(name, value)
        if incident.linked:
            lines = [
                f"• {short_time(e.local_time(detail.zone))} — {e.summary_line()}"
                for e in incident.linked
            ]
            self.add_fact(self.tr("Linked evidence"), "\n".join(lines))
        if incident.private_notes:
            self.add_widget(PrivateNotes(incident.private_notes, self))


class PrivateNotes(QFrame):
    """The user's private incident notes: shown here, labelled, never printed."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("privateNotes")
        self.setStyleSheet(
            "QFrame#privateNotes { border: 1px dashed palette(mid); border-radius: 4px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.setSpacing(4)
        self.label = plain_label(self.tr("Your private notes (private — never printed)"), self)
        font = self.label.font()
        font.setBold(True)
        self.label.setFont(font)
        explain = quiet(
            plain_label(
                self.tr("Only you see these here. They never go into a binder or any copy."),
                self,
            )
        )
        self.text = plain_label(text, self)
        self.text.setAccessibleName(self.tr("Private notes (never printed)"))
        layout.addWidget(self.label)
        layout.addWidget(explain)
        layout.addWidget(self.text)


KIND_SECTIONS: dict[str, Callable[[EntryDetail, Load, QWidget | None], Section]] = {
    "image": PictureSection,
    "message": MessageSection,
    "call": CallSection,
    "email": EmailSection,
    "document": DocumentSection,
    "audio": AudioSection,
    "note": NoteSection,
    "incident": IncidentSection,
}
