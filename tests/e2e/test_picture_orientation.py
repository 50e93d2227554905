"""A photo prints the way its EXIF orientation says it is seen, all eight of them.

The binder embeds a JPEG's own bytes and turns it with the page transform (re-encoding
would change the evidence), so each orientation needs its own transform; the mirrored
ones (2, 4, 5, 7: front cameras, some apps) were printed as stored. Checked on the
rendered page against Pillow's ``exif_transpose`` of the same file.
"""

from __future__ import annotations

import io

import pytest
from PIL import Image, ImageOps

from nco_desktop.binder.assemble import build_binder
from nco_desktop.importers.batch import import_paths
from tests.conftest import write_file
from tests.support.pdf_pages import render_page

QUADRANTS = {"red": (230, 20, 20), "green": (20, 200, 20), "blue": (20, 20, 230)}


def _photo(orientation: int, kind: str = "JPEG") -> bytes:
    """Red top-left, green top-right, blue bottom-left, white bottom-right, 240×120."""
    image = Image.new("RGB", (240, 120), "white")
    image.paste(QUADRANTS["red"], (0, 0, 120, 60))
    image.paste(QUADRANTS["green"], (120, 0, 240, 60))
    image.paste(QUADRANTS["blue"], (0, 60, 120, 120))
    exif = Image.Exif()
    exif[0x0112] = orientation
    out = io.BytesIO()
    if kind == "JPEG":
        image.save(out, "JPEG", quality=95, exif=exif.tobytes())
    else:
        image.save(out, "PNG", exif=exif.tobytes())  # an eXIf chunk
    return out.getvalue()


def _centres(image: Image.Image) -> dict[str, tuple[float, float]]:
    """Where each colour's centre lies, as fractions of the coloured area's box."""
    rgb = image.convert("RGB")
    found: dict[str, list[tuple[int, int]]] = {name: [] for name in QUADRANTS}
    pixels = rgb.load()
    for y in range(rgb.height):
        for x in range(rgb.width):
            r, g, b = pixels[x, y]
            for name, (qr, qg, qb) in QUADRANTS.items():
                if abs(r - qr) < 50 and abs(g - qg) < 50 and abs(b - qb) < 50:
                    found[name].append((x, y))
    points = [p for spots in found.values() for p in spots]
    left, right = min(p[0] for p in points), max(p[0] for p in points)
    top, bottom = min(p[1] for p in points), max(p[1] for p in points)
    return {
        name: (
            (sum(p[0] for p in spots) / len(spots) - left) / max(right - left, 1),
            (sum(p[1] for p in spots) / len(spots) - top) / max(bottom - top, 1),
        )
        for name, spots in found.items()
    }


@pytest.mark.parametrize(
    ("orientation", "kind"), [*((n, "JPEG") for n in range(1, 9)), (6, "PNG"), (7, "PNG")]
)
def test_each_exif_orientation_prints_as_the_photo_is_seen(vault, tmp_path, orientation, kind):
    data = _photo(orientation, kind)
    write_file(tmp_path / "in" / f"photo.{kind.lower()}", data)
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    pdf = tmp_path / "binder.pdf"
    result = build_binder(vault, pdf)
    page = result.first_pages["1"] + 1  # the divider, then the picture
    with Image.open(render_page(pdf, page, 50, tmp_path / "page")) as printed:
        seen = _centres(printed)
    with Image.open(io.BytesIO(data)) as original:
        expected = _centres(ImageOps.exif_transpose(original))
    for name in QUADRANTS:
        assert seen[name] == pytest.approx(expected[name], abs=0.12), (orientation, name)
