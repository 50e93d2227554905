"""Areas the user marks in a picture are painted into the pixels of the copy for the
other side — nothing of them is left in that file — while the court's copy and the
original stay whole."""

from __future__ import annotations

import io
import json

import pytest
from PIL import Image
from pypdf import PdfReader

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.options import BinderOptions
from nco_desktop.errors import NcoError
from nco_desktop.evidence.picture_areas import Area, picture_areas, set_picture_areas
from nco_desktop.importers.batch import import_paths
from nco_desktop.verification import verify_vault
from tests.support.pdf_pages import jpeg_streams, stored_originals

WHITE, RED = (255, 255, 255), (220, 20, 20)
HIDE = Area(0.5, 0.0, 1.0, 0.25)  # the top-right quarter of the width, top quarter


def _picture(kind: str, orientation: int = 1) -> bytes:
    image = Image.new("RGB", (400, 200), WHITE)
    image.paste(RED, (200, 0, 400, 50))  # what must not reach the other side
    out = io.BytesIO()
    if kind == "PNG":
        image.save(out, "PNG")
    else:
        exif = Image.Exif()
        exif[0x0112] = orientation
        exif[0x8825] = {2: (41.0, 52.0, 0.0)}  # GPS: stripped in the service copy anyway
        image.save(out, "JPEG", quality=95, exif=exif.tobytes())
    return out.getvalue()


@pytest.fixture
def pictured(vault, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "Screenshot_20240312-221530.png").write_bytes(_picture("PNG"))
    (folder / "IMG_20240313_080000.jpg").write_bytes(_picture("JPEG"))
    import_paths(vault, [folder], thumbnails=False)
    ids = dict(
        vault.conn.execute("SELECT media_type, id FROM originals WHERE media_type LIKE 'image/%'")
    )
    return vault, ids["image/png"], ids["image/jpeg"]


def _images(path) -> list[Image.Image]:
    return [
        image.image.convert("RGB")
        for page in PdfReader(path).pages
        for image in page.images
        if image.image is not None and image.image.size[0] >= 200
    ]


def _red_pixels(image: Image.Image) -> int:
    red, green, _ = image.split()
    return sum(
        1 for r, g in zip(red.tobytes(), green.tobytes(), strict=True) if r > 150 and g < 100
    )


def test_marked_areas_are_saved_clamped_and_audited(pictured):
    vault, png_id, _ = pictured
    assert set_picture_areas(vault, png_id, [Area(0.9, -0.2, 0.5, 0.25), Area(0.1, 0.1, 0.1, 0.1)])
    assert picture_areas(vault.conn, png_id) == [Area(0.5, 0.0, 0.9, 0.25)]  # dot dropped
    assert not set_picture_areas(vault, png_id, [Area(0.5, 0.0, 0.9, 0.25)])
    action, details = vault.conn.execute(
        "SELECT action, details_json FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert (action, json.loads(details)) == (
        "picture.areas_changed",
        {"original_id": png_id, "areas": 1},
    )
    assert verify_vault(vault).intact
    with pytest.raises(NcoError, match="no longer in the vault"):
        set_picture_areas(vault, 99_999, [HIDE])


def test_the_service_copy_paints_the_areas_and_the_court_copy_is_whole(pictured, tmp_path):
    vault, png_id, jpeg_id = pictured
    set_picture_areas(vault, png_id, [HIDE])
    set_picture_areas(vault, jpeg_id, [HIDE])
    court, service = tmp_path / "court.pdf", tmp_path / "service.pdf"
    build_binder(vault, court)
    build_binder(vault, service, BinderOptions(for_service=True))
    # The court's copy: the JPEG as its original bytes, both pictures still showing red.
    assert set(stored_originals(vault, "image/jpeg")) <= set(jpeg_streams(court))
    for image in _images(court):
        assert image.getpixel((300, 20))[0] > 180
    # The copy for the other side: black where marked, the rest of the picture intact.
    painted = _images(service)
    assert len(painted) == 2
    for image in painted:
        assert max(image.getpixel((300, 20))) < 40, "a marked area still shows"
        assert min(image.getpixel((100, 150))) > 200, "the unmarked part changed"
        red = _red_pixels(image)
        assert red == 0, "some of the marked area survived at its edge"
    text = " ".join(page.extract_text() for page in PdfReader(service).pages)
    assert "1 area blacked out in this copy" in " ".join(text.split())  # wrapped at 12 pt
    assert not set(stored_originals(vault, "image/jpeg")) & set(jpeg_streams(service))
    for stream in jpeg_streams(service):
        assert b"Exif" not in stream[:200]


def test_areas_are_placed_on_the_upright_picture(vault, tmp_path):
    """A phone photo stored sideways (EXIF 6) is marked as the user sees it, upright."""
    folder = tmp_path / "in"
    folder.mkdir()
    stored = Image.new("RGB", (200, 400), WHITE)  # stored turned; shown 400×200 upright
    stored.paste(RED, (0, 0, 50, 200))  # after turning 90° clockwise: the top-right
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    stored.save(out, "JPEG", quality=95, exif=exif.tobytes())
    (folder / "IMG_20240313_090000.jpg").write_bytes(out.getvalue())
    import_paths(vault, [folder], thumbnails=False)
    ((original_id,),) = vault.conn.execute("SELECT id FROM originals").fetchall()
    set_picture_areas(vault, original_id, [HIDE])
    service = tmp_path / "service.pdf"
    build_binder(vault, service, BinderOptions(for_service=True))
    (image,) = _images(service)
    assert image.size == (400, 200)  # painted upright, drawn without a turn
    assert max(image.getpixel((300, 20))) < 40
    assert _red_pixels(image) == 0
