"""One search for every list that offers evidence (timeline.evidence_search)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nco_desktop.case.incidents import NewIncident, add_incident
from nco_desktop.evidence.notes import set_entry_note
from nco_desktop.evidence.records import CallType, EntryKind, NewEntry, TimeSource
from nco_desktop.evidence.store import add_entry
from nco_desktop.timekeeping import to_ms
from nco_desktop.timeline.evidence_search import (
    DAY_MS,
    EVIDENCE_KINDS,
    SEARCH_LIMIT,
    search_evidence,
)
from nco_desktop.timeline.query import TimelineQuery, iter_entries

CHICAGO = ZoneInfo("America/Chicago")


def at(day: int, hour: int = 12) -> int:
    return to_ms(datetime(2026, 11, day, hour, tzinfo=CHICAGO))


def seed(vault) -> dict[str, int]:
    """A few entries whose words sit in different places: text, person, number, note."""
    rows = {
        "car": (EntryKind.MESSAGE, at(3), "John Roe", "+13125550147", "I saw your CAR outside"),
        "call": (EntryKind.CALL, at(4), "John Roe", "+13125550147", None),
        "friend": (EntryKind.MESSAGE, at(5), "Ann Carter", "+13125550100", "dinner?"),
        "undated": (EntryKind.NOTE, None, None, None, "he followed me to the car park"),
        "mail": (EntryKind.EMAIL, at(6), "john@example.org", None, "Answer me"),
    }
    ids = {}
    with vault.change() as change:
        for name, (kind, ms, party, key, text) in rows.items():
            ids[name] = add_entry(
                change,
                NewEntry(
                    kind=kind,
                    occurred_ms=ms,
                    time_source=TimeSource.EXPORT_FIELD if ms else TimeSource.UNKNOWN,
                    party_name=party if party and "@" not in party else None,
                    party=key or party,
                    text=text,
                    call_type=CallType.MISSED if kind == EntryKind.CALL else None,
                ),
            )
        change.audit("test.seed")
    set_entry_note(vault, ids["mail"], "Sent the night of the car incident")
    ids["incident"] = add_incident(vault, NewIncident(at(3, 13), summary="car outside home"))
    return ids


def names(found, ids: dict[str, int]) -> list[str]:
    back = {v: k for k, v in ids.items()}
    return [back[i] for i in found.ids]


def test_words_in_text_file_name_note_or_person_any_case_never_incidents(vault):
    ids = seed(vault)
    # "car" is in a text, in a person's name (Carter), in a note and an undated note.
    found = search_evidence(vault.conn, "  car ")
    assert names(found, ids) == ["car", "friend", "mail", "undated"]  # unknown time last
    assert not found.more
    assert names(search_evidence(vault.conn, "JOHN roe"), ids) == ["car", "call"]
    assert names(search_evidence(vault.conn, "5550147"), ids) == ["car", "call"]
    assert names(search_evidence(vault.conn, "john@"), ids) == ["mail"]
    assert "incident" not in names(search_evidence(vault.conn, ""), ids)
    assert search_evidence(vault.conn, "car", EntryKind.INCIDENT).views == ()


def test_kind_exclusions_and_near_an_incident(vault):
    ids = seed(vault)
    assert names(search_evidence(vault.conn, "car", EntryKind.MESSAGE), ids) == [
        "car",
        "friend",
    ]
    assert names(search_evidence(vault.conn, "car", "note"), ids) == ["undated"]  # a value
    assert names(search_evidence(vault.conn, "car", exclude=[ids["car"]]), ids) == [
        "friend",
        "mail",
        "undated",
    ]
    # From a day before to a day after the 4th at noon: the 3rd to the 5th, at noon.
    near = search_evidence(vault.conn, "", near_ms=at(4))
    assert names(near, ids) == ["car", "call", "friend"]
    edge = search_evidence(vault.conn, "", near_ms=at(4) + 1)
    assert "car" not in names(edge, ids) and at(4) + 1 - DAY_MS > at(3)


def test_the_limit_says_when_more_matched_and_exclusions_do_not_count(vault):
    ids = seed(vault)
    found = search_evidence(vault.conn, "", limit=2)
    assert names(found, ids) == ["car", "call"] and found.more
    exact = search_evidence(vault.conn, "", limit=5)
    assert len(exact.views) == 5 and not exact.more
    fewer = search_evidence(vault.conn, "", limit=2, exclude=[ids["car"]])
    assert names(fewer, ids) == ["call", "friend"] and fewer.more


@pytest.mark.parametrize("words", ["car", "john", "5550100", "answer", "x-none"])
def test_the_same_as_text_or_person_searched_apart(vault, words):
    """What the two lists did before (text, then person, merged in time order)."""
    seed(vault)
    merged: dict[int, tuple] = {}
    for query in (
        TimelineQuery(kinds=EVIDENCE_KINDS, text=words),
        TimelineQuery(kinds=EVIDENCE_KINDS, party=words),
    ):
        for view in iter_entries(vault.conn, query):
            merged[view.id] = (view.occurred_ms is None, view.occurred_ms or 0, view.id)
    expected = sorted(merged, key=merged.__getitem__)
    assert search_evidence(vault.conn, words).ids == expected


def test_the_default_limit_is_the_lists_size():
    assert SEARCH_LIMIT == 500


def test_words_in_a_translation_or_a_transcript_are_found(vault):
    """A Spanish text is found by its English translation; a voicemail by its transcript."""
    from nco_desktop.evidence.transcripts import set_transcript
    from nco_desktop.evidence.translations import set_translation

    ids = seed(vault)
    with vault.change() as change:
        ids["voicemail"] = add_entry(
            change,
            NewEntry(kind=EntryKind.AUDIO, occurred_ms=at(7), time_source=TimeSource.FILE_MTIME),
        )
        ids["spanish"] = add_entry(
            change,
            NewEntry(
                kind=EntryKind.MESSAGE,
                occurred_ms=at(8),
                time_source=TimeSource.EXPORT_FIELD,
                party="+13125550147",
                text="Sé dónde vives",
            ),
        )
        change.audit("test.seed")
    assert names(search_evidence(vault.conn, "where you live"), ids) == []
    set_translation(vault, ids["spanish"], "Spanish", "I know where you live")
    set_transcript(vault, ids["voicemail"], "Pick up, I know where you live")
    assert sorted(names(search_evidence(vault.conn, "WHERE YOU LIVE"), ids)) == [
        "spanish",
        "voicemail",
    ]
