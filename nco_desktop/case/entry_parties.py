"""Naming who a picture is with, where the import found no one (Qt-free).

A screenshot of a chat has no sender in its file, but its header shows the contact
("John Roe", "+1 (555) 010-0199"); the computer may suggest it from the words it read
(:func:`nco_desktop.ocr.suggest.suggest_sender`). Only the user decides. Like a time
the user sets (:mod:`.entry_times`), the choice:

- writes the name on the entry (``party`` and its ``party_key``, so the timeline, the
  person filter, People and the exhibits group it with that person's other evidence);
- records in ``entry_party_choices`` that it is the user's, and why (the binder's
  caption says so);
- goes on the audit log in the same transaction, with the import's fingerprint of its
  entries recorded again, so ``verify`` still proves nothing changed unrecorded.

Only an entry with no one named may be named this way: what an export said is never
overwritten. The audit row holds ids, never the name or the reason.
"""

from __future__ import annotations

from nco_desktop.case import InvalidRecord
from nco_desktop.case.entry_times import MAX_REASON_CHARS
from nco_desktop.evidence.records import EntryKind
from nco_desktop.evidence.store import (
    REFINGERPRINT_KEY,
    EvidenceAltered,
    imports_holding,
    new_fingerprints,
)
from nco_desktop.importers.batch import phone_region
from nco_desktop.importers.parties import party_key
from nco_desktop.vault import Vault
from nco_desktop.vault.connection import Connection

MAX_PARTY_CHARS = 120


def party_reasons(conn: Connection, entry_ids: list[int]) -> dict[int, str]:
    """Why the user named who each of *entry_ids* is with, for those they named."""
    if not entry_ids:
        return {}
    marks = ", ".join("?" for _ in entry_ids)
    rows = conn.execute(
        f"SELECT entry_id, reason FROM entry_party_choices WHERE entry_id IN ({marks})",
        entry_ids,
    )
    return {int(entry_id): str(reason) for entry_id, reason in rows}


def name_entry_party(vault: Vault, entry_id: int, party: str, reason: str) -> None:
    """Say that entry *entry_id* (a picture the import named no one for) is with
    *party*, for *reason*; one audited transaction. InvalidRecord when it cannot be."""
    name = " ".join(party.split())
    if not name:
        raise InvalidRecord("Type who it is with: a name, a number or an address.")
    if len(name) > MAX_PARTY_CHARS or not name.isprintable():
        raise InvalidRecord(f"A name of at most {MAX_PARTY_CHARS} ordinary characters, please.")
    why = " ".join(reason.split())
    if not why or len(why) > MAX_REASON_CHARS:
        raise InvalidRecord(
            "Say why (for example “the screenshot's header shows his name”), in at most "
            f"{MAX_REASON_CHARS:,} characters: the binder shows that the name is yours."
        )
    key = party_key(name, phone_region(vault))
    with vault.change() as change:
        row = change.conn.execute(
            "SELECT kind, party FROM entries WHERE id = ?", (entry_id,)
        ).fetchone()
        if row is None:
            raise InvalidRecord("This entry is no longer in the vault.")
        kind, was = row
        if kind != EntryKind.IMAGE:
            raise InvalidRecord("Only a picture can be named this way.")
        if was is not None:
            raise InvalidRecord("The import already says who this is with; it is kept.")
        try:
            held = imports_holding(change.conn, [entry_id])
        except EvidenceAltered as exc:
            raise InvalidRecord(str(exc)) from None
        change.conn.execute(
            "INSERT INTO entry_party_choices (entry_id, reason, chosen_at) VALUES (?, ?, ?)",
            (entry_id, why, change.at),
        )
        change.conn.execute(
            "UPDATE entries SET party = ?, party_key = ? WHERE id = ?", (name, key, entry_id)
        )
        change.audit(
            "entry.party_named",
            entry_id=entry_id,
            **{REFINGERPRINT_KEY: new_fingerprints(change.conn, held)},
        )
