"""``translate`` on the command line, and translations carried when a file is read again.

The real commands run on a real vault: a WhatsApp chat in Spanish is imported, a
message's English translation is saved from the command line and from a file, shown,
replaced and removed, each refusal checked for its exit code and a message that says
what to do; the binder built from the command line prints it. Reading the chat again
(``import --again``) moves the translation to the new entry, as notes move.
"""

from __future__ import annotations

import json
import os

from pypdf import PdfReader

from nco_desktop.cli import main
from nco_desktop.evidence.translations import Translation, translation
from nco_desktop.vault import Vault
from nco_desktop.verification import verify_vault
from tests.conftest import PASSPHRASE, write_file
from tests.support.factories import import_chat

CHAT = (
    "3/9/24, 22:15 - Alex Roe: ¿dónde estás?\n"
    "3/9/24, 22:16 - Sam Doe: deja de escribirme\n"
    "4/10/24, 07:02 - Alex Roe: estoy afuera de tu casa\n"
)


def _setup(tmp_path, monkeypatch):
    path, _chat, args = import_chat(tmp_path, monkeypatch, CHAT)
    return path, args


def _entry(path, text: str) -> int:
    with Vault.open(path, PASSPHRASE) as vault:
        (entry_id,) = vault.conn.execute(
            "SELECT id FROM entries WHERE text = ?", (text,)
        ).fetchone()
    return int(entry_id)


def _translation(path, entry_id: int) -> Translation | None:
    with Vault.open(path, PASSPHRASE) as vault:
        return translation(vault.conn, entry_id)


def test_translate_saves_shows_replaces_and_removes(tmp_path, monkeypatch, capsys):
    path, _args = _setup(tmp_path, monkeypatch)
    outside = _entry(path, "estoy afuera de tu casa")
    base = ["translate", "--vault", str(path), str(outside)]
    capsys.readouterr()

    assert main(base) == 0
    assert f"Entry {outside} has no English translation" in capsys.readouterr().out

    assert main([*base, "--language", "Spanish", "--text", "I am outside your house"]) == 0
    said = capsys.readouterr().out
    assert f"Saved the English translation of entry {outside}: from Spanish" in said
    assert "translated by you" in said and "qualified interpreter" in said
    assert _translation(path, outside) == Translation("Spanish", "I am outside your house")

    words = write_file(tmp_path / "mine" / "translation.txt", "I am outside\nyour house.\n")
    replace = [*base, "--language", "Spanish", "--translator", "María López"]
    assert main([*replace, "--from-file", str(words)]) == 0
    said = capsys.readouterr().out
    assert f"Replaced the English translation of entry {outside}" in said
    assert "translated by María López" in said and "for María López to sign" in said
    assert _translation(path, outside) == Translation(
        "Spanish", "I am outside\nyour house.", "María López"
    )
    assert main([*replace, "--from-file", str(words)]) == 0
    assert "already has this translation; nothing was changed" in capsys.readouterr().out

    assert main(base) == 0
    said = capsys.readouterr().out
    assert "from Spanish, translated by María López" in said
    assert "  I am outside\n  your house." in said

    out = tmp_path / "binder.pdf"
    assert main(["binder", "--vault", str(path), "--out", str(out)]) == 0
    text = " ".join("".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "I am outside your house." in text and "I, María López, declare" in text

    assert main([*base, "--remove"]) == 0
    assert f"Removed the English translation of entry {outside}." in capsys.readouterr().out
    assert _translation(path, outside) is None
    assert main([*base, "--remove"]) == 0
    assert "has no translation; nothing was removed" in capsys.readouterr().out

    with Vault.open(path, PASSPHRASE) as vault:
        changes = [
            json.loads(details)
            for (details,) in vault.conn.execute(
                "SELECT details_json FROM audit_log WHERE action = 'entry.translation_changed'"
            )
        ]
        assert len(changes) == 3  # saved, replaced, removed: the repeat wrote nothing
        assert all(set(change) == {"entry_id", "language", "length"} for change in changes)
        report = verify_vault(vault)
        assert report.intact, report.problems


def test_translate_refuses_with_a_reason_and_changes_nothing(tmp_path, monkeypatch, capsys):
    path, _args = _setup(tmp_path, monkeypatch)
    outside = _entry(path, "estoy afuera de tu casa")
    base = ["translate", "--vault", str(path), str(outside)]
    capsys.readouterr()
    refusals = [
        (["--text", "I am outside"], "with --language"),
        (["--language", "Spanish", "--text", "  "], "To remove one, use --remove"),
        (["--language", "Spanish"], "Give the translation with --text"),
        (["--language", "Spanish", "--remove"], "--remove takes no --language"),
        (["--language", "English", "--text", "I am outside"], "another language"),
        (["--language", "Spanish", "--from-file", str(tmp_path / "none.txt")], "none.txt"),
    ]
    bad = write_file(tmp_path / "latin1.txt", "caf\xe9".encode("latin-1"))
    refusals.append((["--language", "Spanish", "--from-file", str(bad)], "not UTF-8 text"))
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)  # no writer: reading it would wait for ever
    refusals.append((["--language", "Spanish", "--from-file", str(pipe)], "is not a text file"))
    refusals.append((["--language", "Spanish", "--from-file", str(tmp_path)], "not a text file"))
    invisible = write_file(tmp_path / "ctrl.txt", "\x01\x02\u200b")
    refusals.append((["--language", "Spanish", "--from-file", str(invisible)], "no words"))
    for extra, message in refusals:
        assert main([*base, *extra]) == 1, extra
        err = capsys.readouterr().err
        assert message in err, (extra, err)
    assert (
        main(["translate", "--vault", str(path), "999", "--language", "Spanish", "--text", "x"])
        == 1
    )
    assert "There is no entry 999 in this vault" in capsys.readouterr().err
    assert _translation(path, outside) is None


def test_reading_the_file_again_carries_the_translation_to_the_new_entry(
    tmp_path, monkeypatch, capsys
):
    path, args = _setup(tmp_path, monkeypatch)
    outside = _entry(path, "estoy afuera de tu casa")
    translate = ["translate", "--vault", str(path), str(outside), "--language", "Spanish"]
    assert main([*translate, "--translator", "Ana Ruiz", "--text", "I am outside your house"]) == 0
    assert main([*args, "--date-order", "day-first", "--again"]) == 0
    assert "were replaced" in capsys.readouterr().out
    again = _entry(path, "estoy afuera de tu casa")
    assert again != outside  # a new entry, read the other way
    with Vault.open(path, PASSPHRASE) as vault:
        assert vault.conn.execute("SELECT entry_id FROM entry_translations").fetchall() == [
            (again,)
        ]
        assert translation(vault.conn, again) == Translation(
            "Spanish", "I am outside your house", "Ana Ruiz"
        )
        (details,) = vault.conn.execute(
            "SELECT details_json FROM audit_log WHERE action = 'import.file' "
            "ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        assert json.loads(details)["carried_over"] == 1
        report = verify_vault(vault)
        assert report.intact, report.problems
