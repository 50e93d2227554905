"""The Binder view on real vaults: cover and options saved, built into memory, previewed,
printed to a PDF printer, saved only after the not-encrypted warning — and locked."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from nco_desktop.binder.assemble import build_binder
from nco_desktop.binder.copies import service_path, suggested_file_name
from nco_desktop.binder.exhibits import add_exhibit
from nco_desktop.binder.options import BinderOptions, Corner, LabelStyle, Paper
from nco_desktop.binder.saved_options import BinderChoices, load_choices, save_choices
from nco_desktop.case.details import case_fields, private_details, save_case_details
from nco_desktop.case.orders import NewOrder, OrderKind, add_order
from nco_desktop.importers.batch import import_paths
from nco_desktop.ui.binder.binder_page import BinderPage
from nco_desktop.ui.binder.binder_preview import COURT, SERVICE
from nco_desktop.ui.binder.binder_printing import prepare_printer
from nco_desktop.ui.common import prompts
from nco_desktop.ui.common.session import VaultSession
from nco_desktop.verification import verify_vault
from tests.conftest import write_file
from tests.support.factories import noisy_jpeg, write_voicemail

CASE = {
    "title": "Doe v. Roe",
    "court": "Superior Court of California, County of Alameda",
    "case_number": "24-DV-01234",
    "petitioner": "Jane Doe",
    "respondent": "John Roe",
    "hearing": "December 9, 2026",
    "hearing_time": "9:00 AM",
}
PRIVATE = ["42 Elm Street", "Acme Dental"]
SMS = """<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>
<smses count="3">
<sms address="+15550100199" date="1710300930000" type="1"
 body="I know you live at 42 Elm Street" contact_name="John Roe" />
<sms address="+15550100199" date="1710301030000" type="2"
 body="Stop contacting me." contact_name="John Roe" />
<sms address="+15550100199" date="1710302030000" type="1"
 body="I'll wait outside Acme Dental" contact_name="John Roe" />
</smses>"""


def _police_report() -> bytes:
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=letter, invariant=1)
    for number in (1, 2):
        canvas.drawString(72, 600, f"Police incident report 24-11873, page {number}")
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _screenshot() -> bytes:
    png = io.BytesIO()
    Image.new("RGB", (360, 720), (30, 30, 200)).save(png, "PNG")
    return png.getvalue()


def _seed(vault, folder: Path, *, voicemail: bool = False, big: bool = False) -> None:
    write_file(folder / "sms-20240313.xml", SMS)
    write_file(folder / "Screenshot_20240313-080000.png", _screenshot())
    write_file(folder / "police-report.pdf", _police_report())
    if voicemail:
        write_voicemail(folder / "voicemail.wav")
    if big:
        for number in (1, 2, 3):  # about 0.4 MB each
            write_file(folder / f"Screenshot_2024031{number}-221530.jpg", noisy_jpeg())
    summary = import_paths(vault, [folder], thumbnails=False)
    assert summary.all_ok, summary.headline()
    save_case_details(vault, CASE, PRIVATE)


@pytest.fixture
def case_vault(vault, tmp_path):
    _seed(vault, tmp_path / "evidence")
    return vault


@pytest.fixture
def page(qtbot, case_vault, session):
    widget = BinderPage(session)
    qtbot.addWidget(widget)
    widget.resize(1100, 680)
    widget.session.open(case_vault)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.session.detach()


def build(qtbot, page: BinderPage) -> None:
    assert page.build()
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    assert page.built is not None, [a.text for a in prompts.asked]


def expected_bytes(vault, options: BinderOptions) -> bytes:
    out = io.BytesIO()
    build_binder(vault, out, options)
    return out.getvalue()


def audit_actions(vault) -> list[str]:
    return [a for (a,) in vault.conn.execute("SELECT action FROM audit_log ORDER BY seq")]


def files_under(*folders: Path) -> set[Path]:
    return {p for folder in folders for p in folder.rglob("*")}


def grey(image: QImage, width: int = 120) -> list[int]:
    """*image* scaled to *width* pixels, as grey levels (for comparing two renderings)."""
    scaled = image.scaled(width, round(width * 11 / 8.5)).convertToFormat(
        QImage.Format.Format_Grayscale8
    )
    return [scaled.pixelColor(x, y).value() for y in range(scaled.height()) for x in range(width)]


def difference(a: list[int], b: list[int]) -> float:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


def read_pdf(path: Path | bytes) -> tuple[QPdfDocument, QBuffer]:
    """A PDF opened with QtPdf from memory, here in the test: the window itself has
    its pages rendered in the sandbox."""
    data = path if isinstance(path, bytes) else path.read_bytes()
    buffer = QBuffer()
    buffer.setData(QByteArray(data))  # the buffer's own copy: nothing dangles
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document = QPdfDocument()
    document.load(buffer)
    assert document.status() == QPdfDocument.Status.Ready
    return document, buffer


def render(document: QPdfDocument, index: int) -> QImage:
    image = document.render(index, QSize(425, 550))
    page = QImage(image.size(), QImage.Format.Format_RGB32)
    page.fill(Qt.GlobalColor.white)
    painter = QPainter(page)
    painter.drawImage(0, 0, image)
    painter.end()
    return page


def render_built(data: bytes, index: int) -> QImage:
    """Page *index* of a built copy, rendered here in the test (425 px wide)."""
    document, buffer = read_pdf(data)
    try:
        return render(document, index)
    finally:
        document.close()
        buffer.close()


def preview_shows(qtbot, page: BinderPage, pages: int) -> QImage:
    """Wait for the sandbox to lay out *pages* pages and send the first one."""
    qtbot.waitUntil(lambda: page.preview.page_count() == pages, timeout=30_000)
    qtbot.waitUntil(lambda: page.preview.rendered_page(0) is not None, timeout=30_000)
    image = page.preview.rendered_page(0)
    assert image is not None
    return image


def pdf_printer(path: Path) -> QPrinter:
    """What the print dialog hands back when the user picks "Print to file (PDF)"."""
    printer = QPrinter()
    prepare_printer(printer, Paper.LETTER)  # as ask_for_printer sets it up
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(60)  # small pictures: the test is about pages, not sharpness
    return printer


class PaperPrinter(QPrinter):
    """A printer as the page sees a real one (not "Print to file"), whose sheets Qt
    writes to a PDF the test reads back: the page prints to it page by page."""

    def outputFormat(self) -> QPrinter.OutputFormat:
        return QPrinter.OutputFormat.NativeFormat


def paper_printer(path: Path) -> QPrinter:
    printer = PaperPrinter()
    prepare_printer(printer, Paper.LETTER)
    QPrinter.setOutputFormat(printer, QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(60)
    return printer


# ----- the cover and the options --------------------------------------------------------


def test_cover_details_save_and_a_refused_value_keeps_the_words(page, case_vault):
    form = page.case_form
    assert form.fields["court"].text() == CASE["court"]
    assert form.private_edit.toPlainText().splitlines() == PRIVATE
    form.fields["judge"].setText("Hon. A. Smith")
    form.private_edit.setPlainText("42 Elm Street\nAcme Dental\nab")
    assert form.is_dirty()
    assert not page.commit_pending_edits()
    assert form.status.objectName() == "errorText"
    assert "too short to remove safely" in form.status.text()
    assert form.fields["judge"].text() == "Hon. A. Smith"  # every word kept
    assert form.private_edit.toPlainText().endswith("\nab")
    assert case_fields(case_vault)["judge"] == ""  # nothing half-saved
    assert not page.build()  # a build waits for the details to be fixed
    assert "Fix the detail" in page.build_status.text()

    form.private_edit.setPlainText("42 Elm Street\nAcme Dental\n  (312) 555-0142  \n\n")
    changes = []
    page.changed.connect(lambda: changes.append(True))
    form.save_button.click()
    assert case_fields(case_vault)["judge"] == "Hon. A. Smith"
    assert private_details(case_vault) == [*PRIVATE, "(312) 555-0142"]
    assert audit_actions(case_vault)[-1] == "case.details_changed"
    assert changes and not form.is_dirty() and form.status.text() == "Saved."


def test_the_orders_hearing_is_offered_not_invented(qtbot, vault):
    from datetime import datetime

    save_case_details(vault, {"court": "County Court"})
    add_order(
        vault,
        NewOrder(
            OrderKind.CIVIL_PROTECTION,
            court="Circuit Court of Lake County",
            case_number="2026-OP-000412",
            hearing_at=datetime(2026, 12, 1, 9, 30),
        ),
    )
    page = BinderPage(VaultSession())
    qtbot.addWidget(page)
    page.session.open(vault)
    page.show()
    form = page.case_form
    assert form.fields["hearing"].text() == ""  # nothing filled in unasked
    assert form.order_button.isVisible()
    assert "Tuesday, December 1, 2026 at 9:30 AM" in form.order_button.text()
    form.order_button.click()
    assert form.fields["hearing"].text() == "Tuesday, December 1, 2026"
    assert form.fields["hearing_time"].text() == "9:30 AM"
    assert form.fields["case_number"].text() == "2026-OP-000412"
    assert form.fields["court"].text() == "County Court"  # the user's own words stay
    assert not form.order_button.isVisible()
    assert case_fields(vault)["hearing"] == ""  # saved only when the user saves
    assert page.commit_pending_edits()
    assert case_fields(vault)["hearing"] == "Tuesday, December 1, 2026"
    page.session.detach()


def test_options_save_reload_and_follow_changes_made_elsewhere(qtbot, page, case_vault):
    form = page.options_form
    form.paper.setCurrentIndex(form.paper.findData(Paper.A4))
    form.labels.setCurrentIndex(form.labels.findData(LabelStyle.LETTERS))
    form.corner.setCurrentIndex(form.corner.findData(Corner.TOP_LEFT))
    form.prefix.setText("Resp. Ex.")
    form.prefix.editingFinished.emit()
    form.bates.setText("ROE-")
    assert "ROE-000001" in form.bates_example.text()
    form.pattern_page.setChecked(True)
    form.tabs.setChecked(True)
    form.exhibit_declarations.setChecked(True)
    form.service_copy.setChecked(True)
    form.split.setChecked(True)
    form.split_mb.setValue(20)
    assert page.commit_pending_edits()  # the Bates field was still being typed
    saved = load_choices(case_vault)
    assert saved == BinderChoices(
        BinderOptions(
            Paper.A4,
            LabelStyle.LETTERS,
            "Resp. Ex.",
            "ROE-",
            Corner.TOP_LEFT,
            False,
            True,
            tabs=True,
            exhibit_declarations=True,
        ),
        service_copy=True,
        split_mb=20.0,
    )
    assert "binder.options_changed" in audit_actions(case_vault)

    again = BinderPage(VaultSession())
    qtbot.addWidget(again)
    again.show()  # a view reads its vault when shown
    again.session.open(case_vault)
    assert again.options_form.choices() == saved
    again.session.detach()

    form.prefix.setText("A prefix far too long for any exhibit stamp")
    form.prefix.editingFinished.emit()
    assert form.status.isVisibleTo(form) and "at most 24 characters" in form.status.text()
    assert form.prefix.text() == "A prefix far too long for any exhibit stamp"
    assert load_choices(case_vault).options.prefix == "Resp. Ex."
    form.prefix.setText("Pet. Ex.")
    assert page.commit_pending_edits()

    # The Exhibits view changes the label style through the same setting.
    save_choices(
        case_vault,
        BinderChoices(BinderOptions(labels=LabelStyle.NUMBERS, prefix="Ex."), False, None),
    )
    page.refresh()
    assert form.labels.currentData() == LabelStyle.NUMBERS and form.prefix.text() == "Ex."
    assert not form.split.isChecked() and not form.split_mb.isEnabled()
    assert not form.tabs.isChecked() and not form.exhibit_declarations.isChecked()


def test_choices_made_on_the_command_line_survive_a_save_from_the_window(page, case_vault):
    save_choices(
        case_vault,
        BinderChoices(BinderOptions(tabs=True, exhibit_declarations=True), False, None),
    )
    page.refresh()
    form = page.options_form
    assert form.tabs.isChecked() and form.exhibit_declarations.isChecked()
    form.corner.setCurrentIndex(form.corner.findData(Corner.TOP_RIGHT))  # saved at once
    options = load_choices(case_vault).options
    assert options.stamp_corner is Corner.TOP_RIGHT
    assert options.tabs and options.exhibit_declarations


# ----- building and previewing ------------------------------------------------------------


def test_a_binder_builds_into_memory_and_previews_every_page(qtbot, page, case_vault, tmp_path):
    before = files_under(tmp_path, Path(os.environ["HOME"]))
    build(qtbot, page)
    built = page.built
    assert built is not None and built.service is None
    assert built.court.data == expected_bytes(case_vault, BinderOptions())
    assert built.court.pages == len(PdfReader(io.BytesIO(built.court.data)).pages)
    cover = preview_shows(qtbot, page, built.court.pages)
    dark = sum(
        1
        for y in range(0, cover.height(), 3)
        for x in range(0, cover.width(), 3)
        if cover.pixelColor(x, y).value() < 128
    )
    assert dark > 50, "page 1 rendered blank"
    assert f"{built.court.pages} pages" in page.summary.facts.text()
    assert "25 MB" in page.summary.meter_text.text()
    assert page.preview.copies_bar.isHidden()  # one copy: nothing to switch
    assert page.print_button.isEnabled() and page.save_button.isEnabled()
    assert "court's copy three times" in page.three_note.text()
    assert files_under(tmp_path, Path(os.environ["HOME"])) == before  # nothing on disk
    assert prompts.asked == []


def test_the_copy_for_the_other_side_is_built_beside_it(qtbot, page, case_vault):
    page.options_form.service_copy.setChecked(True)
    build(qtbot, page)
    built = page.built
    assert built.service is not None
    assert built.service.data == expected_bytes(case_vault, BinderOptions(for_service=True))
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(built.service.data)).pages)
    assert "Elm Street" not in text and "Acme Dental" not in text
    assert page.preview.copies_bar.isVisibleTo(page)
    assert page.preview.shown_copy() == COURT
    page.preview.copies_bar.setCurrentIndex(1)
    assert page.preview.shown_copy() == SERVICE
    preview_shows(qtbot, page, built.service.pages)
    assert "Copy for the other side" in page.summary.facts.text()
    assert "(private details removed)" in page.three_note.text()


def test_an_empty_exhibit_is_warned_about_before_building(qtbot, page, case_vault):
    (entry_id,) = case_vault.conn.execute("SELECT min(id) FROM entries").fetchone()
    add_exhibit(case_vault, "Threats", "", [entry_id])
    add_exhibit(case_vault, "Photos of the car", "", [])
    page.refresh()
    assert "Pet. Ex. 2 — Photos of the car" in page.empty_warning.text()
    assert "2 exhibits chosen" in page.exhibits_note.text()

    prompts.answer_next(False)
    assert not page.build()
    assert prompts.asked[-1].kind == "confirm" and "Photos of the car" in prompts.asked[-1].text
    assert not page.busy and page.built is None

    prompts.answer_next(True)
    build(qtbot, page)
    assert page.built.exhibits == 2
    assert "Photos of the car" in page.summary.warning.text()


def test_the_view_says_when_it_groups_the_evidence_itself(page):
    assert "No exhibits chosen yet" in page.exhibits_note.text()
    assert page.empty_warning.isHidden()


def test_a_change_elsewhere_marks_the_preview_out_of_date(qtbot, page, case_vault):
    build(qtbot, page)
    page.refresh()
    assert page.stale_box.isHidden()
    page.options_form.split.setChecked(True)  # a volume size changes no page
    page.refresh()
    assert page.stale_box.isHidden()
    (entry_id,) = case_vault.conn.execute("SELECT min(id) FROM entries").fetchone()
    add_exhibit(case_vault, "Threats", "", [entry_id])
    page.refresh()
    assert page.stale_box.isVisibleTo(page)
    assert "Build again" in page.stale_text.text()
    page.rebuild_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    assert page.stale_box.isHidden() and page.built.exhibits == 1


def test_cancel_stops_a_build(qtbot, page):
    assert page.build()
    assert page.progress.isVisibleTo(page) and not page.build_button.isEnabled()
    page.progress.cancel_button.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    assert page.built is None
    assert page.preview.data() is None
    assert "Stopped" in page.build_status.text()
    assert page.build_button.isEnabled() and not page.save_button.isEnabled()
    assert prompts.asked == []


def test_locking_during_a_build_waits_for_it_and_drops_the_result(qtbot, page, case_vault):
    assert page.build()
    page.session.detach()  # returns only once the worker's connection is closed
    assert not page.busy
    qtbot.wait(300)  # any late report from the worker arrives now, and is dropped
    assert page.built is None and page.preview.data() is None
    assert page.case_form.fields["court"].text() == ""
    assert page.case_form.private_edit.toPlainText() == ""
    assert not page.build_button.isEnabled()
    assert prompts.asked == []
    assert verify_vault(case_vault).intact


def test_locking_after_a_build_forgets_the_binder(qtbot, page):
    page.options_form.service_copy.setChecked(True)
    build(qtbot, page)
    preview_shows(qtbot, page, page.built.court.pages)
    page.session.detach()
    assert page.built is None
    assert page.preview.data(COURT) is None and page.preview.data(SERVICE) is None
    assert page.preview.page_count() == 0 and page.preview.rendered_page(0) is None
    assert page.summary.facts.text() == "" and page.three_note.text() == ""


# ----- printing ---------------------------------------------------------------------------


def test_printing_sends_every_page_of_the_copy_shown(qtbot, page, tmp_path):
    build(qtbot, page)
    out = tmp_path / "printed.pdf"
    page.choose_printer = lambda parent, paper, title: paper_printer(out)
    assert page.print_shown()
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    assert page.build_status.text() == "Sent to the printer."
    pages = page.built.court.pages
    assert len(PdfReader(out).pages) == pages

    printed, buffer = read_pdf(out)
    cover = grey(render(printed, 0))
    shown = grey(render_built(page.built.court.data, 0))
    second = grey(render_built(page.built.court.data, 1))
    assert difference(cover, shown) < 3.5  # the printed first page is the cover
    assert difference(cover, shown) < difference(cover, second) / 2
    printed.close()
    buffer.close()


def test_three_copies_court_other_side_and_you(qtbot, page, tmp_path):
    page.options_form.service_copy.setChecked(True)
    build(qtbot, page)
    built = page.built
    out = tmp_path / "three.pdf"
    page.choose_printer = lambda parent, paper, title: paper_printer(out)
    prompts.answer_next(frozenset())  # the review of private details: all stay hidden
    assert page.print_three_copies()
    assert prompts.asked[0].kind == "review"
    qtbot.waitUntil(lambda: not page.busy, timeout=120_000)
    court, service = built.court.pages, built.service.pages
    assert len(PdfReader(out).pages) == 2 * court + service + 3  # a separator before each
    # The messages page names the private address: it tells the copies apart.
    texts = [p.extract_text() for p in PdfReader(io.BytesIO(built.court.data)).pages]
    private = next(i for i, text in enumerate(texts) if "42 Elm Street" in text)
    printed, buffer = read_pdf(out)
    court_page = grey(render_built(built.court.data, private))
    service_page = grey(render_built(built.service.data, private))
    for first, expected in (
        (1, court_page),
        (court + 2, service_page),
        (court + service + 3, court_page),
    ):
        other = service_page if expected is court_page else court_page
        shown = grey(render(printed, first + private))
        assert difference(shown, expected) < difference(shown, other), first
    assert difference(grey(render(printed, 1)), grey(render_built(built.court.data, 0))) < 3.5
    printed.close()
    buffer.close()


def test_locking_while_printing_stops_the_job(qtbot, page, tmp_path):
    build(qtbot, page)
    out = tmp_path / "three.pdf"
    page.choose_printer = lambda parent, paper, title: paper_printer(out)
    prompts.answer_next(True)  # three court copies
    assert page.print_three_copies() and page.busy
    page.session.detach()
    assert not page.busy and page.preview.data() is None
    qtbot.wait(100)  # no page is rendered from a closed document
    assert not out.exists()  # Qt finishes a stopped job: the half-printed file is deleted


def test_three_copies_without_a_redacted_copy_print_the_court_copy_three_times(
    qtbot, page, tmp_path
):
    build(qtbot, page)
    out = tmp_path / "three.pdf"
    page.choose_printer = lambda parent, paper, title: paper_printer(out)
    prompts.answer_next(False)  # "Give the other side your private details?" — no
    assert not page.print_three_copies() and not out.exists()
    assert "private details" in prompts.asked[-1].text
    prompts.answer_next(True)
    assert page.print_three_copies()
    qtbot.waitUntil(lambda: not page.busy, timeout=120_000)
    assert len(PdfReader(out).pages) == 3 * page.built.court.pages + 3  # and 3 separators


def test_a_cancelled_print_dialog_prints_nothing(qtbot, page):
    build(qtbot, page)
    page.choose_printer = lambda parent, paper, title: None
    assert not page.print_shown()
    assert not page.busy and prompts.asked == []


# ----- saving -----------------------------------------------------------------------------


@pytest.fixture
def quiet_temp(tmp_path, monkeypatch):
    """Temporary files of Python and Qt go under tmp_path, where the test can see them."""
    folder = tmp_path / "system-temp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_save_writes_the_previewed_bytes_after_the_warning_and_nothing_else(
    qtbot, page, case_vault, tmp_path, quiet_temp
):
    home = Path(os.environ["HOME"])
    before = files_under(tmp_path, home)
    build(qtbot, page)
    assert files_under(tmp_path, home) == before  # never written before Save

    out = tmp_path / "chosen" / "Exhibits 24-DV-01234.pdf"
    out.parent.mkdir()
    before = files_under(tmp_path, home)
    # Built before Save: saving audits the folder it writes to (for leftovers of a
    # killed save), and a binder prints the audit log's head.
    expected = expected_bytes(case_vault, BinderOptions())
    prompts.answer_next(out, True, None)  # the file, "save, not encrypted", "saved" read
    assert page.save()
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    choose, warning, done = prompts.asked
    assert (choose.kind, choose.text) == ("save-binder", "Exhibits 24-DV-01234.pdf")
    assert warning.kind == "confirm" and "NOT encrypted" in warning.text
    assert done.kind == "inform" and str(out) in done.text
    assert out.read_bytes() == page.built.court.data == expected
    assert files_under(tmp_path, home) - before == {out}
    assert not list(quiet_temp.iterdir())


def test_refusing_the_not_encrypted_warning_writes_nothing(qtbot, page, tmp_path):
    build(qtbot, page)
    before = files_under(tmp_path)
    out = tmp_path / "binder.pdf"
    prompts.answer_next(out, False)
    assert not page.save()
    assert files_under(tmp_path) == before and not out.exists()
    assert not page.busy


def test_the_copy_for_the_other_side_and_the_recordings_are_saved_beside_it(qtbot, vault, tmp_path):
    _seed(vault, tmp_path / "evidence", voicemail=True)
    save_choices(vault, BinderChoices(service_copy=True))
    page = BinderPage(VaultSession())
    qtbot.addWidget(page)
    page.show()  # a view reads its vault when shown
    page.session.open(vault)
    build(qtbot, page)
    out = tmp_path / "out" / "Binder"
    out.parent.mkdir()
    page.recordings_box.setChecked(True)
    page.exhibit_list_box.setChecked(True)
    # The review of private details first (all stay hidden), then the file, "save, not
    # encrypted", "saved" read.
    prompts.answer_next(frozenset(), out, True, None)
    assert page.save()
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    binder = out.with_name("Binder.pdf")  # ".pdf" added when the name has none
    assert "Binder-for-service.pdf" in prompts.asked[2].text
    assert "Binder-exhibit-list.csv" in prompts.asked[2].text  # named before it is written
    listed = out.with_name("Binder-exhibit-list.csv").read_text("utf-8-sig").splitlines()
    assert len(listed) == 1 + page.built.exhibits and listed[1].startswith("Pet. Ex. 1,")
    assert (oct(out.with_name("Binder-exhibit-list.csv").stat().st_mode & 0o777)) == "0o600"
    assert binder.read_bytes() == page.built.court.data
    assert service_path(binder).read_bytes() == page.built.service.data
    (recording,) = (tmp_path / "out" / "Binder-recordings").iterdir()
    assert recording.name.endswith("voicemail.wav")
    assert str(recording) in prompts.asked[-1].text
    page.session.detach()


def test_split_saves_volumes_under_the_size(qtbot, vault, tmp_path):
    _seed(vault, tmp_path / "evidence", big=True)
    save_choices(vault, BinderChoices(split_mb=1.0))
    page = BinderPage(VaultSession())
    qtbot.addWidget(page)
    page.show()  # a view reads its vault when shown
    page.session.open(vault)
    build(qtbot, page)
    built = page.built
    assert built.court.size > 1_000_000
    assert "in volumes" in page.summary.warning.text()
    out = tmp_path / "out" / "Exhibits.pdf"
    out.parent.mkdir()
    prompts.answer_next(out, True, None)  # the file, "save, not encrypted", "saved" read
    assert page.save()
    assert "-vol1.pdf" in prompts.asked[-1].text
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    volumes = sorted(out.parent.glob("Exhibits-vol*.pdf"))
    assert len(volumes) >= 2
    assert all(v.stat().st_size <= 1_000_000 for v in volumes)
    assert sum(len(PdfReader(v).pages) for v in volumes) == built.court.pages
    assert out.read_bytes() == built.court.data  # the whole binder too, as the CLI writes
    page.session.detach()


def test_suggested_file_names_are_safe():
    assert suggested_file_name("Exhibits", "24-DV-01234") == "Exhibits 24-DV-01234.pdf"
    assert suggested_file_name("Exhibits", " 24/DV:01234 ") == "Exhibits 24-DV-01234.pdf"
    assert suggested_file_name("Exhibits", "") == "Exhibits.pdf"


# ----- looking at it ----------------------------------------------------------------------


def test_screenshots_before_and_after_a_build(qtbot, page):
    folder = os.environ.get("NCO_SCREENSHOTS")
    page.options_form.service_copy.setChecked(True)
    page.resize(1090, 650)  # the window's room at 1280 × 720
    QApplication.processEvents()
    if folder:
        page.grab().save(str(Path(folder) / "binder-before.png"))
    build(qtbot, page)
    QApplication.processEvents()
    image = page.grab().toImage()
    assert not image.isNull()
    if folder:
        image.save(str(Path(folder) / "binder-after.png"))


def test_a_refused_option_keeps_its_words_through_a_refresh(page, case_vault):
    form = page.options_form
    form.bates.setText("A-BATES-PREFIX-FAR-TOO-LONG-TO-PRINT")
    form.bates.editingFinished.emit()
    assert form.status.isVisibleTo(form)
    page.refresh()  # what an import or an exhibit edit elsewhere does
    assert form.bates.text() == "A-BATES-PREFIX-FAR-TOO-LONG-TO-PRINT"
    assert form.status.isVisibleTo(form) and "at most" in form.status.text()
    assert load_choices(case_vault).options.bates is None


def test_a_change_saved_during_a_build_marks_it_old_when_it_is_done(qtbot, page, case_vault):
    changed: list[int] = []

    def save_meanwhile(*_progress: object) -> None:
        if not changed:  # the build has begun: what it shows is read already
            changed.append(add_exhibit(case_vault, "Saved while building", "", []))

    page._job.progressed.connect(save_meanwhile)
    assert page.build()
    qtbot.waitUntil(lambda: not page.busy, timeout=60_000)
    assert changed
    assert page.built is not None
    assert page.stale_box.isVisibleTo(page)


def test_a_blank_prefix_in_the_exhibits_view_stays_the_usual_one_here(page, case_vault):
    save_choices(case_vault, BinderChoices(BinderOptions(prefix=""), False, None))
    page.refresh()
    assert page.options_form.prefix.text() == "Pet. Ex."
    assert not page.options_form.is_dirty()  # nothing for a refresh to save again
