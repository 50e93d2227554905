"""Naming who a picture is with: only where the import named no one, only a picture,
recorded as the user's with their reason, audited without the name, and verify still
proves the evidence unchanged."""

from __future__ import annotations

import json

import pytest

from nco_desktop.case import InvalidRecord
from nco_desktop.case.entry_parties import name_entry_party, party_reasons
from nco_desktop.importers.batch import import_paths
from nco_desktop.timeline.query import TimelineQuery, iter_entries
from nco_desktop.verification import verify_vault
from tests.conftest import write_file
from tests.support.factories import only
from tests.unit.ocr.test_ocr_queue import screenshot

SMS = """<smses count="1"><sms address="+13125550147" date="1710300930000" type="1"
 body="hello" contact_name="John Roe" /></smses>"""


@pytest.fixture
def pictured(vault, tmp_path):
    write_file(tmp_path / "in" / "pasted.png", screenshot(["John Roe", "I know"]))
    write_file(tmp_path / "in" / "sms-1.xml", SMS)
    import_paths(vault, [tmp_path / "in"], thumbnails=False)
    return vault


def test_a_picture_is_named_and_grouped_with_that_persons_other_evidence(pictured):
    (picture,) = only(pictured, "image")
    name_entry_party(pictured, picture.id, " +1 (312) 555-0147 ", "the header shows his number")
    (named,) = only(pictured, "image")
    (message,) = only(pictured, "message")
    assert named.party == "+1 (312) 555-0147" and named.party_key == message.party_key
    found = [e.kind for e in iter_entries(pictured.conn, TimelineQuery(party="3125550147"))]
    assert sorted(found) == ["image", "message"]  # one person, however the number was written
    assert party_reasons(pictured.conn, [picture.id]) == {picture.id: "the header shows his number"}
    details = pictured.conn.execute(
        "SELECT details_json FROM audit_log WHERE action = 'entry.party_named'"
    ).fetchone()[0]
    assert "555" not in details and "header" not in details
    assert json.loads(details)["entry_id"] == picture.id
    assert verify_vault(pictured).intact


@pytest.mark.parametrize(
    "party, reason, words",
    [("", "why", "Type who"), ("John", "", "Say why"), ("a\x07b", "why", "ordinary")],
)
def test_what_cannot_be_saved_says_why(pictured, party, reason, words):
    (picture,) = only(pictured, "image")
    with pytest.raises(InvalidRecord, match=words):
        name_entry_party(pictured, picture.id, party, reason)


def test_what_an_export_said_is_never_overwritten(pictured):
    (message,) = only(pictured, "message")
    with pytest.raises(InvalidRecord):
        name_entry_party(pictured, message.id, "Someone else", "why")
    (picture,) = only(pictured, "image")
    name_entry_party(pictured, picture.id, "John Roe", "header")
    with pytest.raises(InvalidRecord, match="already says"):
        name_entry_party(pictured, picture.id, "Another", "changed my mind")
