"""A harasser names the files and writes the messages: nothing they choose may steer the
user's terminal. The real program runs in a child process and its raw output is read
as a terminal would get it."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from nco_desktop.safe_text import is_unsafe
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE, write_file
from tests.support.hostile_files import CATALOG, PAGES, pdf

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file names")

REPO = Path(__file__).resolve().parents[2]
NO_NETWORK = REPO / "tests" / "support" / "no_network"

TITLE = "\x1b]0;pwned\x07"  # sets the terminal window's title
ERASE = "\x1b[2K\r"  # erases the line printed so far and goes back to its start
FORGED = "\n  imported   forged.txt — a document, 1 entry"
RLO = "\u202e"  # right-to-left override: "photo‮gpj.exe" reads as "photoexe.jpg"
CSI8 = "\x9b"  # the 8-bit form of ESC [ that some terminals obey


def _run(*args: object, env: dict[str, str]) -> tuple[int, str]:
    """The program's exit code and everything it wrote, stdout and stderr, as decoded text."""
    full_env = {**os.environ, **env, "PYTHONPATH": os.pathsep.join([str(NO_NETWORK), str(REPO)])}
    done = subprocess.run(
        [sys.executable, "-m", "nco_desktop", *map(str, args)],
        capture_output=True,
        env=full_env,
        timeout=180,
    )
    return done.returncode, (done.stdout + done.stderr).decode("utf-8")


def _assert_nothing_obeyable(output: str) -> None:
    raw = sorted({f"U+{ord(c):04X}" for c in output if c != "\n" and is_unsafe(c)})
    assert raw == [], f"raw control or format characters reached the terminal: {raw}"


def _whatsapp_zip(path: Path) -> Path:
    # The 13th: a date that reads only day-first, so the import has nothing to ask.
    # A chat's lines end at a carriage return, so here the line is erased with ESC [ 2 K
    # and backspaces instead.
    chat = (
        f"13/12/24, 22:15 - Sam{RLO} Roe\x1b[2K: see you {TITLE}tonight\b\b\n"
        f"13/12/24, 22:16 - Sam{RLO} Roe\x1b[2K: {CSI8}2J i know where you are\n"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("WhatsApp Chat with Sam.txt", chat)
        archive.writestr(f"../{TITLE}escape.jpg", b"\xff\xd8\xff")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.fixture
def hostile(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    vault = tmp_path / "case.ncovault"
    Vault.create(vault, PASSPHRASE, time_zone="UTC", kdf=TEST_KDF).close()
    folder = tmp_path / "from-phone"
    write_file(folder / f"title{TITLE}.txt", f"he wrote {TITLE} and {ERASE}gone", 1_710_281_730)
    write_file(folder / f"erase{ERASE}.txt", "second note", 1_710_281_790)
    write_file(folder / f"a.txt{FORGED}", "third note", 1_710_281_850)
    write_file(folder / f"photo{RLO}gpj.exe", "fourth note", 1_710_281_910)
    write_file(folder / f"c1{CSI8}31m.txt", "fifth note", 1_710_281_970)
    _whatsapp_zip(folder / "WhatsApp Chat with Sam.zip")
    return vault, folder, {"NCO_PASSPHRASE": PASSPHRASE}


def test_import_shows_hostile_names_and_reasons_visibly(hostile, tmp_path):
    vault, folder, env = hostile
    code, out = _run("import", "--vault", vault, folder, env=env)
    assert "6 imported" in out, out
    _assert_nothing_obeyable(out)
    assert "title\\x1b]0;pwned\\x07.txt" in out
    assert "erase\\x1b[2K\\r.txt" in out
    assert "photo\\u202egpj.exe" in out
    assert "c1\\x9b31m.txt" in out
    assert "“../\\x1b]0;pwned\\x07escape.jpg”" in out  # a zip member's name, quoted in a reason
    # The newline in the name is shown, so it cannot print a line of its own.
    assert "a.txt\\n  imported   forged.txt" in out
    assert not [line for line in out.splitlines() if "forged.txt" in line.split("—")[0][:40]]
    assert code in (0, 1)

    # A reason that quotes a stored name (a duplicate found later) is made safe as well.
    copy = write_file(tmp_path / "again" / "plain.txt", f"he wrote {TITLE} and {ERASE}gone")
    code, out = _run("import", "--vault", vault, copy, env=env)
    assert code == 0
    _assert_nothing_obeyable(out)
    assert "already in the vault as “title\\x1b]0;pwned\\x07.txt”" in out


def test_list_shows_senders_and_text_visibly_and_json_keeps_the_data(hostile):
    vault, folder, env = hostile
    code, _ = _run("import", "--vault", vault, folder, env=env)
    code, out = _run("list", "--vault", vault, env=env)
    assert code == 0, out
    _assert_nothing_obeyable(out)
    assert "title\\x1b]0;pwned\\x07.txt" in out  # a document is listed by its name
    assert "Sam\\u202e Roe\\x1b[2K" in out
    assert "\\x9b2J i know where you are" in out
    assert "see you \\x1b]0;pwned\\x07tonight\\x08\\x08" in out

    code, out = _run("list", "--vault", vault, "--json", env=env)
    assert code == 0
    _assert_nothing_obeyable(out)
    entries = json.loads(out[: out.rindex("]") + 1])
    texts = {entry["text"] for entry in entries}
    # A program reading the JSON gets the evidence exactly as it was sent.
    assert f"see you {TITLE}tonight\b\b" in texts
    assert f"{CSI8}2J i know where you are" in texts
    assert f"Sam{RLO} Roe\x1b[2K" in {entry["party"] for entry in entries}
    assert f"photo{RLO}gpj.exe" in {entry["original_name"] for entry in entries}


def test_exhibit_titles_are_shown_visibly(hostile):
    vault, folder, env = hostile
    _run("import", "--vault", vault, folder, env=env)
    code, out = _run(
        "exhibit", "add", "--vault", vault, "--title", f"Texts{TITLE}{RLO}", 1, env=env
    )
    assert code == 0, out
    _assert_nothing_obeyable(out)
    assert "Texts\\x1b]0;pwned\\x07\\u202e" in out


def hostile_key_pdf() -> bytes:
    """A PDF whose page names a key twice, the key's name carrying a terminal escape:
    pypdf warns about the duplicate, quoting the name, through Python's logging."""
    return pdf(
        CATALOG,
        PAGES,
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
        b" /X#1b#5d0#3bPWNED#07#0d 1 /X#1b#5d0#3bPWNED#07#0d 2 >>",
    )


def test_a_library_warning_quoting_a_file_never_reaches_the_terminal(tmp_path):
    """The binder build reads an exhibit PDF with pypdf, which logs what it repaired."""
    vault = tmp_path / "v.ncovault"
    report = tmp_path / "report.pdf"
    report.write_bytes(hostile_key_pdf())
    Vault.create(vault, PASSPHRASE, kdf=TEST_KDF).close()
    env = {**os.environ, "NCO_PASSPHRASE": PASSPHRASE}
    steps = [
        ["import", "--vault", str(vault), str(report)],
        ["exhibit", "add", "--vault", str(vault), "--title", "Report", "1"],
        ["binder", "--vault", str(vault), "--out", str(tmp_path / "b.pdf")],
    ]
    for step in steps:
        done = subprocess.run(
            [sys.executable, "-m", "nco_desktop", *step],
            capture_output=True,
            env=env,
            timeout=300,
        )
        assert b"\x1b" not in done.stdout + done.stderr, step
        assert b"PWNED" not in done.stderr, step
    assert (tmp_path / "b.pdf").exists()
