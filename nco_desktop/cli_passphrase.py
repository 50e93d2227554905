"""Where the command line gets passphrases: a file, the environment, or a hidden prompt."""

from __future__ import annotations

import getpass
import os
import sys
from pathlib import Path

from nco_desktop.errors import NcoError

ENV_VAR = "NCO_PASSPHRASE"


def _read_file(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NcoError(f"The passphrase file “{path}” does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NcoError(f"The passphrase file “{path}” cannot be read ({exc}).") from None
    # One trailing line break is the editor's, not the passphrase's.
    if text.endswith("\r\n"):
        text = text[:-2]
    elif text.endswith("\n"):
        text = text[:-1]
    if not text:
        raise NcoError(f"The passphrase file “{path}” is empty.")
    return text


def _prompt(label: str) -> str:
    if not sys.stdin.isatty():
        raise NcoError(
            f"No passphrase given. Use --passphrase-file FILE or set {ENV_VAR} "
            "when there is no terminal to type it in."
        )
    return getpass.getpass(label)


def existing_passphrase(passphrase_file: Path | None) -> str:
    """The passphrase of a vault being opened."""
    if passphrase_file is not None:
        return _read_file(passphrase_file)
    if os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    return _prompt("Vault passphrase: ")


def new_passphrase(passphrase_file: Path | None, *, use_env: bool) -> str:
    """A passphrase being chosen: typed twice when it comes from the keyboard."""
    if passphrase_file is not None:
        return _read_file(passphrase_file)
    if use_env and os.environ.get(ENV_VAR):
        return os.environ[ENV_VAR]
    first = _prompt("New passphrase: ")
    second = _prompt("Type it again: ")
    if first != second:
        raise NcoError("The two passphrases are different; nothing was changed.")
    return first
