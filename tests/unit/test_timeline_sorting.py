"""The timeline in another order (issue #13): sorted by SQLite, not Python; unknown
times last in every order; selections read as slices; going to a day."""

from __future__ import annotations

from datetime import date

from nco_desktop.case.people import IdentifierKind, NewPerson, Role, add_person
from nco_desktop.evidence.records import Direction, EntryKind
from nco_desktop.timeline.paging import SortColumn, TimelineSort, build_index
from nco_desktop.timeline.query import TimelineQuery
from tests.support.factories import CHICAGO, add, at, seed_small


def test_time_descending_keeps_days_whole_and_unknown_times_last(vault):
    ids = seed_small(vault)
    index = build_index(vault.conn, TimelineQuery(), CHICAGO, TimelineSort(descending=True))
    assert [g.day for g in index.groups] == [
        date(2024, 3, 13),
        date(2024, 3, 12),
        date(2024, 3, 10),
        None,
    ]
    assert list(index.ids) == [
        ids["picture"],
        ids["mtime"],
        ids["late"],
        ids["call"],
        ids["first"],
        ids["unknown"],
    ]
    words = build_index(
        vault.conn, TimelineQuery(text="e"), CHICAGO, TimelineSort(descending=True)
    )  # a text filter scans the table: the same order
    assert [i for i in index.ids if i in set(words.ids)] == list(words.ids)


def test_grouped_by_kind_or_person_each_group_in_time_order(vault):
    with vault.change() as change:
        late = add(change, ms=at(2024, 3, 12, 22), party="+1555", party_name="sam roe")
        early = add(change, ms=at(2024, 3, 11, 9), party="+1666", party_name="Sam Roe")
        undated = add(change, party="+1555", party_name="Sam Roe")
        alex = add(change, EntryKind.CALL, ms=at(2024, 3, 10), party="Alex")
        nobody = add(change, EntryKind.NOTE, ms=at(2024, 3, 9), direction=Direction.OUTGOING)
        change.audit("test.seed")
    by_party = build_index(vault.conn, TimelineQuery(), CHICAGO, TimelineSort(SortColumn.PARTY))
    assert [(g.label, g.count) for g in by_party.groups] == [
        ("Alex", 1),
        ("Sam Roe", 3),  # case does not split a name
        ("", 1),
    ]
    assert list(by_party.ids) == [alex, early, late, undated, nobody]
    reverse = build_index(
        vault.conn, TimelineQuery(), CHICAGO, TimelineSort(SortColumn.PARTY, descending=True)
    )
    assert [g.label.casefold() for g in reverse.groups] == ["sam roe", "alex", ""]
    assert list(reverse.ids)[:3] == [early, late, undated]  # still time order inside

    by_kind = build_index(vault.conn, TimelineQuery(), CHICAGO, TimelineSort(SortColumn.KIND))
    assert [g.label for g in by_kind.groups] == ["call", "message", "note"]
    assert list(by_kind.ids) == [alex, early, late, undated, nobody]
    calls = build_index(
        vault.conn, TimelineQuery(party="sam"), CHICAGO, TimelineSort(SortColumn.KIND)
    )
    assert list(calls.ids) == [early, late, undated]


def test_the_person_order_groups_by_the_name_the_user_gave(vault):
    """Two numbers saved under different names in the phone are one person once the
    user adds them: the list sorted by person shows one group, under that name."""
    with vault.change() as change:
        add(change, ms=at(2024, 3, 12), party="+13125550147", party_name="Contact A",
            party_key="tel:+13125550147")  # fmt: skip
        add(change, ms=at(2024, 3, 13), party="+13125550148", party_name="Sam work",
            party_key="tel:+13125550148")  # fmt: skip
        add(change, ms=at(2024, 3, 14), party="+13125550199", party_name="Alex",
            party_key="tel:+13125550199")  # fmt: skip
        change.audit("test.seed")
    numbers = ((IdentifierKind.PHONE, "(312) 555-0147"), (IdentifierKind.PHONE, "(312) 555-0148"))
    add_person(vault, NewPerson(Role.RESTRAINED, "Sam Doe", numbers))
    by_party = build_index(vault.conn, TimelineQuery(), CHICAGO, TimelineSort(SortColumn.PARTY))
    assert [(g.label, g.count) for g in by_party.groups] == [("Alex", 1), ("Sam Doe", 2)]


def test_ids_in_rows_skips_headers_and_going_to_a_day_finds_the_nearest(vault):
    ids = seed_small(vault)
    index = build_index(vault.conn, TimelineQuery(), CHICAGO)
    assert list(index.ids_in_rows(0, index.row_count - 1)) == list(index.ids)
    second_header = index.header_rows[1]
    assert list(index.ids_in_rows(second_header, second_header)) == []
    assert list(index.ids_in_rows(second_header - 1, second_header + 1)) == [
        ids["first"],
        ids["call"],
    ]
    days = [g.day for g in index.groups]
    assert days[index.group_on_or_after(date(2024, 3, 11))] == date(2024, 3, 12)
    assert days[index.group_on_or_after(date(2024, 3, 12))] == date(2024, 3, 12)
    assert days[index.group_on_or_after(date(2030, 1, 1))] == date(2024, 3, 13)
    backwards = build_index(vault.conn, TimelineQuery(), CHICAGO, TimelineSort(descending=True))
    found = backwards.group_on_or_after(date(2024, 3, 11))
    assert backwards.groups[found].day == date(2024, 3, 12)
