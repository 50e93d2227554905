"""Asking "which of these names is you?" for a chat export (issue #18).

A chat export writes the user's own messages under a name, like anyone else's. Until
the program knows which name is the user's, no message has a direction, and the user's
own words could be counted as contacts by the other person. The window asks once per
vault (the names chosen are kept, see :func:`importers.chat_names.chat_options`); a chat
whose senders include none of them asks again. Enter and Esc answer "None of these is
me": the chat is then imported without directions, which is safe, never with a guess.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from nco_desktop.importers.batch import FileResult
from nco_desktop.importers.formats.chat_owner import ASK_OPTION, ME_OPTION
from nco_desktop.safe_text import safe_line
from nco_desktop.ui.common import prompts

#: Options for a chat whose owner the user could not name: read it without asking.
NOT_ASKING = {ASK_OPTION: ""}


def _tr(text: str) -> str:
    return QCoreApplication.translate("OwnerQuestion", text)


def ask_owners(
    parent: QWidget | None, results: list[FileResult]
) -> list[tuple[list[Path], dict[str, str]]]:
    """For each chat, ask; return the imports to run again: (files, options), one per
    name chosen, and one for the chats where the user chose none."""
    chosen: dict[str, list[Path]] = {}
    nobody: list[Path] = []
    for result in results:
        question = result.question or {}
        listed = question.get("senders")
        senders = [str(name) for name in (listed if isinstance(listed, list) else [])]
        text = _tr(
            "Your own messages in “%1” are written under your name, like everyone "
            "else's. Which of these names is you? The answer is kept for this vault, "
            "so your messages are marked as sent by you and never counted as contact "
            "from someone else."
        ).replace("%1", safe_line(result.name))
        answer = prompts.choose(
            parent,
            _tr("Which of these names is you?"),
            text,
            [safe_line(name) for name in senders],  # words from a file, shown as text
            cancel=_tr("None of these is me"),
        )
        if answer is None:
            nobody.append(Path(result.path))
        else:
            chosen.setdefault(senders[answer], []).append(Path(result.path))
    again = [(paths, {ME_OPTION: name}) for name, paths in chosen.items()]
    if nobody:
        again.append((nobody, dict(NOT_ASKING)))
    return again
