"""The text read in a picture, in the detail pane: shown under the picture, plainly
labelled as the computer's reading, and the search's words marked in it and on the
picture. Real vaults, real imports, real widgets; the readings are saved directly
(no reader runs: what is tested is how a stored reading is shown)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit

from nco_desktop.importers.batch import import_paths
from nco_desktop.ocr import store
from nco_desktop.ocr.store import OcrPage
from nco_desktop.ocr.words import OcrWord
from nco_desktop.timeline.detail import load_entry_detail
from nco_desktop.ui.detail.conversation_view import mark_search_words
from nco_desktop.ui.detail.detail_pane import DetailPane
from nco_desktop.ui.detail.detail_sections import PictureSection
from nco_desktop.ui.detail.picture_text import MOST_LINES, PictureText
from nco_desktop.vault import Vault
from tests.support.factories import only

LINES = ("Sam Roe", "I know where you live", "and where you park", "See you soon")
MISTAKES = (
    "Read by the computer, offline. It may contain mistakes: the picture itself is the evidence."
)


def draw_picture(
    path: Path, lines: tuple[str, ...] = LINES, size: tuple[int, int] = (600, 420)
) -> list[OcrWord]:
    """A screenshot-like PNG with *lines* drawn on it, and the words with their real
    boxes, as a reader would report them."""
    image = Image.new("RGB", size, "#f4f4f4")
    draw = ImageDraw.Draw(image)
    font_size = size[0] // 18
    font = ImageFont.load_default(size=font_size)
    words: list[OcrWord] = []
    top = size[1] // 12
    for number, line in enumerate(lines):
        left = size[0] // 15
        draw.rounded_rectangle(
            (
                left - 14,
                top - 12,
                left + draw.textlength(line, font=font) + 14,
                top + font_size + 14,
            ),
            radius=16,
            fill="#dde6f7" if number % 2 else "white",
        )
        for text in line.split():
            x0, y0, x1, y1 = (round(v) for v in draw.textbbox((left, top), text, font=font))
            draw.text((left, top), text, fill="#202020", font=font)
            words.append(OcrWord(text, x0, y0, x1 - x0, y1 - y0, 91.5, number))
            left = x1 + round(draw.textlength(" ", font=font))
        top += round(font_size * 2.4)
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(path)
    return words


def import_picture(vault: Vault, folder: Path, **draw) -> tuple[int, int, list[OcrWord]]:
    """(entry id, original id, the words drawn) of a picture imported into *vault*."""
    words = draw_picture(folder / "Screenshot_20261111-231502.png", **draw)
    import_paths(vault, [folder / "Screenshot_20261111-231502.png"])
    (entry,) = only(vault, "image")
    (original_id,) = vault.conn.execute(
        "SELECT original_id FROM entries WHERE id = ?", (entry.id,)
    ).fetchone()
    return entry.id, int(original_id), words


@pytest.fixture
def pane(qtbot, vault, session):
    widget = DetailPane(session)
    qtbot.addWidget(widget)
    widget.resize(460, 900)
    widget.session.open(vault)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def picture_text(pane) -> PictureText:
    section = pane.findChild(PictureSection)
    assert section is not None
    return section.read_text


def sharp_picture_shown(qtbot, pane) -> None:
    """Wait for the sandbox's rendering to replace the import's thumbnail."""
    section = pane.findChild(PictureSection)
    qtbot.waitUntil(lambda: not section.status.isVisibleTo(section), timeout=20_000)


def fractions(word: OcrWord, width: int, height: int) -> tuple[float, float, float, float]:
    return (
        word.left / width,
        word.top / height,
        (word.left + word.width) / width,
        (word.top + word.height) / height,
    )


def quiet_lines(widget) -> list[str]:
    return [label.text() for label in widget.findChildren(QLabel) if label.property("quiet")]


# ----- what is shown ------------------------------------------------------------------------


def test_the_text_read_is_shown_under_the_picture_and_can_be_copied(qtbot, pane, vault, tmp_path):
    entry_id, original_id, words = import_picture(vault, tmp_path / "in")
    store.save_page(vault, original_id, 0, width=600, height=420, words=words)
    detail = load_entry_detail(vault.conn, entry_id, vault.time_zone)
    assert detail.reading is not None and detail.reading.text == "\n".join(LINES)

    pane.show_entry(entry_id)
    part = picture_text(pane)
    box = part.box
    assert isinstance(box, QPlainTextEdit)
    assert box.toPlainText() == "\n".join(LINES)
    assert part.heading.text() == "Text in the picture"
    assert MISTAKES in quiet_lines(part)
    assert box.isReadOnly()
    flags = box.textInteractionFlags()
    assert flags & Qt.TextInteractionFlag.TextSelectableByMouse
    assert flags & Qt.TextInteractionFlag.TextSelectableByKeyboard
    box.selectAll()
    box.copy()
    assert QApplication.clipboard().text() == "\n".join(LINES)
    # Below the picture, as tall as its four lines: no scroll bar, nothing cut.
    viewer = pane.image_viewer()
    assert (
        box.mapTo(pane, box.rect().topLeft()).y()
        > viewer.mapTo(pane, viewer.rect().bottomLeft()).y()
    )
    assert box.verticalScrollBar().maximum() == 0
    assert box.height() < box.fontMetrics().lineSpacing() * 7


def test_a_long_reading_scrolls_in_a_box_of_a_sensible_height(qtbot, pane, vault, tmp_path):
    lines = tuple(f"line {n} of a long chat" for n in range(40))
    entry_id, original_id, words = import_picture(
        vault, tmp_path / "in", lines=lines, size=(600, 2400)
    )
    store.save_page(vault, original_id, 0, width=600, height=2400, words=words)
    pane.show_entry(entry_id)
    box = picture_text(pane).box
    assert box is not None
    spacing = box.fontMetrics().lineSpacing()
    assert spacing * (MOST_LINES - 1) < box.height() < spacing * (MOST_LINES + 2)
    qtbot.waitUntil(lambda: box.verticalScrollBar().maximum() > 0)
    assert box.toPlainText().count("\n") == 39


@pytest.mark.parametrize(
    ("state", "sentence"),
    [
        (
            "not read",
            "The text in this picture has not been read yet. It is read in the background; "
            "search will find it once it has been.",
        ),
        (
            "failed",
            "The text in this picture could not be read (the reader stopped). "
            "The picture is unchanged.",
        ),
        ("no words", "No text was found in this picture."),
    ],
)
def test_no_text_is_said_plainly(qtbot, pane, vault, tmp_path, state, sentence):
    entry_id, original_id, _words = import_picture(vault, tmp_path / "in")
    if state == "failed":
        store.save_failure(vault, original_id, "the reader stopped")
    elif state == "no words":
        store.save_page(vault, original_id, 0, width=600, height=420, words=[])
    pane.show_entry(entry_id)
    part = picture_text(pane)
    assert part.box is None
    assert quiet_lines(part) == [sentence]
    assert part.heading.text() == "Text in the picture"
    mark_search_words(pane, ["where"])  # nothing to mark, and nothing breaks
    assert part.marked == [] and pane.image_viewer().matches() == []


# ----- the search's words, marked ---------------------------------------------------------------


def test_a_search_marks_its_words_in_the_text_and_on_the_picture(qtbot, pane, vault, tmp_path):
    entry_id, original_id, words = import_picture(vault, tmp_path / "in")
    store.save_page(vault, original_id, 0, width=600, height=420, words=words)
    pane.show_entry(entry_id)
    sharp_picture_shown(qtbot, pane)
    part, viewer = picture_text(pane), pane.image_viewer()
    assert viewer.matches() == [] and part.box.extraSelections() == []

    mark_search_words(pane, ["where you live"])
    line = words[2:7]  # I know where you live
    assert [w.text for w in line] == ["I", "know", "where", "you", "live"]
    assert viewer.matches() == [fractions(w, 600, 420) for w in line[2:]]
    shown = part.box.toPlainText()
    assert [shown[at : at + n] for at, n in part.marked] == ["where you live"]
    (selection,) = part.box.extraSelections()
    assert selection.cursor.selectedText() == "where you live"
    # Drawn on the picture where the words are, and still there after zooming.
    size = viewer.image_size()
    assert (size.width(), size.height()) == (600, 420)
    for item, word in zip(viewer.match_items(), line[2:], strict=True):
        rect = item.rect()
        assert (rect.x(), rect.y(), rect.width(), rect.height()) == pytest.approx(
            (word.left, word.top, word.width, word.height)
        )
    viewer.zoom_in_button.click()
    first = viewer.match_items()[0]
    at = viewer.view().mapFromScene(first.rect().topLeft())
    assert QPointF(at) == viewer.view_point(*viewer.matches()[0][:2])

    mark_search_words(pane, ["WHERE"])  # a single word, any case: on both lines
    assert viewer.matches() == [fractions(words[4], 600, 420), fractions(words[8], 600, 420)]
    assert len(part.box.extraSelections()) == 2

    mark_search_words(pane, [])
    assert viewer.matches() == [] and viewer.match_items() == []
    assert part.marked == [] and part.box.extraSelections() == []


def test_a_picture_shown_later_is_marked_and_marks_outlive_the_sharper_preview(
    qtbot, pane, vault, tmp_path
):
    entry_id, original_id, words = import_picture(vault, tmp_path / "in")
    store.save_page(vault, original_id, 0, width=600, height=420, words=words)
    mark_search_words(pane, ["soon"])  # the search came first
    pane.show_entry(entry_id)
    viewer = pane.image_viewer()
    (soon,) = [w for w in words if w.text == "soon"]
    qtbot.waitUntil(lambda: viewer.matches() == [fractions(soon, 600, 420)])
    sharp_picture_shown(qtbot, pane)
    (item,) = viewer.match_items()
    assert item.rect().topLeft() == QPointF(soon.left, soon.top)
    assert len(picture_text(pane).box.extraSelections()) == 1


def test_a_reading_of_another_size_still_marks_the_right_place(qtbot, pane, vault, tmp_path):
    """A reader may read a larger rendering (or a rotated photo's upright pixels): the
    boxes are in its pixels, and land on the picture shown by fractions."""
    entry_id, original_id, words = import_picture(vault, tmp_path / "in")
    doubled = [
        OcrWord(w.text, w.left * 2, w.top * 2, w.width * 2, w.height * 2, w.confidence, w.line)
        for w in words
    ]
    store.save_page(vault, original_id, 0, width=1200, height=840, words=doubled)
    pane.show_entry(entry_id)
    sharp_picture_shown(qtbot, pane)
    viewer = pane.image_viewer()
    mark_search_words(pane, ["park"])
    (park,) = [w for w in words if w.text == "park"]
    assert viewer.matches() == [pytest.approx(fractions(park, 600, 420))]
    (item,) = viewer.match_items()
    rect = item.rect()
    assert (rect.x(), rect.y(), rect.width(), rect.height()) == pytest.approx(
        (park.left, park.top, park.width, park.height)
    )


def test_marks_in_the_text_land_on_the_words_after_an_emoji(qtbot):
    """An emoji takes two places in a Qt document: the marks after one are not shifted."""
    words = (
        OcrWord("🙂🙂", 0, 0, 20, 10, 80.0, 0),
        OcrWord("Where", 25, 0, 40, 10, 90.0, 0),
        OcrWord("are", 0, 20, 30, 10, 90.0, 1),
        OcrWord("you", 35, 20, 30, 10, 90.0, 1),
    )
    part = PictureText(OcrPage(1, 0, "ok", 100, 40, words, None), None)
    qtbot.addWidget(part)
    part.mark_words(["where", "YOU"])
    assert part.box is not None
    marked = [selection.cursor.selectedText() for selection in part.box.extraSelections()]
    assert marked == ["Where", "you"]
    assert part.marked_boxes == [(0.25, 0.0, 0.65, 0.25), (0.35, 0.5, 0.65, 0.75)]


def test_locking_drops_the_words_read(qtbot, pane, vault, tmp_path):
    entry_id, original_id, words = import_picture(vault, tmp_path / "in")
    store.save_page(vault, original_id, 0, width=600, height=420, words=words)
    pane.show_entry(entry_id)
    part = picture_text(pane)
    mark_search_words(pane, ["live"])
    box = part.box
    assert box is not None and "where you live" in box.toPlainText()
    pane.session.detach()
    assert box.toPlainText() == "" and box.extraSelections() == []
    assert part.marked == [] and part.marked_boxes == []


def test_a_date_the_picture_shows_is_offered_for_a_picture_with_no_time(
    qtbot, vault, pane, tmp_path
):
    """Pasted pictures have no time of their own. The date read in one is offered,
    filled into the time dialog for the user to check, and saved only by them, with the
    line it came from as the reason."""
    from PySide6.QtCore import QTimer

    from nco_desktop.ui.detail.time_dialog import CorrectTimeDialog

    lines = ("Sam Roe", "Tue, Mar 12, 2024 at 10:15 PM", "I know where you live")
    words = draw_picture(tmp_path / "in" / "pasted.png", lines)
    import_paths(vault, [tmp_path / "in" / "pasted.png"])
    (entry,) = only(vault, "image")
    assert entry.time_source in ("file-mtime", "unknown")
    original_id = vault.conn.execute(
        "SELECT original_id FROM entries WHERE id = ?", (entry.id,)
    ).fetchone()[0]
    store.save_page(vault, original_id, 0, width=600, height=420, words=words)
    pane.show_entry(entry.id)
    actions = pane.entry_actions
    assert actions is not None and actions.suggestion_label is not None
    assert "Tuesday, Mar 12, 2024, 10:15 PM CDT" in actions.suggestion_label.text()
    assert actions.suggestion_button is not None
    assert not actions.suggestion_button.isDefault() and not actions.suggestion_button.autoDefault()
    pane.grab().save("/tmp/hS_date_offered.png")
    seen: dict[str, str] = {}

    def check_and_save() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, CorrectTimeDialog)
        seen["when"] = dialog.when.text()
        seen["reason"] = dialog.reason.toPlainText()
        seen["note"] = dialog.suggested.text() if dialog.suggested else ""
        dialog.grab().save("/tmp/hS_date_dialog.png")
        dialog.save_button.click()

    QTimer.singleShot(0, check_and_save)
    actions.suggestion_button.click()
    assert "10:15" in seen["when"] and "2024" in seen["when"]
    assert (
        "Tue, Mar 12, 2024 at 10:15 PM" in seen["reason"]
        and "read by the computer" in seen["reason"]
    )
    assert "Check it against the picture" in seen["note"]
    (saved,) = only(vault, "image")
    assert saved.time_source == "user"  # the user's time, not the computer's
    reason = vault.conn.execute(
        "SELECT reason FROM entry_time_corrections WHERE entry_id = ?", (entry.id,)
    ).fetchone()[0]
    assert "read by the computer" in reason


def test_no_date_is_offered_when_the_picture_has_a_time_of_its_own(qtbot, vault, pane, tmp_path):
    entry_id, original_id, _words = import_picture(vault, tmp_path / "in")  # dated file name
    lines = ("Tue, Mar 12, 2024 at 10:15 PM",)
    words = draw_picture(tmp_path / "other" / "x.png", lines)
    store.save_page(vault, original_id, 0, width=600, height=420, words=words)
    pane.show_entry(entry_id)
    assert pane.entry_actions is not None and pane.entry_actions.suggestion_label is None


def test_the_contact_a_pictures_header_shows_is_offered_and_saved_as_the_users(
    qtbot, vault, pane, tmp_path
):
    from nco_desktop.binder.assemble import build_binder
    from nco_desktop.ui.common import prompts

    lines = ("John Roe", "I know where you live", "Answer me")
    words = draw_picture(tmp_path / "in" / "pasted.png", lines, size=(600, 1600))
    import_paths(vault, [tmp_path / "in" / "pasted.png"])
    (entry,) = only(vault, "image")
    assert entry.party is None
    original_id = vault.conn.execute(
        "SELECT original_id FROM entries WHERE id = ?", (entry.id,)
    ).fetchone()[0]
    store.save_page(vault, original_id, 0, width=600, height=1600, words=words)
    pane.show_entry(entry.id)
    actions = pane.entry_actions
    assert actions is not None and actions.sender_label is not None
    assert actions.sender_label.text() == "The picture's header shows: John Roe"
    assert actions.sender_button is not None and not actions.sender_button.autoDefault()
    prompts.answer_next(None)  # Cancel: nothing is saved
    actions.sender_button.click()
    assert only(vault, "image")[0].party is None
    assert prompts.asked[-1].default == "John Roe"  # offered, for the user to check
    prompts.answer_next("John Roe")
    actions.sender_button.click()
    (named,) = only(vault, "image")
    assert named.party == "John Roe"
    qtbot.waitUntil(lambda: pane.entry_actions is not None and pane.entry_actions is not actions)
    assert pane.entry_actions.sender_label is None  # named now: no second offer
    import io

    from pypdf import PdfReader

    out = io.BytesIO()
    build_binder(vault, out)
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(out).pages)
    assert "John Roe (named by the user: The screenshot's header shows" in text


def test_the_larger_window_shows_the_same_marks_and_follows_the_search(
    qtbot, pane, vault, tmp_path
):
    from nco_desktop.ui.detail.picture_window import PictureWindow

    entry_id, original_id, words = import_picture(vault, tmp_path / "in")
    store.save_page(vault, original_id, 0, width=600, height=420, words=words)
    pane.show_entry(entry_id)
    sharp_picture_shown(qtbot, pane)
    viewer = pane.image_viewer()
    mark_search_words(pane, ["where you live"])
    viewer.larger_button.click()
    (window,) = [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, PictureWindow) and not w.forgotten()
    ]
    qtbot.waitExposed(window)
    assert window.viewer.matches() == viewer.matches() and len(viewer.matches()) == 3
    qtbot.waitUntil(lambda: not window.status.isVisibleTo(window), timeout=20_000)
    assert len(window.viewer.match_items()) == 3  # still there on the larger rendering
    mark_search_words(pane, ["park"])
    assert window.viewer.matches() == viewer.matches() and len(viewer.matches()) == 1
    window.close()


def test_the_windows_search_finds_words_read_in_a_picture(qtbot, vault, session, tmp_path):
    """The timeline's search box, as a user types into it, finds a picture by its text."""
    from nco_desktop.ui.timeline.timeline_page import TimelinePage

    entry_id, original_id, words = import_picture(vault, tmp_path / "in")
    page = TimelinePage(session)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.show()
    qtbot.waitExposed(page)
    session.open(vault)
    with qtbot.waitSignal(page.counts_changed, timeout=3000) as signal:
        page.text_field.setText("where you park")
    assert signal.args[0] == 0  # not read yet: nothing in the picture's name or text
    store.save_page(vault, original_id, 0, width=600, height=420, words=words)
    with qtbot.waitSignal(page.counts_changed, timeout=3000) as signal:
        page.text_field.setText("where you PARK")
    assert signal.args[0] == 1
    model = page.model
    assert [model.entry_id(r) for r in range(model.rowCount()) if not model.is_header(r)] == [
        entry_id
    ]
