"""The user's transcripts of recordings.

Paper cannot play a voicemail, so the binder prints what the user heard, labelled as
their transcript. Like notes, a transcript lives apart from the entry the import wrote
(``verify`` checks that entry's fingerprint) and each save is one audited change that
records the entry and the length, never the words.
"""

from __future__ import annotations

from nco_desktop.errors import NcoError
from nco_desktop.evidence.records import EntryKind
from nco_desktop.vault import Vault
from nco_desktop.vault.connection import Connection

MAX_TRANSCRIPT_CHARS = 100_000  # about an hour of speech


def transcript(conn: Connection, entry_id: int) -> str:
    row = conn.execute(
        "SELECT text FROM entry_transcripts WHERE entry_id = ?", (entry_id,)
    ).fetchone()
    return "" if row is None else str(row[0])


def set_transcript(vault: Vault, entry_id: int, text: str) -> bool:
    """Save *text* as the transcript of recording *entry_id* (blank removes it); False
    when nothing changed."""
    text = text.strip()
    if len(text) > MAX_TRANSCRIPT_CHARS:
        raise NcoError(
            f"The transcript is {len(text):,} characters long; at most "
            f"{MAX_TRANSCRIPT_CHARS:,} fit. Keep the parts the court needs to read."
        )
    if text == transcript(vault.conn, entry_id):
        return False
    with vault.change() as change:
        row = change.conn.execute("SELECT kind FROM entries WHERE id = ?", (entry_id,)).fetchone()
        if row is None:
            raise NcoError(f"There is no entry {entry_id} in this vault.")
        if row[0] != EntryKind.AUDIO:
            raise NcoError("Only recordings have transcripts; use a note for other entries.")
        if text:
            change.conn.execute(
                "INSERT INTO entry_transcripts (entry_id, text, updated_at) VALUES (?, ?, ?) "
                "ON CONFLICT (entry_id) DO UPDATE SET text = excluded.text, "
                "updated_at = excluded.updated_at",
                (entry_id, text, change.at),
            )
        else:
            change.conn.execute("DELETE FROM entry_transcripts WHERE entry_id = ?", (entry_id,))
        change.audit("entry.transcript_changed", entry_id=entry_id, length=len(text))
    return True
