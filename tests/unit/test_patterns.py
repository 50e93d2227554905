"""Pattern counts, checked against a small case counted by hand."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from nco_desktop.timekeeping import to_ms
from nco_desktop.timeline.patterns import contact_pattern, frequent_parties
from tests.support.factories import seed_hand_counted_contacts

CHICAGO = ZoneInfo("America/Chicago")
HIM = "tel:+13125550147"


def at(day: int, hour: int, minute: int = 0) -> int:
    return to_ms(datetime(2026, 11, day, hour, minute, tzinfo=CHICAGO))


def test_counts_match_a_case_counted_by_hand(vault):
    seed_hand_counted_contacts(vault)
    order_served = at(10, 0)
    pattern = contact_pattern(vault.conn, CHICAGO, {HIM}, order_start_ms=order_served)
    assert pattern.total == 6
    assert pattern.time_unknown == 1
    assert dict(pattern.per_day) == {
        date(2026, 11, 9): 1,
        date(2026, 11, 10): 2,
        date(2026, 11, 12): 2,
    }
    assert pattern.heat[0][23] == 1 and pattern.heat[1][1] == 2
    assert pattern.heat[3][9] == 1 and pattern.heat[3][22] == 1
    assert pattern.heat_max == 2
    assert pattern.late_night == 4
    assert pattern.after_order == 4
    assert pattern.busiest_day == (date(2026, 11, 12), 2)
    both_ways = contact_pattern(vault.conn, CHICAGO, {HIM}, incoming_only=False)
    assert both_ways.total == 8
    assert frequent_parties(vault.conn) == [(HIM, HIM, 8)]
    assert contact_pattern(vault.conn, CHICAGO, set()).total == 0
