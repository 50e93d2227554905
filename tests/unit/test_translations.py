"""English translations of entries (evidence.translations): saved apart from the evidence,
one audited change each that records no words and no name, refused with a reason when
they cannot be used, and kept by a vault that comes from schema 8."""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from nco_desktop.case.incidents import NewIncident, add_incident
from nco_desktop.errors import NcoError
from nco_desktop.evidence.records import EntryKind, NewEntry, TimeSource
from nco_desktop.evidence.store import add_entry
from nco_desktop.evidence.translations import (
    MAX_TRANSLATION_CHARS,
    Translation,
    set_translation,
    translation,
    translations,
)
from nco_desktop.timekeeping import to_ms
from nco_desktop.vault import TEST_KDF, Vault
from nco_desktop.vault import migrate as migrate_module
from nco_desktop.vault.connection import connect
from nco_desktop.vault.kdf import derive_key, new_salt
from nco_desktop.vault.schema import LATEST_VERSION
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE
from tests.support.factories import add_messages

AT = to_ms(datetime(2025, 10, 1, 21, 0, tzinfo=ZoneInfo("America/Chicago")))
ENGLISH = "I know where you live. I am outside."


def _messages(vault: Vault, *texts: str) -> list[int]:
    return add_messages(vault, list(texts), start_ms=AT)


def _last_audit(vault: Vault) -> tuple[str, dict]:
    action, details = vault.conn.execute(
        "SELECT action, details_json FROM audit_log ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return action, json.loads(details)


def test_set_replace_and_remove_each_one_audited_change_without_words_or_name(vault):
    (entry,) = _messages(vault, "Sé dónde vives. Estoy afuera.")
    assert translation(vault.conn, entry) is None
    assert set_translation(vault, entry, "  spanish ", f"\n  {ENGLISH}\r\n", "")
    assert translation(vault.conn, entry) == Translation("Spanish", ENGLISH, "")
    assert translation(vault.conn, entry).by_user
    assert _last_audit(vault) == (
        "entry.translation_changed",
        {"entry_id": entry, "language": "Spanish", "length": len(ENGLISH)},
    )
    seq = vault.conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0]
    assert not set_translation(vault, entry, "Spanish", ENGLISH)  # unchanged: nothing written
    assert vault.conn.execute("SELECT max(seq) FROM audit_log").fetchone()[0] == seq

    # A translator named (one line, control characters gone): replaced, not added beside.
    assert set_translation(vault, entry, "Spanish", "I know where\nyou live.", "María\tLópez\n")
    found = translation(vault.conn, entry)
    assert found == Translation("Spanish", "I know where\nyou live.", "María López")
    assert not found.by_user
    action, details = _last_audit(vault)
    assert action == "entry.translation_changed"
    assert "María" not in json.dumps(details, ensure_ascii=False)  # the name is not logged
    assert vault.conn.execute("SELECT count(*) FROM entry_translations").fetchone()[0] == 1

    assert set_translation(vault, entry, "", "   ")  # blank removes it, no language needed
    assert translation(vault.conn, entry) is None
    assert _last_audit(vault) == (
        "entry.translation_changed",
        {"entry_id": entry, "language": "", "length": 0},
    )
    assert not set_translation(vault, entry, "", "")  # nothing to remove
    report = verify_vault(vault)  # the entry itself was never touched
    assert report.intact, report.problems


def test_translations_are_read_in_one_go_for_many_entries(vault):
    ids = _messages(vault, "uno", "dos", "tres")
    set_translation(vault, ids[0], "Spanish", "one")
    set_translation(vault, ids[2], "Portuguese", "three", "Ana Costa")
    assert translations(vault.conn, [*ids, 99_999]) == {
        ids[0]: Translation("Spanish", "one", ""),
        ids[2]: Translation("Portuguese", "three", "Ana Costa"),
    }
    assert translations(vault.conn, []) == {}


@pytest.mark.parametrize(
    ("language", "text", "translator", "message"),
    [
        ("", "words", "", "Say which language"),
        ("\n\t", "words", "", "Say which language"),
        ("S" * 41, "words", "", "at most 40"),
        ("English", "words", "", "another language"),
        ("Spanish", "x" * (MAX_TRANSLATION_CHARS + 1), "", "at most 100,000"),
        ("Spanish", "words", "N" * 121, "at most 120"),
    ],
)
def test_what_cannot_be_saved_is_refused_with_the_reason(
    vault, language, text, translator, message
):
    (entry,) = _messages(vault, "hola")
    with pytest.raises(NcoError, match=message):
        set_translation(vault, entry, language, text, translator)
    assert translation(vault.conn, entry) is None


def test_no_such_entry_and_incidents_are_refused(vault):
    with pytest.raises(NcoError, match="no entry 99999"):
        set_translation(vault, 99_999, "Spanish", "words")
    incident = add_incident(vault, NewIncident(occurred_ms=AT, summary="at my door"), [])
    with pytest.raises(NcoError, match="incident is your own account"):
        set_translation(vault, incident, "Spanish", "words")
    assert vault.conn.execute("SELECT count(*) FROM entry_translations").fetchone()[0] == 0


def test_every_kind_of_evidence_takes_one(vault):
    with vault.change() as change:
        ids = [
            add_entry(
                change,
                NewEntry(kind=kind, occurred_ms=AT, time_source=TimeSource.USER, text="hola"),
            )
            for kind in (EntryKind.EMAIL, EntryKind.IMAGE, EntryKind.DOCUMENT, EntryKind.AUDIO)
        ]
        change.audit("test.seed")
    for entry in ids:
        assert set_translation(vault, entry, "Spanish", "hello")
    assert len(translations(vault.conn, ids)) == 4


def test_a_vault_from_schema_8_keeps_its_data_and_takes_translations(tmp_path):
    path = tmp_path / "v8.ncovault"
    salt = new_salt(TEST_KDF)
    conn = connect(path, derive_key(PASSPHRASE, salt, TEST_KDF), salt, TEST_KDF)
    migrate_module.migrate(conn, "2024-01-01T00:00:00.000000Z", target=8)
    conn.execute(
        "INSERT INTO entries (id, kind, occurred_ms, time_source, text, created_at) "
        "VALUES (7, 'message', ?, 'export-field', 'Te estoy mirando', '2024-01-02T00:00:00Z')",
        (AT,),
    )
    conn.execute(
        "INSERT INTO entry_notes (entry_id, text, updated_at) "
        "VALUES (7, 'he wrote in Spanish', '2024-01-02T00:00:00Z')"
    )
    conn.commit()
    tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "entry_translations" not in tables
    conn.close()
    with Vault.open(path, PASSPHRASE) as vault:
        assert vault.schema_version == LATEST_VERSION >= 9
        assert vault.conn.execute("SELECT id, text FROM entries").fetchall() == [
            (7, "Te estoy mirando")
        ]
        assert vault.conn.execute("SELECT entry_id, text FROM entry_notes").fetchall() == [
            (7, "he wrote in Spanish")
        ]
        assert translation(vault.conn, 7) is None
        assert set_translation(vault, 7, "Spanish", "I am watching you")
        assert translation(vault.conn, 7) == Translation("Spanish", "I am watching you")
        # Deleting the entry deletes its translation (ON DELETE CASCADE).
        with vault.change() as change:
            change.conn.execute("DELETE FROM entries WHERE id = 7")
            change.audit("test.deleted")
        assert translations(vault.conn, [7]) == {}


@pytest.mark.parametrize("said", ["me", "Myself", " I ", "yo", "me."])
def test_a_translator_called_me_is_the_user(vault, said):
    """The declaration for the user's own translation names them and says so; it must
    not swear, as an interpreter named "me", to a competence they did not claim."""
    (entry_id,) = _messages(vault, "Sé dónde vives")
    set_translation(vault, entry_id, "Spanish", "I know where you live", said)
    found = translation(vault.conn, entry_id)
    assert found is not None and found.translator == "" and found.by_user
    set_translation(vault, entry_id, "Spanish", "I know where you live", "Mei Lin")
    assert translation(vault.conn, entry_id).translator == "Mei Lin"


def test_invisible_words_never_replace_a_translation(vault):
    """Only control or zero-width characters are not a blank (which removes): they are
    refused, and the translation already there stays."""
    (entry_id,) = _messages(vault, "Sé dónde vives")
    set_translation(vault, entry_id, "Spanish", "I know where you live")
    for invisible in ("\x01\x02", "\u200b", "\u202e\u200d"):
        with pytest.raises(NcoError, match="no words that can be printed"):
            set_translation(vault, entry_id, "Spanish", invisible)
    assert translation(vault.conn, entry_id).text == "I know where you live"
