"""Pictures and PDF pages are rendered in a sandboxed worker; hostile ones fail with a
sentence or render, within the deadline, and the caller never hangs.

The cases from issue 12: a TIFF (it crashed the window's Qt reader) and a PDF whose
page tree loops (it froze the window for good), plus bombs, truncations and huge sizes.
"""

from __future__ import annotations

import threading
import time

import pytest
from PIL import Image

from nco_desktop.sandbox.pool import Limits
from nco_desktop.timeline.previews import PicturePreviews, PreviewFailed, Raster
from tests.support.hostile_files import GOOD_PDF, PDFS, PICTURES, encoded

WALL = 4.0
SHORT = Limits(cpu_seconds=4, wall_seconds=WALL, wall_seconds_per_mb=0.0)
MARGIN = 6.0  # starting a fresh worker and killing the old one, on a busy machine


@pytest.fixture
def previews():
    maker = PicturePreviews(SHORT)
    yield maker
    maker.close()


def outcome_within_deadline(call) -> object:
    """The call's result or its PreviewFailed, checked to come back within the deadline."""
    result: list[object] = []
    worker = threading.Thread(target=lambda: result.append(_catch(call)), daemon=True)
    started = time.monotonic()
    worker.start()
    worker.join(WALL + MARGIN)
    assert not worker.is_alive(), "the caller hung"
    assert time.monotonic() - started < WALL + MARGIN
    return result[0]


def _catch(call):
    try:
        return call()
    except PreviewFailed as failure:
        return failure


def assert_sentence_or_raster(outcome: object) -> None:
    if isinstance(outcome, PreviewFailed):
        text = str(outcome)
        assert text and text[0].islower() and "Traceback" not in text and len(text) < 200
    else:
        assert isinstance(outcome, Raster)
        assert len(outcome.rgba) == outcome.width * outcome.height * 4


def still_works(previews: PicturePreviews) -> None:
    raster = previews.picture(encoded("PNG"))
    assert (raster.width, raster.height) == (64, 48)


def test_a_tiff_renders_upright_in_the_worker(previews):
    """The issue's crash: a 64×48 TIFF made with Pillow."""
    raster = previews.picture(encoded("TIFF", (64, 48)))
    assert (raster.width, raster.height) == (64, 48)
    assert raster.rgba[:4] == bytes((10, 120, 200, 255))


def test_exif_orientation_is_applied_and_alpha_kept(previews):
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    raster = previews.picture(encoded("JPEG", (300, 500), exif=exif.tobytes()))
    assert (raster.width, raster.height) == (500, 300)
    clear = previews.picture(encoded("PNG", (8, 8), mode="RGBA", color=(1, 2, 3, 0)))
    assert clear.rgba[:4] == bytes((1, 2, 3, 0))


def test_pictures_are_scaled_to_max_side(previews):
    raster = previews.picture(encoded("PNG", (1000, 500)), max_side=100)
    assert (raster.width, raster.height) == (100, 50)


@pytest.mark.parametrize("name", sorted(PICTURES))
def test_hostile_pictures_fail_with_a_sentence_in_time(previews, name):
    outcome = outcome_within_deadline(lambda: previews.picture(PICTURES[name]))
    assert isinstance(outcome, PreviewFailed), outcome
    assert_sentence_or_raster(outcome)
    still_works(previews)


def test_a_pdf_opens_and_renders(previews):
    assert previews.pdf_open(GOOD_PDF) == [(612.0, 792.0)]
    raster = previews.pdf_page(0, 306)
    assert (raster.width, raster.height) == (306, 396)
    bottom_left = ((raster.height - 10) * raster.width + 10) * 4
    assert raster.rgba[bottom_left : bottom_left + 4] == bytes((0, 0, 255, 255))
    with pytest.raises(PreviewFailed, match="no such page"):
        previews.pdf_page(1, 100)


def test_the_looping_pdf_hits_the_deadline_and_the_worker_is_replaced(previews):
    started = time.monotonic()
    outcome = outcome_within_deadline(lambda: previews.pdf_open(PDFS["looping page tree"]))
    assert isinstance(outcome, PreviewFailed)
    assert "took too long" in str(outcome)
    assert time.monotonic() - started >= WALL - 0.5  # it did hang: the deadline ended it
    still_works(previews)


@pytest.mark.parametrize("name", sorted(PDFS))
def test_hostile_pdfs_fail_with_a_sentence_or_render_in_time(previews, name):
    def open_and_render():
        previews.pdf_open(PDFS[name])
        return previews.pdf_page(0, 800)

    assert_sentence_or_raster(outcome_within_deadline(open_and_render))
    still_works(previews)


def test_a_replaced_worker_reopens_the_pdf_transparently(previews):
    previews.pdf_open(GOOD_PDF)
    with pytest.raises(PreviewFailed):
        previews.picture(PICTURES["truncated png"] + b"")  # fails; the worker lives on
    outcome_within_deadline(lambda: previews.pdf_open(PDFS["looping page tree"]))
    previews.pdf_open(GOOD_PDF)
    (worker,) = previews._pool._idle
    previews._pool.replace(worker)  # the worker that had it open is gone
    assert previews.pdf_page(0, 100).width == 100


def test_lock_kills_a_hung_render_at_once(previews):
    slow = PicturePreviews(Limits(wall_seconds=60.0, cpu_seconds=60))
    try:
        result: list[object] = []
        waiter = threading.Thread(
            target=lambda: result.append(_catch(lambda: slow.pdf_open(PDFS["looping page tree"])))
        )
        waiter.start()
        time.sleep(1.5)
        started = time.monotonic()
        slow.close()
        waiter.join(10)
        assert not waiter.is_alive()
        assert time.monotonic() - started < 5
        assert isinstance(result[0], PreviewFailed) and "locked" in str(result[0])
        with pytest.raises(PreviewFailed, match="locked"):
            slow.picture(encoded("PNG"))
    finally:
        slow.close()
