"""The page view lays pages out, asks only for what is in view, and keeps few pictures."""

from __future__ import annotations

from PySide6.QtGui import QColor, QImage

from nco_desktop.ui.common.page_view import KEPT_PAGES, PageView

LETTER = (612.0, 792.0)


class Sandbox:
    """Answers the view's requests at once, as a sandbox worker would, and counts them."""

    def __init__(self, view: PageView, colour: str = "black") -> None:
        self.view, self.colour = view, colour
        self.asked: list[tuple[int, int]] = []
        view.page_wanted.connect(self.answer)

    def answer(self, index: int, width: int) -> None:
        self.asked.append((index, width))
        image = QImage(width, round(width * 11 / 8.5), QImage.Format.Format_RGB32)
        image.fill(QColor(self.colour))
        self.view.show_page(index, width, image)

    def take(self) -> list[tuple[int, int]]:
        asked, self.asked = self.asked, []
        return asked


def make_view(qtbot, width: int, height: int) -> PageView:
    view = PageView()
    qtbot.addWidget(view)
    view.resize(width, height)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_only_pages_in_view_are_asked_for_and_drawn(qtbot):
    view = make_view(qtbot, 400, 600)
    sandbox = Sandbox(view)
    view.set_pages([LETTER] * 50)
    asked = sandbox.take()
    assert [index for index, _ in asked] == view.visible_pages() == [0, 1]
    assert all(width % 64 == 0 and width >= view.page_rects()[0].width() for _, width in asked)
    shot = view.viewport().grab().toImage()
    first = view.page_rects()[0]
    assert shot.pixelColor(first.center()).name() == "#000000"  # the page's pixels
    view.go_to(30)
    assert [index for index, _ in sandbox.take()] == view.visible_pages()
    assert view.current_page() == 30
    view.go_to(30)
    assert sandbox.take() == []  # what is shown is not asked for again


def test_few_rendered_pages_are_kept(qtbot):
    view = make_view(qtbot, 400, 300)
    sandbox = Sandbox(view)
    view.set_pages([LETTER] * 100)
    for page in range(0, 100, 3):
        view.go_to(page)
        assert view.rendered(page) is not None
    held = [i for i in range(100) if view.rendered(i) is not None]
    assert 0 < len(held) <= KEPT_PAGES
    assert view.rendered(99) is not None  # the latest stay
    assert len(sandbox.asked) >= 34


def test_a_page_that_fails_stays_a_sheet_and_the_next_is_asked_for(qtbot):
    view = make_view(qtbot, 400, 1400)
    asked: list[int] = []
    view.page_wanted.connect(lambda index, width: asked.append(index))
    view.set_pages([LETTER] * 3)
    assert asked == [0]  # one page at a time: the sandbox renders one after another
    view.page_failed(0, 0)
    assert asked == [0, 1]  # moved on; page 0 is not asked for again
    view._scrolled()
    assert asked == [0, 1]  # page 1 is still being rendered
    assert view.failed_pages() == {0}


def test_zoom_keeps_the_page_in_view_and_asks_for_wider_pictures(qtbot):
    view = make_view(qtbot, 400, 600)
    sandbox = Sandbox(view)
    view.set_pages([LETTER] * 10)
    view.go_to(4)
    before = view.page_rects()[4].width()
    sandbox.take()
    view.set_zoom(2.0)
    assert view.page_rects()[4].width() >= 2 * before - 2
    assert view.current_page() == 4
    asked = sandbox.take()
    assert asked and asked[0][0] == 4 and asked[0][1] >= 2 * before
    view.set_zoom(None)
    assert abs(view.page_rects()[4].width() - before) <= 1
    assert sandbox.take() == []  # the wider picture serves the fitted width too
    view.clear()
    assert view.page_count() == 0 and view.rendered(4) is None


def test_absurd_page_sizes_are_boxed_and_the_canvas_stays_drawable(qtbot):
    view = make_view(qtbot, 400, 600)
    sandbox = Sandbox(view)
    view.set_pages([(1.0, 1_000_000.0), (1_000_000.0, 1.0), (0.0, -5.0), LETTER])
    tall, wide, empty, letter = view.page_rects()
    assert letter.height() > letter.width()  # a real page keeps its shape
    assert tall.height() <= 8 * tall.width() + 1 and wide.width() <= 8 * wide.height() + 1
    assert empty.width() >= 1 and empty.height() >= 1
    assert view.widget().height() < 16_777_215
    assert sandbox.take()  # pages are still asked for, and drawn within their boxes
    view.set_pages([LETTER] * 40_000)
    assert view.widget().height() < 16_777_215
    assert view.page_rects()[-1].bottom() < view.widget().height()


def test_a_page_zoomed_in_is_never_asked_for_larger_than_the_sandbox_may_send(qtbot):
    """At 4x on a wide window a Letter page would be ~10,000 px wide; the sandbox refuses
    pictures over its pixel budget, so the page would stay blank. It is asked for at
    the largest size allowed instead, and drawn scaled."""
    from nco_desktop.sandbox.wire import MAX_RASTER_PIXELS, MAX_RASTER_SIDE

    view = make_view(qtbot, 2400, 900)
    sandbox = Sandbox(view)
    view.set_pages([LETTER] * 3)
    view.set_zoom(4.0)
    asked = sandbox.take()
    assert asked
    for _index, width in asked:
        height = round(width * 11 / 8.5)
        assert width * height <= MAX_RASTER_PIXELS and height <= MAX_RASTER_SIDE
    view.page_failed(0, asked[0][1])
    view.set_zoom(1.0)
    assert 0 not in view.failed_pages()  # refused at one size: tried again at another
