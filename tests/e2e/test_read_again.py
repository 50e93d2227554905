"""Reading an export again with other settings replaces its entries (issue #18).

A chat whose dates read two ways, imported with the wrong order, is months off on the
timeline. Importing the same file again was refused as a duplicate; now ``--again``
reads it anew: the entries it added are replaced in one audited transaction, the
original is untouched, and what the user built on those entries moves with them.
"""

from __future__ import annotations

import json

from nco_desktop.binder.exhibits import add_exhibit
from nco_desktop.case.entry_times import correct_entry_time
from nco_desktop.case.hiding import hide_entries
from nco_desktop.case.incidents import NewIncident, add_incident
from nco_desktop.cli import main
from nco_desktop.evidence.notes import set_entry_note
from nco_desktop.evidence.records import TimePrecision
from nco_desktop.vault import TEST_KDF, Vault
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE, write_file
from tests.support.factories import import_chat

CHAT = (
    "3/9/24, 22:15 - Alex Roe: where are you\n"
    "3/9/24, 22:16 - Sam Doe: stop writing to me\n"
    "4/10/24, 07:02 - Alex Roe: I am outside\n"
    "4/10/24, 07:03 - Alex Roe: answer me\n"
)


def _setup(tmp_path, monkeypatch):
    return import_chat(tmp_path, monkeypatch, CHAT)  # read month-first: the wrong order


def _by_text(vault: Vault) -> dict[str, tuple[int, str]]:
    return {
        text: (entry_id, day)
        for entry_id, text, day in vault.conn.execute(
            "SELECT id, text, date(occurred_ms / 1000, 'unixepoch') FROM entries "
            "WHERE kind = 'message'"
        )
    }


def _state(vault: Vault) -> list[tuple]:
    """Everything a failed re-read must leave as it was."""
    return [
        *vault.conn.execute("SELECT * FROM entries ORDER BY id"),
        *vault.conn.execute("SELECT * FROM incident_evidence ORDER BY entry_id"),
        *vault.conn.execute("SELECT * FROM exhibit_items ORDER BY entry_id"),
        *vault.conn.execute("SELECT * FROM entry_notes ORDER BY entry_id"),
        *vault.conn.execute("SELECT * FROM hidden_entries ORDER BY entry_id"),
    ]


def test_the_other_date_order_replaces_the_entries_and_keeps_the_users_work(
    tmp_path, monkeypatch, capsys
):
    path, _chat, args = _setup(tmp_path, monkeypatch)
    with Vault.open(path, PASSPHRASE) as vault:
        wrong = _by_text(vault)
        assert wrong["where are you"][1] == "2024-03-09"  # read month-first: March
        sha = vault.conn.execute("SELECT sha256 FROM originals").fetchone()[0]
        outside, answer = wrong["I am outside"][0], wrong["answer me"][0]
        incident = add_incident(
            vault, NewIncident(occurred_ms=None, summary="at my door"), [outside]
        )
        add_exhibit(vault, "Messages", "", [outside, answer])
        set_entry_note(vault, answer, "he was parked outside")
        hide_entries(vault, [wrong["stop writing to me"][0]], "my own message")
    capsys.readouterr()
    assert main([*args, "--date-order", "day-first"]) == 0  # no --again: a duplicate
    said = capsys.readouterr().out
    assert "already in the vault" in said and "add --again" in said
    assert main([*args, "--date-order", "day-first", "--again"]) == 0
    said = capsys.readouterr().out
    assert "the 4 entries it had put on the timeline were replaced by this reading's 4" in said
    assert "far fewer" not in said
    with Vault.open(path, PASSPHRASE) as vault:
        right = _by_text(vault)
        assert sorted(day for _id, day in right.values()) == [
            "2024-09-03",
            "2024-09-03",
            "2024-10-04",
            "2024-10-04",
        ]
        assert (
            vault.conn.execute("SELECT count(*) FROM entries WHERE kind = 'message'").fetchone()[0]
            == 4
        )  # replaced, not added beside
        assert vault.conn.execute("SELECT sha256 FROM originals").fetchall() == [(sha,)]
        outside, answer = right["I am outside"][0], right["answer me"][0]
        assert vault.conn.execute(
            "SELECT entry_id FROM incident_evidence WHERE incident_entry_id = ?", (incident,)
        ).fetchall() == [(outside,)]
        assert vault.conn.execute(
            "SELECT entry_id FROM exhibit_items ORDER BY position"
        ).fetchall() == [(outside,), (answer,)]
        assert vault.conn.execute("SELECT entry_id, text FROM entry_notes").fetchall() == [
            (answer, "he was parked outside")
        ]
        assert vault.conn.execute("SELECT entry_id FROM hidden_entries").fetchall() == [
            (right["stop writing to me"][0],)
        ]
        report = verify_vault(vault)
        assert report.intact, report.problems
        (details,) = vault.conn.execute(
            "SELECT details_json FROM audit_log WHERE action = 'import.file' "
            "ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        record = json.loads(details)
        assert record["read_again"] is True and record["replaced"] == 4
        assert record["options"]["date_order"] == "day-first"
        assert record["carried_over"] == 5  # incident, 2 exhibit items, a note, hidden


def test_a_time_the_user_corrected_is_not_undone(tmp_path, monkeypatch, capsys):
    path, _chat, args = _setup(tmp_path, monkeypatch)
    with Vault.open(path, PASSPHRASE) as vault:
        entry = _by_text(vault)["answer me"][0]
        correct_entry_time(
            vault, entry, 1_728_021_780_000, TimePrecision.MINUTE, "the phone showed 4 October"
        )
        before = _state(vault)
    capsys.readouterr()
    assert main([*args, "--date-order", "day-first", "--again"]) == 1
    said = capsys.readouterr().out
    assert "not read again" in said and "a time you corrected" in said
    assert "the vault is as it was" in said
    with Vault.open(path, PASSPHRASE) as vault:
        assert _state(vault) == before
        assert verify_vault(vault).intact


def test_reading_again_twice_and_with_nothing_to_change_is_harmless(tmp_path, monkeypatch, capsys):
    path, _chat, args = _setup(tmp_path, monkeypatch)
    for _ in range(2):
        assert main([*args, "--date-order", "day-first", "--again"]) == 0
    with Vault.open(path, PASSPHRASE) as vault:
        assert vault.conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 4
        assert verify_vault(vault).intact


def test_an_entry_deleted_for_good_is_not_brought_back(tmp_path, monkeypatch, capsys):
    """Found in review: reading again brought back a message (and its picture) the user
    had deleted for good."""
    from nco_desktop.case.hiding import delete_for_good

    path, _chat, args = _setup(tmp_path, monkeypatch)
    with Vault.open(path, PASSPHRASE) as vault:
        gone = _by_text(vault)["answer me"][0]
        hide_entries(vault, [gone], "imported by mistake")
        delete_for_good(vault, [gone])
        before = _state(vault)
    capsys.readouterr()
    assert main([*args, "--date-order", "day-first", "--again"]) == 1
    said = capsys.readouterr().out
    assert "deleted for good" in said and "the vault is as it was" in said
    with Vault.open(path, PASSPHRASE) as vault:
        assert _state(vault) == before


def test_new_entries_never_take_an_id_an_earlier_import_recorded(tmp_path, monkeypatch, capsys):
    """Found in review: a re-read that yields fewer entries freed the top ids; the next
    import took them, inside an earlier import's recorded range, and verify reported
    tampering that never happened."""
    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="Europe/London", kdf=TEST_KDF).close()
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    me = ["--me", "Sam Doe"]
    shorter = write_file(tmp_path / "y" / "WhatsApp Chat with Alex Roe.txt", CHAT[:84])
    chat = write_file(tmp_path / "x" / "WhatsApp Chat with Alex Roe.txt", CHAT)
    run = ["import", "--vault", str(path)]
    assert main([*run, str(shorter), *me, "--date-order", "day-first"]) == 0
    assert main([*run, str(chat), *me, "--date-order", "month-first"]) == 0  # the top ids
    # Read again, its first two lines are the shorter export's: two entries, not four.
    assert main([*run, str(chat), *me, "--date-order", "day-first", "--again"]) == 0
    sms = "".join(
        f'<sms address="5550100" date="{1_710_281_730_000 + i}" type="1" body="z{i}" />'
        for i in range(5)
    )
    write_file(tmp_path / "z" / "sms.xml", f"<smses>{sms}</smses>")
    assert main([*run, str(tmp_path / "z" / "sms.xml")]) == 0
    capsys.readouterr()
    with Vault.open(path, PASSPHRASE) as vault:
        report = verify_vault(vault)
        assert report.intact, report.problems
        texts = [r[0] for r in vault.conn.execute("SELECT text FROM entries ORDER BY id")]
        assert texts[:2] == ["where are you", "stop writing to me"]


def test_a_reading_with_far_fewer_entries_says_so_plainly():
    """Other settings can drop most of a file's lines (a wrong --map): the entries are
    still replaced, but the summary says how many came back, against how many."""
    from nco_desktop.importers.reread import Replaced, replaced_note

    replaced = Replaced(entry_ids=list(range(1, 1201)), held={}, keys={})
    note = replaced_note(replaced, {"read": 40, "carried_over": 3})
    assert "the 1,200 entries it had put on the timeline were replaced by this reading's 40" in note
    assert "far fewer entries (40, against 1,200 before)" in note and "come back" in note
    same = replaced_note(replaced, {"read": 1_190, "carried_over": 0})
    assert "far fewer" not in same and "reading's 1,190" in same
