"""Facebook Messenger / Instagram: every sample, plus media lookups the samples cannot show."""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nco_desktop.evidence.records import CallType, Direction, EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats import facebook, google_voice, telegram
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

TOP = SAMPLES / "facebook_instagram_json"
MSGVAULT = TOP / "msgvault_fbmessenger"
needs_samples = pytest.mark.skipif(not TOP.is_dir(), reason="shared/samples is not present")
MULTI = "json_multifile~your_activity_across_facebook~messages~inbox~dave_MULTI~message_"


def source_for(path: Path) -> ParseSource:
    return ParseSource(path, path.name, ZoneInfo("America/Chicago"), "US", None)


def parse(path: Path) -> list:
    assert facebook.sniff(path.read_bytes()[:65536], path.name)
    items = list(facebook.parse(source_for(path)))
    seen: set[str] = set()
    for item in items:  # attachments come before the entry that refers to them
        if isinstance(item, ParsedAttachment):
            seen.add(item.ref)
        elif isinstance(item, ParsedEntry):
            assert set(item.attachment_refs) <= seen
    return items


def entries(items: list) -> list[ParsedEntry]:
    return [i for i in items if isinstance(i, ParsedEntry)]


def problems(items: list) -> list[str]:
    return [i.message for i in items if isinstance(i, ParseProblem)]


def sample(name: str) -> Path:
    return MSGVAULT / f"msgvault__{name}"


def utc(entry: ParsedEntry) -> str:
    assert entry.occurred_ms is not None
    return iso_z_from_ms(entry.occurred_ms)


# ----- samples: Messenger / Instagram JSON -------------------------------------------------


@needs_samples
def test_chat_analytics_messenger_with_bom_and_missing_media():
    items = parse(TOP / "chatanalytics__messenger_message_1_2A_7M.json")
    found = entries(items)
    assert len(found) == 7
    first = found[0]
    assert (first.text, first.meta["sender"], first.direction) == (
        "Hello",
        "Alice",
        Direction.INCOMING,
    )
    assert utc(first) == "2014-11-05T00:35:32.056Z"
    assert first.time_source is TimeSource.EXPORT_FIELD and first.utc_offset_min is None
    # "Alice" titles the chat, so Bob holds the account; his messages go out to Alice.
    bob = found[1]
    assert (bob.text, bob.direction, bob.party, bob.meta["sender"]) == (
        "Whats up!",
        Direction.OUTGOING,
        "Alice",
        "Bob",
    )
    assert {e.thread_key for e in found} == {"Alice"}
    assert found[3].meta["media"] == [
        {"kind": "file", "uri": "messages/inbox/alice_aaaaaaaaaa/files/blabla.docx"}
    ]
    assert found[5].meta["media"][0]["kind"] == "sticker"
    assert problems(items) == [
        "The file “blabla.docx” was not in the export next to this chat file; the message "
        "was kept without it.",
        "The voice message “audioclip11111.mp4” was not in the export next to this chat "
        "file; the message was kept without it.",
        "The sticker “123123123123123.png” was not in the export next to this chat file; "
        "the message was kept without it.",
        "The photo “123123123123123.jpg” was not in the export next to this chat file; the "
        "message was kept without it.",
    ]
    assert len({e.dedup_key for e in found}) == 7


@needs_samples
def test_chat_miner_instagram_without_participants():
    found = entries(parse(TOP / "chatminer__instagram_message_1.json"))
    assert [(e.party, e.text) for e in found] == [
        ("John Doe", "Hello Jane!"),
        ("Jane Doe", "Hello John!"),
    ]
    assert utc(found[0]) == "2020-01-17T20:49:00Z"
    assert utc(found[1]) == "2019-12-24T11:23:00Z"
    assert {e.thread_key for e in found} == {"Jane Doe, John Doe"}
    assert all(e.direction is None for e in found)  # nothing says whose account it is


@needs_samples
def test_corrupt_json_is_a_plain_sentence():
    path = sample("corrupt~your_activity_across_facebook~messages~inbox~broken_BAD~message_1.json")
    with pytest.raises(UnreadableFile, match="damaged \\(it is not valid JSON\\)"):
        parse(path)


@needs_samples
def test_good_sibling_of_the_corrupt_file():
    path = sample(
        "corrupt~your_activity_across_facebook~messages~inbox~goodsibling_OK~message_1.json"
    )
    (only,) = entries(parse(path))
    assert (only.text, only.party, only.direction) == (
        "Still valid",
        "Good Sibling",
        Direction.INCOMING,
    )
    assert utc(only) == "2020-09-13T12:26:40Z"


@needs_samples
def test_end_to_end_encrypted_export_repairs_mojibake():
    found = entries(
        parse(sample("e2ee_simple~your_activity_across_facebook~messages~alice_1.json"))
    )
    assert [e.text for e in found] == ["Hello", "café time?", "See you soon", "oops"]
    assert found[1].meta["reactions"] == [{"reaction": "❤", "actor": "Test User"}]
    assert (found[1].party, found[1].direction) == ("Alice Example", Direction.INCOMING)
    assert (found[0].party, found[0].direction) == ("Alice Example", Direction.OUTGOING)
    assert found[0].meta["sender"] == "Test User"
    assert found[3].meta["unsent"] is True
    assert utc(found[3]) == "2020-09-13T12:29:40Z"


@needs_samples
def test_end_to_end_encrypted_group_with_a_missing_photo():
    items = parse(sample("e2ee_simple~your_activity_across_facebook~messages~group_2.json"))
    found = entries(items)
    assert [(e.party, e.text, e.direction) for e in found] == [
        ("Alice Example", "Plans?", None),
        ("Bob Builder", None, None),
    ]
    assert {e.thread_key for e in found} == {"Weekend crew"}
    assert found[1].meta["media"] == [{"kind": "attachment", "uri": "./media/photo.jpg"}]
    assert problems(items) == [
        "The attachment “photo.jpg” was not in the export next to this chat file; the "
        "message was kept without it."
    ]


@needs_samples
def test_group_chat_has_no_direction():
    path = sample(
        "json_group~your_activity_across_facebook~messages~inbox~crew_GRP123~message_1.json"
    )
    found = entries(parse(path))
    assert [(e.party, e.text) for e in found] == [
        ("Test User", "Hey crew"),
        ("Alice Example", "Hi!"),
        ("Bob Example", "Hello."),
    ]
    assert all(e.direction is None and e.thread_key == "Crew" for e in found)


@needs_samples
@pytest.mark.parametrize(
    ("number", "texts"),
    [
        ("1", ["Message B (from file 1, newer)", "Message A (from file 1, oldest)"]),
        ("2", ["Message C (from file 2)"]),
        ("10", ["Message D (from file 10, newest)"]),
    ],
)
def test_multi_file_thread(number: str, texts: list[str]):
    name = f"{MULTI}{number}.json"
    found = entries(parse(sample(name)))
    assert [e.text for e in found] == texts
    assert {e.thread_key for e in found} == {"Dave Multi"}


@needs_samples
def test_multi_file_thread_keys_are_distinct_across_files():
    keys = []
    for number in ("1", "2", "10"):
        name = f"{MULTI}{number}.json"
        keys += [e.dedup_key for e in entries(parse(sample(name)))]
    assert len(keys) == len(set(keys)) == 4


@needs_samples
def test_non_text_messages_calls_share_and_system_event():
    path = sample(
        "json_nontext~your_activity_across_facebook~messages~inbox~sam_NONTXT~message_1.json"
    )
    items = parse(path)
    found = entries(items)
    assert len(found) == 6
    sticker, photo, placed, missed, share, left = found
    assert sticker.meta["media"] == [{"kind": "sticker", "uri": "messages/stickers_used/1.png"}]
    assert sticker.text is None and sticker.direction is Direction.OUTGOING
    assert photo.meta["media"][0]["uri"] == "messages/inbox/sam_NONTXT/photos/missing.jpg"
    assert (placed.kind, placed.call_type, placed.duration_s) == (
        EntryKind.CALL,
        CallType.OUTGOING,
        192,
    )
    assert (missed.kind, missed.call_type, missed.duration_s, missed.party) == (
        EntryKind.CALL,
        CallType.MISSED,
        0,
        "Sam NonText",
    )
    assert share.text == "Example share text\nhttps://example.com/article"
    assert share.meta["share"]["link"] == "https://example.com/article"
    assert (left.text, left.meta["type"]) == ("Sam left the chat", "Unsubscribe")
    assert problems(items) == [
        "The sticker “1.png” was not in the export next to this chat file; the message was "
        "kept without it.",
        "The photo “missing.jpg” was not in the export next to this chat file; the message "
        "was kept without it.",
    ]


@needs_samples
def test_archived_thread():
    path = sample(
        "json_simple~your_activity_across_facebook~messages~archived_threads~zoe_ARCH~message_1.json"
    )
    (only,) = entries(parse(path))
    assert (only.text, only.party, utc(only)) == (
        "Old message in archive",
        "Zoe Archive",
        "2017-07-14T02:40:00Z",
    )


@needs_samples
def test_simple_thread_repairs_text_and_reaction_emoji():
    path = sample(
        "json_simple~your_activity_across_facebook~messages~inbox~alice_ABC123~message_1.json"
    )
    found = entries(parse(path))
    assert [e.text for e in found] == ["See you soon", "café time?", "Hello"]
    assert found[1].meta["reactions"] == [
        {"reaction": "❤", "actor": "Test User"},
        {"reaction": "👍", "actor": "Alice Example"},
    ]
    assert utc(found[1]) == "2020-09-13T12:27:40Z"
    assert found[1].time_precision is TimePrecision.MILLISECOND


@needs_samples
def test_same_message_from_json_and_e2ee_exports_has_one_dedup_key():
    plain = entries(
        parse(
            sample(
                "json_simple~your_activity_across_facebook~messages~inbox~alice_ABC123~message_1.json"
            )
        )
    )
    e2ee = entries(parse(sample("e2ee_simple~your_activity_across_facebook~messages~alice_1.json")))
    assert {e.dedup_key for e in plain} <= {e.dedup_key for e in e2ee}


@needs_samples
@pytest.mark.parametrize(
    ("name", "text", "sender"),
    [
        (
            "json_with_media~your_activity_across_facebook~messages~inbox~bob_XYZ789~message_1.json",
            "Here's a photo",
            "Bob Mediafile",
        ),
        (
            "json_with_media_alt~your_facebook_activity~messages~inbox~carol_ALT456~message_1.json",
            "Photo from alt layout",
            "Carol Altlayout",
        ),
    ],
)
def test_photo_in_flattened_samples_is_not_beside_the_json(name: str, text: str, sender: str):
    items = parse(sample(name))
    (only,) = entries(items)
    assert (only.text, only.party, only.attachment_refs) == (text, sender, ())
    assert only.meta["media"][0]["uri"].endswith("/photos/tiny.png")
    assert problems(items) == [
        "The photo “tiny.png” was not in the export next to this chat file; the message was "
        "kept without it."
    ]
    assert not any(isinstance(i, ParsedAttachment) for i in items)


@needs_samples
def test_mixed_json_and_html_give_the_same_messages():
    stem = "mixed~your_activity_across_facebook~messages~inbox~eve_MIX~message_1"
    from_json = entries(parse(sample(stem + ".json")))
    from_html = entries(parse(sample(stem + ".html")))
    assert [e.text for e in from_json] == ["Mixed reply", "Mixed hello"]
    assert [e.text for e in from_html] == ["Mixed hello", "Mixed reply"]
    assert utc(from_json[1]) == "2020-09-13T12:26:40Z"
    # The page shows 12:26 PM with no zone: read in the vault's zone (CDT, UTC-5).
    assert utc(from_html[0]) == "2020-09-13T17:26:00Z"
    assert from_html[0].time_source is TimeSource.EXPORT_LOCAL
    assert from_html[0].utc_offset_min == -300
    assert from_html[0].time_precision is TimePrecision.MINUTE
    assert [e.direction for e in from_html] == [Direction.OUTGOING, Direction.INCOMING]


# ----- samples: HTML ----------------------------------------------------------------------


@needs_samples
def test_html_simple():
    path = sample(
        "html_simple~your_activity_across_facebook~messages~inbox~alice_ABC123~message_1.html"
    )
    found = entries(parse(path))
    assert [(e.meta["sender"], e.text) for e in found] == [
        ("Test User", "Hello"),
        ("Alice Example", "café time?"),
        ("Test User", "See you soon"),
    ]
    assert [utc(e) for e in found] == [
        "2020-09-13T17:26:00Z",
        "2020-09-13T17:27:00Z",
        "2020-09-13T17:28:00Z",
    ]
    assert {e.thread_key for e in found} == {"Alice Example"}


@needs_samples
def test_html_with_media_and_multi_media():
    bob = parse(
        sample(
            "html_with_media~your_activity_across_facebook~messages~inbox~bob_XYZ789~message_1.html"
        )
    )
    (only,) = entries(bob)
    assert (only.text, only.party) == ("Here's a photo", "Bob Mediafile")
    assert only.meta["media"] == [{"kind": "photo", "uri": "photos/tiny.png"}]
    assert problems(bob) == [
        "The photo “tiny.png” was not in the export next to this chat file; the message was "
        "kept without it."
    ]
    carol = parse(
        sample(
            "html_multi_media~your_activity_across_facebook~messages~inbox~carol_IMG456~message_1.html"
        )
    )
    found = entries(carol)
    assert [e.text for e in found] == ["Hello Carol", "Check out this photo", "Nice picture"]
    assert "media" not in found[0].meta and "media" not in found[2].meta
    assert found[1].meta["media"] == [{"kind": "photo", "uri": "photos/photo1.png"}]
    assert utc(found[0]) == "2020-09-13T17:00:00Z"
    assert len(problems(carol)) == 1


@needs_samples
@pytest.mark.parametrize("layout", ["layout1", "layout2", "layout3"])
def test_html_time_layouts(layout: str):
    (only,) = entries(parse(sample(f"html_timestamps~{layout}.html")))
    assert (only.meta["sender"], only.text) == ("Test User", "ping")
    assert utc(only) == "2019-10-19T19:37:00Z"  # 2:37 PM in Chicago, CDT


@needs_samples
@pytest.mark.parametrize(
    "name",
    [
        "e2ee_simple~your_activity_across_facebook~messages~media~photo.jpg",
        "html_multi_media~your_activity_across_facebook~messages~inbox~carol_IMG456~photos~photo1.png",
        "html_with_media~your_activity_across_facebook~messages~inbox~bob_XYZ789~photos~tiny.png",
        "json_with_media_alt~your_facebook_activity~messages~inbox~carol_ALT456~photos~tiny.png",
        "json_with_media~your_activity_across_facebook~messages~inbox~bob_XYZ789~photos~tiny.png",
    ],
)
def test_media_files_are_not_chats(name: str):
    path = sample(name)
    head = path.read_bytes()[:65536]
    assert not facebook.sniff(head, path.name)
    assert not telegram.sniff(head, path.name)
    assert not google_voice.sniff(head, path.name)


@needs_samples
def test_every_sample_file_is_covered():
    """A new sample must get a test here; SOURCES.txt files are not chats."""
    for sources in (TOP / "SOURCES.txt", MSGVAULT / "SOURCES.txt"):
        assert not facebook.sniff(sources.read_bytes()[:65536], sources.name)
    # 26 chats and media files tested above, 2 top-level samples, 2 SOURCES.txt
    assert len([p for p in TOP.rglob("*") if p.is_file()]) == 30


# ----- media beside the chat file (built here; the samples are flattened) ---------------


def write_thread(folder: Path, messages: list[dict], title: str = "Alice") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    doc = {"participants": [{"name": "Alice"}, {"name": "Me Myself"}], "title": title}
    doc["messages"] = messages
    path = folder / "message_1.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_photo_beside_the_json_is_read_as_an_attachment(tmp_path: Path):
    thread = tmp_path / "messages" / "inbox" / "alice_1"
    (thread / "photos").mkdir(parents=True)
    (thread / "photos" / "p1.jpg").write_bytes(b"\xff\xd8\xffJPEG")
    path = write_thread(
        thread,
        [
            {
                "sender_name": "Alice",
                "timestamp_ms": 1700000000000,
                "photos": [{"uri": "messages/inbox/alice_1/photos/p1.jpg"}],
            }
        ],
    )
    items = parse(path)
    note, attachment, entry = items
    assert isinstance(note, FormatNote) and note.message.startswith("“Me Myself” is you")
    assert isinstance(attachment, ParsedAttachment) and isinstance(entry, ParsedEntry)
    assert (attachment.name, attachment.media_type, attachment.data) == (
        "p1.jpg",
        "image/jpeg",
        b"\xff\xd8\xffJPEG",
    )
    assert entry.attachment_refs == (attachment.ref,)


def test_nothing_outside_the_chat_folder_is_read(tmp_path: Path):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"private")
    thread = tmp_path / "export" / "alice_1"
    thread.mkdir(parents=True)
    os.symlink(secret, thread / "link.jpg")
    path = write_thread(
        thread,
        [
            {"sender_name": "Alice", "timestamp_ms": 1700000000000, "photos": [{"uri": u}]}
            for u in ("../secret.jpg", str(secret), "link.jpg", "../../export/../secret.jpg")
        ],
    )
    items = parse(path)
    assert not any(isinstance(i, ParsedAttachment) for i in items)
    assert len(entries(items)) == 4 and len(problems(items)) == 4


def test_many_missing_photos_are_counted_not_listed(tmp_path: Path):
    messages = [
        {"sender_name": "Alice", "timestamp_ms": 1700000000000 + i, "photos": [{"uri": f"{i}.jpg"}]}
        for i in range(25)
    ]
    items = parse(write_thread(tmp_path, messages))
    said = problems(items)
    assert len(said) == facebook.MAX_MISSING_SENTENCES + 1
    assert said[-1].startswith("5 more photos, videos or files were not in the export")


# ----- odd files ------------------------------------------------------------------------


def test_repair_only_when_it_round_trips():
    assert facebook.repair("caf\u00c3\u00a9") == "café"
    assert facebook.repair("\u00f0\u009f\u0091\u008d") == "👍"
    assert facebook.repair("café") == "café"  # already right: é alone is not UTF-8
    assert facebook.repair("👀 ok") == "👀 ok"


def test_missing_time_is_unknown_never_invented(tmp_path: Path):
    (only,) = entries(parse(write_thread(tmp_path, [{"sender_name": "Alice", "content": "hi"}])))
    assert (only.occurred_ms, only.time_source) == (None, TimeSource.UNKNOWN)


def test_json_without_messages_is_refused(tmp_path: Path):
    path = tmp_path / "message_1.json"
    path.write_text('{"participants": []}')
    with pytest.raises(UnreadableFile, match="no list of messages"):
        list(facebook.parse(source_for(path)))


def test_html_without_messages_says_export_as_json(tmp_path: Path):
    path = tmp_path / "message_1.html"
    path.write_text("<html><body><div>Participants: A, B</div><div>hello</div></body></html>")
    assert facebook.sniff(path.read_bytes(), path.name)
    with pytest.raises(UnreadableFile, match="export as JSON instead — the file was kept"):
        list(facebook.parse(source_for(path)))


def test_one_bad_message_is_left_out_and_said(tmp_path: Path):
    path = write_thread(
        tmp_path,
        [
            {"sender_name": "Alice", "timestamp_ms": 10**16, "content": "far future"},
            {"sender_name": "Alice", "timestamp_ms": 1700000000000, "content": "fine"},
        ],
    )
    items = parse(path)
    assert [e.text for e in entries(items)] == ["fine"]
    assert problems(items) == [
        "Message 1 in this chat could not be read (ValueError) and was left out."
    ]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=12), inner, max_size=4)
    ),
    max_leaves=12,
)
message_keys = st.sampled_from(
    ["sender_name", "timestamp_ms", "content", "photos", "share", "reactions", "type", "sticker"]
)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(st.sampled_from(["participants", "title", "messages"]), json_values),
    st.lists(st.dictionaries(message_keys, json_values, max_size=5), max_size=4),
)
def test_arbitrary_json_never_escapes_as_a_crash(tmp_path_factory, doc: dict, messages: list):
    folder = tmp_path_factory.mktemp("fuzz")
    for shape in (doc, {**doc, "messages": messages}):
        path = folder / "message_1.json"
        path.write_text(json.dumps(shape))
        with contextlib.suppress(UnreadableFile):
            list(facebook.parse(source_for(path)))


def test_identical_messages_in_one_minute_stay_two_and_keys_are_stable(tmp_path: Path):
    path = tmp_path / "message_1.html"
    row = "<div><div>Rex</div><div>answer me</div><div>Mar 12, 2024, 10:15 PM</div></div>"
    path.write_text(
        "<html><head><title>Rex</title></head><body><div>Participants: Rex, Me Myself</div>"
        + row * 2
        + "</body></html>",
        encoding="utf-8",
    )
    first = entries(parse(path))
    again = entries(parse(path))
    assert [e.text for e in first] == ["answer me", "answer me"]
    assert first[0].dedup_key != first[1].dedup_key
    assert [e.dedup_key for e in first] == [e.dedup_key for e in again]
    assert (first[0].direction, utc(first[0])) == (Direction.INCOMING, "2024-03-13T03:15:00Z")
