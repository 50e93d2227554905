"""People, orders and incidents on real vault files: saved, listed, audited, all or nothing."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest

from nco_desktop.case import InvalidRecord
from nco_desktop.case.incidents import (
    IncidentCategory,
    NewIncident,
    add_incident,
    link_evidence,
    list_incidents,
)
from nco_desktop.case.orders import NewOrder, OrderKind, add_order, list_orders
from nco_desktop.case.people import (
    IdentifierKind,
    NewPerson,
    Role,
    add_person,
    list_people,
    party_keys_for,
)
from nco_desktop.evidence.records import TimePrecision
from nco_desktop.importers.batch import import_paths
from nco_desktop.verification import verify_vault
from tests.conftest import write_file

SMS = """<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="2">
<sms address="(312) 555-0147" date="1762834500000" type="1" body="Answer your phone."
 contact_name="J" />
<sms address="(312) 555-0147" date="1762834600000" type="1" body="I know where you work."
 contact_name="J" />
</smses>"""
T0 = 1_762_834_500_000  # 2025-11-10 22:15 in Chicago


def _counts(vault):
    return tuple(
        vault.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        for table in (
            "audit_log",
            "entries",
            "people",
            "person_identifiers",
            "incidents",
            "incident_evidence",
            "orders",
        )
    )


def _audit_details(vault, action):
    return [
        json.loads(row[0])
        for row in vault.conn.execute(
            "SELECT details_json FROM audit_log WHERE action = ? ORDER BY seq", (action,)
        )
    ]


@pytest.fixture
def imported(vault, tmp_path):
    write_file(tmp_path / "in" / "sms-1.xml", SMS)
    summary = import_paths(vault, [tmp_path / "in"], thumbnails=False)
    assert summary.all_ok, summary.headline()
    ids = [row[0] for row in vault.conn.execute("SELECT id FROM entries ORDER BY occurred_ms")]
    return vault, ids


def test_people_are_saved_with_normalised_identifiers(vault):
    person_id = add_person(
        vault,
        NewPerson(
            Role.RESTRAINED,
            "  Jordan Blake ",
            identifiers=(
                (IdentifierKind.PHONE, "(312) 555-0147"),
                (IdentifierKind.PHONE, "+1 312 555 0147"),  # the same number twice: kept once
                (IdentifierKind.EMAIL, "J.Blake@Example.COM"),
                (IdentifierKind.HANDLE, "@JBlake_77"),
                (IdentifierKind.ADDRESS, "12 Elm  St"),
            ),
            notes="drives a grey sedan",
        ),
    )
    witness_id = add_person(vault, NewPerson(Role.WITNESS, "Maria Lopez"))
    everyone = list_people(vault.conn)
    assert [p.id for p in everyone] == [person_id, witness_id]
    jordan = everyone[0]
    assert jordan.role is Role.RESTRAINED and jordan.name == "Jordan Blake"
    assert jordan.notes == "drives a grey sedan"
    assert [(i.kind, i.normalized) for i in jordan.identifiers] == [
        (IdentifierKind.PHONE, "+13125550147"),
        (IdentifierKind.EMAIL, "j.blake@example.com"),
        (IdentifierKind.HANDLE, "jblake_77"),
        (IdentifierKind.ADDRESS, "12 elm st"),
    ]
    assert jordan.identifiers[0].value == "(312) 555-0147"
    assert [p.name for p in list_people(vault.conn, Role.WITNESS)] == ["Maria Lopez"]
    keys = party_keys_for(vault.conn, person_id)
    assert {"tel:+13125550147", "mailto:j.blake@example.com", "id:jblake_77"} <= keys
    assert "id:jordan blake" in keys
    assert _audit_details(vault, "person.added")[0] == {
        "person_id": person_id,
        "role": "restrained",
        "identifiers": ["address", "email", "handle", "phone"],
    }
    assert verify_vault(vault).intact


def test_a_phone_typed_by_hand_matches_the_imported_party_key(imported):
    vault, _ids = imported
    person_id = add_person(
        vault, NewPerson(Role.RESTRAINED, "J", ((IdentifierKind.PHONE, "312.555.0147"),))
    )
    keys = party_keys_for(vault.conn, person_id)
    stored = {row[0] for row in vault.conn.execute("SELECT DISTINCT party_key FROM entries")}
    assert stored == {"tel:+13125550147"}
    assert stored <= keys


@pytest.mark.parametrize(
    ("person", "message"),
    [
        (NewPerson(Role.WITNESS, "  "), "needs a name"),
        (NewPerson("neighbour", "Sam"), "not a role"),  # type: ignore[arg-type]
        (NewPerson(Role.OTHER, "Sam", ((IdentifierKind.PHONE, "call me"),)), "phone number"),
        (NewPerson(Role.OTHER, "Sam", ((IdentifierKind.EMAIL, "sam at home"),)), "e-mail"),
        (NewPerson(Role.OTHER, "Sam", ((IdentifierKind.HANDLE, " "),)), "left empty"),
    ],
)
def test_people_are_validated_and_nothing_is_written(vault, person, message):
    before = _counts(vault)
    with pytest.raises(InvalidRecord, match=message):
        add_person(vault, person)
    assert _counts(vault) == before


def test_orders_round_trip(vault):
    person_id = add_person(vault, NewPerson(Role.RESTRAINED, "Jordan Blake"))
    order_id = add_order(
        vault,
        NewOrder(
            OrderKind.CIVIL_PROTECTION,
            court="Circuit Court of Lake County",
            case_number="2026-OP-000412",
            issued_on=date(2026, 11, 1),
            served_on=date(2026, 11, 2),
            hearing_at=datetime(2026, 11, 17, 9, 30),
            expires_on=date(2026, 11, 17),
            terms="No contact of any kind.",
            restrained_person_id=person_id,
        ),
    )
    (order,) = list_orders(vault.conn)
    assert order.id == order_id and order.kind is OrderKind.CIVIL_PROTECTION
    assert order.hearing_at == datetime(2026, 11, 17, 9, 30)
    assert (order.issued_on, order.served_on) == (date(2026, 11, 1), date(2026, 11, 2))
    assert order.restrained_person_id == person_id
    assert order.terms == "No contact of any kind."
    assert _audit_details(vault, "order.added") == [
        {"order_id": order_id, "kind": "civil-protection", "restrained_person_id": person_id}
    ]
    assert verify_vault(vault).intact


@pytest.mark.parametrize(
    ("order", "message"),
    [
        (NewOrder("forever"), "not a kind of order"),  # type: ignore[arg-type]
        (
            NewOrder(OrderKind.OTHER, issued_on=date(2026, 5, 2), expires_on=date(2026, 5, 1)),
            "cannot end before",
        ),
        (
            NewOrder(OrderKind.OTHER, issued_on=date(2026, 5, 2), served_on=date(2026, 5, 1)),
            "served before",
        ),
        (NewOrder(OrderKind.OTHER, restrained_person_id=999), "not in the vault"),
    ],
)
def test_orders_are_validated_and_nothing_is_written(vault, order, message):
    before = _counts(vault)
    with pytest.raises(InvalidRecord, match=message):
        add_order(vault, order)
    assert _counts(vault) == before


def test_incidents_with_evidence(imported):
    vault, ids = imported
    later = add_incident(
        vault,
        NewIncident(
            occurred_ms=T0 + 3_600_000,
            time_precision=TimePrecision.MINUTE,
            ends_ms=T0 + 4_000_000,
            location="Outside my building, 12 Elm St",
            summary="He waited outside my building",
            what_happened="A grey sedan was parked across the street for an hour.",
            category=IncidentCategory.FOLLOWING,
            witnesses="Maria Lopez (neighbour)",
            reported_to_police=True,
            agency="Lakeview Police Department",
            officer="Ofc. R. Patel #4471",
            report_number="LPD-26-018842",
            impact="I could not sleep and stayed with my sister.",
            private_notes="Ask the advocate about a safety plan.",
        ),
        evidence_entry_ids=[ids[1], ids[0], ids[1]],
    )
    earlier = add_incident(
        vault, NewIncident(occurred_ms=T0, summary="Texts at night", category="calls-texts")
    )
    undated = add_incident(vault, NewIncident(occurred_ms=None, summary="A letter, date unknown"))
    incidents = list_incidents(vault.conn)
    assert [i.id for i in incidents] == [earlier, later, undated]
    first = incidents[1]
    assert first.evidence_entry_ids == (ids[0], ids[1])  # in time order, once each
    assert first.reported_to_police and first.report_number == "LPD-26-018842"
    assert first.category is IncidentCategory.FOLLOWING and first.ends_ms == T0 + 4_000_000
    assert first.private_notes == "Ask the advocate about a safety plan."
    assert incidents[2].occurred_ms is None
    assert incidents[2].time_precision is TimePrecision.UNKNOWN
    entry = vault.conn.execute(
        "SELECT kind, time_source, text, utc_offset_min FROM entries WHERE id = ?", (later,)
    ).fetchone()
    assert tuple(entry) == ("incident", "user", "He waited outside my building", -360)
    source = vault.conn.execute("SELECT time_source FROM entries WHERE id = ?", (undated,))
    assert source.fetchone()[0] == "unknown"
    assert link_evidence(vault, earlier, [ids[0], ids[1]]) == 2
    assert link_evidence(vault, earlier, [ids[0]]) == 0
    assert list_incidents(vault.conn)[0].evidence_entry_ids == (ids[0], ids[1])
    # The audit log keeps ids, counts and the category: nothing the user typed.
    log = " ".join(
        row[0] for row in vault.conn.execute("SELECT details_json FROM audit_log")
    ).lower()
    for typed in ("elm", "sedan", "maria", "patel", "lpd-26", "sleep", "advocate", "waited"):
        assert typed not in log
    assert _audit_details(vault, "incident.added")[0] == {
        "incident_id": later,
        "category": "following",
        "evidence": 2,
        "reported_to_police": True,
    }
    assert verify_vault(vault).intact


@pytest.mark.parametrize(
    ("incident", "evidence", "message"),
    [
        (NewIncident(occurred_ms=T0, summary="  "), [], "needs a summary"),
        (NewIncident(occurred_ms=T0, summary="x", ends_ms=T0 - 1), [], "end before"),
        (NewIncident(occurred_ms=None, summary="x", ends_ms=T0), [], "start time"),
        (NewIncident(occurred_ms=T0, summary="x", category="gossip"), [], "category"),  # type: ignore[arg-type]
        (NewIncident(occurred_ms=T0, summary="x"), [999_999], "not in the vault"),
    ],
)
def test_a_failed_incident_leaves_nothing_and_no_audit_row(imported, incident, evidence, message):
    vault, _ids = imported
    before = _counts(vault)
    with pytest.raises(InvalidRecord, match=message):
        add_incident(vault, incident, evidence)
    assert _counts(vault) == before
    assert verify_vault(vault).intact


def test_an_incident_is_not_evidence_of_another(imported):
    vault, ids = imported
    first = add_incident(vault, NewIncident(occurred_ms=T0, summary="One"))
    second = add_incident(vault, NewIncident(occurred_ms=T0, summary="Two"))
    before = _counts(vault)
    with pytest.raises(InvalidRecord, match="cannot be linked"):
        link_evidence(vault, second, [ids[0], first])  # the first link is undone too
    with pytest.raises(InvalidRecord, match="not in the vault"):
        link_evidence(vault, 424242, [ids[0]])
    assert _counts(vault) == before
