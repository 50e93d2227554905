"""The picture parser on real sample files and on small files built here.

Expected values for the samples were read with Pillow's EXIF reader and the PNG chunks
were listed by hand before these tests were written (see each row's comment); they are
not just what the parser happened to print.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pillow_heif
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import ExifTags, Image, ImageFile
from PIL.JpegImagePlugin import JpegImageFile

from nco_desktop.evidence import thumbnail_pixels
from nco_desktop.evidence.records import EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats import images
from nco_desktop.importers.model import ParsedEntry, ParseSource, UnreadableFile
from nco_desktop.timekeeping import to_ms
from tests.conftest import SAMPLES

ZONE = ZoneInfo("America/Chicago")
MTIME = 1_700_000_000_000  # 2023-11-14T22:13:20Z
PICTURES = SAMPLES / "screenshots_photos"
needs_samples = pytest.mark.skipif(
    not PICTURES.is_dir(), reason=f"the sample pictures are not on this machine ({PICTURES})"
)
NNBSP = "\u202f"  # macOS 14+ puts a narrow no-break space before AM/PM


def utc(text: str) -> int:
    return to_ms(datetime.fromisoformat(text.replace("Z", "+00:00")))


def source(path: Path, name: str | None = None, mtime: int | None = MTIME) -> ParseSource:
    return ParseSource(path=path, name=name or path.name, zone=ZONE, region="US", mtime_ms=mtime)


def parse_one(path: Path, name: str | None = None, mtime: int | None = MTIME) -> ParsedEntry:
    items = list(images.parse(source(path, name, mtime)))
    assert len(items) == 1
    entry = items[0]
    assert isinstance(entry, ParsedEntry)
    assert entry.kind is EntryKind.IMAGE
    assert entry.original_ref is None  # the picture file itself is the original
    return entry


def refusal(path: Path) -> str:
    with pytest.raises(UnreadableFile) as caught:
        list(images.parse(source(path)))
    return str(caught.value)


# ----- the real samples -------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    at: str  # UTC
    offset: int | None
    time_source: TimeSource
    precision: TimePrecision
    size: tuple[int, int]
    gps: tuple[float, float] | None
    field: str


SAMPLE_RESULTS = {
    # IFD0 DateTime 2022:02:03 14:44:07, SubsecTime 722, no offset: read in Chicago (CST).
    # GPS 40°47'19.27"N 4°0'18.51"W.
    "exifsamples__HMD_Nokia_8.3_5G.heif": Expected(
        "2022-02-03T20:44:07.722Z", -360, TimeSource.EXIF_LOCAL, TimePrecision.MILLISECOND,
        (3456, 4608), (40.7886852, -4.0051409), "EXIF DateTime",
    ),
    # DateTimeOriginal 2022:08:14 14:12:31, OffsetTimeOriginal +03:00.
    # GPS 60°8'48.14"N 24°54'24.38"E.
    "exifsamples__HMD_Nokia_8.3_5G_android.jpg": Expected(
        "2022-08-14T11:12:31Z", 180, TimeSource.EXIF, TimePrecision.SECOND,
        (4608, 1976), (60.1467056, 24.9067722), "EXIF DateTimeOriginal",
    ),
    # DateTimeOriginal 2021:04:11 15:47:53, SubsecTimeOriginal 054, OffsetTimeOriginal -05:00.
    "exifsamples__iPhone11ProMax_iOS14_IMG_5195.HEIC": Expected(
        "2021-04-11T20:47:53.054Z", -300, TimeSource.EXIF, TimePrecision.MILLISECOND,
        (2566, 3313), (39.0513444, -94.2887722), "EXIF DateTimeOriginal",
    ),
    # DateTimeOriginal 2015:04:10 20:12:23.550, no offset (iOS 8): Chicago CDT.
    "exifsamples__iphone6_iOS8.3_hdr.jpg": Expected(
        "2015-04-11T01:12:23.550Z", -300, TimeSource.EXIF_LOCAL, TimePrecision.MILLISECOND,
        (3264, 2448), (40.4469722, -3.7247528), "EXIF DateTimeOriginal",
    ),
    # DateTimeOriginal 2022:02:16 12:55:41.762 +01:00; no GPS block.
    "exifsamples__iphone_13_pro_max.HEIC": Expected(
        "2022-02-16T11:55:41.762Z", 60, TimeSource.EXIF, TimePrecision.MILLISECOND,
        (3024, 4032), None, "EXIF DateTimeOriginal",
    ),
    # eXIf (after IDAT) holds only Orientation; tIME 07E3 01 07 0A 0D 22 = 2019-01-07 10:13:34
    # UTC, matching its ImageMagick date:create text.
    "pillow__eXIf_chunk_tIME_tEXt_dates.png": Expected(
        "2019-01-07T10:13:34Z", None, TimeSource.EXIF, TimePrecision.SECOND,
        (512, 512), None, "PNG tIME (UTC)",
    ),
    # EXIF in a tEXt "exif" chunk holds only Orientation; no tIME: the file's mtime.
    "pillow__exif_in_tEXt.png": Expected(
        "2023-11-14T22:13:20Z", None, TimeSource.FILE_MTIME, TimePrecision.SECOND,
        (512, 512), None, "file mtime",
    ),
    # "Raw profile type exif" holds only Orientation; tIME as in the eXIf sample.
    "pillow__imagemagick_raw_profile_exif.png": Expected(
        "2019-01-07T10:13:34Z", None, TimeSource.EXIF, TimePrecision.SECOND,
        (512, 512), None, "PNG tIME (UTC)",
    ),
    # tIME 07DF 09 15 0C 19 21 = 2015-09-21 12:25:33 UTC.
    "pillow__itxt_comment_tIME.png": Expected(
        "2015-09-21T12:25:33Z", None, TimeSource.EXIF, TimePrecision.SECOND,
        (2400, 2000), None, "PNG tIME (UTC)",
    ),
    # EXIF 2020:09:14 11:09:34.641 -05:00 wins over the XMP's (different) 2018 dates.
    "pillowheif__L_exif_xmp_iptc.heic": Expected(
        "2020-09-14T16:09:34.641Z", -300, TimeSource.EXIF, TimePrecision.MILLISECOND,
        (64, 64), None, "EXIF DateTimeOriginal",
    ),
    # EXIF DateTime "2024-04-22T14:38:09GMT+2" is not EXIF's format; XMP CreateDate
    # 2024-04-22T14:38:09.526GMT+02:00 is Apple's TR35 "GMT+hh:mm" = UTC+2. GPS is 0,0.
    "pillowheif__apple_vision_pro_spatial_photo.heic": Expected(
        "2024-04-22T12:38:09.526Z", 120, TimeSource.EXIF, TimePrecision.MILLISECOND,
        (2560, 2560), None, "XMP xmp:CreateDate",
    ),
    # DateTimeOriginal 2023:04:27 19:44:18.732, no offset: Chicago CDT.
    "pillowheif__xiaomi_android.heic": Expected(
        "2023-04-28T00:44:18.732Z", -300, TimeSource.EXIF_LOCAL, TimePrecision.MILLISECOND,
        (2592, 1944), (47.2272889, 39.6999922), "EXIF DateTimeOriginal",
    ),
    # XMP with only dc:subject; no dates at all.
    "pillowheif__xmp_itxt.png": Expected(
        "2023-11-14T22:13:20Z", None, TimeSource.FILE_MTIME, TimePrecision.SECOND,
        (10, 10), None, "file mtime",
    ),
}  # fmt: skip
SAMPLE_FAILURES = {
    "pillowheif__empty.heic": images.EMPTY,
    "pillowheif__truncated.heic": images.DAMAGED,  # mdat box claims 1 byte more than is there
    "pillowheif__corrupted.heic": images.DAMAGED,  # second box has a zero type and 7 MB size
}


@needs_samples
def test_every_sample_has_an_expected_result() -> None:
    on_disk = {path.name for path in PICTURES.iterdir() if path.name != "SOURCES.txt"}
    assert on_disk == set(SAMPLE_RESULTS) | set(SAMPLE_FAILURES)


@needs_samples
@pytest.mark.parametrize("name", sorted(SAMPLE_RESULTS))
def test_sample(name: str) -> None:
    want = SAMPLE_RESULTS[name]
    path = PICTURES / name
    assert images.sniff(path.read_bytes()[:65536], name)
    entry = parse_one(path)
    assert entry.occurred_ms == utc(want.at)
    assert entry.utc_offset_min == want.offset
    assert entry.time_source is want.time_source
    assert entry.time_precision is want.precision
    assert (entry.meta["width"], entry.meta["height"]) == want.size
    assert entry.meta["time_field"] == want.field
    if want.gps is None:
        assert "gps" not in entry.meta
    else:
        assert entry.meta["gps"] == pytest.approx({"lat": want.gps[0], "lon": want.gps[1]})


@needs_samples
def test_sample_meta_details() -> None:
    nokia = parse_one(PICTURES / "exifsamples__HMD_Nokia_8.3_5G_android.jpg").meta
    assert nokia["format"] == "JPEG"
    assert (nokia["camera_make"], nokia["camera_model"]) == ("HMD Global", "Nokia 8.3 5G")
    assert nokia["software"] == "00WW_3_380_SP02"
    assert nokia["exif_offset"] == "+03:00"
    assert "time_rejected" not in nokia
    vision = parse_one(PICTURES / "pillowheif__apple_vision_pro_spatial_photo.heic").meta
    assert vision["format"] == "HEIF"
    assert vision["camera_model"] == "Apple Vision Pro"
    assert vision["time_rejected"] == ["EXIF DateTime “2024-04-22T14:38:09GMT+2”: not an EXIF date"]
    assert vision["gps_rejected"] == "0,0 is a blank placeholder, not a place"
    assert vision["frames"] == 2  # a stereo pair
    assert "exif_offset" not in vision


@needs_samples
@pytest.mark.parametrize("name", sorted(SAMPLE_FAILURES))
def test_broken_sample(name: str) -> None:
    assert refusal(PICTURES / name) == SAMPLE_FAILURES[name]


@needs_samples
@pytest.mark.parametrize("name", sorted(SAMPLE_RESULTS))
def test_sample_parse_never_decodes_pixels(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_decoding(self: object) -> None:
        raise AssertionError("parse() decoded pixels")

    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    monkeypatch.setattr(pillow_heif.HeifImageFile, "load", no_decoding)
    assert parse_one(PICTURES / name).meta["width"] > 0


@needs_samples
@pytest.mark.parametrize("name", sorted(SAMPLE_RESULTS))
def test_sample_thumbnail(name: str) -> None:
    data = images.thumbnail(PICTURES / name)
    assert_small_thumbnail(data)


def assert_small_thumbnail(data: bytes, max_side: int = 320) -> Image.Image:
    """Plain pixels in the program's own format (nothing for the window to decode but a
    bounded zlib), no larger than asked. The format has no room for metadata at all:
    a header, then zlib data that inflates to exactly the pixels (decode checks it)."""
    width, height, rgb = thumbnail_pixels.decode(data)
    assert max(width, height) <= max_side
    assert data.startswith(thumbnail_pixels.MAGIC) and len(rgb) == width * height * 3
    return Image.frombytes("RGB", (width, height), rgb)


# ----- files built here ---------------------------------------------------------------

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def hand_png(
    before: tuple[bytes, ...] = (), after: tuple[bytes, ...] = (), size: tuple[int, int] = (4, 3)
) -> bytes:
    """A valid RGB PNG with extra chunks before and after its pixel data."""
    width, height = size
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    rows = b"\x00"  # for a header that lies about its size: its pixels are never read
    if width * height <= 1_000_000:
        rows = b"".join(b"\x00" + b"\x80" * (3 * width) for _ in range(height))
    return (
        PNG_SIGNATURE
        + chunk(b"IHDR", header)
        + b"".join(before)
        + chunk(b"IDAT", zlib.compress(rows))
        + b"".join(after)
        + chunk(b"IEND", b"")
    )


def exif_block(
    original: str | None = None,
    offset: str | None = None,
    subsec: str | None = None,
    plain: tuple[str, str] | None = None,
    orientation: int | None = None,
    gps: tuple[str, tuple[float, float, float], str, tuple[float, float, float]] | None = None,
) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110] = "TestMake", "TestPhone 1"
    sub = exif.get_ifd(ExifTags.IFD.Exif)
    if original is not None:
        sub[0x9003] = original
    if offset is not None:
        sub[0x9011] = offset
    if subsec is not None:
        sub[0x9291] = subsec
    if plain is not None:
        exif[0x0132], sub[0x9010] = plain
    if orientation is not None:
        exif[0x0112] = orientation
    if gps is not None:
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(dict(zip((1, 2, 3, 4), gps, strict=True)))
    return exif


def write_jpeg(
    path: Path, exif: Image.Exif | None = None, size: tuple[int, int] = (64, 48)
) -> Path:
    picture = Image.new("RGB", size, "red")
    picture.paste((0, 0, 255), (0, 0, size[0] // 2, size[1] // 2))
    picture.save(path, "JPEG", exif=exif.tobytes() if exif is not None else b"")
    return path


def plain_picture(path: Path) -> Path:
    """No metadata at all, in the format the name's extension suggests."""
    if path.suffix.lower() in (".jpg", ".jpeg"):
        return write_jpeg(path)
    path.write_bytes(hand_png())
    return path


CHICAGO_22_15_30 = "2024-03-13T03:15:30Z"  # 2024-03-12 22:15:30 CDT (-05:00)


SEC, MS = TimePrecision.SECOND, TimePrecision.MILLISECOND
MIN, DAY = TimePrecision.MINUTE, TimePrecision.DAY


@pytest.mark.parametrize(
    ("name", "at", "offset", "precision"),
    [
        ("Screenshot_20240312-221530.png", CHICAGO_22_15_30, -300, SEC),
        ("Screenshot_20240312-221530_Messages.jpg", CHICAGO_22_15_30, -300, SEC),
        ("Screenshot_2017-03-12-22-15-30.png", "2017-03-13T03:15:30Z", -300, SEC),
        (f"Screenshot 2024-03-12 at 10.15.30{NNBSP}PM.png", CHICAGO_22_15_30, -300, SEC),
        ("Screenshot 2024-03-12 at 10.15.30 PM.png", CHICAGO_22_15_30, -300, SEC),
        ("Screenshot 2024-03-12 at 10.15.30 PM (2).png", CHICAGO_22_15_30, -300, SEC),
        ("Screen Shot 2024-03-12 at 22.15.30.png", CHICAGO_22_15_30, -300, SEC),
        (f"Screenshot 2024-03-12 at 12.05.00{NNBSP}AM.png", "2024-03-12T05:05:00Z", -300, SEC),
        ("Screenshot 2024-01-12 at 12.05.00 PM.png", "2024-01-12T18:05:00Z", -360, SEC),
        ("Screenshot 2024-03-12 221530.png", CHICAGO_22_15_30, -300, SEC),
        ("IMG-20240312-WA0001.jpg", "2024-03-12T05:00:00Z", -300, DAY),
        ("PXL_20240312_221530123.jpg", "2024-03-12T22:15:30.123Z", None, MS),  # Pixel: UTC
        ("PXL_20240312_221530123.MP.jpg", "2024-03-12T22:15:30.123Z", None, MS),
    ],
)
def test_file_name_patterns(
    tmp_path: Path, name: str, at: str, offset: int | None, precision: TimePrecision
) -> None:
    entry = parse_one(plain_picture(tmp_path / name))
    assert entry.time_source is TimeSource.FILE_NAME
    assert entry.occurred_ms == utc(at)
    assert entry.utc_offset_min == offset
    assert entry.time_precision is precision
    assert entry.meta["time_raw"] == name


@pytest.mark.parametrize(
    "name",
    [
        "Screenshot 2024-02-30 at 10.15.30 PM.png",  # no such day
        "Screenshot 2024-03-12 at 13.15.30 PM.png",  # no such hour on a 12-hour clock
        "Screenshot_20241312-221530.png",  # month 13
    ],
)
def test_impossible_file_name_dates_fall_to_mtime(tmp_path: Path, name: str) -> None:
    entry = parse_one(plain_picture(tmp_path / name))
    assert entry.time_source is TimeSource.FILE_MTIME
    assert entry.occurred_ms == MTIME
    assert entry.utc_offset_min is None
    assert entry.meta["time_rejected"][0].startswith("file name (")


def test_a_name_with_a_date_in_another_form_is_not_a_time(tmp_path: Path) -> None:
    entry = parse_one(plain_picture(tmp_path / "photo 2024-03-12.png"))
    assert entry.time_source is TimeSource.FILE_MTIME


def test_no_time_at_all_is_unknown_not_invented(tmp_path: Path) -> None:
    entry = parse_one(plain_picture(tmp_path / "holiday.png"), mtime=None)
    assert entry.occurred_ms is None
    assert entry.time_source is TimeSource.UNKNOWN
    assert entry.time_precision is TimePrecision.UNKNOWN
    assert "time_field" not in entry.meta


def test_exif_with_offset(tmp_path: Path) -> None:
    exif = exif_block("2024:03:12 22:15:30", "+02:00", subsec="25")
    entry = parse_one(write_jpeg(tmp_path / "Screenshot_20200101-000000.jpg", exif))
    assert entry.time_source is TimeSource.EXIF  # EXIF beats the file name
    assert entry.occurred_ms == utc("2024-03-12T20:15:30.250Z")
    assert entry.utc_offset_min == 120
    assert entry.time_precision is TimePrecision.MILLISECOND
    assert entry.meta["exif_offset"] == "+02:00"
    assert entry.meta["camera_model"] == "TestPhone 1"


def test_exif_without_offset_is_read_in_the_vault_zone(tmp_path: Path) -> None:
    entry = parse_one(write_jpeg(tmp_path / "a.jpg", exif_block("2024:03:12 22:15:30")))
    assert entry.time_source is TimeSource.EXIF_LOCAL
    assert entry.occurred_ms == utc(CHICAGO_22_15_30)
    assert entry.utc_offset_min == -300
    assert entry.time_precision is TimePrecision.SECOND
    assert "exif_offset" not in entry.meta


def test_exif_offset_that_is_not_an_offset_is_noted(tmp_path: Path) -> None:
    entry = parse_one(write_jpeg(tmp_path / "a.jpg", exif_block("2024:03:12 22:15:30", "+99:00")))
    assert entry.time_source is TimeSource.EXIF_LOCAL
    assert entry.occurred_ms == utc(CHICAGO_22_15_30)
    assert entry.meta["time_rejected"] == ["EXIF offset “+99:00”: not an offset"]
    assert entry.meta["exif_offset"] == "+99:00"


def test_blank_exif_original_falls_to_datetime_with_its_own_offset(tmp_path: Path) -> None:
    exif = exif_block("0000:00:00 00:00:00", plain=("2024:03:12 22:15:30", "+01:00"))
    entry = parse_one(write_jpeg(tmp_path / "a.jpg", exif))
    assert entry.time_source is TimeSource.EXIF
    assert entry.occurred_ms == utc("2024-03-12T21:15:30Z")
    assert entry.utc_offset_min == 60
    assert entry.meta["time_field"] == "EXIF DateTime"
    assert entry.meta["time_rejected"] == ["EXIF DateTimeOriginal “0000:00:00 00:00:00”: blank"]


def test_garbage_exif_dates_fall_through_to_the_file_name(tmp_path: Path) -> None:
    exif = exif_block("yesterday", plain=("2024:02:30 10:00:00", "+01:00"))
    entry = parse_one(write_jpeg(tmp_path / "Screenshot_20240312-221530.jpg", exif))
    assert entry.time_source is TimeSource.FILE_NAME
    assert entry.occurred_ms == utc(CHICAGO_22_15_30)
    assert entry.meta["time_rejected"] == [
        "EXIF DateTimeOriginal “yesterday”: not an EXIF date",
        "EXIF DateTime “2024:02:30 10:00:00”: not a real date",
    ]


def test_gps_is_kept_in_meta_and_never_in_the_thumbnail(tmp_path: Path) -> None:
    gps = ("S", (33.0, 51.0, 54.0), "E", (151.0, 12.0, 36.0))
    path = write_jpeg(tmp_path / "a.jpg", exif_block("2024:03:12 22:15:30", gps=gps))
    assert parse_one(path).meta["gps"] == pytest.approx({"lat": -33.865, "lon": 151.21})
    assert_small_thumbnail(images.thumbnail(path))


def test_gps_without_a_hemisphere_is_not_guessed(tmp_path: Path) -> None:
    exif = exif_block("2024:03:12 22:15:30", gps=("N", (33.0, 0.0, 0.0), "", (151.0, 0.0, 0.0)))
    meta = parse_one(write_jpeg(tmp_path / "a.jpg", exif)).meta
    assert "gps" not in meta
    assert meta["gps_rejected"] == "incomplete or unreadable"


def test_orientation_turns_reported_size_and_thumbnail(tmp_path: Path) -> None:
    path = write_jpeg(tmp_path / "a.jpg", exif_block(orientation=6), size=(640, 480))
    meta = parse_one(path).meta
    assert (meta["width"], meta["height"]) == (480, 640)
    thumb = assert_small_thumbnail(images.thumbnail(path))
    assert thumb.size == (240, 320)  # upright: portrait


def test_big_jpeg_thumbnail_decodes_in_draft_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_jpeg(tmp_path / "big.jpg", size=(4000, 3000))
    decoded_sizes: list[tuple[int, int]] = []
    real_load = JpegImageFile.load

    def spying_load(self: JpegImageFile) -> object:
        decoded_sizes.append(self.size)
        return real_load(self)

    monkeypatch.setattr(JpegImageFile, "load", spying_load)
    thumb = assert_small_thumbnail(images.thumbnail(path))
    assert thumb.size == (320, 240)
    assert decoded_sizes[0] == (500, 375)  # decoded at 1/8 scale, never at 4000×3000


def test_transparent_png_thumbnail_is_flattened_on_white(tmp_path: Path) -> None:
    path = tmp_path / "clear.png"
    Image.new("RGBA", (100, 50), (0, 0, 0, 0)).save(path)
    thumb = assert_small_thumbnail(images.thumbnail(path))
    assert thumb.size == (100, 50)  # never enlarged
    pixel = thumb.convert("RGB").getpixel((50, 25))
    assert isinstance(pixel, tuple)
    assert min(pixel) > 245


def test_sixteen_bit_grey_thumbnail_is_grey_not_white(tmp_path: Path) -> None:
    path = tmp_path / "grey16.png"
    Image.new("I;16", (40, 30), 30000).save(path)
    thumb = assert_small_thumbnail(images.thumbnail(path))
    grey = thumb.convert("L").getpixel((20, 15))
    assert isinstance(grey, int)
    assert 110 < grey < 125  # 30000 / 256 ≈ 117


def test_png_time_chunk_is_utc(tmp_path: Path) -> None:
    time_chunk = chunk(b"tIME", struct.pack(">HBBBBB", 2024, 3, 12, 22, 15, 30))
    path = tmp_path / "Screenshot_20200101-000000.png"
    path.write_bytes(hand_png(before=(time_chunk,)))
    entry = parse_one(path)
    assert entry.time_source is TimeSource.EXIF
    assert entry.occurred_ms == utc("2024-03-12T22:15:30Z")
    assert entry.utc_offset_min is None  # UTC instant; the writer's own offset is unknown
    assert entry.meta["time_field"] == "PNG tIME (UTC)"


def test_png_time_chunk_with_an_impossible_date_is_noted(tmp_path: Path) -> None:
    path = tmp_path / "x.png"
    path.write_bytes(
        hand_png(before=(chunk(b"tIME", struct.pack(">HBBBBB", 2024, 2, 30, 1, 2, 3)),))
    )
    entry = parse_one(path)
    assert entry.time_source is TimeSource.FILE_MTIME
    assert entry.meta["time_rejected"] == ["PNG tIME: not a real date"]


def test_png_exif_after_the_pixels_is_found_without_decoding(tmp_path: Path) -> None:
    raw = exif_block("2024:03:12 22:15:30", "-05:00").tobytes()
    assert raw.startswith(b"Exif\x00\x00")
    time_chunk = chunk(b"tIME", struct.pack(">HBBBBB", 2001, 1, 1, 0, 0, 0))
    path = tmp_path / "x.png"
    path.write_bytes(hand_png(before=(time_chunk,), after=(chunk(b"eXIf", raw[6:]),)))
    entry = parse_one(path)
    assert entry.time_source is TimeSource.EXIF  # EXIF outranks tIME
    assert entry.occurred_ms == utc(CHICAGO_22_15_30)
    assert entry.meta["camera_make"] == "TestMake"


def test_png_raw_profile_exif_text(tmp_path: Path) -> None:
    raw = exif_block("2024:03:12 22:15:30").tobytes()
    text = f"\nexif\n{len(raw):8d}\n{raw.hex()}\n".encode()
    path = tmp_path / "x.png"
    path.write_bytes(hand_png(after=(chunk(b"tEXt", b"Raw profile type exif\x00" + text),)))
    entry = parse_one(path)
    assert entry.time_source is TimeSource.EXIF_LOCAL
    assert entry.occurred_ms == utc(CHICAGO_22_15_30)


def test_png_software_text_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "x.png"
    path.write_bytes(hand_png(before=(chunk(b"tEXt", b"Software\x00Greenshot"),)))
    assert parse_one(path).meta["software"] == "Greenshot"


def xmp_packet(body: str) -> bytes:
    return (
        '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF '
        'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        'xmlns:xmp="http://ns.adobe.com/xap/1.0/" '
        f'xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" {body}/></rdf:RDF></x:xmpmeta>'
    ).encode()


EXIF, LOCAL = TimeSource.EXIF, TimeSource.EXIF_LOCAL


@pytest.mark.parametrize(
    ("attributes", "at", "offset", "time_source", "precision"),
    [
        ('xmp:CreateDate="2024-03-12T22:15:30+02:00"', "2024-03-12T20:15:30Z", 120, EXIF, SEC),
        ('xmp:CreateDate="2024-03-12T22:15:30Z"', "2024-03-12T22:15:30Z", 0, EXIF, SEC),
        ('xmp:CreateDate="2024-03-12T22:15:30.5GMT-4"', "2024-03-13T02:15:30.500Z", -240, EXIF, MS),
        ('photoshop:DateCreated="2024-03-12T22:15"', "2024-03-13T03:15:00Z", -300, LOCAL, MIN),
        ('photoshop:DateCreated="2024-03-12"', "2024-03-12T05:00:00Z", -300, LOCAL, DAY),
    ],
)
def test_xmp_dates(
    tmp_path: Path,
    attributes: str,
    at: str,
    offset: int,
    time_source: TimeSource,
    precision: TimePrecision,
) -> None:
    path = tmp_path / "x.jpg"
    Image.new("RGB", (8, 8)).save(path, "JPEG", xmp=xmp_packet(attributes))
    entry = parse_one(path)
    assert entry.occurred_ms == utc(at)
    assert entry.utc_offset_min == offset
    assert entry.time_source is time_source
    assert entry.time_precision is precision


def test_xmp_with_an_entity_trick_is_refused_not_expanded(tmp_path: Path) -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/">&b;</x:xmpmeta>'
    )
    path = tmp_path / "x.jpg"
    Image.new("RGB", (8, 8)).save(path, "JPEG", xmp=bomb)
    entry = parse_one(path)
    assert entry.time_source is TimeSource.FILE_MTIME
    assert entry.meta["time_rejected"] == ["XMP: unreadable or too large, skipped"]


def test_webp_with_exif(tmp_path: Path) -> None:
    path = tmp_path / "x.webp"
    exif = exif_block("2024:03:12 22:15:30", "-05:00")
    Image.new("RGB", (30, 20), "green").save(path, "WEBP", exif=exif.tobytes())
    entry = parse_one(path)
    assert entry.meta["format"] == "WEBP"
    assert (entry.meta["width"], entry.meta["height"]) == (30, 20)
    assert entry.time_source is TimeSource.EXIF
    assert entry.occurred_ms == utc(CHICAGO_22_15_30)
    assert_small_thumbnail(images.thumbnail(path))


def test_heif_built_here_and_cut_short(tmp_path: Path) -> None:
    pillow_heif.register_heif_opener()
    path = tmp_path / "x.heic"
    exif = exif_block("2024:03:12 22:15:30", "-05:00")
    Image.new("RGB", (64, 48), "blue").save(path, format="HEIF", exif=exif.tobytes())
    entry = parse_one(path)
    assert entry.meta["format"] == "HEIF"
    assert entry.occurred_ms == utc(CHICAGO_22_15_30)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) - 10])
    assert refusal(path) == images.DAMAGED


# ----- hostile and broken files -------------------------------------------------------


def test_decompression_bomb_png_is_refused_from_its_header(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(hand_png(size=(60000, 60000)))
    assert path.stat().st_size < 1000
    message = "this picture says it is 60000×60000 pixels — refusing it as unsafe"
    assert refusal(path) == message
    with pytest.raises(UnreadableFile, match="60000×60000"):
        images.thumbnail(path)


def test_decompression_bomb_webp_is_refused_before_libwebp_sees_it(tmp_path: Path) -> None:
    vp8x = b"VP8X" + struct.pack("<I", 10) + b"\x00\x00\x00\x00" + (16383).to_bytes(3, "little") * 2
    path = tmp_path / "bomb.webp"
    path.write_bytes(b"RIFF" + struct.pack("<I", 4 + len(vp8x)) + b"WEBP" + vp8x)
    assert refusal(path) == "this picture says it is 16384×16384 pixels — refusing it as unsafe"


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    assert not images.sniff(b"", path.name)
    assert refusal(path) == images.EMPTY
    with pytest.raises(UnreadableFile, match="empty"):
        images.thumbnail(path)


def test_random_bytes_named_jpg(tmp_path: Path) -> None:
    path = tmp_path / "IMG_0001.jpg"
    path.write_bytes(bytes(range(256)) * 8)
    assert not images.sniff(path.read_bytes(), path.name)
    assert refusal(path) == images.NOT_A_PICTURE


def test_missing_file_says_it_cannot_be_read(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFile, match="cannot be read from the disk"):
        list(images.parse(source(tmp_path / "gone.png")))


def test_truncated_jpeg(tmp_path: Path) -> None:
    path = write_jpeg(tmp_path / "a.jpg", size=(200, 150))
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) * 2 // 3])
    assert refusal(path) == images.DAMAGED
    with pytest.raises(UnreadableFile):
        images.thumbnail(path)


def test_jpeg_with_bytes_after_its_end_is_fine(tmp_path: Path) -> None:
    path = write_jpeg(tmp_path / "MVIMG.jpg", exif_block("2024:03:12 22:15:30"))
    path.write_bytes(path.read_bytes() + b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 500)
    assert parse_one(path).time_source is TimeSource.EXIF_LOCAL


@pytest.mark.parametrize("cut", [20, 40, -13, -1])
def test_truncated_png(tmp_path: Path, cut: int) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(hand_png()[:cut])
    assert refusal(path) == images.DAMAGED


def test_png_with_a_bad_checksum(tmp_path: Path) -> None:
    data = bytearray(hand_png())
    data[-20] ^= 0xFF  # inside the IDAT chunk
    path = tmp_path / "a.png"
    path.write_bytes(bytes(data))
    assert refusal(path) == images.DAMAGED


def test_png_with_a_chunk_longer_than_the_file(tmp_path: Path) -> None:
    path = tmp_path / "a.png"
    path.write_bytes(hand_png(after=(struct.pack(">I", 0x7FFFFFF0) + b"tEXt",)))
    assert refusal(path) == images.DAMAGED


@pytest.mark.parametrize(
    ("head", "ours"),
    [
        (PNG_SIGNATURE + b"\x00\x00\x00\rIHDR", True),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", True),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 ", True),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", True),
        (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1heic", True),
        (b"\x00\x00\x00\x14ftypheix\x00\x00\x00\x00heix", True),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", False),
        (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avifmiaf", False),
        (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", False),
        (b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A mp42", False),
        (b"RIFF\x10\x00\x00\x00WAVEfmt ", False),
        (b"GIF89a", False),
        (b"%PDF-1.7", False),
        (b"", False),
    ],
)
def test_sniff(head: bytes, ours: bool) -> None:
    assert images.sniff(head, "whatever.jpg") is ours


SMALL_PNG = hand_png(before=(chunk(b"tEXt", b"Software\x00x"),))


def _small_jpeg() -> bytes:
    out = BytesIO()
    Image.new("RGB", (16, 16), "red").save(
        out, "JPEG", exif=exif_block("2024:03:12 22:15:30", "+01:00").tobytes()
    )
    return out.getvalue()


SMALL_JPEG = _small_jpeg()


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    base=st.sampled_from([SMALL_PNG, SMALL_JPEG]),
    cut=st.integers(min_value=1, max_value=2000),
    flips=st.lists(st.tuples(st.integers(0, 1999), st.integers(1, 255)), max_size=6),
)
def test_damaged_files_give_one_entry_or_one_plain_sentence(
    tmp_path: Path, base: bytes, cut: int, flips: list[tuple[int, int]]
) -> None:
    data = bytearray(base[:cut])
    for position, mask in flips:
        if position < len(data):
            data[position] ^= mask
    path = tmp_path / "fuzz.jpg"
    path.write_bytes(bytes(data))
    try:
        items = list(images.parse(source(path)))
    except UnreadableFile as failure:
        assert str(failure) in {images.EMPTY, images.DAMAGED, images.NOT_A_PICTURE} or str(
            failure
        ).startswith("this picture says it is")
    else:
        assert len(items) == 1
        assert isinstance(items[0], ParsedEntry)
