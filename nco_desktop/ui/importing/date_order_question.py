"""Asking how a chat writes its dates, when nothing in the chat decides (issue #18).

A chat whose every date reads two ways (09/03/2024: 9 March or 3 September) is not
guessed at: the reader stops, nothing is stored, and the import reports a question
with a sample line read both ways. Here the window asks it, for each such chat, with
both readings as the answers (never "day-first", a word nobody uses) and *Skip this
chat* as what Enter and Esc do; then the chats are imported again with the answer.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDateTime, QLocale
from PySide6.QtWidgets import QWidget

from nco_desktop.importers.batch import FileResult, ImportSummary, Outcome
from nco_desktop.safe_text import safe_line
from nco_desktop.ui.common import prompts

ORDERS = ("day-first", "month-first")


def _tr(text: str) -> str:
    return QCoreApplication.translate("DateOrderQuestion", text)


def reading_words(iso: object) -> str:
    """ "2024-03-09 22:15" as the person's own locale writes a date: "9 March 2024 22:15"."""
    try:
        moment = datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    shown = QDateTime.fromString(moment.strftime("%Y-%m-%dT%H:%M:00"), "yyyy-MM-ddTHH:mm:ss")
    return QLocale().toString(shown, "d MMMM yyyy, HH:mm")


def pending_choices(summary: ImportSummary) -> list[FileResult]:
    return [
        result
        for result in summary.results
        if result.outcome is Outcome.NEEDS_CHOICE and result.question is not None
    ]


def ask_date_orders(
    parent: QWidget | None, results: list[FileResult]
) -> list[tuple[list[Path], dict[str, str]]]:
    """For each chat, ask; return the imports to run again: (files, options), one per
    answer given (chats skipped are left out)."""
    chosen: dict[str, list[Path]] = {order: [] for order in ORDERS}
    for result in results:
        question = result.question or {}
        readings = [
            reading_words(question.get("day_first")),
            reading_words(question.get("month_first")),
        ]
        text = (
            _tr(
                "The dates in “%1” can be read two ways, and nothing in the chat says which "
                "is right. Line %2 says “%3”. Which date is it?"
            )
            .replace("%1", safe_line(result.name))
            .replace("%2", str(question.get("line", "?")))
            .replace("%3", safe_line(str(question.get("written", ""))))
        )
        answer = prompts.choose(
            parent,
            _tr("How are this chat's dates written?"),
            text,
            readings,
            cancel=_tr("Skip this chat"),
        )
        if answer is not None:
            chosen[ORDERS[answer]].append(Path(result.path))
    return [(paths, {"date_order": order}) for order, paths in chosen.items() if paths]
