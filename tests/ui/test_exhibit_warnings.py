"""The Exhibits view: evidence in two exhibits is named, each exhibit's pages in the last
build are shown, and the evidence list has no cap (100,000 entries, read lazily)."""

from __future__ import annotations

import time

from nco_desktop.binder.exhibits import create_exhibit
from nco_desktop.ui.exhibits.exhibit_models import LINES_ROLE, NOTE_ROLE
from nco_desktop.ui.exhibits.exhibits_page import ExhibitsPage
from nco_desktop.vault import Vault
from tests.conftest import PASSPHRASE
from tests.support.factories import HUNDRED_THOUSAND
from tests.ui import test_exhibits_page as exhibit_tests
from tests.ui.test_exhibits_page import seed

page = exhibit_tests.page  # the Exhibits view on a fresh vault, shown


def test_evidence_in_two_exhibits_is_named_in_both(qtbot, page, vault):
    ids = seed(vault)
    texts = create_exhibit(vault, "Texts", entry_ids=ids["jordan"])
    create_exhibit(vault, "Calls and a text", entry_ids=[*ids["call"], ids["jordan"][1]])
    page.refresh()
    page.open_exhibit(texts)
    warning = page.editor.shared_warning
    assert warning.isVisible()
    assert "I know where you work." in warning.text() and "Pet. Ex. 2" in warning.text()
    model = page.editor.item_model
    notes = [model.index(r, 0).data(NOTE_ROLE) for r in range(3)]
    assert notes == ["", "also in Pet. Ex. 2", ""]
    page.open_exhibit(page.overview[1].id)  # the other exhibit names the first
    assert "Pet. Ex. 1" in warning.text()
    page.open_exhibit(texts)
    page.editor.item_list.select_ids([ids["jordan"][1]])
    page.remove_items()  # taken out of one: no warning left
    assert not warning.isVisible()


def test_pages_in_the_last_build_are_shown_per_exhibit(qtbot, page, vault):
    ids = seed(vault)
    texts = create_exhibit(vault, "Texts", entry_ids=ids["jordan"])
    calls = create_exhibit(vault, "Calls", entry_ids=ids["call"])
    page.refresh()
    page.open_exhibit(texts)
    assert page.editor.items_count.text() == "3 items · binder not built yet"
    page.set_built_pages({texts: 3, calls: 1})
    assert page.editor.items_count.text() == "3 items · 3 pages in the last build"
    lines = [page.column.exhibit_model.index(r, 0).data(LINES_ROLE) for r in (0, 1)]
    assert lines[0][2].startswith("3 pages · 3 items")
    assert lines[1][2].startswith("1 page · 1 item")
    page.set_built_pages(None)  # rebuilt, dropped, or locked
    assert "not built yet" in page.editor.items_count.text()


def test_the_evidence_list_holds_a_hundred_thousand_entries(qtbot, session, templates, tmp_path):
    vault = Vault.open(templates.copy("hundred_thousand", tmp_path / "big.ncovault"), PASSPHRASE)
    widget = ExhibitsPage(session)
    qtbot.addWidget(widget)
    widget.resize(1090, 600)
    widget.show()
    qtbot.waitExposed(widget)
    session.open(vault)
    evidence = widget.evidence
    try:
        qtbot.waitUntil(lambda: evidence.model.rowCount() == HUNDRED_THOUSAND, timeout=60_000)
        assert evidence.count_label.text() == "Found: 100,000"
        started = time.perf_counter()
        evidence.list.scrollToBottom()
        widget.grab()
        last = evidence.model.index(HUNDRED_THOUSAND - 1, 0)
        assert last.data(LINES_ROLE)[1].endswith(f"message {HUNDRED_THOUSAND - 1}")
        assert time.perf_counter() - started < 2.0
        assert evidence.model.pages_read <= 4  # only the rows shown were read
        evidence.search_edit.setText("message 99999")
        evidence.refresh()
        qtbot.waitUntil(lambda: evidence.model.rowCount() == 1, timeout=30_000)
    finally:
        session.detach()
        vault.close()
