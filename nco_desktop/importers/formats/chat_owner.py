"""Which sender in a chat export is the user: the rule every chat format follows (#18).

WhatsApp, Signal, Telegram, Messenger and iMessage exports write the phone owner's own
messages under a name, like anyone else's. Until the program knows which name is the
user's, a message has no direction, and the user's own words could be counted as
contacts by the other person. The answer comes, strongest first, from:

1. the export itself (*found*): Signal's "Me", Telegram's account owner, the one
   WhatsApp sender who wrote "You deleted this message". It names this chat's owner
   exactly, where a name may not: the user's "Dana" on WhatsApp can be someone else
   in a Telegram group;
2. the user's choice (option ``me``, from ``--me NAME`` or the window's question, kept
   once per vault), when a sender in this chat has that name;
3. asking: with option ``ask_me`` (the window sets it), :class:`OwnerNeeded` stops the
   reader before anything is stored and carries the senders to choose from;
4. nobody: directions stay unknown, and the import says so in a note.

``me`` may hold several names, one per line: people are "Jane" on WhatsApp and
"Jane Doe" on Telegram, and the vault keeps every name the user chose.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass

from nco_desktop.importers.model import FormatNote, UnreadableFile

ME_OPTION = "me"
ASK_OPTION = "ask_me"
#: Invisible direction marks phones put around names (WhatsApp on right-to-left phones).
_MARKS = "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
UNKNOWN_NOTE = (
    "Which sender is you is not known, so these messages have no direction (sent or "
    "received). Import the chat again naming yourself (--me NAME)."
)
MAX_SENDERS = 20  # the window lists at most this many names (see sandbox.wire.question)
MAX_NAME = 200  # and names at most this long; a longer one cannot be chosen


def same_name(a: str, b: str) -> bool:
    """One name, whatever the case, the invisible marks around it and the kind of
    spaces in it ("Sam\u00a0Doe" is "Sam Doe": the vault keeps names one per line,
    with their spaces made plain)."""
    return _plain(a) == _plain(b)


def _plain(name: str) -> str:
    return " ".join(name.strip(_MARKS).split()).strip(_MARKS + " ").casefold()


def my_names(options: dict[str, str]) -> list[str]:
    """The names the user said are theirs (option ``me``, one per line)."""
    return [name.strip() for name in options.get(ME_OPTION, "").splitlines() if name.strip()]


@dataclass(frozen=True)
class OwnerQuestion:
    """What the window asks: "which of these names is you?"; JSON-ready."""

    senders: tuple[str, ...]

    def as_dict(self) -> dict[str, object]:
        return {"ask": "me", **dataclasses.asdict(self), "senders": list(self.senders)}


class OwnerNeeded(UnreadableFile):
    """The user's name is needed to give messages a direction: ask, do not guess.

    Raised only when the caller can ask (option ``ask_me``). A subclass of
    UnreadableFile so code knowing nothing of it still stops with the sentence.
    """

    def __init__(self, senders: list[str]) -> None:
        self.question = OwnerQuestion(tuple(senders[:MAX_SENDERS]))
        super().__init__(
            "which of the people in this chat is you is not known: import it again "
            "naming yourself (--me NAME)"
        )


def chat_owner(
    options: dict[str, str],
    senders: Iterable[str],
    *,
    found: str | None = None,
    why: str = "",
) -> tuple[str | None, FormatNote | None]:
    """The sender name that is the user in this chat (or None), and a note saying how
    it was decided or why it could not be; may raise :class:`OwnerNeeded`.

    When the user named themselves and no sender has that name, their name is still
    returned: they wrote nothing here, so every sender is someone else (and a note
    lists the senders, in case the name was spelled another way).

    *senders*: every name that wrote in the chat (system lines excluded). *found*: the
    name the export itself marks as the owner's, and *why*, the sentence saying how.
    """
    names = sorted(set(senders))
    if found is not None:  # the export's own mark beats a name: "Dana" may be two people
        return found, FormatNote(why) if why else None
    for mine in my_names(options):
        for sender in names:
            if same_name(mine, sender):
                return sender, None
    askable = [name for name in names if len(name) <= MAX_NAME]  # the wire's limit
    if askable and options.get(ASK_OPTION):
        raise OwnerNeeded(askable)
    chosen = my_names(options)
    if chosen and names:
        listed = ", ".join(f"“{name}”" for name in names[:MAX_SENDERS])
        you = " or ".join(f"“{name}”" for name in chosen)
        return chosen[0], FormatNote(
            f"No message in this chat is from {you} (you): every sender ({listed}) was "
            "read as someone else."
        )
    if names:
        return None, FormatNote(UNKNOWN_NOTE)
    return None, None
