"""E-mail times without a zone, and the subject and sender as searchable words.

Messages are written here from RFC 5322 (§3.3 date-time, §4.3 obsolete zones); the
expected instants were worked out by hand for a Chicago vault (CST, UTC-6, in early
March 2024).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from nco_desktop.evidence.records import EntryKind, NewEntry, TimePrecision, TimeSource
from nco_desktop.evidence.store import add_entry
from nco_desktop.importers.formats import email_messages
from nco_desktop.importers.model import ParsedEntry, ParseSource
from nco_desktop.timekeeping import to_ms
from nco_desktop.timeline.paging import APPROXIMATE_PRECISIONS
from nco_desktop.timeline.query import TimelineQuery, iter_entries
from nco_desktop.vault.vault import Vault

CHICAGO = ZoneInfo("America/Chicago")
SUBJECT = "No escaparás"
SENDER = "Ramón Ruiz"


def utc(text: str) -> int:
    return to_ms(datetime.fromisoformat(text.replace("Z", "+00:00")))


def mail(tmp_path: Path, date: str | None, *, received: str | None = None) -> ParsedEntry:
    headers = ["From: =?utf-8?q?Ram=C3=B3n_Ruiz?= <ramon@example.org>"]
    headers += [f"Received: from mx by inbox; {received}"] if received else []
    headers += [f"Date: {date}"] if date else []
    headers += ["To: ana@example.org", "Subject: =?utf-8?q?No_escapar=C3=A1s?=", "", "Body."]
    path = tmp_path / "m.eml"
    path.write_text("\r\n".join(headers), encoding="ascii")
    items = list(email_messages.parse(ParseSource(path, path.name, CHICAGO, "US", None)))
    (entry,) = [item for item in items if isinstance(item, ParsedEntry)]
    return entry


def test_a_date_with_no_zone_is_a_clock_in_an_unknown_zone(tmp_path: Path) -> None:
    entry = mail(tmp_path, "Sat, 09 Mar 2024 22:15:07")
    assert entry.occurred_ms == utc("2024-03-10T04:15:07Z")  # 10:15 PM read in Chicago
    assert entry.utc_offset_min is None  # the zone is not known, so no offset is claimed
    assert entry.time_source is TimeSource.EXPORT_LOCAL  # "no time zone: read in the vault's"
    assert entry.time_precision is TimePrecision.MINUTE
    assert entry.time_precision in APPROXIMATE_PRECISIONS  # the timeline shows ≈
    assert entry.meta["date_zone_unknown"] is True
    assert "no time zone" in entry.meta["time_note"]


@pytest.mark.parametrize("zone", ["CEST", "MSK", "A"])
def test_an_undefined_zone_name_is_no_zone(tmp_path: Path, zone: str) -> None:
    # RFC 5322 §4.3: such names (and military letters) are to be taken as unknown.
    entry = mail(tmp_path, f"Sat, 09 Mar 2024 22:15:07 {zone}")
    assert entry.occurred_ms == utc("2024-03-10T04:15:07Z")
    assert entry.time_source is TimeSource.EXPORT_LOCAL
    assert entry.meta["date_zone_as_written"] == zone
    assert zone in entry.meta["time_note"]


def test_minus_zero_is_utc_from_a_sender_whose_zone_is_unsaid(tmp_path: Path) -> None:
    # RFC 5322 §3.3: "-0000" means the time is in UTC and the local zone is not said.
    entry = mail(tmp_path, "Sat, 09 Mar 2024 22:15:07 -0000")
    assert entry.occurred_ms == utc("2024-03-09T22:15:07Z")
    assert (entry.time_source, entry.time_precision) == (TimeSource.HEADER, TimePrecision.SECOND)
    assert entry.utc_offset_min is None and entry.meta["date_zone_unknown"] is True
    assert "time_note" not in entry.meta


@pytest.mark.parametrize(
    ("date", "at", "offset"),
    [
        ("Sat, 09 Mar 2024 22:15:07 +0100", "2024-03-09T21:15:07Z", 60),
        ("Sat, 09 Mar 2024 22:15:07 EST", "2024-03-10T03:15:07Z", -300),  # defined in RFC 5322
        ("Sat, 09 Mar 2024 22:15:07 GMT", "2024-03-09T22:15:07Z", 0),
    ],
)
def test_a_date_with_its_zone_is_exact(tmp_path: Path, date: str, at: str, offset: int) -> None:
    entry = mail(tmp_path, date)
    assert (entry.occurred_ms, entry.utc_offset_min) == (utc(at), offset)
    assert (entry.time_source, entry.time_precision) == (TimeSource.HEADER, TimePrecision.SECOND)
    assert "date_zone_unknown" not in entry.meta


def test_a_received_line_without_a_zone_is_also_a_clock(tmp_path: Path) -> None:
    entry = mail(tmp_path, None, received="Sat, 9 Mar 2024 22:15:07")
    assert entry.meta["time_from"] == "received"
    assert entry.occurred_ms == utc("2024-03-10T04:15:07Z")
    assert entry.time_source is TimeSource.EXPORT_LOCAL


def test_a_no_zone_time_on_the_night_clocks_go_back_stays_approximate(tmp_path: Path) -> None:
    entry = mail(tmp_path, "Sun, 03 Nov 2024 01:30:00")
    assert entry.time_precision is TimePrecision.MINUTE
    assert entry.occurred_ms == utc("2024-11-03T06:30:00Z")  # the first 1:30 (CDT)


def test_subject_and_sender_are_searched_and_listed(tmp_path: Path, vault: Vault) -> None:
    entry = mail(tmp_path, "Sat, 09 Mar 2024 22:15:07 -0600")
    assert entry.text is not None and SUBJECT not in entry.text  # only the header has it
    with vault.change() as change:
        add_entry(
            change,
            NewEntry(
                kind=EntryKind.EMAIL,
                occurred_ms=entry.occurred_ms,
                time_source=entry.time_source,
                party=entry.party,
                party_name=entry.party_name,
                text=entry.text,
                meta=entry.meta,
            ),
        )
        change.audit("test.seed")
    for words in ("escaparás", "Ramón", "ramon@example"):
        (found,) = iter_entries(vault.conn, TimelineQuery(text=words))
        assert found.kind == "email"
    assert list(iter_entries(vault.conn, TimelineQuery(text="escaparon"))) == []
    (listed,) = iter_entries(vault.conn)
    data = listed.to_json()
    assert data["subject"] == SUBJECT
    assert data["party_name"] == SENDER
