"""Case details for the cover and the private details for the copy for service: one
audited save shared by the CLI and the window, with the user's words kept out of the
audit log."""

from __future__ import annotations

import json

import pytest

from nco_desktop.case import InvalidRecord
from nco_desktop.case.details import (
    CASE_FIELDS,
    MAX_FIELD_CHARS,
    case_fields,
    private_details,
    save_case_details,
)


def _audit(vault) -> list[tuple[str, dict]]:
    return [
        (action, json.loads(details))
        for action, details in vault.conn.execute(
            "SELECT action, details_json FROM audit_log ORDER BY seq"
        )
    ]


def test_fields_are_saved_tidied_and_audited_without_their_words(vault):
    changed = save_case_details(
        vault,
        {"court": "  Superior Court,\n County of Alameda ", "case_number": "24-DV-01234"},
        ["12 Elm Street", "12 Elm Street", "  555-0147 "],
    )
    assert changed == ["court", "case_number", "redactions"]
    fields = case_fields(vault)
    assert set(fields) == set(CASE_FIELDS)
    assert fields["court"] == "Superior Court, County of Alameda"
    assert fields["judge"] == ""
    assert private_details(vault) == ["12 Elm Street", "555-0147"]
    action, details = _audit(vault)[-1]
    assert action == "case.details_changed"
    assert details == {"fields": ["case_number", "court", "redactions"], "private_details": 2}
    assert "Elm" not in json.dumps(_audit(vault))


def test_saving_the_same_details_again_writes_nothing(vault):
    save_case_details(vault, {"court": "District Court"}, ["12 Elm Street"])
    rows = len(_audit(vault))
    assert save_case_details(vault, {"court": "District Court "}, ["12 Elm Street"]) == []
    assert save_case_details(vault, {"court": "District Court"}) == []  # private untouched
    assert len(_audit(vault)) == rows
    assert private_details(vault) == ["12 Elm Street"]


@pytest.mark.parametrize(
    ("fields", "private", "message"),
    [
        ({"colour": "red"}, None, "no case detail called “colour”"),
        ({"court": "x" * (MAX_FIELD_CHARS + 1)}, None, "at most 300"),
        ({}, ["NY"], "too short"),
    ],
)
def test_bad_details_are_refused_with_a_reason_and_nothing_changes(vault, fields, private, message):
    rows = len(_audit(vault))
    with pytest.raises(InvalidRecord, match=message):
        save_case_details(vault, fields, private)
    assert len(_audit(vault)) == rows
    assert private_details(vault) == []
