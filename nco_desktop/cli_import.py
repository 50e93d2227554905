"""``nco-desktop import``: files and folders into the vault, a summary at the end.

The window and this command call the same service (:func:`importers.batch.import_paths`)
with the same reading options (:func:`importers.chat_names.chat_options`); only the
words differ: one line per file, then what to run next when a file needs a choice.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from contextlib import AbstractContextManager

from nco_desktop.errors import NcoError
from nco_desktop.importers.batch import Outcome, import_paths
from nco_desktop.importers.chat_names import chat_options
from nco_desktop.importers.paths import LINK_REFUSED
from nco_desktop.vault import Vault

Say = Callable[..., None]
OpenVault = Callable[[argparse.Namespace], AbstractContextManager[Vault]]


def cmd_import(args: argparse.Namespace, say: Say, open_vault: OpenVault) -> int:
    """Import files and folders, then say what happened to each, in order."""
    try:
        options = _parse_map(args.map)
    except ValueError as exc:
        raise NcoError(str(exc)) from None
    if args.date_order:
        options["date_order"] = args.date_order
    if args.me:
        options["me"] = args.me
    with open_vault(args) as vault:
        options = chat_options(vault, options, ask=False)
        summary = import_paths(
            vault,
            list(args.paths),
            options=options,
            follow_symlinks=args.follow_symlinks,
            again=args.again,
        )
    width = max(len(o.value) for o in Outcome)
    for result in summary.results:
        detail = result.message
        if result.outcome is Outcome.IMPORTED:
            noun = "entry" if result.entries_added == 1 else "entries"
            detail = f"{result.kind}, {result.entries_added} {noun}"
            if result.duplicates:
                detail += f", {result.duplicates} already in the vault"
            if result.message:
                detail += f" ({result.message})"
        say(f"  {result.outcome.value:<{width}}  {result.name} — {detail}")
        for problem in result.problems:
            say(f"  {'':<{width}}    ! {problem}")
    say(summary.headline())
    chose = args.date_order or args.map or args.me
    if chose and not args.again and summary.count(Outcome.DUPLICATE):
        say(
            "Files already in the vault were not read again. To read them with these "
            "settings, replacing what they put on the timeline, add --again."
        )
    if any(result.message == LINK_REFUSED for result in summary.results):
        say("To import what a link named here points to, add --follow-symlinks.")
    if summary.count(Outcome.NEEDS_CHOICE):
        say(
            "Nothing was stored from the file(s) above marked “needs a choice”: run the "
            "import again with --date-order day-first or --date-order month-first.",
            err=True,
        )
        return 2
    return 0 if summary.all_ok else 1


def _parse_map(pairs: list[str] | None) -> dict[str, str]:
    """``--map date=When,number=Phone`` (repeatable) → {"date": "When", "number": "Phone"}."""
    mapping: dict[str, str] = {}
    for chunk in pairs or []:
        for pair in chunk.split(","):
            key, sep, column = pair.partition("=")
            if not sep or not key.strip() or not column.strip():
                raise ValueError(f"“{pair}” is not a column mapping like date=When")
            mapping[key.strip().lower()] = column.strip()
    return mapping
