"""Which sender is the user: one rule for every chat format (issue #18)."""

from __future__ import annotations

import pytest

from nco_desktop.importers.formats.chat_owner import (
    UNKNOWN_NOTE,
    OwnerNeeded,
    chat_owner,
    same_name,
)

SENDERS = ["Alex Roe", "Jordan Lee"]


def test_the_users_choice_wins_whatever_the_case_and_marks():
    assert chat_owner({"me": " jordan LEE "}, SENDERS) == ("Jordan Lee", None)
    assert same_name("\u200eJordan Lee\u202c", "jordan lee")


def test_several_chosen_names_one_per_line_any_may_match():
    assert chat_owner({"me": "Jo\nJordan Lee"}, SENDERS)[0] == "Jordan Lee"


def test_what_the_export_marks_wins_over_a_name():
    owner, note = chat_owner({"me": "Sam"}, [*SENDERS, "Me"], found="Me", why="Signal says so.")
    assert owner == "Me" and note is not None and note.message == "Signal says so."
    # The user is "Alex Roe" on WhatsApp; in this Telegram group another Alex Roe
    # writes, and the export's account id says the user is "A. Roe".
    owner, _ = chat_owner({"me": "Alex Roe"}, [*SENDERS, "A. Roe"], found="A. Roe")
    assert owner == "A. Roe"


def test_asking_stops_the_reader_with_the_senders_to_choose_from():
    with pytest.raises(OwnerNeeded) as raised:
        chat_owner({"ask_me": "1"}, ["Jordan Lee", "Alex Roe", "Alex Roe"])
    assert raised.value.question.as_dict() == {"ask": "me", "senders": SENDERS}
    assert "--me NAME" in str(raised.value)


def test_a_stored_name_nobody_here_has_is_asked_again_in_the_window():
    with pytest.raises(OwnerNeeded):
        chat_owner({"me": "Sam", "ask_me": "1"}, SENDERS)


def test_a_name_nobody_here_has_means_everyone_is_someone_else_and_says_so():
    owner, note = chat_owner({"me": "Sam"}, SENDERS)
    assert owner == "Sam"
    assert note is not None and "“Alex Roe”, “Jordan Lee”" in note.message


def test_without_a_choice_the_import_says_directions_are_unknown():
    owner, note = chat_owner({}, SENDERS)
    assert owner is None and note is not None and note.message == UNKNOWN_NOTE
    assert chat_owner({}, []) == (None, None)  # nobody wrote: nothing to say


def test_a_name_with_other_spaces_is_the_same_name_so_the_question_ends():
    """Found in review: "Sam\u00a0Doe" was kept as "Sam Doe", never matched again, and
    the window asked the same question on every round."""
    assert same_name("Sam\u00a0Doe", "Sam Doe") and same_name("Sam  Doe", "sam doe")
    assert chat_owner({"me": "Sam Doe", "ask_me": "1"}, ["Alex", "Sam\u00a0Doe"])[0] == (
        "Sam\u00a0Doe"
    )


def test_a_name_too_long_to_ask_about_is_not_offered():
    """The window's question carries names up to 200 characters (sandbox.wire)."""
    with pytest.raises(OwnerNeeded) as raised:
        chat_owner({"ask_me": "1"}, ["Alex", "S" * 201])
    assert raised.value.question.senders == ("Alex",)
    owner, note = chat_owner({"ask_me": "1"}, ["S" * 201])
    assert owner is None and note is not None and note.message == UNKNOWN_NOTE
