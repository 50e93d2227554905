"""A chat whose dates read two ways is asked about, never guessed (issue #18).

Through the real sandboxed readers: the file is not stored while the question is
open (so importing it again with the answer is not refused as a duplicate), the
command line exits 2 naming --date-order with the line read both ways, and the
answer reads every date that way. --me makes the user's own lines outgoing.
"""

from __future__ import annotations

import json

from nco_desktop.cli import main
from nco_desktop.importers.batch import Outcome, import_paths
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE, write_file

#: Every day is 12 or less and the dates run forward both ways: nothing decides.
CHAT = (
    "3/9/24, 22:15 - Alex Roe: where are you\n"
    "3/9/24, 22:16 - Sam Doe: stop writing to me\n"
    "4/10/24, 07:02 - Alex Roe: answer me\n"
)


def _vault(tmp_path, monkeypatch):
    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF).close()
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    return path


def test_the_import_asks_stores_nothing_and_then_reads_the_answer(tmp_path):
    chat = write_file(tmp_path / "in" / "WhatsApp Chat with Alex Roe.txt", CHAT)
    path = tmp_path / "case.ncovault"
    with Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF) as vault:
        summary = import_paths(vault, [chat], thumbnails=False)
        (result,) = summary.results
        assert result.outcome is Outcome.NEEDS_CHOICE and not summary.all_ok
        question = result.question or {}
        assert question["written"].startswith("3/9/24") and question["line"] == 1
        assert question["day_first"].startswith("2024-09-03")
        assert question["month_first"].startswith("2024-03-09")
        assert {"Alex Roe", "Sam Doe"} <= set(question["senders"])
        assert vault.conn.execute("SELECT count(*) FROM originals").fetchone()[0] == 0
        again = import_paths(vault, [chat], thumbnails=False, options={"date_order": "day-first"})
        assert again.results[0].outcome is Outcome.IMPORTED
        days = [
            row[0]
            for row in vault.conn.execute(
                "SELECT date(occurred_ms / 1000, 'unixepoch', '-5 hours') FROM entries "
                "ORDER BY occurred_ms"
            )
        ]
    assert days == ["2024-09-03", "2024-09-03", "2024-10-04"]


def test_the_command_line_requires_date_order_and_remembers_me(tmp_path, monkeypatch, capsys):
    vault = _vault(tmp_path, monkeypatch)
    chat = write_file(tmp_path / "in" / "WhatsApp Chat with Alex Roe.txt", CHAT)
    assert main(["import", "--vault", str(vault), str(chat)]) == 2
    said = capsys.readouterr()
    assert "needs a choice" in said.out and "--date-order" in said.err
    assert "3/9/24" in said.out
    assert (
        main(
            [
                "import",
                "--vault",
                str(vault),
                str(chat),
                "--date-order",
                "month-first",
                "--me",
                "Sam Doe",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["list", "--vault", str(vault), "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert [e["occurred_at"][:10] for e in entries] == ["2024-03-10", "2024-03-10", "2024-04-10"]
    assert [e["direction"] for e in entries] == ["incoming", "outgoing", "incoming"]
    with Vault.open(vault, PASSPHRASE) as opened:
        assert opened.setting("my_chat_name") == "Sam Doe"
    # A second name (the user is "Sam" on another phone) is added, never replacing the
    # first; a chat then uses whichever of them wrote in it.
    other = write_file(
        tmp_path / "in2" / "WhatsApp Chat with Alex.txt",
        "13/03/2024, 22:14 - Alex: hi\n13/03/2024, 22:15 - Sam: leave me alone\n",
    )
    assert main(["import", "--vault", str(vault), str(other), "--me", " Sam "]) == 0
    assert main(["import", "--vault", str(vault), str(other), "--me", "sam doe"]) == 0
    capsys.readouterr()
    with Vault.open(vault, PASSPHRASE) as opened:
        assert opened.setting("my_chat_name") == "Sam Doe\nSam"
        assert opened.conn.execute(
            "SELECT direction FROM entries WHERE text = 'leave me alone'"
        ).fetchall() == [("outgoing",)]
