"""A time read in a screenshot is only suggested: found as chat apps print dates, read by
the rules of typed dates, never from a bare clock or a day in the future."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pytest

from nco_desktop.ocr.store import OcrPage
from nco_desktop.ocr.suggest import suggest_time
from nco_desktop.ocr.words import OcrWord

CHICAGO = ZoneInfo("America/Chicago")
TODAY = date(2026, 12, 5)


def reading(*lines: str, status: str = "ok") -> OcrPage:
    words = tuple(
        OcrWord(word, 10 * n, 30 * number, 8, 20, 95.0, number)
        for number, line in enumerate(lines)
        for n, word in enumerate(line.split())
    )
    return OcrPage(1, 0, status, 1000, 1000, words, None)


def suggested(*lines: str, day_first: bool = False):
    return suggest_time(reading(*lines), CHICAGO, day_first=day_first, today=TODAY)


@pytest.mark.parametrize(
    "line, day, minutes",
    [
        ("Tue, Mar 12, 2024 at 10:15 PM", date(2024, 3, 12), 22 * 60 + 15),
        ("March 12, 2024 · 10:15 PM", date(2024, 3, 12), 22 * 60 + 15),
        ("2024-03-12 22:15", date(2024, 3, 12), 22 * 60 + 15),
        ("3/12/2024, 10:15 PM", date(2024, 3, 12), 22 * 60 + 15),
        ("Mar 12, 2024", date(2024, 3, 12), None),
    ],
)
def test_dates_as_chat_apps_print_them(line, day, minutes):
    found = suggested("9:41 5G 87%", "John Roe", line, "I know where you live")
    assert found is not None and (found.day, found.clock_minutes) == (day, minutes)
    assert found.line == line


def test_day_first_vaults_read_whatsapp_dates_day_first():
    found = suggested("12/03/2024, 22:15", day_first=True)
    assert found is not None and found.day == date(2024, 3, 12)


def test_a_bare_clock_or_a_relative_day_suggests_nothing():
    assert suggested("9:41", "Yesterday 10:15 PM", "Today", "see you at 5:30") is None


def test_a_date_in_the_future_or_impossible_is_taken_for_a_misreading():
    assert suggested("Mar 12, 2029 10:15 PM") is None
    assert suggested("Feb 31, 2024 10:15 PM") is None


def test_a_date_with_a_time_is_preferred_to_one_without():
    found = suggested("Mar 10, 2024", "Mar 12, 2024 10:15 PM")
    assert found is not None and found.day == date(2024, 3, 12) and found.has_time


def test_nothing_from_a_failed_reading():
    assert (
        suggest_time(
            reading("Mar 12, 2024", status="failed"), CHICAGO, day_first=False, today=TODAY
        )
        is None
    )


# ----- who a chat's screenshot is with ----------------------------------------------


def header_reading(*lines: str, height: int = 2000) -> OcrPage:
    """Lines read from the top of a phone screenshot, 40 px apart, then a message far
    below the header."""
    words = []
    for number, line in enumerate((*lines, "I know where you live")):
        top = 20 + 45 * number if number < len(lines) else 1200
        words.extend(
            OcrWord(word, 40 + 90 * n, top, 80, 30, 95.0, number)
            for n, word in enumerate(line.split())
        )
    return OcrPage(1, 0, "ok", 1170, height, tuple(words), None)


@pytest.mark.parametrize(
    "lines, party",
    [
        (("9:41 5G 87%", "< John Roe", "Active now"), "John Roe"),
        (("12:43", "Ray Núñez", "en línea"), "Ray Núñez"),
        (("10:02 LTE", "< Messages", "+1 (312) 555-0147"), "+1 (312) 555-0147"),
        (("9:41", "Back (312) 555-0147 Details"), "(312) 555-0147"),
    ],
)
def test_the_contact_in_a_chats_header_is_suggested(lines, party):
    from nco_desktop.ocr.suggest import suggest_sender

    found = suggest_sender(header_reading(*lines), "US")
    assert found is not None and found.party == party


def test_nothing_is_suggested_from_a_status_bar_or_from_below_the_header():
    from nco_desktop.ocr.suggest import suggest_sender

    assert suggest_sender(header_reading("9:41 5G 87%", "< Back"), "US") is None
    assert suggest_sender(header_reading(), "US") is None  # "I know where you live" is low


def test_version_numbers_old_years_and_later_today_are_not_offered():
    assert suggested("iOS 10.15.22") is None  # a two-digit year needs its time
    assert suggested("3/12/24, 10:15 PM") is not None  # as WhatsApp writes it
    assert suggested("Jan 1, 1970 12:00 AM") is None  # no phone screenshot is that old
    later = reading("Dec 5, 2026 11:30 PM")
    assert suggest_time(later, CHICAGO, day_first=False, today=TODAY, now_minutes=9 * 60) is None
    assert suggest_time(later, CHICAGO, day_first=False, today=TODAY, now_minutes=23 * 60 + 45)
