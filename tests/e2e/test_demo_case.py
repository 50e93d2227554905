"""The demo case: made by code, imported by the real importer, recent, and verifiable."""

from __future__ import annotations

import io
import json
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from nco_desktop.binder.assemble import build_binder
from nco_desktop.case.incidents import list_incidents
from nco_desktop.case.orders import OrderKind, list_orders
from nco_desktop.case.people import Role, list_people, party_keys_for
from nco_desktop.demo import case as demo_case
from nco_desktop.demo.case import (
    DEMO_PASSPHRASE,
    create_demo_vault,
    demo_vault_path,
    open_demo_vault,
)
from nco_desktop.demo.files import demo_files
from nco_desktop.progress import Cancelled, CancelToken
from nco_desktop.timekeeping import from_ms
from nco_desktop.vault import TEST_KDF, Vault
from nco_desktop.vault.kdf import check_new_passphrase
from nco_desktop.verification import verify_vault

TODAY = date(2026, 11, 16)
CHICAGO = ZoneInfo("America/Chicago")


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.ncovault"
    with create_demo_vault(path, today=TODAY, kdf=TEST_KDF) as vault:
        yield vault


def _entries(vault):
    return vault.conn.execute(
        "SELECT kind, occurred_ms, time_source, direction, party_key, text, call_type "
        "FROM entries ORDER BY occurred_ms, kind, text"
    ).fetchall()


def test_the_pattern_is_there(demo):
    (party,) = list_people(demo.conn, Role.RESTRAINED)
    keys = party_keys_for(demo.conn, party.id)
    assert "tel:+13125550147" in keys
    contacts = demo.conn.execute(
        "SELECT kind, occurred_ms, party_key FROM entries WHERE kind IN ('message', 'call')"
    ).fetchall()
    assert {key for _kind, _ms, key in contacts} == {"tel:+13125550147"}  # one person
    messages = [ms for kind, ms, _key in contacts if kind == "message"]
    calls = [ms for kind, ms, _key in contacts if kind == "call"]
    assert len(messages) >= 100 and len(calls) >= 30
    hours = [from_ms(ms).astimezone(CHICAGO).hour for _kind, ms, _key in contacts]
    late = sum(1 for hour in hours if hour >= 22 or hour < 6)
    assert late / len(hours) >= 0.4
    # Recent: the three weeks before today, nothing in the future.
    first = datetime.combine(TODAY - timedelta(days=23), time.min, CHICAGO).timestamp() * 1000
    last = datetime.combine(TODAY, time.min, CHICAGO).timestamp() * 1000
    assert all(first <= ms < last for _kind, ms, _key in contacts)
    # Replies from the user are there too, and the tone rises.
    directions = {row[0] for row in demo.conn.execute("SELECT direction FROM entries")}
    assert {"incoming", "outgoing"} <= directions


def test_every_kind_of_evidence_with_an_honest_time(demo):
    counts = dict(
        ((kind, source), count)
        for kind, source, count in demo.conn.execute(
            "SELECT kind, time_source, count(*) FROM entries GROUP BY kind, time_source"
        )
    )
    assert counts.get(("image", "file-name"), 0) >= 3
    assert counts.get(("email", "header"), 0) >= 3
    assert counts.get(("audio", "file-mtime"), 0) == 1
    assert sum(n for (kind, _s), n in counts.items() if kind == "document") >= 1
    assert not any(source == "unknown" for _kind, source in counts)
    # Every file was read by its parser, without a problem.
    parses = demo.conn.execute("SELECT status, messages_json FROM original_parses").fetchall()
    assert parses and all(status == "ok" for status, _ in parses)
    assert all(json.loads(messages) == [] for _, messages in parses)


def test_incidents_people_and_the_order(demo):
    incidents = list_incidents(demo.conn)
    assert len(incidents) == 3
    for incident in incidents:
        assert incident.witnesses.strip()
        assert incident.evidence_entry_ids
        assert incident.summary and incident.what_happened and incident.impact
    reported = [i for i in incidents if i.reported_to_police]
    assert len(reported) == 1
    report_text = demo.conn.execute(
        "SELECT e.text FROM entries e JOIN originals o ON o.id = e.original_id "
        "WHERE o.original_name LIKE 'police-report-%'"
    ).fetchone()[0]
    assert reported[0].report_number in report_text
    assert "LAKEVIEW POLICE DEPARTMENT" in report_text
    linked_kinds = {
        demo.conn.execute("SELECT kind FROM entries WHERE id = ?", (i,)).fetchone()[0]
        for i in reported[0].evidence_entry_ids
    }
    assert {"message", "call", "audio", "document"} <= linked_kinds
    assert len(list_people(demo.conn, Role.WITNESS)) == 2
    (order,) = list_orders(demo.conn)
    assert order.kind is OrderKind.CIVIL_PROTECTION
    assert order.court == "Circuit Court of Lake County" and order.case_number
    assert order.issued_on == TODAY - timedelta(days=10)
    assert order.served_on is not None and order.issued_on <= order.served_on <= TODAY
    assert order.hearing_at is not None and order.hearing_at.date() > TODAY
    case = demo.case_details
    assert case["case_number"] == order.case_number
    assert case["petitioner"] and case["respondent"] and case["judge"] and case["hearing"]
    assert demo.time_zone_name == "America/Chicago"


def test_the_demo_verifies_and_makes_a_binder(demo, tmp_path):
    report = verify_vault(demo)
    assert report.intact, report.problems
    out = tmp_path / "binder.pdf"
    result = build_binder(demo, out)
    reader = PdfReader(out)
    assert len(reader.pages) == result.pages > 5
    text = reader.pages[0].extract_text()
    assert "Circuit Court of Lake County" in text


def test_same_day_same_entries(demo, tmp_path):
    with create_demo_vault(tmp_path / "again.ncovault", today=TODAY, kdf=TEST_KDF) as again:
        assert _entries(again) == _entries(demo)
        shas = "SELECT sha256 FROM originals ORDER BY sha256"
        assert again.conn.execute(shas).fetchall() == demo.conn.execute(shas).fetchall()


def test_the_files_move_with_today():
    names = {f.name for f in demo_files(TODAY)}
    later = {f.name for f in demo_files(TODAY + timedelta(days=30))}
    assert "Screenshot_20261101-223104.png" in names
    assert names.isdisjoint(n for n in later if n.startswith("Screenshot_"))


def test_passphrase_and_default_place(isolated_home):
    assert check_new_passphrase(DEMO_PASSPHRASE) is None
    path = demo_vault_path()
    assert path.name == "demo.ncovault"
    assert path.is_relative_to(isolated_home)


def test_a_failed_or_cancelled_build_leaves_no_file(tmp_path, monkeypatch):
    path = tmp_path / "demo.ncovault"
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        create_demo_vault(path, today=TODAY, kdf=TEST_KDF, cancel=token)
    assert list(tmp_path.iterdir()) == []

    def broken(vault, story):
        raise RuntimeError("boom")

    monkeypatch.setattr(demo_case, "_add_records", broken)
    with pytest.raises(RuntimeError, match="boom"):
        create_demo_vault(path, today=TODAY, kdf=TEST_KDF)
    assert list(tmp_path.iterdir()) == []


def test_open_demo_vault_creates_once_then_opens(tmp_path):
    path = tmp_path / "sub" / "demo.ncovault"
    with open_demo_vault(path, today=TODAY, kdf=TEST_KDF) as first:
        count = len(_entries(first))
    with open_demo_vault(path, today=TODAY + timedelta(days=1), kdf=TEST_KDF) as second:
        assert len(_entries(second)) == count
    with Vault.open(path, DEMO_PASSPHRASE) as third:
        assert len(list_incidents(third.conn)) == 3


def test_cli_demo_prints_the_path_and_passphrase(tmp_path, monkeypatch, capsys):
    from functools import partial

    from nco_desktop import cli

    monkeypatch.setattr(cli, "create_demo_vault", partial(create_demo_vault, kdf=TEST_KDF))
    out = tmp_path / "try.ncovault"
    assert cli.main(["demo", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert str(out) in printed and DEMO_PASSPHRASE in printed
    assert cli.main(["demo", "--out", str(out)]) == 1  # never overwritten
    assert "already exists" in capsys.readouterr().err


def test_the_demo_shows_possible_violations_and_a_hearing_soon(demo):
    from nco_desktop.case.violations import possible_violation_ids, upcoming_deadlines

    flagged = possible_violation_ids(demo.conn, CHICAGO)
    (order,) = list_orders(demo.conn)
    served = datetime.combine(order.served_on, time(0), tzinfo=CHICAGO)
    times = [
        from_ms(ms)
        for (ms,) in demo.conn.execute(
            f"SELECT occurred_ms FROM entries WHERE id IN ({','.join(map(str, flagged))})"
        )
    ]
    assert len(flagged) >= 10 and all(moment >= served for moment in times)
    (hearing,) = [d for d in upcoming_deadlines(demo.conn, TODAY) if d.what == "hearing"]
    assert hearing.days_left(TODAY) == 6


def test_the_binder_can_show_the_pattern_of_contact(demo, tmp_path):
    from nco_desktop.binder.options import BinderOptions

    out = tmp_path / "with-pattern.pdf"
    build_binder(demo, out, BinderOptions(pattern_page=True))
    reader = PdfReader(out)
    titles = [item.title for item in reader.outline]
    assert titles[:4] == ["Cover", "Exhibit index", "Chronology", "Pattern of contact"]
    page_index = reader.get_destination_page_number(reader.outline[3])
    text = reader.pages[page_index].extract_text()
    assert "Pattern of contact" in text
    assert "Calls and messages from Jordan Blake" in text
    flat = " ".join(text.split())  # lines wrap where the page is full
    assert "late at night (22:00–06:00)" in flat
    assert "when the order took effect" in flat


def test_the_generated_files_do_not_outlive_the_build(tmp_path, monkeypatch):
    """The demo's fictional files pass through a private temporary folder on their way
    into the vault; it is gone afterwards, whether the build finished or was stopped."""
    import stat
    import tempfile

    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    seen_modes = []
    real_write = demo_case._write_files

    def watched(folder, today):
        seen_modes.append(stat.S_IMODE(folder.parent.stat().st_mode))
        real_write(folder, today)

    monkeypatch.setattr(demo_case, "_write_files", watched)
    create_demo_vault(tmp_path / "demo.ncovault", today=TODAY, kdf=TEST_KDF).close()
    assert list(scratch.iterdir()) == []
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        create_demo_vault(tmp_path / "other.ncovault", today=TODAY, kdf=TEST_KDF, cancel=token)
    assert list(scratch.iterdir()) == []
    assert seen_modes and all(mode == 0o700 for mode in seen_modes)  # owner only meanwhile


def test_the_demo_copy_for_the_other_side_says_nothing_of_willow_court(demo, tmp_path):
    """Issue #15: the demo lists "1140 Willow Court, Apt 2B, Lakeview"; its incident
    says he followed her "from Willow Court". Found as the street, without the number."""
    from nco_desktop.binder.options import BinderOptions

    court = io.BytesIO()
    build_binder(demo, court)
    assert "Willow Court" in " ".join(
        " ".join(p.extract_text().split()) for p in PdfReader(court).pages
    )
    served = io.BytesIO()
    build_binder(demo, served, BinderOptions(for_service=True))
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(served).pages)
    assert "Willow" not in text and "1140" not in text
