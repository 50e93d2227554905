"""The command line's ``salvage``: a new vault from what a damaged one still holds.

For a vault that will not open or verify and has no good backup. The damaged file is
only read. When its first bytes (its header) were damaged, the header printed by
``init`` and ``verify`` can be typed in (``--header``), or read from any backup made
of it (``--header-from``), which records the header of the vault it was copied from.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from nco_desktop.cli_passphrase import existing_passphrase
from nco_desktop.salvage import salvage
from nco_desktop.vault import Vault
from nco_desktop.vault.salvage_source import SalvageRefused, header_from_text
from nco_desktop.vault.vault import HEADER_SETTING

Say = Callable[..., None]


def cmd_salvage(args: argparse.Namespace, say: Say) -> int:
    passphrase = existing_passphrase(args.passphrase_file)
    headers: list[bytes] = []
    if args.header:
        headers.append(header_from_text(args.header))
    if args.header_from is not None:
        headers.append(_header_of_backup(args.header_from, passphrase))
    say(f"Reading “{args.damaged}” (it is not changed)…", err=True)
    report = salvage(args.damaged, args.new, passphrase, headers)
    for line in report.lines():
        say(line)
    return 0 if report.nothing_lost and not report.problems_after else 1


def _header_of_backup(backup: Path, passphrase: str) -> bytes:
    with Vault.open(backup, passphrase) as vault:
        recorded = vault.setting(HEADER_SETTING)
    if not isinstance(recorded, str):
        raise SalvageRefused(
            f"“{backup.name}” does not record the header of the vault it was copied from "
            "(backups made before this version do not); use --header."
        )
    return header_from_text(recorded)
