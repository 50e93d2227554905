"""Noticing a vault replaced by an older copy (issue #16: no silent rollback).

A vault copied back over itself from a backup, or from a stick carried elsewhere,
opens without complaint, missing everything done since. So the program remembers,
per vault and outside it, the newest audit head it has seen — the row count and that
row's hash, nothing else — in ``seen-vaults.json`` in its settings folder (owner-only,
keyed by the random vault id of schema 7 and a hash of where the file is, which say
nothing about the case). On
opening, a vault whose history is shorter than that, or does not contain that row, is
older than the one last used on this computer: the command line refuses to write to it
and the window asks, until the user accepts it as it is.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass

from nco_desktop.presence import settings_folder
from nco_desktop.vault.audit import read_head
from nco_desktop.vault.vault import Vault

SEEN_FILE = "seen-vaults.json"
ID_SETTING = "vault_id"
MAX_VAULTS = 1000


@dataclass(frozen=True)
class OlderCopy:
    """This vault's history ends before (or apart from) the newest one seen."""

    rows_now: int
    rows_seen: int

    @property
    def message(self) -> str:
        return (
            "This vault is older than the last time it was used on this computer: its "
            f"history has {self.rows_now:,} recorded changes where {self.rows_seen:,} were "
            "seen, or they differ. It may have been replaced by an older copy (a backup "
            "copied over it). Check that it is the vault you mean before you change it."
        )


def _key(vault: Vault) -> str | None:
    """The vault's id and where it is (as a hash: no path is written in the clear).
    Backups and set-aside copies share the id; each place keeps its own history, so
    opening a backup elsewhere never marks the vault itself as older."""
    vault_id = vault.setting(ID_SETTING)
    if not isinstance(vault_id, str):
        return None
    place = hashlib.sha256(os.fsencode(vault.path.resolve())).hexdigest()[:16]
    return f"{vault_id}:{place}"


def older_copy(vault: Vault) -> OlderCopy | None:
    """Whether *vault* is older than the newest state of it seen here; None if not."""
    key = _key(vault)
    seen = _load().get(key) if key is not None else None
    if not isinstance(seen, dict):
        return None
    rows, digest = seen.get("rows"), seen.get("hash")
    if not isinstance(rows, int) or not isinstance(digest, str):
        return None
    head = read_head(vault.conn)
    row = vault.conn.execute("SELECT hash FROM audit_log WHERE seq = ?", (rows,)).fetchone()
    if head.seq >= rows and row is not None and row[0] == digest:
        return None
    return OlderCopy(head.seq, rows)


def remember(vault: Vault, *, accept: bool = False) -> None:
    """Note *vault*'s audit head as the newest seen, unless an older copy (then only
    when the user *accept*\\s it as it is). Failing to write the note never stops the
    user's work: at worst a rollback goes unnoticed, as before."""
    key = _key(vault)
    if key is None or (not accept and older_copy(vault) is not None):
        return
    head = read_head(vault.conn)
    seen = _load()
    note = {"rows": head.seq, "hash": head.hash}
    if seen.get(key) == note:
        return  # every command ends here: a read-only one has nothing new to write
    seen.pop(key, None)
    seen[key] = note
    while len(seen) > MAX_VAULTS:  # oldest first: dicts keep their order
        seen.pop(next(iter(seen)))
    with contextlib.suppress(OSError):
        _save(seen)


def _load() -> dict[str, object]:
    try:
        data = json.loads((settings_folder() / SEEN_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(seen: dict[str, object]) -> None:
    folder = settings_folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = folder / SEEN_FILE
    partial = folder / f".{SEEN_FILE}.{os.getpid()}"
    descriptor = os.open(partial, os.O_CREAT | os.O_TRUNC | os.O_WRONLY, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(seen, handle)
    os.replace(partial, target)
