"""Finding a page in the binder preview (page box, contents, small pages), and Print to
File writing the binder itself — its text and bookmarks — as Save does."""

from __future__ import annotations

import io
import stat

from pypdf import PdfReader
from PySide6.QtCore import Qt

from nco_desktop.ui.binder.binder_preview import SERVICE
from nco_desktop.ui.common import prompts
from tests.ui import test_binder_page as binder_tests
from tests.ui.test_binder_page import build, pdf_printer, preview_shows

# The Binder view's fixtures: a vault with messages, a screenshot and a police report.
case_vault = binder_tests.case_vault
page = binder_tests.page


def _outline_titles(reader: PdfReader) -> list[tuple[str, int]]:
    return [(item.title, reader.get_destination_page_number(item) + 1) for item in reader.outline]


def test_the_contents_are_the_bookmarks_and_lead_to_their_pages(qtbot, page):
    build(qtbot, page)
    preview = page.preview
    preview_shows(qtbot, page, page.built.court.pages)
    written = _outline_titles(PdfReader(io.BytesIO(page.built.court.data)))
    assert preview.outline_entries() == written
    titles = [title for title, _ in written]
    assert titles[:3] == ["Cover", "Exhibit index", "Chronology"]
    assert titles[-2:] == ["Integrity appendix", "Declaration"]
    assert any(title.startswith("Pet. Ex. 1 — ") for title in titles)
    assert preview.outline.topLevelItemCount() == len(written)

    row = next(n for n, (title, _) in enumerate(written) if title.startswith("Pet. Ex. 1"))
    item = preview.outline.topLevelItem(row)
    assert item.text(1) == str(written[row][1])
    preview.outline.itemClicked.emit(item, 0)
    assert preview.view.current_page() == written[row][1] - 1
    assert preview.page_box.value() == written[row][1]
    assert preview.outline.currentItem() is item  # the section the view is in


def test_the_page_box_jumps_on_enter_and_ctrl_g_reaches_it(qtbot, page):
    build(qtbot, page)
    preview = page.preview
    count = page.built.court.pages
    preview_shows(qtbot, page, count)
    assert preview.page_box.isVisible() and preview.page_total.text() == f"of {count}"
    preview.view.setFocus()
    qtbot.keyClick(preview.view, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    assert preview.page_box.hasFocus()
    qtbot.keyClicks(preview.page_box, str(count - 1))
    assert preview.view.current_page() == 0  # not yet: the number is still being typed
    qtbot.keyClick(preview.page_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: preview.view.current_page() >= count - 3)
    assert preview.page_box.value() == preview.view.current_page() + 1
    qtbot.keyClicks(preview.page_box, "9999")  # past the end: the last page, no error
    qtbot.keyClick(preview.page_box, Qt.Key.Key_Return)
    assert preview.page_box.value() <= count


def test_small_pages_are_rendered_in_the_sandbox_only_while_in_sight(qtbot, page):
    build(qtbot, page)
    preview = page.preview
    count = page.built.court.pages
    preview_shows(qtbot, page, count)
    preview.side.setCurrentWidget(preview.thumbnails)
    strip = preview.thumbnails
    assert strip.thumbnails.rowCount() == count
    in_sight = strip.visible_pages()
    assert 0 < len(in_sight) < count
    qtbot.waitUntil(lambda: all(strip.thumbnails.has(p) for p in in_sight), timeout=30_000)
    assert strip.thumbnails.rendered() == len(in_sight)  # none out of sight
    assert not strip.thumbnails.has(count - 1)
    strip.page_chosen.emit(count - 1)
    assert preview.view.current_page() >= count - 3
    strip.scrollToBottom()
    qtbot.waitUntil(lambda: strip.thumbnails.has(count - 1), timeout=30_000)
    page.session.detach()  # locking forgets every small page
    assert strip.thumbnails.rowCount() == 0 and strip.thumbnails.rendered() == 0


def test_a_long_binder_lays_out_its_strip_at_once(qtbot, page):
    """1,400 pages: the strip asks for a handful of pictures, not 1,400."""
    strip = page.preview.thumbnails
    asked: list[int] = []
    strip._render = lambda index, width, done: asked.append(index)
    page.preview.side.setCurrentWidget(strip)
    page.preview.side.show()
    strip.set_pages([(612.0, 792.0)] * 1400)
    assert strip.thumbnails.rowCount() == 1400
    assert len(asked) == 1  # one at a time, and the first in sight
    strip.verticalScrollBar().setValue(strip.verticalScrollBar().maximum())
    assert strip.visible_pages()[-1] == 1399
    strip.clear()


def test_print_to_file_writes_the_binder_itself_with_its_text_and_bookmarks(qtbot, page, tmp_path):
    page.options_form.service_copy.setChecked(True)
    build(qtbot, page)
    built = page.built
    out = tmp_path / "printed.pdf"
    page.choose_printer = lambda parent, paper, title: pdf_printer(out)
    prompts.answer_next(False)  # refused: nothing is written
    assert not page.print_shown() and not out.exists()
    assert "not encrypted" in prompts.asked[-1].text.lower()
    prompts.answer_next(True, None)  # the warning, then "Binder saved"
    assert page.print_shown()
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    assert out.read_bytes() == built.court.data  # not pictures of the pages
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    reader = PdfReader(out)
    assert "Police incident report" in "".join(p.extract_text() for p in reader.pages)
    assert _outline_titles(reader)[0] == ("Cover", 1)

    # The copy shown is the one written; "3 copies" writes each copy once, as Save does.
    page.preview.show_copy(SERVICE)
    other = tmp_path / "served.pdf"
    page.choose_printer = lambda parent, paper, title: pdf_printer(other)
    prompts.answer_next(frozenset(), True, None)  # the review of private details first
    assert page.print_shown()
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    assert other.read_bytes() == built.service.data
    three = tmp_path / "three.pdf"
    page.choose_printer = lambda parent, paper, title: pdf_printer(three)
    prompts.answer_next(True, None)
    assert page.print_three_copies()
    assert "three-for-service.pdf" in prompts.asked[-1].text
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    assert three.read_bytes() == built.court.data
    assert (tmp_path / "three-for-service.pdf").read_bytes() == built.service.data
