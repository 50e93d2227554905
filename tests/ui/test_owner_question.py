"""The window asks "which of these names is you?" once per vault (issue #18)."""

from __future__ import annotations

from pathlib import Path

from nco_desktop.importers.batch import FileResult, Outcome
from nco_desktop.importers.chat_names import my_chat_names
from nco_desktop.ui.common import prompts
from nco_desktop.ui.importing.owner_question import NOT_ASKING, ask_owners
from tests.conftest import write_file
from tests.ui.test_main_window import (  # noqa: F401 - fixtures
    clock,
    opened,
    saved_vault,
    window,
)

CHAT = (
    "13/03/2024, 22:14 - Alex Roe: where are you\n"
    "13/03/2024, 22:15 - Sam Doe: stop writing to me\n"
    "14/03/2024, 07:02 - Alex Roe: answer me\n"
)
LATER = "15/03/2024, 09:00 - Alex Roe: I saw your car\n15/03/2024, 09:01 - Sam Doe: stop\n"


def _directions(vault) -> list[tuple[str | None, str | None, str]]:
    return list(
        vault.conn.execute(
            "SELECT direction, party, text FROM entries WHERE kind = 'message' "
            "ORDER BY occurred_ms, id"
        )
    )


def _import(qtbot, window, paths, answers) -> None:  # noqa: F811
    prompts.reset()
    prompts.answer_next(*answers)
    finished: list[object] = []
    window.imports.import_finished.connect(finished.append)
    assert window.imports.start(paths)
    qtbot.waitUntil(lambda: bool(finished) and not window.imports.running, timeout=60_000)
    qtbot.waitUntil(lambda: not window.imports.running and not window.imports._queued)
    window.imports.import_finished.disconnect(finished.append)


def test_the_name_chosen_gives_directions_and_is_not_asked_again(
    qtbot,
    window,  # noqa: F811
    saved_vault,  # noqa: F811
    tmp_path,
):
    vault = opened(qtbot, window, saved_vault)
    window.imports.show_summary = False
    chat = write_file(tmp_path / "in" / "WhatsApp Chat with Alex Roe.txt", CHAT)
    _import(qtbot, window, [chat], [1])  # "Sam Doe" (the names are sorted)
    question = [a for a in prompts.asked if a.title == "Which of these names is you?"]
    assert len(question) == 1 and question[0].default == "None of these is me"
    assert "WhatsApp Chat with Alex Roe.txt" in question[0].text
    assert _directions(vault) == [
        ("incoming", "Alex Roe", "where are you"),
        ("outgoing", "Alex Roe", "stop writing to me"),  # the chat's other person
        ("incoming", "Alex Roe", "answer me"),
    ]
    assert my_chat_names(vault) == ["Sam Doe"]
    assert [r.outcome for r in window.imports.last_summary.results] == [Outcome.IMPORTED]
    later = write_file(tmp_path / "in2" / "WhatsApp Chat with Alex Roe.txt", LATER)
    _import(qtbot, window, [later], [])  # a question now would fail the test (strict)
    assert not [a for a in prompts.asked if a.title == "Which of these names is you?"]
    assert _directions(vault)[-1] == ("outgoing", "Alex Roe", "stop")


def test_enter_imports_the_chat_without_directions_and_keeps_no_name(
    qtbot,
    window,  # noqa: F811
    saved_vault,  # noqa: F811
    tmp_path,
):
    vault = opened(qtbot, window, saved_vault)
    window.imports.show_summary = False
    chat = write_file(tmp_path / "in" / "WhatsApp Chat with Alex Roe.txt", CHAT)
    _import(qtbot, window, [chat], [None])
    assert [d for d, _p, _t in _directions(vault)] == [None, None, None]
    assert my_chat_names(vault) == []


def test_names_from_a_file_are_shown_as_text_and_answered_as_written(qtbot):
    name = "Al\u202eex <b>Roe</b>"
    result = FileResult(
        "chat.txt",
        "/tmp/chat.txt",
        Outcome.NEEDS_CHOICE,
        question={"ask": "me", "senders": [name, "Sam"]},
    )
    prompts.reset()
    prompts.answer_next(0)
    assert ask_owners(None, [result]) == [([Path("/tmp/chat.txt")], {"me": name})]
    prompts.answer_next(None)
    assert ask_owners(None, [result])[0][1] == NOT_ASKING
