"""Issue #18 for Telegram and Messenger: who is the user, and the nights clocks change.

Every file here is written from the formats' own descriptions, not copied from samples:

- Telegram Desktop's JSON export as its writer (``export_output_json.cpp``) lays it out:
  a chat is ``{"name", "type", "id", "messages"}``, ``id`` being the peer's bare id (in a
  ``personal_chat`` the other person's user id); a message has ``id``, ``type``,
  ``date`` (``QDateTime::fromSecsSinceEpoch(...).toString(Qt::ISODate)``: the exporting
  computer's local time, no zone), ``from`` and ``from_id``; the whole-account export
  adds ``personal_information`` with ``user_id``, ``first_name`` and ``last_name``.
  Current versions add ``date_unixtime`` and write ``from_id`` as ``"user123"``; older
  ones wrote only ``date`` and the bare number.
- Meta's "Download your information" ``message_1.json``: ``participants`` (names),
  ``title`` and ``messages`` with ``sender_name``, ``timestamp_ms`` (UTC) and
  ``content``, text written as UTF-8 bytes escaped one by one (``\\u00c3\\u00a9``).

The vault's zone is New York: 01:00–02:00 on 3 November 2024 happened twice (EDT, then
EST), and 02:00–03:00 on 10 March 2024 never happened.
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from pathlib import Path
from types import ModuleType
from zoneinfo import ZoneInfo

import pytest

from nco_desktop.evidence.records import CallType, Direction, EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats import facebook, telegram
from nco_desktop.importers.formats.chat_owner import UNKNOWN_NOTE, OwnerNeeded
from nco_desktop.importers.formats.contract import dedup_key
from nco_desktop.importers.formats.wall_clock import FOLD_NOTE, GAP_NOTE
from nco_desktop.importers.model import FormatNote, ParsedEntry, ParseSource
from nco_desktop.timekeeping import iso_z_from_ms, local_to_ms

NEW_YORK = ZoneInfo("America/New_York")


def run(module: ModuleType, path: Path, **options: str) -> list:
    assert module.sniff(path.read_bytes()[:65536], path.name)
    return list(module.parse(ParseSource(path, path.name, NEW_YORK, "US", None, dict(options))))


def entries(items: list) -> list[ParsedEntry]:
    return [i for i in items if isinstance(i, ParsedEntry)]


def notes(items: list) -> list[str]:
    return [i.message for i in items if isinstance(i, FormatNote)]


def utc(entry: ParsedEntry) -> str:
    assert entry.occurred_ms is not None
    return iso_z_from_ms(entry.occurred_ms)


def write_json(path: Path, doc: object) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def old_message(number: int, date: str, who: str, who_id: int | str, text: str) -> dict:
    """A message as older Telegram Desktop wrote it: only ``date``, ``from_id`` a number."""
    return {"id": number, "type": "message", "date": date, "edited": "1970-01-01T00:00:00",
            "from": who, "from_id": who_id, "text": text}  # fmt: skip


# ----- Telegram: local times ---------------------------------------------------------------


def test_old_export_settles_the_repeated_hour_from_the_order_of_messages(tmp_path: Path) -> None:
    messages = [
        old_message(1, "2024-11-03T00:50:00", "Dana", 555, "still up?"),
        old_message(2, "2024-11-03T01:20:00", "Sam", 111, "yes"),
        old_message(3, "2024-11-03T01:45:00", "Dana", 555, "come outside"),
        old_message(4, "2024-11-03T01:10:00", "Sam", 111, "no. stop."),  # the clock went back
        old_message(5, "2024-11-03T01:30:00", "Dana", 555, "I'm at your door"),
        old_message(6, "2024-11-03T02:05:00", "Sam", 111, "calling the police"),
    ]
    doc = {"name": "Dana", "type": "personal_chat", "id": 555, "messages": messages}
    items = run(telegram, write_json(tmp_path / "result.json", doc))
    found = entries(items)
    assert [utc(e) for e in found] == [
        "2024-11-03T04:50:00Z",
        "2024-11-03T05:20:00Z",  # 01:20 EDT, the first pass
        "2024-11-03T05:45:00Z",
        "2024-11-03T06:10:00Z",  # 01:10 EST: after 01:45, so the second pass
        "2024-11-03T06:30:00Z",
        "2024-11-03T07:05:00Z",
    ]
    assert [e.utc_offset_min for e in found] == [-240, -240, -240, -300, -300, -300]
    assert all(e.time_precision is TimePrecision.SECOND for e in found)  # nothing in doubt
    assert all("time_ambiguity" not in e.meta for e in found)
    assert [e.meta.get("fold") for e in found] == [None, 0, 0, 1, 1, None]
    assert "second time" in found[3].meta["time_note"]
    assert all(e.time_source is TimeSource.EXPORT_LOCAL for e in found)
    # The ids did not move: these keys are the ones an earlier import stored.
    assert [e.dedup_key for e in found] == [f"tg:555:{n}" for n in range(1, 7)]
    # The chat's id is Dana's (555): the bare-number sender 111 is the user.
    assert [e.direction for e in found] == [Direction.INCOMING, Direction.OUTGOING] * 3
    sent = found[1]
    assert (sent.party, sent.party_name, sent.meta["sender"]) == ("user555", "Dana", "Sam")
    assert (found[0].party, found[0].party_name) == ("user555", "Dana")
    assert notes(items) == [
        "“Sam” is you: Telegram names a one-to-one chat's export by the other person's id, "
        "and every other message is yours."
    ]


def test_a_repeated_hour_the_order_cannot_settle_is_marked_approximate(tmp_path: Path) -> None:
    messages = [
        old_message(7, "2024-11-03T01:20:00", "Dana", 555, "you can't hide"),
        old_message(8, "2024-11-03T01:40:00", "Dana", 555, "answer me"),
        old_message(9, "2024-11-03T02:10:00", "Dana", 555, "fine"),
    ]
    doc = {"name": "Dana", "type": "personal_chat", "id": 555, "messages": messages}
    items = run(telegram, write_json(tmp_path / "result.json", doc))
    first, second, after = entries(items)
    for entry in (first, second):
        assert entry.time_precision is TimePrecision.MINUTE  # shown ≈
        assert entry.meta["time_ambiguity"] == "fold"
        assert entry.meta["time_note"] == FOLD_NOTE
    assert (utc(first), first.utc_offset_min) == ("2024-11-03T05:20:00Z", -240)  # first pass
    assert (after.time_precision, "time_ambiguity" in after.meta) == (TimePrecision.SECOND, False)
    assert [first.dedup_key, second.dedup_key] == ["tg:555:7", "tg:555:8"]
    assert (
        "2 message(s) fall in the hour that repeats when clocks go back, and their order "
        "does not show which pass: marked approximate (≈), stored at the first pass."
    ) in notes(items)


def test_a_time_that_never_happened_is_marked_approximate(tmp_path: Path) -> None:
    messages = [old_message(3, "2024-03-10T02:30:00", "Dana", 555, "where are you")]
    doc = {"name": "Dana", "type": "personal_chat", "id": 555, "messages": messages}
    items = run(telegram, write_json(tmp_path / "result.json", doc))
    (gap,) = entries(items)
    assert (gap.time_precision, gap.meta["time_ambiguity"]) == (TimePrecision.MINUTE, "gap")
    assert gap.meta["time_note"] == GAP_NOTE
    assert utc(gap) == "2024-03-10T07:30:00Z"  # as before: moved forward, 03:30 EDT
    assert gap.dedup_key == "tg:555:3"
    assert any(
        note.startswith("1 message(s) carry a time that did not exist") for note in notes(items)
    )


def test_exact_unixtime_is_never_in_doubt(tmp_path: Path) -> None:
    message = {"id": 4, "type": "message", "date": "2024-11-03T01:30:00",
               "date_unixtime": "1730615400", "from": "Dana", "from_id": "user555",
               "text": "second 01:30"}  # fmt: skip
    doc = {"name": "Dana", "type": "personal_chat", "id": 555, "messages": [message]}
    (only,) = entries(run(telegram, write_json(tmp_path / "result.json", doc)))
    assert (utc(only), only.utc_offset_min) == ("2024-11-03T06:30:00Z", -300)
    assert (only.time_source, only.time_precision) == (
        TimeSource.EXPORT_FIELD,
        TimePrecision.SECOND,
    )
    assert "time_ambiguity" not in only.meta and "fold" not in only.meta


def test_messages_without_ids_keep_their_old_keys_through_a_settled_fold(tmp_path: Path) -> None:
    """Keys without a message id hash the time: the first-pass reading, as they always did."""
    messages = [
        {"type": "message", "date": "2024-11-03T01:50:00", "from": "Dana", "text": "one"},
        {"type": "message", "date": "2024-11-03T01:05:00", "from": "Dana", "text": "two"},
    ]
    path = write_json(tmp_path / "result.json", {"name": "Dana", "messages": messages})
    found = entries(run(telegram, path))
    assert [utc(e) for e in found] == ["2024-11-03T05:50:00Z", "2024-11-03T06:05:00Z"]
    seen: Counter[str] = Counter()
    expected = [
        dedup_key("tg:", ["Dana", local_to_ms(datetime(2024, 11, 3, 1, m), NEW_YORK)[0], "Dana",
                          text], seen)
        for m, text in ((50, "one"), (5, "two"))
    ]  # fmt: skip
    assert [e.dedup_key for e in found] == expected
    assert found == entries(run(telegram, path))  # and a second reading agrees


# ----- Telegram: who is the user -------------------------------------------------------------


def whole_account(chats: list[dict]) -> dict:
    return {
        "about": "Here is the data you requested.",
        "personal_information": {"user_id": 111, "first_name": "Sam", "last_name": "Lee"},
        "chats": {"about": "", "list": chats},
    }


def group_chat(number: int = 900) -> dict:
    msgs = [
        {"id": 1, "type": "message", "date": "2024-05-01T20:00:00", "date_unixtime": "1714608000",
         "from": "Sam Lee", "from_id": "user111", "text": "please leave me alone"},
        {"id": 2, "type": "message", "date": "2024-05-01T20:01:00", "date_unixtime": "1714608060",
         "from": "Dana", "from_id": "user555", "text": "never"},
        {"id": 3, "type": "service", "date": "2024-05-01T20:02:00", "date_unixtime": "1714608120",
         "actor": "Dana", "actor_id": "user555", "action": "phone_call",
         "discard_reason": "missed", "text": ""},
    ]  # fmt: skip
    return {"name": "Block party", "type": "private_group", "id": number, "messages": msgs}


def test_whole_account_export_gives_directions_in_groups_too(tmp_path: Path) -> None:
    path = write_json(tmp_path / "result.json", whole_account([group_chat(900), group_chat(901)]))
    items = run(telegram, path)
    mine, theirs, call = entries(items)[:3]
    assert (mine.direction, mine.party, mine.party_name) == (
        Direction.OUTGOING,
        "Block party",  # a group: the chat itself is the other side, as WhatsApp does
        "Block party",
    )
    assert mine.meta["sender"] == "Sam Lee" and mine.dedup_key == "tg:900:1"
    assert (theirs.direction, theirs.party, theirs.party_name) == (
        Direction.INCOMING,
        "user555",
        "Dana",
    )
    # A call is a service line with a direction: Dana called, Sam did not answer.
    assert (call.kind, call.direction, call.call_type) == (
        EntryKind.CALL,
        Direction.INCOMING,
        CallType.MISSED,
    )
    # Said once for the export, not once per chat.
    assert notes(items) == ["“Sam Lee” is you: a whole-account Telegram export names its owner."]


def test_the_holders_id_beats_another_of_the_users_names(tmp_path: Path) -> None:
    """The vault keeps "Dana" (say, the user's WhatsApp name) and "Sam Lee": in this
    export Dana is someone else, and the account holder's id says which is the user."""
    path = write_json(tmp_path / "result.json", whole_account([group_chat()]))
    mine, theirs = entries(run(telegram, path, me="Dana\nSam Lee"))[:2]
    assert (mine.direction, theirs.direction) == (Direction.OUTGOING, Direction.INCOMING)


def test_single_group_export_needs_the_users_name(tmp_path: Path) -> None:
    path = write_json(tmp_path / "result.json", group_chat())
    items = run(telegram, path)
    assert all(e.direction is None for e in entries(items))
    assert UNKNOWN_NOTE in notes(items)

    with pytest.raises(OwnerNeeded) as raised:
        run(telegram, path, ask_me="1")
    assert raised.value.question.senders == ("Dana", "Sam Lee")

    chosen = run(telegram, path, me="sam lee", ask_me="1")  # asked once, kept by the vault
    assert [e.direction for e in entries(chosen)] == [
        Direction.OUTGOING,
        Direction.INCOMING,
        Direction.INCOMING,
    ]
    assert notes(chosen) == []

    elsewhere = run(telegram, path, me="Jo")  # the user wrote nothing here
    assert [e.direction for e in entries(elsewhere)][:2] == [Direction.INCOMING] * 2
    assert notes(elsewhere)[0].startswith("No message in this chat is from “Jo” (you)")


def test_one_to_one_chat_where_only_the_other_person_wrote(tmp_path: Path) -> None:
    messages = [old_message(1, "2024-05-01T20:00:00", "Dana", 555, "hello?")]
    doc = {"name": "Dana", "type": "personal_chat", "id": 555, "messages": messages}
    items = run(telegram, write_json(tmp_path / "result.json", doc), ask_me="1")  # no question
    assert [e.direction for e in entries(items)] == [Direction.INCOMING]
    assert notes(items) == []


# ----- Messenger -----------------------------------------------------------------------------


def messenger(folder: Path, participants: list[str], title: str, messages: list[dict]) -> Path:
    doc = {
        "participants": [{"name": name} for name in participants],
        "messages": messages,
        "title": title,
        "is_still_participant": True,
        "thread_path": f"inbox/{folder.name}",
    }
    return write_json(folder / "message_1.json", doc)


def said(sender: str, ms: int, text: str) -> dict:
    return {"sender_name": sender, "timestamp_ms": ms, "content": text}


def test_messenger_two_person_chat_is_titled_after_the_other_person(tmp_path: Path) -> None:
    path = messenger(
        tmp_path / "danacruz_10",
        ["Dana Cruz", "Sam Lee"],
        "Dana Cruz",
        # Meta lists the newest first; 05:30Z is 01:30 EDT, the first pass of the fold.
        [said("Dana Cruz", 1730611860000, "answer"), said("Sam Lee", 1730611800000, "stop")],
    )
    items = run(facebook, path)
    answer, stop = entries(items)
    assert (stop.direction, stop.party, stop.meta["sender"]) == (
        Direction.OUTGOING,
        "Dana Cruz",
        "Sam Lee",
    )
    assert (answer.direction, answer.party) == (Direction.INCOMING, "Dana Cruz")
    assert notes(items) == [
        "“Sam Lee” is you: Messenger names a two-person chat after the other person (“Dana "
        "Cruz”). If that is wrong, import the chat again naming yourself (--me NAME)."
    ]
    # Exact instants in UTC: the night's fold is no doubt for them.
    assert (utc(stop), stop.time_precision) == ("2024-11-03T05:30:00Z", TimePrecision.MILLISECOND)
    assert "time_ambiguity" not in stop.meta
    # Keys as before: kind, chat, instant, author, text.
    assert stop.dedup_key == dedup_key(
        "fb:", ["message", "Dana Cruz", 1730611800000, "Sam Lee", "stop"], Counter()
    )
    # The user's own choice needs no note.
    chosen = run(facebook, path, me="Sam Lee")
    assert [e.direction for e in entries(chosen)] == [Direction.INCOMING, Direction.OUTGOING]
    assert notes(chosen) == []
    # Both names are the user's (another app's, this one's): the title tells them apart.
    both = run(facebook, path, me="Dana Cruz\nSam Lee")
    assert [e.direction for e in entries(both)] == [Direction.INCOMING, Direction.OUTGOING]


def test_messenger_group_asks_and_then_knows(tmp_path: Path) -> None:
    path = messenger(
        tmp_path / "blockparty_20",
        ["Dana Cruz", "Sam Lee", "Kim Ortiz"],
        "Block party",
        [said("Dana Cruz", 1714608060000, "see you all"), said("Sam Lee", 1714608000000, "bye")],
    )
    unknown = run(facebook, path)
    assert all(e.direction is None for e in entries(unknown))
    assert notes(unknown) == [UNKNOWN_NOTE]

    with pytest.raises(OwnerNeeded) as raised:
        run(facebook, path, ask_me="1")
    # Everyone in the chat is offered, the silent participant too.
    assert raised.value.question.senders == ("Dana Cruz", "Kim Ortiz", "Sam Lee")

    dana, sam = entries(run(facebook, path, me="Sam Lee", ask_me="1"))
    assert (sam.direction, sam.party, sam.meta["sender"]) == (
        Direction.OUTGOING,
        "Block party",
        "Sam Lee",
    )
    assert (dana.direction, dana.party) == (Direction.INCOMING, "Dana Cruz")
    silent = entries(run(facebook, path, me="kim ortiz"))
    assert [e.direction for e in silent] == [Direction.INCOMING, Direction.INCOMING]


def test_messenger_names_are_repaired_before_they_are_compared(tmp_path: Path) -> None:
    folder = tmp_path / "group_30"
    folder.mkdir()
    # "José Núñez" as Meta writes it: each UTF-8 byte as its own \u00xx escape.
    escaped = "José Núñez".encode().decode("latin-1")
    doc = {
        "participants": [{"name": escaped}, {"name": "Dana Cruz"}, {"name": "Kim Ortiz"}],
        "messages": [said(escaped, 1714608000000, "d\u00c3\u00a9j\u00c3\u00a0 vu")],
        "title": "Trio",
    }
    path = folder / "message_1.json"
    path.write_text(json.dumps(doc), encoding="utf-8")  # ensure_ascii: \u00c3 escapes
    assert b"\\u00c3\\u00a9" in path.read_bytes()
    (only,) = entries(run(facebook, path, me="josé núñez"))
    assert (only.text, only.meta["sender"], only.direction, only.party) == (
        "déjà vu",
        "José Núñez",
        Direction.OUTGOING,
        "Trio",
    )


def test_messenger_html_times_on_the_nights_clocks_change(tmp_path: Path) -> None:
    rows = (
        ("Sam Lee", "leave me alone", "Mar 10, 2024, 2:30 AM"),  # never on a clock
        ("Dana Cruz", "no", "Nov 03, 2024, 1:30 AM"),  # on the clock twice
        ("Sam Lee", "ok", "Nov 03, 2024, 3:15 AM"),
    )
    blocks = "".join(
        f"<div><div>{who}</div><div>{text}</div><div>{when}</div></div>" for who, text, when in rows
    )
    page = (
        "<html><head><title>Dana Cruz</title></head><body>"
        f"<div>Participants: Dana Cruz and Sam Lee</div>{blocks}</body></html>"
    )
    folder = tmp_path / "danacruz_10"
    folder.mkdir()
    (folder / "message_1.html").write_text(page, encoding="utf-8")
    items = run(facebook, folder / "message_1.html")
    gap, fold, plain = entries(items)
    assert (gap.meta["time_ambiguity"], gap.meta["time_note"]) == ("gap", GAP_NOTE)
    assert (fold.meta["time_ambiguity"], fold.meta["time_note"]) == ("fold", FOLD_NOTE)
    assert utc(fold) == "2024-11-03T05:30:00Z"  # the first pass, as before
    assert "time_ambiguity" not in plain.meta
    assert all(e.time_precision is TimePrecision.MINUTE for e in (gap, fold, plain))
    assert [e.direction for e in (gap, fold, plain)] == [
        Direction.OUTGOING,
        Direction.INCOMING,
        Direction.OUTGOING,
    ]
    assert notes(items)[0].startswith("“Sam Lee” is you")
