"""The user's incidents in the binder: a row each in the chronology, and the incident log.

The court-facing fields are printed as the user wrote them, with the exhibits that hold
the linked evidence; private notes never reach the binder; the copy for the other side
redacts the private details inside an incident's words too.
"""

from __future__ import annotations

import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.exhibits import create_exhibit
from nco_desktop.binder.options import BinderOptions
from nco_desktop.case.details import save_case_details
from nco_desktop.case.incidents import IncidentCategory, NewIncident, add_incident
from nco_desktop.evidence.records import (
    Direction,
    EntryKind,
    NewEntry,
    TimePrecision,
    TimeSource,
)
from nco_desktop.evidence.store import add_entry
from nco_desktop.timekeeping import to_ms

CHICAGO = ZoneInfo("America/Chicago")
FOLLOWED = to_ms(datetime(2025, 11, 16, 7, 50, tzinfo=CHICAGO))
PRIVATE_NOTE = "Advocate says: move the car to Dana's garage"
ADDRESS = "42 Elm Street"


@pytest.fixture
def case(vault):
    with vault.change() as change:
        messages = [
            add_entry(
                change,
                NewEntry(
                    kind=EntryKind.MESSAGE,
                    occurred_ms=FOLLOWED + minutes * 60_000,
                    time_source=TimeSource.EXPORT_FIELD,
                    direction=Direction.INCOMING,
                    party="+13125550147",
                    party_key="+13125550147",
                    party_name="Jordan",
                    text=text,
                ),
            )
            for minutes, text in ((-30, "Where are you going?"), (8, "Nice blue jacket today."))
        ]
        change.audit("test.seed")
    first, second = messages
    assert first is not None and second is not None
    create_exhibit(vault, "Texts from Jordan", entry_ids=[first, second])
    add_incident(
        vault,
        NewIncident(
            occurred_ms=FOLLOWED,
            ends_ms=FOLLOWED + 25 * 60_000,
            summary="Followed me to work",
            location="Staff parking lot",
            what_happened=f"His car followed me from {ADDRESS} and parked behind me.",
            category=IncidentCategory.FOLLOWING,
            witnesses="Priya Shah (co-worker)",
            reported_to_police=True,
            agency="Lakeview PD",
            report_number="LPD-25-0042",
            impact="I now vary my route every day.",
            private_notes=PRIVATE_NOTE,
        ),
        [second],
    )
    add_incident(
        vault,
        NewIncident(
            occurred_ms=None,
            time_precision=TimePrecision.UNKNOWN,
            summary="Letter under the door",
            category=IncidentCategory.RUMOURS_LETTERS,
        ),
    )
    save_case_details(vault, {"petitioner": "Alex Rivera"}, [ADDRESS])
    return vault


def _texts(data: bytes) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(io.BytesIO(data))
    return reader, [page.extract_text() for page in reader.pages]


def _build(vault, options: BinderOptions | None = None) -> bytes:
    out = io.BytesIO()
    build_binder(vault, out, options or BinderOptions())
    return out.getvalue()


def test_incidents_are_in_the_chronology_and_the_incident_log(case):
    reader, texts = _texts(_build(case))
    outline = {item.title: reader.get_destination_page_number(item) for item in reader.outline}
    assert list(outline)[:4] == ["Cover", "Exhibit index", "Chronology", "Incident log"]
    chronology = " ".join(texts[outline["Chronology"] : outline["Incident log"]])
    assert "Incident (Following or showing up): Followed me to work" in " ".join(chronology.split())
    # In time order: the earlier text, the incident, then the text sent during it.
    flat = " ".join(chronology.split())
    assert flat.index("Where are you going?") < flat.index("Followed me") < flat.index("jacket")
    assert flat.index("Letter under the door") > flat.index("jacket")  # unknown time: last
    assert "date not known" in flat

    log = " ".join(
        " ".join(texts[outline["Incident log"] : outline["Pet. Ex. 1 — Texts from Jordan"]]).split()
    )
    for words in (
        "1. Followed me to work",
        "Nov 16, 2025, 7:50 AM CST until 8:15 AM",
        "Following or showing up",
        "Staff parking lot",
        f"His car followed me from {ADDRESS} and parked behind me.",
        "Priya Shah (co-worker)",
        "Yes: Lakeview PD, report no. LPD-25-0042",
        "I now vary my route every day.",
        "Evidence Pet. Ex. 1",
        "2. Letter under the door",
        "none linked",
    ):
        assert words in log, words


def test_private_notes_never_reach_either_copy(case):
    for options in (BinderOptions(), BinderOptions(for_service=True)):
        data = _build(case, options)
        _reader, texts = _texts(data)
        assert "Advocate" not in "\n".join(texts)
        assert b"Advocate" not in data  # not in any stream, compressed or not, nor metadata


def test_the_copy_for_service_redacts_an_incident_s_own_words(case):
    _reader, court = _texts(_build(case))
    assert ADDRESS in " ".join(" ".join(court).split())
    _reader, service = _texts(_build(case, BinderOptions(for_service=True)))
    flat = " ".join(" ".join(service).split()).lower()
    assert "elm street" not in flat
    assert "his car followed me from █" in flat


def test_a_binder_without_incidents_has_no_incident_log(vault):
    reader, _ = _texts(_build(vault))
    assert "Incident log" not in [item.title for item in reader.outline]
