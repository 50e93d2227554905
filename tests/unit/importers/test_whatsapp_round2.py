"""WhatsApp, issue 18: date order, layouts, clock changes, system lines, the user's name.

Every chat here is written for this test from WhatsApp's published layouts (the phone
locale's short date and time pattern) and WhatsApp's own system strings; none is
copied from another project's test data.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nco_desktop.evidence.records import CallType, Direction, EntryKind, TimePrecision
from nco_desktop.importers.formats import whatsapp
from nco_desktop.importers.formats.chat_owner import UNKNOWN_NOTE
from nco_desktop.importers.formats.wall_clock import FOLD_NOTE, GAP_MOVED_NOTE
from nco_desktop.importers.formats.whatsapp_layouts import LAYOUTS
from nco_desktop.importers.model import FormatNote, ParsedEntry, ParseSource
from nco_desktop.timekeeping import iso_z_from_ms

CHICAGO = ZoneInfo("America/Chicago")


def parse(path: Path, region: str = "US", **options: str) -> list:
    return list(whatsapp.parse(ParseSource(path, path.name, CHICAGO, region, None, options)))


def entries(items: list) -> list[ParsedEntry]:
    return [i for i in items if isinstance(i, ParsedEntry)]


def notes(items: list) -> list[str]:
    """The notes, less "which sender is you is not known" (its own test: test_chat_owner)."""
    return [i.message for i in items if isinstance(i, FormatNote) and i.message != UNKNOWN_NOTE]


def write(tmp_path: Path, text: str, name: str = "WhatsApp Chat with Alex.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def local(entry: ParsedEntry) -> str:
    assert entry.occurred_ms is not None
    return datetime.fromtimestamp(entry.occurred_ms / 1000, CHICAGO).strftime("%Y-%m-%d %H:%M")


# --- the layout table -------------------------------------------------------------------


@pytest.mark.parametrize("layout", LAYOUTS, ids=lambda row: f"{row.language}-{row.platform}")
def test_every_layout_in_the_table_reads_9_march_2024_at_22_15(tmp_path, layout):
    path = write(tmp_path, layout.example + "\n")
    assert whatsapp.sniff(path.read_bytes(), path.name)
    chosen = {} if layout.order == "year-first" else {"date_order": layout.order}
    (entry,) = entries(parse(path, **chosen))
    assert (entry.meta["sender"], entry.text) == ("Alex", "hi")
    assert local(entry) == "2024-03-09 22:15"
    second = 7 if layout.platform == "iOS" else 0
    assert datetime.fromtimestamp(entry.occurred_ms / 1000, CHICAGO).second == second


def test_the_table_covers_the_languages_the_issue_names():
    languages = {row.language.split(" ")[0] for row in LAYOUTS}
    assert {"French", "German", "Spanish", "Portuguese", "Italian", "Dutch", "Russian"} <= (
        languages
    )
    assert {"Turkish", "Japanese", "Chinese", "Korean", "Arabic", "Persian"} <= languages
    assert any("\u202f" in row.example for row in LAYOUTS)  # narrow NBSP before PM


# --- day-first or month-first --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("09.03.24, 22:15 - Alex: hi\n", "dots"),  # German
        ("[09/03/2024, 22:15:07] Alex: hi\n", "iPhone layout"),  # UK iPhone
        ("09/03/2024 à 22:15 - Alex: hi\n", "“à”"),  # French
        ("09-03-2024 22:15 - Alex: hi\n", "dashes"),  # Dutch
    ],
)
def test_day_first_layouts_decide_even_in_a_us_vault(tmp_path, text, reason):
    items = parse(write(tmp_path, text), region="US")
    assert local(entries(items)[0]) == "2024-03-09 22:15"
    (note,) = notes(items)
    assert note.startswith("Dates were read day-first") and reason in note


def test_the_order_of_lines_decides_when_no_day_is_above_12(tmp_path):
    # 12 Jan → 1 Feb → 3 Feb runs forwards; read month-first it would go 1 Dec → 2 Jan.
    day_first = "12/1/24, 22:15 - Alex: a\n1/2/24, 08:00 - Alex: b\n3/2/24, 09:00 - Alex: c\n"
    items = parse(write(tmp_path, day_first), region="US")
    assert [local(e)[:10] for e in entries(items)] == ["2024-01-12", "2024-02-01", "2024-02-03"]
    assert "go backwards 1 times" in notes(items)[0]
    month_first = "1/12/24, 22:15 - Alex: a\n2/1/24, 08:00 - Alex: b\n"
    items = parse(write(tmp_path, month_first), region="GB")
    assert [local(e)[:10] for e in entries(items)] == ["2024-01-12", "2024-02-01"]
    assert notes(items)[0].startswith("Dates were read month-first")


def test_an_ambiguous_chat_asks_with_a_sample_read_both_ways(tmp_path):
    text = "3/9/24, 22:15 - Alex: where are you\n3/9/24, 22:16 - Jordan: stop\n"
    path = write(tmp_path, text)
    with pytest.raises(whatsapp.DateOrderNeeded) as asked:
        parse(path, region="US")
    question = asked.value.question
    assert question.as_dict() == {
        "line": 1,
        "written": "3/9/24, 22:15",
        "day_first": "2024-09-03 22:15",
        "month_first": "2024-03-09 22:15",
        "suggested": "month-first",
        "senders": ["Alex", "Jordan"],
    }
    json.dumps(question.as_dict())  # it can cross the worker's wire as it is
    assert "3 September 2024 22:15" in str(asked.value)
    assert "9 March 2024 22:15" in str(asked.value)
    assert "--date-order" in str(asked.value)
    chosen = entries(parse(path, date_order="day-first"))
    assert local(chosen[0]) == "2024-09-03 22:15"


# --- clock changes ----------------------------------------------------------------------


def test_the_repeated_hour_is_resolved_by_the_order_of_lines(tmp_path):
    text = (
        "11/3/24, 01:30 - Alex: first pass\n"
        "11/3/24, 01:45 - Alex: still first\n"
        "11/3/24, 01:30 - Alex: second pass\n"  # the clocks went back at 02:00 CDT
        "11/3/24, 02:10 - Alex: after\n"
    )
    chat = entries(parse(write(tmp_path, text), date_order="month-first"))
    stamps = [iso_z_from_ms(e.occurred_ms) for e in chat]
    assert stamps == [
        "2024-11-03T06:30:00Z",
        "2024-11-03T06:45:00Z",
        "2024-11-03T07:30:00Z",
        "2024-11-03T08:10:00Z",
    ]
    assert [e.utc_offset_min for e in chat] == [-300, -300, -360, -360]
    assert [e.meta.get("fold") for e in chat[:3]] == [0, 0, 1]
    assert "second time" in chat[2].meta["time_note"]  # the detail pane says why
    assert all(e.time_precision is TimePrecision.MINUTE for e in chat)


def test_a_repeated_hour_with_no_step_back_stays_approximate(tmp_path):
    text = "11/3/24, 01:10 - Alex: one\n11/3/24, 01:20 - Alex: two\n11/3/24, 03:00 - Alex: x\n"
    items = parse(write(tmp_path, text), date_order="month-first")
    one, two, later = entries(items)
    for entry in (one, two):
        assert entry.time_precision is TimePrecision.DAY  # shown with ≈
        assert entry.meta["time_ambiguous"] == "repeated hour"
        assert entry.meta["time_note"] == FOLD_NOTE
    assert one.meta["readings_utc"] == ["2024-11-03T06:10:00Z", "2024-11-03T07:10:00Z"]
    assert later.time_precision is TimePrecision.MINUTE
    assert any("repeats when clocks go back" in n for n in notes(items))


def test_a_time_that_did_not_exist_is_marked_and_sorts_in_place(tmp_path):
    text = (
        "3/10/24, 01:45 - Alex: before\n"
        "3/10/24, 02:30 - Alex: in the skipped hour\n"
        "3/10/24, 03:00 - Alex: after\n"
    )
    items = parse(write(tmp_path, text), date_order="month-first")
    before, skipped, after = entries(items)
    assert before.occurred_ms < skipped.occurred_ms <= after.occurred_ms
    assert iso_z_from_ms(skipped.occurred_ms) == "2024-03-10T08:00:00Z"  # the change itself
    assert skipped.time_precision is TimePrecision.DAY
    assert skipped.meta["time_ambiguous"] == "did not exist"
    assert skipped.meta["written_time"] == "2024-03-10 02:30"
    assert skipped.meta["time_note"] == GAP_MOVED_NOTE
    assert any("did not exist" in n for n in notes(items))


# --- system lines -------------------------------------------------------------------------

IOS_CHAT = (
    "[09.03.24, 22:10:00] Alex: \u200eNachrichten und Anrufe sind Ende-zu-Ende-verschlüsselt."
    " Niemand außerhalb dieses Chats kann sie lesen.\n"
    "[09.03.24, 22:11:00] Alex: \u200eAlex changed their phone number to a new number.\n"
    "[09.03.24, 22:12:00] Alex: I left your things outside\n"
    "[09.03.24, 22:13:00] Alex: \u200eimage omitted\n"
    "[09.03.24, 22:14:00] Alex: \u200eMissed voice call\n"
    "[09.03.24, 22:15:00] Jordan: leave me alone\n"
    "[09.03.24, 22:16:00] Alex: \u200eThis message was deleted.\n"
)
ANDROID_CHAT = (
    "09/03/2024, 22:10 - Messages and calls are end-to-end encrypted. Only people in this "
    "chat can read, listen to, or share them. Learn more.\n"
    "09/03/2024, 22:11 - Sam left\n"
    "09/03/2024, 22:12 - Alex added Sam\n"
    "09/03/2024, 22:13 - Alex: <Media omitted>\n"
    "13/03/2024, 22:14 - Alex: ok\n"
)


def test_ios_system_lines_carry_no_party(tmp_path):
    chat = entries(parse(write(tmp_path, IOS_CHAT, "_chat.txt"), me="Jordan"))
    notice, number, typed, image, call, mine, deleted = chat
    for line in (notice, number):
        assert line.party is None and line.direction is None
        assert line.meta["system"] is True and line.meta["written_under"] == "Alex"
    assert (typed.party, typed.direction) == ("Alex", Direction.INCOMING)  # "left" typed
    assert image.party == "Alex" and image.meta["media_included"] is False
    assert (call.kind, call.call_type, call.party) == (EntryKind.CALL, CallType.MISSED, "Alex")
    assert (mine.direction, mine.party, mine.meta["sender"]) == (
        Direction.OUTGOING,
        "Alex",  # the chat's name, written before its encryption notice (not "_chat")
        "Jordan",
    )
    assert deleted.meta["deleted"] is True and deleted.party == "Alex"


def test_android_system_lines_carry_no_party(tmp_path):
    chat = entries(parse(write(tmp_path, ANDROID_CHAT)))
    assert [e.party for e in chat] == [None, None, None, "Alex", "Alex"]
    assert all(e.meta.get("system") for e in chat[:3])
    assert chat[3].meta["media_omitted"] is True and chat[3].meta["media_included"] is False
    assert whatsapp.sender_names(entries(parse(write(tmp_path, ANDROID_CHAT)))) == ["Alex"]


# --- the user's own name ----------------------------------------------------------------------

TWO_PEOPLE = (
    "13/03/2024, 22:14 - Alex: answer me\n"
    "13/03/2024, 22:15 - Jordan Lee: please stop\n"
    "13/03/2024, 22:16 - Alex: no\n"
)


def test_me_sets_direction_and_sender_names_lists_whom_to_ask_about(tmp_path):
    path = write(tmp_path, TWO_PEOPLE)
    unknown = parse(path)
    assert all(e.direction is None for e in entries(unknown))
    assert whatsapp.sender_names(unknown) == ["Alex", "Jordan Lee"]
    chat = entries(parse(path, me="jordan lee"))  # case and spacing as the user typed it
    assert [(e.direction, e.party) for e in chat] == [
        (Direction.INCOMING, "Alex"),
        (Direction.OUTGOING, "Alex"),  # the chat's other person, as for SMS
        (Direction.INCOMING, "Alex"),
    ]
    missing = parse(path, me="Sam")
    assert any("No message in this chat is from “Sam”" in n for n in notes(missing))


def test_you_deleted_this_message_names_the_phones_owner(tmp_path):
    text = TWO_PEOPLE + "13/03/2024, 22:17 - Jordan Lee: You deleted this message\n"
    items = parse(write(tmp_path, text))
    assert any(n.startswith("“Jordan Lee” is you") for n in notes(items))
    assert [e.direction for e in entries(items)] == [
        Direction.INCOMING,
        Direction.OUTGOING,
        Direction.INCOMING,
        Direction.OUTGOING,
    ]
