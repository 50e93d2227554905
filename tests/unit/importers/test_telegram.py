"""Telegram Desktop result.json: every sample, plus exports built here for what they lack."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nco_desktop.evidence.records import CallType, Direction, EntryKind, TimeSource
from nco_desktop.importers.formats import facebook, telegram
from nco_desktop.importers.model import (
    FormatNote,
    ParsedAttachment,
    ParsedEntry,
    ParseProblem,
    ParseSource,
    UnreadableFile,
)
from nco_desktop.timekeeping import iso_z_from_ms
from tests.conftest import SAMPLES

FOLDER = SAMPLES / "telegram_signal_json"
needs_samples = pytest.mark.skipif(not FOLDER.is_dir(), reason="shared/samples is not present")


def source_for(path: Path) -> ParseSource:
    return ParseSource(path, path.name, ZoneInfo("America/Chicago"), "US", None)


def parse(path: Path) -> list:
    assert telegram.sniff(path.read_bytes()[:65536], path.name)
    return list(telegram.parse(source_for(path)))


def entries(items: list) -> list[ParsedEntry]:
    return [i for i in items if isinstance(i, ParsedEntry)]


def problems(items: list) -> list[str]:
    return [i.message for i in items if isinstance(i, ParseProblem)]


def utc(entry: ParsedEntry) -> str:
    assert entry.occurred_ms is not None
    return iso_z_from_ms(entry.occurred_ms)


def write(folder: Path, doc: object) -> Path:
    path = folder / "result.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


# ----- samples ----------------------------------------------------------------------------


@needs_samples
def test_chat_analytics_direct_chat():
    items = parse(FOLDER / "chatanalytics__telegram_result_DM_2A_7M.json")
    found = entries(items)
    assert len(found) == 8
    joined, link, hello, world, blah, photo1, photo2, call = found

    # Only "date": a wall-clock time, read in the vault's zone (CDT, UTC-5).
    assert (joined.text, joined.meta["service"], joined.direction) == (
        "Bob joined Telegram",
        "joined_telegram",
        None,
    )
    assert utc(joined) == "2019-07-05T21:55:32Z"
    assert (joined.time_source, joined.utc_offset_min) == (TimeSource.EXPORT_LOCAL, -300)

    # The chat's id is Bob's user id, so Bob's messages come in and Alice's go out to Bob.
    assert (link.text, link.direction, link.party, link.party_name) == (
        "https://google.com 👀",
        Direction.INCOMING,
        "user700000000",
        "Bob",
    )
    assert (hello.text, hello.direction, hello.party, hello.meta["sender"]) == (
        "hello world",
        Direction.OUTGOING,
        "user700000000",
        "Alice",
    )
    assert utc(hello) == "2022-03-08T19:07:42Z"  # CST, UTC-6

    # "date_unixtime": an exact instant, no offset to claim.
    assert (world.text, utc(world)) == ("world?", "2022-05-09T22:23:53Z")
    assert (world.time_source, world.utc_offset_min) == (TimeSource.EXPORT_FIELD, None)
    assert blah.text == "blah blah"
    assert photo1.text is None and photo1.meta["media"][0]["kind"] == "photo"
    assert utc(photo2) == "2022-06-10T22:06:39Z"

    # Both: the instant, and the offset the exporting computer showed (UTC-3).
    assert (call.kind, call.call_type, call.duration_s) == (EntryKind.CALL, CallType.OUTGOING, 56)
    assert (utc(call), call.utc_offset_min) == ("2023-08-11T02:11:02Z", -180)
    assert call.meta["discard_reason"] == "hangup"

    assert {e.thread_key for e in found} == {"Bob"}
    assert [e.dedup_key for e in found][:2] == ["tg:700000000:2675", "tg:700000000:3644"]
    assert (
        problems(items)
        == [
            "A photo in the chat “Bob” was not included in the export (Telegram's export "
            "settings left it out); the message was kept without it."
        ]
        * 2
    )


@needs_samples
def test_chat_miner_single_chat_flattens_formatted_text():
    found = entries(parse(FOLDER / "chatminer__telegram_single_chat.json"))
    assert [(e.party, e.text) for e in found] == [
        ("Author 1", "Minimal Message"),
        ("Author 2", "Link:https://telegram.org/"),
    ]
    assert [utc(e) for e in found] == ["2018-12-05T10:39:10Z", "2018-12-05T10:49:24Z"]
    assert all(e.direction is None for e in found)
    assert {e.thread_key for e in found} == {"Author 1, Author 2"}


@needs_samples
def test_chat_miner_full_account_export():
    found = entries(parse(FOLDER / "chatminer__telegram_full_account_result.json"))
    assert [(e.party, e.text, e.thread_key) for e in found] == [
        ("Author 1", "Minimal Message", "Chatname"),
        ("Author 2", "Link:https://telegram.org/", "Chatname"),
    ]
    assert found[0].time_source is TimeSource.EXPORT_FIELD


@needs_samples
def test_signal_text_and_sources_are_not_telegram():
    for name in ("chatminer__signal_export_carderne_style.txt", "SOURCES.txt"):
        head = (FOLDER / name).read_bytes()
        assert not telegram.sniff(head, name)
        assert not facebook.sniff(head, name)
    assert len([p for p in FOLDER.iterdir() if p.is_file()]) == 5


@needs_samples
def test_telegram_samples_are_not_facebook():
    for path in FOLDER.glob("*.json"):
        assert not facebook.sniff(path.read_bytes()[:65536], path.name)


# ----- built exports ----------------------------------------------------------------------


def test_whole_account_export_names_the_holder(tmp_path: Path):
    doc = {
        "about": "Here is the data you requested. Remember: Telegram is ad free …",
        "personal_information": {"user_id": 42, "first_name": "Me"},
        "chats": {
            "list": [
                {
                    "name": "Rex",
                    "type": "personal_chat",
                    "id": 77,
                    "messages": [
                        {
                            "id": 1,
                            "type": "message",
                            "date": "2024-03-12T22:15:30",
                            "date_unixtime": "1710299730",
                            "from": "Me",
                            "from_id": "user42",
                            "text": [
                                {"type": "text_link", "text": "this", "href": "https://x.example"}
                            ],
                        },
                        {
                            "id": 2,
                            "type": "service",
                            "date_unixtime": "1710299790",
                            "actor": "Rex",
                            "actor_id": "user77",
                            "action": "phone_call",
                            "discard_reason": "missed",
                            "text": "",
                        },
                    ],
                },
                {
                    "name": "Crew",
                    "type": "private_group",
                    "id": 900,
                    "messages": [
                        {
                            "id": 5,
                            "type": "message",
                            "date_unixtime": "1710299800",
                            "from": "Rex",
                            "from_id": "user77",
                            "text": "Ünïcødé ✓",
                        }
                    ],
                },
            ]
        },
        "left_chats": {"list": []},
    }
    path = write(tmp_path, doc)
    assert telegram.sniff(path.read_bytes()[:65536], path.name)
    sent, missed, group = entries(list(telegram.parse(source_for(path))))
    assert (sent.direction, sent.party, sent.party_name, sent.text) == (
        Direction.OUTGOING,
        "user77",
        "Rex",
        "this",
    )
    assert sent.meta["links"] == ["https://x.example"]
    # 22:15:30 on the exporting computer for 03:15:30Z: it ran at UTC-5 (CDT).
    assert (utc(sent), sent.utc_offset_min) == ("2024-03-13T03:15:30Z", -300)
    assert (missed.kind, missed.call_type, missed.direction) == (
        EntryKind.CALL,
        CallType.MISSED,
        Direction.INCOMING,
    )
    # The holder is known in every chat of the export: Rex's group message comes in too.
    assert (group.direction, group.party, group.thread_key, group.dedup_key) == (
        Direction.INCOMING,
        "user77",
        "Crew",
        "tg:900:5",
    )
    assert group.text == "Ünïcødé ✓"


def test_media_in_the_export_folder_is_read(tmp_path: Path):
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "photo_1.jpg").write_bytes(b"\xff\xd8\xffJPEG")
    (tmp_path.parent / "outside.ogg").write_bytes(b"OggS")
    messages = [
        {"id": 1, "type": "message", "date_unixtime": "1710299730", "from": "Rex",
         "from_id": "user77", "photo": "photos/photo_1.jpg", "text": ""},
        {"id": 2, "type": "message", "date_unixtime": "1710299731", "from": "Rex",
         "from_id": "user77", "file": "../outside.ogg", "media_type": "voice_message", "text": ""},
    ]  # fmt: skip
    path = write(tmp_path, {"name": "Rex", "type": "personal_chat", "id": 77, "messages": messages})
    items = parse(path)
    attachment = items[0]
    assert isinstance(attachment, ParsedAttachment)
    assert (attachment.name, attachment.media_type) == ("photo_1.jpg", "image/jpeg")
    first, second = entries(items)
    assert first.attachment_refs == (attachment.ref,)
    assert second.attachment_refs == ()
    assert problems(items) == [
        "The voice message “outside.ogg” in the chat “Rex” was not in the export folder; the "
        "message was kept without it."
    ]


def test_empty_chat_is_a_note_not_a_failure(tmp_path: Path):
    path = write(tmp_path, {"name": "Quiet", "type": "personal_chat", "id": 1, "messages": []})
    assert [type(i) for i in telegram.parse(source_for(path))] == [FormatNote]


def test_no_time_at_all_is_unknown(tmp_path: Path):
    path = write(tmp_path, {"messages": [{"type": "message", "from": "A", "text": "undated"}]})
    (only,) = entries(list(telegram.parse(source_for(path))))
    assert (only.occurred_ms, only.time_source) == (None, TimeSource.UNKNOWN)


def test_damaged_and_foreign_json_are_plain_sentences(tmp_path: Path):
    path = tmp_path / "result.json"
    path.write_text('{"messages": [{"type": "message", "date_unixtime": "1')
    with pytest.raises(UnreadableFile, match="damaged \\(it is not valid JSON\\)"):
        list(telegram.parse(source_for(path)))
    path.write_text('["not", "telegram"]')
    with pytest.raises(UnreadableFile, match="not a Telegram export"):
        list(telegram.parse(source_for(path)))
    path.write_text('{"about": "x"}')
    with pytest.raises(UnreadableFile, match="no Telegram chats or messages"):
        list(telegram.parse(source_for(path)))


def test_too_big_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = write(tmp_path, {"messages": []})
    monkeypatch.setattr(telegram, "MAX_FILE_BYTES", 5)
    with pytest.raises(UnreadableFile, match="empty or too big to read in one piece"):
        list(telegram.parse(source_for(path)))


def test_flatten():
    assert telegram.flatten("plain") == "plain"
    assert telegram.flatten(["a ", {"type": "bold", "text": "b"}, 3, {"type": "x"}]) == "a b"
    assert telegram.flatten(None) == ""


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=6),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
keys = st.sampled_from(
    ["type", "date", "date_unixtime", "from", "from_id", "text", "photo", "file", "actor_id",
     "action", "duration_seconds", "id"]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.dictionaries(keys, json_values, max_size=6), max_size=4),
    st.sampled_from(["personal_chat", "private_group", None]),
    json_values,
)
def test_arbitrary_messages_never_escape_as_a_crash(tmp_path_factory, messages, kind, chat_id):
    path = write(
        tmp_path_factory.mktemp("fuzz"), {"type": kind, "id": chat_id, "messages": messages}
    )
    with contextlib.suppress(UnreadableFile):
        list(telegram.parse(source_for(path)))


def test_attachment_refs_are_unique_across_chats_without_ids(tmp_path: Path):
    (tmp_path / "p.jpg").write_bytes(b"\xff\xd8\xffJPEG")
    chat = {"messages": [{"type": "message", "date_unixtime": "1710299730", "photo": "p.jpg"}]}
    path = write(tmp_path, {"about": "Telegram", "chats": {"list": [chat, dict(chat)]}})
    items = parse(path)
    refs = [i.ref for i in items if isinstance(i, ParsedAttachment)]
    assert len(refs) == len(set(refs)) == 2
    assert [e.attachment_refs for e in entries(items)] == [(refs[0],), (refs[1],)]


def test_a_garbled_date_does_not_lose_an_exact_unixtime(tmp_path: Path):
    message = {"type": "message", "date": "12.03.2024", "date_unixtime": "1710299730"}
    (only,) = entries(parse(write(tmp_path, {"messages": [message]})))
    assert (utc(only), only.time_source, only.utc_offset_min) == (
        "2024-03-13T03:15:30Z",
        TimeSource.EXPORT_FIELD,
        None,
    )
