"""The Timeline page: filters and counts, selection, refresh, locking, keyboard, 100k rows."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QPalette

from nco_desktop.evidence.records import EntryKind
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.ui.timeline.timeline_model import TimelineModel
from nco_desktop.ui.timeline.timeline_page import TimelinePage
from nco_desktop.vault import Vault
from tests.conftest import PASSPHRASE
from tests.support.factories import HUNDRED_THOUSAND, add, at, seed_small


@pytest.fixture
def page(qtbot, session):
    widget = TimelinePage(session)
    qtbot.addWidget(widget)
    widget.resize(1280, 720)
    widget.show()  # a view reads its vault while shown, as in the window
    qtbot.waitExposed(widget)
    return widget


def shown_ids(page: TimelinePage) -> list[int]:
    model = page.model
    return [model.entry_id(r) for r in range(model.rowCount()) if not model.is_header(r)]


def kind_index(page: TimelinePage, kind: EntryKind) -> int:
    return page.kind_box.findData(kind.value)


def test_opening_a_vault_shows_every_entry_with_counts(qtbot, page, vault):
    ids = seed_small(vault)
    with qtbot.waitSignal(page.counts_changed) as signal:
        page.session.open(vault)
    assert signal.args == [6, 6]
    assert page.counts_label.text() == "6 entries"
    assert shown_ids(page)[-1] == ids["unknown"]
    assert not page.clear_button.isEnabled()
    assert page.since_edit.date() == QDate(2024, 3, 10)  # the first and last day with entries
    assert page.until_edit.date() == QDate(2024, 3, 13)


def test_kind_party_dates_and_text_filter_the_list(qtbot, page, vault):
    ids = seed_small(vault)
    page.session.open(vault)

    with qtbot.waitSignal(page.counts_changed) as signal:
        page.kind_box.setCurrentIndex(kind_index(page, EntryKind.CALL))
    assert signal.args == [1, 6]
    assert shown_ids(page) == [ids["call"]]
    assert page.counts_label.text() == "Showing 1 of 6 entries"
    assert page.clear_button.isEnabled()
    page.clear_filters()
    assert len(shown_ids(page)) == 6 and page.counts_label.text() == "6 entries"

    with qtbot.waitSignal(page.counts_changed, timeout=2000) as signal:
        page.party_field.setText("0199")  # applied after a short pause in typing
    assert signal.args == [2, 6]
    assert shown_ids(page) == [ids["call"], ids["late"]]
    page.clear_filters()

    with qtbot.waitSignal(page.counts_changed, timeout=2000):
        page.text_field.setText("POLICE")
    assert shown_ids(page) == [ids["unknown"]]
    assert page.model.index(0, 0).data() == "Time unknown"
    page.clear_filters()

    page.since_edit.setDate(QDate(2024, 3, 12))  # a date switches its end of the range on
    assert page.since_check.isChecked()
    page.until_edit.setDate(QDate(2024, 3, 12))
    assert shown_ids(page) == [ids["call"], ids["late"]]  # whole local days; no unknown
    page.until_check.setChecked(False)
    assert shown_ids(page) == [ids["call"], ids["late"], ids["mtime"], ids["picture"]]
    page.clear_filters()
    assert not page.since_check.isChecked() and page.text_field.text() == ""


def test_filters_combine_and_no_match_says_so(qtbot, page, vault):
    seed_small(vault)
    page.session.open(vault)
    page.kind_box.setCurrentIndex(kind_index(page, EntryKind.CALL))
    with qtbot.waitSignal(page.counts_changed, timeout=2000) as signal:
        page.text_field.setText("where are you")
    assert signal.args == [0, 6]
    assert page.counts_label.text() == "Showing 0 of 6 entries"
    assert page._stack.currentWidget() is page.empty_label
    assert "No entries match" in page.empty_label.text()
    page.clear_filters()
    assert page._stack.currentWidget() is page.view


def test_typing_runs_one_query_after_a_pause(qtbot, page, vault):
    seed_small(vault)
    page.session.open(vault)
    loads = []
    page.model.loaded.connect(lambda: loads.append(page.model.shown_count))
    for text in ("s", "se", "sec", "second"):
        page.text_field.setText(text)
    assert loads == []
    qtbot.waitUntil(lambda: loads == [1], timeout=2000)


def test_enter_in_the_search_field_applies_now_and_goes_to_the_list(qtbot, page, vault):
    ids = seed_small(vault)
    page.session.open(vault)
    page.show()
    qtbot.waitExposed(page)
    page.text_field.setText("outside")
    with qtbot.waitSignal(page.entry_selected) as signal:
        qtbot.keyClick(page.text_field, Qt.Key.Key_Return)
    assert signal.args == [ids["first"]]
    assert page.model.shown_count == 1


def test_selection_is_reported_and_survives_a_refresh(qtbot, page, vault):
    ids = seed_small(vault)
    page.session.open(vault)
    row = page.model.row_of_entry(ids["late"])
    with qtbot.waitSignal(page.entry_selected) as signal:
        page.view.selectRow(row)
    assert signal.args == [ids["late"]]
    assert page.selected_entry_id() == ids["late"]

    with vault.change() as change:  # an import adds entries before and after it
        add(change, ms=at(2024, 3, 1), text="much earlier")
        add(change, ms=at(2024, 3, 12, 9, 0), text="same day, earlier")
        change.audit("test.import")
    emitted = []
    page.entry_selected.connect(emitted.append)
    with qtbot.waitSignal(page.counts_changed) as counts:
        page.refresh()
    assert counts.args == [8, 8]
    assert emitted == []  # still the same entry: nothing to tell the detail pane
    assert page.selected_entry_id() == ids["late"]
    current = page.view.selectionModel().selectedRows()
    assert [page.model.entry_id(i.row()) for i in current] == [ids["late"]]
    assert page.model.row_of_entry(ids["late"]) == row + 3  # a new day header and two rows


def test_a_selected_entry_filtered_away_is_deselected(qtbot, page, vault):
    ids = seed_small(vault)
    page.session.open(vault)
    page.view.selectRow(page.model.row_of_entry(ids["late"]))
    with qtbot.waitSignal(page.entry_selected) as signal:
        page.kind_box.setCurrentIndex(kind_index(page, EntryKind.CALL))
    assert signal.args == [None]
    assert page.selected_entry_id() is None
    with qtbot.assertNotEmitted(page.entry_selected):
        page.clear_filters()


def test_locking_clears_rows_caches_pictures_and_filters(qtbot, page, vault):
    ids = seed_small(vault)
    page.session.open(vault)
    page.show()
    qtbot.waitExposed(page)
    page.grab()  # paints rows: fills the caches, decodes the thumbnail
    assert page.model._presented and page.model._thumbnails
    page.view.selectRow(page.model.row_of_entry(ids["picture"]))
    page.kind_box.setCurrentIndex(kind_index(page, EntryKind.IMAGE))
    page.party_field.setText("0123")
    page.since_check.setChecked(True)
    with qtbot.waitSignal(page.entry_selected) as selected:
        page.session.detach()
    assert selected.args == [None]
    assert page.selected_entry_id() is None
    assert page.model.rowCount() == 0 and page.model.total_count == 0
    assert not page.model._presented and not page.model._thumbnails
    assert page.model._pages is None
    assert page.party_field.text() == "" and page.kind_box.currentIndex() == 0
    assert not page.since_check.isChecked()
    assert page.counts_label.text() == "" and page.empty_label.text() == ""
    assert not page._debounce.isActive()


def test_an_empty_vault_says_how_to_add_evidence(qtbot, page, vault):
    page.session.open(vault)
    assert page.counts_label.text() == "0 entries"
    assert "Import" in page.empty_label.text()
    assert page._stack.currentWidget() is page.empty_label


def test_keyboard_moves_between_entries_and_skips_day_headers(qtbot, page, vault):
    ids = seed_small(vault)
    page.session.open(vault)
    page.show()
    qtbot.waitExposed(page)
    page.view.setFocus()
    qtbot.keyClick(page.view, Qt.Key.Key_Down)  # no current row yet: the first entry
    assert page.selected_entry_id() == ids["first"]
    qtbot.keyClick(page.view, Qt.Key.Key_Down)  # over the header of 12 March
    assert page.selected_entry_id() == ids["call"]
    qtbot.keyClick(page.view, Qt.Key.Key_Up)
    assert page.selected_entry_id() == ids["first"]
    qtbot.keyClick(page.view, Qt.Key.Key_End)
    assert page.selected_entry_id() == ids["unknown"]
    qtbot.keyClick(page.view, Qt.Key.Key_Home)
    assert page.selected_entry_id() == ids["first"]


def test_focus_filter_puts_the_cursor_in_the_search_field(qtbot, page, vault):
    seed_small(vault)
    page.session.open(vault)
    page.show()
    qtbot.waitExposed(page)
    page.activateWindow()
    page.text_field.setText("old words")
    page.view.setFocus()
    page.focus_filter()
    qtbot.waitUntil(page.text_field.hasFocus)
    assert page.text_field.selectedText() == "old words"


def test_accessible_names_on_the_controls(page):
    for widget in (
        page.text_field,
        page.party_field,
        page.kind_box,
        page.since_edit,
        page.until_edit,
        page.view,
    ):
        assert widget.accessibleName()
    assert page.kind_box.count() == 1 + len(EntryKind)


def test_the_page_draws_with_a_dark_palette(qtbot, qapp, vault):
    ids = seed_small(vault)
    light = QPalette(qapp.palette())
    sheet = qapp.styleSheet()  # with an application style sheet, setPalette does not reach
    dark = QPalette(light)  # widgets; the OS scheme does (through the platform theme)
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.WindowText, "#e8e8e8"),
        (QPalette.ColorRole.Text, "#e8e8e8"),
    ):
        dark.setColor(role, QColor(colour))
    try:
        qapp.setStyleSheet("")
        qapp.setPalette(dark)
        page = TimelinePage(VaultSession())
        qtbot.addWidget(page)
        page.resize(1280, 720)
        page.session.open(vault)
        page.show()
        qtbot.waitExposed(page)
        image = page.grab().toImage()
        assert image.pixelColor(640, 700).lightness() < 80  # the list's base, dark
        band = page.view.visualRect(page.model.index(0, 0))
        top_left = page.view.viewport().mapTo(page, band.topLeft())
        assert image.pixelColor(top_left.x() + 400, top_left.y() + 20).name() == "#2b2b2b"
        icon = page.model.index(page.model.row_of_entry(ids["late"]), 0).data(
            Qt.ItemDataRole.DecorationRole
        )
        drawn = icon.pixmap(20, 20).toImage()
        inked = [
            drawn.pixelColor(x, y)
            for x in range(20)
            for y in range(20)
            if drawn.pixelColor(x, y).alpha() > 200
        ]
        assert inked and all(c.lightness() > 150 for c in inked)  # light ink on dark
    finally:
        qapp.setPalette(light)
        qapp.setStyleSheet(sheet)


def test_a_hundred_thousand_entries_load_and_scroll(qtbot, page, templates, tmp_path):
    count = HUNDRED_THOUSAND
    # A copy of the run's template: made once, not seeded again by every test that needs it.
    vault = Vault.open(templates.copy("hundred_thousand", tmp_path / "big.ncovault"), PASSPHRASE)
    model = page.model
    with qtbot.waitSignal(model.loaded, timeout=60_000):
        page.session.open(vault)  # a vault this size is read by a job; the window goes on
        assert model.shown_count == 0 and page.counts_label.text() == "Searching…"
    assert model.shown_count == count
    assert model.rowCount() == count + len(model.header_rows())
    page.view.scrollToBottom()
    page.grab()
    last = model.rowCount() - 1
    assert page.view.rowAt(page.view.viewport().height() - 1) == last
    assert model.index(last, TimelineModel.WHAT).data() == f"message {count - 1}"
    assert page.pinned.isVisible()  # the day being scrolled through stays named
    assert model._pages.cached_pages <= model._pages.max_pages
    page.view.scrollToTop()
    page.grab()
    assert page.view.rowAt(0) == 0 and model.is_header(0)
    assert model.index(1, TimelineModel.WHAT).data() == "message 0"
    page.view.selectRow(last)
    qtbot.keyClick(page.view, Qt.Key.Key_Home)
    assert page.selected_entry_id() == model.entry_id(1)
    with qtbot.waitSignal(page.counts_changed, timeout=5000) as signal:
        page.text_field.setText("message 9999")
    assert signal.args == [11, count]  # 9999 and 99990 … 99999
    assert date(2023, 1, 1) <= page.since_edit.date().toPython()
    page.session.lock()  # closes this test's own vault


def test_refresh_moves_unused_date_boxes_to_the_new_evidence(qtbot, page, vault):
    page.session.open(vault)  # empty: the boxes show today
    with vault.change() as change:
        add(change, ms=at(2024, 3, 10, 9), text="first")
        add(change, ms=at(2024, 3, 14, 9), text="last")
        change.audit("test.seed")
    page.until_check.setChecked(True)
    page.until_edit.setDate(QDate(2024, 3, 12))  # chosen by the user: kept
    page.refresh()
    assert page.since_edit.date() == QDate(2024, 3, 10)
    assert page.until_edit.date() == QDate(2024, 3, 12)


def test_a_large_vaults_queries_run_as_jobs_and_only_the_newest_is_shown(
    qtbot, page, vault, monkeypatch
):
    from nco_desktop.ui.common import jobs

    monkeypatch.setattr(jobs, "QUERY_JOB_FROM", 1)  # every vault counts as large
    ids = seed_small(vault)
    with qtbot.waitSignal(page.model.loaded):
        page.session.open(vault)
    assert page.model.shown_count == 6
    page.text_field.setText("Police")
    page._apply_filters()
    page.text_field.setText("outside")
    with qtbot.waitSignal(page.counts_changed) as signal:
        page._apply_filters()  # the first job's result arrives out of date and is dropped
    assert signal.args == [1, 6]
    qtbot.wait(100)
    assert shown_ids(page) == [ids["first"]]
    page.text_field.setText("know")
    page._filter_now_and_go_to_list()  # Enter: the list gets the focus once rows are in
    page.session.detach()  # locked while the job reads: its result is never shown
    qtbot.wait(100)
    assert page.model.shown_count == 0 and page.selected_entry_id() is None
