"""The user's own notes on entries.

A note is the user's words about a piece of evidence, not the evidence: it lives in
``entry_notes`` so that editing it never touches the entry an import wrote (whose
fingerprint ``verify`` checks). Each save is one audited change; the audit row records
that a note changed and its length, never its text.
"""

from __future__ import annotations

from nco_desktop.vault import Vault
from nco_desktop.vault.connection import Connection


def entry_note(conn: Connection, entry_id: int) -> str:
    row = conn.execute("SELECT text FROM entry_notes WHERE entry_id = ?", (entry_id,)).fetchone()
    return "" if row is None else str(row[0])


def set_entry_note(vault: Vault, entry_id: int, text: str) -> bool:
    """Save *text* as the note on *entry_id* (blank removes it); False if nothing changed."""
    text = text.strip()
    if text == entry_note(vault.conn, entry_id):
        return False
    with vault.change() as change:
        exists = change.conn.execute("SELECT 1 FROM entries WHERE id = ?", (entry_id,)).fetchone()
        if exists is None:
            raise KeyError(f"There is no entry {entry_id}.")
        if text:
            change.conn.execute(
                "INSERT INTO entry_notes (entry_id, text, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (entry_id) DO UPDATE SET text = excluded.text, "
                "updated_at = excluded.updated_at",
                (entry_id, text, change.at),
            )
        else:
            change.conn.execute("DELETE FROM entry_notes WHERE entry_id = ?", (entry_id,))
        change.audit("entry.note_changed", entry_id=entry_id, length=len(text))
    return True
