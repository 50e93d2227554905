"""The binder's "Pattern of contact" page: the same two pictures as the window's
Patterns view, drawn as vector shapes, with the counts in words a judge can cite.

It shows the restrained person's contacts to the user (incoming calls and messages):
contacts per day with the order's day marked, and hour of day × day of week with the
late-night hours (22:00–06:00) outlined. Greys print on any printer; one blue carries
the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from reportlab.lib.units import inch

from nco_desktop.binder import fonts
from nco_desktop.binder.layout import BODY, MARGIN_LEFT, Page
from nco_desktop.case.people import Role, list_people, party_keys_for
from nco_desktop.case.violations import order_windows
from nco_desktop.timekeeping import from_ms
from nco_desktop.timeline.patterns import ContactPattern, contact_pattern
from nco_desktop.vault import Vault

_BLUE = (0.16, 0.42, 0.72)
_GREY = (0.55, 0.55, 0.55)
_RED = (0.80, 0.15, 0.12)
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
#: Room left of the charts for their labels at 12 pt: a count up to "999", a day's name.
_AXIS = 32
_DAY_NAMES = 40


@dataclass(frozen=True)
class PatternSummary:
    person: str
    pattern: ContactPattern
    order_day: date | None


def pattern_summary(vault: Vault) -> PatternSummary | None:
    """The restrained person's pattern, or None when the case names no one to show."""
    restrained = list_people(vault.conn, Role.RESTRAINED)
    if not restrained:
        return None
    person = restrained[0]
    zone = vault.time_zone
    starts = [w.start_ms for w in order_windows(vault.conn, zone) if w.person_id == person.id]
    start = min(starts) if starts else None
    pattern = contact_pattern(
        vault.conn, zone, party_keys_for(vault.conn, person.id), order_start_ms=start
    )
    if not pattern.total:
        return None
    day = None if start is None else from_ms(start).astimezone(zone).date()
    return PatternSummary(person.name, pattern, day)


def draw(page: Page, summary: PatternSummary, side: str = "petitioner") -> None:
    """*side* is whose binder it is ("petitioner" or "respondent"): the contacts counted
    are the ones that reached that person."""
    pattern = summary.pattern
    page.new_page()
    page.heading("Pattern of contact")
    words = [
        f"Calls and messages from {summary.person} to the {side}: {pattern.total} in all",
        f"{pattern.late_night} late at night (22:00–06:00)",
    ]
    if summary.order_day is not None:
        words.append(
            f"{pattern.after_order} on or after {summary.order_day:%B} "
            f"{summary.order_day.day}, {summary.order_day.year}, when the order took effect"
        )
    if pattern.time_unknown:
        words.append(f"{pattern.time_unknown} with no known time (not drawn)")
    page.text("; ".join(words) + ".", gap_after=8)
    page.text(
        "Counted from the items in the vault, each of which is listed with its time and "
        "source in the exhibits.",
        gap_after=10,
    )
    page.text("Contacts per day", font=fonts.BOLD, gap_after=4)
    _daily(page, pattern, summary.order_day)
    page.text("By hour of day and day of week", font=fonts.BOLD, gap_after=4)
    _heat(page, pattern)
    page.text(
        "Darker squares mean more contacts. Outlined hours are late at night.",
    )


def _daily(page: Page, pattern: ContactPattern, marker: date | None) -> None:
    height = 2.0 * inch
    page.room(height + 30)
    canvas = page.canvas
    left, bottom = MARGIN_LEFT + _AXIS, page.y - height
    width = page.width - _AXIS
    first, last = min(pattern.per_day), max(pattern.per_day)
    days = (last - first).days + 1
    top = max(pattern.per_day.values())
    step = width / days
    canvas.setStrokeColorRGB(*_GREY)
    canvas.setLineWidth(0.5)
    canvas.line(left, bottom, left + width, bottom)
    canvas.setFont(fonts.REGULAR, BODY)
    canvas.setFillColorRGB(*_GREY)
    canvas.drawRightString(left - 4, bottom + height - BODY, str(top))
    canvas.drawRightString(left - 4, bottom, "0")
    # A day's label, "Sep 30", and a gap before the next one.
    label_every = max(1, int((fonts.width("Sep 30", fonts.REGULAR, BODY) + 8) / step) + 1)
    for i in range(days):
        day = first + timedelta(days=i)
        count = pattern.per_day.get(day, 0)
        x = left + i * step
        if marker is not None and day == marker:
            canvas.setStrokeColorRGB(*_RED)
            canvas.setLineWidth(1)
            canvas.line(x, bottom, x, bottom + height)
        if count:
            canvas.setFillColorRGB(*_BLUE)
            canvas.rect(x + step * 0.15, bottom, step * 0.7, height * count / top, 0, 1)
        if i % label_every == 0:
            canvas.setFillColorRGB(*_GREY)
            canvas.drawString(x, bottom - BODY - 3, f"{day:%b} {day.day}")
    canvas.setFillColorRGB(0, 0, 0)
    page.y = bottom - BODY - 16


def _heat(page: Page, pattern: ContactPattern) -> None:
    cell_h = 0.26 * inch
    page.room(cell_h * 7 + 30)
    canvas = page.canvas
    left = MARGIN_LEFT + _DAY_NAMES
    cell_w = (page.width - _DAY_NAMES) / 24
    top_y = page.y
    most = pattern.heat_max or 1
    canvas.setFont(fonts.REGULAR, BODY)
    for weekday, name in enumerate(_DAYS):
        y = top_y - (weekday + 1) * cell_h
        canvas.setFillColorRGB(*_GREY)
        canvas.drawRightString(left - 4, y + cell_h * 0.3, name)
        for hour in range(24):
            count = pattern.heat[weekday][hour]
            share = 0.0 if not count else 0.2 + 0.8 * count / most
            colour = tuple(1 - (1 - c) * share for c in _BLUE)
            canvas.setFillColorRGB(*colour)
            late = hour >= 22 or hour < 6
            canvas.setStrokeColorRGB(*(_RED if late else (0.85, 0.85, 0.85)))
            canvas.setLineWidth(0.6 if late else 0.3)
            canvas.rect(left + hour * cell_w, y, cell_w, cell_h, 1, 1)
    canvas.setFillColorRGB(*_GREY)
    bottom = top_y - 7 * cell_h
    for hour in range(0, 24, 3):
        canvas.drawString(left + hour * cell_w, bottom - BODY - 3, f"{hour:02d}:00")
    canvas.setFillColorRGB(0, 0, 0)
    page.y = bottom - BODY - 16
