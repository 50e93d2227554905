"""Signal (signal-export) and iMessage (imessage-exporter): who is the user, and the nights
clocks change (issue #18).

Every file here is written from the exporters' own descriptions of their output:
signal-export's ``Message.to_md`` (``[%Y-%m-%d %H:%M:%S] Sender: body`` plus two spaces,
``Me`` for ``type == "outgoing"``, one ``chat.md`` per conversation folder, messages
ordered by when they were sent), and imessage-exporter's TXT and HTML writers (a time
line ``%b %d, %Y %l:%M:%S %p``, then the sender: ``Me``, or the ``--custom-name``; in HTML
``div.sent`` for the owner's bubbles, ``div.received`` for others', threaded replies
repeated inside ``div.replies``; messages in time order).

The vault zone is America/New_York: on 2024-11-03 01:00–01:59 happens twice (EDT, then
EST), and on 2024-03-10 02:00–02:59 never happens.
"""

from __future__ import annotations

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nco_desktop.evidence.records import Direction, TimePrecision
from nco_desktop.importers.formats import imessage_export, signal_txt
from nco_desktop.importers.formats.chat_owner import UNKNOWN_NOTE, OwnerNeeded
from nco_desktop.importers.formats.line_clock import GAP_MOVED_NOTE
from nco_desktop.importers.formats.wall_clock import FOLD_NOTE
from nco_desktop.importers.model import FormatNote, ParsedEntry, ParseSource
from nco_desktop.timekeeping import iso_z_from_ms

ZONE = ZoneInfo("America/New_York")


def read(module: object, path: Path, **options: str) -> list:
    source = ParseSource(path, path.name, ZONE, "US", None, dict(options))
    assert module.sniff(path.read_bytes()[:65536], path.name)  # type: ignore[attr-defined]
    return list(module.parse(source))  # type: ignore[attr-defined]


def entries(items: list) -> list[ParsedEntry]:
    return [i for i in items if isinstance(i, ParsedEntry)]


def notes(items: list) -> list[str]:
    return [i.message for i in items if isinstance(i, FormatNote)]


def utc(entry: ParsedEntry) -> str:
    assert entry.occurred_ms is not None
    return iso_z_from_ms(entry.occurred_ms)


def signal_chat(folder: Path, lines: list[str], name: str = "Rex Roe") -> Path:
    (folder / name).mkdir(parents=True, exist_ok=True)
    path = folder / name / "chat.md"
    path.write_text("".join(f"{line}  \n" for line in lines), encoding="utf-8")
    return path


# ----- Signal: the night clocks go back ---------------------------------------------------

FALL_BACK = [
    "[2024-11-03 00:55:00] Rex Roe: you up?",
    "[2024-11-03 01:30:00] Rex Roe: answer me",
    "[2024-11-03 01:45:00] Me: leave me alone",
    "[2024-11-03 01:30:00] Rex Roe: I am outside",  # the second 01:30: an hour later
    "[2024-11-03 01:50:00] Me: calling the police",
    "[2024-11-03 02:10:00] Rex Roe: ok",
]


def test_signal_repeated_hour_is_settled_by_the_order_of_the_lines(tmp_path: Path):
    items = read(signal_txt, signal_chat(tmp_path, FALL_BACK))
    found = entries(items)
    assert [utc(e) for e in found] == [
        "2024-11-03T04:55:00Z",
        "2024-11-03T05:30:00Z",
        "2024-11-03T05:45:00Z",
        "2024-11-03T06:30:00Z",  # not 05:30, before "leave me alone"
        "2024-11-03T06:50:00Z",
        "2024-11-03T07:10:00Z",
    ]
    assert [e.utc_offset_min for e in found] == [-240, -240, -240, -300, -300, -300]
    assert [e.meta.get("fold") for e in found] == [None, 0, 0, 1, 1, None]
    assert {e.time_precision for e in found} == {TimePrecision.SECOND}  # known: exact
    assert not any("time_ambiguity" in e.meta for e in found)
    assert "second time" in found[3].meta["time_note"]
    assert any("order of the lines showed" in n for n in notes(items))


def test_signal_identities_do_not_change_for_vaults_that_imported_before(tmp_path: Path):
    """The keys and parties the reader gave before #18, so a re-import does not double."""
    found = entries(read(signal_txt, signal_chat(tmp_path, FALL_BACK)))
    assert [(e.dedup_key, e.party, e.direction) for e in found[1:3]] == [
        ("signal:7e2800dcae0cf3f6c785db2d4172da9f", "Rex Roe", Direction.INCOMING),
        ("signal:6e7cf42495390e298d944df6a4ac5d2a", "Rex Roe", Direction.OUTGOING),
    ]


def test_signal_repeated_hour_without_a_step_is_marked_approximate(tmp_path: Path):
    path = signal_chat(
        tmp_path,
        [
            "[2024-11-03 01:30:00] Rex Roe: answer me",
            "[2024-11-03 01:45:00] Rex Roe: answer me now",  # first pass? second? both?
            "[2024-11-03 02:10:00] Me: no",
        ],
    )
    items = read(signal_txt, path)
    first, second, after = entries(items)
    for entry in (first, second):
        assert entry.time_precision is TimePrecision.MINUTE  # shown ≈
        assert entry.meta["time_ambiguity"] == "fold" and entry.meta["time_note"] == FOLD_NOTE
    assert (utc(first), utc(second)) == ("2024-11-03T05:30:00Z", "2024-11-03T05:45:00Z")
    assert (after.time_precision, after.meta.get("time_ambiguity")) == (TimePrecision.SECOND, None)
    assert any("nothing shows which time round" in n for n in notes(items))


def test_signal_a_step_of_seconds_is_a_senders_clock_not_the_clocks_going_back(tmp_path: Path):
    """signal-export orders by sending time but shows the server's when it is earlier."""
    path = signal_chat(
        tmp_path,
        [
            "[2024-11-03 01:30:20] Rex Roe: one",
            "[2024-11-03 01:30:05] Rex Roe: two",
        ],
    )
    one, two = entries(read(signal_txt, path))
    assert one.meta["time_ambiguity"] == two.meta["time_ambiguity"] == "fold"
    assert (utc(one), utc(two)) == ("2024-11-03T05:30:20Z", "2024-11-03T05:30:05Z")


def test_signal_several_steps_mean_the_lines_are_not_in_order(tmp_path: Path):
    path = signal_chat(
        tmp_path,
        [
            "[2024-11-03 01:40] Rex Roe: a",  # the older ``[date, time]``-less-seconds form
            "[2024-11-03 01:10] Rex Roe: b",
            "[2024-11-03 01:50] Rex Roe: c",
            "[2024-11-03 01:20] Rex Roe: d",
        ],
    )
    found = entries(read(signal_txt, path))
    assert {e.meta.get("time_ambiguity") for e in found} == {"fold"}
    assert {e.time_precision for e in found} == {TimePrecision.MINUTE}


# ----- Signal: the night clocks go forward ------------------------------------------------


def test_signal_time_that_did_not_exist_sorts_between_its_neighbours(tmp_path: Path):
    path = signal_chat(
        tmp_path,
        [
            "[2024-03-10 01:50:00] Rex Roe: still awake",
            "[2024-03-10 02:30:00] Rex Roe: no clock here showed this",
            "[2024-03-10 03:05:00] Me: stop",
        ],
    )
    items = read(signal_txt, path)
    before, missing, after = entries(items)
    assert (utc(before), utc(missing), utc(after)) == (
        "2024-03-10T06:50:00Z",
        "2024-03-10T07:00:00Z",  # the moment of the change, not 03:30 EDT (07:30Z)
        "2024-03-10T07:05:00Z",
    )
    assert missing.utc_offset_min == -240
    assert missing.time_precision is TimePrecision.MINUTE
    assert missing.meta["time_ambiguity"] == "gap"
    assert missing.meta["time_note"] == GAP_MOVED_NOTE
    assert after.time_precision is TimePrecision.SECOND
    assert any("did not exist" in n for n in notes(items))


# ----- Signal: which sender is the user ---------------------------------------------------

NAMED = [
    "[2024-05-01 20:00:00] Rex Roe: where are you",
    "[2024-05-01 20:01:00] Jane Doe: do not contact me",
]


def test_signal_me_from_the_export_says_how_it_was_known(tmp_path: Path):
    items = read(signal_txt, signal_chat(tmp_path, FALL_BACK))
    assert any("signal-export writes your own messages as “Me”" in n for n in notes(items))
    mine = [e for e in entries(items) if e.meta["sender"] == "Me"]
    assert {(e.direction, e.party) for e in mine} == {(Direction.OUTGOING, "Rex Roe")}


def test_signal_named_user_is_outgoing_to_the_other_person(tmp_path: Path):
    path = signal_chat(tmp_path, NAMED, name="renamed")
    renamed = path.with_name("jane and rex.md")  # a renamed copy: no folder-named thread
    path.rename(renamed)
    rex, jane = entries(read(signal_txt, renamed, me="jane doe"))
    assert (rex.direction, rex.party, rex.meta["sender"]) == (
        Direction.INCOMING,
        "Rex Roe",
        "Rex Roe",
    )
    assert (jane.direction, jane.party, jane.meta["sender"]) == (
        Direction.OUTGOING,
        "Rex Roe",  # to him; her own words never count as contact by him
        "Jane Doe",
    )
    assert rex.thread_key == jane.thread_key == "Rex Roe"


def test_signal_without_me_asks_or_says_directions_are_unknown(tmp_path: Path):
    path = signal_chat(tmp_path, NAMED)
    with pytest.raises(OwnerNeeded) as asked:
        read(signal_txt, path, ask_me="1")
    assert asked.value.question.senders == ("Jane Doe", "Rex Roe")
    items = read(signal_txt, path)
    assert UNKNOWN_NOTE in notes(items)
    assert [(e.direction, e.party) for e in entries(items)] == [
        (None, "Rex Roe"),
        (None, "Jane Doe"),
    ]


# ----- iMessage TXT -----------------------------------------------------------------------


def imessage_txt(folder: Path, blocks: list[tuple[str, str, str]], name: str = "Rex Roe") -> Path:
    """imessage-exporter's TXT: time line, sender line, body, a blank line."""
    path = folder / f"{name}.txt"
    path.write_text("".join(f"{s}\n{who}\n{body}\n\n" for s, who, body in blocks), "utf-8")
    return path


def test_imessage_txt_repeated_hour_and_identities(tmp_path: Path):
    path = imessage_txt(
        tmp_path,
        [
            ("Nov 03, 2024  1:40:00 AM", "Rex Roe", "answer me"),
            ("Nov 03, 2024  1:50:00 AM", "Me", "leave me alone"),
            ("Nov 03, 2024  1:20:00 AM", "Rex Roe", "I am outside"),  # second 01:20
        ],
    )
    items = read(imessage_export, path)
    found = entries(items)
    assert [utc(e) for e in found] == [
        "2024-11-03T05:40:00Z",
        "2024-11-03T05:50:00Z",
        "2024-11-03T06:20:00Z",
    ]
    assert [e.meta["fold"] for e in found] == [0, 0, 1]
    assert {e.time_precision for e in found} == {TimePrecision.SECOND}
    assert any("imessage-exporter writes your own messages as “Me”" in n for n in notes(items))
    # What the reader gave before #18, so a vault that imported this does not double.
    assert [(e.dedup_key, e.party, e.direction) for e in found] == [
        ("imsg:d39e6c4bf0f74f2be12a25f849ae3cfc", "Rex Roe", Direction.INCOMING),
        ("imsg:4d30b6aa155fd6d1ca9a3c00b1126921", "Rex Roe", Direction.OUTGOING),
        ("imsg:baf516edca1b624475a305b04aac03e5", "Rex Roe", Direction.INCOMING),
    ]


def test_imessage_txt_ambiguous_and_skipped_times_are_marked(tmp_path: Path):
    path = imessage_txt(
        tmp_path,
        [
            ("Mar 10, 2024  1:59:00 AM", "Rex Roe", "before"),
            ("Mar 10, 2024  2:15:00 AM", "Rex Roe", "never on a clock here"),
            ("Mar 10, 2024  3:01:00 AM", "Me", "after"),
            ("Nov 03, 2024  1:15:00 AM", "Rex Roe", "once or twice?"),
            ("Nov 03, 2024  2:00:00 AM", "Me", "plain again"),
        ],
    )
    before, missing, after, doubtful, plain = entries(read(imessage_export, path))
    assert utc(before) < utc(missing) < utc(after)
    assert utc(missing) == "2024-03-10T07:00:00Z"
    assert (missing.time_precision, missing.meta["time_ambiguity"]) == (
        TimePrecision.MINUTE,
        "gap",
    )
    assert (doubtful.time_precision, doubtful.meta["time_ambiguity"]) == (
        TimePrecision.MINUTE,
        "fold",
    )
    assert utc(doubtful) == "2024-11-03T05:15:00Z"  # the first, where it always was
    assert {before.time_precision, after.time_precision, plain.time_precision} == {
        TimePrecision.SECOND
    }


CUSTOM = [
    ("May 01, 2024  8:00:00 PM", "Rex Roe", "where are you"),
    ("May 01, 2024  8:01:00 PM", "Jane", "do not contact me"),  # --custom-name Jane
]


def test_imessage_txt_custom_name_needs_the_users_choice(tmp_path: Path):
    path = imessage_txt(tmp_path, CUSTOM)
    with pytest.raises(OwnerNeeded) as asked:
        read(imessage_export, path, ask_me="1")
    assert asked.value.question.senders == ("Jane", "Rex Roe")
    unknown = read(imessage_export, path)
    assert UNKNOWN_NOTE in notes(unknown)
    assert {e.direction for e in entries(unknown)} == {None}
    rex, jane = entries(read(imessage_export, path, me="Jane"))
    assert (rex.direction, rex.party) == (Direction.INCOMING, "Rex Roe")
    assert (jane.direction, jane.party, jane.meta["sender"]) == (
        Direction.OUTGOING,
        "Rex Roe",
        "Jane",
    )


# ----- iMessage HTML ----------------------------------------------------------------------


def bubble(side: str, stamp: str, who: str, text: str, replies: str = "") -> str:
    """One message as imessage-exporter's HTML writer lays it out."""
    kind = "sent iMessage" if side == "sent" else "received"
    # Each threaded reply: <div class="reply" id=guid> around a whole message div.
    inner = (
        f'<div class="replies"><div class="reply" id="r1"><div class="message">{replies}'
        "</div></div></div>"
        if replies
        else ""
    )
    return (
        f'<div class="{kind}"><p><span class="timestamp">{stamp}</span>'
        f'<span class="sender">{who}</span></p>'
        f'<hr><div class="message_part"><span class="bubble">{text}</span></div>{inner}</div>'
    )


def test_imessage_html_bubbles_say_whose_and_replies_follow_their_top_level_copy(
    tmp_path: Path,
):
    reply = bubble("sent", "Nov 03, 2024  1:20:00 AM", "Jane", "I am calling 911")
    page = (
        "<html><body>"
        f'<div class="message">'
        f"{bubble('received', 'Nov 03, 2024  1:40:00 AM', 'Rex Roe', 'open up', reply)}"
        "</div>"
        f'<div class="message">'
        f"{bubble('received', 'Nov 03, 2024  1:50:00 AM', 'Rex Roe', 'I know you are in')}"
        "</div>"
        f'<div class="message">{reply}</div>'
        "</body></html>"
    )
    path = tmp_path / "Rex Roe.html"
    path.write_text(page, encoding="utf-8")
    items = read(imessage_export, path, ask_me="1")  # the bubbles decide: nothing to ask
    opened, nested, knows, top = entries(items)
    assert nested.meta["reply_to"] == opened.dedup_key
    assert [utc(e) for e in (opened, knows, top, nested)] == [
        "2024-11-03T05:40:00Z",
        "2024-11-03T05:50:00Z",
        "2024-11-03T06:20:00Z",  # after 01:50 EDT: the second 01:20
        "2024-11-03T06:20:00Z",  # the threaded copy takes its top-level copy's pass
    ]
    assert (top.meta["fold"], nested.meta["fold"]) == (1, 1)
    # --custom-name Jane: the "sent" bubble makes her the user without being told.
    assert {(e.direction, e.party) for e in (top, nested)} == {(Direction.OUTGOING, "Rex Roe")}
    assert (opened.direction, opened.party) == (Direction.INCOMING, "Rex Roe")
    assert not any("you" in n.lower() and "sender" in n.lower() for n in notes(items))
