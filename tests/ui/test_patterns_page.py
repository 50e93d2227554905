"""The Patterns view: counts as computed by hand, charts drawn, cleared on lock."""

from __future__ import annotations

from datetime import date

from PySide6.QtGui import QImage

from nco_desktop.case.orders import NewOrder, OrderKind, add_order
from nco_desktop.case.people import IdentifierKind, NewPerson, Role, add_person
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.ui.patterns.patterns_page import PatternsPage
from tests.support.factories import seed_hand_counted_contacts as seed_case


def test_pattern_for_the_restrained_person_with_the_order_marked(qtbot, vault):
    seed_case(vault)  # the hand-counted case: 6 contacts from him, 4 late, 1 undated
    person = add_person(
        vault,
        NewPerson(Role.RESTRAINED, "Jordan Blake", ((IdentifierKind.PHONE, "312-555-0147"),)),
    )
    add_order(
        vault,
        NewOrder(
            OrderKind.CIVIL_PROTECTION, served_on=date(2026, 11, 10), restrained_person_id=person
        ),
    )
    page = PatternsPage(VaultSession())
    qtbot.addWidget(page)
    page.resize(1000, 650)
    page.session.open(vault)
    page.show()
    assert page.person_box.currentText() == "Jordan Blake"
    text = page.summary.text()
    assert "6 contacts in all" in text
    assert "4 late at night" in text
    assert "4 after the order was served" in text
    assert "1 with no known time" in text
    page.incoming_box.setChecked(False)
    assert "8 contacts in all" in page.summary.text()
    image: QImage = page.heat.grab().toImage()
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)
    }
    assert len(colours) > 3  # cells drawn in more than one shade
    page.session.detach()
    assert page.summary.text() == "" and page.person_box.count() == 0


def test_a_large_vault_is_counted_by_jobs_and_the_window_goes_on(qtbot, vault, monkeypatch):
    from nco_desktop.ui.common import jobs

    monkeypatch.setattr(jobs, "QUERY_JOB_FROM", 1)  # every vault counts as large
    seed_case(vault)
    page = PatternsPage(VaultSession())
    qtbot.addWidget(page)
    page.show()
    page.session.open(vault)
    assert page.person_box.count() == 0  # asked for; the job answers later
    qtbot.waitUntil(lambda: "6 contacts in all" in page.summary.text(), timeout=10_000)
    page.incoming_box.setChecked(False)
    page.session.detach()  # locked before the count came back: it is never shown
    qtbot.wait(100)
    assert page.summary.text() == "" and page.person_box.count() == 0


def test_a_count_asked_while_the_list_is_read_does_not_lose_the_list(qtbot, vault, monkeypatch):
    """Found in review: one counter for both reads dropped the people list for good when
    the filter changed while a job still read it."""
    from nco_desktop.ui.common import jobs

    monkeypatch.setattr(jobs, "QUERY_JOB_FROM", 1)  # every vault counts as large
    seed_case(vault)
    page = PatternsPage(VaultSession())
    qtbot.addWidget(page)
    page.show()
    page.session.open(vault)  # the people list is being read by a job
    page.incoming_box.setChecked(False)  # and a count is asked for meanwhile
    qtbot.waitUntil(lambda: page.person_box.count() > 0, timeout=10_000)
    qtbot.waitUntil(lambda: "contacts in all" in page.summary.text(), timeout=10_000)
    page.session.detach()
