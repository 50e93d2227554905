"""Times in screenshot and camera file names: every row of the table, and clock changes.

Each name is written here from the pattern its maker uses (see the table's sources in
``screenshot_names``); expected instants were worked out by hand for a Chicago vault
(CST is UTC-6 until March 10, 2024, 2 AM; CDT UTC-5 until November 3, 2024, 2 AM).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from nco_desktop.evidence.records import EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats import images, screenshot_names
from nco_desktop.importers.model import ParsedEntry, ParseSource
from nco_desktop.timekeeping import to_ms
from nco_desktop.timeline.paging import APPROXIMATE_PRECISIONS

ZONE = ZoneInfo("America/Chicago")
MTIME = 1_700_000_000_000
NNBSP = "\u202f"
SEC, MS, DAY, MIN = (
    TimePrecision.SECOND,
    TimePrecision.MILLISECOND,
    TimePrecision.DAY,
    TimePrecision.MINUTE,
)
AT_22_15_07 = "2024-03-10T04:15:07Z"  # Sat Mar 9, 2024, 10:15:07 PM CST


def utc(text: str) -> int:
    return to_ms(datetime.fromisoformat(text.replace("Z", "+00:00")))


def picture(tmp_path: Path, name: str) -> ParsedEntry:
    """A picture with no metadata at all, so only its name can give the time."""
    path = tmp_path / "plain.bin"
    fmt = "JPEG" if name.lower().endswith((".jpg", ".jpeg")) else "PNG"
    Image.new("RGB", (8, 8), (200, 30, 30)).save(path, fmt)
    items = list(images.parse(ParseSource(path, name, ZONE, "US", MTIME)))
    (entry,) = items
    assert isinstance(entry, ParsedEntry) and entry.kind is EntryKind.IMAGE
    return entry


@pytest.mark.parametrize("row", screenshot_names.PATTERNS, ids=lambda row: row.example)
def test_every_row_reads_its_own_example(row: screenshot_names.NamePattern) -> None:
    reading = screenshot_names.read_name(row.example)
    assert reading is not None and reading.pattern is row
    if row.has_time:
        assert reading.naive is not None and reading.naive.year in (2017, 2019, 2024)
    else:
        assert reading.naive is None


@pytest.mark.parametrize(
    ("name", "at", "offset", "precision", "label"),
    [
        # Xiaomi MIUI: date and time with dashes, milliseconds, then the app's package.
        ("Screenshot_2024-03-09-22-15-07-123_com.whatsapp.jpg", "2024-03-10T04:15:07.123Z",
         -360, MS, "Xiaomi"),
        # MIUI 13+/ColorOS: two digits and a hash of the app; the two digits are not read.
        ("Screenshot_2024-03-09-22-15-07-12_6012fa4d4ddec268fc5c7112cbb265e7.jpg", AT_22_15_07,
         -360, SEC, "Xiaomi"),
        ("Screenshot_20240309_221507.png", AT_22_15_07, -360, SEC, "Huawei"),
        ("Screenshot_20240309_221507_com.android.chrome.jpg", AT_22_15_07, -360, SEC, "Huawei"),
        ("Screenshot_20240309-221507.png", AT_22_15_07, -360, SEC, "Pixel"),
        ("Screenshot_20240309-221507_Messages.jpg", AT_22_15_07, -360, SEC, "Samsung One UI"),
        ("Screenshot_2024-03-09-22-15-07.png", AT_22_15_07, -360, SEC, "older Samsung"),
        ("Screenshot_2024-03-09-22-15-07_com.facebook.orca.png", AT_22_15_07, -360, SEC, "LG"),
        (f"Screenshot 2024-03-09 at 10.15.07{NNBSP}PM.png", AT_22_15_07, -360, SEC, "Ventura"),
        ("Screenshot 2024-03-09 at 10.15.07 PM (2).png", AT_22_15_07, -360, SEC, "Ventura"),
        ("Screenshot 2024-03-09 at 22.15.07.png", AT_22_15_07, -360, SEC, "Ventura"),
        ("Screen Shot 2024-03-09 at 10.15.07 PM.png", AT_22_15_07, -360, SEC, "Monterey"),
        ("Screen shot 2024-03-09 at 10.15.07 PM.png", AT_22_15_07, -360, SEC, "Monterey"),
        ("Bildschirmfoto 2024-03-09 um 22.15.07.png", AT_22_15_07, -360, SEC, "German"),
        ("Capture d\u2019\u00e9cran 2024-03-09 \u00e0 22.15.07.png", AT_22_15_07, -360, SEC,
         "French"),
        ("Captura de pantalla 2024-03-09 a las 22.15.07.png", AT_22_15_07, -360, SEC,
         "Spanish"),
        ("Screenshot 2024-03-09 221507.png", AT_22_15_07, -360, SEC, "Windows"),
        ("Screenshot from 2024-03-09 22-15-07.png", AT_22_15_07, -360, SEC, "GNOME"),
        ("IMG_20240309_221507.jpg", AT_22_15_07, -360, SEC, "Android camera"),
        ("20240309_221507.jpg", AT_22_15_07, -360, SEC, "Samsung camera"),
        ("PXL_20240309_221507123.jpg", "2024-03-09T22:15:07.123Z", None, MS, "UTC"),
        ("IMG-20240309-WA0003.jpg", "2024-03-09T06:00:00Z", -360, DAY, "WhatsApp"),
    ],
)  # fmt: skip
def test_names_give_their_time(
    tmp_path: Path, name: str, at: str, offset: int | None, precision: TimePrecision, label: str
) -> None:
    entry = picture(tmp_path, name)
    assert entry.time_source is TimeSource.FILE_NAME
    assert (entry.occurred_ms, entry.utc_offset_min, entry.time_precision) == (
        utc(at),
        offset,
        precision,
    )
    assert label in entry.meta["time_field"] and entry.meta["time_raw"] == name
    assert "time_ambiguity" not in entry.meta


@pytest.mark.parametrize("name", ["IMG_1234.PNG", "IMG_E0042.JPG", "Screenshot (12).png"])
def test_names_known_to_hold_no_time_fall_to_the_file_time(tmp_path: Path, name: str) -> None:
    entry = picture(tmp_path, name)
    assert (entry.occurred_ms, entry.time_source) == (MTIME, TimeSource.FILE_MTIME)
    assert "time_rejected" not in entry.meta  # nothing was wrong with the name


def test_a_time_that_never_happened_is_kept_to_the_minute_and_marked(tmp_path: Path) -> None:
    # March 10, 2024: Chicago's clocks went from 1:59:59 AM CST to 3:00 AM CDT.
    entry = picture(tmp_path, "Screenshot_20240310-023000.png")
    assert entry.time_source is TimeSource.FILE_NAME
    assert entry.time_precision is MIN and MIN in APPROXIMATE_PRECISIONS  # shown with ≈
    assert entry.meta["time_ambiguity"] == "gap"
    assert "never showed" in entry.meta["time_note"]
    assert entry.occurred_ms == utc("2024-03-10T08:30:00Z")  # 2:30 read as CST, as before


def test_a_time_that_happened_twice_takes_the_first_and_is_marked(tmp_path: Path) -> None:
    # November 3, 2024: 1:30 AM came first in CDT (06:30 UTC), again in CST (07:30 UTC).
    entry = picture(tmp_path, "Screenshot 2024-11-03 at 1.30.00 AM.png")
    assert entry.occurred_ms == utc("2024-11-03T06:30:00Z") and entry.utc_offset_min == -300
    assert entry.time_precision is MIN
    assert entry.meta["time_ambiguity"] == "fold" and "twice" in entry.meta["time_note"]


def test_the_hours_around_a_clock_change_are_exact(tmp_path: Path) -> None:
    before = picture(tmp_path, "Screenshot_20241103-005959.png")
    after = picture(tmp_path, "Screenshot_20241103-020000.png")
    assert before.time_precision is SEC and after.time_precision is SEC
    assert after.occurred_ms is not None and before.occurred_ms is not None
    assert after.occurred_ms - before.occurred_ms == (2 * 3600 + 1) * 1000  # 1 AM came twice


def test_a_utc_name_has_no_clock_change_doubt(tmp_path: Path) -> None:
    entry = picture(tmp_path, "PXL_20241103_013000000.jpg")
    assert entry.time_precision is MS and "time_ambiguity" not in entry.meta


@pytest.mark.parametrize(
    "name",
    [
        "Screenshot_2024-02-30-22-15-07-123_com.whatsapp.jpg",  # no February 30
        "Screenshot_20241309_221507.png",  # month 13
        "Screenshot 2024-03-09 at 13.15.07 PM.png",  # no 13 PM
    ],
)
def test_impossible_dates_in_a_name_are_refused_and_said(tmp_path: Path, name: str) -> None:
    entry = picture(tmp_path, name)
    assert entry.time_source is TimeSource.FILE_MTIME
    assert entry.meta["time_rejected"][0].startswith("file name (")


@pytest.mark.parametrize(
    "name",
    [
        "Screenshot_2024-03-09.png",  # a day alone is not one of these patterns
        "MyScreenshot_20240309-221507.png",
        "Screenshot_20240309-2215.png",
        "notes 2024-03-09 221507.png",
    ],
)
def test_names_outside_the_table_read_nothing(name: str) -> None:
    assert screenshot_names.read_name(name) is None


def test_a_path_is_read_by_its_last_part() -> None:
    reading = screenshot_names.read_name("C:\\Users\\me\\Pictures\\Screenshot_20240309_221507.png")
    assert reading is not None and reading.naive == datetime(2024, 3, 9, 22, 15, 7)
