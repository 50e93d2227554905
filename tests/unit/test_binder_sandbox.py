"""What protects the copy for the other side does not rest on a worker's word."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from nco_desktop.binder.sandbox_worker import BinderSandbox, PictureFailed
from nco_desktop.evidence.picture_areas import Area
from nco_desktop.sandbox import pool
from nco_desktop.timeline.previews import PicturePreviews


def photo_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "TestCam"
    exif.get_ifd(0x8825)[2] = (40.0, 26.0, 46.0)  # GPSLatitude
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "blue").save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_a_worker_that_ignores_stripping_still_cannot_pass_metadata(monkeypatch):
    """As if an earlier file had taken the worker over: it answers with the original,
    metadata and all. The parent strips it again by walking markers."""
    original = photo_with_gps()
    assert b"Exif" in original

    def lying(self, data, *, strip_metadata, areas):
        return {
            "width": 64,
            "height": 48,
            "bits": 8,
            "colors": 3,
            "jpeg": True,
            "orientation": 1,
            "converted": False,
            "data": original,  # not stripped
            "palette": b"",
        }

    monkeypatch.setattr(PicturePreviews, "binder_picture", lying)
    with BinderSandbox() as sandbox:
        prepared = sandbox.prepare(original, strip_metadata=True, areas=[])
        court = sandbox.prepare(original, strip_metadata=False, areas=[])
    assert b"Exif" not in prepared.pixels.data and b"TestCam" not in prepared.pixels.data
    assert prepared.pixels.data.startswith(b"\xff\xd8") and prepared.pixels.data.endswith(
        b"\xff\xd9"
    )
    assert court.pixels.data == original  # the court's copy keeps the original's bytes


def test_a_worker_that_answers_a_broken_jpeg_for_the_other_side_is_refused(monkeypatch):
    def broken(self, data, *, strip_metadata, areas):
        return {
            "width": 64,
            "height": 48,
            "bits": 8,
            "colors": 3,
            "jpeg": True,
            "orientation": 1,
            "converted": False,
            "data": b"\xff\xd8\xff\xe1\x00\x10Exif-GPS-without-a-scan",
            "palette": b"",
        }

    monkeypatch.setattr(PicturePreviews, "binder_picture", broken)
    with BinderSandbox() as sandbox, pytest.raises(PictureFailed):
        sandbox.prepare(b"x", strip_metadata=True, areas=[])


def test_every_picture_is_prepared_by_a_worker_of_its_own(monkeypatch):
    """A worker taken over by an earlier exhibit could skip the painting, or change the
    pixels of the pictures after it; each picture gets a worker forked for it alone."""
    pids: list[int] = []
    real = pool._ForkedWorker.__init__

    def recording(self, parent):
        real(self, parent)
        pids.append(self.process.pid)

    monkeypatch.setattr(pool._ForkedWorker, "__init__", recording)
    data = photo_with_gps()
    area = [Area(0.1, 0.1, 0.5, 0.5)]
    with BinderSandbox() as sandbox:
        for areas in ([], area, [], area):
            sandbox.prepare(data, strip_metadata=True, areas=areas)
    assert len(pids) >= 4 and len(set(pids)) == len(pids)  # (one more started, unused)
