"""Pattern counts, checked against a small case counted by hand."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from nco_desktop.evidence.records import CallType, Direction, EntryKind, NewEntry, TimeSource
from nco_desktop.evidence.store import add_entry
from nco_desktop.timekeeping import to_ms
from nco_desktop.timeline.patterns import contact_pattern, frequent_parties

CHICAGO = ZoneInfo("America/Chicago")
HIM = "tel:+13125550147"


def at(day: int, hour: int, minute: int = 0) -> int:
    return to_ms(datetime(2026, 11, day, hour, minute, tzinfo=CHICAGO))


def test_counts_match_a_case_counted_by_hand(vault):
    """Also the seed of tests/ui/test_patterns_page.py."""
    rows = [  # Nov 9 2026 is a Monday
        (EntryKind.MESSAGE, at(9, 23, 30), Direction.INCOMING, None),  # Mon 23h, late
        (EntryKind.MESSAGE, at(10, 1, 5), Direction.INCOMING, None),  # Tue 1h, late
        (EntryKind.CALL, at(10, 1, 20), Direction.INCOMING, CallType.MISSED),  # Tue 1h, late
        (EntryKind.MESSAGE, at(10, 12), Direction.OUTGOING, None),  # the user's reply: out
        (EntryKind.CALL, at(10, 13), Direction.OUTGOING, CallType.OUTGOING),  # out
        (EntryKind.CALL, at(12, 9), Direction.INCOMING, CallType.INCOMING),  # Thu 9h
        (EntryKind.MESSAGE, at(12, 22), Direction.INCOMING, None),  # Thu 22h, late
        (EntryKind.MESSAGE, None, Direction.INCOMING, None),  # no time: counted apart
        (EntryKind.EMAIL, at(12, 10), Direction.INCOMING, None),  # not a call or text
    ]
    with vault.change() as change:
        for kind, ms, direction, call_type in rows:
            add_entry(
                change,
                NewEntry(
                    kind=kind,
                    occurred_ms=ms,
                    time_source=TimeSource.EXPORT_FIELD if ms else TimeSource.UNKNOWN,
                    party_key=HIM,
                    direction=direction,
                    call_type=call_type,
                ),
            )
        change.audit("test.seed")
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
