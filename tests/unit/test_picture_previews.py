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


def test_png_stays_png_and_jpeg_is_turned_upright(previews):
    png = previews.preview(_encoded("PNG"))
    assert png.startswith(b"\x89PNG")
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to view"
    jpeg = previews.preview(_encoded("JPEG", exif=exif.tobytes()))
    with Image.open(BytesIO(jpeg)) as shown:
        assert shown.format == "JPEG" and shown.size == (500, 300)
        assert not shown.getexif()  # nothing from the original's metadata comes along


def test_large_pictures_are_scaled_to_at_most_4096(previews):
    with Image.open(BytesIO(previews.preview(_encoded("JPEG", size=(6000, 3000))))) as shown:
        assert shown.size == (4096, 2048)


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "damaged"),
        (b"not a picture at all", "not a PNG, JPEG, HEIC or WebP picture$"),
    ],
)
def test_broken_pictures_fail_with_a_sentence_and_the_worker_lives_on(previews, data, words):
    with pytest.raises(PreviewFailed, match=words):
        previews.preview(data)
    assert previews.preview(_encoded("PNG")).startswith(b"\x89PNG")


def test_after_close_requests_fail_at_once(previews):
    previews.close()
    with pytest.raises(PreviewFailed, match="locked"):
        previews.preview(_encoded("PNG"))
