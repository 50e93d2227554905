"""The command-line contract other parts and checks rely on (see README)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from nco_desktop.cli import main
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE, write_file

REPO = Path(__file__).resolve().parents[2]
NO_NETWORK = REPO / "tests" / "support" / "no_network"
MTIME = 1_710_281_730  # 2024-03-12T22:15:30Z = 17:15:30 in Chicago (CDT)

ENTRY_KEYS = {
    "id",
    "kind",
    "occurred_at",
    "utc_offset",
    "time_source",
    "direction",
    "party",
    "text",
    "original_sha256",
    "original_name",
}


def run_cli(*args, env=None, stdin=None):
    """The real program in a child process, with network sockets forbidden in it."""
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join([str(NO_NETWORK), str(REPO)])
    return subprocess.run(
        [sys.executable, "-m", "nco_desktop", *map(str, args)],
        capture_output=True,
        text=True,
        env=full_env,
        input=stdin,
        timeout=120,
    )


@pytest.fixture
def cli_vault(tmp_path, monkeypatch):
    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF).close()
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    return path


def test_init_then_every_command_as_a_real_process(tmp_path):
    """The one test that pays for the real KDF, twice."""
    vault = tmp_path / "mine.ncovault"
    secret = tmp_path / "pass.txt"
    secret.write_text(PASSPHRASE + "\n")
    env = {"NCO_PASSPHRASE": ""}
    created = run_cli(
        "init",
        vault,
        "--tz",
        "Europe/London",
        "--case-title",
        "Doe v. Roe",
        "--passphrase-file",
        secret,
        env=env,
    )
    assert created.returncode == 0, created.stderr
    assert "forgotten passphrase" in created.stderr
    write_file(tmp_path / "in" / "note.txt", "he was outside again", MTIME)
    imported = run_cli(
        "import", "--vault", vault, tmp_path / "in", "--passphrase-file", secret, env=env
    )
    assert imported.returncode == 0, imported.stderr
    assert "1 imported" in imported.stdout
    listed = run_cli("list", "--vault", vault, "--json", "--passphrase-file", secret, env=env)
    assert listed.returncode == 0, listed.stderr
    (entry,) = json.loads(listed.stdout)
    assert entry["original_name"] == "note.txt"


def test_python_dash_m_help_and_version():
    result = run_cli("--help")
    assert result.returncode == 0
    for command in ("init", "import", "list", "verify", "passwd", "backup"):
        assert command in result.stdout
    assert run_cli("--version").stdout.startswith("nco-desktop ")


def test_errors_are_one_line_without_traceback(tmp_path, cli_vault):
    wrong = run_cli("list", "--vault", cli_vault, env={"NCO_PASSPHRASE": "wrong passphrase"})
    assert wrong.returncode == 1
    assert wrong.stderr.count("\n") == 1 and "does not unlock" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    not_vault = write_file(tmp_path / "photo.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 4000)
    result = run_cli("verify", "--vault", not_vault, env={"NCO_PASSPHRASE": PASSPHRASE})
    assert result.returncode == 1
    assert (
        result.stderr.strip() == "nco-desktop: “photo.jpg” is not an NCO Desktop vault "
        "(or its first bytes are damaged)."
    )
    no_pass = run_cli("list", "--vault", cli_vault, env={"NCO_PASSPHRASE": ""}, stdin="")
    assert no_pass.returncode == 1
    assert "--passphrase-file" in no_pass.stderr and "Traceback" not in no_pass.stderr


def test_list_json_contract_and_filters(tmp_path, cli_vault, capsys):
    write_file(tmp_path / "in" / "early.bin", b"\0early", MTIME)
    write_file(tmp_path / "in" / "late.bin", b"\0late", MTIME + 3 * 86400)
    assert main(["import", "--vault", str(cli_vault), str(tmp_path / "in")]) == 0
    capsys.readouterr()

    assert main(["list", "--vault", str(cli_vault), "--json"]) == 0
    entries = json.loads(capsys.readouterr().out)
    assert len(entries) == 2
    for entry in entries:
        assert entry.keys() >= ENTRY_KEYS
        assert entry["occurred_at"].endswith("Z")
        assert entry["kind"] == "document"
        assert entry["time_source"] == "file-mtime"
        assert len(entry["original_sha256"]) == 64
    assert entries[0]["occurred_at"] == "2024-03-12T22:15:30Z"

    # Dates are days in the vault's zone: 17:15 CDT on the 12th is inside "2024-03-12".
    assert main(["list", "--vault", str(cli_vault), "--json", "--until", "2024-03-12"]) == 0
    assert [e["original_name"] for e in json.loads(capsys.readouterr().out)] == ["early.bin"]
    assert main(["list", "--vault", str(cli_vault), "--json", "--since", "2024-03-13"]) == 0
    assert [e["original_name"] for e in json.loads(capsys.readouterr().out)] == ["late.bin"]
    assert main(["list", "--vault", str(cli_vault), "--json", "--kind", "call"]) == 0
    assert json.loads(capsys.readouterr().out) == []

    assert main(["list", "--vault", str(cli_vault)]) == 0
    out = capsys.readouterr()
    assert "2024-03-12 17:15 CDT" in out.out and "early.bin" in out.out
    assert "times in America/Chicago" in out.err

    assert main(["list", "--vault", str(cli_vault), "--since", "last tuesday"]) == 1
    assert "Could not read “last tuesday” as a date" in capsys.readouterr().err


def _seed_many(path: Path, count: int) -> None:
    """*count* messages and calls a minute apart (every 7th with no time, every 5th
    with words outside ASCII), written straight into the vault."""
    from nco_desktop.evidence.records import CallType, EntryKind, NewEntry, TimeSource
    from nco_desktop.evidence.store import add_entry

    with Vault.open(path, PASSPHRASE) as vault, vault.change() as change:
        for i in range(count):
            undated = i % 7 == 3
            call = i % 4 == 0
            add_entry(
                change,
                NewEntry(
                    kind=EntryKind.CALL if call else EntryKind.MESSAGE,
                    occurred_ms=None if undated else MTIME * 1000 + i * 60_000 + i % 3,
                    time_source=TimeSource.UNKNOWN if undated else TimeSource.EXPORT_FIELD,
                    party="+15550100199",
                    text=None if call else f"message {i} — {'¿dónde estás? 🙂' if i % 5 else 'x'}",
                    call_type=CallType.MISSED if call else None,
                    duration_s=0 if call else None,
                ),
            )
        change.audit("test.seeded", count=count)


def test_list_json_many_entries_one_per_line(tmp_path, cli_vault, capsys):
    """More entries than one write holds: still one valid array, in timeline order,
    one entry per line, non-ASCII text as itself."""
    from nco_desktop.timeline.query import iter_entries

    _seed_many(cli_vault, 2_345)
    assert main(["list", "--vault", str(cli_vault), "--json"]) == 0
    out = capsys.readouterr().out
    entries = json.loads(out)
    with Vault.open(cli_vault, PASSPHRASE) as vault:
        expected = [view.to_json() for view in iter_entries(vault.conn)]
    assert entries == expected and len(entries) == 2_345
    lines = out.splitlines()
    assert lines[0] == "[" and lines[-1] == "]" and len(lines) == 2_345 + 2
    assert all(json.loads(line.rstrip(","))["id"] for line in lines[1:-1])
    assert "¿dónde estás? 🙂" in out
    dated = [e["occurred_at"] for e in entries if e["occurred_at"] is not None]
    assert dated == sorted(dated) and entries[-1]["occurred_at"] is None  # unknown times last
    calls = [e for e in entries if e["kind"] == "call"]
    assert calls and all(e["call_type"] == "missed" and e["duration_s"] == 0 for e in calls)
    assert not any("call_type" in e for e in entries if e["kind"] == "message")

    assert main(["list", "--vault", str(cli_vault), "--json", "--text", "message 1005 "]) == 0
    assert [e["text"] for e in json.loads(capsys.readouterr().out)] == ["message 1005 — x"]


@pytest.mark.parametrize("count", [0, 1, 999, 1000, 1001, 2000])
def test_write_json_lines_at_batch_edges(count):
    import io

    from nco_desktop.timeline.query import EntryView, write_json_lines

    views = [
        EntryView(i, "note", None, None, "unknown", "unknown", *(None,) * 9)
        for i in range(1, count + 1)
    ]
    out = io.StringIO()
    assert write_json_lines(iter(views), out) == count
    text = out.getvalue()
    assert [e["id"] for e in json.loads(text)] == list(range(1, count + 1))
    assert text.endswith("]\n") and text.count("\n") == (count + 2 if count else 1)


def test_verify_exit_codes(tmp_path, cli_vault, capsys):
    write_file(tmp_path / "in" / "a.txt", "evidence")
    main(["import", "--vault", str(cli_vault), str(tmp_path / "in")])
    assert main(["verify", "--vault", str(cli_vault)]) == 0
    assert "unchanged" in capsys.readouterr().out
    with Vault.open(cli_vault, PASSPHRASE) as vault:
        vault.conn.execute("DROP TRIGGER blob_chunks_immutable")
        vault.conn.execute("UPDATE blob_chunks SET data = x'00'")
    assert main(["verify", "--vault", str(cli_vault)]) == 1
    err = capsys.readouterr().err
    assert "PROBLEM:" in err and "a.txt" in err


def test_import_exit_code_reports_failures(tmp_path, cli_vault, capsys):
    write_file(tmp_path / "in" / "empty.txt", b"")
    write_file(tmp_path / "in" / "ok.bin", b"\0fine")
    write_file(tmp_path / "in" / "note.txt", "He parked outside my work at 8 am again.")
    assert main(["import", "--vault", str(cli_vault), str(tmp_path / "in")]) == 1
    out = capsys.readouterr().out
    assert "failed" in out and "empty.txt — the file is empty (0 bytes)" in out
    assert "ok.bin — document, 1 entry" in out
    assert "note.txt — note, 1 entry" in out


def test_passwd_and_backup(tmp_path, cli_vault, capsys, monkeypatch):
    write_file(tmp_path / "in" / "a.txt", "evidence")
    main(["import", "--vault", str(cli_vault), str(tmp_path / "in")])
    backup = tmp_path / "copy.ncovault"
    assert main(["backup", "--vault", str(cli_vault), str(backup)]) == 0
    assert main(["backup", "--vault", str(cli_vault), str(backup)]) == 1
    assert "already exists" in capsys.readouterr().err

    new_file = tmp_path / "new.txt"
    new_file.write_text("my new long passphrase\n")
    assert main(["passwd", "--vault", str(cli_vault), "--new-passphrase-file", str(new_file)]) == 0
    assert main(["list", "--vault", str(cli_vault)]) == 1  # old passphrase from the env
    monkeypatch.setenv("NCO_PASSPHRASE", "my new long passphrase")
    assert main(["verify", "--vault", str(cli_vault)]) == 0
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    assert main(["verify", "--vault", str(backup)]) == 0


def test_init_refuses_weak_passphrase_and_unknown_zone(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NCO_PASSPHRASE", "short")
    assert main(["init", str(tmp_path / "a.ncovault")]) == 1
    assert "shorter than 8" in capsys.readouterr().err
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    assert main(["init", str(tmp_path / "b.ncovault"), "--tz", "Nowhere/Land"]) == 1
    assert "not a time zone" in capsys.readouterr().err
    assert list(tmp_path.glob("*.ncovault")) == []


def test_init_region_for_phone_numbers(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    assert main(["init", str(tmp_path / "uk.ncovault"), "--tz", "Europe/London"]) == 0
    assert "read as GB" in capsys.readouterr().out
    assert (
        main(["init", str(tmp_path / "us.ncovault"), "--tz", "Europe/London", "--region", "us"])
        == 0
    )
    assert "read as US" in capsys.readouterr().out
    assert main(["init", str(tmp_path / "x.ncovault"), "--region", "USA"]) == 1
    assert "two-letter country code" in capsys.readouterr().err


def test_case_exhibits_and_binder_from_the_command_line(tmp_path, cli_vault, capsys):
    from pypdf import PdfReader

    write_file(tmp_path / "in" / "a.bin", b"\0first", MTIME)
    write_file(tmp_path / "in" / "b.bin", b"\0second", MTIME + 60)
    write_file(tmp_path / "in" / "c.bin", b"\0third", MTIME + 120)
    main(["import", "--vault", str(cli_vault), str(tmp_path / "in")])
    assert (
        main(
            [
                "case",
                "--vault",
                str(cli_vault),
                "--court",
                "Superior Court",
                "--case-number",
                "24-DV-1",
                "--petitioner",
                "Jane Doe",
                "--respondent",
                "John Roe",
                "--hearing",
                "Dec 9, 2026",
            ]
        )
        == 0
    )
    assert "24-DV-1" in capsys.readouterr().out
    assert main(["exhibit", "list", "--vault", str(cli_vault)]) == 0
    assert "groups every entry" in capsys.readouterr().out
    assert main(["exhibit", "add", "--vault", str(cli_vault), "--title", "First", "1", "2"]) == 0
    assert main(["exhibit", "add", "--vault", str(cli_vault), "--title", "Second", "3"]) == 0
    assert main(["exhibit", "move", "--vault", str(cli_vault), "2", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2:] == ["  1. Second — entries 3", "  2. First — entries 1, 2"]
    assert main(["exhibit", "add", "--vault", str(cli_vault), "--title", "x", "404"]) == 1
    assert "no entry 404" in capsys.readouterr().err
    assert main(["exhibit", "move", "--vault", str(cli_vault), "5", "1"]) == 1
    assert "use places 1 to 2" in capsys.readouterr().err
    out_pdf = tmp_path / "binder.pdf"
    assert (
        main(
            [
                "binder",
                "--vault",
                str(cli_vault),
                "--out",
                str(out_pdf),
                "--labels",
                "letters",
                "--bates",
                "DOE-",
                "--exhibit-list",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "NOT encrypted" in printed and "2 exhibits" in printed
    listed = (tmp_path / "binder-exhibit-list.csv").read_text("utf-8-sig").splitlines()
    assert "exhibit list" in printed and listed[1].startswith("Pet. Ex. A,Second,")
    assert "has no items" not in printed
    texts = [p.extract_text() for p in PdfReader(out_pdf).pages]
    assert "Superior Court" in texts[0] and "DOE-000001" in texts[0]
    assert any("EXHIBIT A" in t and "Second" in t for t in texts)
    assert main(["case", "--vault", str(cli_vault), "--redact", "Jane Doe"]) == 0
    assert "1 private detail will be removed" in capsys.readouterr().out
    assert (
        main(["binder", "--vault", str(cli_vault), "--out", str(out_pdf), "--redact-for-service"])
        == 0
    )
    assert "binder-for-service.pdf" in capsys.readouterr().out
    assert (
        main(
            [
                "binder",
                "--vault",
                str(cli_vault),
                "--out",
                str(out_pdf),
                "--split-mb",
                "0.15",  # the cover page alone is about 0.1 MB
                "--export-recordings",
            ]
        )
        == 0
    )
    printed = capsys.readouterr().out
    assert "volume “binder-vol1.pdf”: pages 1–" in printed
    assert (tmp_path / "binder-vol2.pdf").exists()
    assert "no recordings in these exhibits" in printed
    served = "".join(p.extract_text() for p in PdfReader(tmp_path / "binder-for-service.pdf").pages)
    assert "Jane Doe" not in served and "Superior Court" in served
    assert main(["exhibit", "remove", "--vault", str(cli_vault), "1"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "  1. First — entries 1, 2"
    assert main(["verify", "--vault", str(cli_vault)]) == 0


def test_binder_warns_about_an_exhibit_with_no_items(tmp_path, cli_vault, capsys):
    """The window can leave an exhibit empty; the binder still builds and says so."""
    write_file(tmp_path / "in" / "a.bin", b"\0first", MTIME)
    main(["import", "--vault", str(cli_vault), str(tmp_path / "in")])
    main(["exhibit", "add", "--vault", str(cli_vault), "--title", "Kept for later", "1"])
    with Vault.open(cli_vault, PASSPHRASE) as vault, vault.change() as change:
        change.conn.execute("DELETE FROM exhibit_items")
        change.audit("test.emptied")
    capsys.readouterr()
    out_pdf = tmp_path / "binder.pdf"
    assert main(["binder", "--vault", str(cli_vault), "--out", str(out_pdf)]) == 0
    printed = capsys.readouterr().out
    assert "Exhibit 1 “Kept for later” has no items" in printed
    assert out_pdf.exists()


def test_a_file_named_relative_to_the_terminals_folder_is_read(
    tmp_path, cli_vault, capsys, monkeypatch
):
    """Workers run in "/": a relative name must still mean the file where the command
    was typed (it was stored unread as a "document" when the worker could not find it)."""
    from tests.support.factories import sms_xml

    write_file(tmp_path / "phone" / "sms.xml", sms_xml(3))
    monkeypatch.chdir(tmp_path / "phone")
    assert main(["import", "--vault", str(cli_vault), "sms.xml"]) == 0
    out = capsys.readouterr().out
    assert "sms.xml — " in out and "FileNotFoundError" not in out
    with Vault.open(cli_vault, PASSPHRASE) as vault:
        (messages,) = vault.conn.execute(
            "SELECT count(*) FROM entries WHERE kind = 'message'"
        ).fetchone()
    assert messages == 3


def test_an_emails_subject_and_sender_are_found_and_listed(tmp_path, cli_vault, capsys):
    """Issue #18: `list --text` did not find words that were only in the subject."""
    mail = (
        "From: Ramón Roe <ramon@example.org>\r\n"
        "To: me@example.org\r\n"
        "Subject: =?utf-8?q?No_escapar=C3=A1s?=\r\n"
        "Date: Sat, 9 Mar 2024 22:15:07 -0600\r\n"
        "Message-ID: <one@example.org>\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "\r\n"
        "Te estoy viendo.\r\n"
    )
    write_file(tmp_path / "in" / "threat.eml", mail.encode())
    assert main(["import", "--vault", str(cli_vault), str(tmp_path / "in")]) == 0
    capsys.readouterr()
    for words in ("No escaparás", "Ramón", "ramon@example"):
        assert main(["list", "--vault", str(cli_vault), "--json", "--text", words]) == 0
        (found,) = json.loads(capsys.readouterr().out)
        assert found["kind"] == "email" and found["subject"] == "No escaparás"
