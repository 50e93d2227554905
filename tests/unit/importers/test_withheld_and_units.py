"""Withheld callers (Android's -1/-2/-3 and ``presentation``) and call-log CSV units.

The XML is written from SMS Backup & Restore's field list (``presentation``: 1 allowed,
2 restricted, 3 unknown, 4 payphone, as Android's ``CallLog.Calls.PRESENTATION_*``) and
Android's ``CallerInfo`` codes; the carrier CSV from the columns of a US carrier's call
detail (Date, Time, Number, Destination, Minutes). Nothing here is copied from a sample.
"""

from __future__ import annotations

from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest

from nco_desktop.evidence.records import CallType, Direction, TimePrecision, TimeSource
from nco_desktop.importers.formats import caller_id, calllog_csv, sms_xml
from nco_desktop.importers.model import FormatNote, ParsedEntry, ParseSource, UnreadableFile

CHICAGO = ZoneInfo("America/Chicago")


def run(module: ModuleType, path: Path, **options: str) -> list:
    return list(module.parse(ParseSource(path, path.name, CHICAGO, "US", None, options)))


def entries(items: list) -> list[ParsedEntry]:
    return [item for item in items if isinstance(item, ParsedEntry)]


def notes(items: list) -> list[str]:
    return [item.message for item in items if isinstance(item, FormatNote)]


def call(number: str, presentation: str, date: int) -> str:
    return (
        f'  <call number="{number}" duration="0" date="{date}" type="3" '
        f'presentation="{presentation}" contact_name="(Unknown)" />\n'
    )


def test_android_codes_and_presentation_become_words_not_parties(tmp_path: Path) -> None:
    path = tmp_path / "calls-1.xml"
    path.write_text(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<calls count=\"6\">\n"
        + call("-2", "2", 1710044100000)
        + call("-1", "3", 1710044200000)
        + call("-3", "4", 1710044300000)
        + call("", "2", 1710044400000)  # newer Android: no number, presentation says why
        + call("+13125550147", "1", 1710044500000)
        + call("-2", "1", 1710044600000)  # the code alone is enough
        + "</calls>\n",
        encoding="utf-8",
    )
    calls = entries(run(sms_xml, path))
    assert [(c.party, c.party_name) for c in calls] == [
        (None, "Private number"),
        (None, "Unknown number"),
        (None, "Payphone"),
        (None, "Private number"),
        ("+13125550147", None),
        (None, "Private number"),
    ]
    assert calls[0].meta == {"caller_id": "private", "number_as_written": "-2", "presentation": "2"}
    assert calls[3].meta == {"caller_id": "private", "presentation": "2"}
    assert calls[0].thread_key == "Private number"  # grouped together, but no one's calls
    assert calls[4].thread_key == "+13125550147" and calls[4].meta == {}
    assert all(c.call_type is CallType.MISSED for c in calls)


def test_a_text_from_a_withheld_sender_has_no_party(tmp_path: Path) -> None:
    path = tmp_path / "sms-1.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<smses count="1">\n'
        '  <sms protocol="0" address="-2" date="1710044100000" type="1" subject="null" '
        'body="I know where you are" read="1" status="-1" date_sent="0" '
        'contact_name="(Unknown)" />\n</smses>\n',
        encoding="utf-8",
    )
    (message,) = entries(run(sms_xml, path))
    assert (message.party, message.party_name) == (None, "Private number")
    assert message.direction is Direction.INCOMING and message.text == "I know where you are"
    assert message.meta["caller_id"] == "private"


@pytest.mark.parametrize(
    ("number", "presentation", "words"),
    [
        ("Private", None, "Private number"),
        ("RESTRICTED", None, "Private number"),
        ("No Caller ID", None, "Private number"),
        ("Unknown", None, "Unknown number"),
        ("Pay phone", None, "Payphone"),
        ("", "5", "Number unavailable"),
        ("+15550100199", None, None),
        ("+15550100199", "1", None),
        ("", None, None),
    ],
)
def test_withheld_words(number: str, presentation: str | None, words: str | None) -> None:
    assert caller_id.withheld(number, presentation) == words


def test_csv_withheld_numbers(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(
        "Call type,Date,Duration,Number,Contact\n"
        "Missed,2024-03-09 22:15:07,0,Private,\n"
        "Missed,2024-03-09 22:16:07,0,-2,\n"
        "Incoming,2024-03-09 22:17:07,31,+1 312 555 0147,Sam Roe\n",
        encoding="utf-8",
    )
    calls = entries(run(calllog_csv, path))
    assert [(c.party, c.party_name) for c in calls] == [
        (None, "Private number"),
        (None, "Private number"),
        ("+1 312 555 0147", "Sam Roe"),
    ]


CARRIER = (
    "Date,Time,Number,Destination,Minutes\n"
    '03/19/2024,10:15 PM,312-555-0147,"Incoming, CL",3\n'
    '03/19/2024,10:31 PM,312-555-0147,"Voice Mail, CL",1\n'
    '03/19/2024,10:40 PM,312-555-0147,"CHICAGO, IL",12\n'
    '03/19/2024,10:55 PM,312-555-0147,"Toll Free, CL",2\n'
)


def test_carrier_minutes_and_destination(tmp_path: Path) -> None:
    path = tmp_path / "usage.csv"
    path.write_text(CARRIER, encoding="utf-8")
    items = run(calllog_csv, path)  # "Minutes" is recognised as minutes without a --map
    calls = entries(items)
    assert [c.duration_s for c in calls] == [180, 60, 720, 120]
    assert [(c.call_type, c.direction) for c in calls] == [
        (CallType.INCOMING, Direction.INCOMING),
        (CallType.VOICEMAIL, Direction.INCOMING),
        (CallType.OUTGOING, Direction.OUTGOING),
        (None, None),  # a toll-free line says nothing of who called
    ]
    assert calls[0].meta["destination"] == "Incoming, CL"
    assert calls[0].meta["duration_as_written"] == "3 min"
    assert "billed" in calls[0].meta["duration_note"]
    assert calls[2].meta["type_note"] == "the carrier's Destination names a place called"
    assert notes(items) == [] and calls[0].time_precision is TimePrecision.MINUTE


def test_duration_min_in_the_map(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "When,Phone,Billed\n2024-03-09 22:15,3125550147,4\n2024-03-09 23:15,3125550147,0.5\n",
        encoding="utf-8",
    )
    calls = entries(run(calllog_csv, path, date="When", number="Phone", duration_min="Billed"))
    assert [c.duration_s for c in calls] == [240, 30]
    assert "duration_note" not in calls[1].meta  # half a minute is not a billed whole minute
    same = entries(run(calllog_csv, path, date="When", number="Phone", duration_minutes="Billed"))
    assert [c.duration_s for c in same] == [240, 30]


def test_duration_s_in_the_map_and_units_written_in_values(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "When,Phone,Length\n2024-03-09 22:15,3125550147,95\n2024-03-09 23:15,3125550147,2:05\n",
        encoding="utf-8",
    )
    calls = entries(run(calllog_csv, path, date="When", number="Phone", duration_s="Length"))
    assert [c.duration_s for c in calls] == [95, 125]
    minutes = entries(run(calllog_csv, path, date="When", number="Phone", duration_min="Length"))
    assert [c.duration_s for c in minutes] == [95 * 60, 125]  # "2:05" says its own units


def test_bare_duration_of_a_minutes_column_warns(tmp_path: Path) -> None:
    path = tmp_path / "usage.csv"
    path.write_text(CARRIER, encoding="utf-8")
    items = run(calllog_csv, path, duration="Minutes")
    assert [c.duration_s for c in entries(items)] == [3, 1, 12, 2]  # as asked: seconds
    (note,) = notes(items)
    assert "look like minutes" in note and "--map duration_min=Minutes" in note


def test_bare_duration_whose_values_look_like_minutes_warns(tmp_path: Path) -> None:
    rows = "".join(f"2024-03-0{d} 22:15,3125550147,{m}\n" for d, m in ((1, 3), (2, 1), (3, 7)))
    path = tmp_path / "export.csv"
    path.write_text("When,Phone,Used\n" + rows, encoding="utf-8")
    items = run(calllog_csv, path, date="When", number="Phone", duration="Used")
    (note,) = notes(items)
    assert "“Used”" in note


def test_bare_duration_of_real_seconds_does_not_warn(tmp_path: Path) -> None:
    rows = "".join(f"2024-03-0{d} 22:15,3125550147,{s}\n" for d, s in ((1, 45), (2, 312), (3, 8)))
    path = tmp_path / "export.csv"
    path.write_text("When,Phone,Used\n" + rows, encoding="utf-8")
    items = run(calllog_csv, path, date="When", number="Phone", duration="Used")
    assert notes(items) == [] and [c.duration_s for c in entries(items)] == [45, 312, 8]


def test_two_duration_units_in_one_map_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "usage.csv"
    path.write_text(CARRIER, encoding="utf-8")
    with pytest.raises(UnreadableFile, match="more than one duration"):
        run(calllog_csv, path, duration="Minutes", duration_min="Minutes")


def test_csv_local_times_on_clock_change_nights_are_approximate(tmp_path: Path) -> None:
    path = tmp_path / "calls.csv"
    path.write_text(
        "Call type,Date,Duration,Number\n"
        "Incoming,2024-11-03 01:30:00,10,3125550147\n"
        "Incoming,2024-03-10 02:30:00,10,3125550147\n"
        "Incoming,2024-03-10 03:30:00,10,3125550147\n",
        encoding="utf-8",
    )
    fold, gap, fine = entries(run(calllog_csv, path))
    assert (fold.time_precision, fold.meta["time_ambiguity"]) == (TimePrecision.MINUTE, "fold")
    assert (gap.time_precision, gap.meta["time_ambiguity"]) == (TimePrecision.MINUTE, "gap")
    assert fine.time_precision is TimePrecision.SECOND and "time_ambiguity" not in fine.meta
    assert fold.time_source is TimeSource.EXPORT_LOCAL
