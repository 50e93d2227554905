"""The window asks how a chat's dates are written when nothing in it decides (#18)."""

from __future__ import annotations

from nco_desktop.importers.batch import Outcome
from nco_desktop.ui.common import prompts
from nco_desktop.ui.importing.date_order_question import reading_words
from tests.conftest import write_file
from tests.e2e.test_date_order_choice import CHAT
from tests.ui.test_main_window import (  # noqa: F401 - fixtures
    clock,
    opened,
    saved_vault,
    window,
)


def _days(vault) -> list[str]:
    return [
        row[0]
        for row in vault.conn.execute(
            "SELECT date(occurred_ms / 1000, 'unixepoch', '-5 hours') FROM entries "
            "WHERE kind = 'message' ORDER BY occurred_ms"
        )
    ]


def test_the_answer_reads_the_chat_again_and_enter_skips_it(qtbot, window, saved_vault, tmp_path):  # noqa: F811
    vault = opened(qtbot, window, saved_vault)
    chat = write_file(tmp_path / "in" / "WhatsApp Chat with Alex Roe.txt", CHAT)
    other = write_file(tmp_path / "in" / "note.bin", b"\0\1\2 not a chat")
    window.imports.show_summary = False
    prompts.answer_next(None)  # Enter (the default) skips the chat: nothing is stored
    with qtbot.waitSignal(window.imports.import_finished, timeout=30_000):
        assert window.imports.start([chat, other])
    assert prompts.asked[-1].default == "Skip this chat"
    assert "3/9/24, 22:15" in prompts.asked[-1].text
    assert vault.conn.execute("SELECT count(*) FROM originals").fetchone()[0] == 1
    prompts.reset()
    # The first reading (3 September 2024); then "which of these names is you?" is
    # asked (tests/ui/test_owner_question.py): none of them, here.
    prompts.answer_next(0, None)
    finished = []
    window.imports.import_finished.connect(finished.append)
    assert window.imports.start([chat])
    qtbot.waitUntil(lambda: len(finished) == 3 and not window.imports.running, timeout=60_000)
    summary = window.imports.last_summary
    assert [r.outcome for r in summary.results] == [Outcome.IMPORTED]
    assert _days(vault) == ["2024-09-03", "2024-09-03", "2024-10-04"]


def test_the_readings_are_written_as_dates_people_use():
    assert reading_words("2024-09-03 22:15") == "3 September 2024, 22:15"


def test_a_hostile_file_name_is_shown_as_it_is_not_as_markup(qtbot):
    from nco_desktop.importers.batch import FileResult
    from nco_desktop.ui.importing.date_order_question import ask_date_orders

    name = "chat\u202etxt.exe <b>ok</b>.txt"
    result = FileResult(
        name,
        f"/tmp/{name}",
        Outcome.NEEDS_CHOICE,
        question={
            "line": 1,
            "written": "1/2/24\x1b[2J",
            "day_first": "2024-02-01 10:00",
            "month_first": "2024-01-02 10:00",
            "suggested": "",
            "senders": [],
        },
    )
    prompts.answer_next(None)
    assert ask_date_orders(None, [result]) == []
    text = prompts.asked[-1].text
    assert "\u202e" not in text and "\x1b" not in text
    assert "<b>ok</b>" in text  # shown literally (the box is plain text)


def test_a_chat_read_the_wrong_way_is_read_again_from_the_summary(
    qtbot,
    window,  # noqa: F811
    saved_vault,  # noqa: F811
    tmp_path,
):
    """The user chose the wrong order; dropping the chat again, the summary offers to
    read it again, which asks the order anew and replaces the entries (#18)."""
    vault = opened(qtbot, window, saved_vault)
    chat = write_file(tmp_path / "in" / "WhatsApp Chat with Alex Roe.txt", CHAT)
    finished = []
    window.imports.import_finished.connect(finished.append)
    window.imports.show_summary = False
    prompts.answer_next(1, None)  # 9 March (wrong); none of these names is me
    assert window.imports.start([chat])
    qtbot.waitUntil(lambda: len(finished) == 3 and not window.imports.running, timeout=60_000)
    assert _days(vault) == ["2024-03-09", "2024-03-09", "2024-04-10"]
    window.imports.show_summary = True
    assert window.imports.start([chat])  # the same file: already in the vault
    qtbot.waitUntil(lambda: len(finished) == 4 and not window.imports.running, timeout=60_000)
    dialog = window.imports.summary_dialog
    assert dialog is not None and dialog.read_again_button is not None
    assert not dialog.read_again_button.autoDefault()  # Enter keeps OK
    prompts.reset()
    prompts.answer_next(True, 0, None)  # read again; 3 September; none of these is me
    window.imports.show_summary = False
    dialog.read_again_button.click()
    qtbot.waitUntil(lambda: len(finished) == 7 and not window.imports.running, timeout=60_000)
    assert prompts.asked[0].default == "Keep as they are"
    assert _days(vault) == ["2024-09-03", "2024-09-03", "2024-10-04"]  # replaced, not added
