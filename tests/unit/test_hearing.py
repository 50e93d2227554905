"""Which order's hearing the cover offers, and in which words (case.hearing)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from nco_desktop.case.hearing import hearing_words, offered_hearing, order_with_hearing
from nco_desktop.case.orders import NewOrder, Order, OrderKind, add_order, list_orders
from nco_desktop.timekeeping import clock_time


def _order(oid: int, hearing: datetime | None) -> Order:
    return Order(oid, OrderKind.CIVIL_PROTECTION, "", "", None, None, hearing, None, "", None)


def test_the_next_hearing_else_the_last_one_heard():
    past = _order(1, datetime(2026, 11, 2, 9, 0))
    soon = _order(2, datetime(2026, 12, 1, 9, 30))
    later = _order(3, datetime(2027, 1, 5, 14, 0))
    none = _order(4, None)
    now = datetime(2026, 11, 20, 12, 0)
    assert order_with_hearing([later, none, past, soon], now) is soon
    assert order_with_hearing([past, none], now) is past
    assert order_with_hearing([past, soon], datetime(2027, 2, 1)) is soon  # heard last
    assert order_with_hearing([none], now) is None
    assert order_with_hearing([], now) is None


def test_a_hearing_at_this_minute_is_still_next_and_one_earlier_today_is_past():
    morning = _order(1, datetime(2026, 12, 1, 9, 30))
    later = _order(2, datetime(2026, 12, 8, 9, 30))
    assert order_with_hearing([later, morning], datetime(2026, 12, 1, 9, 30)) is morning
    assert order_with_hearing([later, morning], datetime(2026, 12, 1, 9, 31)) is later


def test_the_hearing_is_judged_on_the_vault_clock_not_the_laptop(vault):
    add_order(
        vault,
        NewOrder(
            OrderKind.CIVIL_PROTECTION,
            issued_on=date(2026, 11, 1),
            hearing_at=datetime(2026, 12, 1, 9, 30),  # Chicago wall-clock time
        ),
    )
    add_order(
        vault,
        NewOrder(
            OrderKind.RESTRAINING,
            issued_on=date(2026, 11, 1),
            hearing_at=datetime(2026, 12, 8, 9, 30),
        ),
    )
    first, second = list_orders(vault.conn)
    # 15:00 UTC is 9:00 in Chicago: the first hearing is still ahead.
    assert offered_hearing(vault, datetime(2026, 12, 1, 15, 0, tzinfo=UTC)) == first
    # 16:00 UTC is 10:00 in Chicago (it would still be 9:00 nowhere near): past.
    assert offered_hearing(vault, datetime(2026, 12, 1, 16, 0, tzinfo=UTC)) == second
    tokyo = datetime(2026, 12, 2, 0, 45, tzinfo=ZoneInfo("Asia/Tokyo"))  # 9:45 Chicago
    assert offered_hearing(vault, tokyo) == second
    assert offered_hearing(vault) is not None  # now: one of the two, ahead or heard last


def test_no_order_no_offer(vault):
    assert offered_hearing(vault) is None


def test_hearing_words_are_english_as_the_cover_is():
    assert hearing_words(datetime(2026, 12, 1, 9, 30)) == ("Tuesday, December 1, 2026", "9:30 AM")
    assert hearing_words(datetime(2026, 12, 1, 0, 5))[1] == "12:05 AM"
    assert hearing_words(datetime(2026, 12, 1, 12, 0))[1] == "12:00 PM"
    assert clock_time(time(21, 30)) == "9:30 PM"
