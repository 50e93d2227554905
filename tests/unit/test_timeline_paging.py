"""The timeline's paging helpers: ordered ids, local days, pages of rows (no Qt)."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from nco_desktop.evidence.records import (
    Direction,
    EntryKind,
    NewEntry,
    TimePrecision,
    TimeSource,
)
from nco_desktop.evidence.store import add_entry, add_original, link_attachment
from nco_desktop.timekeeping import from_ms, to_ms
from nco_desktop.timeline.paging import (
    RowPages,
    TimelineIndex,
    build_index,
    dated_span,
    day_groups,
    day_range_ms,
    load_rows,
    read_thumbnail,
    start_of_day_ms,
)
from nco_desktop.timeline.query import TimelineQuery, iter_entries
from nco_desktop.vault.blobs import put_bytes

CHICAGO = ZoneInfo("America/Chicago")


def at(year: int, month: int, day: int, hour: int = 12, minute: int = 0) -> int:
    return to_ms(datetime(year, month, day, hour, minute, tzinfo=CHICAGO))


def add(change, kind=EntryKind.MESSAGE, ms=None, **kw) -> int:
    source = kw.pop("time_source", TimeSource.UNKNOWN if ms is None else TimeSource.HEADER)
    entry_id = add_entry(change, NewEntry(kind=kind, occurred_ms=ms, time_source=source, **kw))
    assert entry_id is not None
    return entry_id


@pytest.fixture
def seeded(vault):
    """Entries out of order across three Chicago days, two without a time."""
    with vault.change() as change:
        ids = {
            "late": add(change, ms=at(2024, 3, 12, 23, 30), party="+15550100199", text="late"),
            "early": add(change, ms=at(2024, 3, 12, 0, 5), party="+15550100199", text="Early"),
            "unknown1": add(change, kind=EntryKind.DOCUMENT, text="report"),
            "next": add(
                change, kind=EntryKind.CALL, ms=at(2024, 3, 13, 0, 0), party="+15550100123"
            ),
            "first": add(change, ms=at(2024, 3, 10, 9), party_name="Sam Roe", text="hello there"),
            "unknown2": add(change, kind=EntryKind.NOTE, text="a note"),
            "same_ms": add(change, ms=at(2024, 3, 12, 23, 30), text="same instant, later id"),
        }
        change.audit("test.seed")
    return vault, ids


def test_index_orders_by_time_then_id_with_unknown_last(seeded):
    vault, ids = seeded
    index = build_index(vault.conn, TimelineQuery(), CHICAGO)
    order = ["first", "early", "late", "same_ms", "next", "unknown1", "unknown2"]
    assert list(index.ids) == [ids[name] for name in order]
    assert list(index.ids) == [e.id for e in iter_entries(vault.conn)]  # same as the CLI
    assert [(g.day, g.first, g.count) for g in index.groups] == [
        (date(2024, 3, 10), 0, 1),
        (date(2024, 3, 12), 1, 3),
        (date(2024, 3, 13), 4, 1),
        (None, 5, 2),
    ]
    assert index.shown == index.total == 7
    assert index.row_count == 7 + 4


def test_locate_maps_list_rows_to_headers_and_entries(seeded):
    vault, ids = seeded
    index = build_index(vault.conn, TimelineQuery(), CHICAGO)
    assert list(index.header_rows) == [0, 2, 6, 8]
    assert index.locate(0) == (0, None)
    assert index.locate(1) == (0, 0)
    assert index.locate(2) == (1, None)
    assert index.locate(5) == (1, 3)
    assert index.locate(10) == (3, 6)
    with pytest.raises(IndexError):
        index.locate(11)
    for position in range(index.shown):
        row = index.row_of_position(position)
        assert index.locate(row)[1] == position
    assert index.row_of_entry(ids["next"]) == 7
    assert index.position_of(123456) is None
    assert TimelineIndex.empty().row_count == 0


def test_text_and_party_filters_scan_and_agree_with_the_cli(seeded):
    vault, _ids = seeded
    for query in (
        TimelineQuery(text="E"),
        TimelineQuery(party="0199"),
        TimelineQuery(party="sam"),
        TimelineQuery(text="note"),
        TimelineQuery(kinds=frozenset({EntryKind.CALL, EntryKind.NOTE})),
    ):
        index = build_index(vault.conn, query, CHICAGO)
        assert list(index.ids) == [e.id for e in iter_entries(vault.conn, query)], query
        assert index.total == 7
        assert sum(g.count for g in index.groups) == index.shown
    notes = build_index(vault.conn, TimelineQuery(text="note"), CHICAGO)
    assert [g.day for g in notes.groups] == [None]


def test_date_range_covers_whole_local_days_and_drops_unknown(seeded):
    vault, ids = seeded
    since, until = day_range_ms(CHICAGO, date(2024, 3, 12), date(2024, 3, 12))
    assert since == at(2024, 3, 12, 0, 0)
    assert until == at(2024, 3, 13, 0, 0) - 1
    index = build_index(vault.conn, TimelineQuery(since_ms=since, until_ms=until), CHICAGO)
    assert list(index.ids) == [ids["early"], ids["late"], ids["same_ms"]]
    assert [g.day for g in index.groups] == [date(2024, 3, 12)]
    assert day_range_ms(CHICAGO, None, None) == (None, None)
    assert dated_span(vault.conn, CHICAGO) == (date(2024, 3, 10), date(2024, 3, 13))


def test_day_groups_follow_daylight_saving_changes():
    # Chicago springs forward on 10 March 2024 (a 23-hour day) and falls back on 3 Nov.
    times = [
        at(2024, 3, 9, 23, 59),
        at(2024, 3, 10, 0, 0),
        at(2024, 3, 10, 23, 59),
        at(2024, 3, 11, 0, 0),
        at(2024, 11, 3, 0, 30),
        to_ms(datetime(2024, 11, 3, 1, 30, fold=1, tzinfo=CHICAGO)),
        at(2024, 11, 3, 23, 59),
        at(2024, 11, 4, 0, 0),
    ]
    groups = day_groups(times, CHICAGO)
    assert [(g.day, g.count) for g in groups] == [
        (date(2024, 3, 9), 1),
        (date(2024, 3, 10), 2),
        (date(2024, 3, 11), 1),
        (date(2024, 11, 3), 3),
        (date(2024, 11, 4), 1),
    ]
    for group in groups:
        for ms in times[group.first : group.first + group.count]:
            assert from_ms(ms).astimezone(CHICAGO).date() == group.day


def test_start_of_day_when_midnight_does_not_exist():
    # Santiago skipped from 00:00 to 01:00 on 8 September 2024: the day starts at 01:00.
    santiago = ZoneInfo("America/Santiago")
    start = start_of_day_ms(date(2024, 9, 8), santiago)
    assert from_ms(start).astimezone(santiago).date() == date(2024, 9, 8)
    assert from_ms(start - 1).astimezone(santiago).date() == date(2024, 9, 7)
    assert from_ms(start).astimezone(santiago).hour == 1


def test_row_pages_read_a_page_at_a_time_and_forget_old_pages(vault):
    base = at(2024, 1, 1)
    with vault.change() as change:
        for i in range(50):
            add(
                change,
                ms=base + i * 60_000,
                text=f"line one {i}\nline two",
                direction=Direction.INCOMING,
            )
        change.audit("test.seed")
    index = build_index(vault.conn, TimelineQuery(), CHICAGO)
    pages = RowPages(vault.conn, index.ids, page_size=8, max_pages=2)
    assert pages.row(0).entry.text.startswith("line one 0")
    assert pages.row(7) is not None and pages.pages_read == 1
    pages.row(8)
    pages.row(49)
    assert pages.pages_read == 3 and pages.cached_pages == 2
    pages.row(0)  # page 0 was forgotten: read again
    assert pages.pages_read == 4
    pages.row(49)  # still cached
    assert pages.pages_read == 4
    pages.clear()
    assert pages.cached_pages == 0


def test_rows_carry_marker_flags_and_thumbnails(vault):
    with vault.change() as change:
        exact = add(change, ms=at(2024, 5, 1), time_source=TimeSource.HEADER)
        mtime = add(change, ms=at(2024, 5, 1), time_source=TimeSource.FILE_MTIME)
        by_day = add(change, ms=at(2024, 5, 1), time_precision=TimePrecision.DAY)
        picture, _ = add_original(
            change,
            io.BytesIO(b"picture bytes"),
            name="shot.png",
            media_type="image/png",
            import_source="test",
        )
        image = add(change, kind=EntryKind.IMAGE, ms=at(2024, 5, 2), original_id=picture.id)
        mms = add(change, ms=at(2024, 5, 3), text="look")
        link_attachment(change, mms, picture.id, 0)
        blob = put_bytes(change.conn, b"thumbnail bytes")
        change.conn.execute(
            "INSERT INTO derivatives (original_id, kind, blob_id, created_at) "
            "VALUES (?, 'thumbnail', ?, ?)",
            (picture.id, blob.id, change.at),
        )
        change.audit("test.seed")
    rows = load_rows(vault.conn, [exact, mtime, by_day, image, mms, 999])
    assert set(rows) == {exact, mtime, by_day, image, mms}
    assert not rows[exact].is_approximate and not rows[exact].is_weak_source
    assert rows[mtime].is_approximate and rows[mtime].is_weak_source
    assert rows[by_day].is_approximate and not rows[by_day].is_weak_source
    assert rows[image].thumbnail_blob_id == blob.id
    assert rows[image].entry.original_name == "shot.png"
    assert rows[mms].thumbnail_blob_id == blob.id  # its attachment's
    assert rows[exact].thumbnail_blob_id is None
    assert read_thumbnail(vault.conn, blob.id) == b"thumbnail bytes"


def test_long_text_is_cut_for_the_list(vault):
    with vault.change() as change:
        entry = add(change, ms=at(2024, 5, 1), text="x" * 50_000)
        change.audit("test.seed")
    assert len(load_rows(vault.conn, [entry])[entry].entry.text) == 2_000


def test_an_empty_vault_has_no_rows(vault):
    index = build_index(vault.conn, TimelineQuery(), CHICAGO)
    assert index.row_count == index.shown == index.total == 0
    assert dated_span(vault.conn, CHICAGO) == (None, None)
    assert day_groups([], CHICAGO) == []
    assert load_rows(vault.conn, []) == {}


def test_days_are_the_vault_zone_days_not_utc(vault):
    # 23:30 in Chicago on 12 March is already 13 March in UTC.
    with vault.change() as change:
        add(change, ms=at(2024, 3, 12, 23, 30))
        change.audit("test.seed")
    utc = build_index(vault.conn, TimelineQuery(), ZoneInfo("UTC"))
    chicago = build_index(vault.conn, TimelineQuery(), CHICAGO)
    assert utc.groups[0].day == date(2024, 3, 13)
    assert chicago.groups[0].day == date(2024, 3, 12)
    assert chicago.groups[0].day + timedelta(days=1) == utc.groups[0].day


def test_text_search_finds_the_users_own_notes(seeded):
    from nco_desktop.evidence.notes import set_entry_note

    vault, ids = seeded
    set_entry_note(vault, ids["next"], "He called from his brother's phone")
    query = TimelineQuery(text="BROTHER")
    assert [e.id for e in iter_entries(vault.conn, query)] == [ids["next"]]
    assert list(build_index(vault.conn, query, CHICAGO).ids) == [ids["next"]]


def test_search_words_are_literal_and_fold_ascii_case_only(vault):
    """Wildcards typed by the user are plain characters; the meaning is instr(lower())."""
    with vault.change() as change:
        ids = {
            "percent": add(change, ms=at(2024, 3, 1), text="Pay 50% now"),
            "five_hundred": add(change, ms=at(2024, 3, 2), text="Pay 500 now"),
            "underscore": add(change, ms=at(2024, 3, 3), text="user a_b wrote"),
            "axb": add(change, ms=at(2024, 3, 4), text="user aXb wrote"),
            "backslash": add(change, ms=at(2024, 3, 5), text=r"path C:\temp"),
            "accent": add(change, ms=at(2024, 3, 6), text="ÉCOLE"),
            "sam": add(change, ms=at(2024, 3, 7), party_name="SAM Roe", party="+15550100199"),
        }
        change.audit("test.seed")

    def found(**kw: str) -> set[int]:
        index = build_index(vault.conn, TimelineQuery(**kw), CHICAGO)
        listed = {e.id for e in iter_entries(vault.conn, TimelineQuery(**kw))}
        assert set(index.ids) == listed  # the window and the CLI agree
        return set(index.ids)

    assert found(text="50%") == {ids["percent"]}
    assert found(text="a_b") == {ids["underscore"]}
    assert found(text="A_B") == {ids["underscore"]}  # ASCII letters in any case
    assert found(text="\\temp") == {ids["backslash"]}
    assert found(text="%") == {ids["percent"]}
    assert found(text="école") == set()  # like lower(): non-ASCII letters keep their case
    assert found(text="ÉCOLE") == {ids["accent"]}
    assert found(party="sam roe") == {ids["sam"]}
    assert found(words="0100199") == {ids["sam"]}
