"""Typed dates and times (issue #13): every common form reads back to what was meant,
in the vault's day order and zone; anything else is refused in words, never guessed."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nco_desktop.timekeeping import to_ms
from nco_desktop.typed_dates import (
    Unreadable,
    Want,
    day_first_for,
    parse_typed_instant,
    read_typed,
    typed_text,
)

CHICAGO = ZoneInfo("America/Chicago")
LONDON = ZoneInfo("Europe/London")
TODAY = date(2026, 3, 1)


def read(text: str, want: Want = Want.DAY_OR_MOMENT, zone: ZoneInfo = CHICAGO):
    return read_typed(text, zone, day_first=day_first_for(zone), want=want, today=TODAY)


def refusal(text: str, want: Want = Want.DAY_OR_MOMENT, zone: ZoneInfo = CHICAGO) -> str:
    with pytest.raises(Unreadable) as caught:
        read(text, want, zone)
    return str(caught.value)


# ----- the locale rule ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day_first"),
    [
        ("America/Chicago", False),
        ("America/New_York", False),
        ("America/Indiana/Indianapolis", False),
        ("Pacific/Honolulu", False),
        ("America/Puerto_Rico", False),
        ("US/Eastern", False),
        ("Europe/London", True),
        ("Europe/Berlin", True),
        ("America/Mexico_City", True),
        ("Australia/Sydney", True),
        ("UTC", True),
    ],
)
def test_month_first_only_in_us_style_zones(zone, day_first):
    assert day_first_for(ZoneInfo(zone)) is day_first


# ----- the three reported defects ----------------------------------------------------------


def test_a_typed_hearing_keeps_its_hour():
    found = read("Dec 10, 2026 9:30 AM", Want.MOMENT)
    assert found.moment() == datetime(2026, 12, 10, 9, 30)
    assert found.sentence() == "Thursday, Dec 10, 2026, 9:30 AM CST"


def test_a_numeric_date_is_read_month_first_in_a_us_vault():
    found = read("12/1/2017")
    assert (found.day, found.clock) == (date(2017, 12, 1), None)
    assert found.words == "Friday, Dec 1, 2017"
    assert "read month first" in found.notes  # 1/12 would be a real date too: said so


def test_a_named_date_with_an_evening_time_is_that_evening():
    found = read("Dec 2, 2017 11:30 PM")
    assert found.moment() == datetime(2017, 12, 2, 23, 30)
    assert found.words == "Saturday, Dec 2, 2017, 11:30 PM CST"


# ----- forms -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "zone", "want", "expected"),
    [
        ("December 10 2026 9:30am", CHICAGO, Want.MOMENT, datetime(2026, 12, 10, 9, 30)),
        ("10 Dec 2026 21:30", CHICAGO, Want.MOMENT, datetime(2026, 12, 10, 21, 30)),
        ("Dec. 10th, 2026 at 9:30 p.m.", CHICAGO, Want.MOMENT, datetime(2026, 12, 10, 21, 30)),
        ("Thursday, December 10, 2026 9 am", CHICAGO, Want.MOMENT, datetime(2026, 12, 10, 9)),
        ("9:30 PM Dec 2, 2017", CHICAGO, Want.MOMENT, datetime(2017, 12, 2, 21, 30)),
        ("2026-12-10 09:30", CHICAGO, Want.MOMENT, datetime(2026, 12, 10, 9, 30)),
        ("2026-12-10T09:30", CHICAGO, Want.MOMENT, datetime(2026, 12, 10, 9, 30)),
        ("12/10/2026 21h30", CHICAGO, Want.MOMENT, datetime(2026, 12, 10, 21, 30)),
        ("Dec 10 2026 noon", CHICAGO, Want.MOMENT, datetime(2026, 12, 10, 12)),
        ("Dec 10 2026 12 am", CHICAGO, Want.MOMENT, datetime(2026, 12, 10, 0)),
        ("Dec 10 2026 9:30 AM CST", CHICAGO, Want.MOMENT, datetime(2026, 12, 10, 9, 30)),
        ("1/12/2017", LONDON, Want.DAY, date(2017, 12, 1)),
        ("10.12.2026", LONDON, Want.DAY, date(2026, 12, 10)),
        ("10-Dec-2026", LONDON, Want.DAY, date(2026, 12, 10)),
        ("10th of December 2026", LONDON, Want.DAY, date(2026, 12, 10)),
        ("2026/12/10", LONDON, Want.DAY, date(2026, 12, 10)),
        ("today", CHICAGO, Want.DAY, TODAY),
        ("yesterday", CHICAGO, Want.DAY, date(2026, 2, 28)),
    ],
)
def test_common_forms(text, zone, want, expected):
    found = read(text, want, zone)
    got = found.day if want is Want.DAY else found.moment()
    assert got == expected


@pytest.mark.parametrize(
    ("text", "clock"),
    [
        ("9:30 AM", time(9, 30)),
        ("9.30pm", time(21, 30)),
        ("21:30", time(21, 30)),
        ("9 pm", time(21)),
        ("12:15 pm", time(12, 15)),
        ("12:15 am", time(0, 15)),
        ("noon", time(12)),
        ("midnight", time(0)),
        ("09:30:15", time(9, 30, 15)),
    ],
)
def test_time_only_fields(text, clock):
    found = read(text, Want.CLOCK)
    assert (found.day, found.clock) == (None, clock)


def test_a_time_field_names_the_zone_of_its_day():
    found = read_typed("9:30 AM", CHICAGO, day_first=False, want=Want.CLOCK, on=date(2026, 7, 1))
    assert found.words == "9:30 AM CDT"
    assert read("9:30 AM", Want.CLOCK).words == "9:30 AM, America/Chicago time"


# ----- choices made, and said --------------------------------------------------------------


def test_a_time_without_am_or_pm_is_the_24_hour_clock_and_says_so():
    found = read("Dec 10 2026 9:30", Want.MOMENT)
    assert found.clock == time(9, 30)
    assert any("no AM or PM" in note and "9:30 PM" in note for note in found.notes)
    assert read("Dec 10 2026 21:30").notes == ()  # nothing to choose
    assert read("2026-12-10T09:30").notes == ()  # a leading zero is the 24-hour clock


def test_a_two_digit_year_is_the_nearest_not_far_ahead_and_says_so():
    assert read("12/1/17").day == date(2017, 12, 1)
    assert "“17” read as 2017" in read("12/1/17").notes
    assert read("12/1/36").day == date(2036, 12, 1)  # ten years ahead: a hearing, maybe
    assert read("12/1/37").day == date(1937, 12, 1)


def test_unambiguous_numbers_need_no_note():
    assert read("12/12/2017").notes == ()
    assert read("12/25/2017").notes == ()


def test_clock_changes_are_named():
    skipped = read("Mar 8 2026 2:30 AM")
    assert any("did not happen" in note and "3:30 AM CDT" in note for note in skipped.notes)
    twice = read("Nov 1 2026 1:30 AM")
    assert any("happened twice" in note for note in twice.notes)


# ----- refusals, in words ------------------------------------------------------------------


def test_an_impossible_day_is_refused():
    assert (
        refusal("2/30/2026") == "Could not read “2/30/2026” as a date: February 2026 has 28 days."
    )
    assert "December 2017 has 31 days" in refusal("12/45/2017")


def test_a_number_that_is_no_month_in_this_order_is_refused_with_the_rule():
    said = refusal("13/1/2017")
    assert "month first" in said and "For January 13, 2017, type 1/13/2017." in said
    said = refusal("1/13/2017", zone=LONDON)
    assert "day first" in said and "type 13/1/2017" in said


@pytest.mark.parametrize(
    "text",
    ["garbage", "Dec 10 2026 9", "Dec 20", "12/1", "Dec 10 26", "2017", "9:30 tomorrow-ish"],
)
def test_garbage_and_half_dates_are_refused(text):
    said = refusal(text)
    assert said and f"“{text}”" in said


def test_the_refusal_offers_forms_to_try():
    assert refusal("next week", Want.DAY) == (
        "Could not read “next week” as a date. Try Dec 1, 2017 or 12/1/2017."
    )
    assert "Try 1 Dec 2017 or 1/12/2017." in refusal("next week", Want.DAY, LONDON)
    assert "Try 9:30 AM or 21:30." in refusal("half past", Want.CLOCK)


def test_the_field_s_kind_is_held_to():
    assert "has no time" in refusal("Dec 10, 2026", Want.MOMENT)
    assert "Dec 10, 2026 9:30 AM" in refusal("Dec 10, 2026", Want.MOMENT)  # its own day
    assert "day only" in refusal("Dec 10, 2026 9:30 AM", Want.DAY)
    assert "time only" in refusal("Dec 10, 2026 9:30 AM", Want.CLOCK)
    assert "add the date" in refusal("9:30 AM", Want.DAY_OR_MOMENT)


def test_a_wrong_weekday_or_zone_is_refused():
    assert refusal("Tuesday, December 10, 2026") == (
        "Dec 10, 2026 is a Thursday, not a Tuesday. Check the date."
    )
    assert "America/Chicago time (CST on that day)" in refusal("Dec 10 2026 9:30 AM EST")


def test_hours_out_of_range_are_refused():
    assert "1 to 12" in refusal("13:30 PM", Want.CLOCK)
    assert "0 to 23" in refusal("25:00", Want.CLOCK)
    assert "59" in refusal("9:75", Want.CLOCK)


def test_a_year_far_out_is_refused():
    assert "the year 3017 cannot be right" in refusal("Dec 1, 3017")


# ----- the command line --------------------------------------------------------------------


def test_the_command_line_takes_iso_and_typed_forms():
    assert parse_typed_instant("2017-12-01", CHICAGO) == to_ms(
        datetime(2017, 12, 1, tzinfo=CHICAGO)
    )
    assert parse_typed_instant("12/1/2017", CHICAGO) == to_ms(datetime(2017, 12, 1, tzinfo=CHICAGO))
    end = parse_typed_instant("Dec 1, 2017", CHICAGO, end_of_day=True)
    assert end == to_ms(datetime(2017, 12, 2, tzinfo=CHICAGO)) - 1
    evening = to_ms(datetime(2017, 12, 2, 23, 30, tzinfo=CHICAGO))
    assert parse_typed_instant("Dec 2, 2017 11:30 PM", CHICAGO) == evening
    with pytest.raises(ValueError, match="Could not read"):
        parse_typed_instant("12/45/2017", CHICAGO)


# ----- every form reads back ---------------------------------------------------------------

days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))
clocks = st.times().map(lambda t: t.replace(second=0, microsecond=0))
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _day_forms(day: date, day_first: bool) -> list[str]:
    name = MONTHS[day.month - 1]
    numbers = (day.day, day.month) if day_first else (day.month, day.day)
    return [
        f"{name[:3]} {day.day}, {day.year}",
        f"{name} {day.day} {day.year}",
        f"{day.day} {name[:3]} {day.year}",
        f"{day.day} {name} {day.year}",
        f"{day:%Y-%m-%d}",
        f"{numbers[0]}/{numbers[1]}/{day.year}",
        f"{numbers[0]:02d}/{numbers[1]:02d}/{day.year}",
        typed_text(day, day_first=day_first),
    ]


def _clock_forms(clock: time) -> list[str]:
    hour12 = clock.hour % 12 or 12
    half = "AM" if clock.hour < 12 else "PM"
    return [
        f"{hour12}:{clock.minute:02d} {half}",
        f"{hour12}:{clock.minute:02d}{half.lower()}",
        f"{hour12}.{clock.minute:02d}{half.lower()}",
        f"{clock.hour:02d}:{clock.minute:02d}",
        f"{clock.hour}:{clock.minute:02d}",
    ]


@given(day=days, zone=st.sampled_from([CHICAGO, LONDON]))
def test_every_day_form_reads_back(day, zone):
    day_first = day_first_for(zone)
    for text in _day_forms(day, day_first):
        found = read_typed(text, zone, day_first=day_first, want=Want.DAY, today=TODAY)
        assert found.day == day, text


@given(day=days, clock=clocks, zone=st.sampled_from([CHICAGO, LONDON]))
def test_every_date_and_time_form_reads_back(day, clock, zone):
    day_first = day_first_for(zone)
    moment = datetime.combine(day, clock)
    texts = [f"{d} {c}" for d in _day_forms(day, day_first)[:3] for c in _clock_forms(clock)]
    texts += [f"{day:%Y-%m-%d}T{clock:%H:%M}", typed_text(moment, day_first=day_first)]
    for text in texts:
        found = read_typed(text, zone, day_first=day_first, want=Want.MOMENT, today=TODAY)
        assert found.moment() == moment, text
