"""The command line's ``translate``: the English translation of an entry in another
language, which the binder prints after the entry's exhibit with a translator's
declaration (California Rule of Court 3.1110(g) asks for one).

``translate ENTRY_ID`` shows it; ``--language L (--text T | --from-file F)
[--translator NAME]`` saves it; ``--remove`` removes it. Every write goes through
:mod:`nco_desktop.evidence.translations` (one audited change, as the window's), and
every message says what happened. A file named with ``--from-file`` is the user's own
words, read as UTF-8 text here: it is not evidence and is not stored as a file.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nco_desktop.cli_case import OpenVault, Say
from nco_desktop.errors import NcoError
from nco_desktop.evidence.translations import (
    MAX_TRANSLATION_CHARS,
    Translation,
    set_translation,
    translation,
)
from nco_desktop.vault.connection import Connection

#: A UTF-8 character is at most 4 bytes: a file longer than this cannot fit.
_MOST_BYTES = 4 * MAX_TRANSLATION_CHARS + 4


def cmd_translate(args: argparse.Namespace, say: Say, open_vault: OpenVault) -> int:
    """Show, save or remove an entry's translation. Only showing runs beside an open
    window (it writes nothing); a refusal says why, and that nothing was changed."""
    entry_id = int(args.entry_id)
    if args.remove:
        if args.language or args.translator:
            raise NcoError("--remove takes no --language or --translator. Nothing was changed.")
        with open_vault(args) as vault:
            _require_entry(vault.conn, entry_id)
            if not set_translation(vault, entry_id, "", ""):
                say(f"Entry {entry_id} has no translation; nothing was removed.")
                return 0
        say(f"Removed the English translation of entry {entry_id}.")
        return 0
    if args.text is None and args.from_file is None:
        if args.language or args.translator:
            raise NcoError(
                "Give the translation with --text TEXT or --from-file PATH (or --remove "
                "to remove one). Nothing was changed."
            )
        with open_vault(args, writes=False) as vault:
            _require_entry(vault.conn, entry_id)
            found = translation(vault.conn, entry_id)
        _show(say, entry_id, found)
        return 0
    text = args.text if args.text is not None else _read(args.from_file)
    if not text.strip():
        raise NcoError(
            "The translation is empty. To remove one, use --remove. Nothing was changed."
        )
    if not (args.language or "").strip():
        raise NcoError(
            "Say which language the original is in with --language, for example "
            "--language Spanish. Nothing was changed."
        )
    with open_vault(args) as vault:
        _require_entry(vault.conn, entry_id)
        had = translation(vault.conn, entry_id)
        changed = set_translation(vault, entry_id, args.language, text, args.translator or "")
        saved = translation(vault.conn, entry_id)
    assert saved is not None
    if not changed:
        say(f"Entry {entry_id} already has this translation; nothing was changed.")
        return 0
    verb = "Replaced" if had is not None else "Saved"
    say(f"{verb} the English translation of entry {entry_id}: {_about(saved)}.")
    if saved.by_user:
        say(
            "The binder prints it after the entry's exhibit with a declaration for you to "
            "sign as its translator; a court may ask for a qualified interpreter's "
            "certified translation instead (--translator NAME names one)."
        )
    else:
        say(
            "The binder prints it after the entry's exhibit with a declaration for "
            f"{saved.translator} to sign."
        )
    return 0


def _about(found: Translation) -> str:
    """'from Spanish, translated by you, 42 characters': never the words themselves."""
    by = found.translator or "you"
    count = len(found.text)
    return (
        f"from {found.language}, translated by {by}, {count:,} character{'s' if count != 1 else ''}"
    )


def _show(say: Say, entry_id: int, found: Translation | None) -> None:
    if found is None:
        say(
            f"Entry {entry_id} has no English translation. Add one with: translate "
            f"{entry_id} --language LANGUAGE --text TEXT (or --from-file PATH)"
        )
        return
    say(f"Entry {entry_id}: English translation {_about(found)}:")
    for line in found.text.split("\n"):
        say(f"  {line}")


def _require_entry(conn: Connection, entry_id: int) -> None:
    row = conn.execute("SELECT 1 FROM entries WHERE id = ?", (entry_id,)).fetchone()
    if row is None:
        raise NcoError(f"There is no entry {entry_id} in this vault. Nothing was changed.")


def _read(path: Path) -> str:
    """The user's translation from the text file they named, as UTF-8."""
    if not path.is_file():  # a pipe or a device would be read until it ends, or never
        raise NcoError(f"“{path.name}” is not a text file. Nothing was changed.")
    try:
        with path.open("rb") as handle:
            data = handle.read(_MOST_BYTES + 1)
    except OSError as exc:
        raise NcoError(
            f"The file “{path.name}” could not be read ({exc.strerror or 'refused'}). "
            "Nothing was changed."
        ) from None
    if len(data) > _MOST_BYTES:
        raise NcoError(
            f"The file “{path.name}” is too long for a translation (at most "
            f"{MAX_TRANSLATION_CHARS:,} characters). Nothing was changed."
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NcoError(
            f"The file “{path.name}” is not UTF-8 text. Save it as plain text (UTF-8) and "
            "try again. Nothing was changed."
        ) from None
