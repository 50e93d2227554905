"""The detail pane on real vaults: every kind, the note, and locking that leaves nothing."""

from __future__ import annotations

import email.message
import io
from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit

from nco_desktop.evidence.notes import entry_note
from nco_desktop.importers.batch import import_paths
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.ui.common.widgets import HashField
from nco_desktop.ui.detail.conversation_view import ConversationView
from nco_desktop.ui.detail.detail_pane import SETTLE_MS, DetailPane
from nco_desktop.ui.detail.detail_sections import PictureSection, PrivateNotes
from nco_desktop.vault import Vault
from tests.conftest import PASSPHRASE, SAMPLES
from tests.support.factories import add_incident, only


def texts(widget) -> str:
    """Every piece of text the pane's widgets hold right now."""
    parts = [label.text() for label in widget.findChildren(QLabel)]
    parts += [edit.toPlainText() for edit in widget.findChildren(QTextEdit)]
    parts += [edit.toPlainText() for edit in widget.findChildren(QPlainTextEdit)]
    return "\n".join(parts)


def assert_hash_and_time_words(pane, detail):
    assert detail.original is not None
    hashes = [field.text() for field in pane.findChildren(HashField)]
    assert detail.original.sha256 in hashes
    shown = texts(pane)
    assert detail.time_source_words in shown
    assert detail.original.name in shown


def test_empty_state_is_calm(qtbot, vault):
    widget = DetailPane(VaultSession())
    qtbot.addWidget(widget)
    widget.show()  # a view reads its vault when shown
    widget.show_entry(None)
    assert "Select an entry on the timeline to see it here." in texts(widget)
    widget.session.open(vault)
    widget.show_entry(None)
    assert "Select an entry on the timeline" in texts(widget)


def shown_from_sandbox(qtbot, pane):
    """Wait for the picture the sandbox prepared to replace the import's thumbnail."""
    section = pane.findChild(PictureSection)
    qtbot.waitUntil(lambda: not section.status.isVisibleTo(section), timeout=20_000)
    return section


def test_image_is_shown_upright_and_zoom_buttons_change_the_scale(qtbot, pane, case):
    (entry,) = only(case, "image", "photo.jpg")
    pane.show_entry(entry.id)
    shown_from_sandbox(qtbot, pane)
    viewer = pane.image_viewer()
    assert viewer is not None and viewer.has_image()
    size = viewer.image_size()
    assert (size.width(), size.height()) == (30, 60)  # EXIF orientation 6 applied
    viewer.actual_button.click()
    assert viewer.scale() == pytest.approx(1.0)
    viewer.zoom_in_button.click()
    assert viewer.scale() == pytest.approx(1.25)
    viewer.zoom_out_button.click()
    viewer.zoom_out_button.click()
    assert viewer.scale() == pytest.approx(0.8)
    viewer.fit_button.click()
    assert viewer.scale() <= 1.0
    for button in (viewer.fit_button, viewer.zoom_in_button, viewer.zoom_out_button):
        assert button.accessibleName() and not button.icon().isNull()
    detail = pane.current_detail()
    assert_hash_and_time_words(pane, detail)
    assert "From the photo's EXIF data" in texts(pane)


def test_big_screenshot_fits_the_pane(qtbot, pane, case, tmp_path):
    (entry,) = only(case, "image", "Screenshot_20240312-221530.png")
    pane.show_entry(entry.id)
    shown_from_sandbox(qtbot, pane)
    viewer = pane.image_viewer()
    assert viewer.has_image()
    assert "From the screenshot's file name" in texts(pane)


def test_message_shows_its_neighbours_and_highlights_the_selected_one(pane, case):
    messages = only(case, "message")
    pane.show_entry(messages[6].id)
    (conversation,) = pane.findChildren(ConversationView)
    shown = conversation.toPlainText()
    assert shown in texts(pane)  # the pane's own text search sees the thread
    for neighbour in messages[1:12]:
        assert neighbour.text in shown
    assert messages[0].text + "\n" not in shown + "\n"  # six back is out of the window
    assert "message 6" in conversation.selected_text
    assert "message 5" not in conversation.selected_text
    # The selected one is framed apart: a thicker border in the highlight colour.
    frames = [frame.frameFormat() for frame in conversation.document().rootFrame().childFrames()]
    assert len(frames) == 11
    assert sorted(frame.border() for frame in frames) == [1.0] * 10 + [2.0]
    assert conversation.height() >= conversation.document().size().height()
    assert_hash_and_time_words(pane, pane.current_detail())


def test_call_details(pane, case):
    answered = max(only(case, "call"), key=lambda e: e.duration_s or 0)
    pane.show_entry(answered.id)
    shown = texts(pane)
    for words in ("Incoming", "They called you", "+15550100199", "Sam Roe", "2 min 5 s"):
        assert words in shown
    assert "Late at night" in shown and "America/Chicago" in shown
    assert_hash_and_time_words(pane, pane.current_detail())


def test_email_headers_and_body_as_plain_text(pane, case):
    (entry,) = only(case, "email")
    pane.show_entry(entry.id)
    shown = texts(pane)
    for words in ("sam@example.org", "jo@example.org", "You will regret this", "CDT"):
        assert words in shown
    body = [label for label in pane.findChildren(QLabel) if "I know where" in label.text()]
    assert body and "<b>at 8</b>" in body[0].text()  # shown as typed, never rendered
    assert assert_hash_and_time_words(pane, pane.current_detail()) is None


def pages_shown(qtbot, viewer, count: int) -> None:
    """Wait for the sandbox to send the page sizes, then the first page's pixels."""
    qtbot.waitUntil(lambda: viewer.page_count() == count, timeout=30_000)
    qtbot.waitUntil(lambda: viewer.rendered_page(0) is not None, timeout=30_000)


def test_pdf_pages_are_rendered_in_the_sandbox(qtbot, pane, case, tmp_path):
    (entry,) = only(case, "document", "report.pdf")
    before = set(tmp_path.rglob("*"))
    pane.show_entry(entry.id)
    viewer = pane.pdf_viewer()
    assert viewer is not None and "Opening the document" in viewer.status_text()
    pages_shown(qtbot, viewer, 3)
    assert "Page 1 of 3" in texts(pane)
    image = viewer.rendered_page(0)
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 10)
        for y in range(0, image.height(), 10)
    }
    assert {QColor("black").name(), QColor("white").name()} <= colours  # drawn, not blank
    assert set(tmp_path.rglob("*")) - before <= {p for p in tmp_path.rglob("*.ncovault*")}
    assert_hash_and_time_words(pane, pane.current_detail())


@pytest.mark.skipif(
    not (SAMPLES / "voicemail_audio").is_dir(), reason="shared samples are not present"
)
def test_audio_metadata(qtbot, vault):
    import_paths(vault, [SAMPLES / "voicemail_audio" / "mutagen__has-tags.m4a"])
    widget = DetailPane(VaultSession())
    qtbot.addWidget(widget)
    widget.show()  # a view reads its vault when shown
    widget.session.open(vault)
    (entry,) = only(vault, "audio")
    widget.show_entry(entry.id)
    shown = texts(widget)
    assert "Length" in shown and "AAC" in shown and "audio/mp4" in shown
    assert_hash_and_time_words(widget, widget.current_detail())


def test_incident_with_private_notes_clearly_labelled(pane, case):
    incident_id = add_incident(case)
    pane.show_entry(incident_id)
    shown = texts(pane)
    for words in ("Main St bus stop", "Ann Lee (neighbour)", "Springfield PD", "24-001"):
        assert words in shown
    (private,) = pane.findChildren(PrivateNotes)
    assert "private — never printed" in private.label.text().lower()
    assert private.text.text() == "I was too scared to call."
    assert "Entered by you" in shown


def test_note_is_saved_on_switch_on_commit_and_survives_reopening(qtbot, pane, case):
    note_entry, email_entry = only(case, "note")[0], only(case, "email")[0]
    pane.show_entry(note_entry.id)
    pane.note_edit.setPlainText("The night he parked outside.")
    with qtbot.waitSignal(pane.note_saved) as saved:
        pane.show_entry(email_entry.id)  # switching saves
    assert saved.args == [note_entry.id]
    assert pane.note_edit.toPlainText() == ""
    pane.note_edit.setPlainText("Sent after the hearing.")
    with qtbot.waitSignal(pane.note_saved):
        pane.commit_pending_edits()
    assert "saved" in pane.note_status.text().lower()
    pane.note_edit.setPlainText("Sent after the hearing. Kept a copy.")
    assert pane.save_button.isEnabled()
    with qtbot.waitSignal(pane.note_saved):
        pane.save_button.click()
    with qtbot.assertNotEmitted(pane.note_saved):
        pane.commit_pending_edits()  # nothing changed: no write
    path = case.path
    pane.session.detach()
    case.close()
    with Vault.open(path, PASSPHRASE) as reopened:
        assert entry_note(reopened.conn, note_entry.id) == "The night he parked outside."
        assert entry_note(reopened.conn, email_entry.id) == "Sent after the hearing. Kept a copy."
        pane.session.open(reopened)
        pane.show_entry(note_entry.id)
        assert pane.note_edit.toPlainText() == "The night he parked outside."
        pane.session.detach()


def test_locking_clears_every_picture_document_text_and_note(qtbot, pane, case):
    picture = only(case, "image", "photo.jpg")[0]
    pane.show_entry(picture.id)
    viewer = pane.image_viewer()
    sha = pane.current_detail().original.sha256
    pane.show_entry(only(case, "document", "report.pdf")[0].id)
    assert not viewer.has_image()  # switching entries dropped the picture already
    pdf = pane.pdf_viewer()
    pages_shown(qtbot, pdf, 3)
    pane.show_entry(only(case, "message")[3].id)
    pane.note_edit.setPlainText("unsaved words")
    pane.session.detach()
    assert pdf.page_count() == 0 and pdf.rendered_page(0) is None
    assert pane.image_viewer() is None and pane.pdf_viewer() is None
    assert pane.current_detail() is None
    shown = texts(pane)
    for secret in ("message", "Sam Roe", sha, "report.pdf", "unsaved words", "sms-2024"):
        assert secret not in shown.replace("Select an entry on the timeline", "")
    assert all(label.pixmap().isNull() for label in pane.findChildren(QLabel))
    assert "Select an entry on the timeline to see it here." in shown
    pane.show_entry(picture.id)  # locked: nothing can be shown
    assert pane.current_detail() is None


def test_a_missing_entry_says_so(pane):
    pane.show_entry(999_999)
    assert "no longer in the vault" in texts(pane)


def test_originals_never_reach_a_decoder_in_the_window(qtbot, pane, case, monkeypatch):
    """Pictures, attachments and PDF pages arrive as pixels from the sandbox, and the
    stored thumbnails are plain pixels too: no picture is decoded in this process."""
    from PySide6.QtGui import QImageReader
    from PySide6.QtPdf import QPdfDocument

    from nco_desktop.ui.detail import detail_sections

    thumbnails = {
        bytes(row[0])
        for row in case.conn.execute(
            "SELECT c.data FROM blob_chunks c JOIN derivatives d ON d.blob_id = c.blob_id"
        )
    }
    decoded: list[bytes] = []
    real_decode = detail_sections.decode_thumbnail
    monkeypatch.setattr(
        detail_sections,
        "decode_thumbnail",
        lambda data: (decoded.append(data), real_decode(data))[1],
    )
    readers: list[object] = []
    real_read = QImageReader.read
    monkeypatch.setattr(
        QImageReader, "read", lambda self: (readers.append(self), real_read(self))[1]
    )
    monkeypatch.setattr(QPdfDocument, "load", lambda *a: pytest.fail("a PDF was opened here"))
    (entry,) = only(case, "image", "photo.jpg")
    pane.show_entry(entry.id)
    shown_from_sandbox(qtbot, pane)
    assert pane.image_viewer().has_image()
    assert decoded and set(decoded) <= thumbnails
    assert not readers  # no picture reader ran in this process
    pane.show_entry(only(case, "document", "report.pdf")[0].id)
    pages_shown(qtbot, pane.pdf_viewer(), 3)


def test_a_picture_that_cannot_be_shown_says_why_over_its_thumbnail(qtbot, pane, case, monkeypatch):
    """Here the stored picture is over the pane's size limit; a damaged one takes the
    same path with the sandbox's sentence (tests/unit/test_picture_previews.py)."""
    from nco_desktop.ui.detail import sandbox_feed

    monkeypatch.setattr(sandbox_feed, "PICTURE_LIMIT", 10)
    (entry,) = only(case, "image", "photo.jpg")
    pane.show_entry(entry.id)
    section = pane.findChild(PictureSection)
    qtbot.waitUntil(lambda: "could not be shown" in section.status.text(), timeout=20_000)
    assert "small preview made at import" in section.status.text()
    assert pane.image_viewer().has_image()  # the thumbnail stays


def test_a_recording_takes_a_transcript_saved_on_switch_and_a_refused_one_stays(
    qtbot, vault, tmp_path
):
    import wave

    from nco_desktop.evidence.transcripts import transcript

    folder = tmp_path / "rec"
    folder.mkdir()
    with wave.open(str(folder / "voicemail.wav"), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(8000)
        handle.writeframes(b"\x00\x10" * 8000)
    (folder / "note.txt").write_text("He called from a new number.")
    import_paths(vault, [folder], thumbnails=False)
    (recording,) = only(vault, "audio")
    other = only(vault, "note")[0]
    pane = DetailPane(VaultSession())
    qtbot.addWidget(pane)
    pane.show()  # a view reads its vault when shown
    pane.session.open(vault)
    pane.show_entry(other.id)
    assert pane.transcript_box() is None  # only recordings have one
    pane.show_entry(recording.id)
    box = pane.transcript_box()
    assert box is not None and box.edit.toPlainText() == ""
    box.edit.setPlainText("Caller: pick up the phone.")
    assert box.save_button.isEnabled()
    with qtbot.waitSignal(pane.note_saved):
        pane.show_entry(other.id)  # switching saves the transcript
    assert transcript(vault.conn, recording.id) == "Caller: pick up the phone."
    pane.show_entry(recording.id)
    box = pane.transcript_box()
    assert box.edit.toPlainText() == "Caller: pick up the phone."
    box.edit.setPlainText("x" * 100_001)
    pane.show_entry(other.id)  # refused: the pane stays, the words stay, the reason shows
    assert pane.transcript_box() is box
    assert box.edit.toPlainText() == "x" * 100_001
    assert "at most" in box.status.text()
    assert transcript(vault.conn, recording.id) == "Caller: pick up the phone."
    box.edit.setPlainText("Caller: pick up the phone. I'm outside.")
    assert pane.commit_pending_edits()
    assert transcript(vault.conn, recording.id) == "Caller: pick up the phone. I'm outside."
    pane.session.detach()
    assert pane.transcript_box() is None  # locked: the words are gone from the pane


def test_dragging_a_box_over_a_picture_marks_an_area_to_hide_from_the_other_side(
    qtbot, pane, case, tmp_path
):
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    from nco_desktop.evidence.picture_areas import picture_areas

    (entry,) = only(case, "image", "Screenshot_20240312-221530.png")
    pane.show_entry(entry.id)
    shown_from_sandbox(qtbot, pane)
    bar, viewer = pane.picture_areas_bar(), pane.image_viewer()
    assert bar is not None and not bar.undo_button.isVisibleTo(bar)
    # The sentence that gave way to the picture leaves a layout to redo, and the fit
    # scale follows it: points are mapped after that, or they map at the old scale.
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
    QApplication.processEvents()
    viewport = viewer._view.viewport()
    viewer._view.setFocus()
    start = viewer.view_point(0.1, 0.1).toPoint()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseRelease(
        viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start + QPoint(40, 40)
    )
    assert picture_areas(case.conn, pane.current_detail().original.id) == []  # not marking
    bar.mark_button.click()
    assert viewer.marking()
    end = viewer.view_point(0.6, 0.5).toPoint()
    QTest.mousePress(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, start)
    QTest.mouseMove(viewport, (start + end) / 2)
    with qtbot.waitSignal(bar.changed):
        QTest.mouseRelease(viewport, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier, end)
    (area,) = picture_areas(case.conn, pane.current_detail().original.id)
    assert area.left == pytest.approx(0.1, abs=0.02) and area.bottom == pytest.approx(0.5, abs=0.02)
    assert viewer.area_count() == 1
    bar.mark_button.click()  # done marking
    assert not viewer.marking()
    assert "1 area will be blacked out" in bar.status.text()
    assert "court's copy and your original stay whole" in bar.status.text()
    # Reopening the entry shows the box again; Remove last box takes it away.
    pane.show_entry(only(case, "note")[0].id)
    pane.show_entry(entry.id)
    bar = pane.picture_areas_bar()
    assert pane.image_viewer().area_count() == 1
    with qtbot.waitSignal(bar.changed):
        bar.undo_button.click()
    assert picture_areas(case.conn, pane.current_detail().original.id) == []
    assert pane.image_viewer().area_count() == 0


def test_a_quickly_moving_selection_shows_the_entry_it_rests_on(qtbot, pane, case):
    """Holding ↓ must not build every entry passed over; the one stopped on is shown."""
    first, second, third = (e.id for e in only(case, "message")[:3])
    pane.follow_selection(first)  # a single step: shown at once
    assert pane.current_detail().id == first
    pane.follow_selection(second)  # moving quickly: waits for the selection to rest
    pane.follow_selection(third)
    assert pane.current_detail().id == first
    qtbot.waitUntil(lambda: pane.current_detail() is not None and pane.current_detail().id == third)
    pane.follow_selection(first)
    pane.follow_selection(second)  # still moving quickly, then locked before it rests
    pane.session.detach()
    qtbot.wait(SETTLE_MS * 2)
    assert pane.current_detail() is None


def tiff_email(tmp_path) -> Path:
    """An e-mail whose attachment is a 64×48 TIFF: enough to crash a reader freed late."""
    picture = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(picture, "TIFF")
    message = email.message.EmailMessage()
    message["From"] = "Sam Roe <sam@example.org>"
    message["To"] = "Jo Doe <jo@example.org>"
    message["Subject"] = "look"
    message["Date"] = "Tue, 12 Mar 2024 22:15:30 -0500"
    message.set_content("See the attached picture.")
    message.add_attachment(
        picture.getvalue(), maintype="image", subtype="tiff", filename="scan.tiff"
    )
    path = tmp_path / "tiff.eml"
    path.write_bytes(message.as_bytes())
    return path


@pytest.mark.parametrize("source", ["made", "sample"])
def test_a_message_with_a_tiff_picture_is_shown_without_a_crash(
    qtbot, vault, session, tmp_path, source
):
    path = tiff_email(tmp_path) if source == "made" else SAMPLES / "email/extract-msg__unicode.msg"
    import_paths(vault, [path])
    widget = DetailPane(session)
    qtbot.addWidget(widget)
    widget.resize(440, 700)
    session.open(vault)
    widget.show()
    qtbot.waitExposed(widget)
    shown = 0
    for (entry_id,) in vault.conn.execute("SELECT id FROM entries").fetchall():
        widget.show_entry(entry_id)
        qtbot.wait(20)  # the pane lays out and paints what it decoded
        assert widget.current_detail() is not None
        shown += 1
    assert shown
