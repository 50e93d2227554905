"""``person`` and ``order`` on the command line (issue #19, item 9).

``binder --pattern-page`` draws the contacts of the person the case names as restrained
and marks the day their order took effect; before these commands nothing on the command
line could name either, so the page never appeared. Here the real commands run on a
real vault, the binder is read back with pypdf, and every refusal is checked for its
exit code and for a message that names the problem.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from nco_desktop.cli import main
from nco_desktop.safe_text import is_unsafe
from nco_desktop.vault import TEST_KDF, Vault
from tests.conftest import PASSPHRASE, write_file

CHICAGO = ZoneInfo("America/Chicago")
SAM_AS_EXPORTED = "312-555-0147"  # how the phone's backup writes him
SAM_AS_TYPED = "+1 (312) 555-0147"  # how the user types him


def _ms(day: int, hour: int, minute: int = 0) -> int:
    """March 2024, wall clock in Chicago (before the clocks change on the 10th)."""
    return int(datetime(2024, 3, day, hour, minute, tzinfo=CHICAGO).timestamp() * 1000)


# From Sam: 5 texts and 1 missed call reach the user; 4 of them late at night (22:00–06:00);
# 4 on or after March 5, the day the order is served. The user's reply and a message from
# someone else are not his pattern.
SMS = [
    (SAM_AS_EXPORTED, _ms(1, 23, 30), 1, "Answer me."),
    (SAM_AS_EXPORTED, _ms(3, 14, 0), 1, "I saw your car."),
    (SAM_AS_EXPORTED, _ms(6, 2, 15), 1, "You can't hide."),
    (SAM_AS_EXPORTED, _ms(7, 23, 45), 1, "Still up?"),
    (SAM_AS_EXPORTED, _ms(8, 12, 0), 1, "Pick up."),
    (SAM_AS_EXPORTED, _ms(8, 12, 5), 2, "Stop contacting me."),
    ("312-555-0100", _ms(8, 13, 0), 1, "Lunch tomorrow?"),
]
MISSED_CALL_MS = _ms(9, 1, 0)


def _sms_backup() -> str:
    rows = "\n".join(
        f'<sms protocol="0" address="{address}" date="{when}" type="{kind}" '
        f'body="{body}" contact_name="Contact A" />'
        for address, when, kind, body in SMS
    )
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
        f'<smses count="{len(SMS)}">\n{rows}\n</smses>\n'
    )


def _calls_backup() -> str:
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
        f'<calls count="1">\n<call number="{SAM_AS_EXPORTED}" duration="0" '
        f'date="{MISSED_CALL_MS}" type="3" contact_name="Contact A" />\n</calls>\n'
    )


@pytest.fixture
def vault_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "case.ncovault"
    Vault.create(path, PASSPHRASE, time_zone="America/Chicago", kdf=TEST_KDF).close()
    monkeypatch.setenv("NCO_PASSPHRASE", PASSPHRASE)
    return path


@pytest.fixture
def imported(vault_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """The vault with Sam's texts and call imported from a phone's backups."""
    write_file(tmp_path / "in" / "sms-20240310.xml", _sms_backup())
    write_file(tmp_path / "in" / "calls-20240310.xml", _calls_backup())
    assert main(["import", "--vault", str(vault_path), str(tmp_path / "in")]) == 0
    capsys.readouterr()
    return vault_path


def run(capsys: pytest.CaptureFixture[str], *args: object) -> tuple[int, str, str]:
    """The CLI in this process: (exit code, stdout, stderr); argparse's exits included."""
    try:
        code = main([str(a) for a in args])
    except SystemExit as exc:  # argparse: usage errors and --help
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def _pattern_text(pdf: Path) -> str | None:
    """The words on the binder's "Pattern of contact" page, found by its bookmark."""
    reader = PdfReader(pdf)
    for item in reader.outline:
        if not isinstance(item, list) and item.title == "Pattern of contact":
            page = reader.pages[reader.get_destination_page_number(item)]
            return " ".join(page.extract_text().split())  # lines wrap where the page is full
    return None


def _binder(capsys: pytest.CaptureFixture[str], vault: Path, out: Path) -> str | None:
    code, said, err = run(capsys, "binder", "--vault", vault, "--out", out, "--pattern-page")
    assert code == 0, err
    assert f"to “{out}”" in said
    text = _pattern_text(out)
    assert ("No “Pattern of contact” page" in said) == (text is None)  # left out: said so
    return text


def test_person_and_order_put_the_pattern_page_in_the_binder(imported, tmp_path, capsys):
    vault = imported
    # Before anyone is named, --pattern-page has no one to draw (the issue as reported).
    assert _binder(capsys, vault, tmp_path / "before.pdf") is None

    code, said, err = run(
        capsys, "person", "add", "--vault", vault, "--name", "Sam Roe", "--role", "restrained",
        "--phone", SAM_AS_TYPED, "--notes", "ex-partner",
    )  # fmt: skip
    assert code == 0, err
    assert "Added #1." in said
    assert "matched as +13125550147" in said
    assert "7 timeline entries from or to them" in said  # 5 texts, his call, the reply

    # Named but no order yet: the page counts his contacts, with no order day.
    page = _binder(capsys, vault, tmp_path / "named.pdf")
    assert page is not None
    assert "Calls and messages from Sam Roe to the petitioner: 6 in all" in page
    assert "4 late at night (22:00–06:00)" in page
    assert "when the order took effect" not in page

    code, said, err = run(
        capsys, "order", "add", "--vault", vault, "--kind", "civil-protection",
        "--court", "Circuit Court of Cook County", "--case-number", "2024-OP-118",
        "--issued", "2024-03-04", "--served", "March 5, 2024",
        "--hearing", "2024-03-19 9:30 AM", "--expires", "2025-03-04",
        "--terms", "No contact by any means",
    )  # fmt: skip
    assert code == 0, err
    assert "Added #1." in said
    assert "Against #1 Sam Roe, the only restrained person" in said
    assert "served   Tuesday, Mar 5, 2024" in said
    assert "hearing  Tuesday, Mar 19, 2024, 9:30 AM CDT" in said
    assert "4 contacts from Sam Roe after it was served — possible violations" in said

    page = _binder(capsys, vault, tmp_path / "binder.pdf")
    assert page is not None
    assert "Calls and messages from Sam Roe to the petitioner: 6 in all" in page
    assert "4 on or after March 5, 2024, when the order took effect" in page

    # The order's service day moves: the page and the count follow it.
    code, said, err = run(capsys, "order", "edit", "1", "--vault", vault, "--served", "3/7/2024")
    assert code == 0, err
    assert "Changed #1." in said
    assert "“3/7/2024” was read as Thursday, Mar 7, 2024 — read month first" in said
    assert "3 contacts from Sam Roe after it was served" in said
    page = _binder(capsys, vault, tmp_path / "moved.pdf")
    assert page is not None
    assert "3 on or after March 7, 2024, when the order took effect" in page


def test_person_list_and_edit_round_trip(imported, capsys):
    vault = imported
    args = ["person", "add", "--vault", vault]
    assert run(capsys, *args, "--name", "Sam Roe", "--role", "restrained",
               "--phone", "(312) 555-0199", "--email", "Sam@Example.org",
               "--handle", "@samr")[0] == 0  # fmt: skip
    assert run(capsys, *args, "--name", "Ann Lee", "--role", "witness",
               "--address", "12 Elm St, Springfield")[0] == 0  # fmt: skip

    code, out, _ = run(capsys, "person", "list", "--vault", vault, "--json")
    assert code == 0
    sam, ann = json.loads(out)
    assert (sam["id"], sam["role"], sam["name"]) == (1, "restrained", "Sam Roe")
    assert [(i["kind"], i["value"], i["normalized"]) for i in sam["identifiers"]] == [
        ("phone", "(312) 555-0199", "+13125550199"),
        ("email", "Sam@Example.org", "sam@example.org"),
        ("handle", "@samr", "samr"),
    ]
    assert sam["timeline_entries"] == 0  # the wrong number: none of the backup is his
    assert (ann["id"], ann["role"], ann["identifiers"][0]["kind"]) == (2, "witness", "address")

    # The wrong number comes off, written another way; the right one goes on.
    code, out, err = run(
        capsys, "person", "edit", "#1", "--vault", vault, "--remove", "312.555.0199",
        "--add-phone", SAM_AS_TYPED, "--name", "Sam R. Roe", "--notes", "drives a red van",
    )  # fmt: skip
    assert code == 0, err
    assert "Changed #1." in out and "Sam R. Roe (restrained)" in out
    assert "7 timeline entries from or to them" in out

    code, out, _ = run(capsys, "person", "list", "--vault", vault, "--json")
    sam = json.loads(out)[0]
    assert sam["name"] == "Sam R. Roe" and sam["notes"] == "drives a red van"
    assert {i["normalized"] for i in sam["identifiers"]} == {
        "+13125550147",
        "sam@example.org",
        "samr",
    }
    assert sam["timeline_entries"] == 7

    code, out, _ = run(capsys, "person", "list", "--vault", vault)
    assert code == 0
    assert out.splitlines()[0] == "#1   Sam R. Roe (restrained)"
    assert "phone    +1 (312) 555-0147  (matched as +13125550147)" in out
    assert "#2   Ann Lee (witness)" in out

    # A role change; then the same values again change nothing and write nothing.
    assert run(capsys, "person", "edit", "2", "--vault", vault, "--role", "petitioner")[0] == 0
    audit_rows = _audit_rows(vault)
    code, out, _ = run(capsys, "person", "edit", "2", "--vault", vault, "--role", "petitioner")
    assert code == 0 and "Nothing changed in #2." in out
    assert _audit_rows(vault) == audit_rows
    code, _, err = run(capsys, "person", "edit", "2", "--vault", vault)
    assert code == 2 and "Nothing to change: give one or more of --name" in err


def test_order_list_and_edit_round_trip(vault_path, capsys):
    vault = vault_path
    assert run(capsys, "person", "add", "--vault", vault, "--name", "Sam Roe",
               "--role", "restrained", "--phone", SAM_AS_TYPED)[0] == 0  # fmt: skip
    assert run(capsys, "person", "add", "--vault", vault, "--name", "Jo Doe",
               "--role", "restrained")[0] == 0  # fmt: skip
    code, out, err = run(
        capsys, "order", "add", "--vault", vault, "--kind", "criminal-no-contact",
        "--issued", "Mar 4, 2024", "--hearing", "3/19/24 2:00 PM", "--restrained", "#2",
    )  # fmt: skip
    assert code == 0, err
    assert "“3/19/24 2:00 PM” was read as Tuesday, Mar 19, 2024, 2:00 PM CDT" in out
    assert "“24” read as 2024" in out
    assert "against  #2 Jo Doe" in out
    assert "no contacts from Jo Doe after it was issued so far" in out

    code, out, _ = run(capsys, "order", "list", "--vault", vault, "--json")
    assert code == 0
    (order,) = json.loads(out)
    assert order == {
        "id": 1,
        "kind": "criminal-no-contact",
        "court": "",
        "case_number": "",
        "issued_on": "2024-03-04",
        "served_on": None,
        "hearing_at": "2024-03-19T14:00",
        "expires_on": None,
        "time_zone": "America/Chicago",
        "terms": "",
        "restrained_person_id": 2,
        "possible_violations": 0,
    }

    code, out, err = run(
        capsys, "order", "edit", "1", "--vault", vault, "--kind", "restraining",
        "--restrained", "1", "--hearing", "none", "--court", "Cook County", "--terms",
        "Stay 500 feet away",
    )  # fmt: skip
    assert code == 0, err
    assert "#1   Restraining order — Cook County" in out
    code, out, _ = run(capsys, "order", "list", "--vault", vault, "--json")
    (order,) = json.loads(out)
    assert order["kind"] == "restraining" and order["restrained_person_id"] == 1
    assert order["hearing_at"] is None and order["issued_on"] == "2024-03-04"
    assert (order["court"], order["terms"]) == ("Cook County", "Stay 500 feet away")

    code, out, _ = run(capsys, "order", "edit", "1", "--vault", vault, "--restrained", "none")
    assert code == 0 and "against  no one named yet" in out
    # Two restrained people and no --restrained: the new order names no one, and says so.
    code, out, _ = run(capsys, "order", "add", "--vault", vault, "--kind", "other")
    assert code == 0 and "against  no one named yet (--restrained ID)" in out
    code, out, _ = run(capsys, "order", "list", "--vault", vault)
    assert code == 0 and out.count("against  no one named yet") == 2


def test_bad_input_is_refused_with_its_reason(vault_path, capsys):
    vault = vault_path
    add = ["person", "add", "--vault", vault, "--name", "Sam Roe"]
    code, _, err = run(capsys, *add, "--role", "boss")
    assert code == 2
    assert "argument --role: invalid choice: 'boss'" in err and "'restrained'" in err
    code, _, err = run(capsys, *add, "--role", "restrained", "--phone", "call me")
    assert code == 1 and "“call me” does not look like a phone number." in err
    code, _, err = run(capsys, *add, "--role", "restrained", "--email", "sam-at-example")
    assert code == 1 and "does not look like an e-mail address" in err
    assert run(capsys, *add, "--role", "restrained", "--phone", SAM_AS_TYPED)[0] == 0
    assert run(capsys, "person", "add", "--vault", vault, "--name", "Ann Lee",
               "--role", "witness")[0] == 0  # fmt: skip

    code, _, err = run(capsys, "person", "edit", "9", "--vault", vault, "--name", "X")
    assert code == 1 and "There is no person #9 in this vault" in err
    code, _, err = run(capsys, "person", "edit", "1", "--vault", vault, "--remove", "555-0100")
    assert code == 1 and "“555-0100” is not one of #1's contact details" in err
    code, _, err = run(capsys, "person", "edit", "one", "--vault", vault)
    assert code == 2 and "“one” is not a number like 3 or #3" in err

    order = ["order", "add", "--vault", vault, "--kind", "civil-protection"]
    for typed, reason in (
        ("13/25/2024", "dates in this vault are written month first, and there is no month"),
        ("Feb 30 2024", "February 2024 has 29 days"),
        ("3/4", "“3/4” has no year. Write it in full, e.g. 3/4/"),
        ("Friday, March 5, 2024", "Mar 5, 2024 is a Tuesday, not a Friday"),
        ("soon", "Could not read “soon” as a date"),
    ):
        code, out, err = run(capsys, *order, "--served", typed)
        assert code == 1, typed
        assert err.startswith("nco-desktop: --served: ") and reason in err, err
        assert "Nothing was saved." in err and out == ""
    code, _, err = run(capsys, *order, "--hearing", "2024-03-19")
    assert code == 1 and "“2024-03-19” has no time. Add it, e.g. " in err
    code, _, err = run(capsys, *order, "--served", "2024-03-04", "--expires", "2024-03-01",
                       "--issued", "2024-03-04")  # fmt: skip
    assert code == 1 and "The order cannot end before the day it was issued." in err
    code, _, err = run(capsys, *order, "--restrained", "7")
    assert code == 1 and "There is no person #7 in this vault" in err
    code, _, err = run(capsys, *order, "--restrained", "2")
    assert code == 1 and "#2 Ann Lee is saved as witness, not as the restrained person" in err
    code, _, err = run(capsys, "order", "add", "--vault", vault, "--kind", "protective")
    assert code == 2 and "argument --kind: invalid choice: 'protective'" in err
    code, _, err = run(capsys, "order", "edit", "3", "--vault", vault, "--court", "X")
    assert code == 1 and "There is no order #3 in this vault" in err

    code, out, _ = run(capsys, "order", "list", "--vault", vault, "--json")
    assert code == 0 and json.loads(out) == []  # nothing refused was saved


def test_what_the_user_typed_cannot_steer_the_terminal(vault_path, capsys):
    name = "Sam\x1b]0;pwned\x07 Roe\u202e"
    assert run(capsys, "person", "add", "--vault", vault_path, "--name", name,
               "--role", "restrained")[0] == 0  # fmt: skip
    code, out, _ = run(capsys, "person", "list", "--vault", vault_path)
    assert code == 0 and "Sam" in out
    assert not [c for c in out if c != "\n" and is_unsafe(c)]
    code, out, _ = run(capsys, "person", "list", "--vault", vault_path, "--json")
    assert not [c for c in out if c != "\n" and is_unsafe(c)]
    assert json.loads(out)[0]["name"] == name  # the data itself is unchanged


def test_help_names_the_commands_that_exist(capsys):
    code, out, _ = run(capsys, "binder", "--help")
    assert code == 0
    flat = " ".join(out.split())
    assert "case people" not in flat
    assert "person add --role restrained" in flat and "order add --served" in flat
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "person" in out and "order" in out
    code, out, _ = run(capsys, "order", "edit", "--help")
    assert code == 0 and "none clears it" in " ".join(out.split())


def _audit_rows(vault: Path) -> int:
    with Vault.open(vault, PASSPHRASE) as opened:
        return int(opened.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])
