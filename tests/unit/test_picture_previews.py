"""Pictures are decoded for the window in the sandbox, never in the window's process."""

from __future__ import annotations

from io import BytesIO

import pytest
from PIL import Image

from nco_desktop.timeline.previews import PicturePreviews, PreviewFailed


@pytest.fixture
def previews():
    maker = PicturePreviews()
    yield maker
    maker.close()


def _encoded(fmt: str, size=(300, 500), **kw) -> bytes:
    out = BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, format=fmt, **kw)
    return out.getvalue()


def test_pictures_arrive_as_upright_pixels_without_their_metadata(previews):
    raster = previews.picture(_encoded("PNG"))
    assert (raster.width, raster.height) == (300, 500)
    assert raster.rgba[:4] == bytes((10, 120, 200, 255))  # RGBA8888, opaque
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    turned = previews.picture(_encoded("JPEG", exif=exif.tobytes()))
    assert (turned.width, turned.height) == (500, 300)
    assert len(turned.rgba) == 500 * 300 * 4  # pixels only: no metadata can come along


def test_large_pictures_are_scaled_to_at_most_the_side_asked_for(previews):
    raster = previews.picture(_encoded("JPEG", size=(6000, 3000)))
    assert (raster.width, raster.height) == (4096, 2048)
    small = previews.picture(_encoded("JPEG", size=(6000, 3000)), max_side=640)
    assert (small.width, small.height) == (640, 320)


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "not a picture"),
        (b"not a picture at all", "not a picture"),
    ],
)
def test_broken_pictures_fail_with_a_sentence_and_the_worker_lives_on(previews, data, words):
    with pytest.raises(PreviewFailed, match=words):
        previews.picture(data)
    assert previews.picture(_encoded("PNG")).width == 300


def test_after_close_requests_fail_at_once(previews):
    previews.close()
    with pytest.raises(PreviewFailed, match="locked"):
        previews.picture(_encoded("PNG"))
