"""WhatsApp "Export chat": every sample, plus the quirks and attacks the samples lack.

Expected values were read off the sample files by eye (and, for chat-miner, from the
upstream project's own expected output), never copied from this parser's output.
"""

from __future__ import annotations

import io
import json
import random
import tracemalloc
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nco_desktop.evidence.records import Direction, EntryKind, TimePrecision, TimeSource
from nco_desktop.importers.formats import whatsapp
from nco_desktop.importers.formats.chat_owner import UNKNOWN_NOTE
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

FOLDER = SAMPLES / "whatsapp_txt"
needs_samples = pytest.mark.skipif(not FOLDER.is_dir(), reason="shared/samples is not present")
CHICAGO = ZoneInfo("America/Chicago")
LONDON = ZoneInfo("Europe/London")


def source(path: Path, zone: ZoneInfo = CHICAGO, region: str = "US", **options: str) -> ParseSource:
    return ParseSource(path, path.name, zone, region, None, options)


def parse(path: Path, zone: ZoneInfo = CHICAGO, region: str = "US", **options: str) -> list:
    return list(whatsapp.parse(source(path, zone, region, **options)))


def entries(items: list) -> list[ParsedEntry]:
    return [i for i in items if isinstance(i, ParsedEntry)]


def problems(items: list) -> list[str]:
    return [i.message for i in items if isinstance(i, ParseProblem)]


def notes(items: list) -> list[str]:
    """The notes, less "which sender is you is not known" (its own test: test_chat_owner)."""
    return [i.message for i in items if isinstance(i, FormatNote) and i.message != UNKNOWN_NOTE]


def utc(ms: int | None) -> str | None:
    return None if ms is None else iso_z_from_ms(ms)


def local(entry: ParsedEntry, zone: ZoneInfo = CHICAGO) -> str:
    """The entry's wall-clock time in *zone*, as the phone showed it."""
    assert entry.occurred_ms is not None
    moment = datetime.fromtimestamp(entry.occurred_ms / 1000, zone)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def sniffs(path: Path) -> bool:
    return whatsapp.sniff(path.read_bytes()[:65536], path.name)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


# --- the real samples -------------------------------------------------------------------


@needs_samples
def test_chat_analytics_group_chat_month_first_by_region():
    path = FOLDER / "chatanalytics__android_group_mdyy_24h_4A_11M.txt"
    assert sniffs(path)
    # Every line is "12/9/20": nothing in the file decides, so the parser asks (issue 18).
    with pytest.raises(whatsapp.DateOrderNeeded) as asked:
        parse(path)
    assert asked.value.question.suggested == "month-first"  # the region: a hint only
    items = parse(path, date_order="month-first")
    chat = entries(items)
    assert len(chat) == 14  # 14 lines: 3 system lines and 11 messages
    system = [e for e in chat if e.meta.get("system")]
    assert [e.text for e in system] == [
        "Messages and calls are end-to-end encrypted. No one outside of this chat, not even "
        "WhatsApp, can read or listen to them. Tap to learn more.",
        'Alice created group "Some cool group chat"',
        "Alice added you",
    ]
    assert all(e.party is None for e in system)
    talk = [e for e in chat if not e.meta.get("system")]
    assert len(talk) == 11
    assert (talk[0].party, talk[0].text) == ("Bob", "hello")
    assert (talk[-1].party, talk[-1].text) == ("Trent", "heh")
    assert talk[8].text == "\U0001f469\U0001f3fb\u200d\u2696\ufe0f"  # the ZWJ emoji intact
    # "12/9/20, 23:16" is ambiguous; a US vault reads it as 9 December 2020, CST (-6).
    created = chat[1]
    assert local(created) == "2020-12-09 23:16:00"
    assert utc(created.occurred_ms) == "2020-12-10T05:16:00Z"
    assert created.utc_offset_min == -360
    assert created.time_source is TimeSource.EXPORT_LOCAL
    assert created.time_precision is TimePrecision.MINUTE
    assert all(e.kind is EntryKind.MESSAGE and e.direction is None for e in chat)
    assert chat[0].thread_key == "chatanalytics__android_group_mdyy_24h_4A_11M"
    assert notes(items) == ["Dates were read month-first, as chosen."]
    assert problems(items) == []


@needs_samples
def test_chat_analytics_group_chat_day_first_in_a_british_vault():
    path = FOLDER / "chatanalytics__android_group_mdyy_24h_4A_11M.txt"
    with pytest.raises(whatsapp.DateOrderNeeded) as asked:
        parse(path, LONDON, "GB")
    assert asked.value.question.suggested == "day-first"
    items = parse(path, LONDON, "GB", date_order="day-first")
    created = entries(items)[1]
    # The same ambiguous "12/9/20, 23:16" is 12 September 2020 in a GB vault (BST, +1).
    assert utc(created.occurred_ms) == "2020-09-12T22:16:00Z"
    assert created.utc_offset_min == 60
    assert notes(items) == ["Dates were read day-first, as chosen."]


@needs_samples
def test_chat_analytics_media_omitted_and_out_of_order_line():
    path = FOLDER / "chatanalytics__android_mdyy_media_omitted_2A_5M.txt"
    assert sniffs(path)
    chat = entries(parse(path))
    assert [(e.party, e.text) for e in chat] == [
        ("A", "Hi"),
        ("B", "Whats up?"),
        ("A", "All good"),
        ("B", "<media omitted>"),
        ("A", "This message should be reordered"),
    ]
    assert chat[3].meta.get("media_omitted") is True
    assert chat[3].attachment_refs == ()
    # Kept in file order; 12:02 after 12:03 is the file's, not ours to fix.
    assert [local(e)[11:16] for e in chat] == ["12:00", "12:01", "12:02", "12:03", "12:02"]
    assert utc(chat[0].occurred_ms) == "2021-01-01T18:00:00Z"


@needs_samples
def test_chat_analytics_zip_export():
    path = FOLDER / "chatanalytics__export_zip_4A_11M.zip"
    assert sniffs(path)
    items = parse(path, date_order="month-first")
    assert not any(isinstance(i, ParsedAttachment) for i in items)  # only _chat.txt inside
    chat = entries(items)
    assert len(chat) == 14
    assert chat[0].meta.get("system") is True
    assert (chat[3].party, chat[3].text) == ("Bob", "hello")
    assert (chat[-1].party, chat[-1].text) == ("Trent", "heh")
    assert utc(chat[-1].occurred_ms) == "2020-12-10T05:56:00Z"
    assert chat[0].thread_key == "chatanalytics__export_zip_4A_11M"  # "_chat.txt" → the zip
    assert problems(items) == []


CHATMINER = [
    ("chatminer__android_ddmmyy_24h.txt", "day-first"),
    ("chatminer__android_mmddyy_24h.txt", "month-first"),
    ("chatminer__android_mmddyyyy_12h_es.txt", "month-first"),
    ("chatminer__android_yyyymmdd_24h.txt", None),
    ("chatminer__ios_bracket_mmddyy_24h.txt", "month-first"),
]


@needs_samples
@pytest.mark.parametrize(("name", "order"), CHATMINER)
def test_chat_miner_samples_match_upstream_expectations(name, order):
    path = FOLDER / name
    assert sniffs(path)
    items = parse(path, region="GB")  # region must not matter: the files prove their order
    chat = entries(items)
    assert len(chat) == 9  # 12 lines, 2 of them continuation lines, plus "John Doe:."
    assert chat[0].party == "John Doe" and chat[-1].party == "John Doe"
    # "John Doe:." has no space after the colon; John Doe is a known sender, so it is his.
    assert (chat[1].party, chat[1].text) == ("John Doe", ".")
    system = [e.text for e in chat if e.meta.get("system")]
    assert system == ['+12 345 578 created group "Groupname"', "You were added"]
    expected = json.loads((FOLDER / "chatminer__expected_parse.json").read_text("utf-8"))
    # chat-miner joins continuation lines with a space; we keep the line break.
    found = {(e.party, e.text.replace("\n", " "), local(e)) for e in chat}
    for record in expected:
        stamp = record["timestamp"].replace("T", " ")
        assert (record["author"], record["message"], stamp) in found
    # The 22:01 message on 30 December 2021, CST, multi-line text intact.
    assert utc(chat[-1].occurred_ms) == "2021-12-31T04:01:00Z"
    assert chat[-1].text == "Lorem ipsum dolor sit amet,\nconsectetur adipiscing elit. Duis libero."
    said = notes(items)
    if order is None:
        assert said == []  # year-first dates have one reading only
    else:
        assert said == [f"Dates were read {order}: some can only be read that way."]


@needs_samples
def test_pustur_header_variants_with_conflicting_dates():
    path = FOLDER / "pustur__header_variants_from_tests.txt"
    assert sniffs(path)
    items = parse(path)
    chat = entries(items)
    assert len(chat) == 12  # one message per line, twelve header styles
    assert all((e.party, e.text) == ("a", "m") for e in chat)
    # Upstream expects 3 June 2018 13:55 or 13 June 2018 21:25:15 for every line; lines 4
    # ("06.13.18") and 10 ("06/2018/13") can only be month-first, against three day-first
    # proofs, so they get no time rather than a guessed one.
    june3, june13 = "2018-06-03 13:55:00", "2018-06-13 21:25:15"
    expected = [june3, june3, june13, None, june13, june13, june3, june3, june13, None]
    expected += [june3, june3]
    assert [local(e) if e.occurred_ms else None for e in chat] == expected
    for unknown in (chat[3], chat[9]):
        assert unknown.time_source is TimeSource.UNKNOWN
        assert unknown.time_precision is TimePrecision.UNKNOWN
    assert chat[6].time_precision is TimePrecision.SECOND  # "[3/6/18 1:55:00 p. m.]"
    assert chat[11].time_precision is TimePrecision.MINUTE  # "1:55\u202fPM"
    assert any("disagree" in n and "read day-first" in n for n in notes(items))
    assert problems(items) == [
        "2 messages with a date that cannot exist (lines 4, 10) imported without a time."
    ]


@needs_samples
def test_whatstk_lorem_bracket_with_seconds():
    path = FOLDER / "whatstk__lorem_bracket_yymmdd_hms.txt"
    assert sniffs(path)
    chat = entries(parse(path))
    assert len(chat) == 500  # 500 lines, each starting with "["
    first, last = chat[0], chat[-1]
    # "[15-01-20 02:22:56] Mary: …": 15 January 2020 (the 15 proves day-first).
    assert (first.party, local(first)) == ("Mary", "2020-01-15 02:22:56")
    assert utc(first.occurred_ms) == "2020-01-15T08:22:56Z"
    assert first.time_precision is TimePrecision.SECOND
    assert first.text == "Nostrud exercitation magna id. "
    assert chat[2].party == "+1 123 456 789"  # a number, exactly as written
    assert (last.party, local(last)) == ("Mary", "2020-05-11 22:32:48")
    assert last.utc_offset_min == -300


@needs_samples
def test_whatstk_lorem_year_first():
    path = FOLDER / "whatstk__lorem_merge_part1_yyyy-mm-dd.txt"
    assert sniffs(path)
    items = parse(path, LONDON, "GB")
    chat = entries(items)
    assert len(chat) == 300
    assert (chat[0].party, chat[0].text) == ("John", "Laborum sed excepteur id eu cillum sunt ut. ")
    # "2019-10-20, 10:16" in London is BST (+1); "2020-01-10, 00:00" is GMT.
    assert utc(chat[0].occurred_ms) == "2019-10-20T09:16:00Z"
    assert chat[-1].party == "Giuseppe"
    assert utc(chat[-1].occurred_ms) == "2020-01-10T00:00:00Z"
    assert chat[-1].utc_offset_min == 0
    assert notes(items) == []


@needs_samples
def test_whatstk_pokemon_german_day_first():
    path = FOLDER / "whatstk__pokemon_de_ddmmyyyy.txt"
    assert sniffs(path)
    chat = entries(parse(path, LONDON, "GB"))
    assert len(chat) == 20
    # The encryption notice is a system line even though it carries the chat's name.
    assert chat[0].party is None and chat[0].meta.get("system") is True
    assert chat[0].text.startswith("Pokemon Chat: Messages and calls are end-to-end encrypted.")
    assert chat[1].party is None and chat[1].meta.get("system") is True
    assert (chat[2].party, chat[2].text) == ("Ash Ketchum", "Hey guys!")
    assert utc(chat[2].occurred_ms) == "2016-08-06T12:23:00Z"  # 13:23 BST
    assert {e.party for e in chat} >= {"Prof. Oak", "Jessie & James", "Raichu", "Meowth"}
    assert (chat[-1].party, chat[-1].text) == ("Wobbuffet", "Wo-bbu-ffet")  # no trailing blank
    assert utc(chat[-1].occurred_ms) == "2016-10-31T12:23:00Z"  # 12:23 GMT, after the change


@needs_samples
@pytest.mark.parametrize(
    "name",
    ["SOURCES.txt", "chatminer__expected_parse.json", "whatstk__header_format_support.json"],
)
def test_non_chat_files_in_the_samples_folder_are_refused(name):
    path = FOLDER / name
    assert not sniffs(path)
    with pytest.raises(UnreadableFile) as caught:
        parse(path)
    assert str(caught.value) == whatsapp.NO_MESSAGES


# --- header quirks ------------------------------------------------------------------------


def test_invisible_marks_and_narrow_spaces(tmp_path):
    text = (
        "3/14/24, 10:15\u202fPM - Alex: first\n"
        "\u200e3/14/24, 10:16\u00a0PM - Alex: \u200eimage omitted\n"
        "3/14/24, 10:17\u202fp.\u00a0m. - Sam: third\n"
    )
    items = parse(write(tmp_path, "WhatsApp Chat with Alex.txt", text))
    chat = entries(items)
    assert [(e.party, e.text) for e in chat] == [
        ("Alex", "first"),
        ("Alex", "image omitted"),
        ("Sam", "third"),
    ]
    assert [local(e) for e in chat] == [
        "2024-03-14 22:15:00",
        "2024-03-14 22:16:00",
        "2024-03-14 22:17:00",
    ]
    assert chat[1].meta.get("media_omitted") is True
    assert chat[0].thread_key == "Alex"
    assert utc(chat[0].occurred_ms) == "2024-03-15T03:15:00Z"  # CDT since 10 March


def test_ios_brackets_with_seconds_multiline_and_attached_marker(tmp_path):
    text = (
        "[12/03/2024, 22:15:30] Alex: I know where you are\n"
        "and I will be there\n"
        "\n"
        "tonight\n"
        "[12/03/2024, 22:16:02] Alex: \u200e<attached: 00000012-PHOTO-2024-03-12-22-15-30.jpg>\n"
        "\u200e[13/03/2024, 07:00:00] You: \u200eYou deleted this message\n"
    )
    items = parse(write(tmp_path, "_chat.txt", text))
    chat = entries(items)
    assert len(chat) == 3
    assert chat[0].text == "I know where you are\nand I will be there\n\ntonight"
    assert local(chat[0]) == "2024-03-12 22:15:30"  # the 13 on line 6 proves day-first
    assert chat[0].time_precision is TimePrecision.SECOND
    assert chat[1].text == "<attached: 00000012-PHOTO-2024-03-12-22-15-30.jpg>"
    assert chat[1].meta["attached_files"] == ["00000012-PHOTO-2024-03-12-22-15-30.jpg"]
    assert chat[1].attachment_refs == ()  # a text file holds no media
    # "You" is the phone's owner: sent, with the chat as the other party.
    assert (chat[2].party, chat[2].meta.get("deleted")) == ("_chat", True)
    assert chat[2].direction is Direction.OUTGOING and chat[2].meta["sender"] == "You"
    assert chat[0].thread_key == "_chat"
    assert any("Import the .zip export" in n for n in notes(items))


@pytest.mark.parametrize(
    ("line", "wall_clock"),
    [
        ("13.6.2018 klo 21.25.15 - Sam: hi", "2018-06-13 21:25:15"),
        ("14. 6. 2018. 21:25:15 Sam: hi", "2018-06-14 21:25:15"),
        ("15.06.18 21.25.15: Sam: hi", "2018-06-15 21:25:15"),
        ("[2018/06/16, 21:25:15] Sam: hi", "2018-06-16 21:25:15"),
        ("17-06-2018, 09.25 PM - Sam: hi", "2018-06-17 21:25:00"),
        ("[18/6/18 9:25:15 p. m.] Sam: hi", "2018-06-18 21:25:15"),
        ("19/06/2018, 12:05 a.m. - Sam: hi", "2018-06-19 00:05:00"),
    ],
)
def test_header_shapes_seen_in_the_wild(tmp_path, line, wall_clock):
    path = write(tmp_path, "chat.txt", line + "\n")
    assert sniffs(path)
    (entry,) = entries(parse(path))
    assert (entry.party, entry.text, local(entry)) == ("Sam", "hi", wall_clock)


def test_bracketed_iso_dates_need_whatsapp_evidence_to_be_sniffed(tmp_path):
    """signal-export writes "[2019-12-24, 12:23] Name: text" too; the name breaks the tie."""
    text = "[2024-03-12 22:15:30] Alex: hi\n[2024-03-12 22:16:00] Sam: yo\n"
    assert not sniffs(write(tmp_path, "alex.txt", text))
    assert sniffs(write(tmp_path, "_chat.txt", text))
    assert sniffs(write(tmp_path, "WhatsApp Chat with Alex.txt", text))
    assert sniffs(
        write(tmp_path, "b.txt", text + "[2024-03-12 22:17:00] Sam: \u200eimage omitted\n")
    )
    chat = entries(parse(tmp_path / "_chat.txt"))  # parse() itself does not care
    assert local(chat[0]) == "2024-03-12 22:15:30"
    signal = SAMPLES / "telegram_signal_json" / "chatminer__signal_export_carderne_style.txt"
    if signal.is_file():
        assert not sniffs(signal)


def test_ambiguous_file_follows_region_or_the_users_choice(tmp_path):
    path = write(
        tmp_path, "chat.txt", "01/02/2024, 09:00 - Alex: hi\n03/04/2024, 10:00 - Sam: yo\n"
    )
    # Nothing in the file decides: the region is only the suggested answer (issue 18).
    for region, suggested in (("US", "month-first"), ("GB", "day-first")):
        with pytest.raises(whatsapp.DateOrderNeeded) as asked:
            parse(path, region=region)
        assert asked.value.question.suggested == suggested
    assert local(entries(parse(path, date_order="month-first"))[0]) == "2024-01-02 09:00:00"
    chosen = parse(path, region="US", date_order="day-first")
    assert local(entries(chosen)[0]) == "2024-02-01 09:00:00"
    assert not any("ambiguous" in n for n in notes(chosen))


def test_continuation_lines_that_look_like_dates_stay_in_the_message(tmp_path):
    text = (
        "Some preamble that is not a message\n"
        "23/06/2018, 01:55 - Loris: one\n"
        "2016-04-29 10:30:00\n"
        "12/03/2024 22:15 he was outside\n"
        "23/06/2018, 01:56 - Loris: two\n"
    )
    items = parse(write(tmp_path, "chat.txt", text))
    chat = entries(items)
    assert [e.text for e in chat] == [
        "one\n2016-04-29 10:30:00\n12/03/2024 22:15 he was outside",
        "two",
    ]
    assert chat[0].meta["line"] == 2
    assert problems(items) == ["1 line before the first message not imported."]


def test_dedup_keys_are_stable_and_count_repeats(tmp_path):
    # The 13th proves day-first in both exports: the keys hold the time as read.
    base = "12/03/2024, 22:15 - Alex: answer me\n" * 3 + "13/03/2024, 22:16 - Alex: ok\n"
    first = entries(parse(write(tmp_path, "WhatsApp Chat with Alex.txt", base)))
    keys = [e.dedup_key for e in first]
    assert len(set(keys)) == 4  # three identical lines are three messages
    again = entries(parse(tmp_path / "WhatsApp Chat with Alex.txt"))
    assert [e.dedup_key for e in again] == keys
    longer = base + "14/03/2024, 08:00 - Alex: more\n"
    later = entries(parse(write(tmp_path, "WhatsApp Chat with Alex (1).txt", longer)))
    assert [e.dedup_key for e in later][:4] == keys  # a later re-export overlaps exactly


def test_utf16_and_utf8_bom_are_read(tmp_path):
    text = "12/03/2024, 22:15 - Alex: hi\n"
    for name, data in [
        ("a.txt", b"\xef\xbb\xbf" + text.encode()),
        ("b.txt", text.encode("utf-16")),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        assert sniffs(path)
        (entry,) = entries(parse(path, date_order="day-first"))
        assert (entry.party, entry.text) == ("Alex", "hi")


def test_endless_message_is_cut_short_and_the_rest_goes_on(tmp_path):
    path = tmp_path / "chat.txt"
    with path.open("w", encoding="utf-8") as fh:
        fh.write("12/03/2024, 22:15 - Alex: start\n")
        fh.write("x" * (3 * 1024 * 1024) + "\n")  # one 3 MB line
        fh.write("13/03/2024, 22:16 - Sam: after\n")
    items = parse(path)
    long, after = entries(items)
    assert long.text.startswith("start\nxxx") and len(long.text) <= 1024 * 1024 + 10
    assert long.meta.get("truncated") is True
    assert (after.party, after.text) == ("Sam", "after")
    assert problems(items) == ["Cut short: 1 message too long for WhatsApp."]


def test_a_large_chat_is_streamed_not_held(tmp_path):
    path = tmp_path / "WhatsApp Chat with Alex.txt"
    with path.open("w", encoding="utf-8") as fh:
        for n in range(6_000):
            fh.write(f"{n % 28 + 1:02d}/03/2024, 10:{n % 60:02d} - Alex: message {n} " + "w" * 60)
            fh.write("\n")
    size = path.stat().st_size
    tracemalloc.start()
    try:
        count = sum(isinstance(i, ParsedEntry) for i in whatsapp.parse(source(path)))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert count == 6_000
    assert peak < size / 4  # neither pass keeps the text


# --- refusals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "this file is empty"),
        (b"  \n\n \n", "this file is empty"),
        (b"just a note\nwith two lines\n", whatsapp.NO_MESSAGES),
        ("12/03/2024, 22:15 - Zoë: hé\n".encode("latin-1"), "not UTF-8 text"),
    ],
)
def test_unreadable_files_get_a_plain_sentence(tmp_path, data, reason):
    path = tmp_path / "chat.txt"
    path.write_bytes(data)
    assert not sniffs(path)
    with pytest.raises(UnreadableFile, match=reason):
        parse(path)


def test_an_unexpected_error_becomes_unreadable_file(tmp_path, monkeypatch):
    def boom(*args: object) -> None:
        raise KeyError("bug")

    monkeypatch.setattr(whatsapp, "decide_order", boom)
    with pytest.raises(UnreadableFile, match="could not be read"):
        parse(write(tmp_path, "chat.txt", "12/03/2024, 22:15 - Alex: hi\n"))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet="0123456789/.,-:[] \u200e\u202fAPMap\n", max_size=120))
def test_random_text_never_escapes(tmp_path, text):
    path = write(tmp_path, "fuzz.txt", text)
    try:
        items = parse(path)
    except UnreadableFile:
        return
    assert entries(items)


# --- zips ---------------------------------------------------------------------------------

JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 4


def make_zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(zipfile.ZipInfo(name), data, zipfile.ZIP_DEFLATED)
    return path


ANDROID_CHAT = (
    "12/03/2024, 22:15 - Alex: IMG-20240312-WA0001.jpg (file attached)\n"
    "look at this\n"
    "12/03/2024, 22:16 - Alex: IMG-20240312-WA0002.jpg (file attached)\n"
    "13/03/2024, 07:00 - Sam: <Media omitted>\n"
)


def test_zip_links_media_and_refuses_slip_and_bombs(tmp_path):
    path = make_zip(
        tmp_path / "WhatsApp Chat with Alex.zip",
        {
            "WhatsApp Chat with Alex.txt": ANDROID_CHAT.encode(),
            "IMG-20240312-WA0001.jpg": JPEG,
            "PTT-20240313-WA0003.opus": b"OggS voice",
            "../evil.jpg": b"evil",
            "bomb.bin": bytes(50 * 1024 * 1024),
        },
    )
    assert sniffs(path)
    items = parse(path)
    kinds = [type(i).__name__ for i in items]
    first_entry = kinds.index("ParsedEntry")
    photo = items[first_entry - 1]
    assert isinstance(photo, ParsedAttachment)  # yielded just before its message
    assert (photo.ref, photo.name, photo.media_type) == (
        "wa:IMG-20240312-WA0001.jpg",
        "IMG-20240312-WA0001.jpg",
        "image/jpeg",
    )
    assert photo.data == JPEG
    chat = entries(items)
    assert len(chat) == 3
    assert chat[0].attachment_refs == ("wa:IMG-20240312-WA0001.jpg",)
    assert chat[0].text == "IMG-20240312-WA0001.jpg (file attached)\nlook at this"
    assert chat[0].thread_key == "Alex"
    assert chat[1].attachment_refs == ()  # WA0002 is not in the zip
    assert chat[1].meta["attached_files"] == ["IMG-20240312-WA0002.jpg"]
    assert chat[2].meta.get("media_omitted") is True
    attachments = [i for i in items if isinstance(i, ParsedAttachment)]
    assert [a.name for a in attachments] == ["IMG-20240312-WA0001.jpg", "PTT-20240313-WA0003.opus"]
    assert attachments[1].media_type == "audio/ogg"
    said = problems(items)
    assert any("“../evil.jpg”" in p and "outside the zip" in p for p in said)
    assert any("“bomb.bin”" in p and "zip bomb" in p for p in said)
    assert any("IMG-20240312-WA0002.jpg" in p and "not found in the zip" in p for p in said)
    # The voice note is kept; the refused bomb is not counted as kept.
    assert any("not named by any message" in n and n.startswith("1 file ") for n in notes(items))
    assert not any(a.name == "evil.jpg" for a in attachments)


def test_ios_zip_named_after_the_chat(tmp_path):
    chat_text = (
        "[12/03/2024, 22:15:30] Alex: \u200e<attached: 00000012-PHOTO-2024-03-12-22-15-30.jpg>\n"
        "[12/03/2024, 22:15:31] Alex: see\n"
        "[13/03/2024, 07:00:00] Alex: \u200e<attached: 00000012-PHOTO-2024-03-12-22-15-30.jpg>\n"
    )
    path = make_zip(
        tmp_path / "WhatsApp Chat - Alex.zip",
        {"_chat.txt": chat_text.encode(), "00000012-PHOTO-2024-03-12-22-15-30.jpg": JPEG},
    )
    items = parse(path)
    attachments = [i for i in items if isinstance(i, ParsedAttachment)]
    assert len(attachments) == 1  # named twice, yielded once
    ref = "wa:00000012-PHOTO-2024-03-12-22-15-30.jpg"
    chat = entries(items)
    assert chat[0].attachment_refs == (ref,) and chat[2].attachment_refs == (ref,)
    assert chat[0].thread_key == "Alex"
    assert utc(chat[0].occurred_ms) == "2024-03-13T03:15:30Z"
    assert problems(items) == [] and notes(items) == [
        "Dates were read day-first: some can only be read that way."
    ]


def test_zip_without_a_chat_or_with_an_unsafe_chat_is_refused(tmp_path):
    cases = {
        "photos.zip": ({"a.jpg": JPEG, "b.jpg": JPEG}, "no WhatsApp chat text"),
        "slip.zip": ({"../_chat.txt": ANDROID_CHAT.encode()}, "unsafe path"),
        "bomb.zip": ({"_chat.txt": b"\n" * (20 * 1024 * 1024)}, "zip bomb"),
        "empty-chat.zip": ({"_chat.txt": b""}, "this file is empty"),
    }
    for name, (members, reason) in cases.items():
        with pytest.raises(UnreadableFile, match=reason):
            parse(make_zip(tmp_path / name, members))


def test_damaged_zip_is_refused(tmp_path):
    path = tmp_path / "WhatsApp Chat with Alex.zip"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(UnreadableFile, match="damaged"):
        parse(path)


def test_oversized_member_is_refused_by_declared_and_actual_size(tmp_path, monkeypatch):
    monkeypatch.setattr(whatsapp, "MAX_ATTACHMENT_BYTES", 1000)
    path = make_zip(
        tmp_path / "chat.zip",
        {"_chat.txt": ANDROID_CHAT.encode(), "IMG-20240312-WA0001.jpg": JPEG},
    )
    items = parse(path)
    assert not any(isinstance(i, ParsedAttachment) for i in items)
    assert any("larger than" in p for p in problems(items))
    assert entries(items)[0].attachment_refs == ()  # the message is still imported

    # A member that yields more bytes than allowed is stopped by counting what was read.
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("IMG-20240312-WA0001.jpg")
        with pytest.raises(whatsapp._TooLarge):
            whatsapp._Capped(zf.open(info), 100).read()


def test_sniff_reads_zip_names_from_a_truncated_head(tmp_path):
    noise = random.Random(7)
    media = {f"IMG-{n:04d}.jpg": noise.randbytes(30_000) for n in range(4)}
    path = make_zip(tmp_path / "export.zip", {"_chat.txt": ANDROID_CHAT.encode(), **media})
    data = path.read_bytes()
    assert len(data) > 65536
    assert whatsapp.sniff(data[:65536], "export.zip")  # no central directory in the head
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as zf:
        zf.writestr("notes.txt", "hello")
    assert not whatsapp.sniff(plain.getvalue(), "notes.zip")
