"""The detail pane beside the timeline: the selected entry, whole, and the user's note.

The pane reads through the Qt-free :mod:`nco_desktop.timeline.detail`; pictures,
attachments and PDF pages are rendered in the sandbox (:mod:`.sandbox_feed`), never
decoded in this process. It asks its :class:`VaultSession` for the vault;
when the session detaches (locking) it drops every picture, document, text and note
from the widgets, so nothing of the evidence stays on screen or in the pane's memory.
The user's note is saved on focus-out, on switching entries, with the Save button, and
when the session is about to lock.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from nco_desktop.evidence.notes import set_entry_note
from nco_desktop.evidence.translations import translation
from nco_desktop.timeline.detail import EntryDetail, load_entry_detail, read_original_bytes
from nco_desktop.ui.common.icons import ICON_SIZE, icon
from nco_desktop.ui.common.session import Change, VaultSession
from nco_desktop.ui.common.widgets import HashField, Section, plain_label, quiet
from nco_desktop.ui.detail.audio_player import AudioPlayer
from nco_desktop.ui.detail.detail_sections import (
    INLINE_PICTURE_WIDTH,
    KIND_SECTIONS,
    InlinePicture,
    PictureSection,
    rule,
    translated,
)
from nco_desktop.ui.detail.entry_actions import EntryActions, add_time_facts
from nco_desktop.ui.detail.image_viewer import ImageViewer
from nco_desktop.ui.detail.original_section import OriginalSection
from nco_desktop.ui.detail.pdf_viewer import PdfViewer
from nco_desktop.ui.detail.picture_areas_bar import PictureAreasBar
from nco_desktop.ui.detail.picture_window import LargerView
from nco_desktop.ui.detail.sandbox_feed import PICTURE_SIDE, SandboxFeed
from nco_desktop.ui.detail.transcript_box import TranscriptBox
from nco_desktop.ui.detail.translation_box import TranslationBox
from nco_desktop.vault import Vault

#: While the selection moves faster than this (a held ↓ repeats every ~33 ms), the pane
#: waits for it to rest this long before building the entry: the list keeps up with
#: the key, and the entry the user stops on is shown. A single step shows at once.
SETTLE_MS = 120


class DetailPane(QWidget):
    note_saved = Signal(int)  # entry id

    def __init__(self, session: VaultSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.feed = SandboxFeed(session, self)  # a sandbox worker, while unlocked
        self._detail: EntryDetail | None = None
        self._content: QWidget | None = None
        self._note_entry_id: int | None = None
        self.entry_actions: EntryActions | None = None  # of the entry shown
        self._note_loaded = ""
        self.setAccessibleName(self.tr("Details of the selected entry"))

        self._empty = QLabel(self.tr("Select an entry on the timeline to see it here."), self)
        self._empty.setWordWrap(True)
        self._empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty.setMargin(24)
        quiet(self._empty)

        self._scroll = QScrollArea(self)
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll.hide()

        self._notes = self._build_notes()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._empty, 1)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self._notes)
        self._notes.hide()
        session.about_to_lock.connect(self.commit_pending_edits)
        self._last_follow = 0.0
        self._pending: int | None = None
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self._show_pending)
        session.opened.connect(self._forget)
        session.detached.connect(self._forget)

    def _build_notes(self) -> QFrame:
        frame = QFrame(self)
        frame.setObjectName("notesBox")
        frame.setFrameShape(QFrame.Shape.NoFrame)
        frame.setStyleSheet("QFrame#notesBox { border-top: 1px solid palette(mid); }")
        heading = QLabel(self.tr("Your note"), frame)
        font = heading.font()
        font.setBold(True)
        heading.setFont(font)
        hint = quiet(
            QLabel(self.tr("Kept in the vault beside the evidence; it never changes it."), frame)
        )
        hint.setWordWrap(True)
        self.note_edit = QPlainTextEdit(frame)
        self.note_edit.setPlaceholderText(
            self.tr("What you want to remember about this entry, in your own words")
        )
        self.note_edit.setAccessibleName(self.tr("Your note on this entry"))
        self.note_edit.setTabChangesFocus(True)
        self.note_edit.setFixedHeight(self.note_edit.fontMetrics().lineSpacing() * 4 + 14)
        self.note_edit.installEventFilter(self)
        self.note_edit.textChanged.connect(self._note_edited)
        self.save_button = QToolButton(frame)
        self.save_button.setIcon(icon("save"))
        self.save_button.setIconSize(ICON_SIZE)
        self.save_button.setText(self.tr("Save note"))
        self.save_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.save_button.setAccessibleName(self.tr("Save note"))
        save = QAction(self.tr("Save note"), self.note_edit)
        save.setShortcut(QKeySequence(QKeySequence.StandardKey.Save))
        save.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)  # only while typing a note
        save.triggered.connect(self.commit_pending_edits)
        self.note_edit.addAction(save)
        self.save_button.setToolTip(
            self.tr("Save your note (%1, while typing it)").replace(
                "%1", save.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        self.save_button.clicked.connect(self.commit_pending_edits)
        self.save_button.setEnabled(False)
        self.note_status = quiet(QLabel(frame))
        self.note_status.setWordWrap(True)
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.note_status, 1)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(frame)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(4)
        layout.addWidget(heading)
        layout.addWidget(hint)
        layout.addWidget(self.note_edit)
        layout.addLayout(bar)
        return frame

    # ----- the contract ----------------------------------------------------------------

    @property
    def _vault(self) -> Vault | None:
        return self.session.vault

    def _forget(self) -> None:
        """A vault opened or the session detached: everything shown is dropped (the
        note was saved on ``about_to_lock``), and the sandbox worker ends."""
        self._settle.stop()
        self._pending = None
        self._wipe()
        self.feed.close()
        self._show_empty()

    def follow_selection(self, entry_id: int | None) -> None:
        """The timeline's selection moved: show *entry_id* now, or once the selection
        rests if it is moving quickly (see :data:`SETTLE_MS`)."""
        now = time.monotonic()
        moving = (now - self._last_follow) * 1000 < SETTLE_MS
        self._last_follow = now
        if moving or self._settle.isActive():
            self._pending = entry_id
            self._settle.start()
            return
        self.show_entry(entry_id)

    def _show_pending(self) -> None:
        entry_id, self._pending = self._pending, None
        self.show_entry(entry_id)

    def show_entry(self, entry_id: int | None) -> None:
        """Show entry *entry_id*; None shows the calm empty state.

        If the note being edited cannot be saved, the pane stays on its entry with the
        reason shown, rather than dropping the user's words.
        """
        if not self.commit_pending_edits():
            return
        self._wipe()
        if self._vault is None or entry_id is None:
            self._show_empty()
            return
        try:
            detail = load_entry_detail(self._vault.conn, entry_id, self._vault.time_zone)
        except LookupError:
            self._show_empty(self.tr("This entry is no longer in the vault."))
            return
        self._detail = detail
        self._content = self._build_content(detail)
        self._scroll.setWidget(self._content)
        self._scroll.verticalScrollBar().setValue(0)
        self._empty.hide()
        self._scroll.show()
        self._note_entry_id = detail.id
        self._note_loaded = detail.note
        self.note_edit.blockSignals(True)
        self.note_edit.setPlainText(detail.note)
        self.note_edit.blockSignals(False)
        self.save_button.setEnabled(False)
        self._notes.show()
        self._feed_from_sandbox(detail, self._content)

    def commit_pending_edits(self) -> bool:
        """Save the note being edited, if it changed; False if it could not be saved.

        Errors are said beside the note, never raised, and the text stays in the box.
        """
        if self._vault is None or self._note_entry_id is None:
            return True
        for box in (self.transcript_box(), self.translation_box()):
            if box is not None and not box.commit():
                return False
        text = self.note_edit.toPlainText()
        if text.strip() == self._note_loaded.strip():
            return True
        entry_id = self._note_entry_id
        try:
            changed = set_entry_note(self._vault, entry_id, text)
        except Exception as exc:  # a full disk, a deleted entry: say so, keep the text
            reason = (
                exc.strerror or "" if isinstance(exc, OSError) else self.tr("the vault is busy")
            )
            self.note_status.setText(
                self.tr(
                    "Your note could not be saved yet (%1). It is still here; "
                    "try Save again in a moment."
                ).replace("%1", reason)
            )
            return False
        self._note_loaded = text
        self.save_button.setEnabled(False)
        self.note_status.setText(self.tr("Note saved."))
        if changed:
            self.note_saved.emit(entry_id)
        return True

    # ----- helpers for tests and the window ----------------------------------------------

    def current_detail(self) -> EntryDetail | None:
        return self._detail

    def image_viewer(self) -> ImageViewer | None:
        return None if self._content is None else self._content.findChild(ImageViewer)

    def picture_areas_bar(self) -> PictureAreasBar | None:
        return None if self._content is None else self._content.findChild(PictureAreasBar)

    def transcript_box(self) -> TranscriptBox | None:
        return None if self._content is None else self._content.findChild(TranscriptBox)

    def translation_box(self) -> TranslationBox | None:
        return None if self._content is None else self._content.findChild(TranslationBox)

    def pdf_viewer(self) -> PdfViewer | None:
        return None if self._content is None else self._content.findChild(PdfViewer)

    def audio_player(self) -> AudioPlayer | None:
        return None if self._content is None else self._content.findChild(AudioPlayer)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.note_edit and event.type() == QEvent.Type.FocusOut:
            self.commit_pending_edits()
        return super().eventFilter(watched, event)

    # ----- what the sandbox renders ---------------------------------------------------

    def _feed_from_sandbox(self, detail: EntryDetail, content: QWidget) -> None:
        """Ask the sandbox for the picture, the attachments' pictures and the PDF's
        pages of the entry just built; each fills its place when it arrives."""
        section = content.findChild(PictureSection)
        if section is not None and detail.original is not None:
            self.feed.picture(
                detail.original.blob_id, PICTURE_SIDE, section.show_image, section.show_failure
            )
        for place in content.findChildren(InlinePicture):
            side = round(INLINE_PICTURE_WIDTH * place.devicePixelRatioF())
            self.feed.picture(place.blob_id, side, place.show_image, place.show_failure)
        viewer = content.findChild(PdfViewer)
        if viewer is not None and detail.original is not None:
            self.feed.pdf(viewer, detail.original.blob_id)
        player = content.findChild(AudioPlayer)
        if player is not None and detail.original is not None:  # decoded on the first Play
            player.attach(self.session, self.feed.previews, detail.original.blob_id)

    # ----- building ------------------------------------------------------------------

    def _build_content(self, detail: EntryDetail) -> QWidget:
        vault = self._vault
        assert vault is not None

        def load(blob_id: int, limit: int) -> bytes:
            return read_original_bytes(vault.conn, blob_id, limit)

        content = QWidget()
        content.setAccessibleName(self.tr("Entry details"))
        layout = QVBoxLayout(content)
        # Word-wrapped labels report the height they would need at their narrowest; taken
        # as the content's minimum height, that sum left blank space between the lines.
        # Ignoring it lets the scroll area size the content by its height-for-width.
        layout.setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        content.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Ignored)
        layout.setContentsMargins(12, 10, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self._header(detail, content))
        section_type = KIND_SECTIONS.get(detail.kind)
        if section_type is not None:
            section = section_type(detail, load, content)
            layout.addWidget(section)
            if isinstance(section, PictureSection) and detail.original is not None:
                bar = PictureAreasBar(vault, detail.original.id, section.viewer, section)
                LargerView(self.feed, detail.original.blob_id, section.viewer, bar)
                # The copy for the other side paints these areas: a built binder is old.
                bar.changed.connect(lambda _id: self.session.notify(Change.NOTES, self))
                body = section.body()
                body.insertWidget(body.indexOf(section.viewer) + 1, bar)
        if detail.kind == "audio":
            box = TranscriptBox(vault, detail.id, detail.transcript, content)
            box.saved.connect(self.note_saved)
            layout.addWidget(box)
        if detail.kind != "incident":  # evidence in another language: its English
            found = translation(vault.conn, detail.id)
            english = TranslationBox(vault, detail.id, detail.kind, found, content)
            english.saved.connect(self.note_saved)
            layout.addWidget(english)
        layout.addWidget(rule(content))
        layout.addWidget(OriginalSection(detail, content))
        layout.addStretch(1)
        return content

    def _header(self, detail: EntryDetail, parent: QWidget) -> Section:
        header = Section("", parent)
        title = plain_label(self._title(detail), header)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        title.setFont(font)
        title.setAccessibleName(self.tr("Entry"))
        header.add_widget(title)
        if detail.hidden_reason is not None:
            header.add_text(
                self.tr("Hidden from the timeline and the binder: %1").replace(
                    "%1", detail.hidden_reason
                )
            ).setAccessibleName(self.tr("Hidden"))
        if saved_as := detail.entry.saved_as:  # a person the user added: name both
            header.add_text(
                self.tr("%1 (saved in the phone as “%2”)")
                .replace("%1", detail.entry.party_name or "")
                .replace("%2", saved_as),
                secondary=True,
            ).setAccessibleName(self.tr("Name in the export"))
        time = header.add_text(detail.time_text)
        time.setAccessibleName(self.tr("Time"))
        source = header.add_text(
            translated(detail.time_source_words), secondary=not detail.time_is_weak
        )
        source.setAccessibleName(self.tr("Where the time came from"))
        self.time_source_label = source
        offset = detail.recorded_offset
        if offset is not None and detail.offset_differs_from_zone:
            header.add_text(
                self.tr("Shown in %1 time; the source wrote it with UTC offset %2.")
                .replace("%1", detail.zone.key)
                .replace("%2", offset),
                secondary=True,
            )
        for note in detail.time_notes:
            header.add_text(note, secondary=True)
        add_time_facts(header, detail)
        actions = self.entry_actions = EntryActions(self.session, detail, header)
        actions.entry_changed.connect(self.show_entry)
        actions.shown_again.connect(self.show_entry)
        actions.entry_hidden.connect(self._hidden)
        header.add_widget(actions)
        return header

    def _hidden(self, entry_id: int) -> None:
        self._wipe()
        self._show_empty(
            self.tr(
                "Hidden: it is out of the timeline and the binder, and still in the vault. "
                "Edit ▸ Undo brings it back."
            )
        )

    def _title(self, detail: EntryDetail) -> str:
        entry = detail.entry
        who = entry.who() or self.tr("an unknown sender")
        name = entry.original_name or ""
        incoming = entry.direction == "incoming"
        outgoing = entry.direction == "outgoing"
        if entry.kind == "message":
            text = (
                self.tr("Message from %1")
                if incoming
                else self.tr("Message to %1")
                if outgoing
                else self.tr("Message in a conversation with %1")
            )
        elif entry.kind == "call":
            if entry.call_type == "missed":
                text = self.tr("Missed call from %1")
            elif entry.call_type == "voicemail":
                text = self.tr("Voicemail from %1")
            else:
                text = self.tr("Call to %1") if outgoing else self.tr("Call from %1")
            who = entry.who() or self.tr("an unknown number")
        elif entry.kind == "email":
            text = self.tr("E-mail to %1") if outgoing else self.tr("E-mail from %1")
        elif entry.kind == "image":
            text, who = self.tr("Picture: %1"), name or self.tr("(no name)")
        elif entry.kind == "document":
            text, who = self.tr("Document: %1"), name or self.tr("(no name)")
        elif entry.kind == "audio":
            text, who = self.tr("Recording: %1"), name or self.tr("(no name)")
        elif entry.kind == "incident":
            summary = detail.incident.summary if detail.incident else ""
            text, who = self.tr("Incident: %1"), summary or entry.summary_line()
        else:
            text, who = self.tr("Written note: %1"), name or entry.summary_line()
        return text.replace("%1", who)

    # ----- clearing ------------------------------------------------------------------

    def _show_empty(self, text: str | None = None) -> None:
        self._empty.setText(text or self.tr("Select an entry on the timeline to see it here."))
        self._scroll.hide()
        self._notes.hide()
        self._empty.show()

    def _note_edited(self) -> None:
        self.save_button.setEnabled(
            self.note_edit.toPlainText().strip() != self._note_loaded.strip()
        )
        self.note_status.clear()

    def _wipe(self) -> None:
        """Empty every widget that held evidence, then let go of it."""
        content, self._content, self._detail = self._content, None, None
        self.entry_actions = None
        self.feed.forget()
        if content is not None:
            for viewer in content.findChildren(ImageViewer):
                viewer.clear()
            for pdf in content.findChildren(PdfViewer):
                pdf.clear()
            for player in content.findChildren(AudioPlayer):
                player.clear()  # the sound stops; its samples are let go of
            for field in content.findChildren(HashField):
                field.clear()
            for box in content.findChildren(TranscriptBox):
                box.clear()
            for english in content.findChildren(TranslationBox):
                english.clear()  # its one-line fields too
            for edit in content.findChildren(QPlainTextEdit):
                edit.clear()  # the text read in a picture, and any box added later
            for label in content.findChildren(QLabel):
                label.clear()
            for text in content.findChildren(QTextEdit):
                text.clear()
            self._scroll.takeWidget()
            content.setParent(None)
            content.deleteLater()
        self._note_entry_id = None
        self._note_loaded = ""
        self.note_edit.blockSignals(True)
        self.note_edit.clear()
        self.note_edit.document().clearUndoRedoStacks()
        self.note_edit.blockSignals(False)
        self.note_status.clear()
        self.save_button.setEnabled(False)
